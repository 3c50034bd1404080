/* test-preferences.c — the Preferences window, driven through its widgets
 *
 * Runs under Xvfb with GSETTINGS_BACKEND=memory and the schema compiled in
 * build/data: what is typed or chosen must reach the io.stompy.Connect
 * settings only when the app would accept it.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "stompy-application.h"
#include "stompy-preferences-window.h"
#include "stompy-regions.h"

#define SPIN_TIMEOUT_US (10 * G_USEC_PER_SEC)

/* Spins the main context until @cond holds; fails the test after the timeout. */
#define SPIN_UNTIL(cond) \
  G_STMT_START { \
    gint64 spin_deadline = g_get_monotonic_time () + SPIN_TIMEOUT_US; \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > spin_deadline) \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond); \
        g_main_context_iteration (NULL, FALSE); \
        if (!(cond)) \
          g_usleep (1000); \
      } \
  } G_STMT_END

typedef struct {
  GSettings               *settings;
  StompyPreferencesWindow *window;
  gboolean                 finalized;
} Fixture;

static void
window_finalized_cb (gpointer  data,
                     GObject  *where_the_object_was)
{
  ((Fixture *) data)->finalized = TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->settings = g_settings_new (APP_ID);
  /* The memory backend keeps values for the whole process. */
  g_settings_reset (fixture->settings, "api-url");
  g_settings_reset (fixture->settings, "default-region");

  fixture->window = STOMPY_PREFERENCES_WINDOW (stompy_preferences_window_new (NULL, fixture->settings));
  g_object_weak_ref (G_OBJECT (fixture->window), window_finalized_cb, fixture);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* Every test checks that the window goes away with nothing keeping it. */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  SPIN_UNTIL (fixture->finalized);
  g_clear_object (&fixture->settings);
}

/* Saves @widget as NAME.png in $STOMPY_SCREENSHOT_DIR, for a person to look at. */
static void
maybe_screenshot (gpointer    widget,
                  const char *name)
{
  const char *dir = g_getenv ("STOMPY_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL || *dir == '\0')
    return;

  /* Let the window lay out and draw first. */
  for (guint i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }

  width = gtk_widget_get_width (GTK_WIDGET (widget));
  height = gtk_widget_get_height (GTK_WIDGET (widget));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (widget));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Types @text one character at a time at the end, as a keyboard would. */
static void
type_text (gpointer    editable,
           const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      int position = -1;
      int length = (int) (g_utf8_next_char (p) - p);

      gtk_editable_insert_text (GTK_EDITABLE (editable), p, length, &position);
    }
}

static void
clear_text (gpointer editable)
{
  gtk_editable_delete_text (GTK_EDITABLE (editable), 0, -1);
}

static char *
setting (Fixture    *fixture,
         const char *key)
{
  return g_settings_get_string (fixture->settings, key);
}

static gboolean
message_shown (Fixture *fixture)
{
  GtkLabel *label = stompy_preferences_window_get_api_url_message (fixture->window);

  return gtk_widget_get_visible (GTK_WIDGET (label)) && *gtk_label_get_text (label) != '\0';
}

static gboolean
row_in_error (Fixture *fixture)
{
  return gtk_widget_has_css_class (GTK_WIDGET (stompy_preferences_window_get_api_url_row (fixture->window)),
                                   "error");
}

/* ------------------------------------------------------------------ API URL */

static void
test_https_written (Fixture       *fixture,
                    gconstpointer  user_data)
{
  AdwEntryRow *row = stompy_preferences_window_get_api_url_row (fixture->window);
  g_autofree char *value = NULL;

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");

  type_text (row, "https://api.staging.example.com/v1");
  SPIN_UNTIL (!g_main_context_pending (NULL));

  value = setting (fixture, "api-url");
  g_assert_cmpstr (value, ==, "https://api.staging.example.com/v1");
  g_assert_false (message_shown (fixture));
  g_assert_false (row_in_error (fixture));
  /* The caret stays where the user types: the setting's echo does not reset the text. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "https://api.staging.example.com/v1");
}

static void
test_insecure_refused (Fixture       *fixture,
                       gconstpointer  user_data)
{
  AdwEntryRow *row = stompy_preferences_window_get_api_url_row (fixture->window);
  GtkLabel *message = stompy_preferences_window_get_api_url_message (fixture->window);
  g_autofree char *value = NULL;

  g_settings_set_string (fixture->settings, "api-url", "https://api.stompy.example/v1");
  SPIN_UNTIL (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), "https://api.stompy.example/v1") == 0);

  clear_text (row);
  type_text (row, "http://example.com");
  SPIN_UNTIL (!g_main_context_pending (NULL));

  g_assert_true (message_shown (fixture));
  g_assert_true (row_in_error (fixture));
  maybe_screenshot (fixture->window, "preferences-insecure");
  g_assert_nonnull (strstr (gtk_label_get_text (message), "https://"));
  g_assert_nonnull (strstr (gtk_label_get_text (message), "127.0.0.1"));

  /* Clearing the field wrote '' (production) on the way; the insecure address never. */
  value = setting (fixture, "api-url");
  g_assert_cmpstr (value, !=, "http://example.com");
  g_assert_false (g_str_has_prefix (value, "http://"));

  /* Not an address at all: another reason, still not written. */
  clear_text (row);
  type_text (row, "stompy");
  g_assert_true (message_shown (fixture));
  g_clear_pointer (&value, g_free);
  value = setting (fixture, "api-url");
  g_assert_cmpstr (value, ==, "");

  /* Fixing it takes the error away. */
  clear_text (row);
  g_assert_false (message_shown (fixture));
  g_assert_false (row_in_error (fixture));
}

static void
test_loopback_http_written (Fixture       *fixture,
                            gconstpointer  user_data)
{
  AdwEntryRow *row = stompy_preferences_window_get_api_url_row (fixture->window);
  g_autofree char *value = NULL;

  type_text (row, "http://127.0.0.1:8080/v1");
  SPIN_UNTIL (!g_main_context_pending (NULL));

  value = setting (fixture, "api-url");
  g_assert_cmpstr (value, ==, "http://127.0.0.1:8080/v1");
  g_assert_false (message_shown (fixture));
}

static void
test_empty_written (Fixture       *fixture,
                    gconstpointer  user_data)
{
  AdwEntryRow *row = stompy_preferences_window_get_api_url_row (fixture->window);
  g_autofree char *value = NULL;

  type_text (row, "https://api.example.com");
  value = setting (fixture, "api-url");
  g_assert_cmpstr (value, ==, "https://api.example.com");

  /* Emptying the field goes back to production. */
  clear_text (row);
  g_clear_pointer (&value, g_free);
  value = setting (fixture, "api-url");
  g_assert_cmpstr (value, ==, "");
  g_assert_false (message_shown (fixture));
}

static void
test_setting_shown (Fixture       *fixture,
                    gconstpointer  user_data)
{
  AdwEntryRow *row = stompy_preferences_window_get_api_url_row (fixture->window);

  /* A change made elsewhere (gsettings set) shows in an open window. */
  g_settings_set_string (fixture->settings, "api-url", "https://elsewhere.example/v1");
  SPIN_UNTIL (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), "https://elsewhere.example/v1") == 0);
}

static void
test_override_note (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  StompyPreferencesWindow *window;
  GtkLabel *label;

  g_setenv ("STOMPY_API_URL", "http://127.0.0.1:9/v1", TRUE);
  window = STOMPY_PREFERENCES_WINDOW (stompy_preferences_window_new (NULL, settings));
  label = stompy_preferences_window_get_override_label (window);
  gtk_window_present (GTK_WINDOW (window));
  maybe_screenshot (window, "preferences-override");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_nonnull (strstr (gtk_label_get_text (label), "STOMPY_API_URL"));
  g_assert_nonnull (strstr (gtk_label_get_text (label), "http://127.0.0.1:9/v1"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Empty variables count as unset. */
  g_setenv ("STOMPY_API_URL", "", TRUE);
  window = STOMPY_PREFERENCES_WINDOW (stompy_preferences_window_new (NULL, settings));
  label = stompy_preferences_window_get_override_label (window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (label)));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("STOMPY_API_URL");
}

/* ------------------------------------------------------------------ region */

static void
test_region_written (Fixture       *fixture,
                     gconstpointer  user_data)
{
  AdwComboRow *row = stompy_preferences_window_get_region_row (fixture->window);
  int oregon = stompy_regions_find ("us-west-2");
  g_autofree char *value = NULL;

  g_assert_cmpint (oregon, >, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, (guint) stompy_regions_find ("ap-southeast-1"));

  adw_combo_row_set_selected (row, (guint) oregon);
  value = setting (fixture, "default-region");
  g_assert_cmpstr (value, ==, "us-west-2");

  /* And a change from elsewhere selects it. */
  g_settings_set_string (fixture->settings, "default-region", "eu-central-1");
  SPIN_UNTIL (adw_combo_row_get_selected (row) == (guint) stompy_regions_find ("eu-central-1"));
}

static void
test_region_unknown_kept (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *value = NULL;
  StompyPreferencesWindow *window;
  AdwComboRow *row;

  /* A region set by hand that the list does not offer is shown, not replaced. */
  g_settings_set_string (settings, "default-region", "me-central-1");
  window = STOMPY_PREFERENCES_WINDOW (stompy_preferences_window_new (NULL, settings));
  row = stompy_preferences_window_get_region_row (window);
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, stompy_regions_get_n_items ());
  value = g_settings_get_string (settings, "default-region");
  g_assert_cmpstr (value, ==, "me-central-1");
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "default-region");
}

/* ------------------------------------------------------------------ application */

static void
test_app_action (void)
{
  g_autoptr(StompyApplication) app = stompy_application_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = NULL;
  GAction *action;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (stompy_application_get_settings (app));

  action = g_action_map_lookup_action (G_ACTION_MAP (app), "preferences");
  g_assert_nonnull (action);
  g_assert_true (g_action_get_enabled (action));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>comma"));

  g_action_activate (action, NULL);
  SPIN_UNTIL (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL);
  g_assert_true (STOMPY_IS_PREFERENCES_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data));
  gtk_window_destroy (GTK_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data));
  SPIN_UNTIL (gtk_application_get_windows (GTK_APPLICATION (app)) == NULL);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/preferences/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("api-url/https-written", test_https_written);
  ADD ("api-url/insecure-shows-reason-not-written", test_insecure_refused);
  ADD ("api-url/loopback-http-written", test_loopback_http_written);
  ADD ("api-url/empty-means-production", test_empty_written);
  ADD ("api-url/external-change-shown", test_setting_shown);
  ADD ("region/choice-written", test_region_written);
  g_test_add_func ("/preferences/api-url/env-override-noted", test_override_note);
  g_test_add_func ("/preferences/region/unknown-kept", test_region_unknown_kept);
  g_test_add_func ("/preferences/app/action-opens-window", test_app_action);

#undef ADD

  return g_test_run ();
}
