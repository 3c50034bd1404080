/* stompy-aws-endpoint.h — where each AWS service is, and how it is signed
 *
 * Real endpoints: STS regional (sts.<region>.amazonaws.com), Organizations,
 * CUR and Data Exports in us-east-1, S3 and CloudFormation in the region.
 * Overrides in the AWS CLI's order (its tests/functional/configured_endpoint_urls
 * suite): AWS_ENDPOINT_URL_<SERVICE> beats AWS_ENDPOINT_URL, beats the profile's
 * services section, beats the profile's endpoint_url;
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or the profile's
 * ignore_configured_endpoint_urls = true) disables them all. The signing
 * region and name stay those of the service (us-east-1 for Organizations, CUR
 * and Data Exports in the aws partition).
 *
 * Data Exports is https://bcm-data-exports.us-east-1.api.aws (its rule set
 * uses the dual-stack domain), not amazonaws.com. cn-* regions use
 * amazonaws.com.cn, with Organizations and CUR in cn-northwest-1.
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

/* TRUE for a region name such as "ap-southeast-1" or "us-gov-west-1"
 * (^[a-z]{2}(-[a-z]+)+-[0-9]+$). */
gboolean           stompy_aws_region_is_valid     (const char        *region);

/* @config may be NULL (then @envp, NULL = this process, is used alone). The
 * endpoint is checked with stompy_http_check_endpoint(). When @envp is NULL and
 * @config is set, the config's environment is used; @profile NULL is the
 * config's default profile. An invalid @region is STOMPY_ERROR_INVALID_INPUT. */
StompyAwsEndpoint *stompy_aws_endpoint_resolve    (StompyAwsService    service,
                                                   const char         *region,
                                                   StompyAwsConfig    *config,
                                                   const char         *profile,
                                                   const char * const *envp,
                                                   GError            **error);
void               stompy_aws_endpoint_free       (StompyAwsEndpoint  *endpoint);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyAwsEndpoint, stompy_aws_endpoint_free)

G_END_DECLS
