#!/usr/bin/env python3
"""Stompy Connect's local emulator: the AWS endpoints the app uses and the Stompy API.

One loopback port serves:
  /v1/...         the Stompy API (stompy-api.md)
  /_emulator/...  the control API (faults, stats, reset), see README.md
  anything else   AWS, dispatched on the service of the request's SigV4 credential scope

Standard library only (Python 3.11). On start it prints exactly one line,
STOMPY_EMULATOR_URL=http://127.0.0.1:PORT, then logs requests to stderr.
"""

import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__

import argparse
import ipaddress
import json
import os
import signal
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import aws
import aws_services
import sigv4
from core import Clock, Faults, FaultError, Request, Stats, json_response, parse_fault
from stompy_api import StompyApi

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "data", "cloudformation"))

DELAYS = {
    # verification: seconds before Stompy's verification checks settle (None: accounts.json's
    # stompy.verification_seconds); stack: a CloudFormation stack's create (or delete) from
    # first to last event; delivery: a report's or export's first delivery after its creation.
    "normal": {"verification": None, "stack": 8.0, "delivery": 20.0},
    "zero": {"verification": 0, "stack": 0.3, "delivery": 0.5},
    # Everything done the moment it is asked: the benchmarks' "delays set to zero". "zero"
    # keeps a stack in progress for 0.3 s so that the UI tests can see progress.
    "none": {"verification": 0, "stack": 0, "delivery": 0},
}
TIMING_NAMES = ("stack_seconds", "delivery_seconds", "verification_seconds")


class Accounts:
    """The fixtures of accounts.json."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.data = json.load(f)

    def aws_key(self, access_key_id):
        return self.data["aws"].get(access_key_id)

    def organization(self, org_id):
        return self.data["organizations"].get(org_id)


class Emulator:
    def __init__(self, accounts, delays, time_scale=1.0):
        self.accounts = accounts
        self.delays = delays
        # Every duration of the simulated world (stacks, deliveries, Stompy's checks) is
        # multiplied by this: a sanitizer build of the app runs several times slower, and a
        # stack must still be in progress when the slowed app first looks at it.
        self.time_scale = time_scale
        self.template_file = lambda path: template_file(accounts, path)
        self.faults = Faults()
        self.stats = Stats()
        self.clock = Clock(self.faults)
        self.stompy = StompyApi(self)
        self.base_url = None
        # AWS state (buckets, reports, exports, stacks), per service, made from the
        # fixtures on first use; /_emulator/reset drops it.
        self.state_lock = threading.RLock()
        self.aws_state = {}
        self.timings = {}

    def delay(self, name, stack_name=None):
        return self.unscaled_delay(name, stack_name) * self.time_scale

    def unscaled_delay(self, name, stack_name=None):
        with self.state_lock:
            if name == "stack" and stack_name in self.timings.get("stacks", {}):
                return self.timings["stacks"][stack_name]
            if f"{name}_seconds" in self.timings:
                return self.timings[f"{name}_seconds"]
        value = DELAYS[self.delays][name]
        if value is None:
            value = self.accounts.data["stompy"].get("verification_seconds", 3)
        return value

    def settle(self):
        for service in aws_services.SERVICES.values():
            service.settle(self)

    def reset(self):
        self.faults.clear()
        self.stats.clear()
        self.stompy.reset()
        with self.state_lock:
            self.aws_state = {}
            self.timings = {}

    def set_timings(self, obj):
        """POST /_emulator/timings: {"stack_seconds", "delivery_seconds", "stack_name"}."""
        if not isinstance(obj, dict) or not obj:
            raise ValueError("the body must be a JSON object such as {\"stack_seconds\": 300}")
        stack_name = obj.get("stack_name")
        if stack_name is not None and not isinstance(stack_name, str):
            raise ValueError("'stack_name' must be a string")
        for name, value in obj.items():
            if name == "stack_name":
                continue
            if name not in TIMING_NAMES:
                raise ValueError(f"unknown timing '{name}' (known: {', '.join(TIMING_NAMES)})")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"'{name}' must be a number of seconds ≥ 0")
        if stack_name is not None and set(obj) - {"stack_name"} != {"stack_seconds"}:
            raise ValueError("'stack_name' goes with 'stack_seconds' only")
        with self.state_lock:
            for name, value in obj.items():
                if name == "stack_name":
                    continue
                if stack_name is not None:
                    self.timings.setdefault("stacks", {})[stack_name] = float(value)
                else:
                    self.timings[name] = float(value)
            return dict(self.timings)

    # ----------------------------------------------------------------- dispatch

    def prepare(self, request):
        """A call object (operation, run(), fault_response(), finish()) for @request."""
        if request.path == "/v1" or request.path.startswith("/v1/"):
            return self.stompy.prepare(request)
        authorization = request.header("Authorization")
        if (request.path.startswith(TemplateCall.PREFIX) and not authorization
                and request.method in ("GET", "HEAD")):
            return TemplateCall(self, request)
        service_name = sigv4.service_of_authorization(authorization) if authorization else None
        service = aws_services.for_request(service_name, request)
        if service is None:
            return UnknownService(service_name)
        return aws.Call(service, request, self)

    def control(self, request):
        path = request.path
        if request.method == "GET" and path == "/_emulator/stats":
            return json_response(200, self.stats.to_json())
        if request.method == "GET" and path == "/_emulator/faults":
            return json_response(200, self.faults.to_json())
        if request.method == "DELETE" and path == "/_emulator/faults":
            # Faults and skews gone, the rest (state, stats, sessions) kept.
            self.faults.clear()
            return json_response(200, {"ok": True})
        if request.method == "POST" and path == "/_emulator/faults":
            try:
                fault = parse_fault(json.loads(request.body or b"null"))
            except (ValueError, FaultError) as err:
                return json_response(400, {"error": str(err)})
            self.faults.add(fault)
            return json_response(200, {"ok": True, "fault": fault.to_json()})
        if request.method == "POST" and path == "/_emulator/reset":
            self.reset()
            return json_response(200, {"ok": True})
        if path == "/_emulator/timings" and request.method in ("GET", "POST"):
            if request.method == "GET":
                with self.state_lock:
                    return json_response(200, dict(self.timings))
            try:
                timings = self.set_timings(json.loads(request.body or b"null"))
            except ValueError as err:
                return json_response(400, {"error": str(err)})
            return json_response(200, {"ok": True, "timings": timings})
        if request.method == "POST" and path == "/_emulator/expire-tokens":
            self.stompy.expire_tokens()
            return json_response(200, {"ok": True})
        return json_response(404, {"error": f"no control endpoint {request.method} {path}"})


class UnknownService:
    """A request signed for a service the emulator does not implement."""

    def __init__(self, service_name):
        self.operation = f"{service_name}:(unsupported)"
        self.request_id = aws.new_aws_request_id()

    def _answer(self):
        return aws.QueryProtocol("https://aws.amazon.com/emulator/", "").error(
            400, "UnsupportedService",
            f"The emulator does not implement the AWS service in the credential scope "
            f"({self.operation.partition(':')[0]}).", self.request_id)

    def run(self):
        return self._answer()

    def fault_response(self, fault):
        return self._answer()

    def finish(self, response):
        response.headers.append(("x-amzn-RequestId", self.request_id))
        return response


class TemplateCall:
    """GET /stompy-templates/<product>/<file>: the CloudFormation templates of data/, at the
    paths of accounts.json's stompy.onboarding.templates (as an S3 object would be served)."""

    PREFIX = "/stompy-templates/"

    def __init__(self, emulator, request):
        self.emulator = emulator
        self.request = request
        self.operation = "templates:GET"
        self.request_id = aws.new_aws_request_id()

    def run(self):
        path = template_file(self.emulator.accounts, self.request.path)
        if path is None:
            return aws.Response(404, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                                     "NoSuchKey</Code><Message>The specified key does not exist."
                                     "</Message></Error>", "application/xml")
        with open(path, "rb") as f:
            return aws.Response(200, f.read(), "application/json")

    def fault_response(self, fault):
        return aws.Response(503, "<Error><Code>SlowDown</Code><Message>Please reduce your "
                                 "request rate.</Message></Error>", "application/xml")

    def finish(self, response):
        response.headers.append(("x-amz-request-id", self.request_id))
        return response


def template_file(accounts, path):
    """The data/cloudformation file served at @path, or None."""
    for product, template in accounts.data["stompy"]["onboarding"]["templates"].items():
        if template["path"] == path:
            return os.path.join(TEMPLATES_DIR, f"{product}.json")
    return None


def corrupt(response):
    """A "malformed" fault: the answer's body no longer parses."""
    body = response.body
    response.status = 200 if response.status == 204 else response.status
    response.body = body[: len(body) // 2] + b"\x00<<garbage" if body else b"\x00<<garbage"
    return response


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "StompyEmulator/1"
    emulator = None  # set by main()
    # Headers and body leave in two writes; with Nagle's algorithm on, the body would wait for
    # the client's delayed ACK of the headers (≈ 40 ms on Linux) — a stall no AWS or Stompy
    # front end has, which added 40 ms to most answers with a body.
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        self.counted_generation = None

    def do_any(self):
        started = time.monotonic()
        body = self.read_body()
        if body is None:
            return
        request = Request(self.command, self.path, list(self.headers.items()), body,
                          self.client_address[0])
        emulator = self.emulator
        if request.path.startswith("/_emulator/"):
            response = emulator.control(request)
            self.send(response, None)
            self.log(request, "control", response.status, started)
            return

        # Control connections are not counted, only the clients' ones.
        if self.counted_generation != emulator.stats.generation:
            self.counted_generation = emulator.stats.generation
            emulator.stats.connection()

        call = emulator.prepare(request)
        emulator.stats.request(call.operation)
        fault = emulator.faults.take(call.operation)
        kind = fault.kind if fault else None
        if kind == "reset":
            self.log(request, call.operation, "reset", started)
            self.reset_connection()
            return
        if kind == "delay":
            time.sleep(fault.delay_ms / 1000)
        if kind in (None, "delay", "malformed", "truncated"):
            response = call.run()
        else:
            response = call.fault_response(fault)
        if kind == "malformed":
            response = corrupt(response)
        response = call.finish(response)
        response.headers.append(("Date", emulator.clock.http_date(call.operation)))
        self.send(response, kind)
        self.log(request, call.operation, response.status, started, kind)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_any

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.send_error(400, "Bad Content-Length")
            return None
        return self.rfile.read(length) if length > 0 else b""

    def send(self, response, kind):
        self.send_response_only(response.status)
        names = {name.lower() for name, _ in response.headers}
        for name, value in response.headers:
            self.send_header(name, value)
        if "date" not in names:
            self.send_header("Date", self.emulator.clock.http_date())
        body = response.body
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            if kind == "truncated":
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.reset_connection()
                return
            self.wfile.write(body)
        self.wfile.flush()

    def reset_connection(self):
        """Closes the connection with a TCP reset, without (further) answer."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True
        self.connection.close()

    def log(self, request, operation, status, started, fault=None):
        # Only the method, the path without its query, the operation and the outcome:
        # never a header, a body or a query string (they may hold secrets).
        elapsed = (time.monotonic() - started) * 1000
        extra = f" fault={fault}" if fault else ""
        sys.stderr.write(f"stompy-emulator: {request.method} {request.path} {operation} "
                         f"→ {status} ({elapsed:.0f} ms){extra}\n")
        sys.stderr.flush()

    def log_message(self, format, *args):
        sys.stderr.write("stompy-emulator: " + (format % args) + "\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def verify_request(self, request, client_address):
        return ipaddress.ip_address(client_address[0].split("%")[0]).is_loopback


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=0, help="port (0: a free one)")
    parser.add_argument("--accounts", default=os.path.join(HERE, "accounts.json"))
    parser.add_argument("--delays", choices=sorted(DELAYS), default="normal")
    parser.add_argument("--time-scale", type=float, default=1.0,
                        help="multiply every stack, delivery and check duration (>= 1)")
    parser.add_argument("--exit-with-stdin", action="store_true",
                        help="stop when standard input reaches end of file (the parent died)")
    args = parser.parse_args(argv)

    if not is_loopback(args.host):
        parser.error(f"--host must be a loopback address, not {args.host}")
    host = "127.0.0.1" if args.host == "localhost" else args.host

    if args.time_scale < 1:
        parser.error("--time-scale must be at least 1")
    emulator = Emulator(Accounts(args.accounts), args.delays, args.time_scale)
    Handler.emulator = emulator
    if ":" in host:
        Server.address_family = socket.AF_INET6
    server = Server((host, args.port), Handler)
    port = server.server_address[1]
    url_host = f"[{host}]" if ":" in host else host
    emulator.base_url = f"http://{url_host}:{port}"

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if args.exit_with_stdin:
        def watch_stdin():
            # os.read, not sys.stdin: a buffered reader blocked in a daemon thread
            # would abort the interpreter's shutdown.
            while os.read(sys.stdin.fileno(), 4096):
                pass
            stop.set()
        threading.Thread(target=watch_stdin, daemon=True).start()

    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    sys.stdout.write(f"STOMPY_EMULATOR_URL={emulator.base_url}\n")
    sys.stdout.flush()
    sys.stderr.write(f"stompy-emulator: listening on {emulator.base_url} "
                     f"(delays {args.delays})\n")
    while not stop.wait(1):
        pass
    server.shutdown()
    server.server_close()
    sys.stderr.write("stompy-emulator: stopped\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
