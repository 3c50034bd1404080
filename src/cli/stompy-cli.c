/* stompy-cli.c — stompy-connect-cli, the command-line front end
 *
 *   stompy-connect-cli login [--email EMAIL] [--password-stdin]
 *   stompy-connect-cli logout
 *   stompy-connect-cli identity [--profile NAME] [--json]
 *
 * Exit codes: 0 success, 1 failure, 2 bad usage (130 when interrupted).
 *
 * When signing in works but the keyring cannot keep the session (no Secret
 * Service, a locked collection), login still succeeds (exit 0) and warns on
 * standard error that the next command will ask to sign in again: the user
 * did sign in, and a script that only needed this one session should not fail.
 *
 * The same core the app uses does the work; this file only parses arguments,
 * runs one asynchronous call at a time in a GMainLoop and turns errors into
 * translated one-line messages. A password is never taken from the command
 * line (argv is visible to every user of the machine): it is read from
 * standard input with --password-stdin, or from the terminal without echo.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "stompy-api-client.h"
#include "stompy-aws-client.h"
#include "stompy-aws-config.h"
#include "stompy-aws-credentials.h"
#include "stompy-aws-identity.h"
#include "stompy-error.h"
#include "stompy-http.h"
#include "stompy-secret-store.h"
#include "stompy-validate.h"

#define EXIT_OK          0
#define EXIT_FAILED      1
#define EXIT_USAGE       2
#define EXIT_INTERRUPTED 130

/* Longest password or email line read; far above any real one. */
#define MAX_LINE 4096

static const char *prgname = "stompy-connect-cli";

/* ------------------------------------------------------- running async calls */

/* One asynchronous call at a time: start it with wait_cb and the Waiter, then
 * wait_for() spins a main loop until it has finished. Ctrl+C cancels the
 * call rather than killing the process, so the keyring and the network are
 * left cleanly. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
  GCancellable *cancellable;
  guint         sigint_id;
  guint         sigterm_id;
} Waiter;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  g_main_loop_quit (waiter->loop);
}

static gboolean
sigint_cb (gpointer user_data)
{
  Waiter *waiter = user_data;

  g_cancellable_cancel (waiter->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
waiter_init (Waiter *waiter)
{
  waiter->loop = g_main_loop_new (NULL, FALSE);
  waiter->result = NULL;
  waiter->cancellable = g_cancellable_new ();
  waiter->sigint_id = g_unix_signal_add (SIGINT, sigint_cb, waiter);
  waiter->sigterm_id = g_unix_signal_add (SIGTERM, sigint_cb, waiter);
}

static void
waiter_clear (Waiter *waiter)
{
  g_clear_handle_id (&waiter->sigint_id, g_source_remove);
  g_clear_handle_id (&waiter->sigterm_id, g_source_remove);
  g_clear_object (&waiter->result);
  g_clear_object (&waiter->cancellable);
  g_clear_pointer (&waiter->loop, g_main_loop_unref);
}

/* Returns the result of the call started with wait_cb; the Waiter keeps it. */
static GAsyncResult *
wait_for (Waiter *waiter)
{
  g_clear_object (&waiter->result);
  g_main_loop_run (waiter->loop);
  return waiter->result;
}

/* -------------------------------------------------------------- messages */

static void
print_error (const char *message)
{
  /* TRANSLATORS: the first %s is the program name, the second an error message. */
  g_printerr (_("%s: %s\n"), prgname, message);
}

static int
usage_error (const char *subcommand,
             const char *message)
{
  print_error (message);
  if (subcommand != NULL)
    /* TRANSLATORS: %s is the command, such as "stompy-connect-cli login". */
    g_printerr (_("Run “%s --help” to see the options.\n"),
                subcommand);
  else
    g_printerr (_("Run “%s --help” to see the commands.\n"), prgname);
  return EXIT_USAGE;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* One translated sentence per AWS error class: what happened and what to do.
 * The raw AWS message is shown only for classes without a sentence of their
 * own, as it is English and for developers. */
static char *
describe_aws_error (const GError *error)
{
  const char *aws_code = stompy_aws_error_get_aws_code (error);
  const char *aws_message = stompy_aws_error_get_aws_message (error);

  switch ((StompyAwsErrorCode) error->code)
    {
    case STOMPY_AWS_ERROR_INVALID_CLIENT_TOKEN_ID:
      return g_strdup (_("AWS does not know this access key ID. Check it, or create a new "
                         "access key in the IAM console."));
    case STOMPY_AWS_ERROR_SIGNATURE_MISMATCH:
      return g_strdup (_("The secret access key does not match the access key ID. Check "
                         "that it was copied completely."));
    case STOMPY_AWS_ERROR_EXPIRED_TOKEN:
      return g_strdup (_("The session token of these temporary credentials has expired. "
                         "Get new credentials and try again."));
    case STOMPY_AWS_ERROR_ACCESS_DENIED:
      return g_strdup (_("These credentials are not allowed to do this (access denied)."));
    case STOMPY_AWS_ERROR_THROTTLED:
      return g_strdup (_("AWS is limiting the rate of requests. Wait a moment and try again."));
    case STOMPY_AWS_ERROR_CLOCK_SKEW:
      return g_strdup (_("AWS rejected the time of the request. Check that this computer’s "
                         "clock is set correctly."));
    case STOMPY_AWS_ERROR_SERVER:
      return g_strdup (_("AWS had an internal error. Try again later."));
    case STOMPY_AWS_ERROR_NETWORK:
      return g_strdup (_("Could not reach AWS. Check your network connection."));
    case STOMPY_AWS_ERROR_TIMEOUT:
      return g_strdup (_("AWS did not answer in time. Check your network connection and "
                         "try again."));
    case STOMPY_AWS_ERROR_MALFORMED_RESPONSE:
      return g_strdup (_("AWS sent an answer that could not be understood."));
    case STOMPY_AWS_ERROR_NOT_FOUND:
    case STOMPY_AWS_ERROR_ALREADY_EXISTS:
    case STOMPY_AWS_ERROR_VALIDATION:
    case STOMPY_AWS_ERROR_SERVICE:
    default:
      /* TRANSLATORS: the first %s is an AWS error code such as
       * "ValidationError", the second AWS's own (English) message. */
      return g_strdup_printf (_("AWS returned the error %s: %s"),
                              aws_code != NULL ? aws_code : "?",
                              aws_message != NULL ? aws_message : error->message);
    }
}

static void
print_aws_error (const GError *error)
{
  g_debug ("AWS call failed: %s", error->message);

  if (error->domain == STOMPY_AWS_ERROR)
    {
      g_autofree char *message = describe_aws_error (error);
      const char *request_id = stompy_aws_error_get_request_id (error);

      print_error (message);
      if (request_id != NULL && *request_id != '\0')
        /* TRANSLATORS: %s is an id such as "c6104cbe-af31-11e0-8154-cbc7ccf896c7". */
        g_printerr (_("AWS request ID: %s\n"), request_id);
    }
  else if (g_error_matches (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT))
    {
      /* TRANSLATORS: %s explains which endpoint. */
      g_autofree char *message = g_strdup_printf (_("Refusing an unencrypted AWS endpoint: %s"),
                                                  error->message);
      print_error (message);
    }
  else
    {
      print_error (error->message);
    }
}

static void
print_api_error (const GError *error,
                 const char   *base_url)
{
  g_autofree char *message = NULL;
  const char *request_id = NULL;

  g_debug ("Stompy call failed: %s", error->message);

  if (error->domain == STOMPY_API_ERROR)
    {
      request_id = stompy_api_error_get_request_id (error);

      switch ((StompyApiErrorCode) error->code)
        {
        case STOMPY_API_ERROR_INVALID_CREDENTIALS:
          message = g_strdup (_("The email address or password is wrong."));
          break;
        case STOMPY_API_ERROR_TOKEN_EXPIRED:
        case STOMPY_API_ERROR_TOKEN_INVALID:
          message = g_strdup (_("The Stompy session has expired. Sign in again with "
                                "“stompy-connect-cli login”."));
          break;
        case STOMPY_API_ERROR_RATE_LIMITED:
          message = g_strdup (_("Too many attempts. Wait a moment and try again."));
          break;
        case STOMPY_API_ERROR_INTERNAL:
        case STOMPY_API_ERROR_UNAVAILABLE:
          message = g_strdup (_("Stompy is unavailable right now. Try again later."));
          break;
        case STOMPY_API_ERROR_NETWORK:
          /* TRANSLATORS: %s is a URL. */
          message = g_strdup_printf (_("Could not reach Stompy at %s. Check your network "
                                       "connection."), base_url);
          break;
        case STOMPY_API_ERROR_MALFORMED_RESPONSE:
          message = g_strdup (_("Stompy sent an answer that could not be understood."));
          break;
        default:
          {
            /* The service localizes its messages from Accept-Language. */
            const char *service_message = stompy_api_error_get_message (error);

            message = g_strdup (service_message != NULL && *service_message != '\0'
                                ? service_message : error->message);
          }
          break;
        }
    }
  else
    {
      message = g_strdup (error->message);
    }

  print_error (message);
  if (request_id != NULL && *request_id != '\0')
    /* TRANSLATORS: %s is an id such as "req_8f2c…". */
    g_printerr (_("Stompy request ID: %s\n"), request_id);
}

/* ------------------------------------------------------ reading secrets */

static struct termios saved_termios;
static volatile sig_atomic_t termios_saved = 0;

/* Ctrl+C at the password prompt must not leave the terminal without echo. */
static void
restore_terminal_and_exit (int signum)
{
  if (termios_saved)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  _exit (EXIT_INTERRUPTED);
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

static int
run_login (int    argc,
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
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(StompyApiClient) client = NULL;
  g_autoptr(StompySession) stompy_session = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *command = g_strdup_printf ("%s login", prgname);
  char line[MAX_LINE];
  char password[MAX_LINE];
  Waiter waiter;
  int status;

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Sign in to Stompy. The session is kept in the desktop "
                                  "keyring, so the app and later commands need not ask again.\n"
                                  "The password is never taken as an argument: it is asked "
                                  "for on the terminal, or read from standard input with "
                                  "--password-stdin."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (command, error->message);
  if (argc > 1)
    {
      /* TRANSLATORS: %s is an argument the user typed. */
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”"), argv[1]);
      return usage_error (command, message);
    }

  if (email == NULL || *email == '\0')
    {
      if (password_stdin)
        return usage_error (command, _("--password-stdin needs --email"));
      if (isatty (STDIN_FILENO))
        g_printerr ("%s", _("Email: "));
      if (!read_line (stdin, line, sizeof line) || *line == '\0')
        return usage_error (command, _("No email address was given"));
      g_free (email);
      email = g_strdup (line);
    }

  if (!stompy_validate_email (email, NULL, NULL))
    {
      /* TRANSLATORS: %s is what the user gave as email address. */
      g_autofree char *message = g_strdup_printf (_("“%s” is not an email address"), email);
      return usage_error (command, message);
    }

  if (password_stdin)
    {
      if (!read_line (stdin, password, sizeof password) || *password == '\0')
        return usage_error (command, _("No password was given on standard input"));
    }
  else
    {
      if (!isatty (STDIN_FILENO))
        return usage_error (command, _("There is no terminal to ask for the password; "
                                       "use --password-stdin"));
      if (!read_password_from_terminal (password, sizeof password) || *password == '\0')
        {
          explicit_bzero (password, sizeof password);
          return usage_error (command, _("No password was given"));
        }
    }

  base_url = stompy_api_resolve_base_url (NULL, NULL);
  session = stompy_http_session_new ();
  client = stompy_api_client_new (session, base_url, &error);
  if (client == NULL)
    {
      explicit_bzero (password, sizeof password);
      print_error (error->message);
      return EXIT_FAILED;
    }

  waiter_init (&waiter);

  stompy_api_client_sign_in_async (client, email, password, waiter.cancellable,
                                   wait_cb, &waiter);
  stompy_session = stompy_api_client_sign_in_finish (client, wait_for (&waiter), &error);
  explicit_bzero (password, sizeof password);

  if (stompy_session == NULL)
    {
      if (is_cancelled (error))
        status = EXIT_INTERRUPTED;
      else
        {
          print_api_error (error, base_url);
          status = EXIT_FAILED;
        }
      waiter_clear (&waiter);
      return status;
    }

  stompy_secret_store_save_token_async (base_url,
                                        stompy_session->user_email != NULL
                                        ? stompy_session->user_email : email,
                                        stompy_session->token, waiter.cancellable,
                                        wait_cb, &waiter);
  if (!stompy_secret_store_save_token_finish (wait_for (&waiter), &error))
    {
      if (is_cancelled (error))
        {
          waiter_clear (&waiter);
          return EXIT_INTERRUPTED;
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

  waiter_clear (&waiter);
  return EXIT_OK;
}

/* ------------------------------------------------------------- logout */

static int
run_logout (int    argc,
            char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(StompyApiClient) client = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *command = g_strdup_printf ("%s logout", prgname);
  Waiter waiter;

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Sign out of Stompy and remove the session from the keyring."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (command, error->message);
  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”"), argv[1]);
      return usage_error (command, message);
    }

  base_url = stompy_api_resolve_base_url (NULL, NULL);
  waiter_init (&waiter);

  stompy_secret_store_lookup_token_async (base_url, waiter.cancellable, wait_cb, &waiter);
  token = stompy_secret_store_lookup_token_finish (wait_for (&waiter), NULL, &error);
  if (error != NULL)
    {
      int status = EXIT_INTERRUPTED;

      if (!is_cancelled (error))
        {
          print_error (error->message);
          status = EXIT_FAILED;
        }
      waiter_clear (&waiter);
      return status;
    }

  if (token == NULL)
    {
      g_print ("%s\n", _("Not signed in."));
      waiter_clear (&waiter);
      return EXIT_OK;
    }

  /* Ending the session at Stompy is a courtesy: whatever it answers (or if it
   * cannot be reached), the token is removed from this computer. */
  session = stompy_http_session_new ();
  client = stompy_api_client_new (session, base_url, &error);
  if (client != NULL)
    {
      stompy_api_client_set_token (client, token);
      stompy_api_client_sign_out_async (client, waiter.cancellable, wait_cb, &waiter);
      if (!stompy_api_client_sign_out_finish (client, wait_for (&waiter), &error))
        g_debug ("Signing out at Stompy failed (ignored): %s", error->message);
    }
  else
    {
      g_debug ("Not signing out at Stompy: %s", error->message);
    }
  g_clear_error (&error);
  explicit_bzero (token, strlen (token));

  /* Not cancellable: once asked to sign out, the token goes. */
  stompy_secret_store_clear_token_async (base_url, NULL, wait_cb, &waiter);
  if (!stompy_secret_store_clear_token_finish (wait_for (&waiter), &error))
    {
      print_error (error->message);
      waiter_clear (&waiter);
      return EXIT_FAILED;
    }

  g_print ("%s\n", _("Signed out."));
  waiter_clear (&waiter);
  return EXIT_OK;
}

/* ----------------------------------------------------------- identity */

/* The seed document's advice (第一步, 第二步) for each kind of account. */
static const char *
role_advice (StompyOrganizationRole role)
{
  switch (role)
    {
    case STOMPY_ORGANIZATION_ROLE_MANAGEMENT:
      return _("This is the organization’s management account: it sees the cost data of "
               "every member account and can apply optimizations to them. Add both "
               "products from this account.");
    case STOMPY_ORGANIZATION_ROLE_MEMBER:
      return _("This is a member account. If it runs your production instances, add "
               "StompySpoTainer here; for organization-wide StompyAnalySaver advice, use the "
               "management account.");
    case STOMPY_ORGANIZATION_ROLE_STANDALONE:
      return _("This account is not in an organization and pays its own bill: add both "
               "products from it.");
    case STOMPY_ORGANIZATION_ROLE_UNKNOWN:
    default:
      return _("Could not tell whether this is the organization’s management account (it "
               "may not read the organization). The management account sees the cost data "
               "of every member account and can apply optimizations to them.");
    }
}

static const char *
role_label (StompyOrganizationRole role)
{
  switch (role)
    {
    case STOMPY_ORGANIZATION_ROLE_MANAGEMENT:
      return _("management account");
    case STOMPY_ORGANIZATION_ROLE_MEMBER:
      return _("member account");
    case STOMPY_ORGANIZATION_ROLE_STANDALONE:
      return _("standalone account (no organization)");
    case STOMPY_ORGANIZATION_ROLE_UNKNOWN:
    default:
      return _("unknown");
    }
}

static const char *
role_json (StompyOrganizationRole role)
{
  switch (role)
    {
    case STOMPY_ORGANIZATION_ROLE_MANAGEMENT:
      return "management";
    case STOMPY_ORGANIZATION_ROLE_MEMBER:
      return "member";
    case STOMPY_ORGANIZATION_ROLE_STANDALONE:
      return "standalone";
    case STOMPY_ORGANIZATION_ROLE_UNKNOWN:
    default:
      return "unknown";
    }
}

static void
print_identity_json (const StompyAwsIdentity *identity)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "account_id");
  json_builder_add_string_value (builder, identity->account_id);
  json_builder_set_member_name (builder, "arn");
  json_builder_add_string_value (builder, identity->arn);
  json_builder_set_member_name (builder, "is_root");
  json_builder_add_boolean_value (builder, identity->is_root);
  json_builder_set_member_name (builder, "organization_role");
  json_builder_add_string_value (builder, role_json (identity->organization_role));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_identity_text (const StompyAwsIdentity *identity)
{
  /* TRANSLATORS: %s is a 12-digit AWS account id. */
  g_print (_("Account:       %s\n"), identity->account_id);
  /* TRANSLATORS: %s is an ARN such as arn:aws:iam::123456789012:user/admin. */
  g_print (_("ARN:           %s\n"), identity->arn);
  g_print (_("Root user:     %s\n"), identity->is_root ? _("yes") : _("no"));
  g_print (_("Organization:  %s\n"), role_label (identity->organization_role));
  g_print ("\n%s\n", role_advice (identity->organization_role));
}

static gboolean
profile_exists (StompyAwsConfig *config,
                const char      *profile)
{
  g_auto(GStrv) profiles = stompy_aws_config_list_profiles (config);

  return profiles != NULL && g_strv_contains ((const char * const *) profiles, profile);
}

static int
run_identity (int    argc,
              char **argv)
{
  g_autofree char *profile = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
      N_("Use this AWS CLI profile (default: AWS_PROFILE, else “default”)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsConfig) config = NULL;
  g_autoptr(StompyAwsCredentials) credentials = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(StompyAwsClient) client = NULL;
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autofree char *command = g_strdup_printf ("%s identity", prgname);
  const char *env_key;
  const char *effective_profile;
  Waiter waiter;
  int status;

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Show which AWS account and identity the credentials belong "
                                  "to, and whether it is the organization’s management account.\n"
                                  "Credentials come from the environment (AWS_ACCESS_KEY_ID…) "
                                  "or the AWS CLI profile, as the AWS CLI finds them; "
                                  "--profile always uses the profile."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (command, error->message);
  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”"), argv[1]);
      return usage_error (command, message);
    }
  if (profile != NULL && *profile == '\0')
    return usage_error (command, _("The profile name is empty"));

  config = stompy_aws_config_new_from_environ (NULL, &error);
  if (config == NULL)
    {
      print_error (error->message);
      return EXIT_FAILED;
    }

  /* As the AWS CLI: keys in the environment win over the profile, unless a
   * profile is asked for explicitly. Empty variables count as unset. */
  env_key = g_getenv ("AWS_ACCESS_KEY_ID");
  effective_profile = profile != NULL ? profile : stompy_aws_config_get_default_profile (config);

  if (profile == NULL && env_key != NULL && *env_key != '\0')
    {
      credentials = stompy_aws_credentials_new_from_environ (NULL, &error);
      if (credentials == NULL)
        {
          /* TRANSLATORS: %s is a technical explanation. */
          g_autofree char *message =
            g_strdup_printf (_("The AWS credentials in the environment cannot be used: %s"),
                             error->message);
          print_error (message);
          return EXIT_FAILED;
        }
    }
  else
    {
      if (!profile_exists (config, effective_profile))
        {
          /* TRANSLATORS: %s is an AWS CLI profile name. */
          g_autofree char *message =
            g_strdup_printf (_("There is no AWS profile named “%s”. Create one with “aws "
                               "configure --profile %s”, or set AWS_ACCESS_KEY_ID and "
                               "AWS_SECRET_ACCESS_KEY."), effective_profile, effective_profile);
          print_error (message);
          return EXIT_FAILED;
        }

      credentials = stompy_aws_config_get_credentials (config, effective_profile, &error);
      if (credentials == NULL)
        {
          /* TRANSLATORS: the first %s is a profile name, the second a technical explanation. */
          g_autofree char *message =
            g_strdup_printf (_("The AWS profile “%s” cannot be used: %s"),
                             effective_profile, error->message);
          print_error (message);
          return EXIT_FAILED;
        }
    }

  {
    g_autofree char *description = stompy_aws_credentials_describe (credentials);
    g_debug ("Looking up the identity of %s", description);
  }

  session = stompy_http_session_new ();
  client = stompy_aws_client_new (session, credentials, NULL, config, effective_profile, NULL);

  waiter_init (&waiter);
  stompy_aws_identity_lookup_async (client, waiter.cancellable, wait_cb, &waiter);
  identity = stompy_aws_identity_lookup_finish (wait_for (&waiter), &error);

  if (identity == NULL)
    {
      if (is_cancelled (error))
        status = EXIT_INTERRUPTED;
      else
        {
          print_aws_error (error);
          status = EXIT_FAILED;
        }
      waiter_clear (&waiter);
      return status;
    }

  if (json)
    print_identity_json (identity);
  else
    print_identity_text (identity);

  waiter_clear (&waiter);
  return EXIT_OK;
}

/* --------------------------------------------------------------- main */

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "login", run_login, N_("Sign in to Stompy and keep the session in the keyring") },
  { "logout", run_logout, N_("Sign out of Stompy and remove the session") },
  { "identity", run_identity, N_("Show the AWS account the credentials belong to") },
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
      return EXIT_USAGE;
    }

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help")
      || g_str_equal (name, "-?"))
    {
      print_usage (stdout);
      return EXIT_OK;
    }
  if (g_str_equal (name, "--version"))
    {
      g_print ("%s %s\n", prgname, PACKAGE_VERSION);
      return EXIT_OK;
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
    return usage_error (NULL, message);
  }
}
