/* test-aws-integration.c — the AWS client and identity lookup against the emulator
 *
 * Real HTTP to tests/emulator on a loopback port: signing, the query and JSON
 * protocols, every account kind of tests/emulator/accounts.json, and the
 * retry, skew and cancellation behaviour under injected faults.
 */
#include "config.h"

#include <string.h>

#include "stompy-aws-client.h"
#include "stompy-aws-identity.h"
#include "stompy-error.h"
#include "stompy-http.h"
#include "stompy-test-emulator.h"
#include "stompy-test-util.h"


static StompyTestEmulator *emulator;

/* ------------------------------------------------------------------ log capture */

/* Every log line the client writes while a test captures, to check that no
 * secret ever reaches a log. */
static GString *captured_logs;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (captured_logs != NULL)
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
          {
            g_string_append (captured_logs, fields[i].value);
            g_string_append_c (captured_logs, '\n');
          }
      if (log_level & G_LOG_LEVEL_DEBUG)
        return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* ------------------------------------------------------------------ helpers */

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

  fixture->session = stompy_http_session_new ();
  fixture->envp = stompy_test_emulator_get_environ (emulator);
  /* Retries without waiting, so that fault tests are fast; the tests of the
   * real backoff install their own policy. */
  fixture->policy = stompy_retry_policy_new (STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS);
  stompy_retry_policy_set_random_func (fixture->policy, random_zero, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->client != NULL)
    g_assert_finalize_object (fixture->client);
  g_clear_pointer (&fixture->policy, stompy_retry_policy_unref);
  g_clear_pointer (&fixture->envp, g_strfreev);
  g_clear_object (&fixture->session);
}

static StompyAwsClient *
fixture_client_full (Fixture           *fixture,
                     StompyAwsCredentials *credentials)
{
  g_assert_null (fixture->client);
  g_assert_nonnull (credentials);
  fixture->client = stompy_aws_client_new (fixture->session, credentials, NULL, NULL, NULL,
                                           (const char * const *) fixture->envp);
  stompy_aws_client_set_retry_policy (fixture->client, fixture->policy);
  return fixture->client;
}

static StompyAwsClient *
fixture_client (Fixture    *fixture,
                const char *profile)
{
  g_autoptr(StompyAwsCredentials) credentials = stompy_test_credentials_for_profile (profile);
  return fixture_client_full (fixture, credentials);
}

static StompyAwsIdentity *
lookup_identity (StompyAwsClient  *client,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stompy_aws_identity_lookup_async (client, cancellable, stompy_test_store_result_cb, &result);
  return stompy_aws_identity_lookup_finish (stompy_test_wait_result (&result), error);
}

static StompyXmlNode *
get_caller_identity (StompyAwsClient  *client,
                     GCancellable     *cancellable,
                     GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stompy_aws_client_query_async (client, STOMPY_AWS_SERVICE_STS, "GetCallerIdentity",
                                 "2011-06-15", NULL, cancellable, stompy_test_store_result_cb, &result);
  return stompy_aws_client_query_finish (client, stompy_test_wait_result (&result), error);
}

static void
add_fault (const char *json)
{
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "faults", json);
}

/* ------------------------------------------------------------------ identity */

static void
assert_identity_matches (const StompyAwsIdentity *identity,
                         const char              *profile)
{
  JsonObject *entry = stompy_test_aws_account (profile);

  g_assert_cmpstr (identity->account_id, ==, json_object_get_string_member (entry, "account"));
  g_assert_cmpstr (identity->arn, ==, json_object_get_string_member (entry, "arn"));
  g_assert_cmpstr (identity->user_id, ==, json_object_get_string_member (entry, "user_id"));
}

static void
test_identity_management_user (Fixture       *fixture,
                               gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-management");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = lookup_identity (client, NULL, &error);
  g_assert_no_error (error);
  assert_identity_matches (identity, "emulator-management");
  g_assert_false (identity->is_root);
  g_assert_cmpint (identity->organization_role, ==, STOMPY_ORGANIZATION_ROLE_MANAGEMENT);
  g_assert_cmpstr (identity->organization_id, ==, "o-emulator01");
  g_assert_cmpstr (identity->management_account_id, ==, "210987654321");
  /* GetCallerIdentity and DescribeOrganization, each once. */
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 2);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "sts:GetCallerIdentity"), ==, 1);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator,
                                                        "organizations:DescribeOrganization"), ==, 1);
}

/* POSTs (the query and JSON services) reuse one kept-alive connection: libsoup
 * opens a new one for each unless the call is marked idempotent. */
static void
test_connection_reused_across_posts (Fixture       *fixture,
                                     gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-management");
  g_autoptr(JsonNode) stats = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(StompyAwsIdentity) identity = NULL;
      g_autoptr(GError) error = NULL;

      identity = lookup_identity (client, NULL, &error);
      g_assert_no_error (error);
    }

  stats = stompy_test_emulator_get_stats (emulator);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "sts:GetCallerIdentity"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (stats), "connections"),
                   ==, 1);
}

static void
test_identity_root_user (Fixture       *fixture,
                         gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-root");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = lookup_identity (client, NULL, &error);
  g_assert_no_error (error);
  assert_identity_matches (identity, "emulator-root");
  g_assert_true (identity->is_root);
  g_assert_cmpint (identity->organization_role, ==, STOMPY_ORGANIZATION_ROLE_MANAGEMENT);
}

static void
test_identity_member (Fixture       *fixture,
                      gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-member");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = lookup_identity (client, NULL, &error);
  g_assert_no_error (error);
  assert_identity_matches (identity, "emulator-member");
  g_assert_false (identity->is_root);
  g_assert_cmpint (identity->organization_role, ==, STOMPY_ORGANIZATION_ROLE_MEMBER);
  g_assert_cmpstr (identity->organization_id, ==, "o-emulator01");
  g_assert_cmpstr (identity->management_account_id, ==, "210987654321");
}

static void
test_identity_standalone (Fixture       *fixture,
                          gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-standalone");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = lookup_identity (client, NULL, &error);
  g_assert_no_error (error);
  assert_identity_matches (identity, "emulator-standalone");
  g_assert_cmpint (identity->organization_role, ==, STOMPY_ORGANIZATION_ROLE_STANDALONE);
  g_assert_null (identity->organization_id);
  g_assert_null (identity->management_account_id);
}

static void
test_identity_member_without_permission (Fixture       *fixture,
                                         gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-member-readonly");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = lookup_identity (client, NULL, &error);
  g_assert_no_error (error);
  assert_identity_matches (identity, "emulator-member-readonly");
  g_assert_cmpint (identity->organization_role, ==, STOMPY_ORGANIZATION_ROLE_UNKNOWN);
  g_assert_null (identity->management_account_id);
  /* An access denial is an answer, not something to retry. */
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 2);
}

static void
test_identity_temporary_credentials (Fixture       *fixture,
                                     gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-session");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *entry = stompy_test_aws_account ("emulator-session");

  captured_logs = g_string_new (NULL);
  identity = lookup_identity (client, NULL, &error);
  g_assert_no_error (error);
  assert_identity_matches (identity, "emulator-session");
  g_assert_false (identity->is_root);
  g_assert_cmpint (identity->organization_role, ==, STOMPY_ORGANIZATION_ROLE_MEMBER);

  /* The debug log shows each attempt, but neither the secret, the session
   * token nor the signature. */
  g_assert_nonnull (strstr (captured_logs->str, "GetCallerIdentity"));
  g_assert_nonnull (strstr (captured_logs->str, "[redacted]"));
  g_assert_null (strstr (captured_logs->str, json_object_get_string_member (entry, "secret")));
  g_assert_null (strstr (captured_logs->str,
                         json_object_get_string_member (entry, "session_token")));
  g_assert_null (strstr (captured_logs->str, "Signature="));
  g_string_free (g_steal_pointer (&captured_logs), TRUE);
}

/* ------------------------------------------------------------------ auth errors */

static void
test_error_wrong_secret (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *key = stompy_test_access_key_for_profile ("emulator-management");
  g_autoptr(StompyAwsCredentials) credentials =
    stompy_aws_credentials_new (key, "NotTheRightSecret/00000000000000000000000", NULL, "test");
  StompyAwsClient *client = fixture_client_full (fixture, credentials);
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = lookup_identity (client, NULL, &error);
  g_assert_null (identity);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_SIGNATURE_MISMATCH);
  g_assert_cmpstr (stompy_aws_error_get_aws_code (error), ==, "SignatureDoesNotMatch");
  g_assert_nonnull (stompy_aws_error_get_request_id (error));
  g_assert_cmpuint (stompy_aws_error_get_http_status (error), ==, 403);
  /* A wrong key is not retried. */
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 1);
}

static void
test_error_unknown_key (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(StompyAwsCredentials) credentials =
    stompy_aws_credentials_new ("AKIAEMULATORUNKNOWN9", "Whatever/Secret/000000000000000000000000",
                                NULL, "test");
  StompyAwsClient *client = fixture_client_full (fixture, credentials);
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = lookup_identity (client, NULL, &error);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_INVALID_CLIENT_TOKEN_ID);
  g_assert_cmpstr (stompy_aws_error_get_aws_code (error), ==, "InvalidClientTokenId");
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 1);
}

static void
test_error_expired_token (Fixture       *fixture,
                          gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-expired");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = lookup_identity (client, NULL, &error);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_EXPIRED_TOKEN);
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 1);
}

/* ------------------------------------------------------------------ retries */

static void
test_retry_throttled_twice_then_success (Fixture       *fixture,
                                         gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-management");
  g_autoptr(StompyXmlNode) result = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("{\"target\": \"sts:GetCallerIdentity\", \"kind\": \"throttle\", \"count\": 2}");

  result = get_caller_identity (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_xml_node_get_name (result), ==, "GetCallerIdentityResult");
  g_assert_cmpstr (stompy_xml_node_lookup_text (result, "Account"), ==, "210987654321");
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 3);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "sts:GetCallerIdentity"), ==, 3);
  /* Two retries took 2 × 5 from the quota; the success gave them back. */
  g_assert_cmpuint (stompy_retry_policy_get_quota (fixture->policy), ==,
                    STOMPY_RETRY_QUOTA_CAPACITY);
}

static void
test_retry_real_backoff_is_bounded (Fixture       *fixture,
                                    gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-management");
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS);
  g_autoptr(StompyXmlNode) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed_ms;

  stompy_aws_client_set_retry_policy (client, policy);
  add_fault ("{\"target\": \"sts:GetCallerIdentity\", \"kind\": \"throttle\", \"count\": 2}");

  start = g_get_monotonic_time ();
  result = get_caller_identity (client, NULL, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 3);
  /* Full jitter: the waits are below 1 s and 2 s; allow for the requests. */
  g_assert_cmpint (elapsed_ms, <, 3000 + 2000);
}

static void
test_retry_throttled_three_times_gives_up (Fixture       *fixture,
                                           gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-management");
  g_autoptr(StompyXmlNode) result = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("{\"target\": \"sts:GetCallerIdentity\", \"kind\": \"throttle\", \"count\": 3}");

  result = get_caller_identity (client, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_THROTTLED);
  g_assert_cmpstr (stompy_aws_error_get_aws_code (error), ==, "Throttling");
  g_assert_nonnull (stompy_aws_error_get_request_id (error));
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 3);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "sts:GetCallerIdentity"), ==, 3);
}

static void
test_retry_server_error_then_success (Fixture       *fixture,
                                      gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-member");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("{\"target\": \"organizations:DescribeOrganization\", \"kind\": \"http500\", \"count\": 1}");

  identity = lookup_identity (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (identity->organization_role, ==, STOMPY_ORGANIZATION_ROLE_MEMBER);
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 3);
}

static void
test_retry_server_errors_give_up (Fixture       *fixture,
                                  gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-member");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("{\"target\": \"organizations:DescribeOrganization\", \"kind\": \"http503\", \"count\": 5}");

  identity = lookup_identity (client, NULL, &error);
  g_assert_null (identity);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_SERVER);
  g_assert_cmpuint (stompy_aws_error_get_http_status (error), ==, 503);
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 1 + 3);
}

static void
test_retry_connection_reset_then_success (Fixture       *fixture,
                                          gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-management");
  g_autoptr(StompyXmlNode) result = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("{\"target\": \"sts:GetCallerIdentity\", \"kind\": \"reset\", \"count\": 1}");

  result = get_caller_identity (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_xml_node_lookup_text (result, "Account"), ==, "210987654321");
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 2);
}

static void
test_retry_connection_resets_give_up (Fixture       *fixture,
                                      gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-management");
  g_autoptr(StompyXmlNode) result = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("{\"target\": \"sts:GetCallerIdentity\", \"kind\": \"reset\", \"count\": 5}");

  result = get_caller_identity (client, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_NETWORK);
  g_assert_nonnull (stompy_aws_error_get_aws_message (error));
  g_assert_cmpuint (stompy_aws_error_get_http_status (error), ==, 0);
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 3);
}

static void
test_skew_corrected (Fixture       *fixture,
                     gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-management");
  g_autoptr(StompyXmlNode) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 offset_s;

  add_fault ("{\"target\": \"sts:GetCallerIdentity\", \"kind\": \"skew\", \"skew_seconds\": 3600}");

  result = get_caller_identity (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 2);

  offset_s = stompy_clock_get_offset_us (stompy_aws_client_get_clock (client)) / G_USEC_PER_SEC;
  g_assert_cmpint (offset_s, >=, 3600 - 5);
  g_assert_cmpint (offset_s, <=, 3600 + 5);

  /* The corrected clock is kept: the next call succeeds at once. */
  g_clear_pointer (&result, stompy_xml_node_unref);
  result = get_caller_identity (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 3);
}

typedef struct
{
  gboolean in_backoff;
} BackoffProbe;

/* The retry policy asks for a random number exactly when the client starts
 * waiting before a retry: the probe notes it, and asks for a long wait. */
static double
random_probe (gpointer user_data)
{
  BackoffProbe *probe = user_data;

  probe->in_backoff = TRUE;
  return 0.999;
}

static void
test_cancel_during_backoff (Fixture       *fixture,
                            gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-management");
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompyXmlNode) node = NULL;
  g_autoptr(GError) error = NULL;
  BackoffProbe probe = { FALSE };
  gint64 cancelled_at;
  gint64 waited_ms;

  stompy_retry_policy_set_random_func (policy, random_probe, &probe);
  stompy_aws_client_set_retry_policy (client, policy);
  add_fault ("{\"target\": \"sts:GetCallerIdentity\", \"kind\": \"throttle\", \"count\": 5}");

  stompy_aws_client_query_async (client, STOMPY_AWS_SERVICE_STS, "GetCallerIdentity",
                                 "2011-06-15", NULL, cancellable, stompy_test_store_result_cb, &result);
  stompy_test_spin_until (&probe.in_backoff);
  g_assert_null (result);

  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  node = stompy_aws_client_query_finish (client, stompy_test_wait_result (&result), &error);
  waited_ms = (g_get_monotonic_time () - cancelled_at) / 1000;

  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The backoff was 999 ms: ending well before it means it did not wait. */
  g_assert_cmpint (waited_ms, <, 500);
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 1);
}

static void
test_cancel_before_start (Fixture       *fixture,
                          gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-management");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  identity = lookup_identity (client, cancellable, &error);
  g_assert_null (identity);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "sts:GetCallerIdentity"), ==, 0);
}

static void
test_malformed_body (Fixture       *fixture,
                     gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-management");
  g_autoptr(StompyXmlNode) result = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("{\"target\": \"sts:GetCallerIdentity\", \"kind\": \"malformed\", \"count\": 1}");

  result = get_caller_identity (client, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_MALFORMED_RESPONSE);
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 1);
}

static void
test_malformed_json_body (Fixture       *fixture,
                          gconstpointer  data)
{
  StompyAwsClient *client = fixture_client (fixture, "emulator-member");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("{\"target\": \"organizations:DescribeOrganization\", \"kind\": \"malformed\", \"count\": 1}");

  identity = lookup_identity (client, NULL, &error);
  g_assert_null (identity);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_MALFORMED_RESPONSE);
}

static void
test_insecure_endpoint_refused (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(StompyAwsCredentials) credentials = stompy_test_credentials_for_profile ("emulator-management");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  fixture->envp = g_environ_setenv (fixture->envp, "AWS_ENDPOINT_URL", "http://example.com", TRUE);
  fixture_client_full (fixture, credentials);

  identity = lookup_identity (fixture->client, NULL, &error);
  g_assert_null (identity);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT);
  g_assert_cmpuint (stompy_aws_client_get_request_count (fixture->client), ==, 0);
}


/* ------------------------------------------------------------------ local server */

/* What the emulator does not cover yet (S3) or cannot do (a huge body, an
 * endpoint that never answers) is checked against a tiny SoupServer. */
typedef struct
{
  SoupServer *server;
  char       *url;
  char       *last_method;
  char       *last_path;
  char       *last_query;
  char       *last_body;
  SoupMessageHeaders *last_headers;
  guint       requests;
} LocalServer;

static void
local_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  LocalServer *local = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *raw_path = g_uri_get_path (uri);

  local->requests++;
  g_free (local->last_method);
  g_free (local->last_path);
  g_free (local->last_query);
  g_free (local->last_body);
  g_clear_pointer (&local->last_headers, soup_message_headers_unref);
  local->last_method = g_strdup (soup_server_message_get_method (msg));
  local->last_path = g_strdup (raw_path);
  local->last_query = g_strdup (g_uri_get_query (uri));
  local->last_body = g_strndup (body->data, body->length);
  local->last_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));

  soup_message_headers_append (response_headers, "x-amz-request-id", "LOCALREQID");

  if (g_str_equal (raw_path, "/hang"))
    {
      /* Never answered: the client's timeout must end it. */
      soup_server_message_pause (msg);
    }
  else if (g_str_equal (raw_path, "/huge"))
    {
      gsize size = 17 * 1024 * 1024;
      char *big = g_malloc (size);

      memset (big, 'x', size);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_TAKE,
                                        big, size);
    }
  else if (g_str_equal (raw_path, "/missing-bucket"))
    {
      soup_server_message_set_status (msg, 404, NULL);
    }
  else if (g_str_equal (raw_path, "/denied-bucket"))
    {
      soup_server_message_set_status (msg, 403, NULL);
    }
  else if (g_str_equal (raw_path, "/eu-bucket"))
    {
      soup_message_headers_append (response_headers, "x-amz-bucket-region", "eu-west-1");
      soup_server_message_set_status (msg, 301, NULL);
    }
  else if (g_str_equal (raw_path, "/"))
    {
      const char *xml = "<TestResponse><TestResult><Ok>yes</Ok></TestResult></TestResponse>";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_COPY, xml, strlen (xml));
    }
  else
    {
      const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<ListBucketResult><KeyCount>0</KeyCount></ListBucketResult>";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY, xml,
                                        strlen (xml));
    }
}

static LocalServer *
local_server_new (void)
{
  LocalServer *local = g_new0 (LocalServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  local->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (local->server, NULL, local_handler, local, NULL);
  soup_server_listen_local (local->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (local->server);
  g_assert_nonnull (uris);
  local->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return local;
}

static void
local_server_free (LocalServer *local)
{
  soup_server_disconnect (local->server);
  g_clear_object (&local->server);
  g_free (local->url);
  g_free (local->last_method);
  g_free (local->last_path);
  g_free (local->last_query);
  g_free (local->last_body);
  g_clear_pointer (&local->last_headers, soup_message_headers_unref);
  g_free (local);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LocalServer, local_server_free)

static StompyAwsClient *
local_client (Fixture     *fixture,
              LocalServer *local)
{
  g_autoptr(StompyAwsCredentials) credentials = stompy_test_credentials_for_profile ("emulator-session");

  fixture->envp = g_environ_setenv (fixture->envp, "AWS_ENDPOINT_URL", local->url, TRUE);
  return fixture_client_full (fixture, credentials);
}

static StompyAwsResponse *
rest_xml (StompyAwsClient  *client,
          const char       *method,
          const char       *bucket,
          const char       *key,
          const char       *query,
          GBytes           *body,
          GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stompy_aws_client_rest_xml_async (client, method, bucket, key, query, NULL, body,
                                    body != NULL ? "application/json" : NULL, NULL,
                                    stompy_test_store_result_cb, &result);
  return stompy_aws_client_rest_xml_finish (client, stompy_test_wait_result (&result), error);
}

static void
test_query_form_encoding (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(LocalServer) local = local_server_new ();
  StompyAwsClient *client = local_client (fixture, local);
  const char * const params[] = {
    "Parameters.member.1.ParameterKey", "ExternalId",
    "Parameters.member.1.ParameterValue", "a b&c=d/é~+",
    NULL,
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompyXmlNode) node = NULL;
  g_autoptr(GError) error = NULL;

  stompy_aws_client_query_async (client, STOMPY_AWS_SERVICE_CLOUDFORMATION, "Test",
                                 "2010-05-15", params, NULL, stompy_test_store_result_cb, &result);
  node = stompy_aws_client_query_finish (client, stompy_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_xml_node_get_name (node), ==, "TestResult");
  g_assert_cmpstr (stompy_xml_node_lookup_text (node, "Ok"), ==, "yes");

  g_assert_cmpstr (local->last_method, ==, "POST");
  g_assert_cmpstr (local->last_path, ==, "/");
  g_assert_cmpstr (local->last_body, ==,
                   "Action=Test&Version=2010-05-15"
                   "&Parameters.member.1.ParameterKey=ExternalId"
                   "&Parameters.member.1.ParameterValue=a%20b%26c%3Dd%2F%C3%A9~%2B");
  g_assert_cmpstr (soup_message_headers_get_content_type (local->last_headers, NULL), ==,
                   "application/x-www-form-urlencoded");
  /* Temporary credentials send their session token. */
  g_assert_cmpstr (soup_message_headers_get_one (local->last_headers, "X-Amz-Security-Token"), ==,
                   json_object_get_string_member (stompy_test_aws_account ("emulator-session"), "session_token"));
  g_assert_nonnull (strstr (soup_message_headers_get_one (local->last_headers, "Authorization"),
                            "/cloudformation/aws4_request"));
}

static void
test_json_empty_body_and_target (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(LocalServer) local = local_server_new ();
  StompyAwsClient *client = local_client (fixture, local);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  stompy_aws_client_json_async (client, STOMPY_AWS_SERVICE_CUR,
                                "AWSOrigamiServiceGatewayService.DescribeReportDefinitions",
                                NULL, NULL, stompy_test_store_result_cb, &result);
  node = stompy_aws_client_json_finish (client, stompy_test_wait_result (&result), &error);

  /* The local server answers XML: a 2xx that is not JSON is malformed. */
  g_assert_null (node);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_MALFORMED_RESPONSE);
  g_assert_cmpstr (local->last_body, ==, "{}");
  g_assert_cmpstr (soup_message_headers_get_one (local->last_headers, "X-Amz-Target"), ==,
                   "AWSOrigamiServiceGatewayService.DescribeReportDefinitions");
  g_assert_cmpstr (soup_message_headers_get_content_type (local->last_headers, NULL), ==,
                   "application/x-amz-json-1.1");
}

static void
test_s3_path_style_and_key_encoding (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(LocalServer) local = local_server_new ();
  StompyAwsClient *client = local_client (fixture, local);
  g_autoptr(StompyAwsResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = rest_xml (client, "GET", "stompy-cur-210987654321", "cur/daily report/ü.csv",
                       "list-type=2&prefix=cur%2F", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (response->xml);
  g_assert_cmpstr (stompy_xml_node_get_name (response->xml), ==, "ListBucketResult");
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "x-amz-request-id"), ==,
                   "LOCALREQID");

  g_assert_cmpstr (local->last_method, ==, "GET");
  /* SoupServer hands the path over decoded: a space or a raw non-ASCII byte
   * on the wire would have been refused, so a round trip means it was encoded. */
  g_assert_cmpstr (local->last_path, ==, "/stompy-cur-210987654321/cur/daily report/ü.csv");
  g_assert_cmpstr (local->last_query, ==, "list-type=2&prefix=cur%2F");
  g_assert_nonnull (soup_message_headers_get_one (local->last_headers, "X-Amz-Content-Sha256"));
  g_assert_nonnull (strstr (soup_message_headers_get_one (local->last_headers, "Authorization"),
                            "/ap-southeast-1/s3/aws4_request"));
}

static void
test_s3_put_sends_content_md5 (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(LocalServer) local = local_server_new ();
  StompyAwsClient *client = local_client (fixture, local);
  const char *policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
  g_autoptr(GBytes) body = g_bytes_new_static (policy, strlen (policy));
  g_autoptr(StompyAwsResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
  guint8 digest[16];
  gsize digest_len = sizeof digest;
  g_autofree char *expected_md5 = NULL;

  g_checksum_update (md5, (const guchar *) policy, strlen (policy));
  g_checksum_get_digest (md5, digest, &digest_len);
  expected_md5 = g_base64_encode (digest, digest_len);

  response = rest_xml (client, "PUT", "stompy-cur-210987654321", NULL, "policy", body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (local->last_method, ==, "PUT");
  g_assert_cmpstr (local->last_path, ==, "/stompy-cur-210987654321");
  g_assert_cmpstr (local->last_query, ==, "policy");
  g_assert_cmpstr (local->last_body, ==, policy);
  g_assert_cmpstr (soup_message_headers_get_one (local->last_headers, "Content-MD5"), ==,
                   expected_md5);
}

static void
test_s3_head_errors_from_status (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(LocalServer) local = local_server_new ();
  StompyAwsClient *client = local_client (fixture, local);
  g_autoptr(StompyAwsResponse) r1 = NULL;
  g_autoptr(StompyAwsResponse) r2 = NULL;
  g_autoptr(StompyAwsResponse) r3 = NULL;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;

  r1 = rest_xml (client, "HEAD", "missing-bucket", NULL, NULL, NULL, &e1);
  g_assert_null (r1);
  g_assert_error (e1, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (stompy_aws_error_get_aws_code (e1), ==, "NotFound");
  g_assert_cmpstr (stompy_aws_error_get_request_id (e1), ==, "LOCALREQID");

  r2 = rest_xml (client, "HEAD", "denied-bucket", NULL, NULL, NULL, &e2);
  g_assert_error (e2, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_ACCESS_DENIED);
  g_assert_cmpstr (stompy_aws_error_get_aws_code (e2), ==, "Forbidden");

  /* No redirect is followed: the caller needs the region. */
  r3 = rest_xml (client, "HEAD", "eu-bucket", NULL, NULL, NULL, &e3);
  g_assert_error (e3, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_SERVICE);
  g_assert_cmpstr (stompy_aws_error_get_aws_code (e3), ==, "PermanentRedirect");
  g_assert_nonnull (strstr (stompy_aws_error_get_aws_message (e3), "eu-west-1"));

  /* None of these is worth a retry. */
  g_assert_cmpuint (local->requests, ==, 3);
}

static void
test_huge_body_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LocalServer) local = local_server_new ();
  StompyAwsClient *client = local_client (fixture, local);
  g_autoptr(StompyAwsResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = rest_xml (client, "GET", "huge", NULL, NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_MALFORMED_RESPONSE);
}

static void
test_timeout_retried_then_reported (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(LocalServer) local = local_server_new ();
  g_autoptr(StompyAwsResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  StompyAwsClient *client;

  /* A session that gives up after 1 s, so that three attempts take ~3 s. */
  g_clear_object (&fixture->session);
  fixture->session = soup_session_new_with_options ("timeout", 1, NULL);
  client = local_client (fixture, local);

  response = rest_xml (client, "GET", "hang", NULL, NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_TIMEOUT);
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 3);
  /* Retries after timeouts cost 10 each from the quota. */
  g_assert_cmpuint (stompy_retry_policy_get_quota (fixture->policy), ==,
                    STOMPY_RETRY_QUOTA_CAPACITY - 2 * STOMPY_RETRY_TIMEOUT_COST);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  emulator = stompy_test_emulator_start ();

#define ADD(path, func) \
  g_test_add ("/aws/integration/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("identity/management-user", test_identity_management_user);
  ADD ("identity/root-user-is-root", test_identity_root_user);
  ADD ("connection/reused-across-posts", test_connection_reused_across_posts);
  ADD ("identity/member-account", test_identity_member);
  ADD ("identity/standalone-account", test_identity_standalone);
  ADD ("identity/no-describe-organization-permission-is-unknown",
       test_identity_member_without_permission);
  ADD ("identity/temporary-credentials-and-no-secret-in-logs",
       test_identity_temporary_credentials);
  ADD ("errors/wrong-secret-is-signature-mismatch", test_error_wrong_secret);
  ADD ("errors/unknown-key-is-invalid-client-token-id", test_error_unknown_key);
  ADD ("errors/expired-session-token", test_error_expired_token);
  ADD ("retry/throttled-twice-then-success", test_retry_throttled_twice_then_success);
  ADD ("retry/real-backoff-is-bounded", test_retry_real_backoff_is_bounded);
  ADD ("retry/throttled-three-times-gives-up", test_retry_throttled_three_times_gives_up);
  ADD ("retry/server-error-then-success", test_retry_server_error_then_success);
  ADD ("retry/server-errors-give-up", test_retry_server_errors_give_up);
  ADD ("retry/connection-reset-then-success", test_retry_connection_reset_then_success);
  ADD ("retry/connection-resets-give-up-as-network", test_retry_connection_resets_give_up);
  ADD ("skew/clock-corrected-from-date", test_skew_corrected);
  ADD ("cancel/during-backoff-is-prompt", test_cancel_during_backoff);
  ADD ("cancel/before-start-sends-nothing", test_cancel_before_start);
  ADD ("malformed/query-body", test_malformed_body);
  ADD ("malformed/json-body", test_malformed_json_body);
  ADD ("endpoint/plain-http-to-remote-host-refused", test_insecure_endpoint_refused);
  ADD ("local/query-form-is-rfc3986-encoded", test_query_form_encoding);
  ADD ("local/json-sends-empty-object-and-target", test_json_empty_body_and_target);
  ADD ("local/s3-path-style-and-key-encoding", test_s3_path_style_and_key_encoding);
  ADD ("local/s3-put-sends-content-md5", test_s3_put_sends_content_md5);
  ADD ("local/s3-head-errors-from-status", test_s3_head_errors_from_status);
  ADD ("local/huge-body-refused", test_huge_body_refused);
  ADD ("local/timeout-retried-then-reported", test_timeout_retried_then_reported);

#undef ADD

  ret = g_test_run ();

  stompy_test_emulator_stop (emulator);

  return ret;
}
