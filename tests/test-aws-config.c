/* test-aws-config.c — reading ~/.aws/config and ~/.aws/credentials as the AWS CLI does */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "stompy-aws-config.h"
#include "stompy-error.h"

static char *
fixture (const char *name)
{
  const char *dir = g_getenv ("STOMPY_TEST_DATA");

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, "aws-config", name, NULL);

  return g_test_build_filename (G_TEST_DIST, "data", "aws-config", name, NULL);
}

static StompyAwsConfig *
load_fixtures (void)
{
  g_autofree char *config = fixture ("config");
  g_autofree char *credentials = fixture ("credentials");
  g_autoptr(GError) error = NULL;
  StompyAwsConfig *self = stompy_aws_config_new_from_files (config, credentials, &error);

  g_assert_no_error (error);
  g_assert_nonnull (self);
  return self;
}

/* A scratch directory removed at the end of the test. */
typedef struct
{
  char *dir;
} Scratch;

static void
scratch_setup (Scratch       *scratch,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  scratch->dir = g_dir_make_tmp ("stompy-aws-config-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

static void
scratch_teardown (Scratch       *scratch,
                  gconstpointer  data)
{
  remove_tree (scratch->dir);
  g_free (scratch->dir);
}

static char *
scratch_write (Scratch    *scratch,
               const char *name,
               const char *contents,
               gssize      length)
{
  char *path = g_build_filename (scratch->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static StompyAwsConfig *
load_text (Scratch    *scratch,
           const char *config_text,
           const char *credentials_text)
{
  g_autofree char *config = config_text ? scratch_write (scratch, "config", config_text, -1) : NULL;
  g_autofree char *credentials =
    credentials_text ? scratch_write (scratch, "credentials", credentials_text, -1) : NULL;
  g_autoptr(GError) error = NULL;
  StompyAwsConfig *self = stompy_aws_config_new_from_files (config, credentials, &error);

  g_assert_no_error (error);
  return self;
}

/* ------------------------------------------------------------------ parsing */

static void
test_list_profiles (void)
{
  g_autoptr(StompyAwsConfig) self = load_fixtures ();
  g_auto(GStrv) profiles = stompy_aws_config_list_profiles (self);
  g_autofree char *joined = g_strjoinv ("|", profiles);

  /* "default" first, then sorted; "[plain]" and "[profile two words]" of the
   * config file are not profiles; "[profile prefixed]" of the credentials file
   * is a profile named "profile prefixed". */
  g_assert_cmpstr (joined, ==,
                   "default|assume|creds-only|dev|half|legacy-sso|local|process|process-only|"
                   "profile prefixed|quoted name|secret-only|spaced|sso-user");
}

static void
test_values_and_comments (void)
{
  g_autoptr(StompyAwsConfig) self = load_fixtures ();

  g_assert_cmpstr (stompy_aws_config_get_value (self, "default", "region"), ==, "ap-southeast-1");
  /* "key=value", inline comment, "Key : value", and a later duplicate section. */
  g_assert_cmpstr (stompy_aws_config_get_value (self, "dev", "region"), ==, "eu-west-1");
  g_assert_cmpstr (stompy_aws_config_get_value (self, "dev", "output"), ==, "yaml");
  /* Lookups are case-insensitive on the key, as keys are. */
  g_assert_cmpstr (stompy_aws_config_get_value (self, "dev", "REGION"), ==, "eu-west-1");
  g_assert_cmpstr (stompy_aws_config_get_value (self, "spaced", "region"), ==, "us-west-2");
  g_assert_cmpstr (stompy_aws_config_get_value (self, "quoted name", "region"), ==, "ca-central-1");
  g_assert_null (stompy_aws_config_get_value (self, "plain", "region"));
  g_assert_null (stompy_aws_config_get_value (self, "two words", "region"));
  g_assert_null (stompy_aws_config_get_value (self, "dev", "nothing"));
  g_assert_null (stompy_aws_config_get_value (self, "nobody", "region"));
  /* Profile names are case-sensitive. */
  g_assert_null (stompy_aws_config_get_value (self, "Dev", "region"));
}

static void
test_credentials_file_wins (void)
{
  g_autoptr(StompyAwsConfig) self = load_fixtures ();
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsCredentials) creds = NULL;

  g_assert_cmpstr (stompy_aws_config_get_value (self, "dev", "aws_access_key_id"), ==,
                   "AKIACREDDEV000000001");

  creds = stompy_aws_config_get_credentials (self, "dev", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (creds), ==, "AKIACREDDEV000000001");
  g_assert_cmpstr (stompy_aws_credentials_get_secret_access_key (creds), ==, "credDevSecret");
  g_assert_cmpstr (stompy_aws_credentials_get_session_token (creds), ==, "credDevToken");
  g_assert_cmpstr (stompy_aws_credentials_get_source (creds), ==, "profile dev");
}

static void
test_static_keys (void)
{
  g_autoptr(StompyAwsConfig) self = load_fixtures ();
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsCredentials) def = NULL;
  g_autoptr(StompyAwsCredentials) upper = NULL;
  g_autoptr(StompyAwsCredentials) prefixed = NULL;
  g_autoptr(StompyAwsCredentials) process = NULL;

  def = stompy_aws_config_get_credentials (self, "default", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (def), ==, "AKIADEFAULT000000001");
  g_assert_cmpstr (stompy_aws_credentials_get_secret_access_key (def), ==, "defaultSecretKey/+=");
  g_assert_null (stompy_aws_credentials_get_session_token (def));

  /* Upper-case key name. */
  upper = stompy_aws_config_get_credentials (self, "creds-only", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (upper), ==, "AKIACREDSONLY0000001");
  g_assert_cmpstr (stompy_aws_config_get_region (self, "creds-only"), ==, "sa-east-1");

  prefixed = stompy_aws_config_get_credentials (self, "profile prefixed", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (prefixed), ==, "AKIAPREFIXED00000001");

  /* The static keys of the credentials file come before a credential_process. */
  process = stompy_aws_config_get_credentials (self, "process", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (process), ==, "AKIAPROCESSSTATIC001");
}

static void
test_prefixed_section_in_credentials_is_not_the_profile (void)
{
  g_autoptr(StompyAwsConfig) self = load_fixtures ();
  g_autoptr(GError) error = NULL;
  StompyAwsCredentials *creds;

  creds = stompy_aws_config_get_credentials (self, "prefixed", &error);
  g_assert_null (creds);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS);
}

static void
assert_no_credentials (StompyAwsConfig *self,
                       const char      *profile,
                       const char      *expect_in_message)
{
  g_autoptr(GError) error = NULL;
  StompyAwsCredentials *creds = stompy_aws_config_get_credentials (self, profile, &error);

  g_assert_null (creds);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS);
  g_test_message ("%s: %s", profile, error->message);
  g_assert_nonnull (strstr (error->message, expect_in_message));
  g_assert_nonnull (strstr (error->message, profile));
}

static void
test_external_sources_refused (void)
{
  g_autoptr(StompyAwsConfig) self = load_fixtures ();

  assert_no_credentials (self, "sso-user", "SSO");
  assert_no_credentials (self, "sso-user", "aws configure export-credentials --profile sso-user --format env");
  assert_no_credentials (self, "legacy-sso", "SSO");
  assert_no_credentials (self, "process-only", "credential_process");
  assert_no_credentials (self, "process-only", "export-credentials");
  assert_no_credentials (self, "assume", "role_arn");
  assert_no_credentials (self, "assume", "access key");
}

static void
test_incomplete_key_pair (void)
{
  g_autoptr(StompyAwsConfig) self = load_fixtures ();
  g_autoptr(GError) error = NULL;

  /* The message names the key that is missing. */
  assert_no_credentials (self, "half", "not aws_secret_access_key");
  assert_no_credentials (self, "secret-only", "not aws_access_key_id");
  assert_no_credentials (self, "spaced", "no aws_access_key_id");
  assert_no_credentials (self, "nobody", "no AWS profile");

  /* Never the secret itself. */
  g_assert_null (stompy_aws_config_get_credentials (self, "secret-only", &error));
  g_assert_null (strstr (error->message, "onlySecret"));
}

static void
test_services_section (void)
{
  g_autoptr(StompyAwsConfig) self = load_fixtures ();

  g_assert_cmpstr (stompy_aws_config_get_endpoint_url (self, "local", "s3"), ==, "http://127.0.0.1:4566");
  g_assert_cmpstr (stompy_aws_config_get_endpoint_url (self, "local", "sts"), ==, "http://localhost:4566/");
  g_assert_cmpstr (stompy_aws_config_get_endpoint_url (self, "local", "STS"), ==, "http://localhost:4566/");
  /* Not in the services section: the profile's own endpoint_url. */
  g_assert_cmpstr (stompy_aws_config_get_endpoint_url (self, "local", "organizations"), ==,
                   "https://global.example.com");
  /* "cloudformation = value" is a plain value, not a sub-section. */
  g_assert_cmpstr (stompy_aws_config_get_endpoint_url (self, "local", "cloudformation"), ==,
                   "https://global.example.com");
  g_assert_null (stompy_aws_config_get_endpoint_url (self, "default", "s3"));
  g_assert_null (stompy_aws_config_get_endpoint_url (self, "nobody", "s3"));
}

static void
test_crlf_bom_and_odd_lines (Scratch       *scratch,
                             gconstpointer  data)
{
  g_autoptr(StompyAwsConfig) self =
    load_text (scratch,
               "\xef\xbb\xbf[default]\r\nregion = eu-north-1\r\n\r\n"
               "orphan line\r\n"
               "[profile svc]\r\nservices = mine\r\n"
               "[services mine]\r\nsts =\r\n\tendpoint_url = https://sts.example.com  # x\r\n"
               "[profile multi]\r\nnote = first\r\n  second\r\nregion = us-east-2",
               "key_before_any_section = ignored\n"
               "[ default ]\n"
               "aws_access_key_id=AKIABOM0000000000001\n"
               "aws_secret_access_key=bomSecret#not-a-comment\n"
               "aws_session_token = tok ; comment\n"
               "[broken\n"
               "aws_access_key_id = AKIABROKEN0000000001\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsCredentials) creds = NULL;

  g_assert_cmpstr (stompy_aws_config_get_value (self, "default", "region"), ==, "eu-north-1");
  g_assert_cmpstr (stompy_aws_config_get_endpoint_url (self, "svc", "sts"), ==, "https://sts.example.com");
  g_assert_cmpstr (stompy_aws_config_get_value (self, "multi", "note"), ==, "first\nsecond");
  g_assert_cmpstr (stompy_aws_config_get_value (self, "multi", "region"), ==, "us-east-2");

  creds = stompy_aws_config_get_credentials (self, "default", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (creds), ==, "AKIABOM0000000000001");
  /* "#" not preceded by whitespace is part of the value. */
  g_assert_cmpstr (stompy_aws_credentials_get_secret_access_key (creds), ==, "bomSecret#not-a-comment");
  g_assert_cmpstr (stompy_aws_credentials_get_session_token (creds), ==, "tok");
  /* The broken header's keys went nowhere. */
  g_assert_null (stompy_aws_config_get_value (self, "broken", "aws_access_key_id"));
}

static void
test_duplicate_sections_merged (Scratch       *scratch,
                                gconstpointer  data)
{
  g_autoptr(StompyAwsConfig) self =
    load_text (scratch,
               "[default]\nregion = us-east-1\noutput = json\n"
               "[profile default]\nregion = us-west-1\n"
               "[profile a]\nregion = a1\n[profile a]\nregion = a2\nextra = yes\n",
               NULL);
  g_auto(GStrv) profiles = stompy_aws_config_list_profiles (self);

  g_assert_cmpuint (g_strv_length (profiles), ==, 2);
  g_assert_cmpstr (stompy_aws_config_get_value (self, "default", "region"), ==, "us-west-1");
  g_assert_cmpstr (stompy_aws_config_get_value (self, "default", "output"), ==, "json");
  g_assert_cmpstr (stompy_aws_config_get_value (self, "a", "region"), ==, "a2");
  g_assert_cmpstr (stompy_aws_config_get_value (self, "a", "extra"), ==, "yes");
}

static void
test_missing_files_are_empty (Scratch       *scratch,
                              gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (scratch->dir, "nope", "config", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsConfig) self = stompy_aws_config_new_from_files (missing, "/nonexistent/credentials", &error);
  g_autoptr(StompyAwsConfig) nulls = stompy_aws_config_new_from_files (NULL, NULL, &error);
  g_auto(GStrv) profiles = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (self);
  g_assert_nonnull (nulls);
  profiles = stompy_aws_config_list_profiles (self);
  g_assert_cmpuint (g_strv_length (profiles), ==, 0);
  g_assert_null (stompy_aws_config_get_region (self, NULL));
  assert_no_credentials (self, "default", "no AWS profile");
}

static void
test_unreadable_file_is_an_error (Scratch       *scratch,
                                  gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (scratch->dir, "a-directory", NULL);
  g_autoptr(GError) error = NULL;
  StompyAwsConfig *self;

  /* Permissions do not stop root, so use something no one can read as a file. */
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  self = stompy_aws_config_new_from_files (NULL, dir, &error);
  g_assert_null (self);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, dir));
}

static void
test_invalid_utf8_is_repaired (Scratch       *scratch,
                               gconstpointer  data)
{
  g_autoptr(StompyAwsConfig) self = load_text (scratch, "[default]\n# caf\xe9\nregion = eu-\xff" "west-3\n", NULL);
  const char *region = stompy_aws_config_get_value (self, "default", "region");

  g_assert_nonnull (region);
  g_assert_true (g_utf8_validate (region, -1, NULL));
  g_assert_true (g_str_has_prefix (region, "eu-"));
}

/* ------------------------------------------------------------------ environment */

static void
test_environment (Scratch       *scratch,
                  gconstpointer  data)
{
  g_autofree char *aws_dir = g_build_filename (scratch->dir, ".aws", NULL);
  g_autofree char *config = NULL;
  g_autofree char *credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  g_autoptr(StompyAwsConfig) self = NULL;
  g_autoptr(StompyAwsCredentials) creds = NULL;

  g_assert_cmpint (g_mkdir (aws_dir, 0700), ==, 0);
  config = scratch_write (scratch, ".aws/config",
                          "[default]\nregion = ap-southeast-1\n[profile work]\nregion = eu-west-1\n", -1);
  credentials = scratch_write (scratch, ".aws/credentials",
                               "[work]\naws_access_key_id = AKIAWORK000000000001\n"
                               "aws_secret_access_key = workSecret\n", -1);

  /* The defaults are under $HOME of the given environment. */
  env = g_environ_setenv (NULL, "HOME", scratch->dir, TRUE);
  self = stompy_aws_config_new_from_environ ((const char * const *) env, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_config_get_default_profile (self), ==, "default");
  g_assert_cmpstr (stompy_aws_config_get_region (self, NULL), ==, "ap-southeast-1");
  g_assert_cmpstr (stompy_aws_config_get_region (self, "work"), ==, "eu-west-1");
  g_clear_object (&self);

  /* AWS_PROFILE beats AWS_DEFAULT_PROFILE; empty counts as unset. */
  env = g_environ_setenv (env, "AWS_DEFAULT_PROFILE", "work", TRUE);
  env = g_environ_setenv (env, "AWS_PROFILE", "", TRUE);
  self = stompy_aws_config_new_from_environ ((const char * const *) env, &error);
  g_assert_cmpstr (stompy_aws_config_get_default_profile (self), ==, "work");
  creds = stompy_aws_config_get_credentials (self, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (creds), ==, "AKIAWORK000000000001");
  g_assert_cmpstr (stompy_aws_config_get_region (self, NULL), ==, "eu-west-1");
  g_clear_object (&self);

  env = g_environ_setenv (env, "AWS_PROFILE", "other", TRUE);
  self = stompy_aws_config_new_from_environ ((const char * const *) env, &error);
  g_assert_cmpstr (stompy_aws_config_get_default_profile (self), ==, "other");
  g_clear_object (&self);

  /* AWS_REGION beats AWS_DEFAULT_REGION beats the profile. */
  env = g_environ_setenv (env, "AWS_DEFAULT_REGION", "us-east-2", TRUE);
  self = stompy_aws_config_new_from_environ ((const char * const *) env, &error);
  g_assert_cmpstr (stompy_aws_config_get_region (self, "work"), ==, "us-east-2");
  g_clear_object (&self);
  env = g_environ_setenv (env, "AWS_REGION", "ap-northeast-1", TRUE);
  self = stompy_aws_config_new_from_environ ((const char * const *) env, &error);
  g_assert_cmpstr (stompy_aws_config_get_region (self, "work"), ==, "ap-northeast-1");
  /* The environment is kept, as given. */
  g_assert_cmpstr (g_environ_getenv ((char **) stompy_aws_config_get_environ (self), "AWS_REGION"), ==,
                   "ap-northeast-1");
  g_clear_object (&self);
}

static void
test_file_variables_and_tilde (Scratch       *scratch,
                               gconstpointer  data)
{
  g_autofree char *config = scratch_write (scratch, "my-config", "[profile x]\nregion = eu-central-1\n", -1);
  g_autofree char *credentials = scratch_write (scratch, "my-creds",
                                                "[x]\naws_access_key_id = AKIATILDE00000000001\n"
                                                "aws_secret_access_key = s\n", -1);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  g_autoptr(StompyAwsConfig) self = NULL;
  g_autoptr(StompyAwsCredentials) creds = NULL;

  env = g_environ_setenv (NULL, "HOME", scratch->dir, TRUE);
  env = g_environ_setenv (env, "AWS_CONFIG_FILE", "~/my-config", TRUE);
  env = g_environ_setenv (env, "AWS_SHARED_CREDENTIALS_FILE", credentials, TRUE);
  self = stompy_aws_config_new_from_environ ((const char * const *) env, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_config_get_region (self, "x"), ==, "eu-central-1");
  creds = stompy_aws_config_get_credentials (self, "x", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (creds), ==, "AKIATILDE00000000001");
}

/* ------------------------------------------------------------------ async */

typedef struct
{
  GAsyncResult *result;
} AsyncData;

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncData *data = user_data;

  data->result = g_object_ref (result);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_assert_not_reached ();
  return G_SOURCE_REMOVE;
}

static GAsyncResult *
wait_for_result (AsyncData *data)
{
  guint timeout = g_timeout_add_seconds (10, timeout_cb, NULL);

  while (data->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);

  return data->result;
}

static void
test_load_async (Scratch       *scratch,
                 gconstpointer  data)
{
  g_autofree char *config = scratch_write (scratch, "config", "[default]\nregion = me-south-1\n", -1);
  g_auto(GStrv) env = g_environ_setenv (NULL, "AWS_CONFIG_FILE", config, TRUE);
  AsyncData async = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsConfig) self = NULL;

  stompy_aws_config_load_async ((const char * const *) env, NULL, load_cb, &async);
  /* The environment was copied: changing ours now changes nothing. */
  g_clear_pointer (&env, g_strfreev);

  self = stompy_aws_config_load_finish (wait_for_result (&async), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_config_get_region (self, NULL), ==, "me-south-1");
  g_clear_object (&async.result);
}

static void
test_load_async_error (Scratch       *scratch,
                       gconstpointer  data)
{
  g_auto(GStrv) env = g_environ_setenv (NULL, "AWS_CONFIG_FILE", scratch->dir, TRUE);
  AsyncData async = { NULL };
  g_autoptr(GError) error = NULL;
  StompyAwsConfig *self;

  stompy_aws_config_load_async ((const char * const *) env, NULL, load_cb, &async);
  self = stompy_aws_config_load_finish (wait_for_result (&async), &error);
  g_assert_null (self);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_CONFIG);
  g_clear_object (&async.result);
}

static void
test_load_async_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncData async = { NULL };
  g_autoptr(GError) error = NULL;
  StompyAwsConfig *self;

  g_cancellable_cancel (cancellable);
  stompy_aws_config_load_async (NULL, cancellable, load_cb, &async);
  self = stompy_aws_config_load_finish (wait_for_result (&async), &error);
  g_assert_null (self);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&async.result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define SCRATCH_TEST(path, func) \
  g_test_add (path, Scratch, NULL, scratch_setup, func, scratch_teardown)

  g_test_add_func ("/aws/config/profiles/listed-default-first", test_list_profiles);
  g_test_add_func ("/aws/config/parse/values-and-comments", test_values_and_comments);
  g_test_add_func ("/aws/config/credentials/credentials-file-wins", test_credentials_file_wins);
  g_test_add_func ("/aws/config/credentials/static-keys", test_static_keys);
  g_test_add_func ("/aws/config/credentials/prefixed-section-in-credentials-is-not-the-profile",
                   test_prefixed_section_in_credentials_is_not_the_profile);
  g_test_add_func ("/aws/config/credentials/sso-process-role-refused", test_external_sources_refused);
  g_test_add_func ("/aws/config/credentials/incomplete-pair-names-missing-key", test_incomplete_key_pair);
  g_test_add_func ("/aws/config/services/sub-sections", test_services_section);
  SCRATCH_TEST ("/aws/config/parse/crlf-bom-and-odd-lines", test_crlf_bom_and_odd_lines);
  SCRATCH_TEST ("/aws/config/parse/duplicate-sections-merged", test_duplicate_sections_merged);
  SCRATCH_TEST ("/aws/config/parse/invalid-utf8-repaired", test_invalid_utf8_is_repaired);
  SCRATCH_TEST ("/aws/config/files/missing-are-empty", test_missing_files_are_empty);
  SCRATCH_TEST ("/aws/config/files/unreadable-is-config-error", test_unreadable_file_is_an_error);
  SCRATCH_TEST ("/aws/config/environ/profile-and-region", test_environment);
  SCRATCH_TEST ("/aws/config/environ/file-variables-and-tilde", test_file_variables_and_tilde);
  SCRATCH_TEST ("/aws/config/async/loads-in-thread", test_load_async);
  SCRATCH_TEST ("/aws/config/async/reports-errors", test_load_async_error);
  g_test_add_func ("/aws/config/async/cancelled", test_load_async_cancelled);

  return g_test_run ();
}
