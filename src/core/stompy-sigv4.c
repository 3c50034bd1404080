/* stompy-sigv4.c — AWS Signature Version 4, header-signed requests
 *
 * The algorithm is AWS's (IAM user guide, "Create a signed AWS API request");
 * where the documents leave a choice, this follows botocore (botocore/auth.py),
 * since that is what AWS's own CLI sends. It is checked byte for byte against
 * AWS's aws-sig-v4-test-suite in tests/test-sigv4.c.
 *
 * Every request of the app is signed, so the canonical request is built in one
 * pre-sized GString per part, and headers and query parameters are sorted with
 * qsort() rather than inserted in order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "stompy-sigv4.h"

#define SIGV4_ALGORITHM    "AWS4-HMAC-SHA256"
#define SIGV4_TERMINATOR   "aws4_request"
#define SHA256_LENGTH      32
#define EMPTY_SHA256       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define UNSIGNED_PAYLOAD   "UNSIGNED-PAYLOAD"

/* ------------------------------------------------------------------ encoding */

/* RFC 3986 unreserved characters: A-Z a-z 0-9 - . _ ~ */
static inline gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* AWS's UriEncode(): every byte but the unreserved ones as %XX with upper-case
 * hex, space as %20 (never "+"); "/" kept only when @keep_slash (S3 keys). It
 * works on bytes so that a decoded %00 cannot truncate anything. */
static void
append_uri_encoded (GString    *out,
                    const char *data,
                    gsize       length,
                    gboolean    keep_slash)
{
  static const char hex[] = "0123456789ABCDEF";

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) data[i];

      if (is_unreserved (c) || (keep_slash && c == '/'))
        g_string_append_c (out, (char) c);
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
        }
    }
}

/* Percent-decoding of a query name or value as it was sent. A "%" that is not
 * followed by two hex digits is kept literally (it is then encoded as %25),
 * which is what a server that decodes leniently sees too. "+" is kept as "+":
 * AWS's query protocol never uses it for a space, and GUri encodes spaces as %20. */
static void
append_percent_decoded (GString    *out,
                        const char *data,
                        gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '%' && i + 2 < length &&
          g_ascii_isxdigit (data[i + 1]) && g_ascii_isxdigit (data[i + 2]))
        {
          g_string_append_c (out, (char) ((g_ascii_xdigit_value (data[i + 1]) << 4) |
                                          g_ascii_xdigit_value (data[i + 2])));
          i += 2;
        }
      else
        g_string_append_c (out, data[i]);
    }
}

/* ------------------------------------------------------------- canonical URI */

typedef struct
{
  const char *start;
  gsize       length;
} Segment;

/* Non-S3 services: RFC 3986 remove_dot_segments plus the removal of empty
 * segments ("//"), exactly as botocore's remove_dot_segments(); a trailing "/"
 * is kept when anything is left. Then each segment is encoded. */
static void
append_normalized_path (GString    *out,
                        const char *path)
{
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  gsize path_length = strlen (path);
  const char *p = path;
  const char *end = path + path_length;

  while (p < end)
    {
      const char *slash = memchr (p, '/', end - p);
      const char *seg_end = slash != NULL ? slash : end;
      Segment segment = { p, seg_end - p };

      if (segment.length == 0 || (segment.length == 1 && p[0] == '.'))
        ; /* "//" and "/./" add nothing. */
      else if (segment.length == 2 && p[0] == '.' && p[1] == '.')
        {
          if (segments->len > 0)
            g_array_set_size (segments, segments->len - 1);
        }
      else
        g_array_append_val (segments, segment);

      p = seg_end + 1;
    }

  /* The canonical URI is always absolute. */
  g_string_append_c (out, '/');
  for (guint i = 0; i < segments->len; i++)
    {
      const Segment *segment = &g_array_index (segments, Segment, i);

      if (i > 0)
        g_string_append_c (out, '/');
      append_uri_encoded (out, segment->start, segment->length, FALSE);
    }
  if (segments->len > 0 && path_length > 0 && path[path_length - 1] == '/')
    g_string_append_c (out, '/');
}

static void
append_canonical_uri (GString                  *out,
                      const StompySigv4Request *request)
{
  const char *path = request->path != NULL ? request->path : "";

  if (request->s3)
    {
      /* S3: the key is used as it is ("my-object//example//photo.user" is a
       * different object from "my-object/example/photo.user"), encoded once. */
      if (path[0] != '/')
        g_string_append_c (out, '/');
      append_uri_encoded (out, path, strlen (path), TRUE);
    }
  else
    append_normalized_path (out, path);
}

/* ----------------------------------------------------------- canonical query */

typedef struct
{
  char *name;   /* encoded */
  char *value;  /* encoded */
} QueryParam;

static int
query_param_compare (const void *a,
                     const void *b)
{
  const QueryParam *pa = a;
  const QueryParam *pb = b;
  int cmp = strcmp (pa->name, pb->name);

  return cmp != 0 ? cmp : strcmp (pa->value, pb->value);
}

static char *
encode_query_part (GString    *scratch,
                   const char *data,
                   gsize       length)
{
  GString *encoded = g_string_sized_new (length + 8);

  g_string_truncate (scratch, 0);
  append_percent_decoded (scratch, data, length);
  append_uri_encoded (encoded, scratch->str, scratch->len, FALSE);

  return g_string_free (encoded, FALSE);
}

static void
append_canonical_query (GString    *out,
                        const char *query)
{
  g_autoptr(GArray) params = NULL;
  g_autoptr(GString) scratch = NULL;
  const char *p;
  const char *end;

  if (query == NULL || *query == '\0')
    return;

  params = g_array_new (FALSE, FALSE, sizeof (QueryParam));
  scratch = g_string_sized_new (64);
  p = query;
  end = query + strlen (query);

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *pair_end = amp != NULL ? amp : end;

      /* "a&&b" or a trailing "&" carry no parameter. */
      if (pair_end > p)
        {
          const char *eq = memchr (p, '=', pair_end - p);
          QueryParam param;

          /* "acl" and "acl=" are both "acl=" in the canonical form. */
          if (eq != NULL)
            {
              param.name = encode_query_part (scratch, p, eq - p);
              param.value = encode_query_part (scratch, eq + 1, pair_end - eq - 1);
            }
          else
            {
              param.name = encode_query_part (scratch, p, pair_end - p);
              param.value = g_strdup ("");
            }
          g_array_append_val (params, param);
        }

      p = pair_end + 1;
    }

  /* Sorted by encoded name, then by encoded value, in byte order. An empty
   * array has no data, and qsort (NULL, 0, …) is undefined (UBSan, fuzzing). */
  if (params->len > 1)
    qsort (params->data, params->len, sizeof (QueryParam), query_param_compare);

  for (guint i = 0; i < params->len; i++)
    {
      QueryParam *param = &g_array_index (params, QueryParam, i);

      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append (out, param->name);
      g_string_append_c (out, '=');
      g_string_append (out, param->value);
      g_free (param->name);
      g_free (param->value);
    }
}

/* --------------------------------------------------------- canonical headers */

typedef struct
{
  char  *name;   /* lower case */
  char  *value;  /* trimmed, spaces collapsed, folded lines joined with "," */
  gsize  index;  /* request order, to keep repeated headers in order */
} Header;

static int
header_compare (const void *a,
                const void *b)
{
  const Header *ha = a;
  const Header *hb = b;
  int cmp = strcmp (ha->name, hb->name);

  if (cmp != 0)
    return cmp;
  return ha->index < hb->index ? -1 : (ha->index > hb->index ? 1 : 0);
}

/* One physical line of a value: leading and trailing whitespace dropped, and
 * every run of whitespace inside it (even inside quotes, as the suite's
 * get-header-value-trim shows) made a single space, like botocore's
 * ' '.join(value.split()). */
static void
append_collapsed (GString    *out,
                  const char *start,
                  const char *end)
{
  gboolean pending_space = FALSE;
  gboolean any = FALSE;

  for (const char *p = start; p < end; p++)
    {
      if (g_ascii_isspace (*p))
        pending_space = any;
      else
        {
          if (pending_space)
            g_string_append_c (out, ' ');
          g_string_append_c (out, *p);
          pending_space = FALSE;
          any = TRUE;
        }
    }
}

/* A value may still hold obs-fold continuation lines ("value1\r\n  value2", as
 * in the suite's get-header-value-multiline): each line is trimmed and the
 * lines are joined with ",", which gives "value1,value2". A value whose
 * folds were already joined with "," by the caller comes out the same. */
static char *
canonical_header_value (const char *raw)
{
  GString *out = g_string_sized_new (strlen (raw));
  const char *p = raw;

  for (;;)
    {
      const char *eol = strpbrk (p, "\r\n");
      const char *line_end = eol != NULL ? eol : p + strlen (p);
      gsize before = out->len;

      if (out->len > 0)
        g_string_append_c (out, ',');
      append_collapsed (out, p, line_end);
      /* An empty continuation line adds nothing (not even the comma). */
      if (out->len == before + 1 && before > 0)
        g_string_truncate (out, before);

      if (eol == NULL)
        break;
      p = eol + strspn (eol, "\r\n");
    }

  return g_string_free (out, FALSE);
}

/* Appends the canonical header lines (each ending in "\n") to @out and the
 * signed header list to @signed_headers. */
static void
append_canonical_headers (GString                  *out,
                          GString                  *signed_headers,
                          const StompySigv4Request *request)
{
  g_autofree Header *headers = NULL;

  if (request->n_headers == 0)
    return;

  headers = g_new (Header, request->n_headers);
  for (gsize i = 0; i < request->n_headers; i++)
    {
      headers[i].name = g_strstrip (g_ascii_strdown (request->header_names[i], -1));
      headers[i].value = canonical_header_value (request->header_values[i] != NULL
                                                 ? request->header_values[i] : "");
      headers[i].index = i;
    }

  qsort (headers, request->n_headers, sizeof (Header), header_compare);

  for (gsize i = 0; i < request->n_headers; i++)
    {
      gboolean same_as_previous = i > 0 && strcmp (headers[i].name, headers[i - 1].name) == 0;

      if (same_as_previous)
        {
          /* Repeated headers: one line, values in request order joined with ",". */
          g_string_append_c (out, ',');
        }
      else
        {
          if (i > 0)
            {
              g_string_append_c (out, '\n');
              g_string_append_c (signed_headers, ';');
            }
          g_string_append (out, headers[i].name);
          g_string_append_c (out, ':');
          g_string_append (signed_headers, headers[i].name);
        }
      g_string_append (out, headers[i].value);
    }
  g_string_append_c (out, '\n');

  for (gsize i = 0; i < request->n_headers; i++)
    {
      g_free (headers[i].name);
      g_free (headers[i].value);
    }
}

/* ---------------------------------------------------------- public functions */

char *
stompy_sigv4_canonical_request (const StompySigv4Request  *request,
                                char                     **signed_headers)
{
  GString *out;
  g_autoptr(GString) signed_list = NULL;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (request->method != NULL, NULL);
  g_return_val_if_fail (request->n_headers == 0 ||
                        (request->header_names != NULL && request->header_values != NULL), NULL);

  out = g_string_sized_new (256 + 64 * request->n_headers);
  signed_list = g_string_sized_new (16 * request->n_headers + 1);

  g_string_append (out, request->method);
  g_string_append_c (out, '\n');
  append_canonical_uri (out, request);
  g_string_append_c (out, '\n');
  append_canonical_query (out, request->query);
  g_string_append_c (out, '\n');
  append_canonical_headers (out, signed_list, request);
  g_string_append_c (out, '\n');
  g_string_append_len (out, signed_list->str, signed_list->len);
  g_string_append_c (out, '\n');
  /* No hash given means an empty body. */
  g_string_append (out, request->payload_hash != NULL ? request->payload_hash : EMPTY_SHA256);

  if (signed_headers != NULL)
    *signed_headers = g_strndup (signed_list->str, signed_list->len);

  return g_string_free (out, FALSE);
}

char *
stompy_sigv4_hex_sha256 (const guint8 *data,
                         gsize         length)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data != NULL ? data : (const guint8 *) "",
                                      length);
}

char *
stompy_sigv4_string_to_sign (const char *amz_date,
                             const char *region,
                             const char *service,
                             const char *canonical_request)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (amz_date != NULL && strlen (amz_date) >= 8, NULL);
  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (service != NULL, NULL);
  g_return_val_if_fail (canonical_request != NULL, NULL);

  hash = stompy_sigv4_hex_sha256 ((const guint8 *) canonical_request, strlen (canonical_request));

  return g_strdup_printf (SIGV4_ALGORITHM "\n%s\n%.8s/%s/%s/" SIGV4_TERMINATOR "\n%s",
                          amz_date, amz_date, region, service, hash);
}

static void
hmac_sha256 (const guint8 *key,
             gsize         key_length,
             const char   *data,
             guint8        out[SHA256_LENGTH])
{
  GHmac *hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_length);
  gsize out_length = SHA256_LENGTH;

  g_hmac_update (hmac, (const guchar *) data, strlen (data));
  g_hmac_get_digest (hmac, out, &out_length);
  g_hmac_unref (hmac);

  g_assert (out_length == SHA256_LENGTH);
}

void
stompy_sigv4_derive_signing_key (const char *secret_access_key,
                                 const char *date,
                                 const char *region,
                                 const char *service,
                                 guint8      out_key[32])
{
  gsize secret_length;
  guint8 *first_key;
  guint8 k_date[SHA256_LENGTH];
  guint8 k_region[SHA256_LENGTH];
  guint8 k_service[SHA256_LENGTH];
  char day[9];

  g_return_if_fail (secret_access_key != NULL);
  g_return_if_fail (date != NULL && strlen (date) >= 8);
  g_return_if_fail (region != NULL);
  g_return_if_fail (service != NULL);
  g_return_if_fail (out_key != NULL);

  memcpy (day, date, 8);
  day[8] = '\0';

  secret_length = strlen (secret_access_key);
  first_key = g_malloc (4 + secret_length);
  memcpy (first_key, "AWS4", 4);
  memcpy (first_key + 4, secret_access_key, secret_length);

  hmac_sha256 (first_key, 4 + secret_length, day, k_date);
  hmac_sha256 (k_date, SHA256_LENGTH, region, k_region);
  hmac_sha256 (k_region, SHA256_LENGTH, service, k_service);
  hmac_sha256 (k_service, SHA256_LENGTH, SIGV4_TERMINATOR, out_key);

  /* Each intermediate key signs anything for that day, region or service:
   * they must not stay in memory. (GHmac's own copies are freed, unwiped, by
   * GLib; there is no API to do better with it.) */
  explicit_bzero (first_key, 4 + secret_length);
  g_free (first_key);
  explicit_bzero (k_date, sizeof k_date);
  explicit_bzero (k_region, sizeof k_region);
  explicit_bzero (k_service, sizeof k_service);
}

char *
stompy_sigv4_signature (const char *secret_access_key,
                        const char *amz_date,
                        const char *region,
                        const char *service,
                        const char *string_to_sign)
{
  guint8 signing_key[SHA256_LENGTH];
  guint8 signature[SHA256_LENGTH];
  char hex[2 * SHA256_LENGTH + 1];
  static const char digits[] = "0123456789abcdef";

  g_return_val_if_fail (secret_access_key != NULL, NULL);
  g_return_val_if_fail (amz_date != NULL && strlen (amz_date) >= 8, NULL);
  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (service != NULL, NULL);
  g_return_val_if_fail (string_to_sign != NULL, NULL);

  stompy_sigv4_derive_signing_key (secret_access_key, amz_date, region, service, signing_key);
  hmac_sha256 (signing_key, SHA256_LENGTH, string_to_sign, signature);
  explicit_bzero (signing_key, sizeof signing_key);

  for (guint i = 0; i < SHA256_LENGTH; i++)
    {
      hex[2 * i] = digits[signature[i] >> 4];
      hex[2 * i + 1] = digits[signature[i] & 0xf];
    }
  hex[2 * SHA256_LENGTH] = '\0';

  return g_strdup (hex);
}

char *
stompy_sigv4_authorization (const StompySigv4Request *request,
                            const char               *access_key_id,
                            const char               *secret_access_key,
                            const char               *amz_date,
                            const char               *region,
                            const char               *service)
{
  g_autofree char *signed_headers = NULL;
  g_autofree char *canonical_request = NULL;
  g_autofree char *string_to_sign = NULL;
  g_autofree char *signature = NULL;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (access_key_id != NULL, NULL);
  g_return_val_if_fail (secret_access_key != NULL, NULL);
  g_return_val_if_fail (amz_date != NULL && strlen (amz_date) >= 8, NULL);
  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (service != NULL, NULL);

  canonical_request = stompy_sigv4_canonical_request (request, &signed_headers);
  string_to_sign = stompy_sigv4_string_to_sign (amz_date, region, service, canonical_request);
  signature = stompy_sigv4_signature (secret_access_key, amz_date, region, service,
                                      string_to_sign);

  return g_strdup_printf (SIGV4_ALGORITHM " Credential=%s/%.8s/%s/%s/" SIGV4_TERMINATOR
                          ", SignedHeaders=%s, Signature=%s",
                          access_key_id, amz_date, region, service, signed_headers, signature);
}

char *
stompy_sigv4_format_amz_date (GDateTime *when)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (when != NULL, NULL);

  utc = g_date_time_to_utc (when);

  return g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
}

/* ------------------------------------------------------------- SoupMessage */

/* Headers that are never signed. This is botocore's SIGNED_HEADERS_BLACKLIST
 * (botocore/auth.py) plus Authorization, which botocore deletes before
 * signing and we replace:
 *
 *  - User-Agent: SoupSession adds or rewrites it when the message is queued,
 *    after signing, and proxies are known to change it;
 *  - Expect, Transfer-Encoding: hop-by-hop framing that libsoup or a proxy
 *    may add, drop or change;
 *  - X-Amzn-Trace-Id: added by tracing middleboxes (X-Ray, load balancers).
 *
 * Every other header present when signing is signed, as botocore does: the
 * more is signed, the less can be altered on the way, and AWS accepts any
 * signed header as long as it arrives unchanged. Headers that libsoup adds
 * later (Accept-Encoding from the content decoder, User-Agent) are simply not
 * signed, which AWS allows. */
static gboolean
header_is_unsigned (const char *name)
{
  static const char * const unsigned_headers[] = {
    "authorization",
    "expect",
    "transfer-encoding",
    "user-agent",
    "x-amzn-trace-id",
  };

  for (guint i = 0; i < G_N_ELEMENTS (unsigned_headers); i++)
    {
      if (g_ascii_strcasecmp (name, unsigned_headers[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

static int
default_port_for_scheme (const char *scheme)
{
  if (scheme == NULL)
    return -1;
  if (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0)
    return 443;
  if (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "ws") == 0)
    return 80;
  return -1;
}

/* The Host header libsoup would send: an IPv6 literal in brackets, the port
 * only when it is not the scheme's default. */
static char *
host_header_for_uri (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  int port = g_uri_get_port (uri);
  gboolean ipv6 = host != NULL && strchr (host, ':') != NULL;
  GString *out = g_string_sized_new (64);

  if (ipv6)
    g_string_append_c (out, '[');
  g_string_append (out, host != NULL ? host : "");
  if (ipv6)
    g_string_append_c (out, ']');
  if (port > 0 && port != default_port_for_scheme (g_uri_get_scheme (uri)))
    g_string_append_printf (out, ":%d", port);

  return g_string_free (out, FALSE);
}

void
stompy_sigv4_sign_message (SoupMessage          *message,
                           GBytes               *body,
                           StompyAwsCredentials *credentials,
                           const char           *region,
                           const char           *service,
                           gboolean              s3,
                           GDateTime            *when)
{
  SoupMessageHeaders *headers;
  GUri *uri;
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  const char *session_token;
  const char *preset_hash;
  const char *wire_path;
  const char *access_key_id;
  const char *secret_access_key;
  g_autofree char *decoded_path = NULL;
  g_autofree char *host = NULL;
  g_autofree char *amz_date = NULL;
  g_autofree char *payload_hash = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) values = NULL;
  StompySigv4Request request = { 0 };

  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (credentials != NULL);
  g_return_if_fail (region != NULL);
  g_return_if_fail (service != NULL);

  headers = soup_message_get_request_headers (message);
  uri = soup_message_get_uri (message);

  host = host_header_for_uri (uri);
  if (when != NULL)
    amz_date = stompy_sigv4_format_amz_date (when);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      amz_date = stompy_sigv4_format_amz_date (now);
    }

  /* S3 lets the caller choose not to sign the body by setting
   * X-Amz-Content-Sha256: UNSIGNED-PAYLOAD beforehand; any other preset value
   * is replaced with the real hash of @body, so a re-sign after the body
   * changed cannot send a stale hash. */
  preset_hash = soup_message_headers_get_one (headers, "X-Amz-Content-Sha256");
  if (s3 && g_strcmp0 (preset_hash, UNSIGNED_PAYLOAD) == 0)
    payload_hash = g_strdup (UNSIGNED_PAYLOAD);
  else if (body != NULL)
    {
      gsize size;
      gconstpointer data = g_bytes_get_data (body, &size);

      payload_hash = stompy_sigv4_hex_sha256 (data, size);
    }
  else
    payload_hash = g_strdup (EMPTY_SHA256);

  /* A message may be signed again (a retry, a corrected clock): everything
   * this function sets is replaced, never appended. */
  soup_message_headers_replace (headers, "Host", host);
  soup_message_headers_replace (headers, "X-Amz-Date", amz_date);
  if (s3)
    soup_message_headers_replace (headers, "X-Amz-Content-Sha256", payload_hash);

  /* The token is signed, as botocore does for every SigV4 service, and as
   * AWS's post-sts-header-before vector shows. Without a token, a stale one
   * from earlier credentials must not be sent. */
  session_token = stompy_aws_credentials_get_session_token (credentials);
  if (session_token != NULL)
    soup_message_headers_replace (headers, "X-Amz-Security-Token", session_token);
  else
    soup_message_headers_remove (headers, "X-Amz-Security-Token");

  names = g_ptr_array_new ();
  values = g_ptr_array_new ();
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (header_is_unsigned (name))
        continue;
      g_ptr_array_add (names, (gpointer) name);
      g_ptr_array_add (values, (gpointer) value);
    }

  /* GUri keeps the path as sent (percent-encoded). S3 encodes the key once, so
   * the wire form is decoded first and re-encoded by the canonical form. Other
   * services encode the wire path once more ("each path segment must be
   * URI-encoded twice"), as botocore's SigV4Auth does; their paths are "/" in
   * this app. */
  wire_path = g_uri_get_path (uri);
  if (s3)
    decoded_path = g_uri_unescape_string (wire_path, NULL);

  request.method = soup_message_get_method (message);
  request.path = decoded_path != NULL ? decoded_path : wire_path;
  request.query = g_uri_get_query (uri);
  request.header_names = (const char * const *) names->pdata;
  request.header_values = (const char * const *) values->pdata;
  request.n_headers = names->len;
  request.payload_hash = payload_hash;
  request.s3 = s3;

  access_key_id = stompy_aws_credentials_get_access_key_id (credentials);
  secret_access_key = stompy_aws_credentials_get_secret_access_key (credentials);
  authorization = stompy_sigv4_authorization (&request, access_key_id, secret_access_key,
                                              amz_date, region, service);
  soup_message_headers_replace (headers, "Authorization", authorization);
}
