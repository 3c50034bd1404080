#!/usr/bin/env python3
"""Tests of the emulator: wire formats, signature checks, the Stompy API, faults.

Starts stompy-emulator.py in a subprocess and talks to it with http.client.
Requests are signed with sigv4.py, which is first checked against AWS's own
test vectors, so that the signer and the verifier are anchored to AWS rather
than only to each other.
"""

import sys

sys.dont_write_bytecode = True

import datetime
import email.utils
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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import sigv4  # noqa: E402

EMULATOR = os.path.join(HERE, "stompy-emulator.py")
with open(os.path.join(HERE, "accounts.json"), encoding="utf-8") as _f:
    FIXTURES = json.load(_f)
KEYS = FIXTURES["aws"]
STS_NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"
ORG_TARGET = "AWSOrganizationsV20161128.DescribeOrganization"
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
        if service == "sts":
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
