"""AWS Cost and Usage Report service, legacy CUR (awsJson1_1, 2017-01-06), us-east-1 only.

Report definitions are per account. PutReportDefinition validates the model's constraints,
the combination rules of the console (aws-cur-s3.md §1.4) and the bucket (it must exist,
belong to the caller, be in S3Region and carry a policy that lets billingreports.amazonaws.com
check its policy and write, §3). Some seconds after a report is defined the emulator
"delivers" it into the bucket and sets ReportStatus.
"""

import base64
import binascii
import datetime
import json
import threading
import time
import uuid

import aws_s3
from aws import REGIONS, AwsError, JsonProtocol, JsonService, Validation

SERVICE_PRINCIPAL = "billingreports.amazonaws.com"
PAGE_SIZE = 5
DEFAULT_REPORT_LIMIT = 5
NAME_PATTERN = r"[0-9A-Za-z!\-_.*\'()]+"
BUCKET_PATTERN = r"[A-Za-z0-9_\.\-]+"
PREFIX_PATTERN = r"[0-9A-Za-z!\-_.*\'()/]*"
TOKEN_PATTERN = r"[A-Za-z0-9_\.\-=]*"
BILLING_VIEW_PATTERN = r"(arn:aws(-cn)?:billing::[0-9]{12}:billingview/)?[a-zA-Z0-9_\+=\.\-@].{1,30}"
PARQUET_BODY = b"PAR1" + b"\x15\x00" * 8 + b"PAR1"


def definition_arn(account, name):
    return f"arn:aws:cur:us-east-1:{account}:definition/{name}"


def delivery_stamp(seconds):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(seconds))


def validate_definition(rd, v, path="reportDefinition"):
    """Model constraints of a ReportDefinition (aws-cur-s3.md §1.3) into @v."""
    v.string(v.required(rd, "ReportName", f"{path}.reportName"), f"{path}.reportName",
             NAME_PATTERN, max_len=256)
    v.string(v.required(rd, "TimeUnit", f"{path}.timeUnit"), f"{path}.timeUnit",
             enum=("HOURLY", "DAILY", "MONTHLY"))
    v.string(v.required(rd, "Format", f"{path}.format"), f"{path}.format",
             enum=("textORcsv", "Parquet"))
    v.string(v.required(rd, "Compression", f"{path}.compression"), f"{path}.compression",
             enum=("ZIP", "GZIP", "Parquet"))
    v.enum_list(v.required(rd, "AdditionalSchemaElements", f"{path}.additionalSchemaElements"),
                f"{path}.additionalSchemaElements",
                ("RESOURCES", "SPLIT_COST_ALLOCATION_DATA", "MANUAL_DISCOUNT_COMPATIBILITY"))
    v.string(v.required(rd, "S3Bucket", f"{path}.s3Bucket"), f"{path}.s3Bucket",
             BUCKET_PATTERN, max_len=256)
    v.string(v.required(rd, "S3Prefix", f"{path}.s3Prefix"), f"{path}.s3Prefix",
             PREFIX_PATTERN, max_len=256)
    v.string(v.required(rd, "S3Region", f"{path}.s3Region"), f"{path}.s3Region", enum=REGIONS)
    v.enum_list(rd.get("AdditionalArtifacts"), f"{path}.additionalArtifacts",
                ("REDSHIFT", "QUICKSIGHT", "ATHENA"))
    v.boolean(rd.get("RefreshClosedReports"), f"{path}.refreshClosedReports")
    v.string(rd.get("ReportVersioning"), f"{path}.reportVersioning",
             enum=("CREATE_NEW_REPORT", "OVERWRITE_REPORT"))
    v.string(rd.get("BillingViewArn"), f"{path}.billingViewArn", BILLING_VIEW_PATTERN,
             max_len=128)


def combination_problem(rd):
    """The console's combination rules (§1.4); AWS itself answers a bare
    ValidationException, the emulator says which rule was broken."""
    artifacts = rd.get("AdditionalArtifacts") or []
    fmt, compression = rd["Format"], rd["Compression"]
    if "ATHENA" in artifacts:
        if len(artifacts) != 1:
            return "ATHENA cannot be combined with other AdditionalArtifacts."
        if not rd["S3Prefix"]:
            return "A report integrated with ATHENA requires a non-empty S3Prefix."
        if rd.get("ReportVersioning") != "OVERWRITE_REPORT":
            return "A report integrated with ATHENA requires ReportVersioning OVERWRITE_REPORT."
        if fmt != "Parquet":
            return "A report integrated with ATHENA requires the Parquet Format."
    if ("REDSHIFT" in artifacts or "QUICKSIGHT" in artifacts) and fmt == "Parquet":
        return "REDSHIFT and QUICKSIGHT integrations require the textORcsv Format."
    if (fmt == "Parquet") != (compression == "Parquet"):
        return (f"Compression {compression} is not valid for Format {fmt}: Parquet goes with "
                f"Parquet, textORcsv with ZIP or GZIP.")
    return None


class Report:
    def __init__(self, definition, created):
        self.definition = dict(definition)
        self.created = created
        self.status = None              # ReportStatus once delivered (or failed)
        self.delivery_due = None

    def to_json(self):
        obj = dict(self.definition)
        if self.status:
            obj["ReportStatus"] = dict(self.status)
        return obj


class CurState:
    def __init__(self, fixtures):
        self.lock = threading.RLock()
        self.accounts = {}              # account → {"limit": n, "reports": {name: Report}}
        now = time.time()
        for account, spec in fixtures.items():
            book = self.book(account)
            book["limit"] = spec.get("report_limit", DEFAULT_REPORT_LIMIT)
            for i, item in enumerate(spec.get("reports", [])):
                item = dict(item)
                status = item.pop("ReportStatus", None)
                report = Report(item, now - 86400 * (30 - i))
                report.status = status
                book["reports"][item["ReportName"]] = report

    def book(self, account):
        return self.accounts.setdefault(account, {"limit": DEFAULT_REPORT_LIMIT, "reports": {}})


def report_keys(rd, when):
    """The keys of a delivery, laid out as AWS does (aws-cur-s3.md §5.5)."""
    name = rd["ReportName"]
    prefix = rd["S3Prefix"].strip("/")
    base = f"{prefix}/{name}" if prefix else name
    day = datetime.datetime.fromtimestamp(when, datetime.timezone.utc)
    if "ATHENA" in (rd.get("AdditionalArtifacts") or []):
        folder = f"{base}/{name}/year={day.year}/month={day.month}"
        return ([f"{folder}/{name}-00001.snappy.parquet"], f"{folder}/{name}-Manifest.json",
                [f"{base}/cost_and_usage_data_status/cost_and_usage_data_status.parquet",
                 f"{base}/crawler-cfn.yml"])
    start = day.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    folder = f"{base}/{start:%Y%m%d}-{end:%Y%m%d}"
    extension = {"Parquet": "snappy.parquet", "GZIP": "csv.gz", "ZIP": "csv.zip"}[
        rd["Compression"]]
    return [f"{folder}/{name}-1.{extension}"], f"{folder}/{name}-Manifest.json", []


class Cur(JsonService):
    name = "cur"
    protocol = JsonProtocol("AWSOrigamiServiceGatewayService")
    signing_regions = {"us-east-1"}

    def new_state(self, emulator):
        return CurState(emulator.accounts.data.get("aws_state", {}).get("cur", {}))

    def access_denied(self, call, required):
        return AwsError("AccessDeniedException",
                        f"User: {call.identity['arn']} is not authorized to perform: {required} "
                        f"on resource: {definition_arn(call.account, '')} because no "
                        f"identity-based policy allows the {required} action")

    def server_error(self, status):
        if status == 500:
            return AwsError("InternalErrorException", "An internal error occurred.", 500)
        return super().server_error(status)

    # ------------------------------------------------------------------ helpers

    def check_bucket(self, call, rd):
        """AWS checks the bucket before it accepts a definition (aws-cur-s3.md §3.3)."""
        s3 = aws_s3.bucket_state(call.emulator)
        bucket = s3.get(rd["S3Bucket"])
        if (bucket is None or bucket.account != call.account or bucket.region != rd["S3Region"]
                or not aws_s3.delivery_allowed(bucket, SERVICE_PRINCIPAL,
                                               definition_arn(call.account, rd["ReportName"]),
                                               call.account)):
            raise AwsError("ValidationException",
                           f"Failed to verify customer bucket permission. accountId= "
                           f"{call.account}, bucket: {rd['S3Bucket']}, region: {rd['S3Region']}")

    def validated(self, call, rd, path="reportDefinition"):
        v = Validation()
        if not isinstance(rd, dict):
            v.add(rd, path, "Member must not be null")
            v.check()
        validate_definition(rd, v, path)
        v.check()
        problem = combination_problem(rd)
        if problem:
            raise AwsError("ValidationException", problem)
        return rd

    def schedule_delivery(self, call, report):
        report.delivery_due = time.time() + call.emulator.delay("delivery")

    # --------------------------------------------------------------- operations

    def describe_report_definitions(self, call):
        body = call.input
        max_results = body.get("MaxResults")
        v = Validation()
        if max_results is not None:
            if isinstance(max_results, bool) or not isinstance(max_results, int):
                raise AwsError("SerializationException",
                               "NUMBER_VALUE can not be converted to an Integer")
            if max_results > PAGE_SIZE:
                v.add(max_results, "maxResults",
                      f"Member must have value less than or equal to {PAGE_SIZE}")
            elif max_results < PAGE_SIZE:
                v.add(max_results, "maxResults",
                      f"Member must have value greater than or equal to {PAGE_SIZE}")
        token = body.get("NextToken")
        v.string(token, "nextToken", TOKEN_PATTERN, max_len=256)
        v.check()
        state = self.state(call.emulator)
        with state.lock:
            reports = list(state.book(call.account)["reports"].values())
        start = 0
        if token:
            try:
                start = int(base64.urlsafe_b64decode(token.encode()).decode().partition(":")[2])
            except (ValueError, binascii.Error, UnicodeDecodeError):
                raise AwsError("ValidationException", "Invalid NextToken")
        page = reports[start:start + PAGE_SIZE]
        result = {"ReportDefinitions": [report.to_json() for report in page]}
        if start + PAGE_SIZE < len(reports):
            result["NextToken"] = base64.urlsafe_b64encode(
                f"page:{start + PAGE_SIZE}".encode()).decode()
        return self.success(call, result)

    def put_report_definition(self, call):
        rd = self.validated(call, call.input.get("ReportDefinition"))
        state = self.state(call.emulator)
        with state.lock:
            book = state.book(call.account)
            if rd["ReportName"] in book["reports"]:
                raise AwsError("DuplicateReportNameException",
                               f"Report {rd['ReportName']} already exists")
            if len(book["reports"]) >= book["limit"]:
                raise AwsError("ReportLimitReachedException",
                               f"This account already has {len(book['reports'])} reports, the "
                               f"maximum number of reports ({book['limit']}).")
            self.check_bucket(call, rd)
            report = Report(rd, time.time())
            book["reports"][rd["ReportName"]] = report
            self.schedule_delivery(call, report)
        # The billing service writes a test object when it validates the bucket.
        aws_s3.bucket_state(call.emulator).put_object(
            rd["S3Bucket"], "aws-programmatic-access-test-object", b"")
        call.emulator.stats.creation("cur:report")
        return self.success(call, {})

    def modify_report_definition(self, call):
        body = call.input
        v = Validation()
        name = v.required(body, "ReportName", "reportName")
        v.string(name, "reportName", NAME_PATTERN, max_len=256)
        v.required(body, "ReportDefinition", "reportDefinition")
        v.check()
        rd = self.validated(call, body["ReportDefinition"])
        state = self.state(call.emulator)
        with state.lock:
            report = state.book(call.account)["reports"].get(name)
            if report is None:
                raise AwsError("ValidationException", f"Report {name} does not exist")
            if rd["ReportName"] != name:
                raise AwsError("ValidationException", "ReportName cannot be modified.")
            old = report.definition
            if old.get("ReportVersioning") == "OVERWRITE_REPORT":
                for field in ("TimeUnit", "AdditionalSchemaElements", "ReportVersioning"):
                    before, after = old.get(field), rd.get(field)
                    if field == "AdditionalSchemaElements":
                        before, after = sorted(before or []), sorted(after or [])
                    if before != after:
                        raise AwsError("ValidationException",
                                       f"{field} of a report with OVERWRITE_REPORT versioning "
                                       f"cannot be modified.")
            self.check_bucket(call, rd)
            report.definition = dict(rd)
            if report.status is None or report.status.get("lastStatus") != "SUCCESS":
                self.schedule_delivery(call, report)
        return self.success(call, {})

    def delete_report_definition(self, call):
        v = Validation()
        name = v.required(call.input, "ReportName", "reportName")
        v.string(name, "reportName", NAME_PATTERN, max_len=256)
        v.check()
        state = self.state(call.emulator)
        with state.lock:
            if state.book(call.account)["reports"].pop(name, None) is None:
                # Terraform reads this as "already deleted" (aws-cur-s3.md §1.6).
                raise AwsError("ValidationException", f"Report {name} does not exist")
        return self.success(call, {"ResponseMessage": f"Successfully deleted report {name}"})

    OPERATIONS = {
        "DescribeReportDefinitions": describe_report_definitions,
        "PutReportDefinition": put_report_definition,
        "ModifyReportDefinition": modify_report_definition,
        "DeleteReportDefinition": delete_report_definition,
    }

    # ----------------------------------------------------------------- delivery

    def settle(self, emulator):
        state = self.state(emulator)
        now = time.time()
        with state.lock:
            for account, book in state.accounts.items():
                for report in book["reports"].values():
                    if report.delivery_due is not None and report.delivery_due <= now:
                        report.delivery_due = None
                        self.deliver(emulator, account, report, now)

    def deliver(self, emulator, account, report, now):
        rd = report.definition
        s3 = aws_s3.bucket_state(emulator)
        bucket = s3.get(rd["S3Bucket"])
        if bucket is None:
            report.status = {"lastStatus": "ERROR_NO_BUCKET"}
            return
        if bucket.account != account or not aws_s3.delivery_allowed(
                bucket, SERVICE_PRINCIPAL, definition_arn(account, rd["ReportName"]), account):
            report.status = {"lastStatus": "ERROR_PERMISSIONS"}
            return
        data_keys, manifest_key, extra_keys = report_keys(rd, now)
        day = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
        start = day.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        end = (start + datetime.timedelta(days=32)).replace(day=1)
        manifest = {
            "assemblyId": str(uuid.uuid4()),
            "account": account,
            "columns": [{"category": "identity", "name": "LineItemId", "type": "String"},
                        {"category": "lineItem", "name": "ResourceId", "type": "String"},
                        {"category": "lineItem", "name": "UnblendedCost",
                         "type": "OptionalBigDecimal"}],
            "charset": "UTF-8",
            "compression": rd["Compression"],
            "contentType": "Parquet" if rd["Format"] == "Parquet" else "text/csv",
            "reportName": rd["ReportName"],
            "billingPeriod": {"start": f"{start:%Y%m%dT%H%M%S}.000Z",
                              "end": f"{end:%Y%m%dT%H%M%S}.000Z"},
            "bucket": rd["S3Bucket"],
            "reportKeys": data_keys,
            "additionalArtifactKeys": [],
        }
        for key in data_keys + extra_keys:
            s3.put_object(bucket.name, key, PARQUET_BODY if "parquet" in key else b"stub\n")
        s3.put_object(bucket.name, manifest_key, json.dumps(manifest).encode(),
                      "application/json")
        report.status = {"lastDelivery": delivery_stamp(now), "lastStatus": "SUCCESS"}
