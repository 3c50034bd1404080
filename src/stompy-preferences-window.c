/* stompy-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API address is written as it is typed, but only while it is one the app
 * will accept (or empty, for production): an address the next start would
 * refuse never reaches the setting. The app reads it once at startup, because
 * the Stompy session token belongs to one address.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-error.h"
#include "stompy-form.h"
#include "stompy-http.h"
#include "stompy-preferences-window.h"
#include "stompy-regions.h"

struct _StompyPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  /* A default-region value the shared list does not offer, kept as the
   * combo's last item so that opening the window does not change it. */
  char                 *extra_region;
  /* Set while the widgets are filled from the settings, so that filling
   * does not write back. */
  gboolean              filling;

  AdwEntryRow          *api_url_row;
  GtkLabel             *api_url_message;
  GtkLabel             *override_label;
  AdwComboRow          *region_row;
};

G_DEFINE_FINAL_TYPE (StompyPreferencesWindow, stompy_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* ------------------------------------------------------------------ API URL */

static const char *
endpoint_reason (const GError *error)
{
  if (g_error_matches (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT))
    return _("Use an https:// address. http:// is only allowed for this computer (localhost, 127.0.0.1 or ::1).");

  return _("Enter a full address that starts with https://, such as https://api.example.com/v1.");
}

static void
api_url_changed_cb (StompyPreferencesWindow *self)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  if (self->filling)
    return;

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->api_url_row))));

  if (*url != '\0' && !stompy_http_check_endpoint (url, &error))
    {
      stompy_form_set_row_error (self->api_url_row, TRUE);
      stompy_form_show_message (self->api_url_message, endpoint_reason (error));
      return;
    }

  stompy_form_set_row_error (self->api_url_row, FALSE);
  stompy_form_show_message (self->api_url_message, NULL);

  self->filling = TRUE;
  g_settings_set_string (self->settings, "api-url", url);
  self->filling = FALSE;
}

static void
api_url_setting_changed_cb (StompyPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "api-url");
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->api_url_row))));

  /* Our own write (the signal may come later, from an idle): the entry
   * already shows it, perhaps with spaces, and the caret must not move. */
  if (self->filling || g_strcmp0 (url, typed) == 0)
    return;

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), url);
  self->filling = FALSE;

  stompy_form_set_row_error (self->api_url_row, FALSE);
  stompy_form_show_message (self->api_url_message, NULL);
}

static void
update_override_label (StompyPreferencesWindow *self)
{
  const char *env_url = g_getenv ("STOMPY_API_URL");
  g_autofree char *text = NULL;

  /* Empty variables count as unset, as stompy_api_resolve_base_url() does. */
  if (env_url == NULL || *env_url == '\0')
    {
      stompy_form_show_message (self->override_label, NULL);
      return;
    }

  /* Translators: %s is a URL taken from the STOMPY_API_URL environment variable. */
  text = g_strdup_printf (_("The STOMPY_API_URL environment variable is set to “%s”, so that address is used instead of this one."),
                          env_url);
  stompy_form_show_message (self->override_label, text);
}

/* ------------------------------------------------------------------ region */

static const char *
row_region (StompyPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->region_row);
  const char *code = stompy_regions_get_code (selected);

  if (code != NULL)
    return code;
  if (self->extra_region != NULL && selected == stompy_regions_get_n_items ())
    return self->extra_region;

  return NULL;
}

static void
region_selected_cb (StompyPreferencesWindow *self)
{
  const char *code;

  if (self->filling || self->settings == NULL)
    return;

  code = row_region (self);
  if (code == NULL)
    return;

  self->filling = TRUE;
  g_settings_set_string (self->settings, "default-region", code);
  self->filling = FALSE;
}

static void
fill_region_row (StompyPreferencesWindow *self)
{
  g_autoptr(GtkStringList) model = stompy_regions_new_model ();
  g_autofree char *region = g_settings_get_string (self->settings, "default-region");
  int position;

  if (*region == '\0')
    {
      g_free (region);
      region = g_strdup (STOMPY_REGION_DEFAULT);
    }

  position = stompy_regions_find (region);
  if (position < 0)
    {
      g_free (self->extra_region);
      self->extra_region = g_steal_pointer (&region);
      gtk_string_list_append (model, self->extra_region);
      position = (int) stompy_regions_get_n_items ();
    }
  else
    {
      g_clear_pointer (&self->extra_region, g_free);
    }

  self->filling = TRUE;
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->region_row, (guint) position);
  self->filling = FALSE;
}

static void
region_setting_changed_cb (StompyPreferencesWindow *self)
{
  g_autofree char *region = g_settings_get_string (self->settings, "default-region");

  if (!self->filling && g_strcmp0 (region, row_region (self)) != 0)
    fill_region_row (self);
}

/* ------------------------------------------------------------------ GObject */

static void
stompy_preferences_window_dispose (GObject *object)
{
  StompyPreferencesWindow *self = STOMPY_PREFERENCES_WINDOW (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (stompy_preferences_window_parent_class)->dispose (object);
}

static void
stompy_preferences_window_finalize (GObject *object)
{
  StompyPreferencesWindow *self = STOMPY_PREFERENCES_WINDOW (object);

  g_free (self->extra_region);

  G_OBJECT_CLASS (stompy_preferences_window_parent_class)->finalize (object);
}

static void
stompy_preferences_window_class_init (StompyPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stompy_preferences_window_dispose;
  object_class->finalize = stompy_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StompyPreferencesWindow, api_url_row);
  gtk_widget_class_bind_template_child (widget_class, StompyPreferencesWindow, api_url_message);
  gtk_widget_class_bind_template_child (widget_class, StompyPreferencesWindow, override_label);
  gtk_widget_class_bind_template_child (widget_class, StompyPreferencesWindow, region_row);
  gtk_widget_class_bind_template_callback (widget_class, api_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, region_selected_cb);
}

static void
stompy_preferences_window_init (StompyPreferencesWindow *self)
{
  /* Until the settings are set, nothing typed may be written anywhere. */
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->filling = FALSE;
}

GtkWidget *
stompy_preferences_window_new (GtkWindow *parent,
                               GSettings *settings)
{
  StompyPreferencesWindow *self;
  g_autofree char *url = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (STOMPY_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->settings = g_object_ref (settings);

  url = g_settings_get_string (settings, "api-url");
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), url);
  self->filling = FALSE;
  update_override_label (self);
  fill_region_row (self);

  g_signal_connect_object (settings, "changed::api-url",
                           G_CALLBACK (api_url_setting_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::default-region",
                           G_CALLBACK (region_setting_changed_cb), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

AdwEntryRow *
stompy_preferences_window_get_api_url_row (StompyPreferencesWindow *self)
{
  g_return_val_if_fail (STOMPY_IS_PREFERENCES_WINDOW (self), NULL);

  return self->api_url_row;
}

GtkLabel *
stompy_preferences_window_get_api_url_message (StompyPreferencesWindow *self)
{
  g_return_val_if_fail (STOMPY_IS_PREFERENCES_WINDOW (self), NULL);

  return self->api_url_message;
}

GtkLabel *
stompy_preferences_window_get_override_label (StompyPreferencesWindow *self)
{
  g_return_val_if_fail (STOMPY_IS_PREFERENCES_WINDOW (self), NULL);

  return self->override_label;
}

AdwComboRow *
stompy_preferences_window_get_region_row (StompyPreferencesWindow *self)
{
  g_return_val_if_fail (STOMPY_IS_PREFERENCES_WINDOW (self), NULL);

  return self->region_row;
}
