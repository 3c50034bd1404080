/* stompy-status-panel.c
 *
 * The groups are filled in code: every row is a StompyStatusRow (a status
 * icon with accessible text, a title and a subtitle); each group makes its
 * rows in init and updates them when the poller says its part changed. The
 * Stompy group is the same, though the poller asks Stompy nothing: it passes
 * on the model's connection, which the Connect page's watch writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "stompy-error-messages.h"
#include "stompy-error.h"
#include "stompy-page.h"
#include "stompy-status-panel-private.h"

G_DEFINE_FINAL_TYPE (StompyStatusPanel, stompy_status_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_APPLICATION,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static const StompyCurConditions report_condition_flags[] = {
  STOMPY_CUR_CONDITION_RESOURCE_IDS,
  STOMPY_CUR_CONDITION_DATA_REFRESH,
  STOMPY_CUR_CONDITION_HOURLY,
  STOMPY_CUR_CONDITION_ATHENA,
};

/* ------------------------------------------------------------------ rows */

static void
status_row_init (StompyStatusRow     *row,
                 AdwPreferencesGroup *group,
                 const char          *title)
{
  row->row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), title);
  adw_action_row_set_subtitle_lines (row->row, 0);

  row->indicator = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_valign (GTK_WIDGET (row->indicator), GTK_ALIGN_CENTER);
  row->icon = GTK_IMAGE (gtk_image_new ());
  row->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_stack_add_named (row->indicator, GTK_WIDGET (row->icon), "icon");
  gtk_stack_add_named (row->indicator, GTK_WIDGET (row->spinner), "spinner");
  adw_action_row_add_prefix (row->row, GTK_WIDGET (row->indicator));

  row->mark = STOMPY_STATUS_MARK_NONE;
  gtk_widget_set_visible (GTK_WIDGET (row->indicator), FALSE);

  if (group != NULL)
    adw_preferences_group_add (group, GTK_WIDGET (row->row));
}

static void
status_row_set (StompyStatusRow  *row,
                StompyStatusMark  mark,
                const char       *subtitle)
{
  static const char * const classes[] = { "success", "error", "warning", "dim-label" };
  const char *icon_name = NULL;
  const char *css_class = NULL;
  const char *label = NULL;
  GtkWidget *icon = GTK_WIDGET (row->icon);

  row->mark = mark;
  adw_action_row_set_subtitle (row->row, subtitle != NULL ? subtitle : "");

  switch (mark)
    {
    case STOMPY_STATUS_MARK_CHECKING:
      label = _("Checking");
      break;
    case STOMPY_STATUS_MARK_YES:
      icon_name = "emblem-ok-symbolic";
      css_class = "success";
      label = _("Yes");
      break;
    case STOMPY_STATUS_MARK_NO:
      icon_name = "window-close-symbolic";
      css_class = "error";
      label = _("No");
      break;
    case STOMPY_STATUS_MARK_WAITING:
      icon_name = "document-open-recent-symbolic";
      css_class = "warning";
      label = _("Not yet");
      break;
    case STOMPY_STATUS_MARK_UNCHECKED:
      icon_name = "dialog-question-symbolic";
      css_class = "dim-label";
      label = _("Not checked");
      break;
    case STOMPY_STATUS_MARK_ERROR:
      icon_name = "dialog-warning-symbolic";
      css_class = "warning";
      label = _("Could not check");
      break;
    case STOMPY_STATUS_MARK_IN_PROGRESS:
      /* Not a spinner: a stack takes minutes, and a spinner redraws the
       * window sixty times a second all that while (≈ 3 % of a core). The
       * progress bar and the status text say it is moving. */
      icon_name = "content-loading-symbolic";
      css_class = "dim-label";
      label = _("In progress");
      break;
    case STOMPY_STATUS_MARK_NONE:
    default:
      break;
    }

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (icon, classes[i]);

  gtk_widget_set_visible (GTK_WIDGET (row->indicator), mark != STOMPY_STATUS_MARK_NONE);
  gtk_spinner_set_spinning (row->spinner, mark == STOMPY_STATUS_MARK_CHECKING);
  if (mark == STOMPY_STATUS_MARK_CHECKING)
    {
      gtk_stack_set_visible_child (row->indicator, GTK_WIDGET (row->spinner));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->spinner),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  else if (icon_name != NULL)
    {
      gtk_stack_set_visible_child (row->indicator, icon);
      gtk_image_set_from_icon_name (row->icon, icon_name);
      gtk_widget_add_css_class (icon, css_class);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->indicator), label);
}

static void
status_row_show (StompyStatusRow *row,
                 gboolean         visible)
{
  gtk_widget_set_visible (GTK_WIDGET (row->row), visible);
}

static StompyStatusMark
mark_for_check (StompyCheck check)
{
  switch (check)
    {
    case STOMPY_CHECK_YES:
      return STOMPY_STATUS_MARK_YES;
    case STOMPY_CHECK_NO:
      return STOMPY_STATUS_MARK_NO;
    case STOMPY_CHECK_UNKNOWN:
    default:
      return STOMPY_STATUS_MARK_UNCHECKED;
    }
}

/* The error row of a group: the translated sentence, or hidden. */
static void
error_row_update (StompyStatusRow *row,
                  const GError    *error)
{
  g_autofree char *message = NULL;

  if (error == NULL)
    {
      status_row_show (row, FALSE);
      return;
    }

  message = stompy_error_message_for (error);
  status_row_set (row, STOMPY_STATUS_MARK_ERROR, message);
  status_row_show (row, TRUE);
}

/* ------------------------------------------------------------------ bucket and report */

static gboolean
analysaver_chosen (StompyStatusPanel *self)
{
  return (stompy_onboarding_get_products (self->model) & STOMPY_PRODUCT_ANALYSAVER) != 0;
}

static void
update_bucket (StompyStatusPanel *self)
{
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (self->model);
  StompyStatusState state = stompy_status_poller_get_bucket_state (self->poller);
  const StompyS3BucketStatus *status = stompy_status_poller_get_bucket_status (self->poller);
  StompyStatusRow *rows[] = {
    &self->bucket_exists, &self->bucket_region, &self->bucket_policy,
    &self->bucket_public_access, &self->bucket_delivered,
  };
  g_autofree char *description = NULL;
  g_autofree char *region_text = NULL;
  const char *bucket = stompy_cur_choice_get_bucket (choice);
  const char *prefix = stompy_cur_choice_get_prefix (choice);
  const char *expected = stompy_status_poller_get_report_region (self->poller);

  gtk_widget_set_visible (GTK_WIDGET (self->bucket_group), analysaver_chosen (self));

  if (state == STOMPY_STATUS_STATE_NONE)
    {
      adw_preferences_group_set_description (self->bucket_group,
                                             _("Chosen with the report at the AnalySaver step."));
      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        status_row_show (rows[i], FALSE);
      error_row_update (&self->bucket_error, NULL);
      return;
    }

  if (prefix != NULL && *prefix != '\0')
    description = g_strdup_printf ("s3://%s/%s", bucket, prefix);
  else
    description = g_strdup_printf ("s3://%s", bucket);
  if (state == STOMPY_STATUS_STATE_UNCHECKED)
    {
      g_autofree char *plain = g_steal_pointer (&description);

      /* Translators: %s is the bucket's address, s3://name/prefix. */
      description = g_strdup_printf (_("%s — entered by you, not checked: the app has no AWS "
                                       "credentials."), plain);
    }
  adw_preferences_group_set_description (self->bucket_group, description);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    status_row_show (rows[i], TRUE);

  if (status == NULL)
    {
      StompyStatusMark mark = state == STOMPY_STATUS_STATE_CHECKING
                              ? STOMPY_STATUS_MARK_CHECKING
                              : state == STOMPY_STATUS_STATE_ERROR ? STOMPY_STATUS_MARK_ERROR
                                                                   : STOMPY_STATUS_MARK_UNCHECKED;

      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        status_row_set (rows[i], mark, NULL);
      if (expected != NULL)
        /* Translators: %s is an AWS region name. */
        region_text = g_strdup_printf (_("%s, as recorded"), expected);
      status_row_set (&self->bucket_region, mark, region_text);
      error_row_update (&self->bucket_error, stompy_status_poller_get_bucket_error (self->poller));
      return;
    }

  if (status->exists == STOMPY_CHECK_NO)
    status_row_set (&self->bucket_exists, STOMPY_STATUS_MARK_NO,
                    _("AWS has no bucket of this name."));
  else if (status->exists == STOMPY_CHECK_YES && !status->accessible)
    status_row_set (&self->bucket_exists, STOMPY_STATUS_MARK_NO,
                    _("The bucket exists but this identity may not read it: it may belong to "
                      "another account."));
  else
    status_row_set (&self->bucket_exists, mark_for_check (status->exists), NULL);

  switch (stompy_status_poller_get_region_matches (self->poller))
    {
    case STOMPY_CHECK_YES:
      /* Translators: %s is an AWS region name. */
      region_text = g_strdup_printf (_("%s, as the report says"), status->region);
      status_row_set (&self->bucket_region, STOMPY_STATUS_MARK_YES, region_text);
      break;
    case STOMPY_CHECK_NO:
      /* Translators: the bucket's region, then the report's. */
      region_text = g_strdup_printf (_("%s, but the report says %s"), status->region, expected);
      status_row_set (&self->bucket_region, STOMPY_STATUS_MARK_NO, region_text);
      break;
    case STOMPY_CHECK_UNKNOWN:
    default:
      status_row_set (&self->bucket_region, STOMPY_STATUS_MARK_UNCHECKED,
                      status->region != NULL ? status->region : _("Unknown"));
      break;
    }

  status_row_set (&self->bucket_policy, mark_for_check (status->delivery_policy),
                  status->delivery_policy == STOMPY_CHECK_YES
                  ? _("AWS may deliver reports into it.")
                  : status->delivery_policy == STOMPY_CHECK_NO
                  ? _("The bucket policy does not let AWS deliver reports.") : NULL);
  status_row_set (&self->bucket_public_access, mark_for_check (status->public_access_blocked),
                  status->public_access_blocked == STOMPY_CHECK_NO
                  ? _("Anyone could be given access to the reports.") : NULL);

  if (status->delivered == STOMPY_CHECK_YES)
    status_row_set (&self->bucket_delivered, STOMPY_STATUS_MARK_YES,
                    _("Report files have arrived."));
  else if (status->delivered == STOMPY_CHECK_NO)
    status_row_set (&self->bucket_delivered, STOMPY_STATUS_MARK_WAITING,
                    _("AWS needs 24 to 48 hours for the first delivery. You can go on meanwhile."));
  else
    status_row_set (&self->bucket_delivered, STOMPY_STATUS_MARK_UNCHECKED, NULL);

  error_row_update (&self->bucket_error, stompy_status_poller_get_bucket_error (self->poller));
}

static char *
athena_flaws_text (StompyCurAthenaFlaws flaws)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (flaws & STOMPY_CUR_ATHENA_NOT_ENABLED)
    g_ptr_array_add (parts, (gpointer) _("Athena is not enabled"));
  if (flaws & STOMPY_CUR_ATHENA_OTHER_ARTIFACTS)
    g_ptr_array_add (parts, (gpointer) _("Redshift or QuickSight is enabled beside it"));
  if (flaws & STOMPY_CUR_ATHENA_NOT_PARQUET)
    g_ptr_array_add (parts, (gpointer) _("the format is not Parquet"));
  if (flaws & STOMPY_CUR_ATHENA_NOT_OVERWRITE)
    g_ptr_array_add (parts, (gpointer) _("new versions do not overwrite the old ones"));
  if (flaws & STOMPY_CUR_ATHENA_NO_PREFIX)
    g_ptr_array_add (parts, (gpointer) _("there is no path prefix"));
  g_ptr_array_add (parts, NULL);

  /* Translators: the separator between the reasons Athena integration fails. */
  return g_strjoinv (_("; "), (char **) parts->pdata);
}

static void
update_report (StompyStatusPanel *self)
{
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (self->model);
  StompyStatusState state = stompy_status_poller_get_report_state (self->poller);
  gboolean export = stompy_cur_choice_get_kind (choice) == STOMPY_CUR_KIND_DATA_EXPORT;
  StompyCurAthenaFlaws flaws = 0;
  StompyCurConditions met = stompy_status_poller_get_report_conditions (self->poller, &flaws);
  gboolean found = stompy_status_poller_get_report_found (self->poller);

  gtk_widget_set_visible (GTK_WIDGET (self->report_group), analysaver_chosen (self));
  adw_preferences_group_set_title (self->report_group,
                                   export ? _("CUR 2.0 Export") : _("Cost and Usage Report"));

  if (state == STOMPY_STATUS_STATE_NONE)
    {
      adw_preferences_group_set_description (self->report_group, _("Not chosen yet."));
      status_row_show (&self->report_found, FALSE);
      for (guint i = 0; i < G_N_ELEMENTS (self->report_conditions); i++)
        status_row_show (&self->report_conditions[i], FALSE);
      error_row_update (&self->report_error, NULL);
      return;
    }

  if (state == STOMPY_STATUS_STATE_UNCHECKED)
    {
      /* Translators: %s is the report's name. */
      g_autofree char *text = g_strdup_printf (_("%s — entered by you, not checked."),
                                               stompy_cur_choice_get_report_name (choice));

      adw_preferences_group_set_description (self->report_group, text);
    }
  else
    adw_preferences_group_set_description (self->report_group,
                                           stompy_cur_choice_get_report_name (choice));

  status_row_show (&self->report_found, state == STOMPY_STATUS_STATE_KNOWN && !found);
  if (state == STOMPY_STATUS_STATE_KNOWN && !found)
    status_row_set (&self->report_found, STOMPY_STATUS_MARK_NO,
                    export ? _("No export of this name exists in the account.")
                           : _("No report of this name exists in the account."));

  for (guint i = 0; i < G_N_ELEMENTS (self->report_conditions); i++)
    {
      StompyStatusRow *row = &self->report_conditions[i];
      g_autofree char *subtitle = NULL;
      StompyStatusMark mark;

      status_row_show (row, state != STOMPY_STATUS_STATE_KNOWN || found);
      switch (state)
        {
        case STOMPY_STATUS_STATE_CHECKING:
          mark = STOMPY_STATUS_MARK_CHECKING;
          break;
        case STOMPY_STATUS_STATE_ERROR:
          mark = STOMPY_STATUS_MARK_ERROR;
          break;
        case STOMPY_STATUS_STATE_KNOWN:
          mark = (met & report_condition_flags[i]) ? STOMPY_STATUS_MARK_YES : STOMPY_STATUS_MARK_NO;
          if (report_condition_flags[i] == STOMPY_CUR_CONDITION_ATHENA && flaws != 0)
            subtitle = athena_flaws_text (flaws);
          break;
        case STOMPY_STATUS_STATE_UNCHECKED:
        case STOMPY_STATUS_STATE_NONE:
        default:
          mark = STOMPY_STATUS_MARK_UNCHECKED;
          break;
        }
      status_row_set (row, mark, subtitle);
    }

  error_row_update (&self->report_error, stompy_status_poller_get_report_error (self->poller));
}

/* ------------------------------------------------------------------ stacks */

static const char *
stack_status_text (const StompyStack *stack)
{
  switch (stack->state)
    {
    case STOMPY_STACK_STATE_IN_PROGRESS:
      if (g_str_has_prefix (stack->status, "CREATE_"))
        return _("Being created");
      if (g_str_has_prefix (stack->status, "DELETE_"))
        return _("Being deleted");
      if (strstr (stack->status, "ROLLBACK") != NULL)
        return _("Rolling back after a failure");
      return _("Being updated");
    case STOMPY_STACK_STATE_COMPLETE:
      return _("Complete");
    case STOMPY_STACK_STATE_FAILED:
      return _("Failed");
    case STOMPY_STACK_STATE_ROLLED_BACK:
      return _("Rolled back after a failure");
    case STOMPY_STACK_STATE_DELETED:
      return _("Deleted");
    case STOMPY_STACK_STATE_REVIEW:
      return _("Waiting for a change set to be run");
    case STOMPY_STACK_STATE_UNKNOWN:
    default:
      return _("Unknown");
    }
}

static void
stack_events_update (StompyStatusStackGroup *group,
                     GPtrArray              *events,
                     gboolean                expand)
{
  guint shown = 0;

  for (guint i = 0; events != NULL && i < events->len && shown < STOMPY_STATUS_PANEL_EVENTS; i++)
    {
      const StompyStackEvent *event = g_ptr_array_index (events, i);
      AdwActionRow *row = group->event_rows[shown++];
      g_autofree char *time = NULL;
      g_autofree char *subtitle = NULL;

      if (event->timestamp != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (event->timestamp);

          time = g_date_time_format (local, "%X");
        }
      if (event->resource_status_reason != NULL && time != NULL)
        subtitle = g_strdup_printf ("%s · %s · %s", event->resource_status, time,
                                    event->resource_status_reason);
      else if (time != NULL)
        subtitle = g_strdup_printf ("%s · %s", event->resource_status, time);
      else
        subtitle = g_strdup (event->resource_status);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), event->logical_resource_id);
      adw_action_row_set_subtitle (row, subtitle);
      gtk_widget_set_visible (GTK_WIDGET (row), TRUE);
    }

  for (guint i = shown; i < STOMPY_STATUS_PANEL_EVENTS; i++)
    gtk_widget_set_visible (GTK_WIDGET (group->event_rows[i]), FALSE);

  gtk_widget_set_visible (GTK_WIDGET (group->events_row), shown > 0);
  if (expand)
    adw_expander_row_set_expanded (group->events_row, TRUE);
}

static void
update_stack (StompyStatusPanel      *self,
              StompyStatusStackGroup *group)
{
  StompyStackRecord *record = stompy_onboarding_get_stack (self->model, group->product);
  StompyStackWatch *watch = stompy_status_poller_get_stack_watch (self->poller, group->product);
  StompyStack *stack = watch != NULL ? stompy_stack_watch_get_stack (watch) : NULL;
  const GError *error = watch != NULL ? stompy_stack_watch_get_error (watch) : NULL;
  const char *name = stompy_stack_record_get_stack_name (record);
  const char *role_arn = NULL;
  gboolean pasted = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (group->group),
                          (stompy_onboarding_get_products (self->model) & group->product) != 0);

  if (stack != NULL)
    name = stack->stack_name;
  if (name != NULL)
    {
      const char *region = stompy_stack_record_get_region (record);
      g_autofree char *description = region != NULL ? g_strdup_printf ("%s · %s", name, region)
                                                     : g_strdup (name);

      adw_preferences_group_set_description (group->group, description);
    }
  else
    adw_preferences_group_set_description (group->group, NULL);

  gtk_widget_set_visible (GTK_WIDGET (group->progress), FALSE);
  status_row_show (&group->failure, FALSE);

  if (stack != NULL)
    {
      guint done = 0, total = 0;

      stompy_stack_watch_get_progress (watch, &done, &total);
      if (stack->state == STOMPY_STACK_STATE_IN_PROGRESS)
        {
          g_autofree char *text = NULL;

          status_row_set (&group->status, STOMPY_STATUS_MARK_IN_PROGRESS,
                          stack_status_text (stack));
          if (total > 0)
            {
              /* Translators: resources done out of all, in a stack's progress bar. */
              text = g_strdup_printf (_("%u of %u"), done, total);
              gtk_progress_bar_set_fraction (group->progress, (double) done / total);
              gtk_progress_bar_set_text (group->progress, text);
              gtk_widget_set_visible (GTK_WIDGET (group->progress), TRUE);
            }
        }
      else
        {
          status_row_set (&group->status,
                          stack->state == STOMPY_STACK_STATE_COMPLETE ? STOMPY_STATUS_MARK_YES
                          : stack->state == STOMPY_STACK_STATE_REVIEW ? STOMPY_STATUS_MARK_UNCHECKED
                          : STOMPY_STATUS_MARK_NO,
                          stack_status_text (stack));
        }

      if (stompy_stack_watch_get_failure_reason (watch) != NULL &&
          stack->state != STOMPY_STACK_STATE_COMPLETE)
        {
          status_row_set (&group->failure, STOMPY_STATUS_MARK_NO,
                          stompy_stack_watch_get_failure_reason (watch));
          status_row_show (&group->failure, TRUE);
        }

      stack_events_update (group, stompy_stack_watch_get_events (watch),
                           stack->state == STOMPY_STACK_STATE_IN_PROGRESS);
      role_arn = stack->role_arn;
    }
  else
    {
      stack_events_update (group, NULL, FALSE);

      if (watch != NULL && error == NULL)
        status_row_set (&group->status, STOMPY_STATUS_MARK_CHECKING, _("Checking…"));
      else if (watch != NULL && stompy_cloudformation_error_is_not_found (error))
        status_row_set (&group->status, STOMPY_STATUS_MARK_NO,
                        _("AWS has no stack of this name: it may have been deleted."));
      else if (watch != NULL)
        status_row_set (&group->status, STOMPY_STATUS_MARK_ERROR, NULL);
      else if (stompy_status_poller_get_client (self->poller) == NULL)
        status_row_set (&group->status, STOMPY_STATUS_MARK_UNCHECKED,
                        _("Not checked: the app has no AWS credentials."));
      else
        status_row_set (&group->status, STOMPY_STATUS_MARK_WAITING, _("Not created yet."));

      role_arn = stompy_stack_record_get_role_arn (record);
      pasted = stompy_stack_record_get_role_arn_pasted (record);
    }

  if (role_arn != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (group->role_arn.row), role_arn);
      status_row_set (&group->role_arn,
                      pasted ? STOMPY_STATUS_MARK_UNCHECKED : STOMPY_STATUS_MARK_YES,
                      pasted ? _("Role ARN, entered by you") : _("Role ARN, from the stack's outputs"));
    }
  status_row_show (&group->role_arn, role_arn != NULL);

  /* The not-found case is said in the status row already. */
  error_row_update (&group->error,
                    stompy_cloudformation_error_is_not_found (error) ? NULL : error);
}

static void
stack_group_init (StompyStatusStackGroup *group,
                  StompyProducts          product,
                  AdwPreferencesGroup    *preferences_group)
{
  group->product = product;
  group->group = preferences_group;

  status_row_init (&group->status, preferences_group, _("Stack status"));
  group->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (group->progress, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (group->progress), GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (GTK_WIDGET (group->progress), 80, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (group->progress),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Resources created"), -1);
  adw_action_row_add_suffix (group->status.row, GTK_WIDGET (group->progress));

  group->events_row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (group->events_row), _("Latest events"));
  for (guint i = 0; i < STOMPY_STATUS_PANEL_EVENTS; i++)
    {
      group->event_rows[i] = ADW_ACTION_ROW (adw_action_row_new ());
      adw_action_row_set_subtitle_lines (group->event_rows[i], 0);
      adw_expander_row_add_row (group->events_row, GTK_WIDGET (group->event_rows[i]));
    }
  adw_preferences_group_add (preferences_group, GTK_WIDGET (group->events_row));

  status_row_init (&group->failure, preferences_group, _("Why it failed"));
  status_row_init (&group->role_arn, preferences_group, _("Role ARN"));
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (group->role_arn.row), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (group->role_arn.row), "role-arn");
  status_row_init (&group->error, preferences_group, _("Could not check"));
}

/* ------------------------------------------------------------------ Stompy */

static void
check_row_free (gpointer data)
{
  StompyStatusCheckRow *check = data;

  g_free (check->check_id);
  g_free (check);
}

/* Keeps the error row last: the check rows come and go above it. */
static void
stompy_error_row_to_end (StompyStatusPanel *self)
{
  g_autoptr(GtkWidget) row = g_object_ref (GTK_WIDGET (self->stompy_error.row));

  adw_preferences_group_remove (self->stompy_group, row);
  adw_preferences_group_add (self->stompy_group, row);
}

/* One row per check, in Stompy's order: made again only when the checks
 * asked for change (Connect sent again with other products). */
static void
sync_check_rows (StompyStatusPanel         *self,
                 const StompyAccountStatus *status)
{
  guint n = status != NULL ? status->checks->len : 0;
  gboolean same = n == self->stompy_checks->len;

  for (guint i = 0; same && i < n; i++)
    {
      const StompyAccountCheck *check = g_ptr_array_index (status->checks, i);
      StompyStatusCheckRow *row = g_ptr_array_index (self->stompy_checks, i);

      same = g_strcmp0 (check->id, row->check_id) == 0;
    }
  if (same)
    return;

  for (guint i = 0; i < self->stompy_checks->len; i++)
    {
      StompyStatusCheckRow *row = g_ptr_array_index (self->stompy_checks, i);

      adw_preferences_group_remove (self->stompy_group, GTK_WIDGET (row->row.row));
    }
  g_ptr_array_set_size (self->stompy_checks, 0);

  for (guint i = 0; i < n; i++)
    {
      const StompyAccountCheck *check = g_ptr_array_index (status->checks, i);
      StompyStatusCheckRow *row = g_new0 (StompyStatusCheckRow, 1);

      row->check_id = g_strdup (check->id);
      status_row_init (&row->row, self->stompy_group, stompy_connection_check_title (check->id));
      g_ptr_array_add (self->stompy_checks, row);
    }
  stompy_error_row_to_end (self);
}

static void
update_check_row (StompyStatusCheckRow     *row,
                  const StompyAccountCheck *check)
{
  if (g_strcmp0 (check->status, "ok") == 0)
    status_row_set (&row->row, STOMPY_STATUS_MARK_YES, NULL);
  else if (g_strcmp0 (check->status, "failed") == 0)
    /* The service localizes its message from Accept-Language. */
    status_row_set (&row->row, STOMPY_STATUS_MARK_NO,
                    check->message != NULL && *check->message != '\0'
                    ? check->message : _("Stompy could not verify this."));
  else
    status_row_set (&row->row, STOMPY_STATUS_MARK_CHECKING, _("Being verified…"));
}

static void
update_stompy (StompyStatusPanel *self)
{
  StompyConnection *connection = stompy_onboarding_get_connection (self->model);
  const StompyAccountStatus *status = stompy_connection_get_status (connection);
  const GError *error = stompy_status_poller_get_stompy_error (self->poller);
  const char *account_id = stompy_connection_get_account_id (connection);
  g_autofree char *description = NULL;
  g_autofree char *message = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->stompy_group),
                          stompy_connection_get_submitted (connection));
  if (!stompy_connection_get_submitted (connection))
    {
      sync_check_rows (self, NULL);
      return;
    }

  if (account_id != NULL)
    /* Translators: %s is a 12-digit AWS account id. */
    description = g_strdup_printf (_("AWS account %s"), account_id);
  adw_preferences_group_set_description (self->stompy_group, description);

  if (status == NULL)
    status_row_set (&self->stompy_status, STOMPY_STATUS_MARK_UNCHECKED,
                    _("Sent to Stompy, not answered yet."));
  else if (g_strcmp0 (status->status, "connected") == 0)
    status_row_set (&self->stompy_status, STOMPY_STATUS_MARK_YES,
                    _("Connected: Stompy works with this account."));
  else if (g_strcmp0 (status->status, "waiting_for_data") == 0)
    status_row_set (&self->stompy_status, STOMPY_STATUS_MARK_WAITING,
                    _("Connected, waiting for data: AWS delivers the first report within 24 to "
                      "48 hours."));
  else if (g_strcmp0 (status->status, "failed") == 0)
    status_row_set (&self->stompy_status, STOMPY_STATUS_MARK_NO,
                    _("Stompy could not verify the connection: see the checks below."));
  else if (g_strcmp0 (status->status, "verifying") == 0)
    status_row_set (&self->stompy_status, STOMPY_STATUS_MARK_CHECKING,
                    _("Stompy is verifying its access…"));
  else
    status_row_set (&self->stompy_status, STOMPY_STATUS_MARK_UNCHECKED, status->status);

  sync_check_rows (self, status);
  for (guint i = 0; i < self->stompy_checks->len; i++)
    update_check_row (g_ptr_array_index (self->stompy_checks, i),
                      g_ptr_array_index (status->checks, i));

  if (error != NULL)
    {
      message = stompy_connect_error_message (error,
                                              stompy_onboarding_get_stompy_organization (self->model));
      status_row_set (&self->stompy_error, STOMPY_STATUS_MARK_ERROR, message);
    }
  status_row_show (&self->stompy_error, error != NULL);
}

/* ------------------------------------------------------------------ copy details */

void
stompy_status_panel_copy_details (StompyStatusPanel *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (STOMPY_IS_STATUS_PANEL (self));

  text = stompy_status_poller_describe (self->poller);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  stompy_widget_toast (GTK_WIDGET (self), _("Details copied"));
}

static void
copy_details_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  stompy_status_panel_copy_details (STOMPY_STATUS_PANEL (widget));
}

/* ------------------------------------------------------------------ updates */

static void
update_parts (StompyStatusPanel *self,
              StompyStatusParts  parts)
{
  if (parts & (STOMPY_STATUS_PART_BUCKET | STOMPY_STATUS_PART_REPORT))
    update_bucket (self);
  if (parts & STOMPY_STATUS_PART_REPORT)
    update_report (self);
  if (parts & STOMPY_STATUS_PART_STACKS)
    for (guint i = 0; i < G_N_ELEMENTS (self->stacks); i++)
      update_stack (self, &self->stacks[i]);
  if (parts & STOMPY_STATUS_PART_STOMPY)
    update_stompy (self);
}

static void
poller_changed_cb (StompyStatusPanel  *self,
                   StompyStatusParts   parts)
{
  update_parts (self, parts);
}

static void
products_changed_cb (StompyStatusPanel *self)
{
  /* The groups follow the choice at once; the poller follows with AWS's word. */
  update_parts (self, STOMPY_STATUS_PARTS_ALL);
}

static void
aws_client_changed_cb (StompyStatusPanel *self)
{
  /* The application has given its poller the new client already. */
  update_parts (self, STOMPY_STATUS_PARTS_ALL);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  stompy_status_panel_refresh (STOMPY_STATUS_PANEL (widget));
}

/* ------------------------------------------------------------------ GObject */

static void
stompy_status_panel_constructed (GObject *object)
{
  StompyStatusPanel *self = STOMPY_STATUS_PANEL (object);

  G_OBJECT_CLASS (stompy_status_panel_parent_class)->constructed (object);

  g_assert (self->application != NULL);
  self->model = g_object_ref (stompy_application_get_model (self->application));
  /* The application's: the run-template sections follow their stacks through
   * it too, so AWS is asked once per stack however many widgets show it. */
  self->poller = g_object_ref (stompy_application_get_status_poller (self->application));
  g_assert (self->poller != NULL);

  g_signal_connect_object (self->poller, "changed", G_CALLBACK (poller_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::products", G_CALLBACK (products_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->application, "notify::aws-client",
                           G_CALLBACK (aws_client_changed_cb), self, G_CONNECT_SWAPPED);

  update_parts (self, STOMPY_STATUS_PARTS_ALL);
}

static void
stompy_status_panel_dispose (GObject *object)
{
  StompyStatusPanel *self = STOMPY_STATUS_PANEL (object);
  GtkWidget *child;

  if (self->poller != NULL)
    {
      /* Not stopped: it is the application's, and others follow it. */
      g_signal_handlers_disconnect_by_data (self->poller, self);
      g_clear_object (&self->poller);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_STATUS_PANEL);
  /* The template's unnamed children are left to us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->model);
  g_clear_object (&self->application);
  g_clear_pointer (&self->stompy_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (stompy_status_panel_parent_class)->dispose (object);
}

static void
stompy_status_panel_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StompyStatusPanel *self = STOMPY_STATUS_PANEL (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_status_panel_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  StompyStatusPanel *self = STOMPY_STATUS_PANEL (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      self->application = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_status_panel_class_init (StompyStatusPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stompy_status_panel_constructed;
  object_class->dispose = stompy_status_panel_dispose;
  object_class->get_property = stompy_status_panel_get_property;
  object_class->set_property = stompy_status_panel_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, STOMPY_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-status-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, StompyStatusPanel, copy_button);
  gtk_widget_class_bind_template_child (widget_class, StompyStatusPanel, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, StompyStatusPanel, bucket_group);
  gtk_widget_class_bind_template_child (widget_class, StompyStatusPanel, report_group);
  gtk_widget_class_bind_template_child (widget_class, StompyStatusPanel, analysaver_group);
  gtk_widget_class_bind_template_child (widget_class, StompyStatusPanel, spotainer_group);
  gtk_widget_class_bind_template_child (widget_class, StompyStatusPanel, stompy_group);

  gtk_widget_class_install_action (widget_class, "status.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "status.copy-details", NULL,
                                   copy_details_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statuspanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
stompy_status_panel_init (StompyStatusPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Set here rather than in the template: the window lays out the next page
   * ahead at the width it will have beside the panel, from the same constant. */
  gtk_widget_set_size_request (GTK_WIDGET (self), STOMPY_STATUS_PANEL_WIDTH, -1);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Status"), -1);

  status_row_init (&self->bucket_exists, self->bucket_group, _("Bucket exists"));
  status_row_init (&self->bucket_region, self->bucket_group, _("Region"));
  status_row_init (&self->bucket_policy, self->bucket_group, _("Delivery policy in place"));
  status_row_init (&self->bucket_public_access, self->bucket_group, _("Public access blocked"));
  status_row_init (&self->bucket_delivered, self->bucket_group, _("First report delivered"));
  status_row_init (&self->bucket_error, self->bucket_group, _("Could not check"));

  status_row_init (&self->report_found, self->report_group, _("Report definition"));
  status_row_init (&self->report_conditions[0], self->report_group, _("Includes resource IDs"));
  status_row_init (&self->report_conditions[1], self->report_group, _("Data refresh on"));
  status_row_init (&self->report_conditions[2], self->report_group, _("Hourly granularity"));
  status_row_init (&self->report_conditions[3], self->report_group,
                   _("Amazon Athena integration"));
  status_row_init (&self->report_error, self->report_group, _("Could not check"));

  stack_group_init (&self->stacks[0], STOMPY_PRODUCT_ANALYSAVER, self->analysaver_group);
  stack_group_init (&self->stacks[1], STOMPY_PRODUCT_SPOTAINER, self->spotainer_group);

  status_row_init (&self->stompy_status, self->stompy_group, _("Connection"));
  self->stompy_checks = g_ptr_array_new_with_free_func (check_row_free);
  status_row_init (&self->stompy_error, self->stompy_group, _("Could not check"));
  status_row_show (&self->stompy_error, FALSE);
}

StompyStatusPanel *
stompy_status_panel_new (StompyApplication *application)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);

  return g_object_new (STOMPY_TYPE_STATUS_PANEL, "application", application, NULL);
}

void
stompy_status_panel_start (StompyStatusPanel *self)
{
  g_return_if_fail (STOMPY_IS_STATUS_PANEL (self));

  stompy_status_poller_start (self->poller);
}

void
stompy_status_panel_refresh (StompyStatusPanel *self)
{
  g_return_if_fail (STOMPY_IS_STATUS_PANEL (self));

  stompy_status_poller_refresh (self->poller);
}

StompyStatusPoller *
_stompy_status_panel_get_poller (StompyStatusPanel *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_PANEL (self), NULL);

  return self->poller;
}

StompyStatusStackGroup *
_stompy_status_panel_get_stack (StompyStatusPanel *self,
                                StompyProducts     product)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_PANEL (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (self->stacks); i++)
    if (self->stacks[i].product == product)
      return &self->stacks[i];

  return NULL;
}

StompyStatusCheckRow *
_stompy_status_panel_get_check (StompyStatusPanel *self,
                                const char        *check_id)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_PANEL (self), NULL);

  for (guint i = 0; i < self->stompy_checks->len; i++)
    {
      StompyStatusCheckRow *row = g_ptr_array_index (self->stompy_checks, i);

      if (g_strcmp0 (row->check_id, check_id) == 0)
        return row;
    }

  return NULL;
}
