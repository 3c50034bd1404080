/* test-cur.c — the four CUR conditions, the recommended definitions, and their JSON
 *
 * A table of real-shaped report definitions (tests/data/cur/, as
 * DescribeReportDefinitions answers) judged condition by condition
 * (aws-cur-s3.md §2), the recommended legacy report and CUR 2.0 export, and
 * the error predicates the UI relies on.
 */
#include "config.h"

#include <string.h>

#include "stompy-cur.h"
#include "stompy-data-exports.h"
#include "stompy-error.h"

#define R STOMPY_CUR_CONDITION_RESOURCE_IDS
#define F STOMPY_CUR_CONDITION_DATA_REFRESH
#define H STOMPY_CUR_CONDITION_HOURLY
#define A STOMPY_CUR_CONDITION_ATHENA

static JsonNode *
load_fixture (const char *name)
{
  const char *dir = g_getenv ("STOMPY_TEST_DATA");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, "cur", name, NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static GPtrArray *
load_reports (void)
{
  g_autoptr(JsonNode) root = load_fixture ("describe-report-definitions.json");
  JsonArray *definitions = json_object_get_array_member (json_node_get_object (root),
                                                         "ReportDefinitions");
  GPtrArray *reports = g_ptr_array_new_with_free_func ((GDestroyNotify) stompy_cur_report_free);

  for (guint i = 0; i < json_array_get_length (definitions); i++)
    {
      g_autoptr(GError) error = NULL;
      StompyCurReport *report;

      report = stompy_cur_report_new_from_json (json_array_get_object_element (definitions, i),
                                                &error);
      g_assert_no_error (error);
      g_assert_nonnull (report);
      g_ptr_array_add (reports, report);
    }

  return reports;
}

typedef struct
{
  const char          *name;
  StompyCurConditions  met;
  StompyCurAthenaFlaws flaws;
} Expected;

static const Expected expected[] = {
  { "stompy-ready", R | F | H | A, 0 },
  { "ready-with-split-cost", R | F | H | A, 0 },
  { "daily-csv-redshift", R | F,
    STOMPY_CUR_ATHENA_NOT_ENABLED | STOMPY_CUR_ATHENA_OTHER_ARTIFACTS |
    STOMPY_CUR_ATHENA_NOT_PARQUET | STOMPY_CUR_ATHENA_NOT_OVERWRITE },
  { "hourly-no-resources", F | H | A, 0 },
  { "no-refresh", R | H | A, 0 },
  { "refresh-absent", R | H | A, 0 },
  { "hourly-parquet-versioned", R | F | H,
    STOMPY_CUR_ATHENA_NOT_ENABLED | STOMPY_CUR_ATHENA_NOT_OVERWRITE },
  { "athena-without-prefix", R | F | H, STOMPY_CUR_ATHENA_NO_PREFIX },
  { "monthly-gzip-minimal", 0,
    STOMPY_CUR_ATHENA_NOT_ENABLED | STOMPY_CUR_ATHENA_NOT_PARQUET |
    STOMPY_CUR_ATHENA_NOT_OVERWRITE | STOMPY_CUR_ATHENA_NO_PREFIX },
  { "athena-csv-mismatch", R | F | H,
    STOMPY_CUR_ATHENA_OTHER_ARTIFACTS | STOMPY_CUR_ATHENA_NOT_PARQUET |
    STOMPY_CUR_ATHENA_NOT_OVERWRITE },
};

static void
test_conditions_table (void)
{
  g_autoptr(GPtrArray) reports = load_reports ();

  g_assert_cmpuint (reports->len, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < reports->len; i++)
    {
      StompyCurReport *report = g_ptr_array_index (reports, i);
      StompyCurAthenaFlaws flaws = 0xff;
      StompyCurConditions met;

      g_test_message ("report %s", report->report_name);
      g_assert_cmpstr (report->report_name, ==, expected[i].name);
      met = stompy_cur_report_evaluate (report, &flaws);
      for (guint bit = 0; bit < 4; bit++)
        {
          StompyCurConditions condition = 1 << bit;

          g_test_message ("  %s: %s", stompy_cur_condition_to_string (condition),
                          (met & condition) ? "yes" : "no");
          g_assert_cmpint (met & condition, ==, expected[i].met & condition);
        }
      g_assert_cmphex (flaws, ==, expected[i].flaws);
      g_assert_true (stompy_cur_report_meets_all (report) ==
                     (expected[i].met == STOMPY_CUR_CONDITIONS_ALL));
    }
}

static void
test_report_fields (void)
{
  g_autoptr(GPtrArray) reports = load_reports ();
  StompyCurReport *ready = g_ptr_array_index (reports, 0);
  StompyCurReport *minimal = g_ptr_array_index (reports, 8);
  StompyCurReport *mismatch = g_ptr_array_index (reports, 9);
  g_autoptr(StompyCurReport) copy = NULL;

  g_assert_cmpstr (ready->s3_bucket, ==, "stompy-cur-123456789012");
  g_assert_cmpstr (ready->s3_prefix, ==, "cur");
  g_assert_cmpstr (ready->s3_region, ==, "ap-southeast-1");
  g_assert_cmpstr (ready->last_delivery, ==, "20240501T031500Z");
  g_assert_cmpstr (ready->last_status, ==, "SUCCESS");

  /* Absent members: empty lists, no refresh, versioning unknown. */
  g_assert_nonnull (minimal->additional_artifacts);
  g_assert_null (minimal->additional_artifacts[0]);
  g_assert_false (minimal->refresh_closed_reports);
  g_assert_null (minimal->report_versioning);
  g_assert_null (minimal->last_status);

  g_assert_cmpstr (mismatch->billing_view_arn, ==,
                   "arn:aws:billing::123456789012:billingview/primary");
  g_assert_cmpuint (g_strv_length (mismatch->additional_schema_elements), ==, 2);

  copy = stompy_cur_report_copy (mismatch);
  g_assert_cmpstr (copy->billing_view_arn, ==, mismatch->billing_view_arn);
  g_assert_true (g_strv_equal ((const char * const *) copy->additional_artifacts,
                               (const char * const *) mismatch->additional_artifacts));
}

static void
test_report_without_name (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"TimeUnit\":\"HOURLY\"}", NULL);
  g_autoptr(GError) error = NULL;
  StompyCurReport *report;

  report = stompy_cur_report_new_from_json (json_node_get_object (node), &error);
  g_assert_null (report);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_MALFORMED_RESPONSE);
}

static void
test_recommended_report (void)
{
  g_autoptr(StompyCurReport) report = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(StompyCurReport) parsed = NULL;
  g_autoptr(GError) error = NULL;
  StompyCurAthenaFlaws flaws = 1;
  JsonObject *object;

  report = stompy_cur_report_new_recommended ("stompy-cur", "stompy-cur-123456789012", "cur",
                                              "ap-southeast-1");
  g_assert_cmpint (stompy_cur_report_evaluate (report, &flaws), ==, STOMPY_CUR_CONDITIONS_ALL);
  g_assert_cmpint (flaws, ==, 0);

  /* The body of §1.5, member by member. */
  json = stompy_cur_report_to_json (report);
  object = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (object, "ReportName"), ==, "stompy-cur");
  g_assert_cmpstr (json_object_get_string_member (object, "TimeUnit"), ==, "HOURLY");
  g_assert_cmpstr (json_object_get_string_member (object, "Format"), ==, "Parquet");
  g_assert_cmpstr (json_object_get_string_member (object, "Compression"), ==, "Parquet");
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (object, "AdditionalSchemaElements"), 0),
                   ==, "RESOURCES");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object,
                                                                         "AdditionalArtifacts")),
                    ==, 1);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (object, "AdditionalArtifacts"), 0),
                   ==, "ATHENA");
  g_assert_cmpstr (json_object_get_string_member (object, "S3Bucket"), ==,
                   "stompy-cur-123456789012");
  g_assert_cmpstr (json_object_get_string_member (object, "S3Prefix"), ==, "cur");
  g_assert_cmpstr (json_object_get_string_member (object, "S3Region"), ==, "ap-southeast-1");
  g_assert_true (json_object_get_boolean_member (object, "RefreshClosedReports"));
  g_assert_cmpstr (json_object_get_string_member (object, "ReportVersioning"), ==,
                   "OVERWRITE_REPORT");
  g_assert_false (json_object_has_member (object, "ReportStatus"));
  g_assert_false (json_object_has_member (object, "BillingViewArn"));

  /* And back. */
  parsed = stompy_cur_report_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_true (stompy_cur_report_meets_all (parsed));
}

static void
test_conditions_json (void)
{
  g_autoptr(JsonNode) all = stompy_cur_conditions_to_json (STOMPY_CUR_CONDITIONS_ALL);
  g_autoptr(JsonNode) some = stompy_cur_conditions_to_json (R | H);
  JsonObject *object = json_node_get_object (some);

  g_assert_true (json_object_get_boolean_member (json_node_get_object (all), "meets-all"));
  g_assert_true (json_object_get_boolean_member (object, "resource-ids"));
  g_assert_false (json_object_get_boolean_member (object, "data-refresh"));
  g_assert_true (json_object_get_boolean_member (object, "hourly"));
  g_assert_false (json_object_get_boolean_member (object, "athena"));
  g_assert_false (json_object_get_boolean_member (object, "meets-all"));
}

/* ------------------------------------------------------------------ Data Exports */

static void
test_recommended_export (void)
{
  g_autoptr(StompyDataExport) export = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(StompyDataExport) parsed = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonObject *query;
  JsonObject *config;
  JsonObject *destination;
  JsonObject *output;
  const char *statement;

  export = stompy_data_export_new_recommended ("stompy-cur2", "stompy-cur-123456789012", "cur2",
                                               "ap-southeast-1");
  g_assert_cmpint (stompy_data_export_evaluate (export), ==, STOMPY_CUR_CONDITIONS_ALL);

  json = stompy_data_export_to_json (export);
  object = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (object, "Name"), ==, "stompy-cur2");

  query = json_object_get_object_member (object, "DataQuery");
  statement = json_object_get_string_member (query, "QueryStatement");
  g_assert_true (g_str_has_prefix (statement, "SELECT "));
  g_assert_true (g_str_has_suffix (statement, " FROM COST_AND_USAGE_REPORT"));
  g_assert_nonnull (strstr (statement, "line_item_resource_id"));
  g_assert_nonnull (strstr (statement, "identity_line_item_id"));
  g_assert_null (strstr (statement, "*"));
  g_assert_cmpuint (strlen (statement), <=, 36000);

  config = json_object_get_object_member (json_object_get_object_member (query,
                                                                         "TableConfigurations"),
                                          "COST_AND_USAGE_REPORT");
  g_assert_cmpstr (json_object_get_string_member (config, "TIME_GRANULARITY"), ==, "HOURLY");
  g_assert_cmpstr (json_object_get_string_member (config, "INCLUDE_RESOURCES"), ==, "TRUE");

  destination = json_object_get_object_member (
    json_object_get_object_member (object, "DestinationConfigurations"), "S3Destination");
  g_assert_cmpstr (json_object_get_string_member (destination, "S3Bucket"), ==,
                   "stompy-cur-123456789012");
  g_assert_cmpstr (json_object_get_string_member (destination, "S3Prefix"), ==, "cur2");
  g_assert_cmpstr (json_object_get_string_member (destination, "S3Region"), ==, "ap-southeast-1");
  output = json_object_get_object_member (destination, "S3OutputConfigurations");
  g_assert_cmpstr (json_object_get_string_member (output, "Format"), ==, "PARQUET");
  g_assert_cmpstr (json_object_get_string_member (output, "Compression"), ==, "PARQUET");
  g_assert_cmpstr (json_object_get_string_member (output, "Overwrite"), ==, "OVERWRITE_REPORT");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (object, "RefreshCadence"), "Frequency"),
                   ==, "SYNCHRONOUS");

  parsed = stompy_data_export_new_from_json (object, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (stompy_data_export_is_suitable (parsed, "stompy-cur-123456789012", "cur2"));
  g_assert_false (stompy_data_export_is_suitable (parsed, "stompy-cur-123456789012", "other"));
  g_assert_false (stompy_data_export_is_suitable (parsed, "other-bucket", "cur2"));
}

static void
test_export_conditions (void)
{
  g_autoptr(StompyDataExport) export = NULL;

  export = stompy_data_export_new_recommended ("e", "b-bucket", "p", "us-east-1");

  export->include_resources = FALSE;
  g_assert_cmpint (stompy_data_export_evaluate (export), ==, F | H | A);
  export->include_resources = TRUE;

  g_free (export->query_statement);
  export->query_statement = g_strdup ("SELECT identity_line_item_id FROM COST_AND_USAGE_REPORT");
  g_assert_cmpint (stompy_data_export_evaluate (export), ==, F | H | A);

  g_free (export->query_statement);
  export->query_statement = g_strdup (stompy_data_exports_query_statement ());
  g_free (export->time_granularity);
  export->time_granularity = g_strdup ("DAILY");
  g_assert_cmpint (stompy_data_export_evaluate (export), ==, R | F | A);

  g_free (export->time_granularity);
  export->time_granularity = g_strdup ("HOURLY");
  g_free (export->overwrite);
  export->overwrite = g_strdup ("CREATE_NEW_REPORT");
  g_assert_cmpint (stompy_data_export_evaluate (export), ==, R | F | H);

  g_free (export->overwrite);
  export->overwrite = g_strdup ("OVERWRITE_REPORT");
  g_free (export->format);
  export->format = g_strdup ("TEXT_OR_CSV");
  g_assert_cmpint (stompy_data_export_evaluate (export), ==, R | F | H);
}

static void
test_export_from_get_export (void)
{
  g_autoptr(JsonNode) root = load_fixture ("get-export.json");
  JsonObject *object = json_node_get_object (root);
  g_autoptr(StompyDataExport) export = NULL;
  g_autoptr(GError) error = NULL;

  export = stompy_data_export_new_from_json (json_object_get_object_member (object, "Export"),
                                             json_object_get_object_member (object,
                                                                            "ExportStatus"),
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpstr (export->name, ==, "finance-cur2");
  g_assert_cmpstr (export->arn, ==,
                   "arn:aws:bcm-data-exports:us-east-1:123456789012:export/finance-cur2-1a2b3c");
  g_assert_cmpstr (export->table, ==, "COST_AND_USAGE_REPORT");
  g_assert_cmpstr (export->time_granularity, ==, "DAILY");
  g_assert_true (export->include_resources);
  g_assert_cmpstr (export->s3_bucket, ==, "finance-cur");
  g_assert_cmpstr (export->format, ==, "TEXT_OR_CSV");
  g_assert_cmpstr (export->status_code, ==, "UNHEALTHY");
  g_assert_cmpstr (export->status_reason, ==, "INSUFFICIENT_PERMISSION");
  g_assert_cmpstr (export->last_refreshed_at, ==, "2024-05-01T03:15:00Z");
  g_assert_cmpint (stompy_data_export_evaluate (export), ==, R | F);
}

static void
test_export_names (void)
{
  g_autofree char *long_name = g_strnfill (129, 'e');
  g_autofree char *max_name = g_strnfill (128, 'e');

  g_assert_true (stompy_data_exports_validate_name ("stompy-cur2_hourly", NULL));
  g_assert_true (stompy_data_exports_validate_name (max_name, NULL));
  g_assert_false (stompy_data_exports_validate_name ("", NULL));
  g_assert_false (stompy_data_exports_validate_name (NULL, NULL));
  g_assert_false (stompy_data_exports_validate_name ("stompy.cur2", NULL));
  g_assert_false (stompy_data_exports_validate_name ("my export", NULL));
  g_assert_false (stompy_data_exports_validate_name (long_name, NULL));
}

/* ------------------------------------------------------------------ errors */

static void
test_error_predicates (void)
{
  g_autoptr(GError) iam = NULL;
  g_autoptr(GError) bare = NULL;
  g_autoptr(GError) duplicate = NULL;
  g_autoptr(GError) conflict = NULL;
  g_autoptr(GError) local = NULL;

  iam = stompy_aws_error_new (400, "AccessDeniedException",
                              "User: arn:aws:iam::123456789012:user/x is not authorized to perform: "
                              "cur:DescribeReportDefinitions on resource: * because no "
                              "identity-based policy allows the cur:DescribeReportDefinitions "
                              "action", "R1");
  bare = stompy_aws_error_new (400, "AccessDeniedException", "Access denied", "R2");
  duplicate = stompy_aws_error_new (400, "DuplicateReportNameException", "exists", NULL);
  conflict = stompy_aws_error_new_full (STOMPY_AWS_ERROR_ALREADY_EXISTS, 0, "ExportNameConflict",
                                        "other settings", NULL);
  local = g_error_new_literal (STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT, "no");

  g_assert_true (stompy_cur_error_is_access_denied (iam));
  g_assert_false (stompy_cur_error_suggests_billing_access (iam));
  g_assert_true (stompy_cur_error_is_access_denied (bare));
  g_assert_true (stompy_cur_error_suggests_billing_access (bare));
  g_assert_false (stompy_cur_error_is_access_denied (duplicate));
  g_assert_true (stompy_cur_error_is_report_name_conflict (duplicate));
  g_assert_false (stompy_cur_error_is_report_name_conflict (bare));
  g_assert_true (stompy_data_exports_error_is_name_conflict (conflict));
  g_assert_false (stompy_data_exports_error_is_name_conflict (duplicate));
  g_assert_false (stompy_cur_error_is_access_denied (local));
  g_assert_false (stompy_cur_error_is_report_name_conflict (NULL));
}

static void
test_setup_step_names (void)
{
  g_assert_cmpstr (stompy_cur_setup_step_to_string (STOMPY_CUR_SETUP_STEP_BUCKET), ==, "bucket");
  g_assert_cmpstr (stompy_cur_setup_step_to_string (STOMPY_CUR_SETUP_STEP_BUCKET_POLICY), ==,
                   "bucket-policy");
  g_assert_cmpstr (stompy_cur_setup_step_to_string (STOMPY_CUR_SETUP_STEP_REPORT), ==, "report");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cur/conditions/table-of-definitions", test_conditions_table);
  g_test_add_func ("/cur/report/fields-parsed", test_report_fields);
  g_test_add_func ("/cur/report/without-name-is-malformed", test_report_without_name);
  g_test_add_func ("/cur/report/recommended-meets-all", test_recommended_report);
  g_test_add_func ("/cur/conditions/json-verdicts", test_conditions_json);
  g_test_add_func ("/cur/data-exports/recommended-export", test_recommended_export);
  g_test_add_func ("/cur/data-exports/conditions", test_export_conditions);
  g_test_add_func ("/cur/data-exports/get-export-parsed", test_export_from_get_export);
  g_test_add_func ("/cur/data-exports/names", test_export_names);
  g_test_add_func ("/cur/errors/predicates", test_error_predicates);
  g_test_add_func ("/cur/setup/step-names", test_setup_step_names);

  return g_test_run ();
}
