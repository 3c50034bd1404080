/* stompy-open-uri.h — opening web pages without handing secrets to the browser
 *
 * Every page the app opens (the AWS console, quick-create links, sign-up) goes
 * through here rather than gtk_show_uri(): the browser, or whatever handles
 * https:// on the desktop, is a child process and would otherwise inherit the
 * app's environment, where AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN may be
 * (the "environment" credential source). Inside Flatpak, GLib uses the OpenURI
 * portal instead and no environment is passed at all.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The environment variables that may hold a secret, NULL-terminated. */
const char * const *stompy_secret_environment_variables (void);

/* Removes every stompy_secret_environment_variables() entry from the
 * environment @context gives to the processes it launches. */
void      stompy_launch_context_scrub       (GAppLaunchContext *context);

/* Opens @uri in the default handler, launched on @widget's display with a
 * scrubbed environment. Failures are logged (there is nothing to retry). */
void      stompy_open_uri                   (GtkWidget         *widget,
                                             const char        *uri);

/* An "activate-link" handler for GtkLinkButton: opens its URI with
 * stompy_open_uri() and returns TRUE so that GTK does not open it again. */
gboolean  stompy_open_uri_link_button_cb    (GtkLinkButton     *button,
                                             gpointer           user_data);

/* An "activate-link" handler for widgets whose signal passes the URI
 * (AdwAboutWindow, GtkLabel): opens it with stompy_open_uri(), returns TRUE. */
gboolean  stompy_open_uri_activate_link_cb  (GtkWidget         *widget,
                                             const char        *uri,
                                             gpointer           user_data);

G_END_DECLS
