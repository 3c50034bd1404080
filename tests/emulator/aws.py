"""The AWS side of the emulator: SigV4 authentication, protocol framing, dispatch.

A service is one subclass of Service with a handler table (OPERATIONS) and a
protocol (QueryProtocol or JsonProtocol); register it in services.py. Requests
are routed on the service name of the SigV4 credential scope, as AWS's front
ends do when one endpoint serves several services.
"""

import datetime
import hashlib
import hmac
import json
import time
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

import sigv4
from core import Response, new_aws_request_id

# Tolerances of the request time against the emulator's clock.
SIGNATURE_WINDOW = 15 * 60
SKEWED_SIGNATURE_WINDOW = 5 * 60

MSG_MISSING_TOKEN = "Request is missing Authentication Token"
MSG_INVALID_TOKEN = "The security token included in the request is invalid."
MSG_EXPIRED_TOKEN = "The security token included in the request is expired"
MSG_BAD_SIGNATURE = ("The request signature we calculated does not match the signature you "
                     "provided. Check your AWS Secret Access Key and signing method. Consult "
                     "the service documentation for details.")


class AwsError(Exception):
    """An error answer; @kind picks the protocol's code for authentication failures."""

    def __init__(self, code, message, status=400, kind=None, fields=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.kind = kind
        self.fields = fields or {}


def auth_error(kind, message):
    return AwsError(None, message, kind=kind)


class QueryProtocol:
    """awsQuery (STS, CloudFormation): form parameters in, XML out."""

    content_type = "text/xml"
    # kind → (HTTP status, code), as STS answers them.
    AUTH_ERRORS = {
        "missing": (403, "MissingAuthenticationToken"),
        "incomplete": (400, "IncompleteSignature"),
        "unknown_key": (403, "InvalidClientTokenId"),
        "bad_token": (403, "InvalidClientTokenId"),
        "expired": (403, "ExpiredToken"),
        "signature": (403, "SignatureDoesNotMatch"),
        "time": (403, "SignatureDoesNotMatch"),
    }

    def __init__(self, xmlns, version):
        self.xmlns = xmlns
        self.version = version

    def params(self, request):
        """The request's parameters: the query string, then a form body (POST)."""
        params = dict(parse_qsl(request.query, keep_blank_values=True))
        content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
        if request.method == "POST" and content_type in ("", "application/x-www-form-urlencoded"):
            params.update(parse_qsl(request.body.decode("utf-8", "replace"),
                                    keep_blank_values=True))
        return params

    def operation(self, request, params):
        return params.get("Action", "")

    def success(self, operation, result_xml, request_id):
        body = (f'<{operation}Response xmlns="{self.xmlns}">\n'
                f"  <{operation}Result>\n{result_xml}  </{operation}Result>\n"
                f"  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n"
                f"  </ResponseMetadata>\n</{operation}Response>\n")
        return Response(200, body, self.content_type)

    def error(self, status, code, message, request_id, fields=None):
        error_type = "Sender" if status < 500 else "Receiver"
        body = (f'<ErrorResponse xmlns="{self.xmlns}">\n  <Error>\n'
                f"    <Type>{error_type}</Type>\n    <Code>{escape(code)}</Code>\n"
                f"    <Message>{escape(message)}</Message>\n  </Error>\n"
                f"  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n")
        return Response(status, body, self.content_type)


class JsonProtocol:
    """awsJson1_1 (Organizations, CUR): X-Amz-Target names the operation."""

    content_type = "application/x-amz-json-1.1"
    # The front end's own errors carry the Coral namespace, as AWS sends them; clients
    # keep the text after '#' (aws-json protocol spec).
    CORAL = "com.amazon.coral.service#"
    AUTH_ERRORS = {
        "missing": (400, CORAL + "MissingAuthenticationTokenException"),
        "incomplete": (400, CORAL + "IncompleteSignatureException"),
        "unknown_key": (400, CORAL + "UnrecognizedClientException"),
        "bad_token": (400, CORAL + "UnrecognizedClientException"),
        "expired": (400, CORAL + "ExpiredTokenException"),
        "signature": (400, CORAL + "InvalidSignatureException"),
        "time": (400, CORAL + "InvalidSignatureException"),
    }

    def __init__(self, target_prefix):
        self.target_prefix = target_prefix

    def params(self, request):
        return None

    def operation(self, request, params):
        prefix, _, operation = (request.header("X-Amz-Target") or "").partition(".")
        return operation if prefix == self.target_prefix else ""

    def success(self, obj, request_id):
        return Response(200, json.dumps(obj), self.content_type)

    def error(self, status, code, message, request_id, fields=None):
        body = {"__type": code}
        # Service errors use "Message"; the Coral front end's own use "message".
        body["message" if code.startswith(self.CORAL) else "Message"] = message
        body.update(fields or {})
        short = code.rpartition("#")[2]
        return Response(status, json.dumps(body), self.content_type,
                        [("X-Amzn-ErrorType", short)])


class Call:
    """One AWS request on its way through faults, authentication and the handler."""

    def __init__(self, service, request, emulator):
        self.service = service
        self.request = request
        self.emulator = emulator
        self.request_id = new_aws_request_id()
        self.params = service.protocol.params(request)
        self.action = service.protocol.operation(request, self.params)
        self.operation = f"{service.name}:{self.action or '(none)'}"
        self.identity = None
        self.access_key = None

    def error(self, err):
        protocol = self.service.protocol
        if err.kind:
            status, code = protocol.AUTH_ERRORS[err.kind]
        else:
            status, code = err.status, err.code
        return protocol.error(status, code, err.message, self.request_id, err.fields)

    def fault_response(self, fault):
        kind = fault.kind
        if kind in ("throttle", "rate_limited"):
            return self.error(self.service.throttling_error())
        if kind == "expired_token":
            return self.error(auth_error("expired", MSG_EXPIRED_TOKEN))
        if kind == "http500":
            return self.error(AwsError("InternalFailure",
                                       "The request processing has failed because of an "
                                       "unknown error, exception or failure.", 500))
        if kind == "http503":
            return self.error(AwsError("ServiceUnavailable", "Service is unavailable", 503))
        raise AssertionError(kind)

    def run(self):
        try:
            self.authenticate()
            return self.service.dispatch(self)
        except AwsError as err:
            return self.error(err)

    def finish(self, response):
        response.headers.append(("x-amzn-RequestId", self.request_id))
        return response

    # ---------------------------------------------------------------- authentication

    def authenticate(self):
        request = self.request
        authorization = request.header("Authorization")
        if not authorization:
            raise auth_error("missing", MSG_MISSING_TOKEN)
        try:
            auth = sigv4.parse_authorization(authorization)
        except sigv4.AuthorizationError as err:
            raise auth_error("incomplete", str(err))

        key = self.emulator.accounts.aws_key(auth["access_key"])
        if key is None:
            raise auth_error("unknown_key", MSG_INVALID_TOKEN)
        token = request.header("X-Amz-Security-Token")
        if auth["access_key"].startswith("ASIA"):
            if not token or not hmac.compare_digest(token, key.get("session_token", "")):
                raise auth_error("bad_token", MSG_INVALID_TOKEN)
        elif token:
            # A long-term key with a session token is rejected by AWS as well.
            raise auth_error("bad_token", MSG_INVALID_TOKEN)
        if key.get("expired"):
            raise auth_error("expired", MSG_EXPIRED_TOKEN)

        self.check_time(auth)
        if self.service.signing_regions and auth["region"] not in self.service.signing_regions:
            raise auth_error("signature", "Credential should be scoped to a valid region. ")

        path, query = sigv4.split_target(request.target)
        creq = sigv4.canonical_request(
            request.method, path, query, request.headers, auth["signed_headers"],
            hashlib.sha256(request.body).hexdigest(), s3=self.service.name == "s3")
        sts = sigv4.string_to_sign(self.amz_date, auth["scope"], creq)
        expected = sigv4.signature(key["secret"], auth["date"], auth["region"],
                                   auth["service"], sts)
        if not hmac.compare_digest(expected, auth["signature"]):
            raise auth_error("signature", MSG_BAD_SIGNATURE)

        self.access_key = auth["access_key"]
        self.identity = key

    def check_time(self, auth):
        stamp = self.request.header("X-Amz-Date") or ""
        when = sigv4.parse_amz_date(stamp)
        if when is None:
            raise auth_error("incomplete",
                             "Authorization header requires existence of either a "
                             "'X-Amz-Date' or a 'Date' header.")
        self.amz_date = stamp
        if auth["date"] != stamp[:8]:
            raise auth_error("signature",
                             "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                             f"version of date from HTTP: '{auth['date']}' != '{stamp[:8]}', "
                             f"from '{stamp}'.")
        skewed = self.emulator.faults.skew(self.operation) is not None
        window = SKEWED_SIGNATURE_WINDOW if skewed else SIGNATURE_WINDOW
        now = self.emulator.clock.now(self.operation)
        minutes = window // 60

        def fmt(seconds):
            return time.strftime(sigv4.AMZ_DATE_FORMAT, time.gmtime(seconds))

        offset = when.timestamp() - now
        if offset < -window:
            raise auth_error("time", f"Signature expired: {stamp} is now earlier than "
                                     f"{fmt(now - window)} ({fmt(now)} - {minutes} min.)")
        if offset > window:
            raise auth_error("time", f"Signature not yet current: {stamp} is still later than "
                                     f"{fmt(now + window)} ({fmt(now)} + {minutes} min.)")


class Service:
    """Base of an emulated AWS service: set name, protocol and OPERATIONS."""

    name = None
    protocol = None
    signing_regions = None         # None: any region
    OPERATIONS = {}                # action → method(self, call)

    def throttling_error(self):
        raise NotImplementedError

    def unknown_operation(self, call):
        raise NotImplementedError

    def dispatch(self, call):
        handler = self.OPERATIONS.get(call.action)
        if handler is None:
            return call.error(self.unknown_operation(call))
        required = f"{self.name}:{call.action}"
        if required in call.identity.get("deny", []):
            return call.error(self.access_denied(call, required))
        return handler(self, call)

    def access_denied(self, call, required):
        return AwsError("AccessDenied",
                        f"User: {call.identity['arn']} is not authorized to perform: {required}",
                        403)


def utc_iso(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
