/* stompy-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-application.h"
#include "stompy-error-messages.h"
#include "stompy-http.h"
#include "stompy-open-uri.h"
#include "stompy-preferences-window.h"
#include "stompy-window.h"

struct _StompyApplication
{
  AdwApplication      parent_instance;

  StompyOnboarding   *model;
  GError             *load_error;
  GSettings          *settings;
  SoupSession        *session;
  StompyApiClient    *api_client;
  GError             *api_error;
  StompyAwsClient    *aws_client;
  StompyStatusPoller *status_poller;
};

G_DEFINE_FINAL_TYPE (StompyApplication, stompy_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_AWS_CLIENT,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static GSettings *
create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  /* An uninstalled run without GSETTINGS_SCHEMA_DIR still works, with the
   * defaults and without remembering the window size. */
  if (schema == NULL)
    {
      g_message ("The GSettings schema %s is not installed; settings are not kept", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
stompy_application_startup (GApplication *application)
{
  StompyApplication *self = STOMPY_APPLICATION (application);
  g_autofree char *api_url_setting = NULL;
  g_autofree char *base_url = NULL;
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *help_overlay_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (stompy_application_parent_class)->startup (application);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  /* GtkApplication sets this one itself only for a gtk/help-overlay.ui resource. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_overlay_accels);

  self->settings = create_settings ();
  /* Without the schema there is nothing to edit. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "preferences")),
                               self->settings != NULL);

  /* The one synchronous file read before the first frame: the state file is
   * small, and the window must open on the step the user left. */
  self->model = stompy_onboarding_new (NULL);
  if (!stompy_onboarding_load (self->model, &self->load_error))
    g_message ("State file: %s", self->load_error->message);

  /* Made now so that every widget finds it; it asks nothing before start(). */
  self->status_poller = stompy_status_poller_new (self->model, self->aws_client);

  self->session = stompy_http_session_new ();

  if (self->settings != NULL)
    api_url_setting = g_settings_get_string (self->settings, "api-url");
  base_url = stompy_api_resolve_base_url (NULL, api_url_setting);
  self->api_client = stompy_api_client_new (self->session, base_url, &self->api_error);
  if (self->api_client == NULL)
    g_message ("Stompy API URL %s refused: %s", base_url, self->api_error->message);
}

/* The keyboard shortcuts window (win.show-help-overlay, Ctrl+?), built
 * after the first frame since nobody needs it before. */
static void
set_help_overlay (GtkWindow *window)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;

  if (!GTK_IS_APPLICATION_WINDOW (window)
      || gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) != NULL)
    return;

  builder = gtk_builder_new_from_resource ("/io/stompy/Connect/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (window),
                                           GTK_SHORTCUTS_WINDOW (overlay));
}

/* Keyring lookups, the network and the status poller start once the first
 * frame is on screen, from an idle so that none of it runs inside the frame.
 * The idle has the default priority: a lower one would wait behind every
 * frame while an animation (the session check's spinner) runs. */
static gboolean
first_frame_drawn_idle_cb (gpointer user_data)
{
  GtkWindow *window = user_data;
  GtkApplication *application = gtk_window_get_application (window);

  /* Closed before its first frame: nothing to start. */
  if (application == NULL)
    return G_SOURCE_REMOVE;

  stompy_window_start (STOMPY_WINDOW (window));
  stompy_status_poller_start (STOMPY_APPLICATION (application)->status_poller);
  set_help_overlay (window);

  return G_SOURCE_REMOVE;
}

static void
first_frame_drawn_cb (GdkFrameClock *frame_clock,
                      GtkWindow     *window)
{
  g_signal_handlers_disconnect_by_func (frame_clock, first_frame_drawn_cb, window);
  g_idle_add_full (G_PRIORITY_DEFAULT, first_frame_drawn_idle_cb, g_object_ref (window),
                   g_object_unref);
}

static void
stompy_application_activate (GApplication *application)
{
  StompyApplication *self = STOMPY_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GdkFrameClock *frame_clock;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (stompy_window_new (self));
  gtk_window_present (window);

  /* Presenting realizes the window, so it has its frame clock now; a mapped
   * window always draws a first frame. */
  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (frame_clock != NULL)
    {
      g_signal_connect_object (frame_clock, "after-paint", G_CALLBACK (first_frame_drawn_cb),
                               window, 0);
    }
  else
    {
      stompy_window_start (STOMPY_WINDOW (window));
      stompy_status_poller_start (self->status_poller);
      set_help_overlay (window);
    }

  if (self->load_error != NULL)
    {
      g_autofree char *message = stompy_error_message_for (self->load_error);

      stompy_window_add_toast (STOMPY_WINDOW (window), message);
    }
  if (self->api_error != NULL)
    {
      g_autofree char *message = stompy_error_message_for (self->api_error);

      stompy_window_add_toast (STOMPY_WINDOW (window), message);
    }
}

static void
stompy_application_shutdown (GApplication *application)
{
  StompyApplication *self = STOMPY_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  if (self->status_poller != NULL)
    stompy_status_poller_stop (self->status_poller);

  /* Autosave runs from an idle that will not come again: write now. */
  if (self->model != NULL && !stompy_onboarding_save (self->model, &error))
    g_message ("Could not save the state file: %s", error->message);

  G_APPLICATION_CLASS (stompy_application_parent_class)->shutdown (application);
}

static void
stompy_application_finalize (GObject *object)
{
  StompyApplication *self = STOMPY_APPLICATION (object);

  g_clear_object (&self->status_poller);
  g_clear_object (&self->aws_client);
  g_clear_object (&self->api_client);
  g_clear_error (&self->api_error);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->model);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (stompy_application_parent_class)->finalize (object);
}

static void
stompy_application_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StompyApplication *self = STOMPY_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_AWS_CLIENT:
      g_value_set_object (value, self->aws_client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_application_class_init (StompyApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = stompy_application_finalize;
  object_class->get_property = stompy_application_get_property;

  app_class->startup = stompy_application_startup;
  app_class->activate = stompy_application_activate;
  app_class->shutdown = stompy_application_shutdown;

  properties[PROP_AWS_CLIENT] =
    g_param_spec_object ("aws-client", NULL, NULL, STOMPY_TYPE_AWS_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  StompyApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "Stompy https://stompy.io", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Stompy Connect"),
                        "developer-name", "Stompy",
                        "version", PACKAGE_VERSION,
                        "website", "https://stompy.io",
                        /* As the metainfo's bugtracker URL. */
                        "issue-url", "https://github.com/stompy-io/stompy-connect/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2024 Stompy",
                        "developers", developers,
                        /* Translators: put your name and email here, one translator a line. */
                        "translator-credits", _("translator-credits"),
                        "comments", _("Connects your AWS account to Stompy, the cloud cost optimization service."),
                        NULL);
  /* Its links open without the secrets of this process's environment. */
  g_signal_connect (about, "activate-link", G_CALLBACK (stompy_open_uri_activate_link_cb), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  StompyApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences;

  g_return_if_fail (self->settings != NULL);

  preferences = stompy_preferences_window_new (parent, self->settings);
  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  StompyApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing the windows (rather than g_application_quit) lets each one save
   * its size and cancel what it is doing. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action_cb },
  { "preferences", preferences_action_cb },
  { "quit", quit_action_cb },
};

static void
stompy_application_init (StompyApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}

StompyApplication *
stompy_application_new (void)
{
  return g_object_new (STOMPY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/stompy/Connect",
                       NULL);
}

StompyOnboarding *
stompy_application_get_model (StompyApplication *self)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (self), NULL);

  return self->model;
}

GSettings *
stompy_application_get_settings (StompyApplication *self)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (self), NULL);

  return self->settings;
}

SoupSession *
stompy_application_get_session (StompyApplication *self)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (self), NULL);

  return self->session;
}

StompyApiClient *
stompy_application_get_api_client (StompyApplication *self)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (self), NULL);

  return self->api_client;
}

const GError *
stompy_application_get_api_error (StompyApplication *self)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (self), NULL);

  return self->api_error;
}

StompyAwsClient *
stompy_application_get_aws_client (StompyApplication *self)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (self), NULL);

  return self->aws_client;
}

void
stompy_application_set_aws_client (StompyApplication *self,
                                   StompyAwsClient   *client)
{
  g_return_if_fail (STOMPY_IS_APPLICATION (self));
  g_return_if_fail (client == NULL || STOMPY_IS_AWS_CLIENT (client));

  if (!g_set_object (&self->aws_client, client))
    return;

  /* Before the notification, so that its listeners find the poller on the new client. */
  if (self->status_poller != NULL)
    stompy_status_poller_set_client (self->status_poller, client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AWS_CLIENT]);
}

StompyStatusPoller *
stompy_application_get_status_poller (StompyApplication *self)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (self), NULL);

  return self->status_poller;
}

char *
stompy_application_dup_default_region (StompyApplication *self)
{
  g_autofree char *region = NULL;

  g_return_val_if_fail (STOMPY_IS_APPLICATION (self), NULL);

  if (self->settings != NULL)
    region = g_settings_get_string (self->settings, "default-region");

  if (region == NULL || *region == '\0')
    return g_strdup ("ap-southeast-1");

  return g_steal_pointer (&region);
}
