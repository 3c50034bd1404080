/* stompy-test-ui.h — what the UI tests share
 *
 * Spinning the main context until a condition holds, reading what a widget
 * shows, the emulator's creation counts, the Chinese-translation subprocess,
 * and saving a widget as a PNG file for STOMPY_SCREENSHOT_DIR. Compiled into
 * each UI test (it needs GTK, which the shared support library does not).
 */
#pragma once

#include <gtk/gtk.h>

#include "stompy-application.h"
#include "stompy-test-emulator.h"

G_BEGIN_DECLS

/* Spins the default main context until @cond holds; fails the test after
 * @timeout_us microseconds, naming the condition and the line that waited. */
#define STOMPY_TEST_SPIN_UNTIL(cond, timeout_us) \
  G_STMT_START { \
    gint64 spin_deadline = g_get_monotonic_time () + (timeout_us); \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > spin_deadline) \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond); \
        g_main_context_iteration (NULL, FALSE); \
        if (!(cond)) \
          g_usleep (1000); \
      } \
  } G_STMT_END

/* Binds the translation domain (the build's catalogues when STOMPY_LOCALEDIR
 * is set) and initializes GTK for testing. */
void      stompy_test_ui_init                (int                 *argc,
                                              char              ***argv);
/* Quits and drops *@app and stops *@emulator, each if there is one. */
void      stompy_test_ui_shutdown            (StompyApplication  **app,
                                              StompyTestEmulator **emulator);

/* Points the AWS and Stompy clients at @emulator: before the application
 * exists, which reads AWS_ENDPOINT_URL and STOMPY_API_URL at startup. */
void      stompy_test_point_at_emulator      (StompyTestEmulator  *emulator);
/* A registered application that does not own the bus name (each test
 * process has its own instance), with @application_id unless NULL. */
StompyApplication *stompy_test_application_new (const char        *application_id);
/* What a click does, at once (gtk_widget_activate() animates a press first):
 * emits "clicked" on @button, which must be visible and sensitive. */
void      stompy_test_click                  (gpointer             button);

/* Whether @text (UTF-8, may be NULL) has a CJK unified ideograph in it. */
gboolean  stompy_test_has_cjk                (const char          *text);
/* Whether @haystack is not NULL and has @needle in it. */
gboolean  stompy_test_contains               (const char          *haystack,
                                              const char          *needle);
/* Sets the text of @editable (a GtkEditable) as typing would leave it. */
void      stompy_test_set_text               (gpointer             editable,
                                              const char          *text);
/* How many resources of @kind ("s3:bucket", …) @emulator has created. */
gint64    stompy_test_creations              (StompyTestEmulator  *emulator,
                                              const char          *kind);

/* Runs the test at @subprocess_path (which checks the Chinese translation)
 * with LANGUAGE=zh_CN and asserts that it passed; skips the test when the
 * build's zh_CN catalogue is not there. */
void      stompy_test_run_zh_cn_subprocess   (const char          *subprocess_path);

/* Every UI test's fresh start: @app's model reset (no saved progress), no AWS
 * client, no Stompy token in the client or the keyring, no remembered key
 * @aws_key_id, and @emulator back to its fixtures. */
void      stompy_test_reset_world            (StompyApplication   *app,
                                              StompyTestEmulator  *emulator,
                                              const char          *aws_key_id);

/* The directory STOMPY_SCREENSHOT_DIR names, or NULL when it is unset or empty. */
const char *stompy_test_screenshot_dir       (void);
/* Iterates the default main context @iterations times, 2 ms apart, so that a
 * window lays out and draws what changed before it is saved. */
void      stompy_test_let_draw               (guint                iterations);
/* Draws @widget at its allocated size and saves it as a PNG file at @path
 * (asserting that it was saved); FALSE when @widget drew nothing. */
gboolean  stompy_test_save_png               (GtkWidget           *widget,
                                              const char          *path);

G_END_DECLS
