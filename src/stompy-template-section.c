/* stompy-template-section.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stack record of the product is the memory of this section: the token of
 * each creation attempt is written to it before CreateStack is sent, the
 * stack id as soon as it is known, and the status and RoleArn as they are
 * seen. On start (and whenever the section is shown again after Back or
 * Escape) a stack with an id and no RoleArn is followed again.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-error-messages.h"
#include "stompy-error.h"
#include "stompy-form.h"
#include "stompy-open-uri.h"
#include "stompy-page.h"
#include "stompy-template-section-private.h"

G_DEFINE_FINAL_TYPE (StompyTemplateSection, stompy_template_section, STOMPY_TYPE_SECTION)

enum {
  PROP_0,
  PROP_PRODUCT,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* The latest events shown under the progress bar. */
#define N_EVENTS_SHOWN 4

static void update_widgets (StompyTemplateSection *self);
static void create_stack (StompyTemplateSection *self,
                          gboolean               new_attempt);

/* ------------------------------------------------------------------ helpers */

static gboolean
is_analysaver (StompyTemplateSection *self)
{
  return self->product == STOMPY_PRODUCT_ANALYSAVER;
}

static const char *
product_name (StompyTemplateSection *self)
{
  return is_analysaver (self) ? "StompyAnalySaver" : "StompySpoTainer";
}

static StompyAwsClient *
get_client (StompyTemplateSection *self)
{
  return stompy_application_get_aws_client (self->application);
}

static const StompyTemplateInfo *
template_info (StompyTemplateSection *self)
{
  if (self->info == NULL)
    return NULL;

  return is_analysaver (self) ? &self->info->analysaver : &self->info->spotainer;
}

static gboolean
is_busy (StompyTemplateSection *self)
{
  return self->loading || self->creating || self->following;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static const char *
cur_bucket (StompyTemplateSection *self)
{
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (self->model);

  return stompy_cur_choice_is_complete (choice) ? stompy_cur_choice_get_bucket (choice) : NULL;
}

/* The stack's name: as recorded, else Stompy's default, else the product's. */
static const char *
stack_name (StompyTemplateSection *self)
{
  const StompyTemplateInfo *info = template_info (self);
  const char *recorded = stompy_stack_record_get_stack_name (self->record);

  if (recorded != NULL)
    return recorded;
  if (info != NULL && info->default_stack_name != NULL && *info->default_stack_name != '\0')
    return info->default_stack_name;
  return product_name (self);
}

/* Automatic mode creates the stack in the client's region; guided mode in the
 * product's default region, which is also the console link's. */
static char *
dup_stack_region (StompyTemplateSection *self)
{
  StompyAwsClient *client = get_client (self);

  if (!self->guided && client != NULL)
    return g_strdup (stompy_aws_client_get_region (client));

  return stompy_application_dup_default_region (self->application);
}

static StompyStackRequest *
build_request (StompyTemplateSection *self,
               const char            *token)
{
  const StompyTemplateInfo *info = template_info (self);
  StompyStackRequest *request;

  request = stompy_stack_request_new (stack_name (self), info->url, token,
                                      is_analysaver (self) ? "analysaver" : "spotainer");
  stompy_stack_request_set_parameter (request, "ExternalId", self->info->external_id);
  stompy_stack_request_set_parameter (request, "StompyPrincipalAccountId",
                                      self->info->principal_account_id);
  if (is_analysaver (self))
    stompy_stack_request_set_parameter (request, "CurBucketName", cur_bucket (self));
  return request;
}

/* Substitutes the template's parameters as the stack will see them. */
static char *
substitute (StompyTemplateSection *self,
            const char            *text)
{
  g_autoptr(GString) out = g_string_new (text);
  const char *account_id = stompy_onboarding_get_account_id (self->model);
  const char *bucket = cur_bucket (self);
  struct { const char *key; const char *value; } values[] = {
    { "${ExternalId}", self->info ? self->info->external_id : NULL },
    { "${StompyPrincipalAccountId}", self->info ? self->info->principal_account_id : NULL },
    { "${CurBucketName}", bucket },
    { "${AWS::AccountId}", account_id },
    { "${AWS::Partition}", "aws" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (values[i].value != NULL)
      g_string_replace (out, values[i].key, values[i].value, 0);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
join_substituted (StompyTemplateSection *self,
                  GStrv                  values)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_autofree char *value = substitute (self, values[i]);

      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, value);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------ permissions */

static void
add_permission_row (StompyTemplateSection *self,
                    GtkWidget             *row)
{
  adw_preferences_group_add (self->permissions_group, row);
  g_ptr_array_add (self->permission_rows, row);
}

static void
clear_permissions (StompyTemplateSection *self)
{
  for (guint i = 0; i < self->permission_rows->len; i++)
    adw_preferences_group_remove (self->permissions_group,
                                  g_ptr_array_index (self->permission_rows, i));
  g_ptr_array_set_size (self->permission_rows, 0);
}

static GtkWidget *
detail_row (const char *title,
            const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
  gtk_widget_add_css_class (row, "property");
  return row;
}

/* A statement's detail rows, made when its expander is first opened: a
 * collapsed expander's rows are measured all the same (their revealer still
 * asks them their size), and the long lists of actions and resources of
 * every statement made showing a template a stall of its own. */
typedef struct
{
  const char *details_title;   /* translated, static */
  char       *actions;
  char       *resources;
} StatementDetails;

static void
statement_details_free (gpointer data)
{
  StatementDetails *details = data;

  g_free (details->actions);
  g_free (details->resources);
  g_free (details);
}

static void
expander_expanded_cb (AdwExpanderRow *expander)
{
  StatementDetails *details;

  if (!adw_expander_row_get_expanded (expander))
    return;

  details = g_object_steal_data (G_OBJECT (expander), "stompy-statement-details");
  if (details == NULL)
    return;

  adw_expander_row_add_row (expander, detail_row (details->details_title, details->actions));
  adw_expander_row_add_row (expander, detail_row (_("Resources"), details->resources));
  statement_details_free (details);
}

static void
show_permissions (StompyTemplateSection *self)
{
  GPtrArray *roles;

  clear_permissions (self);
  gtk_widget_set_visible (GTK_WIDGET (self->permissions_group), self->template != NULL);
  if (self->template == NULL)
    return;

  roles = stompy_template_get_roles (self->template);
  for (guint r = 0; r < roles->len; r++)
    {
      StompyTemplateRole *role = g_ptr_array_index (roles, r);
      g_autofree char *trusted = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *trust;

      trusted = self->info != NULL ? g_strdup (self->info->principal_account_id)
                                   : join_substituted (self, role->trust_principals);
      if (role->external_id_required && self->info != NULL)
        /* Translators: the first %s is an AWS account id, the second an external id. */
        subtitle = g_strdup_printf (_("Stompy’s AWS account %s, and only with your external ID “%s”, which no other Stompy customer has."),
                                    trusted, self->info->external_id);
      else
        /* Translators: %s is an AWS account id or principal. */
        subtitle = g_strdup_printf (_("Stompy’s AWS account %s."), trusted);

      trust = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (trust), _("Who may use the role"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (trust), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (trust), subtitle);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (trust), "system-users-symbolic");
      add_permission_row (self, trust);

      for (guint s = 0; s < role->statements->len; s++)
        {
          StompyTemplateStatement *statement = g_ptr_array_index (role->statements, s);
          guint n_actions = statement->actions ? g_strv_length (statement->actions) : 0;
          guint n_resources = statement->resources ? g_strv_length (statement->resources) : 0;
          StatementDetails *details = g_new0 (StatementDetails, 1);
          g_autofree char *summary = NULL;
          g_autofree char *counts = NULL;
          GtkWidget *expander = adw_expander_row_new ();

          counts = g_strdup_printf (ngettext ("%u action", "%u actions", n_actions), n_actions);
          summary = statement->allow
            /* Translators: "Allows 5 actions on 2 resources". The first %s is "N actions". */
            ? g_strdup_printf (ngettext ("Allows %s on %u resource", "Allows %s on %u resources",
                                         n_resources), counts, n_resources)
            : g_strdup_printf (ngettext ("Denies %s on %u resource", "Denies %s on %u resources",
                                         n_resources), counts, n_resources);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                         statement->sid ? statement->sid
                                         : statement->policy_name ? statement->policy_name : "");
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), summary);
          details->details_title = statement->not_action ? _("Every action except") : _("Actions");
          details->actions = join_substituted (self, statement->actions);
          details->resources = join_substituted (self, statement->resources);
          g_object_set_data_full (G_OBJECT (expander), "stompy-statement-details", details,
                                  statement_details_free);
          g_signal_connect (expander, "notify::expanded", G_CALLBACK (expander_expanded_cb), NULL);
          add_permission_row (self, expander);
        }
    }
}

/* ------------------------------------------------------------------ onboarding info and template */

static void
show_load_error (StompyTemplateSection *self,
                 const GError          *error)
{
  g_autofree char *message = stompy_error_message_for (error);

  self->failed = TRUE;
  stompy_form_show_message (self->load_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->load_retry_button), TRUE);
}

static void follow_if_pending (StompyTemplateSection *self);

static void
fetch_template_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(StompyTemplateSection) self = user_data;
  g_autoptr(GError) error = NULL;
  StompyTemplate *template;

  template = stompy_template_fetch_finish (result, &error);
  self->loading = FALSE;

  if (template == NULL)
    {
      if (!is_cancelled (error))
        {
          g_debug ("Could not read the template: %s", error->message);
          show_load_error (self, error);
        }
      update_widgets (self);
      return;
    }

  g_clear_pointer (&self->template, stompy_template_unref);
  self->template = template;
  show_permissions (self);
  update_widgets (self);
  follow_if_pending (self);
}

static void wait_for_sign_in (StompyTemplateSection *self,
                              StompyApiClient       *api);

static void
get_onboarding_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(StompyTemplateSection) self = user_data;
  g_autoptr(GError) error = NULL;
  StompyOnboardingInfo *info;

  info = stompy_api_client_get_onboarding_finish (STOMPY_API_CLIENT (source), result, &error);

  if (info == NULL)
    {
      self->loading = FALSE;
      if (!is_cancelled (error))
        {
          g_debug ("Could not get the onboarding details: %s", error->message);
          show_load_error (self, error);
          if (stompy_api_error_is_auth_expired (error))
            wait_for_sign_in (self, stompy_application_get_api_client (self->application));
        }
      update_widgets (self);
      return;
    }

  g_clear_pointer (&self->info, stompy_onboarding_info_free);
  self->info = info;

  stompy_template_fetch_async (stompy_application_get_session (self->application),
                               template_info (self)->url,
                               stompy_section_get_cancellable (STOMPY_SECTION (self)),
                               fetch_template_cb, g_object_ref (self));
}

static void load (StompyTemplateSection *self);

static void
stop_waiting_for_sign_in (StompyTemplateSection *self)
{
  if (self->waiting_api != NULL)
    g_signal_handlers_disconnect_by_data (self->waiting_api, self);
  g_clear_object (&self->waiting_api);
}

static void
signed_in_cb (StompyTemplateSection *self)
{
  if (self->waiting_api == NULL || !stompy_api_client_get_token (self->waiting_api))
    return;

  stop_waiting_for_sign_in (self);
  load (self);
}

/* Stompy's details need a signed-in client. After a restart the stored token
 * is still being read from the keyring when the page appears; after an expired
 * session the user signs in again on the first page. Either way the section
 * loads as soon as the client holds a token, rather than failing. */
static void
wait_for_sign_in (StompyTemplateSection *self,
                  StompyApiClient       *api)
{
  if (self->waiting_api == api)
    return;

  stop_waiting_for_sign_in (self);
  self->waiting_api = g_object_ref (api);
  g_signal_connect_swapped (api, "notify::signed-in", G_CALLBACK (signed_in_cb), self);
}

static void
load (StompyTemplateSection *self)
{
  StompyApiClient *api = stompy_application_get_api_client (self->application);

  if (api == NULL || self->loading || self->template != NULL)
    return;

  if (stompy_api_client_get_token (api) == NULL)
    {
      wait_for_sign_in (self, api);
      return;
    }

  self->loading = TRUE;
  self->failed = FALSE;
  stompy_form_show_message (self->load_error_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->load_retry_button), FALSE);
  update_widgets (self);

  stompy_api_client_get_onboarding_async (api,
                                          stompy_section_renew_cancellable (STOMPY_SECTION (self)),
                                          get_onboarding_cb, g_object_ref (self));
}

static void
load_retry_cb (StompyTemplateSection *self)
{
  load (self);
}

/* ------------------------------------------------------------------ following
 *
 * A stack being created is followed through the application's status poller,
 * whose one StompyStackWatch per product also feeds the status panel: the
 * section only reads it, so AWS is asked once for the stack, within the
 * watch's budget of requests a minute. The poller makes that watch once the
 * stack id is in the record (in an idle), so following begins by waiting for
 * it. A deletion (Delete and Retry) is followed by a short-lived watch of the
 * section's own: the stack to delete may be known by name only (ensure_stack
 * found it failed), which the poller does not follow, and the poller's watch
 * of a failed stack has settled and asks nothing meanwhile.
 */

static void
record_stack (StompyTemplateSection *self,
              const StompyStack     *stack)
{
  if (stack->stack_id != NULL)
    stompy_stack_record_set_stack_id (self->record, stack->stack_id);
  stompy_stack_record_set_status (self->record, stack->status, stack->status_reason);
  if (stack->role_arn != NULL && stack->state == STOMPY_STACK_STATE_COMPLETE)
    stompy_stack_record_set_role_arn (self->record, stack->role_arn, FALSE);
}

static void
show_progress (StompyTemplateSection *self,
               GPtrArray             *events,
               guint                  done,
               guint                  total)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0.0);
  if (self->deleting)
    text = g_strdup (_("Deleting the stack…"));
  else
    /* Translators: the progress of a stack, "2 of 3 resources done". */
    text = g_strdup_printf (ngettext ("%u of %u resource done", "%u of %u resources done", total),
                            done, total);
  gtk_progress_bar_set_text (self->progress_bar, text);

  /* The newest first, as CloudFormation's console lists them. */
  for (guint i = 0; events != NULL && i < events->len && i < N_EVENTS_SHOWN; i++)
    {
      StompyStackEvent *event = g_ptr_array_index (events, i);

      if (lines->len > 0)
        g_string_append_c (lines, '\n');
      g_string_append_printf (lines, "%s  %s", event->logical_resource_id, event->resource_status);
      if (event->resource_status_reason != NULL && *event->resource_status_reason != '\0')
        g_string_append_printf (lines, " — %s", event->resource_status_reason);
    }
  gtk_label_set_label (self->events_label, lines->str);
  gtk_widget_set_visible (GTK_WIDGET (self->events_label), lines->len > 0);
}

static void
show_unusable (StompyTemplateSection *self,
               const char            *reason)
{
  g_autofree char *message = NULL;

  /* Translators: the first %s is a stack name, the second the reason CloudFormation gave. */
  message = g_strdup_printf (_("The stack “%s” failed and was rolled back, so it cannot be used: %s\nDelete it and try again once the cause is fixed."),
                             stack_name (self), reason != NULL && *reason != '\0' ? reason
                                                   : _("CloudFormation gave no reason."));
  self->unusable = TRUE;
  self->failed = TRUE;
  stompy_form_show_message (self->error_label, message);
}

static void
show_follow_error (StompyTemplateSection *self,
                   const GError          *error)
{
  g_autofree char *message = stompy_error_message_for (error);

  g_debug ("Following the stack failed: %s", error->message);
  self->failed = TRUE;
  self->deleting = FALSE;
  stompy_form_show_message (self->error_label, message);
}

/* The created (or resumed) stack has settled: say what became of it. */
static void
creation_settled (StompyTemplateSection *self,
                  const StompyStack     *stack,
                  const char            *failure_reason)
{
  record_stack (self, stack);

  switch (stack->state)
    {
    case STOMPY_STACK_STATE_COMPLETE:
      if (stack->role_arn == NULL)
        show_unusable (self, _("The stack has no RoleArn output."));
      break;
    case STOMPY_STACK_STATE_FAILED:
    case STOMPY_STACK_STATE_ROLLED_BACK:
    case STOMPY_STACK_STATE_REVIEW:
      show_unusable (self, failure_reason);
      break;
    case STOMPY_STACK_STATE_DELETED:
      /* Deleted behind the app's back: the next Create starts afresh. */
      stompy_stack_record_set_stack_id (self->record, NULL);
      stompy_form_show_message (self->error_label,
                                _("The stack was deleted. Create it again."));
      self->failed = TRUE;
      break;
    case STOMPY_STACK_STATE_UNKNOWN:
    case STOMPY_STACK_STATE_IN_PROGRESS:
    default:
      break;
    }
}

/* Reads the poller's watch of the stack being created, when it has one yet. */
static void
update_from_poller (StompyTemplateSection *self)
{
  StompyStackWatch *watch;
  StompyStack *stack;
  const GError *error;
  GPtrArray *events;
  GDateTime *since = NULL;
  guint resource_count;
  guint done = 0;
  guint total = 0;

  if (!self->following || self->deleting)
    return;

  watch = stompy_status_poller_get_stack_watch (self->poller, self->product);
  if (watch == NULL)
    {
      /* Without a client the poller follows nothing: neither can the section. */
      if (stompy_status_poller_get_client (self->poller) == NULL)
        {
          self->following = FALSE;
          update_widgets (self);
        }
      return;
    }

  stack = stompy_stack_watch_get_stack (watch);
  error = stompy_stack_watch_get_error (watch);
  events = stompy_stack_watch_get_events (watch);

  /* The poller's watch knows no template: the progress figure is counted
   * here, against the template's resources, as CloudFormation's console does. */
  resource_count = self->template != NULL ? stompy_template_get_resource_count (self->template) : 0;
  if (stack != NULL)
    since = stack->last_updated_time != NULL ? stack->last_updated_time : stack->creation_time;
  if (events != NULL)
    stompy_stack_events_progress (events,
                                  stompy_stack_record_get_client_request_token (self->record),
                                  since, resource_count, &done, &total);

  if (stack != NULL)
    record_stack (self, stack);
  show_progress (self, events, done, total);

  if (!stompy_stack_watch_get_settled (watch))
    return;

  self->following = FALSE;
  if (error != NULL && (stack == NULL || !stompy_stack_state_is_settled (stack->state)))
    show_follow_error (self, error);
  else if (stack != NULL)
    creation_settled (self, stack, stompy_stack_watch_get_failure_reason (watch));

  update_widgets (self);
}

static void
poller_changed_cb (StompyStatusPoller    *poller,
                   StompyStatusParts      parts,
                   StompyTemplateSection *self)
{
  if (parts & STOMPY_STATUS_PART_STACKS)
    update_from_poller (self);
}

static void
stop_delete_watch (StompyTemplateSection *self)
{
  if (self->delete_watch == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->delete_watch, self);
  stompy_stack_watch_stop (self->delete_watch);
  g_clear_object (&self->delete_watch);
}

static void
delete_watch_changed_cb (StompyStackWatch      *watch,
                         StompyStack           *stack,
                         GPtrArray             *events,
                         guint                  done,
                         guint                  total,
                         StompyTemplateSection *self)
{
  show_progress (self, events, done, total);
}

static void
delete_wait_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(StompyTemplateSection) self = user_data;
  StompyStackWatch *watch = STOMPY_STACK_WATCH (source);
  g_autoptr(StompyStack) stack = NULL;
  g_autoptr(GError) error = NULL;

  stack = stompy_stack_watch_wait_finish (watch, result, &error);
  if (watch != self->delete_watch)
    return;

  stop_delete_watch (self);
  self->following = FALSE;

  if (stack == NULL)
    {
      if (!is_cancelled (error))
        show_follow_error (self, error);
      update_widgets (self);
      return;
    }

  self->deleting = FALSE;
  if (stack->state == STOMPY_STACK_STATE_DELETED)
    {
      create_stack (self, TRUE);
      return;
    }

  /* Not deleted (DELETE_FAILED): what the stack says now. */
  creation_settled (self, stack, stack->status_reason);
  update_widgets (self);
}

/* Follows the deletion of @stack (its id, else its name) to its end. */
static void
follow_deletion (StompyTemplateSection *self,
                 const char            *stack)
{
  StompyAwsClient *client = get_client (self);

  stop_delete_watch (self);
  if (client == NULL)
    return;

  self->following = TRUE;
  self->delete_watch = stompy_stack_watch_new (client, stack, NULL, 0);
  g_signal_connect (self->delete_watch, "changed", G_CALLBACK (delete_watch_changed_cb), self);
  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Deleting the stack…"));
  update_widgets (self);

  stompy_stack_watch_wait_async (self->delete_watch,
                                 stompy_section_renew_cancellable (STOMPY_SECTION (self)),
                                 delete_wait_cb, g_object_ref (self));
}

/* Follows the stack of the record, through the poller. @in_progress: the
 * stack was just seen busy (ensure_stack), so a watch that settled before
 * it became busy again looks anew. */
static void
follow (StompyTemplateSection *self,
        gboolean               in_progress)
{
  StompyStackWatch *watch;

  if (get_client (self) == NULL)
    return;

  self->following = TRUE;
  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Waiting for CloudFormation…"));
  update_widgets (self);

  /* The window starts the poller once shown; a section shown without it
   * (a page in a window of its own) still needs it to follow anything. */
  stompy_status_poller_start (self->poller);

  watch = stompy_status_poller_get_stack_watch (self->poller, self->product);
  if (in_progress && watch != NULL && stompy_stack_watch_get_settled (watch))
    stompy_stack_watch_refresh (watch);

  update_from_poller (self);
}

/* On start and when shown again: a stack asked for earlier and not finished is followed. */
static void
follow_if_pending (StompyTemplateSection *self)
{
  const char *stack_id = stompy_stack_record_get_stack_id (self->record);

  if (self->guided || get_client (self) == NULL || is_busy (self) || self->unusable
      || stack_id == NULL || stompy_stack_record_is_complete (self->record))
    return;

  follow (self, FALSE);
}

/* ------------------------------------------------------------------ creating */

static void
ensure_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(StompyTemplateSection) self = user_data;
  g_autoptr(StompyEnsuredStack) ensured = NULL;
  g_autoptr(GError) error = NULL;

  ensured = stompy_cloudformation_ensure_stack_finish (result, &error);
  self->creating = FALSE;

  if (ensured == NULL)
    {
      if (stompy_cloudformation_error_is_unusable (error))
        {
          show_unusable (self, stompy_aws_error_get_aws_message (error));
        }
      else if (!is_cancelled (error))
        {
          g_autofree char *message = stompy_error_message_for (error);

          g_debug ("Creating the stack failed: %s", error->message);
          self->failed = TRUE;
          stompy_form_show_message (self->error_label, message);
        }
      update_widgets (self);
      return;
    }

  /* Before the record names it: the poller's watch is made from the record, in an idle. */
  stompy_status_poller_hand_stack (self->poller, self->product, ensured->stack);
  record_stack (self, ensured->stack);

  if (ensured->outcome == STOMPY_STACK_OUTCOME_REUSED)
    {
      stompy_widget_toast (GTK_WIDGET (self), _("The stack exists already and is complete: it is reused."));
      update_widgets (self);
      return;
    }

  follow (self, TRUE);
}

/* @new_attempt: a fresh ClientRequestToken (the first attempt, or after a
 * deletion); otherwise the token of an attempt that may have reached
 * CloudFormation before the app stopped is sent again. */
static void
create_stack (StompyTemplateSection *self,
              gboolean               new_attempt)
{
  StompyAwsClient *client = get_client (self);
  g_autoptr(StompyStackRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *region = NULL;
  g_autofree char *name = NULL;

  if (client == NULL || template_info (self) == NULL)
    return;

  region = dup_stack_region (self);
  name = g_strdup (stack_name (self));
  if (!new_attempt
      && stompy_stack_record_get_client_request_token (self->record) != NULL
      && stompy_stack_record_get_stack_id (self->record) == NULL
      && g_strcmp0 (stompy_stack_record_get_region (self->record), region) == 0)
    token = g_strdup (stompy_stack_record_get_client_request_token (self->record));
  else
    token = stompy_cloudformation_new_client_request_token ();

  request = build_request (self, token);
  if (!stompy_stack_request_validate (request, &error))
    {
      g_autofree char *message = stompy_error_message_for (error);

      g_warning ("Stompy’s template request is not valid: %s", error->message);
      self->failed = TRUE;
      stompy_form_show_message (self->error_label, message);
      update_widgets (self);
      return;
    }

  /* Kept (and saved) before CreateStack, so a retry after a crash sends the same token. */
  stompy_stack_record_set_stack_name (self->record, name);
  stompy_stack_record_set_region (self->record, region);
  stompy_stack_record_set_iam_acknowledged (self->record, TRUE);
  stompy_stack_record_set_client_request_token (self->record, token);
  stompy_stack_record_set_stack_id (self->record, NULL);
  stompy_stack_record_set_status (self->record, NULL, NULL);
  stompy_stack_record_set_role_arn (self->record, NULL, FALSE);
  stompy_onboarding_save (self->model, NULL);

  self->creating = TRUE;
  self->failed = FALSE;
  self->unusable = FALSE;
  stompy_form_show_message (self->error_label, NULL);
  gtk_label_set_label (self->events_label, "");
  update_widgets (self);

  stompy_cloudformation_ensure_stack_async (client, request,
                                            stompy_section_renew_cancellable (STOMPY_SECTION (self)),
                                            ensure_cb, g_object_ref (self));
}

static void
create_cb (StompyTemplateSection *self)
{
  if (is_busy (self) || !gtk_check_button_get_active (self->ack_check))
    return;

  create_stack (self, FALSE);
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(StompyTemplateSection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *stack_id = NULL;

  self->creating = FALSE;

  if (!stompy_cloudformation_delete_stack_finish (result, &error))
    {
      self->deleting = FALSE;
      if (!is_cancelled (error))
        {
          g_autofree char *message = stompy_error_message_for (error);

          self->failed = TRUE;
          self->unusable = TRUE;
          stompy_form_show_message (self->error_label, message);
        }
      update_widgets (self);
      return;
    }

  stack_id = g_strdup (g_object_get_data (G_OBJECT (self), "stompy-deleting-stack"));
  follow_deletion (self, stack_id);
}

static void
delete_retry_cb (StompyTemplateSection *self)
{
  StompyAwsClient *client = get_client (self);
  const char *stack_id = stompy_stack_record_get_stack_id (self->record);
  const char *stack = stack_id != NULL ? stack_id : stack_name (self);

  if (client == NULL || is_busy (self))
    return;

  self->creating = TRUE;
  self->deleting = TRUE;
  self->unusable = FALSE;
  self->failed = FALSE;
  stompy_form_show_message (self->error_label, NULL);
  /* A deleted stack answers DescribeStacks only by its id; a name works as
   * long as it is not deleted, which the watch then sees as "gone". */
  g_object_set_data_full (G_OBJECT (self), "stompy-deleting-stack", g_strdup (stack), g_free);
  update_widgets (self);

  stompy_cloudformation_delete_stack_async (client, stack, NULL,
                                            stompy_section_renew_cancellable (STOMPY_SECTION (self)),
                                            delete_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------ guided mode */

static void
console_cb (StompyTemplateSection *self)
{
  g_autofree char *url = stompy_template_section_dup_quick_create_url (self);

  if (url == NULL)
    return;

  stompy_open_uri (GTK_WIDGET (self), url);
}

static void
role_arn_changed_cb (StompyTemplateSection *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->role_arn_row));
  const char *account_id = stompy_onboarding_get_account_id (self->model);
  g_autofree char *found = NULL;
  g_autofree char *sentence = NULL;
  StompyRoleArnProblem problem;

  if (self->filling)
    return;

  problem = stompy_role_arn_check (text, account_id, &found);

  if (problem == STOMPY_ROLE_ARN_OK)
    {
      g_autofree char *region = dup_stack_region (self);

      stompy_form_set_row_error (self->role_arn_row, FALSE);
      stompy_form_show_message (self->arn_hint_label, NULL);
      if (stompy_stack_record_get_stack_name (self->record) == NULL)
        stompy_stack_record_set_stack_name (self->record, stack_name (self));
      if (stompy_stack_record_get_region (self->record) == NULL)
        stompy_stack_record_set_region (self->record, region);
      stompy_stack_record_set_role_arn (self->record, text, TRUE);
    }
  else
    {
      /* Nothing typed yet is not an error to show. */
      if (problem != STOMPY_ROLE_ARN_EMPTY)
        {
          g_autofree char *line = NULL;

          sentence = stompy_role_arn_problem_sentence (problem, account_id, found);
          line = stompy_field_message (_("Role ARN"), sentence);
          stompy_form_set_field_error (self->role_arn_row, line);
          stompy_form_show_message (self->arn_hint_label, line);
        }
      else
        {
          stompy_form_set_row_error (self->role_arn_row, FALSE);
          stompy_form_show_message (self->arn_hint_label, NULL);
        }
      if (stompy_stack_record_get_role_arn_pasted (self->record))
        stompy_stack_record_set_role_arn (self->record, NULL, FALSE);
    }

  update_widgets (self);
}

/* ------------------------------------------------------------------ state */

static void
ack_toggled_cb (StompyTemplateSection *self)
{
  if (self->filling)
    return;

  stompy_stack_record_set_iam_acknowledged (self->record,
                                            gtk_check_button_get_active (self->ack_check));
  update_widgets (self);
}

static void
update_widgets (StompyTemplateSection *self)
{
  gboolean busy = is_busy (self);
  gboolean acknowledged = gtk_check_button_get_active (self->ack_check);
  gboolean complete = stompy_stack_record_is_complete (self->record);
  gboolean needs_cur = is_analysaver (self) && cur_bucket (self) == NULL;
  gboolean has_client = get_client (self) != NULL;
  g_autofree char *region = dup_stack_region (self);
  g_autofree char *where = NULL;

  gtk_widget_set_visible (self->loading_box, self->loading);
  gtk_spinner_set_spinning (self->loading_spinner, self->loading);

  gtk_widget_set_visible (self->auto_box, !self->guided);
  gtk_widget_set_visible (self->guided_box, self->guided);
  gtk_widget_set_visible (GTK_WIDGET (self->needs_label), needs_cur && !complete);

  /* Translators: a stack name and the AWS region it is in. */
  where = g_strdup_printf (_("%s in %s"), stack_name (self),
                           stompy_stack_record_get_region (self->record)
                             ? stompy_stack_record_get_region (self->record) : region);
  adw_action_row_set_subtitle (self->stack_row, where);

  gtk_widget_set_sensitive (GTK_WIDGET (self->ack_check), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            has_client && !busy && acknowledged && !needs_cur
                            && self->info != NULL && !self->unusable);
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), !complete);
  gtk_widget_set_visible (GTK_WIDGET (self->delete_retry_button), self->unusable && !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_retry_button), has_client && acknowledged);
  gtk_widget_set_visible (GTK_WIDGET (self->create_spinner), self->creating);
  gtk_spinner_set_spinning (self->create_spinner, self->creating);

  gtk_widget_set_sensitive (GTK_WIDGET (self->console_button),
                            acknowledged && !needs_cur && self->info != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->role_row), complete);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->role_row)), complete);
  if (complete)
    adw_action_row_set_subtitle (self->role_row, stompy_stack_record_get_role_arn (self->record));
  if (complete && !self->guided)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
      gtk_progress_bar_set_text (self->progress_bar, _("Complete"));
    }

  stompy_section_set_status (STOMPY_SECTION (self), complete && !busy, busy, self->failed);
}

static void
fill_from_model (StompyTemplateSection *self)
{
  self->filling = TRUE;
  self->guided = stompy_onboarding_get_credential_source (self->model) == STOMPY_CREDENTIAL_SOURCE_GUIDED;
  gtk_check_button_set_active (self->ack_check, stompy_stack_record_get_iam_acknowledged (self->record));
  if (stompy_stack_record_get_role_arn_pasted (self->record))
    gtk_editable_set_text (GTK_EDITABLE (self->role_arn_row),
                           stompy_stack_record_get_role_arn (self->record));
  self->filling = FALSE;
  update_widgets (self);
}

static void
model_changed_cb (StompyTemplateSection *self)
{
  fill_from_model (self);
  follow_if_pending (self);
}

static void
map_cb (StompyTemplateSection *self)
{
  follow_if_pending (self);
}

/* ------------------------------------------------------------------ GObject */

static void
stompy_template_section_constructed (GObject *object)
{
  StompyTemplateSection *self = STOMPY_TEMPLATE_SECTION (object);
  g_autofree char *description = NULL;

  G_OBJECT_CLASS (stompy_template_section_parent_class)->constructed (object);

  g_assert (self->product == STOMPY_PRODUCT_ANALYSAVER || self->product == STOMPY_PRODUCT_SPOTAINER);

  self->application = stompy_section_get_application (STOMPY_SECTION (self));
  self->model = stompy_section_get_model (STOMPY_SECTION (self));
  self->record = stompy_onboarding_get_stack (self->model, self->product);
  self->poller = g_object_ref (stompy_application_get_status_poller (self->application));
  g_signal_connect (self->poller, "changed", G_CALLBACK (poller_changed_cb), self);

  if (is_analysaver (self))
    description = g_strdup (_("Stompy’s CloudFormation template creates an IAM role that StompyAnalySaver assumes to read your cost report and the cost and usage data it needs for advice."));
  else
    description = g_strdup (_("Stompy’s CloudFormation template creates an IAM role that StompySpoTainer assumes to manage your instance groups on Spot instances."));
  adw_preferences_group_set_description (self->intro_group, description);

  g_signal_connect_object (self->record, "notify", G_CALLBACK (update_widgets), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (stompy_onboarding_get_cur_choice (self->model), "notify",
                           G_CALLBACK (update_widgets), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::credential-source",
                           G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->application, "notify::aws-client",
                           G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);

  fill_from_model (self);
}

static void
stompy_template_section_dispose (GObject *object)
{
  StompyTemplateSection *self = STOMPY_TEMPLATE_SECTION (object);

  stop_delete_watch (self);
  stop_waiting_for_sign_in (self);
  if (self->poller != NULL)
    g_signal_handlers_disconnect_by_data (self->poller, self);
  g_clear_object (&self->poller);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_TEMPLATE_SECTION);
  g_clear_pointer (&self->permission_rows, g_ptr_array_unref);
  g_clear_pointer (&self->template, stompy_template_unref);
  g_clear_pointer (&self->info, stompy_onboarding_info_free);
  self->application = NULL;
  self->model = NULL;
  self->record = NULL;

  G_OBJECT_CLASS (stompy_template_section_parent_class)->dispose (object);
}

static void
stompy_template_section_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  StompyTemplateSection *self = STOMPY_TEMPLATE_SECTION (object);

  switch (prop_id)
    {
    case PROP_PRODUCT:
      g_value_set_flags (value, self->product);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_template_section_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  StompyTemplateSection *self = STOMPY_TEMPLATE_SECTION (object);

  switch (prop_id)
    {
    case PROP_PRODUCT:
      self->product = g_value_get_flags (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_template_section_class_init (StompyTemplateSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stompy_template_section_constructed;
  object_class->dispose = stompy_template_section_dispose;
  object_class->get_property = stompy_template_section_get_property;
  object_class->set_property = stompy_template_section_set_property;

  properties[PROP_PRODUCT] =
    g_param_spec_flags ("product", NULL, NULL, STOMPY_TYPE_PRODUCTS, STOMPY_PRODUCT_ANALYSAVER,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-template-section.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, StompyTemplateSection, name)
  BIND (intro_group);
  BIND (loading_box);
  BIND (loading_spinner);
  BIND (load_error_label);
  BIND (load_retry_button);
  BIND (permissions_group);
  BIND (ack_check);
  BIND (needs_label);
  BIND (auto_box);
  BIND (stack_row);
  BIND (create_button);
  BIND (create_spinner);
  BIND (progress_box);
  BIND (progress_bar);
  BIND (events_label);
  BIND (error_label);
  BIND (delete_retry_button);
  BIND (guided_box);
  BIND (console_button);
  BIND (role_arn_row);
  BIND (arn_hint_label);
  BIND (role_row);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, load_retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, ack_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, console_cb);
  gtk_widget_class_bind_template_callback (widget_class, role_arn_changed_cb);
}

static void
stompy_template_section_init (StompyTemplateSection *self)
{
  self->permission_rows = g_ptr_array_new ();
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->filling = FALSE;
}

GtkWidget *
stompy_template_section_new (StompyApplication *application,
                             StompyProducts     product)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (product == STOMPY_PRODUCT_ANALYSAVER || product == STOMPY_PRODUCT_SPOTAINER,
                        NULL);

  return g_object_new (STOMPY_TYPE_TEMPLATE_SECTION,
                       "application", application,
                       "product", product,
                       NULL);
}

StompyProducts
stompy_template_section_get_product (StompyTemplateSection *self)
{
  g_return_val_if_fail (STOMPY_IS_TEMPLATE_SECTION (self), STOMPY_PRODUCT_NONE);

  return self->product;
}

void
stompy_template_section_start (StompyTemplateSection *self)
{
  g_return_if_fail (STOMPY_IS_TEMPLATE_SECTION (self));

  fill_from_model (self);
  if (self->template == NULL)
    load (self);
  else
    follow_if_pending (self);
}

void
stompy_template_section_preload (StompyTemplateSection *self)
{
  g_return_if_fail (STOMPY_IS_TEMPLATE_SECTION (self));

  load (self);
}

void
stompy_template_section_cancel (StompyTemplateSection *self)
{
  g_return_if_fail (STOMPY_IS_TEMPLATE_SECTION (self));

  /* The poller follows on for the status panel: the section only stops
   * listening. A deletion is followed by a watch of its own, which stops. */
  stop_delete_watch (self);
  if (self->following)
    {
      self->following = FALSE;
      self->deleting = FALSE;
      update_widgets (self);
    }
  if (is_busy (self))
    stompy_section_stop (STOMPY_SECTION (self));
}

void
stompy_template_section_reset (StompyTemplateSection *self)
{
  g_return_if_fail (STOMPY_IS_TEMPLATE_SECTION (self));

  stompy_template_section_cancel (self);
  self->failed = FALSE;
  self->unusable = FALSE;
  self->deleting = FALSE;
  stompy_form_show_message (self->error_label, NULL);
  gtk_widget_set_visible (self->progress_box, FALSE);
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->role_arn_row), "");
  self->filling = FALSE;
  stompy_form_show_message (self->arn_hint_label, NULL);
  stompy_form_set_row_error (self->role_arn_row, FALSE);
  fill_from_model (self);
}

char *
stompy_template_section_dup_quick_create_url (StompyTemplateSection *self)
{
  g_autoptr(StompyStackRequest) request = NULL;
  g_autofree char *region = NULL;

  g_return_val_if_fail (STOMPY_IS_TEMPLATE_SECTION (self), NULL);

  if (template_info (self) == NULL || (is_analysaver (self) && cur_bucket (self) == NULL))
    return NULL;

  region = dup_stack_region (self);
  /* The console makes its own token; the request needs one to be complete. */
  request = build_request (self, "console");
  return stompy_cloudformation_quick_create_url (region, request);
}
