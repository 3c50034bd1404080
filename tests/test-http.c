/* test-http.c — what every HTTP request shares: endpoint checks, redaction, headers */
#include "config.h"

#include "stompy-error.h"
#include "stompy-http.h"

static void
test_loopback_hosts (void)
{
  g_assert_true (stompy_http_host_is_loopback ("127.0.0.1"));
  g_assert_true (stompy_http_host_is_loopback ("127.8.9.10"));
  g_assert_true (stompy_http_host_is_loopback ("127.255.255.254"));
  g_assert_true (stompy_http_host_is_loopback ("::1"));
  g_assert_true (stompy_http_host_is_loopback ("[::1]"));
  g_assert_true (stompy_http_host_is_loopback ("localhost"));
  g_assert_true (stompy_http_host_is_loopback ("LOCALHOST"));
  g_assert_true (stompy_http_host_is_loopback ("LocalHost"));
}

static void
test_not_loopback_hosts (void)
{
  g_assert_false (stompy_http_host_is_loopback (NULL));
  g_assert_false (stompy_http_host_is_loopback (""));
  g_assert_false (stompy_http_host_is_loopback ("127.example.com"));
  g_assert_false (stompy_http_host_is_loopback ("127.0.0.1.example.com"));
  g_assert_false (stompy_http_host_is_loopback ("localhost.example.com"));
  g_assert_false (stompy_http_host_is_loopback ("10.0.0.1"));
  g_assert_false (stompy_http_host_is_loopback ("128.0.0.1"));
  g_assert_false (stompy_http_host_is_loopback ("0.0.0.0"));
  g_assert_false (stompy_http_host_is_loopback ("::"));
  g_assert_false (stompy_http_host_is_loopback ("::2"));
  g_assert_false (stompy_http_host_is_loopback ("sts.amazonaws.com"));
  /* Broken bracket forms must not be read past their end. */
  g_assert_false (stompy_http_host_is_loopback ("["));
  g_assert_false (stompy_http_host_is_loopback ("[]"));
  g_assert_false (stompy_http_host_is_loopback ("[::1"));
  g_assert_false (stompy_http_host_is_loopback ("::1]"));
}

static void
assert_endpoint_ok (const char *uri)
{
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", uri);
  g_assert_true (stompy_http_check_endpoint (uri, &error));
  g_assert_no_error (error);
}

static void
assert_endpoint_refused (const char *uri,
                         int         code)
{
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", uri ? uri : "(null)");
  g_assert_false (stompy_http_check_endpoint (uri, &error));
  g_assert_error (error, STOMPY_ERROR, code);
}

static void
test_check_endpoint (void)
{
  assert_endpoint_ok ("https://sts.ap-southeast-1.amazonaws.com");
  assert_endpoint_ok ("https://sts.ap-southeast-1.amazonaws.com/");
  assert_endpoint_ok ("HTTPS://api.stompy.io/v1");
  assert_endpoint_ok ("https://10.0.0.1:8443");
  assert_endpoint_ok ("http://127.0.0.1:4566");
  assert_endpoint_ok ("http://127.8.9.10");
  assert_endpoint_ok ("http://localhost:8080/path");
  assert_endpoint_ok ("http://[::1]:4566");

  assert_endpoint_refused ("http://sts.amazonaws.com", STOMPY_ERROR_INSECURE_ENDPOINT);
  assert_endpoint_refused ("http://10.0.0.1:4566", STOMPY_ERROR_INSECURE_ENDPOINT);
  assert_endpoint_refused ("http://127.example.com", STOMPY_ERROR_INSECURE_ENDPOINT);
  assert_endpoint_refused ("http://localhost.example.com", STOMPY_ERROR_INSECURE_ENDPOINT);

  assert_endpoint_refused ("ftp://127.0.0.1/", STOMPY_ERROR_INVALID_INPUT);
  assert_endpoint_refused ("file:///etc/passwd", STOMPY_ERROR_INVALID_INPUT);
  assert_endpoint_refused ("garbage", STOMPY_ERROR_INVALID_INPUT);
  assert_endpoint_refused ("", STOMPY_ERROR_INVALID_INPUT);
  assert_endpoint_refused ("https://", STOMPY_ERROR_INVALID_INPUT);
  assert_endpoint_refused ("sts.amazonaws.com", STOMPY_ERROR_INVALID_INPUT);
  assert_endpoint_refused (NULL, STOMPY_ERROR_INVALID_INPUT);
}

static void
test_loggable_header (void)
{
  const char *auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sts/aws4_request, "
                     "SignedHeaders=host;x-amz-date, Signature=0123abcd";

  g_assert_cmpstr (stompy_http_loggable_header ("Authorization", auth), ==, "[redacted]");
  g_assert_cmpstr (stompy_http_loggable_header ("authorization", "Bearer abc"), ==, "[redacted]");
  g_assert_cmpstr (stompy_http_loggable_header ("X-Amz-Security-Token", "FwoGZXIvYXdzE"), ==, "[redacted]");
  g_assert_cmpstr (stompy_http_loggable_header ("x-amz-security-token", "FwoGZXIvYXdzE"), ==, "[redacted]");
  g_assert_cmpstr (stompy_http_loggable_header ("Cookie", "session=1"), ==, "[redacted]");
  g_assert_cmpstr (stompy_http_loggable_header ("Set-Cookie", "session=1"), ==, "[redacted]");
  /* A bearer token under any header name. */
  g_assert_cmpstr (stompy_http_loggable_header ("X-Custom", "Bearer sk_live_1234"), ==, "[redacted]");
  g_assert_cmpstr (stompy_http_loggable_header ("X-Custom", "bearer sk_live_1234"), ==, "[redacted]");

  g_assert_cmpstr (stompy_http_loggable_header ("Content-Type", "application/x-amz-json-1.1"), ==,
                   "application/x-amz-json-1.1");
  g_assert_cmpstr (stompy_http_loggable_header ("X-Amz-Date", "20260101T000000Z"), ==, "20260101T000000Z");
  g_assert_cmpstr (stompy_http_loggable_header ("Host", "sts.us-east-1.amazonaws.com"), ==,
                   "sts.us-east-1.amazonaws.com");
}

static guint
retry_after (const char *value)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  if (value != NULL)
    soup_message_headers_append (headers, "Retry-After", value);

  return stompy_http_parse_retry_after (headers);
}

static void
test_retry_after (void)
{
  g_assert_cmpuint (stompy_http_parse_retry_after (NULL), ==, 0);
  g_assert_cmpuint (retry_after (NULL), ==, 0);
  g_assert_cmpuint (retry_after ("0"), ==, 0);
  g_assert_cmpuint (retry_after ("30"), ==, 30);
  g_assert_cmpuint (retry_after (" 12"), ==, 12);
  g_assert_cmpuint (retry_after ("600"), ==, 600);
  g_assert_cmpuint (retry_after ("601"), ==, 600);
  g_assert_cmpuint (retry_after ("99999999999999999999999"), ==, 600);
  g_assert_cmpuint (retry_after ("-5"), ==, 0);
  g_assert_cmpuint (retry_after ("soon"), ==, 0);
  g_assert_cmpuint (retry_after (""), ==, 0);
  /* The HTTP-date form is not used by the Stompy API, and is not honoured. */
  g_assert_cmpuint (retry_after ("Wed, 21 Oct 2026 07:28:00 GMT"), ==, 0);
}

static void
test_user_agent (void)
{
  const char *ua = stompy_http_user_agent ();

  g_assert_true (g_str_has_prefix (ua, "stompy-connect/" PACKAGE_VERSION " ("));
  g_assert_true (g_str_has_suffix (ua, ")"));
  /* Same string every time. */
  g_assert_true (ua == stompy_http_user_agent ());
}

static void
test_session_new (void)
{
  g_autoptr(SoupSession) session = stompy_http_session_new ();

  g_assert_cmpstr (soup_session_get_user_agent (session), ==, stompy_http_user_agent ());
  g_assert_cmpuint (soup_session_get_timeout (session), >, 0);
}

/* g_get_language_names() caches its answer per value of the environment
 * variables it reads, so changing LANGUAGE within the process is seen. */
static void
test_accept_language (void)
{
  g_setenv ("LANGUAGE", "zh_CN:en", TRUE);
  g_assert_cmpstr (stompy_http_accept_language (), ==, "zh-CN");

  g_setenv ("LANGUAGE", "zh_CN.UTF-8", TRUE);
  g_assert_cmpstr (stompy_http_accept_language (), ==, "zh-CN");

  g_setenv ("LANGUAGE", "de_DE:en", TRUE);
  g_assert_cmpstr (stompy_http_accept_language (), ==, "en");

  g_setenv ("LANGUAGE", "en_US", TRUE);
  g_assert_cmpstr (stompy_http_accept_language (), ==, "en");

  g_unsetenv ("LANGUAGE");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http/loopback/accepted", test_loopback_hosts);
  g_test_add_func ("/http/loopback/rejected", test_not_loopback_hosts);
  g_test_add_func ("/http/endpoint/https-or-loopback-only", test_check_endpoint);
  g_test_add_func ("/http/log/secrets-redacted", test_loggable_header);
  g_test_add_func ("/http/retry-after/seconds-capped", test_retry_after);
  g_test_add_func ("/http/user-agent/names-app-and-version", test_user_agent);
  g_test_add_func ("/http/session/uses-user-agent", test_session_new);
  g_test_add_func ("/http/accept-language/follows-ui-language", test_accept_language);

  return g_test_run ();
}
