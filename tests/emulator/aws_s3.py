"""Amazon S3 (REST-XML, 2006-03-01), path-style: /bucket and /bucket/key.

Buckets share one global namespace; each has an owner account and a region. A request
signed for a region other than the bucket's is answered as the regional endpoint of that
region would answer it (301 PermanentRedirect with x-amz-bucket-region), since every
"regional endpoint" of the emulator is the same port. Facts: aws-cur-s3.md §5.
"""

import base64
import binascii
import hashlib
import ipaddress
import json
import re
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, quote, unquote
from xml.sax.saxutils import escape

from aws import REGIONS, AwsError, Service
from core import Response

XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
_HEX64 = re.compile(r"[0-9a-f]{64}")
PAB_FIELDS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def iso_ms(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + \
        f".{int(seconds * 1000) % 1000:03d}Z"


# ----------------------------------------------------------------------- bucket names

def bucket_name_problem(name, account=None):
    """Why @name breaks the general purpose bucket naming rules (§5.7), or None."""
    if not 3 <= len(name) <= 63:
        return "must be 3 to 63 characters long"
    if not re.fullmatch(r"[a-z0-9.-]+", name):
        return "may contain only lowercase letters, digits, dots and hyphens"
    if not (name[0].isalnum() and name[-1].isalnum()):
        return "must begin and end with a letter or digit"
    if ".." in name:
        return "must not contain two adjacent periods"
    try:
        ipaddress.IPv4Address(name)
        return "must not be formatted as an IP address"
    except ValueError:
        pass
    for prefix in ("xn--", "sthree-", "amzn-s3-demo-"):
        if name.startswith(prefix):
            return f"must not start with {prefix}"
    for suffix in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"):
        if name.endswith(suffix):
            return f"must not end with {suffix}"
    if name.endswith("-an"):
        # Reserved for the account regional namespace: <prefix>-<ACCOUNT>-<region>-an.
        match = re.fullmatch(r".+-([0-9]{12})-([a-z0-9-]+)-an", name)
        if not match or match.group(1) != account or match.group(2) not in REGIONS:
            return "must not end with -an outside the account regional namespace"
    return None


# ------------------------------------------------------------------- bucket policies

def _glob(pattern, value, ignore_case=False):
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _principal_matches(principal, service_principal):
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    if "*" in _as_list(principal.get("AWS", [])):
        return True
    return service_principal in _as_list(principal.get("Service", []))


CONDITION_OPERATORS = {
    "StringEquals": lambda pattern, value: pattern == value,
    "StringEqualsIgnoreCase": lambda pattern, value: pattern.lower() == value.lower(),
    "StringLike": _glob,
    "ArnEquals": lambda pattern, value: pattern == value,
    "ArnLike": _glob,
}


def _conditions_hold(condition, context):
    """IAM semantics: every operator and key must hold; StringEquals is exact ('*' is no
    wildcard there, aws-cur-s3.md §3.1); an unsupported operator or key never holds."""
    if condition is None:
        return True
    if not isinstance(condition, dict):
        return False
    for operator, tests in condition.items():
        compare = CONDITION_OPERATORS.get(operator)
        if compare is None or not isinstance(tests, dict):
            return False
        for key, patterns in tests.items():
            value = context.get(key.lower())
            if value is None:
                return False
            if not any(isinstance(p, str) and compare(p, value) for p in _as_list(patterns)):
                return False
    return True


def _statement_matches(statement, service_principal, action, resource, context):
    if "Principal" not in statement or "Action" not in statement or \
            "Resource" not in statement:
        return False
    return (_principal_matches(statement["Principal"], service_principal)
            and any(isinstance(a, str) and _glob(a, action, ignore_case=True)
                    for a in _as_list(statement["Action"]))
            and any(isinstance(r, str) and _glob(r, resource)
                    for r in _as_list(statement["Resource"]))
            and _conditions_hold(statement.get("Condition"), context))


def policy_allows(policy_text, service_principal, action, resource, context):
    """Whether a bucket policy lets @service_principal do @action on @resource, with the
    request context @context ({"aws:sourcearn": …, "aws:sourceaccount": …})."""
    if not policy_text:
        return False
    try:
        statements = _as_list(json.loads(policy_text).get("Statement", []))
    except (ValueError, AttributeError):
        return False
    context = {key.lower(): value for key, value in context.items()}
    allowed = False
    for statement in statements:
        if not isinstance(statement, dict):
            continue
        if _statement_matches(statement, service_principal, action, resource, context):
            if statement.get("Effect") == "Deny":
                return False
            if statement.get("Effect") == "Allow":
                allowed = True
    return allowed


def delivery_allowed(bucket, service_principal, source_arn, account):
    """Whether @service_principal may check the policy of @bucket and write into it, as the
    billing services verify before they accept a report (aws-cur-s3.md §3)."""
    context = {"aws:SourceArn": source_arn, "aws:SourceAccount": account}
    arn = f"arn:aws:s3:::{bucket.name}"
    return (policy_allows(bucket.policy, service_principal, "s3:GetBucketPolicy", arn, context)
            and policy_allows(bucket.policy, service_principal, "s3:PutObject",
                              f"{arn}/aws-programmatic-access-test-object", context))


def policy_problem(text, bucket):
    """The MalformedPolicy message for a PutBucketPolicy body, or None."""
    try:
        policy = json.loads(text)
    except ValueError:
        policy = None
    if not text.lstrip().startswith("{") or not isinstance(policy, dict):
        return "Policies must be valid JSON and the first byte must be '{'"
    if "Statement" not in policy:
        return "Missing required field Statement"
    if policy.get("Version", "2012-10-17") not in ("2012-10-17", "2008-10-17"):
        return "Invalid policy version"
    for statement in _as_list(policy["Statement"]):
        if not isinstance(statement, dict):
            return "Statement is not an object"
        if statement.get("Effect") not in ("Allow", "Deny"):
            return f"Invalid effect: {statement.get('Effect')}"
        if "Principal" not in statement and "NotPrincipal" not in statement:
            return "Missing required field Principal"
        actions = statement.get("Action", statement.get("NotAction"))
        if actions is None:
            return "Missing required field Action"
        for action in _as_list(actions):
            if not isinstance(action, str) or not (action == "*" or action.lower().startswith("s3:")):
                return "Policy has invalid action"
        resources = statement.get("Resource", statement.get("NotResource"))
        if resources is None:
            return "Missing required field Resource"
        for resource in _as_list(resources):
            if not isinstance(resource, str) or not (
                    resource == f"arn:aws:s3:::{bucket}"
                    or resource.startswith(f"arn:aws:s3:::{bucket}/")):
                return "Policy has invalid resource"
    return None


def policy_is_public(text):
    """A policy granting to everyone without conditions (what BlockPublicPolicy refuses)."""
    try:
        statements = _as_list(json.loads(text).get("Statement", []))
    except (ValueError, AttributeError):
        return False
    return any(isinstance(s, dict) and s.get("Effect") == "Allow" and not s.get("Condition")
               and _principal_matches(s.get("Principal"), "\0") for s in statements)


# ----------------------------------------------------------------------------- state

class S3Object:
    def __init__(self, body, content_type="binary/octet-stream", modified=None):
        self.body = body
        self.content_type = content_type
        self.etag = '"' + hashlib.md5(body).hexdigest() + '"'
        self.modified = modified if modified is not None else time.time()


class Bucket:
    def __init__(self, name, account, region, created=None):
        self.name = name
        self.account = account
        self.region = region
        self.created = created if created is not None else time.time()
        self.policy = None
        self.public_access_block = None     # dict of PAB_FIELDS → bool, or None
        self.objects = {}


class S3State:
    """All buckets (one namespace for all accounts), from accounts.json's aws_state."""

    def __init__(self, fixtures):
        self.lock = threading.RLock()
        self.buckets = {}
        for name, spec in fixtures.get("buckets", {}).items():
            bucket = Bucket(name, spec["account"], spec["region"],
                            time.time() - spec.get("age_days", 30) * 86400)
            if spec.get("policy") is not None:
                bucket.policy = json.dumps(spec["policy"])
            if spec.get("public_access_block"):
                bucket.public_access_block = {field: True for field in PAB_FIELDS}
            for key, body in spec.get("objects", {}).items():
                bucket.objects[key] = S3Object(body.encode("utf-8"), modified=bucket.created)
            self.buckets[name] = bucket

    def get(self, name):
        with self.lock:
            return self.buckets.get(name)

    def put_object(self, name, key, body, content_type="binary/octet-stream"):
        with self.lock:
            bucket = self.buckets.get(name)
            if bucket is not None:
                bucket.objects[key] = S3Object(body, content_type)
            return bucket is not None


# -------------------------------------------------------------------------- protocol

class RestXmlProtocol:
    """S3's REST-XML: the operation from method, path and sub-resource; <Error> bodies."""

    content_type = "application/xml"
    AUTH_ERRORS = {
        "missing": (403, "AccessDenied", "Access Denied"),
        "incomplete": (400, "AuthorizationHeaderMalformed", None),
        "unknown_key": (403, "InvalidAccessKeyId",
                        "The AWS Access Key Id you provided does not exist in our records."),
        "bad_token": (400, "InvalidToken", "The provided token is malformed or otherwise invalid."),
        "expired": (400, "ExpiredToken", "The provided token has expired."),
        "signature": (403, "SignatureDoesNotMatch",
                      "The request signature we calculated does not match the signature you "
                      "provided. Check your key and signing method."),
        "time": (403, "RequestTimeTooSkewed",
                 "The difference between the request time and the current time is too large."),
    }

    def new_request_id(self):
        return secrets.token_hex(8).upper()

    def id_headers(self, request_id):
        host_id = base64.b64encode(hashlib.sha384(request_id.encode()).digest()).decode()
        return [("x-amz-request-id", request_id), ("x-amz-id-2", host_id)]

    def auth_answer(self, err, call):
        status, code, message = self.AUTH_ERRORS[err.kind]
        fields = {}
        if err.kind == "incomplete":
            if "X-Amz-Date" in err.message:
                status, code, message = 403, "AccessDenied", \
                    "AWS authentication requires a valid Date or x-amz-date header"
            else:
                message = "The authorization header is malformed; " + err.message
        elif err.kind == "unknown_key":
            fields["AWSAccessKeyId"] = call.auth["access_key"] if call.auth else ""
        elif err.kind == "signature":
            fields = dict(err.fields)
        elif err.kind == "time":
            fields = {"RequestTime": call.amz_date or "",
                      "ServerTime": iso_ms(call.emulator.clock.now(call.operation)),
                      "MaxAllowedSkewMilliseconds": "900000"}
        return status, code, message, fields

    def params(self, request):
        return dict(parse_qsl(request.query, keep_blank_values=True))

    def operation(self, request, params):
        bucket, key = split_path(request.path)
        return s3_operation(request.method, bucket, key, params)

    def error(self, status, code, message, request_id, fields=None):
        extra = "".join(f"<{name}>{escape(str(value))}</{name}>"
                        for name, value in (fields or {}).items())
        host_id = self.id_headers(request_id)[1][1]
        body = (f"{XML_DECL}<Error><Code>{escape(code)}</Code><Message>{escape(message)}"
                f"</Message>{extra}<RequestId>{request_id}</RequestId><HostId>{host_id}"
                f"</HostId></Error>")
        return Response(status, body, self.content_type)


def split_path(path):
    """'/bucket/some%20key' → ('bucket', 'some key'); '/' → ('', '')."""
    bucket, _, key = path.lstrip("/").partition("/")
    return unquote(bucket), unquote(key)


BUCKET_SUBRESOURCES = {
    ("PUT", None): "CreateBucket",
    ("PUT", "policy"): "PutBucketPolicy",
    ("PUT", "publicAccessBlock"): "PutPublicAccessBlock",
    ("GET", "policy"): "GetBucketPolicy",
    ("GET", "publicAccessBlock"): "GetPublicAccessBlock",
    ("GET", "location"): "GetBucketLocation",
    ("GET", "list-type"): "ListObjectsV2",
    ("DELETE", None): "DeleteBucket",
    ("DELETE", "policy"): "DeleteBucketPolicy",
    ("DELETE", "publicAccessBlock"): "DeletePublicAccessBlock",
    ("HEAD", None): "HeadBucket",
}
KNOWN_QUERY = {"prefix", "delimiter", "max-keys", "continuation-token", "start-after",
               "encoding-type", "fetch-owner", "x-id"}


def s3_operation(method, bucket, key, params):
    if not bucket:
        return "ListBuckets" if method == "GET" else ""
    if key:
        return {"PUT": "PutObject", "GET": "GetObject", "HEAD": "HeadObject",
                "DELETE": "DeleteObject"}.get(method, "")
    subresources = [name for name in params if name not in KNOWN_QUERY]
    if len(subresources) > 1:
        return ""
    sub = subresources[0] if subresources else None
    if sub == "list-type" and params.get("list-type") != "2":
        return ""
    return BUCKET_SUBRESOURCES.get((method, sub), "")


# --------------------------------------------------------------------------- service

def xml_response(status, inner, headers=None):
    return Response(status, XML_DECL + inner, "application/xml", headers)


def no_such_bucket(name):
    return AwsError("NoSuchBucket", "The specified bucket does not exist", 404,
                    fields={"BucketName": name})


def local_name(element):
    return element.tag.rpartition("}")[2]


def parse_xml(body, root_name):
    """The children (local name → text) of a small configuration document, or MalformedXML."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        root = None
    if root is None or local_name(root) != root_name:
        raise AwsError("MalformedXML", "The XML you provided was not well-formed or did not "
                                       "validate against our published schema")
    return {local_name(child): (child.text or "").strip() for child in root}


class S3(Service):
    name = "s3"
    protocol = RestXmlProtocol()

    def new_state(self, emulator):
        return S3State(emulator.accounts.data.get("aws_state", {}))

    # ------------------------------------------------------------- front-end checks

    def payload_hash(self, call):
        value = call.request.header("x-amz-content-sha256")
        if value is None:
            raise AwsError("InvalidRequest",
                           "Missing required header for this request: x-amz-content-sha256")
        if value.startswith("STREAMING-"):
            raise AwsError("NotImplemented", "A header you provided implies functionality "
                                             "that is not implemented", 501,
                           fields={"Header": "x-amz-content-sha256"})
        if value != UNSIGNED_PAYLOAD and not _HEX64.fullmatch(value):
            raise AwsError("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                                              "or a valid sha256 value.",
                           fields={"ArgumentName": "x-amz-content-sha256",
                                   "ArgumentValue": value})
        return value

    def after_signature(self, call):
        request = call.request
        signed = set(call.auth["signed_headers"])
        unsigned = sorted({name.lower() for name, _ in request.headers
                           if name.lower().startswith("x-amz-") and name.lower() not in signed})
        if unsigned:
            raise AwsError("AccessDenied", "There were headers present in the request which "
                                           "were not signed", 403,
                           fields={"HeadersNotSigned": ", ".join(unsigned)})
        claimed = request.header("x-amz-content-sha256")
        computed = hashlib.sha256(request.body).hexdigest()
        if claimed != UNSIGNED_PAYLOAD and claimed != computed:
            raise AwsError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' "
                                                        "header does not match what was computed.",
                           fields={"ClientComputedContentSHA256": claimed,
                                   "S3ComputedContentSHA256": computed})
        md5 = request.header("Content-MD5")
        if md5 is not None:
            try:
                digest = base64.b64decode(md5, validate=True)
            except (binascii.Error, ValueError):
                digest = b""
            if len(digest) != 16:
                raise AwsError("InvalidDigest", "The Content-MD5 you specified was invalid.",
                               fields={"Content-MD5": md5})
            actual = hashlib.md5(request.body).digest()
            if digest != actual:
                raise AwsError("BadDigest", "The Content-MD5 you specified did not match what "
                                            "we received.",
                               fields={"ExpectedDigest": digest.hex(),
                                       "CalculatedDigest": base64.b64encode(actual).decode()})

    def require_checksum(self, call):
        """PutBucketPolicy and PutPublicAccessBlock are requestChecksumRequired (§5.1)."""
        headers = {name.lower() for name, _ in call.request.headers}
        if "content-md5" not in headers and not any(
                name.startswith("x-amz-checksum-") for name in headers):
            raise AwsError("InvalidRequest",
                           "Missing required header for this request: Content-MD5")

    def finish(self, call, response):
        # HEAD answers have no body, errors included (§5.3): the status is all there is.
        if call.request.method == "HEAD" and response.status >= 300:
            response.body = b""

    def dispatch(self, call):
        handler = self.OPERATIONS.get(call.action)
        if handler is None:
            return call.error(AwsError("NotImplemented", "A header you provided implies "
                                                         "functionality that is not implemented",
                                       501))
        required = f"s3:{call.action}"
        try:
            if required in call.identity.get("deny", []):
                raise self.access_denied(call, required)
            return handler(self, call)
        except AwsError as err:
            return call.error(err)

    def access_denied(self, call, required):
        bucket, key = split_path(call.request.path)
        resource = f"arn:aws:s3:::{bucket}" + (f"/{key}" if key else "")
        return AwsError("AccessDenied", f"User: {call.identity['arn']} is not authorized to "
                                        f"perform: {required} on resource: \"{resource}\" because "
                                        f"no identity-based policy allows the {required} action",
                        403)

    def throttling_error(self):
        return AwsError("SlowDown", "Please reduce your request rate.", 503)

    def server_error(self, status):
        if status == 500:
            return AwsError("InternalError", "We encountered an internal error. Please try "
                                             "again.", 500)
        return AwsError("ServiceUnavailable", "Please reduce your request rate.", 503)

    # ------------------------------------------------------------------- helpers

    def own_bucket(self, call, region_free=False):
        """The request's bucket, checked: exists (404), right region (301), owned (403)."""
        name, _ = split_path(call.request.path)
        bucket = self.state(call.emulator).get(name)
        if bucket is None:
            raise no_such_bucket(name)
        if not region_free and bucket.region != call.region:
            raise AwsError("PermanentRedirect",
                           "The bucket you are attempting to access must be addressed using the "
                           "specified endpoint. Please send all future requests to this endpoint.",
                           301, fields={"Endpoint": f"{name}.s3.{bucket.region}.amazonaws.com",
                                        "Bucket": name})
        if bucket.account != call.account:
            raise AwsError("AccessDenied", "Access Denied", 403)
        return bucket

    def error_with_region(self, call, err, bucket_name):
        """S3 tells the bucket's region on HeadBucket answers, "regardless of permissions"."""
        response = call.error(err)
        bucket = self.state(call.emulator).get(bucket_name)
        if bucket is not None:
            response.headers.append(("x-amz-bucket-region", bucket.region))
        return response

    # -------------------------------------------------------------------- buckets

    def create_bucket(self, call):
        name, _ = split_path(call.request.path)
        if bucket_name_problem(name, call.account):
            raise AwsError("InvalidBucketName", "The specified bucket is not valid.",
                           fields={"BucketName": name})
        constraint = None
        if call.request.body.strip():
            config = parse_xml(call.request.body, "CreateBucketConfiguration")
            constraint = config.get("LocationConstraint") or None
        region = call.region
        if constraint == "EU":
            constraint = "eu-west-1"
        if constraint is not None and constraint not in REGIONS:
            raise AwsError("InvalidLocationConstraint",
                           "The specified location-constraint is not valid",
                           fields={"LocationConstraint": constraint})
        if region == "us-east-1":
            # us-east-1 takes no constraint naming itself; it still creates buckets in the
            # region another constraint names (as the global endpoint does).
            if constraint == "us-east-1":
                raise AwsError("InvalidLocationConstraint",
                               "The specified location-constraint is not valid",
                               fields={"LocationConstraint": constraint})
            target = constraint or "us-east-1"
        else:
            if constraint != region:
                shown = constraint or "unspecified"
                raise AwsError("IllegalLocationConstraintException",
                               f"The {shown} location constraint is incompatible for the region "
                               f"specific endpoint this request was sent to.")
            target = region
        state = self.state(call.emulator)
        headers = [("Location", f"/{name}"), ("x-amz-bucket-arn", f"arn:aws:s3:::{name}")]
        with state.lock:
            existing = state.buckets.get(name)
            if existing is not None:
                if existing.account != call.account:
                    raise AwsError("BucketAlreadyExists",
                                   "The requested bucket name is not available. The bucket "
                                   "namespace is shared by all users of the system. Please "
                                   "select a different name and try again.", 409,
                                   fields={"BucketName": name})
                if existing.region == "us-east-1" and target == "us-east-1":
                    # us-east-1 answers 200 to its owner again (§5.2).
                    return Response(200, b"", headers=headers)
                raise AwsError("BucketAlreadyOwnedByYou",
                               "Your previous request to create the named bucket succeeded and "
                               "you already own it.", 409, fields={"BucketName": name})
            bucket = Bucket(name, call.account, target)
            # Since April 2023 a new bucket blocks public access (§5.2).
            bucket.public_access_block = {field: True for field in PAB_FIELDS}
            state.buckets[name] = bucket
        call.emulator.stats.creation("s3:bucket")
        return Response(200, b"", headers=headers)

    def head_bucket(self, call):
        name, _ = split_path(call.request.path)
        try:
            bucket = self.own_bucket(call)
        except AwsError as err:
            return self.error_with_region(call, err, name)
        return Response(200, b"", headers=[("x-amz-bucket-region", bucket.region),
                                           ("x-amz-access-point-alias", "false"),
                                           ("x-amz-bucket-arn", f"arn:aws:s3:::{name}")])

    def get_bucket_location(self, call):
        bucket = self.own_bucket(call, region_free=True)
        # us-east-1 is an empty constraint (§5.3).
        value = "" if bucket.region == "us-east-1" else bucket.region
        return xml_response(200, f'<LocationConstraint xmlns="{XMLNS}">{value}'
                                 f"</LocationConstraint>")

    def delete_bucket(self, call):
        bucket = self.own_bucket(call)
        state = self.state(call.emulator)
        with state.lock:
            if bucket.objects:
                raise AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty",
                               409, fields={"BucketName": bucket.name})
            state.buckets.pop(bucket.name, None)
        return Response(204)

    def list_buckets(self, call):
        state = self.state(call.emulator)
        with state.lock:
            mine = sorted((b for b in state.buckets.values() if b.account == call.account),
                          key=lambda b: b.name)
            items = "".join(f"<Bucket><Name>{escape(b.name)}</Name><CreationDate>"
                            f"{iso_ms(b.created)}</CreationDate><BucketRegion>{b.region}"
                            f"</BucketRegion></Bucket>" for b in mine)
        return xml_response(200, f'<ListAllMyBucketsResult xmlns="{XMLNS}"><Owner><ID>'
                                 f"{hashlib.sha256(call.account.encode()).hexdigest()}</ID>"
                                 f"</Owner><Buckets>{items}</Buckets></ListAllMyBucketsResult>")

    # ------------------------------------------------------------ bucket policy

    def get_bucket_policy(self, call):
        bucket = self.own_bucket(call)
        if bucket.policy is None:
            raise AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", 404,
                           fields={"BucketName": bucket.name})
        return Response(200, bucket.policy, "application/json")

    def put_bucket_policy(self, call):
        bucket = self.own_bucket(call)
        self.require_checksum(call)
        text = call.request.body.decode("utf-8", "replace")
        problem = policy_problem(text, bucket.name)
        if problem:
            raise AwsError("MalformedPolicy", problem)
        pab = bucket.public_access_block or {}
        if pab.get("BlockPublicPolicy") and policy_is_public(text):
            raise AwsError("AccessDenied", f"User: {call.identity['arn']} is not authorized to "
                                           f"perform: s3:PutBucketPolicy on resource: "
                                           f"\"arn:aws:s3:::{bucket.name}\" because public "
                                           f"policies are blocked by the BlockPublicPolicy block "
                                           f"public access setting.", 403)
        bucket.policy = text
        return Response(204)

    def delete_bucket_policy(self, call):
        bucket = self.own_bucket(call)
        bucket.policy = None
        return Response(204)

    # ------------------------------------------------------- public access block

    def put_public_access_block(self, call):
        bucket = self.own_bucket(call)
        self.require_checksum(call)
        config = parse_xml(call.request.body, "PublicAccessBlockConfiguration")
        values = {}
        for field in PAB_FIELDS:
            text = config.get(field, "false").lower()
            if text not in ("true", "false"):
                raise AwsError("MalformedXML", "The XML you provided was not well-formed or "
                                               "did not validate against our published schema")
            values[field] = text == "true"
        bucket.public_access_block = values
        return Response(200)

    def get_public_access_block(self, call):
        bucket = self.own_bucket(call)
        if bucket.public_access_block is None:
            raise AwsError("NoSuchPublicAccessBlockConfiguration",
                           "The public access block configuration was not found", 404,
                           fields={"BucketName": bucket.name})
        inner = "".join(f"<{field}>{'true' if bucket.public_access_block[field] else 'false'}"
                        f"</{field}>" for field in PAB_FIELDS)
        return xml_response(200, f'<PublicAccessBlockConfiguration xmlns="{XMLNS}">{inner}'
                                 f"</PublicAccessBlockConfiguration>")

    def delete_public_access_block(self, call):
        bucket = self.own_bucket(call)
        bucket.public_access_block = None
        return Response(204)

    # ------------------------------------------------------------------ listing

    def list_objects_v2(self, call):
        bucket = self.own_bucket(call)
        params = call.params
        prefix = params.get("prefix", "")
        delimiter = params.get("delimiter", "")
        start_after = params.get("start-after", "")
        try:
            max_keys = int(params.get("max-keys", "1000"))
            if max_keys < 0:
                raise ValueError
        except ValueError:
            raise AwsError("InvalidArgument", "Provided max-keys not an integer or within "
                                              "integer range",
                           fields={"ArgumentName": "max-keys",
                                   "ArgumentValue": params.get("max-keys")})
        max_keys = min(max_keys, 1000)
        token = params.get("continuation-token")
        after = start_after
        if token is not None:
            try:
                after = base64.urlsafe_b64decode(token.encode()).decode("utf-8")
                if not after.startswith("k:"):
                    raise ValueError
                after = after[2:]
            except (ValueError, binascii.Error, UnicodeDecodeError):
                raise AwsError("InvalidArgument", "The continuation token provided is incorrect",
                               fields={"ArgumentName": "continuation-token"})
        with self.state(call.emulator).lock:
            objects = dict(bucket.objects)
        # Keys and common prefixes, in key order, each counted once against max-keys.
        entries = []
        for key in sorted(objects):
            if not key.startswith(prefix) or key <= after:
                continue
            if delimiter:
                cut = key.find(delimiter, len(prefix))
                if cut >= 0:
                    common = key[: cut + len(delimiter)]
                    if common <= after:
                        continue
                    if not entries or entries[-1] != ("prefix", common):
                        entries.append(("prefix", common))
                    continue
            entries.append(("key", key))
        page, rest = entries[:max_keys], entries[max_keys:]
        url = params.get("encoding-type") == "url"

        def enc(text):
            return escape(quote(text, safe="/") if url else text)

        parts = [f'<ListBucketResult xmlns="{XMLNS}"><Name>{escape(bucket.name)}</Name>'
                 f"<Prefix>{enc(prefix)}</Prefix>"]
        if token is not None:
            parts.append(f"<ContinuationToken>{escape(token)}</ContinuationToken>")
        if start_after:
            parts.append(f"<StartAfter>{enc(start_after)}</StartAfter>")
        parts.append(f"<KeyCount>{len(page)}</KeyCount><MaxKeys>{max_keys}</MaxKeys>")
        if delimiter:
            parts.append(f"<Delimiter>{enc(delimiter)}</Delimiter>")
        if url:
            parts.append("<EncodingType>url</EncodingType>")
        parts.append(f"<IsTruncated>{'true' if rest else 'false'}</IsTruncated>")
        if rest:
            next_token = base64.urlsafe_b64encode(("k:" + page[-1][1]).encode()).decode()
            parts.append(f"<NextContinuationToken>{next_token}</NextContinuationToken>")
        for kind, name in page:
            if kind == "key":
                obj = objects[name]
                parts.append(f"<Contents><Key>{enc(name)}</Key><LastModified>"
                             f"{iso_ms(obj.modified)}</LastModified><ETag>{escape(obj.etag)}"
                             f"</ETag><Size>{len(obj.body)}</Size><StorageClass>STANDARD"
                             f"</StorageClass></Contents>")
            else:
                parts.append(f"<CommonPrefixes><Prefix>{enc(name)}</Prefix></CommonPrefixes>")
        parts.append("</ListBucketResult>")
        return xml_response(200, "".join(parts))

    # ------------------------------------------------------------------ objects

    def object_of(self, call):
        bucket = self.own_bucket(call)
        _, key = split_path(call.request.path)
        with self.state(call.emulator).lock:
            obj = bucket.objects.get(key)
        if obj is None:
            raise AwsError("NoSuchKey", "The specified key does not exist.", 404,
                           fields={"Key": key})
        return obj

    def object_response(self, call, obj):
        return Response(200, obj.body, obj.content_type,
                        [("ETag", obj.etag), ("Accept-Ranges", "bytes"),
                         ("Last-Modified", time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                                                         time.gmtime(obj.modified)))])

    def get_object(self, call):
        return self.object_response(call, self.object_of(call))

    def head_object(self, call):
        return self.object_response(call, self.object_of(call))

    def put_object(self, call):
        bucket = self.own_bucket(call)
        _, key = split_path(call.request.path)
        if len(key.encode("utf-8")) > 1024:
            raise AwsError("KeyTooLongError", "Your key is too long")
        obj = S3Object(call.request.body,
                       call.request.header("Content-Type") or "binary/octet-stream")
        with self.state(call.emulator).lock:
            bucket.objects[key] = obj
        return Response(200, b"", headers=[("ETag", obj.etag)])

    def delete_object(self, call):
        bucket = self.own_bucket(call)
        _, key = split_path(call.request.path)
        with self.state(call.emulator).lock:
            bucket.objects.pop(key, None)
        return Response(204)

    OPERATIONS = {
        "CreateBucket": create_bucket,
        "HeadBucket": head_bucket,
        "GetBucketLocation": get_bucket_location,
        "DeleteBucket": delete_bucket,
        "ListBuckets": list_buckets,
        "GetBucketPolicy": get_bucket_policy,
        "PutBucketPolicy": put_bucket_policy,
        "DeleteBucketPolicy": delete_bucket_policy,
        "PutPublicAccessBlock": put_public_access_block,
        "GetPublicAccessBlock": get_public_access_block,
        "DeletePublicAccessBlock": delete_public_access_block,
        "ListObjectsV2": list_objects_v2,
        "GetObject": get_object,
        "HeadObject": head_object,
        "PutObject": put_object,
        "DeleteObject": delete_object,
    }


_SERVICE = S3()


def bucket_state(emulator):
    """The buckets of @emulator, for the services that check or write into them."""
    return _SERVICE.state(emulator)
