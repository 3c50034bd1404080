/* stompy-cur-section.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three forms, one shown at a time: an existing report (listed from the CUR
 * API), a new one (created by stompy_cur_setup_async()), and guided mode (typed
 * back from the console). Whatever is chosen goes to the model at once, so Back,
 * a restart and the status panel see it; the fields typed for a new report
 * stay in the widgets, which live as long as the window.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-bucket-policy.h"
#include "stompy-cur-section-private.h"
#include "stompy-data-exports.h"
#include "stompy-error-messages.h"
#include "stompy-error.h"
#include "stompy-form.h"
#include "stompy-open-uri.h"
#include "stompy-page.h"
#include "stompy-regions.h"
#include "stompy-s3.h"

G_DEFINE_FINAL_TYPE (StompyCurSection, stompy_cur_section, STOMPY_TYPE_SECTION)

enum {
  SIGNAL_BILLING_ACCESS_DENIED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

#define DEFAULT_REGION  STOMPY_REGION_DEFAULT
#define DEFAULT_PREFIX  "cur"
#define DEFAULT_REPORT  "stompy-cur"

/* The sub-steps shown, and their titles. */
static const StompyCurSetupStep shown_steps[STOMPY_CUR_SECTION_N_STEPS] = {
  STOMPY_CUR_SETUP_STEP_BUCKET,
  STOMPY_CUR_SETUP_STEP_PUBLIC_ACCESS_BLOCK,
  STOMPY_CUR_SETUP_STEP_BUCKET_POLICY,
  STOMPY_CUR_SETUP_STEP_REPORT,
};

static const char *step_titles[STOMPY_CUR_SECTION_N_STEPS] = {
  N_("S3 bucket"),
  N_("Public access blocked"),
  N_("Bucket policy for delivery"),
  N_("Report definition"),
};

static void update_widgets (StompyCurSection *self);

/* ------------------------------------------------------------------ regions */

static void
setup_region_row (AdwComboRow *row)
{
  g_autoptr(GtkStringList) list = stompy_regions_new_model ();

  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

static const char *
row_region (AdwComboRow *row)
{
  const char *code = stompy_regions_get_code (adw_combo_row_get_selected (row));

  return code != NULL ? code : DEFAULT_REGION;
}

/* Selects @code; FALSE when it is not offered. */
static gboolean
select_region (AdwComboRow *row,
               const char  *code)
{
  int position = stompy_regions_find (code);

  if (position < 0)
    return FALSE;

  adw_combo_row_set_selected (row, (guint) position);
  return TRUE;
}

/* ------------------------------------------------------------------ helpers */

static StompyAwsClient *
get_client (StompyCurSection *self)
{
  return stompy_application_get_aws_client (self->application);
}

static gboolean
is_busy (StompyCurSection *self)
{
  return self->loading || self->checking_bucket || self->creating;
}

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_entry_text (AdwEntryRow *row,
                const char  *text)
{
  if (g_strcmp0 (entry_text (row), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The translated message for @error, pointing back to the billing setting
 * when AWS denied a CUR call in the way that setting causes. */
static char *
message_for (StompyCurSection *self,
             const GError     *error)
{
  if (stompy_cur_error_suggests_billing_access (error))
    {
      g_autofree char *base = stompy_error_message_for (error);

      g_signal_emit (self, signals[SIGNAL_BILLING_ACCESS_DENIED], 0);
      /* Translators: %s is an error sentence. */
      return g_strdup_printf (_("%s Check that “IAM user and role access to Billing information” is on (see above)."),
                              base);
    }

  return stompy_error_message_for (error);
}

/* Adds one line "Field: reason" to @text and marks @row, when @sentence is set. */
static void
add_problem (GString     *text,
             AdwEntryRow *row,
             const char  *field,
             const char  *sentence)
{
  g_autofree char *line = NULL;

  if (sentence == NULL)
    {
      stompy_form_set_row_error (row, FALSE);
      return;
    }

  line = stompy_field_message (field, sentence);
  stompy_form_set_field_error (row, line);
  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append (text, line);
}

/* Validates the four fields of a form; shows every reason in @hint. TRUE when all are valid.
 * Once @submitted, an empty required field is reported too. */
static gboolean
validate_form (AdwEntryRow *name_row,
               AdwEntryRow *bucket_row,
               AdwEntryRow *prefix_row,
               gboolean     data_exports,
               GtkLabel    *hint,
               gboolean     submitted)
{
  g_autoptr(GString) text = g_string_new (NULL);
  StompyBucketNameReason bucket_reason = STOMPY_BUCKET_NAME_VALID;
  StompyCurNameReason name_reason = STOMPY_CUR_NAME_VALID;
  StompyCurNameReason prefix_reason = STOMPY_CUR_NAME_VALID;
  const char *name = entry_text (name_row);
  const char *bucket = entry_text (bucket_row);
  const char *prefix = entry_text (prefix_row);
  gboolean valid = TRUE;

  /* An empty field is not reported until something was typed in it, so a
   * fresh form does not open full of errors; it is still not valid. */
  if (data_exports)
    {
      if (*name != '\0' && !stompy_data_exports_validate_name (name, NULL))
        name_reason = STOMPY_CUR_NAME_INVALID_CHARACTER;
    }
  else if (*name != '\0')
    {
      stompy_cur_validate_report_name (name, &name_reason, NULL);
    }
  if (*name == '\0' && submitted)
    name_reason = STOMPY_CUR_NAME_EMPTY;
  valid &= *name != '\0' && name_reason == STOMPY_CUR_NAME_VALID;
  add_problem (text, name_row, _("Report name"),
               name_reason == STOMPY_CUR_NAME_VALID ? NULL
                 : stompy_cur_name_reason_sentence (name_reason, FALSE));

  if (*bucket != '\0')
    stompy_s3_validate_bucket_name (bucket, &bucket_reason, NULL);
  valid &= *bucket != '\0' && bucket_reason == STOMPY_BUCKET_NAME_VALID;
  add_problem (text, bucket_row, _("Bucket name"),
               bucket_reason != STOMPY_BUCKET_NAME_VALID
                 ? stompy_bucket_name_reason_sentence (bucket_reason)
                 : *bucket == '\0' && submitted
                 ? stompy_invalid_reason_sentence (STOMPY_INVALID_EMPTY) : NULL);

  /* An Athena report needs a prefix (§1.4); so does a tidy export. */
  stompy_cur_validate_prefix (prefix, TRUE, &prefix_reason, NULL);
  valid &= prefix_reason == STOMPY_CUR_NAME_VALID;
  add_problem (text, prefix_row, _("Path prefix"),
               prefix_reason == STOMPY_CUR_NAME_VALID ? NULL
                 : stompy_cur_name_reason_sentence (prefix_reason, TRUE));

  stompy_form_show_message (hint, text->str);
  return valid;
}

static void
update_chosen_row (StompyCurSection *self)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  const char *name = stompy_cur_choice_get_report_name (self->choice);
  const char *prefix = stompy_cur_choice_get_prefix (self->choice);

  /* The row's list shows only with it, so no empty frame is left. */
  gtk_widget_set_visible (GTK_WIDGET (self->chosen_row), stompy_cur_choice_is_complete (self->choice));
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->chosen_row)),
                          stompy_cur_choice_is_complete (self->choice));
  if (!stompy_cur_choice_is_complete (self->choice))
    return;

  if (stompy_cur_choice_get_kind (self->choice) == STOMPY_CUR_KIND_DATA_EXPORT)
    /* Translators: %s is the name of a CUR 2.0 export. */
    title = g_strdup_printf (_("Stompy will read the CUR 2.0 export “%s”"), name);
  else
    /* Translators: %s is the name of a Cost and Usage Report. */
    title = g_strdup_printf (_("Stompy will read the report “%s”"), name);

  /* Translators: an S3 location and its region, "s3://bucket/prefix in ap-southeast-1". */
  subtitle = g_strdup_printf (_("s3://%s/%s in %s"),
                              stompy_cur_choice_get_bucket (self->choice),
                              prefix ? prefix : "",
                              stompy_cur_choice_get_region (self->choice)
                                ? stompy_cur_choice_get_region (self->choice) : "?");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->chosen_row), title);
  adw_action_row_set_subtitle (self->chosen_row, subtitle);
}

/* ------------------------------------------------------------------ existing reports */

static GtkWidget *
condition_item (const char *name,
                gboolean    met)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *image = gtk_image_new_from_icon_name (met ? "object-select-symbolic"
                                                       : "window-close-symbolic");
  GtkWidget *label = gtk_label_new (name);
  g_autofree char *accessible = NULL;

  gtk_widget_add_css_class (image, met ? "success" : "error");
  /* Translators: a condition a report must meet, and whether it does,
   * e.g. "Hourly: met". Read by screen readers. */
  accessible = g_strdup_printf (met ? _("%s: met") : _("%s: not met"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, met ? _("Met") : _("Not met"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static GtkWidget *
report_row_new (StompyCurSection      *self,
                const StompyCurReport *report)
{
  StompyCurConditions met = stompy_cur_report_evaluate (report, NULL);
  gboolean all = (met & STOMPY_CUR_CONDITIONS_ALL) == STOMPY_CUR_CONDITIONS_ALL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (report->report_name);
  GtkWidget *location;
  GtkWidget *conditions = gtk_flow_box_new ();
  GtkWidget *verdict;
  GtkWidget *chosen = gtk_image_new_from_icon_name ("object-select-symbolic");
  g_autofree char *where = NULL;

  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (header), title);
  gtk_widget_set_visible (chosen, FALSE);
  gtk_widget_add_css_class (chosen, "accent");
  gtk_accessible_update_property (GTK_ACCESSIBLE (chosen),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chosen"), -1);
  gtk_box_append (GTK_BOX (header), chosen);
  gtk_box_append (GTK_BOX (box), header);

  where = g_strdup_printf (_("s3://%s/%s in %s"), report->s3_bucket,
                           report->s3_prefix ? report->s3_prefix : "",
                           report->s3_region ? report->s3_region : "?");
  location = gtk_label_new (where);
  gtk_label_set_xalign (GTK_LABEL (location), 0);
  gtk_label_set_wrap (GTK_LABEL (location), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (location), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (location, "dim-label");
  gtk_widget_add_css_class (location, "caption");
  gtk_box_append (GTK_BOX (box), location);

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (conditions), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (conditions), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (conditions), 12);
  gtk_widget_set_can_target (conditions, FALSE);
  gtk_flow_box_append (GTK_FLOW_BOX (conditions),
                       condition_item (_("Resource IDs"), met & STOMPY_CUR_CONDITION_RESOURCE_IDS));
  gtk_flow_box_append (GTK_FLOW_BOX (conditions),
                       condition_item (_("Data refresh"), met & STOMPY_CUR_CONDITION_DATA_REFRESH));
  gtk_flow_box_append (GTK_FLOW_BOX (conditions),
                       condition_item (_("Hourly"), met & STOMPY_CUR_CONDITION_HOURLY));
  gtk_flow_box_append (GTK_FLOW_BOX (conditions),
                       condition_item (_("Amazon Athena"), met & STOMPY_CUR_CONDITION_ATHENA));
  gtk_box_append (GTK_BOX (box), conditions);

  verdict = gtk_label_new (all ? _("Meets all four conditions: choose it to use it.")
                               : _("Does not meet all four conditions, so Stompy cannot use it."));
  gtk_label_set_xalign (GTK_LABEL (verdict), 0);
  gtk_label_set_wrap (GTK_LABEL (verdict), TRUE);
  gtk_widget_add_css_class (verdict, "caption");
  gtk_widget_add_css_class (verdict, all ? "success" : "dim-label");
  gtk_box_append (GTK_BOX (box), verdict);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), all);
  gtk_widget_set_focusable (row, all);
  g_object_set_data (G_OBJECT (row), "stompy-chosen-image", chosen);
  g_object_set_data_full (G_OBJECT (row), "stompy-report-name",
                          g_strdup (report->report_name), g_free);
  return row;
}

static void
mark_chosen_rows (StompyCurSection *self)
{
  gboolean existing = stompy_cur_choice_get_origin (self->choice) == STOMPY_CUR_ORIGIN_EXISTING;
  const char *name = stompy_cur_choice_get_report_name (self->choice);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->report_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *image = g_object_get_data (G_OBJECT (row), "stompy-chosen-image");

      if (image != NULL)
        gtk_widget_set_visible (image,
                                existing && g_strcmp0 (g_object_get_data (G_OBJECT (row),
                                                                          "stompy-report-name"),
                                                       name) == 0);
    }
}

static void
fill_report_list (StompyCurSection *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->report_list))) != NULL)
    gtk_list_box_remove (self->report_list, child);

  if (self->reports == NULL)
    return;

  for (guint i = 0; i < self->reports->len; i++)
    gtk_list_box_append (self->report_list, report_row_new (self, g_ptr_array_index (self->reports, i)));

  mark_chosen_rows (self);
}

static void
list_reports_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(StompyCurSection) self = user_data;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GError) error = NULL;

  reports = stompy_cur_list_reports_finish (result, &error);
  self->loading = FALSE;

  if (reports == NULL)
    {
      if (!is_cancelled (error))
        {
          g_autofree char *message = message_for (self, error);

          g_debug ("Could not list report definitions: %s", error->message);
          self->failed = TRUE;
          stompy_form_show_message (self->existing_error_label, message);
          gtk_widget_set_visible (GTK_WIDGET (self->existing_retry_button), TRUE);
        }
      update_widgets (self);
      return;
    }

  g_clear_pointer (&self->reports, g_ptr_array_unref);
  self->reports = g_steal_pointer (&reports);
  self->reports_loaded = TRUE;
  fill_report_list (self);
  update_widgets (self);
}

static void
load_reports (StompyCurSection *self)
{
  StompyAwsClient *client = get_client (self);

  if (client == NULL || self->guided || is_busy (self))
    return;

  self->loading = TRUE;
  self->failed = FALSE;
  stompy_form_show_message (self->existing_error_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->existing_retry_button), FALSE);
  update_widgets (self);

  stompy_cur_list_reports_async (client, stompy_section_renew_cancellable (STOMPY_SECTION (self)),
                                 list_reports_cb, g_object_ref (self));
}

static void
retry_list_cb (StompyCurSection *self)
{
  load_reports (self);
}

typedef struct
{
  StompyCurSection *self;
  StompyCurReport  *report;
} ChooseData;

static void
choose_data_free (ChooseData *data)
{
  g_object_unref (data->self);
  stompy_cur_report_free (data->report);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChooseData, choose_data_free)

static void
head_bucket_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ChooseData) data = user_data;
  StompyCurSection *self = data->self;
  StompyCurReport *report = data->report;
  g_autoptr(StompyS3BucketInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  info = stompy_s3_head_bucket_finish (result, &error);
  self->checking_bucket = FALSE;

  if (info == NULL)
    {
      if (!is_cancelled (error))
        message = message_for (self, error);
    }
  else if (!info->exists)
    {
      /* Translators: %s is an S3 bucket name. */
      message = g_strdup_printf (_("The report’s bucket “%s” does not exist any more, so AWS cannot deliver the report. Create a new report instead."),
                                 report->s3_bucket);
    }
  else if (info->region != NULL && report->s3_region != NULL
           && g_strcmp0 (info->region, report->s3_region) != 0)
    {
      /* Translators: %s is an S3 bucket name, then two AWS region codes. */
      message = g_strdup_printf (_("The report’s bucket “%s” is in %s, not in %s as the report says, so AWS cannot deliver it. Create a new report instead."),
                                 report->s3_bucket, info->region, report->s3_region);
    }
  else
    {
      stompy_cur_choice_set_kind (self->choice, STOMPY_CUR_KIND_LEGACY);
      stompy_cur_choice_set_report (self->choice, STOMPY_CUR_ORIGIN_EXISTING,
                                    report->report_name, report->s3_bucket,
                                    report->s3_prefix, report->s3_region);
    }

  if (message != NULL)
    {
      self->failed = TRUE;
      stompy_form_show_message (self->existing_error_label, message);
    }

  update_widgets (self);
}

static void
report_activated_cb (StompyCurSection *self,
                     GtkListBoxRow    *row)
{
  const char *name = g_object_get_data (G_OBJECT (row), "stompy-report-name");
  StompyAwsClient *client = get_client (self);
  ChooseData *data;

  if (client == NULL || is_busy (self) || self->reports == NULL || name == NULL)
    return;

  for (guint i = 0; i < self->reports->len; i++)
    {
      StompyCurReport *report = g_ptr_array_index (self->reports, i);

      if (g_strcmp0 (report->report_name, name) != 0 || !stompy_cur_report_meets_all (report))
        continue;

      self->checking_bucket = TRUE;
      self->failed = FALSE;
      stompy_form_show_message (self->existing_error_label, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->existing_retry_button), FALSE);
      update_widgets (self);

      data = g_new0 (ChooseData, 1);
      data->self = g_object_ref (self);
      data->report = stompy_cur_report_copy (report);
      stompy_s3_head_bucket_async (client, report->s3_bucket, report->s3_region,
                                   stompy_section_renew_cancellable (STOMPY_SECTION (self)),
                                   head_bucket_cb, data);
      return;
    }
}

/* ------------------------------------------------------------------ a new report */

static void
update_policy (StompyCurSection *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->policy_view);
  const char *bucket = entry_text (self->bucket_row);
  const char *account_id = stompy_onboarding_get_account_id (self->model);
  g_autofree char *policy = NULL;
  g_autofree char *shown = NULL;
  GtkTextIter start, end;

  if (account_id != NULL && stompy_s3_validate_bucket_name (bucket, NULL, NULL))
    policy = stompy_bucket_policy_build (bucket, account_id,
                                         gtk_switch_get_active (self->data_exports_switch)
                                           ? STOMPY_DELIVERY_DATA_EXPORTS : STOMPY_DELIVERY_CUR);
  else
    policy = g_strdup (_("The policy is shown once the bucket name is valid."));

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (g_strcmp0 (shown, policy) == 0)
    return;

  gtk_text_buffer_set_text (buffer, policy, -1);
  /* A confirmation is of the policy the user saw: another policy needs another. */
  gtk_check_button_set_active (self->policy_check, FALSE);
}

static gboolean
new_form_valid (StompyCurSection *self,
                gboolean          submitted)
{
  return validate_form (self->report_name_row, self->bucket_row, self->prefix_row,
                        gtk_switch_get_active (self->data_exports_switch), self->hint_label,
                        submitted);
}

static void
new_field_changed_cb (StompyCurSection *self)
{
  if (self->filling)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->region_warning_label),
                          g_strcmp0 (row_region (self->region_row), DEFAULT_REGION) != 0);
  update_policy (self);
  new_form_valid (self, FALSE);
  stompy_form_set_row_error (self->policy_check, FALSE);
  update_widgets (self);
}

static int
step_index (StompyCurSetupStep step)
{
  for (guint i = 0; i < STOMPY_CUR_SECTION_N_STEPS; i++)
    if (shown_steps[i] == step)
      return i;

  return -1;
}

static void
show_step (StompyCurSection   *self,
           guint               i,
           StompyCurStepState  state)
{
  const char *subtitle;
  const char *icon = NULL;

  self->step_states[i] = state;
  self->step_seen[i] = TRUE;

  switch (state)
    {
    case STOMPY_CUR_STEP_STARTED:
      subtitle = _("Working…");
      break;
    case STOMPY_CUR_STEP_DONE:
      subtitle = i == 0 ? _("Created") : i == 1 ? _("Blocked") : i == 2 ? _("Updated") : _("Created");
      icon = "object-select-symbolic";
      break;
    case STOMPY_CUR_STEP_REUSED:
      subtitle = _("Already in place: reused");
      icon = "object-select-symbolic";
      break;
    case STOMPY_CUR_STEP_FAILED:
    default:
      subtitle = _("Failed");
      icon = "dialog-error-symbolic";
      break;
    }

  adw_action_row_set_subtitle (self->step_rows[i], subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->step_spinners[i]), state == STOMPY_CUR_STEP_STARTED);
  gtk_spinner_set_spinning (self->step_spinners[i], state == STOMPY_CUR_STEP_STARTED);
  gtk_widget_set_visible (GTK_WIDGET (self->step_icons[i]), icon != NULL);
  if (icon != NULL)
    {
      gtk_image_set_from_icon_name (self->step_icons[i], icon);
      gtk_widget_remove_css_class (GTK_WIDGET (self->step_icons[i]), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->step_icons[i]), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->step_icons[i]),
                                state == STOMPY_CUR_STEP_FAILED ? "error" : "success");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->step_icons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, subtitle, -1);
    }
}

static void
reset_steps (StompyCurSection *self)
{
  for (guint i = 0; i < STOMPY_CUR_SECTION_N_STEPS; i++)
    {
      self->step_seen[i] = FALSE;
      self->step_states[i] = STOMPY_CUR_STEP_STARTED;
      adw_action_row_set_subtitle (self->step_rows[i], _("Waiting"));
      gtk_widget_set_visible (GTK_WIDGET (self->step_spinners[i]), FALSE);
      gtk_spinner_set_spinning (self->step_spinners[i], FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->step_icons[i]), FALSE);
    }
}

static void
setup_progress_cb (StompyCurSetupStep  step,
                   StompyCurStepState  state,
                   gpointer            user_data)
{
  StompyCurSection *self = user_data;
  int i = step_index (step);

  if (i >= 0)
    show_step (self, i, state);
}

/* Shows a failure of Create at the place it concerns; returns the row to focus. */
static GtkWidget *
show_create_error (StompyCurSection   *self,
                   StompyCurSetupStep  failed_step,
                   const GError       *error)
{
  g_autofree char *region = NULL;
  g_autofree char *message = NULL;
  const char *bucket = entry_text (self->bucket_row);

  if (stompy_s3_error_is_name_taken (error))
    {
      g_autofree char *line = NULL;

      /* Translators: %s is an S3 bucket name. */
      message = g_strdup_printf (_("The bucket name “%s” is already taken by another AWS account. Bucket names are shared by all AWS accounts: choose another name."),
                                 bucket);
      line = stompy_field_message (_("Bucket name"), message);
      stompy_form_set_field_error (self->bucket_row, line);
      stompy_form_show_message (self->hint_label, line);
      return GTK_WIDGET (self->bucket_row);
    }

  if (stompy_s3_error_is_owned_in_other_region (error, &region))
    {
      g_autofree char *line = NULL;

      if (region != NULL)
        /* Translators: %s is an S3 bucket name, then an AWS region code. */
        message = g_strdup_printf (_("You already own the bucket “%s”, but it is in %s. Choose that region, or another bucket name."),
                                   bucket, region);
      else
        message = g_strdup_printf (_("You already own the bucket “%s”, but in another region. Choose its region, or another bucket name."),
                                   bucket);
      line = stompy_field_message (_("Bucket name"), message);
      stompy_form_set_field_error (self->bucket_row, line);
      stompy_form_show_message (self->hint_label, line);
      return GTK_WIDGET (self->bucket_row);
    }

  if (stompy_cur_error_is_report_name_conflict (error)
      || stompy_data_exports_error_is_name_conflict (error))
    {
      g_autofree char *line = NULL;
      g_autofree char *sentence = stompy_error_message_for (error);

      line = stompy_field_message (_("Report name"), sentence);
      stompy_form_set_field_error (self->report_name_row, line);
      stompy_form_show_message (self->hint_label, line);
      return GTK_WIDGET (self->report_name_row);
    }

  message = message_for (self, error);
  stompy_form_show_message (self->create_error_label, message);
  return failed_step == STOMPY_CUR_SETUP_STEP_VALIDATE ? GTK_WIDGET (self->report_name_row) : NULL;
}

static void
setup_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(StompyCurSection) self = user_data;
  g_autoptr(StompyCurSetupResult) setup = NULL;
  g_autoptr(GError) error = NULL;
  StompyCurSetupStep failed_step = STOMPY_CUR_SETUP_STEP_NONE;
  GtkWidget *focus = NULL;

  setup = stompy_cur_setup_finish (result, &failed_step, &error);
  self->creating = FALSE;

  if (setup == NULL)
    {
      if (!is_cancelled (error))
        {
          g_debug ("Creating the report failed at %s: %s",
                   stompy_cur_setup_step_to_string (failed_step), error->message);
          self->failed = TRUE;
          if (step_index (failed_step) >= 0)
            show_step (self, step_index (failed_step), STOMPY_CUR_STEP_FAILED);
          focus = show_create_error (self, failed_step, error);
        }
      update_widgets (self);
      if (focus != NULL)
        gtk_widget_grab_focus (focus);
      return;
    }

  if (setup->report != NULL)
    {
      stompy_cur_choice_set_kind (self->choice, STOMPY_CUR_KIND_LEGACY);
      stompy_cur_choice_set_report (self->choice, STOMPY_CUR_ORIGIN_CREATED,
                                    setup->report->report_name, setup->report->s3_bucket,
                                    setup->report->s3_prefix, setup->report->s3_region);
    }
  else if (setup->export != NULL)
    {
      stompy_cur_choice_set_kind (self->choice, STOMPY_CUR_KIND_DATA_EXPORT);
      stompy_cur_choice_set_report (self->choice, STOMPY_CUR_ORIGIN_CREATED,
                                    setup->export->name, setup->export->s3_bucket,
                                    setup->export->s3_prefix, setup->export->s3_region);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->done_label), TRUE);
  update_widgets (self);
}

static void
create_cb (StompyCurSection *self)
{
  StompyAwsClient *client = get_client (self);
  StompyCurSetupParams params = { 0, };
  const char *account_id = stompy_onboarding_get_account_id (self->model);

  if (client == NULL || account_id == NULL || is_busy (self))
    return;

  /* Create, or Enter in a field: the first field to correct gets the focus,
   * with its reason as its description. */
  if (!new_form_valid (self, TRUE))
    {
      update_widgets (self);
      stompy_form_focus_first_invalid (GTK_WIDGET (self));
      return;
    }

  if (!gtk_check_button_get_active (self->policy_check))
    {
      const char *message = _("Confirm the bucket policy first: read it, then tick “I have confirmed the policy”.");

      stompy_form_set_field_error (self->policy_check, message);
      stompy_form_show_message (self->hint_label, message);
      update_widgets (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->policy_check));
      return;
    }

  params.kind = gtk_switch_get_active (self->data_exports_switch) ? STOMPY_CUR_SETUP_KIND_DATA_EXPORTS
                                                                   : STOMPY_CUR_SETUP_KIND_LEGACY;
  params.account_id = account_id;
  params.report_name = entry_text (self->report_name_row);
  params.bucket = entry_text (self->bucket_row);
  params.region = row_region (self->region_row);
  params.prefix = entry_text (self->prefix_row);

  /* Kept (and saved) before the calls, not yet as a chosen report: should the
   * app stop during them, the next start shows these names, and Create finds
   * what was made instead of making more under the proposed ones. */
  stompy_cur_choice_set_kind (self->choice, params.kind == STOMPY_CUR_SETUP_KIND_DATA_EXPORTS
                                            ? STOMPY_CUR_KIND_DATA_EXPORT : STOMPY_CUR_KIND_LEGACY);
  stompy_cur_choice_set_report (self->choice, STOMPY_CUR_ORIGIN_NONE, params.report_name,
                                params.bucket, params.prefix, params.region);
  stompy_onboarding_save (self->model, NULL);

  self->creating = TRUE;
  self->failed = FALSE;
  stompy_form_show_message (self->create_error_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->done_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_list), TRUE);
  reset_steps (self);
  update_widgets (self);

  stompy_cur_setup_async (client, &params,
                          setup_progress_cb, g_object_ref (self), g_object_unref,
                          stompy_section_renew_cancellable (STOMPY_SECTION (self)),
                          setup_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------ guided mode */

static void
guided_field_changed_cb (StompyCurSection *self)
{
  const char *region = row_region (self->guided_region_row);

  if (self->filling || !self->guided)
    return;

  if (validate_form (self->guided_report_name_row, self->guided_bucket_row,
                     self->guided_prefix_row, FALSE, self->guided_hint_label, FALSE))
    {
      stompy_cur_choice_set_kind (self->choice, STOMPY_CUR_KIND_LEGACY);
      stompy_cur_choice_set_report (self->choice, STOMPY_CUR_ORIGIN_PASTED,
                                    entry_text (self->guided_report_name_row),
                                    entry_text (self->guided_bucket_row),
                                    entry_text (self->guided_prefix_row),
                                    region);
    }
  else if (stompy_cur_choice_get_origin (self->choice) == STOMPY_CUR_ORIGIN_PASTED)
    {
      /* What was typed back no longer names a report. */
      stompy_cur_choice_set_report (self->choice, STOMPY_CUR_ORIGIN_NONE, NULL, NULL, NULL, NULL);
    }

  update_widgets (self);
}

/* ------------------------------------------------------------------ state */

/* Shows @form, one of the three forms, and hides the others. */
static void
show_form (StompyCurSection *self,
           GtkWidget        *form)
{
  GtkWidget *forms[] = { self->existing_form, self->new_form, self->guided_form };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    if (forms[i] != form)
      gtk_widget_set_visible (forms[i], FALSE);
  gtk_widget_set_visible (form, TRUE);
}

static void
mode_toggled_cb (StompyCurSection *self)
{
  if (self->guided)
    return;

  show_form (self, gtk_toggle_button_get_active (self->new_toggle) ? self->new_form
                                                                     : self->existing_form);
  update_widgets (self);
}

static void
update_widgets (StompyCurSection *self)
{
  gboolean busy = is_busy (self);
  gboolean has_client = get_client (self) != NULL;
  gboolean loaded = self->reports_loaded && !self->loading;

  gtk_widget_set_visible (self->mode_box, !self->guided);
  if (self->guided)
    show_form (self, self->guided_form);

  gtk_widget_set_visible (self->loading_box, self->loading || self->checking_bucket);
  gtk_spinner_set_spinning (self->loading_spinner, self->loading || self->checking_bucket);
  gtk_widget_set_visible (GTK_WIDGET (self->report_list),
                          loaded && self->reports != NULL && self->reports->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->existing_empty_label),
                          loaded && self->reports != NULL && self->reports->len == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->report_list), !busy);
  gtk_widget_set_sensitive (self->mode_box, !busy);

  /* The entry rows stay sensitive while Create runs (it has copied what they
   * said): a focused text that turns insensitive loses its focus-out event. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->region_row), !self->creating);
  gtk_widget_set_sensitive (GTK_WIDGET (self->data_exports_switch), !self->creating);
  gtk_widget_set_sensitive (GTK_WIDGET (self->policy_check), !self->creating);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            has_client && !busy
                            && gtk_check_button_get_active (self->policy_check)
                            && gtk_widget_get_visible (GTK_WIDGET (self->hint_label)) == FALSE
                            && *entry_text (self->report_name_row) != '\0'
                            && *entry_text (self->bucket_row) != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->create_spinner), self->creating);
  gtk_spinner_set_spinning (self->create_spinner, self->creating);

  update_chosen_row (self);
  mark_chosen_rows (self);

  stompy_section_set_status (STOMPY_SECTION (self),
                             stompy_cur_choice_is_complete (self->choice) && !busy,
                             busy, self->failed);
}

/* Shows the model: the mode, and the fields of a recorded report. */
static void
fill_from_model (StompyCurSection *self)
{
  StompyCurOrigin origin = stompy_cur_choice_get_origin (self->choice);
  const char *account_id = stompy_onboarding_get_account_id (self->model);
  StompyCredentialSource source = stompy_onboarding_get_credential_source (self->model);

  self->filling = TRUE;
  self->guided = source == STOMPY_CREDENTIAL_SOURCE_GUIDED;

  if (origin == STOMPY_CUR_ORIGIN_PASTED || self->guided)
    {
      if (origin == STOMPY_CUR_ORIGIN_PASTED)
        {
          set_entry_text (self->guided_report_name_row, stompy_cur_choice_get_report_name (self->choice));
          set_entry_text (self->guided_bucket_row, stompy_cur_choice_get_bucket (self->choice));
          set_entry_text (self->guided_prefix_row, stompy_cur_choice_get_prefix (self->choice));
          select_region (self->guided_region_row, stompy_cur_choice_get_region (self->choice));
        }
      else if (*entry_text (self->guided_prefix_row) == '\0')
        {
          /* First fill: the report the user is about to create in the console
           * is proposed in the preferred region, like an automatic one. */
          g_autofree char *region = stompy_application_dup_default_region (self->application);

          set_entry_text (self->guided_prefix_row, DEFAULT_PREFIX);
          if (!select_region (self->guided_region_row, region))
            select_region (self->guided_region_row, DEFAULT_REGION);
        }
    }

  if (origin == STOMPY_CUR_ORIGIN_CREATED)
    {
      set_entry_text (self->report_name_row, stompy_cur_choice_get_report_name (self->choice));
      set_entry_text (self->bucket_row, stompy_cur_choice_get_bucket (self->choice));
      set_entry_text (self->prefix_row, stompy_cur_choice_get_prefix (self->choice));
      select_region (self->region_row, stompy_cur_choice_get_region (self->choice));
      gtk_switch_set_active (self->data_exports_switch,
                             stompy_cur_choice_get_kind (self->choice) == STOMPY_CUR_KIND_DATA_EXPORT);
      gtk_toggle_button_set_active (self->new_toggle, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->done_label), TRUE);
    }
  else if (origin == STOMPY_CUR_ORIGIN_NONE && !self->guided
           && stompy_cur_choice_get_report_name (self->choice) != NULL
           && stompy_cur_choice_get_bucket (self->choice) != NULL)
    {
      /* A Create that did not finish (the app stopped during it): its names. */
      set_entry_text (self->report_name_row, stompy_cur_choice_get_report_name (self->choice));
      set_entry_text (self->bucket_row, stompy_cur_choice_get_bucket (self->choice));
      set_entry_text (self->prefix_row, stompy_cur_choice_get_prefix (self->choice));
      if (!select_region (self->region_row, stompy_cur_choice_get_region (self->choice)))
        select_region (self->region_row, DEFAULT_REGION);
      gtk_switch_set_active (self->data_exports_switch,
                             stompy_cur_choice_get_kind (self->choice) == STOMPY_CUR_KIND_DATA_EXPORT);
      gtk_toggle_button_set_active (self->new_toggle, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->done_label), FALSE);
    }
  else
    {
      g_autofree char *region = stompy_application_dup_default_region (self->application);

      if (*entry_text (self->report_name_row) == '\0')
        set_entry_text (self->report_name_row, DEFAULT_REPORT);
      if (*entry_text (self->bucket_row) == '\0' && account_id != NULL)
        {
          g_autofree char *bucket = g_strdup_printf ("stompy-cur-%s", account_id);
          set_entry_text (self->bucket_row, bucket);
        }
      if (*entry_text (self->prefix_row) == '\0')
        set_entry_text (self->prefix_row, DEFAULT_PREFIX);
      if (!select_region (self->region_row, region))
        select_region (self->region_row, DEFAULT_REGION);
      if (origin == STOMPY_CUR_ORIGIN_EXISTING)
        gtk_toggle_button_set_active (self->existing_toggle, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->done_label), FALSE);
    }

  self->filling = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->region_warning_label),
                          g_strcmp0 (row_region (self->region_row), DEFAULT_REGION) != 0);
  update_policy (self);
  if (!self->guided)
    {
      show_form (self, gtk_toggle_button_get_active (self->new_toggle) ? self->new_form
                                                                         : self->existing_form);
      new_form_valid (self, FALSE);
    }
  update_widgets (self);
}

static void
aws_client_changed_cb (StompyCurSection *self)
{
  fill_from_model (self);
  if (get_client (self) != NULL && !self->reports_loaded && !self->guided
      && gtk_widget_get_mapped (GTK_WIDGET (self)))
    load_reports (self);
}

static void
choice_changed_cb (StompyCurSection *self)
{
  update_widgets (self);
}

/* ------------------------------------------------------------------ GObject */

static void
stompy_cur_section_constructed (GObject *object)
{
  StompyCurSection *self = STOMPY_CUR_SECTION (object);

  G_OBJECT_CLASS (stompy_cur_section_parent_class)->constructed (object);

  self->application = stompy_section_get_application (STOMPY_SECTION (self));
  self->model = stompy_section_get_model (STOMPY_SECTION (self));
  self->choice = stompy_onboarding_get_cur_choice (self->model);

  for (guint i = 0; i < STOMPY_CUR_SECTION_N_STEPS; i++)
    {
      self->step_rows[i] = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->step_rows[i]), _(step_titles[i]));
      self->step_spinners[i] = GTK_SPINNER (gtk_spinner_new ());
      self->step_icons[i] = GTK_IMAGE (gtk_image_new ());
      adw_action_row_add_suffix (self->step_rows[i], GTK_WIDGET (self->step_spinners[i]));
      adw_action_row_add_suffix (self->step_rows[i], GTK_WIDGET (self->step_icons[i]));
      gtk_list_box_append (self->steps_list, GTK_WIDGET (self->step_rows[i]));
    }
  reset_steps (self);

  g_signal_connect_object (self->choice, "notify", G_CALLBACK (choice_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->application, "notify::aws-client",
                           G_CALLBACK (aws_client_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::credential-source",
                           G_CALLBACK (fill_from_model), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::account-id",
                           G_CALLBACK (fill_from_model), self, G_CONNECT_SWAPPED);

  fill_from_model (self);
}

static void
stompy_cur_section_dispose (GObject *object)
{
  StompyCurSection *self = STOMPY_CUR_SECTION (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_CUR_SECTION);
  memset (self->step_rows, 0, sizeof self->step_rows);
  memset (self->step_spinners, 0, sizeof self->step_spinners);
  memset (self->step_icons, 0, sizeof self->step_icons);
  g_clear_pointer (&self->reports, g_ptr_array_unref);
  self->application = NULL;
  self->model = NULL;
  self->choice = NULL;

  G_OBJECT_CLASS (stompy_cur_section_parent_class)->dispose (object);
}

static void
stompy_cur_section_class_init (StompyCurSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stompy_cur_section_constructed;
  object_class->dispose = stompy_cur_section_dispose;

  /**
   * StompyCurSection::billing-access-denied:
   *
   * AWS denied a Cost and Usage Report call in the way the account's "IAM
   * user and role access to Billing information" setting being off causes.
   */
  signals[SIGNAL_BILLING_ACCESS_DENIED] =
    g_signal_new ("billing-access-denied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-cur-section.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, StompyCurSection, name)
  BIND (chosen_row);
  BIND (mode_box);
  BIND (existing_toggle);
  BIND (new_toggle);
  BIND (modes);
  BIND (existing_form);
  BIND (new_form);
  BIND (guided_form);
  BIND (loading_box);
  BIND (loading_spinner);
  BIND (existing_error_label);
  BIND (existing_retry_button);
  BIND (report_list);
  BIND (existing_empty_label);
  BIND (report_name_row);
  BIND (bucket_row);
  BIND (region_row);
  BIND (prefix_row);
  BIND (data_exports_switch);
  BIND (hint_label);
  BIND (region_warning_label);
  BIND (policy_view);
  BIND (policy_check);
  BIND (create_button);
  BIND (create_spinner);
  BIND (steps_list);
  BIND (create_error_label);
  BIND (done_label);
  BIND (guided_report_name_row);
  BIND (guided_bucket_row);
  BIND (guided_region_row);
  BIND (guided_prefix_row);
  BIND (guided_hint_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, stompy_open_uri_link_button_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_list_cb);
  gtk_widget_class_bind_template_callback (widget_class, report_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_cb);
  gtk_widget_class_bind_template_callback (widget_class, guided_field_changed_cb);
}

static void
stompy_cur_section_init (StompyCurSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The rows fire "changed" as they are set up: nothing to check before constructed(). */
  self->filling = TRUE;
  setup_region_row (self->region_row);
  setup_region_row (self->guided_region_row);
  self->filling = FALSE;

  stompy_page_mark_alternative (self->existing_form);
  stompy_page_mark_alternative (self->new_form);
  stompy_page_mark_alternative (self->guided_form);
}

GtkWidget *
stompy_cur_section_new (StompyApplication *application)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);

  return g_object_new (STOMPY_TYPE_CUR_SECTION, "application", application, NULL);
}

void
stompy_cur_section_start (StompyCurSection *self)
{
  g_return_if_fail (STOMPY_IS_CUR_SECTION (self));

  fill_from_model (self);
  if (!self->reports_loaded)
    load_reports (self);
}

void
stompy_cur_section_cancel (StompyCurSection *self)
{
  g_return_if_fail (STOMPY_IS_CUR_SECTION (self));

  if (is_busy (self))
    stompy_section_stop (STOMPY_SECTION (self));
}

void
stompy_cur_section_reset (StompyCurSection *self)
{
  g_return_if_fail (STOMPY_IS_CUR_SECTION (self));

  stompy_section_stop (STOMPY_SECTION (self));
  self->failed = FALSE;
  self->filling = TRUE;
  set_entry_text (self->report_name_row, NULL);
  set_entry_text (self->bucket_row, NULL);
  set_entry_text (self->prefix_row, NULL);
  set_entry_text (self->guided_report_name_row, NULL);
  set_entry_text (self->guided_bucket_row, NULL);
  set_entry_text (self->guided_prefix_row, NULL);
  self->filling = FALSE;
  stompy_form_show_message (self->create_error_label, NULL);
  stompy_form_show_message (self->existing_error_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_list), FALSE);
  g_clear_pointer (&self->reports, g_ptr_array_unref);
  self->reports_loaded = FALSE;
  fill_report_list (self);
  fill_from_model (self);
}

const char *
_stompy_cur_section_get_mode (StompyCurSection *self)
{
  g_return_val_if_fail (STOMPY_IS_CUR_SECTION (self), NULL);

  if (gtk_widget_get_visible (self->new_form))
    return "new";
  if (gtk_widget_get_visible (self->guided_form))
    return "guided";
  return "existing";
}

GtkListBoxRow *
_stompy_cur_section_get_report_row (StompyCurSection *self,
                                    const char       *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->report_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "stompy-report-name"), name) == 0)
      return GTK_LIST_BOX_ROW (row);

  return NULL;
}
