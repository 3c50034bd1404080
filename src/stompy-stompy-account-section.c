/* stompy-stompy-account-section.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Stompy session: a token in the keyring, checked at start. Only the
 * email and the organization go to the model; the password is never kept and
 * the token stays in the keyring and the API client.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-error-messages.h"
#include "stompy-error.h"
#include "stompy-form.h"
#include "stompy-open-uri.h"
#include "stompy-page.h"
#include "stompy-secret-store.h"
#include "stompy-stompy-account-section-private.h"
#include "stompy-validate.h"

G_DEFINE_FINAL_TYPE (StompyStompyAccountSection, stompy_stompy_account_section, STOMPY_TYPE_SECTION)

static void sign_in_cb (StompyStompyAccountSection *self);

static gboolean
is_busy (StompyStompyAccountSection *self)
{
  return self->checking_session || self->signing_in || self->signing_out;
}

static void
update_widgets (StompyStompyAccountSection *self)
{
  gboolean busy = is_busy (self);
  gboolean form = !self->signed_in;

  gtk_widget_set_visible (GTK_WIDGET (self->email_row), form);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), form);
  gtk_widget_set_visible (GTK_WIDGET (self->signed_in_row), self->signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), form);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_up_button), form);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), self->session_failed && !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button),
                            !busy && stompy_application_get_api_client (self->application) != NULL);
  /* Read-only rather than insensitive while busy: Enter in a field signs in,
   * and a focused text made insensitive loses its focus-out event. */
  gtk_editable_set_editable (GTK_EDITABLE (self->email_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_out_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (self->actions,
                          form || busy || gtk_widget_get_visible (GTK_WIDGET (self->retry_button)));

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

  stompy_section_set_status (STOMPY_SECTION (self), self->signed_in, busy, self->session_failed);
}

static void
set_signed_in (StompyStompyAccountSection *self,
               const char                 *name,
               const char                 *email,
               const char                 *organization_name)
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

  stompy_onboarding_set_stompy_account (self->model, self->user_email, self->organization_name);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  stompy_form_show_message (self->error_label, NULL);
  update_widgets (self);
}

static void
set_signed_out (StompyStompyAccountSection *self)
{
  self->signed_in = FALSE;
  g_clear_pointer (&self->user_name, g_free);
  g_clear_pointer (&self->organization_name, g_free);
  if (self->user_email != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), self->user_email);
  g_clear_pointer (&self->user_email, g_free);
  stompy_onboarding_set_stompy_account (self->model, NULL, NULL);
  update_widgets (self);
}

static void
field_changed_cb (StompyStompyAccountSection *self)
{
  stompy_form_set_row_error (self->email_row, FALSE);
  stompy_form_set_row_error (self->password_row, FALSE);
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
clear_stored_token (StompyStompyAccountSection *self)
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
  g_autoptr(StompyStompyAccountSection) self = user_data;
  g_autoptr(GError) error = NULL;

  self->saving_token = FALSE;

  if (stompy_secret_store_save_token_finish (result, &error))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_message ("Could not keep the Stompy token in the keyring: %s", error->message);
  stompy_widget_toast (GTK_WIDGET (self),
                       _("The keyring is not available, so you stay signed in only until you close the app."));
}

/* Shows why the service refused the sign-in; returns the row to focus, if any. */
static GtkWidget *
show_sign_in_error (StompyStompyAccountSection *self,
                    const GError               *error)
{
  g_autofree char *message = NULL;
  GtkWidget *focus = NULL;

  if (g_error_matches (error, STOMPY_API_ERROR, STOMPY_API_ERROR_VALIDATION_FAILED))
    {
      const char *email_message = stompy_api_error_get_field_message (error, "email");
      const char *password_message = stompy_api_error_get_field_message (error, "password");
      GString *text = g_string_new (NULL);

      if (email_message != NULL)
        {
          g_autofree char *line = stompy_field_message (_("Email"), email_message);
          g_string_append (text, line);
          stompy_form_set_field_error (self->email_row, line);
        }
      if (password_message != NULL)
        {
          g_autofree char *line = stompy_field_message (_("Password"), password_message);
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, line);
          stompy_form_set_field_error (self->password_row, line);
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
      stompy_form_set_field_error (self->email_row, message);
      stompy_form_set_field_error (self->password_row, message);
      focus = GTK_WIDGET (self->password_row);
    }
  else
    {
      message = stompy_error_message_for (error);
      /* A transport or server problem: the same request may work later. */
      self->session_failed = TRUE;
    }

  stompy_form_show_message (self->error_label, message);
  return focus;
}

static void
sign_in_finish_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(StompyStompyAccountSection) self = user_data;
  StompyApiClient *client = STOMPY_API_CLIENT (source);
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = stompy_api_client_sign_in_finish (client, result, &error);
  self->signing_in = FALSE;

  if (session == NULL)
    {
      GtkWidget *focus = NULL;

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Sign-in failed: %s", error->message);
          focus = show_sign_in_error (self, error);
        }

      /* The rows are editable again only now: focus after. */
      update_widgets (self);
      if (focus != NULL)
        gtk_widget_grab_focus (focus);
      return;
    }

  set_signed_in (self, session->user_name, session->user_email, session->organization_name);

  self->saving_token = TRUE;
  stompy_secret_store_save_token_async (stompy_api_client_get_base_url (client),
                                        session->user_email,
                                        session->token,
                                        stompy_section_get_cancellable (STOMPY_SECTION (self)),
                                        save_token_cb,
                                        g_object_ref (self));
}

/* Checks a typed field before any request; FALSE (with the row marked) when invalid. */
static gboolean
check_field (StompyStompyAccountSection *self,
             AdwEntryRow                *row,
             const char                 *name,
             StompyInvalidReason         reason)
{
  g_autofree char *message = NULL;

  if (reason == STOMPY_INVALID_NONE)
    return TRUE;

  message = stompy_field_message (name, stompy_invalid_reason_sentence (reason));
  stompy_form_set_field_error (row, message);
  stompy_form_show_message (self->error_label, message);
  gtk_widget_grab_focus (GTK_WIDGET (row));
  update_widgets (self);
  return FALSE;
}

static void
sign_in_cb (StompyStompyAccountSection *self)
{
  StompyApiClient *client = stompy_application_get_api_client (self->application);
  StompyInvalidReason reason = STOMPY_INVALID_NONE;
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->signed_in || self->signing_in || client == NULL)
    return;

  self->session_failed = FALSE;
  field_changed_cb (self);

  stompy_validate_email (email, &reason, NULL);
  if (!check_field (self, self->email_row, _("Email"), reason)
      || !check_field (self, self->password_row, _("Password"),
                       *password == '\0' ? STOMPY_INVALID_EMPTY : STOMPY_INVALID_NONE))
    return;

  stompy_form_show_message (self->error_label, NULL);
  self->signing_in = TRUE;
  update_widgets (self);

  stompy_api_client_sign_in_async (client, email, password,
                                   stompy_section_renew_cancellable (STOMPY_SECTION (self)),
                                   sign_in_finish_cb, g_object_ref (self));
}

static void
sign_out_finish_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(StompyStompyAccountSection) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The client forgets its token whatever the answer; so does the keyring. */
  if (!stompy_api_client_sign_out_finish (STOMPY_API_CLIENT (source), result, &error))
    g_debug ("Sign-out request failed: %s", error->message);

  clear_stored_token (self);
  self->signing_out = FALSE;
  set_signed_out (self);
}

static void
sign_out_cb (StompyStompyAccountSection *self)
{
  StompyApiClient *client = stompy_application_get_api_client (self->application);

  if (!self->signed_in || self->signing_out || client == NULL)
    return;

  self->signing_out = TRUE;
  update_widgets (self);

  stompy_section_renew_cancellable (STOMPY_SECTION (self));

  /* Not cancellable: the server must hear of it even if the user goes on. */
  stompy_api_client_sign_out_async (client, NULL, sign_out_finish_cb, g_object_ref (self));
}

static void
list_accounts_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(StompyStompyAccountSection) self = user_data;
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
      update_widgets (self);
      return;
    }

  if (stompy_api_error_is_auth_expired (error))
    {
      stompy_api_client_set_token (client, NULL);
      clear_stored_token (self);
      if (self->user_email != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->email_row), self->user_email);
      stompy_form_show_message (self->error_label, _("Your Stompy session has expired. Sign in again."));
      update_widgets (self);
      return;
    }

  {
    g_autofree char *message = stompy_error_message_for (error);

    g_debug ("Could not check the stored session: %s", error->message);
    self->session_failed = TRUE;
    stompy_form_show_message (self->error_label, message);
    update_widgets (self);
  }
}

static void
lookup_token_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(StompyStompyAccountSection) self = user_data;
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
      update_widgets (self);
      return;
    }

  g_free (self->user_email);
  self->user_email = g_steal_pointer (&email);
  stompy_api_client_set_token (client, token);
  stompy_secret_free (token);

  stompy_api_client_list_accounts_async (client,
                                         stompy_section_get_cancellable (STOMPY_SECTION (self)),
                                         list_accounts_cb, g_object_ref (self));
}

static void
check_session (StompyStompyAccountSection *self)
{
  StompyApiClient *client = stompy_application_get_api_client (self->application);
  GCancellable *cancellable;

  if (client == NULL)
    {
      g_autofree char *message =
        stompy_error_message_for (stompy_application_get_api_error (self->application));

      self->checking_session = FALSE;
      stompy_form_show_message (self->error_label, message);
      update_widgets (self);
      return;
    }

  self->checking_session = TRUE;
  self->session_failed = FALSE;
  stompy_form_show_message (self->error_label, NULL);
  update_widgets (self);

  cancellable = stompy_section_renew_cancellable (STOMPY_SECTION (self));

  if (stompy_api_client_get_token (client) != NULL)
    stompy_api_client_list_accounts_async (client, cancellable,
                                           list_accounts_cb, g_object_ref (self));
  else
    stompy_secret_store_lookup_token_async (stompy_api_client_get_base_url (client),
                                            cancellable,
                                            lookup_token_cb, g_object_ref (self));
}

static void
retry_cb (StompyStompyAccountSection *self)
{
  self->session_failed = FALSE;

  /* A failed check of a stored token repeats the check; a failed sign-in repeats it. */
  if (stompy_api_client_get_token (stompy_application_get_api_client (self->application)) != NULL)
    check_session (self);
  else
    sign_in_cb (self);
}

static gboolean
sign_up_cb (StompyStompyAccountSection *self)
{
  stompy_open_uri (GTK_WIDGET (self), STOMPY_SIGN_UP_URL);
  return TRUE;
}

/* Shows the model's email in the form, unless someone is signed in. */
static void
restore_from_model (StompyStompyAccountSection *self)
{
  const char *email = stompy_onboarding_get_stompy_email (self->model);

  if (!self->signed_in && email != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
}

static void
stompy_stompy_account_section_constructed (GObject *object)
{
  StompyStompyAccountSection *self = STOMPY_STOMPY_ACCOUNT_SECTION (object);

  G_OBJECT_CLASS (stompy_stompy_account_section_parent_class)->constructed (object);

  self->application = stompy_section_get_application (STOMPY_SECTION (self));
  self->model = stompy_section_get_model (STOMPY_SECTION (self));

  gtk_link_button_set_uri (self->sign_up_button, STOMPY_SIGN_UP_URL);
  restore_from_model (self);
  update_widgets (self);
}

static void
stompy_stompy_account_section_dispose (GObject *object)
{
  StompyStompyAccountSection *self = STOMPY_STOMPY_ACCOUNT_SECTION (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_STOMPY_ACCOUNT_SECTION);
  self->application = NULL;
  self->model = NULL;

  G_OBJECT_CLASS (stompy_stompy_account_section_parent_class)->dispose (object);
}

static void
stompy_stompy_account_section_finalize (GObject *object)
{
  StompyStompyAccountSection *self = STOMPY_STOMPY_ACCOUNT_SECTION (object);

  g_free (self->user_name);
  g_free (self->user_email);
  g_free (self->organization_name);

  G_OBJECT_CLASS (stompy_stompy_account_section_parent_class)->finalize (object);
}

static void
stompy_stompy_account_section_class_init (StompyStompyAccountSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stompy_stompy_account_section_constructed;
  object_class->dispose = stompy_stompy_account_section_dispose;
  object_class->finalize = stompy_stompy_account_section_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-stompy-account-section.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, StompyStompyAccountSection, name)
  BIND (email_row);
  BIND (password_row);
  BIND (signed_in_row);
  BIND (sign_out_button);
  BIND (error_label);
  BIND (actions);
  BIND (sign_in_button);
  BIND (retry_button);
  BIND (spinner);
  BIND (sign_up_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_up_cb);
}

static void
stompy_stompy_account_section_init (StompyStompyAccountSection *self)
{
  /* Until start() has looked up a stored token, the session is unknown. */
  self->checking_session = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
stompy_stompy_account_section_new (StompyApplication *application)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);

  return g_object_new (STOMPY_TYPE_STOMPY_ACCOUNT_SECTION, "application", application, NULL);
}

void
stompy_stompy_account_section_start (StompyStompyAccountSection *self)
{
  g_return_if_fail (STOMPY_IS_STOMPY_ACCOUNT_SECTION (self));

  check_session (self);
}

void
stompy_stompy_account_section_cancel (StompyStompyAccountSection *self)
{
  g_return_if_fail (STOMPY_IS_STOMPY_ACCOUNT_SECTION (self));

  if (self->signing_in || self->checking_session)
    stompy_section_stop (STOMPY_SECTION (self));
}

void
stompy_stompy_account_section_reset (StompyStompyAccountSection *self)
{
  g_return_if_fail (STOMPY_IS_STOMPY_ACCOUNT_SECTION (self));

  /* Starting over forgets the wizard's progress, not the Stompy session. */
  if (self->signed_in)
    stompy_onboarding_set_stompy_account (self->model, self->user_email, self->organization_name);

  restore_from_model (self);
}

gboolean
stompy_stompy_account_section_get_signed_in (StompyStompyAccountSection *self)
{
  g_return_val_if_fail (STOMPY_IS_STOMPY_ACCOUNT_SECTION (self), FALSE);

  return stompy_section_get_ready (STOMPY_SECTION (self));
}
