/* test-analysaver-integration.c — the AnalySaver CUR step against the emulator
 *
 * Real HTTP to tests/emulator: the bucket (create, reuse, taken by another
 * account, owned in another region), its policy and public access block,
 * report definitions with their five-per-page paging, CUR 2.0 exports, the
 * whole "create everything" step run twice, and the first delivery the
 * emulator makes shortly after a report is defined. Fixtures are those of
 * tests/emulator/accounts.json (aws_state).
 */
#include "config.h"

#include <string.h>

#include "stompy-bucket-policy.h"
#include "stompy-cur.h"
#include "stompy-data-exports.h"
#include "stompy-error.h"
#include "stompy-http.h"
#include "stompy-s3.h"
#include "stompy-test-emulator.h"
#include "stompy-test-util.h"

#define WAIT_TIMEOUT_SECONDS 20
#define MGMT_ACCOUNT "210987654321"
#define READY_BUCKET "stompy-existing-cur-210987654321"
#define TAKEN_BUCKET "stompy-taken-bucket"
#define USWEST2_BUCKET "stompy-cur-uswest2-210987654321"

static StompyTestEmulator *emulator;

/* ------------------------------------------------------------------ fixture */

/* The fixture reports of the management account, as accounts.json lists them. */
static JsonArray *
fixture_reports (void)
{
  JsonObject *state = json_object_get_object_member (stompy_test_accounts (), "aws_state");
  JsonObject *cur = json_object_get_object_member (state, "cur");

  return json_object_get_array_member (json_object_get_object_member (cur, MGMT_ACCOUNT),
                                       "reports");
}

typedef struct
{
  SoupSession       *session;
  char             **envp;
  StompyAwsClient   *client;
  StompyRetryPolicy *policy;
} Fixture;

static double
random_zero (gpointer user_data)
{
  return 0.0;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "reset", "{}");
  g_autoptr(StompyAwsCredentials) credentials = stompy_test_credentials_for_profile ("emulator-management");

  fixture->session = stompy_http_session_new ();
  fixture->envp = stompy_test_emulator_get_environ (emulator);
  fixture->policy = stompy_retry_policy_new (STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS);
  stompy_retry_policy_set_random_func (fixture->policy, random_zero, NULL);
  fixture->client = stompy_aws_client_new (fixture->session, credentials, "ap-southeast-1", NULL,
                                           NULL, (const char * const *) fixture->envp);
  stompy_aws_client_set_retry_policy (fixture->client, fixture->policy);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  g_clear_pointer (&fixture->policy, stompy_retry_policy_unref);
  g_clear_pointer (&fixture->envp, g_strfreev);
  g_clear_object (&fixture->session);
}

/* ------------------------------------------------------------------ waiting */

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main loop run for @ms between two polls of the emulator. */
static void
spin_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gint64
creations (const char *kind)
{
  g_autoptr(JsonNode) stats = stompy_test_emulator_get_stats (emulator);
  JsonObject *object = json_node_get_object (stats);
  JsonObject *created;

  if (!json_object_has_member (object, "creations"))
    return 0;
  created = json_object_get_object_member (object, "creations");

  return json_object_get_int_member_with_default (created, kind, 0);
}

/* ------------------------------------------------------------------ synchronous wrappers */

typedef struct
{
  GString *log;
} Progress;

static void
progress_cb (StompyCurSetupStep  step,
             StompyCurStepState  state,
             gpointer            user_data)
{
  static const char * const states[] = { "started", "done", "reused", "failed" };
  GString *log = user_data;

  g_string_append_printf (log, "%s%s:%s", log->len > 0 ? " " : "",
                          stompy_cur_setup_step_to_string (step), states[state]);
}

static StompyCurSetupResult *
run_setup (Fixture             *fixture,
           StompyCurSetupKind   kind,
           const char          *name,
           const char          *bucket,
           const char          *region,
           const char          *prefix,
           GCancellable        *cancellable,
           GString             *log,
           StompyCurSetupStep  *failed_step,
           GError             **error)
{
  StompyCurSetupParams params = {
    .kind = kind,
    .account_id = MGMT_ACCOUNT,
    .report_name = name,
    .bucket = bucket,
    .region = region,
    .prefix = prefix,
  };
  g_autoptr(GAsyncResult) result = NULL;

  stompy_cur_setup_async (fixture->client, &params, progress_cb, log, NULL, cancellable,
                          stompy_test_store_result_cb, &result);
  return stompy_cur_setup_finish (stompy_test_wait_result (&result), failed_step, error);
}

static StompyS3BucketStatus *
bucket_status (Fixture                *fixture,
               const char             *bucket,
               const char             *expected_region,
               StompyDeliveryServices  services,
               const char             *prefix,
               const char             *report_name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StompyS3BucketStatus *status;

  stompy_s3_bucket_status_async (fixture->client, bucket, expected_region, MGMT_ACCOUNT,
                                 services, prefix, report_name, NULL, stompy_test_store_result_cb, &result);
  status = stompy_s3_bucket_status_finish (stompy_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);

  return status;
}

static gboolean
find_delivery (Fixture    *fixture,
               const char *bucket,
               const char *region,
               const char *prefix,
               const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean delivered = FALSE;

  stompy_s3_find_delivery_async (fixture->client, bucket, region, prefix, name, NULL,
                                 stompy_test_store_result_cb, &result);
  g_assert_true (stompy_s3_find_delivery_finish (stompy_test_wait_result (&result), &delivered, &error));
  g_assert_no_error (error);

  return delivered;
}

/* Polls ListObjectsV2 until the emulator has delivered, failing after the
 * wait timeout. */
static void
wait_for_delivery (Fixture    *fixture,
                   const char *bucket,
                   const char *region,
                   const char *prefix,
                   const char *name)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_SECONDS * G_USEC_PER_SEC;

  while (!find_delivery (fixture, bucket, region, prefix, name))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("No delivery under %s/%s in %s after %d s", prefix, name, bucket,
                 WAIT_TIMEOUT_SECONDS);
      spin_for (100);
    }
}

static GPtrArray *
list_reports (Fixture  *fixture,
              GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stompy_cur_list_reports_async (fixture->client, NULL, stompy_test_store_result_cb, &result);
  return stompy_cur_list_reports_finish (stompy_test_wait_result (&result), error);
}

static gboolean
ensure_bucket (Fixture     *fixture,
               const char  *bucket,
               const char  *region,
               gboolean    *created,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stompy_s3_ensure_bucket_async (fixture->client, bucket, region, NULL, stompy_test_store_result_cb,
                                 &result);
  return stompy_s3_ensure_bucket_finish (stompy_test_wait_result (&result), created, error);
}

/* ------------------------------------------------------------------ create everything */

static void
test_setup_from_nothing_then_again (Fixture       *fixture,
                                    gconstpointer  data)
{
  const char *bucket = "stompy-cur-new-210987654321";
  g_autoptr(StompyCurSetupResult) first = NULL;
  g_autoptr(StompyCurSetupResult) second = NULL;
  g_autoptr(StompyS3BucketStatus) status = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  StompyCurSetupStep failed = STOMPY_CUR_SETUP_STEP_REPORT;

  first = run_setup (fixture, STOMPY_CUR_SETUP_KIND_LEGACY, "stompy-cur", bucket,
                     "ap-southeast-1", "cur", NULL, log, &failed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (failed, ==, STOMPY_CUR_SETUP_STEP_NONE);
  g_assert_cmpstr (log->str, ==,
                   "validate:started validate:done bucket:started bucket:done "
                   "public-access-block:started public-access-block:done "
                   "bucket-policy:started bucket-policy:done report:started report:done");
  g_assert_true (first->bucket_created);
  g_assert_cmpint (first->policy, ==, STOMPY_POLICY_MERGE_CREATED);
  g_assert_true (first->report_created);
  g_assert_nonnull (first->report);
  g_assert_null (first->export);
  g_assert_cmpstr (first->report->s3_bucket, ==, bucket);
  g_assert_true (stompy_cur_report_meets_all (first->report));
  g_assert_cmpint (creations ("s3:bucket"), ==, 1);
  g_assert_cmpint (creations ("cur:report"), ==, 1);
  /* A bucket made just now has no policy: none is read before the put. */
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "s3:GetBucketPolicy"), ==, 0);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "s3:PutBucketPolicy"), ==, 1);

  /* The status panel sees everything in place. */
  status = bucket_status (fixture, bucket, "ap-southeast-1", STOMPY_DELIVERY_CUR, "cur",
                          "stompy-cur");
  g_assert_cmpint (status->exists, ==, STOMPY_CHECK_YES);
  g_assert_true (status->accessible);
  g_assert_cmpstr (status->region, ==, "ap-southeast-1");
  g_assert_cmpint (status->region_matches, ==, STOMPY_CHECK_YES);
  g_assert_cmpint (status->delivery_policy, ==, STOMPY_CHECK_YES);
  g_assert_cmpint (status->public_access_blocked, ==, STOMPY_CHECK_YES);

  /* Run again: everything is found, nothing is created twice. */
  g_string_truncate (log, 0);
  second = run_setup (fixture, STOMPY_CUR_SETUP_KIND_LEGACY, "stompy-cur", bucket,
                      "ap-southeast-1", "cur", NULL, log, &failed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (log->str, ==,
                   "validate:started validate:done bucket:started bucket:reused "
                   "public-access-block:started public-access-block:done "
                   "bucket-policy:started bucket-policy:reused report:started report:reused");
  g_assert_false (second->bucket_created);
  g_assert_cmpint (second->policy, ==, STOMPY_POLICY_MERGE_UNCHANGED);
  g_assert_false (second->report_created);
  g_assert_cmpstr (second->report->report_name, ==, "stompy-cur");
  g_assert_cmpint (creations ("s3:bucket"), ==, 1);
  g_assert_cmpint (creations ("cur:report"), ==, 1);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "s3:PutBucketPolicy"), ==, 1);
}

static void
test_first_delivery_seen (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *bucket = "stompy-cur-delivery-210987654321";
  g_autoptr(StompyCurSetupResult) result = NULL;
  g_autoptr(StompyS3BucketStatus) status = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  result = run_setup (fixture, STOMPY_CUR_SETUP_KIND_LEGACY, "stompy-delivery", bucket,
                      "ap-southeast-1", "reports/cur", NULL, log, NULL, &error);
  g_assert_no_error (error);

  wait_for_delivery (fixture, bucket, "ap-southeast-1", "reports/cur", "stompy-delivery");
  status = bucket_status (fixture, bucket, "ap-southeast-1", STOMPY_DELIVERY_CUR,
                          "reports/cur", "stompy-delivery");
  g_assert_cmpint (status->delivered, ==, STOMPY_CHECK_YES);

  /* Another report's prefix in the same bucket has seen nothing. */
  g_assert_false (find_delivery (fixture, bucket, "ap-southeast-1", "reports/cur", "other"));
}

static void
test_setup_bucket_taken (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(StompyCurSetupResult) result = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  StompyCurSetupStep failed = STOMPY_CUR_SETUP_STEP_NONE;

  result = run_setup (fixture, STOMPY_CUR_SETUP_KIND_LEGACY, "stompy-cur", TAKEN_BUCKET,
                      "ap-southeast-1", "cur", NULL, log, &failed, &error);
  g_assert_null (result);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_ALREADY_EXISTS);
  g_assert_true (stompy_s3_error_is_name_taken (error));
  g_assert_false (stompy_s3_error_is_owned_in_other_region (error, NULL));
  g_assert_cmpint (failed, ==, STOMPY_CUR_SETUP_STEP_BUCKET);
  g_assert_true (g_str_has_suffix (log->str, "bucket:started bucket:failed"));
  g_assert_cmpint (creations ("s3:bucket"), ==, 0);
  g_assert_cmpint (creations ("cur:report"), ==, 0);
}

static void
test_setup_bucket_in_other_region (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(StompyCurSetupResult) result = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;
  StompyCurSetupStep failed = STOMPY_CUR_SETUP_STEP_NONE;
  gboolean created = TRUE;

  result = run_setup (fixture, STOMPY_CUR_SETUP_KIND_LEGACY, "stompy-cur", USWEST2_BUCKET,
                      "ap-southeast-1", "cur", NULL, log, &failed, &error);
  g_assert_null (result);
  g_assert_cmpint (failed, ==, STOMPY_CUR_SETUP_STEP_BUCKET);
  g_assert_true (stompy_s3_error_is_owned_in_other_region (error, &region));
  g_assert_cmpstr (region, ==, "us-west-2");
  g_assert_false (stompy_s3_error_is_name_taken (error));
  g_assert_cmpint (creations ("s3:bucket"), ==, 0);

  /* In its own region it is simply reused. */
  g_clear_error (&error);
  g_assert_true (ensure_bucket (fixture, USWEST2_BUCKET, "us-west-2", &created, &error));
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpint (creations ("s3:bucket"), ==, 0);
}

static void
test_setup_invalid_input (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(StompyCurSetupResult) result = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  StompyCurSetupStep failed = STOMPY_CUR_SETUP_STEP_NONE;

  result = run_setup (fixture, STOMPY_CUR_SETUP_KIND_LEGACY, "stompy-cur", "Bad_Bucket",
                      "ap-southeast-1", "cur", NULL, log, &failed, &error);
  g_assert_null (result);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
  g_assert_cmpint (failed, ==, STOMPY_CUR_SETUP_STEP_VALIDATE);
  g_assert_cmpstr (log->str, ==, "validate:started validate:failed");
  g_assert_cmpint (stompy_aws_client_get_request_count (fixture->client), ==, 0);
}

static void
test_setup_cancelled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(StompyCurSetupResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  result = run_setup (fixture, STOMPY_CUR_SETUP_KIND_LEGACY, "stompy-cur",
                      "stompy-cur-cancel-210987654321", "ap-southeast-1", "cur", cancellable, log,
                      NULL, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (creations ("s3:bucket"), ==, 0);
}

/* ------------------------------------------------------------------ reports */

static void
test_list_reports_pages (Fixture       *fixture,
                         gconstpointer  data)
{
  JsonArray *fixtures = fixture_reports ();
  guint expected = json_array_get_length (fixtures);
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (expected, >=, 6);
  reports = list_reports (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reports->len, ==, expected);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator,
                                                        "cur:DescribeReportDefinitions"),
                   ==, (expected + 4) / 5);

  for (guint i = 0; i < reports->len; i++)
    {
      StompyCurReport *report = g_ptr_array_index (reports, i);
      JsonObject *definition = json_array_get_object_element (fixtures, i);

      g_assert_cmpstr (report->report_name, ==,
                       json_object_get_string_member (definition, "ReportName"));
      /* The fixtures: only stompy-ready-cur meets all four; each other
       * fails exactly one. */
      if (g_str_equal (report->report_name, "stompy-ready-cur"))
        {
          g_assert_true (stompy_cur_report_meets_all (report));
          g_assert_cmpstr (report->last_status, ==, "SUCCESS");
        }
      else
        {
          StompyCurConditions met = stompy_cur_report_evaluate (report, NULL);
          g_assert_cmpuint (g_bit_storage (STOMPY_CUR_CONDITIONS_ALL & ~met), >, 0);
          g_assert_false (stompy_cur_report_meets_all (report));
        }
    }

  /* One more report: still every page. */
  {
    g_autoptr(StompyCurSetupResult) result = NULL;
    g_autoptr(GString) log = g_string_new (NULL);
    g_autoptr(GPtrArray) again = NULL;

    result = run_setup (fixture, STOMPY_CUR_SETUP_KIND_LEGACY, "stompy-seventh",
                        "stompy-cur-seventh-210987654321", "ap-southeast-1", "cur", NULL, log,
                        NULL, &error);
    g_assert_no_error (error);
    again = list_reports (fixture, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (again->len, ==, expected + 1);
    g_assert_cmpstr (((StompyCurReport *) g_ptr_array_index (again, expected))->report_name, ==,
                     "stompy-seventh");
  }
}

static void
test_existing_ready_report_reused (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(StompyCurReport) definition = NULL;
  g_autoptr(StompyCurReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyS3BucketStatus) status = NULL;
  gboolean created = TRUE;

  definition = stompy_cur_report_new_recommended ("stompy-ready-cur", READY_BUCKET, "cur",
                                                  "ap-southeast-1");
  stompy_cur_create_report_async (fixture->client, definition, NULL, stompy_test_store_result_cb, &result);
  report = stompy_cur_create_report_finish (stompy_test_wait_result (&result), &created, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpstr (report->last_status, ==, "SUCCESS");
  g_assert_cmpint (creations ("cur:report"), ==, 0);

  /* Its bucket, as the status panel sees it. */
  status = bucket_status (fixture, READY_BUCKET, report->s3_region, STOMPY_DELIVERY_CUR,
                          report->s3_prefix, report->report_name);
  g_assert_cmpint (status->exists, ==, STOMPY_CHECK_YES);
  g_assert_cmpint (status->region_matches, ==, STOMPY_CHECK_YES);
  g_assert_cmpint (status->delivery_policy, ==, STOMPY_CHECK_YES);
  g_assert_cmpint (status->public_access_blocked, ==, STOMPY_CHECK_YES);
  g_assert_cmpint (status->delivered, ==, STOMPY_CHECK_YES);
}

static void
test_existing_unsuitable_report_conflicts (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autoptr(StompyCurReport) definition = NULL;
  g_autoptr(StompyCurReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  definition = stompy_cur_report_new_recommended ("finance-daily", READY_BUCKET, "cur",
                                                  "ap-southeast-1");
  stompy_cur_create_report_async (fixture->client, definition, NULL, stompy_test_store_result_cb, &result);
  report = stompy_cur_create_report_finish (stompy_test_wait_result (&result), NULL, &error);
  g_assert_null (report);
  g_assert_true (stompy_cur_error_is_report_name_conflict (error));
  g_assert_nonnull (strstr (stompy_aws_error_get_aws_message (error), "hourly"));
  g_assert_cmpint (creations ("cur:report"), ==, 0);
}

/* ------------------------------------------------------------------ buckets */

static void
test_bucket_status_of_others (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(StompyS3BucketStatus) taken = NULL;
  g_autoptr(StompyS3BucketStatus) missing = NULL;
  g_autoptr(StompyS3BucketStatus) elsewhere = NULL;

  /* Another account's bucket in us-east-1: the redirect tells its region,
   * and nothing else can be read. */
  taken = bucket_status (fixture, TAKEN_BUCKET, "ap-southeast-1", STOMPY_DELIVERY_CUR, "cur",
                         "stompy-cur");
  g_assert_cmpint (taken->exists, ==, STOMPY_CHECK_YES);
  g_assert_false (taken->accessible);
  g_assert_cmpstr (taken->region, ==, "us-east-1");
  g_assert_cmpint (taken->region_matches, ==, STOMPY_CHECK_NO);
  g_assert_cmpint (taken->delivery_policy, ==, STOMPY_CHECK_UNKNOWN);

  missing = bucket_status (fixture, "stompy-no-such-bucket-210987654321", "ap-southeast-1",
                           STOMPY_DELIVERY_CUR, "cur", "stompy-cur");
  g_assert_cmpint (missing->exists, ==, STOMPY_CHECK_NO);
  g_assert_cmpint (missing->delivered, ==, STOMPY_CHECK_NO);
  g_assert_null (missing->region);

  /* Ours, without a policy or a public access block. */
  elsewhere = bucket_status (fixture, USWEST2_BUCKET, "ap-southeast-1", STOMPY_DELIVERY_CUR,
                             "cur", "stompy-cur");
  g_assert_cmpint (elsewhere->exists, ==, STOMPY_CHECK_YES);
  g_assert_true (elsewhere->accessible);
  g_assert_cmpstr (elsewhere->region, ==, "us-west-2");
  g_assert_cmpint (elsewhere->region_matches, ==, STOMPY_CHECK_NO);
  g_assert_cmpint (elsewhere->delivery_policy, ==, STOMPY_CHECK_NO);
  g_assert_cmpint (elsewhere->public_access_blocked, ==, STOMPY_CHECK_NO);
  g_assert_cmpint (elsewhere->delivered, ==, STOMPY_CHECK_NO);
}

static void
test_policy_merge_keeps_existing (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) get_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *policy = NULL;
  StompyPolicyMergeOutcome outcome = STOMPY_POLICY_MERGE_UNCHANGED;

  /* The ready bucket's policy (with both principals) already allows
   * Data Exports too: nothing is written. */
  stompy_s3_ensure_delivery_policy_async (fixture->client, READY_BUCKET, "ap-southeast-1",
                                          MGMT_ACCOUNT, STOMPY_DELIVERY_CUR |
                                          STOMPY_DELIVERY_DATA_EXPORTS, NULL, stompy_test_store_result_cb,
                                          &result);
  g_assert_true (stompy_s3_ensure_delivery_policy_finish (stompy_test_wait_result (&result), &outcome,
                                                          &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, STOMPY_POLICY_MERGE_UNCHANGED);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "s3:PutBucketPolicy"), ==, 0);

  stompy_s3_get_bucket_policy_async (fixture->client, READY_BUCKET, "ap-southeast-1", NULL,
                                     stompy_test_store_result_cb, &get_result);
  policy = stompy_s3_get_bucket_policy_finish (stompy_test_wait_result (&get_result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (policy, "StompyCurCheckBucket"));
  g_assert_null (strstr (policy, STOMPY_POLICY_SID_CUR_CHECK "\""));
}

static void
test_bucket_without_policy (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *policy = NULL;

  stompy_s3_get_bucket_policy_async (fixture->client, USWEST2_BUCKET, "us-west-2", NULL,
                                     stompy_test_store_result_cb, &result);
  policy = stompy_s3_get_bucket_policy_finish (stompy_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_null (policy);
}

/* ------------------------------------------------------------------ Data Exports */

static void
test_data_exports_create_and_reuse (Fixture       *fixture,
                                    gconstpointer  data)
{
  const char *bucket = "stompy-cur2-210987654321";
  g_autoptr(StompyCurSetupResult) first = NULL;
  g_autoptr(StompyCurSetupResult) second = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) exports = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  first = run_setup (fixture, STOMPY_CUR_SETUP_KIND_DATA_EXPORTS, "stompy-cur2", bucket,
                     "ap-southeast-1", "cur2", NULL, log, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (first->bucket_created);
  g_assert_true (first->report_created);
  g_assert_null (first->report);
  g_assert_nonnull (first->export);
  g_assert_true (g_str_has_prefix (first->export->arn,
                                   "arn:aws:bcm-data-exports:us-east-1:" MGMT_ACCOUNT ":export/"));
  g_assert_cmpint (creations ("data-exports:export"), ==, 1);
  g_assert_cmpint (creations ("cur:report"), ==, 0);

  g_string_truncate (log, 0);
  second = run_setup (fixture, STOMPY_CUR_SETUP_KIND_DATA_EXPORTS, "stompy-cur2", bucket,
                      "ap-southeast-1", "cur2", NULL, log, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (second->bucket_created);
  g_assert_cmpint (second->policy, ==, STOMPY_POLICY_MERGE_UNCHANGED);
  g_assert_false (second->report_created);
  g_assert_cmpstr (second->export->arn, ==, first->export->arn);
  g_assert_cmpint (stompy_data_export_evaluate (second->export), ==, STOMPY_CUR_CONDITIONS_ALL);
  g_assert_cmpint (creations ("data-exports:export"), ==, 1);

  stompy_data_exports_list_async (fixture->client, NULL, stompy_test_store_result_cb, &result);
  exports = stompy_data_exports_list_finish (stompy_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (exports->len, ==, 1);
  g_assert_cmpstr (((StompyDataExport *) g_ptr_array_index (exports, 0))->name, ==,
                   "stompy-cur2");

  /* The emulator delivers the export's first files under <prefix>/<name>/. */
  wait_for_delivery (fixture, bucket, "ap-southeast-1", "cur2", "stompy-cur2");
}

static void
test_data_exports_name_conflict (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(StompyCurSetupResult) first = NULL;
  g_autoptr(StompyCurSetupResult) second = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  StompyCurSetupStep failed = STOMPY_CUR_SETUP_STEP_NONE;

  first = run_setup (fixture, STOMPY_CUR_SETUP_KIND_DATA_EXPORTS, "stompy-cur2",
                     "stompy-cur2-210987654321", "ap-southeast-1", "cur2", NULL, log, NULL,
                     &error);
  g_assert_no_error (error);

  /* Same name, another prefix: not the same export. */
  second = run_setup (fixture, STOMPY_CUR_SETUP_KIND_DATA_EXPORTS, "stompy-cur2",
                      "stompy-cur2-210987654321", "ap-southeast-1", "other", NULL, log, &failed,
                      &error);
  g_assert_null (second);
  g_assert_true (stompy_data_exports_error_is_name_conflict (error));
  g_assert_cmpint (failed, ==, STOMPY_CUR_SETUP_STEP_REPORT);
  g_assert_cmpint (creations ("data-exports:export"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  emulator = stompy_test_emulator_start ();

#define ADD(path, func) \
  g_test_add ("/analysaver/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("setup/from-nothing-then-nothing-created-twice", test_setup_from_nothing_then_again);
  ADD ("setup/first-delivery-seen", test_first_delivery_seen);
  ADD ("setup/bucket-name-taken-by-another-account", test_setup_bucket_taken);
  ADD ("setup/bucket-owned-in-another-region", test_setup_bucket_in_other_region);
  ADD ("setup/invalid-input-sends-nothing", test_setup_invalid_input);
  ADD ("setup/cancelled", test_setup_cancelled);
  ADD ("cur/list-follows-every-page", test_list_reports_pages);
  ADD ("cur/existing-ready-report-reused", test_existing_ready_report_reused);
  ADD ("cur/existing-unsuitable-report-conflicts", test_existing_unsuitable_report_conflicts);
  ADD ("s3/bucket-status-of-others", test_bucket_status_of_others);
  ADD ("s3/policy-already-allowing-is-not-rewritten", test_policy_merge_keeps_existing);
  ADD ("s3/bucket-without-policy", test_bucket_without_policy);
  ADD ("data-exports/create-and-reuse", test_data_exports_create_and_reuse);
  ADD ("data-exports/same-name-other-settings-conflicts", test_data_exports_name_conflict);

#undef ADD

  status = g_test_run ();

  g_clear_pointer (&emulator, stompy_test_emulator_stop);

  return status;
}
