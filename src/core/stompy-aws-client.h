/* stompy-aws-client.h — signed, retried, cancellable calls to AWS services
 *
 * One client per set of credentials. It speaks the three wire protocols the
 * product needs — query (STS, CloudFormation), JSON 1.1 (Organizations, CUR,
 * Data Exports) and REST-XML (S3) — and turns each service's error shape into a
 * STOMPY_AWS_ERROR keeping the AWS code, message and request id. Every call uses
 * the standard retry mode and corrects for clock skew from the Date header.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "stompy-aws-config.h"
#include "stompy-aws-credentials.h"
#include "stompy-aws-endpoint.h"
#include "stompy-retry.h"
#include "stompy-xml.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_AWS_CLIENT (stompy_aws_client_get_type ())

G_DECLARE_FINAL_TYPE (StompyAwsClient, stompy_aws_client, STOMPY, AWS_CLIENT, GObject)

/* @config and @profile may be NULL: then endpoint overrides come from @envp only.
 * @region NULL means the config's region, else "ap-southeast-1" (the product's
 * default). @envp NULL = this process's environment. */
StompyAwsClient      *stompy_aws_client_new              (SoupSession          *session,
                                                          StompyAwsCredentials *credentials,
                                                          const char           *region,
                                                          StompyAwsConfig      *config,
                                                          const char           *profile,
                                                          const char * const   *envp);
StompyAwsCredentials *stompy_aws_client_get_credentials  (StompyAwsClient *self);
const char           *stompy_aws_client_get_region       (StompyAwsClient *self);
SoupSession          *stompy_aws_client_get_session      (StompyAwsClient *self);
/* For tests: a deterministic retry policy (random source) and clock. */
void                  stompy_aws_client_set_retry_policy (StompyAwsClient   *self,
                                                          StompyRetryPolicy *policy);
void                  stompy_aws_client_set_clock        (StompyAwsClient   *self,
                                                          StompyClock       *clock);
StompyClock          *stompy_aws_client_get_clock        (StompyAwsClient   *self);
/* Number of HTTP requests sent (attempts, not calls). */
guint                 stompy_aws_client_get_request_count (StompyAwsClient *self);

/* ---- query protocol (POST /, form body Action=…&Version=…) ----
 * @params: NULL-terminated name, value, name, value, … (e.g.
 * "Parameters.member.1.ParameterKey", "ExternalId"). Returns the <ActionResult>
 * element (e.g. <GetCallerIdentityResult>), or the root when there is none. */
void                  stompy_aws_client_query_async      (StompyAwsClient     *self,
                                                          StompyAwsService     service,
                                                          const char          *action,
                                                          const char          *version,
                                                          const char * const  *params,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
StompyXmlNode        *stompy_aws_client_query_finish     (StompyAwsClient     *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* ---- JSON 1.1 (POST /, X-Amz-Target: @target) ----
 * @body NULL sends "{}". Returns the parsed response (an object node). */
void                  stompy_aws_client_json_async       (StompyAwsClient     *self,
                                                          StompyAwsService     service,
                                                          const char          *target,
                                                          JsonNode            *body,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
JsonNode             *stompy_aws_client_json_finish      (StompyAwsClient     *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* ---- REST-XML (S3) ----
 * Path-style addressing for overridden (emulator) endpoints, virtual-hosted
 * otherwise. @key may be NULL (bucket operation); @query is the raw query
 * ("policy", "list-type=2&prefix=cur%2F"), may be NULL. @region overrides the
 * client's region for this bucket (S3 signs with the bucket's region); NULL =
 * client region. */
typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;  /* response headers */
  GBytes             *body;
  StompyXmlNode      *xml;      /* NULL when the body is empty or not XML */
} StompyAwsResponse;

void                  stompy_aws_response_free           (StompyAwsResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyAwsResponse, stompy_aws_response_free)

void                  stompy_aws_client_rest_xml_async   (StompyAwsClient     *self,
                                                          const char          *method,
                                                          const char          *bucket,
                                                          const char          *key,
                                                          const char          *query,
                                                          const char          *region,
                                                          GBytes              *body,
                                                          const char          *content_type,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
/* A 2xx (or 304) answer; anything else becomes a STOMPY_AWS_ERROR. Redirects
 * are never followed (they would re-send signed headers elsewhere, and S3's
 * 301/307 tell the caller the bucket's region). HEAD errors, which have no
 * body, get the code from the status: 404 → NotFound, 403 → Forbidden,
 * 301 → PermanentRedirect with x-amz-bucket-region kept in the message.
 * A non-empty body is sent with Content-MD5 (PutBucketPolicy needs it). */
StompyAwsResponse    *stompy_aws_client_rest_xml_finish  (StompyAwsClient     *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* Error parsing, exposed for tests with real AWS error bodies. Each returns a
 * new STOMPY_AWS_ERROR (never NULL). */
GError *stompy_aws_parse_query_error    (guint status, const char *body, gsize length,
                                         SoupMessageHeaders *headers) G_GNUC_WARN_UNUSED_RESULT;
GError *stompy_aws_parse_json_error     (guint status, const char *body, gsize length,
                                         SoupMessageHeaders *headers) G_GNUC_WARN_UNUSED_RESULT;
GError *stompy_aws_parse_rest_xml_error (guint status, const char *body, gsize length,
                                         SoupMessageHeaders *headers) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
