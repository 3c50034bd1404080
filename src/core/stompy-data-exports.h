/* stompy-data-exports.h — CUR 2.0 through AWS Data Exports (bcm-data-exports)
 *
 * An hourly COST_AND_USAGE_REPORT export with resource IDs, Parquet and
 * overwrite, delivered to an S3 bucket and prefix
 * (shared/reference/aws-cur-s3.md §4). JSON 1.1, target prefix
 * AWSBillingAndCostManagementDataExports, signed for us-east-1.
 */
#pragma once

#include "stompy-aws-client.h"
#include "stompy-cur.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_DATA_EXPORT (stompy_data_export_get_type ())

struct _StompyDataExport
{
  char     *name;               /* 1–128, [0-9A-Za-z\-_]+ */
  char     *arn;                /* NULL until created */
  char     *description;
  char     *query_statement;
  char     *table;              /* "COST_AND_USAGE_REPORT" */
  char     *time_granularity;   /* TableConfigurations: "HOURLY", "DAILY", "MONTHLY" */
  gboolean  include_resources;  /* TableConfigurations: INCLUDE_RESOURCES == "TRUE" */
  char     *s3_bucket;
  char     *s3_prefix;
  char     *s3_region;
  char     *output_type;        /* "CUSTOM", "ATHENA", "REDSHIFT" */
  char     *format;             /* "TEXT_OR_CSV", "PARQUET" */
  char     *compression;        /* "GZIP", "PARQUET", "ZIP" */
  char     *overwrite;          /* "CREATE_NEW_REPORT", "OVERWRITE_REPORT" */
  char     *refresh_frequency;  /* "SYNCHRONOUS" */
  char     *status_code;        /* GetExport: "HEALTHY", "UNHEALTHY"; NULL otherwise */
  char     *status_reason;      /* GetExport: INSUFFICIENT_PERMISSION, …; may be NULL */
  char     *last_refreshed_at;  /* GetExport: ISO 8601; may be NULL */
};

GType             stompy_data_export_get_type  (void) G_GNUC_CONST;
StompyDataExport *stompy_data_export_copy      (const StompyDataExport *self);
void              stompy_data_export_free      (StompyDataExport       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyDataExport, stompy_data_export_free)

/* The export the product asks for: HOURLY, INCLUDE_RESOURCES, Parquet,
 * OVERWRITE_REPORT, CUSTOM output, the query of
 * stompy_data_exports_query_statement(). */
StompyDataExport *stompy_data_export_new_recommended (const char *name,
                                                      const char *bucket,
                                                      const char *prefix,
                                                      const char *region) G_GNUC_WARN_UNUSED_RESULT;
/* The QueryStatement (§4.3): explicit CUR 2.0 columns, line_item_resource_id
 * among them, FROM COST_AND_USAGE_REPORT. */
const char       *stompy_data_exports_query_statement (void);

/* Parses an "Export" object (with GetExport's "ExportStatus" beside it when
 * @status is not NULL). NULL with STOMPY_AWS_ERROR_MALFORMED_RESPONSE when a
 * required member is missing. */
StompyDataExport *stompy_data_export_new_from_json (JsonObject  *export_object,
                                                    JsonObject  *status,
                                                    GError     **error) G_GNUC_WARN_UNUSED_RESULT;
/* The CreateExport "Export" member. */
JsonNode         *stompy_data_export_to_json       (const StompyDataExport *self) G_GNUC_WARN_UNUSED_RESULT;

/* The four conditions of stompy-cur.h, for an export: resource IDs
 * (INCLUDE_RESOURCES and line_item_resource_id selected), data refresh
 * (SYNCHRONOUS, always so for Data Exports), hourly, and Athena-ready
 * (Parquet + overwrite). */
StompyCurConditions stompy_data_export_evaluate    (const StompyDataExport *self);
/* TRUE when @self meets the conditions and delivers to @bucket / @prefix. */
gboolean          stompy_data_export_is_suitable   (const StompyDataExport *self,
                                                    const char             *bucket,
                                                    const char             *prefix);

/* 1–128 of [0-9A-Za-z\-_]; STOMPY_ERROR_INVALID_INPUT otherwise. */
gboolean          stompy_data_exports_validate_name (const char  *name,
                                                     GError     **error);

/* ListExports, all pages. An array of StompyDataExport with name, arn and
 * status_code only (ListExports gives no more). */
void              stompy_data_exports_list_async   (StompyAwsClient     *client,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray        *stompy_data_exports_list_finish  (GAsyncResult        *result,
                                                    GError             **error);

/* GetExport. */
void              stompy_data_exports_get_async    (StompyAwsClient     *client,
                                                    const char          *export_arn,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
StompyDataExport *stompy_data_exports_get_finish   (GAsyncResult        *result,
                                                    GError             **error);

/* Creates @definition, unless an export of that name exists: then it is
 * reused (*@created FALSE) when stompy_data_export_is_suitable() for the same
 * bucket and prefix, and otherwise the call fails with
 * stompy_data_exports_error_is_name_conflict(). Returns the export in place
 * (with its ARN). */
void              stompy_data_exports_create_async (StompyAwsClient        *client,
                                                    const StompyDataExport *definition,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
StompyDataExport *stompy_data_exports_create_finish (GAsyncResult          *result,
                                                     gboolean              *created,
                                                     GError               **error);

/* An export of the requested name exists with other settings
 * (STOMPY_AWS_ERROR_ALREADY_EXISTS, aws code "ExportNameConflict", set by
 * this client, not by AWS). */
gboolean          stompy_data_exports_error_is_name_conflict (const GError *error);

G_END_DECLS
