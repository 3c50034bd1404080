/* main.c — locale setup, then the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "stompy-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StompyApplication) app = NULL;
  const char *localedir = g_getenv ("STOMPY_LOCALEDIR");

  /* Uninstalled runs and the tests point STOMPY_LOCALEDIR at the build's
   * compiled catalogues. */
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = stompy_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
