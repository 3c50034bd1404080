/* test-aws-errors.c — AWS error bodies of each wire protocol into STOMPY_AWS_ERROR
 *
 * The bodies in tests/data/aws-errors/ are AWS's documented shapes
 * (shared/reference/aws-cfn-sts-sigv4.md §1, aws-cur-s3.md §5.6) with the
 * messages the services really send.
 */
#include "config.h"

#include <string.h>

#include "stompy-aws-client.h"
#include "stompy-error.h"

typedef enum
{
  QUERY,
  JSON,
  REST_XML,
} Protocol;

typedef struct
{
  const char        *test_path;
  Protocol           protocol;
  guint              status;
  const char        *fixture;      /* file in data/aws-errors, or NULL */
  const char        *inline_body;  /* used when fixture is NULL; NULL = empty */
  const char        *header_names[3];
  const char        *header_values[3];
  StompyAwsErrorCode expected_class;
  const char        *expected_code;       /* NULL = none */
  const char        *expected_message;    /* substring; NULL = don't care */
  const char        *expected_request_id; /* NULL = none */
} ErrorCase;

static const ErrorCase cases[] = {
  /* ---- query: STS ---- */
  { "/aws/errors/query/sts/invalid-client-token-id", QUERY, 403, "sts-invalid-client-token-id.xml", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_INVALID_CLIENT_TOKEN_ID, "InvalidClientTokenId",
    "The security token included in the request is invalid.",
    "4fd2e7a0-8a1b-4c42-9d6e-2f2b1f1f7a11" },
  { "/aws/errors/query/sts/signature-does-not-match", QUERY, 403, "sts-signature-does-not-match.xml", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_SIGNATURE_MISMATCH, "SignatureDoesNotMatch",
    "Check your AWS Secret Access Key", "0a1b9c3e-5d2f-4e7a-8b6c-1d2e3f4a5b6c" },
  { "/aws/errors/query/sts/signature-expired-is-clock-skew", QUERY, 403, "sts-signature-expired.xml", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_CLOCK_SKEW, "SignatureDoesNotMatch", "Signature expired: 20130524T000000Z",
    "b7d3c9e1-0f4a-4d5b-9c8e-7a6b5c4d3e2f" },
  { "/aws/errors/query/sts/expired-token", QUERY, 403, "sts-expired-token.xml", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_EXPIRED_TOKEN, "ExpiredToken",
    "The security token included in the request is expired",
    "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b" },
  { "/aws/errors/query/sts/throttling", QUERY, 400, "sts-throttling.xml", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_THROTTLED, "Throttling", "Rate exceeded",
    "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f" },
  /* ---- query: CloudFormation ---- */
  { "/aws/errors/query/cloudformation/stack-does-not-exist", QUERY, 400, "cfn-stack-does-not-exist.xml", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_VALIDATION, "ValidationError", "Stack with id StompyCostAccess does not exist",
    "4b1e324d-6c6b-4a8f-9c57-2a5ad1f3c2d0" },
  { "/aws/errors/query/cloudformation/already-exists", QUERY, 400, "cfn-already-exists.xml", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_ALREADY_EXISTS, "AlreadyExistsException", "Stack [StompyCostAccess] already exists",
    "7f3e2d1c-0b9a-4876-a5b4-c3d2e1f0a9b8" },
  { "/aws/errors/query/ec2-style-errors-element", QUERY, 503, "ec2-style-errors.xml", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_THROTTLED, "RequestLimitExceeded", "Request limit exceeded.",
    "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d" },
  { "/aws/errors/query/request-id-from-header-when-body-has-none", QUERY, 400, NULL,
    "<ErrorResponse><Error><Code>ValidationError</Code><Message>bad</Message></Error></ErrorResponse>",
    { "x-amzn-RequestId", NULL }, { "hdr-req-1", NULL },
    STOMPY_AWS_ERROR_VALIDATION, "ValidationError", "bad", "hdr-req-1" },
  /* ---- query: not an AWS error document ---- */
  { "/aws/errors/query/html-body-keeps-status", QUERY, 502, "html-bad-gateway.html", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_SERVER, NULL, "Bad Gateway", NULL },
  { "/aws/errors/query/truncated-body-keeps-status", QUERY, 400, "truncated.xml", NULL,
    { "x-amzn-RequestId", NULL }, { "hdr-req-2", NULL },
    STOMPY_AWS_ERROR_SERVICE, NULL, "Bad Request", "hdr-req-2" },
  { "/aws/errors/query/empty-body-keeps-status", QUERY, 503, NULL, NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_SERVER, NULL, "Service Unavailable", NULL },
  { "/aws/errors/query/error-without-code", QUERY, 400, NULL,
    "<ErrorResponse><Error><Message>no code</Message></Error></ErrorResponse>",
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_SERVICE, NULL, "Bad Request", NULL },
  /* ---- JSON 1.1: Organizations ---- */
  { "/aws/errors/json/organizations/not-in-use", JSON, 400, "organizations-not-in-use.json", NULL,
    { "x-amzn-RequestId", NULL }, { "c0ffee00-1111-4222-8333-444455556666", NULL },
    STOMPY_AWS_ERROR_SERVICE, "AWSOrganizationsNotInUseException",
    "Your account is not a member of an organization.", "c0ffee00-1111-4222-8333-444455556666" },
  { "/aws/errors/json/organizations/access-denied-namespaced-type", JSON, 400,
    "organizations-access-denied-namespaced.json", NULL,
    { "x-amzn-RequestId", NULL }, { "d00dfeed-1111-4222-8333-444455556666", NULL },
    STOMPY_AWS_ERROR_ACCESS_DENIED, "AccessDeniedException",
    "You don't have permissions to access this resource.", "d00dfeed-1111-4222-8333-444455556666" },
  { "/aws/errors/json/organizations/too-many-requests", JSON, 400, "organizations-too-many-requests.json", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_THROTTLED, "TooManyRequestsException", "another request is already in progress",
    NULL },
  { "/aws/errors/json/type-with-namespace-and-uri-is-sanitised", JSON, 400, "json-namespaced-with-uri.json", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_SERVICE, "FooError", "Something foo happened", NULL },
  { "/aws/errors/json/code-field-and-lower-case-message", JSON, 400, "json-code-field.json", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_VALIDATION, "ValidationException", "1 validation error detected", NULL },
  { "/aws/errors/json/type-from-header-when-body-empty", JSON, 400, NULL, NULL,
    { "X-Amzn-ErrorType", "x-amzn-RequestId", NULL },
    { "ResourceNotFoundException:http://internal.amazon.com/coral/", "hdr-req-3", NULL },
    STOMPY_AWS_ERROR_NOT_FOUND, "ResourceNotFoundException", NULL, "hdr-req-3" },
  { "/aws/errors/json/truncated-body-keeps-status", JSON, 500, "truncated.json", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_SERVER, NULL, "Internal Server Error", NULL },
  { "/aws/errors/json/html-body-keeps-status", JSON, 403, "html-bad-gateway.html", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_SERVICE, NULL, "Forbidden", NULL },
  { "/aws/errors/json/array-body-keeps-status", JSON, 429, NULL, "[1, 2, 3]",
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_THROTTLED, NULL, "Too Many Requests", NULL },
  { "/aws/errors/json/non-string-type-ignored", JSON, 400, NULL, "{\"__type\": 42, \"message\": \"odd\"}",
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_SERVICE, NULL, "odd", NULL },
  /* ---- REST-XML: S3 ---- */
  { "/aws/errors/s3/no-such-bucket", REST_XML, 404, "s3-no-such-bucket.xml", NULL,
    { "x-amz-request-id", NULL }, { "HEADERID00000000", NULL },
    STOMPY_AWS_ERROR_NOT_FOUND, "NoSuchBucket", "The specified bucket does not exist",
    "4442587FB7D0A2F9" },
  { "/aws/errors/s3/bucket-already-exists", REST_XML, 409, "s3-bucket-already-exists.xml", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_ALREADY_EXISTS, "BucketAlreadyExists", "The requested bucket name is not available",
    "7F1B3AC0E2D94E15" },
  { "/aws/errors/s3/access-denied", REST_XML, 403, "s3-access-denied.xml", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_ACCESS_DENIED, "AccessDenied", "Access Denied", "656c76696e6727732072" },
  { "/aws/errors/s3/permanent-redirect-keeps-bucket-region", REST_XML, 301, "s3-permanent-redirect.xml", NULL,
    { "x-amz-bucket-region", "x-amz-request-id", NULL }, { "eu-west-1", "1A2B3C4D5E6F7A8B", NULL },
    STOMPY_AWS_ERROR_SERVICE, "PermanentRedirect", "eu-west-1", "1A2B3C4D5E6F7A8B" },
  { "/aws/errors/s3/head-404-empty-body", REST_XML, 404, NULL, NULL,
    { "x-amz-request-id", NULL }, { "HEAD404REQID", NULL },
    STOMPY_AWS_ERROR_NOT_FOUND, "NotFound", NULL, "HEAD404REQID" },
  { "/aws/errors/s3/head-403-empty-body", REST_XML, 403, NULL, NULL,
    { "x-amz-request-id", NULL }, { "HEAD403REQID", NULL },
    STOMPY_AWS_ERROR_ACCESS_DENIED, "Forbidden", NULL, "HEAD403REQID" },
  { "/aws/errors/s3/head-301-empty-body-keeps-bucket-region", REST_XML, 301, NULL, NULL,
    { "x-amz-bucket-region", "x-amz-request-id", NULL }, { "us-west-2", "HEAD301REQID", NULL },
    STOMPY_AWS_ERROR_SERVICE, "PermanentRedirect", "us-west-2", "HEAD301REQID" },
  { "/aws/errors/s3/html-body-keeps-status", REST_XML, 503, "html-bad-gateway.html", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_SERVER, NULL, "Service Unavailable", NULL },
  { "/aws/errors/s3/truncated-body-keeps-status", REST_XML, 500, "truncated.xml", NULL,
    { NULL }, { NULL },
    STOMPY_AWS_ERROR_SERVER, NULL, "Internal Server Error", NULL },
};

static char *
fixture_path (const char *name)
{
  const char *dir = g_getenv ("STOMPY_TEST_DATA");

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, "aws-errors", name, NULL);

  return g_test_build_filename (G_TEST_DIST, "data", "aws-errors", name, NULL);
}

static void
test_error_case (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *body = NULL;
  gsize length = 0;

  if (c->fixture != NULL)
    {
      g_autofree char *path = fixture_path (c->fixture);
      g_autoptr(GError) read_error = NULL;

      g_file_get_contents (path, &contents, &length, &read_error);
      g_assert_no_error (read_error);
      body = contents;
    }
  else if (c->inline_body != NULL)
    {
      body = c->inline_body;
      length = strlen (body);
    }

  for (guint i = 0; c->header_names[i] != NULL; i++)
    soup_message_headers_append (headers, c->header_names[i], c->header_values[i]);

  switch (c->protocol)
    {
    case QUERY:
      error = stompy_aws_parse_query_error (c->status, body, length, headers);
      break;
    case JSON:
      error = stompy_aws_parse_json_error (c->status, body, length, headers);
      break;
    case REST_XML:
    default:
      error = stompy_aws_parse_rest_xml_error (c->status, body, length, headers);
      break;
    }

  g_assert_nonnull (error);
  g_assert_error (error, STOMPY_AWS_ERROR, (int) c->expected_class);
  g_assert_cmpstr (stompy_aws_error_get_aws_code (error), ==, c->expected_code);
  if (c->expected_message != NULL)
    {
      const char *message = stompy_aws_error_get_aws_message (error);
      g_assert_nonnull (message);
      if (strstr (message, c->expected_message) == NULL)
        g_error ("message “%s” does not contain “%s”", message, c->expected_message);
    }
  g_assert_cmpstr (stompy_aws_error_get_request_id (error), ==, c->expected_request_id);
  g_assert_cmpuint (stompy_aws_error_get_http_status (error), ==, c->status);
}

/* Each parser must survive anything: a NULL body with a length, binary junk,
 * and an error document nested deeper than the XML parser accepts. */
static void
test_garbage_never_crashes (void)
{
  static const guint8 junk[] = { 0x00, 0xff, '<', 0xfe, '{', '"', 0x80, 0x01 };
  g_autoptr(GString) deep = g_string_new (NULL);
  GError *(*parsers[]) (guint, const char *, gsize, SoupMessageHeaders *) = {
    stompy_aws_parse_query_error,
    stompy_aws_parse_json_error,
    stompy_aws_parse_rest_xml_error,
  };

  for (guint i = 0; i < 200; i++)
    g_string_append (deep, "<Error>");

  for (guint p = 0; p < G_N_ELEMENTS (parsers); p++)
    {
      g_autoptr(GError) e1 = parsers[p] (500, NULL, 0, NULL);
      g_autoptr(GError) e2 = parsers[p] (400, (const char *) junk, sizeof junk, NULL);
      g_autoptr(GError) e3 = parsers[p] (400, deep->str, deep->len, NULL);

      g_assert_error (e1, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_SERVER);
      g_assert_error (e2, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_SERVICE);
      g_assert_error (e3, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_SERVICE);
      g_assert_cmpuint (stompy_aws_error_get_http_status (e2), ==, 400);
    }
}

/* The GError message goes to logs: it must say what failed. */
static void
test_message_names_code_and_request_id (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  const char *body = "{\"__type\":\"ExpiredTokenException\",\"message\":\"The security token "
                     "included in the request is expired\"}";
  g_autoptr(GError) error = NULL;

  soup_message_headers_append (headers, "x-amzn-RequestId", "req-42");
  error = stompy_aws_parse_json_error (400, body, strlen (body), headers);

  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_EXPIRED_TOKEN);
  g_assert_nonnull (strstr (error->message, "ExpiredTokenException"));
  g_assert_nonnull (strstr (error->message, "req-42"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].test_path, &cases[i], test_error_case);

  g_test_add_func ("/aws/errors/garbage-never-crashes", test_garbage_never_crashes);
  g_test_add_func ("/aws/errors/message-names-code-and-request-id",
                   test_message_names_code_and_request_id);

  return g_test_run ();
}
