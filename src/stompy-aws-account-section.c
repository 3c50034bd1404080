/* stompy-aws-account-section.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The AWS account: credentials from one of four sources, verified with STS
 * and Organizations. Only non-secret facts go to the model (the source, the
 * profile name, the access key ID, the identity); the secrets stay in the
 * keyring or in this section's memory.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-aws-account-section-private.h"
#include "stompy-error-messages.h"
#include "stompy-error.h"
#include "stompy-form.h"
#include "stompy-page.h"
#include "stompy-secret-store.h"
#include "stompy-validate.h"

G_DEFINE_FINAL_TYPE (StompyAwsAccountSection, stompy_aws_account_section, STOMPY_TYPE_SECTION)

#define PARTS_RESOURCE "/io/stompy/Connect/stompy-aws-account-section-parts.ui"

static void start_verify     (StompyAwsAccountSection *self);
static void field_changed_cb (StompyAwsAccountSection *self,
                              GtkEditable             *editable);
static void verify_cb        (StompyAwsAccountSection *self);
static void cancel_cb        (StompyAwsAccountSection *self);
static void update_env_row   (StompyAwsAccountSection *self);

/* ------------------------------------------------------------------ helpers */

static StompyCredentialSource
selected_source (StompyAwsAccountSection *self)
{
  guint selected = adw_combo_row_get_selected (self->source_row);

  if (selected > STOMPY_CREDENTIAL_SOURCE_GUIDED)
    return STOMPY_CREDENTIAL_SOURCE_PROFILE;

  return (StompyCredentialSource) selected;
}

/* A row not built yet (see ensure_source_part) is empty. */
static const char *
row_text (gpointer row)
{
  if (row == NULL)
    return "";

  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* Shows or hides a widget of a part that may not be built: a part is built
 * by its ensure_*_part() before it is first shown. */
static void
set_visible (gpointer widget,
             gboolean visible)
{
  if (widget != NULL)
    gtk_widget_set_visible (GTK_WIDGET (widget), visible);
}

/* ------------------------------------------------------- parts built lazily */

/* Only one credential source shows at a time, and the identity only once
 * verified: building their rows when first shown keeps them out of the
 * window's first frame (about 20 of the section's 26 widgets). The parts come
 * from one GtkBuilder file whose callbacks are the template's. */
static GtkBuilder *
build_part (StompyAwsAccountSection *self,
            const char              *first_id,
            ...)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, first_id);
  for (const char *id = first_id; id != NULL; id = va_arg (args, const char *))
    g_ptr_array_add (ids, (gpointer) id);
  va_end (args);
  g_ptr_array_add (ids, NULL);

  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (scope),
                                           "field_changed_cb", G_CALLBACK (field_changed_cb),
                                           "verify_cb", G_CALLBACK (verify_cb),
                                           "cancel_cb", G_CALLBACK (cancel_cb),
                                           NULL);
  gtk_builder_set_scope (builder, scope);
  /* Swapped handlers get the section, as in the template. */
  gtk_builder_set_current_object (builder, G_OBJECT (self));

  /* The file is compiled into the program: failing to build it is a bug. */
  if (!gtk_builder_add_objects_from_resource (builder, PARTS_RESOURCE,
                                              (const char **) ids->pdata, &error))
    g_error ("%s: %s", PARTS_RESOURCE, error->message);

  return g_steal_pointer (&builder);
}

#define GET(builder, type, name) type (gtk_builder_get_object ((builder), (name)))

/* Shows @text (NULL: nothing) in @row without treating it as an edit. */
static void
show_restored_text (StompyAwsAccountSection *self,
                    AdwEntryRow             *row,
                    const char              *text)
{
  gboolean restoring = self->restoring;

  self->restoring = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  self->restoring = restoring;
}

static void
ensure_env_part (StompyAwsAccountSection *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  /* Built already, or disposed (a late callback). */
  if (self->env_row != NULL || self->model == NULL)
    return;

  builder = build_part (self, "env_row", NULL);
  self->env_row = GET (builder, ADW_ACTION_ROW, "env_row");
  adw_preferences_group_add (self->aws_group, GTK_WIDGET (self->env_row));
  update_env_row (self);
}

/* The rows of one source come after the source and profile rows; the order
 * among the sources does not matter, only one shows at a time. */
static void
ensure_typed_part (StompyAwsAccountSection *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->access_key_row != NULL || self->model == NULL)
    return;

  builder = build_part (self, "access_key_row", "secret_row", "session_token_row",
                        "remember_row", NULL);
  self->access_key_row = GET (builder, ADW_ENTRY_ROW, "access_key_row");
  self->secret_row = GET (builder, ADW_ENTRY_ROW, "secret_row");
  self->session_token_row = GET (builder, ADW_ENTRY_ROW, "session_token_row");
  self->remember_row = GET (builder, ADW_ACTION_ROW, "remember_row");
  self->remember_switch = GET (builder, GTK_SWITCH, "remember_switch");
  adw_preferences_group_add (self->aws_group, GTK_WIDGET (self->access_key_row));
  adw_preferences_group_add (self->aws_group, GTK_WIDGET (self->secret_row));
  adw_preferences_group_add (self->aws_group, GTK_WIDGET (self->session_token_row));
  adw_preferences_group_add (self->aws_group, GTK_WIDGET (self->remember_row));

  /* As restore_from_model() would have shown them: the saved key ID, the
   * secret empty until the keyring answers. */
  show_restored_text (self, self->access_key_row, stompy_onboarding_get_access_key_id (self->model));
}

static void
ensure_guided_part (StompyAwsAccountSection *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->account_id_row != NULL || self->model == NULL)
    return;

  builder = build_part (self, "account_id_row", "guided_label", NULL);
  self->account_id_row = GET (builder, ADW_ENTRY_ROW, "account_id_row");
  self->guided_label = GET (builder, GTK_LABEL, "guided_label");
  adw_preferences_group_add (self->aws_group, GTK_WIDGET (self->account_id_row));
  gtk_widget_insert_after (GTK_WIDGET (self->guided_label), GTK_WIDGET (self),
                           GTK_WIDGET (self->aws_group));

  show_restored_text (self, self->account_id_row, stompy_onboarding_get_account_id (self->model));
}

static void
ensure_source_part (StompyAwsAccountSection *self,
                    StompyCredentialSource   source)
{
  switch (source)
    {
    case STOMPY_CREDENTIAL_SOURCE_ENVIRONMENT:
      ensure_env_part (self);
      break;
    case STOMPY_CREDENTIAL_SOURCE_TYPED:
      ensure_typed_part (self);
      break;
    case STOMPY_CREDENTIAL_SOURCE_GUIDED:
      ensure_guided_part (self);
      break;
    case STOMPY_CREDENTIAL_SOURCE_PROFILE:
    default:
      /* The profile row is in the template: it is the default source. */
      break;
    }
}

static void ensure_identity_part (StompyAwsAccountSection *self);

/* The first Verify also builds the identity group that shows its answer
 * (hidden again when it fails), so that it is there from then on. */
static void
ensure_verifying_part (StompyAwsAccountSection *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  ensure_identity_part (self);
  if (self->verify_cancel_button != NULL || self->model == NULL)
    return;

  builder = build_part (self, "verify_cancel_button", "verify_spinner", "verify_status_label",
                        NULL);
  self->verify_cancel_button = GET (builder, GTK_BUTTON, "verify_cancel_button");
  self->verify_spinner = GET (builder, GTK_SPINNER, "verify_spinner");
  self->verify_status_label = GET (builder, GTK_LABEL, "verify_status_label");
  gtk_box_append (GTK_BOX (self->verify_box), GTK_WIDGET (self->verify_cancel_button));
  gtk_box_append (GTK_BOX (self->verify_box), GTK_WIDGET (self->verify_spinner));
  gtk_box_append (GTK_BOX (self->verify_box), GTK_WIDGET (self->verify_status_label));
}

static void
ensure_identity_part (StompyAwsAccountSection *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->identity_group != NULL || self->model == NULL)
    return;

  builder = build_part (self, "identity_group", "advice_label", NULL);
  self->identity_group = GET (builder, ADW_PREFERENCES_GROUP, "identity_group");
  self->account_row = GET (builder, ADW_ACTION_ROW, "account_row");
  self->arn_row = GET (builder, ADW_ACTION_ROW, "arn_row");
  self->organization_row = GET (builder, ADW_ACTION_ROW, "organization_row");
  self->root_row = GET (builder, ADW_ACTION_ROW, "root_row");
  self->advice_label = GET (builder, GTK_LABEL, "advice_label");
  /* Last, after the error label. */
  gtk_widget_insert_before (GTK_WIDGET (self->identity_group), GTK_WIDGET (self), NULL);
  gtk_widget_insert_before (GTK_WIDGET (self->advice_label), GTK_WIDGET (self), NULL);
}

#undef GET

static char *
selected_profile (StompyAwsAccountSection *self)
{
  GObject *item = adw_combo_row_get_selected_item (self->profile_row);

  if (item == NULL)
    return NULL;

  return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
}

/* The AWS part of what the page needs to go on. */
static gboolean
is_ready (StompyAwsAccountSection *self)
{
  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_GUIDED)
    {
      const char *account_id = stompy_onboarding_get_account_id (self->model);

      return account_id != NULL
             && g_strcmp0 (account_id, row_text (self->account_id_row)) == 0
             && stompy_validate_account_id (account_id, NULL, NULL);
    }

  return stompy_onboarding_get_identity (self->model) != NULL;
}

static void
notify_state (StompyAwsAccountSection *self)
{
  stompy_section_set_status (STOMPY_SECTION (self),
                             is_ready (self), self->verifying || self->saving, self->failed);
}

/* ------------------------------------------------------------- the section */

static void
forget_identity (StompyAwsAccountSection *self)
{
  if (self->restoring)
    return;

  g_clear_pointer (&self->credentials, stompy_aws_credentials_unref);
  stompy_application_set_aws_client (self->application, NULL);
  if (stompy_onboarding_get_identity (self->model) != NULL)
    stompy_onboarding_set_identity (self->model, NULL);
}

static const char *
organization_advice (const StompyAwsIdentity *identity)
{
  switch (identity->organization_role)
    {
    case STOMPY_ORGANIZATION_ROLE_MANAGEMENT:
      return _("This is the management account of your organization, as recommended: it sees the cost data of every member account, and Stompy can apply optimizations to them.");
    case STOMPY_ORGANIZATION_ROLE_MEMBER:
      return _("This is a member account: Stompy will see only this account’s cost data. For organization-wide StompyAnalySaver advice, use the management account.");
    case STOMPY_ORGANIZATION_ROLE_STANDALONE:
      return _("This account is not part of an organization, so Stompy sees the cost data of this account only.");
    case STOMPY_ORGANIZATION_ROLE_UNKNOWN:
    default:
      return _("The organization could not be read, so the app cannot tell whether this is the management account. The management account sees the cost data of every member account.");
    }
}

static void
update_identity_widgets (StompyAwsAccountSection *self)
{
  const StompyAwsIdentity *identity = stompy_onboarding_get_identity (self->model);
  gboolean show = identity != NULL && selected_source (self) != STOMPY_CREDENTIAL_SOURCE_GUIDED;
  g_autofree char *organization = NULL;

  if (show)
    ensure_identity_part (self);
  set_visible (self->identity_group, show);
  set_visible (self->advice_label, show);

  if (!show)
    return;

  adw_action_row_set_subtitle (self->account_row, identity->account_id);
  adw_action_row_set_subtitle (self->arn_row, identity->arn);
  gtk_widget_set_visible (GTK_WIDGET (self->root_row), identity->is_root);

  switch (identity->organization_role)
    {
    case STOMPY_ORGANIZATION_ROLE_MANAGEMENT:
      /* Translators: %s is an AWS organization id such as o-a1b2c3d4e5. */
      organization = g_strdup_printf (_("Management account of organization %s"),
                                      identity->organization_id ? identity->organization_id : "");
      break;
    case STOMPY_ORGANIZATION_ROLE_MEMBER:
      /* Translators: the first %s is an AWS organization id, the second the
       * 12-digit id of its management account. */
      organization = g_strdup_printf (_("Member account of organization %s (management account %s)"),
                                      identity->organization_id ? identity->organization_id : "",
                                      identity->management_account_id ? identity->management_account_id : "");
      break;
    case STOMPY_ORGANIZATION_ROLE_STANDALONE:
      organization = g_strdup (_("Standalone account, not in an organization"));
      break;
    case STOMPY_ORGANIZATION_ROLE_UNKNOWN:
    default:
      organization = g_strdup (_("Unknown: this identity may not read the organization"));
      break;
    }

  adw_action_row_set_subtitle (self->organization_row, organization);
  gtk_label_set_label (self->advice_label, organization_advice (identity));
}

/* Checks the visible fields as they are typed; returns TRUE when Verify may run. */
static gboolean
validate_fields (StompyAwsAccountSection  *self,
                 gboolean                 complain_empty,
                 GtkWidget              **first_invalid)
{
  StompyCredentialSource source = selected_source (self);
  g_autoptr(GString) hint = g_string_new (NULL);
  gboolean valid = TRUE;
  struct {
    AdwEntryRow *row;
    const char  *name;
    gboolean   (*validate) (const char *, StompyInvalidReason *, GError **);
    gboolean     optional;
  } fields[] = {
    /* Filled in after ensure_source_part() below. */
    { NULL, _("Access key ID"), stompy_validate_access_key_id, FALSE },
    { NULL, _("Secret access key"), stompy_validate_secret_key, FALSE },
    { NULL, _("AWS account ID"), stompy_validate_account_id, FALSE },
  };

  ensure_source_part (self, source);
  fields[0].row = self->access_key_row;
  fields[1].row = self->secret_row;
  fields[2].row = self->account_id_row;

  if (first_invalid != NULL)
    *first_invalid = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      StompyInvalidReason reason = STOMPY_INVALID_NONE;
      const char *text;
      gboolean relevant;

      /* Not built: its source was never chosen (ensure_source_part), so it
       * has nothing to check and no error to clear. */
      if (fields[i].row == NULL)
        continue;

      text = row_text (fields[i].row);

      if (fields[i].row == self->account_id_row)
        relevant = source == STOMPY_CREDENTIAL_SOURCE_GUIDED;
      else
        relevant = source == STOMPY_CREDENTIAL_SOURCE_TYPED;

      if (!relevant)
        {
          stompy_form_set_row_error (fields[i].row, FALSE);
          continue;
        }

      if (fields[i].validate (text, &reason, NULL))
        {
          stompy_form_set_row_error (fields[i].row, FALSE);
          continue;
        }

      valid = FALSE;

      /* An empty field is not an error while the user has not got to it. */
      if (*text == '\0' && !complain_empty)
        {
          stompy_form_set_row_error (fields[i].row, FALSE);
          continue;
        }

      if (first_invalid != NULL && *first_invalid == NULL)
        *first_invalid = GTK_WIDGET (fields[i].row);

      {
        g_autofree char *line = stompy_field_message (fields[i].name,
                                               stompy_invalid_reason_sentence (reason));
        stompy_form_set_field_error (fields[i].row, line);
        if (hint->len > 0)
          g_string_append_c (hint, '\n');
        g_string_append (hint, line);
      }
    }

  stompy_form_show_message (self->hint_label, hint->str);

  if (source == STOMPY_CREDENTIAL_SOURCE_PROFILE)
    valid = adw_combo_row_get_selected_item (self->profile_row) != NULL && self->config != NULL;

  return valid;
}

static void
update_env_row (StompyAwsAccountSection *self)
{
  g_autoptr(StompyAwsCredentials) credentials = NULL;

  credentials = stompy_aws_credentials_new_from_environ (NULL, NULL);
  if (credentials != NULL)
    {
      const char *id = stompy_aws_credentials_get_access_key_id (credentials);
      gsize length = strlen (id);
      g_autofree char *masked = NULL;
      g_autofree char *subtitle = NULL;

      if (length > 8)
        masked = g_strdup_printf ("%.4s…%s", id, id + length - 4);
      else
        masked = g_strdup ("…");

      /* Translators: %s is a masked AWS access key id such as AKIA…WXYZ. */
      subtitle = g_strdup_printf (_("Set: %s"), masked);
      adw_action_row_set_subtitle (self->env_row, subtitle);
    }
  else
    {
      adw_action_row_set_subtitle (self->env_row,
                                   _("Not set: start the app from a shell where AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set"));
    }
}

static void
update_profile_subtitle (StompyAwsAccountSection *self)
{
  g_autofree char *profile = selected_profile (self);
  g_autofree char *subtitle = NULL;
  const char *region;

  if (self->config == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->profile_row), _("Reading the AWS configuration…"));
      return;
    }

  if (profile == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->profile_row),
                                   _("No profiles in ~/.aws/config or ~/.aws/credentials"));
      return;
    }

  region = stompy_aws_config_get_region (self->config, profile);
  if (region != NULL)
    /* Translators: %s is an AWS region code such as ap-southeast-1. */
    subtitle = g_strdup_printf (_("Region: %s"), region);
  else
    {
      g_autofree char *fallback = stompy_application_dup_default_region (self->application);

      subtitle = g_strdup_printf (_("Region: not set, %s is used"), fallback);
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->profile_row), subtitle);
}

static void
update_widgets (StompyAwsAccountSection *self)
{
  StompyCredentialSource source = selected_source (self);
  gboolean typed = source == STOMPY_CREDENTIAL_SOURCE_TYPED;
  gboolean guided = source == STOMPY_CREDENTIAL_SOURCE_GUIDED;
  gboolean valid;

  ensure_source_part (self, source);
  if (self->verifying)
    ensure_verifying_part (self);

  gtk_widget_set_visible (GTK_WIDGET (self->profile_row), source == STOMPY_CREDENTIAL_SOURCE_PROFILE);
  set_visible (self->env_row, source == STOMPY_CREDENTIAL_SOURCE_ENVIRONMENT);
  set_visible (self->access_key_row, typed);
  set_visible (self->secret_row, typed);
  set_visible (self->session_token_row, typed);
  set_visible (self->remember_row, typed);
  set_visible (self->account_id_row, guided);
  set_visible (self->guided_label, guided);
  gtk_widget_set_visible (self->verify_box, !guided);

  valid = validate_fields (self, FALSE, NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->verify_button), valid && !self->verifying);
  set_visible (self->verify_cancel_button, self->verifying);
  set_visible (self->verify_spinner, self->verifying);
  if (self->verify_spinner != NULL)
    gtk_spinner_set_spinning (self->verify_spinner, self->verifying);
  set_visible (self->verify_status_label, self->verifying);
  gtk_widget_set_sensitive (GTK_WIDGET (self->source_row), !self->verifying);
  gtk_widget_set_sensitive (GTK_WIDGET (self->profile_row), !self->verifying && self->config != NULL);
  /* Read-only rather than insensitive while Verify runs: Enter in a field
   * starts it, and a focused text made insensitive loses its focus-out event. */
  if (self->access_key_row != NULL)
    {
      gtk_editable_set_editable (GTK_EDITABLE (self->access_key_row), !self->verifying);
      gtk_editable_set_editable (GTK_EDITABLE (self->secret_row), !self->verifying);
      gtk_editable_set_editable (GTK_EDITABLE (self->session_token_row), !self->verifying);
    }

  if (guided)
    stompy_form_show_message (self->error_label, NULL);

  update_identity_widgets (self);
  notify_state (self);
}

static void
show_error (StompyAwsAccountSection *self,
            const GError            *error)
{
  g_autofree char *message = stompy_error_message_for (error);

  self->failed = TRUE;
  stompy_form_show_message (self->error_label, message);

  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_TYPED)
    {
      if (g_error_matches (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_SIGNATURE_MISMATCH))
        {
          stompy_form_set_field_error (self->secret_row, message);
          gtk_widget_grab_focus (GTK_WIDGET (self->secret_row));
        }
      else if (g_error_matches (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_INVALID_CLIENT_TOKEN_ID))
        {
          stompy_form_set_field_error (self->access_key_row, message);
          gtk_widget_grab_focus (GTK_WIDGET (self->access_key_row));
        }
      else if (g_error_matches (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_EXPIRED_TOKEN))
        {
          stompy_form_set_field_error (self->session_token_row, message);
          gtk_widget_grab_focus (GTK_WIDGET (self->session_token_row));
        }
    }
}

static void
source_changed_cb (StompyAwsAccountSection *self)
{
  StompyCredentialSource source = selected_source (self);

  /* Not yet constructed: the template is being built. */
  if (self->model == NULL)
    return;

  ensure_source_part (self, source);

  if (!self->restoring)
    {
      stompy_section_stop (STOMPY_SECTION (self));
      self->failed = FALSE;
      stompy_form_show_message (self->error_label, NULL);
      forget_identity (self);
      stompy_onboarding_set_credential_source (self->model, source);

      if (source == STOMPY_CREDENTIAL_SOURCE_GUIDED)
        {
          const char *account_id = row_text (self->account_id_row);

          if (stompy_validate_account_id (account_id, NULL, NULL))
            stompy_onboarding_set_account_id (self->model, account_id);
        }
    }

  update_widgets (self);
}

static void
profile_changed_cb (StompyAwsAccountSection *self)
{
  g_autofree char *profile = selected_profile (self);

  /* Not yet constructed: the template is being built. */
  if (self->model == NULL)
    return;

  update_profile_subtitle (self);

  if (!self->restoring && profile != NULL)
    {
      stompy_section_stop (STOMPY_SECTION (self));
      self->failed = FALSE;
      stompy_form_show_message (self->error_label, NULL);
      forget_identity (self);
      stompy_onboarding_set_profile (self->model, profile);
    }

  update_widgets (self);
}

static void
field_changed_cb (StompyAwsAccountSection *self,
                  GtkEditable             *editable)
{
  /* Not yet constructed: the template is being built. */
  if (self->model == NULL)
    return;
  if (self->restoring)
    return;

  self->failed = FALSE;
  stompy_form_show_message (self->error_label, NULL);

  if (editable == GTK_EDITABLE (self->account_id_row))
    {
      const char *account_id = row_text (self->account_id_row);

      if (stompy_validate_account_id (account_id, NULL, NULL))
        stompy_onboarding_set_account_id (self->model, account_id);
      else if (stompy_onboarding_get_identity (self->model) == NULL)
        stompy_onboarding_set_account_id (self->model, NULL);
    }
  else
    {
      /* Other keys than the verified ones: verify again. */
      stompy_section_stop (STOMPY_SECTION (self));
      forget_identity (self);
    }

  update_widgets (self);
}

static void
identity_lookup_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(StompyAwsAccountSection) self = user_data;
  g_autoptr(StompyAwsClient) client = g_steal_pointer (&self->pending_client);
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = stompy_aws_identity_lookup_finish (result, &error);
  self->verifying = FALSE;

  if (identity == NULL)
    {
      /* The fields are sensitive again first, so that the error can focus one. */
      update_widgets (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Verification failed: %s", error->message);
          show_error (self, error);
          notify_state (self);
        }
      return;
    }

  self->failed = FALSE;
  stompy_form_show_message (self->error_label, NULL);

  g_clear_pointer (&self->credentials, stompy_aws_credentials_unref);
  self->credentials = stompy_aws_credentials_ref (stompy_aws_client_get_credentials (client));

  stompy_onboarding_set_credential_source (self->model, selected_source (self));
  switch (selected_source (self))
    {
    case STOMPY_CREDENTIAL_SOURCE_PROFILE:
      {
        g_autofree char *profile = selected_profile (self);
        stompy_onboarding_set_profile (self->model, profile);
      }
      break;
    case STOMPY_CREDENTIAL_SOURCE_TYPED:
      stompy_onboarding_set_access_key_id (self->model,
                                           stompy_aws_credentials_get_access_key_id (self->credentials));
      break;
    case STOMPY_CREDENTIAL_SOURCE_ENVIRONMENT:
    case STOMPY_CREDENTIAL_SOURCE_GUIDED:
    default:
      break;
    }
  stompy_onboarding_set_identity (self->model, identity);
  stompy_application_set_aws_client (self->application, client);

  update_widgets (self);
}

static StompyAwsCredentials *
credentials_for_source (StompyAwsAccountSection  *self,
                        GError                  **error)
{
  switch (selected_source (self))
    {
    case STOMPY_CREDENTIAL_SOURCE_PROFILE:
      {
        g_autofree char *profile = selected_profile (self);

        if (self->config == NULL || profile == NULL)
          {
            g_set_error_literal (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS, "No profile chosen");
            return NULL;
          }
        return stompy_aws_config_get_credentials (self->config, profile, error);
      }

    case STOMPY_CREDENTIAL_SOURCE_ENVIRONMENT:
      return stompy_aws_credentials_new_from_environ (NULL, error);

    case STOMPY_CREDENTIAL_SOURCE_TYPED:
      {
        const char *token = row_text (self->session_token_row);
        StompyAwsCredentials *credentials;

        credentials = stompy_aws_credentials_new (row_text (self->access_key_row),
                                                  row_text (self->secret_row),
                                                  *token != '\0' ? token : NULL,
                                                  "typed");
        if (credentials == NULL)
          g_set_error_literal (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                               "Incomplete access key");
        return credentials;
      }

    case STOMPY_CREDENTIAL_SOURCE_GUIDED:
    default:
      g_set_error_literal (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS,
                           "Guided mode has no credentials");
      return NULL;
    }
}

static void
start_verify (StompyAwsAccountSection *self)
{
  g_autoptr(StompyAwsCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *region = NULL;
  GtkWidget *first_invalid = NULL;
  GCancellable *cancellable;

  if (self->verifying)
    return;

  stompy_form_show_message (self->error_label, NULL);
  self->failed = FALSE;

  if (!validate_fields (self, TRUE, &first_invalid))
    {
      if (first_invalid != NULL)
        gtk_widget_grab_focus (first_invalid);
      notify_state (self);
      return;
    }

  credentials = credentials_for_source (self, &error);
  if (credentials == NULL)
    {
      show_error (self, error);
      update_widgets (self);
      return;
    }

  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_PROFILE)
    {
      profile = selected_profile (self);
      /* The profile's region, else the product's default. */
      if (stompy_aws_config_get_region (self->config, profile) == NULL)
        region = stompy_application_dup_default_region (self->application);
    }
  else
    {
      region = stompy_application_dup_default_region (self->application);
    }

  g_clear_object (&self->pending_client);
  self->pending_client = stompy_aws_client_new (stompy_application_get_session (self->application),
                                                credentials,
                                                region,
                                                profile != NULL ? self->config : NULL,
                                                profile,
                                                NULL);

  cancellable = stompy_section_renew_cancellable (STOMPY_SECTION (self));
  self->verifying = TRUE;
  update_widgets (self);

  stompy_aws_identity_lookup_async (self->pending_client, cancellable,
                                    identity_lookup_cb, g_object_ref (self));
}

static void
verify_cb (StompyAwsAccountSection *self)
{
  start_verify (self);
}

static void
cancel_cb (StompyAwsAccountSection *self)
{
  stompy_aws_account_section_cancel (self);
}

/* At start, a session verified before is verified again (the credentials
 * may have changed since), so that the later steps have an AWS client. */
static void
maybe_reverify (StompyAwsAccountSection *self)
{
  if (stompy_onboarding_get_identity (self->model) == NULL
      || selected_source (self) == STOMPY_CREDENTIAL_SOURCE_GUIDED
      || self->verifying
      || !validate_fields (self, FALSE, NULL))
    return;

  start_verify (self);
}

static void
select_profile (StompyAwsAccountSection *self,
                const char              *wanted)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->profiles));

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->profiles, i), wanted) == 0)
      {
        adw_combo_row_set_selected (self->profile_row, i);
        return;
      }
}

static void
config_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(StompyAwsAccountSection) self = user_data;
  g_autoptr(StompyAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  const char *wanted;

  config = stompy_aws_config_load_finish (result, &error);
  if (config == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_message ("Could not read the AWS configuration: %s", error->message);
      if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_PROFILE)
        show_error (self, error);
      update_widgets (self);
      return;
    }

  self->config = g_steal_pointer (&config);
  names = stompy_aws_config_list_profiles (self->config);

  self->restoring = TRUE;
  gtk_string_list_splice (self->profiles, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->profiles)),
                          (const char * const *) names);

  wanted = stompy_onboarding_get_profile (self->model);
  if (wanted == NULL || !g_strv_contains ((const char * const *) names, wanted))
    wanted = stompy_aws_config_get_default_profile (self->config);
  select_profile (self, wanted);
  self->restoring = FALSE;

  update_profile_subtitle (self);
  update_widgets (self);

  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_PROFILE)
    maybe_reverify (self);
}

static void
lookup_aws_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StompyAwsAccountSection) self = user_data;
  g_autoptr(StompyAwsCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  const char *token;

  credentials = stompy_secret_store_lookup_aws_finish (result, &error);
  if (credentials == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not look up the remembered AWS key: %s", error->message);
      return;
    }

  token = stompy_aws_credentials_get_session_token (credentials);

  ensure_typed_part (self);
  self->restoring = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->access_key_row),
                         stompy_aws_credentials_get_access_key_id (credentials));
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row),
                         stompy_aws_credentials_get_secret_access_key (credentials));
  gtk_editable_set_text (GTK_EDITABLE (self->session_token_row), token ? token : "");
  gtk_switch_set_active (self->remember_switch, TRUE);
  self->restoring = FALSE;

  update_widgets (self);

  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_TYPED)
    maybe_reverify (self);
}

/* Shows the model's choices, without treating them as edits. */
static void
restore_from_model (StompyAwsAccountSection *self)
{
  const char *account_id = stompy_onboarding_get_account_id (self->model);
  const char *access_key_id = stompy_onboarding_get_access_key_id (self->model);

  self->restoring = TRUE;
  adw_combo_row_set_selected (self->source_row, stompy_onboarding_get_credential_source (self->model));
  /* The parts not built yet take these values when they are (ensure_*_part). */
  if (self->account_id_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->account_id_row), account_id ? account_id : "");
  if (self->access_key_row != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->access_key_row),
                             access_key_id ? access_key_id : "");
      gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->session_token_row), "");
      gtk_switch_set_active (self->remember_switch, FALSE);
    }
  if (self->config != NULL)
    select_profile (self, stompy_onboarding_get_profile (self->model)
                          ? stompy_onboarding_get_profile (self->model)
                          : stompy_aws_config_get_default_profile (self->config));
  self->restoring = FALSE;

  if (self->env_row != NULL)
    update_env_row (self);
  update_profile_subtitle (self);
  update_widgets (self);
}

static void
save_aws_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StompyAwsAccountSection *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  notify_state (self);

  if (!stompy_secret_store_save_aws_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      /* Not being able to remember the key does not stop the wizard. */
      g_message ("Could not remember the AWS key: %s", error->message);
      stompy_widget_toast (GTK_WIDGET (self),
                           _("The keyring is not available, so the secret access key is kept only until you close the app."));
    }

  g_task_return_boolean (task, TRUE);
}

static void
clear_aws_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!stompy_secret_store_clear_aws_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Could not forget the AWS key: %s", error->message);
}

static void
stompy_aws_account_section_constructed (GObject *object)
{
  StompyAwsAccountSection *self = STOMPY_AWS_ACCOUNT_SECTION (object);

  G_OBJECT_CLASS (stompy_aws_account_section_parent_class)->constructed (object);

  self->application = stompy_section_get_application (STOMPY_SECTION (self));
  self->model = stompy_section_get_model (STOMPY_SECTION (self));

  restore_from_model (self);
}

static void
stompy_aws_account_section_dispose (GObject *object)
{
  StompyAwsAccountSection *self = STOMPY_AWS_ACCOUNT_SECTION (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_AWS_ACCOUNT_SECTION);
  /* The parts built later went with their parents (aws_group, verify_box), or
   * go with StompySection's dispose (the section's own children). */
  self->env_row = NULL;
  self->access_key_row = NULL;
  self->secret_row = NULL;
  self->session_token_row = NULL;
  self->remember_row = NULL;
  self->remember_switch = NULL;
  self->account_id_row = NULL;
  self->guided_label = NULL;
  self->verify_cancel_button = NULL;
  self->verify_spinner = NULL;
  self->verify_status_label = NULL;
  self->identity_group = NULL;
  self->account_row = NULL;
  self->arn_row = NULL;
  self->organization_row = NULL;
  self->root_row = NULL;
  self->advice_label = NULL;

  g_clear_object (&self->pending_client);
  g_clear_object (&self->config);
  g_clear_object (&self->profiles);
  g_clear_pointer (&self->credentials, stompy_aws_credentials_unref);
  self->application = NULL;
  self->model = NULL;

  G_OBJECT_CLASS (stompy_aws_account_section_parent_class)->dispose (object);
}

static void
stompy_aws_account_section_class_init (StompyAwsAccountSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stompy_aws_account_section_constructed;
  object_class->dispose = stompy_aws_account_section_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-aws-account-section.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, StompyAwsAccountSection, name)
  BIND (aws_group);
  BIND (source_row);
  BIND (profile_row);
  BIND (hint_label);
  BIND (verify_box);
  BIND (verify_button);
  BIND (error_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, source_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, profile_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, verify_cb);
  /* field_changed_cb and cancel_cb are the parts' (build_part). */
}

static void
stompy_aws_account_section_init (StompyAwsAccountSection *self)
{
  self->profiles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_model (self->profile_row, G_LIST_MODEL (self->profiles));
}

GtkWidget *
stompy_aws_account_section_new (StompyApplication *application)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);

  return g_object_new (STOMPY_TYPE_AWS_ACCOUNT_SECTION, "application", application, NULL);
}

void
stompy_aws_account_section_start (StompyAwsAccountSection *self)
{
  GCancellable *cancellable;
  const char *access_key_id;

  g_return_if_fail (STOMPY_IS_AWS_ACCOUNT_SECTION (self));

  cancellable = stompy_section_renew_cancellable (STOMPY_SECTION (self));

  stompy_aws_config_load_async (NULL, cancellable, config_loaded_cb, g_object_ref (self));

  access_key_id = stompy_onboarding_get_access_key_id (self->model);
  if (access_key_id != NULL && *access_key_id != '\0')
    stompy_secret_store_lookup_aws_async (access_key_id, cancellable,
                                          lookup_aws_cb, g_object_ref (self));

  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_ENVIRONMENT)
    maybe_reverify (self);
}

void
stompy_aws_account_section_cancel (StompyAwsAccountSection *self)
{
  g_return_if_fail (STOMPY_IS_AWS_ACCOUNT_SECTION (self));

  /* Only the verification: the configuration and the remembered key that
   * start() reads are still wanted. */
  if (self->verifying)
    stompy_section_stop (STOMPY_SECTION (self));
}

void
stompy_aws_account_section_reset (StompyAwsAccountSection *self)
{
  g_return_if_fail (STOMPY_IS_AWS_ACCOUNT_SECTION (self));

  if (self->verifying)
    stompy_section_stop (STOMPY_SECTION (self));
  g_clear_pointer (&self->credentials, stompy_aws_credentials_unref);
  stompy_application_set_aws_client (self->application, NULL);
  self->failed = FALSE;
  stompy_form_show_message (self->error_label, NULL);

  restore_from_model (self);
}

void
stompy_aws_account_section_remember_async (StompyAwsAccountSection *self,
                                           GCancellable            *cancellable,
                                           GAsyncReadyCallback      callback,
                                           gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STOMPY_IS_AWS_ACCOUNT_SECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_aws_account_section_remember_async);

  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_TYPED && self->credentials != NULL)
    {
      if (gtk_switch_get_active (self->remember_switch))
        {
          self->saving = TRUE;
          notify_state (self);
          stompy_secret_store_save_aws_async (self->credentials, cancellable,
                                              save_aws_cb, g_steal_pointer (&task));
          return;
        }

      stompy_secret_store_clear_aws_async (stompy_aws_credentials_get_access_key_id (self->credentials),
                                           NULL, clear_aws_cb, NULL);
    }

  g_task_return_boolean (task, TRUE);
}

gboolean
stompy_aws_account_section_remember_finish (StompyAwsAccountSection  *self,
                                            GAsyncResult             *result,
                                            GError                  **error)
{
  g_return_val_if_fail (STOMPY_IS_AWS_ACCOUNT_SECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
