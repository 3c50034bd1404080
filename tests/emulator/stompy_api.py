"""The Stompy service API v1 (stompy-api.md), in memory."""

import json
import re
import secrets
import threading
import time

from core import json_response
from aws import utc_iso

# --------------------------------------------------------------------------- messages

MESSAGES = {
    "bad_request": ("The request is not valid.", "请求无效。"),
    "bad_json": ("The request body is not a JSON object.", "请求正文不是 JSON 对象。"),
    "bad_content_type": ("The request body must be application/json.",
                         "请求正文必须是 application/json。"),
    "invalid_credentials": ("Email or password is wrong.", "邮箱或密码错误。"),
    "token_invalid": ("Your session is not valid. Please sign in again.",
                      "登录状态无效，请重新登录。"),
    "token_expired": ("Your session has expired. Please sign in again.",
                      "登录已过期，请重新登录。"),
    "forbidden": ("Only an admin of your Stompy organization can connect AWS accounts.",
                  "只有 Stompy 组织的管理员才能连接 AWS 账户。"),
    "not_found": ("Not found.", "未找到请求的资源。"),
    "account_already_connected": (
        "This AWS account is already connected to another Stompy organization ({name}).",
        "此 AWS 账户已连接到另一个 Stompy 组织（{name}）。"),
    "validation_failed": ("Some fields are not valid.", "部分字段无效。"),
    "rate_limited": ("Too many requests. Try again in {seconds} seconds.",
                     "请求过于频繁，请在 {seconds} 秒后重试。"),
    "internal": ("Something went wrong on our side. Please try again.",
                 "服务内部出错，请重试。"),
    "unavailable": ("Stompy is temporarily unavailable. Please try again shortly.",
                    "Stompy 暂时无法使用，请稍后重试。"),
    # Field messages of validation_failed.
    "required": ("This field is required.", "此项为必填项。"),
    "not_string": ("Must be a string.", "必须是字符串。"),
    "not_object": ("Must be an object.", "必须是对象。"),
    "email": ("Enter a valid email address.", "请输入有效的邮箱地址。"),
    "account_id": ("Must be a 12-digit AWS account ID.", "必须是 12 位数字的 AWS 账户 ID。"),
    "products": ("Choose at least one of \"analysaver\" and \"spotainer\", each once.",
                 "请从 \"analysaver\" 和 \"spotainer\" 中至少选择一项，且不可重复。"),
    "product_absent": ("Must be absent when the product is not chosen.",
                       "未选择该产品时不能提供此项。"),
    "role_arn": ("Must be the ARN of an IAM role in account {account}.",
                 "必须是账户 {account} 中某个 IAM 角色的 ARN。"),
    "cur_kind": ("Must be \"legacy\" or \"data_export\".", "必须是 \"legacy\" 或 \"data_export\"。"),
    "name": ("Must be 1–128 letters, digits, or the characters !-_.*'().",
             "必须为 1–128 个字母、数字或字符 !-_.*'()。"),
    "bucket": ("Not a valid S3 bucket name.", "不是有效的 S3 存储桶名称。"),
    "prefix": ("Must be a string of at most 256 characters without a leading \"/\".",
               "必须是最多 256 个字符的字符串，且不能以 \"/\" 开头。"),
    "region": ("Not a valid AWS Region code.", "不是有效的 AWS 区域代码。"),
    # Messages of failed verification checks.
    "check_assume": ("Stompy could not assume this role. Check that the stack completed and "
                     "that the role trusts Stompy with your external ID.",
                     "Stompy 无法代入此角色。请确认堆栈已创建完成，且该角色以您的外部 ID 信任 Stompy。"),
    "check_bucket": ("Stompy could not read the report bucket with the AnalySaver role.",
                     "Stompy 无法使用 AnalySaver 角色读取报告存储桶。"),
}


def wants_chinese(accept_language):
    """True when the most preferred language of Accept-Language is Simplified Chinese."""
    best, best_q = None, -1.0
    for item in (accept_language or "").split(","):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        if tag and q > best_q:
            best, best_q = tag.lower(), q
    return bool(best) and best in ("zh", "zh-cn", "zh-hans", "zh-hans-cn", "zh-sg")


def message(key, chinese, **args):
    en, zh = MESSAGES[key]
    return (zh if chinese else en).format(**args)


class ApiError(Exception):
    def __init__(self, status, code, message_key=None, details=None, headers=None, **args):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message_key = message_key or code
        self.args_ = args
        self.details = details or {}
        self.headers = headers or []


class FieldErrors(dict):
    """field → message key (plus arguments); turned into text in the caller's language."""

    def add(self, field, key, **args):
        self.setdefault(field, (key, args))


# ------------------------------------------------------------------------- validation

ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
REPORT_NAME = re.compile(r"^[0-9A-Za-z!\-_.*'()]{1,128}$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
IPV4 = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def valid_bucket(name):
    return (bool(BUCKET.match(name)) and ".." not in name and not IPV4.match(name)
            and not name.startswith(("xn--", "sthree-", "amzn-s3-demo-"))
            and not name.endswith(("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")))


def role_arn_ok(arn, account_id):
    return bool(re.match(r"^arn:aws(-cn|-us-gov)?:iam::" + re.escape(account_id or "") +
                         r":role/[\w+=,.@/-]{1,512}$", arn))


def validate_connect(body):
    """Checks a POST /aws/accounts body; returns FieldErrors (empty when valid)."""
    errors = FieldErrors()
    account_id = body.get("account_id")
    if account_id is None:
        errors.add("account_id", "required")
    elif not isinstance(account_id, str) or not ACCOUNT_ID.match(account_id):
        errors.add("account_id", "account_id")
        account_id = None

    products = body.get("products")
    if (not isinstance(products, list) or not products
            or any(p not in ("analysaver", "spotainer") for p in products)
            or len(set(products)) != len(products)):
        errors.add("products", "products")
        products = [p for p in products if isinstance(p, str)] if isinstance(products, list) else []

    for product in ("analysaver", "spotainer"):
        section = body.get(product)
        if product not in products:
            if section is not None:
                errors.add(product, "product_absent")
            continue
        if section is None:
            errors.add(product, "required")
            continue
        if not isinstance(section, dict):
            errors.add(product, "not_object")
            continue
        arn = section.get("role_arn")
        if arn is None:
            errors.add(f"{product}.role_arn", "required")
        elif not isinstance(arn, str) or (account_id and not role_arn_ok(arn, account_id)):
            errors.add(f"{product}.role_arn", "role_arn", account=account_id or "")
        if product == "analysaver":
            validate_cur(section.get("cur"), errors)
    return errors


def validate_cur(cur, errors):
    if cur is None:
        errors.add("analysaver.cur", "required")
        return
    if not isinstance(cur, dict):
        errors.add("analysaver.cur", "not_object")
        return
    kind = cur.get("kind")
    if kind not in ("legacy", "data_export"):
        errors.add("analysaver.cur.kind", "required" if kind is None else "cur_kind")
    name_field = "export_name" if kind == "data_export" else "report_name"
    checks = [(name_field, lambda v: REPORT_NAME.match(v), "name"),
              ("bucket", valid_bucket, "bucket"),
              ("region", lambda v: REGION.match(v), "region")]
    for field, ok, key in checks:
        value = cur.get(field)
        if value is None:
            errors.add(f"analysaver.cur.{field}", "required")
        elif not isinstance(value, str) or not ok(value):
            errors.add(f"analysaver.cur.{field}", key)
    prefix = cur.get("prefix", "")
    if not isinstance(prefix, str) or len(prefix) > 256 or prefix.startswith("/"):
        errors.add("analysaver.cur.prefix", "prefix")


# ---------------------------------------------------------------------------- service

class Connection:
    """One AWS account connected to an organization, with its verification checks."""

    def __init__(self, body, started, delay, fixtures):
        self.account_id = body["account_id"]
        self.products = list(body["products"])
        self.analysaver = body.get("analysaver")
        self.spotainer = body.get("spotainer")
        self.started = started
        self.delay = delay
        self.results = self._verify(fixtures)

    def same_request(self, body):
        return (body["products"] == self.products and body.get("analysaver") == self.analysaver
                and body.get("spotainer") == self.spotainer)

    def _verify(self, fixtures):
        """check id → failure message key, or None when it passes."""
        unassumable = set(fixtures.get("unassumable_roles", []))
        unreadable = set(fixtures.get("unreadable_buckets", []))
        results = {}
        if self.analysaver:
            assumed = self.analysaver["role_arn"] not in unassumable
            results["assume_analysaver_role"] = None if assumed else "check_assume"
            readable = assumed and self.analysaver["cur"]["bucket"] not in unreadable
            results["read_cur_bucket"] = None if readable else "check_bucket"
        if self.spotainer:
            assumed = self.spotainer["role_arn"] not in unassumable
            results["assume_spotainer_role"] = None if assumed else "check_assume"
        return results

    def to_json(self, now, chinese, initial=False):
        done = not initial and now >= self.started + self.delay
        checks = []
        for check_id, failure in self.results.items():
            if not done:
                checks.append({"id": check_id, "status": "pending", "message": ""})
            elif failure:
                checks.append({"id": check_id, "status": "failed",
                               "message": message(failure, chinese)})
            else:
                checks.append({"id": check_id, "status": "ok", "message": ""})
        if not done:
            status = "verifying"
        elif any(self.results.values()):
            status = "failed"
        elif self.analysaver:
            # The roles work, but the emulator never has a delivered report yet.
            status = "waiting_for_data"
        else:
            status = "connected"
        return {"account_id": self.account_id, "status": status, "checks": checks}


class StompyApi:
    PREFIX = "/v1"

    def __init__(self, emulator):
        self.emulator = emulator
        self.fixtures = emulator.accounts.data["stompy"]
        self._lock = threading.RLock()
        self.reset()

    def reset(self):
        with self._lock:
            self.sessions = {}          # token → {"email", "expires"}
            self.revoked = {}           # token → email (signed out)
            self.connections = {}       # organization id → {account id → Connection}
            self.idempotent = {}        # (scope, method, path, key) → Response

    def expire_tokens(self):
        with self._lock:
            now = time.time()
            for session in self.sessions.values():
                session["expires"] = min(session["expires"], now - 1)

    # ------------------------------------------------------------------ dispatch

    def route(self, method, path):
        """(handler, pattern, needs_auth, arguments) for a path below /v1, or None."""
        rel = path[len(self.PREFIX):] or "/"
        for route_method, pattern, regex, handler, needs_auth in ROUTES:
            match = regex.match(rel)
            if match and route_method == method:
                return handler, pattern, needs_auth, match.groupdict()
        return None

    def prepare(self, request):
        return Call(self, request)


class Call:
    """One Stompy API request on its way through faults, authentication and the handler."""

    def __init__(self, api, request):
        self.api = api
        self.request = request
        self.request_id = "req_" + secrets.token_hex(12)
        self.chinese = wants_chinese(request.header("Accept-Language"))
        self.route = api.route(request.method, request.path)
        pattern = self.route[1] if self.route else request.path[len(api.PREFIX):]
        self.operation = f"stompy:{request.method} {pattern}"
        self.user_email = None

    def error_response(self, err):
        text = message(err.message_key, self.chinese, **err.args_)
        details = dict(err.details)
        if isinstance(details.get("fields"), FieldErrors):
            details["fields"] = {field: message(key, self.chinese, **args)
                                 for field, (key, args) in details["fields"].items()}
        return json_response(err.status, {"error": {"code": err.code, "message": text,
                                                    "request_id": self.request_id,
                                                    "details": details}},
                             headers=err.headers)

    def fault_response(self, fault):
        kind = fault.kind
        if kind in ("throttle", "rate_limited"):
            err = ApiError(429, "rate_limited", seconds=fault.retry_after,
                           headers=[("Retry-After", str(fault.retry_after))])
        elif kind == "http500":
            err = ApiError(500, "internal")
        elif kind == "http503":
            err = ApiError(503, "unavailable")
        elif kind == "expired_token":
            err = ApiError(401, "token_expired",
                           headers=[("WWW-Authenticate", 'Bearer error="invalid_token"')])
        elif kind == "validation_failed":
            # The fault's messages are sent as given, whatever the caller's language.
            err = ApiError(422, "validation_failed", details={"fields": dict(fault.fields)})
        else:
            raise AssertionError(kind)
        return self.error_response(err)

    def finish(self, response):
        response.headers.append(("X-Request-Id", self.request_id))
        return response

    def run(self):
        try:
            return self._run()
        except ApiError as err:
            return self.error_response(err)

    def _run(self):
        api = self.api
        if self.route is None:
            raise ApiError(404, "not_found")
        handler, pattern, needs_auth, arguments = self.route
        request = self.request
        mutating = request.method in ("POST", "PUT", "PATCH", "DELETE")
        key = request.header("Idempotency-Key")

        body = None
        if request.method in ("POST", "PUT", "PATCH"):
            body = self.json_body()

        session_email = None
        if needs_auth:
            session_email = self.authenticate(replaying=bool(mutating and key))
        scope = session_email or ("anonymous:" + str((body or {}).get("email", "")).lower())

        if mutating and key:
            stored_key = (scope, request.method, request.path, key)
            with api._lock:
                stored = api.idempotent.get(stored_key)
                if stored is not None:
                    replay = stored.copy()
                    replay.headers.append(("Idempotent-Replayed", "true"))
                    return replay
                if needs_auth:
                    self.check_session_valid()
                try:
                    response = handler(self, body, **arguments)
                except ApiError as err:
                    response = self.error_response(err)
                # The first result is kept, errors included, unless trying again may
                # give another answer (a server error or rate limit).
                if response.status < 500 and response.status != 429:
                    api.idempotent[stored_key] = response.copy()
                return response
        if needs_auth:
            self.check_session_valid()
        with api._lock:
            return handler(self, body, **arguments)

    # ----------------------------------------------------------- request helpers

    def json_body(self):
        content_type = (self.request.header("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise ApiError(400, "bad_request", "bad_content_type")
        try:
            body = json.loads(self.request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            body = None
        if not isinstance(body, dict):
            raise ApiError(400, "bad_request", "bad_json")
        return body

    def authenticate(self, replaying):
        """Finds the session of the bearer token; its validity is checked separately so that
        a retried mutating call whose first attempt succeeded can still be replayed."""
        header = self.request.header("Authorization") or ""
        scheme, _, token = header.partition(" ")
        token = token.strip()
        api = self.api
        with api._lock:
            session = api.sessions.get(token) if scheme.lower() == "bearer" else None
            revoked = api.revoked.get(token) if scheme.lower() == "bearer" else None
        self.token = token
        self.session = session
        if session is not None:
            self.user_email = session["email"]
            return session["email"]
        if revoked is not None and replaying:
            self.user_email = revoked
            return revoked
        raise ApiError(401, "token_invalid",
                       headers=[("WWW-Authenticate", 'Bearer error="invalid_token"')])

    def check_session_valid(self):
        if self.session is None:
            raise ApiError(401, "token_invalid",
                           headers=[("WWW-Authenticate", 'Bearer error="invalid_token"')])
        if self.session["expires"] <= time.time():
            raise ApiError(401, "token_expired",
                           headers=[("WWW-Authenticate", 'Bearer error="invalid_token"')])

    def user(self):
        return self.api.fixtures["users"][self.user_email]


# ------------------------------------------------------------------------- handlers
# Each runs with the API's lock held and gets the call, the JSON body (None for
# GET and DELETE) and the route's path arguments.

def _create_session(call, body):
    fixtures = call.api.fixtures
    errors = FieldErrors()
    email, password = body.get("email"), body.get("password")
    if email is None or email == "":
        errors.add("email", "required")
    elif not isinstance(email, str):
        errors.add("email", "not_string")
    elif not EMAIL.match(email):
        errors.add("email", "email")
    if password is None or password == "":
        errors.add("password", "required")
    elif not isinstance(password, str):
        errors.add("password", "not_string")
    if errors:
        raise ApiError(422, "validation_failed", details={"fields": errors})
    user = fixtures["users"].get(email.strip().lower())
    if user is None or not secrets.compare_digest(user["password"].encode(), password.encode()):
        raise ApiError(401, "invalid_credentials")
    token = "stp_" + secrets.token_hex(24)
    expires = int(time.time()) + int(fixtures.get("token_lifetime_seconds", 2592000))
    call.api.sessions[token] = {"email": email.strip().lower(), "expires": expires}
    return json_response(201, {
        "token": token,
        "expires_at": utc_iso(expires),
        "user": {"email": email.strip().lower(), "name": user["name"]},
        "organization": dict(user["organization"]),
    })


def _delete_session(call, body):
    api = call.api
    if api.sessions.pop(call.token, None) is not None:
        api.revoked[call.token] = call.user_email
    return json_response(204, None)


def _onboarding(call, body):
    fixtures = call.api.fixtures["onboarding"]
    base = call.api.emulator.base_url
    templates = {name: {"url": base + t["path"], "version": t["version"],
                        "default_stack_name": t["default_stack_name"]}
                 for name, t in fixtures["templates"].items()}
    return json_response(200, {
        "external_id": fixtures["external_id"],
        "principal_account_id": fixtures["principal_account_id"],
        "recommended_region": fixtures["recommended_region"],
        "templates": templates,
    })


def _org_connections(call):
    return call.api.connections.setdefault(call.user()["organization"]["id"], {})


def _list_accounts(call, body):
    now = time.time()
    return json_response(200, {"accounts": [c.to_json(now, call.chinese)
                                            for c in _org_connections(call).values()]})


def _get_account(call, body, id):
    connection = _org_connections(call).get(id)
    if connection is None:
        raise ApiError(404, "not_found")
    return json_response(200, connection.to_json(time.time(), call.chinese))


def _connect_account(call, body):
    api = call.api
    if not call.user().get("admin"):
        raise ApiError(403, "forbidden")
    errors = validate_connect(body)
    if errors:
        raise ApiError(422, "validation_failed", details={"fields": errors})
    elsewhere = api.fixtures.get("connected_elsewhere", {}).get(body["account_id"])
    if elsewhere:
        name = elsewhere["organization_name"]
        raise ApiError(409, "account_already_connected", name=name,
                       details={"organization_name": name})
    connections = _org_connections(call)
    existing = connections.get(body["account_id"])
    now = time.time()
    if existing is not None and existing.same_request(body):
        return json_response(200, existing.to_json(now, call.chinese))
    connection = Connection(body, now, api.emulator.delay("verification"), api.fixtures)
    connections[body["account_id"]] = connection
    api.emulator.stats.creation("stompy:aws_account")
    return json_response(201, connection.to_json(now, call.chinese, initial=True))


def _route(method, pattern, handler, needs_auth=True):
    regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")
    return (method, pattern, regex, handler, needs_auth)


ROUTES = [
    _route("POST", "/sessions", _create_session, needs_auth=False),
    _route("DELETE", "/sessions/current", _delete_session),
    _route("GET", "/aws/onboarding", _onboarding),
    _route("GET", "/aws/accounts", _list_accounts),
    _route("POST", "/aws/accounts", _connect_account),
    _route("GET", "/aws/accounts/{id}", _get_account),
]
