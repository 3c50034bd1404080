/* test-analysaver-ui.c — step 3, "Add StompyAnalySaver permission", driven through its widgets
 *
 * Runs under Xvfb against the project's emulator, with a model signed in to
 * Stompy (ops@example.com) and verified as the organization's management
 * account (210987654321), an AWS client on the application as the sign-in
 * page leaves it. Each test shows the page in a window of its own, drives it
 * as a user would and checks what the user sees, what the model records and
 * what the emulator was asked to create.
 *
 * With STOMPY_SCREENSHOT_DIR set, the windows are saved there as PNG files.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "stompy-analysaver-page-private.h"
#include "stompy-application.h"
#include "stompy-billing-section-private.h"
#include "stompy-cur-section-private.h"
#include "stompy-error-messages.h"
#include "stompy-http.h"
#include "stompy-template-section-private.h"
#include "stompy-test-emulator.h"
#include "stompy-test-ui.h"
#include "stompy-test-util.h"

#define OPS_EMAIL        "ops@example.com"
#define OPS_PASSWORD     "correct horse battery staple"
#define MGMT_ACCOUNT     "210987654321"
#define READY_REPORT     "stompy-ready-cur"
#define READY_BUCKET     "stompy-existing-cur-210987654321"
#define NEW_BUCKET       "stompy-cur-210987654321"
#define EXTERNAL_ID      "stp-ext-5b1e0c9a7d"
#define SPIN_TIMEOUT_US  (60 * G_USEC_PER_SEC)

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

/* A fresh emulator state and a model as the first two steps leave it: signed
 * in to Stompy, the management account verified (or, @guided, typed in), and
 * AnalySaver chosen. */
static StompyOnboarding *
set_up_world (gboolean guided)
{
  StompyApplication *application = get_app ();
  StompyOnboarding *model = stompy_application_get_model (application);
  StompyApiClient *api = stompy_application_get_api_client (application);
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "reset", "{}");
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  stompy_onboarding_reset (model);
  stompy_application_set_aws_client (application, NULL);

  stompy_api_client_set_token (api, NULL);
  stompy_api_client_sign_in_async (api, OPS_EMAIL, OPS_PASSWORD, NULL,
                                   stompy_test_store_result_cb, &result);
  session = stompy_api_client_sign_in_finish (api, stompy_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  stompy_onboarding_set_stompy_account (model, session->user_email, session->organization_name);

  stompy_onboarding_set_credential_source (model, guided ? STOMPY_CREDENTIAL_SOURCE_GUIDED
                                                         : STOMPY_CREDENTIAL_SOURCE_TYPED);
  stompy_onboarding_set_account_id (model, MGMT_ACCOUNT);
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  stompy_onboarding_set_step (model, STOMPY_STEP_ANALYSAVER);

  if (!guided)
    {
      g_autoptr(StompyAwsCredentials) credentials =
        stompy_test_credentials_for_profile ("emulator-management");
      g_auto(GStrv) envp = stompy_test_emulator_get_environ (emulator);
      g_autoptr(StompyAwsClient) client =
        stompy_aws_client_new (stompy_application_get_session (application), credentials,
                               "ap-southeast-1", NULL, NULL, (const char * const *) envp);

      stompy_onboarding_set_access_key_id (model, stompy_aws_credentials_get_access_key_id (credentials));
      stompy_application_set_aws_client (application, client);
    }

  return model;
}

typedef struct
{
  GtkWindow            *window;
  StompyAnalysaverPage *page;
  GObject              *parts[4];
} Shown;

/* The page in a window of its own, started as the window starts its pages. */
static Shown
show_page (void)
{
  Shown shown = { 0, };

  shown.window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (shown.window, 720, 900);
  shown.page = STOMPY_ANALYSAVER_PAGE (stompy_analysaver_page_new (get_app ()));
  gtk_window_set_child (shown.window, GTK_WIDGET (shown.page));
  gtk_window_present (shown.window);
  stompy_page_start (STOMPY_PAGE (shown.page));

  shown.parts[0] = g_object_ref (G_OBJECT (shown.page));
  shown.parts[1] = g_object_ref (G_OBJECT (shown.page->billing_section));
  shown.parts[2] = g_object_ref (G_OBJECT (shown.page->cur_section));
  shown.parts[3] = g_object_ref (G_OBJECT (shown.page->template_section));
  return shown;
}

static void
screenshot (Shown      *shown,
            const char *name)
{
  const char *dir = stompy_test_screenshot_dir ();
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  stompy_test_let_draw (50);
  /* The whole page, not only what the window shows of it. */
  path = g_strdup_printf ("%s/%s.png", dir, name);
  stompy_test_save_png (GTK_WIDGET (shown->page->content_box), path);
}

/* Destroys the window and checks that the page and its sections are freed. */
static void
close_page (Shown *shown)
{
  gtk_window_destroy (shown->window);
  /* As the application's shutdown does: the next test starts it afresh, and
   * nothing of this one asks the emulator meanwhile. */
  stompy_status_poller_stop (stompy_application_get_status_poller (get_app ()));

  for (guint i = 0; i < G_N_ELEMENTS (shown->parts); i++)
    {
      /* Cancelled operations still call back once, holding a reference till then. */
      SPIN_UNTIL (shown->parts[i]->ref_count == 1);
      g_assert_finalize_object (shown->parts[i]);
    }
}

static gboolean
focus_within (Shown    *shown,
              gpointer  widget)
{
  GtkWidget *focus = gtk_window_get_focus (shown->window);

  return focus != NULL
         && (focus == widget || gtk_widget_is_ancestor (focus, GTK_WIDGET (widget)));
}

static char *
text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

/* The detail rows (actions, resources) of a statement's expander row, in order. */
static GPtrArray *
statement_details (GtkWidget *widget,
                   GPtrArray *found)
{
  if (found == NULL)
    found = g_ptr_array_new ();
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_has_css_class (widget, "property"))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    statement_details (child, found);

  return found;
}

static void
select_region (AdwComboRow *row,
               const char  *code)
{
  GListModel *list = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      const char *item = gtk_string_list_get_string (GTK_STRING_LIST (list), i);

      if (g_str_has_suffix (item, code))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }

  g_assert_not_reached ();
}

static void
wait_reports_listed (StompyCurSection *cur)
{
  SPIN_UNTIL (cur->reports_loaded && !cur->loading);
}

static void
wait_template_read (StompyTemplateSection *section)
{
  SPIN_UNTIL (section->template != NULL && !section->loading);
}

/* -------------------------------------------------------------------- tests */

static void
test_page_create_finalize (void)
{
  StompyAnalysaverPage *page;
  gpointer parts[3];

  set_up_world (FALSE);
  page = STOMPY_ANALYSAVER_PAGE (stompy_analysaver_page_new (get_app ()));
  g_object_ref_sink (page);

  g_assert_true (GTK_IS_BIN_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (page))));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (page->billing_section), GTK_WIDGET (page)));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (page->cur_section), GTK_WIDGET (page)));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (page->template_section), GTK_WIDGET (page)));
  g_assert_cmpint (stompy_template_section_get_product (page->template_section), ==,
                   STOMPY_PRODUCT_ANALYSAVER);
  /* Nothing is chosen yet; nothing ran, as the page was never shown. */
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (page)), ==, STOMPY_PAGE_STATE_IDLE);
  stompy_page_start (STOMPY_PAGE (page));
  g_assert_false (page->cur_section->loading);
  g_assert_false (page->template_section->loading);

  parts[0] = page->billing_section;
  parts[1] = page->cur_section;
  parts[2] = page->template_section;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_object_add_weak_pointer (G_OBJECT (parts[i]), &parts[i]);

  g_assert_finalize_object (page);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_assert_null (parts[i]);
}

static void
test_template_section_for_spotainer (void)
{
  StompyTemplateSection *section;

  set_up_world (FALSE);
  section = STOMPY_TEMPLATE_SECTION (stompy_template_section_new (get_app (), STOMPY_PRODUCT_SPOTAINER));
  g_object_ref_sink (section);

  g_assert_cmpint (stompy_template_section_get_product (section), ==, STOMPY_PRODUCT_SPOTAINER);
  g_assert_true (section->record
                 == stompy_onboarding_get_stack (stompy_application_get_model (get_app ()),
                                                 STOMPY_PRODUCT_SPOTAINER));
  /* SpoTainer's role needs no report. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (section->needs_label)));
  g_assert_false (stompy_section_get_ready (STOMPY_SECTION (section)));

  g_assert_finalize_object (section);
}

static void
test_billing_confirmation_in_model (void)
{
  StompyOnboarding *model = set_up_world (FALSE);
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (model);
  Shown shown = show_page ();
  StompyBillingSection *billing = shown.page->billing_section;

  g_assert_false (stompy_section_get_ready (STOMPY_SECTION (billing)));
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (billing->open_row)));
  g_assert_cmpstr (STOMPY_BILLING_ACCOUNT_URL, ==, "https://console.aws.amazon.com/billing/home#/account");

  gtk_switch_set_active (billing->confirm_switch, TRUE);
  g_assert_true (stompy_cur_choice_get_billing_access_confirmed (choice));
  g_assert_true (stompy_section_get_ready (STOMPY_SECTION (billing)));

  /* The model wins both ways (a restart, Start Over). */
  stompy_cur_choice_set_billing_access_confirmed (choice, FALSE);
  g_assert_false (gtk_switch_get_active (billing->confirm_switch));

  /* A denied CUR call points back to the setting. */
  g_signal_emit_by_name (shown.page->cur_section, "billing-access-denied");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (billing->denied_label)));

  close_page (&shown);
}

static void
test_new_report_path (void)
{
  StompyOnboarding *model = set_up_world (FALSE);
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (model);
  Shown shown = show_page ();
  StompyCurSection *cur = shown.page->cur_section;
  g_autofree char *policy = NULL;

  wait_reports_listed (cur);
  stompy_test_click (cur->new_toggle);
  gtk_toggle_button_set_active (cur->new_toggle, TRUE);
  g_assert_cmpstr (_stompy_cur_section_get_mode (cur), ==, "new");

  /* The defaults: the account's bucket name, Singapore, "cur". */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cur->bucket_row)), ==, NEW_BUCKET);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cur->prefix_row)), ==, "cur");
  g_assert_cmpuint (adw_combo_row_get_selected (cur->region_row), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cur->region_warning_label)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (cur->create_button)));

  stompy_test_set_text (cur->report_name_row, "stompy-ui-cur");

  /* An invalid bucket name says why, as it is typed. */
  stompy_test_set_text (cur->bucket_row, "Stompy_Bucket");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->hint_label)));
  g_assert_true (stompy_test_contains (gtk_label_get_label (cur->hint_label),
                                       stompy_bucket_name_reason_sentence (STOMPY_BUCKET_NAME_UPPERCASE)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (cur->bucket_row), "error"));
  stompy_test_set_text (cur->bucket_row, "192.168.5.4");
  g_assert_true (stompy_test_contains (gtk_label_get_label (cur->hint_label),
                                       stompy_bucket_name_reason_sentence (STOMPY_BUCKET_NAME_IP_ADDRESS)));
  stompy_test_set_text (cur->prefix_row, "cur/");
  g_assert_true (stompy_test_contains (gtk_label_get_label (cur->hint_label),
                                       stompy_cur_name_reason_sentence (STOMPY_CUR_NAME_TRAILING_SLASH, TRUE)));
  stompy_test_set_text (cur->prefix_row, "cur");

  /* Another region warns about the delay. */
  select_region (cur->region_row, "us-west-2");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->region_warning_label)));
  select_region (cur->region_row, "ap-southeast-1");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cur->region_warning_label)));

  /* A name another account owns: valid as typed, refused by S3, shown on the field. */
  stompy_test_set_text (cur->bucket_row, "stompy-taken-bucket");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cur->hint_label)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (cur->bucket_row), "error"));
  policy = text_view_text (cur->policy_view);
  g_assert_true (stompy_test_contains (policy, "billingreports.amazonaws.com"));
  g_assert_true (stompy_test_contains (policy, "arn:aws:s3:::stompy-taken-bucket"));
  g_assert_true (stompy_test_contains (policy, "aws:SourceAccount"));
  g_assert_true (stompy_test_contains (policy, MGMT_ACCOUNT));
  g_assert_true (gtk_text_view_get_monospace (cur->policy_view));
  g_assert_false (gtk_text_view_get_editable (cur->policy_view));
  /* Nothing is created before the policy is confirmed. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (cur->create_button)));
  gtk_check_button_set_active (cur->policy_check, TRUE);
  stompy_test_click (cur->create_button);
  g_assert_true (cur->creating);
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (shown.page)), ==, STOMPY_PAGE_STATE_BUSY);
  SPIN_UNTIL (!cur->creating);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (cur->bucket_row), "error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->hint_label)));
  g_assert_true (stompy_test_contains (gtk_label_get_label (cur->hint_label),
                                       "stompy-taken-bucket"));
  g_assert_true (focus_within (&shown, cur->bucket_row));
  g_assert_cmpint (cur->step_states[0], ==, STOMPY_CUR_STEP_FAILED);
  g_assert_false (stompy_cur_choice_is_complete (choice));
  g_assert_cmpint (stompy_test_creations (emulator, "s3:bucket"), ==, 0);
  screenshot (&shown, "cur-bucket-taken");

  /* Another name: the policy changes, so it must be confirmed again. */
  stompy_test_set_text (cur->bucket_row, NEW_BUCKET);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (cur->bucket_row), "error"));
  g_assert_false (gtk_check_button_get_active (cur->policy_check));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (cur->create_button)));
  gtk_check_button_set_active (cur->policy_check, TRUE);
  stompy_test_click (cur->create_button);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->steps_list)));
  SPIN_UNTIL (!cur->creating);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cur->create_error_label)));

  /* Every sub-step was shown, and ended well. */
  for (guint i = 0; i < STOMPY_CUR_SECTION_N_STEPS; i++)
    {
      g_assert_true (cur->step_seen[i]);
      g_assert_true (cur->step_states[i] == STOMPY_CUR_STEP_DONE
                     || cur->step_states[i] == STOMPY_CUR_STEP_REUSED);
    }
  g_assert_cmpint (cur->step_states[0], ==, STOMPY_CUR_STEP_DONE);
  g_assert_cmpint (cur->step_states[3], ==, STOMPY_CUR_STEP_DONE);

  g_assert_cmpint (stompy_cur_choice_get_origin (choice), ==, STOMPY_CUR_ORIGIN_CREATED);
  g_assert_cmpint (stompy_cur_choice_get_kind (choice), ==, STOMPY_CUR_KIND_LEGACY);
  g_assert_cmpstr (stompy_cur_choice_get_report_name (choice), ==, "stompy-ui-cur");
  g_assert_cmpstr (stompy_cur_choice_get_bucket (choice), ==, NEW_BUCKET);
  g_assert_cmpstr (stompy_cur_choice_get_prefix (choice), ==, "cur");
  g_assert_cmpstr (stompy_cur_choice_get_region (choice), ==, "ap-southeast-1");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->done_label)));
  g_assert_true (stompy_test_contains (gtk_label_get_label (cur->done_label), _("48 hours")) ||
                 stompy_test_contains (gtk_label_get_label (cur->done_label), "48"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->chosen_row)));
  g_assert_true (stompy_section_get_ready (STOMPY_SECTION (cur)));
  g_assert_cmpint (stompy_test_creations (emulator, "s3:bucket"), ==, 1);
  g_assert_cmpint (stompy_test_creations (emulator, "cur:report"), ==, 1);
  screenshot (&shown, "cur-created");

  /* Not ready yet: billing access and the role are missing. */
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (shown.page)), ==, STOMPY_PAGE_STATE_IDLE);

  close_page (&shown);
}

static void
test_existing_report_path (void)
{
  StompyOnboarding *model = set_up_world (FALSE);
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (model);
  Shown shown = show_page ();
  StompyCurSection *cur = shown.page->cur_section;
  const char *unfit[] = {
    "finance-daily", "finance-no-resource-ids", "finance-no-refresh",
    "redshift-csv-hourly", "legacy-versioned-parquet",
  };
  GtkListBoxRow *ready;

  /* Listing shows a spinner first. */
  g_assert_true (cur->loading);
  g_assert_true (gtk_widget_get_visible (cur->loading_box));
  g_assert_true (stompy_section_get_busy (STOMPY_SECTION (cur)));
  wait_reports_listed (cur);
  g_assert_false (gtk_widget_get_visible (cur->loading_box));
  g_assert_cmpstr (_stompy_cur_section_get_mode (cur), ==, "existing");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->report_list)));
  g_assert_cmpuint (count_children (GTK_WIDGET (cur->report_list)), ==, 6);

  ready = _stompy_cur_section_get_report_row (cur, READY_REPORT);
  g_assert_nonnull (ready);
  g_assert_true (gtk_list_box_row_get_activatable (ready));
  for (guint i = 0; i < G_N_ELEMENTS (unfit); i++)
    {
      GtkListBoxRow *row = _stompy_cur_section_get_report_row (cur, unfit[i]);

      g_assert_nonnull (row);
      g_assert_false (gtk_list_box_row_get_activatable (row));
      /* Choosing one anyway does nothing. */
      g_signal_emit_by_name (cur->report_list, "row-activated", row);
      g_assert_false (cur->checking_bucket);
    }
  screenshot (&shown, "cur-existing");

  g_signal_emit_by_name (cur->report_list, "row-activated", ready);
  g_assert_true (cur->checking_bucket);
  SPIN_UNTIL (!cur->checking_bucket);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cur->existing_error_label)));
  g_assert_cmpint (stompy_cur_choice_get_origin (choice), ==, STOMPY_CUR_ORIGIN_EXISTING);
  g_assert_cmpstr (stompy_cur_choice_get_report_name (choice), ==, READY_REPORT);
  g_assert_cmpstr (stompy_cur_choice_get_bucket (choice), ==, READY_BUCKET);
  g_assert_cmpstr (stompy_cur_choice_get_prefix (choice), ==, "cur");
  g_assert_cmpstr (stompy_cur_choice_get_region (choice), ==, "ap-southeast-1");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->chosen_row)));
  g_assert_true (stompy_test_contains (adw_action_row_get_subtitle (cur->chosen_row),
                                       READY_BUCKET));
  g_assert_true (stompy_section_get_ready (STOMPY_SECTION (cur)));
  /* Nothing was created. */
  g_assert_cmpint (stompy_test_creations (emulator, "s3:bucket"), ==, 0);
  g_assert_cmpint (stompy_test_creations (emulator, "cur:report"), ==, 0);

  close_page (&shown);
}

static void
test_list_error_in_place_with_retry (void)
{
  g_autoptr(JsonNode) reply = NULL;
  Shown shown;
  StompyCurSection *cur;

  set_up_world (FALSE);
  reply = stompy_test_emulator_control (emulator, "faults",
                                        "{\"target\": \"cur:DescribeReportDefinitions\", "
                                        "\"kind\": \"http500\", \"count\": 10}");
  shown = show_page ();
  cur = shown.page->cur_section;
  SPIN_UNTIL (!cur->loading);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->existing_error_label)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->existing_retry_button)));
  g_assert_true (stompy_section_get_failed (STOMPY_SECTION (cur)));

  g_clear_pointer (&reply, json_node_unref);
  reply = stompy_test_emulator_control (emulator, "reset", "{}");
  stompy_test_click (cur->existing_retry_button);
  wait_reports_listed (cur);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cur->existing_error_label)));
  g_assert_cmpuint (count_children (GTK_WIDGET (cur->report_list)), ==, 6);

  close_page (&shown);
}

static void
choose_ready_report (StompyOnboarding *model)
{
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (model);

  stompy_cur_choice_set_billing_access_confirmed (choice, TRUE);
  stompy_cur_choice_set_report (choice, STOMPY_CUR_ORIGIN_EXISTING, READY_REPORT, READY_BUCKET,
                                "cur", "ap-southeast-1");
}

static void
test_template_creates_stack (void)
{
  StompyOnboarding *model = set_up_world (FALSE);
  StompyStackRecord *record = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER);
  Shown shown;
  StompyTemplateSection *section;
  const char *token;

  choose_ready_report (model);
  shown = show_page ();
  section = shown.page->template_section;

  wait_template_read (section);
  g_assert_nonnull (section->info);
  g_assert_cmpstr (section->info->external_id, ==, EXTERNAL_ID);
  /* The permissions read from the template: the trust row and the statements. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section->permissions_group)));
  g_assert_cmpuint (section->permission_rows->len, >=, 3);
  g_assert_true (stompy_test_contains (adw_action_row_get_subtitle (
                                         g_ptr_array_index (section->permission_rows, 0)),
                                       "111122223333"));
  g_assert_true (stompy_test_contains (adw_action_row_get_subtitle (
                                         g_ptr_array_index (section->permission_rows, 0)),
                                       EXTERNAL_ID));
  g_assert_true (ADW_IS_EXPANDER_ROW (g_ptr_array_index (section->permission_rows, 1)));
  /* A statement's actions and resources are made when it is first expanded (issue #7: they
   * were measured even collapsed), and shown then. */
  {
    AdwExpanderRow *statement = g_ptr_array_index (section->permission_rows, 1);
    g_autoptr(GPtrArray) details = statement_details (GTK_WIDGET (statement), NULL);

    g_assert_cmpuint (details->len, ==, 0);
    adw_expander_row_set_expanded (statement, TRUE);
    g_ptr_array_unref (g_steal_pointer (&details));
    details = statement_details (GTK_WIDGET (statement), NULL);
    g_assert_cmpuint (details->len, ==, 2);
    g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (details, 0)), ==,
                     _("Actions"));
    g_assert_true (strlen (adw_action_row_get_subtitle (g_ptr_array_index (details, 0))) > 0);
    g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (details, 1)), ==,
                     _("Resources"));
    g_assert_true (stompy_test_contains (adw_action_row_get_subtitle (g_ptr_array_index (details, 1)),
                                         "arn:aws:"));
    adw_expander_row_set_expanded (statement, FALSE);
  }

  /* Acknowledge first. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (section->create_button)));
  gtk_check_button_set_active (section->ack_check, TRUE);
  g_assert_true (stompy_stack_record_get_iam_acknowledged (record));
  screenshot (&shown, "template-ready");
  stompy_test_click (section->create_button);

  /* The token is in the record before CreateStack is answered. */
  token = stompy_stack_record_get_client_request_token (record);
  g_assert_nonnull (token);
  g_assert_true (g_str_has_prefix (token, "stompy-"));
  g_assert_cmpstr (stompy_stack_record_get_stack_name (record), ==, "StompyAnalySaver");
  g_assert_cmpstr (stompy_stack_record_get_region (record), ==, "ap-southeast-1");
  g_assert_true (section->creating);

  SPIN_UNTIL (section->following);
  g_assert_nonnull (stompy_stack_record_get_stack_id (record));
  g_assert_true (gtk_widget_get_visible (section->progress_box));
  SPIN_UNTIL (!section->following);

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (section->error_label)));
  g_assert_cmpstr (stompy_stack_record_get_status (record), ==, "CREATE_COMPLETE");
  g_assert_true (stompy_stack_record_is_complete (record));
  g_assert_false (stompy_stack_record_get_role_arn_pasted (record));
  g_assert_true (g_str_has_prefix (stompy_stack_record_get_role_arn (record),
                                   "arn:aws:iam::" MGMT_ACCOUNT ":role/"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section->role_row)));
  g_assert_cmpstr (adw_action_row_get_subtitle (section->role_row), ==,
                   stompy_stack_record_get_role_arn (record));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (section->progress_bar), ==, 1.0);
  g_assert_true (stompy_test_contains (gtk_label_get_label (section->events_label),
                                       "CREATE_COMPLETE"));
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 1);

  /* Billing confirmed, report chosen, role known: the page may go on. */
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (shown.page)), ==, STOMPY_PAGE_STATE_READY);
  screenshot (&shown, "template-complete");

  close_page (&shown);
}

static void
test_failing_stack_explained (void)
{
  StompyOnboarding *model = set_up_world (FALSE);
  StompyStackRecord *record = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *first_token = NULL;
  g_autofree char *first_id = NULL;
  Shown shown;
  StompyTemplateSection *section;

  choose_ready_report (model);
  reply = stompy_test_emulator_control (emulator, "faults",
                                        "{\"target\": \"cloudformation:CreateStack\", "
                                        "\"kind\": \"stack_fail\", \"reason\": \"API: "
                                        "iam:CreateRole User: arn:aws:iam::210987654321:user/"
                                        "ops-admin is not authorized to perform: iam:CreateRole\"}");
  shown = show_page ();
  section = shown.page->template_section;
  wait_template_read (section);
  gtk_check_button_set_active (section->ack_check, TRUE);
  stompy_test_click (section->create_button);
  SPIN_UNTIL (!section->creating && !section->following);

  g_assert_true (section->unusable);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section->error_label)));
  g_assert_true (stompy_test_contains (gtk_label_get_label (section->error_label),
                                       "is not authorized to perform: iam:CreateRole"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section->delete_retry_button)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (section->create_button)));
  g_assert_cmpstr (stompy_stack_record_get_status (record), ==, "ROLLBACK_COMPLETE");
  g_assert_false (stompy_stack_record_is_complete (record));
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (shown.page)), ==, STOMPY_PAGE_STATE_ERROR);
  screenshot (&shown, "template-failed");

  /* Delete and Retry: the stack is deleted, then created anew with a new token. */
  first_token = g_strdup (stompy_stack_record_get_client_request_token (record));
  first_id = g_strdup (stompy_stack_record_get_stack_id (record));
  stompy_test_click (section->delete_retry_button);
  g_assert_true (section->deleting);
  SPIN_UNTIL (stompy_stack_record_is_complete (record) && !section->following);
  g_assert_cmpstr (stompy_stack_record_get_client_request_token (record), !=, first_token);
  g_assert_cmpstr (stompy_stack_record_get_stack_id (record), !=, first_id);
  g_assert_cmpstr (stompy_stack_record_get_status (record), ==, "CREATE_COMPLETE");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (section->error_label)));
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 2);

  close_page (&shown);
}

static void
test_resume_follows_stack (void)
{
  StompyOnboarding *model = set_up_world (FALSE);
  StompyStackRecord *record = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER);
  Shown shown;
  StompyTemplateSection *section;
  g_autofree char *stack_id = NULL;

  choose_ready_report (model);
  shown = show_page ();
  section = shown.page->template_section;
  wait_template_read (section);
  gtk_check_button_set_active (section->ack_check, TRUE);
  stompy_test_click (section->create_button);
  SPIN_UNTIL (stompy_stack_record_get_stack_id (record) != NULL);
  stack_id = g_strdup (stompy_stack_record_get_stack_id (record));

  /* Escape stops following; nothing is reported. */
  stompy_page_cancel (STOMPY_PAGE (shown.page));
  SPIN_UNTIL (!section->following && !section->creating);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (section->error_label)));
  close_page (&shown);
  g_assert_false (stompy_stack_record_is_complete (record));

  /* The next start: the stack of the record is followed to its end, not created again. */
  shown = show_page ();
  section = shown.page->template_section;
  SPIN_UNTIL (stompy_stack_record_is_complete (record));
  g_assert_cmpstr (stompy_stack_record_get_stack_id (record), ==, stack_id);
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 1);
  SPIN_UNTIL (!section->following && !section->loading);

  close_page (&shown);
}

/* A recorded stack that AWS no longer knows: said in place, not followed for ever. */
static void
test_resume_vanished_stack (void)
{
  StompyOnboarding *model = set_up_world (FALSE);
  StompyStackRecord *record = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER);
  Shown shown;
  StompyTemplateSection *section;

  choose_ready_report (model);
  stompy_stack_record_set_stack_name (record, "StompyAnalySaver");
  stompy_stack_record_set_region (record, "ap-southeast-1");
  stompy_stack_record_set_iam_acknowledged (record, TRUE);
  stompy_stack_record_set_client_request_token (record, "stompy-vanished-0001");
  stompy_stack_record_set_stack_id (record, "arn:aws:cloudformation:ap-southeast-1:" MGMT_ACCOUNT
                                    ":stack/StompyAnalySaver/00000000-0000-0000-0000-000000000000");
  stompy_stack_record_set_status (record, "CREATE_IN_PROGRESS", NULL);

  shown = show_page ();
  section = shown.page->template_section;
  SPIN_UNTIL (section->following);
  SPIN_UNTIL (!section->following && !section->loading);

  g_assert_true (section->failed);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section->error_label)));
  g_assert_cmpstr (gtk_label_get_label (section->error_label), !=, "");
  g_assert_false (stompy_stack_record_is_complete (record));
  g_assert_cmpint (stompy_test_creations (emulator, "cloudformation:stack"), ==, 0);
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (shown.page)), ==, STOMPY_PAGE_STATE_ERROR);

  close_page (&shown);
}

static void
test_guided_mode (void)
{
  StompyOnboarding *model = set_up_world (TRUE);
  StompyStackRecord *record = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER);
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (model);
  Shown shown = show_page ();
  StompyCurSection *cur = shown.page->cur_section;
  StompyTemplateSection *section = shown.page->template_section;
  g_autofree char *url = NULL;

  /* The report: the console steps, then the names typed back. */
  g_assert_cmpstr (_stompy_cur_section_get_mode (cur), ==, "guided");
  g_assert_false (gtk_widget_get_visible (cur->mode_box));
  g_assert_false (cur->loading);
  stompy_test_set_text (cur->guided_report_name_row, "console-cur");
  stompy_test_set_text (cur->guided_bucket_row, "Console_Bucket");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cur->guided_hint_label)));
  g_assert_false (stompy_cur_choice_is_complete (choice));
  stompy_test_set_text (cur->guided_bucket_row, "console-cur-bucket");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cur->guided_hint_label)));
  g_assert_cmpint (stompy_cur_choice_get_origin (choice), ==, STOMPY_CUR_ORIGIN_PASTED);
  g_assert_cmpstr (stompy_cur_choice_get_bucket (choice), ==, "console-cur-bucket");
  g_assert_cmpstr (stompy_cur_choice_get_region (choice), ==, "ap-southeast-1");

  /* The template: the quick-create link with every parameter filled. */
  wait_template_read (section);
  g_assert_false (gtk_widget_get_visible (section->auto_box));
  g_assert_true (gtk_widget_get_visible (section->guided_box));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (section->console_button)));
  gtk_check_button_set_active (section->ack_check, TRUE);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (section->console_button)));
  url = stompy_template_section_dup_quick_create_url (section);
  g_assert_true (g_str_has_prefix (url, "https://ap-southeast-1.console.aws.amazon.com/cloudformation/home?region=ap-southeast-1#/stacks/create/review?"));
  g_assert_true (stompy_test_contains (url, "stackName=StompyAnalySaver"));
  g_assert_true (stompy_test_contains (url, "param_ExternalId=" EXTERNAL_ID));
  g_assert_true (stompy_test_contains (url, "param_StompyPrincipalAccountId=111122223333"));
  g_assert_true (stompy_test_contains (url, "param_CurBucketName=console-cur-bucket"));
  g_assert_true (stompy_test_contains (url, "templateURL="));

  /* A role of another account is refused, with the reason. */
  stompy_test_set_text (section->role_arn_row,
                        "arn:aws:iam::999988887777:role/StompyAnalySaverRole");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section->arn_hint_label)));
  g_assert_true (stompy_test_contains (gtk_label_get_label (section->arn_hint_label),
                                       "999988887777"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (section->role_arn_row), "error"));
  g_assert_false (stompy_stack_record_is_complete (record));
  stompy_test_set_text (section->role_arn_row, "arn:aws:iam::" MGMT_ACCOUNT ":user/ops-admin");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section->arn_hint_label)));
  g_assert_false (stompy_stack_record_is_complete (record));
  screenshot (&shown, "guided-wrong-arn");

  /* This account's role is taken. */
  stompy_test_set_text (section->role_arn_row,
                        "arn:aws:iam::" MGMT_ACCOUNT ":role/StompyAnalySaverRole");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (section->arn_hint_label)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (section->role_arn_row), "error"));
  g_assert_cmpstr (stompy_stack_record_get_role_arn (record), ==,
                   "arn:aws:iam::" MGMT_ACCOUNT ":role/StompyAnalySaverRole");
  g_assert_true (stompy_stack_record_get_role_arn_pasted (record));

  gtk_switch_set_active (shown.page->billing_section->confirm_switch, TRUE);
  g_assert_cmpint (stompy_page_get_state (STOMPY_PAGE (shown.page)), ==, STOMPY_PAGE_STATE_READY);
  /* Nothing was asked of AWS. */
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:CreateStack"), ==, 0);

  close_page (&shown);
}

static void
test_zh_cn_subprocess (void)
{
  Shown shown;
  const char *labels[3];
  const char *originals[] = {
    "C_reate", "I _acknowledge that AWS CloudFormation might create IAM resources", "Create _Stack",
  };

  if (!g_test_subprocess ())
    {
      g_test_skip ("Runs as a subprocess of /analysaver-ui/i18n/zh-CN");
      return;
    }

  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "zh_CN");

  /* The page works in Chinese as in English. */
  set_up_world (FALSE);
  shown = show_page ();
  wait_reports_listed (shown.page->cur_section);
  g_assert_cmpuint (count_children (GTK_WIDGET (shown.page->cur_section->report_list)), ==, 6);
  wait_template_read (shown.page->template_section);

  labels[0] = gtk_button_get_label (shown.page->cur_section->create_button);
  labels[1] = gtk_label_get_label (GTK_LABEL (gtk_check_button_get_child (shown.page->template_section->ack_check)));
  labels[2] = gtk_button_get_label (shown.page->template_section->create_button);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      /* The lead translates new strings: check those the catalogue has. */
      if (g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, originals[i]), originals[i]) == 0)
        {
          g_test_message ("not translated yet: %s", originals[i]);
          continue;
        }
      g_test_message ("translated: %s", labels[i]);
      g_assert_true (stompy_test_has_cjk (labels[i]));
    }

  close_page (&shown);
}

static void
test_zh_cn (void)
{
  stompy_test_run_zh_cn_subprocess ("/analysaver-ui/i18n/zh-CN/subprocess");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  stompy_test_ui_init (&argc, &argv);

  g_test_add_func ("/analysaver-ui/page/create-and-finalize", test_page_create_finalize);
  g_test_add_func ("/analysaver-ui/template/section-serves-spotainer",
                   test_template_section_for_spotainer);
  g_test_add_func ("/analysaver-ui/billing/confirmation-kept-in-model",
                   test_billing_confirmation_in_model);
  g_test_add_func ("/analysaver-ui/cur/new-report-created-with-inline-errors", test_new_report_path);
  g_test_add_func ("/analysaver-ui/cur/existing-report-chosen", test_existing_report_path);
  g_test_add_func ("/analysaver-ui/cur/list-error-in-place-with-retry",
                   test_list_error_in_place_with_retry);
  g_test_add_func ("/analysaver-ui/template/stack-created-with-role-arn", test_template_creates_stack);
  g_test_add_func ("/analysaver-ui/template/failed-stack-explained-delete-and-retry",
                   test_failing_stack_explained);
  g_test_add_func ("/analysaver-ui/template/resume-follows-the-recorded-stack",
                   test_resume_follows_stack);
  g_test_add_func ("/analysaver-ui/template/resumed-stack-gone-said-in-place",
                   test_resume_vanished_stack);
  g_test_add_func ("/analysaver-ui/guided/pasted-names-and-role-arn-checked", test_guided_mode);
  g_test_add_func ("/analysaver-ui/i18n/zh-CN", test_zh_cn);
  g_test_add_func ("/analysaver-ui/i18n/zh-CN/subprocess", test_zh_cn_subprocess);

  status = g_test_run ();

  stompy_test_ui_shutdown (&app, &emulator);

  return status;
}
