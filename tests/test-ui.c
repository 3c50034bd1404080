/* test-ui.c — the wizard's first two steps, driven through their widgets
 *
 * Runs under Xvfb with a private keyring (tests/with-keyring.sh) against the
 * project's emulator: signs in to Stompy, verifies AWS keys, chooses products,
 * and checks what the user would see at each point.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "stompy-analysaver-page-private.h"
#include "stompy-application.h"
#include "stompy-aws-account-section-private.h"
#include "stompy-cur-section-private.h"
#include "stompy-done-page-private.h"
#include "stompy-error-messages.h"
#include "stompy-error.h"
#include "stompy-products-page-private.h"
#include "stompy-secret-store.h"
#include "stompy-sign-in-page-private.h"
#include "stompy-status-panel-private.h"
#include "stompy-stompy-account-section-private.h"
#include "stompy-template-section-private.h"
#include "stompy-test-emulator.h"
#include "stompy-test-ui.h"
#include "stompy-test-util.h"
#include "stompy-validate.h"
#include "stompy-window-private.h"

#define OPS_EMAIL       "ops@example.com"
#define OPS_PASSWORD    "correct horse battery staple"
#define MGMT_KEY_ID     "AKIAEMULATORMGMT0001"
#define MGMT_SECRET     "EmulatorMgmtSecretKey/000000000000000010"
#define MEMBER_KEY_ID   "AKIAEMULATORMEMBER01"
#define MEMBER_SECRET   "EmulatorMemberSecretKey/0000000000000010"
#define SPIN_TIMEOUT_US (30 * G_USEC_PER_SEC)

static StompyTestEmulator *emulator;
static StompyApplication *app;

/* ------------------------------------------------------------------ helpers */

#define SPIN_UNTIL(cond) STOMPY_TEST_SPIN_UNTIL (cond, SPIN_TIMEOUT_US)

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

/* Every test starts from nothing: no saved progress, no token, no remembered key. */
static void
reset_world (void)
{
  StompyApplication *application = get_app ();
  StompyApiClient *client = stompy_application_get_api_client (application);
  const char *ids[] = { MGMT_KEY_ID, MEMBER_KEY_ID };
  GAsyncResult *result = NULL;

  stompy_onboarding_reset (stompy_application_get_model (application));
  stompy_application_set_aws_client (application, NULL);
  stompy_api_client_set_token (client, NULL);

  stompy_secret_store_clear_token_async (stompy_api_client_get_base_url (client), NULL,
                                         stompy_test_store_result_cb, &result);
  SPIN_UNTIL (result != NULL);
  g_assert_true (stompy_secret_store_clear_token_finish (result, NULL));
  g_clear_object (&result);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      stompy_secret_store_clear_aws_async (ids[i], NULL, stompy_test_store_result_cb, &result);
      SPIN_UNTIL (result != NULL);
      g_assert_true (stompy_secret_store_clear_aws_finish (result, NULL));
      g_clear_object (&result);
    }
}

static StompyWindow *
open_window (void)
{
  StompyWindow *window = stompy_window_new (get_app ());

  gtk_window_present (GTK_WINDOW (window));
  stompy_window_start (window);
  return window;
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

/* Destroys the window and checks that it, its pages and the sign-in page's
 * sections are freed. */
static void
close_window (StompyWindow *window)
{
  StompySignInPage *sign_in = sign_in_page (window);
  GObject *pages[] = {
    g_object_ref (G_OBJECT (sign_in)),
    g_object_ref (G_OBJECT (sign_in->stompy_section)),
    g_object_ref (G_OBJECT (sign_in->aws_section)),
    g_object_ref (G_OBJECT (_stompy_window_get_page (window, STOMPY_STEP_PRODUCTS))),
  };

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  /* As the application's shutdown does, once its window is closed: nothing
   * of this test asks the emulator during the next one. */
  stompy_status_poller_stop (stompy_application_get_status_poller (get_app ()));

  /* Cancelled operations still call back once, holding a reference till then. */
  SPIN_UNTIL (G_OBJECT (window)->ref_count == 1);
  g_assert_finalize_object (window);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      SPIN_UNTIL (pages[i]->ref_count == 1);
      g_assert_finalize_object (pages[i]);
    }
}

static gboolean
focus_within (StompyWindow *window,
              gpointer      widget)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));

  return focus != NULL
         && (focus == widget || gtk_widget_is_ancestor (focus, GTK_WIDGET (widget)));
}

static void
wait_session_checked (StompySignInPage *page)
{
  SPIN_UNTIL (!page->stompy_section->checking_session);
}

static void
sign_in (StompySignInPage *page,
         const char       *email,
         const char       *password)
{
  StompyStompyAccountSection *stompy = page->stompy_section;

  wait_session_checked (page);
  gtk_editable_set_text (GTK_EDITABLE (stompy->email_row), email);
  gtk_editable_set_text (GTK_EDITABLE (stompy->password_row), password);
  stompy_test_click (stompy->sign_in_button);
  g_assert_true (stompy->signing_in);
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_BUSY);
  SPIN_UNTIL (!stompy->signing_in);
}

static void
verify_access_key (StompySignInPage *page,
                   const char       *key_id,
                   const char       *secret)
{
  StompyAwsAccountSection *aws = page->aws_section;

  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_TYPED);
  gtk_editable_set_text (GTK_EDITABLE (aws->access_key_row), key_id);
  gtk_editable_set_text (GTK_EDITABLE (aws->secret_row), secret);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (aws->verify_button)));
  stompy_test_click (aws->verify_button);
  g_assert_true (aws->verifying);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->verify_spinner)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->verify_cancel_button)));
  SPIN_UNTIL (!aws->verifying);
}

static gboolean
continue_enabled (StompyWindow *window)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (window->primary_button));
}

/* -------------------------------------------------------------------- tests */

static void
test_window_create_finalize (void)
{
  StompyWindow *window;

  reset_world ();
  window = open_window ();

  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_SIGN_IN);
  g_assert_true (gtk_stack_get_visible_child (window->stack)
                 == GTK_WIDGET (_stompy_window_get_page (window, STOMPY_STEP_SIGN_IN)));
  g_assert_cmpstr (stompy_step_indicator_get_item_state (window->step_indicator, STOMPY_STEP_SIGN_IN),
                   ==, "current");
  g_assert_cmpstr (stompy_step_indicator_get_item_state (window->step_indicator, STOMPY_STEP_CONNECT),
                   ==, "pending");
  /* Enter activates the primary button. */
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window))
                 == GTK_WIDGET (window->primary_button));
  /* Step 3 has its page; a step still to be built has none rather than a
   * placeholder, and every page there is is a real one. */
  g_assert_nonnull (_stompy_window_get_page (window, STOMPY_STEP_ANALYSAVER));
  for (StompyStep step = STOMPY_STEP_SIGN_IN; step <= STOMPY_STEP_DONE; step++)
    {
      StompyPage *page = _stompy_window_get_page (window, step);

      g_assert_true (page == NULL || STOMPY_IS_PAGE (page));
    }

  wait_session_checked (sign_in_page (window));
  g_assert_false (continue_enabled (window));

  close_window (window);
}

/* The application's one status poller: the panel shows it, it follows the
 * application's AWS client, and it asks nothing until the window starts. */
static void
test_application_status_poller (void)
{
  StompyApplication *application = get_app ();
  StompyStatusPoller *poller = stompy_application_get_status_poller (application);
  StompyOnboarding *model = stompy_application_get_model (application);
  g_autoptr(StompyAwsCredentials) credentials = NULL;
  g_autoptr(StompyAwsClient) client = NULL;
  StompyWindow *window;
  gint64 before;

  reset_world ();
  g_assert_nonnull (poller);
  g_assert_null (stompy_status_poller_get_client (poller));

  credentials = stompy_aws_credentials_new (MGMT_KEY_ID, MGMT_SECRET, NULL, "test");
  client = stompy_aws_client_new (stompy_application_get_session (application), credentials,
                                  "ap-southeast-1", NULL, NULL, NULL);
  stompy_application_set_aws_client (application, client);
  g_assert_true (stompy_status_poller_get_client (poller) == client);

  /* Something to ask about, and a window not started yet: nothing is queued. */
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  stompy_cur_choice_set_report (stompy_onboarding_get_cur_choice (model),
                                STOMPY_CUR_ORIGIN_EXISTING, "stompy-ready-cur",
                                "stompy-existing-cur-210987654321", "cur", "ap-southeast-1");
  before = stompy_test_emulator_count_requests (emulator, "cur:DescribeReportDefinitions");
  window = stompy_window_new (application);
  g_assert_true (_stompy_status_panel_get_poller (_stompy_window_get_status_panel (window))
                 == poller);
  for (guint i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpint (stompy_status_poller_get_report_state (poller), ==, STOMPY_STATUS_STATE_NONE);
  g_assert_false (stompy_status_poller_get_busy (poller));
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cur:DescribeReportDefinitions"),
                   ==, before);

  /* Shown and started: the poller looks. */
  gtk_window_present (GTK_WINDOW (window));
  stompy_window_start (window);
  g_assert_false (stompy_status_poller_get_settled (poller));
  SPIN_UNTIL (stompy_status_poller_get_report_state (poller) == STOMPY_STATUS_STATE_KNOWN);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cur:DescribeReportDefinitions"),
                   >, before);

  stompy_application_set_aws_client (application, NULL);
  g_assert_null (stompy_status_poller_get_client (poller));

  close_window (window);
}

/* A page written against the base class only, as the pages of later steps are. */
#define TEST_TYPE_PAGE (test_page_get_type ())
G_DECLARE_FINAL_TYPE (TestPage, test_page, TEST, PAGE, StompyPage)

struct _TestPage
{
  StompyPage parent_instance;
  guint      starts;
};

G_DEFINE_FINAL_TYPE (TestPage, test_page, STOMPY_TYPE_PAGE)

static void
test_page_start (StompyPage *page)
{
  TEST_PAGE (page)->starts++;
}

static void
test_page_submit_async (StompyPage          *page,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (page, cancellable, callback, user_data);

  g_task_set_source_tag (task, test_page_submit_async);
  stompy_page_set_state (page, STOMPY_PAGE_STATE_DONE);
  g_task_return_boolean (task, TRUE);
}

static void
test_page_class_init (TestPageClass *klass)
{
  STOMPY_PAGE_CLASS (klass)->start = test_page_start;
  STOMPY_PAGE_CLASS (klass)->submit_async = test_page_submit_async;
}

static void
test_page_init (TestPage *self)
{
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_page_base_class (void)
{
  StompyApplication *application = get_app ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StompyPage *page;
  guint notified = 0;

  page = g_object_new (TEST_TYPE_PAGE, "application", application, NULL);
  g_object_ref_sink (page);

  g_assert_true (stompy_page_get_application (page) == application);
  g_assert_true (stompy_page_get_model (page) == stompy_application_get_model (application));
  g_assert_true (GTK_IS_BIN_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (page))));
  g_assert_cmpint (stompy_page_get_state (page), ==, STOMPY_PAGE_STATE_IDLE);

  /* "state" is notified when it changes, and only then. */
  g_signal_connect (page, "notify::state", G_CALLBACK (count_cb), &notified);
  stompy_page_set_state (page, STOMPY_PAGE_STATE_READY);
  stompy_page_set_state (page, STOMPY_PAGE_STATE_READY);
  g_assert_cmpuint (notified, ==, 1);

  /* start() runs once; the virtual functions a page leaves out do nothing. */
  stompy_page_start (page);
  stompy_page_start (page);
  g_assert_cmpuint (TEST_PAGE (page)->starts, ==, 1);
  stompy_page_cancel (page);
  stompy_page_reset (page);

  /* The default submit_finish() takes the task's boolean. */
  stompy_page_submit_async (page, NULL, stompy_test_store_result_cb, &result);
  SPIN_UNTIL (result != NULL);
  g_assert_true (stompy_page_submit_finish (page, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stompy_page_get_state (page), ==, STOMPY_PAGE_STATE_DONE);
  g_assert_cmpuint (notified, ==, 2);
  g_clear_object (&result);

  g_assert_finalize_object (page);
}

static void
test_stompy_account_section_create_finalize (void)
{
  StompyStompyAccountSection *section;

  reset_world ();
  section = STOMPY_STOMPY_ACCOUNT_SECTION (stompy_stompy_account_section_new (get_app ()));
  g_object_ref_sink (section);

  g_assert_true (stompy_section_get_application (STOMPY_SECTION (section)) == get_app ());
  g_assert_true (GTK_IS_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (section))));
  /* Until start() has checked the keyring, the session is unknown. */
  g_assert_false (stompy_stompy_account_section_get_signed_in (section));
  g_assert_false (stompy_section_get_ready (STOMPY_SECTION (section)));
  g_assert_true (stompy_section_get_busy (STOMPY_SECTION (section)));
  g_assert_false (stompy_section_get_failed (STOMPY_SECTION (section)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section->email_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (section->signed_in_row)));

  g_assert_finalize_object (section);
}

static void
test_aws_account_section_create_finalize (void)
{
  StompyAwsAccountSection *section;

  reset_world ();
  section = STOMPY_AWS_ACCOUNT_SECTION (stompy_aws_account_section_new (get_app ()));
  g_object_ref_sink (section);

  g_assert_true (stompy_section_get_model (STOMPY_SECTION (section))
                 == stompy_application_get_model (get_app ()));
  g_assert_false (stompy_section_get_ready (STOMPY_SECTION (section)));
  g_assert_false (stompy_section_get_busy (STOMPY_SECTION (section)));
  g_assert_false (stompy_section_get_failed (STOMPY_SECTION (section)));
  /* The default source is a profile, which Verify needs read first. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section->profile_row)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (section->verify_button)));
  /* Hidden parts are built when first shown, not for the first frame: the
   * other sources' rows, Verify's spinner and the identity. */
  g_assert_null (section->env_row);
  g_assert_null (section->access_key_row);
  g_assert_null (section->account_id_row);
  g_assert_null (section->verify_spinner);
  g_assert_null (section->identity_group);

  g_assert_finalize_object (section);
}

static void
test_sign_in_page_create_finalize (void)
{
  StompySignInPage *page;
  gpointer stompy;
  gpointer aws;

  reset_world ();
  page = STOMPY_SIGN_IN_PAGE (stompy_sign_in_page_new (get_app ()));
  g_object_ref_sink (page);

  g_assert_true (stompy_page_get_application (STOMPY_PAGE (page)) == get_app ());
  g_assert_true (GTK_IS_BIN_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (page))));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (page->stompy_section), GTK_WIDGET (page)));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (page->aws_section), GTK_WIDGET (page)));
  /* Busy until the stored session is checked. */
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_BUSY);
  g_assert_false (stompy_sign_in_page_get_signed_in (page));

  stompy = page->stompy_section;
  aws = page->aws_section;
  g_object_add_weak_pointer (G_OBJECT (stompy), &stompy);
  g_object_add_weak_pointer (G_OBJECT (aws), &aws);

  g_assert_finalize_object (page);
  g_assert_null (stompy);
  g_assert_null (aws);
}

static void
test_products_page_create_finalize (void)
{
  StompyProductsPage *page;

  reset_world ();
  page = STOMPY_PRODUCTS_PAGE (stompy_products_page_new (get_app ()));
  g_object_ref_sink (page);

  g_assert_true (stompy_page_get_application (STOMPY_PAGE (page)) == get_app ());
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_IDLE);
  gtk_check_button_set_active (page->spotainer_check, TRUE);
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_READY);

  g_assert_finalize_object (page);
}

static void
test_wrong_password_inline_error (void)
{
  StompyWindow *window;
  StompySignInPage *page;
  StompyStompyAccountSection *stompy;

  reset_world ();
  window = open_window ();
  page = sign_in_page (window);
  stompy = page->stompy_section;

  sign_in (page, OPS_EMAIL, "not the password");

  g_assert_false (stompy->signed_in);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (stompy->error_label)));
  g_assert_true (stompy_test_contains (gtk_label_get_label (stompy->error_label), "password"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (stompy->password_row), "error"));
  g_assert_true (focus_within (window, stompy->password_row));
  g_assert_false (continue_enabled (window));

  /* Typing again clears the error style. */
  gtk_editable_set_text (GTK_EDITABLE (stompy->password_row), "x");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (stompy->password_row), "error"));

  /* An email that is not one is caught before any request. */
  gtk_editable_set_text (GTK_EDITABLE (stompy->email_row), "ops at example");
  stompy_test_click (stompy->sign_in_button);
  g_assert_false (stompy->signing_in);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (stompy->email_row), "error"));
  g_assert_true (focus_within (window, stompy->email_row));

  close_window (window);
}

/* The whole of steps 1 and 2 with the management account. */
static void
run_main_flow (void)
{
  StompyOnboarding *model = stompy_application_get_model (get_app ());
  g_autoptr(StompyOnboarding) reread = NULL;
  g_autoptr(GError) error = NULL;
  StompyWindow *window;
  StompySignInPage *page;
  StompyStompyAccountSection *stompy;
  StompyAwsAccountSection *aws;
  StompyProductsPage *products;
  const StompyAwsIdentity *identity;
  GAsyncResult *result = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *stored_email = NULL;
  guint saves_before;

  reset_world ();
  window = open_window ();
  page = sign_in_page (window);
  stompy = page->stompy_section;
  aws = page->aws_section;

  sign_in (page, OPS_EMAIL, OPS_PASSWORD);
  g_assert_true (stompy->signed_in);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (stompy->error_label)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (stompy->signed_in_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (stompy->email_row)));
  g_assert_true (stompy_test_contains (adw_preferences_row_get_title (
                                         ADW_PREFERENCES_ROW (stompy->signed_in_row)),
                                       "Li Wei"));
  g_assert_true (stompy_test_contains (adw_action_row_get_subtitle (stompy->signed_in_row),
                                       OPS_EMAIL));
  g_assert_true (stompy_test_contains (adw_action_row_get_subtitle (stompy->signed_in_row),
                                       "Example Ltd"));
  g_assert_cmpstr (stompy_onboarding_get_stompy_email (model), ==, OPS_EMAIL);
  g_assert_cmpstr (stompy_onboarding_get_stompy_organization (model), ==, "Example Ltd");
  /* Signed in, but no AWS account yet. */
  g_assert_false (continue_enabled (window));

  /* The token went to the keyring. */
  SPIN_UNTIL (!stompy->saving_token);
  stompy_secret_store_lookup_token_async (stompy_test_emulator_get_api_url (emulator), NULL,
                                          stompy_test_store_result_cb, &result);
  SPIN_UNTIL (result != NULL);
  stored = stompy_secret_store_lookup_token_finish (result, &stored_email, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored_email, ==, OPS_EMAIL);

  verify_access_key (page, MGMT_KEY_ID, MGMT_SECRET);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (aws->error_label)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->identity_group)));
  g_assert_cmpstr (adw_action_row_get_subtitle (aws->account_row), ==, "210987654321");
  g_assert_cmpstr (adw_action_row_get_subtitle (aws->arn_row), ==,
                   "arn:aws:iam::210987654321:user/ops-admin");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (aws->root_row)));
  identity = stompy_onboarding_get_identity (model);
  g_assert_nonnull (identity);
  g_assert_cmpstr (identity->account_id, ==, "210987654321");
  g_assert_cmpstr (stompy_organization_role_to_string (identity->organization_role), ==, "management");
  g_assert_cmpint (stompy_onboarding_get_credential_source (model), ==,
                   STOMPY_CREDENTIAL_SOURCE_TYPED);
  g_assert_cmpstr (stompy_onboarding_get_access_key_id (model), ==, MGMT_KEY_ID);
  g_assert_nonnull (stompy_application_get_aws_client (get_app ()));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->advice_label)));
  g_assert_cmpstr (gtk_label_get_label (aws->advice_label), ==,
                   _("This is the management account of your organization, as recommended: it sees the cost data of every member account, and Stompy can apply optimizations to them."));
  if (!stompy_test_has_cjk (gtk_label_get_label (aws->advice_label)))
    g_assert_true (stompy_test_contains (adw_action_row_get_subtitle (aws->organization_row),
                                         "Management"));

  /* Continue is on; Enter (the default widget) and a click do the same. */
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_READY);
  g_assert_true (continue_enabled (window));
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_PRODUCTS);
  g_assert_cmpint (stompy_onboarding_get_step (model), ==, STOMPY_STEP_PRODUCTS);
  g_assert_cmpstr (stompy_step_indicator_get_item_state (window->step_indicator, STOMPY_STEP_SIGN_IN),
                   ==, "done");
  g_assert_cmpstr (stompy_step_indicator_get_item_state (window->step_indicator, STOMPY_STEP_PRODUCTS),
                   ==, "current");

  /* The management account's recommendations, and only those. */
  products = products_page (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (products->recommendations_group)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (products->recommend_both_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (products->recommend_analysaver_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (products->recommend_spotainer_row)));

  /* At least one product is needed. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (products->hint_label)));
  g_assert_false (continue_enabled (window));

  /* "Choose this" ticks both; then the user unticks SpoTainer. */
  stompy_test_click (products->recommend_both_button);
  g_assert_true (gtk_check_button_get_active (products->analysaver_check));
  g_assert_true (gtk_check_button_get_active (products->spotainer_check));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (products->hint_label)));
  gtk_check_button_set_active (products->spotainer_check, FALSE);
  g_assert_true (continue_enabled (window));
  /* Not in the model before Continue. */
  g_assert_cmpint (stompy_onboarding_get_products (model), ==, STOMPY_PRODUCT_NONE);

  saves_before = stompy_onboarding_get_save_count (model);
  stompy_test_click (window->primary_button);
  /* On to step 3, the AnalySaver page; SpoTainer is skipped. */
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_ANALYSAVER);
  g_assert_cmpint (stompy_onboarding_get_products (model), ==, STOMPY_PRODUCT_ANALYSAVER);
  g_assert_cmpuint (stompy_onboarding_get_save_count (model), >, saves_before);
  g_assert_cmpstr (stompy_step_indicator_get_item_state (window->step_indicator, STOMPY_STEP_SPOTAINER),
                   ==, "skipped");
  g_assert_cmpstr (stompy_step_indicator_get_item_state (window->step_indicator, STOMPY_STEP_ANALYSAVER),
                   ==, "current");

  /* The state file has the choice, and no secret. */
  reread = stompy_onboarding_new (stompy_onboarding_get_path (model));
  g_assert_true (stompy_onboarding_load (reread, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stompy_onboarding_get_products (reread), ==, STOMPY_PRODUCT_ANALYSAVER);
  g_assert_cmpstr (stompy_onboarding_get_account_id (reread), ==, "210987654321");
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (stompy_onboarding_get_path (model), &contents, NULL, NULL));
    g_assert_null (strstr (contents, MGMT_SECRET));
    g_assert_null (strstr (contents, OPS_PASSWORD));
    g_assert_null (strstr (contents, stored));
  }

  /* Back works, a step at a time. */
  stompy_test_click (window->back_button);
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_PRODUCTS);
  stompy_test_click (window->back_button);
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_SIGN_IN);

  stompy_secret_free (g_steal_pointer (&stored));
  close_window (window);
}

static void
test_main_flow (void)
{
  run_main_flow ();
}

static void
test_member_advice (void)
{
  StompyOnboarding *model = stompy_application_get_model (get_app ());
  StompyWindow *window;
  StompySignInPage *page;
  StompyAwsAccountSection *aws;
  StompyProductsPage *products;

  reset_world ();
  window = open_window ();
  page = sign_in_page (window);
  aws = page->aws_section;

  sign_in (page, OPS_EMAIL, OPS_PASSWORD);
  verify_access_key (page, MEMBER_KEY_ID, MEMBER_SECRET);

  g_assert_cmpstr (adw_action_row_get_subtitle (aws->account_row), ==, "345678901234");
  g_assert_cmpint (stompy_onboarding_get_identity (model)->organization_role, ==,
                   STOMPY_ORGANIZATION_ROLE_MEMBER);
  g_assert_cmpstr (gtk_label_get_label (aws->advice_label), ==,
                   _("This is a member account: Stompy will see only this account’s cost data. For organization-wide StompyAnalySaver advice, use the management account."));
  g_assert_true (stompy_test_contains (adw_action_row_get_subtitle (aws->organization_row),
                                       "210987654321"));

  products = products_page (window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (products->recommend_both_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (products->recommend_spotainer_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (products->recommend_analysaver_row)));
  stompy_test_click (products->recommend_spotainer_button);
  g_assert_false (gtk_check_button_get_active (products->analysaver_check));
  g_assert_true (gtk_check_button_get_active (products->spotainer_check));

  /* Another source forgets the verified identity. */
  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_ENVIRONMENT);
  g_assert_null (stompy_onboarding_get_identity (model));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (aws->identity_group)));
  g_assert_false (continue_enabled (window));

  close_window (window);
}

static void
test_wrong_secret_shown_in_place (void)
{
  StompyWindow *window;
  StompySignInPage *page;
  StompyAwsAccountSection *aws;
  const char *message;

  reset_world ();
  window = open_window ();
  page = sign_in_page (window);
  aws = page->aws_section;

  sign_in (page, OPS_EMAIL, OPS_PASSWORD);
  verify_access_key (page, MGMT_KEY_ID, "WrongSecretKeyWrongSecretKeyWrongSecret0");

  g_assert_null (stompy_onboarding_get_identity (stompy_application_get_model (get_app ())));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->error_label)));
  message = gtk_label_get_label (aws->error_label);
  g_assert_true (g_str_has_prefix (message,
                                   _("The secret access key does not match the access key ID. Copy the secret again.")));
  /* Support can find the request. */
  g_assert_true (stompy_test_contains (message, "Request ID") || stompy_test_has_cjk (message));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (aws->secret_row), "error"));
  g_assert_true (focus_within (window, aws->secret_row));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (aws->identity_group)));
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_ERROR);
  g_assert_false (continue_enabled (window));

  close_window (window);
}

static void
test_verify_cancelled_says_nothing (void)
{
  StompyWindow *window;
  StompySignInPage *page;
  StompyAwsAccountSection *aws;

  reset_world ();
  window = open_window ();
  page = sign_in_page (window);
  aws = page->aws_section;
  sign_in (page, OPS_EMAIL, OPS_PASSWORD);

  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_TYPED);
  gtk_editable_set_text (GTK_EDITABLE (aws->access_key_row), MGMT_KEY_ID);
  gtk_editable_set_text (GTK_EDITABLE (aws->secret_row), MGMT_SECRET);
  stompy_test_click (aws->verify_button);
  g_assert_true (aws->verifying);

  /* Escape cancels. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL);
  SPIN_UNTIL (!aws->verifying);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (aws->error_label)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (aws->verify_spinner)));
  g_assert_null (stompy_onboarding_get_identity (stompy_application_get_model (get_app ())));
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_IDLE);

  close_window (window);
}

static void
test_access_key_validated_as_typed (void)
{
  StompyWindow *window;
  StompySignInPage *page;
  StompyAwsAccountSection *aws;

  reset_world ();
  window = open_window ();
  page = sign_in_page (window);
  aws = page->aws_section;
  wait_session_checked (page);

  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_TYPED);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->access_key_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->remember_row)));
  /* Guided mode's row is not shown, nor built until that mode is chosen. */
  g_assert_true (aws->account_id_row == NULL
                 || !gtk_widget_get_visible (GTK_WIDGET (aws->account_id_row)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (aws->verify_button)));

  gtk_editable_set_text (GTK_EDITABLE (aws->access_key_row), "akiaemulatormgmt0001");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->hint_label)));
  g_assert_true (stompy_test_contains (gtk_label_get_label (aws->hint_label),
                                       stompy_invalid_reason_sentence (STOMPY_INVALID_ACCESS_KEY_ID_CHARS)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (aws->access_key_row), "error"));

  gtk_editable_set_text (GTK_EDITABLE (aws->access_key_row), MGMT_KEY_ID);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (aws->hint_label)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (aws->verify_button)));
  gtk_editable_set_text (GTK_EDITABLE (aws->secret_row), MGMT_SECRET);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (aws->verify_button)));

  close_window (window);
}

static void
test_guided_account_id (void)
{
  StompyOnboarding *model = stompy_application_get_model (get_app ());
  StompyWindow *window;
  StompySignInPage *page;
  StompyAwsAccountSection *aws;

  reset_world ();
  window = open_window ();
  page = sign_in_page (window);
  aws = page->aws_section;
  sign_in (page, OPS_EMAIL, OPS_PASSWORD);

  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_GUIDED);
  g_assert_cmpint (stompy_onboarding_get_credential_source (model), ==, STOMPY_CREDENTIAL_SOURCE_GUIDED);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->account_id_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->guided_label)));
  g_assert_false (gtk_widget_get_visible (aws->verify_box));
  g_assert_false (continue_enabled (window));

  gtk_editable_set_text (GTK_EDITABLE (aws->account_id_row), "21098765");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (aws->hint_label)));
  g_assert_true (stompy_test_contains (gtk_label_get_label (aws->hint_label),
                                       stompy_invalid_reason_sentence (STOMPY_INVALID_ACCOUNT_ID)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (aws->account_id_row), "error"));
  g_assert_null (stompy_onboarding_get_account_id (model));
  g_assert_false (continue_enabled (window));

  gtk_editable_set_text (GTK_EDITABLE (aws->account_id_row), "210987654321");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (aws->hint_label)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (aws->account_id_row), "error"));
  g_assert_cmpstr (stompy_onboarding_get_account_id (model), ==, "210987654321");
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_READY);
  g_assert_true (continue_enabled (window));

  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_PRODUCTS);
  /* Guided mode cannot tell the account's role: every recommendation shows. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (products_page (window)->recommend_both_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (products_page (window)->recommend_spotainer_row)));

  close_window (window);
}

static void
test_stored_session_restored (void)
{
  StompyOnboarding *model = stompy_application_get_model (get_app ());
  StompyWindow *window;
  StompySignInPage *page;
  StompyStompyAccountSection *stompy;

  reset_world ();
  window = open_window ();
  sign_in (sign_in_page (window), OPS_EMAIL, OPS_PASSWORD);
  g_assert_true (sign_in_page (window)->stompy_section->signed_in);
  SPIN_UNTIL (!sign_in_page (window)->stompy_section->saving_token);
  close_window (window);

  /* A new start: the client has no token until the keyring gives it back. */
  stompy_api_client_set_token (stompy_application_get_api_client (get_app ()), NULL);
  window = open_window ();
  page = sign_in_page (window);
  stompy = page->stompy_section;
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_BUSY);
  wait_session_checked (page);
  g_assert_true (stompy->signed_in);
  g_assert_true (stompy_test_contains (adw_action_row_get_subtitle (stompy->signed_in_row),
                                       OPS_EMAIL));

  /* Sign Out clears it. */
  stompy_test_click (stompy->sign_out_button);
  SPIN_UNTIL (!stompy->signing_out);
  g_assert_false (stompy->signed_in);
  g_assert_null (stompy_onboarding_get_stompy_email (model));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (stompy->email_row)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stompy->email_row)), ==, OPS_EMAIL);
  g_assert_null (stompy_api_client_get_token (stompy_application_get_api_client (get_app ())));
  close_window (window);

  window = open_window ();
  page = sign_in_page (window);
  stompy = page->stompy_section;
  wait_session_checked (page);
  g_assert_false (stompy->signed_in);
  close_window (window);
}

static void
test_expired_session_asks_to_sign_in (void)
{
  StompyApiClient *client = stompy_application_get_api_client (get_app ());
  StompyWindow *window;
  StompySignInPage *page;
  StompyStompyAccountSection *stompy;
  GAsyncResult *result = NULL;
  char *token;

  reset_world ();
  stompy_secret_store_save_token_async (stompy_api_client_get_base_url (client), OPS_EMAIL,
                                        "stp_not_a_token_the_service_issued", NULL,
                                        stompy_test_store_result_cb, &result);
  SPIN_UNTIL (result != NULL);
  g_assert_true (stompy_secret_store_save_token_finish (result, NULL));
  g_clear_object (&result);

  window = open_window ();
  page = sign_in_page (window);
  stompy = page->stompy_section;
  wait_session_checked (page);

  g_assert_false (stompy->signed_in);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (stompy->error_label)));
  g_assert_cmpstr (gtk_label_get_label (stompy->error_label), ==,
                   _("Your Stompy session has expired. Sign in again."));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stompy->email_row)), ==, OPS_EMAIL);

  /* The bad token is gone from the keyring. */
  SPIN_UNTIL (({
    GAsyncResult *lookup = NULL;
    stompy_secret_store_lookup_token_async (stompy_api_client_get_base_url (client), NULL,
                                            stompy_test_store_result_cb, &lookup);
    while (lookup == NULL)
      g_main_context_iteration (NULL, TRUE);
    token = stompy_secret_store_lookup_token_finish (lookup, NULL, NULL);
    g_object_unref (lookup);
    stompy_secret_free (token);
    token == NULL;
  }));

  close_window (window);
}

static void
test_start_over_resets_the_model (void)
{
  StompyOnboarding *model = stompy_application_get_model (get_app ());
  StompyWindow *window;
  StompySignInPage *page;
  StompyStompyAccountSection *stompy;
  StompyAwsAccountSection *aws;

  reset_world ();
  window = open_window ();
  page = sign_in_page (window);
  stompy = page->stompy_section;
  aws = page->aws_section;
  sign_in (page, OPS_EMAIL, OPS_PASSWORD);
  verify_access_key (page, MGMT_KEY_ID, MGMT_SECRET);
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_PRODUCTS);

  _stompy_window_start_over (window);
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_SIGN_IN);
  g_assert_null (stompy_onboarding_get_identity (model));
  g_assert_null (stompy_application_get_aws_client (get_app ()));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (aws->identity_group)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (aws->secret_row)), ==, "");
  /* The Stompy session is kept. */
  g_assert_true (stompy->signed_in);
  g_assert_cmpstr (stompy_onboarding_get_stompy_email (model), ==, OPS_EMAIL);
  g_assert_false (continue_enabled (window));

  close_window (window);
}

static void
test_resumes_on_saved_step (void)
{
  StompyOnboarding *model = stompy_application_get_model (get_app ());
  StompyWindow *window;
  StompySignInPage *page;
  StompyStep expected;

  reset_world ();
  window = open_window ();
  page = sign_in_page (window);
  sign_in (page, OPS_EMAIL, OPS_PASSWORD);
  verify_access_key (page, MGMT_KEY_ID, MGMT_SECRET);
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_PRODUCTS);
  close_window (window);

  /* The saved step when this build has its page; a step of a later version
   * without a page here resumes on the nearest one before it. */
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_SPOTAINER);
  stompy_onboarding_set_step (model, STOMPY_STEP_SPOTAINER);
  window = open_window ();
  expected = _stompy_window_get_page (window, STOMPY_STEP_SPOTAINER) != NULL
             ? STOMPY_STEP_SPOTAINER : STOMPY_STEP_PRODUCTS;
  g_assert_cmpint (stompy_window_get_step (window), ==, expected);
  g_assert_true (gtk_check_button_get_active (products_page (window)->spotainer_check));
  /* The user starts in the page, also once it has started: the SpoTainer
   * page makes the control that had the focus insensitive while its stack
   * section looks for its stack, and the window gives the focus back. */
  SPIN_UNTIL (window->focus_page_idle == 0);
  g_assert_nonnull (gtk_root_get_focus (GTK_ROOT (window)));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         GTK_WIDGET (_stompy_window_get_page (window, expected))));
  wait_session_checked (sign_in_page (window));
  g_assert_cmpint (stompy_window_get_step (window), ==, expected);
  close_window (window);

  /* On the last page, on Close, which Enter presses. */
  stompy_onboarding_set_step (model, STOMPY_STEP_DONE);
  window = open_window ();
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_DONE);
  SPIN_UNTIL (window->focus_page_idle == 0);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window))
                 == GTK_WIDGET (STOMPY_DONE_PAGE (_stompy_window_get_page (window, STOMPY_STEP_DONE))->close_button));
  close_window (window);
}

/* Only the current step's page is built before the first frame (issue #7):
 * the others and the status panel are built when first needed, the sign-in
 * page of a window resumed on a later step once the window starts. */
static void
test_window_builds_pages_on_demand (void)
{
  StompyOnboarding *model = stompy_application_get_model (get_app ());
  StompyWindow *window;
  StompyPage *page;

  reset_world ();
  window = stompy_window_new (get_app ());
  g_assert_nonnull (window->pages[STOMPY_STEP_SIGN_IN]);
  for (StompyStep step = STOMPY_STEP_PRODUCTS; step <= STOMPY_STEP_DONE; step++)
    g_assert_null (window->pages[step]);
  g_assert_null (window->status_panel);

  /* Asked for, a page is built into the stack, and stays hidden. */
  page = _stompy_window_get_page (window, STOMPY_STEP_PRODUCTS);
  g_assert_true (STOMPY_IS_PRODUCTS_PAGE (page));
  g_assert_true (window->pages[STOMPY_STEP_PRODUCTS] == page);
  g_assert_true (gtk_widget_get_parent (GTK_WIDGET (page)) == GTK_WIDGET (window->stack));
  g_assert_true (gtk_stack_get_visible_child (window->stack)
                 == GTK_WIDGET (window->pages[STOMPY_STEP_SIGN_IN]));
  g_assert_true (_stompy_window_get_page (window, STOMPY_STEP_PRODUCTS) == page);
  close_window (window);

  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  stompy_onboarding_set_step (model, STOMPY_STEP_ANALYSAVER);
  window = stompy_window_new (get_app ());
  g_assert_cmpint (stompy_window_get_step (window), ==, STOMPY_STEP_ANALYSAVER);
  g_assert_nonnull (window->pages[STOMPY_STEP_ANALYSAVER]);
  g_assert_nonnull (window->status_panel);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->status_panel)));
  g_assert_null (window->pages[STOMPY_STEP_SIGN_IN]);
  g_assert_null (window->pages[STOMPY_STEP_PRODUCTS]);
  g_assert_null (window->pages[STOMPY_STEP_SPOTAINER]);
  close_window (window);
  stompy_onboarding_reset (model);
}

/* A window shown as the application shows it, before it starts (which the
 * application does once the first frame is drawn). */
static StompyWindow *
show_window_unstarted (void)
{
  StompyWindow *window = stompy_window_new (get_app ());

  gtk_window_present (GTK_WINDOW (window));
  SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_false (window->started);
  return window;
}

/* The window opens with the focus on its page's first control, in its first
 * frame (before it starts): not on the header bar's first button, where the
 * toolkit would put it, nor moved there once the window is up, which would
 * draw the page again (issue #7). */
static void
test_window_opens_focused_on_page (void)
{
  StompyOnboarding *model = stompy_application_get_model (get_app ());
  StompyWindow *window;
  StompyDonePage *done;

  reset_world ();
  window = show_window_unstarted ();
  g_assert_true (focus_within (window, sign_in_page (window)->stompy_section->email_row));
  close_window (window);

  stompy_onboarding_set_step (model, STOMPY_STEP_DONE);
  window = show_window_unstarted ();
  done = STOMPY_DONE_PAGE (_stompy_window_get_page (window, STOMPY_STEP_DONE));
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (window)) == GTK_WIDGET (done->close_button));
  close_window (window);
  stompy_onboarding_reset (model);
}

/* The page the user goes to next is built and laid out ahead, hidden, in idle
 * time (issue #7), its hidden report forms too, which the window lays out by
 * showing each in place of the shown one on the hidden page for a moment:
 * pressing Continue meanwhile shows the page as it would have been. The page
 * the user leaves is laid out ahead at the width it slides out at. */
static void
test_window_prepares_next_page (void)
{
  StompyWindow *window;
  StompyPage *page;
  StompyCurSection *cur;
  const char *shown;
  GtkWidget *other, *leaving;
  guint n_sections;

  reset_world ();
  window = open_window ();
  sign_in (sign_in_page (window), OPS_EMAIL, OPS_PASSWORD);
  verify_access_key (sign_in_page (window), MGMT_KEY_ID, MGMT_SECRET);
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_PRODUCTS);
  gtk_check_button_set_active (products_page (window)->analysaver_check, TRUE);

  SPIN_UNTIL (window->pages[STOMPY_STEP_ANALYSAVER] != NULL);
  page = window->pages[STOMPY_STEP_ANALYSAVER];
  cur = STOMPY_ANALYSAVER_PAGE (page)->cur_section;
  shown = _stompy_cur_section_get_mode (cur);
  g_assert_cmpstr (shown, ==, "existing");
  other = cur->new_form;
  g_assert_false (gtk_widget_get_visible (other));
  /* Its template fetched ahead, and it is laid out while hidden, then with its
   * other forms shown, one at a time, each put back at once. */
  SPIN_UNTIL (STOMPY_ANALYSAVER_PAGE (page)->template_section->template != NULL);
  SPIN_UNTIL (g_object_get_data (G_OBJECT (other), "stompy-prepared-width") != NULL);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
  /* Each section was laid out on its own first, the others hidden for that
   * moment only: the sections are all shown again. */
  n_sections = 0;
  for (GtkWidget *section = gtk_widget_get_first_child (GTK_WIDGET (STOMPY_ANALYSAVER_PAGE (page)->content_box));
       section != NULL; section = gtk_widget_get_next_sibling (section))
    if (gtk_widget_get_visible (section))
      {
        g_assert_nonnull (g_object_get_data (G_OBJECT (section), "stompy-prepared-width"));
        n_sections++;
      }
  g_assert_cmpuint (n_sections, >=, 3);
  /* Each part of a section of ours too, before its section. */
  for (GtkWidget *part = gtk_widget_get_first_child (GTK_WIDGET (STOMPY_ANALYSAVER_PAGE (page)->template_section));
       part != NULL; part = gtk_widget_get_next_sibling (part))
    if (gtk_widget_get_visible (part))
      g_assert_nonnull (g_object_get_data (G_OBJECT (part), "stompy-prepared-width"));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (page)), >, 0);
  g_assert_cmpstr (_stompy_cur_section_get_mode (cur), ==, shown);
  g_assert_false (gtk_widget_get_visible (other));
  /* The Products page, which will slide out at the width the status panel
   * leaves it (the panel comes with the AnalySaver step), is laid out at that
   * width too, then put back at its own before anything is drawn. */
  leaving = GTK_WIDGET (products_page (window));
  SPIN_UNTIL (g_object_get_data (G_OBJECT (leaving), "stompy-leaving-width") != NULL);
  g_assert_cmpint (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (leaving), "stompy-leaving-width")), ==,
                   GPOINTER_TO_INT (g_object_get_data (G_OBJECT (page), "stompy-prepared-width")));
  g_assert_cmpint (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (leaving), "stompy-leaving-width")), <,
                   gtk_widget_get_width (GTK_WIDGET (window->stack)));
  g_assert_cmpint (gtk_widget_get_width (leaving), ==, gtk_widget_get_width (GTK_WIDGET (window->stack)));
  g_assert_true (gtk_widget_get_mapped (leaving));

  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_ANALYSAVER);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpstr (_stompy_cur_section_get_mode (cur), ==, shown);
  g_assert_false (gtk_widget_get_visible (other));

  close_window (window);
}

/* Spinners draw the app's bitmap copy of process-working-symbolic
 * (src/style.css): the 16 px one, and on a display scaled ×2 the 32 px one,
 * where the 16 px one would be stretched and blurred. */
static void
test_spinner_icon_for_each_scale (void)
{
  GtkIconTheme *theme;

  /* The application adds its resources' icons to the theme as it starts. */
  get_app ();
  theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  for (int scale = 1; scale <= 2; scale++)
    {
      g_autoptr(GtkIconPaintable) icon = NULL;
      g_autoptr(GFile) file = NULL;
      g_autofree char *uri = NULL;
      g_autofree char *expected = NULL;

      icon = gtk_icon_theme_lookup_icon (theme, "stompy-process-working-symbolic", NULL,
                                         16, scale, GTK_TEXT_DIR_NONE, 0);
      file = gtk_icon_paintable_get_file (icon);
      uri = file != NULL ? g_file_get_uri (file) : NULL;
      expected = g_strdup_printf ("resource:///io/stompy/Connect/icons/%dx%d/status/"
                                  "stompy-process-working-symbolic.symbolic.png",
                                  16 * scale, 16 * scale);
      g_assert_cmpstr (uri, ==, expected);
    }
}

static void
test_zh_cn_subprocess (void)
{
  StompyWindow *window;
  const char *label;

  if (!g_test_subprocess ())
    {
      g_test_skip ("Runs as a subprocess of /ui/i18n/zh-CN");
      return;
    }

  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "zh_CN");

  run_main_flow ();

  window = open_window ();
  label = gtk_button_get_label (window->primary_button);
  g_test_message ("primary button: %s", label);
  g_assert_true (stompy_test_has_cjk (label));
  g_assert_true (stompy_test_has_cjk (
                   gtk_button_get_label (sign_in_page (window)->stompy_section->sign_in_button)));
  close_window (window);
}

static void
test_zh_cn (void)
{
  stompy_test_run_zh_cn_subprocess ("/ui/i18n/zh-CN/subprocess");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  stompy_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/page/base-class-serves-a-new-page", test_page_base_class);
  g_test_add_func ("/ui/page/sign-in/create-and-finalize", test_sign_in_page_create_finalize);
  g_test_add_func ("/ui/page/products/create-and-finalize", test_products_page_create_finalize);
  g_test_add_func ("/ui/sign-in/stompy-account-section/create-and-finalize",
                   test_stompy_account_section_create_finalize);
  g_test_add_func ("/ui/sign-in/aws-account-section/create-and-finalize",
                   test_aws_account_section_create_finalize);
  g_test_add_func ("/ui/window/create-and-finalize", test_window_create_finalize);
  g_test_add_func ("/ui/window/one-status-poller-started-with-the-window",
                   test_application_status_poller);
  g_test_add_func ("/ui/sign-in/wrong-password-shows-inline-error", test_wrong_password_inline_error);
  g_test_add_func ("/ui/flow/management-account-to-products-saved", test_main_flow);
  g_test_add_func ("/ui/sign-in/member-account-gets-member-advice", test_member_advice);
  g_test_add_func ("/ui/sign-in/wrong-secret-shown-in-place-with-request-id",
                   test_wrong_secret_shown_in_place);
  g_test_add_func ("/ui/sign-in/cancelled-verify-says-nothing", test_verify_cancelled_says_nothing);
  g_test_add_func ("/ui/sign-in/access-key-validated-as-typed", test_access_key_validated_as_typed);
  g_test_add_func ("/ui/sign-in/guided-mode-needs-a-valid-account-id", test_guided_account_id);
  g_test_add_func ("/ui/sign-in/stored-session-restored-and-signed-out", test_stored_session_restored);
  g_test_add_func ("/ui/sign-in/expired-session-asks-to-sign-in-again",
                   test_expired_session_asks_to_sign_in);
  g_test_add_func ("/ui/window/start-over-resets-the-model", test_start_over_resets_the_model);
  g_test_add_func ("/ui/window/resumes-on-the-saved-step", test_resumes_on_saved_step);
  g_test_add_func ("/ui/window/builds-pages-on-demand", test_window_builds_pages_on_demand);
  g_test_add_func ("/ui/window/opens-focused-on-page", test_window_opens_focused_on_page);
  g_test_add_func ("/ui/window/prepares-next-page", test_window_prepares_next_page);
  g_test_add_func ("/ui/spinner/icon-for-each-scale", test_spinner_icon_for_each_scale);
  g_test_add_func ("/ui/i18n/zh-CN", test_zh_cn);
  g_test_add_func ("/ui/i18n/zh-CN/subprocess", test_zh_cn_subprocess);

  status = g_test_run ();

  stompy_test_ui_shutdown (&app, &emulator);

  return status;
}
