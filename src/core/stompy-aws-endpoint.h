/* stompy-aws-endpoint.h — where each AWS service is, and how it is signed
 *
 * Real endpoints: STS regional (sts.<region>.amazonaws.com), Organizations,
 * CUR and Data Exports in us-east-1, S3 and CloudFormation in the region.
 * Overrides as the AWS SDKs do: AWS_ENDPOINT_URL_<SERVICE> beats the profile's
 * services section, beats AWS_ENDPOINT_URL, beats the profile's endpoint_url;
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true disables them all. The signing
 * region and name stay those of the service.
 */
#pragma once

#include <glib-object.h>

#include "stompy-aws-config.h"

G_BEGIN_DECLS

typedef enum
{
  STOMPY_AWS_SERVICE_STS,
  STOMPY_AWS_SERVICE_ORGANIZATIONS,
  STOMPY_AWS_SERVICE_S3,
  STOMPY_AWS_SERVICE_CLOUDFORMATION,
  STOMPY_AWS_SERVICE_CUR,
  STOMPY_AWS_SERVICE_DATA_EXPORTS,
} StompyAwsService;

typedef struct
{
  char       *url;            /* "https://sts.ap-southeast-1.amazonaws.com", no trailing "/" */
  char       *signing_region;
  const char *signing_name;   /* "sts", "organizations", "s3", "cloudformation", "cur", "bcm-data-exports" */
  gboolean    overridden;     /* from AWS_ENDPOINT_URL* or the config file */
} StompyAwsEndpoint;

/* "STS", "ORGANIZATIONS", "S3", "CLOUDFORMATION", "COST_AND_USAGE_REPORT_SERVICE", "BCM_DATA_EXPORTS" */
const char        *stompy_aws_service_env_suffix  (StompyAwsService service);
/* lower-case of the above: the config-file key */
const char        *stompy_aws_service_config_key  (StompyAwsService service);
const char        *stompy_aws_service_signing_name (StompyAwsService service);

/* @config may be NULL (then @envp, NULL = this process, is used alone). The
 * endpoint is checked with stompy_http_check_endpoint(). */
StompyAwsEndpoint *stompy_aws_endpoint_resolve    (StompyAwsService    service,
                                                   const char         *region,
                                                   StompyAwsConfig    *config,
                                                   const char         *profile,
                                                   const char * const *envp,
                                                   GError            **error);
void               stompy_aws_endpoint_free       (StompyAwsEndpoint  *endpoint);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyAwsEndpoint, stompy_aws_endpoint_free)

G_END_DECLS
