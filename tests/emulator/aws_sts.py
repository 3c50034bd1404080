"""STS (awsQuery, version 2011-06-15)."""

from xml.sax.saxutils import escape

from aws import AwsError, QueryProtocol, QueryService


class Sts(QueryService):
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

    def access_denied(self, call, required):
        return AwsError("AccessDenied", f"User: {call.identity['arn']} is not authorized to "
                                        f"perform: {required}", 403)
