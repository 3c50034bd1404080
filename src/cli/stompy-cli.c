/* stompy-cli.c — stompy-connect-cli, the command-line front end
 *
 *   stompy-connect-cli login [--email EMAIL] [--password-stdin]
 *   stompy-connect-cli logout
 *   stompy-connect-cli identity [--profile NAME] [--json]
 *   stompy-connect-cli cur list [--json]
 *   stompy-connect-cli cur create --report NAME --bucket NAME [--prefix P] [--data-export] --yes
 *   stompy-connect-cli stack create analysaver|spotainer --acknowledge-iam [--no-wait]
 *   stompy-connect-cli stack status NAME [--json]
 *   stompy-connect-cli stack delete NAME
 *   stompy-connect-cli connect [--answers FILE] [--analysaver] [--spotainer] … [--json] [--dry-run]
 *   stompy-connect-cli status [--json]
 *
 * Exit codes: 0 success, 1 failure, 2 bad usage (130 when interrupted).
 *
 * The same core the app uses does the work, and the same state file records
 * what was decided; each command group has its file (stompy-cli-session.c,
 * -identity.c, -cur.c, -stack.c), and stompy-cli-common.c runs one
 * asynchronous call at a time in a GMainLoop and turns errors into
 * translated one-line messages.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "stompy-cli-common.h"

static const char *prgname = STOMPY_CLI_NAME;

/* --------------------------------------------------------------- main */

static const StompyCliCommand commands[] = {
  { "login", stompy_cli_run_login, N_("Sign in to Stompy and keep the session in the keyring") },
  { "logout", stompy_cli_run_logout, N_("Sign out of Stompy and remove the session") },
  { "identity", stompy_cli_run_identity, N_("Show the AWS account the credentials belong to") },
  { "cur", stompy_cli_run_cur, N_("List or create the Cost and Usage Report") },
  { "stack", stompy_cli_run_stack, N_("Create the products’ role stacks and show their status") },
  { "connect", stompy_cli_run_connect, N_("Run the whole flow and connect the AWS account to Stompy") },
  { "status", stompy_cli_run_status, N_("Show the bucket, report, stacks and Stompy’s checks") },
};

static void
print_usage (FILE *stream)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, _("Usage:\n  %s COMMAND [OPTION…]\n"), prgname);
  g_string_append (text, "\n");
  g_string_append (text, _("Connect an AWS account to Stompy from the command line."));
  g_string_append (text, "\n\n");
  g_string_append (text, _("Commands:"));
  g_string_append (text, "\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append (text, "\n");
  g_string_append (text, _("Options:"));
  g_string_append (text, "\n");
  g_string_append_printf (text, "  %-10s %s\n", "--help", _("Show this help"));
  g_string_append_printf (text, "  %-10s %s\n", "--version", _("Show the version"));
  g_string_append (text, "\n");
  /* TRANSLATORS: %s is the program name. */
  g_string_append_printf (text, _("Run “%s COMMAND --help” to see a command’s options."),
                          prgname);
  g_string_append (text, "\n");

  if (stream == stdout)
    g_print ("%s", text->str);
  else
    g_printerr ("%s", text->str);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir;
  const char *name;
  g_autofree char *subcommand = NULL;

  setlocale (LC_ALL, "");
  /* STOMPY_LOCALEDIR lets the tests and uninstalled runs use the build's
   * translations. */
  localedir = g_getenv ("STOMPY_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname (prgname);
  g_set_application_name (_("Stompy Connect"));

  if (argc < 2)
    {
      print_usage (stderr);
      return STOMPY_CLI_EXIT_USAGE;
    }

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help")
      || g_str_equal (name, "-?"))
    {
      print_usage (stdout);
      return STOMPY_CLI_EXIT_OK;
    }
  if (g_str_equal (name, "--version"))
    {
      g_print ("%s %s\n", prgname, PACKAGE_VERSION);
      return STOMPY_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (name, commands[i].name))
        {
          /* Each command parses its own options, seeing itself as argv[0] so
           * that its --help reads "stompy-connect-cli login [OPTION…]". */
          subcommand = g_strdup_printf ("%s %s", prgname, name);
          argv[1] = subcommand;
          g_set_prgname (subcommand);
          return commands[i].run (argc - 1, argv + 1);
        }
    }

  {
    g_autofree char *message = NULL;

    if (name[0] == '-')
      /* TRANSLATORS: %s is an option the user typed. */
      message = g_strdup_printf (_("Unknown option “%s”"), name);
    else
      /* TRANSLATORS: %s is a command the user typed. */
      message = g_strdup_printf (_("Unknown command “%s”"), name);
    return stompy_cli_usage_error (NULL, message);
  }
}
