/* stompy-error.h — the project's error domains
 *
 * Three domains, so that the UI can tell where a failure came from:
 *
 *  - STOMPY_ERROR:     local problems (bad input, config files, keyring, state file,
 *                      an endpoint that is not allowed).
 *  - STOMPY_AWS_ERROR: anything an AWS service answered, or failed to answer. The AWS
 *                      error code, message and request id are kept beside the GError
 *                      (an extended error, GLib ≥ 2.68) so the UI can map the code to a
 *                      translated sentence and support can quote the request id.
 *  - STOMPY_API_ERROR: the Stompy service (stompy-api.md), with its code string, request
 *                      id, per-field messages and Retry-After.
 *
 * Messages in these errors are for developers and logs; the UI translates codes.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ------------------------------------------------------------------ STOMPY_ERROR */

#define STOMPY_ERROR (stompy_error_quark ())

typedef enum
{
  STOMPY_ERROR_INVALID_INPUT,        /* a value the user typed, or a flag, is not valid */
  STOMPY_ERROR_CONFIG,               /* ~/.aws/config or credentials cannot be used */
  STOMPY_ERROR_NO_CREDENTIALS,       /* the chosen source has no usable credentials */
  STOMPY_ERROR_INSECURE_ENDPOINT,    /* http:// for a host that is not loopback */
  STOMPY_ERROR_KEYRING_UNAVAILABLE,  /* no Secret Service, or it is locked */
  STOMPY_ERROR_STATE_FILE,           /* the state file is damaged or of an unknown version */
  STOMPY_ERROR_FAILED,
} StompyErrorCode;

GQuark stompy_error_quark (void) G_GNUC_CONST;

/* -------------------------------------------------------------- STOMPY_AWS_ERROR */

#define STOMPY_AWS_ERROR (stompy_aws_error_quark ())

/* Coarse classes; the exact AWS code is kept in the extended data. */
typedef enum
{
  STOMPY_AWS_ERROR_SERVICE,            /* any other error an AWS service returned */
  STOMPY_AWS_ERROR_INVALID_CLIENT_TOKEN_ID, /* unknown access key id */
  STOMPY_AWS_ERROR_SIGNATURE_MISMATCH, /* wrong secret access key */
  STOMPY_AWS_ERROR_EXPIRED_TOKEN,      /* the session token has expired */
  STOMPY_AWS_ERROR_ACCESS_DENIED,      /* the identity lacks a permission */
  STOMPY_AWS_ERROR_THROTTLED,          /* still throttled after every retry */
  STOMPY_AWS_ERROR_NOT_FOUND,          /* the named resource does not exist */
  STOMPY_AWS_ERROR_ALREADY_EXISTS,     /* the named resource exists already */
  STOMPY_AWS_ERROR_VALIDATION,         /* AWS rejected a parameter */
  STOMPY_AWS_ERROR_CLOCK_SKEW,         /* the request time was rejected even after correction */
  STOMPY_AWS_ERROR_SERVER,             /* 5xx after every retry */
  STOMPY_AWS_ERROR_NETWORK,            /* could not reach the endpoint, or it hung up */
  STOMPY_AWS_ERROR_TIMEOUT,            /* no answer in time */
  STOMPY_AWS_ERROR_MALFORMED_RESPONSE, /* the body could not be understood */
  STOMPY_AWS_ERROR_TLS_CERTIFICATE,    /* the endpoint's certificate is not trusted: never retried */
} StompyAwsErrorCode;

GQuark stompy_aws_error_quark (void);

/* Creates a STOMPY_AWS_ERROR with the wire details kept. Any string may be NULL.
 * The GError code is derived from @aws_code and @http_status (see
 * stompy_aws_error_code_from_aws()), unless the caller passes an explicit class
 * with stompy_aws_error_new_full(). */
GError     *stompy_aws_error_new               (guint        http_status,
                                                const char  *aws_code,
                                                const char  *aws_message,
                                                const char  *request_id) G_GNUC_WARN_UNUSED_RESULT;
GError     *stompy_aws_error_new_full          (StompyAwsErrorCode code,
                                                guint        http_status,
                                                const char  *aws_code,
                                                const char  *aws_message,
                                                const char  *request_id) G_GNUC_WARN_UNUSED_RESULT;
StompyAwsErrorCode stompy_aws_error_code_from_aws (guint       http_status,
                                                const char  *aws_code);
/* Accessors; return NULL / 0 for errors of other domains. */
const char *stompy_aws_error_get_aws_code      (const GError *error);
const char *stompy_aws_error_get_aws_message   (const GError *error);
const char *stompy_aws_error_get_request_id    (const GError *error);
guint       stompy_aws_error_get_http_status   (const GError *error);

/* -------------------------------------------------------------- STOMPY_API_ERROR */

#define STOMPY_API_ERROR (stompy_api_error_quark ())

/* One value per code of stompy-api.md's error table. */
typedef enum
{
  STOMPY_API_ERROR_BAD_REQUEST,
  STOMPY_API_ERROR_INVALID_CREDENTIALS,
  STOMPY_API_ERROR_TOKEN_EXPIRED,
  STOMPY_API_ERROR_TOKEN_INVALID,
  STOMPY_API_ERROR_FORBIDDEN,
  STOMPY_API_ERROR_NOT_FOUND,
  STOMPY_API_ERROR_ACCOUNT_ALREADY_CONNECTED,
  STOMPY_API_ERROR_VALIDATION_FAILED,
  STOMPY_API_ERROR_RATE_LIMITED,
  STOMPY_API_ERROR_INTERNAL,
  STOMPY_API_ERROR_UNAVAILABLE,
  STOMPY_API_ERROR_NETWORK,            /* transport failure after every retry */
  STOMPY_API_ERROR_MALFORMED_RESPONSE, /* body not the documented shape */
  STOMPY_API_ERROR_UNKNOWN,            /* a code this client does not know */
  STOMPY_API_ERROR_TLS_CERTIFICATE,    /* the service's certificate is not trusted: never retried */
} StompyApiErrorCode;

GQuark      stompy_api_error_quark             (void);

/* @details may be NULL; it is copied. */
GError     *stompy_api_error_new               (guint        http_status,
                                                const char  *code,
                                                const char  *message,
                                                const char  *request_id,
                                                JsonObject  *details,
                                                guint        retry_after_seconds) G_GNUC_WARN_UNUSED_RESULT;
StompyApiErrorCode stompy_api_error_code_from_string (const char *code);
const char *stompy_api_error_get_code_string   (const GError *error);
const char *stompy_api_error_get_message       (const GError *error);
const char *stompy_api_error_get_request_id    (const GError *error);
guint       stompy_api_error_get_http_status   (const GError *error);
guint       stompy_api_error_get_retry_after   (const GError *error);
/* details.fields[@field] for validation_failed, or NULL. */
const char *stompy_api_error_get_field_message (const GError *error,
                                                const char   *field);
/* details.organization_name for account_already_connected, or NULL. */
const char *stompy_api_error_get_organization_name (const GError *error);

/* TRUE when the token must be dropped and the user asked to sign in again. */
gboolean    stompy_api_error_is_auth_expired   (const GError *error);

G_END_DECLS
