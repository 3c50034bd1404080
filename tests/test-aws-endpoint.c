/* test-aws-endpoint.c — real endpoints per service and partition, and overrides */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "stompy-aws-endpoint.h"
#include "stompy-error.h"

static const char * const empty_env[] = { NULL };

static StompyAwsEndpoint *
resolve_ok (StompyAwsService    service,
            const char         *region,
            StompyAwsConfig    *config,
            const char         *profile,
            const char * const *envp)
{
  g_autoptr(GError) error = NULL;
  StompyAwsEndpoint *endpoint = stompy_aws_endpoint_resolve (service, region, config, profile,
                                                             envp ? envp : empty_env, &error);

  g_assert_no_error (error);
  g_assert_nonnull (endpoint);
  return endpoint;
}

static void
assert_endpoint (StompyAwsService service,
                 const char      *region,
                 const char      *url,
                 const char      *signing_region,
                 const char      *signing_name)
{
  g_autoptr(StompyAwsEndpoint) endpoint = resolve_ok (service, region, NULL, NULL, NULL);

  g_test_message ("%s → %s", region, url);
  g_assert_cmpstr (endpoint->url, ==, url);
  g_assert_cmpstr (endpoint->signing_region, ==, signing_region);
  g_assert_cmpstr (endpoint->signing_name, ==, signing_name);
  g_assert_false (endpoint->overridden);
}

static void
test_service_names (void)
{
  g_assert_cmpstr (stompy_aws_service_env_suffix (STOMPY_AWS_SERVICE_STS), ==, "STS");
  g_assert_cmpstr (stompy_aws_service_env_suffix (STOMPY_AWS_SERVICE_ORGANIZATIONS), ==, "ORGANIZATIONS");
  g_assert_cmpstr (stompy_aws_service_env_suffix (STOMPY_AWS_SERVICE_S3), ==, "S3");
  g_assert_cmpstr (stompy_aws_service_env_suffix (STOMPY_AWS_SERVICE_CLOUDFORMATION), ==, "CLOUDFORMATION");
  g_assert_cmpstr (stompy_aws_service_env_suffix (STOMPY_AWS_SERVICE_CUR), ==, "COST_AND_USAGE_REPORT_SERVICE");
  g_assert_cmpstr (stompy_aws_service_env_suffix (STOMPY_AWS_SERVICE_DATA_EXPORTS), ==, "BCM_DATA_EXPORTS");
  g_assert_cmpstr (stompy_aws_service_config_key (STOMPY_AWS_SERVICE_CUR), ==, "cost_and_usage_report_service");
  g_assert_cmpstr (stompy_aws_service_config_key (STOMPY_AWS_SERVICE_DATA_EXPORTS), ==, "bcm_data_exports");
  g_assert_cmpstr (stompy_aws_service_config_key (STOMPY_AWS_SERVICE_CLOUDFORMATION), ==, "cloudformation");
  g_assert_cmpstr (stompy_aws_service_signing_name (STOMPY_AWS_SERVICE_CUR), ==, "cur");
  g_assert_cmpstr (stompy_aws_service_signing_name (STOMPY_AWS_SERVICE_DATA_EXPORTS), ==, "bcm-data-exports");
}

static void
test_aws_partition (void)
{
  assert_endpoint (STOMPY_AWS_SERVICE_STS, "ap-southeast-1",
                   "https://sts.ap-southeast-1.amazonaws.com", "ap-southeast-1", "sts");
  assert_endpoint (STOMPY_AWS_SERVICE_S3, "ap-southeast-1",
                   "https://s3.ap-southeast-1.amazonaws.com", "ap-southeast-1", "s3");
  assert_endpoint (STOMPY_AWS_SERVICE_CLOUDFORMATION, "eu-west-1",
                   "https://cloudformation.eu-west-1.amazonaws.com", "eu-west-1", "cloudformation");
  /* Global services ignore the region. */
  assert_endpoint (STOMPY_AWS_SERVICE_ORGANIZATIONS, "ap-southeast-1",
                   "https://organizations.us-east-1.amazonaws.com", "us-east-1", "organizations");
  assert_endpoint (STOMPY_AWS_SERVICE_CUR, "ap-southeast-1",
                   "https://cur.us-east-1.amazonaws.com", "us-east-1", "cur");
  assert_endpoint (STOMPY_AWS_SERVICE_DATA_EXPORTS, "ap-southeast-1",
                   "https://bcm-data-exports.us-east-1.api.aws", "us-east-1", "bcm-data-exports");
  assert_endpoint (STOMPY_AWS_SERVICE_STS, "us-east-1",
                   "https://sts.us-east-1.amazonaws.com", "us-east-1", "sts");
}

static void
test_china_partition (void)
{
  assert_endpoint (STOMPY_AWS_SERVICE_STS, "cn-north-1",
                   "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1", "sts");
  assert_endpoint (STOMPY_AWS_SERVICE_S3, "cn-northwest-1",
                   "https://s3.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1", "s3");
  assert_endpoint (STOMPY_AWS_SERVICE_CLOUDFORMATION, "cn-north-1",
                   "https://cloudformation.cn-north-1.amazonaws.com.cn", "cn-north-1", "cloudformation");
  assert_endpoint (STOMPY_AWS_SERVICE_ORGANIZATIONS, "cn-north-1",
                   "https://organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1", "organizations");
  assert_endpoint (STOMPY_AWS_SERVICE_CUR, "cn-north-1",
                   "https://cur.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1", "cur");
}

static void
test_gov_partition (void)
{
  assert_endpoint (STOMPY_AWS_SERVICE_STS, "us-gov-east-1",
                   "https://sts.us-gov-east-1.amazonaws.com", "us-gov-east-1", "sts");
  assert_endpoint (STOMPY_AWS_SERVICE_ORGANIZATIONS, "us-gov-east-1",
                   "https://organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1", "organizations");
}

static void
test_region_validation (void)
{
  const char *good[] = { "ap-southeast-1", "us-east-1", "us-gov-west-1", "cn-northwest-1",
                         "eu-central-2", "il-central-1", "ap-southeast-12" };
  const char *bad[] = { NULL, "", "us-east", "useast1", "US-EAST-1", "us-east-1a", "us-east-1.evil.com",
                        "u-east-1", "usa-east-1", "us--1", "us-east-", "-us-east-1", "us-east-1/",
                        "us-e@st-1", "us-east-1 ", "aws-global", "us-east-x1" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (stompy_aws_region_is_valid (good[i]));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      StompyAwsEndpoint *endpoint;

      g_test_message ("bad region: %s", bad[i] ? bad[i] : "(null)");
      g_assert_false (stompy_aws_region_is_valid (bad[i]));
      endpoint = stompy_aws_endpoint_resolve (STOMPY_AWS_SERVICE_STS, bad[i], NULL, NULL, empty_env, &error);
      g_assert_null (endpoint);
      g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
    }
}

/* ------------------------------------------------------------------ overrides */

typedef struct
{
  char            *dir;
  StompyAwsConfig *config;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("stompy-aws-endpoint-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "config", NULL);
  g_file_set_contents (path,
                       "[default]\nregion = ap-southeast-1\n"
                       "[profile global]\nendpoint_url = https://global.example.com/\n"
                       "[profile both]\nendpoint_url = https://global.example.com\nservices = emu\n"
                       "[profile ignoring]\nendpoint_url = https://global.example.com\n"
                       "ignore_configured_endpoint_urls = true\nservices = emu\n"
                       "[profile insecure]\nendpoint_url = http://endpoint.example.com\n"
                       "[services emu]\n"
                       "s3 =\n  endpoint_url = http://127.0.0.1:4566/\n"
                       "bcm_data_exports =\n  endpoint_url = https://exports.example.com/base/\n",
                       -1, &error);
  g_assert_no_error (error);
  fixture->config = stompy_aws_config_new_from_files (path, NULL, &error);
  g_assert_no_error (error);
  g_remove (path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->config);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static char *
resolve_url (StompyAwsService  service,
             StompyAwsConfig  *config,
             const char       *profile,
             const char      **env_pairs)
{
  g_auto(GStrv) env = g_new0 (char *, 1);
  g_autoptr(StompyAwsEndpoint) endpoint = NULL;

  for (guint i = 0; env_pairs != NULL && env_pairs[i] != NULL; i += 2)
    env = g_environ_setenv (env, env_pairs[i], env_pairs[i + 1], TRUE);

  endpoint = resolve_ok (service, "ap-southeast-1", config, profile, (const char * const *) env);
  /* Overrides never change how the request is signed. */
  g_assert_cmpstr (endpoint->signing_name, ==, stompy_aws_service_signing_name (service));
  if (service == STOMPY_AWS_SERVICE_S3)
    g_assert_cmpstr (endpoint->signing_region, ==, "ap-southeast-1");
  if (service == STOMPY_AWS_SERVICE_DATA_EXPORTS)
    g_assert_cmpstr (endpoint->signing_region, ==, "us-east-1");

  return g_strdup_printf ("%s%s", endpoint->overridden ? "overridden " : "", endpoint->url);
}

#define ASSERT_URL(expected, service, config, profile, ...) \
  G_STMT_START { \
    const char *pairs_[] = { __VA_ARGS__, NULL }; \
    g_autofree char *got_ = resolve_url (service, config, profile, pairs_); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

static void
test_override_order (Fixture       *fixture,
                     gconstpointer  data)
{
  StompyAwsConfig *config = fixture->config;
  const StompyAwsService s3 = STOMPY_AWS_SERVICE_S3;

  /* Nothing configured. */
  ASSERT_URL ("https://s3.ap-southeast-1.amazonaws.com", s3, config, "default", NULL);
  /* Profile endpoint_url, trailing "/" removed. */
  ASSERT_URL ("overridden https://global.example.com", s3, config, "global", NULL);
  /* Services section beats the profile's endpoint_url. */
  ASSERT_URL ("overridden http://127.0.0.1:4566", s3, config, "both", NULL);
  ASSERT_URL ("overridden https://global.example.com", STOMPY_AWS_SERVICE_STS, config, "both", NULL);
  ASSERT_URL ("overridden https://exports.example.com/base", STOMPY_AWS_SERVICE_DATA_EXPORTS, config,
              "both", NULL);
  /* AWS_ENDPOINT_URL beats the whole config file. */
  ASSERT_URL ("overridden https://env-global.example.com", s3, config, "both",
              "AWS_ENDPOINT_URL", "https://env-global.example.com");
  ASSERT_URL ("overridden https://env-global.example.com", s3, config, "global",
              "AWS_ENDPOINT_URL", "https://env-global.example.com");
  /* AWS_ENDPOINT_URL_<SERVICE> beats everything. */
  ASSERT_URL ("overridden https://env-s3.example.com", s3, config, "both",
              "AWS_ENDPOINT_URL", "https://env-global.example.com",
              "AWS_ENDPOINT_URL_S3", "https://env-s3.example.com//");
  /* … for its own service only. */
  ASSERT_URL ("overridden https://env-global.example.com", STOMPY_AWS_SERVICE_STS, config, "both",
              "AWS_ENDPOINT_URL", "https://env-global.example.com",
              "AWS_ENDPOINT_URL_S3", "https://env-s3.example.com");
  ASSERT_URL ("overridden https://cur.example.com", STOMPY_AWS_SERVICE_CUR, config, "default",
              "AWS_ENDPOINT_URL_COST_AND_USAGE_REPORT_SERVICE", "https://cur.example.com");
  ASSERT_URL ("overridden http://localhost:9000", STOMPY_AWS_SERVICE_ORGANIZATIONS, NULL, NULL,
              "AWS_ENDPOINT_URL_ORGANIZATIONS", "http://localhost:9000");
  /* Empty variables count as unset. */
  ASSERT_URL ("overridden http://127.0.0.1:4566", s3, config, "both",
              "AWS_ENDPOINT_URL", "", "AWS_ENDPOINT_URL_S3", "");
}

static void
test_override_ignored (Fixture       *fixture,
                       gconstpointer  data)
{
  StompyAwsConfig *config = fixture->config;
  const StompyAwsService s3 = STOMPY_AWS_SERVICE_S3;

  ASSERT_URL ("https://s3.ap-southeast-1.amazonaws.com", s3, config, "both",
              "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true",
              "AWS_ENDPOINT_URL", "https://env-global.example.com",
              "AWS_ENDPOINT_URL_S3", "https://env-s3.example.com");
  ASSERT_URL ("https://s3.ap-southeast-1.amazonaws.com", s3, config, "both",
              "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE");
  /* The profile's setting. */
  ASSERT_URL ("https://s3.ap-southeast-1.amazonaws.com", s3, config, "ignoring",
              "AWS_ENDPOINT_URL", "https://env-global.example.com");
  /* The environment variable, when set, wins over the profile's setting. */
  ASSERT_URL ("overridden http://127.0.0.1:4566", s3, config, "ignoring",
              "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");
  /* Anything but "true" does not disable. */
  ASSERT_URL ("overridden https://global.example.com", s3, config, "global",
              "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "yes");
}

static void
test_override_insecure_refused (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *env_remote[] = { "AWS_ENDPOINT_URL_STS=http://sts.example.com", NULL };
  const char *env_garbage[] = { "AWS_ENDPOINT_URL=not a url", NULL };
  const char *env_ftp[] = { "AWS_ENDPOINT_URL=ftp://127.0.0.1/", NULL };
  StompyAwsEndpoint *endpoint;

  endpoint = stompy_aws_endpoint_resolve (STOMPY_AWS_SERVICE_STS, "us-east-1", NULL, NULL, env_remote, &error);
  g_assert_null (endpoint);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT);
  g_clear_error (&error);

  endpoint = stompy_aws_endpoint_resolve (STOMPY_AWS_SERVICE_S3, "us-east-1", fixture->config,
                                          "insecure", empty_env, &error);
  g_assert_null (endpoint);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT);
  g_clear_error (&error);

  endpoint = stompy_aws_endpoint_resolve (STOMPY_AWS_SERVICE_S3, "us-east-1", NULL, NULL, env_garbage, &error);
  g_assert_null (endpoint);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  endpoint = stompy_aws_endpoint_resolve (STOMPY_AWS_SERVICE_S3, "us-east-1", NULL, NULL, env_ftp, &error);
  g_assert_null (endpoint);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
}

static void
test_config_environment_used (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "config", NULL);
  g_auto(GStrv) env = NULL;
  g_autoptr(StompyAwsConfig) config = NULL;
  g_autoptr(StompyAwsEndpoint) endpoint = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "[profile emu]\nservices = e\n[services e]\nsts =\n"
                       "  endpoint_url = http://127.0.0.1:1234\n", -1, &error);
  g_assert_no_error (error);

  env = g_environ_setenv (NULL, "AWS_CONFIG_FILE", path, TRUE);
  env = g_environ_setenv (env, "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", TRUE);
  env = g_environ_setenv (env, "AWS_PROFILE", "emu", TRUE);
  config = stompy_aws_config_new_from_environ ((const char * const *) env, &error);
  g_assert_no_error (error);
  g_remove (path);

  /* No envp and no profile: the config's environment and default profile. */
  endpoint = stompy_aws_endpoint_resolve (STOMPY_AWS_SERVICE_STS, "eu-west-1", config, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (endpoint->url, ==, "http://127.0.0.1:1234");
  g_assert_cmpstr (endpoint->signing_region, ==, "eu-west-1");
  g_assert_true (endpoint->overridden);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/aws/endpoint/service-names", test_service_names);
  g_test_add_func ("/aws/endpoint/default/aws-partition", test_aws_partition);
  g_test_add_func ("/aws/endpoint/default/china-partition", test_china_partition);
  g_test_add_func ("/aws/endpoint/default/gov-partition", test_gov_partition);
  g_test_add_func ("/aws/endpoint/region/must-be-valid", test_region_validation);
  g_test_add ("/aws/endpoint/override/precedence", Fixture, NULL,
              fixture_setup, test_override_order, fixture_teardown);
  g_test_add ("/aws/endpoint/override/ignore-configured", Fixture, NULL,
              fixture_setup, test_override_ignored, fixture_teardown);
  g_test_add ("/aws/endpoint/override/insecure-refused", Fixture, NULL,
              fixture_setup, test_override_insecure_refused, fixture_teardown);
  g_test_add ("/aws/endpoint/override/config-environment-used", Fixture, NULL,
              fixture_setup, test_config_environment_used, fixture_teardown);

  return g_test_run ();
}
