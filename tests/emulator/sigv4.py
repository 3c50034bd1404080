"""AWS Signature Version 4, written from AWS's description of the algorithm.

The emulator uses it to *verify* requests (recomputing the signature from the
raw request line, the headers named in SignedHeaders and the body), and
test_emulator.py uses it to *sign* requests. Both directions share the
canonicalisation code below, so the tests anchor it to AWS's own test vectors
(aws-sig-v4-test-suite) rather than only to each other.
"""

import datetime
import hashlib
import hmac
import re
from urllib.parse import quote, unquote

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"

_SPACES = re.compile(r"\s+")


def uri_encode(value, safe=""):
    """RFC 3986 encoding: unreserved A-Za-z0-9-._~ kept, the rest %XX (upper hex, UTF-8)."""
    return quote(value, safe="-_.~" + safe)


def normalize_path(path):
    """Removes '.' and '..' segments and collapses '//' (non-S3 services only)."""
    segments = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    result = "/" + "/".join(segments)
    if path.endswith("/") and result != "/":
        result += "/"
    return result


def canonical_uri(wire_path, s3=False):
    """The canonical URI from the path as it was sent on the wire (already encoded once)."""
    if not wire_path:
        return "/"
    if s3:
        # S3 encodes the key once and never normalises it.
        return uri_encode(unquote(wire_path), safe="/")
    # Other services encode each segment of the (normalised) wire path again.
    return uri_encode(normalize_path(wire_path), safe="/")


def canonical_query(wire_query):
    pairs = []
    for item in wire_query.split("&") if wire_query else []:
        if not item:
            continue
        name, _, value = item.partition("=")
        pairs.append((uri_encode(unquote(name)), uri_encode(unquote(value))))
    pairs.sort()
    return "&".join(f"{name}={value}" for name, value in pairs)


def _header_value(value):
    return _SPACES.sub(" ", value.strip())


def canonical_headers(headers, signed_names):
    """@headers: (name, value) pairs in wire order; @signed_names: lower-case names."""
    values = {}
    for name, value in headers:
        values.setdefault(name.lower(), []).append(_header_value(value))
    return "".join(f"{name}:{','.join(values.get(name, []))}\n" for name in signed_names)


def canonical_request(method, wire_path, wire_query, headers, signed_names, payload_hash,
                      s3=False):
    return "\n".join([
        method,
        canonical_uri(wire_path, s3),
        canonical_query(wire_query),
        canonical_headers(headers, signed_names),
        ";".join(signed_names),
        payload_hash,
    ])


def string_to_sign(amz_date, scope, creq):
    return "\n".join([ALGORITHM, amz_date, scope,
                      hashlib.sha256(creq.encode("utf-8")).hexdigest()])


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret, date, region, service):
    key = _hmac(("AWS4" + secret).encode("utf-8"), date)
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, "aws4_request")


def signature(secret, date, region, service, sts):
    key = signing_key(secret, date, region, service)
    return hmac.new(key, sts.encode("utf-8"), hashlib.sha256).hexdigest()


def split_target(target):
    """'/a/b?x=1' → ('/a/b', 'x=1'); accepts the absolute form too."""
    if "://" in target:
        target = "/" + target.split("://", 1)[1].partition("/")[2]
    path, _, query = target.partition("?")
    return path, query


class AuthorizationError(ValueError):
    pass


def parse_authorization(value):
    """Parses an 'AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…' header.

    Returns a dict with access_key, date, region, service, scope, signed_headers (list)
    and signature; raises AuthorizationError with AWS's IncompleteSignature wording.
    """
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise AuthorizationError(
            f"Unsupported AWS 'algorithm': '{algorithm}'. "
            "Supported algorithms: 'AWS4-HMAC-SHA256'.")
    fields = {}
    for part in rest.split(","):
        name, sep, field = part.strip().partition("=")
        if sep:
            fields[name] = field
    for required in ("Credential", "SignedHeaders", "Signature"):
        if required not in fields:
            raise AuthorizationError(
                f"Authorization header requires '{required}' parameter. "
                f"Authorization={value.split(' ')[0]} ...")
    credential = fields["Credential"].split("/")
    if len(credential) != 5 or credential[4] != "aws4_request":
        raise AuthorizationError(
            "Credential should be scoped to correct service and terminated by 'aws4_request'.")
    return {
        "access_key": credential[0],
        "date": credential[1],
        "region": credential[2],
        "service": credential[3],
        "scope": "/".join(credential[1:]),
        "signed_headers": fields["SignedHeaders"].split(";"),
        "signature": fields["Signature"],
    }


def service_of_authorization(value):
    """The credential scope's service name, or None when the header cannot be parsed."""
    try:
        return parse_authorization(value)["service"]
    except AuthorizationError:
        return None


def amz_date(when):
    return when.astimezone(datetime.timezone.utc).strftime(AMZ_DATE_FORMAT)


def parse_amz_date(text):
    try:
        return datetime.datetime.strptime(text, AMZ_DATE_FORMAT).replace(
            tzinfo=datetime.timezone.utc)
    except (TypeError, ValueError):
        return None


def sign(method, target, headers, body, access_key, secret, region, service,
         when=None, session_token=None, s3=False, payload_hash=None):
    """Client side: returns @headers plus X-Amz-Date, the token and Authorization.

    Every header passed in is signed (as botocore does for these protocols). S3 adds
    X-Amz-Content-SHA256: the body's hash, or @payload_hash (UNSIGNED-PAYLOAD).
    """
    when = when or datetime.datetime.now(datetime.timezone.utc)
    stamp = amz_date(when)
    headers = list(headers) + [("X-Amz-Date", stamp)]
    if session_token:
        headers.append(("X-Amz-Security-Token", session_token))
    payload_hash = payload_hash or hashlib.sha256(body or b"").hexdigest()
    if s3:
        headers.append(("X-Amz-Content-SHA256", payload_hash))
    signed_names = sorted({name.lower() for name, _ in headers})
    path, query = split_target(target)
    creq = canonical_request(method, path, query, headers, signed_names, payload_hash, s3)
    scope = f"{stamp[:8]}/{region}/{service}/aws4_request"
    sig = signature(secret, stamp[:8], region, service, string_to_sign(stamp, scope, creq))
    headers.append(("Authorization",
                    f"{ALGORITHM} Credential={access_key}/{scope}, "
                    f"SignedHeaders={';'.join(signed_names)}, Signature={sig}"))
    return headers
