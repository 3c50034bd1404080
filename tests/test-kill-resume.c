/* test-kill-resume.c — the app killed with SIGKILL at each step, and in the middle of each create
 *
 * The test re-runs its own binary as the app (`--child kill|resume CASE`): a
 * child builds the real application and window against the test's emulator,
 * drives the wizard through its widgets (both products, automatic mode, a new
 * report and bucket) up to the kill point and says so on its standard output;
 * the test then kills it with SIGKILL. For the "in the middle of a create
 * call" cases the emulator holds that call (a `delay` fault) so that it is on
 * the wire when the app dies, and completes it on the server side afterwards,
 * as a real service would: the app never hears of what it created. A second
 * child, a new application on the same state file and keyring, must open at
 * the step where the first one died, with what was done shown as done, and
 * finish the flow; the emulator's creation counts show nothing made twice.
 *
 * The emulator is the parent's and outlives its children (it is the "cloud").
 * Runs under Xvfb with a private keyring (tests/with-keyring.sh), which the
 * children inherit.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "stompy-analysaver-page-private.h"
#include "stompy-application.h"
#include "stompy-aws-account-section-private.h"
#include "stompy-billing-section-private.h"
#include "stompy-connect-page-private.h"
#include "stompy-cur-section-private.h"
#include "stompy-done-page-private.h"
#include "stompy-products-page-private.h"
#include "stompy-secret-store.h"
#include "stompy-sign-in-page-private.h"
#include "stompy-spotainer-page-private.h"
#include "stompy-stompy-account-section-private.h"
#include "stompy-template-section-private.h"
#include "stompy-test-emulator.h"
#include "stompy-test-ui.h"
#include "stompy-test-util.h"
#include "stompy-window-private.h"

#define OPS_EMAIL        "ops@example.com"
#define OPS_PASSWORD     "correct horse battery staple"
#define MGMT_ACCOUNT     "210987654321"
#define MGMT_KEY_ID      "AKIAEMULATORMGMT0001"
#define MGMT_SECRET      "EmulatorMgmtSecretKey/000000000000000010"
/* Not the names the page proposes: a restart must show these, not its own. */
#define NEW_REPORT       "stompy-kill-resume-cur"
#define NEW_BUCKET       "stompy-kill-resume-" MGMT_ACCOUNT
/* Children give up on a condition after this; the parent waits a little longer. */
#define SPIN_TIMEOUT_US  (45 * G_USEC_PER_SEC)
#define PARENT_TIMEOUT_US (60 * G_USEC_PER_SEC)
/* How long the emulator holds the create call: long enough for the kill to
 * land first (the parent kills as soon as the request is counted). */
#define HOLD_MS          1500
#define LINE_PREFIX      "stompy-kill-resume: "

#define SPIN_UNTIL(cond) STOMPY_TEST_SPIN_UNTIL (cond, SPIN_TIMEOUT_US)

/* Where the app dies. */
typedef struct
{
  const char *name;       /* the test path's last part, and the children's argument */
  StompyStep  step;       /* the step it dies at */
  const char *operation;  /* the create call it dies in (an emulator operation), or NULL */
  const char *creation;   /* what that call creates (an emulator creation kind), or NULL */
} KillPoint;

static const KillPoint kill_points[] = {
  { "sign-in/idle", STOMPY_STEP_SIGN_IN, NULL, NULL },
  { "products/idle", STOMPY_STEP_PRODUCTS, NULL, NULL },
  { "analysaver/idle", STOMPY_STEP_ANALYSAVER, NULL, NULL },
  { "analysaver/in-create-bucket", STOMPY_STEP_ANALYSAVER, "s3:CreateBucket", "s3:bucket" },
  { "analysaver/in-put-bucket-policy", STOMPY_STEP_ANALYSAVER, "s3:PutBucketPolicy", NULL },
  { "analysaver/in-put-report-definition", STOMPY_STEP_ANALYSAVER, "cur:PutReportDefinition",
    "cur:report" },
  { "analysaver/in-create-stack", STOMPY_STEP_ANALYSAVER, "cloudformation:CreateStack",
    "cloudformation:stack" },
  { "spotainer/idle", STOMPY_STEP_SPOTAINER, NULL, NULL },
  { "spotainer/in-create-stack", STOMPY_STEP_SPOTAINER, "cloudformation:CreateStack",
    "cloudformation:stack" },
  { "connect/idle", STOMPY_STEP_CONNECT, NULL, NULL },
  { "connect/in-post-accounts", STOMPY_STEP_CONNECT, "stompy:POST /aws/accounts",
    "stompy:aws_account" },
};

static gboolean
is_cur_call (const KillPoint *point)
{
  return point->operation != NULL
         && (g_str_has_prefix (point->operation, "s3:") || g_str_has_prefix (point->operation, "cur:"));
}

static const KillPoint *
find_kill_point (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kill_points); i++)
    if (g_strcmp0 (kill_points[i].name, name) == 0)
      return &kill_points[i];

  g_error ("No kill point %s", name);
  return NULL;
}

/* ================================================================ the child */

static StompyApplication *app;

static StompyOnboarding *
model (void)
{
  return stompy_application_get_model (app);
}

/* A line for the parent; everything else the child prints is ignored. */
static void
tell_parent (const char *what)
{
  g_print (LINE_PREFIX "%s\n", what);
  fflush (stdout);
}

/* Keeps the app running (its main context turning) until the parent kills
 * it; gives up, failing, if nobody does. */
static G_NORETURN void
run_until_killed (void)
{
  gint64 deadline = g_get_monotonic_time () + PARENT_TIMEOUT_US;

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);

  g_error ("Nobody killed the child");
}

/* Blocks until the parent says "go" (after it has armed the emulator). */
static void
wait_for_go (void)
{
  char line[64];

  g_assert_nonnull (fgets (line, sizeof line, stdin));
  g_assert_cmpstr (g_strchomp (line), ==, "go");
}

static StompyPage *
page (StompyWindow *window,
      StompyStep    step)
{
  StompyPage *result = _stompy_window_get_page (window, step);

  g_assert_nonnull (result);
  return result;
}

static const char *
indicator (StompyWindow *window,
           StompyStep    step)
{
  return stompy_step_indicator_get_item_state (window->step_indicator, step);
}

static void
go_on (StompyWindow *window,
       StompyStep    expected)
{
  SPIN_UNTIL (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)) && !window->submitting);
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == expected && !window->submitting);
  g_assert_true (gtk_stack_get_visible_child (window->stack) == GTK_WIDGET (page (window, expected)));
}

/* The progress on disk, as the next start reads it. */
static StompyOnboarding *
load_saved (void)
{
  StompyOnboarding *saved = stompy_onboarding_new (NULL);

  stompy_onboarding_set_autosave (saved, FALSE);
  stompy_onboarding_load (saved, NULL);
  return saved;
}

static gboolean
saved_at (StompyStep step)
{
  g_autoptr(StompyOnboarding) saved = load_saved ();

  return stompy_onboarding_get_step (saved) == step
         && g_strcmp0 (stompy_onboarding_get_account_id (saved), MGMT_ACCOUNT) == 0;
}

/* The pollers' clock, ten times as fast as the real one: a stack followed
 * every few seconds is seen complete sooner. What is tested does not depend
 * on how long the app waits between looks. */
#define FAST_CLOCK 10

static gint64
fast_now (gpointer user_data)
{
  return g_get_monotonic_time () * FAST_CLOCK;
}

static gpointer
fast_schedule (guint       delay_ms,
               GSourceFunc func,
               gpointer    func_data,
               gpointer    user_data)
{
  GSource *source = g_timeout_source_new (delay_ms / FAST_CLOCK);

  g_source_set_callback (source, func, func_data, NULL);
  g_source_attach (source, NULL);
  /* One-shot: the context's reference is the only one, and a handle is only
   * cancelled while its source is pending. */
  g_source_unref (source);
  return source;
}

static void
fast_cancel (gpointer handle,
             gpointer user_data)
{
  g_source_destroy (handle);
}

static const StompyStackWatchTimer fast_timer = { fast_now, fast_schedule, fast_cancel };

static void
start_app (void)
{
  g_autoptr(GError) error = NULL;

  app = stompy_application_new ();
  /* Each child is an instance of its own, beside the one it replaces. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (stompy_application_get_api_client (app));
  stompy_status_poller_set_timer (stompy_application_get_status_poller (app), &fast_timer, NULL);
}

static StompyWindow *
open_window (void)
{
  StompyWindow *window = stompy_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_present (GTK_WINDOW (window));
  stompy_window_start (window);
  return window;
}

/* No token and no remembered key from an earlier case in this keyring. */
static void
clear_keyring (void)
{
  StompyApiClient *client = stompy_application_get_api_client (app);
  GAsyncResult *result = NULL;

  stompy_secret_store_clear_token_async (stompy_api_client_get_base_url (client), NULL,
                                         stompy_test_store_result_cb, &result);
  SPIN_UNTIL (result != NULL);
  g_assert_true (stompy_secret_store_clear_token_finish (result, NULL));
  g_clear_object (&result);

  stompy_secret_store_clear_aws_async (MGMT_KEY_ID, NULL, stompy_test_store_result_cb, &result);
  SPIN_UNTIL (result != NULL);
  g_assert_true (stompy_secret_store_clear_aws_finish (result, NULL));
  g_clear_object (&result);
}

static void
sign_in (StompyWindow *window)
{
  StompySignInPage *sign_in_page = STOMPY_SIGN_IN_PAGE (page (window, STOMPY_STEP_SIGN_IN));
  StompyStompyAccountSection *stompy = sign_in_page->stompy_section;
  StompyAwsAccountSection *aws = sign_in_page->aws_section;

  SPIN_UNTIL (!stompy->checking_session);
  stompy_test_set_text (stompy->email_row, OPS_EMAIL);
  stompy_test_set_text (stompy->password_row, OPS_PASSWORD);
  stompy_test_click (stompy->sign_in_button);
  SPIN_UNTIL (!stompy->signing_in);
  g_assert_true (stompy->signed_in);
  SPIN_UNTIL (!stompy->saving_token);

  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_TYPED);
  stompy_test_set_text (aws->access_key_row, MGMT_KEY_ID);
  stompy_test_set_text (aws->secret_row, MGMT_SECRET);
  gtk_switch_set_active (aws->remember_switch, TRUE);
  stompy_test_click (aws->verify_button);
  SPIN_UNTIL (!aws->verifying && !aws->saving);
  g_assert_nonnull (stompy_onboarding_get_identity (model ()));
}

/* The CUR section's new report: its names typed in, or (@typed FALSE) shown
 * already, as a Create the app died in left them. */
static void
fill_new_report (StompyCurSection *cur,
                 gboolean          typed)
{
  SPIN_UNTIL (cur->reports_loaded && !cur->loading);
  if (typed)
    {
      gtk_toggle_button_set_active (cur->new_toggle, TRUE);
      stompy_test_set_text (cur->report_name_row, NEW_REPORT);
      stompy_test_set_text (cur->bucket_row, NEW_BUCKET);
    }
  g_assert_cmpstr (_stompy_cur_section_get_mode (cur), ==, "new");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cur->report_name_row)), ==, NEW_REPORT);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cur->bucket_row)), ==, NEW_BUCKET);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cur->prefix_row)), ==, "cur");
  gtk_check_button_set_active (cur->policy_check, TRUE);
}

static void
finish_new_report (StompyCurSection *cur)
{
  SPIN_UNTIL (!cur->creating);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cur->create_error_label)));
  g_assert_true (stompy_cur_choice_is_complete (stompy_onboarding_get_cur_choice (model ())));
  g_assert_cmpstr (stompy_cur_choice_get_report_name (stompy_onboarding_get_cur_choice (model ())), ==,
                   NEW_REPORT);
  g_assert_cmpstr (stompy_cur_choice_get_bucket (stompy_onboarding_get_cur_choice (model ())), ==,
                   NEW_BUCKET);
}

static void
prepare_stack (StompyTemplateSection *section)
{
  SPIN_UNTIL (section->template != NULL && !section->loading && !section->creating
              && !section->following);
  gtk_check_button_set_active (section->ack_check, TRUE);
}

static void
finish_stack (StompyTemplateSection *section)
{
  SPIN_UNTIL (stompy_stack_record_is_complete (section->record) && !section->following
              && !section->creating);
  g_assert_cmpstr (stompy_stack_record_get_status (section->record), ==, "CREATE_COMPLETE");
}

/* Clicks Create of @section when its stack is not complete yet (a stack
 * followed after the restart completes by itself), and waits for it. */
static void
complete_stack (StompyTemplateSection *section)
{
  prepare_stack (section);
  if (!stompy_stack_record_is_complete (section->record))
    stompy_test_click (section->create_button);
  finish_stack (section);
}

/* Dies here, idle, once the step is on disk. */
static G_NORETURN void
die_idle (StompyStep step)
{
  SPIN_UNTIL (saved_at (step));
  tell_parent ("ready");
  run_until_killed ();
}

/* Dies in the call that @button starts. */
static G_NORETURN void
die_in (gpointer button)
{
  tell_parent ("ready");
  wait_for_go ();
  stompy_test_click (button);
  run_until_killed ();
}

/* The first run: from nothing to the kill point. */
static int
child_kill (const KillPoint *point)
{
  StompyWindow *window;
  StompyAnalysaverPage *analysaver;
  StompySpotainerPage *spotainer;
  StompyConnectPage *connect;

  start_app ();
  clear_keyring ();
  window = open_window ();

  sign_in (window);
  if (point->step == STOMPY_STEP_SIGN_IN)
    die_idle (STOMPY_STEP_SIGN_IN);
  go_on (window, STOMPY_STEP_PRODUCTS);

  if (point->step == STOMPY_STEP_PRODUCTS)
    die_idle (STOMPY_STEP_PRODUCTS);
  gtk_check_button_set_active (STOMPY_PRODUCTS_PAGE (page (window, STOMPY_STEP_PRODUCTS))->analysaver_check,
                               TRUE);
  gtk_check_button_set_active (STOMPY_PRODUCTS_PAGE (page (window, STOMPY_STEP_PRODUCTS))->spotainer_check,
                               TRUE);
  go_on (window, STOMPY_STEP_ANALYSAVER);

  if (point->step == STOMPY_STEP_ANALYSAVER && point->operation == NULL)
    die_idle (STOMPY_STEP_ANALYSAVER);
  analysaver = STOMPY_ANALYSAVER_PAGE (page (window, STOMPY_STEP_ANALYSAVER));
  gtk_switch_set_active (analysaver->billing_section->confirm_switch, TRUE);
  fill_new_report (analysaver->cur_section, TRUE);
  if (is_cur_call (point))
    die_in (analysaver->cur_section->create_button);
  stompy_test_click (analysaver->cur_section->create_button);
  finish_new_report (analysaver->cur_section);
  prepare_stack (analysaver->template_section);
  if (point->step == STOMPY_STEP_ANALYSAVER)
    die_in (analysaver->template_section->create_button);
  stompy_test_click (analysaver->template_section->create_button);
  finish_stack (analysaver->template_section);
  go_on (window, STOMPY_STEP_SPOTAINER);

  if (point->step == STOMPY_STEP_SPOTAINER && point->operation == NULL)
    die_idle (STOMPY_STEP_SPOTAINER);
  spotainer = STOMPY_SPOTAINER_PAGE (page (window, STOMPY_STEP_SPOTAINER));
  prepare_stack (spotainer->template_section);
  if (point->step == STOMPY_STEP_SPOTAINER)
    die_in (spotainer->template_section->create_button);
  stompy_test_click (spotainer->template_section->create_button);
  finish_stack (spotainer->template_section);
  go_on (window, STOMPY_STEP_CONNECT);

  if (point->operation == NULL)
    die_idle (STOMPY_STEP_CONNECT);
  connect = STOMPY_CONNECT_PAGE (page (window, STOMPY_STEP_CONNECT));
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (connect)) == STOMPY_PAGE_STATE_READY);
  die_in (window->primary_button);
}

/* The second run: back at @point's step, with what was done shown, and on to the end. */
static int
child_resume (const KillPoint *point)
{
  StompyWindow *window;
  StompyApiClient *api;
  StompyAnalysaverPage *analysaver;
  StompySpotainerPage *spotainer;
  StompyConnectPage *connect;
  StompyDonePage *done;

  start_app ();
  api = stompy_application_get_api_client (app);
  window = open_window ();

  /* The step it died at, from the first frame. */
  g_assert_cmpint (stompy_window_get_step (window), ==, point->step);
  g_assert_true (gtk_stack_get_visible_child (window->stack)
                 == GTK_WIDGET (page (window, point->step)));
  g_assert_cmpstr (indicator (window, point->step), ==, "current");
  for (StompyStep step = STOMPY_STEP_SIGN_IN; step < point->step; step++)
    g_assert_cmpstr (indicator (window, step), ==, "done");

  /* Signed in to Stompy again from the keyring. */
  SPIN_UNTIL (stompy_api_client_get_token (api) != NULL);
  g_assert_cmpstr (stompy_onboarding_get_account_id (model ()), ==, MGMT_ACCOUNT);

  if (point->step == STOMPY_STEP_SIGN_IN)
    {
      StompyAwsAccountSection *aws =
        STOMPY_SIGN_IN_PAGE (page (window, STOMPY_STEP_SIGN_IN))->aws_section;

      /* The key is remembered when the step is confirmed (Continue), which it
       * never was: its id is back, the secret is typed again. */
      SPIN_UNTIL (stompy_sign_in_page_get_signed_in (STOMPY_SIGN_IN_PAGE (page (window, STOMPY_STEP_SIGN_IN))));
      g_assert_cmpint (adw_combo_row_get_selected (aws->source_row), ==, STOMPY_CREDENTIAL_SOURCE_TYPED);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (aws->access_key_row)), ==, MGMT_KEY_ID);
      stompy_test_set_text (aws->secret_row, MGMT_SECRET);
      gtk_switch_set_active (aws->remember_switch, TRUE);
      stompy_test_click (aws->verify_button);
      SPIN_UNTIL (!aws->verifying);
      go_on (window, STOMPY_STEP_PRODUCTS);
    }
  /* And the remembered AWS key. */
  SPIN_UNTIL (stompy_application_get_aws_client (app) != NULL);
  g_assert_cmpint (stompy_window_get_step (window), ==,
                   MAX (point->step, STOMPY_STEP_PRODUCTS));

  if (point->step <= STOMPY_STEP_PRODUCTS)
    {
      StompyProductsPage *products = STOMPY_PRODUCTS_PAGE (page (window, STOMPY_STEP_PRODUCTS));

      gtk_check_button_set_active (products->analysaver_check, TRUE);
      gtk_check_button_set_active (products->spotainer_check, TRUE);
      go_on (window, STOMPY_STEP_ANALYSAVER);
    }
  else
    {
      g_assert_cmpint (stompy_onboarding_get_products (model ()), ==,
                       STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
    }

  if (point->step <= STOMPY_STEP_ANALYSAVER)
    {
      StompyCurSection *cur;

      analysaver = STOMPY_ANALYSAVER_PAGE (page (window, STOMPY_STEP_ANALYSAVER));
      cur = analysaver->cur_section;
      if (point->operation != NULL)
        g_assert_true (gtk_switch_get_active (analysaver->billing_section->confirm_switch));
      gtk_switch_set_active (analysaver->billing_section->confirm_switch, TRUE);

      if (point->step == STOMPY_STEP_ANALYSAVER && point->operation != NULL && !is_cur_call (point))
        {
          /* Died creating the stack: the report is done, and shown so. */
          SPIN_UNTIL (!cur->loading && !cur->checking_bucket);
          g_assert_true (stompy_section_get_ready (STOMPY_SECTION (cur)));
          g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->done_label)));
          g_assert_true (gtk_check_button_get_active (analysaver->template_section->ack_check));
        }
      else
        {
          g_assert_false (stompy_cur_choice_is_complete (stompy_onboarding_get_cur_choice (model ())));
          fill_new_report (cur, !is_cur_call (point));
          stompy_test_click (cur->create_button);
          finish_new_report (cur);
          /* What the killed run had made is found and reused, not made again. */
          if (g_strcmp0 (point->operation, "s3:CreateBucket") == 0)
            g_assert_cmpint (cur->step_states[0], ==, STOMPY_CUR_STEP_REUSED);
          if (g_strcmp0 (point->operation, "cur:PutReportDefinition") == 0)
            {
              g_assert_cmpint (cur->step_states[0], ==, STOMPY_CUR_STEP_REUSED);
              g_assert_cmpint (cur->step_states[3], ==, STOMPY_CUR_STEP_REUSED);
            }
        }
      complete_stack (analysaver->template_section);
      go_on (window, STOMPY_STEP_SPOTAINER);
    }

  if (point->step <= STOMPY_STEP_SPOTAINER)
    {
      spotainer = STOMPY_SPOTAINER_PAGE (page (window, STOMPY_STEP_SPOTAINER));
      if (point->step == STOMPY_STEP_SPOTAINER)
        {
          g_assert_true (stompy_stack_record_is_complete (
            stompy_onboarding_get_stack (model (), STOMPY_PRODUCT_ANALYSAVER)));
          if (point->operation != NULL)
            g_assert_true (gtk_check_button_get_active (spotainer->template_section->ack_check));
        }
      complete_stack (spotainer->template_section);
      go_on (window, STOMPY_STEP_CONNECT);
    }

  connect = STOMPY_CONNECT_PAGE (page (window, STOMPY_STEP_CONNECT));
  if (point->operation != NULL && point->step == STOMPY_STEP_CONNECT)
    {
      /* Sent, never answered: the page sends it again (same key) by itself. */
      SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_DONE && !window->submitting);
    }
  else
    {
      SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (connect)) == STOMPY_PAGE_STATE_READY);
      g_assert_nonnull (_stompy_connect_page_get_summary_row (connect, _("AnalySaver Role")));
      g_assert_nonnull (_stompy_connect_page_get_summary_row (connect, _("SpoTainer Role")));
      stompy_test_click (window->primary_button);
      SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_DONE && !window->submitting);
    }

  done = STOMPY_DONE_PAGE (page (window, STOMPY_STEP_DONE));
  g_assert_true (gtk_stack_get_visible_child (window->stack) == GTK_WIDGET (done));
  g_assert_cmpstr (adw_status_page_get_title (done->status_page), ==, _("Connected"));
  g_assert_true (stompy_test_contains (adw_status_page_get_description (done->status_page),
                                       MGMT_ACCOUNT));

  /* Closed as a user closes it, so that the end is saved as such. */
  gtk_window_close (GTK_WINDOW (window));
  g_signal_emit_by_name (app, "shutdown");
  tell_parent ("done");
  return 0;
}

static int
child_main (int    argc,
            char **argv)
{
  char *child_argv[] = { argv[0], NULL };
  char **child_argvp = child_argv;
  int child_argc = 1;
  const KillPoint *point;

  g_assert (argc == 4);
  point = find_kill_point (argv[3]);
  stompy_test_ui_init (&child_argc, &child_argvp);

  if (g_strcmp0 (argv[2], "kill") == 0)
    return child_kill (point);
  if (g_strcmp0 (argv[2], "resume") == 0)
    return child_resume (point);

  g_error ("Unknown child mode %s", argv[2]);
  return 1;
}

/* =============================================================== the parent */

static StompyTestEmulator *emulator;

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
} Child;

static void
child_start (Child           *child,
             const char      *state_home,
             const char      *mode,
             const KillPoint *point)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);

  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* A state file per case; the keyring, the display and the emulator are shared. */
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state_home, TRUE);
  /* The waits of the pollers the test does not reach (the Connect page's),
   * shortened where the default timer honours it (see stompy-poll-timer.c). */
  g_subprocess_launcher_setenv (launcher, "STOMPY_POLL_SPEEDUP", "10", TRUE);
  /* A process killed with SIGKILL never reaches LeakSanitizer's check at
   * exit, so in a sanitizer build it need not pay for the deep stack of
   * every allocation (the resumed one, which exits, keeps them). */
  if (g_strcmp0 (mode, "kill") == 0 && g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_autofree char *options = g_strconcat (g_getenv ("ASAN_OPTIONS"),
                                              ":fast_unwind_on_malloc=1", NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  child->process = g_subprocess_launcher_spawn (launcher, &error, self_exe, "--child", mode,
                                                point->name, NULL);
  g_assert_no_error (error);
  child->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
}

/* The child's next protocol line (NULL when it ended without one). */
static char *
child_read (Child *child)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (child->out, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        return NULL;
      if (g_str_has_prefix (line, LINE_PREFIX))
        return g_strdup (line + strlen (LINE_PREFIX));
    }
}

static void
child_expect (Child      *child,
              const char *expected)
{
  g_autofree char *line = child_read (child);

  g_assert_cmpstr (line, ==, expected);
}

static void
child_clear (Child *child)
{
  g_clear_object (&child->out);
  g_clear_object (&child->process);
}

static void
kill_child (Child *child)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (child->process, SIGKILL);
  g_subprocess_wait (child->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child->process));
  g_assert_cmpint (g_subprocess_get_term_sig (child->process), ==, SIGKILL);
}

static void
wait_until_count (const char *operation,
                  gint64      at_least)
{
  gint64 deadline = g_get_monotonic_time () + PARENT_TIMEOUT_US;

  while (stompy_test_emulator_count_requests (emulator, operation) < at_least)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s was never sent", operation);
      g_usleep (5000);
    }
}

static void
wait_until_created (const char *kind,
                    gint64      at_least)
{
  gint64 deadline = g_get_monotonic_time () + PARENT_TIMEOUT_US;

  while (stompy_test_creations (emulator, kind) < at_least)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The held call never created its %s", kind);
      g_usleep (5000);
    }
}

static StompyOnboarding *
load_state (const char *state_home)
{
  g_autofree char *path = g_build_filename (state_home, "stompy-connect", "state.json", NULL);
  g_autoptr(StompyOnboarding) saved = stompy_onboarding_new (path);
  g_autoptr(GError) error = NULL;

  stompy_onboarding_set_autosave (saved, FALSE);
  g_assert_true (stompy_onboarding_load (saved, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&saved);
}

/* The CloudFormation ClientRequestToken or the Stompy Idempotency-Key that
 * @saved holds for @point's call, or NULL for another call. */
static const char *
request_token (StompyOnboarding *saved,
               const KillPoint  *point)
{
  if (g_strcmp0 (point->operation, "cloudformation:CreateStack") == 0)
    {
      StompyProducts product = point->step == STOMPY_STEP_ANALYSAVER ? STOMPY_PRODUCT_ANALYSAVER
                                                                     : STOMPY_PRODUCT_SPOTAINER;

      return stompy_stack_record_get_client_request_token (stompy_onboarding_get_stack (saved, product));
    }
  if (g_strcmp0 (point->operation, "stompy:POST /aws/accounts") == 0)
    return stompy_connection_get_idempotency_key (stompy_onboarding_get_connection (saved));

  return NULL;
}

/* What the killed run left on disk with its call on the wire: the step, and
 * the token or key that lets the next run send the same request again
 * (returned), saved before the call and with no answer recorded. */
static char *
assert_saved_before_call (const char      *state_home,
                          const KillPoint *point)
{
  g_autoptr(StompyOnboarding) saved = load_state (state_home);

  g_assert_cmpint (stompy_onboarding_get_step (saved), ==, point->step);

  if (g_strcmp0 (point->operation, "cloudformation:CreateStack") == 0)
    {
      StompyProducts product = point->step == STOMPY_STEP_ANALYSAVER ? STOMPY_PRODUCT_ANALYSAVER
                                                                     : STOMPY_PRODUCT_SPOTAINER;

      g_assert_null (stompy_stack_record_get_stack_id (stompy_onboarding_get_stack (saved, product)));
      g_assert_nonnull (request_token (saved, point));
    }
  else if (point->step == STOMPY_STEP_CONNECT)
    {
      StompyConnection *connection = stompy_onboarding_get_connection (saved);

      g_assert_true (stompy_connection_get_submitted (connection));
      g_assert_null (stompy_connection_get_status (connection));
      g_assert_nonnull (request_token (saved, point));
    }
  else
    {
      StompyCurChoice *cur = stompy_onboarding_get_cur_choice (saved);

      g_assert_true (stompy_cur_choice_get_billing_access_confirmed (cur));
      /* The names asked for, not yet a chosen report. */
      g_assert_false (stompy_cur_choice_is_complete (cur));
      g_assert_cmpstr (stompy_cur_choice_get_report_name (cur), ==, NEW_REPORT);
      g_assert_cmpstr (stompy_cur_choice_get_bucket (cur), ==, NEW_BUCKET);
    }

  return g_strdup (request_token (saved, point));
}

static void
test_kill_and_resume (gconstpointer data)
{
  const KillPoint *point = data;
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "reset", "{}");
  g_autoptr(GError) error = NULL;
  g_autofree char *state_home = g_dir_make_tmp ("stompy-kill-resume-XXXXXX", &error);
  Child child = { NULL, };
  g_autofree char *token = NULL;
  g_autoptr(StompyOnboarding) final = NULL;
  gint64 sent = 0;

  g_assert_no_error (error);

  /* The first run, killed. */
  child_start (&child, state_home, "kill", point);
  child_expect (&child, "ready");
  if (point->operation != NULL)
    {
      g_autofree char *fault = g_strdup_printf ("{\"target\": \"%s\", \"kind\": \"delay\","
                                                " \"delay_ms\": %d}", point->operation, HOLD_MS);
      g_autoptr(JsonNode) armed = stompy_test_emulator_control (emulator, "faults", fault);

      sent = stompy_test_emulator_count_requests (emulator, point->operation);
      g_assert_true (g_output_stream_write_all (g_subprocess_get_stdin_pipe (child.process),
                                                "go\n", 3, NULL, NULL, &error));
      g_assert_no_error (error);
      /* Counted when it arrives, before it is held: it is on the wire now. */
      wait_until_count (point->operation, sent + 1);
    }
  kill_child (&child);
  child_clear (&child);

  if (point->operation != NULL)
    {
      token = assert_saved_before_call (state_home, point);
      /* The service finishes what the dead app asked for (the fault was for
       * that one call: the next run's calls are answered at once). */
      if (point->creation != NULL)
        wait_until_created (point->creation,
                            g_strcmp0 (point->creation, "cloudformation:stack") == 0
                            && point->step == STOMPY_STEP_SPOTAINER ? 2 : 1);
    }

  /* The second run, on the same state file and keyring, to the end. */
  child_start (&child, state_home, "resume", point);
  child_expect (&child, "done");
  g_subprocess_wait_check (child.process, NULL, &error);
  g_assert_no_error (error);
  child_clear (&child);

  /* The dead run's request was sent again as the same request. */
  final = load_state (state_home);
  g_assert_cmpint (stompy_onboarding_get_step (final), ==, STOMPY_STEP_DONE);
  g_assert_cmpstr (request_token (final, point), ==, token);

  /* One of each, whatever the kill point. */
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "s3:bucket"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "cur:report"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 2);

  stompy_test_remove_tree (state_home);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (argc > 1 && g_strcmp0 (argv[1], "--child") == 0)
    return child_main (argc, argv);

  stompy_test_ui_init (&argc, &argv);

  emulator = stompy_test_emulator_start ();
  /* The children's endpoints; each child reads them at its start. */
  g_setenv ("AWS_ENDPOINT_URL", stompy_test_emulator_get_url (emulator), TRUE);
  g_setenv ("STOMPY_API_URL", stompy_test_emulator_get_api_url (emulator), TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (kill_points); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kill-resume/%s", kill_points[i].name);

      g_test_add_data_func (path, &kill_points[i], test_kill_and_resume);
    }

  status = g_test_run ();

  g_clear_pointer (&emulator, stompy_test_emulator_stop);

  return status;
}
