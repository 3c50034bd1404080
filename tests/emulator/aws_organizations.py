"""AWS Organizations (awsJson1_1, 2016-11-28), signed for us-east-1 as in the aws partition."""

from aws import AwsError, JsonProtocol, JsonService


class Organizations(JsonService):
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

    def throttling_error(self):
        return AwsError("TooManyRequestsException", "Rate exceeded", 400,
                        fields={"Type": "Throttling"})

    def access_denied(self, call, required):
        return AwsError("AccessDeniedException",
                        "You don't have permissions to access this resource.")
