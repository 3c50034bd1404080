/* stompy-cli-common.c — what every stompy-connect-cli command shares
 *
 * See stompy-cli-common.h. Core error messages are English for developers;
 * everything printed here for the user is translated.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "stompy-api-client.h"
#include "stompy-aws-config.h"
#include "stompy-aws-credentials.h"
#include "stompy-aws-endpoint.h"
#include "stompy-error.h"
#include "stompy-http.h"
#include "stompy-cli-common.h"

/* ------------------------------------------------------- running async calls */

void
stompy_cli_wait_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  StompyCliWaiter *waiter = user_data;

  g_clear_object (&waiter->result);
  waiter->result = g_object_ref (result);
  g_main_loop_quit (waiter->loop);
}

static gboolean
signal_cb (gpointer user_data)
{
  StompyCliWaiter *waiter = user_data;

  g_cancellable_cancel (waiter->cancellable);
  return G_SOURCE_CONTINUE;
}

void
stompy_cli_waiter_init (StompyCliWaiter *waiter)
{
  waiter->loop = g_main_loop_new (NULL, FALSE);
  waiter->result = NULL;
  waiter->cancellable = g_cancellable_new ();
  waiter->sigint_id = g_unix_signal_add (SIGINT, signal_cb, waiter);
  waiter->sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, waiter);
}

void
stompy_cli_waiter_clear (StompyCliWaiter *waiter)
{
  g_clear_handle_id (&waiter->sigint_id, g_source_remove);
  g_clear_handle_id (&waiter->sigterm_id, g_source_remove);
  g_clear_object (&waiter->result);
  g_clear_object (&waiter->cancellable);
  g_clear_pointer (&waiter->loop, g_main_loop_unref);
}

GAsyncResult *
stompy_cli_wait_for (StompyCliWaiter *waiter)
{
  g_clear_object (&waiter->result);
  g_main_loop_run (waiter->loop);
  return waiter->result;
}

void
stompy_cli_wait_quit (StompyCliWaiter *waiter)
{
  g_main_loop_quit (waiter->loop);
}

void
stompy_cli_wait_run (StompyCliWaiter *waiter)
{
  g_main_loop_run (waiter->loop);
}

/* ---------------------------------------------------------------- messages */

void
stompy_cli_print_error (const char *message)
{
  /* TRANSLATORS: the first %s is the program name, the second an error message. */
  g_printerr (_("%s: %s\n"), STOMPY_CLI_NAME, message);
}

int
stompy_cli_usage_error (const char *command,
                        const char *message)
{
  stompy_cli_print_error (message);
  if (command != NULL)
    /* TRANSLATORS: %s is the command, such as "stompy-connect-cli login". */
    g_printerr (_("Run “%s --help” to see the options.\n"), command);
  else
    g_printerr (_("Run “%s --help” to see the commands.\n"), STOMPY_CLI_NAME);
  return STOMPY_CLI_EXIT_USAGE;
}

gboolean
stompy_cli_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* One translated sentence per AWS error class: what happened and what to do.
 * The raw AWS message is shown only for classes without a sentence of their
 * own, as it is English and for developers. */
char *
stompy_cli_describe_aws_error (const GError *error)
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
    case STOMPY_AWS_ERROR_TLS_CERTIFICATE:
      return g_strdup (_("The AWS server’s security certificate is not trusted, so nothing was sent. If your network inspects HTTPS through a proxy, ask its administrator to install the proxy’s certificate on this computer; otherwise check the AWS endpoint settings."));
    case STOMPY_AWS_ERROR_NOT_FOUND:
    case STOMPY_AWS_ERROR_ALREADY_EXISTS:
    case STOMPY_AWS_ERROR_VALIDATION:
    case STOMPY_AWS_ERROR_SERVICE:
    default:
      /* No AWS error document: a body cut short or garbled, not AWS's word. */
      if (aws_code == NULL)
        return g_strdup (_("AWS sent an answer that could not be understood."));
      /* A HEAD request's 400 has no body (S3): AWS says nothing more. */
      if (g_str_equal (aws_code, "BadRequest"))
        return g_strdup (_("AWS refused the request without saying why (HTTP 400). If the "
                           "credentials are temporary, they may have expired: get new ones "
                           "and try again."));
      /* TRANSLATORS: the first %s is an AWS error code such as
       * "ValidationError", the second AWS's own (English) message. */
      return g_strdup_printf (_("AWS returned the error %s: %s"),
                              aws_code != NULL ? aws_code : "?",
                              aws_message != NULL ? aws_message : error->message);
    }
}

void
stompy_cli_print_aws_request_id (const GError *error)
{
  const char *request_id;

  if (error->domain != STOMPY_AWS_ERROR)
    return;

  request_id = stompy_aws_error_get_request_id (error);
  if (request_id != NULL && *request_id != '\0')
    /* TRANSLATORS: %s is an id such as "c6104cbe-af31-11e0-8154-cbc7ccf896c7". */
    g_printerr (_("AWS request ID: %s\n"), request_id);
}

void
stompy_cli_print_aws_error (const GError *error)
{
  g_debug ("AWS call failed: %s", error->message);

  if (error->domain == STOMPY_AWS_ERROR)
    {
      g_autofree char *message = stompy_cli_describe_aws_error (error);

      stompy_cli_print_error (message);
      stompy_cli_print_aws_request_id (error);
    }
  else if (g_error_matches (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT))
    {
      /* TRANSLATORS: %s explains which endpoint. */
      g_autofree char *message = g_strdup_printf (_("Refusing an unencrypted AWS endpoint: %s"),
                                                  error->message);
      stompy_cli_print_error (message);
    }
  else
    {
      stompy_cli_print_error (error->message);
    }
}

int
stompy_cli_aws_failure (const GError *error)
{
  if (stompy_cli_is_cancelled (error))
    return STOMPY_CLI_EXIT_INTERRUPTED;

  stompy_cli_print_aws_error (error);
  return STOMPY_CLI_EXIT_FAILED;
}

void
stompy_cli_print_api_error (const GError *error,
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
        case STOMPY_API_ERROR_TLS_CERTIFICATE:
          message = g_strdup (_("The Stompy server’s security certificate is not trusted, so nothing was sent. If your network inspects HTTPS through a proxy, ask its administrator to install the proxy’s certificate on this computer; otherwise check STOMPY_API_URL."));
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

  stompy_cli_print_error (message);
  if (request_id != NULL && *request_id != '\0')
    /* TRANSLATORS: %s is an id such as "req_8f2c…". */
    g_printerr (_("Stompy request ID: %s\n"), request_id);
}

/* ----------------------------------------------------------------- options */

int
stompy_cli_parse_options (const char         *parameter_string,
                          const char         *summary,
                          const GOptionEntry *entries,
                          guint               max_arguments,
                          int                *argc,
                          char             ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;
  const char *command = (*argv)[0];

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    return stompy_cli_usage_error (command, error->message);

  if ((guint) *argc > max_arguments + 1)
    {
      /* TRANSLATORS: %s is an argument the user typed. */
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”"),
                                                  (*argv)[max_arguments + 1]);
      return stompy_cli_usage_error (command, message);
    }

  return -1;
}

static void
print_group_usage (const char             *group,
                   const char             *description,
                   const StompyCliCommand *commands,
                   guint                   n_commands,
                   gboolean                to_stdout)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* TRANSLATORS: %s is a command group, such as "stompy-connect-cli cur". */
  g_string_append_printf (text, _("Usage:\n  %s COMMAND [OPTION…]\n"), group);
  g_string_append_printf (text, "\n%s\n\n", description);
  g_string_append (text, _("Commands:"));
  g_string_append (text, "\n");
  for (guint i = 0; i < n_commands; i++)
    g_string_append_printf (text, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append (text, "\n");
  /* TRANSLATORS: %s is a command group, such as "stompy-connect-cli cur". */
  g_string_append_printf (text, _("Run “%s COMMAND --help” to see a command’s options."), group);
  g_string_append (text, "\n");

  if (to_stdout)
    g_print ("%s", text->str);
  else
    g_printerr ("%s", text->str);
}

int
stompy_cli_run_group (const char             *description,
                      const StompyCliCommand *commands,
                      guint                   n_commands,
                      int                     argc,
                      char                  **argv)
{
  g_autofree char *group = g_strdup (argv[0]);
  g_autofree char *subcommand = NULL;
  g_autofree char *message = NULL;
  const char *name;

  if (argc < 2)
    {
      print_group_usage (group, description, commands, n_commands, FALSE);
      return STOMPY_CLI_EXIT_USAGE;
    }

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help")
      || g_str_equal (name, "-?"))
    {
      print_group_usage (group, description, commands, n_commands, TRUE);
      return STOMPY_CLI_EXIT_OK;
    }

  for (guint i = 0; i < n_commands; i++)
    {
      if (g_str_equal (name, commands[i].name))
        {
          /* The subcommand sees itself as argv[0], so that its --help reads
           * "stompy-connect-cli cur list [OPTION…]". */
          subcommand = g_strdup_printf ("%s %s", group, name);
          argv[1] = subcommand;
          g_set_prgname (subcommand);
          return commands[i].run (argc - 1, argv + 1);
        }
    }

  if (name[0] == '-')
    /* TRANSLATORS: %s is an option the user typed. */
    message = g_strdup_printf (_("Unknown option “%s”"), name);
  else
    /* TRANSLATORS: %s is a command the user typed. */
    message = g_strdup_printf (_("Unknown command “%s”"), name);
  stompy_cli_print_error (message);
  /* TRANSLATORS: %s is a command group, such as "stompy-connect-cli cur". */
  g_printerr (_("Run “%s --help” to see the commands.\n"), group);
  return STOMPY_CLI_EXIT_USAGE;
}

/* ------------------------------------------------------------------- AWS */

static gboolean
profile_exists (StompyAwsConfig *config,
                const char      *profile)
{
  g_auto(GStrv) profiles = stompy_aws_config_list_profiles (config);

  return profiles != NULL && g_strv_contains ((const char * const *) profiles, profile);
}

static int
check_aws_options (const char *command,
                   const char *profile,
                   const char *region)
{
  if (profile != NULL && *profile == '\0')
    return stompy_cli_usage_error (command, _("The profile name is empty"));

  if (region != NULL && !stompy_aws_region_is_valid (region))
    {
      /* TRANSLATORS: %s is what the user gave as region. */
      g_autofree char *message = g_strdup_printf (_("“%s” is not an AWS region name (such as "
                                                    "ap-southeast-1)"), region);
      return stompy_cli_usage_error (command, message);
    }

  return -1;
}

static gboolean
aws_open (StompyCliAws *aws,
          const char   *profile,
          const char   *region)
{
  g_autoptr(GError) error = NULL;
  const char *env_key;
  const char *effective_profile;

  memset (aws, 0, sizeof *aws);

  aws->config = stompy_aws_config_new_from_environ (NULL, &error);
  if (aws->config == NULL)
    {
      stompy_cli_print_error (error->message);
      return FALSE;
    }

  /* As the AWS CLI: keys in the environment win over the profile, unless a
   * profile is asked for explicitly. Empty variables count as unset. */
  env_key = g_getenv ("AWS_ACCESS_KEY_ID");
  effective_profile = profile != NULL ? profile
                                      : stompy_aws_config_get_default_profile (aws->config);
  aws->profile = g_strdup (effective_profile);

  if (profile == NULL && env_key != NULL && *env_key != '\0')
    {
      aws->credentials = stompy_aws_credentials_new_from_environ (NULL, &error);
      if (aws->credentials == NULL)
        {
          g_autofree char *message =
            /* TRANSLATORS: %s is a technical explanation. */
            g_strdup_printf (_("The AWS credentials in the environment cannot be used: %s"),
                             error->message);
          stompy_cli_print_error (message);
          return FALSE;
        }
    }
  else
    {
      if (!profile_exists (aws->config, effective_profile))
        {
          g_autofree char *message =
            /* TRANSLATORS: %s is an AWS CLI profile name. */
            g_strdup_printf (_("There is no AWS profile named “%s”. Create one with “aws "
                               "configure --profile %s”, or set AWS_ACCESS_KEY_ID and "
                               "AWS_SECRET_ACCESS_KEY."), effective_profile, effective_profile);
          stompy_cli_print_error (message);
          return FALSE;
        }

      aws->credentials = stompy_aws_config_get_credentials (aws->config, effective_profile,
                                                            &error);
      if (aws->credentials == NULL)
        {
          g_autofree char *message =
            /* TRANSLATORS: the first %s is a profile name, the second a technical explanation. */
            g_strdup_printf (_("The AWS profile “%s” cannot be used: %s"),
                             effective_profile, error->message);
          stompy_cli_print_error (message);
          return FALSE;
        }
    }

  {
    g_autofree char *description = stompy_aws_credentials_describe (aws->credentials);
    g_debug ("Using the AWS credentials of %s", description);
  }

  aws->session = stompy_http_session_new ();
  aws->client = stompy_aws_client_new (aws->session, aws->credentials, region, aws->config,
                                       aws->profile, NULL);
  return TRUE;
}

static void
aws_clear (StompyCliAws *aws)
{
  g_clear_object (&aws->client);
  g_clear_object (&aws->session);
  g_clear_pointer (&aws->credentials, stompy_aws_credentials_unref);
  g_clear_object (&aws->config);
  g_clear_pointer (&aws->profile, g_free);
}

int
stompy_cli_aws_begin (StompyCliAws    *aws,
                      StompyCliWaiter *waiter,
                      const char      *command,
                      const char      *profile,
                      const char      *region)
{
  int status = check_aws_options (command, profile, region);

  if (status >= 0)
    return status;

  if (!aws_open (aws, profile, region))
    {
      aws_clear (aws);
      return STOMPY_CLI_EXIT_FAILED;
    }

  stompy_cli_waiter_init (waiter);
  return -1;
}

void
stompy_cli_aws_end (StompyCliAws    *aws,
                    StompyCliWaiter *waiter)
{
  stompy_cli_waiter_clear (waiter);
  aws_clear (aws);
}

/* -------------------------------------------------------------- state file */

StompyOnboarding *
stompy_cli_state_open (void)
{
  g_autoptr(StompyOnboarding) state = stompy_onboarding_new (NULL);
  g_autoptr(GError) error = NULL;

  stompy_onboarding_set_autosave (state, FALSE);
  if (!stompy_onboarding_load (state, &error))
    {
      g_debug ("Loading the state file failed: %s", error->message);
      /* TRANSLATORS: %s is a technical explanation naming a file. */
      g_printerr (_("Warning: the saved progress could not be read, so onboarding starts over (%s).\n"),
                  error->message);
    }

  return g_steal_pointer (&state);
}

void
stompy_cli_state_save (StompyOnboarding *state)
{
  g_autoptr(GError) error = NULL;

  if (!stompy_onboarding_save (state, &error))
    {
      g_debug ("Saving the state file failed: %s", error->message);
      /* TRANSLATORS: the first %s is a file name, the second a technical explanation. */
      g_printerr (_("Warning: the progress could not be saved to %s (%s). The desktop app "
                    "will not see this progress.\n"), stompy_onboarding_get_path (state), error->message);
    }
}

/* -------------------------------------------------------------------- output */

void
stompy_cli_print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

guint
stompy_cli_text_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

void
stompy_cli_append_padded (GString    *line,
                          const char *text,
                          guint       width)
{
  guint used = stompy_cli_text_width (text);

  g_string_append (line, text);
  for (; used < width; used++)
    g_string_append_c (line, ' ');
}
