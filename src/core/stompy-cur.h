/* stompy-cur.h — legacy Cost and Usage Reports, and the whole AnalySaver CUR step
 *
 * The CUR API (service "cur", JSON 1.1, target prefix
 * AWSOrigamiServiceGatewayService, us-east-1 only): every report definition
 * of the account, each judged on the four conditions Stompy needs
 * (shared/reference/aws-cur-s3.md §2), the recommended definition, and its
 * creation with reuse of an equal one. stompy_cur_setup_async() runs the
 * whole step: validate, bucket, public access block, bucket policy, report
 * (or CUR 2.0 export), with progress per sub-step.
 *
 * A denied CUR call keeps AWS's AccessDeniedException; see
 * stompy_cur_error_suggests_billing_access() for the account setting that
 * is a likely cause.
 */
#pragma once

#include "stompy-aws-client.h"
#include "stompy-bucket-policy.h"

G_BEGIN_DECLS

typedef struct _StompyDataExport StompyDataExport;

/* ------------------------------------------------------------------ names */

typedef enum
{
  STOMPY_CUR_NAME_VALID,
  STOMPY_CUR_NAME_EMPTY,              /* a report name, or an Athena report's prefix */
  STOMPY_CUR_NAME_TOO_LONG,           /* more than 256 characters */
  STOMPY_CUR_NAME_INVALID_CHARACTER,  /* outside [0-9A-Za-z!\-_.*'()] (prefix: and "/") */
  STOMPY_CUR_NAME_LEADING_SLASH,      /* prefix starts with "/" */
  STOMPY_CUR_NAME_TRAILING_SLASH,     /* prefix ends with "/" */
  STOMPY_CUR_NAME_ADJACENT_SLASHES,   /* prefix contains "//" */
} StompyCurNameReason;

const char *stompy_cur_name_reason_to_string (StompyCurNameReason reason);  /* "valid", "empty", … */

/* ReportName: 1–256 of [0-9A-Za-z!\-_.*'()] (§1.3). */
gboolean    stompy_cur_validate_report_name  (const char           *name,
                                              StompyCurNameReason  *reason,
                                              GError              **error);
/* S3Prefix: ≤ 256 of [0-9A-Za-z!\-_.*'()/] (§1.3), non-empty when
 * @for_athena (§1.4). A slash at either end or a doubled one would put an
 * empty path segment in every delivered key, so they are refused too. */
gboolean    stompy_cur_validate_prefix       (const char           *prefix,
                                              gboolean              for_athena,
                                              StompyCurNameReason  *reason,
                                              GError              **error);

/* ------------------------------------------------------------------ report definitions */

#define STOMPY_TYPE_CUR_REPORT (stompy_cur_report_get_type ())

/* A ReportDefinition (§1.3). String lists are NULL-terminated and never
 * NULL themselves. */
typedef struct
{
  char      *report_name;
  char      *time_unit;                   /* HOURLY, DAILY, MONTHLY */
  char      *format;                      /* textORcsv, Parquet */
  char      *compression;                 /* ZIP, GZIP, Parquet */
  char     **additional_schema_elements;  /* RESOURCES, SPLIT_COST_ALLOCATION_DATA, … */
  char      *s3_bucket;
  char      *s3_prefix;                   /* "" when none */
  char      *s3_region;
  char     **additional_artifacts;        /* REDSHIFT, QUICKSIGHT, ATHENA */
  gboolean   refresh_closed_reports;      /* FALSE when absent */
  char      *report_versioning;           /* CREATE_NEW_REPORT (also when absent), OVERWRITE_REPORT */
  char      *billing_view_arn;            /* may be NULL */
  char      *last_delivery;               /* ReportStatus.lastDelivery, may be NULL */
  char      *last_status;                 /* ReportStatus.lastStatus: SUCCESS, ERROR_PERMISSIONS, … */
} StompyCurReport;

GType            stompy_cur_report_get_type      (void) G_GNUC_CONST;
StompyCurReport *stompy_cur_report_copy          (const StompyCurReport *self);
void             stompy_cur_report_free          (StompyCurReport       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyCurReport, stompy_cur_report_free)

/* The definition Stompy recommends: HOURLY, RESOURCES, refresh on, ATHENA
 * only, Parquet/Parquet, OVERWRITE_REPORT (§1.5). */
StompyCurReport *stompy_cur_report_new_recommended (const char *name,
                                                    const char *bucket,
                                                    const char *prefix,
                                                    const char *region) G_GNUC_WARN_UNUSED_RESULT;
/* Parses one element of DescribeReportDefinitions' ReportDefinitions. NULL
 * with STOMPY_AWS_ERROR_MALFORMED_RESPONSE when ReportName is missing. */
StompyCurReport *stompy_cur_report_new_from_json (JsonObject             *object,
                                                  GError                **error) G_GNUC_WARN_UNUSED_RESULT;
/* The wire ReportDefinition (read-only ReportStatus left out). */
JsonNode        *stompy_cur_report_to_json       (const StompyCurReport  *self) G_GNUC_WARN_UNUSED_RESULT;

/* ------------------------------------------------------------------ the four conditions */

typedef enum /*< flags >*/
{
  STOMPY_CUR_CONDITION_RESOURCE_IDS = 1 << 0,  /* RESOURCES in AdditionalSchemaElements */
  STOMPY_CUR_CONDITION_DATA_REFRESH = 1 << 1,  /* RefreshClosedReports */
  STOMPY_CUR_CONDITION_HOURLY       = 1 << 2,  /* TimeUnit HOURLY */
  STOMPY_CUR_CONDITION_ATHENA       = 1 << 3,  /* ATHENA only, Parquet, overwrite, a prefix */
} StompyCurConditions;

#define STOMPY_CUR_CONDITIONS_ALL (STOMPY_CUR_CONDITION_RESOURCE_IDS | \
                                   STOMPY_CUR_CONDITION_DATA_REFRESH | \
                                   STOMPY_CUR_CONDITION_HOURLY | \
                                   STOMPY_CUR_CONDITION_ATHENA)

/* Why the Athena condition fails; several may hold at once. */
typedef enum /*< flags >*/
{
  STOMPY_CUR_ATHENA_NOT_ENABLED      = 1 << 0,  /* ATHENA is not among the artifacts */
  STOMPY_CUR_ATHENA_OTHER_ARTIFACTS  = 1 << 1,  /* REDSHIFT or QUICKSIGHT beside it */
  STOMPY_CUR_ATHENA_NOT_PARQUET      = 1 << 2,  /* Format or Compression is not Parquet */
  STOMPY_CUR_ATHENA_NOT_OVERWRITE    = 1 << 3,  /* ReportVersioning is not OVERWRITE_REPORT */
  STOMPY_CUR_ATHENA_NO_PREFIX        = 1 << 4,  /* S3Prefix is empty */
} StompyCurAthenaFlaws;

/* The conditions @self meets; *@athena_flaws (may be NULL) says why Athena
 * does not hold (0 when it does). */
StompyCurConditions stompy_cur_report_evaluate   (const StompyCurReport *self,
                                                  StompyCurAthenaFlaws  *athena_flaws);
gboolean         stompy_cur_report_meets_all     (const StompyCurReport *self);
/* "resource-ids", "data-refresh", "hourly", "athena" for one flag. */
const char      *stompy_cur_condition_to_string  (StompyCurConditions    condition);
/* {"resource-ids":true, "data-refresh":false, "hourly":true, "athena":true,
 *  "meets-all":false} — the verdicts as the CLI prints them. */
JsonNode        *stompy_cur_conditions_to_json   (StompyCurConditions    met) G_GNUC_WARN_UNUSED_RESULT;

/* ------------------------------------------------------------------ API calls */

/* DescribeReportDefinitions, every page (MaxResults 5, NextToken). An array
 * of StompyCurReport, in AWS's order. */
void             stompy_cur_list_reports_async   (StompyAwsClient        *client,
                                                  GCancellable           *cancellable,
                                                  GAsyncReadyCallback     callback,
                                                  gpointer                user_data);
GPtrArray       *stompy_cur_list_reports_finish  (GAsyncResult           *result,
                                                  GError                **error);

/* PutReportDefinition. When a report of that name exists
 * (DuplicateReportNameException), it is looked up: if it meets all four
 * conditions it is reused (*@created FALSE) and returned — its bucket,
 * prefix and region may differ from @definition's; otherwise the call fails
 * with stompy_cur_error_is_report_name_conflict(). Returns the report in
 * place. @definition is validated first (name, prefix, §1.4 combination). */
void             stompy_cur_create_report_async  (StompyAwsClient        *client,
                                                  const StompyCurReport  *definition,
                                                  GCancellable           *cancellable,
                                                  GAsyncReadyCallback     callback,
                                                  gpointer                user_data);
StompyCurReport *stompy_cur_create_report_finish (GAsyncResult           *result,
                                                  gboolean               *created,
                                                  GError                **error);

/* ------------------------------------------------------------------ errors */

/* A report of the requested name exists and does not meet the conditions
 * (aws code DuplicateReportNameException). */
gboolean         stompy_cur_error_is_report_name_conflict  (const GError *error);
/* AccessDeniedException (or AccessDenied) from any call. */
gboolean         stompy_cur_error_is_access_denied         (const GError *error);
/* An access denial that is not an IAM policy's ("no identity-based policy
 * allows" is absent), so the root-only "IAM user and role access to Billing
 * information" setting is a likely cause (§6, a heuristic). */
gboolean         stompy_cur_error_suggests_billing_access  (const GError *error);

/* ------------------------------------------------------------------ the whole step */

typedef enum
{
  STOMPY_CUR_SETUP_KIND_LEGACY,        /* a CUR report definition */
  STOMPY_CUR_SETUP_KIND_DATA_EXPORTS,  /* a CUR 2.0 export */
} StompyCurSetupKind;

typedef enum
{
  STOMPY_CUR_SETUP_STEP_NONE,
  STOMPY_CUR_SETUP_STEP_VALIDATE,
  STOMPY_CUR_SETUP_STEP_BUCKET,
  STOMPY_CUR_SETUP_STEP_PUBLIC_ACCESS_BLOCK,
  STOMPY_CUR_SETUP_STEP_BUCKET_POLICY,
  STOMPY_CUR_SETUP_STEP_REPORT,          /* the report definition, or the export */
} StompyCurSetupStep;

const char *stompy_cur_setup_step_to_string (StompyCurSetupStep step);  /* "validate", "bucket", … */

typedef enum
{
  STOMPY_CUR_STEP_STARTED,
  STOMPY_CUR_STEP_DONE,       /* created or changed something */
  STOMPY_CUR_STEP_REUSED,     /* found in place already, nothing written */
  STOMPY_CUR_STEP_FAILED,
} StompyCurStepState;

/* Called in the caller's main context as each sub-step starts and ends. */
typedef void (*StompyCurSetupProgress) (StompyCurSetupStep  step,
                                        StompyCurStepState  state,
                                        gpointer            user_data);

typedef struct
{
  StompyCurSetupKind  kind;
  const char         *account_id;   /* 12 digits: the bucket policy's conditions */
  const char         *report_name;  /* report or export name */
  const char         *bucket;
  const char         *region;       /* the bucket's region */
  const char         *prefix;
} StompyCurSetupParams;

#define STOMPY_TYPE_CUR_SETUP_RESULT (stompy_cur_setup_result_get_type ())

typedef struct
{
  gboolean                 bucket_created;
  StompyPolicyMergeOutcome policy;
  gboolean                 report_created;
  StompyCurReport         *report;   /* LEGACY: the report in place */
  StompyDataExport        *export;   /* DATA_EXPORTS: the export in place */
} StompyCurSetupResult;

GType                 stompy_cur_setup_result_get_type (void) G_GNUC_CONST;
StompyCurSetupResult *stompy_cur_setup_result_copy     (const StompyCurSetupResult *self);
void                  stompy_cur_setup_result_free     (StompyCurSetupResult       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyCurSetupResult, stompy_cur_setup_result_free)

/* Validate → create or reuse the bucket → block public access → merge the
 * delivery statements into the bucket policy → create or reuse the report
 * (or export). Stops at the first error; *@failed_step (in _finish) says
 * which sub-step it was. Cancellation is G_IO_ERROR_CANCELLED. @params is
 * copied. */
void                  stompy_cur_setup_async   (StompyAwsClient            *client,
                                                const StompyCurSetupParams *params,
                                                StompyCurSetupProgress      progress,
                                                gpointer                    progress_data,
                                                GDestroyNotify              progress_data_free,
                                                GCancellable               *cancellable,
                                                GAsyncReadyCallback         callback,
                                                gpointer                    user_data);
StompyCurSetupResult *stompy_cur_setup_finish  (GAsyncResult               *result,
                                                StompyCurSetupStep         *failed_step,
                                                GError                    **error);

G_END_DECLS
