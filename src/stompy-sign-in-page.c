/* stompy-sign-in-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two independent halves: the Stompy session (a token in the keyring, checked
 * at start) and the AWS account (credentials from one of four sources,
 * verified with STS and Organizations). The page is ready when both are
 * settled. Only non-secret facts go to the model; the secrets stay in the
 * keyring or in this page's memory.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-error-messages.h"
#include "stompy-error.h"
#include "stompy-secret-store.h"
#include "stompy-sign-in-page-private.h"
#include "stompy-validate.h"

static void stompy_sign_in_page_page_iface_init (StompyPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StompySignInPage, stompy_sign_in_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (STOMPY_TYPE_PAGE,
                                                      stompy_sign_in_page_page_iface_init))

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_STATE,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void start_verify (StompySignInPage *self);
static void check_session (StompySignInPage *self);

/* ------------------------------------------------------------------ helpers */

static StompyCredentialSource
selected_source (StompySignInPage *self)
{
  guint selected = adw_combo_row_get_selected (self->source_row);

  if (selected > STOMPY_CREDENTIAL_SOURCE_GUIDED)
    return STOMPY_CREDENTIAL_SOURCE_PROFILE;

  return (StompyCredentialSource) selected;
}

static const char *
row_text (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static char *
selected_profile (StompySignInPage *self)
{
  GObject *item = adw_combo_row_get_selected_item (self->profile_row);

  if (item == NULL)
    return NULL;

  return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
}

static void
set_row_error (gpointer row,
               gboolean error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
show_label (GtkLabel   *label,
            const char *text)
{
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

const char *
_stompy_sign_in_page_reason_sentence (int reason)
{
  switch ((StompyInvalidReason) reason)
    {
    case STOMPY_INVALID_NONE:
      return NULL;
    case STOMPY_INVALID_EMPTY:
      return _("This field is required.");
    case STOMPY_INVALID_EMAIL:
      return _("Enter an email address such as name@example.com.");
    case STOMPY_INVALID_ACCESS_KEY_ID_LENGTH:
      return _("An access key ID has 16 to 128 characters; most have 20.");
    case STOMPY_INVALID_ACCESS_KEY_ID_CHARS:
      return _("An access key ID has only capital letters and digits.");
    case STOMPY_INVALID_ACCESS_KEY_ID_PREFIX:
      return _("An access key ID starts with AKIA (long-term key) or ASIA (temporary key).");
    case STOMPY_INVALID_SECRET_KEY:
      return _("A secret access key has 40 characters. Copy it again from the AWS console or the downloaded .csv file.");
    case STOMPY_INVALID_ACCOUNT_ID:
      return _("An AWS account ID has exactly 12 digits.");
    case STOMPY_INVALID_WHITESPACE:
      return _("Remove the spaces, which often come with a paste.");
    default:
      return _("This value is not valid.");
    }
}

static char *
field_message (const char *field,
               const char *sentence)
{
  /* Translators: a field name and why its value is not valid,
   * e.g. "Access key ID: An access key ID has only capital letters and digits." */
  return g_strdup_printf (_("%s: %s"), field, sentence);
}

static gboolean
can_continue (StompySignInPage *self)
{
  if (!self->signed_in)
    return FALSE;

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
update_state (StompySignInPage *self)
{
  StompyPageState state;

  if (self->checking_session || self->signing_in || self->signing_out
      || self->verifying || self->submitting)
    state = STOMPY_PAGE_STATE_BUSY;
  else if (can_continue (self))
    state = STOMPY_PAGE_STATE_READY;
  else if (self->session_failed || self->aws_failed)
    state = STOMPY_PAGE_STATE_ERROR;
  else
    state = STOMPY_PAGE_STATE_IDLE;

  if (state == self->state)
    return;

  self->state = state;
  g_object_notify (G_OBJECT (self), "state");
}

/* -------------------------------------------------------------- Stompy half */

static void
update_stompy_widgets (StompySignInPage *self)
{
  gboolean busy = self->checking_session || self->signing_in || self->signing_out;
  gboolean form = !self->signed_in;

  gtk_widget_set_visible (GTK_WIDGET (self->email_row), form);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), form);
  gtk_widget_set_visible (GTK_WIDGET (self->signed_in_row), self->signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), form);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_up_button), form);
  gtk_widget_set_visible (GTK_WIDGET (self->stompy_retry_button), self->session_failed && !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button),
                            !busy && stompy_application_get_api_client (self->application) != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_out_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->stompy_spinner), busy);
  gtk_spinner_set_spinning (self->stompy_spinner, busy);
  gtk_widget_set_visible (self->stompy_actions,
                          form || busy || gtk_widget_get_visible (GTK_WIDGET (self->stompy_retry_button)));

  if (self->signed_in)
    {
      g_autofree char *title = NULL;

      if (self->user_name != NULL && *self->user_name != '\0')
        /* Translators: %s is the name of the signed-in Stompy user. */
        title = g_strdup_printf (_("Signed in as %s"), self->user_name);
      else
        title = g_strdup (_("Signed in"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->signed_in_row), title);

      if (self->organization_name != NULL && *self->organization_name != '\0')
        {
          /* Translators: the first %s is an email address, the second the
           * name of the user's Stompy organization (a company). */
          g_autofree char *subtitle = g_strdup_printf (_("%s, %s"),
                                                       self->user_email ? self->user_email : "",
                                                       self->organization_name);
          adw_action_row_set_subtitle (self->signed_in_row, subtitle);
        }
      else
        {
          adw_action_row_set_subtitle (self->signed_in_row, self->user_email ? self->user_email : "");
        }
    }

  update_state (self);
}

static void
set_signed_in (StompySignInPage *self,
               const char       *name,
               const char       *email,
               const char       *organization_name)
{
  /* The arguments may be the fields themselves: copy before freeing. */
  char *new_name = g_strdup (name);
  char *new_email = g_strdup (email);
  char *new_organization = g_strdup (organization_name);

  self->signed_in = TRUE;
  self->session_failed = FALSE;
  g_free (self->user_name);
  self->user_name = new_name;
  g_free (self->user_email);
  self->user_email = new_email;
  g_free (self->organization_name);
  self->organization_name = new_organization;
  email = self->user_email;
  organization_name = self->organization_name;

  stompy_onboarding_set_stompy_account (self->model, email, organization_name);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_label (self->stompy_error_label, NULL);
  update_stompy_widgets (self);
}

static void
set_signed_out (StompySignInPage *self)
{
  self->signed_in = FALSE;
  g_clear_pointer (&self->user_name, g_free);
  g_clear_pointer (&self->organization_name, g_free);
  if (self->user_email != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), self->user_email);
  g_clear_pointer (&self->user_email, g_free);
  stompy_onboarding_set_stompy_account (self->model, NULL, NULL);
  update_stompy_widgets (self);
}

static void
stompy_field_changed_cb (StompySignInPage *self)
{
  set_row_error (self->email_row, FALSE);
  set_row_error (self->password_row, FALSE);
}

static void
clear_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!stompy_secret_store_clear_token_finish (result, &error))
    g_message ("Could not clear the Stompy token from the keyring: %s", error->message);
}

static void
clear_stored_token (StompySignInPage *self)
{
  StompyApiClient *client = stompy_application_get_api_client (self->application);

  stompy_secret_store_clear_token_async (stompy_api_client_get_base_url (client),
                                         NULL, clear_token_cb, NULL);
}

static void
save_token_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StompySignInPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->saving_token = FALSE;

  if (stompy_secret_store_save_token_finish (result, &error))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_message ("Could not keep the Stompy token in the keyring: %s", error->message);
  stompy_page_toast (STOMPY_PAGE (self),
                     _("The keyring is not available, so you stay signed in only until you close the app."));
}

static void
sign_in_finish_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(StompySignInPage) self = user_data;
  StompyApiClient *client = STOMPY_API_CLIENT (source);
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = stompy_api_client_sign_in_finish (client, result, &error);
  self->signing_in = FALSE;

  if (session == NULL)
    {
      g_autofree char *message = NULL;
      GtkWidget *focus = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          update_stompy_widgets (self);
          return;
        }

      g_debug ("Sign-in failed: %s", error->message);

      if (g_error_matches (error, STOMPY_API_ERROR, STOMPY_API_ERROR_VALIDATION_FAILED))
        {
          const char *email_message = stompy_api_error_get_field_message (error, "email");
          const char *password_message = stompy_api_error_get_field_message (error, "password");
          GString *text = g_string_new (NULL);

          if (email_message != NULL)
            {
              g_autofree char *line = field_message (_("Email"), email_message);
              g_string_append (text, line);
              set_row_error (self->email_row, TRUE);
            }
          if (password_message != NULL)
            {
              g_autofree char *line = field_message (_("Password"), password_message);
              if (text->len > 0)
                g_string_append_c (text, '\n');
              g_string_append (text, line);
              set_row_error (self->password_row, TRUE);
            }
          if (text->len == 0)
            {
              g_autofree char *generic = stompy_error_message_for (error);
              g_string_append (text, generic);
            }
          message = g_string_free (text, FALSE);
          focus = GTK_WIDGET (email_message != NULL ? self->email_row : self->password_row);
        }
      else if (g_error_matches (error, STOMPY_API_ERROR, STOMPY_API_ERROR_INVALID_CREDENTIALS))
        {
          message = stompy_error_message_for (error);
          set_row_error (self->email_row, TRUE);
          set_row_error (self->password_row, TRUE);
          focus = GTK_WIDGET (self->password_row);
        }
      else
        {
          message = stompy_error_message_for (error);
          /* A transport or server problem: the same request may work later. */
          self->session_failed = TRUE;
        }

      show_label (self->stompy_error_label, message);
      /* The rows are sensitive again only now: focus after. */
      update_stompy_widgets (self);
      if (focus != NULL)
        gtk_widget_grab_focus (focus);
      return;
    }

  set_signed_in (self, session->user_name, session->user_email, session->organization_name);

  self->saving_token = TRUE;
  stompy_secret_store_save_token_async (stompy_api_client_get_base_url (client),
                                        session->user_email,
                                        session->token,
                                        self->stompy_cancellable,
                                        save_token_cb,
                                        g_object_ref (self));
}

static void
sign_in_cb (StompySignInPage *self)
{
  StompyApiClient *client = stompy_application_get_api_client (self->application);
  StompyInvalidReason reason = STOMPY_INVALID_NONE;
  const char *email = row_text (self->email_row);
  const char *password = row_text (self->password_row);

  if (self->signed_in || self->signing_in || client == NULL)
    return;

  self->session_failed = FALSE;
  stompy_field_changed_cb (self);

  if (!stompy_validate_email (email, &reason, NULL))
    {
      g_autofree char *message = field_message (_("Email"), _stompy_sign_in_page_reason_sentence (reason));

      set_row_error (self->email_row, TRUE);
      show_label (self->stompy_error_label, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
      update_stompy_widgets (self);
      return;
    }

  if (*password == '\0')
    {
      g_autofree char *message = field_message (_("Password"),
                                                _stompy_sign_in_page_reason_sentence (STOMPY_INVALID_EMPTY));

      set_row_error (self->password_row, TRUE);
      show_label (self->stompy_error_label, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      update_stompy_widgets (self);
      return;
    }

  show_label (self->stompy_error_label, NULL);
  self->signing_in = TRUE;
  update_stompy_widgets (self);

  g_cancellable_cancel (self->stompy_cancellable);
  g_clear_object (&self->stompy_cancellable);
  self->stompy_cancellable = g_cancellable_new ();

  stompy_api_client_sign_in_async (client, email, password, self->stompy_cancellable,
                                   sign_in_finish_cb, g_object_ref (self));
}

static void
sign_out_finish_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(StompySignInPage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The client forgets its token whatever the answer; so does the keyring. */
  if (!stompy_api_client_sign_out_finish (STOMPY_API_CLIENT (source), result, &error))
    g_debug ("Sign-out request failed: %s", error->message);

  clear_stored_token (self);
  self->signing_out = FALSE;
  set_signed_out (self);
}

static void
sign_out_cb (StompySignInPage *self)
{
  StompyApiClient *client = stompy_application_get_api_client (self->application);

  if (!self->signed_in || self->signing_out || client == NULL)
    return;

  self->signing_out = TRUE;
  update_stompy_widgets (self);

  g_cancellable_cancel (self->stompy_cancellable);
  g_clear_object (&self->stompy_cancellable);
  self->stompy_cancellable = g_cancellable_new ();

  /* Not cancellable: the server must hear of it even if the user goes on. */
  stompy_api_client_sign_out_async (client, NULL, sign_out_finish_cb, g_object_ref (self));
}

static void
list_accounts_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(StompySignInPage) self = user_data;
  StompyApiClient *client = STOMPY_API_CLIENT (source);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = stompy_api_client_list_accounts_finish (client, result, &error);
  self->checking_session = FALSE;

  if (accounts != NULL)
    {
      set_signed_in (self, NULL,
                     self->user_email ? self->user_email : stompy_onboarding_get_stompy_email (self->model),
                     stompy_onboarding_get_stompy_organization (self->model));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      update_stompy_widgets (self);
      return;
    }

  if (stompy_api_error_is_auth_expired (error))
    {
      stompy_api_client_set_token (client, NULL);
      clear_stored_token (self);
      if (self->user_email != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->email_row), self->user_email);
      show_label (self->stompy_error_label, _("Your Stompy session has expired. Sign in again."));
      update_stompy_widgets (self);
      return;
    }

  {
    g_autofree char *message = stompy_error_message_for (error);

    g_debug ("Could not check the stored session: %s", error->message);
    self->session_failed = TRUE;
    show_label (self->stompy_error_label, message);
    update_stompy_widgets (self);
  }
}

static void
lookup_token_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(StompySignInPage) self = user_data;
  StompyApiClient *client = stompy_application_get_api_client (self->application);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  char *token;

  token = stompy_secret_store_lookup_token_finish (result, &email, &error);

  if (token == NULL)
    {
      self->checking_session = FALSE;
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not look up a stored Stompy token: %s", error->message);
      update_stompy_widgets (self);
      return;
    }

  g_free (self->user_email);
  self->user_email = g_steal_pointer (&email);
  stompy_api_client_set_token (client, token);
  stompy_secret_free (token);

  stompy_api_client_list_accounts_async (client, self->stompy_cancellable,
                                         list_accounts_cb, g_object_ref (self));
}

static void
check_session (StompySignInPage *self)
{
  StompyApiClient *client = stompy_application_get_api_client (self->application);

  if (client == NULL)
    {
      g_autofree char *message =
        stompy_error_message_for (stompy_application_get_api_error (self->application));

      self->checking_session = FALSE;
      show_label (self->stompy_error_label, message);
      update_stompy_widgets (self);
      return;
    }

  self->checking_session = TRUE;
  self->session_failed = FALSE;
  show_label (self->stompy_error_label, NULL);
  update_stompy_widgets (self);

  g_cancellable_cancel (self->stompy_cancellable);
  g_clear_object (&self->stompy_cancellable);
  self->stompy_cancellable = g_cancellable_new ();

  if (stompy_api_client_get_token (client) != NULL)
    stompy_api_client_list_accounts_async (client, self->stompy_cancellable,
                                           list_accounts_cb, g_object_ref (self));
  else
    stompy_secret_store_lookup_token_async (stompy_api_client_get_base_url (client),
                                            self->stompy_cancellable,
                                            lookup_token_cb, g_object_ref (self));
}

static void
stompy_retry_cb (StompySignInPage *self)
{
  self->session_failed = FALSE;

  /* A failed check of a stored token repeats the check; a failed sign-in repeats it. */
  if (stompy_api_client_get_token (stompy_application_get_api_client (self->application)) != NULL)
    check_session (self);
  else
    sign_in_cb (self);
}

static gboolean
sign_up_cb (StompySignInPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, STOMPY_SIGN_UP_URL, GDK_CURRENT_TIME);
  return TRUE;
}

/* ----------------------------------------------------------------- AWS half */

static void
forget_identity (StompySignInPage *self)
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
      return _("This is a member account: Stompy will see only this account's cost data. For organization-wide StompyAnalySaver advice, use the management account.");
    case STOMPY_ORGANIZATION_ROLE_STANDALONE:
      return _("This account is not part of an organization: Stompy covers this account.");
    case STOMPY_ORGANIZATION_ROLE_UNKNOWN:
    default:
      return _("The organization could not be read, so the app cannot tell whether this is the management account. The management account sees the cost data of every member account.");
    }
}

static void
update_identity_widgets (StompySignInPage *self)
{
  const StompyAwsIdentity *identity = stompy_onboarding_get_identity (self->model);
  gboolean show = identity != NULL && selected_source (self) != STOMPY_CREDENTIAL_SOURCE_GUIDED;
  g_autofree char *organization = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->identity_group), show);
  gtk_widget_set_visible (GTK_WIDGET (self->advice_label), show);

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
validate_aws_fields (StompySignInPage *self,
                     gboolean          complain_empty,
                     GtkWidget       **first_invalid)
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
    { self->access_key_row, _("Access key ID"), stompy_validate_access_key_id, FALSE },
    { self->secret_row, _("Secret access key"), stompy_validate_secret_key, FALSE },
    { self->account_id_row, _("AWS account ID"), stompy_validate_account_id, FALSE },
  };

  if (first_invalid != NULL)
    *first_invalid = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      StompyInvalidReason reason = STOMPY_INVALID_NONE;
      const char *text = row_text (fields[i].row);
      gboolean relevant;

      if (fields[i].row == self->account_id_row)
        relevant = source == STOMPY_CREDENTIAL_SOURCE_GUIDED;
      else
        relevant = source == STOMPY_CREDENTIAL_SOURCE_TYPED;

      if (!relevant)
        {
          set_row_error (fields[i].row, FALSE);
          continue;
        }

      if (fields[i].validate (text, &reason, NULL))
        {
          set_row_error (fields[i].row, FALSE);
          continue;
        }

      valid = FALSE;

      /* An empty field is not an error while the user has not got to it. */
      if (*text == '\0' && !complain_empty)
        {
          set_row_error (fields[i].row, FALSE);
          continue;
        }

      set_row_error (fields[i].row, TRUE);
      if (first_invalid != NULL && *first_invalid == NULL)
        *first_invalid = GTK_WIDGET (fields[i].row);

      {
        g_autofree char *line = field_message (fields[i].name,
                                               _stompy_sign_in_page_reason_sentence (reason));
        if (hint->len > 0)
          g_string_append_c (hint, '\n');
        g_string_append (hint, line);
      }
    }

  show_label (self->aws_hint_label, hint->str);

  if (source == STOMPY_CREDENTIAL_SOURCE_PROFILE)
    valid = adw_combo_row_get_selected_item (self->profile_row) != NULL && self->config != NULL;

  return valid;
}

static void
update_env_row (StompySignInPage *self)
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
update_profile_subtitle (StompySignInPage *self)
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
update_aws_widgets (StompySignInPage *self)
{
  StompyCredentialSource source = selected_source (self);
  gboolean typed = source == STOMPY_CREDENTIAL_SOURCE_TYPED;
  gboolean guided = source == STOMPY_CREDENTIAL_SOURCE_GUIDED;
  gboolean valid;

  gtk_widget_set_visible (GTK_WIDGET (self->profile_row), source == STOMPY_CREDENTIAL_SOURCE_PROFILE);
  gtk_widget_set_visible (GTK_WIDGET (self->env_row), source == STOMPY_CREDENTIAL_SOURCE_ENVIRONMENT);
  gtk_widget_set_visible (GTK_WIDGET (self->access_key_row), typed);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), typed);
  gtk_widget_set_visible (GTK_WIDGET (self->session_token_row), typed);
  gtk_widget_set_visible (GTK_WIDGET (self->remember_row), typed);
  gtk_widget_set_visible (GTK_WIDGET (self->account_id_row), guided);
  gtk_widget_set_visible (GTK_WIDGET (self->guided_label), guided);
  gtk_widget_set_visible (self->verify_box, !guided);

  valid = validate_aws_fields (self, FALSE, NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->verify_button), valid && !self->verifying);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_cancel_button), self->verifying);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_spinner), self->verifying);
  gtk_spinner_set_spinning (self->verify_spinner, self->verifying);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_status_label), self->verifying);
  gtk_widget_set_sensitive (GTK_WIDGET (self->source_row), !self->verifying);
  gtk_widget_set_sensitive (GTK_WIDGET (self->profile_row), !self->verifying && self->config != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->access_key_row), !self->verifying);
  gtk_widget_set_sensitive (GTK_WIDGET (self->secret_row), !self->verifying);
  gtk_widget_set_sensitive (GTK_WIDGET (self->session_token_row), !self->verifying);

  if (guided)
    show_label (self->aws_error_label, NULL);

  update_identity_widgets (self);
  update_state (self);
}

static void
show_aws_error (StompySignInPage *self,
                const GError     *error)
{
  g_autofree char *message = stompy_error_message_for (error);

  self->aws_failed = TRUE;
  show_label (self->aws_error_label, message);

  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_TYPED)
    {
      if (g_error_matches (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_SIGNATURE_MISMATCH))
        {
          set_row_error (self->secret_row, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->secret_row));
        }
      else if (g_error_matches (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_INVALID_CLIENT_TOKEN_ID))
        {
          set_row_error (self->access_key_row, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->access_key_row));
        }
      else if (g_error_matches (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_EXPIRED_TOKEN))
        {
          set_row_error (self->session_token_row, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->session_token_row));
        }
    }
}

static void
source_changed_cb (StompySignInPage *self)
{
  StompyCredentialSource source = selected_source (self);

  /* Not yet constructed: the template is being built. */
  if (self->model == NULL)
    return;

  if (!self->restoring)
    {
      g_cancellable_cancel (self->aws_cancellable);
      self->aws_failed = FALSE;
      show_label (self->aws_error_label, NULL);
      forget_identity (self);
      stompy_onboarding_set_credential_source (self->model, source);

      if (source == STOMPY_CREDENTIAL_SOURCE_GUIDED)
        {
          const char *account_id = row_text (self->account_id_row);

          if (stompy_validate_account_id (account_id, NULL, NULL))
            stompy_onboarding_set_account_id (self->model, account_id);
        }
    }

  update_aws_widgets (self);
}

static void
profile_changed_cb (StompySignInPage *self)
{
  g_autofree char *profile = selected_profile (self);

  /* Not yet constructed: the template is being built. */
  if (self->model == NULL)
    return;

  update_profile_subtitle (self);

  if (!self->restoring && profile != NULL)
    {
      g_cancellable_cancel (self->aws_cancellable);
      self->aws_failed = FALSE;
      show_label (self->aws_error_label, NULL);
      forget_identity (self);
      stompy_onboarding_set_profile (self->model, profile);
    }

  update_aws_widgets (self);
}

static void
aws_field_changed_cb (StompySignInPage *self,
                      GtkEditable      *editable)
{

  /* Not yet constructed: the template is being built. */
  if (self->model == NULL)
    return;
  if (self->restoring)
    return;

  self->aws_failed = FALSE;
  show_label (self->aws_error_label, NULL);

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
      g_cancellable_cancel (self->aws_cancellable);
      forget_identity (self);
    }

  update_aws_widgets (self);
}

static void
identity_lookup_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(StompySignInPage) self = user_data;
  g_autoptr(StompyAwsClient) client = g_steal_pointer (&self->pending_client);
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = stompy_aws_identity_lookup_finish (result, &error);
  self->verifying = FALSE;

  if (identity == NULL)
    {
      /* The fields are sensitive again first, so that the error can focus one. */
      update_aws_widgets (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Verification failed: %s", error->message);
          show_aws_error (self, error);
          update_state (self);
        }
      return;
    }

  self->aws_failed = FALSE;
  show_label (self->aws_error_label, NULL);

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

  update_aws_widgets (self);
}

static StompyAwsCredentials *
credentials_for_source (StompySignInPage  *self,
                        GError           **error)
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
start_verify (StompySignInPage *self)
{
  g_autoptr(StompyAwsCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *region = NULL;
  GtkWidget *first_invalid = NULL;

  if (self->verifying)
    return;

  show_label (self->aws_error_label, NULL);
  self->aws_failed = FALSE;

  if (!validate_aws_fields (self, TRUE, &first_invalid))
    {
      if (first_invalid != NULL)
        gtk_widget_grab_focus (first_invalid);
      update_state (self);
      return;
    }

  credentials = credentials_for_source (self, &error);
  if (credentials == NULL)
    {
      show_aws_error (self, error);
      update_aws_widgets (self);
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

  g_cancellable_cancel (self->aws_cancellable);
  g_clear_object (&self->aws_cancellable);
  self->aws_cancellable = g_cancellable_new ();
  self->verifying = TRUE;
  update_aws_widgets (self);

  stompy_aws_identity_lookup_async (self->pending_client, self->aws_cancellable,
                                    identity_lookup_cb, g_object_ref (self));
}

static void
verify_cb (StompySignInPage *self)
{
  start_verify (self);
}

static void
cancel_cb (StompySignInPage *self)
{
  stompy_page_cancel (STOMPY_PAGE (self));
}

/* At start, a session verified before is verified again (the credentials
 * may have changed since), so that the later steps have an AWS client. */
static void
maybe_reverify (StompySignInPage *self)
{
  if (stompy_onboarding_get_identity (self->model) == NULL
      || selected_source (self) == STOMPY_CREDENTIAL_SOURCE_GUIDED
      || self->verifying
      || !validate_aws_fields (self, FALSE, NULL))
    return;

  start_verify (self);
}

static void
select_profile (StompySignInPage *self,
                const char       *wanted)
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
  g_autoptr(StompySignInPage) self = user_data;
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
        show_aws_error (self, error);
      update_aws_widgets (self);
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
  update_aws_widgets (self);

  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_PROFILE)
    maybe_reverify (self);
}

static void
lookup_aws_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StompySignInPage) self = user_data;
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

  self->restoring = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->access_key_row),
                         stompy_aws_credentials_get_access_key_id (credentials));
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row),
                         stompy_aws_credentials_get_secret_access_key (credentials));
  gtk_editable_set_text (GTK_EDITABLE (self->session_token_row), token ? token : "");
  gtk_switch_set_active (self->remember_switch, TRUE);
  self->restoring = FALSE;

  update_aws_widgets (self);

  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_TYPED)
    maybe_reverify (self);
}

/* Shows the model's choices, without treating them as edits. */
static void
restore_from_model (StompySignInPage *self)
{
  const char *account_id = stompy_onboarding_get_account_id (self->model);
  const char *access_key_id = stompy_onboarding_get_access_key_id (self->model);
  const char *email = stompy_onboarding_get_stompy_email (self->model);

  self->restoring = TRUE;
  adw_combo_row_set_selected (self->source_row, stompy_onboarding_get_credential_source (self->model));
  gtk_editable_set_text (GTK_EDITABLE (self->account_id_row), account_id ? account_id : "");
  gtk_editable_set_text (GTK_EDITABLE (self->access_key_row), access_key_id ? access_key_id : "");
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->session_token_row), "");
  gtk_switch_set_active (self->remember_switch, FALSE);
  if (!self->signed_in && email != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  if (self->config != NULL)
    select_profile (self, stompy_onboarding_get_profile (self->model)
                          ? stompy_onboarding_get_profile (self->model)
                          : stompy_aws_config_get_default_profile (self->config));
  self->restoring = FALSE;

  update_env_row (self);
  update_profile_subtitle (self);
  update_aws_widgets (self);
}

/* ------------------------------------------------------------ the page */

static void
stompy_sign_in_page_start (StompyPage *page)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (page);
  const char *access_key_id;

  if (self->started)
    return;
  self->started = TRUE;

  check_session (self);

  g_cancellable_cancel (self->aws_cancellable);
  g_clear_object (&self->aws_cancellable);
  self->aws_cancellable = g_cancellable_new ();

  stompy_aws_config_load_async (NULL, self->aws_cancellable, config_loaded_cb, g_object_ref (self));

  access_key_id = stompy_onboarding_get_access_key_id (self->model);
  if (access_key_id != NULL && *access_key_id != '\0')
    stompy_secret_store_lookup_aws_async (access_key_id, self->aws_cancellable,
                                          lookup_aws_cb, g_object_ref (self));

  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_ENVIRONMENT)
    maybe_reverify (self);
}

static void
stompy_sign_in_page_cancel (StompyPage *page)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (page);

  if (self->verifying)
    g_cancellable_cancel (self->aws_cancellable);
  if (self->signing_in || self->checking_session)
    g_cancellable_cancel (self->stompy_cancellable);
}

static void
stompy_sign_in_page_reset (StompyPage *page)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (page);

  if (self->verifying)
    g_cancellable_cancel (self->aws_cancellable);
  g_clear_pointer (&self->credentials, stompy_aws_credentials_unref);
  stompy_application_set_aws_client (self->application, NULL);
  self->aws_failed = FALSE;
  show_label (self->aws_error_label, NULL);

  /* Starting over forgets the wizard's progress, not the Stompy session. */
  if (self->signed_in)
    stompy_onboarding_set_stompy_account (self->model, self->user_email, self->organization_name);

  restore_from_model (self);
}

static void
save_aws_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StompySignInPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->submitting = FALSE;
  update_state (self);

  if (!stompy_secret_store_save_aws_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      /* Not being able to remember the key does not stop the wizard. */
      g_message ("Could not remember the AWS key: %s", error->message);
      stompy_page_toast (STOMPY_PAGE (self),
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
stompy_sign_in_page_submit_async (StompyPage          *page,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (page);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_sign_in_page_submit_async);

  if (!can_continue (self))
    {
      g_task_return_new_error (task, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                               "The page is not complete");
      return;
    }

  if (selected_source (self) == STOMPY_CREDENTIAL_SOURCE_TYPED && self->credentials != NULL)
    {
      if (gtk_switch_get_active (self->remember_switch))
        {
          self->submitting = TRUE;
          update_state (self);
          stompy_secret_store_save_aws_async (self->credentials, cancellable,
                                              save_aws_cb, g_steal_pointer (&task));
          return;
        }

      stompy_secret_store_clear_aws_async (stompy_aws_credentials_get_access_key_id (self->credentials),
                                           NULL, clear_aws_cb, NULL);
    }

  g_task_return_boolean (task, TRUE);
}

static gboolean
stompy_sign_in_page_submit_finish (StompyPage    *page,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, page), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
stompy_sign_in_page_page_iface_init (StompyPageInterface *iface)
{
  iface->start = stompy_sign_in_page_start;
  iface->cancel = stompy_sign_in_page_cancel;
  iface->reset = stompy_sign_in_page_reset;
  iface->submit_async = stompy_sign_in_page_submit_async;
  iface->submit_finish = stompy_sign_in_page_submit_finish;
}

static void
stompy_sign_in_page_constructed (GObject *object)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (object);

  G_OBJECT_CLASS (stompy_sign_in_page_parent_class)->constructed (object);

  g_assert (self->application != NULL);
  self->model = g_object_ref (stompy_application_get_model (self->application));

  gtk_link_button_set_uri (self->sign_up_button, STOMPY_SIGN_UP_URL);
  restore_from_model (self);
  update_stompy_widgets (self);
}

static void
stompy_sign_in_page_dispose (GObject *object)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->stompy_cancellable);
  g_cancellable_cancel (self->aws_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_SIGN_IN_PAGE);

  g_clear_object (&self->stompy_cancellable);
  g_clear_object (&self->aws_cancellable);
  g_clear_object (&self->pending_client);
  g_clear_object (&self->config);
  g_clear_object (&self->profiles);
  g_clear_pointer (&self->credentials, stompy_aws_credentials_unref);
  g_clear_object (&self->model);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (stompy_sign_in_page_parent_class)->dispose (object);
}

static void
stompy_sign_in_page_finalize (GObject *object)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (object);

  g_free (self->user_name);
  g_free (self->user_email);
  g_free (self->organization_name);

  G_OBJECT_CLASS (stompy_sign_in_page_parent_class)->finalize (object);
}

static void
stompy_sign_in_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_sign_in_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (object);

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
stompy_sign_in_page_class_init (StompySignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stompy_sign_in_page_constructed;
  object_class->dispose = stompy_sign_in_page_dispose;
  object_class->finalize = stompy_sign_in_page_finalize;
  object_class->get_property = stompy_sign_in_page_get_property;
  object_class->set_property = stompy_sign_in_page_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, STOMPY_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_APPLICATION, properties[PROP_APPLICATION]);
  g_object_class_override_property (object_class, PROP_STATE, "state");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-sign-in-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, StompySignInPage, name)
  BIND (scrolled_window);
  BIND (email_row);
  BIND (password_row);
  BIND (signed_in_row);
  BIND (sign_out_button);
  BIND (stompy_error_label);
  BIND (stompy_actions);
  BIND (sign_in_button);
  BIND (stompy_retry_button);
  BIND (stompy_spinner);
  BIND (sign_up_button);
  BIND (source_row);
  BIND (profile_row);
  BIND (env_row);
  BIND (access_key_row);
  BIND (secret_row);
  BIND (session_token_row);
  BIND (remember_row);
  BIND (remember_switch);
  BIND (account_id_row);
  BIND (guided_label);
  BIND (aws_hint_label);
  BIND (verify_box);
  BIND (verify_button);
  BIND (verify_cancel_button);
  BIND (verify_spinner);
  BIND (verify_status_label);
  BIND (aws_error_label);
  BIND (identity_group);
  BIND (account_row);
  BIND (arn_row);
  BIND (organization_row);
  BIND (root_row);
  BIND (advice_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, stompy_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_cb);
  gtk_widget_class_bind_template_callback (widget_class, stompy_retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_up_cb);
  gtk_widget_class_bind_template_callback (widget_class, source_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, profile_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, aws_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, verify_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_cb);
}

static void
stompy_sign_in_page_init (StompySignInPage *self)
{
  self->state = STOMPY_PAGE_STATE_BUSY;
  /* Until start() has looked up a stored token, the session is unknown. */
  self->checking_session = TRUE;
  self->profiles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_model (self->profile_row, G_LIST_MODEL (self->profiles));
}

GtkWidget *
stompy_sign_in_page_new (StompyApplication *application)
{
  return g_object_new (STOMPY_TYPE_SIGN_IN_PAGE, "application", application, NULL);
}

gboolean
stompy_sign_in_page_get_signed_in (StompySignInPage *self)
{
  g_return_val_if_fail (STOMPY_IS_SIGN_IN_PAGE (self), FALSE);

  return self->signed_in;
}
