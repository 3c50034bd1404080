/* fuzz-aws-config.c — the AWS CLI's shared config and credentials files
 * (stompy-aws-config): sections, comments, continuation lines, sub-sections,
 * BOMs, bad UTF-8. The input is the config file, then (after the first NUL
 * byte, if any) the credentials file; every profile found is then read the
 * way sign-in and the endpoint resolution read it.
 */
#include "config.h"

#include <string.h>

#include "stompy-fuzz.h"
#include "src/core/stompy-aws-config.h"

static const char * const keys[] = {
  "region", "aws_access_key_id", "aws_secret_access_key", "aws_session_token",
  "endpoint_url", "services", "sso_session", "sso_start_url", "credential_process",
  "role_arn", "source_profile", "",
};

static const char * const services[] = {
  "sts", "organizations", "s3", "cloudformation", "cost_and_usage_report_service",
  "bcm_data_exports", "",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = size > 0 ? (const char *) data : "";
  const char *nul = memchr (text, '\0', size);
  gsize config_length = nul != NULL ? (gsize) (nul - text) : size;
  g_autoptr(StompyAwsConfig) config = NULL;
  g_auto(GStrv) profiles = NULL;

  stompy_fuzz_init ();

  config = stompy_aws_config_new_from_data (text, config_length,
                                            nul != NULL ? nul + 1 : NULL,
                                            nul != NULL ? size - config_length - 1 : 0);
  profiles = stompy_aws_config_list_profiles (config);
  g_assert (profiles != NULL);
  (void) stompy_aws_config_get_default_profile (config);

  for (guint i = 0; profiles[i] != NULL; i++)
    {
      g_autoptr(StompyAwsCredentials) credentials = NULL;
      g_autoptr(GError) error = NULL;
      const char *region;

      /* Names and values reach the UI: they must be valid UTF-8. */
      g_assert (g_utf8_validate (profiles[i], -1, NULL));
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          const char *value = stompy_aws_config_get_value (config, profiles[i], keys[k]);

          g_assert (value == NULL || g_utf8_validate (value, -1, NULL));
        }
      for (guint s = 0; s < G_N_ELEMENTS (services); s++)
        (void) stompy_aws_config_get_endpoint_url (config, profiles[i], services[s]);

      region = stompy_aws_config_get_region (config, profiles[i]);
      g_assert (region == NULL || g_utf8_validate (region, -1, NULL));

      credentials = stompy_aws_config_get_credentials (config, profiles[i], &error);
      g_assert ((credentials == NULL) != (error == NULL));
      if (error != NULL)
        g_assert (g_utf8_validate (error->message, -1, NULL));
    }

  /* A profile that is not there, and one named like a section header. */
  (void) stompy_aws_config_get_value (config, "no such profile", "region");
  (void) stompy_aws_config_get_region (config, "profile default");

  return 0;
}
