/* stompy-error.c — the project's error domains, with the wire details kept */
#include "config.h"

#include "stompy-error.h"
#include "stompy-json-member.h"

G_DEFINE_QUARK (stompy-error-quark, stompy_error)

/* ------------------------------------------------------------------ AWS */

typedef struct
{
  guint http_status;
  char *aws_code;
  char *aws_message;
  char *request_id;
} StompyAwsErrorPrivate;

static void
stompy_aws_error_private_init (StompyAwsErrorPrivate *priv)
{
}

static void
stompy_aws_error_private_copy (const StompyAwsErrorPrivate *src,
                               StompyAwsErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->aws_code = g_strdup (src->aws_code);
  dest->aws_message = g_strdup (src->aws_message);
  dest->request_id = g_strdup (src->request_id);
}

static void
stompy_aws_error_private_clear (StompyAwsErrorPrivate *priv)
{
  g_clear_pointer (&priv->aws_code, g_free);
  g_clear_pointer (&priv->aws_message, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

G_DEFINE_EXTENDED_ERROR (StompyAwsError, stompy_aws_error)

typedef struct
{
  const char        *aws_code;
  StompyAwsErrorCode code;
} CodeClass;

/* Error codes as the services send them (STS/CloudFormation query codes, JSON
 * 1.1 __type names after sanitising, S3 codes). */
static const CodeClass aws_code_classes[] = {
  { "InvalidClientTokenId", STOMPY_AWS_ERROR_INVALID_CLIENT_TOKEN_ID },
  { "UnrecognizedClientException", STOMPY_AWS_ERROR_INVALID_CLIENT_TOKEN_ID },
  { "InvalidAccessKeyId", STOMPY_AWS_ERROR_INVALID_CLIENT_TOKEN_ID },
  { "SignatureDoesNotMatch", STOMPY_AWS_ERROR_SIGNATURE_MISMATCH },
  { "InvalidSignatureException", STOMPY_AWS_ERROR_SIGNATURE_MISMATCH },
  { "ExpiredToken", STOMPY_AWS_ERROR_EXPIRED_TOKEN },
  { "ExpiredTokenException", STOMPY_AWS_ERROR_EXPIRED_TOKEN },
  { "RequestExpired", STOMPY_AWS_ERROR_CLOCK_SKEW },
  { "RequestTimeTooSkewed", STOMPY_AWS_ERROR_CLOCK_SKEW },
  { "RequestInTheFuture", STOMPY_AWS_ERROR_CLOCK_SKEW },
  { "AccessDenied", STOMPY_AWS_ERROR_ACCESS_DENIED },
  { "AccessDeniedException", STOMPY_AWS_ERROR_ACCESS_DENIED },
  { "UnauthorizedOperation", STOMPY_AWS_ERROR_ACCESS_DENIED },
  { "Throttling", STOMPY_AWS_ERROR_THROTTLED },
  { "ThrottlingException", STOMPY_AWS_ERROR_THROTTLED },
  { "TooManyRequestsException", STOMPY_AWS_ERROR_THROTTLED },
  { "RequestLimitExceeded", STOMPY_AWS_ERROR_THROTTLED },
  { "SlowDown", STOMPY_AWS_ERROR_THROTTLED },
  { "NoSuchBucket", STOMPY_AWS_ERROR_NOT_FOUND },
  { "NoSuchKey", STOMPY_AWS_ERROR_NOT_FOUND },
  { "NoSuchBucketPolicy", STOMPY_AWS_ERROR_NOT_FOUND },
  { "ResourceNotFoundException", STOMPY_AWS_ERROR_NOT_FOUND },
  { "AlreadyExistsException", STOMPY_AWS_ERROR_ALREADY_EXISTS },
  { "BucketAlreadyExists", STOMPY_AWS_ERROR_ALREADY_EXISTS },
  { "DuplicateReportNameException", STOMPY_AWS_ERROR_ALREADY_EXISTS },
  { "ValidationError", STOMPY_AWS_ERROR_VALIDATION },
  { "ValidationException", STOMPY_AWS_ERROR_VALIDATION },
  { "InvalidParameterValue", STOMPY_AWS_ERROR_VALIDATION },
  { "InternalFailure", STOMPY_AWS_ERROR_SERVER },
  { "InternalError", STOMPY_AWS_ERROR_SERVER },
  { "ServiceUnavailable", STOMPY_AWS_ERROR_SERVER },
  { "ServiceException", STOMPY_AWS_ERROR_SERVER },
};

StompyAwsErrorCode
stompy_aws_error_code_from_aws (guint       http_status,
                                const char *aws_code)
{
  if (aws_code != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (aws_code_classes); i++)
        if (g_str_equal (aws_code, aws_code_classes[i].aws_code))
          return aws_code_classes[i].code;
    }

  if (http_status == 429)
    return STOMPY_AWS_ERROR_THROTTLED;
  if (http_status >= 500)
    return STOMPY_AWS_ERROR_SERVER;
  if (http_status == 404)
    return STOMPY_AWS_ERROR_NOT_FOUND;

  return STOMPY_AWS_ERROR_SERVICE;
}

/* What a server sent may be any bytes (a GMarkup error even quotes them):
 * messages, request ids and codes are shown and logged, so they must be
 * UTF-8. NULL stays NULL. */
static char *
wire_text (const char *text)
{
  return text != NULL ? g_utf8_make_valid (text, -1) : NULL;
}

GError *
stompy_aws_error_new_full (StompyAwsErrorCode code,
                           guint              http_status,
                           const char        *wire_aws_code,
                           const char        *wire_aws_message,
                           const char        *wire_request_id)
{
  g_autofree char *aws_code = wire_text (wire_aws_code);
  g_autofree char *aws_message = wire_text (wire_aws_message);
  g_autofree char *request_id = wire_text (wire_request_id);
  StompyAwsErrorPrivate *priv;
  GError *error;

  /* The GError message is for logs: code and message, never a credential. */
  error = g_error_new (STOMPY_AWS_ERROR, code, "%s%s%s (HTTP %u%s%s)",
                       aws_code ? aws_code : "AWS error",
                       aws_message && *aws_message ? ": " : "",
                       aws_message ? aws_message : "",
                       http_status,
                       request_id ? ", request id " : "",
                       request_id ? request_id : "");
  priv = stompy_aws_error_get_private (error);
  priv->http_status = http_status;
  priv->aws_code = g_strdup (aws_code);
  priv->aws_message = g_strdup (aws_message);
  priv->request_id = g_strdup (request_id);

  return error;
}

GError *
stompy_aws_error_new (guint       http_status,
                      const char *aws_code,
                      const char *aws_message,
                      const char *request_id)
{
  return stompy_aws_error_new_full (stompy_aws_error_code_from_aws (http_status, aws_code),
                                    http_status, aws_code, aws_message, request_id);
}

static StompyAwsErrorPrivate *
aws_private (const GError *error)
{
  if (error == NULL || error->domain != STOMPY_AWS_ERROR)
    return NULL;
  return stompy_aws_error_get_private (error);
}

const char *
stompy_aws_error_get_aws_code (const GError *error)
{
  StompyAwsErrorPrivate *priv = aws_private (error);
  return priv ? priv->aws_code : NULL;
}

const char *
stompy_aws_error_get_aws_message (const GError *error)
{
  StompyAwsErrorPrivate *priv = aws_private (error);
  return priv ? priv->aws_message : NULL;
}

const char *
stompy_aws_error_get_request_id (const GError *error)
{
  StompyAwsErrorPrivate *priv = aws_private (error);
  return priv ? priv->request_id : NULL;
}

guint
stompy_aws_error_get_http_status (const GError *error)
{
  StompyAwsErrorPrivate *priv = aws_private (error);
  return priv ? priv->http_status : 0;
}

/* ------------------------------------------------------------------ Stompy API */

typedef struct
{
  guint http_status;
  guint retry_after;
  char *code;
  char *message;
  char *request_id;
  JsonObject *details;
} StompyApiErrorPrivate;

static void
stompy_api_error_private_init (StompyApiErrorPrivate *priv)
{
}

static void
stompy_api_error_private_copy (const StompyApiErrorPrivate *src,
                               StompyApiErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->retry_after = src->retry_after;
  dest->code = g_strdup (src->code);
  dest->message = g_strdup (src->message);
  dest->request_id = g_strdup (src->request_id);
  dest->details = src->details ? json_object_ref (src->details) : NULL;
}

static void
stompy_api_error_private_clear (StompyApiErrorPrivate *priv)
{
  g_clear_pointer (&priv->code, g_free);
  g_clear_pointer (&priv->message, g_free);
  g_clear_pointer (&priv->request_id, g_free);
  g_clear_pointer (&priv->details, json_object_unref);
}

G_DEFINE_EXTENDED_ERROR (StompyApiError, stompy_api_error)

static const struct
{
  const char        *code;
  StompyApiErrorCode value;
} api_codes[] = {
  { "bad_request", STOMPY_API_ERROR_BAD_REQUEST },
  { "invalid_credentials", STOMPY_API_ERROR_INVALID_CREDENTIALS },
  { "token_expired", STOMPY_API_ERROR_TOKEN_EXPIRED },
  { "token_invalid", STOMPY_API_ERROR_TOKEN_INVALID },
  { "forbidden", STOMPY_API_ERROR_FORBIDDEN },
  { "not_found", STOMPY_API_ERROR_NOT_FOUND },
  { "account_already_connected", STOMPY_API_ERROR_ACCOUNT_ALREADY_CONNECTED },
  { "validation_failed", STOMPY_API_ERROR_VALIDATION_FAILED },
  { "rate_limited", STOMPY_API_ERROR_RATE_LIMITED },
  { "internal", STOMPY_API_ERROR_INTERNAL },
  { "unavailable", STOMPY_API_ERROR_UNAVAILABLE },
};

StompyApiErrorCode
stompy_api_error_code_from_string (const char *code)
{
  if (code != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (api_codes); i++)
      if (g_str_equal (code, api_codes[i].code))
        return api_codes[i].value;

  return STOMPY_API_ERROR_UNKNOWN;
}

GError *
stompy_api_error_new (guint       http_status,
                      const char *wire_code,
                      const char *wire_message,
                      const char *wire_request_id,
                      JsonObject *details,
                      guint       retry_after_seconds)
{
  g_autofree char *code = wire_text (wire_code);
  g_autofree char *message = wire_text (wire_message);
  g_autofree char *request_id = wire_text (wire_request_id);
  StompyApiErrorPrivate *priv;
  GError *error;
  StompyApiErrorCode value = stompy_api_error_code_from_string (code);

  /* An unknown code still tells us something from its status. */
  if (value == STOMPY_API_ERROR_UNKNOWN && code == NULL)
    {
      if (http_status == 429)
        value = STOMPY_API_ERROR_RATE_LIMITED;
      else if (http_status == 503)
        value = STOMPY_API_ERROR_UNAVAILABLE;
      else if (http_status >= 500)
        value = STOMPY_API_ERROR_INTERNAL;
    }

  error = g_error_new (STOMPY_API_ERROR, value, "%s%s%s (HTTP %u%s%s)",
                       code ? code : "error",
                       message && *message ? ": " : "",
                       message ? message : "",
                       http_status,
                       request_id ? ", request id " : "",
                       request_id ? request_id : "");
  priv = stompy_api_error_get_private (error);
  priv->http_status = http_status;
  priv->retry_after = retry_after_seconds;
  priv->code = g_strdup (code);
  priv->message = g_strdup (message);
  priv->request_id = g_strdup (request_id);
  priv->details = details ? json_object_ref (details) : NULL;

  return error;
}

static StompyApiErrorPrivate *
api_private (const GError *error)
{
  if (error == NULL || error->domain != STOMPY_API_ERROR)
    return NULL;
  return stompy_api_error_get_private (error);
}

const char *
stompy_api_error_get_code_string (const GError *error)
{
  StompyApiErrorPrivate *priv = api_private (error);
  return priv ? priv->code : NULL;
}

const char *
stompy_api_error_get_message (const GError *error)
{
  StompyApiErrorPrivate *priv = api_private (error);
  return priv ? priv->message : NULL;
}

const char *
stompy_api_error_get_request_id (const GError *error)
{
  StompyApiErrorPrivate *priv = api_private (error);
  return priv ? priv->request_id : NULL;
}

guint
stompy_api_error_get_http_status (const GError *error)
{
  StompyApiErrorPrivate *priv = api_private (error);
  return priv ? priv->http_status : 0;
}

guint
stompy_api_error_get_retry_after (const GError *error)
{
  StompyApiErrorPrivate *priv = api_private (error);
  return priv ? priv->retry_after : 0;
}

static const char *
details_string (const GError *error,
                const char   *member,
                const char   *field)
{
  StompyApiErrorPrivate *priv = api_private (error);

  if (priv == NULL)
    return NULL;

  if (field != NULL)
    return stompy_json_member_string (stompy_json_member_object (priv->details, member), field);

  return stompy_json_member_string (priv->details, member);
}

const char *
stompy_api_error_get_field_message (const GError *error,
                                    const char   *field)
{
  return details_string (error, "fields", field);
}

const char *
stompy_api_error_get_organization_name (const GError *error)
{
  return details_string (error, "organization_name", NULL);
}

gboolean
stompy_api_error_is_auth_expired (const GError *error)
{
  return g_error_matches (error, STOMPY_API_ERROR, STOMPY_API_ERROR_TOKEN_EXPIRED) ||
         g_error_matches (error, STOMPY_API_ERROR, STOMPY_API_ERROR_TOKEN_INVALID);
}
