"""STS (awsQuery, version 2011-06-15)."""

from xml.sax.saxutils import escape

from aws import AwsError, QueryProtocol, Service


class Sts(Service):
    name = "sts"
    protocol = QueryProtocol("https://sts.amazonaws.com/doc/2011-06-15/", "2011-06-15")

    def get_caller_identity(self, call):
        identity = call.identity
        result = (f"    <Arn>{escape(identity['arn'])}</Arn>\n"
                  f"    <UserId>{escape(identity['user_id'])}</UserId>\n"
                  f"    <Account>{escape(identity['account'])}</Account>\n")
        return self.protocol.success("GetCallerIdentity", result, call.request_id)

    OPERATIONS = {
        "GetCallerIdentity": get_caller_identity,
    }

    def dispatch(self, call):
        if not call.action:
            return call.error(AwsError("MissingAction", "Missing Action"))
        version = call.params.get("Version") or "NO_VERSION_SPECIFIED"
        if version != self.protocol.version:
            # STS knows operations only within an API version, so a wrong or missing
            # Version makes every action unknown.
            return call.error(self.unknown_operation(call, version))
        return super().dispatch(call)

    def unknown_operation(self, call, version=None):
        return AwsError("InvalidAction", f"Could not find operation {call.action} for version "
                                         f"{version or self.protocol.version}")

    def throttling_error(self):
        return AwsError("Throttling", "Rate exceeded", 400)

    def access_denied(self, call, required):
        return AwsError("AccessDenied", f"User: {call.identity['arn']} is not authorized to "
                                        f"perform: {required}", 403)
