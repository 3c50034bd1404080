/* stompy-aws-endpoint.c — where each AWS service is, and how it is signed
 *
 * Hostnames and signing regions follow each service's endpoint rule set in
 * botocore (shared/reference/aws-cfn-sts-sigv4.md §4, aws-cur-s3.md §1.1 and
 * §4.1). Three partitions are known: aws, aws-cn (cn-*, amazonaws.com.cn) and
 * aws-us-gov (us-gov-*).
 */
#include "config.h"

#include <string.h>

#include "stompy-aws-endpoint.h"
#include "stompy-error.h"
#include "stompy-http.h"

typedef enum
{
  PARTITION_AWS,
  PARTITION_AWS_CN,
  PARTITION_AWS_US_GOV,
} Partition;

static const struct
{
  const char *env_suffix;
  const char *config_key;
  const char *signing_name;
} services[] = {
  [STOMPY_AWS_SERVICE_STS] = { "STS", "sts", "sts" },
  [STOMPY_AWS_SERVICE_ORGANIZATIONS] = { "ORGANIZATIONS", "organizations", "organizations" },
  [STOMPY_AWS_SERVICE_S3] = { "S3", "s3", "s3" },
  [STOMPY_AWS_SERVICE_CLOUDFORMATION] = { "CLOUDFORMATION", "cloudformation", "cloudformation" },
  [STOMPY_AWS_SERVICE_CUR] = { "COST_AND_USAGE_REPORT_SERVICE", "cost_and_usage_report_service", "cur" },
  [STOMPY_AWS_SERVICE_DATA_EXPORTS] = { "BCM_DATA_EXPORTS", "bcm_data_exports", "bcm-data-exports" },
};

const char *
stompy_aws_service_env_suffix (StompyAwsService service)
{
  g_return_val_if_fail ((guint) service < G_N_ELEMENTS (services), NULL);

  return services[service].env_suffix;
}

const char *
stompy_aws_service_config_key (StompyAwsService service)
{
  g_return_val_if_fail ((guint) service < G_N_ELEMENTS (services), NULL);

  return services[service].config_key;
}

const char *
stompy_aws_service_signing_name (StompyAwsService service)
{
  g_return_val_if_fail ((guint) service < G_N_ELEMENTS (services), NULL);

  return services[service].signing_name;
}

/* ^[a-z]{2}(-[a-z]+)+-[0-9]+$ : "ap-southeast-1", "us-gov-west-1", "cn-north-1".
 * The region goes into a hostname, so nothing else may pass. */
gboolean
stompy_aws_region_is_valid (const char *region)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (region == NULL || strlen (region) > 32)
    return FALSE;

  parts = g_strsplit (region, "-", -1);
  n = g_strv_length (parts);
  if (n < 3)
    return FALSE;

  if (strlen (parts[0]) != 2 || !g_ascii_islower (parts[0][0]) || !g_ascii_islower (parts[0][1]))
    return FALSE;

  for (guint i = 1; i < n - 1; i++)
    {
      if (parts[i][0] == '\0')
        return FALSE;
      for (const char *p = parts[i]; *p != '\0'; p++)
        if (!g_ascii_islower (*p))
          return FALSE;
    }

  if (parts[n - 1][0] == '\0')
    return FALSE;
  for (const char *p = parts[n - 1]; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

static Partition
partition_of (const char *region)
{
  if (g_str_has_prefix (region, "cn-"))
    return PARTITION_AWS_CN;
  if (g_str_has_prefix (region, "us-gov-"))
    return PARTITION_AWS_US_GOV;
  return PARTITION_AWS;
}

/* The endpoint when nothing overrides it. */
static void
default_endpoint (StompyAwsService   service,
                  const char        *region,
                  char             **url,
                  char             **signing_region)
{
  Partition partition = partition_of (region);
  const char *dns = partition == PARTITION_AWS_CN ? "amazonaws.com.cn" : "amazonaws.com";

  switch (service)
    {
    case STOMPY_AWS_SERVICE_STS:
    case STOMPY_AWS_SERVICE_S3:
    case STOMPY_AWS_SERVICE_CLOUDFORMATION:
      *url = g_strdup_printf ("https://%s.%s.%s", services[service].signing_name, region, dns);
      *signing_region = g_strdup (region);
      return;

    /* Global services: one endpoint per partition, whatever the region. */
    case STOMPY_AWS_SERVICE_ORGANIZATIONS:
    case STOMPY_AWS_SERVICE_CUR:
      {
        const char *home;

        if (partition == PARTITION_AWS_CN)
          home = "cn-northwest-1";
        else if (partition == PARTITION_AWS_US_GOV)
          home = service == STOMPY_AWS_SERVICE_ORGANIZATIONS ? "us-gov-west-1" : region;
        else
          home = "us-east-1";

        *url = g_strdup_printf ("https://%s.%s.%s", services[service].signing_name, home, dns);
        *signing_region = g_strdup (home);
        return;
      }

    /* Data Exports lives on the dual-stack domain (bcm-data-exports
     * endpoint-rule-set): fixed to us-east-1 in aws, per region elsewhere. */
    case STOMPY_AWS_SERVICE_DATA_EXPORTS:
      if (partition == PARTITION_AWS)
        {
          *url = g_strdup ("https://bcm-data-exports.us-east-1.api.aws");
          *signing_region = g_strdup ("us-east-1");
        }
      else
        {
          *url = g_strdup_printf ("https://bcm-data-exports.%s.%s", region,
                                  partition == PARTITION_AWS_CN ? "api.amazonwebservices.com.cn"
                                                                : "api.aws");
          *signing_region = g_strdup (region);
        }
      return;

    default:
      g_assert_not_reached ();
    }
}

static const char *
env_get (const char * const *envp,
         const char         *name)
{
  const char *value = g_environ_getenv ((char **) envp, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

static gboolean
ignore_configured (const char * const *envp,
                   StompyAwsConfig    *config,
                   const char         *profile)
{
  const char *value = env_get (envp, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");

  /* The environment variable, when set, decides; else the profile's setting. */
  if (value == NULL && config != NULL)
    value = stompy_aws_config_get_value (config, profile, "ignore_configured_endpoint_urls");

  if (value == NULL)
    return FALSE;

  {
    g_autofree char *trimmed = g_strstrip (g_strdup (value));

    return g_ascii_strcasecmp (trimmed, "true") == 0;
  }
}

/* The order is the AWS CLI's (its tests/functional/configured_endpoint_urls):
 * AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the profile's
 * services section, then the profile's endpoint_url. */
static const char *
configured_url (StompyAwsService    service,
                const char * const *envp,
                StompyAwsConfig    *config,
                const char         *profile)
{
  g_autofree char *variable = NULL;
  const char *url;

  if (ignore_configured (envp, config, profile))
    return NULL;

  variable = g_strconcat ("AWS_ENDPOINT_URL_", services[service].env_suffix, NULL);
  if ((url = env_get (envp, variable)) != NULL)
    return url;
  if ((url = env_get (envp, "AWS_ENDPOINT_URL")) != NULL)
    return url;
  if (config != NULL)
    return stompy_aws_config_get_endpoint_url (config, profile, services[service].config_key);

  return NULL;
}

StompyAwsEndpoint *
stompy_aws_endpoint_resolve (StompyAwsService    service,
                             const char         *region,
                             StompyAwsConfig    *config,
                             const char         *profile,
                             const char * const *envp,
                             GError            **error)
{
  g_autoptr(StompyAwsEndpoint) endpoint = NULL;
  g_auto(GStrv) own_env = NULL;
  const char *url;

  g_return_val_if_fail ((guint) service < G_N_ELEMENTS (services), NULL);
  g_return_val_if_fail (config == NULL || STOMPY_IS_AWS_CONFIG (config), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!stompy_aws_region_is_valid (region))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "“%s” is not an AWS region name", region ? region : "(none)");
      return NULL;
    }

  if (envp == NULL)
    {
      if (config != NULL)
        envp = stompy_aws_config_get_environ (config);
      else
        envp = (const char * const *) (own_env = g_get_environ ());
    }
  if (config != NULL && profile == NULL)
    profile = stompy_aws_config_get_default_profile (config);

  endpoint = g_new0 (StompyAwsEndpoint, 1);
  endpoint->signing_name = services[service].signing_name;
  default_endpoint (service, region, &endpoint->url, &endpoint->signing_region);

  url = configured_url (service, envp, config, profile);
  if (url != NULL)
    {
      char *trimmed = g_strstrip (g_strdup (url));
      gsize len = strlen (trimmed);

      while (len > 0 && trimmed[len - 1] == '/')
        trimmed[--len] = '\0';

      g_free (endpoint->url);
      endpoint->url = trimmed;
      endpoint->overridden = TRUE;
    }

  if (!stompy_http_check_endpoint (endpoint->url, error))
    return NULL;

  return g_steal_pointer (&endpoint);
}

void
stompy_aws_endpoint_free (StompyAwsEndpoint *endpoint)
{
  if (endpoint == NULL)
    return;

  g_free (endpoint->url);
  g_free (endpoint->signing_region);
  g_free (endpoint);
}
