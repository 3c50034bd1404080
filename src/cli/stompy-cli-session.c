/* stompy-cli-session.c — stompy-connect-cli login, logout
 *
 *   stompy-connect-cli login [--email EMAIL] [--password-stdin]
 *   stompy-connect-cli logout
 *
 * When signing in works but the keyring cannot keep the session (no Secret
 * Service, a locked collection), login still succeeds (exit 0) and warns on
 * standard error that the next command will ask to sign in again: the user
 * did sign in, and a script that only needed this one session should not fail.
 *
 * A password is never taken from the command line (argv is visible to every
 * user of the machine): it is read from standard input with --password-stdin,
 * or from the terminal without echo.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "stompy-api-client.h"
#include "stompy-http.h"
#include "stompy-secret-store.h"
#include "stompy-validate.h"
#include "stompy-cli-common.h"

/* Longest password or email line read; far above any real one. */
#define MAX_LINE 4096

/* ------------------------------------------------------ reading secrets */

static struct termios saved_termios;
static volatile sig_atomic_t termios_saved = 0;

/* Ctrl+C at the password prompt must not leave the terminal without echo. */
static void
restore_terminal_and_exit (int signum)
{
  if (termios_saved)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  _exit (STOMPY_CLI_EXIT_INTERRUPTED);
}

/* Reads one line from @stream into @buffer (without the line end). FALSE at
 * end of file before any character, or on a read error. */
static gboolean
read_line (FILE  *stream,
           char  *buffer,
           gsize  size)
{
  gsize len;

  if (fgets (buffer, size, stream) == NULL)
    return FALSE;

  len = strlen (buffer);
  while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
    buffer[--len] = '\0';

  return TRUE;
}

/* The password, prompted on the terminal with echo off. */
static gboolean
read_password_from_terminal (char  *buffer,
                             gsize  size)
{
  struct termios quiet;
  struct sigaction action = { 0 };
  struct sigaction old_int, old_term;
  gboolean ok;

  if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
    return FALSE;

  action.sa_handler = restore_terminal_and_exit;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, &old_int);
  sigaction (SIGTERM, &action, &old_term);
  termios_saved = 1;

  quiet = saved_termios;
  quiet.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
  quiet.c_lflag |= ICANON;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);

  g_printerr ("%s", _("Password: "));
  ok = read_line (stdin, buffer, size);
  g_printerr ("\n");

  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  termios_saved = 0;
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);

  return ok;
}

/* ------------------------------------------------------------- login */

int
stompy_cli_run_login (int    argc,
                      char **argv)
{
  g_autofree char *email = NULL;
  gboolean password_stdin = FALSE;
  GOptionEntry entries[] = {
    { "email", 'e', 0, G_OPTION_ARG_STRING, &email,
      N_("The email address of your Stompy account"), N_("EMAIL") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the password from standard input (for scripts)"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(StompyApiClient) client = NULL;
  g_autoptr(StompySession) stompy_session = NULL;
  g_autofree char *base_url = NULL;
  const char *command;
  char line[MAX_LINE];
  char password[MAX_LINE];
  StompyCliWaiter waiter;
  int status;

  status = stompy_cli_parse_options (NULL,
                                     _("Sign in to Stompy. The session is kept in the desktop "
                                       "keyring, so the app and later commands need not ask "
                                       "again.\n"
                                       "The password is never taken as an argument: it is asked "
                                       "for on the terminal, or read from standard input with "
                                       "--password-stdin."),
                                     entries, 0, &argc, &argv);
  if (status >= 0)
    return status;
  command = argv[0];

  if (email == NULL || *email == '\0')
    {
      if (password_stdin)
        return stompy_cli_usage_error (command, _("--password-stdin needs --email"));
      if (isatty (STDIN_FILENO))
        g_printerr ("%s", _("Email: "));
      if (!read_line (stdin, line, sizeof line) || *line == '\0')
        return stompy_cli_usage_error (command, _("No email address was given"));
      g_free (email);
      email = g_strdup (line);
    }

  if (!stompy_validate_email (email, NULL, NULL))
    {
      /* TRANSLATORS: %s is what the user gave as email address. */
      g_autofree char *message = g_strdup_printf (_("“%s” is not an email address"), email);
      return stompy_cli_usage_error (command, message);
    }

  if (password_stdin)
    {
      if (!read_line (stdin, password, sizeof password) || *password == '\0')
        return stompy_cli_usage_error (command, _("No password was given on standard input"));
    }
  else
    {
      if (!isatty (STDIN_FILENO))
        return stompy_cli_usage_error (command, _("There is no terminal to ask for the password; "
                                       "use --password-stdin"));
      if (!read_password_from_terminal (password, sizeof password) || *password == '\0')
        {
          explicit_bzero (password, sizeof password);
          return stompy_cli_usage_error (command, _("No password was given"));
        }
    }

  base_url = stompy_api_resolve_base_url (NULL, NULL);
  session = stompy_http_session_new ();
  client = stompy_api_client_new (session, base_url, &error);
  if (client == NULL)
    {
      explicit_bzero (password, sizeof password);
      stompy_cli_print_error (error->message);
      return STOMPY_CLI_EXIT_FAILED;
    }

  stompy_cli_waiter_init (&waiter);

  stompy_api_client_sign_in_async (client, email, password, waiter.cancellable,
                                   stompy_cli_wait_cb, &waiter);
  stompy_session = stompy_api_client_sign_in_finish (client, stompy_cli_wait_for (&waiter), &error);
  explicit_bzero (password, sizeof password);

  if (stompy_session == NULL)
    {
      if (stompy_cli_is_cancelled (error))
        status = STOMPY_CLI_EXIT_INTERRUPTED;
      else
        {
          stompy_cli_print_api_error (error, base_url);
          status = STOMPY_CLI_EXIT_FAILED;
        }
      stompy_cli_waiter_clear (&waiter);
      return status;
    }

  stompy_secret_store_save_token_async (base_url,
                                        stompy_session->user_email != NULL
                                        ? stompy_session->user_email : email,
                                        stompy_session->token, waiter.cancellable,
                                        stompy_cli_wait_cb, &waiter);
  if (!stompy_secret_store_save_token_finish (stompy_cli_wait_for (&waiter), &error))
    {
      if (stompy_cli_is_cancelled (error))
        {
          stompy_cli_waiter_clear (&waiter);
          return STOMPY_CLI_EXIT_INTERRUPTED;
        }

      /* Signing in worked; only keeping the session did not. Say both, and
       * succeed: the user is signed in for whatever this run was for, and the
       * warning tells them why the next command will ask again. */
      g_debug ("Could not store the token: %s", error->message);
      g_printerr (_("Warning: the session could not be kept in the keyring (%s). The next "
                    "command will ask you to sign in again.\n"), error->message);
      g_clear_error (&error);
    }

  /* TRANSLATORS: "Signed in as NAME <EMAIL> (ORGANIZATION)". */
  g_print (_("Signed in as %s <%s> (%s)\n"),
           stompy_session->user_name != NULL ? stompy_session->user_name : "",
           stompy_session->user_email != NULL ? stompy_session->user_email : email,
           stompy_session->organization_name != NULL ? stompy_session->organization_name : "");

  stompy_cli_waiter_clear (&waiter);
  return STOMPY_CLI_EXIT_OK;
}

/* ------------------------------------------------------------- logout */

int
stompy_cli_run_logout (int    argc,
                       char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(StompyApiClient) client = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *token = NULL;
  StompyCliWaiter waiter;
  int status;

  status = stompy_cli_parse_options (NULL,
                                     _("Sign out of Stompy and remove the session from the "
                                       "keyring."),
                                     entries, 0, &argc, &argv);
  if (status >= 0)
    return status;

  base_url = stompy_api_resolve_base_url (NULL, NULL);
  stompy_cli_waiter_init (&waiter);

  stompy_secret_store_lookup_token_async (base_url, waiter.cancellable, stompy_cli_wait_cb, &waiter);
  token = stompy_secret_store_lookup_token_finish (stompy_cli_wait_for (&waiter), NULL, &error);
  if (error != NULL)
    {
      status = STOMPY_CLI_EXIT_INTERRUPTED;
      if (!stompy_cli_is_cancelled (error))
        {
          stompy_cli_print_error (error->message);
          status = STOMPY_CLI_EXIT_FAILED;
        }
      stompy_cli_waiter_clear (&waiter);
      return status;
    }

  if (token == NULL)
    {
      g_print ("%s\n", _("Not signed in."));
      stompy_cli_waiter_clear (&waiter);
      return STOMPY_CLI_EXIT_OK;
    }

  /* Ending the session at Stompy is a courtesy: whatever it answers (or if it
   * cannot be reached), the token is removed from this computer. */
  session = stompy_http_session_new ();
  client = stompy_api_client_new (session, base_url, &error);
  if (client != NULL)
    {
      stompy_api_client_set_token (client, token);
      stompy_api_client_sign_out_async (client, waiter.cancellable, stompy_cli_wait_cb, &waiter);
      if (!stompy_api_client_sign_out_finish (client, stompy_cli_wait_for (&waiter), &error))
        g_debug ("Signing out at Stompy failed (ignored): %s", error->message);
    }
  else
    {
      g_debug ("Not signing out at Stompy: %s", error->message);
    }
  g_clear_error (&error);
  explicit_bzero (token, strlen (token));

  /* Not cancellable: once asked to sign out, the token goes. */
  stompy_secret_store_clear_token_async (base_url, NULL, stompy_cli_wait_cb, &waiter);
  if (!stompy_secret_store_clear_token_finish (stompy_cli_wait_for (&waiter), &error))
    {
      stompy_cli_print_error (error->message);
      stompy_cli_waiter_clear (&waiter);
      return STOMPY_CLI_EXIT_FAILED;
    }

  g_print ("%s\n", _("Signed out."));
  stompy_cli_waiter_clear (&waiter);
  return STOMPY_CLI_EXIT_OK;
}

