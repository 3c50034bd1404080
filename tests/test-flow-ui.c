/* test-flow-ui.c — the whole wizard, from signing in to Connected, driven through its widgets
 *
 * Runs under Xvfb with a private keyring (tests/with-keyring.sh) against the
 * project's emulator: the real window, as a user drives it, in automatic
 * mode (keys typed in, stacks created by the app) and in guided mode (an
 * account id typed, names and RoleArns pasted), for each product choice;
 * Back; a restart at the AnalySaver step and at the Connect step; and the
 * outcomes of Connect (a failed check, an account connected elsewhere, a
 * user who is not an administrator, a session that expires mid-flow). The
 * emulator's counts show that nothing is created twice.
 *
 * With STOMPY_SCREENSHOT_DIR set, the windows are saved there as PNG files.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

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
#include "stompy-status-panel-private.h"
#include "stompy-stompy-account-section-private.h"
#include "stompy-template-section-private.h"
#include "stompy-test-emulator.h"
#include "stompy-test-ui.h"
#include "stompy-test-util.h"
#include "stompy-window-private.h"

#define OPS_EMAIL        "ops@example.com"
#define OPS_PASSWORD     "correct horse battery staple"
#define VIEWER_EMAIL     "viewer@example.com"
#define VIEWER_PASSWORD  "viewer password 1"
#define MGMT_ACCOUNT     "210987654321"
#define MGMT_KEY_ID      "AKIAEMULATORMGMT0001"
#define MGMT_SECRET      "EmulatorMgmtSecretKey/000000000000000010"
#define SOLO_ACCOUNT     "456789012345"
#define ELSEWHERE        "999988887777"
#define READY_REPORT     "stompy-ready-cur"
#define READY_BUCKET     "stompy-existing-cur-210987654321"
#define SPIN_TIMEOUT_US  (60 * G_USEC_PER_SEC)

static StompyTestEmulator *emulator;
static StompyApplication *app;
static guint restarts;

/* ------------------------------------------------------------------ helpers */

#define SPIN_UNTIL(cond) STOMPY_TEST_SPIN_UNTIL (cond, SPIN_TIMEOUT_US)

static StompyApplication *
get_app (void)
{
  if (app != NULL)
    return app;

  if (emulator == NULL)
    {
      emulator = stompy_test_emulator_start ();
      stompy_test_point_at_emulator (emulator);
    }

  /* A restarted instance beside the one it replaces (see quit_app()). */
  if (restarts > 0)
    {
      g_autofree char *id = g_strdup_printf ("io.stompy.Connect.Restart%u", restarts);

      app = stompy_test_application_new (id);
    }
  else
    {
      app = stompy_test_application_new (NULL);
    }

  return app;
}

static StompyOnboarding *
model (void)
{
  return stompy_application_get_model (get_app ());
}

/* Quits as the application does (its shutdown stops its work and writes the
 * state file) and forgets it: the next get_app() is a new start on the same
 * state file. The old instance is kept, not finalized: GApplication expects
 * g_application_run() to unregister it from D-Bus before it goes (and warns
 * otherwise), and its D-Bus objects keep the application id taken. */
static void
quit_app (void)
{
  static GPtrArray *retired;

  if (retired == NULL)
    retired = g_ptr_array_new ();
  g_signal_emit_by_name (app, "shutdown");
  g_ptr_array_add (retired, g_steal_pointer (&app));
  restarts++;
}

/* Every test starts from nothing: no saved progress, no token, no remembered
 * key, and the emulator as its fixtures say. */
static void
reset_world (void)
{
  /* get_app() starts the emulator on first use. */
  StompyApplication *application = get_app ();

  stompy_test_reset_world (application, emulator, MGMT_KEY_ID);
}

static StompyWindow *
open_window (void)
{
  StompyWindow *window = stompy_window_new (get_app ());

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_present (GTK_WINDOW (window));
  stompy_window_start (window);
  return window;
}

/* Closes the window as its close button does (which stops what it runs)
 * and checks that it and its pages are freed. */
static void
close_window (StompyWindow *window)
{
  GObject *pages[STOMPY_STEP_DONE + 1] = { NULL, };

  for (guint i = 0; i <= STOMPY_STEP_DONE; i++)
    if (_stompy_window_get_page (window, i) != NULL)
      pages[i] = g_object_ref (G_OBJECT (_stompy_window_get_page (window, i)));

  g_object_ref (window);
  gtk_window_close (GTK_WINDOW (window));

  /* Cancelled operations still call back once, holding a reference till then. */
  SPIN_UNTIL (G_OBJECT (window)->ref_count == 1);
  g_assert_finalize_object (window);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (pages[i] != NULL)
      {
        SPIN_UNTIL (pages[i]->ref_count == 1);
        g_assert_finalize_object (pages[i]);
      }
}

static void
screenshot (StompyWindow *window,
            const char   *name)
{
  const char *dir = stompy_test_screenshot_dir ();
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  stompy_test_let_draw (100);
  path = g_strdup_printf ("%s/flow-%s.png", dir, name);
  stompy_test_save_png (GTK_WIDGET (window), path);
}

static StompySignInPage *
sign_in_page (StompyWindow *window)
{
  return STOMPY_SIGN_IN_PAGE (_stompy_window_get_page (window, STOMPY_STEP_SIGN_IN));
}

static StompyProductsPage *
products_page (StompyWindow *window)
{
  return STOMPY_PRODUCTS_PAGE (_stompy_window_get_page (window, STOMPY_STEP_PRODUCTS));
}

static StompyAnalysaverPage *
analysaver_page (StompyWindow *window)
{
  return STOMPY_ANALYSAVER_PAGE (_stompy_window_get_page (window, STOMPY_STEP_ANALYSAVER));
}

static StompySpotainerPage *
spotainer_page (StompyWindow *window)
{
  return STOMPY_SPOTAINER_PAGE (_stompy_window_get_page (window, STOMPY_STEP_SPOTAINER));
}

static StompyConnectPage *
connect_page (StompyWindow *window)
{
  return STOMPY_CONNECT_PAGE (_stompy_window_get_page (window, STOMPY_STEP_CONNECT));
}

static StompyDonePage *
done_page (StompyWindow *window)
{
  return STOMPY_DONE_PAGE (_stompy_window_get_page (window, STOMPY_STEP_DONE));
}

static const char *
indicator (StompyWindow *window,
           StompyStep    step)
{
  return stompy_step_indicator_get_item_state (window->step_indicator, step);
}

static void
sign_in (StompyWindow *window,
         const char   *email,
         const char   *password)
{
  StompyStompyAccountSection *stompy = sign_in_page (window)->stompy_section;

  SPIN_UNTIL (!stompy->checking_session);
  stompy_test_set_text (stompy->email_row, email);
  stompy_test_set_text (stompy->password_row, password);
  stompy_test_click (stompy->sign_in_button);
  SPIN_UNTIL (!stompy->signing_in);
  g_assert_true (stompy->signed_in);
  SPIN_UNTIL (!stompy->saving_token);
}

/* Automatic mode: the management account's key, typed in and remembered. */
static void
use_typed_key (StompyWindow *window)
{
  StompyAwsAccountSection *aws = sign_in_page (window)->aws_section;

  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_TYPED);
  stompy_test_set_text (aws->access_key_row, MGMT_KEY_ID);
  stompy_test_set_text (aws->secret_row, MGMT_SECRET);
  gtk_switch_set_active (aws->remember_switch, TRUE);
  stompy_test_click (aws->verify_button);
  SPIN_UNTIL (!aws->verifying);
  g_assert_nonnull (stompy_onboarding_get_identity (model ()));
}

/* Guided mode: no credentials, the account id typed in. */
static void
use_guided (StompyWindow *window,
            const char   *account_id)
{
  StompyAwsAccountSection *aws = sign_in_page (window)->aws_section;

  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_GUIDED);
  stompy_test_set_text (aws->account_id_row, account_id);
  g_assert_cmpstr (stompy_onboarding_get_account_id (model ()), ==, account_id);
}

/* Continue, and wait for the window to show @expected. */
static void
go_on (StompyWindow *window,
       StompyStep    expected)
{
  SPIN_UNTIL (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == expected && !window->submitting);
  g_assert_true (gtk_stack_get_visible_child (window->stack)
                 == GTK_WIDGET (_stompy_window_get_page (window, expected)));
  g_assert_cmpint (stompy_onboarding_get_step (model ()), ==, expected);
  /* The Connect page brings itself up to date before its first frame. */
  if (expected == STOMPY_STEP_CONNECT)
    SPIN_UNTIL (connect_page (window)->follow_idle == 0);
}

static void
go_back (StompyWindow *window,
         StompyStep    expected)
{
  stompy_test_click (window->back_button);
  g_assert_cmpint (stompy_window_get_step (window), ==, expected);
}

static void
choose_products (StompyWindow   *window,
                 StompyProducts  products)
{
  StompyProductsPage *page = products_page (window);

  gtk_check_button_set_active (page->analysaver_check, (products & STOMPY_PRODUCT_ANALYSAVER) != 0);
  gtk_check_button_set_active (page->spotainer_check, (products & STOMPY_PRODUCT_SPOTAINER) != 0);
}

/* The first two steps, up to the first product's page. */
static void
start_flow (StompyWindow   *window,
            const char     *email,
            const char     *password,
            const char     *guided_account,
            StompyProducts  products)
{
  sign_in (window, email, password);
  if (guided_account != NULL)
    use_guided (window, guided_account);
  else
    use_typed_key (window);
  go_on (window, STOMPY_STEP_PRODUCTS);
  choose_products (window, products);
  go_on (window, (products & STOMPY_PRODUCT_ANALYSAVER) ? STOMPY_STEP_ANALYSAVER
                                                        : STOMPY_STEP_SPOTAINER);
}

/* The run-template step in automatic mode: acknowledge, create, follow. */
static void
create_stack (StompyTemplateSection *section)
{
  SPIN_UNTIL (section->template != NULL && !section->loading);
  gtk_check_button_set_active (section->ack_check, TRUE);
  stompy_test_click (section->create_button);
  SPIN_UNTIL (stompy_stack_record_is_complete (section->record) && !section->following
              && !section->creating);
  g_assert_cmpstr (stompy_stack_record_get_status (section->record), ==, "CREATE_COMPLETE");
}

/* The run-template step in guided mode: the console link, then the pasted RoleArn. */
static void
paste_role (StompyTemplateSection *section,
            const char            *role_arn)
{
  SPIN_UNTIL (section->info != NULL && !section->loading);
  g_assert_true (gtk_widget_get_visible (section->guided_box));
  gtk_check_button_set_active (section->ack_check, TRUE);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (section->console_button)));
  stompy_test_set_text (section->role_arn_row, role_arn);
  g_assert_cmpstr (stompy_stack_record_get_role_arn (section->record), ==, role_arn);
  g_assert_true (stompy_stack_record_get_role_arn_pasted (section->record));
}

static void
analysaver_automatic (StompyWindow *window)
{
  StompyAnalysaverPage *page = analysaver_page (window);
  StompyCurSection *cur = page->cur_section;

  gtk_switch_set_active (page->billing_section->confirm_switch, TRUE);
  SPIN_UNTIL (cur->reports_loaded && !cur->loading);
  g_signal_emit_by_name (cur->report_list, "row-activated",
                         _stompy_cur_section_get_report_row (cur, READY_REPORT));
  SPIN_UNTIL (!cur->checking_bucket);
  g_assert_true (stompy_section_get_ready (STOMPY_SECTION (cur)));
  create_stack (page->template_section);
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);
}

static void
analysaver_guided (StompyWindow *window,
                   const char   *role_arn)
{
  StompyAnalysaverPage *page = analysaver_page (window);
  StompyCurSection *cur = page->cur_section;

  gtk_switch_set_active (page->billing_section->confirm_switch, TRUE);
  g_assert_cmpstr (_stompy_cur_section_get_mode (cur), ==, "guided");
  stompy_test_set_text (cur->guided_report_name_row, "console-cur");
  stompy_test_set_text (cur->guided_bucket_row, "console-cur-bucket");
  paste_role (page->template_section, role_arn);
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);
}

static const char *
summary_value (StompyWindow *window,
               const char   *title)
{
  AdwActionRow *row = _stompy_connect_page_get_summary_row (connect_page (window), title);

  return row != NULL ? adw_action_row_get_subtitle (row) : NULL;
}

static const char *
check_state (StompyWindow *window,
             const char   *id)
{
  AdwActionRow *row = _stompy_connect_page_get_check_row (connect_page (window), id);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (row);
}

static const char *
connection_status (void)
{
  const StompyAccountStatus *status =
    stompy_connection_get_status (stompy_onboarding_get_connection (model ()));

  return status != NULL ? status->status : NULL;
}

/* Connect on the Connect page, and wait until Stompy has settled. */
static void
press_connect (StompyWindow *window)
{
  StompyConnectPage *page = connect_page (window);

  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_CONNECT);
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);
  /* The window's button says what it does here. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  g_assert_cmpstr (gtk_button_get_label (window->primary_button), ==, "C_onnect");
  stompy_test_click (window->primary_button);
  g_assert_true (window->submitting);
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_BUSY);
  g_assert_true (gtk_widget_get_visible (page->progress_box));
  /* Back still works while it runs. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->back_button)));
}

static void
connect_until_done (StompyWindow *window)
{
  StompyConnectPage *page = connect_page (window);

  press_connect (window);
  /* Each check shows while Stompy verifies. */
  SPIN_UNTIL (page->check_rows->len > 0 || stompy_window_get_step (window) == STOMPY_STEP_DONE);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_DONE && !window->submitting);
  g_assert_true (gtk_stack_get_visible_child (window->stack) == GTK_WIDGET (done_page (window)));
  g_assert_cmpint (stompy_onboarding_get_step (model ()), ==, STOMPY_STEP_DONE);
  g_assert_cmpstr (indicator (window, STOMPY_STEP_CONNECT), ==, "done");
  /* Nothing to continue to: the page's own Close is the way out. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->primary_button)));
}

static void
assert_done_page (StompyWindow *window,
                  const char   *account_id,
                  gboolean      waiting_for_data)
{
  StompyDonePage *page = done_page (window);

  g_assert_cmpstr (adw_status_page_get_title (page->status_page), ==, _("Connected"));
  g_assert_true (stompy_test_contains (adw_status_page_get_description (page->status_page),
                                       account_id));
  g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (page->data_label)), ==, waiting_for_data);
  if (waiting_for_data)
    g_assert_true (stompy_test_contains (gtk_label_get_label (page->data_label), "24–48"));
}

/* Stores a Stompy session in the keyring, as a sign-in on an earlier run did. */
static void
store_session (void)
{
  StompyApiClient *api = stompy_application_get_api_client (get_app ());
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  stompy_api_client_sign_in_async (api, OPS_EMAIL, OPS_PASSWORD, NULL,
                                   stompy_test_store_result_cb, &result);
  SPIN_UNTIL (result != NULL);
  session = stompy_api_client_sign_in_finish (api, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  stompy_onboarding_set_stompy_account (model (), session->user_email, session->organization_name);

  stompy_secret_store_save_token_async (stompy_api_client_get_base_url (api), OPS_EMAIL,
                                        session->token, NULL, stompy_test_store_result_cb, &result);
  SPIN_UNTIL (result != NULL);
  g_assert_true (stompy_secret_store_save_token_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  stompy_api_client_set_token (api, NULL);
}

/* Closes the window and quits the application at the step it shows, then
 * starts a new application (another application id, see get_app()) on the
 * same state file: it must come back to @expected, signed in again from the
 * keyring and, in automatic mode, with the remembered AWS key verified. */
static StompyWindow *
restart (StompyWindow *window,
         StompyStep    expected,
         gboolean      automatic)
{
  close_window (window);
  quit_app ();

  window = open_window ();
  g_assert_cmpint (stompy_window_get_step (window), ==, expected);
  SPIN_UNTIL (stompy_sign_in_page_get_signed_in (sign_in_page (window)));
  if (automatic)
    SPIN_UNTIL (stompy_application_get_aws_client (get_app ()) != NULL);
  g_assert_cmpint (stompy_window_get_step (window), ==, expected);
  return window;
}

/* After a restart at a run-template step the stored Stompy session comes back
 * from the keyring after the page appears: the section waits for it and loads
 * the template by itself, without an error or a Retry. */
static void
template_loads_after_restart (StompyTemplateSection *section)
{
  SPIN_UNTIL (section->template != NULL);
  g_assert_false (section->failed);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (section->load_retry_button)));
}

static gboolean
panel_group_visible (StompyWindow        *window,
                     AdwPreferencesGroup *group)
{
  g_assert_nonnull (_stompy_window_get_status_panel (window));
  return gtk_widget_get_visible (GTK_WIDGET (group));
}

/* The status panel shows the groups of the chosen products only (the
 * choice is the model's once Continue has taken it). */
static void
assert_panel_groups (StompyWindow   *window,
                     StompyProducts  products)
{
  StompyStatusPanel *panel = _stompy_window_get_status_panel (window);
  gboolean analysaver = (products & STOMPY_PRODUCT_ANALYSAVER) != 0;
  gboolean spotainer = (products & STOMPY_PRODUCT_SPOTAINER) != 0;

  SPIN_UNTIL (panel_group_visible (window, panel->analysaver_group) == analysaver
              && panel_group_visible (window, panel->spotainer_group) == spotainer
              && panel_group_visible (window, panel->bucket_group) == analysaver
              && panel_group_visible (window, panel->report_group) == analysaver);
}

/* -------------------------------------------------------------------- tests */

static void
test_pages_create_finalize (void)
{
  GType types[] = { STOMPY_TYPE_SPOTAINER_PAGE, STOMPY_TYPE_CONNECT_PAGE, STOMPY_TYPE_DONE_PAGE };
  StompyWindow *window;

  reset_world ();
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      StompyPage *page = g_object_new (types[i], "application", get_app (), NULL);

      g_object_ref_sink (page);
      g_assert_true (GTK_IS_BIN_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (page))));
      g_assert_finalize_object (page);
    }

  /* Steps 4 and 5 and the end have their pages in the window. */
  window = open_window ();
  g_assert_true (STOMPY_IS_SPOTAINER_PAGE (spotainer_page (window)));
  g_assert_true (STOMPY_IS_CONNECT_PAGE (connect_page (window)));
  g_assert_true (STOMPY_IS_DONE_PAGE (done_page (window)));
  g_assert_cmpint (stompy_template_section_get_product (spotainer_page (window)->template_section),
                   ==, STOMPY_PRODUCT_SPOTAINER);
  /* Nothing is chosen: Connect says what is missing. */
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (connect_page (window))), ==,
                   STOMPY_PAGE_STATE_IDLE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (connect_page (window)->missing_group)));
  /* Nothing was sent: the page's button is Connect, not Continue. */
  g_assert_cmpstr (stompy_page_get_primary_label (STOMPY_PAGE (connect_page (window))), ==, "C_onnect");
  close_window (window);
}

static void
test_automatic_analysaver_only (void)
{
  StompyWindow *window;
  StompyConnectPage *page;
  gint64 posts;

  reset_world ();
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, NULL, STOMPY_PRODUCT_ANALYSAVER);
  g_assert_cmpstr (indicator (window, STOMPY_STEP_SPOTAINER), ==, "skipped");
  analysaver_automatic (window);

  /* SpoTainer is not chosen: its step is skipped. */
  go_on (window, STOMPY_STEP_CONNECT);
  page = connect_page (window);
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->missing_group)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page->summary_group)));
  g_assert_cmpstr (summary_value (window, _("AWS Account")), ==, MGMT_ACCOUNT);
  g_assert_cmpstr (summary_value (window, _("Products")), ==, "StompyAnalySaver");
  g_assert_cmpstr (summary_value (window, _("Cost and Usage Report")), ==, READY_REPORT);
  g_assert_true (stompy_test_contains (summary_value (window, _("Report Bucket")),
                                       "s3://" READY_BUCKET "/cur"));
  g_assert_true (stompy_test_contains (summary_value (window, _("Report Bucket")),
                                       "ap-southeast-1"));
  g_assert_true (g_str_has_prefix (summary_value (window, _("AnalySaver Role")),
                                   "arn:aws:iam::" MGMT_ACCOUNT ":role/"));
  g_assert_null (summary_value (window, _("SpoTainer Role")));
  /* Each value links back to its step. */
  g_assert_nonnull (_stompy_connect_page_get_step_button (_stompy_connect_page_get_summary_row (page, _("AnalySaver Role"))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->checks_group)));
  screenshot (window, "connect-summary");

  connect_until_done (window);
  g_assert_cmpstr (connection_status (), ==, "waiting_for_data");
  g_assert_true (stompy_test_contains (check_state (window, "assume_analysaver_role"),
                                       _("Verified")));
  g_assert_true (stompy_test_contains (check_state (window, "read_cur_bucket"), _("Verified")));
  g_assert_null (_stompy_connect_page_get_check_row (page, "assume_spotainer_role"));
  assert_done_page (window, MGMT_ACCOUNT, TRUE);
  screenshot (window, "done-waiting-for-data");
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "s3:bucket"), ==, 0);

  /* Back from the end shows the verified checks; Continue comes back without sending again. */
  posts = stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts");
  go_back (window, STOMPY_STEP_CONNECT);
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page->checks_group)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->primary_button)));
  g_assert_cmpstr (gtk_button_get_label (window->primary_button), ==, "_Continue");
  go_on (window, STOMPY_STEP_DONE);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"), ==,
                   posts);

  close_window (window);
}

static void
test_automatic_spotainer_only (void)
{
  StompyWindow *window;

  reset_world ();
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, NULL, STOMPY_PRODUCT_SPOTAINER);
  g_assert_cmpstr (indicator (window, STOMPY_STEP_ANALYSAVER), ==, "skipped");
  g_assert_cmpstr (indicator (window, STOMPY_STEP_SPOTAINER), ==, "current");

  /* The run-template step for SpoTainer: not ready until the role is known. */
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  create_stack (spotainer_page (window)->template_section);
  g_assert_cmpstr (stompy_stack_record_get_stack_name (spotainer_page (window)->template_section->record),
                   ==, "StompySpoTainer");
  screenshot (window, "spotainer-complete");
  go_on (window, STOMPY_STEP_CONNECT);

  g_assert_cmpstr (summary_value (window, _("Products")), ==, "StompySpoTainer");
  g_assert_true (g_str_has_prefix (summary_value (window, _("SpoTainer Role")),
                                   "arn:aws:iam::" MGMT_ACCOUNT ":role/"));
  g_assert_null (summary_value (window, _("Cost and Usage Report")));

  connect_until_done (window);
  g_assert_cmpstr (connection_status (), ==, "connected");
  g_assert_true (stompy_test_contains (check_state (window, "assume_spotainer_role"),
                                       _("Verified")));
  assert_done_page (window, MGMT_ACCOUNT, FALSE);
  screenshot (window, "done-connected");
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);

  close_window (window);
}

/* Both products, with Back all the way to Products and a product unticked
 * and ticked again on the way: nothing is lost, nothing is made twice. */
static void
test_automatic_both_with_back (void)
{
  StompyWindow *window;
  StompySpotainerPage *spotainer;
  const char *analysaver_role;

  reset_world ();
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, NULL,
              STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
  analysaver_automatic (window);
  go_on (window, STOMPY_STEP_SPOTAINER);
  spotainer = spotainer_page (window);
  create_stack (spotainer->template_section);
  go_on (window, STOMPY_STEP_CONNECT);
  g_assert_cmpstr (summary_value (window, _("Products")), ==, _("StompyAnalySaver and StompySpoTainer"));
  g_assert_nonnull (summary_value (window, _("SpoTainer Role")));
  g_assert_nonnull (summary_value (window, _("AnalySaver Role")));

  /* Back, a step at a time: each page is as it was left. */
  go_back (window, STOMPY_STEP_SPOTAINER);
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (spotainer)) == STOMPY_PAGE_STATE_READY);
  go_back (window, STOMPY_STEP_ANALYSAVER);
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (analysaver_page (window))) == STOMPY_PAGE_STATE_READY);
  go_back (window, STOMPY_STEP_PRODUCTS);
  g_assert_true (gtk_check_button_get_active (products_page (window)->spotainer_check));

  /* Unticking SpoTainer removes its step. */
  gtk_check_button_set_active (products_page (window)->spotainer_check, FALSE);
  go_on (window, STOMPY_STEP_ANALYSAVER);
  g_assert_cmpstr (indicator (window, STOMPY_STEP_SPOTAINER), ==, "skipped");
  go_on (window, STOMPY_STEP_CONNECT);
  g_assert_null (summary_value (window, _("SpoTainer Role")));
  g_assert_cmpstr (summary_value (window, _("Products")), ==, "StompyAnalySaver");
  go_back (window, STOMPY_STEP_ANALYSAVER);

  /* A link on the summary goes straight back to Products. */
  go_on (window, STOMPY_STEP_CONNECT);
  stompy_test_click (_stompy_connect_page_get_step_button (_stompy_connect_page_get_summary_row (connect_page (window),
                                                                                     _("Products"))));
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_PRODUCTS);

  /* Ticked again, its step is back, with its role. */
  gtk_check_button_set_active (products_page (window)->spotainer_check, TRUE);
  go_on (window, STOMPY_STEP_ANALYSAVER);
  g_assert_cmpstr (indicator (window, STOMPY_STEP_SPOTAINER), ==, "pending");
  go_on (window, STOMPY_STEP_SPOTAINER);
  go_on (window, STOMPY_STEP_CONNECT);
  analysaver_role = summary_value (window, _("AnalySaver Role"));
  g_assert_true (g_str_has_prefix (analysaver_role, "arn:aws:iam::" MGMT_ACCOUNT ":role/"));

  connect_until_done (window);
  g_assert_cmpstr (connection_status (), ==, "waiting_for_data");
  g_assert_true (stompy_test_contains (check_state (window, "assume_spotainer_role"),
                                       _("Verified")));
  g_assert_true (stompy_test_contains (check_state (window, "assume_analysaver_role"),
                                       _("Verified")));
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 2);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);

  close_window (window);
}

static void
test_guided_both (void)
{
  StompyWindow *window;

  reset_world ();
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, SOLO_ACCOUNT,
              STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
  g_assert_null (stompy_application_get_aws_client (get_app ()));
  analysaver_guided (window, "arn:aws:iam::" SOLO_ACCOUNT ":role/StompyAnalySaverRole");
  go_on (window, STOMPY_STEP_SPOTAINER);

  /* A role of another account is refused; this account's is taken. */
  {
    StompyTemplateSection *section = spotainer_page (window)->template_section;

    SPIN_UNTIL (section->info != NULL && !section->loading);
    stompy_test_set_text (section->role_arn_row,
                          "arn:aws:iam::" MGMT_ACCOUNT ":role/StompySpoTainerRole");
    g_assert_false (stompy_stack_record_is_complete (section->record));
    g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
    paste_role (section, "arn:aws:iam::" SOLO_ACCOUNT ":role/StompySpoTainerRole");
  }
  screenshot (window, "spotainer-guided");
  go_on (window, STOMPY_STEP_CONNECT);

  g_assert_cmpstr (summary_value (window, _("AWS Account")), ==, SOLO_ACCOUNT);
  g_assert_cmpstr (summary_value (window, _("Cost and Usage Report")), ==, "console-cur");
  g_assert_true (stompy_test_contains (summary_value (window, _("Report Bucket")),
                                       "s3://console-cur-bucket"));
  g_assert_cmpstr (summary_value (window, _("SpoTainer Role")), ==,
                   "arn:aws:iam::" SOLO_ACCOUNT ":role/StompySpoTainerRole");

  connect_until_done (window);
  g_assert_cmpstr (connection_status (), ==, "waiting_for_data");
  assert_done_page (window, SOLO_ACCOUNT, TRUE);
  /* Nothing was asked of AWS: the user did it in the console. */
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:CreateStack"), ==, 0);
  g_assert_cmpint (stompy_test_creations (emulator, "s3:bucket"), ==, 0);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);

  close_window (window);
}

/* Closed at the AnalySaver step once its stack exists; the next start is
 * there again, with the report and the stack, and finishes. */
static void
test_resume_at_analysaver_step (void)
{
  StompyWindow *window;
  StompyAnalysaverPage *page;
  g_autofree char *stack_id = NULL;

  reset_world ();
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, NULL, STOMPY_PRODUCT_ANALYSAVER);
  analysaver_automatic (window);
  stack_id = g_strdup (stompy_stack_record_get_stack_id (analysaver_page (window)->template_section->record));
  close_window (window);
  quit_app ();

  /* A new start on the same state file. */
  window = open_window ();
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_ANALYSAVER);
  page = analysaver_page (window);
  SPIN_UNTIL (stompy_sign_in_page_get_signed_in (sign_in_page (window))
              && stompy_page_get_state (STOMPY_PAGE (page)) == STOMPY_PAGE_STATE_READY);
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_ANALYSAVER);
  g_assert_cmpstr (stompy_stack_record_get_stack_id (page->template_section->record), ==, stack_id);
  g_assert_cmpstr (stompy_cur_choice_get_report_name (stompy_onboarding_get_cur_choice (model ())),
                   ==, READY_REPORT);

  go_on (window, STOMPY_STEP_CONNECT);
  connect_until_done (window);
  g_assert_cmpstr (connection_status (), ==, "waiting_for_data");
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);

  close_window (window);
}

/* Closed while Stompy verifies; the next start follows the same connection
 * (no second Connect) to the end. */
static void
test_resume_at_connect_step (void)
{
  StompyConnection *connection;
  StompyWindow *window;
  g_autoptr(JsonNode) timings = NULL;
  g_autofree char *key = NULL;

  reset_world ();
  /* Stompy's checks take a second (times the emulator's time scale): still
   * pending when the window closes, however slow this build is. */
  timings = stompy_test_emulator_control (emulator, "timings", "{\"verification_seconds\": 1}");
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, SOLO_ACCOUNT, STOMPY_PRODUCT_SPOTAINER);
  paste_role (spotainer_page (window)->template_section,
              "arn:aws:iam::" SOLO_ACCOUNT ":role/StompySpoTainerRole");
  go_on (window, STOMPY_STEP_CONNECT);
  press_connect (window);
  connection = stompy_onboarding_get_connection (model ());
  SPIN_UNTIL (stompy_connection_get_status (connection) != NULL);
  g_assert_true (stompy_account_status_is_pending (stompy_connection_get_status (connection)));
  g_assert_true (stompy_connection_get_submitted (connection));
  /* The checks show as pending. */
  SPIN_UNTIL (_stompy_connect_page_get_check_row (connect_page (window), "assume_spotainer_role") != NULL);
  g_assert_true (stompy_test_contains (check_state (window, "assume_spotainer_role"),
                                       _("Checking…")));
  screenshot (window, "connect-verifying");
  key = g_strdup (stompy_connection_get_idempotency_key (connection));
  close_window (window);
  quit_app ();

  window = open_window ();
  connection = stompy_onboarding_get_connection (model ());
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_CONNECT);
  g_assert_cmpstr (stompy_connection_get_idempotency_key (connection), ==, key);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_DONE && !window->submitting);
  g_assert_cmpstr (connection_status (), ==, "connected");
  assert_done_page (window, SOLO_ACCOUNT, FALSE);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);

  close_window (window);
}

/* Stompy cannot assume the role: each failed check says what to do and
 * links to its step; fixed there, Connect succeeds. */
static void
test_connect_failed_check (void)
{
  StompyWindow *window;
  StompyConnectPage *page;
  AdwActionRow *row;

  reset_world ();
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, SOLO_ACCOUNT, STOMPY_PRODUCT_ANALYSAVER);
  analysaver_guided (window, "arn:aws:iam::" SOLO_ACCOUNT ":role/StompyBrokenRole");
  go_on (window, STOMPY_STEP_CONNECT);
  page = connect_page (window);
  press_connect (window);
  SPIN_UNTIL (!window->submitting);

  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_CONNECT);
  g_assert_cmpstr (connection_status (), ==, "failed");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page->checks_group)));
  g_assert_true (stompy_test_contains (adw_preferences_group_get_description (page->checks_group),
                                       "could not verify"));
  row = _stompy_connect_page_get_check_row (page, "assume_analysaver_role");
  /* The service's message, and what to do. */
  g_assert_true (stompy_test_contains (adw_action_row_get_subtitle (row),
                                       "could not assume this role"));
  g_assert_true (stompy_test_contains (adw_action_row_get_subtitle (row), "RoleArn output"));
  g_assert_true (stompy_test_contains (check_state (window, "read_cur_bucket"), "AnalySaver"));
  /* Not an error of the request: Connect may be pressed again. */
  g_assert_false (gtk_widget_get_visible (page->error_box));
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_READY);
  screenshot (window, "connect-failed");

  /* Pressed again with the keyboard focus on the check's row: the rows are
   * rebuilt as the checks run again, and the focus stays on that check's
   * row (GTK would send it past the page, to Back). */
  gtk_widget_grab_focus (GTK_WIDGET (row));
  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *) &row);
  press_connect (window);
  SPIN_UNTIL (!window->submitting);
  g_assert_cmpstr (connection_status (), ==, "failed");
  g_assert_null (row);  /* rebuilt, and the old row let go */
  row = _stompy_connect_page_get_check_row (page, "assume_analysaver_role");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (row));

  /* The check's button goes to the step it concerns. */
  stompy_test_click (_stompy_connect_page_get_step_button (row));
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_ANALYSAVER);
  stompy_test_set_text (analysaver_page (window)->template_section->role_arn_row,
                        "arn:aws:iam::" SOLO_ACCOUNT ":role/StompyAnalySaverRole");
  go_on (window, STOMPY_STEP_CONNECT);
  /* The old checks were for another request. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->checks_group)));
  connect_until_done (window);
  g_assert_cmpstr (connection_status (), ==, "waiting_for_data");

  close_window (window);
}

static void
test_connect_already_connected (void)
{
  StompyWindow *window;
  StompyConnectPage *page;

  reset_world ();
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, ELSEWHERE, STOMPY_PRODUCT_SPOTAINER);
  paste_role (spotainer_page (window)->template_section,
              "arn:aws:iam::" ELSEWHERE ":role/StompySpoTainerRole");
  go_on (window, STOMPY_STEP_CONNECT);
  page = connect_page (window);
  press_connect (window);
  SPIN_UNTIL (!window->submitting);

  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_CONNECT);
  g_assert_true (gtk_widget_get_visible (page->error_box));
  g_assert_true (stompy_test_contains (gtk_label_get_label (page->error_label), "Other Corp"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->sign_in_again_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->checks_group)));
  /* Refused for good: the next attempt is a new request. */
  g_assert_false (stompy_connection_get_submitted (stompy_onboarding_get_connection (model ())));
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_READY);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 0);
  screenshot (window, "connect-already-connected");

  close_window (window);
}

static void
test_connect_forbidden (void)
{
  StompyWindow *window;
  StompyConnectPage *page;

  reset_world ();
  window = open_window ();
  start_flow (window, VIEWER_EMAIL, VIEWER_PASSWORD, SOLO_ACCOUNT, STOMPY_PRODUCT_SPOTAINER);
  paste_role (spotainer_page (window)->template_section,
              "arn:aws:iam::" SOLO_ACCOUNT ":role/StompySpoTainerRole");
  go_on (window, STOMPY_STEP_CONNECT);
  page = connect_page (window);
  press_connect (window);
  SPIN_UNTIL (!window->submitting);

  g_assert_true (gtk_widget_get_visible (page->error_box));
  g_assert_true (stompy_test_contains (gtk_label_get_label (page->error_label), "administrator"));
  g_assert_true (stompy_test_contains (gtk_label_get_label (page->error_label), "Example Ltd"));
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 0);

  close_window (window);
}

/* The Stompy session expires while Stompy verifies: Sign In Again, and the
 * window comes back to Connect, which follows the same connection. */
static void
test_connect_token_expired (void)
{
  StompyWindow *window;
  StompyConnectPage *page;
  StompyConnection *connection = stompy_onboarding_get_connection (model ());
  StompyStompyAccountSection *stompy;
  g_autoptr(JsonNode) reply = NULL;

  reset_world ();
  window = open_window ();
  stompy = sign_in_page (window)->stompy_section;
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, SOLO_ACCOUNT, STOMPY_PRODUCT_SPOTAINER);
  paste_role (spotainer_page (window)->template_section,
              "arn:aws:iam::" SOLO_ACCOUNT ":role/StompySpoTainerRole");
  go_on (window, STOMPY_STEP_CONNECT);
  page = connect_page (window);
  press_connect (window);
  /* Connect was answered; the first look at the checks comes 2 s later. */
  SPIN_UNTIL (stompy_connection_get_status (connection) != NULL);
  reply = stompy_test_emulator_control (emulator, "expire-tokens", "{}");
  SPIN_UNTIL (!window->submitting);

  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_CONNECT);
  g_assert_true (gtk_widget_get_visible (page->error_box));
  g_assert_true (stompy_test_contains (gtk_label_get_label (page->error_label), "session expired"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page->sign_in_again_button)));
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_ERROR);
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  screenshot (window, "connect-session-expired");

  /* Sign In Again: step 1 with the form, the email kept. */
  stompy_test_click (page->sign_in_again_button);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_SIGN_IN);
  SPIN_UNTIL (!stompy->signing_out);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (stompy->password_row)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stompy->email_row)), ==, OPS_EMAIL);
  /* Everything else is kept. */
  g_assert_cmpint (stompy_onboarding_get_products (model ()), ==, STOMPY_PRODUCT_SPOTAINER);
  g_assert_true (stompy_connection_get_submitted (connection));

  sign_in (window, OPS_EMAIL, OPS_PASSWORD);
  /* Continue goes back to where the user was, which follows the connection to the end. */
  go_on (window, STOMPY_STEP_CONNECT);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_DONE && !window->submitting);
  g_assert_cmpstr (connection_status (), ==, "connected");
  g_assert_false (gtk_widget_get_visible (page->error_box));
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);

  close_window (window);
}

/* Connect before the earlier steps are done: what is missing, with links. */
static void
test_connect_missing_links_back (void)
{
  StompyWindow *window;
  StompyConnectPage *page;
  AdwActionRow *row;

  reset_world ();
  store_session ();
  stompy_onboarding_set_credential_source (model (), STOMPY_CREDENTIAL_SOURCE_GUIDED);
  stompy_onboarding_set_account_id (model (), SOLO_ACCOUNT);
  stompy_onboarding_set_products (model (), STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
  stompy_onboarding_set_step (model (), STOMPY_STEP_CONNECT);

  window = open_window ();
  page = connect_page (window);
  SPIN_UNTIL (stompy_sign_in_page_get_signed_in (sign_in_page (window)));
  SPIN_UNTIL (page->missing_rows->len > 0);
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_CONNECT);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page->missing_group)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->summary_group)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_IDLE);
  /* The report, the AnalySaver role, the SpoTainer role. */
  g_assert_cmpuint (page->missing_rows->len, ==, 3);
  screenshot (window, "connect-missing");

  row = g_ptr_array_index (page->missing_rows, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, _("SpoTainer Role"));
  stompy_test_click (_stompy_connect_page_get_step_button (row));
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_SPOTAINER);

  close_window (window);
}

static void
test_guided_analysaver_only (void)
{
  StompyWindow *window;

  reset_world ();
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, SOLO_ACCOUNT, STOMPY_PRODUCT_ANALYSAVER);
  g_assert_null (stompy_application_get_aws_client (get_app ()));
  g_assert_cmpstr (indicator (window, STOMPY_STEP_SPOTAINER), ==, "skipped");
  analysaver_guided (window, "arn:aws:iam::" SOLO_ACCOUNT ":role/StompyAnalySaverRole");
  /* SpoTainer is not chosen: Continue skips its step. */
  go_on (window, STOMPY_STEP_CONNECT);

  g_assert_cmpstr (summary_value (window, _("Products")), ==, "StompyAnalySaver");
  g_assert_cmpstr (summary_value (window, _("AWS Account")), ==, SOLO_ACCOUNT);
  g_assert_cmpstr (summary_value (window, _("Cost and Usage Report")), ==, "console-cur");
  g_assert_cmpstr (summary_value (window, _("AnalySaver Role")), ==,
                   "arn:aws:iam::" SOLO_ACCOUNT ":role/StompyAnalySaverRole");
  g_assert_null (summary_value (window, _("SpoTainer Role")));

  connect_until_done (window);
  g_assert_cmpstr (connection_status (), ==, "waiting_for_data");
  g_assert_null (_stompy_connect_page_get_check_row (connect_page (window), "assume_spotainer_role"));
  assert_done_page (window, SOLO_ACCOUNT, TRUE);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:CreateStack"), ==, 0);
  g_assert_cmpint (stompy_test_creations (emulator, "s3:bucket"), ==, 0);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);

  close_window (window);
}

static void
test_guided_spotainer_only (void)
{
  StompyWindow *window;

  reset_world ();
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, SOLO_ACCOUNT, STOMPY_PRODUCT_SPOTAINER);
  g_assert_null (stompy_application_get_aws_client (get_app ()));
  g_assert_cmpstr (indicator (window, STOMPY_STEP_ANALYSAVER), ==, "skipped");
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  paste_role (spotainer_page (window)->template_section,
              "arn:aws:iam::" SOLO_ACCOUNT ":role/StompySpoTainerRole");
  go_on (window, STOMPY_STEP_CONNECT);

  g_assert_cmpstr (summary_value (window, _("Products")), ==, "StompySpoTainer");
  g_assert_cmpstr (summary_value (window, _("SpoTainer Role")), ==,
                   "arn:aws:iam::" SOLO_ACCOUNT ":role/StompySpoTainerRole");
  g_assert_null (summary_value (window, _("Cost and Usage Report")));
  g_assert_null (summary_value (window, _("AnalySaver Role")));

  connect_until_done (window);
  g_assert_cmpstr (connection_status (), ==, "connected");
  assert_done_page (window, SOLO_ACCOUNT, FALSE);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:CreateStack"), ==, 0);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);

  close_window (window);
}

/* A new application after each step (1→2, 2→3, 3→4, 4→5) resumes there with
 * what was done, and finishes; nothing is created twice. */
static void
test_resume_after_each_step (void)
{
  StompyWindow *window;
  StompyStackRecord *analysaver_stack;
  g_autofree char *analysaver_stack_id = NULL;

  reset_world ();
  window = open_window ();
  sign_in (window, OPS_EMAIL, OPS_PASSWORD);
  use_typed_key (window);
  go_on (window, STOMPY_STEP_PRODUCTS);

  /* After step 1: the session and the remembered key come back. */
  window = restart (window, STOMPY_STEP_PRODUCTS, TRUE);
  g_assert_cmpstr (stompy_onboarding_get_account_id (model ()), ==, MGMT_ACCOUNT);
  g_assert_nonnull (stompy_onboarding_get_identity (model ()));
  choose_products (window, STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
  go_on (window, STOMPY_STEP_ANALYSAVER);

  /* After step 2: the products. */
  window = restart (window, STOMPY_STEP_ANALYSAVER, TRUE);
  g_assert_cmpint (stompy_onboarding_get_products (model ()), ==,
                   STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
  g_assert_cmpstr (indicator (window, STOMPY_STEP_SPOTAINER), ==, "pending");
  template_loads_after_restart (analysaver_page (window)->template_section);
  analysaver_automatic (window);
  analysaver_stack = stompy_onboarding_get_stack (model (), STOMPY_PRODUCT_ANALYSAVER);
  analysaver_stack_id = g_strdup (stompy_stack_record_get_stack_id (analysaver_stack));
  go_on (window, STOMPY_STEP_SPOTAINER);

  /* After step 3: the report and the AnalySaver stack. */
  window = restart (window, STOMPY_STEP_SPOTAINER, TRUE);
  analysaver_stack = stompy_onboarding_get_stack (model (), STOMPY_PRODUCT_ANALYSAVER);
  g_assert_cmpstr (stompy_stack_record_get_stack_id (analysaver_stack), ==, analysaver_stack_id);
  g_assert_true (stompy_stack_record_is_complete (analysaver_stack));
  g_assert_cmpstr (stompy_cur_choice_get_report_name (stompy_onboarding_get_cur_choice (model ())),
                   ==, READY_REPORT);
  template_loads_after_restart (spotainer_page (window)->template_section);
  create_stack (spotainer_page (window)->template_section);
  go_on (window, STOMPY_STEP_CONNECT);

  /* After step 4: both roles, on the summary. */
  window = restart (window, STOMPY_STEP_CONNECT, TRUE);
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (connect_page (window))) == STOMPY_PAGE_STATE_READY);
  g_assert_cmpstr (summary_value (window, _("Cost and Usage Report")), ==, READY_REPORT);
  g_assert_true (g_str_has_prefix (summary_value (window, _("AnalySaver Role")),
                                   "arn:aws:iam::" MGMT_ACCOUNT ":role/"));
  g_assert_true (g_str_has_prefix (summary_value (window, _("SpoTainer Role")),
                                   "arn:aws:iam::" MGMT_ACCOUNT ":role/"));
  connect_until_done (window);
  g_assert_cmpstr (connection_status (), ==, "waiting_for_data");
  assert_done_page (window, MGMT_ACCOUNT, TRUE);

  /* And after the end: still done, nothing sent again. */
  window = restart (window, STOMPY_STEP_DONE, TRUE);
  assert_done_page (window, MGMT_ACCOUNT, TRUE);

  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:CreateStack"), ==, 2);
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 2);
  g_assert_cmpint (stompy_test_creations (emulator, "s3:bucket"), ==, 0);
  g_assert_cmpint (stompy_test_creations (emulator, "cur:report"), ==, 0);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);

  close_window (window);
}

/* Back from every page keeps what was typed and pasted; going back to
 * Products and unticking a product takes its step out of the indicator and
 * of the navigation, and its group out of the status panel. */
static void
test_back_from_every_page (void)
{
  StompyWindow *window;
  StompyCurSection *cur;
  StompyTemplateSection *analysaver_template, *spotainer_template;
  const char *analysaver_role = "arn:aws:iam::" SOLO_ACCOUNT ":role/StompyAnalySaverRole";
  const char *spotainer_role = "arn:aws:iam::" SOLO_ACCOUNT ":role/StompySpoTainerRole";

  reset_world ();
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, SOLO_ACCOUNT,
              STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
  assert_panel_groups (window, STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
  analysaver_guided (window, analysaver_role);
  go_on (window, STOMPY_STEP_SPOTAINER);
  paste_role (spotainer_page (window)->template_section, spotainer_role);
  go_on (window, STOMPY_STEP_CONNECT);
  cur = analysaver_page (window)->cur_section;
  analysaver_template = analysaver_page (window)->template_section;
  spotainer_template = spotainer_page (window)->template_section;

  /* Back, page by page, to the first: each is as it was left. */
  go_back (window, STOMPY_STEP_SPOTAINER);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spotainer_template->role_arn_row)), ==,
                   spotainer_role);
  g_assert_true (gtk_check_button_get_active (spotainer_template->ack_check));
  go_back (window, STOMPY_STEP_ANALYSAVER);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cur->guided_report_name_row)), ==,
                   "console-cur");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cur->guided_bucket_row)), ==,
                   "console-cur-bucket");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (analysaver_template->role_arn_row)), ==,
                   analysaver_role);
  g_assert_true (gtk_switch_get_active (analysaver_page (window)->billing_section->confirm_switch));
  go_back (window, STOMPY_STEP_PRODUCTS);
  g_assert_true (gtk_check_button_get_active (products_page (window)->analysaver_check));
  g_assert_true (gtk_check_button_get_active (products_page (window)->spotainer_check));
  go_back (window, STOMPY_STEP_SIGN_IN);
  g_assert_true (stompy_sign_in_page_get_signed_in (sign_in_page (window)));
  g_assert_cmpint (adw_combo_row_get_selected (sign_in_page (window)->aws_section->source_row), ==,
                   STOMPY_CREDENTIAL_SOURCE_GUIDED);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sign_in_page (window)->aws_section->account_id_row)),
                   ==, SOLO_ACCOUNT);
  go_on (window, STOMPY_STEP_PRODUCTS);

  /* SpoTainer unticked: out of the indicator, the navigation and the panel. */
  gtk_check_button_set_active (products_page (window)->spotainer_check, FALSE);
  go_on (window, STOMPY_STEP_ANALYSAVER);
  assert_panel_groups (window, STOMPY_PRODUCT_ANALYSAVER);
  g_assert_cmpstr (indicator (window, STOMPY_STEP_SPOTAINER), ==, "skipped");
  go_on (window, STOMPY_STEP_CONNECT);
  g_assert_null (summary_value (window, _("SpoTainer Role")));
  go_back (window, STOMPY_STEP_ANALYSAVER);
  go_back (window, STOMPY_STEP_PRODUCTS);

  /* AnalySaver unticked instead: its step, bucket, report and stack go. */
  gtk_check_button_set_active (products_page (window)->analysaver_check, FALSE);
  gtk_check_button_set_active (products_page (window)->spotainer_check, TRUE);
  go_on (window, STOMPY_STEP_SPOTAINER);
  assert_panel_groups (window, STOMPY_PRODUCT_SPOTAINER);
  g_assert_cmpstr (indicator (window, STOMPY_STEP_ANALYSAVER), ==, "skipped");
  g_assert_cmpstr (indicator (window, STOMPY_STEP_SPOTAINER), ==, "current");
  /* Its pasted role was kept while it was unticked. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spotainer_template->role_arn_row)), ==,
                   spotainer_role);
  go_back (window, STOMPY_STEP_PRODUCTS);
  go_on (window, STOMPY_STEP_SPOTAINER);
  go_on (window, STOMPY_STEP_CONNECT);
  g_assert_null (summary_value (window, _("AnalySaver Role")));
  g_assert_null (summary_value (window, _("Cost and Usage Report")));
  go_back (window, STOMPY_STEP_SPOTAINER);
  go_on (window, STOMPY_STEP_CONNECT);

  connect_until_done (window);
  g_assert_cmpstr (connection_status (), ==, "connected");
  /* Back from the end, and on again: the same connection. */
  go_back (window, STOMPY_STEP_CONNECT);
  go_on (window, STOMPY_STEP_DONE);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);

  close_window (window);
}

/* Stompy refuses a value (422 validation_failed): the message is shown at
 * the field it names; nothing was connected, and Connect may be pressed again. */
static void
test_connect_validation_failed (void)
{
  StompyWindow *window;
  StompyConnectPage *page;
  g_autoptr(JsonNode) reply = NULL;
  const char *label;

  reset_world ();
  window = open_window ();
  start_flow (window, OPS_EMAIL, OPS_PASSWORD, SOLO_ACCOUNT, STOMPY_PRODUCT_ANALYSAVER);
  analysaver_guided (window, "arn:aws:iam::" SOLO_ACCOUNT ":role/StompyAnalySaverRole");
  go_on (window, STOMPY_STEP_CONNECT);
  page = connect_page (window);
  reply = stompy_test_emulator_control (emulator, "faults",
                                        "{\"target\": \"stompy:POST /aws/accounts\","
                                        " \"kind\": \"validation_failed\","
                                        " \"fields\": {\"analysaver.role_arn\":"
                                        " \"This role does not trust Stompy.\"}}");
  press_connect (window);
  SPIN_UNTIL (!window->submitting);

  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_CONNECT);
  g_assert_true (gtk_widget_get_visible (page->error_box));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->sign_in_again_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->checks_group)));
  /* One message, at the field it names. */
  g_assert_cmpuint (page->field_labels->len, ==, 1);
  label = gtk_label_get_label (g_ptr_array_index (page->field_labels, 0));
  g_assert_true (stompy_test_contains (label, _("AnalySaver role")));
  g_assert_true (stompy_test_contains (label, "This role does not trust Stompy."));
  g_assert_false (stompy_connection_get_submitted (stompy_onboarding_get_connection (model ())));
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 0);
  screenshot (window, "connect-validation-failed");

  /* Refused, not broken: the next Connect is a new request, and succeeds. */
  connect_until_done (window);
  g_assert_cmpstr (connection_status (), ==, "waiting_for_data");
  g_assert_false (gtk_widget_get_visible (page->error_box));
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"), ==, 2);
  g_assert_cmpint (stompy_test_creations (emulator, "stompy:aws_account"), ==, 1);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  stompy_test_ui_init (&argc, &argv);

  g_test_add_func ("/flow-ui/pages/create-and-finalize", test_pages_create_finalize);
  g_test_add_func ("/flow-ui/automatic/analysaver-only-waits-for-data",
                   test_automatic_analysaver_only);
  g_test_add_func ("/flow-ui/automatic/spotainer-only-connected", test_automatic_spotainer_only);
  g_test_add_func ("/flow-ui/automatic/both-with-back-and-unticking", test_automatic_both_with_back);
  g_test_add_func ("/flow-ui/guided/both-with-pasted-values", test_guided_both);
  g_test_add_func ("/flow-ui/guided/analysaver-only-waits-for-data", test_guided_analysaver_only);
  g_test_add_func ("/flow-ui/guided/spotainer-only-connected", test_guided_spotainer_only);
  g_test_add_func ("/flow-ui/back/every-page-keeps-entries-and-unticking-removes-a-product",
                   test_back_from_every_page);
  g_test_add_func ("/flow-ui/resume/after-each-step-finishes-creating-nothing-twice",
                   test_resume_after_each_step);
  g_test_add_func ("/flow-ui/resume/analysaver-step-after-stack-created",
                   test_resume_at_analysaver_step);
  g_test_add_func ("/flow-ui/resume/connect-step-after-submitting", test_resume_at_connect_step);
  g_test_add_func ("/flow-ui/connect/failed-check-links-to-its-step", test_connect_failed_check);
  g_test_add_func ("/flow-ui/connect/account-already-connected-names-organization",
                   test_connect_already_connected);
  g_test_add_func ("/flow-ui/connect/forbidden-asks-for-an-administrator", test_connect_forbidden);
  g_test_add_func ("/flow-ui/connect/token-expired-sign-in-again-continues",
                   test_connect_token_expired);
  g_test_add_func ("/flow-ui/connect/missing-pieces-link-back", test_connect_missing_links_back);
  g_test_add_func ("/flow-ui/connect/validation-failed-shown-at-its-field",
                   test_connect_validation_failed);

  status = g_test_run ();

  stompy_test_ui_shutdown (&app, &emulator);

  return status;
}
