/* stompy-sigv4.h — AWS Signature Version 4, header-signed requests
 *
 * The pure functions take a request already split into parts so they can be
 * checked byte for byte against AWS's test suite; stompy_sigv4_sign_message()
 * applies them to a SoupMessage.
 */
#pragma once

#include <libsoup/soup.h>

#include "stompy-aws-credentials.h"

G_BEGIN_DECLS

typedef struct
{
  const char         *method;        /* "GET", "POST", … */
  /* The path *unencoded*, as the test suite's .req files show it ("/example space/",
   * "/ሴ"). Non-S3: normalised (".", "..", "//") then each segment URI-encoded.
   * S3: never normalised, each segment encoded once, "/" kept. */
  const char         *path;
  /* The query string as sent, without "?", possibly percent-encoded; may be NULL.
   * Names and values are decoded, re-encoded (RFC 3986) and sorted. "a" → "a=". */
  const char         *query;
  const char * const *header_names;  /* in request order, any case, may repeat */
  const char * const *header_values; /* raw values; folded lines joined with "," */
  gsize               n_headers;
  /* Lower-case hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" (S3 only). */
  const char         *payload_hash;
  gboolean            s3;            /* S3 path rules */
} StompySigv4Request;

/* The canonical request; *signed_headers (if not NULL) receives "host;x-amz-date". */
char *stompy_sigv4_canonical_request (const StompySigv4Request *request,
                                      char                    **signed_headers) G_GNUC_WARN_UNUSED_RESULT;
/* @amz_date is "YYYYMMDD'T'HHMMSS'Z'". */
char *stompy_sigv4_string_to_sign    (const char *amz_date,
                                      const char *region,
                                      const char *service,
                                      const char *canonical_request) G_GNUC_WARN_UNUSED_RESULT;
/* Lower-case hex HMAC signature of @string_to_sign. */
char *stompy_sigv4_signature         (const char *secret_access_key,
                                      const char *amz_date,
                                      const char *region,
                                      const char *service,
                                      const char *string_to_sign) G_GNUC_WARN_UNUSED_RESULT;
/* The SigV4 signing key (kSigning) for @date ("YYYYMMDD", or an amz_date whose first
 * eight characters are used) into @out_key. The caller should wipe it after use
 * (explicit_bzero()). Exposed for the known-answer test of the AWS documentation. */
void  stompy_sigv4_derive_signing_key (const char *secret_access_key,
                                       const char *date,
                                       const char *region,
                                       const char *service,
                                       guint8      out_key[32]);
/* The full Authorization header value for @request. */
char *stompy_sigv4_authorization     (const StompySigv4Request *request,
                                      const char               *access_key_id,
                                      const char               *secret_access_key,
                                      const char               *amz_date,
                                      const char               *region,
                                      const char               *service) G_GNUC_WARN_UNUSED_RESULT;

char *stompy_sigv4_hex_sha256        (const guint8 *data,
                                      gsize         length) G_GNUC_WARN_UNUSED_RESULT;
/* "YYYYMMDD'T'HHMMSS'Z'" of @when (converted to UTC). */
char *stompy_sigv4_format_amz_date   (GDateTime *when) G_GNUC_WARN_UNUSED_RESULT;

/* Signs @message in place: sets Host (from its URI), X-Amz-Date, X-Amz-Security-Token
 * (when the credentials have one; it is signed, as botocore does),
 * X-Amz-Content-Sha256 (S3 only) and Authorization. @body is what will be sent
 * (NULL = empty). The message URI must already carry its final path and query.
 * @when is the signing time (NULL = now); pass the clock-skew-corrected time.
 * All headers present are signed except User-Agent, Expect, Transfer-Encoding and
 * X-Amzn-Trace-Id (botocore's list). For S3, a preset "X-Amz-Content-Sha256:
 * UNSIGNED-PAYLOAD" is kept and used; otherwise the header is the hash of @body. */
void  stompy_sigv4_sign_message      (SoupMessage          *message,
                                      GBytes               *body,
                                      StompyAwsCredentials *credentials,
                                      const char           *region,
                                      const char           *service,
                                      gboolean              s3,
                                      GDateTime            *when);

G_END_DECLS
