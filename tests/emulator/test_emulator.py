#!/usr/bin/env python3
"""Tests of the emulator: wire formats, signature checks, the Stompy API, faults.

Starts stompy-emulator.py in a subprocess and talks to it with http.client.
Requests are signed with sigv4.py, which is first checked against AWS's own
test vectors, so that the signer and the verifier are anchored to AWS rather
than only to each other.
"""

import sys

sys.dont_write_bytecode = True

import base64
import datetime
import email.utils
import hashlib
import http.client
import json
import os
import select
import signal
import socket
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import sigv4  # noqa: E402

EMULATOR = os.path.join(HERE, "stompy-emulator.py")
with open(os.path.join(HERE, "accounts.json"), encoding="utf-8") as _f:
    FIXTURES = json.load(_f)
KEYS = FIXTURES["aws"]
STS_NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"
ORG_TARGET = "AWSOrganizationsV20161128.DescribeOrganization"
MGMT = "AKIAEMULATORMGMT0001"
MEMBER = "AKIAEMULATORMEMBER01"
SOLO = "AKIAEMULATORSOLO0001"
MGMT_ACCOUNT = "210987654321"
S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
CFN_NS = "{http://cloudformation.amazonaws.com/doc/2010-05-15/}"
CUR_PREFIX = "AWSOrigamiServiceGatewayService"
DX_PREFIX = "AWSBillingAndCostManagementDataExports"
ADMIN = ("ops@example.com", "correct horse battery staple")
VIEWER = ("viewer@example.com", "viewer password 1")


def suite_dir():
    configured = os.environ.get("STOMPY_SIGV4_SUITE")
    if configured:
        return configured
    return os.path.join(HERE, "..", "..", "..", "shared", "testdata", "aws-sig-v4-test-suite")


def start_emulator(*extra):
    proc = subprocess.Popen([sys.executable, EMULATOR, "--port", "0", *extra],
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    ready, _, _ = select.select([proc.stdout], [], [], 10)
    if not ready:
        proc.kill()
        raise RuntimeError("the emulator did not start within 10 s")
    line = proc.stdout.readline().decode()
    if not line.startswith("STOMPY_EMULATOR_URL=http://127.0.0.1:"):
        proc.kill()
        raise RuntimeError(f"unexpected first line {line!r}")
    port = int(line.strip().rsplit(":", 1)[1])
    return proc, port


PROC = PORT = None


def setUpModule():
    global PROC, PORT
    PROC, PORT = start_emulator("--delays", "zero")


def tearDownModule():
    PROC.send_signal(signal.SIGTERM)
    PROC.wait(10)


class Reply:
    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()

    def json(self):
        return json.loads(self.body)

    def xml(self):
        return ET.fromstring(self.body)


class EmulatorTest(unittest.TestCase):
    def setUp(self):
        self.conns = []
        self.control("reset")

    def tearDown(self):
        for conn in self.conns:
            conn.close()

    def connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        self.conns.append(conn)
        return conn

    def raw(self, method, target, body=b"", headers=(), conn=None):
        conn = conn or self.connection()
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        names = {name.lower() for name, _ in headers}
        if "host" not in names:
            conn.putheader("Host", f"127.0.0.1:{PORT}")
        for name, value in headers:
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        return Reply(conn.getresponse())

    # ----------------------------------------------------------------- control

    def control(self, path, obj=None, method="POST"):
        body = json.dumps(obj).encode() if obj is not None else b""
        reply = self.raw(method, f"/_emulator/{path}", body,
                         [("Content-Type", "application/json")])
        self.assertEqual(reply.status, 200, reply.body)
        return reply.json()

    def fault(self, **fault):
        return self.control("faults", fault)

    def stats(self):
        return self.control("stats", method="GET")

    # --------------------------------------------------------------------- AWS

    def aws(self, key_id, service="sts", region="ap-southeast-1", body=None, target=None,
            secret=None, token=None, when=None, conn=None, extra_headers=()):
        key = KEYS.get(key_id, {})
        headers = [("Host", f"127.0.0.1:{PORT}")]
        if service in ("sts", "cloudformation"):
            body = body if body is not None else b"Action=GetCallerIdentity&Version=2011-06-15"
            headers.append(("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"))
        else:
            body = body if body is not None else b"{}"
            headers.append(("Content-Type", "application/x-amz-json-1.1"))
            headers.append(("X-Amz-Target", target or ORG_TARGET))
        headers += list(extra_headers)
        if token is None:
            token = key.get("session_token")
        signed = sigv4.sign("POST", "/", headers, body, key_id,
                            secret if secret is not None else key.get("secret", "x"),
                            region, service, when=when, session_token=token or None)
        return self.raw("POST", "/", body, signed, conn)

    def organizations(self, key_id, **kwargs):
        return self.aws(key_id, service="organizations", region="us-east-1", **kwargs)

    def assertQueryError(self, reply, status, code, message=None):
        self.assertEqual(reply.status, status, reply.body)
        root = reply.xml()
        self.assertEqual(root.tag, STS_NS + "ErrorResponse")
        self.assertEqual(root.find(STS_NS + "Error/" + STS_NS + "Code").text, code)
        self.assertEqual(root.find(STS_NS + "Error/" + STS_NS + "Type").text,
                         "Sender" if status < 500 else "Receiver")
        if message is not None:
            self.assertEqual(root.find(STS_NS + "Error/" + STS_NS + "Message").text, message)
        request_id = root.find(STS_NS + "RequestId").text
        self.assertEqual(request_id, reply.headers["x-amzn-RequestId"])
        return root

    def assertJsonError(self, reply, status, code, message=None):
        self.assertEqual(reply.status, status, reply.body)
        self.assertEqual(reply.headers["Content-Type"], "application/x-amz-json-1.1")
        body = reply.json()
        # Clients keep the text after '#' (aws-json protocol).
        self.assertEqual(body["__type"].rpartition("#")[2], code)
        if message is not None:
            self.assertEqual(body.get("Message", body.get("message")), message)
        self.assertTrue(reply.headers["x-amzn-RequestId"])
        return body

    # ------------------------------------------------------------- S3 and friends

    def s3(self, method, path, key_id=MGMT, region="ap-southeast-1", body=b"", headers=(),
           payload_hash=None, md5=False, sign_extra=True):
        key = KEYS[key_id]
        all_headers = [("Host", f"127.0.0.1:{PORT}")] + list(headers)
        if md5:
            all_headers.append(("Content-MD5",
                                base64.b64encode(hashlib.md5(body).digest()).decode()))
        signed = sigv4.sign(method, path, all_headers, body, key_id, key["secret"], region,
                            "s3", session_token=key.get("session_token"), s3=True,
                            payload_hash=payload_hash)
        return self.raw(method, path, body, signed)

    def assertS3Error(self, reply, status, code, message=None):
        self.assertEqual(reply.status, status, reply.body)
        self.assertTrue(reply.headers["x-amz-request-id"])
        self.assertTrue(reply.headers["x-amz-id-2"])
        root = reply.xml()
        self.assertEqual(root.tag, "Error")
        self.assertEqual(root.findtext("Code"), code)
        self.assertEqual(root.findtext("RequestId"), reply.headers["x-amz-request-id"])
        self.assertTrue(root.findtext("HostId"))
        if message is not None:
            self.assertEqual(root.findtext("Message"), message)
        return root

    def create_bucket(self, name, region="ap-southeast-1", key_id=MGMT, constraint=None):
        if constraint is None and region != "us-east-1":
            constraint = region
        body = b""
        if constraint:
            body = (f'<CreateBucketConfiguration xmlns="{S3_NS}"><LocationConstraint>'
                    f"{constraint}</LocationConstraint></CreateBucketConfiguration>").encode()
        return self.s3("PUT", f"/{name}", key_id, region, body)

    def put_policy(self, bucket, policy, region="ap-southeast-1", key_id=MGMT):
        body = json.dumps(policy).encode() if not isinstance(policy, bytes) else policy
        return self.s3("PUT", f"/{bucket}?policy", key_id, region, body, md5=True)

    def json_call(self, service, prefix, operation, obj, key_id=MGMT, region="us-east-1"):
        return self.aws(key_id, service=service, region=region, body=json.dumps(obj).encode(),
                        target=f"{prefix}.{operation}")

    def cur(self, operation, obj, key_id=MGMT, region="us-east-1"):
        return self.json_call("cur", CUR_PREFIX, operation, obj, key_id, region)

    def dx(self, operation, obj, key_id=MGMT):
        return self.json_call("bcm-data-exports", DX_PREFIX, operation, obj, key_id)

    def cfn(self, action, params=None, key_id=MEMBER, region="ap-southeast-1"):
        form = {"Action": action, "Version": "2010-05-15"}
        form.update(params or {})
        return self.aws(key_id, service="cloudformation", region=region,
                        body=urlencode(form).encode())

    def wait_for(self, predicate, timeout=10):
        """Polls @predicate until it returns a true value, failing after @timeout seconds."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                self.fail("condition not reached in time")
            time.sleep(0.05)

    # ------------------------------------------------------------------ Stompy

    def api(self, method, route, obj=None, token=None, headers=(), raw_body=None, conn=None):
        all_headers = []
        if not any(name == "Accept-Language" for name, _ in headers):
            all_headers.append(("Accept-Language", "en"))
        if token:
            all_headers.append(("Authorization", f"Bearer {token}"))
        body = b""
        if raw_body is not None:
            body = raw_body
            all_headers.append(("Content-Type", "application/json"))
        elif obj is not None:
            body = json.dumps(obj).encode()
            all_headers.append(("Content-Type", "application/json"))
        all_headers += list(headers)
        return self.raw(method, "/v1" + route, body, all_headers, conn)

    def sign_in(self, user=ADMIN):
        reply = self.api("POST", "/sessions", {"email": user[0], "password": user[1]})
        self.assertEqual(reply.status, 201, reply.body)
        return reply.json()["token"]

    def assertApiError(self, reply, status, code, message=None):
        self.assertEqual(reply.status, status, reply.body)
        self.assertEqual(reply.headers["Content-Type"], "application/json")
        error = reply.json()["error"]
        self.assertEqual(error["code"], code)
        self.assertRegex(error["request_id"], r"^req_[0-9a-f]+$")
        self.assertIsInstance(error["details"], dict)
        self.assertTrue(error["message"])
        if message is not None:
            self.assertEqual(error["message"], message)
        return error


def connect_body(account_id="345678901234", products=("analysaver", "spotainer"), **changes):
    body = {"account_id": account_id, "products": list(products)}
    if "analysaver" in products:
        body["analysaver"] = {
            "role_arn": f"arn:aws:iam::{account_id}:role/StompyAnalySaverRole",
            "cur": {"kind": "legacy", "report_name": "stompy-cur",
                    "bucket": f"stompy-cur-{account_id}", "prefix": "cur",
                    "region": "ap-southeast-1"}}
    if "spotainer" in products:
        body["spotainer"] = {"role_arn": f"arn:aws:iam::{account_id}:role/StompySpoTainerRole"}
    body.update(changes)
    return body


# =============================================================================== SigV4

class SigV4Vectors(unittest.TestCase):
    """The shared signer/verifier code against AWS's test suite."""

    CREDS = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    WHEN = datetime.datetime(2015, 8, 30, 12, 36, tzinfo=datetime.timezone.utc)

    def test_get_vanilla_known_signature(self):
        # Independent of the suite files: the signature AWS publishes for get-vanilla.
        headers = sigv4.sign("GET", "/", [("Host", "example.amazonaws.com")], b"",
                             *self.CREDS, "us-east-1", "service", when=self.WHEN)
        self.assertEqual(dict(headers)["Authorization"],
                         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                         "aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73"
                         "ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")

    def check_case(self, name):
        folder = os.path.join(suite_dir(), name)
        if not os.path.isdir(folder):
            self.fail(f"AWS SigV4 test suite not found at {folder} (set STOMPY_SIGV4_SUITE)")
        base = os.path.join(folder, os.path.basename(name))

        def read(ext):
            with open(base + ext, encoding="utf-8") as f:
                return f.read()

        head, _, body = read(".req").partition("\n\n")
        lines = head.split("\n")
        method, target, _ = lines[0].split(" ")
        headers = [tuple(line.split(":", 1)) for line in lines[1:]]
        # .req files show paths unencoded and .creq encodes them once: passing the
        # unencoded path as the wire path gives exactly that single encoding.
        path, _, query = target.partition("?")
        authz = sigv4.parse_authorization(read(".authz"))
        creq = sigv4.canonical_request(method, path, query, headers, authz["signed_headers"],
                                       sigv4.hashlib.sha256(body.encode()).hexdigest())
        self.assertEqual(creq, read(".creq"))
        sts = sigv4.string_to_sign("20150830T123600Z", authz["scope"], creq)
        self.assertEqual(sts, read(".sts"))
        self.assertEqual(sigv4.signature(self.CREDS[1], "20150830", "us-east-1", "service", sts),
                         authz["signature"])

    def test_suite_get_vanilla(self):
        self.check_case("get-vanilla")

    def test_suite_query_order(self):
        self.check_case("get-vanilla-query-order-value")
        self.check_case("get-vanilla-query-order-key-case")

    def test_suite_header_trim_and_duplicates(self):
        self.check_case("get-header-value-trim")
        self.check_case("get-header-key-duplicate")

    def test_suite_form_post_and_utf8(self):
        self.check_case("post-x-www-form-urlencoded")
        self.check_case("get-utf8")

    def test_suite_session_token_signed(self):
        self.check_case("post-sts-token/post-sts-header-before")


# ================================================================================ STS

class Sts(EmulatorTest):
    def test_identity_of_every_key(self):
        for key_id, key in KEYS.items():
            if key.get("expired"):
                continue
            with self.subTest(key=key_id):
                reply = self.aws(key_id)
                self.assertEqual(reply.status, 200, reply.body)
                self.assertEqual(reply.headers["Content-Type"], "text/xml")
                root = reply.xml()
                self.assertEqual(root.tag, STS_NS + "GetCallerIdentityResponse")
                result = root.find(STS_NS + "GetCallerIdentityResult")
                self.assertEqual(result.find(STS_NS + "Arn").text, key["arn"])
                self.assertEqual(result.find(STS_NS + "UserId").text, key["user_id"])
                self.assertEqual(result.find(STS_NS + "Account").text, key["account"])
                request_id = root.find(f"{STS_NS}ResponseMetadata/{STS_NS}RequestId").text
                self.assertEqual(request_id, reply.headers["x-amzn-RequestId"])
                self.assertIsNotNone(email.utils.parsedate_to_datetime(reply.headers["Date"]))
        self.assertEqual(self.stats()["requests"]["sts:GetCallerIdentity"], len(KEYS) - 1)

    def test_get_with_query_string(self):
        key_id = "AKIAEMULATORSOLO0001"
        target = "/?Action=GetCallerIdentity&Version=2011-06-15"
        signed = sigv4.sign("GET", target, [("Host", f"127.0.0.1:{PORT}")], b"", key_id,
                            KEYS[key_id]["secret"], "us-east-1", "sts")
        reply = self.raw("GET", target, b"", signed)
        self.assertEqual(reply.status, 200, reply.body)

    def test_wrong_secret_is_signature_mismatch(self):
        reply = self.aws("AKIAEMULATORMGMT0001", secret="not-the-secret")
        self.assertQueryError(reply, 403, "SignatureDoesNotMatch")

    def test_tampered_body_is_signature_mismatch(self):
        key_id = "AKIAEMULATORMGMT0001"
        headers = sigv4.sign("POST", "/", [("Host", f"127.0.0.1:{PORT}")],
                             b"Action=GetCallerIdentity&Version=2011-06-15", key_id,
                             KEYS[key_id]["secret"], "us-east-1", "sts")
        reply = self.raw("POST", "/", b"Action=GetCallerIdentity&Version=2011-06-15&X=1",
                         headers)
        self.assertQueryError(reply, 403, "SignatureDoesNotMatch")

    def test_unknown_key_is_invalid_client_token_id(self):
        reply = self.aws("AKIAUNKNOWN000000000", secret="whatever")
        self.assertQueryError(reply, 403, "InvalidClientTokenId",
                              "The security token included in the request is invalid.")

    def test_missing_authorization(self):
        reply = self.raw("POST", "/", b"Action=GetCallerIdentity&Version=2011-06-15",
                         [("Content-Type", "application/x-www-form-urlencoded")])
        self.assertQueryError(reply, 403, "MissingAuthenticationToken")

    def test_expired_session_token(self):
        reply = self.aws("ASIAEMULATOREXPIRED1")
        self.assertQueryError(reply, 403, "ExpiredToken",
                              "The security token included in the request is expired")

    def test_temporary_key_without_token(self):
        reply = self.aws("ASIAEMULATORTEMP0001", token="")
        self.assertQueryError(reply, 403, "InvalidClientTokenId",
                              "The security token included in the request is invalid.")

    def test_temporary_key_with_wrong_token(self):
        reply = self.aws("ASIAEMULATORTEMP0001", token="EmulatorSessionToken/forged")
        self.assertQueryError(reply, 403, "InvalidClientTokenId")

    def test_old_signature_is_expired(self):
        when = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
        reply = self.aws("AKIAEMULATORMGMT0001", when=when)
        root = self.assertQueryError(reply, 403, "SignatureDoesNotMatch")
        self.assertTrue(root.find(f"{STS_NS}Error/{STS_NS}Message").text
                        .startswith("Signature expired: "))

    def test_signature_ten_minutes_off_is_accepted(self):
        when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=10)
        self.assertEqual(self.aws("AKIAEMULATORMGMT0001", when=when).status, 200)

    def test_unknown_action(self):
        reply = self.aws("AKIAEMULATORMGMT0001", body=b"Action=Frobnicate&Version=2011-06-15")
        self.assertQueryError(reply, 400, "InvalidAction",
                              "Could not find operation Frobnicate for version 2011-06-15")

    def test_wrong_or_missing_version(self):
        reply = self.aws("AKIAEMULATORMGMT0001", body=b"Action=GetCallerIdentity&Version=2010-01-01")
        self.assertQueryError(reply, 400, "InvalidAction")
        reply = self.aws("AKIAEMULATORMGMT0001", body=b"Action=GetCallerIdentity")
        self.assertQueryError(reply, 400, "InvalidAction",
                              "Could not find operation GetCallerIdentity for version "
                              "NO_VERSION_SPECIFIED")

    def test_throttle_twice_then_success(self):
        self.fault(target="sts:GetCallerIdentity", kind="throttle", count=2)
        for _ in range(2):
            self.assertQueryError(self.aws("AKIAEMULATORMGMT0001"), 400, "Throttling",
                                  "Rate exceeded")
        self.assertEqual(self.aws("AKIAEMULATORMGMT0001").status, 200)
        self.assertEqual(self.stats()["requests"]["sts:GetCallerIdentity"], 3)

    def test_fault_on_other_target_does_not_apply(self):
        self.fault(target="organizations:DescribeOrganization", kind="http500")
        self.assertEqual(self.aws("AKIAEMULATORMGMT0001").status, 200)

    def test_server_errors_and_expired_token_faults(self):
        self.fault(target="*", kind="http500")
        self.fault(target="sts:GetCallerIdentity", kind="http503")
        self.fault(target="sts:GetCallerIdentity", kind="expired_token")
        self.assertQueryError(self.aws("AKIAEMULATORMGMT0001"), 500, "InternalFailure")
        self.assertQueryError(self.aws("AKIAEMULATORMGMT0001"), 503, "ServiceUnavailable")
        self.assertQueryError(self.aws("AKIAEMULATORMGMT0001"), 403, "ExpiredToken")
        self.assertEqual(self.aws("AKIAEMULATORMGMT0001").status, 200)

    def test_clearing_faults_keeps_everything_else(self):
        self.fault(target="sts:GetCallerIdentity", kind="http500", count=100)
        self.fault(target="*", kind="skew", skew_seconds=3600)
        self.assertQueryError(self.aws("AKIAEMULATORMGMT0001"), 500, "InternalFailure")
        self.control("faults", method="DELETE")
        self.assertEqual(self.control("faults", method="GET"), {"queued": [], "skews": {}})
        self.assertEqual(self.aws("AKIAEMULATORMGMT0001").status, 200)
        # The stats (and the rest) are kept: both requests are counted.
        self.assertEqual(self.stats()["requests"]["sts:GetCallerIdentity"], 2)

    def test_reset_fault_closes_the_connection(self):
        self.fault(target="sts:GetCallerIdentity", kind="reset")
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.aws("AKIAEMULATORMGMT0001")
        self.assertEqual(self.aws("AKIAEMULATORMGMT0001").status, 200)

    def test_truncated_and_malformed_faults(self):
        self.fault(target="sts:GetCallerIdentity", kind="truncated")
        with self.assertRaises((http.client.IncompleteRead, ConnectionError)):
            self.aws("AKIAEMULATORMGMT0001")
        self.fault(target="sts:GetCallerIdentity", kind="malformed")
        reply = self.aws("AKIAEMULATORMGMT0001")
        self.assertEqual(reply.status, 200)
        with self.assertRaises(ET.ParseError):
            reply.xml()

    def test_delay_fault(self):
        self.fault(target="sts:GetCallerIdentity", kind="delay", delay_ms=300)
        started = time.monotonic()
        self.assertEqual(self.aws("AKIAEMULATORMGMT0001").status, 200)
        self.assertGreaterEqual(time.monotonic() - started, 0.3)

    def test_skew_requires_correction_from_date(self):
        self.fault(target="sts:GetCallerIdentity", kind="skew", skew_seconds=600)
        reply = self.aws("AKIAEMULATORMGMT0001")
        root = self.assertQueryError(reply, 403, "SignatureDoesNotMatch")
        self.assertIn("min.", root.find(f"{STS_NS}Error/{STS_NS}Message").text)
        server = email.utils.parsedate_to_datetime(reply.headers["Date"])
        offset = server - datetime.datetime.now(datetime.timezone.utc)
        self.assertAlmostEqual(offset.total_seconds(), 600, delta=5)
        # A client that signs with the server's clock gets through, again and again.
        for _ in range(2):
            when = datetime.datetime.now(datetime.timezone.utc) + offset
            self.assertEqual(self.aws("AKIAEMULATORMGMT0001", when=when).status, 200)
        self.control("reset")
        self.assertEqual(self.aws("AKIAEMULATORMGMT0001").status, 200)


# ====================================================================== Organizations

class Organizations(EmulatorTest):
    def test_member_of_organization(self):
        reply = self.organizations("AKIAEMULATORMEMBER01")
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.headers["Content-Type"], "application/x-amz-json-1.1")
        org = reply.json()["Organization"]
        self.assertEqual(org, {
            "Id": "o-emulator01",
            "Arn": "arn:aws:organizations::210987654321:organization/o-emulator01",
            "FeatureSet": "ALL",
            "MasterAccountArn": "arn:aws:organizations::210987654321:account/o-emulator01/"
                                "210987654321",
            "MasterAccountId": "210987654321",
            "MasterAccountEmail": "aws-root@example.com",
            "AvailablePolicyTypes": [],
        })

    def test_standalone_account(self):
        self.assertJsonError(self.organizations("AKIAEMULATORSOLO0001"), 400,
                             "AWSOrganizationsNotInUseException",
                             "Your account is not a member of an organization.")

    def test_denied_operation(self):
        self.assertJsonError(self.organizations("AKIAEMULATORNOORG001"), 400,
                             "AccessDeniedException",
                             "You don't have permissions to access this resource.")

    def test_unknown_target(self):
        reply = self.organizations("AKIAEMULATORMGMT0001",
                                   target="AWSOrganizationsV20161128.Frobnicate")
        self.assertJsonError(reply, 400, "UnknownOperationException")

    def test_authentication_errors(self):
        self.assertJsonError(self.organizations("AKIAUNKNOWN000000000", secret="x"), 400,
                             "UnrecognizedClientException",
                             "The security token included in the request is invalid.")
        self.assertJsonError(self.organizations("AKIAEMULATORMGMT0001", secret="x"), 400,
                             "InvalidSignatureException")
        self.assertJsonError(self.organizations("ASIAEMULATOREXPIRED1"), 400,
                             "ExpiredTokenException")
        reply = self.raw("POST", "/", b"{}", [("Content-Type", "application/x-amz-json-1.1"),
                                               ("X-Amz-Target", ORG_TARGET)])
        self.assertJsonError(reply, 400, "MissingAuthenticationTokenException")

    def test_must_be_signed_for_us_east_1(self):
        reply = self.aws("AKIAEMULATORMGMT0001", service="organizations",
                         region="ap-southeast-1")
        self.assertJsonError(reply, 400, "InvalidSignatureException")

    def test_throttle(self):
        self.fault(target="organizations:DescribeOrganization", kind="throttle")
        self.assertJsonError(self.organizations("AKIAEMULATORMGMT0001"), 400,
                             "TooManyRequestsException")
        self.assertEqual(self.organizations("AKIAEMULATORMGMT0001").status, 200)


# ======================================================================== Stompy API

class StompyApi(EmulatorTest):
    def test_sign_in(self):
        reply = self.api("POST", "/sessions", {"email": ADMIN[0], "password": ADMIN[1]})
        self.assertEqual(reply.status, 201, reply.body)
        self.assertEqual(reply.headers["Content-Type"], "application/json")
        body = reply.json()
        self.assertRegex(body["token"], r"^stp_[0-9a-f]{32,}$")
        expires = datetime.datetime.strptime(body["expires_at"], "%Y-%m-%dT%H:%M:%SZ")
        self.assertGreater(expires, datetime.datetime.utcnow())
        self.assertEqual(body["user"], {"email": "ops@example.com", "name": "Li Wei"})
        self.assertEqual(body["organization"], {"id": "org_123", "name": "Example Ltd"})

    def test_sign_in_errors(self):
        reply = self.api("POST", "/sessions", {"email": ADMIN[0], "password": "wrong"})
        self.assertApiError(reply, 401, "invalid_credentials", "Email or password is wrong.")
        reply = self.api("POST", "/sessions", {"email": "nobody@example.com", "password": "x"})
        self.assertApiError(reply, 401, "invalid_credentials")
        reply = self.api("POST", "/sessions", raw_body=b"{not json")
        self.assertApiError(reply, 400, "bad_request")
        reply = self.api("POST", "/sessions", {"email": "not-an-email"})
        error = self.assertApiError(reply, 422, "validation_failed")
        self.assertEqual(set(error["details"]["fields"]), {"email", "password"})

    def test_chinese_messages(self):
        reply = self.api("POST", "/sessions", {"email": ADMIN[0], "password": "wrong"},
                         headers=[("Accept-Language", "zh-CN")])
        self.assertApiError(reply, 401, "invalid_credentials", "邮箱或密码错误。")
        reply = self.api("POST", "/sessions", {}, headers=[("Accept-Language", "zh-CN,en;q=0.5")])
        error = self.assertApiError(reply, 422, "validation_failed")
        self.assertEqual(error["details"]["fields"]["email"], "此项为必填项。")

    def test_token_required(self):
        for method, route in (("GET", "/aws/onboarding"), ("GET", "/aws/accounts"),
                              ("GET", "/aws/accounts/345678901234"),
                              ("POST", "/aws/accounts"), ("DELETE", "/sessions/current")):
            with self.subTest(route=route):
                body = {} if method == "POST" else None
                self.assertApiError(self.api(method, route, body), 401, "token_invalid")
                self.assertApiError(self.api(method, route, body, token="stp_unknown"), 401,
                                    "token_invalid")

    def test_expired_token(self):
        token = self.sign_in()
        self.assertEqual(self.api("GET", "/aws/accounts", token=token).status, 200)
        self.control("expire-tokens")
        self.assertApiError(self.api("GET", "/aws/accounts", token=token), 401, "token_expired")
        self.fault(target="stompy:GET /aws/accounts", kind="expired_token")
        fresh = self.sign_in()
        self.assertApiError(self.api("GET", "/aws/accounts", token=fresh), 401, "token_expired")
        self.assertEqual(self.api("GET", "/aws/accounts", token=fresh).status, 200)

    def test_validation_failed_fault(self):
        token = self.sign_in()
        role_message = "This role does not trust Stompy's principal."
        self.fault(target="stompy:POST /aws/accounts", kind="validation_failed",
                   fields={"analysaver.role_arn": role_message})
        error = self.assertApiError(
            self.api("POST", "/aws/accounts", connect_body(), token=token,
                     headers=[("Idempotency-Key", "k-invalid")]), 422, "validation_failed")
        self.assertEqual(error["details"], {"fields": {"analysaver.role_arn": role_message}})
        self.assertEqual(self.stats()["creations"].get("stompy:aws_account", 0), 0)
        # Taken once: the next request is handled as usual.
        reply = self.api("POST", "/aws/accounts", connect_body(), token=token,
                         headers=[("Idempotency-Key", "k-valid")])
        self.assertEqual(reply.status, 201, reply.body)
        for bad in ({"target": "stompy:POST /aws/accounts", "kind": "validation_failed"},
                    {"target": "stompy:POST /aws/accounts", "kind": "validation_failed",
                     "fields": {}},
                    {"target": "stompy:POST /aws/accounts", "kind": "validation_failed",
                     "fields": {"account_id": 12}},
                    {"target": "sts:GetCallerIdentity", "kind": "validation_failed",
                     "fields": {"account_id": "Wrong."}}):
            reply = self.raw("POST", "/_emulator/faults", json.dumps(bad).encode())
            self.assertEqual(reply.status, 400, bad)

    def test_sign_out_revokes(self):
        token = self.sign_in()
        reply = self.api("DELETE", "/sessions/current", token=token,
                         headers=[("Idempotency-Key", "k-sign-out")])
        self.assertEqual(reply.status, 204)
        self.assertEqual(reply.body, b"")
        self.assertApiError(self.api("GET", "/aws/accounts", token=token), 401, "token_invalid")
        # A retry of the same sign-out is answered as the first one was.
        reply = self.api("DELETE", "/sessions/current", token=token,
                         headers=[("Idempotency-Key", "k-sign-out")])
        self.assertEqual(reply.status, 204)

    def test_onboarding(self):
        token = self.sign_in(VIEWER)
        reply = self.api("GET", "/aws/onboarding", token=token)
        self.assertEqual(reply.status, 200, reply.body)
        body = reply.json()
        self.assertEqual(body["external_id"], "stp-ext-5b1e0c9a7d")
        self.assertEqual(body["principal_account_id"], "111122223333")
        self.assertEqual(body["recommended_region"], "ap-southeast-1")
        self.assertEqual(body["templates"]["analysaver"], {
            "url": f"http://127.0.0.1:{PORT}/stompy-templates/analysaver/v3.json",
            "version": "3", "default_stack_name": "StompyAnalySaver"})
        self.assertEqual(body["templates"]["spotainer"]["url"],
                         f"http://127.0.0.1:{PORT}/stompy-templates/spotainer/v2.json")

    def test_connect_and_follow_verification(self):
        token = self.sign_in()
        self.assertEqual(self.api("GET", "/aws/accounts", token=token).json(), {"accounts": []})
        reply = self.api("POST", "/aws/accounts", connect_body(), token=token,
                         headers=[("Idempotency-Key", "k1")])
        self.assertEqual(reply.status, 201, reply.body)
        self.assertEqual(reply.json(), {
            "account_id": "345678901234", "status": "verifying",
            "checks": [{"id": "assume_analysaver_role", "status": "pending", "message": ""},
                       {"id": "read_cur_bucket", "status": "pending", "message": ""},
                       {"id": "assume_spotainer_role", "status": "pending", "message": ""}]})
        # --delays zero: the checks have settled by the next poll.
        state = self.api("GET", "/aws/accounts/345678901234", token=token).json()
        self.assertEqual(state["status"], "waiting_for_data")
        self.assertEqual([c["status"] for c in state["checks"]], ["ok", "ok", "ok"])
        accounts = self.api("GET", "/aws/accounts", token=token).json()["accounts"]
        self.assertEqual(accounts, [state])
        # The same account and roles again: 200, nothing created twice.
        reply = self.api("POST", "/aws/accounts", connect_body(), token=token,
                         headers=[("Idempotency-Key", "k2")])
        self.assertEqual(reply.status, 200)
        self.assertEqual(self.stats()["creations"], {"stompy:aws_account": 1})

    def test_verification_duration_control(self):
        token = self.sign_in()
        self.control("timings", {"verification_seconds": 30})
        body = connect_body("456789012345", products=["spotainer"])
        self.assertEqual(self.api("POST", "/aws/accounts", body, token=token).status, 201)
        state = self.api("GET", "/aws/accounts/456789012345", token=token).json()
        self.assertEqual(state["status"], "verifying")
        self.assertEqual([c["status"] for c in state["checks"]], ["pending"])

    def test_spotainer_only_is_connected(self):
        token = self.sign_in()
        body = connect_body("456789012345", products=["spotainer"])
        self.assertEqual(self.api("POST", "/aws/accounts", body, token=token).status, 201)
        state = self.api("GET", "/aws/accounts/456789012345", token=token).json()
        self.assertEqual(state["status"], "connected")

    def test_failed_check_is_localized(self):
        token = self.sign_in()
        body = connect_body("456789012345", products=["spotainer"])
        body["spotainer"]["role_arn"] = "arn:aws:iam::456789012345:role/StompyBrokenRole"
        self.assertEqual(self.api("POST", "/aws/accounts", body, token=token).status, 201)
        state = self.api("GET", "/aws/accounts/456789012345", token=token,
                         headers=[("Accept-Language", "zh-CN")]).json()
        self.assertEqual(state["status"], "failed")
        self.assertEqual(state["checks"][0]["status"], "failed")
        self.assertIn("Stompy 无法代入此角色", state["checks"][0]["message"])

    def test_unknown_account_is_not_found(self):
        token = self.sign_in()
        self.assertApiError(self.api("GET", "/aws/accounts/111111111111", token=token), 404,
                            "not_found")
        self.assertApiError(self.api("GET", "/nowhere", token=token), 404, "not_found")

    def test_connect_validation(self):
        token = self.sign_in()
        body = connect_body()
        body["account_id"] = "12345"
        body["analysaver"]["cur"]["bucket"] = "Bad_Bucket"
        body["analysaver"]["cur"]["kind"] = "weekly"
        del body["spotainer"]["role_arn"]
        error = self.assertApiError(self.api("POST", "/aws/accounts", body, token=token), 422,
                                    "validation_failed")
        self.assertEqual(set(error["details"]["fields"]), {
            "account_id", "analysaver.cur.bucket", "analysaver.cur.kind", "spotainer.role_arn"})
        body = connect_body(products=["spotainer"])
        body["spotainer"]["role_arn"] = "arn:aws:iam::999999999999:role/Other"
        body["analysaver"] = {}
        error = self.assertApiError(self.api("POST", "/aws/accounts", body, token=token), 422,
                                    "validation_failed")
        self.assertEqual(set(error["details"]["fields"]), {"spotainer.role_arn", "analysaver"})
        error = self.assertApiError(self.api("POST", "/aws/accounts", {"products": []},
                                             token=token), 422, "validation_failed")
        self.assertIn("products", error["details"]["fields"])
        self.assertApiError(self.api("POST", "/aws/accounts", raw_body=b"[]", token=token),
                            400, "bad_request")

    def test_connected_elsewhere(self):
        token = self.sign_in()
        error = self.assertApiError(
            self.api("POST", "/aws/accounts", connect_body("999988887777"), token=token),
            409, "account_already_connected")
        self.assertEqual(error["details"], {"organization_name": "Other Corp"})

    def test_non_admin_is_forbidden(self):
        token = self.sign_in(VIEWER)
        self.assertApiError(self.api("POST", "/aws/accounts", connect_body(), token=token), 403,
                            "forbidden")
        self.assertEqual(self.api("GET", "/aws/accounts", token=token).status, 200)

    def test_idempotency_key_replays_first_result(self):
        token = self.sign_in()
        headers = [("Idempotency-Key", "3f0c9a52-0000-4000-8000-000000000001")]
        first = self.api("POST", "/aws/accounts", connect_body(), token=token, headers=headers)
        second = self.api("POST", "/aws/accounts", connect_body(), token=token, headers=headers)
        self.assertEqual(first.status, 201)
        self.assertEqual(second.status, 201)
        self.assertEqual(first.body, second.body)
        self.assertEqual(self.stats()["creations"], {"stompy:aws_account": 1})
        # The same key signs in once: the replay carries the first token.
        key = [("Idempotency-Key", "3f0c9a52-0000-4000-8000-000000000002")]
        body = {"email": ADMIN[0], "password": ADMIN[1]}
        one = self.api("POST", "/sessions", body, headers=key).json()["token"]
        two = self.api("POST", "/sessions", body, headers=key).json()["token"]
        self.assertEqual(one, two)

    def test_rate_limited_and_unavailable_faults(self):
        token = self.sign_in()
        self.fault(target="stompy:GET /aws/accounts/{id}", kind="throttle", retry_after=7)
        reply = self.api("GET", "/aws/accounts/345678901234", token=token)
        self.assertApiError(reply, 429, "rate_limited")
        self.assertEqual(reply.headers["Retry-After"], "7")
        self.fault(target="stompy:POST /sessions", kind="http503")
        self.assertApiError(self.api("POST", "/sessions", {"email": ADMIN[0],
                                                           "password": ADMIN[1]}),
                            503, "unavailable")
        self.fault(target="stompy:GET /aws/accounts", kind="http500")
        self.assertApiError(self.api("GET", "/aws/accounts", token=token), 500, "internal")
        requests = self.stats()["requests"]
        self.assertEqual(requests["stompy:GET /aws/accounts/{id}"], 1)
        self.assertEqual(requests["stompy:POST /sessions"], 2)


# ========================================================================== transport

# ================================================================================== S3

def cur_policy(bucket, account=MGMT_ACCOUNT, operator="StringLike",
               principals=("billingreports.amazonaws.com",)):
    condition = {operator: {"aws:SourceAccount": account,
                            "aws:SourceArn": [f"arn:aws:cur:us-east-1:{account}:definition/*",
                                              f"arn:aws:bcm-data-exports:us-east-1:{account}:"
                                              f"export/*"]}}
    principal = {"Service": list(principals)}
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": principal,
         "Action": ["s3:GetBucketAcl", "s3:GetBucketPolicy"],
         "Resource": f"arn:aws:s3:::{bucket}", "Condition": condition},
        {"Effect": "Allow", "Principal": principal, "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{bucket}/*", "Condition": condition}]}


class S3(EmulatorTest):
    def test_create_bucket_in_region_then_head_and_location(self):
        reply = self.create_bucket("stompy-cur-345678901234", key_id=MEMBER)
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.headers["Location"], "/stompy-cur-345678901234")
        head = self.s3("HEAD", "/stompy-cur-345678901234", MEMBER)
        self.assertEqual(head.status, 200)
        self.assertEqual(head.headers["x-amz-bucket-region"], "ap-southeast-1")
        location = self.s3("GET", "/stompy-cur-345678901234?location", MEMBER, "us-east-1")
        self.assertEqual(location.status, 200)
        self.assertEqual(location.xml().text, "ap-southeast-1")
        self.assertEqual(location.xml().tag, f"{{{S3_NS}}}LocationConstraint")
        self.assertEqual(self.stats()["creations"], {"s3:bucket": 1})

    def test_us_east_1_takes_no_constraint_and_recreate_is_ok(self):
        self.assertEqual(self.create_bucket("stompy-use1-bucket", "us-east-1",
                                            key_id=SOLO).status, 200)
        reply = self.create_bucket("stompy-use1-bucket-2", "us-east-1", SOLO,
                                   constraint="us-east-1")
        self.assertS3Error(reply, 400, "InvalidLocationConstraint",
                           "The specified location-constraint is not valid")
        # The owner creating it again in us-east-1: 200, as AWS answers there.
        self.assertEqual(self.create_bucket("stompy-use1-bucket", "us-east-1",
                                            key_id=SOLO).status, 200)
        self.assertEqual(self.stats()["creations"], {"s3:bucket": 1})
        location = self.s3("GET", "/stompy-use1-bucket?location", SOLO, "us-east-1")
        self.assertIsNone(location.xml().text)

    def test_regional_endpoint_needs_matching_constraint(self):
        reply = self.s3("PUT", "/stompy-no-constraint", MEMBER, "ap-southeast-1")
        self.assertS3Error(reply, 400, "IllegalLocationConstraintException",
                           "The unspecified location constraint is incompatible for the region "
                           "specific endpoint this request was sent to.")
        reply = self.create_bucket("stompy-wrong-constraint", "ap-southeast-1", MEMBER,
                                   constraint="eu-west-1")
        self.assertS3Error(reply, 400, "IllegalLocationConstraintException",
                           "The eu-west-1 location constraint is incompatible for the region "
                           "specific endpoint this request was sent to.")
        reply = self.create_bucket("stompy-bad-constraint", "ap-southeast-1", MEMBER,
                                   constraint="mars-north-1")
        self.assertS3Error(reply, 400, "InvalidLocationConstraint")
        reply = self.s3("PUT", "/stompy-bad-xml", MEMBER, body=b"<CreateBucketConfiguration>")
        self.assertS3Error(reply, 400, "MalformedXML")
        self.assertEqual(self.stats()["creations"], {})

    def test_bucket_names_are_checked(self):
        for name in ("ab", "a" * 64, "Upper-case", "-leading", "trailing-", "two..dots",
                     "192.168.5.4", "xn--punycode", "sthree-bucket", "amzn-s3-demo-bucket",
                     "name-s3alias", "name--ol-s3", "name.mrap", "name--x-s3",
                     "name--table-s3", "under_score", "plain-an"):
            with self.subTest(name=name):
                reply = self.create_bucket(name, key_id=MEMBER)
                root = self.assertS3Error(reply, 400, "InvalidBucketName",
                                          "The specified bucket is not valid.")
                self.assertEqual(root.findtext("BucketName"), name)
        # The account regional namespace form is allowed for its own account.
        self.assertEqual(self.create_bucket("cur-345678901234-ap-southeast-1-an",
                                            key_id=MEMBER).status, 200)

    def test_name_taken_by_another_account(self):
        reply = self.create_bucket("stompy-taken-bucket", key_id=MGMT)
        self.assertS3Error(reply, 409, "BucketAlreadyExists")
        head = self.s3("HEAD", "/stompy-taken-bucket", MGMT, "us-east-1")
        self.assertEqual(head.status, 403)
        self.assertEqual(head.body, b"")
        self.assertEqual(head.headers["x-amz-bucket-region"], "us-east-1")
        self.assertS3Error(self.s3("GET", "/stompy-taken-bucket?policy", MGMT, "us-east-1"),
                           403, "AccessDenied", "Access Denied")

    def test_own_bucket_in_another_region(self):
        bucket = f"stompy-cur-uswest2-{MGMT_ACCOUNT}"
        reply = self.create_bucket(bucket, "ap-southeast-1")
        self.assertS3Error(reply, 409, "BucketAlreadyOwnedByYou")
        head = self.s3("HEAD", f"/{bucket}", MGMT, "ap-southeast-1")
        self.assertEqual(head.status, 301)
        self.assertEqual(head.body, b"")
        self.assertEqual(head.headers["x-amz-bucket-region"], "us-west-2")
        root = self.assertS3Error(self.s3("GET", f"/{bucket}?policy", MGMT, "ap-southeast-1"),
                                  301, "PermanentRedirect")
        self.assertEqual(root.findtext("Endpoint"), f"{bucket}.s3.us-west-2.amazonaws.com")
        self.assertEqual(self.s3("HEAD", f"/{bucket}", MGMT, "us-west-2").status, 200)
        self.assertEqual(self.stats()["creations"], {})

    def test_missing_bucket(self):
        head = self.s3("HEAD", "/stompy-nowhere-bucket")
        self.assertEqual(head.status, 404)
        self.assertEqual(head.body, b"")
        self.assertNotIn("x-amz-bucket-region", head.headers)
        root = self.assertS3Error(self.s3("GET", "/stompy-nowhere-bucket?list-type=2"), 404,
                                  "NoSuchBucket", "The specified bucket does not exist")
        self.assertEqual(root.findtext("BucketName"), "stompy-nowhere-bucket")

    def test_bucket_policy_round_trip(self):
        bucket = "stompy-policy-test"
        self.assertEqual(self.create_bucket(bucket, key_id=MEMBER).status, 200)
        self.assertS3Error(self.s3("GET", f"/{bucket}?policy", MEMBER), 404,
                           "NoSuchBucketPolicy", "The bucket policy does not exist")
        policy = cur_policy(bucket, "345678901234")
        self.assertEqual(self.put_policy(bucket, policy, key_id=MEMBER).status, 204)
        reply = self.s3("GET", f"/{bucket}?policy", MEMBER)
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.json(), policy)
        self.assertEqual(self.s3("DELETE", f"/{bucket}?policy", MEMBER).status, 204)
        self.assertS3Error(self.s3("GET", f"/{bucket}?policy", MEMBER), 404,
                           "NoSuchBucketPolicy")

    def test_bucket_policy_is_validated(self):
        bucket = "stompy-policy-checks"
        self.create_bucket(bucket, key_id=MEMBER)
        cases = [
            (b"not json", "Policies must be valid JSON and the first byte must be '{'"),
            (b'{"Version": "2012-10-17"}', "Missing required field Statement"),
            (json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*",
                                        "Action": "s3:GetObject",
                                        "Resource": "arn:aws:s3:::other/*"}]}).encode(),
             "Policy has invalid resource"),
            (json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*",
                                        "Action": "ec2:RunInstances",
                                        "Resource": f"arn:aws:s3:::{bucket}"}]}).encode(),
             "Policy has invalid action"),
        ]
        for body, message in cases:
            with self.subTest(message=message):
                self.assertS3Error(self.put_policy(bucket, body, key_id=MEMBER), 400,
                                   "MalformedPolicy", message)
        # New buckets block public policies.
        public = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                 "Resource": f"arn:aws:s3:::{bucket}/*"}]}
        self.assertS3Error(self.put_policy(bucket, public, key_id=MEMBER), 403, "AccessDenied")

    def test_content_md5_and_checksum_required(self):
        bucket = "stompy-md5-checks"
        self.create_bucket(bucket, key_id=MEMBER)
        body = json.dumps(cur_policy(bucket, "345678901234")).encode()
        self.assertS3Error(self.s3("PUT", f"/{bucket}?policy", MEMBER, body=body), 400,
                           "InvalidRequest",
                           "Missing required header for this request: Content-MD5")
        wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
        self.assertS3Error(self.s3("PUT", f"/{bucket}?policy", MEMBER, body=body,
                                   headers=[("Content-MD5", wrong)]), 400, "BadDigest")
        self.assertS3Error(self.s3("PUT", f"/{bucket}?policy", MEMBER, body=body,
                                   headers=[("Content-MD5", "short")]), 400, "InvalidDigest")

    def test_public_access_block(self):
        bucket = f"stompy-cur-uswest2-{MGMT_ACCOUNT}"
        self.assertS3Error(self.s3("GET", f"/{bucket}?publicAccessBlock", MGMT, "us-west-2"),
                           404, "NoSuchPublicAccessBlockConfiguration")
        body = (f'<PublicAccessBlockConfiguration xmlns="{S3_NS}"><BlockPublicAcls>true'
                f"</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>"
                f"true</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets>"
                f"</PublicAccessBlockConfiguration>").encode()
        reply = self.s3("PUT", f"/{bucket}?publicAccessBlock", MGMT, "us-west-2", body, md5=True)
        self.assertEqual(reply.status, 200, reply.body)
        root = self.s3("GET", f"/{bucket}?publicAccessBlock", MGMT, "us-west-2").xml()
        values = {child.tag.split("}")[1]: child.text for child in root}
        self.assertEqual(values, {"BlockPublicAcls": "true", "IgnorePublicAcls": "true",
                                  "BlockPublicPolicy": "true", "RestrictPublicBuckets": "false"})
        # A new bucket blocks public access from the start (April 2023 default).
        self.create_bucket("stompy-pab-default", key_id=MEMBER)
        root = self.s3("GET", "/stompy-pab-default?publicAccessBlock", MEMBER).xml()
        self.assertTrue(all(child.text == "true" for child in root))

    def test_list_objects_v2_pages_with_prefix(self):
        bucket = "stompy-list-test"
        self.create_bucket(bucket, key_id=MEMBER)
        for i in range(5):
            self.assertEqual(self.s3("PUT", f"/{bucket}/cur/r/file-{i}.parquet", MEMBER,
                                     body=b"x" * i).status, 200)
        self.s3("PUT", f"/{bucket}/other/file", MEMBER, body=b"o")
        keys, token, pages = [], None, 0
        while True:
            query = "list-type=2&prefix=cur%2Fr%2F&max-keys=2"
            if token:
                query += "&continuation-token=" + token
            root = self.s3("GET", f"/{bucket}?{query}", MEMBER).xml()
            ns = f"{{{S3_NS}}}"
            page = [c.findtext(ns + "Key") for c in root.findall(ns + "Contents")]
            self.assertEqual(int(root.findtext(ns + "KeyCount")), len(page))
            keys += page
            pages += 1
            if root.findtext(ns + "IsTruncated") != "true":
                self.assertIsNone(root.find(ns + "NextContinuationToken"))
                break
            token = root.findtext(ns + "NextContinuationToken")
        self.assertEqual(pages, 3)
        self.assertEqual(keys, [f"cur/r/file-{i}.parquet" for i in range(5)])
        root = self.s3("GET", f"/{bucket}?list-type=2&delimiter=%2F", MEMBER).xml()
        prefixes = [p.findtext(f"{{{S3_NS}}}Prefix")
                    for p in root.findall(f"{{{S3_NS}}}CommonPrefixes")]
        self.assertEqual(prefixes, ["cur/", "other/"])
        self.assertS3Error(self.s3("GET", f"/{bucket}?list-type=2&continuation-token=bogus",
                                   MEMBER), 400, "InvalidArgument")

    def test_put_and_get_object(self):
        bucket = "stompy-object-test"
        self.create_bucket(bucket, key_id=MEMBER)
        reply = self.s3("PUT", f"/{bucket}/a/b.json", MEMBER, body=b'{"a": 1}',
                        headers=[("Content-Type", "application/json")], md5=True)
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.headers["ETag"], '"' + hashlib.md5(b'{"a": 1}').hexdigest() + '"')
        got = self.s3("GET", f"/{bucket}/a/b.json", MEMBER)
        self.assertEqual((got.status, got.body), (200, b'{"a": 1}'))
        self.assertEqual(got.headers["Content-Type"], "application/json")
        self.assertS3Error(self.s3("GET", f"/{bucket}/missing", MEMBER), 404, "NoSuchKey")

    def test_payload_hash_rules(self):
        bucket = "stompy-hash-test"
        self.create_bucket(bucket, key_id=MEMBER)
        reply = self.s3("PUT", f"/{bucket}/unsigned", MEMBER, body=b"data",
                        payload_hash="UNSIGNED-PAYLOAD")
        self.assertEqual(reply.status, 200, reply.body)
        reply = self.s3("PUT", f"/{bucket}/lying", MEMBER, body=b"data",
                        payload_hash=hashlib.sha256(b"other").hexdigest())
        self.assertS3Error(reply, 400, "XAmzContentSHA256Mismatch")
        headers = [("Host", f"127.0.0.1:{PORT}")]
        key = KEYS[MEMBER]
        signed = sigv4.sign("GET", f"/{bucket}?list-type=2", headers, b"", MEMBER,
                            key["secret"], "ap-southeast-1", "s3")
        self.assertS3Error(self.raw("GET", f"/{bucket}?list-type=2", b"", signed), 400,
                           "InvalidRequest",
                           "Missing required header for this request: x-amz-content-sha256")

    def test_authentication_errors(self):
        signed = sigv4.sign("GET", "/anything", [("Host", f"127.0.0.1:{PORT}")], b"",
                            "AKIANOSUCHKEY0000000", "secret", "ap-southeast-1", "s3", s3=True)
        root = self.assertS3Error(self.raw("GET", "/anything", b"", signed), 403,
                                  "InvalidAccessKeyId", "The AWS Access Key Id you provided does "
                                                        "not exist in our records.")
        self.assertEqual(root.findtext("AWSAccessKeyId"), "AKIANOSUCHKEY0000000")
        signed = sigv4.sign("GET", "/anything", [("Host", f"127.0.0.1:{PORT}")], b"", MGMT,
                            "wrong secret", "ap-southeast-1", "s3", s3=True)
        root = self.assertS3Error(self.raw("GET", "/anything", b"", signed), 403,
                                  "SignatureDoesNotMatch")
        self.assertTrue(root.findtext("StringToSign").startswith("AWS4-HMAC-SHA256\n"))
        self.assertS3Error(self.raw("GET", "/anything"), 403, "AccessDenied", "Access Denied")
        old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
        signed = sigv4.sign("GET", "/anything", [("Host", f"127.0.0.1:{PORT}")], b"", MGMT,
                            KEYS[MGMT]["secret"], "ap-southeast-1", "s3", when=old, s3=True)
        self.assertS3Error(self.raw("GET", "/anything", b"", signed), 403,
                           "RequestTimeTooSkewed")

    def test_faults_answer_in_s3_shape(self):
        self.fault(target="s3:HeadBucket", kind="throttle")
        self.fault(target="s3:ListObjectsV2", kind="http500")
        head = self.s3("HEAD", f"/stompy-existing-cur-{MGMT_ACCOUNT}")
        self.assertEqual(head.status, 503)
        self.assertS3Error(self.s3("GET", f"/stompy-existing-cur-{MGMT_ACCOUNT}?list-type=2"),
                           500, "InternalError")
        self.assertEqual(self.s3("HEAD", f"/stompy-existing-cur-{MGMT_ACCOUNT}").status, 200)
        self.assertEqual(self.stats()["requests"]["s3:HeadBucket"], 2)

    def test_fixture_bucket_has_a_delivered_report(self):
        root = self.s3("GET", f"/stompy-existing-cur-{MGMT_ACCOUNT}?list-type=2&prefix="
                              f"cur%2Fstompy-ready-cur%2F").xml()
        keys = [c.findtext(f"{{{S3_NS}}}Key") for c in root.findall(f"{{{S3_NS}}}Contents")]
        self.assertTrue(any(k.endswith("-Manifest.json") for k in keys), keys)
        self.assertTrue(any(k.endswith(".snappy.parquet") for k in keys), keys)


# ================================================================================= CUR

def ready_definition(name="stompy-cur", bucket="stompy-cur-345678901234", **changes):
    definition = {"ReportName": name, "TimeUnit": "HOURLY", "Format": "Parquet",
                  "Compression": "Parquet", "AdditionalSchemaElements": ["RESOURCES"],
                  "S3Bucket": bucket, "S3Prefix": "cur", "S3Region": "ap-southeast-1",
                  "AdditionalArtifacts": ["ATHENA"], "RefreshClosedReports": True,
                  "ReportVersioning": "OVERWRITE_REPORT"}
    definition.update(changes)
    return definition


class Cur(EmulatorTest):
    def make_bucket(self, bucket="stompy-cur-345678901234", key_id=MEMBER,
                    account="345678901234", **policy_args):
        self.assertEqual(self.create_bucket(bucket, key_id=key_id).status, 200)
        reply = self.put_policy(bucket, cur_policy(bucket, account, **policy_args), key_id=key_id)
        self.assertEqual(reply.status, 204, reply.body)

    def describe_all(self, key_id=MGMT):
        names, token, pages = [], None, 0
        while True:
            body = {"MaxResults": 5}
            if token:
                body["NextToken"] = token
            reply = self.cur("DescribeReportDefinitions", body, key_id)
            self.assertEqual(reply.status, 200, reply.body)
            obj = reply.json()
            self.assertLessEqual(len(obj["ReportDefinitions"]), 5)
            names += [rd["ReportName"] for rd in obj["ReportDefinitions"]]
            pages += 1
            token = obj.get("NextToken")
            if not token:
                return names, pages

    def test_paging_of_fixture_reports(self):
        names, pages = self.describe_all()
        self.assertEqual(pages, 2)
        self.assertEqual(len(names), 6)
        self.assertEqual(names[0], "stompy-ready-cur")
        self.assertEqual(self.describe_all(MEMBER), ([], 1))
        self.assertEqual(self.describe_all(SOLO), ([], 1))

    def test_max_results_must_be_five(self):
        for value, bound in ((10, "less than or equal to 5"), (1, "greater than or equal to 5")):
            reply = self.cur("DescribeReportDefinitions", {"MaxResults": value})
            self.assertJsonError(reply, 400, "ValidationException",
                                 f"1 validation error detected: Value '{value}' at 'maxResults' "
                                 f"failed to satisfy constraint: Member must have value {bound}")
        self.assertEqual(self.cur("DescribeReportDefinitions", {}).status, 200)

    def test_signed_for_us_east_1_only(self):
        reply = self.cur("DescribeReportDefinitions", {}, region="ap-southeast-1")
        self.assertJsonError(reply, 400, "InvalidSignatureException")

    def test_create_then_delivery(self):
        self.make_bucket()
        reply = self.cur("PutReportDefinition", {"ReportDefinition": ready_definition()}, MEMBER)
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json(), {})
        self.assertEqual(self.stats()["creations"]["cur:report"], 1)

        def delivered():
            reports = self.cur("DescribeReportDefinitions", {}, MEMBER).json()
            return reports["ReportDefinitions"][0].get("ReportStatus")
        status = self.wait_for(delivered)
        self.assertEqual(status["lastStatus"], "SUCCESS")
        self.assertRegex(status["lastDelivery"], r"^[0-9]{8}T[0-9]{6}Z$")
        root = self.s3("GET", "/stompy-cur-345678901234?list-type=2&prefix=cur%2Fstompy-cur%2F",
                       MEMBER).xml()
        keys = [c.findtext(f"{{{S3_NS}}}Key") for c in root.findall(f"{{{S3_NS}}}Contents")]
        self.assertTrue(any(k.startswith("cur/stompy-cur/stompy-cur/year=")
                            and k.endswith("-Manifest.json") for k in keys), keys)
        self.assertTrue(any(k.endswith(".snappy.parquet") for k in keys), keys)

    def test_duplicate_name(self):
        self.make_bucket()
        self.cur("PutReportDefinition", {"ReportDefinition": ready_definition()}, MEMBER)
        reply = self.cur("PutReportDefinition", {"ReportDefinition": ready_definition()}, MEMBER)
        self.assertJsonError(reply, 400, "DuplicateReportNameException")
        self.assertEqual(self.stats()["creations"]["cur:report"], 1)

    def test_report_limit(self):
        self.make_bucket()
        for i in range(5):
            reply = self.cur("PutReportDefinition",
                             {"ReportDefinition": ready_definition(f"r{i}")}, MEMBER)
            self.assertEqual(reply.status, 200, reply.body)
        reply = self.cur("PutReportDefinition", {"ReportDefinition": ready_definition("r5")},
                         MEMBER)
        self.assertJsonError(reply, 400, "ReportLimitReachedException")

    def test_combination_rules(self):
        self.make_bucket()
        cases = {
            "athena alone": dict(AdditionalArtifacts=["ATHENA", "REDSHIFT"]),
            "athena prefix": dict(S3Prefix=""),
            "athena overwrite": dict(ReportVersioning="CREATE_NEW_REPORT"),
            "athena parquet": dict(Format="textORcsv", Compression="GZIP"),
            "redshift csv": dict(AdditionalArtifacts=["REDSHIFT"]),
            "parquet compression": dict(AdditionalArtifacts=[], Compression="GZIP"),
            "csv compression": dict(AdditionalArtifacts=[], Format="textORcsv",
                                    Compression="Parquet"),
        }
        for label, changes in cases.items():
            with self.subTest(label):
                reply = self.cur("PutReportDefinition",
                                 {"ReportDefinition": ready_definition(**changes)}, MEMBER)
                self.assertJsonError(reply, 400, "ValidationException")
        ok = ready_definition(AdditionalArtifacts=["REDSHIFT", "QUICKSIGHT"], Format="textORcsv",
                              Compression="ZIP", ReportVersioning="CREATE_NEW_REPORT")
        self.assertEqual(self.cur("PutReportDefinition", {"ReportDefinition": ok},
                                  MEMBER).status, 200)

    def test_model_constraints(self):
        self.make_bucket()
        reply = self.cur("PutReportDefinition", {"ReportDefinition": ready_definition(
            "bad name", S3Prefix="has space", S3Region="mars-1", TimeUnit="WEEKLY")}, MEMBER)
        body = self.assertJsonError(reply, 400, "ValidationException")
        self.assertTrue(body["Message"].startswith("4 validation errors detected: "), body)
        self.assertIn("'reportDefinition.reportName'", body["Message"])
        reply = self.cur("PutReportDefinition", {}, MEMBER)
        self.assertJsonError(reply, 400, "ValidationException")

    def test_bucket_must_be_own_with_delivery_policy(self):
        message = ("Failed to verify customer bucket permission. accountId= 345678901234, "
                   "bucket: {}, region: ap-southeast-1")
        # No such bucket; another account's bucket; a bucket without a policy.
        for bucket in ("stompy-nowhere-bucket", "stompy-taken-bucket"):
            reply = self.cur("PutReportDefinition",
                             {"ReportDefinition": ready_definition(bucket=bucket)}, MEMBER)
            self.assertJsonError(reply, 400, "ValidationException", message.format(bucket))
        self.create_bucket("stompy-no-policy", key_id=MEMBER)
        reply = self.cur("PutReportDefinition",
                         {"ReportDefinition": ready_definition(bucket="stompy-no-policy")}, MEMBER)
        self.assertJsonError(reply, 400, "ValidationException",
                             message.format("stompy-no-policy"))
        # StringEquals compares exactly: "definition/*" matches no report ARN.
        self.make_bucket("stompy-string-equals", operator="StringEquals")
        reply = self.cur("PutReportDefinition", {"ReportDefinition": ready_definition(
            bucket="stompy-string-equals")}, MEMBER)
        self.assertJsonError(reply, 400, "ValidationException")
        # The bucket's region must be the report's.
        reply = self.cur("PutReportDefinition", {"ReportDefinition": ready_definition(
            S3Region="us-west-2")}, MEMBER)
        self.assertJsonError(reply, 400, "ValidationException")
        self.assertNotIn("cur:report", self.stats()["creations"])

    def test_modify_and_delete(self):
        self.make_bucket()
        definition = ready_definition(RefreshClosedReports=False)
        self.cur("PutReportDefinition", {"ReportDefinition": definition}, MEMBER)
        definition["RefreshClosedReports"] = True
        reply = self.cur("ModifyReportDefinition",
                         {"ReportName": "stompy-cur", "ReportDefinition": definition}, MEMBER)
        self.assertEqual(reply.status, 200, reply.body)
        listed = self.cur("DescribeReportDefinitions", {}, MEMBER).json()["ReportDefinitions"]
        self.assertTrue(listed[0]["RefreshClosedReports"])
        changed = dict(definition, TimeUnit="DAILY")
        reply = self.cur("ModifyReportDefinition",
                         {"ReportName": "stompy-cur", "ReportDefinition": changed}, MEMBER)
        self.assertJsonError(reply, 400, "ValidationException")
        reply = self.cur("DeleteReportDefinition", {"ReportName": "stompy-cur"}, MEMBER)
        self.assertEqual(reply.status, 200)
        self.assertEqual(self.describe_all(MEMBER), ([], 1))
        reply = self.cur("DeleteReportDefinition", {"ReportName": "stompy-cur"}, MEMBER)
        self.assertJsonError(reply, 400, "ValidationException")

    def test_fixture_reports_each_fail_one_condition(self):
        reports = []
        token = None
        while True:
            obj = self.cur("DescribeReportDefinitions",
                           {"NextToken": token} if token else {}).json()
            reports += obj["ReportDefinitions"]
            token = obj.get("NextToken")
            if not token:
                break

        def conditions(rd):
            return ("RESOURCES" in rd["AdditionalSchemaElements"],
                    rd.get("RefreshClosedReports") is True, rd["TimeUnit"] == "HOURLY",
                    rd.get("AdditionalArtifacts") == ["ATHENA"] and rd["Format"] == "Parquet"
                    and rd["ReportVersioning"] == "OVERWRITE_REPORT")
        verdicts = {rd["ReportName"]: conditions(rd) for rd in reports}
        self.assertEqual(verdicts.pop("stompy-ready-cur"), (True, True, True, True))
        for name, verdict in verdicts.items():
            self.assertEqual(verdict.count(False), 1, name)
        self.assertEqual({v.index(False) for v in verdicts.values()}, {0, 1, 2, 3})


# ========================================================================= Data Exports

def cur2_export(name="stompy-cur2", bucket="stompy-cur-345678901234", **changes):
    export = {
        "Name": name,
        "DataQuery": {
            "QueryStatement": "SELECT identity_line_item_id, line_item_resource_id, "
                              "line_item_unblended_cost FROM COST_AND_USAGE_REPORT",
            "TableConfigurations": {"COST_AND_USAGE_REPORT": {
                "TIME_GRANULARITY": "HOURLY", "INCLUDE_RESOURCES": "TRUE",
                "INCLUDE_SPLIT_COST_ALLOCATION_DATA": "FALSE",
                "INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY": "FALSE"}}},
        "DestinationConfigurations": {"S3Destination": {
            "S3Bucket": bucket, "S3Prefix": "cur2", "S3Region": "ap-southeast-1",
            "S3OutputConfigurations": {"OutputType": "CUSTOM", "Format": "PARQUET",
                                       "Compression": "PARQUET",
                                       "Overwrite": "OVERWRITE_REPORT"}}},
        "RefreshCadence": {"Frequency": "SYNCHRONOUS"}}
    export.update(changes)
    return export


class DataExports(EmulatorTest):
    def make_bucket(self, principals=("bcm-data-exports.amazonaws.com",)):
        bucket = "stompy-cur-345678901234"
        self.assertEqual(self.create_bucket(bucket, key_id=MEMBER).status, 200)
        self.assertEqual(self.put_policy(bucket, cur_policy(bucket, "345678901234",
                                                            principals=principals),
                                         key_id=MEMBER).status, 204)

    def test_create_get_list_and_delivery(self):
        self.make_bucket()
        reply = self.dx("CreateExport", {"Export": cur2_export()}, MEMBER)
        self.assertEqual(reply.status, 200, reply.body)
        arn = reply.json()["ExportArn"]
        self.assertRegex(arn, r"^arn:aws:bcm-data-exports:us-east-1:345678901234:export/"
                              r"stompy-cur2-[-0-9a-f]+$")
        got = self.dx("GetExport", {"ExportArn": arn}, MEMBER).json()
        self.assertEqual(got["Export"]["Name"], "stompy-cur2")
        self.assertEqual(got["Export"]["ExportArn"], arn)
        self.assertEqual(got["ExportStatus"]["StatusCode"], "HEALTHY")
        self.assertRegex(got["ExportStatus"]["CreatedAt"], r"^\d{4}-\d\d-\d\dT")
        listed = self.dx("ListExports", {}, MEMBER).json()
        self.assertEqual([e["ExportName"] for e in listed["Exports"]], ["stompy-cur2"])
        self.wait_for(lambda: "LastRefreshedAt" in self.dx(
            "GetExport", {"ExportArn": arn}, MEMBER).json()["ExportStatus"])
        root = self.s3("GET", "/stompy-cur-345678901234?list-type=2&prefix=cur2%2Fstompy-cur2%2F",
                       MEMBER).xml()
        keys = [c.findtext(f"{{{S3_NS}}}Key") for c in root.findall(f"{{{S3_NS}}}Contents")]
        self.assertTrue(any("/data/BILLING_PERIOD=" in k for k in keys), keys)
        self.assertEqual(self.stats()["creations"]["data-exports:export"], 1)
        self.assertEqual(self.dx("ListExports", {}, MGMT).json()["Exports"], [])

    def test_paging(self):
        self.make_bucket()
        for i in range(3):
            self.assertEqual(self.dx("CreateExport", {"Export": cur2_export(f"e{i}")},
                                     MEMBER).status, 200)
        names, token = [], None
        while True:
            body = {"MaxResults": 2}
            if token:
                body["NextToken"] = token
            obj = self.dx("ListExports", body, MEMBER).json()
            names += [e["ExportName"] for e in obj["Exports"]]
            token = obj.get("NextToken")
            if not token:
                break
        self.assertEqual(names, ["e0", "e1", "e2"])

    def test_validation(self):
        self.make_bucket()
        bad_query = cur2_export()
        bad_query["DataQuery"]["TableConfigurations"]["COST_AND_USAGE_REPORT"][
            "INCLUDE_RESOURCES"] = "FALSE"
        other_table = cur2_export()
        other_table["DataQuery"]["QueryStatement"] = "SELECT a FROM NO_SUCH_TABLE"
        csv_parquet = cur2_export()
        csv_parquet["DestinationConfigurations"]["S3Destination"]["S3OutputConfigurations"][
            "Format"] = "TEXT_OR_CSV"
        for label, export in (("name", cur2_export("bad name!")),
                              ("resource column", bad_query), ("table", other_table),
                              ("format", csv_parquet),
                              ("missing query", {k: v for k, v in cur2_export().items()
                                                 if k != "DataQuery"})):
            with self.subTest(label):
                reply = self.dx("CreateExport", {"Export": export}, MEMBER)
                body = self.assertJsonError(reply, 400, "ValidationException")
                self.assertIn(body["Reason"], ("fieldValidationFailed", "other"))
        reply = self.dx("GetExport", {"ExportArn": "arn:aws:bcm-data-exports:us-east-1:"
                                                   "345678901234:export/none-1"}, MEMBER)
        self.assertJsonError(reply, 400, "ResourceNotFoundException")

    def test_bucket_policy_must_allow_data_exports(self):
        self.make_bucket(principals=("billingreports.amazonaws.com",))
        reply = self.dx("CreateExport", {"Export": cur2_export()}, MEMBER)
        self.assertJsonError(reply, 400, "ValidationException")

    def test_duplicate_name_and_quota(self):
        self.make_bucket()
        self.dx("CreateExport", {"Export": cur2_export()}, MEMBER)
        reply = self.dx("CreateExport", {"Export": cur2_export()}, MEMBER)
        self.assertJsonError(reply, 400, "ValidationException")
        for i in range(4):
            self.assertEqual(self.dx("CreateExport", {"Export": cur2_export(f"more{i}")},
                                     MEMBER).status, 200)
        reply = self.dx("CreateExport", {"Export": cur2_export("one-too-many")}, MEMBER)
        body = self.assertJsonError(reply, 400, "ServiceQuotaExceededException")
        self.assertEqual(body["ServiceCode"], "bcm-data-exports")


# ======================================================================= CloudFormation

def analysaver_params(bucket="stompy-cur-345678901234", token=None, **extra):
    params = {"StackName": "StompyAnalySaver",
              "TemplateURL": f"http://127.0.0.1:{PORT}/stompy-templates/analysaver/v3.json",
              "Capabilities.member.1": "CAPABILITY_NAMED_IAM",
              "Parameters.member.1.ParameterKey": "ExternalId",
              "Parameters.member.1.ParameterValue": "stp-ext-5b1e0c9a7d",
              "Parameters.member.2.ParameterKey": "StompyPrincipalAccountId",
              "Parameters.member.2.ParameterValue": "111122223333",
              "Parameters.member.3.ParameterKey": "CurBucketName",
              "Parameters.member.3.ParameterValue": bucket}
    if token:
        params["ClientRequestToken"] = token
    params.update(extra)
    return params


class CloudFormation(EmulatorTest):
    def stack(self, name="StompyAnalySaver", key_id=MEMBER):
        reply = self.cfn("DescribeStacks", {"StackName": name}, key_id)
        self.assertEqual(reply.status, 200, reply.body)
        return reply.xml().find(f"{CFN_NS}DescribeStacksResult/{CFN_NS}Stacks/{CFN_NS}member")

    def status(self, name="StompyAnalySaver", key_id=MEMBER):
        return self.stack(name, key_id).findtext(f"{CFN_NS}StackStatus")

    def events(self, name="StompyAnalySaver", key_id=MEMBER):
        events, token, pages = [], None, 0
        while True:
            params = {"StackName": name}
            if token:
                params["NextToken"] = token
            root = self.cfn("DescribeStackEvents", params, key_id).xml()
            result = root.find(f"{CFN_NS}DescribeStackEventsResult")
            for member in result.findall(f"{CFN_NS}StackEvents/{CFN_NS}member"):
                events.append({child.tag.split("}")[1]: child.text for child in member})
            pages += 1
            token = result.findtext(f"{CFN_NS}NextToken")
            if not token:
                return events, pages

    def test_template_is_served(self):
        reply = self.raw("GET", "/stompy-templates/analysaver/v3.json")
        self.assertEqual(reply.status, 200)
        self.assertIn("StompyAnalySaverRole", reply.json()["Resources"])
        self.assertEqual(self.raw("GET", "/stompy-templates/spotainer/v2.json").status, 200)
        self.assertEqual(self.raw("GET", "/stompy-templates/nothing/v1.json").status, 404)

    def test_create_progresses_to_complete_with_outputs(self):
        reply = self.cfn("CreateStack", analysaver_params(token="tok-1"))
        self.assertEqual(reply.status, 200, reply.body)
        stack_id = reply.xml().findtext(f"{CFN_NS}CreateStackResult/{CFN_NS}StackId")
        self.assertRegex(stack_id, r"^arn:aws:cloudformation:ap-southeast-1:345678901234:stack/"
                                   r"StompyAnalySaver/[-0-9a-f]{36}$")
        self.wait_for(lambda: self.status() == "CREATE_COMPLETE")
        stack = self.stack()
        self.assertEqual(stack.findtext(f"{CFN_NS}StackId"), stack_id)
        outputs = {m.findtext(f"{CFN_NS}OutputKey"): m.findtext(f"{CFN_NS}OutputValue")
                   for m in stack.findall(f"{CFN_NS}Outputs/{CFN_NS}member")}
        self.assertEqual(outputs, {"RoleArn": "arn:aws:iam::345678901234:role/StompyAnalySaverRole"})
        events, _ = self.events()
        statuses = [(e["LogicalResourceId"], e["ResourceStatus"]) for e in reversed(events)]
        self.assertEqual(statuses, [
            ("StompyAnalySaver", "CREATE_IN_PROGRESS"),
            ("StompyAnalySaverRole", "CREATE_IN_PROGRESS"),
            ("StompyAnalySaverRole", "CREATE_IN_PROGRESS"),
            ("StompyAnalySaverRole", "CREATE_COMPLETE"),
            ("StompyAnalySaver", "CREATE_COMPLETE")])
        self.assertTrue(all(e["ClientRequestToken"] == "tok-1" for e in events))
        timestamps = [e["Timestamp"] for e in events]
        self.assertEqual(timestamps, sorted(timestamps, reverse=True))
        # By id too, and the stack is per region.
        self.assertEqual(self.status(stack_id), "CREATE_COMPLETE")
        reply = self.cfn("DescribeStacks", {"StackName": "StompyAnalySaver"}, MEMBER, "us-east-1")
        self.assertCfnError(reply, "ValidationError",
                            "Stack with id StompyAnalySaver does not exist")
        self.assertEqual(self.stats()["creations"], {"cloudformation:stack": 1})

    def test_client_request_token_idempotency(self):
        first = self.cfn("CreateStack", analysaver_params(token="same-token")).xml()
        again = self.cfn("CreateStack", analysaver_params(token="same-token")).xml()
        path = f"{CFN_NS}CreateStackResult/{CFN_NS}StackId"
        self.assertEqual(first.findtext(path), again.findtext(path))
        self.assertEqual(self.stats()["creations"], {"cloudformation:stack": 1})
        reply = self.cfn("CreateStack", analysaver_params(token="other-token"))
        self.assertEqual(reply.status, 400)
        root = reply.xml()
        self.assertEqual(root.findtext(f"{CFN_NS}Error/{CFN_NS}Code"), "AlreadyExistsException")
        self.assertEqual(root.findtext(f"{CFN_NS}Error/{CFN_NS}Message"),
                         "Stack [StompyAnalySaver] already exists")

    def assertCfnError(self, reply, code, message=None):
        self.assertEqual(reply.status, 400, reply.body)
        root = reply.xml()
        self.assertEqual(root.tag, f"{CFN_NS}ErrorResponse")
        self.assertEqual(root.findtext(f"{CFN_NS}Error/{CFN_NS}Code"), code)
        if message is not None:
            self.assertEqual(root.findtext(f"{CFN_NS}Error/{CFN_NS}Message"), message)
        self.assertEqual(root.findtext(f"{CFN_NS}RequestId"), reply.headers["x-amzn-RequestId"])

    def test_parameters_and_capabilities_are_checked(self):
        params = analysaver_params()
        del params["Parameters.member.3.ParameterKey"], params["Parameters.member.3.ParameterValue"]
        self.assertCfnError(self.cfn("CreateStack", params), "ValidationError",
                            "Parameters: [CurBucketName] must have values")
        self.assertCfnError(self.cfn("CreateStack", analysaver_params(bucket="Bad_Bucket")),
                            "ValidationError",
                            "Parameter 'CurBucketName' must match pattern "
                            "^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
        params = analysaver_params(**{"Parameters.member.4.ParameterKey": "Nope",
                                      "Parameters.member.4.ParameterValue": "x"})
        self.assertCfnError(self.cfn("CreateStack", params), "ValidationError",
                            "Parameters: [Nope] do not exist in the template")
        params = analysaver_params()
        del params["Capabilities.member.1"]
        self.assertCfnError(self.cfn("CreateStack", params), "InsufficientCapabilitiesException",
                            "Requires capabilities : [CAPABILITY_NAMED_IAM]")
        params["Capabilities.member.1"] = "CAPABILITY_IAM"
        self.assertCfnError(self.cfn("CreateStack", params), "InsufficientCapabilitiesException",
                            "Requires capabilities : [CAPABILITY_NAMED_IAM]")
        params = analysaver_params(TemplateURL=f"http://127.0.0.1:{PORT}/stompy-templates/x.json")
        self.assertCfnError(self.cfn("CreateStack", params), "ValidationError")
        params = analysaver_params(StackName="bad name")
        self.assertCfnError(self.cfn("CreateStack", params), "ValidationError")
        self.assertEqual(self.stats()["creations"], {})

    def test_stack_fail_fault_rolls_back(self):
        self.fault(target="cloudformation:CreateStack", kind="stack_fail",
                   reason="StompyAnalySaverRole already exists")
        self.assertEqual(self.cfn("CreateStack", analysaver_params()).status, 200)
        self.wait_for(lambda: self.status() == "ROLLBACK_COMPLETE")
        stack = self.stack()
        self.assertIsNone(stack.find(f"{CFN_NS}Outputs"))
        events, _ = self.events()
        failed = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0]["LogicalResourceId"], "StompyAnalySaverRole")
        self.assertEqual(failed[0]["ResourceStatusReason"], "StompyAnalySaverRole already exists")
        stack_statuses = [e["ResourceStatus"] for e in reversed(events)
                          if e["ResourceType"] == "AWS::CloudFormation::Stack"]
        self.assertEqual(stack_statuses, ["CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS",
                                          "ROLLBACK_COMPLETE"])
        # The name stays taken until the stack is deleted.
        self.assertCfnError(self.cfn("CreateStack", analysaver_params()), "AlreadyExistsException")
        self.assertEqual(self.cfn("DeleteStack", {"StackName": "StompyAnalySaver"}).status, 200)
        self.wait_for(lambda: self.cfn("DescribeStacks", {"StackName": "StompyAnalySaver"},
                                       MEMBER).status == 400)
        self.assertCfnError(self.cfn("DescribeStacks", {"StackName": "StompyAnalySaver"}),
                            "ValidationError", "Stack with id StompyAnalySaver does not exist")
        self.assertEqual(self.cfn("CreateStack", analysaver_params()).status, 200)
        self.wait_for(lambda: self.status() == "CREATE_COMPLETE")

    def test_named_role_conflict_between_stacks(self):
        self.cfn("CreateStack", analysaver_params())
        self.wait_for(lambda: self.status() == "CREATE_COMPLETE")
        other = analysaver_params(StackName="StompyAnalySaver2")
        self.assertEqual(self.cfn("CreateStack", other, MEMBER, "us-east-1").status, 200)
        self.wait_for(lambda: self.cfn("DescribeStacks", {"StackName": "StompyAnalySaver2"},
                                       MEMBER, "us-east-1").xml().findtext(
            f".//{CFN_NS}StackStatus") == "ROLLBACK_COMPLETE")

    def test_delete_stack_and_events_paging(self):
        self.control("timings", {"stack_seconds": 0.2})
        params = {"StackName": "Spot0", "TemplateURL":
                  f"http://127.0.0.1:{PORT}/stompy-templates/spotainer/v2.json",
                  "Capabilities.member.1": "CAPABILITY_NAMED_IAM",
                  "Parameters.member.1.ParameterKey": "ExternalId",
                  "Parameters.member.1.ParameterValue": "stp-ext",
                  "Parameters.member.2.ParameterKey": "StompyPrincipalAccountId",
                  "Parameters.member.2.ParameterValue": "111122223333"}
        self.assertEqual(self.cfn("CreateStack", params, SOLO).status, 200)
        self.wait_for(lambda: self.status("Spot0", SOLO) == "CREATE_COMPLETE")
        stack_id = self.stack("Spot0", SOLO).findtext(f"{CFN_NS}StackId")
        self.assertEqual(self.cfn("DeleteStack", {"StackName": "Spot0",
                                                  "ClientRequestToken": "del-1"}, SOLO).status, 200)
        self.wait_for(lambda: self.status(stack_id, SOLO) == "DELETE_COMPLETE")
        events, pages = self.events(stack_id, SOLO)
        self.assertEqual(pages, 1)
        self.assertEqual(events[0]["ResourceStatus"], "DELETE_COMPLETE")
        self.assertEqual(events[0]["ClientRequestToken"], "del-1")
        # The name is free again once deleted.
        for _ in range(2):
            self.assertEqual(self.cfn("CreateStack", params, SOLO).status, 200)
            self.wait_for(lambda: self.status("Spot0", SOLO) == "CREATE_COMPLETE")
            new_id = self.stack("Spot0", SOLO).findtext(f"{CFN_NS}StackId")
            self.cfn("DeleteStack", {"StackName": "Spot0"}, SOLO)
            self.wait_for(lambda: self.status(new_id, SOLO) == "DELETE_COMPLETE")
        self.assertEqual(self.stats()["creations"], {"cloudformation:stack": 3})
        many = {"StackName": "Many", "TemplateBody": json.dumps({"Resources": {
            f"Topic{i}": {"Type": "AWS::SNS::Topic"} for i in range(6)}})}
        self.assertEqual(self.cfn("CreateStack", many, SOLO).status, 200)
        self.wait_for(lambda: self.status("Many", SOLO) == "CREATE_COMPLETE")
        events, pages = self.events("Many", SOLO)
        self.assertEqual(len(events), 2 + 6 * 3)
        self.assertEqual(pages, 2)
        self.assertEqual(len({e["EventId"] for e in events}), len(events))

    def test_stack_duration_control(self):
        reply = self.raw("POST", "/_emulator/timings", json.dumps(
            {"stack_seconds": 300, "stack_name": "StompyAnalySaver"}).encode())
        self.assertEqual(reply.status, 200, reply.body)
        self.cfn("CreateStack", analysaver_params())
        time.sleep(0.5)
        self.assertEqual(self.status(), "CREATE_IN_PROGRESS")
        self.assertEqual(self.raw("POST", "/_emulator/timings", b'{"nope": 1}').status, 400)

    def use_emulator(self, *args):
        """Points this test's requests at a new emulator started with @args."""
        global PORT
        proc, port = start_emulator(*args)
        saved = PORT

        def stop():
            global PORT
            PORT = saved
            proc.send_signal(signal.SIGTERM)
            proc.wait(10)
            proc.stdout.close()
        self.addCleanup(stop)
        PORT = port

    def test_delays_none_completes_at_once(self):
        self.use_emulator("--delays", "none")
        self.assertEqual(self.cfn("CreateStack", analysaver_params()).status, 200)
        self.assertEqual(self.status(), "CREATE_COMPLETE")

    def test_time_scale_slows_the_world(self):
        # --delays zero: a 0.3 s stack, 20 times longer here.
        self.use_emulator("--delays", "zero", "--time-scale", "20")
        self.assertEqual(self.cfn("CreateStack", analysaver_params()).status, 200)
        time.sleep(1)
        self.assertEqual(self.status(), "CREATE_IN_PROGRESS")
        proc = subprocess.run([sys.executable, EMULATOR, "--time-scale", "0.5"],
                              capture_output=True, timeout=10)
        self.assertEqual(proc.returncode, 2)
        self.assertIn(b"--time-scale must be at least 1", proc.stderr)

    def test_missing_stack(self):
        self.assertCfnError(self.cfn("DescribeStacks", {"StackName": "Nope"}), "ValidationError",
                            "Stack with id Nope does not exist")
        self.assertCfnError(self.cfn("DescribeStackEvents", {"StackName": "Nope"}),
                            "ValidationError", "Stack [Nope] does not exist")
        self.assertEqual(self.cfn("DeleteStack", {"StackName": "Nope"}).status, 200)

    def test_throttle_and_unknown_action(self):
        self.fault(target="cloudformation:DescribeStacks", kind="throttle")
        self.assertCfnError(self.cfn("DescribeStacks"), "Throttling", "Rate exceeded")
        self.assertCfnError(self.cfn("Frobnicate"), "InvalidAction")
        self.assertEqual(self.cfn("DescribeStacks").status, 200)


class Transport(EmulatorTest):
    def test_keep_alive_counts_one_connection(self):
        conn = self.connection()
        self.assertEqual(self.aws("AKIAEMULATORMGMT0001", conn=conn).status, 200)
        self.assertEqual(self.organizations("AKIAEMULATORMGMT0001", conn=conn).status, 200)
        self.assertEqual(self.api("GET", "/aws/accounts", conn=conn).status, 401)
        self.assertEqual(self.stats()["connections"], 1)
        self.aws("AKIAEMULATORMGMT0001")
        self.assertEqual(self.stats()["connections"], 2)

    def test_bad_fault_is_refused(self):
        reply = self.raw("POST", "/_emulator/faults", b'{"target": "*", "kind": "gremlins"}')
        self.assertEqual(reply.status, 400)

    def test_sigterm_stops_cleanly(self):
        proc, port = start_emulator("--delays", "zero")
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(10), 0)
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2)
        proc.stdout.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
