/* test-sigv4.c — AWS Signature Version 4 and the credentials type
 *
 * /aws/sigv4/vectors/… runs every case of AWS's aws-sig-v4-test-suite (found by
 * walking $STOMPY_SIGV4_SUITE) through the pure functions and compares the
 * canonical request, string to sign, Authorization and signed request byte for
 * byte. The other /aws/sigv4/… cases cover what the suite does not (query
 * parameters without a value, S3's path and payload rules, the SoupMessage
 * signer) from the AWS documentation. /aws/credentials/… covers the
 * credentials type.
 */
#include "config.h"

#include <string.h>

#include "stompy-aws-credentials.h"
#include "stompy-error.h"
#include "stompy-sigv4.h"

#define SUITE_ACCESS_KEY_ID  "AKIDEXAMPLE"
#define SUITE_SECRET         "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_REGION         "us-east-1"
#define SUITE_SERVICE        "service"
#define SUITE_AMZ_DATE       "20150830T123600Z"
#define SUITE_CASE_COUNT     31
#define EMPTY_SHA256         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ------------------------------------------------------------ suite helpers */

static const char *
suite_dir (void)
{
  return g_getenv ("STOMPY_SIGV4_SUITE");
}

static char *
read_file_or_fail (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

/* The session token of the post-sts-token cases: the last non-empty line of
 * post-sts-token/readme.txt. */
static char *
suite_session_token (void)
{
  g_autofree char *path = g_build_filename (suite_dir (), "post-sts-token", "readme.txt", NULL);
  g_autofree char *readme = read_file_or_fail (path);
  g_auto(GStrv) lines = g_strsplit (readme, "\n", -1);
  char *token = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0')
        {
          g_free (token);
          token = g_strdup (lines[i]);
        }
    }

  g_assert_nonnull (token);
  g_assert_true (g_str_has_prefix (token, "AQoDYXdzEPT"));

  return token;
}

/* A .req file split into its parts, following RFC 7230's message syntax:
 * request line, header fields (obs-fold continuation lines start with a space
 * or tab), an empty line, the body. The request target may hold spaces
 * ("GET /example space/ HTTP/1.1"), so the method ends at the first space
 * and the target at the last one. */
typedef struct
{
  char      *method;
  char      *path;
  char      *query;
  GPtrArray *names;
  GPtrArray *values;       /* raw: continuation lines kept with their "\n" */
  GPtrArray *header_lines; /* as in the file, for rebuilding the signed request */
  char      *body;
  gboolean   has_body;
} ParsedRequest;

static void
parsed_request_free (ParsedRequest *req)
{
  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_ptr_array_unref (req->names);
  g_ptr_array_unref (req->values);
  g_ptr_array_unref (req->header_lines);
  g_free (req->body);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParsedRequest, parsed_request_free)

static ParsedRequest *
parse_request (const char *text)
{
  ParsedRequest *req = g_new0 (ParsedRequest, 1);
  const char *head_end = strstr (text, "\n\n");
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  const char *first_space;
  const char *last_space;
  g_autofree char *target = NULL;
  char *question;

  req->names = g_ptr_array_new_with_free_func (g_free);
  req->values = g_ptr_array_new_with_free_func (g_free);
  req->header_lines = g_ptr_array_new_with_free_func (g_free);

  if (head_end != NULL)
    {
      head = g_strndup (text, head_end - text);
      req->body = g_strdup (head_end + 2);
      req->has_body = TRUE;
    }
  else
    {
      head = g_strdup (text);
      req->body = g_strdup ("");
    }

  lines = g_strsplit (head, "\n", -1);
  g_assert_nonnull (lines[0]);

  /* The request line. */
  first_space = strchr (lines[0], ' ');
  last_space = strrchr (lines[0], ' ');
  g_assert_nonnull (first_space);
  g_assert_true (last_space > first_space);
  g_assert_true (g_str_has_prefix (last_space, " HTTP/"));
  req->method = g_strndup (lines[0], first_space - lines[0]);
  target = g_strndup (first_space + 1, last_space - first_space - 1);
  question = strchr (target, '?');
  if (question != NULL)
    {
      req->query = g_strdup (question + 1);
      *question = '\0';
    }
  req->path = g_strdup (target);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      g_ptr_array_add (req->header_lines, g_strdup (line));
      if (line[0] == ' ' || line[0] == '\t')
        {
          /* obs-fold: the value goes on. */
          char *previous;

          g_assert_cmpuint (req->values->len, >, 0);
          previous = req->values->pdata[req->values->len - 1];
          req->values->pdata[req->values->len - 1] = g_strconcat (previous, "\n", line, NULL);
          g_free (previous);
        }
      else
        {
          const char *colon = strchr (line, ':');

          g_assert_nonnull (colon);
          g_ptr_array_add (req->names, g_strndup (line, colon - line));
          g_ptr_array_add (req->values, g_strdup (colon + 1));
        }
    }

  return req;
}

static StompySigv4Request
request_from_parsed (const ParsedRequest *req,
                     const char          *payload_hash)
{
  StompySigv4Request request = {
    .method = req->method,
    .path = req->path,
    .query = req->query,
    .header_names = (const char * const *) req->names->pdata,
    .header_values = (const char * const *) req->values->pdata,
    .n_headers = req->names->len,
    .payload_hash = payload_hash,
    .s3 = FALSE,
  };

  return request;
}

/* A case folder is a directory D holding D/<basename(D)>.req. */
static void
find_cases (const char *dir,
            const char *relative,
            GPtrArray  *cases)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autofree char *base = g_path_get_basename (dir);
  g_autofree char *req_name = g_strconcat (base, ".req", NULL);
  g_autofree char *req_path = g_build_filename (dir, req_name, NULL);
  const char *entry;

  if (handle == NULL)
    return;

  if (relative != NULL && g_file_test (req_path, G_FILE_TEST_IS_REGULAR))
    g_ptr_array_add (cases, g_strdup (relative));

  while ((entry = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, entry, NULL);
      g_autofree char *child_relative = NULL;

      if (!g_file_test (child, G_FILE_TEST_IS_DIR))
        continue;
      child_relative = relative != NULL ? g_strconcat (relative, "/", entry, NULL)
                                        : g_strdup (entry);
      find_cases (child, child_relative, cases);
    }
}

static int
compare_case_names (gconstpointer a,
                    gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
suite_cases (void)
{
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_free);

  if (suite_dir () != NULL && *suite_dir () != '\0')
    find_cases (suite_dir (), NULL, cases);
  g_ptr_array_sort (cases, compare_case_names);

  return cases;
}

static void
test_vectors_all_found (void)
{
  g_autoptr(GPtrArray) cases = NULL;

  if (suite_dir () == NULL || *suite_dir () == '\0')
    {
      g_test_message ("STOMPY_SIGV4_SUITE is not set");
      g_test_fail ();
      return;
    }

  cases = suite_cases ();
  g_assert_cmpuint (cases->len, ==, SUITE_CASE_COUNT);
}

static char *
case_file (const char *relative,
           const char *extension)
{
  g_autofree char *base = g_path_get_basename (relative);
  g_autofree char *file = g_strconcat (base, extension, NULL);

  return g_build_filename (suite_dir (), relative, file, NULL);
}

static void
test_vector (gconstpointer data)
{
  const char *relative = data;
  g_autofree char *base = g_path_get_basename (relative);
  g_autofree char *req_path = case_file (relative, ".req");
  g_autofree char *creq_path = case_file (relative, ".creq");
  g_autofree char *sts_path = case_file (relative, ".sts");
  g_autofree char *authz_path = case_file (relative, ".authz");
  g_autofree char *sreq_path = case_file (relative, ".sreq");
  g_autofree char *req_text = read_file_or_fail (req_path);
  g_autofree char *expected_creq = read_file_or_fail (creq_path);
  g_autofree char *expected_sts = read_file_or_fail (sts_path);
  g_autofree char *expected_authz = read_file_or_fail (authz_path);
  g_autofree char *expected_sreq = read_file_or_fail (sreq_path);
  g_autoptr(ParsedRequest) req = parse_request (req_text);
  g_autofree char *payload_hash = NULL;
  g_autofree char *creq = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *sts = NULL;
  g_autofree char *authz = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GString) sreq = NULL;
  StompySigv4Request request;

  if (g_str_has_prefix (relative, "post-sts-token/"))
    {
      token = suite_session_token ();
      if (g_str_equal (base, "post-sts-header-before"))
        {
          /* Signed: the token is one of the request's headers. */
          gboolean found = FALSE;

          for (guint i = 0; i < req->names->len; i++)
            {
              if (g_ascii_strcasecmp (req->names->pdata[i], "X-Amz-Security-Token") == 0)
                {
                  g_assert_cmpstr (req->values->pdata[i], ==, token);
                  found = TRUE;
                }
            }
          g_assert_true (found);
        }
    }

  payload_hash = stompy_sigv4_hex_sha256 ((const guint8 *) req->body, strlen (req->body));
  request = request_from_parsed (req, payload_hash);

  creq = stompy_sigv4_canonical_request (&request, &signed_headers);
  g_assert_cmpstr (creq, ==, expected_creq);

  sts = stompy_sigv4_string_to_sign (SUITE_AMZ_DATE, SUITE_REGION, SUITE_SERVICE, creq);
  g_assert_cmpstr (sts, ==, expected_sts);

  authz = stompy_sigv4_authorization (&request, SUITE_ACCESS_KEY_ID, SUITE_SECRET,
                                      SUITE_AMZ_DATE, SUITE_REGION, SUITE_SERVICE);
  g_assert_cmpstr (authz, ==, expected_authz);
  g_assert_nonnull (strstr (authz, signed_headers));

  /* The signed request: the request's headers as they were, the token when it
   * is added after signing, then Authorization, then the body. */
  sreq = g_string_new (NULL);
  g_string_append_len (sreq, req_text, strcspn (req_text, "\n"));
  for (guint i = 0; i < req->header_lines->len; i++)
    g_string_append_printf (sreq, "\n%s", (const char *) req->header_lines->pdata[i]);
  if (g_str_equal (base, "post-sts-header-after"))
    {
      g_assert_nonnull (token);
      g_assert_null (strstr (creq, token));
      g_string_append_printf (sreq, "\nX-Amz-Security-Token:%s", token);
    }
  g_string_append_printf (sreq, "\nAuthorization: %s", authz);
  if (req->has_body)
    g_string_append_printf (sreq, "\n\n%s", req->body);
  g_assert_cmpstr (sreq->str, ==, expected_sreq);
}

/* ------------------------------------------------------------- pure extras */

static char *
creq_line (const char *creq,
           guint       n)
{
  g_auto(GStrv) lines = g_strsplit (creq, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), >, n);

  return g_strdup (lines[n]);
}

static char *
canonical_for (const char *method,
               const char *path,
               const char *query,
               gboolean    s3)
{
  const char *names[] = { "Host", "X-Amz-Date" };
  const char *values[] = { "example.amazonaws.com", SUITE_AMZ_DATE };
  StompySigv4Request request = {
    .method = method, .path = path, .query = query,
    .header_names = names, .header_values = values, .n_headers = 2,
    .payload_hash = EMPTY_SHA256, .s3 = s3,
  };

  return stompy_sigv4_canonical_request (&request, NULL);
}

static void
assert_canonical_query (const char *query,
                        const char *expected)
{
  g_autofree char *creq = canonical_for ("GET", "/", query, FALSE);
  g_autofree char *line = creq_line (creq, 2);

  g_assert_cmpstr (line, ==, expected);
}

static void
assert_canonical_uri (const char *path,
                      gboolean    s3,
                      const char *expected)
{
  g_autofree char *creq = canonical_for ("GET", path, NULL, s3);
  g_autofree char *line = creq_line (creq, 1);

  g_assert_cmpstr (line, ==, expected);
}

static void
test_query_parameter_without_value (void)
{
  /* IAM user guide: "If there are empty parameters, append the equals sign". */
  assert_canonical_query ("acl", "acl=");
  assert_canonical_query ("acl=", "acl=");
  assert_canonical_query ("versioning&acl", "acl=&versioning=");
  assert_canonical_query ("prefix=a&list-type=2&delimiter", "delimiter=&list-type=2&prefix=a");
}

static void
test_query_encoding (void)
{
  assert_canonical_query (NULL, "");
  assert_canonical_query ("", "");
  /* Encoded on the wire: decoded then encoded again, not double encoded. */
  assert_canonical_query ("a=b%20c", "a=b%20c");
  assert_canonical_query ("a=b c", "a=b%20c");
  assert_canonical_query ("%E1%88%B4=bar", "%E1%88%B4=bar");
  assert_canonical_query ("a=%2f%3D", "a=%2F%3D");
  /* "+" is a plus, not a space; a stray "%" is a percent sign. */
  assert_canonical_query ("a=1+1", "a=1%2B1");
  assert_canonical_query ("a=100%", "a=100%25");
  /* Sorted by encoded name, then value, in byte order. */
  assert_canonical_query ("b=2&a=2&a=1&B=3", "B=3&a=1&a=2&b=2");
  assert_canonical_query ("a&&b=1&", "a=&b=1");
  /* A sub-delimiter in a value is encoded. */
  assert_canonical_query ("Action=ListStacks&NextToken=a/b=", "Action=ListStacks&NextToken=a%2Fb%3D");
}

static void
test_s3_path_not_normalised (void)
{
  /* The suite's normalize-path.txt: S3 keys are used as they are. */
  assert_canonical_uri ("/my-object//example//photo.user", TRUE, "/my-object//example//photo.user");
  assert_canonical_uri ("/bucket/./a/../b", TRUE, "/bucket/./a/../b");
  /* Other services normalise the same path. */
  assert_canonical_uri ("/my-object//example//photo.user", FALSE, "/my-object/example/photo.user");
  assert_canonical_uri ("/example/.", FALSE, "/example");
  assert_canonical_uri ("", FALSE, "/");
  assert_canonical_uri ("", TRUE, "/");
}

static void
test_s3_key_encoded_once (void)
{
  /* S3: each byte outside the unreserved set once as %XX, "/" kept. */
  assert_canonical_uri ("/reports/my report ሴ (1).csv.gz", TRUE,
                        "/reports/my%20report%20%E1%88%B4%20%281%29.csv.gz");
  assert_canonical_uri ("/a%20b", TRUE, "/a%2520b");
  assert_canonical_uri ("/cur/2024-01-01_2024-02-01/~x+y=z", TRUE,
                        "/cur/2024-01-01_2024-02-01/~x%2By%3Dz");
}

static void
test_s3_payload_hash (void)
{
  const char *names[] = { "Host", "X-Amz-Content-Sha256", "X-Amz-Date" };
  const char *values[] = { "bucket.s3.amazonaws.com", "UNSIGNED-PAYLOAD", SUITE_AMZ_DATE };
  StompySigv4Request request = {
    .method = "PUT", .path = "/key", .query = NULL,
    .header_names = names, .header_values = values, .n_headers = 3,
    .payload_hash = "UNSIGNED-PAYLOAD", .s3 = TRUE,
  };
  g_autofree char *signed_headers = NULL;
  g_autofree char *creq = stompy_sigv4_canonical_request (&request, &signed_headers);
  g_autofree char *last = creq_line (creq, 8);
  g_autofree char *empty = stompy_sigv4_hex_sha256 (NULL, 0);
  g_autofree char *abc = stompy_sigv4_hex_sha256 ((const guint8 *) "abc", 3);

  g_assert_cmpstr (signed_headers, ==, "host;x-amz-content-sha256;x-amz-date");
  g_assert_cmpstr (last, ==, "UNSIGNED-PAYLOAD");
  g_assert_true (g_str_has_suffix (creq, "\nUNSIGNED-PAYLOAD"));

  g_assert_cmpstr (empty, ==, EMPTY_SHA256);
  g_assert_cmpstr (abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_folded_header_forms (void)
{
  /* A caller may pass obs-fold continuation lines raw or already joined. */
  const char *names[] = { "Host", "My-Header1", "X-Amz-Date" };
  const char *raw[] = { "example.amazonaws.com", "value1\r\n  value2\n\t value3  ", SUITE_AMZ_DATE };
  const char *joined[] = { "example.amazonaws.com", "value1,value2,value3", SUITE_AMZ_DATE };
  StompySigv4Request request = {
    .method = "GET", .path = "/", .header_names = names, .header_values = raw,
    .n_headers = 3, .payload_hash = EMPTY_SHA256,
  };
  g_autofree char *from_raw = stompy_sigv4_canonical_request (&request, NULL);
  g_autofree char *from_joined = NULL;
  g_autofree char *line = NULL;

  request.header_values = joined;
  from_joined = stompy_sigv4_canonical_request (&request, NULL);
  g_assert_cmpstr (from_raw, ==, from_joined);
  line = creq_line (from_raw, 4);
  g_assert_cmpstr (line, ==, "my-header1:value1,value2,value3");
}

static void
test_signing_key_iam_example (void)
{
  /* IAM user guide, "Examples of how to derive a signing key for Signature Version 4". */
  guint8 key[32];
  g_autoptr(GString) hex = g_string_new (NULL);

  stompy_sigv4_derive_signing_key ("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                   "20150830", "us-east-1", "iam", key);
  for (guint i = 0; i < sizeof key; i++)
    g_string_append_printf (hex, "%02x", key[i]);

  g_assert_cmpstr (hex->str, ==, "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

static void
test_amz_date_is_utc (void)
{
  g_autoptr(GTimeZone) plus_two = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) local = g_date_time_new (plus_two, 2015, 8, 30, 14, 36, 0);
  g_autofree char *amz_date = stompy_sigv4_format_amz_date (local);

  g_assert_cmpstr (amz_date, ==, SUITE_AMZ_DATE);
}

/* ------------------------------------------------------------- SoupMessage */

static GDateTime *
suite_time (void)
{
  return g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
}

static char *
suite_authz (const char *relative)
{
  g_autofree char *path = case_file (relative, ".authz");

  return read_file_or_fail (path);
}

/* Signs @message and recomputes the Authorization with the pure functions from
 * what the message then holds; the two must agree. */
static void
assert_message_matches_pure (SoupMessage          *message,
                             GBytes               *body,
                             StompyAwsCredentials *credentials,
                             gboolean              s3,
                             const char           *unencoded_path)
{
  g_autoptr(GDateTime) when = suite_time ();
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *payload_hash = NULL;
  g_autofree char *expected = NULL;
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  StompySigv4Request request = { 0 };

  stompy_sigv4_sign_message (message, body, credentials, "eu-west-1", "s3", s3, when);

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (g_ascii_strcasecmp (name, "Authorization") == 0 ||
          g_ascii_strcasecmp (name, "User-Agent") == 0)
        continue;
      g_ptr_array_add (names, (gpointer) name);
      g_ptr_array_add (values, (gpointer) value);
    }

  payload_hash = body != NULL
                 ? stompy_sigv4_hex_sha256 (g_bytes_get_data (body, NULL), g_bytes_get_size (body))
                 : g_strdup (EMPTY_SHA256);
  request.method = soup_message_get_method (message);
  request.path = unencoded_path;
  request.query = g_uri_get_query (soup_message_get_uri (message));
  request.header_names = (const char * const *) names->pdata;
  request.header_values = (const char * const *) values->pdata;
  request.n_headers = names->len;
  request.payload_hash = payload_hash;
  request.s3 = s3;
  expected = stompy_sigv4_authorization (&request,
                                         stompy_aws_credentials_get_access_key_id (credentials),
                                         stompy_aws_credentials_get_secret_access_key (credentials),
                                         SUITE_AMZ_DATE, "eu-west-1", "s3");

  g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==, expected);
}

static void
test_message_matches_suite (void)
{
  g_autoptr(StompyAwsCredentials) plain = stompy_aws_credentials_new (SUITE_ACCESS_KEY_ID, SUITE_SECRET,
                                                                      NULL, NULL);
  g_autofree char *token = suite_session_token ();
  g_autoptr(StompyAwsCredentials) temporary = stompy_aws_credentials_new (SUITE_ACCESS_KEY_ID,
                                                                          SUITE_SECRET, token, NULL);
  g_autoptr(GDateTime) when = suite_time ();
  g_autoptr(SoupMessage) get = NULL;
  g_autoptr(SoupMessage) post = soup_message_new ("POST", "https://example.amazonaws.com/");
  g_autoptr(SoupMessage) vanilla = soup_message_new ("GET", "https://example.amazonaws.com/");
  g_autofree char *get_expected = suite_authz ("get-vanilla-query-order-key-case");
  g_autofree char *post_expected = suite_authz ("post-sts-token/post-sts-header-before");
  g_autofree char *vanilla_expected = suite_authz ("get-vanilla");
  SoupMessageHeaders *headers;

  /* get-vanilla-query-order-key-case is "GET /?Param2=value2&Param1=value1". */
  get = soup_message_new ("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1");
  stompy_sigv4_sign_message (get, NULL, plain, SUITE_REGION, SUITE_SERVICE, FALSE, when);
  headers = soup_message_get_request_headers (get);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==, get_expected);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Host"), ==, "example.amazonaws.com");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Amz-Date"), ==, SUITE_AMZ_DATE);
  g_assert_null (soup_message_headers_get_one (headers, "X-Amz-Security-Token"));
  /* Not S3: no payload hash header. */
  g_assert_null (soup_message_headers_get_one (headers, "X-Amz-Content-Sha256"));

  /* The session token is added and signed (post-sts-header-before). */
  stompy_sigv4_sign_message (post, NULL, temporary, SUITE_REGION, SUITE_SERVICE, FALSE, when);
  headers = soup_message_get_request_headers (post);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Amz-Security-Token"), ==, token);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==, post_expected);

  /* The blacklisted headers do not change the signature. */
  headers = soup_message_get_request_headers (vanilla);
  soup_message_headers_append (headers, "User-Agent", "stompy-connect/0.1.0 (test)");
  soup_message_headers_append (headers, "Expect", "100-continue");
  soup_message_headers_append (headers, "X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793");
  stompy_sigv4_sign_message (vanilla, NULL, plain, SUITE_REGION, SUITE_SERVICE, FALSE, when);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==, vanilla_expected);
}

static void
test_message_matches_pure_functions (void)
{
  g_autoptr(StompyAwsCredentials) credentials = stompy_aws_credentials_new ("AKIAIOSFODNN7EXAMPLE",
                                                                            SUITE_SECRET, NULL,
                                                                            NULL);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("Action=ListStacks&Version=2010-05-15", 36);
  SoupMessageHeaders *headers;

  /* A form POST with its Content-Type, a custom header and a User-Agent. */
  message = soup_message_new ("POST", "https://cloudformation.us-east-1.amazonaws.com/");
  headers = soup_message_get_request_headers (message);
  soup_message_headers_append (headers, "Content-Type",
                               "application/x-www-form-urlencoded; charset=utf-8");
  soup_message_headers_append (headers, "User-Agent", "stompy-connect/0.1.0");
  soup_message_headers_append (headers, "X-Custom", "  a   b ");
  assert_message_matches_pure (message, body, credentials, FALSE, "/");
  g_assert_nonnull (strstr (soup_message_headers_get_one (headers, "Authorization"),
                            "SignedHeaders=content-type;host;x-amz-date;x-custom, "));
  g_clear_object (&message);

  /* S3 with a key that needs encoding: the wire form is decoded, then encoded once. */
  message = soup_message_new ("GET",
                              "https://bucket.s3.eu-west-1.amazonaws.com/"
                              "cur/my%20report%20%E1%88%B4.csv?list-type=2&prefix=cur%2F");
  g_assert_cmpstr (g_uri_get_path (soup_message_get_uri (message)), ==,
                   "/cur/my%20report%20%E1%88%B4.csv");
  assert_message_matches_pure (message, NULL, credentials, TRUE, "/cur/my report ሴ.csv");
  g_clear_object (&message);

  /* A non-S3 path is encoded once more, as botocore does. */
  message = soup_message_new ("GET", "https://example.amazonaws.com/example%20space/");
  assert_message_matches_pure (message, NULL, credentials, FALSE, "/example%20space/");
}

static void
test_message_s3_content_sha256 (void)
{
  g_autoptr(StompyAwsCredentials) credentials = stompy_aws_credentials_new (SUITE_ACCESS_KEY_ID,
                                                                            SUITE_SECRET, NULL, NULL);
  g_autoptr(GDateTime) when = suite_time ();
  g_autoptr(GBytes) body = g_bytes_new_static ("hello", 5);
  g_autoptr(SoupMessage) put = soup_message_new ("PUT", "https://bucket.s3.amazonaws.com/key");
  g_autoptr(SoupMessage) get = soup_message_new ("GET", "https://bucket.s3.amazonaws.com/key");
  g_autoptr(SoupMessage) unsigned_put = soup_message_new ("PUT", "https://bucket.s3.amazonaws.com/key");
  g_autofree char *hello_hash = stompy_sigv4_hex_sha256 ((const guint8 *) "hello", 5);
  SoupMessageHeaders *headers;
  const char *authz;

  stompy_sigv4_sign_message (put, body, credentials, "us-east-1", "s3", TRUE, when);
  headers = soup_message_get_request_headers (put);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Amz-Content-Sha256"), ==, hello_hash);
  authz = soup_message_headers_get_one (headers, "Authorization");
  g_assert_nonnull (strstr (authz, "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "));
  assert_message_matches_pure (put, body, credentials, TRUE, "/key");

  /* The empty body's hash. */
  stompy_sigv4_sign_message (get, NULL, credentials, "us-east-1", "s3", TRUE, when);
  headers = soup_message_get_request_headers (get);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Amz-Content-Sha256"), ==, EMPTY_SHA256);

  /* UNSIGNED-PAYLOAD chosen by the caller is kept and is the hashed payload. */
  headers = soup_message_get_request_headers (unsigned_put);
  soup_message_headers_replace (headers, "X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
  stompy_sigv4_sign_message (unsigned_put, body, credentials, "us-east-1", "s3", TRUE, when);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Amz-Content-Sha256"), ==,
                   "UNSIGNED-PAYLOAD");
  {
    const char *names[] = { "Host", "X-Amz-Content-Sha256", "X-Amz-Date" };
    const char *values[] = { "bucket.s3.amazonaws.com", "UNSIGNED-PAYLOAD", SUITE_AMZ_DATE };
    StompySigv4Request request = {
      .method = "PUT", .path = "/key", .header_names = names, .header_values = values,
      .n_headers = 3, .payload_hash = "UNSIGNED-PAYLOAD", .s3 = TRUE,
    };
    g_autofree char *expected = stompy_sigv4_authorization (&request, SUITE_ACCESS_KEY_ID,
                                                            SUITE_SECRET, SUITE_AMZ_DATE,
                                                            "us-east-1", "s3");

    g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==, expected);
  }
}

static void
test_message_security_token (void)
{
  g_autoptr(StompyAwsCredentials) temporary =
    stompy_aws_credentials_new ("ASIAEXAMPLEEXAMPLE", SUITE_SECRET, "session-token-value", NULL);
  g_autoptr(StompyAwsCredentials) plain =
    stompy_aws_credentials_new ("AKIAEXAMPLEEXAMPLE", SUITE_SECRET, NULL, NULL);
  g_autoptr(GDateTime) when = suite_time ();
  g_autoptr(SoupMessage) message = soup_message_new ("POST", "https://sts.amazonaws.com/");
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  const char *authz;

  stompy_sigv4_sign_message (message, NULL, temporary, "us-east-1", "sts", FALSE, when);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Amz-Security-Token"), ==,
                   "session-token-value");
  authz = soup_message_headers_get_one (headers, "Authorization");
  g_assert_nonnull (strstr (authz, "SignedHeaders=host;x-amz-date;x-amz-security-token, "));
  g_assert_null (strstr (authz, "session-token-value"));

  /* Signing again without a token drops the stale one. */
  stompy_sigv4_sign_message (message, NULL, plain, "us-east-1", "sts", FALSE, when);
  g_assert_null (soup_message_headers_get_one (headers, "X-Amz-Security-Token"));
  authz = soup_message_headers_get_one (headers, "Authorization");
  g_assert_nonnull (strstr (authz, "SignedHeaders=host;x-amz-date, "));
  g_assert_nonnull (strstr (authz,
                            "Credential=AKIAEXAMPLEEXAMPLE/20150830/us-east-1/sts/aws4_request"));
}

static void
test_message_resign_replaces (void)
{
  g_autoptr(StompyAwsCredentials) credentials = stompy_aws_credentials_new (SUITE_ACCESS_KEY_ID,
                                                                            SUITE_SECRET, "tok", NULL);
  g_autoptr(GDateTime) first = g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
  g_autoptr(GDateTime) second = g_date_time_new_utc (2015, 8, 31, 1, 2, 3);
  g_autoptr(SoupMessage) resigned = soup_message_new ("GET", "https://example.amazonaws.com/?a=b");
  g_autoptr(SoupMessage) fresh = soup_message_new ("GET", "https://example.amazonaws.com/?a=b");
  SoupMessageHeaders *headers = soup_message_get_request_headers (resigned);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  guint authorization_count = 0;
  guint date_count = 0;
  guint token_count = 0;

  stompy_sigv4_sign_message (resigned, NULL, credentials, "us-east-1", "service", FALSE, first);
  stompy_sigv4_sign_message (resigned, NULL, credentials, "us-east-1", "service", FALSE, second);
  stompy_sigv4_sign_message (fresh, NULL, credentials, "us-east-1", "service", FALSE, second);

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      authorization_count += g_ascii_strcasecmp (name, "Authorization") == 0;
      date_count += g_ascii_strcasecmp (name, "X-Amz-Date") == 0;
      token_count += g_ascii_strcasecmp (name, "X-Amz-Security-Token") == 0;
    }
  g_assert_cmpuint (authorization_count, ==, 1);
  g_assert_cmpuint (date_count, ==, 1);
  g_assert_cmpuint (token_count, ==, 1);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Amz-Date"), ==, "20150831T010203Z");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==,
                   soup_message_headers_get_one (soup_message_get_request_headers (fresh),
                                                 "Authorization"));
}

static void
test_message_host_header (void)
{
  g_autoptr(StompyAwsCredentials) credentials = stompy_aws_credentials_new (SUITE_ACCESS_KEY_ID,
                                                                            SUITE_SECRET, NULL, NULL);
  g_autoptr(GDateTime) when = suite_time ();
  const struct { const char *uri; const char *host; } cases[] = {
    { "http://127.0.0.1:4566/", "127.0.0.1:4566" },
    { "https://example.amazonaws.com:443/", "example.amazonaws.com" },
    { "http://localhost:80/", "localhost" },
    { "https://example.amazonaws.com:8443/", "example.amazonaws.com:8443" },
    { "http://[::1]:8080/", "[::1]:8080" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("GET", cases[i].uri);
      SoupMessageHeaders *headers = soup_message_get_request_headers (message);

      soup_message_headers_replace (headers, "Host", "wrong.example.com");
      stompy_sigv4_sign_message (message, NULL, credentials, "us-east-1", "sts", FALSE, when);
      g_assert_cmpstr (soup_message_headers_get_one (headers, "Host"), ==, cases[i].host);
    }
}

/* What libsoup puts on the wire must still match the signature: a local
 * SoupServer recomputes it from the request it received, with the headers
 * named in SignedHeaders, as AWS does. This catches a header that libsoup
 * rewrites after signing (Host, Content-Length, Content-Type). */
typedef struct
{
  char     *received_authorization;
  char     *recomputed_authorization;
  char     *received_host;
  gboolean  done;
  gboolean  timed_out;
} WireCheck;

static void
wire_server_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  WireCheck *check = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *amz_date = soup_message_headers_get_one (headers, "X-Amz-Date");
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *payload_hash = NULL;
  g_autofree char *signed_list = NULL;
  g_auto(GStrv) signed_names = NULL;
  const char *start;
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  StompySigv4Request request = { 0 };

  check->received_authorization = g_strdup (authorization);
  check->received_host = g_strdup (soup_message_headers_get_one (headers, "Host"));
  start = authorization != NULL ? strstr (authorization, "SignedHeaders=") : NULL;
  if (start != NULL && amz_date != NULL)
    {
      start += strlen ("SignedHeaders=");
      signed_list = g_strndup (start, strcspn (start, ","));
      signed_names = g_strsplit (signed_list, ";", -1);

      soup_message_headers_iter_init (&iter, headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          g_autofree char *lower = g_ascii_strdown (name, -1);

          if (g_strv_contains ((const char * const *) signed_names, lower))
            {
              g_ptr_array_add (names, (gpointer) name);
              g_ptr_array_add (values, (gpointer) value);
            }
        }

      payload_hash = stompy_sigv4_hex_sha256 (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      request.method = soup_server_message_get_method (msg);
      request.path = g_uri_get_path (uri);
      request.query = g_uri_get_query (uri);
      request.header_names = (const char * const *) names->pdata;
      request.header_values = (const char * const *) values->pdata;
      request.n_headers = names->len;
      request.payload_hash = payload_hash;
      check->recomputed_authorization = stompy_sigv4_authorization (&request, "AKIAIOSFODNN7EXAMPLE",
                                                                    SUITE_SECRET, amz_date,
                                                                    "us-east-1", "sts");
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
wire_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  WireCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  g_assert_no_error (error);
  check->done = TRUE;
}

static gboolean
wire_timeout_cb (gpointer user_data)
{
  WireCheck *check = user_data;

  check->timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

static void
test_message_survives_the_wire (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsCredentials) credentials = stompy_aws_credentials_new ("AKIAIOSFODNN7EXAMPLE",
                                                                            SUITE_SECRET, "tok",
                                                                            NULL);
  g_autoptr(GBytes) body = g_bytes_new_static ("Action=GetCallerIdentity&Version=2011-06-15", 43);
  g_autoptr(GSource) timeout = NULL;
  GSList *uris;
  g_autofree char *url = NULL;
  g_autofree char *host = NULL;
  WireCheck check = { 0 };

  g_main_context_push_thread_default (context);

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, wire_server_cb, &check, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  url = g_strdup_printf ("http://127.0.0.1:%d/?Action=Test&a%%20b=c+d",
                         g_uri_get_port (uris->data));
  host = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_autoptr(GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);

  /* Straight to the loopback server, whatever the environment's proxy says. */
  session = soup_session_new_with_options ("proxy-resolver", no_proxy, NULL);
  message = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded; charset=utf-8",
                                            body);
  soup_message_headers_append (soup_message_get_request_headers (message), "Accept", "*/*");
  stompy_sigv4_sign_message (message, body, credentials, "us-east-1", "sts", FALSE, NULL);

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, wire_sent_cb, &check);
  timeout = g_timeout_source_new_seconds (10);
  g_source_set_callback (timeout, wire_timeout_cb, &check, NULL);
  g_source_attach (timeout, context);
  while (!check.done && !check.timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);

  g_assert_false (check.timed_out);
  g_assert_nonnull (check.received_authorization);
  g_assert_nonnull (strstr (check.received_authorization,
                            "SignedHeaders=accept;content-length;content-type;host;x-amz-date;"
                            "x-amz-security-token, "));
  g_assert_cmpstr (check.recomputed_authorization, ==, check.received_authorization);
  g_assert_cmpstr (check.received_host, ==, host);

  g_free (check.received_host);
  g_free (check.received_authorization);
  g_free (check.recomputed_authorization);
  g_clear_object (&message);
  g_clear_object (&session);
  soup_server_disconnect (server);
  g_main_context_pop_thread_default (context);
}

/* ------------------------------------------------------------- credentials */

static void
test_credentials_new_rejects_empty (void)
{
  g_autoptr(StompyAwsCredentials) ok = stompy_aws_credentials_new ("AKIAIOSFODNN7EXAMPLE", "secret",
                                                                   "", "profile default");

  g_assert_null (stompy_aws_credentials_new (NULL, "secret", NULL, NULL));
  g_assert_null (stompy_aws_credentials_new ("", "secret", NULL, NULL));
  g_assert_null (stompy_aws_credentials_new ("AKIAIOSFODNN7EXAMPLE", NULL, NULL, NULL));
  g_assert_null (stompy_aws_credentials_new ("AKIAIOSFODNN7EXAMPLE", "", NULL, NULL));

  g_assert_nonnull (ok);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (ok), ==, "AKIAIOSFODNN7EXAMPLE");
  g_assert_cmpstr (stompy_aws_credentials_get_secret_access_key (ok), ==, "secret");
  g_assert_null (stompy_aws_credentials_get_session_token (ok));
  g_assert_cmpstr (stompy_aws_credentials_get_source (ok), ==, "profile default");
}

static void
test_credentials_environ_pair_and_token (void)
{
  const char *envp[] = {
    "HOME=/home/test",
    "AWS_ACCESS_KEY_ID=ASIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AWS_SESSION_TOKEN=session",
    "AWS_SECURITY_TOKEN=legacy",
    NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsCredentials) credentials = stompy_aws_credentials_new_from_environ (envp, &error);

  g_assert_no_error (error);
  g_assert_nonnull (credentials);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (credentials), ==, "ASIAIOSFODNN7EXAMPLE");
  g_assert_cmpstr (stompy_aws_credentials_get_secret_access_key (credentials), ==,
                   "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  /* AWS_SESSION_TOKEN wins over the legacy name. */
  g_assert_cmpstr (stompy_aws_credentials_get_session_token (credentials), ==, "session");
  g_assert_cmpstr (stompy_aws_credentials_get_source (credentials), ==, "environment");
}

static void
test_credentials_environ_legacy_token (void)
{
  const char *envp[] = {
    "AWS_ACCESS_KEY_ID=ASIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY=secret",
    "AWS_SESSION_TOKEN=",
    "AWS_SECURITY_TOKEN=legacy",
    NULL,
  };
  const char *no_token[] = {
    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY=secret",
    "AWS_SESSION_TOKEN=",
    NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsCredentials) legacy = stompy_aws_credentials_new_from_environ (envp, &error);
  g_autoptr(StompyAwsCredentials) plain = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_session_token (legacy), ==, "legacy");

  plain = stompy_aws_credentials_new_from_environ (no_token, &error);
  g_assert_no_error (error);
  g_assert_null (stompy_aws_credentials_get_session_token (plain));
}

static void
assert_environ_error (const char * const *envp,
                      const char         *must_name,
                      const char         *must_not_contain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsCredentials) credentials = stompy_aws_credentials_new_from_environ (envp, &error);

  g_assert_null (credentials);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, must_name));
  if (must_not_contain != NULL)
    g_assert_null (strstr (error->message, must_not_contain));
}

static void
test_credentials_environ_missing (void)
{
  const char *nothing[] = { "HOME=/home/test", NULL };
  const char *empty[] = { "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", NULL };
  const char *no_id[] = { "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=TopSecretValue", NULL };
  const char *no_secret[] = { "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", NULL };

  assert_environ_error (nothing, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", NULL);
  /* Empty counts as unset. */
  assert_environ_error (empty, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", NULL);
  /* The message names the missing variable and never carries a value. */
  assert_environ_error (no_id, "AWS_ACCESS_KEY_ID is not set", "TopSecretValue");
  assert_environ_error (no_secret, "AWS_SECRET_ACCESS_KEY is not set", "AKIAIOSFODNN7EXAMPLE");
}

static void
test_credentials_environ_process (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsCredentials) credentials = NULL;
  g_autofree char *saved_id = g_strdup (g_getenv ("AWS_ACCESS_KEY_ID"));
  g_autofree char *saved_secret = g_strdup (g_getenv ("AWS_SECRET_ACCESS_KEY"));

  /* This test program is single-threaded here, so changing the environment is safe. */
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIAPROCESSENVIRON01", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "process-secret", TRUE);
  credentials = stompy_aws_credentials_new_from_environ (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (credentials), ==, "AKIAPROCESSENVIRON01");
  g_assert_cmpstr (stompy_aws_credentials_get_secret_access_key (credentials), ==, "process-secret");
  /* Reading the variables must not damage the process environment. */
  g_assert_cmpstr (g_getenv ("AWS_SECRET_ACCESS_KEY"), ==, "process-secret");

  if (saved_id != NULL)
    g_setenv ("AWS_ACCESS_KEY_ID", saved_id, TRUE);
  else
    g_unsetenv ("AWS_ACCESS_KEY_ID");
  if (saved_secret != NULL)
    g_setenv ("AWS_SECRET_ACCESS_KEY", saved_secret, TRUE);
  else
    g_unsetenv ("AWS_SECRET_ACCESS_KEY");
}

static void
test_credentials_describe_masks (void)
{
  g_autoptr(StompyAwsCredentials) profile = stompy_aws_credentials_new ("AKIAIOSFODNN7EXAMPLE",
                                                                        "wJalrXUtnFEMI/K7MDENG",
                                                                        "FwoGZXIvYXdzEBY",
                                                                        "profile default");
  g_autoptr(StompyAwsCredentials) no_source = stompy_aws_credentials_new ("AKIAIOSFODNN7EXAMPLE",
                                                                          "secret", NULL, NULL);
  g_autoptr(StompyAwsCredentials) short_id = stompy_aws_credentials_new ("AKIA1234", "secret",
                                                                         NULL, "environment");
  g_autofree char *described = stompy_aws_credentials_describe (profile);
  g_autofree char *described_no_source = stompy_aws_credentials_describe (no_source);
  g_autofree char *described_short = stompy_aws_credentials_describe (short_id);

  g_assert_cmpstr (described, ==, "AKIA…MPLE (profile default)");
  g_assert_null (strstr (described, "wJal"));
  g_assert_null (strstr (described, "FwoG"));
  g_assert_null (strstr (described, "IOSFODNN7EXA"));
  g_assert_cmpstr (described_no_source, ==, "AKIA…MPLE");
  g_assert_cmpstr (described_short, ==, "… (environment)");
}

static void
test_credentials_refcount (void)
{
  StompyAwsCredentials *credentials = stompy_aws_credentials_new ("AKIAIOSFODNN7EXAMPLE", "secret",
                                                                  "token", "environment");
  StompyAwsCredentials *second;
  StompyAwsCredentials *copy;

  g_assert_true (G_TYPE_IS_BOXED (STOMPY_TYPE_AWS_CREDENTIALS));

  second = stompy_aws_credentials_ref (credentials);
  g_assert_true (second == credentials);
  /* Immutable: a boxed copy is another reference to the same object. */
  copy = g_boxed_copy (STOMPY_TYPE_AWS_CREDENTIALS, credentials);
  g_assert_true (copy == credentials);

  g_boxed_free (STOMPY_TYPE_AWS_CREDENTIALS, copy);
  stompy_aws_credentials_unref (credentials);
  /* Still alive through the last reference. */
  g_assert_cmpstr (stompy_aws_credentials_get_secret_access_key (second), ==, "secret");
  g_assert_cmpstr (stompy_aws_credentials_get_session_token (second), ==, "token");
  /* The last unref wipes and frees; under MALLOC_CHECK_ and G_DEBUG=gc-friendly
   * a double free or an overrun would abort here. */
  stompy_aws_credentials_unref (second);
}

/* ---------------------------------------------------------------- main */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = NULL;

  g_test_init (&argc, &argv, NULL);

  /* Every case of the suite is its own test; the count test notices a case
   * that went missing (or a suite that was not found at all). */
  g_test_add_func ("/aws/sigv4/vectors/all-31-cases-found", test_vectors_all_found);
  cases = suite_cases ();
  for (guint i = 0; i < cases->len; i++)
    {
      g_autofree char *path = g_strconcat ("/aws/sigv4/vectors/", (const char *) cases->pdata[i], NULL);

      g_test_add_data_func_full (path, g_strdup (cases->pdata[i]), test_vector, g_free);
    }

  g_test_add_func ("/aws/sigv4/query/parameter-without-value-gets-equals",
                   test_query_parameter_without_value);
  g_test_add_func ("/aws/sigv4/query/decoded-reencoded-and-sorted", test_query_encoding);
  g_test_add_func ("/aws/sigv4/s3/path-not-normalised", test_s3_path_not_normalised);
  g_test_add_func ("/aws/sigv4/s3/key-encoded-once", test_s3_key_encoded_once);
  g_test_add_func ("/aws/sigv4/s3/payload-hash-and-unsigned-payload", test_s3_payload_hash);
  g_test_add_func ("/aws/sigv4/headers/folded-value-raw-or-joined", test_folded_header_forms);
  g_test_add_func ("/aws/sigv4/signing-key/iam-user-guide-example", test_signing_key_iam_example);
  g_test_add_func ("/aws/sigv4/amz-date/converted-to-utc", test_amz_date_is_utc);
  g_test_add_func ("/aws/sigv4/message/matches-suite", test_message_matches_suite);
  g_test_add_func ("/aws/sigv4/message/matches-pure-functions",
                   test_message_matches_pure_functions);
  g_test_add_func ("/aws/sigv4/message/s3-content-sha256-signed", test_message_s3_content_sha256);
  g_test_add_func ("/aws/sigv4/message/security-token-signed-only-when-present",
                   test_message_security_token);
  g_test_add_func ("/aws/sigv4/message/resign-replaces-headers", test_message_resign_replaces);
  g_test_add_func ("/aws/sigv4/message/host-from-uri-with-non-default-port",
                   test_message_host_header);
  g_test_add_func ("/aws/sigv4/message/signature-survives-the-wire",
                   test_message_survives_the_wire);

  g_test_add_func ("/aws/credentials/new/rejects-empty-id-or-secret",
                   test_credentials_new_rejects_empty);
  g_test_add_func ("/aws/credentials/environ/pair-and-session-token",
                   test_credentials_environ_pair_and_token);
  g_test_add_func ("/aws/credentials/environ/legacy-security-token",
                   test_credentials_environ_legacy_token);
  g_test_add_func ("/aws/credentials/environ/missing-variable-is-named",
                   test_credentials_environ_missing);
  g_test_add_func ("/aws/credentials/environ/null-envp-reads-process",
                   test_credentials_environ_process);
  g_test_add_func ("/aws/credentials/describe/masks-key-id-and-hides-secrets",
                   test_credentials_describe_masks);
  g_test_add_func ("/aws/credentials/refcount/last-unref-frees", test_credentials_refcount);

  return g_test_run ();
}
