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
#include "stompy-test-util.h"

static StompyTestEmulator *emulator;
static char *tmp_dir;
static char *config_path;
static char *credentials_path;

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

typedef StompyTestCliRun Run;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, stompy_test_cli_run_clear)

/* Runs the CLI with @args (NULL-terminated), @input on its standard input
 * (NULL: empty), and @env as NULL-terminated NAME, VALUE pairs applied over
 * the base environment (a NULL value unsets). */
static void
run_cli (Run                *run,
         const char         *input,
         const char * const *env,
         const char * const *args)
{
  g_auto(GStrv) envp = stompy_test_emulator_get_environ (emulator);

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

  stompy_test_run_cli (run, (const char * const *) envp, input, args, STOMPY_TEST_WAIT_SECONDS);
  g_assert_false (run->timed_out);
  g_assert_true (run->exited);

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
  g_assert_nonnull (strstr (run.out, "cur"));
  g_assert_nonnull (strstr (run.out, "stack"));
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
    ARGS ("cur"),
    ARGS ("cur", "frobnicate"),
    ARGS ("cur", "list", "extra-argument"),
    ARGS ("stack", "status"),
    ARGS ("stack", "create", "frobnicator", "--acknowledge-iam"),
    ARGS ("stack", "status", "not_a_stack_name!"),
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

/* ------------------------------------------------------------- cur */

#define MGMT_PROFILE "emulator-management"
#define MGMT_ACCOUNT "210987654321"

/* A state directory of its own for each test (XDG_STATE_HOME), and the
 * emulator back to its fixtures. */
typedef struct
{
  char *state_home;
} StateFixture;

static void
state_setup (StateFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "reset", "{}");
  g_autoptr(GError) error = NULL;

  fixture->state_home = g_dir_make_tmp ("stompy-cli-state-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
state_teardown (StateFixture  *fixture,
                gconstpointer  data)
{
  stompy_test_remove_tree (fixture->state_home);
  g_free (fixture->state_home);
}

/* Runs the CLI with the management account's profile and the test's state. */
static void
run_mgmt (Run                *run,
          StateFixture       *fixture,
          const char * const *args)
{
  run_cli (run, NULL, ENV ("AWS_PROFILE", MGMT_PROFILE, "XDG_STATE_HOME", fixture->state_home),
           args);
}

/* The state file the app reads, parsed. */
static JsonNode *
load_state (StateFixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->state_home, "stompy-connect", "state.json",
                                            NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
state_member (JsonNode   *state,
              const char *product,
              const char *part)
{
  JsonObject *object = json_node_get_object (state);

  return json_object_get_object_member (json_object_get_object_member (object, product), part);
}

static gint64
creations (const char *kind)
{
  g_autoptr(JsonNode) stats = stompy_test_emulator_get_stats (emulator);
  JsonObject *made = json_object_get_object_member (json_node_get_object (stats), "creations");

  return made != NULL ? json_object_get_int_member_with_default (made, kind, 0) : 0;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

typedef struct
{
  const char *name;
  gboolean    resource_ids;
  gboolean    data_refresh;
  gboolean    hourly;
  gboolean    athena;
} ReportVerdicts;

/* The fixture reports (tests/emulator/accounts.json), each failing one
 * condition but the first. */
static const ReportVerdicts fixture_reports[] = {
  { "stompy-ready-cur", TRUE, TRUE, TRUE, TRUE },
  { "finance-daily", TRUE, TRUE, FALSE, TRUE },
  { "finance-no-resource-ids", FALSE, TRUE, TRUE, TRUE },
  { "finance-no-refresh", TRUE, FALSE, TRUE, TRUE },
  { "redshift-csv-hourly", TRUE, TRUE, TRUE, FALSE },
  { "legacy-versioned-parquet", TRUE, TRUE, TRUE, FALSE },
};

static void
test_cur_list_json (StateFixture  *fixture,
                    gconstpointer  data)
{
  g_auto(Run) run = { 0, };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  run_mgmt (&run, fixture, ARGS ("cur", "list", "--json"));
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  /* Six reports: both pages of DescribeReportDefinitions. */
  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (fixture_reports));
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator,
                                                        "cur:DescribeReportDefinitions"), ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (fixture_reports); i++)
    {
      const ReportVerdicts *expected = &fixture_reports[i];
      JsonObject *report = json_array_get_object_element (array, i);
      JsonObject *conditions = json_object_get_object_member (report, "conditions");
      gboolean all = expected->resource_ids && expected->data_refresh && expected->hourly
                     && expected->athena;

      g_assert_cmpstr (json_object_get_string_member (report, "name"), ==, expected->name);
      g_assert_nonnull (json_object_get_string_member (report, "bucket"));
      g_assert_nonnull (json_object_get_string_member (report, "prefix"));
      g_assert_nonnull (json_object_get_string_member (report, "region"));
      g_assert_nonnull (json_object_get_string_member (report, "time_unit"));
      g_assert_nonnull (json_object_get_string_member (report, "format"));
      g_assert_cmpint (json_object_get_boolean_member (conditions, "resource_ids"), ==,
                       expected->resource_ids);
      g_assert_cmpint (json_object_get_boolean_member (conditions, "data_refresh"), ==,
                       expected->data_refresh);
      g_assert_cmpint (json_object_get_boolean_member (conditions, "hourly"), ==,
                       expected->hourly);
      g_assert_cmpint (json_object_get_boolean_member (conditions, "athena"), ==,
                       expected->athena);
      g_assert_cmpint (json_object_get_boolean_member (report, "meets_all"), ==, all);
    }

  {
    JsonObject *ready = json_array_get_object_element (array, 0);

    g_assert_cmpstr (json_object_get_string_member (ready, "bucket"), ==,
                     "stompy-existing-cur-" MGMT_ACCOUNT);
    g_assert_cmpstr (json_object_get_string_member (ready, "prefix"), ==, "cur");
    g_assert_cmpstr (json_object_get_string_member (ready, "region"), ==, "ap-southeast-1");
    g_assert_cmpstr (json_object_get_string_member (ready, "time_unit"), ==, "HOURLY");
    g_assert_cmpstr (json_object_get_string_member (ready, "format"), ==, "Parquet");
  }
}

static void
test_cur_list_text (StateFixture  *fixture,
                    gconstpointer  data)
{
  g_auto(Run) run = { 0, };
  g_auto(GStrv) lines = NULL;

  run_mgmt (&run, fixture, ARGS ("cur", "list"));
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);

  for (guint i = 0; i < G_N_ELEMENTS (fixture_reports); i++)
    {
      const ReportVerdicts *expected = &fixture_reports[i];
      const gboolean marks[] = { expected->resource_ids, expected->data_refresh,
                                 expected->hourly, expected->athena };
      g_autofree char *prefix = g_strconcat (expected->name, " ", NULL);
      gboolean found = FALSE;

      for (guint l = 0; lines[l] != NULL; l++)
        {
          g_auto(GStrv) cells = NULL;
          g_autoptr(GPtrArray) words = g_ptr_array_new ();

          if (!g_str_has_prefix (lines[l], prefix))
            continue;
          found = TRUE;
          cells = g_strsplit (lines[l], " ", -1);
          for (guint c = 0; cells[c] != NULL; c++)
            if (*cells[c] != '\0')
              g_ptr_array_add (words, cells[c]);

          /* name, the four marks, then where it is delivered. */
          g_assert_cmpuint (words->len, >=, 6);
          for (guint m = 0; m < G_N_ELEMENTS (marks); m++)
            g_assert_cmpstr (g_ptr_array_index (words, m + 1), ==, marks[m] ? "✓" : "✗");
          g_assert_true (g_str_has_prefix (g_ptr_array_index (words, 5), "s3://"));
        }
      g_assert_true (found);
    }

  g_assert_nonnull (strstr (run.out, "“stompy-ready-cur” meets all four conditions"));
  g_assert_null (strstr (run.out, "“finance-daily” meets"));
}

static void
test_cur_create_then_reuse (StateFixture  *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) state = NULL;
  JsonObject *cur;

  {
    g_auto(Run) run = { 0, };

    run_mgmt (&run, fixture, ARGS ("cur", "create", "--report", "stompy-cur",
                                   "--bucket", "stompy-cur-" MGMT_ACCOUNT, "--yes"));
    g_assert_cmpint (run.status, ==, 0);
    /* The policy first, then one line per sub-step, then the note. */
    g_assert_nonnull (strstr (run.out, "billingreports.amazonaws.com"));
    g_assert_nonnull (strstr (run.out, "Bucket “stompy-cur-" MGMT_ACCOUNT "” created in "
                                       "ap-southeast-1."));
    g_assert_nonnull (strstr (run.out, "Public access to the bucket is blocked."));
    g_assert_nonnull (strstr (run.out, "delivery statements were added"));
    g_assert_nonnull (strstr (run.out, "Report “stompy-cur” created."));
    g_assert_nonnull (strstr (run.out, "24–48 hours"));
    g_assert_null (strstr (run.out, "reused"));
  }
  g_assert_cmpint (creations ("s3:bucket"), ==, 1);
  g_assert_cmpint (creations ("cur:report"), ==, 1);

  /* Recorded for the app, as its page does. */
  state = load_state (fixture);
  cur = state_member (state, "analysaver", "cur");
  g_assert_cmpstr (json_object_get_string_member (cur, "kind"), ==, "legacy");
  g_assert_cmpstr (json_object_get_string_member (cur, "origin"), ==, "created");
  g_assert_cmpstr (json_object_get_string_member (cur, "report_name"), ==, "stompy-cur");
  g_assert_cmpstr (json_object_get_string_member (cur, "bucket"), ==, "stompy-cur-" MGMT_ACCOUNT);
  g_assert_cmpstr (json_object_get_string_member (cur, "prefix"), ==, "cur");
  g_assert_cmpstr (json_object_get_string_member (cur, "region"), ==, "ap-southeast-1");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (state), "account_id"), ==,
                   MGMT_ACCOUNT);

  {
    g_auto(Run) run = { 0, };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *result;

    /* Again: everything found in place, nothing created twice. */
    run_mgmt (&run, fixture, ARGS ("cur", "create", "--report", "stompy-cur",
                                   "--bucket", "stompy-cur-" MGMT_ACCOUNT, "--yes", "--json"));
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    result = json_node_get_object (root);
    g_assert_false (json_object_get_boolean_member (result, "bucket_created"));
    g_assert_false (json_object_get_boolean_member (result, "report_created"));
    g_assert_cmpstr (json_object_get_string_member (result, "policy"), ==, "unchanged");
    g_assert_cmpstr (json_object_get_string_member (result, "name"), ==, "stompy-cur");
    /* The progress lines went to standard error. */
    g_assert_nonnull (strstr (run.err, "is already yours in ap-southeast-1: reused."));
    g_assert_nonnull (strstr (run.err, "The report “stompy-cur” already exists and meets all "
                                       "four conditions: reused."));
  }
  g_assert_cmpint (creations ("s3:bucket"), ==, 1);
  g_assert_cmpint (creations ("cur:report"), ==, 1);
}

typedef struct
{
  const char *bucket;
  const char *message;
} BucketFailure;

static const BucketFailure bucket_failures[] = {
  { "stompy-taken-bucket",
    "The bucket name “stompy-taken-bucket” is taken by another AWS account" },
  { "stompy-cur-uswest2-" MGMT_ACCOUNT, "is yours but in us-west-2, not in ap-southeast-1" },
};

static void
test_cur_create_bucket_failure (StateFixture  *fixture,
                                gconstpointer  data)
{
  const BucketFailure *failure = data;
  g_auto(Run) run = { 0, };

  run_mgmt (&run, fixture, ARGS ("cur", "create", "--report", "stompy-cur",
                                 "--bucket", failure->bucket, "--yes"));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, failure->message));
  g_assert_cmpint (creations ("cur:report"), ==, 0);
}

static void
test_cur_create_bad_usage (StateFixture  *fixture,
                           gconstpointer  data)
{
  struct
  {
    const char * const *args;
    const char         *message;
  } cases[] = {
    { ARGS ("cur", "create", "--report", "stompy-cur", "--bucket", "Stompy_Cur", "--yes"),
      "The bucket name “Stompy_Cur” is not valid: uppercase letters are not allowed" },
    { ARGS ("cur", "create", "--report", "stompy-cur", "--bucket", "192.168.5.4", "--yes"),
      "look like an IP address" },
    { ARGS ("cur", "create", "--report", "stompy-cur", "--bucket", "ab", "--yes"),
      "at least 3 characters" },
    { ARGS ("cur", "create", "--report", "stompy cur", "--bucket", "stompy-cur-1", "--yes"),
      "The report name “stompy cur” is not valid" },
    { ARGS ("cur", "create", "--report", "stompy-cur", "--bucket", "stompy-cur-1",
            "--prefix", "/cur", "--yes"),
      "may not begin with “/”" },
    { ARGS ("cur", "create", "--report", "stompy-cur", "--bucket", "stompy-cur-1",
            "--prefix", "", "--yes"),
      "needs a prefix" },
    { ARGS ("cur", "create", "--report", "stompy.cur", "--bucket", "stompy-cur-1",
            "--data-export", "--yes"),
      "The export name “stompy.cur” is not valid" },
    { ARGS ("cur", "create", "--bucket", "stompy-cur-1", "--yes"), "--report" },
    { ARGS ("cur", "create", "--report", "stompy-cur", "--yes"), "--bucket" },
    { ARGS ("cur", "create", "--report", "stompy-cur", "--bucket", "stompy-cur-1",
            "--region", "mars-north-1", "--yes"),
      "not an AWS region name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0, };

      run_mgmt (&run, fixture, cases[i].args);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].message));
    }

  /* Checked locally: not one request was sent. */
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "sts:GetCallerIdentity"), ==, 0);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "s3:CreateBucket"), ==, 0);
}

static void
test_cur_create_needs_yes (StateFixture  *fixture,
                           gconstpointer  data)
{
  g_auto(Run) run = { 0, };
  g_autoptr(JsonNode) policy = NULL;
  g_autofree char *state_path = NULL;
  JsonArray *statements;

  run_mgmt (&run, fixture, ARGS ("cur", "create", "--report", "stompy-cur",
                                 "--bucket", "stompy-cur-" MGMT_ACCOUNT));
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--yes"));

  /* The policy that would be applied, for this account, is what was printed. */
  policy = parse_json (run.out);
  statements = json_object_get_array_member (json_node_get_object (policy), "Statement");
  g_assert_cmpuint (json_array_get_length (statements), >=, 2);
  g_assert_nonnull (strstr (run.out, "billingreports.amazonaws.com"));
  g_assert_nonnull (strstr (run.out, "arn:aws:s3:::stompy-cur-" MGMT_ACCOUNT "/*"));
  g_assert_nonnull (strstr (run.out, "arn:aws:cur:us-east-1:" MGMT_ACCOUNT ":definition/"));

  g_assert_cmpint (creations ("s3:bucket"), ==, 0);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "s3:CreateBucket"), ==, 0);
  state_path = g_build_filename (fixture->state_home, "stompy-connect", "state.json", NULL);
  g_assert_false (g_file_test (state_path, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------- stack */

static void
login (StateFixture *fixture)
{
  g_auto(Run) run = { 0, };

  run_cli (&run, "correct horse battery staple\n",
           ENV ("XDG_STATE_HOME", fixture->state_home),
           ARGS ("login", "--email", "ops@example.com", "--password-stdin"));
  g_assert_cmpint (run.status, ==, 0);
}

static void
logout (StateFixture *fixture)
{
  g_auto(Run) run = { 0, };

  run_cli (&run, NULL, ENV ("XDG_STATE_HOME", fixture->state_home), ARGS ("logout"));
  g_assert_cmpint (run.status, ==, 0);
}

#define ANALYSAVER_ROLE_ARN "arn:aws:iam::" MGMT_ACCOUNT ":role/StompyAnalySaverRole"

static void
test_stack_create_then_reuse (StateFixture  *fixture,
                              gconstpointer  data)
{
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *token = NULL;
  JsonObject *stack;

  login (fixture);

  {
    g_auto(Run) run = { 0, };

    /* The report's bucket comes from the state "cur create" left. */
    run_mgmt (&run, fixture, ARGS ("cur", "create", "--report", "stompy-cur",
                                   "--bucket", "stompy-cur-" MGMT_ACCOUNT, "--yes"));
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    g_auto(Run) run = { 0, };

    run_mgmt (&run, fixture, ARGS ("stack", "create", "analysaver", "--acknowledge-iam"));
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Creating the stack “StompyAnalySaver” in "
                                       "ap-southeast-1"));
    /* Progress lines, one per event, with resources done / total. */
    g_assert_nonnull (strstr (run.out, "CREATE_IN_PROGRESS 0/2 StompyAnalySaver — User "
                                       "Initiated\n"));
    g_assert_nonnull (strstr (run.out, "CREATE_COMPLETE 1/2 StompyAnalySaverRole\n"));
    g_assert_nonnull (strstr (run.out, "CREATE_COMPLETE 2/2 StompyAnalySaver\n"));
    g_assert_nonnull (strstr (run.out, "RoleArn: " ANALYSAVER_ROLE_ARN "\n"));
  }
  g_assert_cmpint (creations ("cloudformation:stack"), ==, 1);

  state = load_state (fixture);
  stack = state_member (state, "analysaver", "stack");
  g_assert_cmpstr (json_object_get_string_member (stack, "stack-name"), ==, "StompyAnalySaver");
  g_assert_cmpstr (json_object_get_string_member (stack, "status"), ==, "CREATE_COMPLETE");
  g_assert_cmpstr (json_object_get_string_member (stack, "role-arn"), ==, ANALYSAVER_ROLE_ARN);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (stack, "stack-id"),
                                   "arn:aws:cloudformation:ap-southeast-1:" MGMT_ACCOUNT
                                   ":stack/StompyAnalySaver/"));
  g_assert_true (json_object_get_boolean_member (stack, "iam-acknowledged"));
  token = g_strdup (json_object_get_string_member (stack, "client-request-token"));
  g_assert_nonnull (token);

  {
    g_auto(Run) run = { 0, };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *result;

    run_mgmt (&run, fixture, ARGS ("stack", "create", "analysaver", "--acknowledge-iam",
                                   "--json"));
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    result = json_node_get_object (root);
    g_assert_cmpstr (json_object_get_string_member (result, "outcome"), ==, "reused");
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "CREATE_COMPLETE");
    g_assert_cmpstr (json_object_get_string_member (result, "role_arn"), ==,
                     ANALYSAVER_ROLE_ARN);
  }
  g_assert_cmpint (creations ("cloudformation:stack"), ==, 1);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:CreateStack"),
                   ==, 1);

  /* The same operation's token is kept. */
  g_clear_pointer (&state, json_node_unref);
  state = load_state (fixture);
  stack = state_member (state, "analysaver", "stack");
  g_assert_cmpstr (json_object_get_string_member (stack, "client-request-token"), ==, token);

  {
    g_auto(Run) run = { 0, };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *status;
    JsonArray *events;

    run_mgmt (&run, fixture, ARGS ("stack", "status", "StompyAnalySaver", "--json"));
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    status = json_node_get_object (root);
    g_assert_cmpstr (json_object_get_string_member (status, "stack_name"), ==,
                     "StompyAnalySaver");
    g_assert_cmpstr (json_object_get_string_member (status, "status"), ==, "CREATE_COMPLETE");
    g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "complete");
    g_assert_cmpstr (json_object_get_string_member (status, "role_arn"), ==,
                     ANALYSAVER_ROLE_ARN);
    g_assert_true (json_object_get_null_member (status, "failure_reason"));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (status,
                                                                                "progress"),
                                                 "done"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (status,
                                                                                "progress"),
                                                 "total"), ==, 2);
    events = json_object_get_array_member (status, "events");
    g_assert_cmpuint (json_array_get_length (events), ==, 5);
    /* Newest first. */
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0),
                                                    "resource_status"), ==, "CREATE_COMPLETE");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0),
                                                    "logical_resource_id"), ==,
                     "StompyAnalySaver");
  }

  logout (fixture);
}

static void
test_stack_create_needs_acknowledgement (StateFixture  *fixture,
                                         gconstpointer  data)
{
  g_auto(Run) run = { 0, };

  run_mgmt (&run, fixture, ARGS ("stack", "create", "analysaver",
                                 "--cur-bucket", "stompy-cur-" MGMT_ACCOUNT));
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--acknowledge-iam"));
  g_assert_nonnull (strstr (run.err, "might create IAM resources"));
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:GET /aws/onboarding"),
                   ==, 0);
  g_assert_cmpint (creations ("cloudformation:stack"), ==, 0);
}

static void
test_stack_create_needs_sign_in (StateFixture  *fixture,
                                 gconstpointer  data)
{
  g_auto(Run) run = { 0, };

  logout (fixture);
  run_mgmt (&run, fixture, ARGS ("stack", "create", "spotainer", "--acknowledge-iam"));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "not signed in to Stompy"));
  g_assert_nonnull (strstr (run.err, "stompy-connect-cli login"));
  g_assert_cmpint (creations ("cloudformation:stack"), ==, 0);
}

static void
test_stack_create_needs_cur_bucket (StateFixture  *fixture,
                                    gconstpointer  data)
{
  g_auto(Run) run = { 0, };

  /* No report recorded and no --cur-bucket: AnalySaver's role would read nothing. */
  run_mgmt (&run, fixture, ARGS ("stack", "create", "analysaver", "--acknowledge-iam"));
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "cur create"));
}

static void
test_stack_no_wait_keeps_token (StateFixture  *fixture,
                                gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  const char *token;

  /* Slow enough to be still in progress on the second run. */
  reply = stompy_test_emulator_control (emulator, "timings", "{\"stack_seconds\": 30}");
  login (fixture);

  {
    g_auto(Run) run = { 0, };

    run_mgmt (&run, fixture, ARGS ("stack", "create", "spotainer", "--acknowledge-iam",
                                   "--no-wait"));
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "stack status StompySpoTainer"));
  }
  first = load_state (fixture);
  token = json_object_get_string_member (state_member (first, "spotainer", "stack"),
                                         "client-request-token");
  g_assert_nonnull (token);
  g_assert_cmpstr (json_object_get_string_member (state_member (first, "spotainer", "stack"),
                                                  "status"), ==, "CREATE_IN_PROGRESS");

  {
    g_auto(Run) run = { 0, };
    g_autoptr(JsonNode) root = NULL;

    /* A second run finds the stack busy and follows it; nothing is created
     * again and the recorded token stays. */
    run_mgmt (&run, fixture, ARGS ("stack", "create", "spotainer", "--acknowledge-iam",
                                   "--no-wait", "--json"));
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "outcome"), ==,
                     "in-progress");
  }
  g_assert_cmpint (creations ("cloudformation:stack"), ==, 1);
  second = load_state (fixture);
  g_assert_cmpstr (json_object_get_string_member (state_member (second, "spotainer", "stack"),
                                                  "client-request-token"), ==, token);

  {
    g_auto(Run) run = { 0, };

    run_mgmt (&run, fixture, ARGS ("stack", "status", "StompySpoTainer"));
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "CREATE_IN_PROGRESS (in-progress)"));
    g_assert_nonnull (strstr (run.out, "Latest events:"));
  }

  logout (fixture);
}

#define FAILURE_REASON "API: iam:CreateRole User: arn:aws:iam::210987654321:user/ops-admin is " \
                       "not authorized to perform: iam:CreateRole"

static void
test_stack_failure_explained (StateFixture  *fixture,
                              gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) state = NULL;

  login (fixture);
  reply = stompy_test_emulator_control (emulator, "faults",
                                        "{\"kind\": \"stack_fail\", "
                                        "\"target\": \"cloudformation:CreateStack\", "
                                        "\"reason\": \"" FAILURE_REASON "\"}");

  {
    g_auto(Run) run = { 0, };

    run_mgmt (&run, fixture, ARGS ("stack", "create", "analysaver", "--acknowledge-iam",
                                   "--cur-bucket", "stompy-cur-" MGMT_ACCOUNT));
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.out, "CREATE_FAILED"));
    g_assert_nonnull (strstr (run.err, "The stack “StompyAnalySaver” failed "
                                       "(ROLLBACK_COMPLETE): StompyAnalySaverRole: "
                                       FAILURE_REASON));
    g_assert_nonnull (strstr (run.err, "stompy-connect-cli stack delete StompyAnalySaver"));
    g_assert_null (strstr (run.out, "RoleArn"));
  }

  state = load_state (fixture);
  g_assert_cmpstr (json_object_get_string_member (state_member (state, "analysaver", "stack"),
                                                  "status"), ==, "ROLLBACK_COMPLETE");

  {
    g_auto(Run) run = { 0, };

    /* Again: the stack of that name is explained, not re-created. */
    run_mgmt (&run, fixture, ARGS ("stack", "create", "analysaver", "--acknowledge-iam",
                                   "--cur-bucket", "stompy-cur-" MGMT_ACCOUNT));
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "exists but cannot be used"));
    g_assert_nonnull (strstr (run.err, FAILURE_REASON));
  }
  g_assert_cmpint (creations ("cloudformation:stack"), ==, 1);

  {
    g_auto(Run) run = { 0, };
    g_autoptr(JsonNode) root = NULL;

    run_mgmt (&run, fixture, ARGS ("stack", "status", "StompyAnalySaver", "--json"));
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "state"), ==,
                     "rolled-back");
    g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (root),
                                                             "failure_reason"),
                              FAILURE_REASON));
  }

  {
    g_auto(Run) run = { 0, };

    /* Delete and retry, as the hint says. */
    run_mgmt (&run, fixture, ARGS ("stack", "delete", "StompyAnalySaver"));
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "is deleted"));
  }

  {
    g_auto(Run) run = { 0, };

    run_mgmt (&run, fixture, ARGS ("stack", "create", "analysaver", "--acknowledge-iam",
                                   "--cur-bucket", "stompy-cur-" MGMT_ACCOUNT));
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "RoleArn: " ANALYSAVER_ROLE_ARN));
  }
  g_assert_cmpint (creations ("cloudformation:stack"), ==, 2);

  {
    g_auto(Run) run = { 0, };

    /* A complete stack is not deleted without --yes. */
    run_mgmt (&run, fixture, ARGS ("stack", "delete", "StompyAnalySaver"));
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--yes"));
  }

  logout (fixture);
}

static void
test_stack_status_missing (StateFixture  *fixture,
                           gconstpointer  data)
{
  g_auto(Run) run = { 0, };

  run_mgmt (&run, fixture, ARGS ("stack", "status", "NoSuchStack"));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "There is no stack named “NoSuchStack” in ap-southeast-1."));
}

/* ------------------------------------------------------------- i18n */


/* ------------------------------------------------------------- connect */

#define SPOTAINER_ROLE_ARN "arn:aws:iam::" MGMT_ACCOUNT ":role/StompySpoTainerRole"
#define CONNECT_BUCKET "stompy-cur-" MGMT_ACCOUNT

static JsonObject *
check_of (JsonArray  *checks,
          const char *id)
{
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_strcmp0 (json_object_get_string_member (check, "id"), id) == 0)
        return check;
    }

  return NULL;
}

/* The --json result: account, status, checks, and each product's object (null
 * when not chosen). */
static void
assert_connect_result (const char *text,
                       const char *expected_status,
                       gboolean    analysaver,
                       gboolean    spotainer)
{
  g_autoptr(JsonNode) root = parse_json (text);
  JsonObject *result = json_node_get_object (root);
  JsonArray *checks = json_object_get_array_member (result, "checks");
  guint n_checks = (analysaver ? 2 : 0) + (spotainer ? 1 : 0);

  g_assert_cmpstr (json_object_get_string_member (result, "account_id"), ==, MGMT_ACCOUNT);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, expected_status);
  g_assert_cmpuint (json_array_get_length (checks), ==, n_checks);
  for (guint i = 0; i < n_checks; i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "ok");
      g_assert_true (json_object_has_member (check, "message"));
    }

  if (analysaver)
    {
      JsonObject *object = json_object_get_object_member (result, "analysaver");
      JsonObject *cur = json_object_get_object_member (object, "cur");

      g_assert_nonnull (check_of (checks, "assume_analysaver_role"));
      g_assert_nonnull (check_of (checks, "read_cur_bucket"));
      g_assert_cmpstr (json_object_get_string_member (object, "role_arn"), ==,
                       ANALYSAVER_ROLE_ARN);
      g_assert_cmpstr (json_object_get_string_member (object, "stack_name"), ==,
                       "StompyAnalySaver");
      g_assert_cmpstr (json_object_get_string_member (cur, "kind"), ==, "legacy");
      g_assert_cmpstr (json_object_get_string_member (cur, "report_name"), ==, "stompy-cur");
      g_assert_cmpstr (json_object_get_string_member (cur, "bucket"), ==, CONNECT_BUCKET);
      g_assert_cmpstr (json_object_get_string_member (cur, "prefix"), ==, "cur");
      g_assert_cmpstr (json_object_get_string_member (cur, "region"), ==, "ap-southeast-1");
    }
  else
    {
      g_assert_true (json_object_get_null_member (result, "analysaver"));
    }

  if (spotainer)
    {
      JsonObject *object = json_object_get_object_member (result, "spotainer");

      g_assert_nonnull (check_of (checks, "assume_spotainer_role"));
      g_assert_cmpstr (json_object_get_string_member (object, "role_arn"), ==,
                       SPOTAINER_ROLE_ARN);
      g_assert_cmpstr (json_object_get_string_member (object, "stack_name"), ==,
                       "StompySpoTainer");
    }
  else
    {
      g_assert_true (json_object_get_null_member (result, "spotainer"));
    }
}

/* The state file records every step and the connection. */
static void
assert_connect_state (StateFixture *fixture,
                      const char   *expected_status)
{
  g_autoptr(JsonNode) state = load_state (fixture);
  JsonObject *root = json_node_get_object (state);
  JsonObject *connection = json_object_get_object_member (root, "connection");

  g_assert_cmpstr (json_object_get_string_member (root, "step"), ==, "done");
  g_assert_cmpstr (json_object_get_string_member (root, "account_id"), ==, MGMT_ACCOUNT);
  g_assert_cmpstr (json_object_get_string_member (connection, "account_id"), ==, MGMT_ACCOUNT);
  g_assert_cmpstr (json_object_get_string_member (connection, "status"), ==, expected_status);
  g_assert_true (json_object_get_boolean_member (connection, "submitted"));
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (connection,
                                                                       "idempotency_key")));
}

static const char * const connect_analysaver_args[] = {
  "connect", "--analysaver", "--report", "stompy-cur", "--bucket", CONNECT_BUCKET,
  "--acknowledge-iam", "--yes", "--json", NULL
};

static void
test_connect_analysaver (StateFixture  *fixture,
                         gconstpointer  data)
{
  login (fixture);

  for (guint run_number = 0; run_number < 2; run_number++)
    {
      g_auto(Run) run = { 0, };

      run_mgmt (&run, fixture, connect_analysaver_args);
      g_assert_cmpint (run.status, ==, 0);
      assert_connect_result (run.out, "waiting_for_data", TRUE, FALSE);
      /* Progress goes to standard error in JSON mode: each check as it settles. */
      g_assert_nonnull (strstr (run.err, "Stompy can read the report’s bucket: ok"));
      assert_connect_state (fixture, "waiting_for_data");

      /* Run twice: everything is recognised and reused, nothing connected twice. */
      g_assert_cmpint (creations ("s3:bucket"), ==, 1);
      g_assert_cmpint (creations ("cur:report"), ==, 1);
      g_assert_cmpint (creations ("cloudformation:stack"), ==, 1);
      g_assert_cmpint (creations ("stompy:aws_account"), ==, 1);
    }
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:CreateStack"),
                   ==, 1);

  {
    g_auto(Run) run = { 0, };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *status, *bucket, *report, *stack, *stompy;

    run_mgmt (&run, fixture, ARGS ("status", "--json"));
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    status = json_node_get_object (root);
    g_assert_cmpstr (json_object_get_string_member (status, "account_id"), ==, MGMT_ACCOUNT);
    bucket = json_object_get_object_member (status, "bucket");
    g_assert_cmpstr (json_object_get_string_member (bucket, "name"), ==, CONNECT_BUCKET);
    g_assert_cmpstr (json_object_get_string_member (bucket, "state"), ==, "known");
    g_assert_cmpstr (json_object_get_string_member (bucket, "exists"), ==, "yes");
    g_assert_cmpstr (json_object_get_string_member (bucket, "delivery_policy"), ==, "yes");
    g_assert_cmpstr (json_object_get_string_member (bucket, "public_access_blocked"), ==, "yes");
    report = json_object_get_object_member (status, "report");
    g_assert_cmpstr (json_object_get_string_member (report, "name"), ==, "stompy-cur");
    g_assert_cmpstr (json_object_get_string_member (report, "state"), ==, "known");
    g_assert_true (json_object_get_boolean_member (report, "found"));
    g_assert_true (json_object_get_boolean_member (json_object_get_object_member (report,
                                                                                  "conditions"),
                                                   "athena"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status, "stacks")),
                      ==, 1);
    stack = json_array_get_object_element (json_object_get_array_member (status, "stacks"), 0);
    g_assert_cmpstr (json_object_get_string_member (stack, "product"), ==, "analysaver");
    g_assert_cmpstr (json_object_get_string_member (stack, "status"), ==, "CREATE_COMPLETE");
    /* Looked at in AWS, not only read from the state file. */
    g_assert_cmpstr (json_object_get_string_member (stack, "state"), ==, "complete");
    g_assert_cmpstr (json_object_get_string_member (stack, "role_arn"), ==, ANALYSAVER_ROLE_ARN);
    stompy = json_object_get_object_member (status, "stompy");
    g_assert_cmpstr (json_object_get_string_member (stompy, "status"), ==, "waiting_for_data");
    g_assert_true (json_object_get_boolean_member (stompy, "live"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (stompy, "checks")),
                      ==, 2);
  }

  {
    g_auto(Run) run = { 0, };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *request;

    /* --dry-run prints the documented body and sends nothing. */
    run_mgmt (&run, fixture, ARGS ("connect", "--analysaver", "--dry-run", "--json"));
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    request = json_node_get_object (root);
    g_assert_cmpstr (json_object_get_string_member (request, "account_id"), ==, MGMT_ACCOUNT);
    g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (request, "analysaver"), "role_arn"),
                     ==, ANALYSAVER_ROLE_ARN);
    g_assert_false (json_object_has_member (request, "spotainer"));
  }
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"),
                   ==, 2);

  logout (fixture);
}

static void
test_connect_spotainer (StateFixture  *fixture,
                        gconstpointer  data)
{
  login (fixture);

  {
    g_auto(Run) run = { 0, };

    run_mgmt (&run, fixture, ARGS ("connect", "--spotainer", "--acknowledge-iam"));
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Creating the stack “StompySpoTainer”"));
    g_assert_nonnull (strstr (run.out, "RoleArn: " SPOTAINER_ROLE_ARN));
    g_assert_nonnull (strstr (run.out, "Stompy can assume the SpoTainer role: ok\n"));
    g_assert_nonnull (strstr (run.out, "Connected: Stompy works with AWS account "
                                       MGMT_ACCOUNT "."));
    /* No report is needed, and none was made. */
    g_assert_cmpint (creations ("s3:bucket"), ==, 0);
    g_assert_cmpint (creations ("cloudformation:stack"), ==, 1);
    g_assert_cmpint (creations ("stompy:aws_account"), ==, 1);
  }
  assert_connect_state (fixture, "connected");

  {
    g_auto(Run) run = { 0, };

    run_mgmt (&run, fixture, ARGS ("connect", "--spotainer", "--acknowledge-iam", "--json"));
    g_assert_cmpint (run.status, ==, 0);
    assert_connect_result (run.out, "connected", FALSE, TRUE);
    g_assert_cmpint (creations ("cloudformation:stack"), ==, 1);
    g_assert_cmpint (creations ("stompy:aws_account"), ==, 1);
  }

  {
    g_auto(Run) run = { 0, };

    run_mgmt (&run, fixture, ARGS ("status"));
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Stack:        StompySpoTainer CREATE_COMPLETE\n"));
    g_assert_nonnull (strstr (run.out, "Stompy:       connected\n"));
    g_assert_nonnull (strstr (run.out, "Stompy can assume the SpoTainer role: ok\n"));
    /* No report was chosen, so no bucket is shown. */
    g_assert_null (strstr (run.out, "Bucket:"));
  }

  logout (fixture);
}

/* Both products, from an answers file. */
static void
test_connect_both_from_answers (StateFixture  *fixture,
                                gconstpointer  data)
{
  g_autofree char *answers = g_build_filename (fixture->state_home, "answers.json", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (answers,
                       "{ \"analysaver\": true, \"spotainer\": true, \"report\": \"stompy-cur\", "
                       "  \"bucket\": \"" CONNECT_BUCKET "\", \"acknowledge-iam\": true, "
                       "  \"yes\": true }", -1, &error);
  g_assert_no_error (error);
  login (fixture);

  for (guint run_number = 0; run_number < 2; run_number++)
    {
      g_auto(Run) run = { 0, };

      run_mgmt (&run, fixture, ARGS ("connect", "--answers", answers, "--json"));
      g_assert_cmpint (run.status, ==, 0);
      assert_connect_result (run.out, "waiting_for_data", TRUE, TRUE);
      g_assert_cmpint (creations ("s3:bucket"), ==, 1);
      g_assert_cmpint (creations ("cur:report"), ==, 1);
      g_assert_cmpint (creations ("cloudformation:stack"), ==, 2);
      g_assert_cmpint (creations ("stompy:aws_account"), ==, 1);
    }
  assert_connect_state (fixture, "waiting_for_data");

  logout (fixture);
  g_unlink (answers);
}

/* A check that fails: exit 1, each failed check with its message. */
static void
test_connect_failed_check (StateFixture  *fixture,
                           gconstpointer  data)
{
  g_auto(Run) run = { 0, };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *check;

  login (fixture);
  run_mgmt (&run, fixture, ARGS ("connect", "--analysaver", "--report", "stompy-cur",
                                 "--bucket", "stompy-cur-unreadable", "--acknowledge-iam",
                                 "--yes", "--json"));
  g_assert_cmpint (run.status, ==, 1);
  root = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==,
                   "failed");
  check = check_of (json_object_get_array_member (json_node_get_object (root), "checks"),
                    "read_cur_bucket");
  g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (check, "message"), !=, "");
  g_assert_nonnull (strstr (run.err, "Stompy could not verify the connection."));
  g_assert_nonnull (strstr (run.err, json_object_get_string_member (check, "message")));

  logout (fixture);
}

typedef struct
{
  const char *name;
  const char *args[12];
  const char *message;
} ConnectUsageCase;

static const ConnectUsageCase connect_usage_cases[] = {
  { "no-product", { "connect", "--acknowledge-iam", NULL }, "Choose at least one product" },
  { "analysaver-without-report", { "connect", "--analysaver", "--acknowledge-iam", NULL },
    "needs a Cost and Usage Report" },
  { "report-without-bucket",
    { "connect", "--analysaver", "--report", "stompy-cur", "--acknowledge-iam", NULL },
    "both --report and --bucket" },
  { "existing-and-new-report",
    { "connect", "--analysaver", "--existing-report", "stompy-ready-cur", "--report", "x",
      "--bucket", "stompy-cur-x", "--acknowledge-iam", NULL }, "cannot be combined" },
  { "without-acknowledge-iam", { "connect", "--spotainer", NULL }, "--acknowledge-iam" },
  { "bad-bucket-name",
    { "connect", "--analysaver", "--report", "stompy-cur", "--bucket", "Bad_Bucket",
      "--acknowledge-iam", NULL }, "is not valid" },
  { "unknown-answer", { "connect", "--answers", "@unknown", NULL }, "unknown answer" },
  { "answer-wrong-type", { "connect", "--answers", "@wrong-type", NULL }, "must be true or false" },
  { "role-arn-without-guided",
    { "connect", "--spotainer", "--spotainer-role-arn", SPOTAINER_ROLE_ARN, "--acknowledge-iam",
      NULL }, "--spotainer-role-arn is for guided mode" },
  { "guided-without-account-id", { "connect", "--guided", "--spotainer", NULL },
    "add --account-id" },
  { "guided-short-account-id",
    { "connect", "--guided", "--spotainer", "--account-id", "21098765432", NULL },
    "An AWS account ID has exactly 12 digits." },
  { "guided-user-arn",
    { "connect", "--guided", "--spotainer", "--account-id", MGMT_ACCOUNT,
      "--spotainer-role-arn", "arn:aws:iam::" MGMT_ACCOUNT ":user/ops-admin", NULL },
    "not a role" },
  { "guided-role-arn-with-spaces",
    { "connect", "--guided", "--spotainer", "--account-id", MGMT_ACCOUNT,
      "--spotainer-role-arn", " " SPOTAINER_ROLE_ARN, NULL }, "Remove the spaces" },
  { "guided-role-arn-of-unchosen-product",
    { "connect", "--guided", "--spotainer", "--account-id", MGMT_ACCOUNT,
      "--analysaver-role-arn", ANALYSAVER_ROLE_ARN, NULL }, "add --analysaver" },
  { "guided-bad-report-name",
    { "connect", "--guided", "--analysaver", "--account-id", MGMT_ACCOUNT, "--report",
      "stompy cur", "--bucket", CONNECT_BUCKET, NULL }, "The report name “stompy cur” is not valid" },
  { "guided-bad-region",
    { "connect", "--guided", "--spotainer", "--account-id", MGMT_ACCOUNT, "--region",
      "mars-north-1", NULL }, "not an AWS region name" },
  { "guided-with-existing-report",
    { "connect", "--guided", "--analysaver", "--account-id", MGMT_ACCOUNT,
      "--existing-report", "stompy-ready-cur", NULL }, "need AWS credentials" },
};

static void
test_connect_usage (StateFixture  *fixture,
                    gconstpointer  data)
{
  const ConnectUsageCase *c = data;
  g_auto(Run) run = { 0, };
  g_autofree char *answers = g_build_filename (fixture->state_home, "answers.json", NULL);
  const char *args[G_N_ELEMENTS (c->args)] = { NULL, };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; c->args[i] != NULL; i++)
    {
      args[i] = c->args[i];
      if (g_str_equal (args[i], "@unknown"))
        {
          g_file_set_contents (answers, "{\"spotainer\": true, \"rocket\": true}", -1, &error);
          args[i] = answers;
        }
      else if (g_str_equal (args[i], "@wrong-type"))
        {
          g_file_set_contents (answers, "{\"spotainer\": \"yes\"}", -1, &error);
          args[i] = answers;
        }
      g_assert_no_error (error);
    }

  run_mgmt (&run, fixture, args);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, c->message));
  /* Nothing reached AWS or Stompy. */
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:GET /aws/onboarding"),
                   ==, 0);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "sts:GetCallerIdentity"), ==, 0);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"),
                   ==, 0);
  g_unlink (answers);
}

/* A new report without --yes shows the policy and creates nothing. */
static void
test_connect_needs_yes (StateFixture  *fixture,
                        gconstpointer  data)
{
  g_auto(Run) run = { 0, };

  login (fixture);
  run_mgmt (&run, fixture, ARGS ("connect", "--analysaver", "--report", "stompy-cur",
                                 "--bucket", CONNECT_BUCKET, "--acknowledge-iam"));
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "billingreports.amazonaws.com"));
  g_assert_nonnull (strstr (run.err, "--yes"));
  g_assert_cmpint (creations ("s3:bucket"), ==, 0);
  g_assert_cmpint (creations ("stompy:aws_account"), ==, 0);
  logout (fixture);
}

/* ------------------------------------------------------------- connect, guided */

#define OTHER_CORP_ACCOUNT "999988887777"

/* Runs the CLI as a user without AWS credentials: no profile, no keys. */
static void
run_guided (Run                *run,
            StateFixture       *fixture,
            const char * const *args)
{
  run_cli (run, NULL, ENV ("XDG_STATE_HOME", fixture->state_home,
                           "AWS_CONFIG_FILE", "/nonexistent/aws-config",
                           "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials"),
           args);
}

/* Nothing was asked of AWS: everything came from the console, typed back. */
static void
assert_no_aws_requests (void)
{
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "sts:GetCallerIdentity"), ==, 0);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:CreateStack"),
                   ==, 0);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "cloudformation:DescribeStacks"),
                   ==, 0);
  g_assert_cmpint (creations ("s3:bucket"), ==, 0);
  g_assert_cmpint (creations ("cur:report"), ==, 0);
}

typedef struct
{
  const char *name;
  gboolean    analysaver;
  gboolean    spotainer;
  const char *expected_status;
} GuidedCase;

static const GuidedCase guided_cases[] = {
  { "analysaver", TRUE, FALSE, "waiting_for_data" },
  { "spotainer", FALSE, TRUE, "connected" },
  { "both", TRUE, TRUE, "waiting_for_data" },
};

/* The state file as the app's guided mode writes it. */
static void
assert_guided_state (StateFixture     *fixture,
                     const GuidedCase *c)
{
  g_autoptr(JsonNode) state = load_state (fixture);
  JsonObject *root = json_node_get_object (state);

  g_assert_cmpstr (json_object_get_string_member (root, "credential_source"), ==, "guided");
  g_assert_cmpstr (json_object_get_string_member (root, "account_id"), ==, MGMT_ACCOUNT);
  g_assert_true (json_object_get_null_member (root, "identity"));

  if (c->analysaver)
    {
      JsonObject *cur = state_member (state, "analysaver", "cur");
      JsonObject *stack = state_member (state, "analysaver", "stack");

      g_assert_cmpstr (json_object_get_string_member (cur, "origin"), ==, "pasted");
      g_assert_cmpstr (json_object_get_string_member (cur, "kind"), ==, "legacy");
      g_assert_cmpstr (json_object_get_string_member (cur, "report_name"), ==, "stompy-cur");
      g_assert_cmpstr (json_object_get_string_member (cur, "bucket"), ==, CONNECT_BUCKET);
      g_assert_cmpstr (json_object_get_string_member (cur, "prefix"), ==, "cur");
      g_assert_cmpstr (json_object_get_string_member (cur, "region"), ==, "ap-southeast-1");
      g_assert_cmpstr (json_object_get_string_member (stack, "role-arn"), ==, ANALYSAVER_ROLE_ARN);
      g_assert_true (json_object_get_boolean_member (stack, "role-arn-pasted"));
      g_assert_cmpstr (json_object_get_string_member (stack, "stack-name"), ==, "StompyAnalySaver");
      g_assert_cmpstr (json_object_get_string_member (stack, "region"), ==, "ap-southeast-1");
    }
  if (c->spotainer)
    {
      JsonObject *stack = state_member (state, "spotainer", "stack");

      g_assert_cmpstr (json_object_get_string_member (stack, "role-arn"), ==, SPOTAINER_ROLE_ARN);
      g_assert_true (json_object_get_boolean_member (stack, "role-arn-pasted"));
      g_assert_cmpstr (json_object_get_string_member (stack, "stack-name"), ==, "StompySpoTainer");
    }
}

/* Guided mode end to end for one product combination: pasted values on the
 * command line, then again from an answers file that names only the account
 * and the products (the rest is resumed from the state file). */
static void
test_connect_guided (StateFixture  *fixture,
                     gconstpointer  data)
{
  const GuidedCase *c = data;
  g_autofree char *answers = g_build_filename (fixture->state_home, "answers.json", NULL);
  g_autofree char *answers_text = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  login (fixture);

  g_ptr_array_add (args, "connect");
  g_ptr_array_add (args, "--guided");
  g_ptr_array_add (args, "--account-id");
  g_ptr_array_add (args, MGMT_ACCOUNT);
  if (c->analysaver)
    {
      const char *more[] = {
        "--analysaver", "--analysaver-role-arn", ANALYSAVER_ROLE_ARN, "--report", "stompy-cur",
        "--bucket", CONNECT_BUCKET, "--prefix", "cur", "--region", "ap-southeast-1",
      };

      for (guint i = 0; i < G_N_ELEMENTS (more); i++)
        g_ptr_array_add (args, (gpointer) more[i]);
    }
  if (c->spotainer)
    {
      g_ptr_array_add (args, "--spotainer");
      g_ptr_array_add (args, "--spotainer-role-arn");
      g_ptr_array_add (args, SPOTAINER_ROLE_ARN);
    }
  g_ptr_array_add (args, "--json");
  g_ptr_array_add (args, NULL);

  {
    g_auto(Run) run = { 0, };

    run_guided (&run, fixture, (const char * const *) args->pdata);
    g_assert_cmpint (run.status, ==, 0);
    assert_connect_result (run.out, c->expected_status, c->analysaver, c->spotainer);
    assert_connect_state (fixture, c->expected_status);
    assert_guided_state (fixture, c);
  }

  answers_text = g_strdup_printf ("{ \"guided\": true, \"account-id\": \"" MGMT_ACCOUNT "\", "
                                  "  \"analysaver\": %s, \"spotainer\": %s }",
                                  c->analysaver ? "true" : "false",
                                  c->spotainer ? "true" : "false");
  g_file_set_contents (answers, answers_text, -1, &error);
  g_assert_no_error (error);

  {
    g_auto(Run) run = { 0, };

    run_guided (&run, fixture, ARGS ("connect", "--answers", answers, "--json"));
    g_assert_cmpint (run.status, ==, 0);
    assert_connect_result (run.out, c->expected_status, c->analysaver, c->spotainer);
    assert_guided_state (fixture, c);
  }

  /* Connected once, and AWS never asked. */
  g_assert_cmpint (creations ("stompy:aws_account"), ==, 1);
  assert_no_aws_requests ();

  logout (fixture);
  g_unlink (answers);
}

/* A RoleArn pasted from another account's console: exit 2 naming both
 * accounts, and nothing sent. */
static void
test_connect_guided_wrong_account (StateFixture  *fixture,
                                   gconstpointer  data)
{
  g_auto(Run) run = { 0, };

  run_guided (&run, fixture, ARGS ("connect", "--guided", "--account-id", MGMT_ACCOUNT,
                                   "--spotainer", "--spotainer-role-arn",
                                   "arn:aws:iam::345678901234:role/StompySpoTainerRole"));
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--spotainer-role-arn"));
  g_assert_nonnull (strstr (run.err, "This role belongs to the AWS account 345678901234, not to "
                                     MGMT_ACCOUNT));
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:GET /aws/onboarding"),
                   ==, 0);
  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"),
                   ==, 0);
}

/* The emulator's template URL at @path, percent-encoded as in a console link. */
static char *
template_url_escaped (const char *path)
{
  g_autofree char *url = g_strconcat (stompy_test_emulator_get_url (emulator), path, NULL);

  return g_uri_escape_string (url, NULL, FALSE);
}

/* What is missing is explained with the console's pages and the stacks'
 * quick-create links built from Stompy's onboarding facts; exit 2, nothing
 * connected or recorded. */
static void
test_connect_guided_missing (StateFixture  *fixture,
                             gconstpointer  data)
{
  g_autofree char *state_path = g_build_filename (fixture->state_home, "stompy-connect",
                                                  "state.json", NULL);
  g_autofree char *spotainer_template = NULL;
  g_autofree char *analysaver_template = NULL;

  login (fixture);

  {
    g_auto(Run) run = { 0, };
    g_autofree char *expected = NULL;

    run_guided (&run, fixture, ARGS ("connect", "--guided", "--account-id", MGMT_ACCOUNT,
                                     "--spotainer"));
    g_assert_cmpint (run.status, ==, 2);
    spotainer_template = template_url_escaped ("/stompy-templates/spotainer/v2.json");
    expected = g_strconcat ("https://ap-southeast-1.console.aws.amazon.com/cloudformation/home"
                            "?region=ap-southeast-1#/stacks/create/review?templateURL=",
                            spotainer_template, "&stackName=StompySpoTainer", NULL);
    g_assert_nonnull (strstr (run.err, expected));
    g_assert_nonnull (strstr (run.err, "&param_ExternalId=stp-ext-5b1e0c9a7d"));
    g_assert_nonnull (strstr (run.err, "--spotainer-role-arn"));
    /* SpoTainer needs no report. */
    g_assert_null (strstr (run.err, "billing/home#/reports"));
  }

  {
    g_auto(Run) run = { 0, };

    /* No report yet: the billing and report pages, and no link without a bucket. */
    run_guided (&run, fixture, ARGS ("connect", "--guided", "--account-id", MGMT_ACCOUNT,
                                     "--analysaver"));
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "https://console.aws.amazon.com/billing/home#/account"));
    g_assert_nonnull (strstr (run.err, "https://console.aws.amazon.com/billing/home#/reports"));
    g_assert_nonnull (strstr (run.err, "--report NAME --bucket NAME"));
    g_assert_null (strstr (run.err, "cloudformation/home"));
  }

  {
    g_auto(Run) run = { 0, };

    /* The report given: AnalySaver's link carries its bucket. */
    run_guided (&run, fixture, ARGS ("connect", "--guided", "--account-id", MGMT_ACCOUNT,
                                     "--analysaver", "--report", "stompy-cur", "--bucket",
                                     CONNECT_BUCKET));
    g_assert_cmpint (run.status, ==, 2);
    analysaver_template = template_url_escaped ("/stompy-templates/analysaver/v3.json");
    g_assert_nonnull (strstr (run.err, analysaver_template));
    g_assert_nonnull (strstr (run.err, "&stackName=StompyAnalySaver"));
    g_assert_nonnull (strstr (run.err, "&param_CurBucketName=" CONNECT_BUCKET));
    g_assert_nonnull (strstr (run.err, "--analysaver-role-arn"));
    g_assert_null (strstr (run.err, "billing/home#/reports"));
  }

  g_assert_cmpint (stompy_test_emulator_count_requests (emulator, "stompy:POST /aws/accounts"),
                   ==, 0);
  assert_no_aws_requests ();
  g_assert_false (g_file_test (state_path, G_FILE_TEST_EXISTS));

  logout (fixture);
}

/* An account connected to another organization: exit 1 naming it. */
static void
test_connect_guided_connected_elsewhere (StateFixture  *fixture,
                                         gconstpointer  data)
{
  g_auto(Run) run = { 0, };

  login (fixture);
  run_guided (&run, fixture, ARGS ("connect", "--guided", "--account-id", OTHER_CORP_ACCOUNT,
                                   "--spotainer", "--spotainer-role-arn",
                                   "arn:aws:iam::" OTHER_CORP_ACCOUNT ":role/StompySpoTainerRole"));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "“Other Corp”"));
  g_assert_cmpint (creations ("stompy:aws_account"), ==, 0);
  logout (fixture);
}

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

#define ADD_STATE_TEST(path, func) \
  g_test_add (path, StateFixture, NULL, state_setup, func, state_teardown)
  ADD_STATE_TEST ("/cli/cur/list/json-has-every-report-with-verdicts", test_cur_list_json);
  ADD_STATE_TEST ("/cli/cur/list/table-marks-each-condition", test_cur_list_text);
  ADD_STATE_TEST ("/cli/cur/create/creates-then-reuses-and-records", test_cur_create_then_reuse);
  g_test_add ("/cli/cur/create/bucket-taken-by-another-account-exits-1", StateFixture,
              &bucket_failures[0], state_setup, test_cur_create_bucket_failure, state_teardown);
  g_test_add ("/cli/cur/create/bucket-in-another-region-exits-1", StateFixture,
              &bucket_failures[1], state_setup, test_cur_create_bucket_failure, state_teardown);
  ADD_STATE_TEST ("/cli/cur/create/invalid-names-exit-2-without-requests",
                  test_cur_create_bad_usage);
  ADD_STATE_TEST ("/cli/cur/create/without-yes-shows-policy-and-exits-2",
                  test_cur_create_needs_yes);
  ADD_STATE_TEST ("/cli/stack/create/follows-to-role-arn-then-reuses",
                  test_stack_create_then_reuse);
  ADD_STATE_TEST ("/cli/stack/create/without-acknowledge-iam-exits-2",
                  test_stack_create_needs_acknowledgement);
  ADD_STATE_TEST ("/cli/stack/create/not-signed-in-exits-1", test_stack_create_needs_sign_in);
  ADD_STATE_TEST ("/cli/stack/create/analysaver-without-bucket-exits-2",
                  test_stack_create_needs_cur_bucket);
  ADD_STATE_TEST ("/cli/stack/create/no-wait-keeps-the-token-for-the-retry",
                  test_stack_no_wait_keeps_token);
  ADD_STATE_TEST ("/cli/stack/create/failure-explained-then-delete-and-retry",
                  test_stack_failure_explained);
  ADD_STATE_TEST ("/cli/stack/status/missing-stack-exits-1", test_stack_status_missing);
  ADD_STATE_TEST ("/cli/connect/analysaver-twice-creates-once-then-status",
                  test_connect_analysaver);
  ADD_STATE_TEST ("/cli/connect/spotainer-only-is-connected", test_connect_spotainer);
  ADD_STATE_TEST ("/cli/connect/both-from-answers-file-twice", test_connect_both_from_answers);
  ADD_STATE_TEST ("/cli/connect/failed-check-exits-1", test_connect_failed_check);
  ADD_STATE_TEST ("/cli/connect/new-report-without-yes-exits-2", test_connect_needs_yes);
  for (guint i = 0; i < G_N_ELEMENTS (guided_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/connect/guided/%s-with-pasted-values-twice",
                                               guided_cases[i].name);
      g_test_add (path, StateFixture, &guided_cases[i], state_setup, test_connect_guided,
                  state_teardown);
    }
  ADD_STATE_TEST ("/cli/connect/guided/role-arn-of-another-account-exits-2",
                  test_connect_guided_wrong_account);
  ADD_STATE_TEST ("/cli/connect/guided/missing-values-print-console-links-and-exit-2",
                  test_connect_guided_missing);
  ADD_STATE_TEST ("/cli/connect/guided/account-of-another-organization-exits-1",
                  test_connect_guided_connected_elsewhere);
  for (guint i = 0; i < G_N_ELEMENTS (connect_usage_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/connect/usage/%s-exits-2",
                                               connect_usage_cases[i].name);
      g_test_add (path, StateFixture, &connect_usage_cases[i], state_setup, test_connect_usage,
                  state_teardown);
    }

  status = g_test_run ();

  stompy_test_emulator_stop (emulator);
  g_unlink (config_path);
  g_unlink (credentials_path);
  g_rmdir (tmp_dir);
  g_free (config_path);
  g_free (credentials_path);
  g_free (tmp_dir);

  return status;
}
