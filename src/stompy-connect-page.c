/* stompy-connect-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page shows the model: the summary and what is missing come from
 * stompy_connection_summarize() and stompy_connection_find_missing(), the
 * checks from the model's StompyConnection, which both the connect call and
 * the StompyConnectionWatch write into. Submitting sends Connect (or, for a
 * request already sent, follows it) and ends when no check is pending.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-connect-page-private.h"
#include "stompy-error-messages.h"
#include "stompy-error.h"
#include "stompy-sign-in-page-private.h"
#include "stompy-stompy-account-section-private.h"
#include "stompy-window-private.h"

G_DEFINE_FINAL_TYPE (StompyConnectPage, stompy_connect_page, STOMPY_TYPE_PAGE)

/* ------------------------------------------------------------------ labels */

static const char *
step_button_label (StompyStep step)
{
  switch (step)
    {
    case STOMPY_STEP_SIGN_IN:
      return _("Go to Sign In");
    case STOMPY_STEP_PRODUCTS:
      return _("Go to Products");
    case STOMPY_STEP_ANALYSAVER:
      return _("Go to AnalySaver");
    case STOMPY_STEP_SPOTAINER:
      return _("Go to SpoTainer");
    case STOMPY_STEP_CONNECT:
    case STOMPY_STEP_DONE:
    default:
      g_return_val_if_reached (NULL);
    }
}

typedef struct
{
  const char *id;
  StompyStep  step;
} CheckInfo;

static const CheckInfo checks[] = {
  { "assume_analysaver_role", STOMPY_STEP_ANALYSAVER },
  { "read_cur_bucket",        STOMPY_STEP_ANALYSAVER },
  { "assume_spotainer_role",  STOMPY_STEP_SPOTAINER },
};

/* What to do about a failed check, at the step check_step() names. */
static const char *
check_advice (const char *id)
{
  if (g_strcmp0 (id, "assume_analysaver_role") == 0)
    return _("At the AnalySaver step, check that the stack completed and that the role is its RoleArn output.");
  if (g_strcmp0 (id, "read_cur_bucket") == 0)
    return _("At the AnalySaver step, check that the report’s bucket still exists and that the AnalySaver stack was created for this bucket.");
  if (g_strcmp0 (id, "assume_spotainer_role") == 0)
    return _("At the SpoTainer step, check that the stack completed and that the role is its RoleArn output.");
  return NULL;
}

static StompyStep
check_step (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    if (g_strcmp0 (checks[i].id, id) == 0)
      return checks[i].step;

  return STOMPY_STEP_CONNECT;
}

static gboolean
status_is_ok (const StompyAccountStatus *status)
{
  return status != NULL
         && !stompy_account_status_is_pending (status)
         && (g_strcmp0 (status->status, "connected") == 0
             || g_strcmp0 (status->status, "waiting_for_data") == 0);
}

/* ------------------------------------------------------------------ rows */

static GtkWidget *
step_button_new (StompyStep step)
{
  GtkWidget *button = gtk_button_new_with_label (step_button_label (step));

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.go-to-step");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_uint32 (step));

  return button;
}

/* A row of @group, kept in @rows; with a button to @step unless it is CONNECT. */
static AdwActionRow *
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         const char          *title,
         const char          *subtitle,
         StompyStep           step,
         gboolean             edit_icon)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  /* Names, ARNs and the service's messages are text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (row, subtitle);

  if (step != STOMPY_STEP_CONNECT)
    {
      GtkWidget *button = step_button_new (step);

      if (edit_icon)
        {
          g_autofree char *name = NULL;

          gtk_button_set_icon_name (GTK_BUTTON (button), "document-edit-symbolic");
          gtk_widget_add_css_class (button, "flat");
          gtk_widget_set_tooltip_text (button, step_button_label (step));
          /* Translators: the accessible name of a button that goes back to
           * the step where a value shown (%s, e.g. "AWS Account") is chosen. */
          name = g_strdup_printf (_("Change %s"), title);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
        }
      adw_action_row_add_suffix (row, button);
      g_object_set_data (G_OBJECT (row), "stompy-step-button", button);
    }

  adw_preferences_group_add (group, GTK_WIDGET (row));
  g_ptr_array_add (rows, row);

  return row;
}

/* The index of the row of @rows that has the keyboard focus or holds it (its
 * Change button), or -1. */
static int
focused_row (GPtrArray *rows)
{
  GtkRoot *root;
  GtkWidget *focus;

  if (rows->len == 0 || (root = gtk_widget_get_root (g_ptr_array_index (rows, 0))) == NULL)
    return -1;
  focus = gtk_root_get_focus (root);
  for (guint i = 0; focus != NULL && i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if (focus == row || gtk_widget_is_ancestor (focus, row))
        return (int) i;
    }
  return -1;
}

/* After rows were rebuilt under the keyboard focus, which clear_rows() let
 * go: the focus goes to the row now at @index (or the last). */
static void
refocus_row (GPtrArray *rows,
             int        index)
{
  if (index < 0 || rows->len == 0)
    return;
  gtk_widget_grab_focus (g_ptr_array_index (rows, MIN ((guint) index, rows->len - 1)));
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  /* A row removed with the keyboard focus keeps it, detached, and the page's
   * focus chain still leads to it: Tab, and the window putting the focus on
   * the page, then found nothing. The focus is let go first. */
  if (focused_row (rows) >= 0)
    gtk_root_set_focus (gtk_widget_get_root (g_ptr_array_index (rows, 0)), NULL);

  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
clear_children (GtkBox    *box,
                GPtrArray *children)
{
  for (guint i = 0; i < children->len; i++)
    gtk_box_remove (box, g_ptr_array_index (children, i));
  g_ptr_array_set_size (children, 0);
}

/* ------------------------------------------------------------------ summary */

static void
add_summary_rows (StompyConnectPage             *self,
                  const StompyConnectionSummary *summary)
{
  GPtrArray *rows = self->summary_rows;
  AdwPreferencesGroup *group = self->summary_group;
  const char *products;

  add_row (group, rows, _("AWS Account"), summary->account_id, STOMPY_STEP_SIGN_IN, TRUE);

  if (summary->analysaver && summary->spotainer)
    products = _("StompyAnalySaver and StompySpoTainer");
  else if (summary->analysaver)
    products = "StompyAnalySaver";
  else
    products = "StompySpoTainer";
  add_row (group, rows, _("Products"), products, STOMPY_STEP_PRODUCTS, TRUE);

  if (summary->analysaver)
    {
      g_autofree char *location = NULL;
      g_autofree char *where = NULL;

      add_row (group, rows,
               summary->cur_kind == STOMPY_CUR_KIND_DATA_EXPORT ? _("Data Export (CUR 2.0)")
                                                                : _("Cost and Usage Report"),
               summary->report_name, STOMPY_STEP_ANALYSAVER, TRUE);

      if (summary->prefix != NULL && *summary->prefix != '\0')
        location = g_strdup_printf ("s3://%s/%s", summary->bucket, summary->prefix);
      else
        location = g_strdup_printf ("s3://%s", summary->bucket);
      /* Translators: an S3 location (s3://bucket/prefix) and its AWS Region code. */
      where = g_strdup_printf (_("%s, in %s"), location, summary->region);
      add_row (group, rows, _("Report Bucket"), where, STOMPY_STEP_ANALYSAVER, TRUE);

      add_row (group, rows, _("AnalySaver Role"), summary->analysaver_role_arn,
               STOMPY_STEP_ANALYSAVER, TRUE);
    }

  if (summary->spotainer)
    add_row (group, rows, _("SpoTainer Role"), summary->spotainer_role_arn,
             STOMPY_STEP_SPOTAINER, TRUE);
}

static void
add_missing_rows (StompyConnectPage       *self,
                  StompyConnectionMissing  missing)
{
  GPtrArray *rows = self->missing_rows;
  AdwPreferencesGroup *group = self->missing_group;

  if (missing & STOMPY_CONNECTION_MISSING_ACCOUNT_ID)
    add_row (group, rows, _("AWS Account"),
             _("Verify your AWS credentials, or type the account ID in guided mode."),
             STOMPY_STEP_SIGN_IN, FALSE);
  if (missing & STOMPY_CONNECTION_MISSING_PRODUCTS)
    add_row (group, rows, _("Products"), _("Choose at least one product."),
             STOMPY_STEP_PRODUCTS, FALSE);
  if (missing & STOMPY_CONNECTION_MISSING_REPORT)
    add_row (group, rows, _("Cost and Usage Report"),
             _("Choose or create the report StompyAnalySaver reads."),
             STOMPY_STEP_ANALYSAVER, FALSE);
  if (missing & STOMPY_CONNECTION_MISSING_ANALYSAVER_ROLE)
    add_row (group, rows, _("AnalySaver Role"),
             _("Run the AnalySaver template, or paste its RoleArn output."),
             STOMPY_STEP_ANALYSAVER, FALSE);
  if (missing & STOMPY_CONNECTION_MISSING_SPOTAINER_ROLE)
    add_row (group, rows, _("SpoTainer Role"),
             _("Run the SpoTainer template, or paste its RoleArn output."),
             STOMPY_STEP_SPOTAINER, FALSE);

  /* Nothing missing, but summarize() refused: a role of another account. */
  if (rows->len == 0)
    add_row (group, rows, _("Roles"),
             _("A role belongs to another AWS account than the one being connected. Run the template in this account again."),
             (stompy_onboarding_get_products (self->model) & STOMPY_PRODUCT_ANALYSAVER)
               ? STOMPY_STEP_ANALYSAVER : STOMPY_STEP_SPOTAINER,
             FALSE);
}

/* Rebuilds the summary, or what is missing; keeps the digest of the request.
 * The rows are rebuilt only when what they show changed: the page updates on
 * every change of the connection, and a row rebuilt under the keyboard focus
 * (a row, its Change button) lost the focus each time. */
static void
update_summary (StompyConnectPage *self)
{
  g_autoptr(StompyConnectionSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows_shown = NULL;
  StompyConnectionMissing missing = 0;
  const char *organization = stompy_onboarding_get_stompy_organization (self->model);

  g_clear_pointer (&self->digest, g_free);

  if (organization != NULL && *organization != '\0')
    {
      /* Translators: %s is the name of the user's Stompy organization (a company). */
      g_autofree char *intro = g_strdup_printf (_("Stompy connects this AWS account to your organization, “%s”, then checks that it can use the roles."),
                                                organization);

      gtk_label_set_label (self->intro_label, intro);
    }
  else
    {
      gtk_label_set_label (self->intro_label,
                           _("Stompy connects this AWS account to your organization, then checks that it can use the roles."));
    }

  summary = stompy_connection_summarize (self->model, &error);
  if (summary != NULL)
    {
      g_autoptr(JsonNode) request = stompy_connection_summary_to_request (summary);

      /* The request holds every value the summary rows show. */
      self->digest = stompy_connection_request_digest (request);
      rows_shown = g_strconcat ("summary ", self->digest, NULL);
    }
  else
    {
      g_debug ("Connect is not ready: %s", error->message);
      missing = stompy_connection_find_missing (self->model);
      rows_shown = g_strdup_printf ("missing %u %u", missing,
                                    stompy_onboarding_get_products (self->model));
    }

  if (g_strcmp0 (rows_shown, self->rows_shown) != 0)
    {
      clear_rows (self->summary_group, self->summary_rows);
      clear_rows (self->missing_group, self->missing_rows);
      if (summary != NULL)
        add_summary_rows (self, summary);
      else
        add_missing_rows (self, missing);
      g_free (self->rows_shown);
      self->rows_shown = g_steal_pointer (&rows_shown);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->summary_group), summary != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->missing_group), summary == NULL);
}

/* TRUE when the model's connection was submitted for the request the model makes now. */
static gboolean
same_request (StompyConnectPage *self)
{
  return self->digest != NULL
         && stompy_connection_get_submitted (self->connection)
         && g_strcmp0 (stompy_connection_get_account_id (self->connection),
                       stompy_onboarding_get_account_id (self->model)) == 0
         && g_strcmp0 (stompy_connection_get_request_digest (self->connection), self->digest) == 0;
}

/* ------------------------------------------------------------------ checks */

static void
add_check_row (StompyConnectPage        *self,
               const StompyAccountCheck *check)
{
  gboolean failed = g_strcmp0 (check->status, "failed") == 0;
  gboolean ok = g_strcmp0 (check->status, "ok") == 0;
  StompyStep step = failed ? check_step (check->id) : STOMPY_STEP_CONNECT;
  g_autofree char *subtitle = NULL;
  AdwActionRow *row;
  GtkWidget *indicator;

  if (failed)
    {
      const char *message = check->message != NULL && *check->message != '\0'
                            ? check->message : _("The check failed.");
      const char *advice = check_advice (check->id);

      subtitle = advice != NULL ? g_strdup_printf ("%s %s", message, advice) : g_strdup (message);
    }
  else
    {
      subtitle = g_strdup (ok ? _("Verified")
                              : self->submission != NULL ? _("Checking…") : _("Not finished yet"));
    }

  row = add_row (self->checks_group, self->check_rows, stompy_connection_check_title (check->id),
                 subtitle, step, FALSE);
  gtk_widget_set_name (GTK_WIDGET (row), check->id);

  if (ok || failed)
    {
      indicator = gtk_image_new_from_icon_name (ok ? "emblem-ok-symbolic" : "dialog-error-symbolic");
      gtk_widget_add_css_class (indicator, ok ? "success" : "error");
    }
  else if (self->submission != NULL)
    {
      indicator = gtk_spinner_new ();
      gtk_spinner_set_spinning (GTK_SPINNER (indicator), TRUE);
    }
  else
    {
      /* Pending at Stompy, but not followed now. */
      indicator = gtk_image_new_from_icon_name ("content-loading-symbolic");
      gtk_widget_add_css_class (indicator, "dim-label");
    }
  /* The subtitle says it in words. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (indicator), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_prefix (row, indicator);
}

static void
update_checks (StompyConnectPage *self)
{
  const StompyAccountStatus *status = stompy_connection_get_status (self->connection);
  gboolean shown = status != NULL && same_request (self);
  const char *description = NULL;
  int focused = focused_row (self->check_rows);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus;

  /* The checks are hidden while Connect starts again: the row that had the
   * focus then is remembered until they are back. */
  if (focused >= 0)
    self->focused_check = focused;

  clear_rows (self->checks_group, self->check_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->checks_group), shown);
  if (!shown)
    return;

  for (guint i = 0; i < status->checks->len; i++)
    add_check_row (self, g_ptr_array_index (status->checks, i));

  /* Unless the user has put the focus elsewhere on the page since, or is on
   * another page. */
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (gtk_widget_get_mapped (GTK_WIDGET (self))
      && (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self))))
    refocus_row (self->check_rows, self->focused_check);
  self->focused_check = -1;

  if (stompy_account_status_is_pending (status) && self->submission != NULL)
    description = _("Stompy is checking that it can use the roles. This takes a moment.");
  else if (stompy_account_status_is_pending (status))
    description = _("Stompy had not finished checking. The page follows the checks again when you come back to it, or press Connect.");
  else if (g_strcmp0 (status->status, "connected") == 0)
    description = _("Connected: Stompy can use every role.");
  else if (g_strcmp0 (status->status, "waiting_for_data") == 0)
    description = _("Connected: Stompy can use the roles, and waits for the first Cost and Usage Report, which AWS delivers within 24–48 hours.");
  else
    description = _("Stompy could not verify the connection. Do what each failed check says, then connect again.");
  adw_preferences_group_set_description (self->checks_group, description);
}

/* ------------------------------------------------------------------ state */

static gboolean
session_expired (StompyConnectPage *self)
{
  return self->error != NULL && stompy_api_error_is_auth_expired (self->error);
}

static void
update_error (StompyConnectPage *self)
{
  clear_children (self->fields_box, self->field_labels);
  gtk_widget_set_visible (self->error_box, self->error != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_again_button), session_expired (self));
  if (self->error == NULL)
    return;

  {
    g_autofree char *message =
      stompy_connect_error_message (self->error,
                                    stompy_onboarding_get_stompy_organization (self->model));

    gtk_label_set_label (self->error_label, message);
  }

  for (const char * const *field = stompy_connect_fields (); *field != NULL; field++)
    {
      g_autofree char *text = stompy_connect_field_message (self->error, *field);
      GtkWidget *label;

      if (text == NULL)
        continue;
      label = gtk_label_new (text);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (self->fields_box, label);
      g_ptr_array_add (self->field_labels, label);
    }
}

static void
update (StompyConnectPage *self)
{
  gboolean running = self->submission != NULL;
  gboolean connected;
  StompyPageState state;

  /* Disposed: a cancelled operation calling back has nothing to show. */
  if (self->application == NULL)
    return;

  update_summary (self);
  update_checks (self);
  update_error (self);
  connected = !running
              && same_request (self)
              && status_is_ok (stompy_connection_get_status (self->connection));

  gtk_widget_set_visible (self->progress_box, running);
  gtk_spinner_set_spinning (self->spinner, running);
  /* Submitting this page is what sends the details to Stompy. Back from
   * Done, Stompy has this very request and verified it: the button goes on
   * without sending anything, and says so. */
  stompy_page_set_primary_label (STOMPY_PAGE (self),
                                 connected ? N_("_Continue") : N_("C_onnect"));
  gtk_label_set_label (self->progress_label,
                       self->connecting ? _("Sending to Stompy…")
                                        : _("Stompy is verifying the roles…"));

  if (running)
    state = STOMPY_PAGE_STATE_BUSY;
  else if (self->digest == NULL)
    state = STOMPY_PAGE_STATE_IDLE;
  else if (session_expired (self))
    state = STOMPY_PAGE_STATE_ERROR;
  else
    state = STOMPY_PAGE_STATE_READY;  /* Connect, or Connect again after a failure */

  stompy_page_set_state (STOMPY_PAGE (self), state);
}

/* ------------------------------------------------------------------ submission */

/* Ends the submission: @error NULL when connected (or waiting for data).
 * @show: the error is shown in the error area (a failed verification is
 * shown by its checks instead). */
static void
finish (StompyConnectPage *self,
        GError            *error,
        gboolean           show)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->submission);

  self->connecting = FALSE;
  g_clear_error (&self->error);
  if (error != NULL && show && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->error = g_error_copy (error);

  /* The status panel and "Copy Details" show Stompy's last refusal too, with
   * its request id; a verification that ran its course clears it. */
  if (self->application != NULL
      && (error == NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    stompy_status_poller_set_stompy_error (stompy_application_get_status_poller (self->application),
                                           self->error);

  /* The state first: the window reads it when the task returns. */
  update (self);

  if (error == NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
settle (StompyConnectPage         *self,
        const StompyAccountStatus *status)
{
  if (status_is_ok (status))
    finish (self, NULL, FALSE);
  else
    finish (self, g_error_new (STOMPY_ERROR, STOMPY_ERROR_FAILED,
                               "Stompy could not verify the connection (%s)", status->status),
            FALSE);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(StompyConnectPage) self = user_data;
  g_autoptr(StompyAccountStatus) status = NULL;
  GError *error = NULL;

  status = stompy_connection_watch_wait_finish (STOMPY_CONNECTION_WATCH (source), result, &error);
  if (self->submission == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (self->application == NULL)
    {
      finish (self, error != NULL ? error : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                                  "The page went away"), FALSE);
      return;
    }

  if (status != NULL)
    {
      settle (self, status);
      return;
    }

  /* Stompy no longer knows the account: the next Connect is a new request. */
  if (g_error_matches (error, STOMPY_API_ERROR, STOMPY_API_ERROR_NOT_FOUND))
    {
      stompy_connection_forget_key (self->connection);
      stompy_connection_set_status (self->connection, NULL);
    }
  finish (self, error, TRUE);
}

/* Follows the submitted connection until no check is pending. @look_now:
 * after a restart or signing in again, rather than just after Connect. */
static void
follow (StompyConnectPage *self,
        gboolean           look_now)
{
  StompyApiClient *client = stompy_application_get_api_client (self->application);
  const GError *stopped = self->watch != NULL ? stompy_connection_watch_get_error (self->watch) : NULL;

  /* The watch the expired session stopped resumes; otherwise a new one. */
  if (self->watch == NULL || stopped == NULL || !stompy_api_error_is_auth_expired (stopped)
      || stompy_connection_watch_get_polling (self->watch))
    {
      if (self->watch != NULL)
        stompy_connection_watch_stop (self->watch);
      g_clear_object (&self->watch);
      self->watch = stompy_connection_watch_new (client, self->connection);
    }

  if (look_now)
    stompy_connection_watch_resume (self->watch);

  update (self);
  stompy_connection_watch_wait_async (self->watch, g_task_get_cancellable (self->submission),
                                      wait_cb, g_object_ref (self));
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(StompyConnectPage) self = user_data;
  g_autoptr(StompyAccountStatus) status = NULL;
  GError *error = NULL;

  status = stompy_connection_connect_finish (result, &error);
  self->connecting = FALSE;
  if (self->submission == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (self->application == NULL)
    {
      finish (self, error != NULL ? error : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                                  "The page went away"), FALSE);
      return;
    }

  if (status == NULL)
    finish (self, error, TRUE);
  else if (stompy_account_status_is_pending (status))
    follow (self, FALSE);
  else
    settle (self, status);
}

static void
stompy_connect_page_submit_async (StompyPage          *page,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  StompyConnectPage *self = STOMPY_CONNECT_PAGE (page);
  StompyApiClient *client = stompy_application_get_api_client (self->application);
  g_autoptr(GTask) task = NULL;
  const StompyAccountStatus *status;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_connect_page_submit_async);

  if (self->submission != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "Connect is running");
      return;
    }

  self->submission = g_steal_pointer (&task);
  update_summary (self);

  if (client == NULL)
    {
      finish (self, g_error_copy (stompy_application_get_api_error (self->application)), TRUE);
      return;
    }
  if (self->digest == NULL)
    {
      finish (self, g_error_new_literal (STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                                         "Connect is not ready"), FALSE);
      return;
    }

  status = stompy_connection_get_status (self->connection);
  if (same_request (self) && status != NULL)
    {
      /* Sent before (a restart, a return, signing in again): Stompy has it. */
      if (stompy_account_status_is_pending (status))
        {
          follow (self, TRUE);
          return;
        }
      if (status_is_ok (status))
        {
          finish (self, NULL, FALSE);
          return;
        }
      /* Failed: the user fixed something; Stompy verifies a new request. */
      stompy_connection_forget_key (self->connection);
    }

  /* A request sent but never answered goes again with its kept key, so
   * Stompy replays its answer rather than connecting twice. */
  self->connecting = TRUE;
  update (self);
  stompy_connection_connect_async (self->model, client, g_task_get_cancellable (self->submission),
                                   connect_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------ resume */

static void shown_cb (StompyConnectPage *self);

static void
signed_in_cb (StompyApiClient   *client,
              GParamSpec        *pspec,
              StompyConnectPage *self)
{
  if (self->application == NULL || stompy_api_client_get_token (client) == NULL)
    return;

  g_signal_handlers_disconnect_by_func (client, signed_in_cb, self);
  shown_cb (self);
}

/* A connection submitted for this very request and not settled (the app
 * closed while Stompy verified, or the session expired): the page follows it
 * again, through the window's Continue so that it moves on when connected. */
static gboolean
follow_idle_cb (gpointer user_data)
{
  StompyConnectPage *self = user_data;
  StompyApiClient *client;
  const StompyAccountStatus *status;

  self->follow_idle = 0;

  if (!self->started || !gtk_widget_get_mapped (GTK_WIDGET (self)) || self->submission != NULL)
    return G_SOURCE_REMOVE;

  update (self);
  status = stompy_connection_get_status (self->connection);
  if (!same_request (self) || (status != NULL && !stompy_account_status_is_pending (status)))
    return G_SOURCE_REMOVE;

  /* After a restart the stored session is still being read from the keyring
   * when the page appears: sent now, the request failed as "signed out" and
   * the page asked to sign in again although the session was fine. It waits
   * for the token instead (found by the kill-and-resume test). */
  client = stompy_application_get_api_client (self->application);
  if (client != NULL && stompy_api_client_get_token (client) == NULL)
    {
      g_signal_handlers_disconnect_by_func (client, signed_in_cb, self);
      g_signal_connect_object (client, "notify::signed-in", G_CALLBACK (signed_in_cb), self, 0);
      return G_SOURCE_REMOVE;
    }

  /* Signing in again is what ends an expired session; the page is back, so it did. */
  g_clear_error (&self->error);
  update (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.continue", NULL);

  return G_SOURCE_REMOVE;
}

/* The model may have changed on the earlier pages: the page is brought up
 * to date before the next frame, outside the map signal. */
static void
shown_cb (StompyConnectPage *self)
{
  if (self->started && self->follow_idle == 0)
    self->follow_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, follow_idle_cb, self, NULL);
}

static void
connection_changed_cb (StompyConnectPage *self)
{
  update_checks (self);
}

static void
sign_in_again_cb (StompyConnectPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  StompySignInPage *sign_in;

  if (!STOMPY_IS_WINDOW (root))
    return;

  /* Signing out the expired session shows the sign-in form: the window
   * then goes to step 1 and, once signed in, comes back here. */
  sign_in = STOMPY_SIGN_IN_PAGE (_stompy_window_get_page (STOMPY_WINDOW (root),
                                                          STOMPY_STEP_SIGN_IN));
  if (sign_in != NULL && stompy_sign_in_page_get_signed_in (sign_in))
    g_signal_emit_by_name (sign_in->stompy_section->sign_out_button, "clicked");
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.go-to-step", "u",
                                (guint32) STOMPY_STEP_SIGN_IN);
}

/* ------------------------------------------------------------------ StompyPage */

static void
stompy_connect_page_start (StompyPage *page)
{
  StompyConnectPage *self = STOMPY_CONNECT_PAGE (page);

  self->started = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    shown_cb (self);
}

static void
stompy_connect_page_cancel (StompyPage *page)
{
  StompyConnectPage *self = STOMPY_CONNECT_PAGE (page);

  /* The submission's cancellable is the window's, which it cancelled; the
   * watch stops too, and the connection stays in the model to follow later. */
  if (self->watch != NULL)
    stompy_connection_watch_stop (self->watch);
}

static void
stompy_connect_page_reset (StompyPage *page)
{
  StompyConnectPage *self = STOMPY_CONNECT_PAGE (page);

  if (self->watch != NULL)
    stompy_connection_watch_stop (self->watch);
  g_clear_object (&self->watch);
  g_clear_error (&self->error);
  update (self);
}

AdwActionRow *
_stompy_connect_page_get_check_row (StompyConnectPage *self,
                                    const char        *id)
{
  g_return_val_if_fail (STOMPY_IS_CONNECT_PAGE (self), NULL);

  for (guint i = 0; i < self->check_rows->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (self->check_rows, i)), id) == 0)
      return g_ptr_array_index (self->check_rows, i);

  return NULL;
}

AdwActionRow *
_stompy_connect_page_get_summary_row (StompyConnectPage *self,
                                      const char        *title)
{
  g_return_val_if_fail (STOMPY_IS_CONNECT_PAGE (self), NULL);

  for (guint i = 0; i < self->summary_rows->len; i++)
    {
      AdwPreferencesRow *row = g_ptr_array_index (self->summary_rows, i);

      if (g_strcmp0 (adw_preferences_row_get_title (row), title) == 0)
        return ADW_ACTION_ROW (row);
    }

  return NULL;
}

GtkButton *
_stompy_connect_page_get_step_button (AdwActionRow *row)
{
  g_return_val_if_fail (ADW_IS_ACTION_ROW (row), NULL);

  return g_object_get_data (G_OBJECT (row), "stompy-step-button");
}

/* ------------------------------------------------------------------ GObject */

static void
stompy_connect_page_constructed (GObject *object)
{
  StompyConnectPage *self = STOMPY_CONNECT_PAGE (object);

  G_OBJECT_CLASS (stompy_connect_page_parent_class)->constructed (object);

  self->application = stompy_page_get_application (STOMPY_PAGE (self));
  self->model = stompy_page_get_model (STOMPY_PAGE (self));
  self->connection = stompy_onboarding_get_connection (self->model);

  g_signal_connect_object (self->connection, "notify::status",
                           G_CALLBACK (connection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (shown_cb), NULL);

  update (self);
}

static void
stompy_connect_page_dispose (GObject *object)
{
  StompyConnectPage *self = STOMPY_CONNECT_PAGE (object);

  if (self->application != NULL && stompy_application_get_api_client (self->application) != NULL)
    g_signal_handlers_disconnect_by_func (stompy_application_get_api_client (self->application),
                                          signed_in_cb, self);
  /* Marks the page as gone for the operations that still call back. */
  self->application = NULL;
  g_clear_handle_id (&self->follow_idle, g_source_remove);
  if (self->watch != NULL)
    stompy_connection_watch_stop (self->watch);
  g_clear_object (&self->watch);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_CONNECT_PAGE);

  G_OBJECT_CLASS (stompy_connect_page_parent_class)->dispose (object);
}

static void
stompy_connect_page_finalize (GObject *object)
{
  StompyConnectPage *self = STOMPY_CONNECT_PAGE (object);

  g_assert (self->submission == NULL);
  g_ptr_array_unref (self->missing_rows);
  g_ptr_array_unref (self->summary_rows);
  g_ptr_array_unref (self->check_rows);
  g_ptr_array_unref (self->field_labels);
  g_clear_error (&self->error);
  g_free (self->digest);
  g_free (self->rows_shown);

  G_OBJECT_CLASS (stompy_connect_page_parent_class)->finalize (object);
}

static void
stompy_connect_page_class_init (StompyConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StompyPageClass *page_class = STOMPY_PAGE_CLASS (klass);

  object_class->constructed = stompy_connect_page_constructed;
  object_class->dispose = stompy_connect_page_dispose;
  object_class->finalize = stompy_connect_page_finalize;

  page_class->start = stompy_connect_page_start;
  page_class->cancel = stompy_connect_page_cancel;
  page_class->reset = stompy_connect_page_reset;
  page_class->submit_async = stompy_connect_page_submit_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-connect-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, StompyConnectPage, name)
  BIND (scrolled_window);
  BIND (content_box);
  BIND (intro_label);
  BIND (missing_group);
  BIND (summary_group);
  BIND (error_box);
  BIND (error_label);
  BIND (fields_box);
  BIND (sign_in_again_button);
  BIND (progress_box);
  BIND (spinner);
  BIND (progress_label);
  BIND (checks_group);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, sign_in_again_cb);
}

static void
stompy_connect_page_init (StompyConnectPage *self)
{
  self->missing_rows = g_ptr_array_new ();
  self->summary_rows = g_ptr_array_new ();
  self->check_rows = g_ptr_array_new ();
  self->focused_check = -1;
  self->field_labels = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  stompy_page_set_sections (STOMPY_PAGE (self), GTK_WIDGET (self->content_box));
}

GtkWidget *
stompy_connect_page_new (StompyApplication *application)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);

  return g_object_new (STOMPY_TYPE_CONNECT_PAGE, "application", application, NULL);
}
