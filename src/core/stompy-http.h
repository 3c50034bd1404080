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

/* The numeric seconds of a Retry-After header (stompy-api.md uses integers);
 * 0 when absent or not a number. Capped at 600 s. */
guint        stompy_http_parse_retry_after    (SoupMessageHeaders *headers);

G_END_DECLS
