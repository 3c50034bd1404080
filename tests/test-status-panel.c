/* test-status-panel.c — the live status panel against the emulator
 *
 * Runs under Xvfb with the project's emulator and the management account's
 * keys. The model is set up directly (as the AnalySaver page would leave it),
 * the panel is made from the application, and the application's poller (the
 * panel's) runs on a fake clock that the test can advance: real waits are
 * 1/100 of the fake ones, so a 30 s delivery re-check takes 0.3 s, and
 * "nothing for an hour" takes none. Each test stops the poller at its end, as
 * the application's shutdown would, so the next one can set the clock again.
 */
#include "config.h"

#include <string.h>

#include "stompy-analysaver-page-private.h"
#include "stompy-application.h"
#include "stompy-cloudformation.h"
#include "stompy-connection-watch.h"
#include "stompy-cur.h"
#include "stompy-error.h"
#include "stompy-status-panel-private.h"
#include "stompy-template-section-private.h"
#include "stompy-test-emulator.h"
#include "stompy-test-ui.h"
#include "stompy-test-util.h"
#include "stompy-window-private.h"

#define ACCOUNT         "210987654321"
#define MGMT_PROFILE    "emulator-management"
#define REPORT_NAME     "stompy-panel-cur"
#define BUCKET          "stompy-panel-cur-210987654321"
#define PREFIX          "cur"
#define REGION          "ap-southeast-1"
#define SPIN_TIMEOUT_US (60 * G_USEC_PER_SEC)
#define REAL_DIVISOR    100

static StompyTestEmulator *emulator;
static StompyApplication *app;

#define SPIN_UNTIL(cond) STOMPY_TEST_SPIN_UNTIL (cond, SPIN_TIMEOUT_US)

/* ------------------------------------------------------------------ fake timer */

typedef struct
{
  gint64       due_us;
  GSourceFunc  func;
  gpointer     func_data;
  GSource     *source;
} FakeHandle;

/* The CloudFormation requests counted before a wait fired at @at_us. */
typedef struct
{
  gint64 at_us;
  gint64 count;
} RequestSample;

typedef struct
{
  gint64  now_us;
  GList  *handles;
  guint   n_scheduled;
  GArray *samples;      /* of RequestSample, when the test logs requests */
} FakeTimer;

static FakeTimer fake;
static gint64 cloudformation_requests (void);

static gint64
fake_now (gpointer user_data)
{
  return fake.now_us;
}

static void
fake_handle_free (FakeHandle *handle)
{
  g_source_destroy (handle->source);
  g_source_unref (handle->source);
  g_free (handle);
}

static void
fake_fire (FakeHandle *handle)
{
  GSourceFunc func = handle->func;
  gpointer func_data = handle->func_data;

  fake.handles = g_list_remove (fake.handles, handle);
  fake.now_us = MAX (fake.now_us, handle->due_us);
  fake_handle_free (handle);
  /* Every look of a stack watch begins here: what was asked before it was
   * asked at an earlier fake time. */
  if (fake.samples != NULL)
    {
      RequestSample sample = { fake.now_us, cloudformation_requests () };

      g_array_append_val (fake.samples, sample);
    }
  func (func_data);
}

static gboolean
fake_real_cb (gpointer user_data)
{
  fake_fire (user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
fake_schedule (guint       delay_ms,
               GSourceFunc func,
               gpointer    func_data,
               gpointer    user_data)
{
  FakeHandle *handle = g_new0 (FakeHandle, 1);

  handle->due_us = fake.now_us + (gint64) delay_ms * 1000;
  handle->func = func;
  handle->func_data = func_data;
  /* Real time runs REAL_DIVISOR times faster than the fake clock. */
  handle->source = g_timeout_source_new (MAX (delay_ms / REAL_DIVISOR, 1));
  g_source_set_callback (handle->source, fake_real_cb, handle, NULL);
  g_source_attach (handle->source, NULL);
  fake.handles = g_list_append (fake.handles, handle);
  fake.n_scheduled++;

  return handle;
}

static void
fake_cancel (gpointer handle,
             gpointer user_data)
{
  g_assert_nonnull (g_list_find (fake.handles, handle));
  fake.handles = g_list_remove (fake.handles, handle);
  fake_handle_free (handle);
}

static const StompyStackWatchTimer fake_timer = { fake_now, fake_schedule, fake_cancel };

/* Moves the fake clock on by @ms and fires every wait that is due by then. */
static void
fake_advance (guint ms)
{
  fake.now_us += (gint64) ms * 1000;

  for (;;)
    {
      FakeHandle *due = NULL;

      for (GList *l = fake.handles; l != NULL; l = l->next)
        {
          FakeHandle *handle = l->data;

          if (handle->due_us <= fake.now_us && (due == NULL || handle->due_us < due->due_us))
            due = handle;
        }
      if (due == NULL)
        break;
      fake_fire (due);
    }
}

/* ------------------------------------------------------------------ helpers */

static StompyApplication *
get_app (void)
{
  if (app != NULL)
    return app;

  emulator = stompy_test_emulator_start ();
  stompy_test_point_at_emulator (emulator);
  app = stompy_test_application_new (NULL);

  return app;
}

static StompyAwsClient *
make_client (void)
{
  g_autoptr(StompyAwsCredentials) credentials = stompy_test_credentials_for_profile (MGMT_PROFILE);

  return stompy_aws_client_new (stompy_application_get_session (get_app ()), credentials, REGION,
                                NULL, NULL, NULL);
}

static gint64
requests (const char *operation)
{
  return stompy_test_emulator_count_requests (emulator, operation);
}

/* DescribeStacks and DescribeStackEvents: what following a stack costs. */
static gint64
cloudformation_requests (void)
{
  return requests ("cloudformation:DescribeStacks") +
         requests ("cloudformation:DescribeStackEvents");
}

/* Every request the emulator has answered but control calls. */
static gint64
all_requests (void)
{
  g_autoptr(JsonNode) stats = stompy_test_emulator_get_stats (emulator);
  JsonObject *counts = json_object_get_object_member (json_node_get_object (stats), "requests");
  g_autoptr(GList) members = json_object_get_members (counts);
  gint64 total = 0;

  for (GList *l = members; l != NULL; l = l->next)
    total += json_object_get_int_member (counts, l->data);

  return total;
}

/* Nothing saved, no client, no fake waits left: every test starts from nothing. */
static StompyOnboarding *
reset_world (gboolean with_client)
{
  StompyOnboarding *model = stompy_application_get_model (get_app ());
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "reset", "{}");

  g_assert_null (fake.handles);
  fake.now_us = 0;
  fake.n_scheduled = 0;

  stompy_onboarding_set_autosave (model, FALSE);
  stompy_onboarding_reset (model);
  stompy_onboarding_set_account_id (model, ACCOUNT);

  if (with_client)
    {
      g_autoptr(StompyAwsClient) client = make_client ();

      stompy_application_set_aws_client (app, client);
    }
  else
    stompy_application_set_aws_client (app, NULL);

  return model;
}

static StompyStatusPanel *
make_panel (void)
{
  StompyStatusPanel *panel = g_object_ref_sink (stompy_status_panel_new (get_app ()));

  stompy_status_poller_set_timer (_stompy_status_panel_get_poller (panel), &fake_timer, NULL);
  stompy_status_panel_start (panel);

  return panel;
}

/* Stops the application's poller, as the application's shutdown does, and
 * checks that nothing but the application holds it and that its stack
 * watches go. */
static void
stop_poller (void)
{
  StompyStatusPoller *poller = stompy_application_get_status_poller (get_app ());
  StompyStackWatch *watches[] = {
    stompy_status_poller_get_stack_watch (poller, STOMPY_PRODUCT_ANALYSAVER),
    stompy_status_poller_get_stack_watch (poller, STOMPY_PRODUCT_SPOTAINER),
  };

  for (guint i = 0; i < G_N_ELEMENTS (watches); i++)
    if (watches[i] != NULL)
      g_object_add_weak_pointer (G_OBJECT (watches[i]), (gpointer *) &watches[i]);

  stompy_status_poller_stop (poller);
  /* Cancelled requests still call back once, holding a reference till then. */
  SPIN_UNTIL (G_OBJECT (poller)->ref_count == 1 && watches[0] == NULL && watches[1] == NULL);
  g_assert_true (stompy_status_poller_get_settled (poller));
  g_assert_null (fake.handles);
}

/* Frees the panel and checks that it lets the application's poller go, then
 * stops that poller. */
static void
finalize_panel (StompyStatusPanel *panel)
{
  StompyStatusPoller *poller = _stompy_status_panel_get_poller (panel);

  g_assert_true (poller == stompy_application_get_status_poller (get_app ()));
  g_assert_finalize_object (panel);
  stop_poller ();
}

static void
create_report (void)
{
  g_autoptr(StompyAwsClient) client = make_client ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompyCurSetupResult) setup = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  StompyCurSetupParams params = {
    STOMPY_CUR_SETUP_KIND_LEGACY, ACCOUNT, REPORT_NAME, BUCKET, REGION, PREFIX,
  };

  stompy_cur_setup_async (client, &params, NULL, NULL, NULL, NULL, stompy_test_store_result_cb,
                          &slot);
  result = stompy_test_take_result (&slot);
  setup = stompy_cur_setup_finish (result, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (setup->report_created);
}

static void
wait_settled (StompyStatusPanel *panel)
{
  StompyStatusPoller *poller = _stompy_status_panel_get_poller (panel);

  SPIN_UNTIL (stompy_status_poller_get_settled (poller));
}

/* ------------------------------------------------------------------ bucket and report */

static void
test_bucket_report_checks (void)
{
  StompyOnboarding *model = reset_world (TRUE);
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (model);
  g_autoptr(JsonNode) timings = NULL;
  StompyStatusPanel *panel;
  StompyStatusPoller *poller;
  gint64 lists;
  gint64 before;

  /* Long enough for the panel to see the report undelivered first. */
  timings = stompy_test_emulator_control (emulator, "timings", "{\"delivery_seconds\": 3}");
  create_report ();
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  stompy_cur_choice_set_report (choice, STOMPY_CUR_ORIGIN_CREATED, REPORT_NAME, BUCKET, PREFIX,
                                REGION);

  lists = requests ("s3:ListObjectsV2");
  panel = make_panel ();
  poller = _stompy_status_panel_get_poller (panel);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel->bucket_group)));

  SPIN_UNTIL (stompy_status_poller_get_bucket_state (poller) == STOMPY_STATUS_STATE_KNOWN &&
              stompy_status_poller_get_report_state (poller) == STOMPY_STATUS_STATE_KNOWN);

  /* Every bucket check holds, but the first report has not arrived yet. */
  g_assert_cmpint (panel->bucket_exists.mark, ==, STOMPY_STATUS_MARK_YES);
  g_assert_cmpint (panel->bucket_region.mark, ==, STOMPY_STATUS_MARK_YES);
  g_assert_cmpint (panel->bucket_policy.mark, ==, STOMPY_STATUS_MARK_YES);
  g_assert_cmpint (panel->bucket_public_access.mark, ==, STOMPY_STATUS_MARK_YES);
  g_assert_cmpint (panel->bucket_delivered.mark, ==, STOMPY_STATUS_MARK_WAITING);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel->bucket_error.row)));
  g_assert_true (strstr (adw_action_row_get_subtitle (panel->bucket_region.row), REGION) != NULL);

  /* The report meets the four conditions. */
  g_assert_true (stompy_status_poller_get_report_found (poller));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel->report_found.row)));
  for (guint i = 0; i < G_N_ELEMENTS (panel->report_conditions); i++)
    {
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel->report_conditions[i].row)));
      g_assert_cmpint (panel->report_conditions[i].mark, ==, STOMPY_STATUS_MARK_YES);
    }

  /* The first delivery is looked for again in 30 s, then later and later. */
  g_assert_cmpuint (stompy_status_poller_get_delivery_delay_ms (poller), ==, 30000);
  g_assert_false (stompy_status_poller_get_settled (poller));
  SPIN_UNTIL (panel->bucket_delivered.mark == STOMPY_STATUS_MARK_YES);
  g_assert_cmpint (requests ("s3:ListObjectsV2") - lists, >=, 2);
  g_assert_cmpint (fake.now_us, >=, 30 * G_USEC_PER_SEC);

  /* Delivered: nothing more is asked, however long the panel stays open. */
  wait_settled (panel);
  g_assert_cmpuint (stompy_status_poller_get_delivery_delay_ms (poller), ==, 0);
  before = all_requests ();
  fake_advance (3 * 3600 * 1000);
  for (guint i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_true (stompy_status_poller_get_settled (poller));
  g_assert_cmpint (all_requests (), ==, before);

  finalize_panel (panel);
}

static void
test_refresh_one_round (void)
{
  StompyOnboarding *model = reset_world (TRUE);
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (model);
  const char *ops[] = {
    "s3:HeadBucket", "s3:GetBucketPolicy", "s3:GetPublicAccessBlock", "s3:ListObjectsV2",
    "cur:DescribeReportDefinitions",
  };
  gint64 first_round[G_N_ELEMENTS (ops)];
  gint64 counts[G_N_ELEMENTS (ops)];
  StompyStatusPanel *panel;
  gint64 before;

  /* The fixture's ready report, delivered long ago: nothing to wait for. */
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  stompy_cur_choice_set_report (choice, STOMPY_CUR_ORIGIN_EXISTING, "stompy-ready-cur",
                                "stompy-existing-cur-210987654321", "cur", REGION);

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    counts[i] = requests (ops[i]);
  panel = make_panel ();
  wait_settled (panel);
  SPIN_UNTIL (panel->bucket_delivered.mark == STOMPY_STATUS_MARK_YES);
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      first_round[i] = requests (ops[i]) - counts[i];
      g_assert_cmpint (first_round[i], >=, 1);
      counts[i] = requests (ops[i]);
    }
  /* Six fixture reports: two pages of five. */
  g_assert_cmpint (first_round[4], ==, 2);

  before = all_requests ();
  gtk_widget_activate_action (GTK_WIDGET (panel), "status.refresh", NULL);
  g_assert_true (stompy_status_poller_get_busy (_stompy_status_panel_get_poller (panel)));
  wait_settled (panel);

  /* Exactly one more round: one of each request, and nothing else. */
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    g_assert_cmpint (requests (ops[i]) - counts[i], ==, first_round[i]);
  g_assert_cmpint (all_requests () - before, ==, 4 + first_round[4]);
  g_assert_cmpint (panel->bucket_exists.mark, ==, STOMPY_STATUS_MARK_YES);
  for (guint i = 0; i < G_N_ELEMENTS (panel->report_conditions); i++)
    g_assert_cmpint (panel->report_conditions[i].mark, ==, STOMPY_STATUS_MARK_YES);

  finalize_panel (panel);
}

static void
test_network_error_in_group (void)
{
  StompyOnboarding *model = reset_world (TRUE);
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (model);
  g_autoptr(JsonNode) fault = NULL;
  StompyStatusPanel *panel;
  StompyStatusPoller *poller;

  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  stompy_cur_choice_set_report (choice, STOMPY_CUR_ORIGIN_EXISTING, "stompy-ready-cur",
                                "stompy-existing-cur-210987654321", "cur", REGION);
  /* More failures than the client's own retries. */
  fault = stompy_test_emulator_control (emulator, "faults",
                                        "{\"target\": \"s3:HeadBucket\", \"kind\": \"http503\", "
                                        "\"count\": 3}");

  panel = make_panel ();
  poller = _stompy_status_panel_get_poller (panel);
  SPIN_UNTIL (stompy_status_poller_get_bucket_state (poller) == STOMPY_STATUS_STATE_ERROR);

  /* Said in the bucket's group, in words, and tried again later. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel->bucket_error.row)));
  g_assert_cmpint (panel->bucket_error.mark, ==, STOMPY_STATUS_MARK_ERROR);
  g_assert_cmpstr (adw_action_row_get_subtitle (panel->bucket_error.row), !=, "");
  g_assert_null (strstr (adw_action_row_get_subtitle (panel->bucket_error.row), "503"));
  g_assert_cmpuint (stompy_status_poller_get_delivery_delay_ms (poller), ==, 30000);
  g_assert_false (stompy_status_poller_get_settled (poller));
  SPIN_UNTIL (stompy_status_poller_get_report_state (poller) == STOMPY_STATUS_STATE_KNOWN);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel->report_error.row)));

  fake_advance (30000);
  SPIN_UNTIL (stompy_status_poller_get_bucket_state (poller) == STOMPY_STATUS_STATE_KNOWN);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel->bucket_error.row)));
  g_assert_cmpint (panel->bucket_exists.mark, ==, STOMPY_STATUS_MARK_YES);

  finalize_panel (panel);
}

/* ------------------------------------------------------------------ stacks */

static StompyStackRequest *
analysaver_request (const char *token)
{
  g_autofree char *url = g_strdup_printf ("%s/stompy-templates/analysaver/v3.json",
                                          stompy_test_emulator_get_url (emulator));
  StompyStackRequest *request = stompy_stack_request_new ("StompyAnalySaver", url, token,
                                                          "analysaver");

  stompy_stack_request_set_parameter (request, "ExternalId", "stp-ext-5b1e0c9a7d");
  stompy_stack_request_set_parameter (request, "StompyPrincipalAccountId", "111122223333");
  stompy_stack_request_set_parameter (request, "CurBucketName", BUCKET);

  return request;
}

/* Creates the AnalySaver stack and records it as the page would. */
static void
create_stack (StompyOnboarding *model)
{
  g_autoptr(StompyAwsClient) client = make_client ();
  g_autofree char *token = stompy_cloudformation_new_client_request_token ();
  g_autoptr(StompyStackRequest) request = analysaver_request (token);
  g_autoptr(StompyEnsuredStack) ensured = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  StompyStackRecord *record = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER);

  stompy_cloudformation_ensure_stack_async (client, request, NULL, stompy_test_store_result_cb,
                                            &slot);
  result = stompy_test_take_result (&slot);
  ensured = stompy_cloudformation_ensure_stack_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ensured->outcome, ==, STOMPY_STACK_OUTCOME_CREATED);

  stompy_stack_record_set_stack_name (record, "StompyAnalySaver");
  stompy_stack_record_set_region (record, REGION);
  stompy_stack_record_set_client_request_token (record, token);
  stompy_stack_record_set_stack_id (record, ensured->stack->stack_id);
  stompy_stack_record_set_status (record, ensured->stack->status, NULL);
}

typedef struct
{
  StompyStatusStackGroup *group;
  gboolean                seen_progress;
} ProgressLog;

static void
progress_changed_cb (StompyStatusPoller *poller,
                     StompyStatusParts   parts,
                     ProgressLog        *log)
{
  /* A stack takes minutes: no spinner redrawing the window all that while. */
  if (log->group->status.mark == STOMPY_STATUS_MARK_IN_PROGRESS)
    g_assert_false (gtk_spinner_get_spinning (log->group->status.spinner));
  if (log->group->status.mark == STOMPY_STATUS_MARK_IN_PROGRESS &&
      gtk_widget_get_visible (GTK_WIDGET (log->group->progress)) &&
      gtk_progress_bar_get_fraction (log->group->progress) < 1.0)
    log->seen_progress = TRUE;
}

static void
test_stack_progress_complete (void)
{
  StompyOnboarding *model = reset_world (TRUE);
  g_autoptr(JsonNode) timings = NULL;
  StompyStatusStackGroup *group;
  StompyStatusPanel *panel;
  ProgressLog log = { NULL, FALSE };
  const char *arn;
  gulong handler;

  /* Long enough to be seen in progress. */
  timings = stompy_test_emulator_control (emulator, "timings", "{\"stack_seconds\": 2}");
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  create_stack (model);

  panel = make_panel ();
  group = _stompy_status_panel_get_stack (panel, STOMPY_PRODUCT_ANALYSAVER);
  log.group = group;
  handler = g_signal_connect_after (_stompy_status_panel_get_poller (panel), "changed",
                                    G_CALLBACK (progress_changed_cb), &log);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (group->group)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel->spotainer_group)));

  SPIN_UNTIL (group->status.mark == STOMPY_STATUS_MARK_YES);
  g_assert_true (log.seen_progress);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (group->progress)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (group->failure.row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (group->events_row)));
  for (guint i = 0; i < STOMPY_STATUS_PANEL_EVENTS; i++)
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (group->event_rows[i])));
  /* Newest first: the stack's own completion. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (group->event_rows[0])), ==,
                   "StompyAnalySaver");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (group->event_rows[0]),
                                   "CREATE_COMPLETE"));

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (group->role_arn.row)));
  arn = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (group->role_arn.row));
  g_assert_true (g_str_has_prefix (arn, "arn:aws:iam::" ACCOUNT ":role/"));
  g_assert_true (adw_preferences_row_get_title_selectable (ADW_PREFERENCES_ROW (group->role_arn.row)));

  /* Complete: the watch has stopped and nothing more is asked. */
  wait_settled (panel);
  {
    gint64 before = all_requests ();

    fake_advance (3600 * 1000);
    for (guint i = 0; i < 50; i++)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    g_assert_cmpint (all_requests (), ==, before);
  }

  /* Refresh asks the stack once more: one DescribeStacks, one events page. */
  {
    gint64 describes = requests ("cloudformation:DescribeStacks");
    gint64 events = requests ("cloudformation:DescribeStackEvents");

    stompy_status_panel_refresh (panel);
    SPIN_UNTIL (requests ("cloudformation:DescribeStackEvents") > events);
    wait_settled (panel);
    g_assert_cmpint (requests ("cloudformation:DescribeStacks") - describes, ==, 1);
    g_assert_cmpint (requests ("cloudformation:DescribeStackEvents") - events, ==, 1);
    g_assert_cmpint (group->status.mark, ==, STOMPY_STATUS_MARK_YES);
  }

  /* The poller is the application's and outlives the panel and this log. */
  g_signal_handler_disconnect (_stompy_status_panel_get_poller (panel), handler);
  finalize_panel (panel);
}

static void
test_unchosen_product_hidden (void)
{
  StompyOnboarding *model = reset_world (TRUE);
  StompyStatusPanel *panel;
  StompyStatusPoller *poller;
  StompyStatusStackGroup *group;
  gint64 before;

  /* A stack recorded earlier, then the product unticked. */
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  create_stack (model);
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_SPOTAINER);

  before = all_requests ();
  panel = make_panel ();
  poller = _stompy_status_panel_get_poller (panel);
  group = _stompy_status_panel_get_stack (panel, STOMPY_PRODUCT_ANALYSAVER);
  wait_settled (panel);

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (group->group)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel->bucket_group)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel->report_group)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel->spotainer_group)));
  g_assert_null (stompy_status_poller_get_stack_watch (poller, STOMPY_PRODUCT_ANALYSAVER));
  /* SpoTainer's stack was never created: nothing to ask. */
  g_assert_null (stompy_status_poller_get_stack_watch (poller, STOMPY_PRODUCT_SPOTAINER));
  g_assert_cmpint (_stompy_status_panel_get_stack (panel, STOMPY_PRODUCT_SPOTAINER)->status.mark, ==,
                   STOMPY_STATUS_MARK_WAITING);
  g_assert_cmpint (all_requests (), ==, before);

  /* Ticked again: its group comes back and its stack is followed. */
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (group->group)));
  SPIN_UNTIL (group->status.mark == STOMPY_STATUS_MARK_YES);
  g_assert_nonnull (stompy_status_poller_get_stack_watch (poller, STOMPY_PRODUCT_ANALYSAVER));

  /* Unticked: the watch goes with the group. */
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_SPOTAINER);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (group->group)));
  SPIN_UNTIL (stompy_status_poller_get_stack_watch (poller, STOMPY_PRODUCT_ANALYSAVER) == NULL);

  finalize_panel (panel);
}

static void
test_guided_not_checked (void)
{
  StompyOnboarding *model = reset_world (FALSE);
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (model);
  StompyStackRecord *record = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER);
  const char *arn = "arn:aws:iam::" ACCOUNT ":role/StompyAnalySaverRole";
  StompyStatusStackGroup *group;
  StompyStatusPanel *panel;
  gint64 before = all_requests ();

  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  stompy_cur_choice_set_report (choice, STOMPY_CUR_ORIGIN_PASTED, "console-cur", "console-bucket",
                                "cur", REGION);
  stompy_stack_record_set_stack_name (record, "StompyAnalySaver");
  stompy_stack_record_set_role_arn (record, arn, TRUE);

  panel = make_panel ();
  group = _stompy_status_panel_get_stack (panel, STOMPY_PRODUCT_ANALYSAVER);
  wait_settled (panel);

  /* What the user pasted, marked as not checked; AWS is never asked. */
  g_assert_true (strstr (adw_preferences_group_get_description (panel->bucket_group),
                         "console-bucket") != NULL);
  g_assert_cmpint (panel->bucket_exists.mark, ==, STOMPY_STATUS_MARK_UNCHECKED);
  g_assert_cmpint (panel->bucket_delivered.mark, ==, STOMPY_STATUS_MARK_UNCHECKED);
  for (guint i = 0; i < G_N_ELEMENTS (panel->report_conditions); i++)
    g_assert_cmpint (panel->report_conditions[i].mark, ==, STOMPY_STATUS_MARK_UNCHECKED);
  g_assert_cmpint (group->status.mark, ==, STOMPY_STATUS_MARK_UNCHECKED);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (group->role_arn.row)), ==,
                   arn);
  g_assert_cmpint (group->role_arn.mark, ==, STOMPY_STATUS_MARK_UNCHECKED);
  g_assert_cmpint (all_requests (), ==, before);

  /* Credentials verified later: the panel asks AWS from then on. */
  {
    g_autoptr(StompyAwsClient) client = make_client ();

    stompy_application_set_aws_client (app, client);
  }
  SPIN_UNTIL (panel->bucket_exists.mark == STOMPY_STATUS_MARK_NO);
  g_assert_cmpint (all_requests (), >, before);

  finalize_panel (panel);
}

static void
test_delivery_backoff (void)
{
  guint expected[] = { 30000, 60000, 120000, 240000, 300000, 300000 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (stompy_status_poller_delivery_backoff_ms (i), ==, expected[i]);
}

/* ------------------------------------------------------------------ window */

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = stompy_test_screenshot_dir ();
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  path = g_build_filename (dir, name, NULL);
  /* Something is drawn, whatever the window shows. */
  g_assert_true (stompy_test_save_png (widget, path));
}

static StompyWindow *
open_window (int width,
             int height)
{
  StompyWindow *window = stompy_window_new (get_app ());

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
              gtk_widget_get_width (GTK_WIDGET (window)) > 0);
  g_test_message ("window %d×%d asked, %d×%d given", width, height,
                  gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)));
  /* Client-side decorations take a few pixels of the surface for the shadow. */
  SPIN_UNTIL (ABS (gtk_widget_get_width (GTK_WIDGET (window)) - width) <= 20);

  return window;
}

static void
close_window (StompyWindow *window)
{
  StompyStatusPanel *panel = g_object_ref (_stompy_window_get_status_panel (window));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  SPIN_UNTIL (G_OBJECT (window)->ref_count == 1);
  g_assert_finalize_object (window);
  SPIN_UNTIL (G_OBJECT (panel)->ref_count == 1);
  g_assert_finalize_object (panel);
  stop_poller ();
}

static void
count_paint_cb (GdkFrameClock *clock,
                guint         *n_painted)
{
  (*n_painted)++;
}

/* Waits until the window has been laid out and painted twice since now. */
static void
settle_frames (StompyWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint n_painted = 0;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint_cb),
                                     &n_painted);

  gtk_widget_queue_resize (GTK_WIDGET (window));
  SPIN_UNTIL (n_painted >= 2);
  g_signal_handler_disconnect (clock, handler);
}

static void
test_window_first_steps_hide_panel (void)
{
  StompyWindow *window;

  reset_world (FALSE);
  window = open_window (900, 700);

  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_SIGN_IN);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_stompy_window_get_status_panel (window))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->status_button)));

  close_window (window);
}

static void
test_window_beside_and_folded (void)
{
  struct { int width; int height; gboolean folded; const char *name; } sizes[] = {
    { 1280, 800, FALSE, "status-panel-1280.png" },
    { 900, 700, FALSE, "status-panel-900.png" },
    { 360, 700, TRUE, "status-panel-360.png" },
  };
  StompyOnboarding *model = reset_world (TRUE);

  {
    StompyWindow *probe = open_window (900, 700);
    gboolean has_page = _stompy_window_get_page (probe, STOMPY_STEP_ANALYSAVER) != NULL;

    close_window (probe);
    if (!has_page)
      {
        g_test_skip ("No page for step 3 in this build");
        return;
      }
  }

  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  stompy_cur_choice_set_report (stompy_onboarding_get_cur_choice (model), STOMPY_CUR_ORIGIN_EXISTING,
                                "stompy-ready-cur", "stompy-existing-cur-210987654321", "cur",
                                REGION);
  create_stack (model);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      StompyWindow *window;

      stompy_onboarding_set_step (model, STOMPY_STEP_ANALYSAVER);
      window = open_window (sizes[i].width, sizes[i].height);
      /* Only the panel: the sign-in page, once started, would find no Stompy
       * session and take the window back to step 1. */
      stompy_status_panel_start (_stompy_window_get_status_panel (window));
      g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_ANALYSAVER);
      SPIN_UNTIL (_stompy_status_panel_get_stack (_stompy_window_get_status_panel (window),
                                                  STOMPY_PRODUCT_ANALYSAVER)->status.mark ==
                  STOMPY_STATUS_MARK_YES &&
                  _stompy_window_get_status_panel (window)->bucket_delivered.mark ==
                  STOMPY_STATUS_MARK_YES);

      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_stompy_window_get_status_panel (window))));
      g_assert_cmpint (adw_flap_get_folded (window->flap), ==, sizes[i].folded);
      g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (window->status_button)), ==,
                       sizes[i].folded);
      if (sizes[i].folded)
        {
          /* Folded: hidden until the header bar's toggle opens it over the page. */
          g_assert_false (adw_flap_get_reveal_flap (window->flap));
          g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->status_button)), !=, NULL);
          gtk_toggle_button_set_active (window->status_button, TRUE);
          g_assert_true (adw_flap_get_reveal_flap (window->flap));
          SPIN_UNTIL (adw_flap_get_reveal_progress (window->flap) >= 1.0);
        }
      else
        g_assert_true (adw_flap_get_reveal_flap (window->flap));

      settle_frames (window);
      save_screenshot (GTK_WIDGET (window), sizes[i].name);
      close_window (window);
    }
}

/* ------------------------------------------------------------------ one follower per stack */

#define OPS_EMAIL    "ops@example.com"
#define OPS_PASSWORD "correct horse battery staple"
#define MINUTE_US    (60 * G_USEC_PER_SEC)

/* Signed in to Stompy, so that the template section can read the onboarding
 * details and the template. */
static void
sign_in_to_stompy (void)
{
  StompyApiClient *api = stompy_application_get_api_client (get_app ());
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_assert_nonnull (api);
  stompy_api_client_sign_in_async (api, OPS_EMAIL, OPS_PASSWORD, NULL,
                                   stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);
  session = stompy_api_client_sign_in_finish (api, result, &error);
  g_assert_no_error (error);
}

/* The most requests sent in any 60 s of fake time. Sample i counts what was
 * sent before the wait at samples[i].at_us fired: what its look sent is in
 * sample i + 1 (or in @final_count after the last). */
static gint64
busiest_minute (GArray *samples,
                gint64  final_count)
{
  gint64 busiest = 0;

  for (guint i = 0; i < samples->len; i++)
    {
      RequestSample *from = &g_array_index (samples, RequestSample, i);
      gint64 until = final_count;

      for (guint j = i + 1; j < samples->len; j++)
        {
          RequestSample *next = &g_array_index (samples, RequestSample, j);

          if (next->at_us >= from->at_us + MINUTE_US)
            {
              until = next->count;
              break;
            }
        }
      busiest = MAX (busiest, until - from->count);
    }

  return busiest;
}

static void
test_one_follower_per_stack (void)
{
  StompyOnboarding *model = reset_world (TRUE);
  StompyStackRecord *record = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER);
  StompyStatusPoller *poller = stompy_application_get_status_poller (app);
  g_autoptr(JsonNode) timings = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (RequestSample));
  StompyStatusPoller *panel_poller;
  StompyStackWatch *watch;
  StompyTemplateSection *section;
  StompyStatusStackGroup *group;
  StompyWindow *window;
  StompyPage *page;
  RequestSample start;
  gint64 followed_from;
  gint64 described_from;
  gint64 final_count;
  gint64 busiest;

  /* About four minutes of fake time: long enough for several minutes of
   * following, each within the budget of one watch. */
  timings = stompy_test_emulator_control (emulator, "timings", "{\"stack_seconds\": 2.5}");
  sign_in_to_stompy ();
  stompy_onboarding_set_credential_source (model, STOMPY_CREDENTIAL_SOURCE_TYPED);
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  stompy_cur_choice_set_billing_access_confirmed (stompy_onboarding_get_cur_choice (model), TRUE);
  stompy_cur_choice_set_report (stompy_onboarding_get_cur_choice (model),
                                STOMPY_CUR_ORIGIN_EXISTING, "stompy-ready-cur",
                                "stompy-existing-cur-210987654321", "cur", REGION);
  stompy_onboarding_set_step (model, STOMPY_STEP_ANALYSAVER);

  window = open_window (1280, 800);
  page = _stompy_window_get_page (window, STOMPY_STEP_ANALYSAVER);
  if (page == NULL)
    {
      close_window (window);
      g_test_skip ("No page for step 3 in this build");
      return;
    }
  section = STOMPY_ANALYSAVER_PAGE (page)->template_section;
  group = _stompy_status_panel_get_stack (_stompy_window_get_status_panel (window),
                                          STOMPY_PRODUCT_ANALYSAVER);

  /* The panel and the section follow through the application's poller. A
   * panel with a poller of its own would need the fake clock too, and this
   * test would count both followers. */
  panel_poller = _stompy_status_panel_get_poller (_stompy_window_get_status_panel (window));
  stompy_status_poller_set_timer (poller, &fake_timer, NULL);
  if (panel_poller != poller)
    stompy_status_poller_set_timer (panel_poller, &fake_timer, NULL);
  g_assert_true (section->poller == poller);

  /* Only the panel and this page: the sign-in page, once started, would find
   * no Stompy session in the keyring and take the window back to step 1. */
  stompy_status_panel_start (_stompy_window_get_status_panel (window));
  stompy_page_start (page);
  SPIN_UNTIL (section->template != NULL && !section->loading &&
              gtk_widget_get_sensitive (GTK_WIDGET (section->ack_check)));
  gtk_check_button_set_active (section->ack_check, TRUE);
  SPIN_UNTIL (gtk_widget_get_sensitive (GTK_WIDGET (section->create_button)));

  start.at_us = fake.now_us;
  start.count = cloudformation_requests ();
  g_array_append_val (samples, start);
  fake.samples = samples;
  g_signal_emit_by_name (section->create_button, "clicked");
  /* ensure_stack has been answered; nothing follows the stack yet. */
  SPIN_UNTIL (section->following);
  followed_from = cloudformation_requests ();
  described_from = requests ("cloudformation:DescribeStacks");
  g_assert_cmpint (followed_from, >, start.count);

  SPIN_UNTIL (stompy_stack_record_is_complete (record) && !section->following &&
              group->status.mark == STOMPY_STATUS_MARK_YES);
  wait_settled (_stompy_window_get_status_panel (window));
  fake.samples = NULL;
  final_count = cloudformation_requests ();

  /* The page and the panel saw the same stack come to its end. */
  g_assert_cmpstr (stompy_stack_record_get_status (record), ==, "CREATE_COMPLETE");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (section->progress_bar), ==, 1.0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (section->error_label)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (group->role_arn.row)), ==,
                   stompy_stack_record_get_role_arn (record));

  /* Followed for minutes, with more requests in all than one minute allows,
   * yet never more than a minute allows in any 60 s. */
  busiest = busiest_minute (samples, final_count);
  g_test_message ("%u looks over %" G_GINT64_FORMAT " s of fake time, %" G_GINT64_FORMAT
                  " requests, at most %" G_GINT64_FORMAT " in a minute",
                  samples->len - 1,
                  (g_array_index (samples, RequestSample, samples->len - 1).at_us - start.at_us) /
                  G_USEC_PER_SEC, final_count - start.count, busiest);
  g_assert_cmpint (g_array_index (samples, RequestSample, samples->len - 1).at_us - start.at_us, >,
                   2 * MINUTE_US);
  g_assert_cmpint (final_count - start.count, >, STOMPY_STACK_WATCH_MAX_REQUESTS_PER_MINUTE);
  g_assert_cmpint (busiest, >, 0);
  g_assert_cmpint (busiest, <=, STOMPY_STACK_WATCH_MAX_REQUESTS_PER_MINUTE);

  /* Whatever clock another follower would run on: every request once the
   * stack was created came from the poller's one watch. */
  watch = stompy_status_poller_get_stack_watch (poller, STOMPY_PRODUCT_ANALYSAVER);
  g_assert_nonnull (watch);
  g_assert_cmpint (final_count - followed_from, ==, stompy_stack_watch_get_request_count (watch));
  /* The section handed the watch the stack as ensure_stack had just described it: the watch
   * described it once more only when it moved, to its end. */
  g_assert_cmpint (requests ("cloudformation:DescribeStacks") - described_from, ==, 1);

  stompy_api_client_set_token (stompy_application_get_api_client (app), NULL);
  close_window (window);
}

/* ------------------------------------------------------------------ Stompy */

#define SESSION_PROFILE "emulator-session"

/* Follows the model's connection as the Connect page does, on the fake clock,
 * until no check is pending. */
static StompyAccountStatus *
follow_checks (StompyOnboarding *model,
               guint            *n_requests)
{
  StompyApiClient *api = stompy_application_get_api_client (get_app ());
  g_autoptr(StompyConnectionWatch) watch = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StompyAccountStatus *settled;
  GAsyncResult *slot = NULL;

  watch = stompy_connection_watch_new (api, stompy_onboarding_get_connection (model));
  stompy_connection_watch_set_timer (watch, &fake_timer, NULL);
  stompy_connection_watch_wait_async (watch, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);
  settled = stompy_connection_watch_wait_finish (watch, result, &error);
  g_assert_no_error (error);
  *n_requests = stompy_connection_watch_get_request_count (watch);

  return settled;
}

static StompyAccountStatus *
connect_to_stompy (StompyOnboarding *model)
{
  StompyApiClient *api = stompy_application_get_api_client (get_app ());
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StompyAccountStatus *answer;
  GAsyncResult *slot = NULL;

  stompy_connection_connect_async (model, api, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);
  answer = stompy_connection_connect_finish (result, &error);
  g_assert_no_error (error);

  return answer;
}

static gint64
stompy_account_requests (void)
{
  return requests ("stompy:GET /aws/accounts/{id}");
}

/* AnalySaver set up as the page leaves it: the report, the verified
 * identity, the stack complete and its RoleArn recorded. */
static void
set_up_analysaver (StompyOnboarding  *model,
                   StompyStatusPanel *panel)
{
  StompyStackRecord *record = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER);
  StompyStatusStackGroup *group = _stompy_status_panel_get_stack (panel, STOMPY_PRODUCT_ANALYSAVER);
  g_autoptr(StompyAwsClient) client = make_client ();
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  StompyStack *stack;

  stompy_aws_identity_lookup_async (client, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);
  identity = stompy_aws_identity_lookup_finish (result, &error);
  g_assert_no_error (error);
  stompy_onboarding_set_identity (model, identity);
  stompy_onboarding_set_credential_source (model, STOMPY_CREDENTIAL_SOURCE_PROFILE);
  stompy_onboarding_set_profile (model, MGMT_PROFILE);

  create_report ();
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  stompy_cur_choice_set_report (stompy_onboarding_get_cur_choice (model), STOMPY_CUR_ORIGIN_CREATED,
                                REPORT_NAME, BUCKET, PREFIX, REGION);
  create_stack (model);

  SPIN_UNTIL (group->status.mark == STOMPY_STATUS_MARK_YES &&
              stompy_status_poller_get_report_state (_stompy_status_panel_get_poller (panel)) ==
              STOMPY_STATUS_STATE_KNOWN);
  stack = stompy_stack_watch_get_stack (stompy_status_poller_get_stack_watch (
                                          _stompy_status_panel_get_poller (panel),
                                          STOMPY_PRODUCT_ANALYSAVER));
  g_assert_nonnull (stack->role_arn);
  stompy_stack_record_set_status (record, stack->status, NULL);
  stompy_stack_record_set_role_arn (record, stack->role_arn, FALSE);
}

static char *
read_clipboard (GtkWidget *widget)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  char *text;

  gdk_clipboard_read_text_async (clipboard, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);
  text = gdk_clipboard_read_text_finish (clipboard, result, &error);
  g_assert_no_error (error);

  return text;
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not in the details:\n%s", needle, text);
}

static void
assert_no_secret (const char *text,
                  const char *secret)
{
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >, 8);
  if (strstr (text, secret) != NULL)
    g_error ("A secret is in the details:\n%s", text);
}

static void
test_stompy_hidden_then_checks (void)
{
  StompyOnboarding *model = reset_world (TRUE);
  StompyConnection *connection = stompy_onboarding_get_connection (model);
  g_autoptr(StompyAccountStatus) answer = NULL;
  g_autoptr(StompyAccountStatus) settled = NULL;
  StompyStatusPanel *panel;
  gint64 asked_before;
  guint watch_requests = 0;

  panel = make_panel ();
  set_up_analysaver (model, panel);
  sign_in_to_stompy ();

  /* Nothing submitted: no Stompy group, and the panel asks Stompy nothing. */
  g_assert_false (stompy_connection_get_submitted (connection));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel->stompy_group)));
  g_assert_null (_stompy_status_panel_get_check (panel, "assume_analysaver_role"));

  asked_before = stompy_account_requests ();
  answer = connect_to_stompy (model);
  g_assert_cmpstr (answer->status, ==, "verifying");

  /* Submitted: the group shows what Connect answered, every check pending. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel->stompy_group)));
  g_assert_cmpint (panel->stompy_status.mark, ==, STOMPY_STATUS_MARK_CHECKING);
  g_assert_cmpuint (panel->stompy_checks->len, ==, 2);
  for (guint i = 0; i < answer->checks->len; i++)
    {
      const StompyAccountCheck *check = g_ptr_array_index (answer->checks, i);
      StompyStatusCheckRow *row = _stompy_status_panel_get_check (panel, check->id);

      g_assert_nonnull (row);
      g_assert_cmpint (row->row.mark, ==, STOMPY_STATUS_MARK_CHECKING);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row->row.row)));
      /* A sentence, not the wire's id. */
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row->row.row)), !=,
                       check->id);
    }
  g_assert_cmpstr (adw_preferences_group_get_description (panel->stompy_group), ==,
                   "AWS account " ACCOUNT);

  /* The watch writes every answer into the model; the panel follows it. */
  settled = follow_checks (model, &watch_requests);
  g_assert_cmpstr (settled->status, ==, "waiting_for_data");
  g_assert_cmpint (panel->stompy_status.mark, ==, STOMPY_STATUS_MARK_WAITING);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (panel->stompy_status.row), "48"));
  for (guint i = 0; i < settled->checks->len; i++)
    {
      const StompyAccountCheck *check = g_ptr_array_index (settled->checks, i);

      g_assert_cmpint (_stompy_status_panel_get_check (panel, check->id)->row.mark, ==,
                       STOMPY_STATUS_MARK_YES);
    }
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel->stompy_error.row)));

  /* Every look at the account was the watch's, none the panel's. */
  g_assert_cmpuint (watch_requests, >=, 1);
  g_assert_cmpint (stompy_account_requests () - asked_before, ==, watch_requests);

  /* Start over: the connection is gone, and the group with it. */
  stompy_onboarding_reset (model);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel->stompy_group)));

  stompy_api_client_set_token (stompy_application_get_api_client (app), NULL);
  finalize_panel (panel);
}

static void
test_stompy_failed_check_and_error (void)
{
  StompyOnboarding *model = reset_world (FALSE);
  StompyStackRecord *record = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_SPOTAINER);
  StompyStatusPoller *poller;
  g_autoptr(StompyAccountStatus) answer = NULL;
  g_autoptr(StompyAccountStatus) settled = NULL;
  g_autoptr(GError) conflict = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autofree char *text = NULL;
  StompyStatusCheckRow *row;
  StompyStatusPanel *panel;
  guint watch_requests = 0;

  /* Guided mode, SpoTainer only, with a role Stompy cannot assume. */
  stompy_onboarding_set_account_id (model, "456789012345");
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_SPOTAINER);
  stompy_stack_record_set_role_arn (record, "arn:aws:iam::456789012345:role/StompyBrokenRole",
                                    TRUE);
  panel = make_panel ();
  poller = _stompy_status_panel_get_poller (panel);
  sign_in_to_stompy ();

  answer = connect_to_stompy (model);
  settled = follow_checks (model, &watch_requests);
  g_assert_cmpstr (settled->status, ==, "failed");

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel->stompy_group)));
  g_assert_cmpint (panel->stompy_status.mark, ==, STOMPY_STATUS_MARK_NO);
  row = _stompy_status_panel_get_check (panel, "assume_spotainer_role");
  g_assert_nonnull (row);
  g_assert_cmpuint (panel->stompy_checks->len, ==, 1);
  g_assert_cmpint (row->row.mark, ==, STOMPY_STATUS_MARK_NO);
  /* The service's own (localized) message. */
  g_assert_cmpstr (adw_action_row_get_subtitle (row->row.row), ==,
                   ((StompyAccountCheck *) g_ptr_array_index (settled->checks, 0))->message);
  g_assert_cmpstr (adw_action_row_get_subtitle (row->row.row), !=, "");

  /* An error Connect met, kept for the panel by the page: said in words,
   * and quoted with its request id for support. */
  json_object_set_string_member (details, "organization_name", "Other Corp");
  conflict = stompy_api_error_new (409, "account_already_connected", "Already connected",
                                   "req-panel-0001", details, 0);
  stompy_status_poller_set_stompy_error (poller, conflict);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel->stompy_error.row)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (panel->stompy_error.row), "Other Corp"));
  text = stompy_status_poller_describe (poller);
  assert_contains (text, "req-panel-0001");
  assert_contains (text, "account_already_connected");
  assert_contains (text, "Check assume_spotainer_role: failed — ");
  assert_contains (text, "StompyBrokenRole (pasted by the user)");
  assert_contains (text, "none (no AWS client)");

  /* Another answer from Stompy (Connect sent again) makes the error stale. */
  stompy_connection_set_status (stompy_onboarding_get_connection (model), answer);
  g_assert_null (stompy_status_poller_get_stompy_error (poller));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel->stompy_error.row)));
  g_assert_cmpint (panel->stompy_status.mark, ==, STOMPY_STATUS_MARK_CHECKING);
  g_assert_cmpint (row->row.mark, ==, STOMPY_STATUS_MARK_CHECKING);

  stompy_api_client_set_token (stompy_application_get_api_client (app), NULL);
  finalize_panel (panel);
}

static void
test_copy_details (void)
{
  StompyOnboarding *model = reset_world (TRUE);
  StompyStackRecord *record = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER);
  JsonObject *mgmt = stompy_test_aws_account (MGMT_PROFILE);
  JsonObject *session = stompy_test_aws_account (SESSION_PROFILE);
  g_autoptr(StompyAccountStatus) answer = NULL;
  g_autoptr(StompyAccountStatus) settled = NULL;
  g_autofree char *stompy_token = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *with_session = NULL;
  g_autofree char *stack_id = NULL;
  StompyStatusPanel *panel;
  StompyWindow *window;
  guint watch_requests = 0;

  stompy_onboarding_set_step (model, STOMPY_STEP_CONNECT);
  window = open_window (1280, 800);
  panel = _stompy_window_get_status_panel (window);
  if (stompy_window_get_step (window) != STOMPY_STEP_CONNECT)
    {
      close_window (window);
      g_test_skip ("No Connect page in this build");
      return;
    }
  stompy_status_poller_set_timer (_stompy_status_panel_get_poller (panel), &fake_timer, NULL);
  /* Only the panel: the sign-in page, once started, would find no Stompy
   * session in the keyring and take the window back to step 1. */
  stompy_status_panel_start (panel);
  set_up_analysaver (model, panel);
  stack_id = g_strdup (stompy_stack_record_get_stack_id (record));
  sign_in_to_stompy ();
  stompy_token = g_strdup (stompy_api_client_get_token (stompy_application_get_api_client (app)));
  answer = connect_to_stompy (model);
  settled = follow_checks (model, &watch_requests);
  SPIN_UNTIL (panel->bucket_delivered.mark == STOMPY_STATUS_MARK_YES);
  wait_settled (panel);

  /* From the header's button, as a user would. */
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (panel->copy_button)), ==,
                   "status.copy-details");
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (panel->copy_button)));
  g_signal_emit_by_name (panel->copy_button, "clicked");
  g_assert_cmpstr (_stompy_window_get_last_toast (window), ==, "Details copied");
  copied = read_clipboard (GTK_WIDGET (panel));
  g_test_message ("%s", copied);

  assert_contains (copied, "App version: " PACKAGE_VERSION);
  assert_contains (copied, " UTC\n");
  assert_contains (copied, "Account: " ACCOUNT);
  assert_contains (copied, "Identity: arn:aws:iam::" ACCOUNT ":user/ops-admin");
  assert_contains (copied, "Region: " REGION);
  assert_contains (copied, "Products: StompyAnalySaver\n");
  assert_contains (copied, "Name: " REPORT_NAME);
  assert_contains (copied, "s3://" BUCKET "/" PREFIX);
  for (guint i = 0; i < 4; i++)
    assert_contains (copied, (const char *[]) { "Includes resource IDs: yes",
                                                "Data refresh on: yes",
                                                "Hourly granularity: yes",
                                                "Amazon Athena integration: yes" }[i]);
  assert_contains (copied, "Exists: yes");
  assert_contains (copied, "Delivery policy in place: yes");
  assert_contains (copied, "Public access blocked: yes");
  assert_contains (copied, "First report delivered: yes");
  assert_contains (copied, stack_id);
  assert_contains (copied, "CREATE_COMPLETE");
  assert_contains (copied, stompy_stack_record_get_role_arn (record));
  assert_contains (copied, "Status: waiting_for_data");
  assert_contains (copied, "Check assume_analysaver_role: ok");
  assert_contains (copied, "Check read_cur_bucket: ok");

  /* No secret: not the keys the client signs with, not the Stompy token. */
  assert_no_secret (copied, json_object_get_string_member (mgmt, "secret"));
  assert_no_secret (copied, stompy_token);
  assert_no_secret (copied, stompy_test_access_key_for_profile (MGMT_PROFILE));

  /* Nor with temporary credentials and their session token. */
  {
    g_autoptr(StompyAwsCredentials) credentials = NULL;
    g_autoptr(StompyAwsClient) client = NULL;

    credentials = stompy_test_credentials_for_profile (SESSION_PROFILE);
    client = stompy_aws_client_new (stompy_application_get_session (app), credentials, REGION,
                                    NULL, NULL, NULL);

    stompy_application_set_aws_client (app, client);
  }
  gtk_widget_activate_action (GTK_WIDGET (panel), "status.copy-details", NULL);
  with_session = read_clipboard (GTK_WIDGET (panel));
  assert_no_secret (with_session, json_object_get_string_member (session, "secret"));
  assert_no_secret (with_session, json_object_get_string_member (session, "session_token"));
  assert_no_secret (with_session, stompy_token);

  stompy_api_client_set_token (stompy_application_get_api_client (app), NULL);
  close_window (window);
}

static void
test_stompy_screenshot (void)
{
  StompyOnboarding *model = reset_world (TRUE);
  g_autoptr(StompyAccountStatus) answer = NULL;
  g_autoptr(StompyAccountStatus) settled = NULL;
  StompyStatusPanel *panel;
  StompyWindow *window;
  guint watch_requests = 0;

  if (g_getenv ("STOMPY_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("STOMPY_SCREENSHOT_DIR is not set");
      return;
    }

  stompy_onboarding_set_step (model, STOMPY_STEP_CONNECT);
  window = open_window (1280, 800);
  panel = _stompy_window_get_status_panel (window);
  stompy_status_poller_set_timer (_stompy_status_panel_get_poller (panel), &fake_timer, NULL);
  stompy_status_panel_start (panel);
  set_up_analysaver (model, panel);
  sign_in_to_stompy ();
  answer = connect_to_stompy (model);
  settled = follow_checks (model, &watch_requests);
  SPIN_UNTIL (panel->bucket_delivered.mark == STOMPY_STATUS_MARK_YES);
  wait_settled (panel);

  /* Scrolled to the Stompy group, the last one. */
  {
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (
                                    GTK_WIDGET (panel->stompy_group), GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

    settle_frames (window);
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  }
  settle_frames (window);
  save_screenshot (GTK_WIDGET (window), "status-panel-stompy.png");

  stompy_api_client_set_token (stompy_application_get_api_client (app), NULL);
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/status-panel/delivery/backoff-doubles-to-five-minutes", test_delivery_backoff);
  g_test_add_func ("/status-panel/bucket-report/created-report-all-checks-then-delivered",
                   test_bucket_report_checks);
  g_test_add_func ("/status-panel/refresh/one-round-of-requests", test_refresh_one_round);
  g_test_add_func ("/status-panel/errors/network-error-in-group-and-retried",
                   test_network_error_in_group);
  g_test_add_func ("/status-panel/stack/progress-then-complete-with-role-arn",
                   test_stack_progress_complete);
  g_test_add_func ("/status-panel/stack/unchosen-product-hidden", test_unchosen_product_hidden);
  g_test_add_func ("/status-panel/guided/shown-as-not-checked", test_guided_not_checked);
  g_test_add_func ("/status-panel/window/hidden-on-first-steps", test_window_first_steps_hide_panel);
  g_test_add_func ("/status-panel/window/beside-page-or-folded", test_window_beside_and_folded);
  g_test_add_func ("/status-panel/stack/one-follower-per-stack-with-page-and-panel",
                   test_one_follower_per_stack);
  g_test_add_func ("/status-panel/stompy/hidden-before-connect-then-each-check-and-status",
                   test_stompy_hidden_then_checks);
  g_test_add_func ("/status-panel/stompy/failed-check-with-message-and-kept-error",
                   test_stompy_failed_check_and_error);
  g_test_add_func ("/status-panel/copy-details/summary-on-clipboard-without-secrets",
                   test_copy_details);
  g_test_add_func ("/status-panel/stompy/screenshot", test_stompy_screenshot);

  return g_test_run ();
}
