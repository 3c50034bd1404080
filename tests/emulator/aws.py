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
import re
import time
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

import sigv4
from core import Response, new_aws_request_id

# Region codes of the aws partition (the CUR model's S3Region enum and later regions).
REGIONS = (
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
    "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
    "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
)

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

    def new_request_id(self):
        return new_aws_request_id()

    def id_headers(self, request_id):
        return [("x-amzn-RequestId", request_id)]

    def auth_answer(self, err, call):
        """(status, code, message, fields) of an authentication failure."""
        status, code = self.AUTH_ERRORS[err.kind]
        return status, code, err.message, {}

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

    def new_request_id(self):
        return new_aws_request_id()

    def id_headers(self, request_id):
        return [("x-amzn-RequestId", request_id)]

    def auth_answer(self, err, call):
        """(status, code, message, fields) of an authentication failure."""
        status, code = self.AUTH_ERRORS[err.kind]
        return status, code, err.message, {}

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
        self.request_id = service.protocol.new_request_id()
        self.params = service.protocol.params(request)
        self.action = service.protocol.operation(request, self.params)
        self.operation = f"{service.name}:{self.action or '(none)'}"
        self.identity = None
        self.access_key = None
        self.auth = None
        self.amz_date = None

    def error(self, err):
        protocol = self.service.protocol
        if err.kind:
            status, code, message, fields = protocol.auth_answer(err, self)
        else:
            status, code, message, fields = err.status, err.code, err.message, err.fields
        return protocol.error(status, code, message, self.request_id, fields)

    def fault_response(self, fault):
        kind = fault.kind
        if kind in ("throttle", "rate_limited"):
            return self.error(self.service.throttling_error())
        if kind == "expired_token":
            return self.error(auth_error("expired", MSG_EXPIRED_TOKEN))
        if kind in ("http500", "http503"):
            return self.error(self.service.server_error(int(kind[4:])))
        raise AssertionError(kind)

    def run(self):
        try:
            self.authenticate()
            # Work that AWS does in the background (deliveries, stacks) is brought up to
            # date before any request sees the state.
            self.emulator.settle()
            return self.service.dispatch(self)
        except AwsError as err:
            return self.error(err)

    def finish(self, response):
        response.headers.extend(self.service.protocol.id_headers(self.request_id))
        self.service.finish(self, response)
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

        self.auth = auth
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
        payload_hash = self.service.payload_hash(self)
        creq = sigv4.canonical_request(
            request.method, path, query, request.headers, auth["signed_headers"],
            payload_hash, s3=self.service.name == "s3")
        sts = sigv4.string_to_sign(self.amz_date, auth["scope"], creq)
        expected = sigv4.signature(key["secret"], auth["date"], auth["region"],
                                   auth["service"], sts)
        if not hmac.compare_digest(expected, auth["signature"]):
            raise AwsError(None, MSG_BAD_SIGNATURE, kind="signature",
                           fields={"AWSAccessKeyId": auth["access_key"], "StringToSign": sts,
                                   "SignatureProvided": auth["signature"],
                                   "CanonicalRequest": creq})

        self.access_key = auth["access_key"]
        self.identity = key
        self.service.after_signature(self)

    @property
    def account(self):
        return self.identity["account"]

    @property
    def region(self):
        return self.auth["region"]

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

    def server_error(self, status):
        if status == 500:
            return AwsError("InternalFailure", "The request processing has failed because of an "
                                               "unknown error, exception or failure.", 500)
        return AwsError("ServiceUnavailable", "Service is unavailable", 503)

    def unknown_operation(self, call):
        raise NotImplementedError

    def payload_hash(self, call):
        """The last line of the canonical request: the body's SHA-256 (S3 overrides)."""
        return hashlib.sha256(call.request.body).hexdigest()

    def after_signature(self, call):
        """Checks that need a verified signature (S3: the body against its hash)."""

    def finish(self, call, response):
        """Last changes to any answer of this service (S3: HEAD errors have no body)."""

    def settle(self, emulator):
        """Brings background work (deliveries, stack progress) up to the present."""

    def state(self, emulator):
        """This service's state on @emulator, made from the fixtures on first use."""
        with emulator.state_lock:
            state = emulator.aws_state.get(self.name)
            if state is None:
                state = emulator.aws_state[self.name] = self.new_state(emulator)
            return state

    def new_state(self, emulator):
        return None

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


class QueryService(Service):
    """An awsQuery service: Action and Version (which must be the API version)."""

    def dispatch(self, call):
        if not call.action:
            return call.error(AwsError("MissingAction", "Missing Action"))
        version = call.params.get("Version") or "NO_VERSION_SPECIFIED"
        if version != self.protocol.version:
            # Query services know operations only within an API version, so a wrong or
            # missing Version makes every action unknown.
            return call.error(self.unknown_operation(call, version))
        try:
            return super().dispatch(call)
        except AwsError as err:
            return call.error(err)

    def unknown_operation(self, call, version=None):
        return AwsError("InvalidAction", f"Could not find operation {call.action} for version "
                                         f"{version or self.protocol.version}")

    def throttling_error(self):
        return AwsError("Throttling", "Rate exceeded", 400)

    def success(self, call, result_xml):
        return self.protocol.success(call.action, result_xml, call.request_id)


class JsonService(Service):
    """An awsJson1_1 service: the body is a JSON object, available as call.input."""

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
        call.input = body
        try:
            return super().dispatch(call)
        except AwsError as err:
            return call.error(err)

    def unknown_operation(self, call):
        return AwsError(JsonProtocol.CORAL + "UnknownOperationException", "Unknown operation")

    def throttling_error(self):
        return AwsError("ThrottlingException", "Rate exceeded", 400)

    def success(self, call, obj):
        return self.protocol.success(obj, call.request_id)


class Validation:
    """Collects model constraint violations and raises them as Coral does:
    "2 validation errors detected: Value 'x' at 'a.b' failed to satisfy constraint: …; …"."""

    def __init__(self, code="ValidationException"):
        self.code = code
        self.errors = []

    @staticmethod
    def show(value):
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return "[" + ", ".join(str(item) for item in value) + "]"
        return str(value)

    def add(self, value, path, constraint):
        shown = "null" if value is None else f"'{self.show(value)}'"
        self.errors.append(f"Value {shown} at '{path}' failed to satisfy constraint: "
                           f"{constraint}")

    def required(self, obj, key, path):
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None:
            self.add(None, path, "Member must not be null")
        return value

    def string(self, value, path, pattern=None, min_len=None, max_len=None, enum=None):
        if value is None:
            return
        if not isinstance(value, str):
            self.add(value, path, "Member must be a string")
            return
        if enum is not None and value not in enum:
            self.add(value, path, f"Member must satisfy enum value set: [{', '.join(enum)}]")
        if min_len is not None and len(value) < min_len:
            self.add(value, path, f"Member must have length greater than or equal to {min_len}")
        if max_len is not None and len(value) > max_len:
            self.add(value, path, f"Member must have length less than or equal to {max_len}")
        if pattern is not None and not re.fullmatch(pattern, value):
            self.add(value, path, f"Member must satisfy regular expression pattern: {pattern}")

    def enum_list(self, value, path, enum):
        if value is None:
            return
        if not isinstance(value, list) or any(item not in enum for item in value):
            self.add(value, path, "Member must satisfy constraint: "
                                  f"[Member must satisfy enum value set: [{', '.join(enum)}]]")

    def boolean(self, value, path):
        if value is not None and not isinstance(value, bool):
            self.add(value, path, "Member must be a boolean")

    def check(self):
        if self.errors:
            count = len(self.errors)
            raise AwsError(self.code, f"{count} validation error{'s' if count > 1 else ''} "
                                      f"detected: " + "; ".join(self.errors))


def utc_iso(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
