/* stompy-test-ui.c — what the UI tests share */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "stompy-test-ui.h"

#include "stompy-secret-store.h"
#include "stompy-test-util.h"

void
stompy_test_ui_init (int    *argc,
                     char ***argv)
{
  const char *localedir = g_getenv ("STOMPY_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (argc, argv, NULL);
}

void
stompy_test_ui_shutdown (StompyApplication  **app,
                         StompyTestEmulator **emulator)
{
  if (*app != NULL)
    {
      g_application_quit (G_APPLICATION (*app));
      g_clear_object (app);
    }
  g_clear_pointer (emulator, stompy_test_emulator_stop);
}

void
stompy_test_point_at_emulator (StompyTestEmulator *emulator)
{
  g_setenv ("AWS_ENDPOINT_URL", stompy_test_emulator_get_url (emulator), TRUE);
  g_setenv ("STOMPY_API_URL", stompy_test_emulator_get_api_url (emulator), TRUE);
}

StompyApplication *
stompy_test_application_new (const char *application_id)
{
  g_autoptr(GError) error = NULL;
  StompyApplication *app = stompy_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (application_id != NULL)
    g_application_set_application_id (G_APPLICATION (app), application_id);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (stompy_application_get_model (app));
  g_assert_nonnull (stompy_application_get_api_client (app));

  return app;
}

void
stompy_test_click (gpointer button)
{
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

gboolean
stompy_test_has_cjk (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x4E00 && c <= 0x9FFF)
        return TRUE;
    }

  return FALSE;
}

gboolean
stompy_test_contains (const char *haystack,
                      const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

void
stompy_test_set_text (gpointer    editable,
                      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

gint64
stompy_test_creations (StompyTestEmulator *emulator,
                       const char         *kind)
{
  g_autoptr(JsonNode) stats = stompy_test_emulator_get_stats (emulator);
  JsonObject *created = json_object_get_object_member (json_node_get_object (stats), "creations");

  return created != NULL && json_object_has_member (created, kind)
         ? json_object_get_int_member (created, kind) : 0;
}

void
stompy_test_run_zh_cn_subprocess (const char *subprocess_path)
{
  const char *localedir = g_getenv ("STOMPY_LOCALEDIR");
  g_autofree char *mo = NULL;

  if (localedir == NULL || *localedir == '\0')
    {
      g_test_skip ("STOMPY_LOCALEDIR is not set");
      return;
    }

  mo = g_build_filename (localedir, "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("The Chinese translation is not built");
      return;
    }

  /* gettext reads LANGUAGE at each call: the child gets it, this process
   * goes back to English right after. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_test_trap_subprocess (subprocess_path, 180 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LANGUAGE");
  g_test_trap_assert_passed ();
}

const char *
stompy_test_screenshot_dir (void)
{
  const char *dir = g_getenv ("STOMPY_SCREENSHOT_DIR");

  return dir != NULL && *dir != '\0' ? dir : NULL;
}

void
stompy_test_let_draw (guint iterations)
{
  for (guint i = 0; i < iterations; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

gboolean
stompy_test_save_png (GtkWidget  *widget,
                      const char *path)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer;

  /* The whole widget, not only what its window shows of it. */
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return FALSE;
  /* The renderer of the window the widget is in (the widget itself, for a window). */
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));

  return TRUE;
}

void
stompy_test_reset_world (StompyApplication  *app,
                         StompyTestEmulator *emulator,
                         const char         *aws_key_id)
{
  StompyApiClient *client = stompy_application_get_api_client (app);
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "reset", "{}");
  GAsyncResult *result = NULL;

  stompy_onboarding_reset (stompy_application_get_model (app));
  stompy_application_set_aws_client (app, NULL);
  stompy_api_client_set_token (client, NULL);

  stompy_secret_store_clear_token_async (stompy_api_client_get_base_url (client), NULL,
                                         stompy_test_store_result_cb, &result);
  STOMPY_TEST_SPIN_UNTIL (result != NULL, 60 * G_USEC_PER_SEC);
  g_assert_true (stompy_secret_store_clear_token_finish (result, NULL));
  g_clear_object (&result);

  stompy_secret_store_clear_aws_async (aws_key_id, NULL, stompy_test_store_result_cb, &result);
  STOMPY_TEST_SPIN_UNTIL (result != NULL, 60 * G_USEC_PER_SEC);
  g_assert_true (stompy_secret_store_clear_aws_finish (result, NULL));
  g_clear_object (&result);
}
