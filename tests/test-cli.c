/* test-cli.c — stompy-connect-cli as a user runs it, against the emulator
 *
 * Each test runs the built binary in a subprocess with an environment made
 * here: the emulator's endpoints, AWS config and credentials files written
 * from tests/emulator/accounts.json, and no AWS variables but those a test
 * sets. Runs under tests/with-keyring.sh for login and logout.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "stompy-test-emulator.h"

static StompyTestEmulator *emulator;
static char *tmp_dir;
static char *config_path;
static char *credentials_path;
static char *cli_path;

#define MGMT_KEY   "AKIAEMULATORMGMT0001"
#define MEMBER_KEY "AKIAEMULATORMEMBER01"

/* ------------------------------------------------------------ fixtures */

static JsonObject *
load_accounts (void)
{
  static JsonParser *parser;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (parser == NULL)
    {
      const char *source_root = g_getenv ("STOMPY_SOURCE_ROOT");

      g_assert_nonnull (source_root);
      path = g_build_filename (source_root, "tests", "emulator", "accounts.json", NULL);
      parser = json_parser_new ();
      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
    }

  return json_node_get_object (json_parser_get_root (parser));
}

static const char *
secret_of (const char *access_key_id)
{
  JsonObject *aws = json_object_get_object_member (load_accounts (), "aws");

  return json_object_get_string_member (json_object_get_object_member (aws, access_key_id),
                                        "secret");
}

/* An AWS CLI config and credentials file with one profile per emulator key,
 * under the profile names accounts.json gives, plus "wrong-secret" and
 * "unknown-key" for the error paths. */
static void
write_aws_files (void)
{
  JsonObject *aws = json_object_get_object_member (load_accounts (), "aws");
  g_autoptr(GList) keys = json_object_get_members (aws);
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GString) credentials = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *key_id = l->data;
      JsonObject *account = json_object_get_object_member (aws, key_id);
      const char *profile = json_object_get_string_member (account, "profile");

      g_string_append_printf (config, "[profile %s]\nregion = ap-southeast-1\n\n", profile);
      g_string_append_printf (credentials, "[%s]\naws_access_key_id = %s\n"
                              "aws_secret_access_key = %s\n",
                              profile, key_id, json_object_get_string_member (account, "secret"));
      if (json_object_has_member (account, "session_token"))
        g_string_append_printf (credentials, "aws_session_token = %s\n",
                                json_object_get_string_member (account, "session_token"));
      g_string_append (credentials, "\n");
    }

  g_string_append (config, "[profile wrong-secret]\nregion = ap-southeast-1\n\n"
                           "[profile unknown-key]\nregion = ap-southeast-1\n");
  g_string_append_printf (credentials,
                          "[wrong-secret]\naws_access_key_id = %s\n"
                          "aws_secret_access_key = WrongSecretKeyWrongSecretKeyWrongSecret0\n\n"
                          "[unknown-key]\naws_access_key_id = AKIAEMULATORNOSUCHK1\n"
                          "aws_secret_access_key = EmulatorMgmtSecretKey/000000000000000010\n",
                          MGMT_KEY);

  g_file_set_contents (config_path, config->str, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (credentials_path, credentials->str, -1, &error);
  g_assert_no_error (error);
}

/* --------------------------------------------------------- running it */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs the CLI with @args (NULL-terminated), @input on its standard input
 * (NULL: empty), and @env as NULL-terminated NAME, VALUE pairs applied over
 * the base environment (a NULL value unsets). */
static void
run_cli (Run                *run,
         const char         *input,
         const char * const *env,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = stompy_test_emulator_get_environ (emulator);
  g_autoptr(GError) error = NULL;

  envp = g_environ_setenv (envp, "AWS_CONFIG_FILE", config_path, TRUE);
  envp = g_environ_setenv (envp, "AWS_SHARED_CREDENTIALS_FILE", credentials_path, TRUE);
  envp = g_environ_unsetenv (envp, "AWS_ACCESS_KEY_ID");
  envp = g_environ_unsetenv (envp, "AWS_SECRET_ACCESS_KEY");
  envp = g_environ_unsetenv (envp, "AWS_SESSION_TOKEN");
  envp = g_environ_unsetenv (envp, "AWS_PROFILE");
  envp = g_environ_unsetenv (envp, "AWS_DEFAULT_PROFILE");
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  /* The child must not abort on a message it is allowed to log. */
  envp = g_environ_unsetenv (envp, "G_DEBUG");
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    {
      if (env[i + 1] != NULL)
        envp = g_environ_setenv (envp, env[i], env[i + 1], TRUE);
      else
        envp = g_environ_unsetenv (envp, env[i]);
    }

  g_ptr_array_add (argv, cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, envp);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL,
                                 &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

#define ARGS(...) ((const char * const []) { __VA_ARGS__, NULL })
#define ENV(...)  ((const char * const []) { __VA_ARGS__, NULL })

/* ------------------------------------------------------------- usage */

static void
test_help_lists_commands (void)
{
  g_auto(Run) run = { 0, };

  run_cli (&run, NULL, NULL, ARGS ("--help"));
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "login"));
  g_assert_nonnull (strstr (run.out, "logout"));
  g_assert_nonnull (strstr (run.out, "identity"));
  g_assert_nonnull (strstr (run.out, "--version"));
}

static void
test_version (void)
{
  g_auto(Run) run = { 0, };

  run_cli (&run, NULL, NULL, ARGS ("--version"));
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "stompy-connect-cli " PACKAGE_VERSION "\n");
}

static void
test_subcommand_help (void)
{
  g_auto(Run) run = { 0, };

  run_cli (&run, NULL, NULL, ARGS ("identity", "--help"));
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--profile"));
  g_assert_nonnull (strstr (run.out, "--json"));
}

static void
test_bad_usage (void)
{
  const char * const *cases[] = {
    ARGS ("identity", "--bogus"),
    ARGS ("identity", "extra-argument"),
    ARGS ("frobnicate"),
    ARGS ("--frobnicate"),
    ARGS ("identity", "--profile"),
    ARGS ("login", "--email", "not-an-email", "--password-stdin"),
    /* There is no way to pass a password as an argument. */
    ARGS ("login", "--email", "ops@example.com", "--password", "secret"),
    ARGS ("login", "--password-stdin"),
    /* No terminal to prompt on (standard input is a pipe). */
    ARGS ("login", "--email", "ops@example.com"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0, };

      run_cli (&run, NULL, NULL, cases[i]);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpstr (run.err, !=, "");
    }

  {
    g_auto(Run) run = { 0, };

    /* No command at all: the usage, on standard error. */
    run_cli (&run, NULL, NULL, ARGS (NULL));
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "identity"));
  }
}

/* ---------------------------------------------------------- identity */

typedef struct
{
  const char *profile;
  const char *account_id;
  const char *arn;
  gboolean    is_root;
  const char *role;
} IdentityCase;

static const IdentityCase identity_cases[] = {
  { "emulator-management", "210987654321", "arn:aws:iam::210987654321:user/ops-admin", FALSE, "management" },
  { "emulator-root", "210987654321", "arn:aws:iam::210987654321:root", TRUE, "management" },
  { "emulator-member", "345678901234", "arn:aws:iam::345678901234:user/platform", FALSE, "member" },
  { "emulator-standalone", "456789012345", "arn:aws:iam::456789012345:user/admin", FALSE, "standalone" },
  { "emulator-member-readonly", "345678901234", "arn:aws:iam::345678901234:user/readonly", FALSE, "unknown" },
  { "emulator-session", "345678901234", "arn:aws:sts::345678901234:assumed-role/Admin/ops-session", FALSE, "member" },
};

static void
assert_identity_json (const char         *text,
                      const IdentityCase *expected)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));

  /* Exactly the documented members. */
  g_assert_cmpuint (json_object_get_size (object), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (object, "account_id"), ==, expected->account_id);
  g_assert_cmpstr (json_object_get_string_member (object, "arn"), ==, expected->arn);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "is_root")), ==,
                   G_TYPE_BOOLEAN);
  g_assert_cmpint (json_object_get_boolean_member (object, "is_root"), ==, expected->is_root);
  g_assert_cmpstr (json_object_get_string_member (object, "organization_role"), ==, expected->role);
}

static void
test_identity_json (gconstpointer data)
{
  const IdentityCase *c = data;
  g_auto(Run) run = { 0, };

  run_cli (&run, NULL, NULL, ARGS ("identity", "--profile", c->profile, "--json"));
  g_assert_cmpint (run.status, ==, 0);
  assert_identity_json (run.out, c);
}

static void
test_identity_default_profile (void)
{
  g_auto(Run) run = { 0, };

  /* AWS_PROFILE names the profile when no keys are in the environment. */
  run_cli (&run, NULL, ENV ("AWS_PROFILE", "emulator-standalone"), ARGS ("identity", "--json"));
  g_assert_cmpint (run.status, ==, 0);
  assert_identity_json (run.out, &identity_cases[3]);
}

static void
test_identity_env_beats_profile (void)
{
  g_auto(Run) run = { 0, };

  /* As the AWS CLI: keys in the environment win over AWS_PROFILE. */
  run_cli (&run, NULL,
           ENV ("AWS_PROFILE", "emulator-standalone",
                "AWS_ACCESS_KEY_ID", MEMBER_KEY,
                "AWS_SECRET_ACCESS_KEY", secret_of (MEMBER_KEY)),
           ARGS ("identity", "--json"));
  g_assert_cmpint (run.status, ==, 0);
  assert_identity_json (run.out, &identity_cases[2]);
}

static void
test_identity_profile_flag_beats_env (void)
{
  g_auto(Run) run = { 0, };

  /* …but an explicit --profile wins over the environment. */
  run_cli (&run, NULL,
           ENV ("AWS_ACCESS_KEY_ID", MEMBER_KEY,
                "AWS_SECRET_ACCESS_KEY", secret_of (MEMBER_KEY)),
           ARGS ("identity", "--profile", "emulator-root", "--json"));
  g_assert_cmpint (run.status, ==, 0);
  assert_identity_json (run.out, &identity_cases[1]);
}

static void
test_identity_empty_env_is_unset (void)
{
  g_auto(Run) run = { 0, };

  /* An empty AWS_ACCESS_KEY_ID is no key: the profile is used. */
  run_cli (&run, NULL,
           ENV ("AWS_PROFILE", "emulator-member", "AWS_ACCESS_KEY_ID", ""),
           ARGS ("identity", "--json"));
  g_assert_cmpint (run.status, ==, 0);
  assert_identity_json (run.out, &identity_cases[2]);
}

static void
test_identity_text (void)
{
  g_auto(Run) run = { 0, };

  run_cli (&run, NULL, NULL, ARGS ("identity", "--profile", "emulator-root"));
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "210987654321"));
  g_assert_nonnull (strstr (run.out, "arn:aws:iam::210987654321:root"));
  g_assert_nonnull (strstr (run.out, "Root user:     yes"));
  g_assert_nonnull (strstr (run.out, "management account"));
  /* The seed's advice for the management account. */
  g_assert_nonnull (strstr (run.out, "sees the cost data of every member account"));
}

typedef struct
{
  const char *name;
  const char *profile;
  const char *message;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "wrong-secret", "wrong-secret", "secret access key does not match" },
  { "unknown-key", "unknown-key", "does not know this access key ID" },
  { "expired-token", "emulator-expired", "has expired" },
  { "no-such-profile", "no-such-profile", "no AWS profile named “no-such-profile”" },
};

static void
test_identity_error (gconstpointer data)
{
  const ErrorCase *c = data;
  g_auto(Run) run = { 0, };

  run_cli (&run, NULL, NULL, ARGS ("identity", "--profile", c->profile, "--json"));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, c->message));
  /* Never the secret, even in an error. */
  g_assert_null (strstr (run.err, "WrongSecretKey"));
  g_assert_null (strstr (run.err, "EmulatorMgmtSecretKey"));
  g_assert_null (strstr (run.err, "EmulatorExpiredSecretKey"));
}

static void
test_identity_request_id (void)
{
  g_auto(Run) run = { 0, };

  /* AWS errors carry a request id that support can look up. */
  run_cli (&run, NULL, NULL, ARGS ("identity", "--profile", "wrong-secret"));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "AWS request ID: "));
}

static void
test_identity_network_error (void)
{
  g_auto(Run) run = { 0, };

  /* Port 9 on loopback: nothing listens (discard is never enabled here). */
  run_cli (&run, NULL, ENV ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
           ARGS ("identity", "--profile", "emulator-management"));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Could not reach AWS"));
}

/* ------------------------------------------------------ login / logout */

static void
test_login_logout (void)
{
  g_autofree char *input = g_strdup ("correct horse battery staple\n");
  gint64 deletes_before = stompy_test_emulator_count_requests (emulator,
                                                               "stompy:DELETE /sessions/current");

  {
    g_auto(Run) run = { 0, };

    run_cli (&run, input, NULL,
             ARGS ("login", "--email", "ops@example.com", "--password-stdin"));
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "Signed in as Li Wei <ops@example.com> (Example Ltd)\n");
    /* Kept in the keyring: no warning that it could not be. */
    g_assert_null (strstr (run.err, "keyring"));
    g_assert_null (strstr (run.err, "correct horse"));
  }

  {
    g_auto(Run) run = { 0, };

    /* Another process works without signing in again. */
    run_cli (&run, NULL, NULL, ARGS ("identity", "--profile", "emulator-member", "--json"));
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    g_auto(Run) run = { 0, };

    /* logout finds the stored session, ends it at Stompy and forgets it. */
    run_cli (&run, NULL, NULL, ARGS ("logout"));
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "Signed out.\n");
    g_assert_cmpint (stompy_test_emulator_count_requests (emulator,
                                                          "stompy:DELETE /sessions/current"),
                     ==, deletes_before + 1);
  }

  {
    g_auto(Run) run = { 0, };

    run_cli (&run, NULL, NULL, ARGS ("logout"));
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "Not signed in.\n");
    g_assert_cmpint (stompy_test_emulator_count_requests (emulator,
                                                          "stompy:DELETE /sessions/current"),
                     ==, deletes_before + 1);
  }
}

static void
test_login_wrong_password (void)
{
  g_auto(Run) run = { 0, };

  run_cli (&run, "not the password\n", NULL,
           ARGS ("login", "--email", "ops@example.com", "--password-stdin"));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "email address or password is wrong"));
  g_assert_null (strstr (run.err, "not the password"));
}

static void
test_login_keyring_unavailable (void)
{
  g_auto(Run) run = { 0, };

  /* Signed in, but the session cannot be kept: success, with a warning that
   * the next command will ask again. */
  run_cli (&run, "correct horse battery staple\n",
           ENV ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/stompy-test-bus"),
           ARGS ("login", "--email", "ops@example.com", "--password-stdin"));
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Signed in as Li Wei <ops@example.com> (Example Ltd)\n");
  g_assert_nonnull (strstr (run.err, "could not be kept in the keyring"));
  g_assert_null (strstr (run.err, "correct horse"));
}

static void
test_login_unreachable (void)
{
  g_auto(Run) run = { 0, };

  run_cli (&run, "correct horse battery staple\n", ENV ("STOMPY_API_URL", "http://127.0.0.1:9/v1"),
           ARGS ("login", "--email", "ops@example.com", "--password-stdin"));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Could not reach Stompy"));
}

/* ------------------------------------------------------------- i18n */

static gboolean
has_cjk (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x4E00 && c <= 0x9FFF)
        return TRUE;
    }
  return FALSE;
}

static void
test_help_in_chinese (void)
{
  const char *localedir = g_getenv ("STOMPY_LOCALEDIR");
  g_autofree char *mo = NULL;
  g_auto(Run) run = { 0, };

  g_assert_nonnull (localedir);
  mo = g_build_filename (localedir, "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("The Chinese translation is not built");
      return;
    }

  run_cli (&run, NULL,
           ENV ("LANGUAGE", "zh_CN", "LANG", "C.UTF-8", "LC_ALL", NULL,
                "STOMPY_LOCALEDIR", localedir),
           ARGS ("--help"));
  g_assert_cmpint (run.status, ==, 0);
  /* The command names stay; the descriptions are Chinese. */
  g_assert_nonnull (strstr (run.out, "identity"));
  g_assert_true (has_cjk (run.out));
  g_assert_null (strstr (run.out, "Show the AWS account the credentials belong to"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *build_root;
  int status;

  /* For the messages quoting the CLI's (UTF-8) output. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  build_root = g_getenv ("STOMPY_BUILD_ROOT");
  g_assert_nonnull (build_root);
  cli_path = g_build_filename (build_root, "src", "cli", "stompy-connect-cli", NULL);

  tmp_dir = g_dir_make_tmp ("stompy-cli-XXXXXX", &error);
  g_assert_no_error (error);
  config_path = g_build_filename (tmp_dir, "config", NULL);
  credentials_path = g_build_filename (tmp_dir, "credentials", NULL);
  write_aws_files ();

  emulator = stompy_test_emulator_start ();

  g_test_add_func ("/cli/usage/help-lists-the-commands", test_help_lists_commands);
  g_test_add_func ("/cli/usage/version", test_version);
  g_test_add_func ("/cli/usage/command-help-lists-its-options", test_subcommand_help);
  g_test_add_func ("/cli/usage/bad-usage-exits-2", test_bad_usage);
  g_test_add_func ("/cli/usage/help-in-chinese", test_help_in_chinese);

  for (guint i = 0; i < G_N_ELEMENTS (identity_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/identity/json/%s", identity_cases[i].profile);
      g_test_add_data_func (path, &identity_cases[i], test_identity_json);
    }
  g_test_add_func ("/cli/identity/aws-profile-variable-names-the-profile",
                   test_identity_default_profile);
  g_test_add_func ("/cli/identity/environment-keys-beat-aws-profile",
                   test_identity_env_beats_profile);
  g_test_add_func ("/cli/identity/profile-option-beats-environment-keys",
                   test_identity_profile_flag_beats_env);
  g_test_add_func ("/cli/identity/empty-environment-key-is-unset",
                   test_identity_empty_env_is_unset);
  g_test_add_func ("/cli/identity/text-shows-role-and-advice", test_identity_text);
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/identity/error/%s-exits-1",
                                               error_cases[i].name);
      g_test_add_data_func (path, &error_cases[i], test_identity_error);
    }
  g_test_add_func ("/cli/identity/error/shows-aws-request-id", test_identity_request_id);
  g_test_add_func ("/cli/identity/error/network", test_identity_network_error);

  g_test_add_func ("/cli/login/password-stdin-then-logout-clears-keyring", test_login_logout);
  g_test_add_func ("/cli/login/wrong-password-exits-1", test_login_wrong_password);
  g_test_add_func ("/cli/login/unreachable-service-exits-1", test_login_unreachable);
  g_test_add_func ("/cli/login/keyring-unavailable-warns-but-succeeds",
                   test_login_keyring_unavailable);

  status = g_test_run ();

  stompy_test_emulator_stop (emulator);
  g_unlink (config_path);
  g_unlink (credentials_path);
  g_rmdir (tmp_dir);
  g_free (config_path);
  g_free (credentials_path);
  g_free (tmp_dir);
  g_free (cli_path);

  return status;
}
