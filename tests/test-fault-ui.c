/* test-fault-ui.c — a call that keeps failing, then retried in the same window
 *
 * The UI side of the fault matrix (tests/test-fault-matrix.c runs every call
 * under every fault through the CLI): for each page that makes a call the
 * user starts — Verify on the sign-in page (sts:GetCallerIdentity), Create
 * stack on the AnalySaver page (cloudformation:CreateStack), Connect
 * (stompy:POST /aws/accounts) — a persistent fault makes the call fail after
 * its retries; the page shows the message at that step and stays there; the
 * faults are cleared and the user presses the same button again in the same
 * window, and the flow goes on to Done. The emulator's counts show nothing
 * made twice.
 */
#include "config.h"

#include <string.h>

#include "stompy-analysaver-page-private.h"
#include "stompy-application.h"
#include "stompy-aws-account-section-private.h"
#include "stompy-billing-section-private.h"
#include "stompy-connect-page-private.h"
#include "stompy-cur-section-private.h"
#include "stompy-products-page-private.h"
#include "stompy-secret-store.h"
#include "stompy-sign-in-page-private.h"
#include "stompy-stompy-account-section-private.h"
#include "stompy-template-section-private.h"
#include "stompy-test-emulator.h"
#include "stompy-test-ui.h"
#include "stompy-test-util.h"
#include "stompy-window-private.h"

#define OPS_EMAIL       "ops@example.com"
#define OPS_PASSWORD    "correct horse battery staple"
#define MGMT_KEY_ID     "AKIAEMULATORMGMT0001"
#define MGMT_SECRET     "EmulatorMgmtSecretKey/000000000000000010"
#define READY_REPORT    "stompy-ready-cur"
#define SPIN_TIMEOUT_US (60 * G_USEC_PER_SEC)
#define SPIN_UNTIL(cond) STOMPY_TEST_SPIN_UNTIL (cond, SPIN_TIMEOUT_US)

static StompyTestEmulator *emulator;
static StompyApplication *app;

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

static StompyOnboarding *
model (void)
{
  return stompy_application_get_model (get_app ());
}

/* A persistent fault: more requests than any retries make. */
static void
fault (const char *target,
       const char *kind)
{
  g_autofree char *json = g_strdup_printf ("{\"target\": \"%s\", \"kind\": \"%s\", "
                                           "\"count\": 1000}", target, kind);
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "faults", json);
}

static gboolean
label_shows (GtkLabel *label)
{
  const char *text = gtk_label_get_label (label);

  return gtk_widget_get_visible (GTK_WIDGET (label)) && text != NULL && *text != '\0';
}

static void
go_on (StompyWindow *window,
       StompyStep    expected)
{
  SPIN_UNTIL (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == expected && !window->submitting);
}

/* Sign-in page: Verify fails while STS does; the message is on the page;
 * Verify again once it answers. */
static void
sign_in_with_failing_verify (StompyWindow *window)
{
  StompySignInPage *page = STOMPY_SIGN_IN_PAGE (_stompy_window_get_page (window,
                                                                         STOMPY_STEP_SIGN_IN));
  StompyStompyAccountSection *stompy = page->stompy_section;
  StompyAwsAccountSection *aws = page->aws_section;

  SPIN_UNTIL (!stompy->checking_session);
  stompy_test_set_text (stompy->email_row, OPS_EMAIL);
  stompy_test_set_text (stompy->password_row, OPS_PASSWORD);
  stompy_test_click (stompy->sign_in_button);
  SPIN_UNTIL (!stompy->signing_in);
  g_assert_true (stompy->signed_in);
  SPIN_UNTIL (!stompy->saving_token);

  fault ("sts:GetCallerIdentity", "http503");
  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_TYPED);
  stompy_test_set_text (aws->access_key_row, MGMT_KEY_ID);
  stompy_test_set_text (aws->secret_row, MGMT_SECRET);
  stompy_test_click (aws->verify_button);
  SPIN_UNTIL (!aws->verifying);
  g_assert_true (label_shows (aws->error_label));
  g_test_message ("sign-in page: %s", gtk_label_get_label (aws->error_label));
  g_assert_null (stompy_onboarding_get_identity (model ()));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_SIGN_IN);

  stompy_test_emulator_clear_faults (emulator);
  stompy_test_click (aws->verify_button);
  SPIN_UNTIL (!aws->verifying);
  g_assert_nonnull (stompy_onboarding_get_identity (model ()));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (aws->error_label)));
}

/* AnalySaver page: Create stack fails while CloudFormation does; the message
 * is in the template section; Create again once it answers. */
static void
analysaver_with_failing_create (StompyWindow *window)
{
  StompyAnalysaverPage *page =
    STOMPY_ANALYSAVER_PAGE (_stompy_window_get_page (window, STOMPY_STEP_ANALYSAVER));
  StompyCurSection *cur = page->cur_section;
  StompyTemplateSection *section = page->template_section;

  gtk_switch_set_active (page->billing_section->confirm_switch, TRUE);
  SPIN_UNTIL (cur->reports_loaded && !cur->loading);
  g_signal_emit_by_name (cur->report_list, "row-activated",
                         _stompy_cur_section_get_report_row (cur, READY_REPORT));
  SPIN_UNTIL (!cur->checking_bucket);
  SPIN_UNTIL (section->template != NULL && !section->loading);
  gtk_check_button_set_active (section->ack_check, TRUE);

  fault ("cloudformation:CreateStack", "http500");
  stompy_test_click (section->create_button);
  SPIN_UNTIL (!section->creating && !section->following);
  g_assert_true (label_shows (section->error_label));
  g_test_message ("AnalySaver page: %s", gtk_label_get_label (section->error_label));
  g_assert_false (stompy_stack_record_is_complete (section->record));
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_ANALYSAVER);
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 0);

  stompy_test_emulator_clear_faults (emulator);
  stompy_test_click (section->create_button);
  SPIN_UNTIL (stompy_stack_record_is_complete (section->record) && !section->following
              && !section->creating);
  g_assert_cmpstr (stompy_stack_record_get_status (section->record), ==, "CREATE_COMPLETE");
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 1);
}

/* Connect page: Connect fails while Stompy does; the message is on the page;
 * Connect again once it answers, and the flow reaches Done. */
static void
connect_with_failing_post (StompyWindow *window)
{
  StompyConnectPage *page = STOMPY_CONNECT_PAGE (_stompy_window_get_page (window,
                                                                          STOMPY_STEP_CONNECT));

  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);
  fault ("stompy:POST /aws/accounts", "http503");
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (!window->submitting);
  g_assert_true (gtk_widget_get_visible (page->error_box));
  g_assert_true (label_shows (page->error_label));
  g_test_message ("Connect page: %s", gtk_label_get_label (page->error_label));
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_CONNECT);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 0);

  stompy_test_emulator_clear_faults (emulator);
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_DONE && !window->submitting);
  g_assert_cmpint (stompy_onboarding_get_step (model ()), ==, STOMPY_STEP_DONE);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);
}

static void
test_each_page_retries_in_the_same_window (void)
{
  StompyWindow *window;

  get_app ();
  window = stompy_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_present (GTK_WINDOW (window));
  stompy_window_start (window);

  sign_in_with_failing_verify (window);
  go_on (window, STOMPY_STEP_PRODUCTS);
  gtk_check_button_set_active (STOMPY_PRODUCTS_PAGE (_stompy_window_get_page (window,
                                 STOMPY_STEP_PRODUCTS))->analysaver_check, TRUE);
  gtk_check_button_set_active (STOMPY_PRODUCTS_PAGE (_stompy_window_get_page (window,
                                 STOMPY_STEP_PRODUCTS))->spotainer_check, FALSE);
  go_on (window, STOMPY_STEP_ANALYSAVER);
  analysaver_with_failing_create (window);
  go_on (window, STOMPY_STEP_CONNECT);
  connect_with_failing_post (window);

  /* One of each, although every failing call was sent several times. */
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:CreateStack"),
                   >=, 4);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  stompy_test_ui_init (&argc, &argv);

  g_test_add_func ("/fault-ui/persistent-fault-at-each-page-then-retry-in-the-same-window",
                   test_each_page_retries_in_the_same_window);

  status = g_test_run ();

  stompy_test_ui_shutdown (&app, &emulator);

  return status;
}
