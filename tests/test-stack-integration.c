/* test-stack-integration.c — the role stacks against the emulator
 *
 * Real HTTP to tests/emulator: ensure (create, reuse, token retry, failure
 * explained, delete and retry), the template fetched from its URL, events
 * paging, the watch's request rate under an injected clock, and cancellation.
 */
#include "config.h"

#include <string.h>

#include "stompy-aws-client.h"
#include "stompy-cloudformation.h"
#include "stompy-error.h"
#include "stompy-http.h"
#include "stompy-stack-watch.h"
#include "stompy-template.h"
#include "stompy-test-emulator.h"
#include "stompy-test-util.h"

#define ACCESS_KEY "AKIAEMULATORMGMT0001"
#define ACCOUNT "210987654321"

static StompyTestEmulator *emulator;
static char *access_secret;

/* ------------------------------------------------------------------ fixture */

typedef struct
{
  SoupSession     *session;
  StompyAwsClient *client;
  GAsyncResult    *result;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "reset", "{}");
  g_autoptr(JsonNode) timings = NULL;
  g_autoptr(StompyAwsCredentials) credentials = NULL;
  g_auto(GStrv) envp = stompy_test_emulator_get_environ (emulator);

  /* Long enough to be seen in progress, short enough for a test. */
  timings = stompy_test_emulator_control (emulator, "timings", "{\"stack_seconds\": 1.5}");

  fixture->session = stompy_http_session_new ();
  credentials = stompy_aws_credentials_new (ACCESS_KEY, access_secret, NULL, NULL);
  fixture->client = stompy_aws_client_new (fixture->session, credentials, "ap-southeast-1",
                                           NULL, NULL, (const char * const *) envp);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->result);
  g_assert_finalize_object (fixture->client);
  g_clear_object (&fixture->session);
}

static char *
template_url (const char *product)
{
  const char *version = g_str_equal (product, "analysaver") ? "v3" : "v2";

  return g_strdup_printf ("%s/stompy-templates/%s/%s.json",
                          stompy_test_emulator_get_url (emulator), product, version);
}

static StompyStackRequest *
analysaver_request (const char *token)
{
  g_autofree char *url = template_url ("analysaver");
  StompyStackRequest *request = stompy_stack_request_new ("StompyAnalySaver", url, token,
                                                          "analysaver");

  stompy_stack_request_set_parameter (request, "ExternalId", "stp-ext-5b1e0c9a7d");
  stompy_stack_request_set_parameter (request, "StompyPrincipalAccountId", "111122223333");
  stompy_stack_request_set_parameter (request, "CurBucketName", "stompy-cur-210987654321");

  return request;
}

static StompyEnsuredStack *
ensure (Fixture                  *fixture,
        const StompyStackRequest *request,
        GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stompy_cloudformation_ensure_stack_async (fixture->client, request, NULL, stompy_test_store_result_cb,
                                            &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  return stompy_cloudformation_ensure_stack_finish (result, error);
}

static StompyStack *
follow (Fixture          *fixture,
        StompyStackWatch *watch,
        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stompy_stack_watch_wait_async (watch, NULL, stompy_test_store_result_cb, &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  return stompy_stack_watch_wait_finish (watch, result, error);
}

static gint64
creations (const char *kind)
{
  g_autoptr(JsonNode) stats = stompy_test_emulator_get_stats (emulator);
  JsonObject *object = json_node_get_object (stats);
  JsonObject *made = json_object_get_object_member (object, "creations");

  return made != NULL ? json_object_get_int_member_with_default (made, kind, 0) : 0;
}

static gint64
cfn_poll_requests (void)
{
  return stompy_test_emulator_count_requests (emulator, "cloudformation:DescribeStacks") +
         stompy_test_emulator_count_requests (emulator, "cloudformation:DescribeStackEvents");
}

static void
count_changed_cb (StompyStackWatch *watch,
                  StompyStack      *stack,
                  GPtrArray        *events,
                  guint             done,
                  guint             total,
                  gpointer          user_data)
{
  guint *n_changed = user_data;

  g_assert_nonnull (events);
  g_assert_cmpuint (done, <=, total);
  (*n_changed)++;
}

/* ------------------------------------------------------------------ template fetch */

static void
test_template_fetch (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *url = template_url ("analysaver");
  g_autofree char *missing = g_strdup_printf ("%s/stompy-templates/nope/v9.json",
                                              stompy_test_emulator_get_url (emulator));
  g_autoptr(StompyTemplate) template = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stompy_template_fetch_async (fixture->session, url, NULL, stompy_test_store_result_cb, &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  template = stompy_template_fetch_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stompy_template_get_resource_count (template), ==, 1);
  g_assert_true (stompy_template_has_output (template, "RoleArn"));
  g_clear_object (&result);

  stompy_template_fetch_async (fixture->session, missing, NULL, stompy_test_store_result_cb, &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  g_assert_null (stompy_template_fetch_finish (result, &error));
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);

  stompy_template_fetch_async (fixture->session, "http://example.com/t.json", NULL,
                               stompy_test_store_result_cb, &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  g_assert_null (stompy_template_fetch_finish (result, &error));
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT);
}

/* ------------------------------------------------------------------ create, reuse */

static void
test_create_follow_reuse (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *token = stompy_cloudformation_new_client_request_token ();
  g_autoptr(StompyStackRequest) request = analysaver_request (token);
  g_autoptr(StompyEnsuredStack) ensured = NULL;
  g_autoptr(StompyEnsuredStack) again = NULL;
  g_autoptr(StompyStackWatch) watch = NULL;
  g_autoptr(StompyStack) stack = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changed = 0, done, total;
  gint64 before;

  ensured = ensure (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ensured->outcome, ==, STOMPY_STACK_OUTCOME_CREATED);
  g_assert_cmpstr (ensured->stack->stack_name, ==, "StompyAnalySaver");
  g_assert_cmpint (ensured->stack->state, ==, STOMPY_STACK_STATE_IN_PROGRESS);
  g_assert_cmpstr (stompy_stack_get_parameter (ensured->stack, "ExternalId"), ==,
                   "stp-ext-5b1e0c9a7d");

  before = cfn_poll_requests ();
  watch = stompy_stack_watch_new (fixture->client, ensured->stack->stack_id, token, 1);
  g_signal_connect (watch, "changed", G_CALLBACK (count_changed_cb), &n_changed);
  stack = follow (fixture, watch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stack->status, ==, "CREATE_COMPLETE");
  g_assert_cmpstr (stack->role_arn, ==, "arn:aws:iam::" ACCOUNT ":role/StompyAnalySaverRole");
  g_assert_cmpuint (n_changed, >=, 1);
  g_assert_true (stompy_stack_watch_get_settled (watch));
  g_assert_false (stompy_stack_watch_get_polling (watch));
  g_assert_null (stompy_stack_watch_get_failure_reason (watch));
  stompy_stack_watch_get_progress (watch, &done, &total);
  g_assert_cmpuint (done, ==, 2);
  g_assert_cmpuint (total, ==, 2);
  /* Every request the watch counted reached the emulator, and no other. */
  g_assert_cmpint (cfn_poll_requests () - before, ==,
                   stompy_stack_watch_get_request_count (watch));
  /* The stack's own events are there, newest first. */
  g_assert_cmpstr (((StompyStackEvent *) g_ptr_array_index (stompy_stack_watch_get_events (watch),
                                                            0))->resource_status, ==,
                   "CREATE_COMPLETE");

  /* Run again (another token, as a new run would): reused, not created. */
  g_clear_pointer (&request, stompy_stack_request_free);
  g_free (token);
  token = stompy_cloudformation_new_client_request_token ();
  request = analysaver_request (token);
  again = ensure (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->outcome, ==, STOMPY_STACK_OUTCOME_REUSED);
  g_assert_cmpstr (again->stack->role_arn, ==, stack->role_arn);
  g_assert_cmpint (creations ("cloudformation:stack"), ==, 1);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:CreateStack"),
                   ==, 1);

  g_assert_finalize_object (g_steal_pointer (&watch));
}

/* A crash after CreateStack was sent: the retry with the persisted token
 * gets the same stack. */
static void
test_same_token_retried (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *token = stompy_cloudformation_new_client_request_token ();
  g_autoptr(StompyStackRequest) request = analysaver_request (token);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(StompyEnsuredStack) ensured = NULL;
  g_autoptr(GError) error = NULL;

  stompy_cloudformation_create_stack_async (fixture->client, request, NULL, stompy_test_store_result_cb,
                                            &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  first = stompy_cloudformation_create_stack_finish (result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  stompy_cloudformation_create_stack_async (fixture->client, request, NULL, stompy_test_store_result_cb,
                                            &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  second = stompy_cloudformation_create_stack_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, second);

  /* Ensure, as a restarted app would: the stack is found, not re-created. */
  ensured = ensure (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_true (ensured->outcome == STOMPY_STACK_OUTCOME_IN_PROGRESS ||
                 ensured->outcome == STOMPY_STACK_OUTCOME_REUSED);
  g_assert_cmpstr (ensured->stack->stack_id, ==, first);
  g_assert_cmpint (creations ("cloudformation:stack"), ==, 1);
}

/* ------------------------------------------------------------------ failure */

static void
test_failure_explained_then_delete_and_retry (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autofree char *token = stompy_cloudformation_new_client_request_token ();
  g_autoptr(StompyStackRequest) request = analysaver_request (token);
  g_autoptr(StompyEnsuredStack) ensured = NULL;
  g_autoptr(StompyEnsuredStack) retried = NULL;
  g_autoptr(StompyStackWatch) watch = NULL;
  g_autoptr(StompyStackWatch) deletion = NULL;
  g_autoptr(StompyStack) stack = NULL;
  g_autoptr(StompyStack) deleted = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *reason;
  g_autofree char *retry_token = NULL;
  g_autofree char *stack_id = NULL;

  reply = stompy_test_emulator_control (emulator, "faults",
                                        "{\"target\": \"cloudformation:CreateStack\", "
                                        "\"kind\": \"stack_fail\", \"reason\": \"API: "
                                        "iam:CreateRole User: arn:aws:iam::210987654321:user/"
                                        "ops-admin is not authorized to perform: iam:CreateRole\"}");

  ensured = ensure (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ensured->outcome, ==, STOMPY_STACK_OUTCOME_CREATED);
  stack_id = g_strdup (ensured->stack->stack_id);

  watch = stompy_stack_watch_new (fixture->client, stack_id, token, 1);
  stack = follow (fixture, watch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stack->status, ==, "ROLLBACK_COMPLETE");
  g_assert_cmpint (stack->state, ==, STOMPY_STACK_STATE_ROLLED_BACK);
  g_assert_null (stack->role_arn);
  reason = stompy_stack_watch_get_failure_reason (watch);
  g_assert_nonnull (reason);
  g_assert_true (g_str_has_prefix (reason, "StompyAnalySaverRole: "));
  g_assert_nonnull (strstr (reason, "is not authorized to perform: iam:CreateRole"));

  /* The next run: a distinct error carrying the same reason. */
  g_clear_pointer (&ensured, stompy_ensured_stack_free);
  ensured = ensure (fixture, request, &error);
  g_assert_null (ensured);
  g_assert_true (stompy_cloudformation_error_is_unusable (error));
  g_assert_cmpstr (stompy_aws_error_get_aws_message (error), ==, reason);
  g_clear_error (&error);

  /* Delete and retry. */
  stompy_cloudformation_delete_stack_async (fixture->client, stack_id, NULL, NULL,
                                            stompy_test_store_result_cb, &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  g_assert_true (stompy_cloudformation_delete_stack_finish (result, &error));
  g_assert_no_error (error);

  deletion = stompy_stack_watch_new (fixture->client, stack_id, NULL, 1);
  deleted = follow (fixture, deletion, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (deleted->status, ==, "DELETE_COMPLETE");
  g_assert_cmpint (deleted->state, ==, STOMPY_STACK_STATE_DELETED);

  retry_token = stompy_cloudformation_new_client_request_token ();
  g_clear_pointer (&request, stompy_stack_request_free);
  request = analysaver_request (retry_token);
  retried = ensure (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (retried->outcome, ==, STOMPY_STACK_OUTCOME_CREATED);
  g_assert_cmpstr (retried->stack->stack_id, !=, stack_id);
  g_assert_cmpint (creations ("cloudformation:stack"), ==, 2);
}

/* ------------------------------------------------------------------ paging */

/* Twenty events: more than one page (the emulator, like AWS, pages them). */
static const char *many_resources_template =
  "{\"Resources\": {"
  "\"H1\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"},"
  "\"H2\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"},"
  "\"H3\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"},"
  "\"H4\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"},"
  "\"H5\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"},"
  "\"H6\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}}}";

static void
test_events_paging (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *params[] = { "StackName", "Paged", "TemplateBody", many_resources_template,
                           "ClientRequestToken", "paged-1", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompyXmlNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyStackWatch) watch = NULL;
  g_autoptr(StompyStack) stack = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) first_page = NULL;
  g_autoptr(GPtrArray) newer = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *next_token = NULL;
  guint n_requests = 0, done, total;

  stompy_aws_client_query_async (fixture->client, STOMPY_AWS_SERVICE_CLOUDFORMATION,
                                 "CreateStack", "2010-05-15", params, NULL, stompy_test_store_result_cb,
                                 &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  node = stompy_aws_client_query_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  watch = stompy_stack_watch_new (fixture->client, "Paged", "paged-1", 6);
  stack = follow (fixture, watch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stack->status, ==, "CREATE_COMPLETE");
  stompy_stack_watch_get_progress (watch, &done, &total);
  g_assert_cmpuint (done, ==, 7);
  g_assert_cmpuint (total, ==, 7);

  stompy_cloudformation_list_stack_events_async (fixture->client, stack->stack_id, NULL, 0,
                                                 NULL, stompy_test_store_result_cb, &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  all = stompy_cloudformation_list_stack_events_finish (result, &n_requests, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (all->len, ==, 20);
  g_assert_cmpuint (n_requests, ==, 2);
  /* The watch saw every event once, in the same order. */
  g_assert_cmpuint (stompy_stack_watch_get_events (watch)->len, ==, all->len);
  for (guint i = 0; i < all->len; i++)
    {
      StompyStackEvent *event = g_ptr_array_index (all, i);
      StompyStackEvent *seen = g_ptr_array_index (stompy_stack_watch_get_events (watch), i);

      g_assert_cmpstr (event->event_id, ==, seen->event_id);
      g_assert_true (g_hash_table_add (ids, event->event_id));
      if (i > 0)
        g_assert_cmpint (g_date_time_compare (event->timestamp,
                                              ((StompyStackEvent *) all->pdata[i - 1])->timestamp),
                         <=, 0);
    }
  g_assert_true (stompy_stack_event_is_stack (g_ptr_array_index (all, 0)));
  g_assert_true (stompy_stack_event_is_stack (g_ptr_array_index (all, all->len - 1)));

  /* One page by hand: the token leads to the rest. */
  stompy_cloudformation_describe_stack_events_async (fixture->client, stack->stack_id, NULL,
                                                     NULL, stompy_test_store_result_cb, &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  first_page = stompy_cloudformation_describe_stack_events_finish (result, &next_token, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (first_page->len, <, all->len);
  g_assert_nonnull (next_token);

  /* Stopping at a known event reads only what is newer. */
  stompy_cloudformation_list_stack_events_async (fixture->client, stack->stack_id,
                                                 ((StompyStackEvent *) all->pdata[3])->event_id,
                                                 0, NULL, stompy_test_store_result_cb, &fixture->result);
  result = stompy_test_take_result (&fixture->result);
  newer = stompy_cloudformation_list_stack_events_finish (result, &n_requests, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (newer->len, ==, 3);
  g_assert_cmpuint (n_requests, ==, 1);
}

/* ------------------------------------------------------------------ rate bound */

typedef struct
{
  gint64   now_us;        /* fake monotonic time */
  GSource *source;        /* the real timeout standing for the pending one */
  guint    delay_ms;
  GSourceFunc func;
  gpointer    func_data;
  guint    n_scheduled;
  GArray  *look_times;    /* gint64 fake µs of each fired look */
  guint    slowdown;      /* real time runs this many times slower; 0: 50 */
  GArray  *delays;        /* guint ms of each wait scheduled, when not NULL */
} FakeTimer;

static gint64
fake_now (gpointer user_data)
{
  FakeTimer *fake = user_data;

  return fake->now_us;
}

static gboolean
fake_fire_cb (gpointer user_data)
{
  FakeTimer *fake = user_data;
  GSourceFunc func = fake->func;

  /* Fake time jumps by the whole delay. */
  fake->now_us += (gint64) fake->delay_ms * 1000;
  g_clear_pointer (&fake->source, g_source_unref);
  func (fake->func_data);

  return G_SOURCE_REMOVE;
}

static gpointer
fake_schedule (guint       delay_ms,
               GSourceFunc func,
               gpointer    func_data,
               gpointer    user_data)
{
  FakeTimer *fake = user_data;

  /* The watch never has two timers. */
  g_assert_null (fake->source);
  fake->delay_ms = delay_ms;
  fake->func = func;
  fake->func_data = func_data;
  fake->n_scheduled++;
  if (fake->delays != NULL)
    g_array_append_val (fake->delays, delay_ms);
  /* Real time runs 50× slower than the fake clock, so the emulator's stack
   * (real time) is seen through many looks. */
  fake->source = g_timeout_source_new (MAX (delay_ms / (fake->slowdown ? fake->slowdown : 50), 1));
  g_source_set_callback (fake->source, fake_fire_cb, fake, NULL);
  g_source_attach (fake->source, NULL);

  return fake;
}

static void
fake_cancel (gpointer handle,
             gpointer user_data)
{
  FakeTimer *fake = user_data;

  g_assert_true (handle == fake);
  g_assert_nonnull (fake->source);
  g_source_destroy (fake->source);
  g_clear_pointer (&fake->source, g_source_unref);
}

static const StompyStackWatchTimer fake_timer = { fake_now, fake_schedule, fake_cancel };

typedef struct
{
  FakeTimer *fake;
  GArray    *looks;   /* (fake µs, requests) pairs as gint64 */
  guint      last_count;
} RateLog;

static void
rate_changed_cb (StompyStackWatch *watch,
                 StompyStack      *stack,
                 GPtrArray        *events,
                 guint             done,
                 guint             total,
                 gpointer          user_data)
{
  RateLog *log = user_data;
  guint count = stompy_stack_watch_get_request_count (watch);
  gint64 entry[2] = { log->fake->now_us, count - log->last_count };

  /* A look's requests all go out at the fake instant it fired. */
  g_array_append_vals (log->looks, entry, 2);
  log->last_count = count;
}

/* Every 60 s window (ending at a look) holds at most 12 requests. */
static void
assert_rate_bound (GArray *looks)
{
  guint n = looks->len / 2;

  for (guint end = 0; end < n; end++)
    {
      gint64 t_end = g_array_index (looks, gint64, 2 * end);
      gint64 in_window = 0;

      for (guint i = 0; i <= end; i++)
        if (g_array_index (looks, gint64, 2 * i) > t_end - 60 * G_USEC_PER_SEC)
          in_window += g_array_index (looks, gint64, 2 * i + 1);

      if (in_window > STOMPY_STACK_WATCH_MAX_REQUESTS_PER_MINUTE)
        g_error ("%" G_GINT64_FORMAT " requests in the minute before t=%.1f s", in_window,
                 t_end / 1e6);
    }
}

static void
test_watch_rate_bound (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *token = stompy_cloudformation_new_client_request_token ();
  g_autoptr(StompyStackRequest) request = analysaver_request (token);
  g_autoptr(StompyEnsuredStack) ensured = NULL;
  g_autoptr(StompyStackWatch) watch = NULL;
  g_autoptr(StompyStack) stack = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) timings = NULL;
  FakeTimer fake = { 0, };
  RateLog log = { &fake, g_array_new (FALSE, FALSE, sizeof (gint64)), 0 };
  guint after_settle;
  gint64 emulator_before;

  /* Long enough for many looks in fake time. */
  timings = stompy_test_emulator_control (emulator, "timings", "{\"stack_seconds\": 4}");
  ensured = ensure (fixture, request, &error);
  g_assert_no_error (error);

  emulator_before = cfn_poll_requests ();
  watch = stompy_stack_watch_new (fixture->client, ensured->stack->stack_id, token, 1);
  stompy_stack_watch_set_timer (watch, &fake_timer, &fake);
  g_signal_connect (watch, "changed", G_CALLBACK (rate_changed_cb), &log);
  stompy_stack_watch_start (watch);

  /* Someone presses refresh over and over while the stack is young: the
   * limit still holds. */
  for (guint i = 0; i < 20; i++)
    {
      guint looks_before = log.looks->len;

      stompy_stack_watch_refresh (watch);
      while (log.looks->len == looks_before && !stompy_stack_watch_get_settled (watch))
        g_main_context_iteration (NULL, TRUE);
    }

  stack = follow (fixture, watch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stack->status, ==, "CREATE_COMPLETE");
  g_assert_cmpuint (log.looks->len / 2, >, 12);
  assert_rate_bound (log.looks);
  /* Under the limit the watch did wait longer than its backoff. */
  g_assert_cmpint (fake.now_us, >, 60 * G_USEC_PER_SEC);
  g_assert_cmpint (cfn_poll_requests () - emulator_before, ==,
                   stompy_stack_watch_get_request_count (watch));

  /* Settled: no timer left, and nothing more is sent. */
  g_assert_null (fake.source);
  after_settle = stompy_stack_watch_get_request_count (watch);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (stompy_stack_watch_get_request_count (watch), ==, after_settle);

  /* A refresh after settling looks once more and settles again. */
  stompy_stack_watch_refresh (watch);
  g_clear_pointer (&stack, stompy_stack_free);
  stack = follow (fixture, watch, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stompy_stack_watch_get_request_count (watch), >, after_settle);
  g_assert_cmpuint (stompy_stack_watch_get_request_count (watch), <=, after_settle + 2);
  g_assert_null (fake.source);
  assert_rate_bound (log.looks);

  g_signal_handlers_disconnect_by_data (watch, &log);
  g_assert_finalize_object (g_steal_pointer (&watch));
  g_array_unref (log.looks);
}

/* Creates the AnalySaver stack with @timings (the emulator's) and hands it,
 * as ensure_stack() described it (@status), to a new watch on @fake's clock,
 * as the CLI does. */
static StompyStackWatch *
handed_watch (Fixture    *fixture,
              const char *timings,
              FakeTimer  *fake,
              const char *status)
{
  g_autofree char *token = stompy_cloudformation_new_client_request_token ();
  g_autoptr(StompyStackRequest) request = analysaver_request (token);
  g_autoptr(StompyEnsuredStack) ensured = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  StompyStackWatch *watch;

  reply = stompy_test_emulator_control (emulator, "timings", timings);
  ensured = ensure (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ensured->stack->status, ==, status);

  watch = stompy_stack_watch_new (fixture->client, ensured->stack->stack_id, token, 1);
  stompy_stack_watch_set_timer (watch, &fake_timer, fake);
  stompy_stack_watch_set_stack (watch, ensured->stack);
  return watch;
}

/* A 5-minute stack (3 s of real time at 100× fake time), handed to the watch
 * as ensure_stack() described it, as the CLI does: the quick start's first
 * look 250 ms in, no DescribeStacks until the stack moves, every wait exactly
 * the schedule's (the limiter never had to step in), at most 12 requests in
 * any 60 s, and none once settled. */
static void
test_watch_five_minute_stack (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(StompyStackWatch) watch = NULL;
  g_autoptr(StompyStack) stack = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (guint));
  FakeTimer fake = { 0, };
  RateLog log = { &fake, g_array_new (FALSE, FALSE, sizeof (gint64)), 0 };
  gint64 describes_before, emulator_before;
  guint after_settle;

  fake.slowdown = 100;
  fake.delays = delays;
  watch = handed_watch (fixture, "{\"stack_seconds\": 3}", &fake, "CREATE_IN_PROGRESS");
  /* Handing the stack over sent nothing: the watch starts when followed. */
  emulator_before = cfn_poll_requests ();
  describes_before = stompy_test_emulator_count_requests (emulator,
                                                          "cloudformation:DescribeStacks");
  g_signal_connect (watch, "changed", G_CALLBACK (rate_changed_cb), &log);
  stack = follow (fixture, watch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stack->status, ==, "CREATE_COMPLETE");
  g_assert_nonnull (stack->role_arn);

  /* The stack took about 5 minutes of fake time. */
  g_assert_cmpint (fake.now_us, >, 240 * G_USEC_PER_SEC);
  g_test_message ("%u looks, %u requests in %.0f s of fake time", log.looks->len / 2,
                  stompy_stack_watch_get_request_count (watch), fake.now_us / 1e6);
  assert_rate_bound (log.looks);
  for (guint i = 0; i < delays->len; i++)
    g_assert_cmpuint (g_array_index (delays, guint, i), ==, stompy_stack_watch_backoff_ms (i));
  g_assert_cmpuint (g_array_index (delays, guint, 0), ==, STOMPY_POLL_TIMER_QUICK_FIRST_MS);
  /* Only the settling move needed DescribeStacks (the stack was handed). */
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:DescribeStacks")
                   - describes_before, ==, 1);
  g_assert_cmpint (cfn_poll_requests () - emulator_before, ==,
                   stompy_stack_watch_get_request_count (watch));

  /* Settled: no timer left, and nothing more is sent. */
  g_assert_null (fake.source);
  after_settle = stompy_stack_watch_get_request_count (watch);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (stompy_stack_watch_get_request_count (watch), ==, after_settle);

  g_signal_handlers_disconnect_by_data (watch, &log);
  g_assert_finalize_object (g_steal_pointer (&watch));
  g_array_unref (log.looks);
}

/* A stack that has already settled when it is handed to the watch (the
 * emulator with no delay; on AWS a stack that failed at once) cannot move:
 * its events are read at once, not after the first delay, and its older
 * events (its own CREATE_IN_PROGRESS) do not make the watch describe it
 * again — one request in all. */
static void
test_watch_settled_stack_read_at_once (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(StompyStackWatch) watch = NULL;
  g_autoptr(StompyStack) stack = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (guint));
  FakeTimer fake = { 0, };
  gint64 describes_before, events_before;

  fake.delays = delays;
  watch = handed_watch (fixture, "{\"stack_seconds\": 0}", &fake, "CREATE_COMPLETE");
  describes_before = stompy_test_emulator_count_requests (emulator,
                                                          "cloudformation:DescribeStacks");
  events_before = stompy_test_emulator_count_requests (emulator,
                                                       "cloudformation:DescribeStackEvents");
  stack = follow (fixture, watch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stack->status, ==, "CREATE_COMPLETE");
  g_assert_true (stompy_stack_watch_get_settled (watch));

  g_assert_cmpuint (delays->len, ==, 1);
  g_assert_cmpuint (g_array_index (delays, guint, 0), ==, 0);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator,
                                                        "cloudformation:DescribeStackEvents")
                   - events_before, ==, 1);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:DescribeStacks")
                   - describes_before, ==, 0);
  g_assert_cmpuint (stompy_stack_watch_get_request_count (watch), ==, 1);
  g_assert_null (fake.source);
}

/* ------------------------------------------------------------------ cancellation */

static void
test_cancellation (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *token = stompy_cloudformation_new_client_request_token ();
  g_autoptr(StompyStackRequest) request = analysaver_request (token);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) wait_cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompyEnsuredStack) ensured = NULL;
  g_autoptr(StompyStackWatch) watch = NULL;
  g_autoptr(StompyStack) stack = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;

  /* Ensure, cancelled while its first request is on the wire. */
  reply = stompy_test_emulator_control (emulator, "faults",
                                        "{\"target\": \"cloudformation:DescribeStacks\", "
                                        "\"kind\": \"delay\", \"delay_ms\": 2000}");
  stompy_cloudformation_ensure_stack_async (fixture->client, request, cancellable,
                                            stompy_test_store_result_cb, &fixture->result);
  g_cancellable_cancel (cancellable);
  result = stompy_test_take_result (&fixture->result);
  g_assert_null (stompy_cloudformation_ensure_stack_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpint (creations ("cloudformation:stack"), ==, 0);

  ensured = ensure (fixture, request, &error);
  g_assert_no_error (error);

  /* A wait cancelled: the watch goes on, the waiter is told. */
  watch = stompy_stack_watch_new (fixture->client, ensured->stack->stack_id, token, 1);
  stompy_stack_watch_wait_async (watch, wait_cancellable, stompy_test_store_result_cb, &fixture->result);
  g_cancellable_cancel (wait_cancellable);
  result = stompy_test_take_result (&fixture->result);
  g_assert_null (stompy_stack_watch_wait_finish (watch, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_true (stompy_stack_watch_get_polling (watch));

  /* stop() ends pending waits as cancelled and polls no more. */
  stompy_stack_watch_wait_async (watch, NULL, stompy_test_store_result_cb, &fixture->result);
  stompy_stack_watch_stop (watch);
  result = stompy_test_take_result (&fixture->result);
  g_assert_null (stompy_stack_watch_wait_finish (watch, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_false (stompy_stack_watch_get_polling (watch));

  /* Disposed with a look in flight: nothing runs on the dead object. */
  stompy_stack_watch_start (watch);
  g_assert_finalize_object (g_steal_pointer (&watch));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* A fresh watch still follows the stack to the end. */
  watch = stompy_stack_watch_new (fixture->client, ensured->stack->stack_id, token, 1);
  stack = follow (fixture, watch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stack->status, ==, "CREATE_COMPLETE");
}

static void
test_watch_missing_stack (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(StompyStackWatch) watch = stompy_stack_watch_new (fixture->client, "NoSuchStack",
                                                              NULL, 0);
  g_autoptr(StompyStack) stack = NULL;
  g_autoptr(GError) error = NULL;

  stack = follow (fixture, watch, &error);
  g_assert_null (stack);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_NOT_FOUND);
  g_assert_true (stompy_cloudformation_error_is_not_found (error));
  g_assert_false (stompy_stack_watch_get_polling (watch));
}

/* ------------------------------------------------------------------ main */

static void
load_secret (void)
{
  const char *root = g_getenv ("STOMPY_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *aws;

  g_assert_nonnull (root);
  path = g_build_filename (root, "tests", "emulator", "accounts.json", NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  aws = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "aws");
  access_secret = g_strdup (json_object_get_string_member (json_object_get_object_member (aws,
                                                                                          ACCESS_KEY),
                                                           "secret"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  emulator = stompy_test_emulator_start ();
  load_secret ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/stack/template/fetched-from-its-url", test_template_fetch);
  ADD ("/stack/ensure/create-follow-complete-then-reused", test_create_follow_reuse);
  ADD ("/stack/ensure/same-token-retried-is-one-stack", test_same_token_retried);
  ADD ("/stack/ensure/failure-explained-delete-and-retry",
       test_failure_explained_then_delete_and_retry);
  ADD ("/stack/events/paging", test_events_paging);
  ADD ("/stack/watch/request-rate-under-bound", test_watch_rate_bound);
  ADD ("/stack/watch/five-minute-stack-on-the-quick-schedule", test_watch_five_minute_stack);
  ADD ("/stack/watch/settled-stack-read-at-once", test_watch_settled_stack_read_at_once);
  ADD ("/stack/watch/missing-stack-stops", test_watch_missing_stack);
  ADD ("/stack/cancellation", test_cancellation);

  status = g_test_run ();

  stompy_test_emulator_stop (emulator);
  g_free (access_secret);

  return status;
}
