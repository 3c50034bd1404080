/* stompy-http.h — what every HTTP request of the app shares
 *
 * One SoupSession serves the AWS and the Stompy clients so that connections are
 * kept alive per endpoint. Endpoints must be https://, except loopback hosts
 * (127.0.0.0/8, ::1, localhost) where http:// is allowed for the local emulator.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A session with the app's User-Agent, timeouts and TLS defaults. */
SoupSession *stompy_http_session_new          (void) G_GNUC_WARN_UNUSED_RESULT;

gboolean     stompy_http_host_is_loopback     (const char  *host);
/* TRUE for https://, or http:// to a loopback host; else STOMPY_ERROR_INSECURE_ENDPOINT
 * (or STOMPY_ERROR_INVALID_INPUT when @uri is not an absolute http(s) URI). */
gboolean     stompy_http_check_endpoint       (const char  *uri,
                                               GError     **error);

/* "stompy-connect/<version> (<os>)" */
const char  *stompy_http_user_agent           (void);
/* "zh-CN" when the UI language is Simplified Chinese, else "en". */
const char  *stompy_http_accept_language      (void);

/* For debug logs: the header value, or "[redacted]" for Authorization,
 * X-Amz-Security-Token, Cookie and anything holding a bearer token. */
const char  *stompy_http_loggable_header      (const char  *name,
                                               const char  *value);

/* Request logging: with G_MESSAGES_DEBUG naming this domain (or "all"), every
 * session logs each request and response line and header (never a body) at
 * debug level in this domain, with secrets redacted. */
#define STOMPY_HTTP_LOG_DOMAIN "Stompy-HTTP"
gboolean     stompy_http_request_logging_enabled (void);
/* @uri with the values of secret query parameters (X-Amz-Security-Token,
 * X-Amz-Signature, X-Amz-Credential, token, password, …) and any user-info
 * replaced by "[redacted]". */
char        *stompy_http_loggable_uri         (const char  *uri) G_GNUC_WARN_UNUSED_RESULT;
/* One line of HTTP as SoupLogger prints it (a request line or "Name: value"),
 * redacted with stompy_http_loggable_header() and stompy_http_loggable_uri(). */
char        *stompy_http_loggable_line        (const char  *line) G_GNUC_WARN_UNUSED_RESULT;

/* TRUE when a transport error says the server's TLS certificate was not
 * accepted (untrusted, self-signed, expired, wrong host): an error for the
 * user to act on, never a reason to retry or to accept the certificate. */
gboolean     stompy_http_error_is_certificate (const GError *error);

/* The numeric seconds of a Retry-After header (stompy-api.md uses integers);
 * 0 when absent or not a number. Capped at 600 s. */
guint        stompy_http_parse_retry_after    (SoupMessageHeaders *headers);

G_END_DECLS
