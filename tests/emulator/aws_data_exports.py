"""AWS Data Exports, CUR 2.0 (awsJson1_1, 2023-11-26), signed for us-east-1.

Exports are per account. CreateExport validates the model (aws-cur-s3.md §4.2), the query
and its table configurations (§4.3), the output combination and the bucket (it must exist,
belong to the caller, be in S3Region and let bcm-data-exports.amazonaws.com write, §3.2).
Some seconds after an export is created the emulator delivers its first files.
"""

import base64
import binascii
import datetime
import json
import re
import threading
import time
import uuid

import aws_s3
from aws import REGIONS, AwsError, JsonProtocol, JsonService, Validation, utc_iso

SERVICE_PRINCIPAL = "bcm-data-exports.amazonaws.com"
DEFAULT_EXPORT_LIMIT = 5
DEFAULT_PAGE_SIZE = 20
NAME_PATTERN = r"[0-9A-Za-z\-_]+"
TABLES = {
    "COST_AND_USAGE_REPORT": {
        "TIME_GRANULARITY": ("HOURLY", "DAILY", "MONTHLY"),
        "INCLUDE_RESOURCES": ("TRUE", "FALSE"),
        "INCLUDE_SPLIT_COST_ALLOCATION_DATA": ("TRUE", "FALSE"),
        "INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY": ("TRUE", "FALSE"),
        "INCLUDE_CAPACITY_RESERVATION_DATA": ("TRUE", "FALSE"),
        "BILLING_VIEW_ARN": None,
    },
    "COST_OPTIMIZATION_RECOMMENDATIONS": {
        "INCLUDE_ALL_RECOMMENDATIONS": ("TRUE", "FALSE"),
        "FILTER": None,
    },
    "CARBON_EMISSIONS": {},
    "FOCUS_1_0_AWS": {},
}
# Columns that exist only when a table property adds them (table dictionary, §4.3).
COLUMN_PROPERTIES = (
    (re.compile(r"line_item_resource_id"), "INCLUDE_RESOURCES"),
    (re.compile(r"split_line_item_\w+"), "INCLUDE_SPLIT_COST_ALLOCATION_DATA"),
)
_QUERY = re.compile(r"\s*SELECT\s+(?P<columns>.+?)\s+FROM\s+(?P<table>\w+)(?P<rest>\s.*)?",
                    re.IGNORECASE | re.DOTALL)
_COLUMN = re.compile(r"\*|[a-z_][a-z0-9_]*(\.[A-Za-z0-9_:]+)?(\s+AS\s+[a-z_][a-z0-9_]*)?",
                     re.IGNORECASE)


def export_arn(account, name):
    return f"arn:aws:bcm-data-exports:us-east-1:{account}:export/{name}-{uuid.uuid4()}"


def invalid(message, fields=None):
    extra = {"Reason": "fieldValidationFailed" if fields else "other"}
    if fields:
        extra["Fields"] = [{"Name": name, "Message": text} for name, text in fields]
    return AwsError("ValidationException", message, fields=extra)


def validate_export(export):
    """Model constraints of Export (§4.2); returns nothing, raises ValidationException."""
    v = Validation()
    if not isinstance(export, dict):
        v.add(export, "export", "Member must not be null")
        raise_fields(v)
    name = v.required(export, "Name", "export.name")
    v.string(name, "export.name", NAME_PATTERN, 1, 128)
    v.string(export.get("Description"), "export.description", max_len=1024)
    query = v.required(export, "DataQuery", "export.dataQuery")
    if isinstance(query, dict):
        v.string(v.required(query, "QueryStatement", "export.dataQuery.queryStatement"),
                 "export.dataQuery.queryStatement", min_len=1, max_len=36000)
    destination = v.required(export, "DestinationConfigurations",
                             "export.destinationConfigurations")
    s3 = None
    if isinstance(destination, dict):
        s3 = v.required(destination, "S3Destination",
                        "export.destinationConfigurations.s3Destination")
    if isinstance(s3, dict):
        path = "export.destinationConfigurations.s3Destination"
        v.string(v.required(s3, "S3Bucket", f"{path}.s3Bucket"), f"{path}.s3Bucket",
                 max_len=1024)
        v.string(v.required(s3, "S3Prefix", f"{path}.s3Prefix"), f"{path}.s3Prefix",
                 max_len=1024)
        v.string(v.required(s3, "S3Region", f"{path}.s3Region"), f"{path}.s3Region",
                 enum=REGIONS)
        v.string(s3.get("S3BucketOwner"), f"{path}.s3BucketOwner", r"[0-9]{12}")
        out = v.required(s3, "S3OutputConfigurations", f"{path}.s3OutputConfigurations")
        if isinstance(out, dict):
            path += ".s3OutputConfigurations"
            v.string(v.required(out, "OutputType", f"{path}.outputType"), f"{path}.outputType",
                     enum=("CUSTOM", "ATHENA", "REDSHIFT"))
            v.string(v.required(out, "Format", f"{path}.format"), f"{path}.format",
                     enum=("TEXT_OR_CSV", "PARQUET"))
            v.string(v.required(out, "Compression", f"{path}.compression"),
                     f"{path}.compression", enum=("GZIP", "PARQUET", "ZIP"))
            v.string(v.required(out, "Overwrite", f"{path}.overwrite"), f"{path}.overwrite",
                     enum=("CREATE_NEW_REPORT", "OVERWRITE_REPORT"))
    cadence = v.required(export, "RefreshCadence", "export.refreshCadence")
    if isinstance(cadence, dict):
        v.string(v.required(cadence, "Frequency", "export.refreshCadence.frequency"),
                 "export.refreshCadence.frequency", enum=("SYNCHRONOUS",))
    raise_fields(v)


def raise_fields(v):
    try:
        v.check()
    except AwsError as err:
        fields = []
        for error in v.errors:
            match = re.search(r" at '([^']+)' failed", error)
            fields.append((match.group(1) if match else "export", error))
        raise invalid(err.message, fields)


def check_query(export):
    """The query and its TableConfigurations (§4.3)."""
    query = export["DataQuery"]
    match = _QUERY.fullmatch(query["QueryStatement"])
    if not match:
        raise invalid("Invalid query statement: expected SELECT <columns> FROM <table>.",
                      [("export.dataQuery.queryStatement", "Not a supported SQL statement")])
    table = match.group("table")
    if table not in TABLES:
        raise invalid(f"Table {table} does not exist.",
                      [("export.dataQuery.queryStatement", f"Unknown table {table}")])
    columns = [column.strip() for column in match.group("columns").split(",")]
    for column in columns:
        if not _COLUMN.fullmatch(column):
            raise invalid(f"Invalid column expression: {column}",
                          [("export.dataQuery.queryStatement", f"Invalid column {column}")])
    configurations = query.get("TableConfigurations") or {}
    if not isinstance(configurations, dict):
        raise invalid("TableConfigurations must be a map of table names to properties.")
    for name, properties in configurations.items():
        if name != table:
            raise invalid(f"TableConfigurations names table {name}, but the query selects "
                          f"from {table}.")
        if not isinstance(properties, dict):
            raise invalid(f"The properties of {name} must be a map of strings.")
        known = TABLES[table]
        for key, value in properties.items():
            if key not in known:
                raise invalid(f"Table property {key} is not valid for table {table}.")
            if not isinstance(value, str) or (known[key] and value not in known[key]):
                raise invalid(f"Value {value} is not valid for table property {key}; valid "
                              f"values: {', '.join(known[key] or ['a string'])}.")
    properties = configurations.get(table, {})
    for column in columns:
        name = column.split()[0]
        for pattern, prop in COLUMN_PROPERTIES:
            if pattern.fullmatch(name) and properties.get(prop, "FALSE") != "TRUE":
                raise invalid(f"Column {name} requires the table property {prop} = TRUE.",
                              [("export.dataQuery.queryStatement", f"Unknown column {name}")])
    out = export["DestinationConfigurations"]["S3Destination"]["S3OutputConfigurations"]
    if (out["Format"] == "PARQUET") != (out["Compression"] == "PARQUET"):
        raise invalid(f"Compression {out['Compression']} is not valid for Format "
                      f"{out['Format']}: PARQUET goes with PARQUET, TEXT_OR_CSV with GZIP or ZIP.")


class DataExport:
    def __init__(self, arn, export, now):
        self.arn = arn
        self.export = dict(export)
        self.export["ExportArn"] = arn
        self.created = now
        self.updated = now
        self.refreshed = None
        self.healthy = True
        self.reason = None
        self.delivery_due = None

    def status(self):
        status = {"StatusCode": "HEALTHY" if self.healthy else "UNHEALTHY",
                  "CreatedAt": utc_iso(self.created), "LastUpdatedAt": utc_iso(self.updated)}
        if self.refreshed is not None:
            status["LastRefreshedAt"] = utc_iso(self.refreshed)
        if self.reason:
            status["StatusReason"] = self.reason
        return status


class ExportsState:
    def __init__(self, fixtures):
        self.lock = threading.RLock()
        self.limits = {account: spec.get("export_limit", DEFAULT_EXPORT_LIMIT)
                       for account, spec in fixtures.items()}
        self.exports = {}               # account → {arn: DataExport}

    def of(self, account):
        return self.exports.setdefault(account, {})


class DataExports(JsonService):
    name = "bcm-data-exports"
    protocol = JsonProtocol("AWSBillingAndCostManagementDataExports")
    signing_regions = {"us-east-1"}

    def new_state(self, emulator):
        return ExportsState(emulator.accounts.data.get("aws_state", {}).get("data_exports", {}))

    def access_denied(self, call, required):
        return AwsError("AccessDeniedException",
                        f"User: {call.identity['arn']} is not authorized to perform: {required} "
                        f"because no identity-based policy allows the {required} action")

    def server_error(self, status):
        if status == 500:
            return AwsError("InternalServerException", "An internal error occurred.", 500)
        return super().server_error(status)

    def find(self, call, arn):
        state = self.state(call.emulator)
        with state.lock:
            export = state.of(call.account).get(arn)
        if export is None:
            raise AwsError("ResourceNotFoundException", f"Export {arn} was not found.",
                           fields={"ResourceId": arn or "", "ResourceType": "export"})
        return export

    def check_bucket(self, call, export, arn):
        s3 = export["DestinationConfigurations"]["S3Destination"]
        bucket = aws_s3.bucket_state(call.emulator).get(s3["S3Bucket"])
        owner = s3.get("S3BucketOwner") or call.account
        if (bucket is None or bucket.account != owner or bucket.region != s3["S3Region"]
                or not aws_s3.delivery_allowed(bucket, SERVICE_PRINCIPAL, arn, call.account)):
            raise invalid(f"The S3 bucket {s3['S3Bucket']} in {s3['S3Region']} does not exist, "
                          f"or its bucket policy does not allow {SERVICE_PRINCIPAL} to write to "
                          f"it for this export.",
                          [("export.destinationConfigurations.s3Destination.s3Bucket",
                            "Bucket permission validation failed")])

    # --------------------------------------------------------------- operations

    def create_export(self, call):
        export = call.input.get("Export")
        validate_export(export)
        check_query(export)
        state = self.state(call.emulator)
        with state.lock:
            exports = state.of(call.account)
            if any(e.export["Name"] == export["Name"] for e in exports.values()):
                raise invalid(f"An export named {export['Name']} already exists.",
                              [("export.name", "Export name already exists")])
            limit = state.limits.get(call.account, DEFAULT_EXPORT_LIMIT)
            if len(exports) >= limit:
                raise AwsError("ServiceQuotaExceededException",
                               f"You have reached the quota of {limit} exports per account.",
                               fields={"QuotaCode": "exports-per-account",
                                       "ServiceCode": "bcm-data-exports",
                                       "ResourceType": "export"})
            arn = export_arn(call.account, export["Name"])
            self.check_bucket(call, export, arn)
            item = DataExport(arn, export, time.time())
            item.delivery_due = time.time() + call.emulator.delay("delivery")
            exports[arn] = item
        call.emulator.stats.creation("data-exports:export")
        return self.success(call, {"ExportArn": arn})

    def get_export(self, call):
        v = Validation()
        v.string(v.required(call.input, "ExportArn", "exportArn"), "exportArn", min_len=20)
        raise_fields(v)
        export = self.find(call, call.input["ExportArn"])
        with self.state(call.emulator).lock:
            return self.success(call, {"Export": dict(export.export),
                                       "ExportStatus": export.status()})

    def list_exports(self, call):
        body = call.input
        max_results = body.get("MaxResults", DEFAULT_PAGE_SIZE)
        v = Validation()
        if isinstance(max_results, bool) or not isinstance(max_results, int) \
                or not 1 <= max_results <= 300:
            v.add(max_results, "maxResults", "Member must have value between 1 and 300")
        token = body.get("NextToken")
        v.string(token, "nextToken", max_len=8192)
        raise_fields(v)
        start = 0
        if token:
            try:
                start = int(base64.urlsafe_b64decode(token.encode()).decode().partition(":")[2])
            except (ValueError, binascii.Error, UnicodeDecodeError):
                raise invalid("Invalid NextToken.")
        state = self.state(call.emulator)
        with state.lock:
            exports = sorted(state.of(call.account).values(), key=lambda e: e.created)
            page = exports[start:start + max_results]
            result = {"Exports": [{"ExportArn": e.arn, "ExportName": e.export["Name"],
                                   "ExportStatus": e.status()} for e in page]}
        if start + max_results < len(exports):
            result["NextToken"] = base64.urlsafe_b64encode(
                f"offset:{start + max_results}".encode()).decode()
        return self.success(call, result)

    def delete_export(self, call):
        v = Validation()
        v.string(v.required(call.input, "ExportArn", "exportArn"), "exportArn", min_len=20)
        raise_fields(v)
        export = self.find(call, call.input["ExportArn"])
        state = self.state(call.emulator)
        with state.lock:
            state.of(call.account).pop(export.arn, None)
        return self.success(call, {"ExportArn": export.arn})

    OPERATIONS = {
        "CreateExport": create_export,
        "GetExport": get_export,
        "ListExports": list_exports,
        "DeleteExport": delete_export,
    }

    # ----------------------------------------------------------------- delivery

    def settle(self, emulator):
        state = self.state(emulator)
        now = time.time()
        with state.lock:
            for account, exports in state.exports.items():
                for export in exports.values():
                    if export.delivery_due is not None and export.delivery_due <= now:
                        export.delivery_due = None
                        self.deliver(emulator, account, export, now)

    def deliver(self, emulator, account, export, now):
        s3 = export.export["DestinationConfigurations"]["S3Destination"]
        buckets = aws_s3.bucket_state(emulator)
        bucket = buckets.get(s3["S3Bucket"])
        if bucket is None or not aws_s3.delivery_allowed(bucket, SERVICE_PRINCIPAL, export.arn,
                                                         account):
            export.healthy = False
            export.reason = "INSUFFICIENT_PERMISSION"
            return
        name = export.export["Name"]
        prefix = s3["S3Prefix"].strip("/")
        base = f"{prefix}/{name}" if prefix else name
        period = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).strftime("%Y-%m")
        fmt = s3["S3OutputConfigurations"]["Format"]
        data_key = (f"{base}/data/BILLING_PERIOD={period}/{name}-00001."
                    + ("snappy.parquet" if fmt == "PARQUET" else "csv.gz"))
        buckets.put_object(bucket.name, data_key, b"PAR1\x00PAR1" if fmt == "PARQUET" else b"")
        manifest = {"exportArn": export.arn, "exportName": name, "billingPeriod": period,
                    "dataFiles": [f"s3://{bucket.name}/{data_key}"]}
        buckets.put_object(bucket.name,
                           f"{base}/metadata/BILLING_PERIOD={period}/{name}-Manifest.json",
                           json.dumps(manifest).encode(), "application/json")
        export.refreshed = now
