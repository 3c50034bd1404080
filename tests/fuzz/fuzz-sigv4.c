/* fuzz-sigv4.c — Signature V4's canonical request (method, path normalisation
 * and URI encoding, canonical query, header folding/trimming/sorting, S3
 * rules) and the signing of a SoupMessage. The input has the shape of AWS's
 * test-suite .req files, which are the seeds:
 *
 *   METHOD TARGET HTTP/1.1
 *   Name:value
 *    folded continuation
 *
 *   body
 */
#include "config.h"

#include "stompy-fuzz.h"
#include "src/core/stompy-sigv4.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

typedef struct
{
  char      *method;
  char      *path;
  char      *query;      /* NULL when the target has no '?' */
  GPtrArray *names;
  GPtrArray *values;
  char      *body;
  gsize      body_length;
} Request;

static void
request_clear (Request *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_ptr_array_unref (request->names);
  g_ptr_array_unref (request->values);
  g_free (request->body);
}

static void
request_parse (Request    *request,
               const char *text,
               gsize       size)
{
  const char *end = text + size;
  const char *line = text;
  const char *eol;
  g_autofree char *first = NULL;
  char *space;
  char *target;
  char *question;
  gboolean first_line = TRUE;

  request->names = g_ptr_array_new_with_free_func (g_free);
  request->values = g_ptr_array_new_with_free_func (g_free);

  while (line < end)
    {
      g_autofree char *current = NULL;

      eol = memchr (line, '\n', end - line);
      if (eol == NULL)
        eol = end;
      current = g_strndup (line, eol - line);
      line = eol < end ? eol + 1 : end;

      if (first_line)
        {
          first = g_steal_pointer (&current);
          first_line = FALSE;
          continue;
        }

      if (*current == '\0')
        break;  /* the body follows */

      if ((*current == ' ' || *current == '\t') && request->values->len > 0)
        {
          /* A folded line continues the previous header's value. */
          char **last = (char **) &request->values->pdata[request->values->len - 1];
          char *joined = g_strconcat (*last, current, NULL);

          g_free (*last);
          *last = joined;
          continue;
        }

      {
        char *colon = strchr (current, ':');

        if (colon == NULL)
          continue;
        g_ptr_array_add (request->names, g_strndup (current, colon - current));
        g_ptr_array_add (request->values, g_strdup (colon + 1));
      }
    }

  request->body_length = end - line;
  request->body = g_strndup (line, request->body_length);

  if (first == NULL)
    first = g_strdup ("");
  /* "GET /path?query HTTP/1.1": the method is up to the first space, the
   * target up to the last one. */
  space = strchr (first, ' ');
  if (space == NULL)
    {
      request->method = g_strdup (first);
      request->path = g_strdup ("/");
      return;
    }
  request->method = g_strndup (first, space - first);
  target = space + 1;
  if (g_str_has_suffix (target, " HTTP/1.1"))
    target[strlen (target) - strlen (" HTTP/1.1")] = '\0';
  question = strchr (target, '?');
  if (question != NULL)
    {
      request->query = g_strdup (question + 1);
      *question = '\0';
    }
  request->path = g_strdup (target);
}

static gboolean
is_token (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* The method of the SoupMessage that sign_message () signs. libsoup interns
 * every method (g_intern_string in soup_message_set_method), and GLib's
 * quark table keeps each string for the life of the process and, by design
 * (lock-free lookups), leaks its previous index array whenever it grows: a
 * fuzzed method per input would grow the process without bound and
 * LeakSanitizer would report those arrays at exit (what a first run of
 * 1 000 000 inputs showed). The app only sends these methods, so another one
 * is signed as GET; stompy_sigv4_canonical_request still gets every fuzzed
 * method. */
static const char *
message_method (const char *method)
{
  static const char * const methods[] = { "GET", "HEAD", "PUT", "POST", "DELETE" };

  for (gsize i = 0; i < G_N_ELEMENTS (methods); i++)
    if (strcmp (method, methods[i]) == 0)
      return methods[i];
  return "GET";
}

/* The signing of a real message: only what libsoup itself would accept
 * (a valid URI, token header names, values without line breaks). */
static void
sign_message (Request  *request,
              gboolean  s3)
{
  g_autoptr(StompyAwsCredentials) credentials =
    stompy_aws_credentials_new ("AKIDEXAMPLE", SECRET, s3 ? "session-token" : NULL, "fuzz");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  SoupMessageHeaders *headers;
  const char *authorization;
  /* Whether each fuzzed string was already a quark: signing must not make
   * one (see message_method), other than the methods the app sends. */
  gboolean method_was_quark = g_quark_try_string (request->method) != 0 ||
    strcmp (message_method (request->method), request->method) == 0;
  g_autofree gboolean *name_was_quark = g_new (gboolean, request->names->len);

  for (guint i = 0; i < request->names->len; i++)
    name_was_quark[i] = g_quark_try_string (g_ptr_array_index (request->names, i)) != 0;

  if (!is_token (request->method) || request->path[0] != '/')
    return;
  text = g_strconcat ("https://example.amazonaws.com", request->path,
                      request->query != NULL ? "?" : "", request->query, NULL);
  uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    return;

  message = soup_message_new_from_uri (message_method (request->method), uri);
  headers = soup_message_get_request_headers (message);
  for (guint i = 0; i < request->names->len; i++)
    {
      const char *name = g_ptr_array_index (request->names, i);
      const char *value = g_ptr_array_index (request->values, i);

      if (is_token (name) && strpbrk (value, "\r\n") == NULL &&
          g_ascii_strcasecmp (name, "Host") != 0)
        soup_message_headers_append (headers, name, value);
    }
  body = g_bytes_new (request->body, request->body_length);

  stompy_sigv4_sign_message (message, body, credentials, "us-east-1", "service", s3, when);
  authorization = soup_message_headers_get_one (headers, "Authorization");
  g_assert (authorization != NULL);
  g_assert (g_str_has_prefix (authorization, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"));
  /* The secret never appears in what is sent. */
  g_assert (strstr (authorization, SECRET) == NULL);

  g_assert (method_was_quark || g_quark_try_string (request->method) == 0);
  for (guint i = 0; i < request->names->len; i++)
    g_assert (name_was_quark[i] ||
              g_quark_try_string (g_ptr_array_index (request->names, i)) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Request request = { 0 };
  g_autofree char *payload_hash = NULL;

  stompy_fuzz_init ();

  request_parse (&request, size > 0 ? (const char *) data : "", size);
  payload_hash = stompy_sigv4_hex_sha256 ((const guint8 *) request.body, request.body_length);

  for (int s3 = 0; s3 < 2; s3++)
    {
      StompySigv4Request sigv4 = {
        .method = request.method,
        .path = request.path,
        .query = request.query,
        .header_names = (const char * const *) request.names->pdata,
        .header_values = (const char * const *) request.values->pdata,
        .n_headers = request.names->len,
        .payload_hash = payload_hash,
        .s3 = s3,
      };
      g_autofree char *signed_headers = NULL;
      g_autofree char *canonical = stompy_sigv4_canonical_request (&sigv4, &signed_headers);
      g_autofree char *string_to_sign = NULL;
      g_autofree char *authorization = NULL;

      g_assert (canonical != NULL && signed_headers != NULL);
      /* Signed header names are lower case. */
      for (const char *p = signed_headers; *p; p++)
        g_assert (!g_ascii_isupper (*p));

      string_to_sign = stompy_sigv4_string_to_sign ("20150830T123600Z", "us-east-1", "service",
                                                    canonical);
      authorization = stompy_sigv4_authorization (&sigv4, "AKIDEXAMPLE", SECRET,
                                                  "20150830T123600Z", "us-east-1", "service");
      g_assert (string_to_sign != NULL && authorization != NULL);

      sign_message (&request, s3);
    }

  request_clear (&request);
  return 0;
}
