/* test-connection.c — Connect and the verification checks, against the emulator
 *
 * The emulator runs with --delays zero: its checks settle as soon as the
 * connection exists, but the answer to the POST itself always has them
 * pending, so every test goes connect → watch → settled. The watch runs on a
 * fake timer that records each wait and fires at once.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "stompy-api-client.h"
#include "stompy-connection-watch.h"
#include "stompy-error.h"
#include "stompy-http.h"
#include "stompy-onboarding.h"
#include "stompy-test-emulator.h"
#include "stompy-test-util.h"

#define OPS_EMAIL       "ops@example.com"
#define OPS_PASSWORD    "correct horse battery staple"
#define VIEWER_EMAIL    "viewer@example.com"
#define VIEWER_PASSWORD "viewer password 1"

#define MGMT_ACCOUNT   "210987654321"
#define ANALYSAVER_ARN "arn:aws:iam::" MGMT_ACCOUNT ":role/StompyAnalySaverRole"
#define SPOTAINER_ARN  "arn:aws:iam::" MGMT_ACCOUNT ":role/StompySpoTainerRole"

static StompyTestEmulator *emulator;

/* ------------------------------------------------------------------ helpers */

static double
zero_random (gpointer user_data)
{
  return 0.0;
}

static gint64
count_creations (const char *kind)
{
  g_autoptr(JsonNode) stats = stompy_test_emulator_get_stats (emulator);
  JsonObject *creations = json_object_get_object_member (json_node_get_object (stats),
                                                         "creations");

  return creations != NULL ? json_object_get_int_member_with_default (creations, kind, 0) : 0;
}

static void
control (const char *path,
         const char *json)
{
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, path, json);
}

static void
sign_in (StompyApiClient *client,
         const char      *email,
         const char      *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  stompy_api_client_sign_in_async (client, email, password, NULL, stompy_test_store_result_cb,
                                   &slot);
  result = stompy_test_take_result (&slot);
  session = stompy_api_client_sign_in_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
}

/* A client of a freshly reset emulator, signed in as @email; retries take no time. */
static StompyApiClient *
client_new (const char *email,
            const char *password)
{
  g_autoptr(SoupSession) session = stompy_http_session_new ();
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (3);
  g_autoptr(GError) error = NULL;
  StompyApiClient *client;

  control ("reset", "{}");
  stompy_retry_policy_set_random_func (policy, zero_random, NULL);
  client = stompy_api_client_new (session, stompy_test_emulator_get_api_url (emulator), &error);
  g_assert_no_error (error);
  stompy_api_client_set_retry_policy (client, policy);
  stompy_api_client_set_language (client, "en");
  sign_in (client, email, password);

  return client;
}

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("stompy-connection-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "state.json", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_unlink (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* A model that has been through every step before Connect. */
static StompyOnboarding *
model_new (Fixture        *fixture,
           const char     *account_id,
           StompyProducts  products,
           const char     *bucket,
           const char     *analysaver_arn,
           const char     *spotainer_arn)
{
  StompyOnboarding *model = stompy_onboarding_new (fixture->path);

  stompy_onboarding_set_autosave (model, FALSE);
  stompy_onboarding_set_account_id (model, account_id);
  stompy_onboarding_set_products (model, products);
  stompy_cur_choice_set_report (stompy_onboarding_get_cur_choice (model),
                                STOMPY_CUR_ORIGIN_CREATED, "stompy-cur", bucket, "cur",
                                "ap-southeast-1");
  if (analysaver_arn != NULL)
    stompy_stack_record_set_role_arn (stompy_onboarding_get_stack (model,
                                                                   STOMPY_PRODUCT_ANALYSAVER),
                                      analysaver_arn, FALSE);
  if (spotainer_arn != NULL)
    stompy_stack_record_set_role_arn (stompy_onboarding_get_stack (model,
                                                                   STOMPY_PRODUCT_SPOTAINER),
                                      spotainer_arn, TRUE);

  return model;
}

static StompyAccountStatus *
connect (StompyOnboarding  *model,
         StompyApiClient   *client,
         GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_connection_connect_async (model, client, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);
  return stompy_connection_connect_finish (result, error);
}

/* ---- a fake timer: records each wait and fires in the next idle ---- */

typedef struct
{
  GArray *delays;  /* guint ms */
} FakeTimer;

static gint64
fake_now (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static gpointer
fake_schedule (guint       delay_ms,
               GSourceFunc func,
               gpointer    func_data,
               gpointer    user_data)
{
  FakeTimer *timer = user_data;
  GSource *source = g_idle_source_new ();

  g_array_append_val (timer->delays, delay_ms);
  g_source_set_callback (source, func, func_data, NULL);
  g_source_attach (source, NULL);
  /* The context keeps it until it has run or is cancelled. */
  g_source_unref (source);

  return source;
}

static void
fake_cancel (gpointer handle,
             gpointer user_data)
{
  g_source_destroy (handle);
}

static const StompyStackWatchTimer fake_timer_vtable = { fake_now, fake_schedule, fake_cancel };

static StompyConnectionWatch *
watch_new (StompyApiClient  *client,
           StompyOnboarding *model,
           FakeTimer        *timer)
{
  StompyConnectionWatch *watch;

  watch = stompy_connection_watch_new (client, stompy_onboarding_get_connection (model));
  stompy_connection_watch_set_timer (watch, &fake_timer_vtable, timer);
  return watch;
}

static StompyAccountStatus *
watch_wait (StompyConnectionWatch  *watch,
            GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_connection_watch_wait_async (watch, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);
  return stompy_connection_watch_wait_finish (watch, result, error);
}

static const StompyAccountCheck *
find_check (const StompyAccountStatus *status,
            const char                *id)
{
  for (guint i = 0; i < status->checks->len; i++)
    {
      const StompyAccountCheck *check = g_ptr_array_index (status->checks, i);

      if (g_strcmp0 (check->id, id) == 0)
        return check;
    }

  return NULL;
}

static void
count_changed_cb (StompyConnectionWatch *watch,
                  StompyAccountStatus   *status,
                  gpointer               user_data)
{
  (*(guint *) user_data)++;
}

/* ------------------------------------------------------------------ outcomes */

typedef struct
{
  const char     *name;
  const char     *account_id;
  StompyProducts  products;
  const char     *bucket;
  const char     *analysaver_arn;
  const char     *spotainer_arn;
  const char     *expected_status;
  const char     *failed_check;   /* NULL: every check ok */
} OutcomeCase;

static const OutcomeCase outcome_cases[] = {
  { "analysaver-report-not-delivered-waits-for-data", MGMT_ACCOUNT, STOMPY_PRODUCT_ANALYSAVER,
    "stompy-cur-" MGMT_ACCOUNT, ANALYSAVER_ARN, NULL, "waiting_for_data", NULL },
  { "spotainer-only-is-connected", MGMT_ACCOUNT, STOMPY_PRODUCT_SPOTAINER,
    NULL, NULL, SPOTAINER_ARN, "connected", NULL },
  { "both-wait-for-data", MGMT_ACCOUNT, STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER,
    "stompy-cur-" MGMT_ACCOUNT, ANALYSAVER_ARN, SPOTAINER_ARN, "waiting_for_data", NULL },
  { "unassumable-role-fails-its-check", "456789012345", STOMPY_PRODUCT_SPOTAINER,
    NULL, NULL, "arn:aws:iam::456789012345:role/StompyBrokenRole", "failed",
    "assume_spotainer_role" },
  { "unreadable-bucket-fails-its-check", MGMT_ACCOUNT, STOMPY_PRODUCT_ANALYSAVER,
    "stompy-cur-unreadable", ANALYSAVER_ARN, NULL, "failed", "read_cur_bucket" },
};

static void
test_outcome (Fixture       *fixture,
              gconstpointer  data)
{
  const OutcomeCase *c = data;
  g_autoptr(StompyApiClient) client = client_new (OPS_EMAIL, OPS_PASSWORD);
  g_autoptr(StompyOnboarding) model = model_new (fixture, c->account_id, c->products,
                                                 c->bucket ? c->bucket : "stompy-cur-x",
                                                 c->analysaver_arn, c->spotainer_arn);
  g_autoptr(StompyAccountStatus) first = NULL;
  g_autoptr(StompyAccountStatus) settled = NULL;
  g_autoptr(StompyConnectionWatch) watch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (guint));
  FakeTimer timer = { delays };
  StompyConnection *connection = stompy_onboarding_get_connection (model);
  const StompyAccountStatus *recorded;
  guint n_expected = 0;
  guint changed = 0;

  if (c->products & STOMPY_PRODUCT_ANALYSAVER)
    n_expected += 2;
  if (c->products & STOMPY_PRODUCT_SPOTAINER)
    n_expected += 1;

  first = connect (model, client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->status, ==, "verifying");
  g_assert_true (stompy_account_status_is_pending (first));
  g_assert_cmpuint (first->checks->len, ==, n_expected);
  /* The model knows what was sent and what Stompy said. */
  g_assert_true (stompy_connection_get_submitted (connection));
  g_assert_cmpstr (stompy_connection_get_account_id (connection), ==, c->account_id);
  g_assert_true (g_uuid_string_is_valid (stompy_connection_get_idempotency_key (connection)));
  g_assert_false (stompy_connection_get_settled (connection));

  watch = watch_new (client, model, &timer);
  g_signal_connect (watch, "changed", G_CALLBACK (count_changed_cb), &changed);
  settled = watch_wait (watch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settled->status, ==, c->expected_status);
  g_assert_false (stompy_account_status_is_pending (settled));
  g_assert_cmpuint (settled->checks->len, ==, n_expected);
  g_assert_true (stompy_connection_watch_get_settled (watch));
  g_assert_false (stompy_connection_watch_get_polling (watch));
  g_assert_cmpuint (changed, ==, stompy_connection_watch_get_request_count (watch));
  /* The first look waits the first (quick) delay. */
  g_assert_cmpuint (delays->len, >=, 1);
  g_assert_cmpuint (g_array_index (delays, guint, 0), ==, STOMPY_POLL_TIMER_QUICK_FIRST_MS);

  for (guint i = 0; i < settled->checks->len; i++)
    {
      const StompyAccountCheck *check = g_ptr_array_index (settled->checks, i);

      if (g_strcmp0 (check->id, c->failed_check) == 0)
        {
          g_assert_cmpstr (check->status, ==, "failed");
          g_assert_cmpstr (check->message, !=, "");
        }
      else
        {
          g_assert_cmpstr (check->status, ==, "ok");
        }
    }
  if (c->failed_check != NULL)
    g_assert_nonnull (find_check (settled, c->failed_check));

  recorded = stompy_connection_get_status (connection);
  g_assert_nonnull (recorded);
  g_assert_cmpstr (recorded->status, ==, c->expected_status);
  g_assert_true (stompy_connection_get_settled (connection));
  g_assert_cmpint (count_creations ("stompy:aws_account"), ==, 1);
}

/* ------------------------------------------------------------------ refusals */

static void
test_already_connected (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new (OPS_EMAIL, OPS_PASSWORD);
  g_autoptr(StompyOnboarding) model = model_new (fixture, "999988887777",
                                                 STOMPY_PRODUCT_SPOTAINER, "stompy-cur-x", NULL,
                                                 "arn:aws:iam::999988887777:role/StompySpoTainerRole");
  g_autoptr(StompyAccountStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  StompyConnection *connection = stompy_onboarding_get_connection (model);

  status = connect (model, client, &error);
  g_assert_null (status);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_ACCOUNT_ALREADY_CONNECTED);
  g_assert_cmpstr (stompy_api_error_get_organization_name (error), ==, "Other Corp");
  /* The service did not act: the next attempt is a new request. */
  g_assert_null (stompy_connection_get_idempotency_key (connection));
  g_assert_false (stompy_connection_get_submitted (connection));
  g_assert_null (stompy_connection_get_status (connection));
  g_assert_cmpint (count_creations ("stompy:aws_account"), ==, 0);
}

static void
test_forbidden (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new (VIEWER_EMAIL, VIEWER_PASSWORD);
  g_autoptr(StompyOnboarding) model = model_new (fixture, MGMT_ACCOUNT, STOMPY_PRODUCT_SPOTAINER,
                                                 "stompy-cur-x", NULL, SPOTAINER_ARN);
  g_autoptr(StompyAccountStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = connect (model, client, &error);
  g_assert_null (status);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_FORBIDDEN);
  g_assert_null (stompy_connection_get_idempotency_key (stompy_onboarding_get_connection (model)));
  g_assert_cmpint (count_creations ("stompy:aws_account"), ==, 0);
}

static void
test_missing_piece_sends_nothing (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new (OPS_EMAIL, OPS_PASSWORD);
  g_autoptr(StompyOnboarding) model = model_new (fixture, MGMT_ACCOUNT, STOMPY_PRODUCT_ANALYSAVER,
                                                 "stompy-cur-" MGMT_ACCOUNT, NULL, NULL);
  g_autoptr(StompyAccountStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = connect (model, client, &error);
  g_assert_null (status);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "AnalySaver has no RoleArn"));
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"),
                   ==, 0);
  g_assert_false (stompy_connection_get_submitted (stompy_onboarding_get_connection (model)));
}

/* ------------------------------------------------------------------ idempotency */

/* The process dies after sending Connect; the next start loads the state
 * file and connects again: the same key goes out, the service replays its
 * first answer, and one connection exists. */
static void
test_retry_after_crash_replays (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new (OPS_EMAIL, OPS_PASSWORD);
  g_autoptr(StompyOnboarding) model = model_new (fixture, MGMT_ACCOUNT,
                                                 STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER,
                                                 "stompy-cur-" MGMT_ACCOUNT, ANALYSAVER_ARN,
                                                 SPOTAINER_ARN);
  g_autoptr(StompyOnboarding) restarted = stompy_onboarding_new (fixture->path);
  g_autoptr(StompyAccountStatus) first = NULL;
  g_autoptr(StompyAccountStatus) again = NULL;
  g_autoptr(StompyAccountStatus) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  StompyConnection *connection;

  first = connect (model, client, &error);
  g_assert_no_error (error);
  key = g_strdup (stompy_connection_get_idempotency_key (stompy_onboarding_get_connection (model)));
  g_assert_true (stompy_onboarding_save (model, &error));
  g_assert_no_error (error);
  g_clear_object (&model);

  stompy_onboarding_set_autosave (restarted, FALSE);
  g_assert_true (stompy_onboarding_load (restarted, &error));
  g_assert_no_error (error);
  connection = stompy_onboarding_get_connection (restarted);
  g_assert_cmpstr (stompy_connection_get_idempotency_key (connection), ==, key);

  again = connect (restarted, client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_connection_get_idempotency_key (connection), ==, key);
  /* A replay is the first answer, word for word (its checks were pending). */
  g_assert_cmpstr (again->status, ==, first->status);
  g_assert_true (stompy_account_status_is_pending (again));
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"),
                   ==, 2);
  g_assert_cmpint (count_creations ("stompy:aws_account"), ==, 1);

  /* A changed request is a new request, with a new key. */
  stompy_onboarding_set_products (restarted, STOMPY_PRODUCT_SPOTAINER);
  other = connect (restarted, client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_connection_get_idempotency_key (connection), !=, key);
  g_assert_cmpuint (other->checks->len, ==, 1);
  g_assert_cmpint (count_creations ("stompy:aws_account"), ==, 2);
}

/* The API client sends the key it is given, on every retry of the call. */
static void
test_client_sends_given_key (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new (OPS_EMAIL, OPS_PASSWORD);
  g_autoptr(StompyOnboarding) model = model_new (fixture, MGMT_ACCOUNT, STOMPY_PRODUCT_SPOTAINER,
                                                 "stompy-cur-x", NULL, SPOTAINER_ARN);
  g_autoptr(JsonNode) request = stompy_connection_build_request (model, NULL);
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (request);
  /* The first attempt's answer is lost in a 503; the retries carry the same key. */
  control ("faults", "{\"target\": \"stompy:POST /aws/accounts\", \"kind\": \"http503\", "
                     "\"count\": 1}");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(StompyAccountStatus) status = NULL;
      GAsyncResult *slot = NULL;

      stompy_api_client_connect_account_with_key_async (client, request, key, NULL,
                                                        stompy_test_store_result_cb, &slot);
      result = stompy_test_take_result (&slot);
      status = stompy_api_client_connect_account_finish (client, result, &error);
      g_assert_no_error (error);
      /* The second call is a replay of the first: still pending. */
      g_assert_true (stompy_account_status_is_pending (status));
    }
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"),
                   ==, 3);
  g_assert_cmpint (count_creations ("stompy:aws_account"), ==, 1);
}

/* ------------------------------------------------------------------ the watch */

static void
test_token_expired_then_resume (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new (OPS_EMAIL, OPS_PASSWORD);
  g_autoptr(StompyOnboarding) model = model_new (fixture, MGMT_ACCOUNT, STOMPY_PRODUCT_ANALYSAVER,
                                                 "stompy-cur-" MGMT_ACCOUNT, ANALYSAVER_ARN, NULL);
  g_autoptr(StompyAccountStatus) first = NULL;
  g_autoptr(StompyAccountStatus) stopped = NULL;
  g_autoptr(StompyAccountStatus) settled = NULL;
  g_autoptr(StompyConnectionWatch) watch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (guint));
  FakeTimer timer = { delays };

  first = connect (model, client, &error);
  g_assert_no_error (error);

  control ("expire-tokens", "{}");
  watch = watch_new (client, model, &timer);
  stopped = watch_wait (watch, &error);
  g_assert_null (stopped);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_TOKEN_EXPIRED);
  g_assert_true (stompy_api_error_is_auth_expired (error));
  g_assert_false (stompy_connection_watch_get_polling (watch));
  g_assert_false (stompy_connection_watch_get_settled (watch));
  g_assert_true (g_error_matches (stompy_connection_watch_get_error (watch), STOMPY_API_ERROR,
                                  STOMPY_API_ERROR_TOKEN_EXPIRED));
  g_clear_error (&error);
  /* What was known stays known: the POST's answer. */
  g_assert_cmpstr (stompy_connection_get_status (stompy_onboarding_get_connection (model))->status,
                   ==, "verifying");

  /* Signing in again gives the client a fresh token; the watch goes on. */
  sign_in (client, OPS_EMAIL, OPS_PASSWORD);
  stompy_connection_watch_resume (watch);
  g_assert_null (stompy_connection_watch_get_error (watch));
  settled = watch_wait (watch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settled->status, ==, "waiting_for_data");
  g_assert_cmpstr (stompy_connection_get_status (stompy_onboarding_get_connection (model))->status,
                   ==, "waiting_for_data");
  g_assert_cmpint (count_creations ("stompy:aws_account"), ==, 1);
}

/* Server errors keep the watch polling on its schedule (quick start, then 1.5 times the last). */
static void
test_backoff_through_errors (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new (OPS_EMAIL, OPS_PASSWORD);
  g_autoptr(StompyOnboarding) model = model_new (fixture, MGMT_ACCOUNT, STOMPY_PRODUCT_SPOTAINER,
                                                 "stompy-cur-x", NULL, SPOTAINER_ARN);
  g_autoptr(StompyAccountStatus) first = NULL;
  g_autoptr(StompyAccountStatus) settled = NULL;
  g_autoptr(StompyConnectionWatch) watch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (guint));
  FakeTimer timer = { delays };
  const guint expected[] = { 250, 500, 1000, 2000, 3000 };
  guint changed = 0;

  first = connect (model, client, &error);
  g_assert_no_error (error);

  /* Four looks fail (the client tries 3 times each), the fifth answers. */
  control ("faults", "{\"target\": \"stompy:GET /aws/accounts/{id}\", \"kind\": \"http503\", "
                     "\"count\": 12}");
  watch = watch_new (client, model, &timer);
  g_signal_connect (watch, "changed", G_CALLBACK (count_changed_cb), &changed);
  settled = watch_wait (watch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settled->status, ==, "connected");
  g_assert_null (stompy_connection_watch_get_error (watch));
  g_assert_cmpuint (stompy_connection_watch_get_request_count (watch), ==, 5);
  g_assert_cmpuint (changed, ==, 5);

  g_assert_cmpuint (delays->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (g_array_index (delays, guint, i), ==, expected[i]);
}

static void
test_backoff_table (void)
{
  /* The shared quick start, then stompy-api.md's 2 s backing off to 30 s. */
  const guint expected[] = { 250, 500, 1000, 2000, 3000, 4500, 6750, 10125, 15187, 22781,
                             30000, 30000 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (stompy_connection_watch_backoff_ms (i), ==, expected[i]);
  g_assert_cmpuint (stompy_connection_watch_backoff_ms (100), ==, 30000);
}

/* The quick start stays economical: over 10 minutes of pending checks, at
 * most 9 looks (one request each) in any 60 s, the most the stack watch's
 * bound of 12 would allow a follower too. */
static void
test_schedule_rate (void)
{
  g_autoptr(GArray) looks = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint most = 0;

  /* The first look waits the first delay: Connect has just answered. */
  for (gint64 t = 0, i = 0; t < 600 * G_USEC_PER_SEC; )
    {
      t += (gint64) stompy_connection_watch_backoff_ms (i++) * 1000;
      g_array_append_val (looks, t);
    }
  for (guint i = 0; i < looks->len; i++)
    {
      guint in_window = 0;

      for (guint j = i; j < looks->len; j++)
        if (g_array_index (looks, gint64, j) < g_array_index (looks, gint64, i) +
                                                60 * G_USEC_PER_SEC)
          in_window++;
      most = MAX (most, in_window);
    }
  g_assert_cmpuint (most, <=, 9);
  /* Three looks within the documented first 2 s. */
  g_assert_cmpint (g_array_index (looks, gint64, 2), <, 2 * G_USEC_PER_SEC);
}

/* Stopping cancels the wait (cancellation, not a failure) and sends nothing more. */
static void
test_stop_cancels_waiters (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new (OPS_EMAIL, OPS_PASSWORD);
  g_autoptr(StompyOnboarding) model = model_new (fixture, MGMT_ACCOUNT, STOMPY_PRODUCT_SPOTAINER,
                                                 "stompy-cur-x", NULL, SPOTAINER_ARN);
  g_autoptr(StompyAccountStatus) first = NULL;
  g_autoptr(StompyConnectionWatch) watch = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompyAccountStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  first = connect (model, client, &error);
  g_assert_no_error (error);

  /* The real timer: the first look is 2 s away when stop() comes. */
  watch = stompy_connection_watch_new (client, stompy_onboarding_get_connection (model));
  stompy_connection_watch_wait_async (watch, NULL, stompy_test_store_result_cb, &slot);
  g_assert_true (stompy_connection_watch_get_polling (watch));
  stompy_connection_watch_stop (watch);
  result = stompy_test_take_result (&slot);
  status = stompy_connection_watch_wait_finish (watch, result, &error);
  g_assert_null (status);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (stompy_connection_watch_get_request_count (watch), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  emulator = stompy_test_emulator_start ();

#define ADD(path, func, data) \
  g_test_add ("/connection/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  for (guint i = 0; i < G_N_ELEMENTS (outcome_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/connection/connect/%s", outcome_cases[i].name);

      g_test_add (path, Fixture, &outcome_cases[i], fixture_set_up, test_outcome,
                  fixture_tear_down);
    }
  ADD ("connect/already-connected-names-the-other-organization", test_already_connected, NULL);
  ADD ("connect/non-admin-is-forbidden", test_forbidden, NULL);
  ADD ("connect/missing-role-sends-nothing", test_missing_piece_sends_nothing, NULL);
  ADD ("idempotency/retry-after-crash-replays-one-connection", test_retry_after_crash_replays,
       NULL);
  ADD ("idempotency/client-sends-the-given-key-on-every-attempt", test_client_sends_given_key,
       NULL);
  ADD ("watch/token-expired-stops-then-resume-finishes", test_token_expired_then_resume, NULL);
  ADD ("watch/server-errors-back-off-by-half", test_backoff_through_errors, NULL);
  ADD ("watch/stop-cancels-the-wait", test_stop_cancels_waiters, NULL);
  g_test_add_func ("/connection/watch/backoff-table", test_backoff_table);
  g_test_add_func ("/connection/watch/schedule-rate-bound", test_schedule_rate);

#undef ADD

  status = g_test_run ();
  stompy_test_emulator_stop (emulator);

  return status;
}
