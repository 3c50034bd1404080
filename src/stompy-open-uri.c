/* stompy-open-uri.c — opening web pages without handing secrets to the browser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "stompy-open-uri.h"

/* The AWS CLI's variables for a secret (AWS_SECURITY_TOKEN is the legacy name
 * of the session token, still read by the SDKs) and any Stompy token a script
 * might export. The access key id and the profile name are not secrets. */
static const char * const secret_variables[] = {
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "STOMPY_TOKEN",
  "STOMPY_API_TOKEN",
  NULL,
};

const char * const *
stompy_secret_environment_variables (void)
{
  return secret_variables;
}

void
stompy_launch_context_scrub (GAppLaunchContext *context)
{
  g_return_if_fail (G_IS_APP_LAUNCH_CONTEXT (context));

  for (guint i = 0; secret_variables[i] != NULL; i++)
    g_app_launch_context_unsetenv (context, secret_variables[i]);
}

static void
launched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree char *uri = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Could not open %s: %s", uri, error->message);
}

void
stompy_open_uri (GtkWidget  *widget,
                 const char *uri)
{
  g_autoptr(GAppLaunchContext) context = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (uri != NULL);

  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (widget)));
  stompy_launch_context_scrub (context);
  g_debug ("Opening %s", uri);
  g_app_info_launch_default_for_uri_async (uri, context, NULL, launched_cb, g_strdup (uri));
}

gboolean
stompy_open_uri_link_button_cb (GtkLinkButton *button,
                                gpointer       user_data)
{
  const char *uri = gtk_link_button_get_uri (button);

  if (uri == NULL || *uri == '\0')
    return FALSE;

  stompy_open_uri (GTK_WIDGET (button), uri);
  gtk_link_button_set_visited (button, TRUE);
  return TRUE;
}

gboolean
stompy_open_uri_activate_link_cb (GtkWidget  *widget,
                                  const char *uri,
                                  gpointer    user_data)
{
  if (uri == NULL || *uri == '\0')
    return FALSE;

  stompy_open_uri (widget, uri);
  return TRUE;
}
