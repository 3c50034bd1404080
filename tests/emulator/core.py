"""Shared pieces of the emulator: requests, responses, faults, statistics, the clock."""

import email.utils
import json
import threading
import time
import uuid


class Request:
    """One parsed HTTP request, as the handlers see it."""

    def __init__(self, method, target, headers, body, client_host):
        self.method = method
        self.target = target
        self.path, _, self.query = target.partition("?")
        self.headers = headers            # list of (name, value) in wire order
        self.body = body
        self.client_host = client_host

    def header(self, name, default=None):
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return default


class Response:
    def __init__(self, status, body=b"", content_type=None, headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.headers = list(headers or [])
        if content_type:
            self.headers.append(("Content-Type", content_type))

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def copy(self):
        return Response(self.status, self.body, headers=self.headers)


def json_response(status, obj, content_type="application/json", headers=None):
    body = b"" if obj is None else json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return Response(status, body, content_type if obj is not None else None, headers)


def new_aws_request_id():
    return str(uuid.uuid4())


FAULT_KINDS = ("throttle", "http500", "http503", "reset", "delay", "malformed", "truncated",
               "skew", "expired_token", "rate_limited", "stack_fail", "validation_failed")
# Kinds a service takes itself when the matching work happens (the next stack created
# fails), rather than the request front end.
DEFERRED_KINDS = ("stack_fail",)


class Fault:
    def __init__(self, target, kind, count=1, delay_ms=0, retry_after=1, skew_seconds=0,
                 reason=None, resource=None, fields=None):
        self.fields = fields
        self.reason = reason
        self.resource = resource
        self.target = target
        self.kind = kind
        self.count = count
        self.delay_ms = delay_ms
        self.retry_after = retry_after
        self.skew_seconds = skew_seconds

    def matches(self, operation):
        return self.target in ("*", operation)

    def to_json(self):
        obj = {"target": self.target, "kind": self.kind, "count": self.count,
               "delay_ms": self.delay_ms, "retry_after": self.retry_after,
               "skew_seconds": self.skew_seconds}
        if self.kind == "stack_fail":
            obj.update(reason=self.reason, resource=self.resource)
        if self.kind == "validation_failed":
            obj.update(fields=dict(self.fields))
        return obj


class FaultError(ValueError):
    pass


def parse_fault(obj):
    """Validates a POST /_emulator/faults body; raises FaultError."""
    if not isinstance(obj, dict):
        raise FaultError("the body must be a JSON object")
    target = obj.get("target")
    kind = obj.get("kind")
    if not isinstance(target, str) or not target:
        raise FaultError("'target' must be an operation name such as 'sts:GetCallerIdentity' or '*'")
    if kind not in FAULT_KINDS:
        raise FaultError(f"'kind' must be one of {', '.join(FAULT_KINDS)}")

    def integer(name, default, minimum):
        value = obj.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise FaultError(f"'{name}' must be an integer ≥ {minimum}")
        return value

    skew = obj.get("skew_seconds", 0)
    if isinstance(skew, bool) or not isinstance(skew, int):
        raise FaultError("'skew_seconds' must be an integer")
    reason = obj.get("reason")
    resource = obj.get("resource")
    if kind == "stack_fail":
        if reason is None:
            reason = "Resource creation cancelled"
        if not isinstance(reason, str) or not reason:
            raise FaultError("'reason' must be a non-empty string")
        if resource is not None and (not isinstance(resource, str) or not resource):
            raise FaultError("'resource' must be a logical resource id")
    fields = obj.get("fields")
    if kind == "validation_failed":
        # Only the Stompy API answers 422 validation_failed; an AWS operation has no such error.
        if not target.startswith("stompy:"):
            raise FaultError("a 'validation_failed' fault targets a Stompy operation "
                             "such as 'stompy:POST /aws/accounts'")
        if (not isinstance(fields, dict) or not fields
                or not all(isinstance(k, str) and k and isinstance(v, str) and v
                           for k, v in fields.items())):
            raise FaultError("'fields' must be a non-empty object of field → message")
    return Fault(target, kind, count=integer("count", 1, 1), delay_ms=integer("delay_ms", 0, 0),
                 retry_after=integer("retry_after", 1, 0), skew_seconds=skew,
                 reason=reason, resource=resource, fields=fields)


class Faults:
    """Faults queued by the control API, consumed by matching requests.

    A "skew" fault is different: it is a clock offset that stays in force for its
    target until /_emulator/reset (or a new skew fault for the same target), so that
    a client has to correct its clock from the Date header, as with a real skew.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._queue = []
        self._skews = {}

    def add(self, fault):
        with self._lock:
            if fault.kind == "skew":
                if fault.skew_seconds:
                    self._skews[fault.target] = fault.skew_seconds
                else:
                    self._skews.pop(fault.target, None)
            else:
                self._queue.append(fault)

    def take(self, operation, kinds=None):
        """The first queued fault matching @operation, counted down; or None.

        @kinds: only faults of these kinds; by default every kind but the deferred ones.
        """
        with self._lock:
            for fault in self._queue:
                wanted = fault.kind in kinds if kinds else fault.kind not in DEFERRED_KINDS
                if wanted and fault.matches(operation):
                    fault.count -= 1
                    if fault.count <= 0:
                        self._queue.remove(fault)
                    return fault
        return None

    def skew(self, operation):
        """Seconds the emulator's clock is off for @operation (None when not skewed)."""
        with self._lock:
            if operation in self._skews:
                return self._skews[operation]
            return self._skews.get("*")

    def clear(self):
        with self._lock:
            self._queue.clear()
            self._skews.clear()

    def to_json(self):
        with self._lock:
            return {"queued": [fault.to_json() for fault in self._queue],
                    "skews": dict(self._skews)}


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self):
        with self._lock:
            self._requests = {}
            self._creations = {}
            self._connections = 0
            # Connections opened before a reset are not counted again.
            self.generation = getattr(self, "generation", 0) + 1

    def request(self, operation):
        with self._lock:
            self._requests[operation] = self._requests.get(operation, 0) + 1

    def connection(self):
        with self._lock:
            self._connections += 1

    def creation(self, kind):
        with self._lock:
            self._creations[kind] = self._creations.get(kind, 0) + 1

    def to_json(self):
        with self._lock:
            return {"requests": dict(self._requests), "connections": self._connections,
                    "creations": dict(self._creations)}


class Clock:
    """The emulator's clock: real time, shifted by a "skew" fault for the affected operations."""

    def __init__(self, faults):
        self._faults = faults

    def now(self, operation=None):
        skew = self._faults.skew(operation) if operation else None
        return time.time() + (skew or 0)

    def http_date(self, operation=None):
        return email.utils.formatdate(self.now(operation), usegmt=True)
