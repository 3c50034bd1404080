"""AWS Organizations (awsJson1_1, 2016-11-28), signed for us-east-1 as in the aws partition."""

import json

from aws import AwsError, JsonProtocol, Service


class Organizations(Service):
    name = "organizations"
    protocol = JsonProtocol("AWSOrganizationsV20161128")
    signing_regions = {"us-east-1"}

    def describe_organization(self, call):
        org_id = call.identity.get("organization")
        org = call.emulator.accounts.organization(org_id) if org_id else None
        if org is None:
            raise AwsError("AWSOrganizationsNotInUseException",
                           "Your account is not a member of an organization.")
        master = org["master_account_id"]
        return self.protocol.success({"Organization": {
            "Id": org_id,
            "Arn": org["arn"],
            "FeatureSet": org["feature_set"],
            "MasterAccountArn": f"arn:aws:organizations::{master}:account/{org_id}/{master}",
            "MasterAccountId": master,
            "MasterAccountEmail": org["master_account_email"],
            "AvailablePolicyTypes": [],
        }}, call.request_id)

    OPERATIONS = {
        "DescribeOrganization": describe_organization,
    }

    def dispatch(self, call):
        content_type = (call.request.header("Content-Type") or "").split(";")[0].strip()
        if content_type != self.protocol.content_type:
            return call.error(self.unknown_operation(call))
        try:
            body = json.loads(call.request.body or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return call.error(AwsError("SerializationException",
                                       "Start of structure or map found where not expected."))
        try:
            return super().dispatch(call)
        except AwsError as err:
            return call.error(err)

    def unknown_operation(self, call):
        return AwsError(JsonProtocol.CORAL + "UnknownOperationException",
                        "Unknown operation")

    def throttling_error(self):
        return AwsError("TooManyRequestsException", "Rate exceeded", 400,
                        fields={"Type": "Throttling"})

    def access_denied(self, call, required):
        return AwsError("AccessDeniedException",
                        "You don't have permissions to access this resource.")
