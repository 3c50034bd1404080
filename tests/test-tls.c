/* test-tls.c — the transport rules: TLS certificates are checked, http:// is loopback only
 *
 * A loopback HTTPS SoupServer with a self-signed certificate
 * (tests/data/tls, see its README) stands in for AWS and Stompy. Every client
 * of the app — the AWS client (through AWS_ENDPOINT_URL), the Stompy API
 * client, the template download and the CLI as a subprocess — must fail with
 * a certificate error in the project's domains, at once (no retry, no hang),
 * without the server ever seeing a request (so no password or signature left
 * the machine), and with a sentence that says what to do. A control with a
 * session that trusts the certificate shows the server itself works. Then a
 * table of plain http:// endpoints: loopback allowed, anything else refused
 * before a connection is made.
 */
#include "config.h"

#include <string.h>

#include "stompy-api-client.h"
#include "stompy-aws-client.h"
#include "stompy-aws-identity.h"
#include "stompy-error.h"
#include "stompy-error-messages.h"
#include "stompy-http.h"
#include "stompy-template.h"
#include "stompy-test-util.h"

static SoupServer *server;
static char       *https_url;   /* https://127.0.0.1:PORT */
static char       *cert_path;
static guint       requests_seen;

#define STS_ANSWER \
  "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">" \
  "<GetCallerIdentityResult><Arn>arn:aws:iam::210987654321:user/ops-admin</Arn>" \
  "<UserId>AIDAEXAMPLE</UserId><Account>210987654321</Account></GetCallerIdentityResult>" \
  "<ResponseMetadata><RequestId>req-tls</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
#define ORG_ANSWER \
  "{\"Organization\":{\"Id\":\"o-tls\",\"MasterAccountId\":\"210987654321\"}}"

static void
server_cb (SoupServer        *srv,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *target = soup_message_headers_get_one (headers, "X-Amz-Target");

  requests_seen++;
  soup_server_message_set_status (msg, 200, NULL);
  if (target != NULL)
    soup_server_message_set_response (msg, "application/x-amz-json-1.1", SOUP_MEMORY_STATIC,
                                      ORG_ANSWER, strlen (ORG_ANSWER));
  else
    soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_STATIC,
                                      STS_ANSWER, strlen (STS_ANSWER));
}

static StompyAwsCredentials *
test_credentials (void)
{
  return stompy_aws_credentials_new ("AKIAEMULATORMGMT0001", "tls-test-secret-00000000000000000000000000",
                                     NULL, "test");
}

static StompyAwsClient *
aws_client_for (SoupSession *session,
                const char  *endpoint)
{
  g_autofree char *endpoint_env = g_strdup_printf ("AWS_ENDPOINT_URL=%s", endpoint);
  const char *envp[] = { endpoint_env, NULL };
  g_autoptr(StompyAwsCredentials) credentials = test_credentials ();

  return stompy_aws_client_new (session, credentials, "us-east-1", NULL, NULL, envp);
}

static void
assert_certificate_sentence (const GError *error)
{
  g_autofree char *sentence = stompy_error_message_for (error);

  g_assert_nonnull (strstr (sentence, "certificate is not trusted"));
  g_assert_nonnull (strstr (sentence, "proxy"));
}

/* ------------------------------------------------------------------ certificate errors */

static void
test_aws_client_refuses_self_signed (void)
{
  g_autoptr(SoupSession) session = stompy_http_session_new ();
  g_autoptr(StompyAwsClient) client = aws_client_for (session, https_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  requests_seen = 0;
  stompy_aws_identity_lookup_async (client, NULL, stompy_test_store_result_cb, &result);
  identity = stompy_aws_identity_lookup_finish (stompy_test_wait_result (&result), &error);

  g_assert_null (identity);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_TLS_CERTIFICATE);
  /* Not retried into success, not retried at all, and fast. */
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 1);
  g_assert_cmpuint (requests_seen, ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  assert_certificate_sentence (error);
}

static void
test_api_client_refuses_self_signed (void)
{
  g_autoptr(SoupSession) session = stompy_http_session_new ();
  g_autofree char *base = g_strdup_printf ("%s/v1", https_url);
  g_autoptr(StompyApiClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompySession) signed_in = NULL;
  g_autoptr(GError) error = NULL;

  client = stompy_api_client_new (session, base, &error);
  g_assert_no_error (error);

  requests_seen = 0;
  stompy_api_client_sign_in_async (client, "ops@example.com", "correct horse battery staple", NULL,
                                   stompy_test_store_result_cb, &result);
  signed_in = stompy_api_client_sign_in_finish (client, stompy_test_wait_result (&result), &error);

  g_assert_null (signed_in);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_TLS_CERTIFICATE);
  /* The password never reached the server. */
  g_assert_cmpuint (requests_seen, ==, 0);
  assert_certificate_sentence (error);
}

static void
test_template_refuses_self_signed (void)
{
  g_autoptr(SoupSession) session = stompy_http_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/analysaver/v3.json", https_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompyTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  requests_seen = 0;
  stompy_template_fetch_async (session, url, NULL, stompy_test_store_result_cb, &result);
  template = stompy_template_fetch_finish (stompy_test_wait_result (&result), &error);

  g_assert_null (template);
  g_assert_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_TLS_CERTIFICATE);
  g_assert_cmpuint (requests_seen, ==, 0);
}

/* The control: trust the certificate, and the same call against the same
 * server succeeds — the failures above are about trust, not a broken server. */
static void
test_trusted_control (void)
{
  g_autoptr(SoupSession) session = stompy_http_session_new ();
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(StompyAwsClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  database = g_tls_file_database_new (cert_path, &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (session, database);
  client = aws_client_for (session, https_url);

  requests_seen = 0;
  stompy_aws_identity_lookup_async (client, NULL, stompy_test_store_result_cb, &result);
  identity = stompy_aws_identity_lookup_finish (stompy_test_wait_result (&result), &error);

  g_assert_no_error (error);
  g_assert_nonnull (identity);
  g_assert_cmpstr (identity->account_id, ==, "210987654321");
  g_assert_cmpuint (requests_seen, >=, 1);
}

/* ------------------------------------------------------------------ the CLI */

typedef StompyTestCliRun CliRun;

static void
run_cli (CliRun              *run,
         const char          *stdin_text,
         const char * const  *extra_env,
         const char * const  *args)
{
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("stompy-tls-cli-XXXXXX", &error);

  g_assert_no_error (error);
  envp = g_environ_setenv (envp, "HOME", tmp, TRUE);
  envp = g_environ_setenv (envp, "XDG_STATE_HOME", tmp, TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", tmp, TRUE);
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", tmp, TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);
  for (gsize i = 0; extra_env[i] != NULL; i += 2)
    envp = g_environ_setenv (envp, extra_env[i], extra_env[i + 1], TRUE);

  /* The server answers from this thread's main context while the CLI runs. */
  stompy_test_run_cli (run, (const char * const *) envp, stdin_text, args, STOMPY_TEST_WAIT_SECONDS);
  g_assert_false (run->timed_out);
  stompy_test_remove_tree (tmp);
}

static void
test_cli_refuses_self_signed (void)
{
  CliRun run = { 0, };
  const char *aws_env[] = {
    "AWS_ENDPOINT_URL", https_url,
    "AWS_ACCESS_KEY_ID", "AKIAEMULATORMGMT0001",
    "AWS_SECRET_ACCESS_KEY", "tls-test-secret-00000000000000000000000000",
    "AWS_PROFILE", "",
    NULL,
  };
  const char *identity_args[] = { "identity", NULL };
  g_autofree char *api_url = g_strdup_printf ("%s/v1", https_url);
  const char *api_env[] = { "STOMPY_API_URL", api_url, NULL };
  const char *login_args[] = { "login", "--email", "ops@example.com", "--password-stdin", NULL };

  requests_seen = 0;
  run_cli (&run, NULL, aws_env, identity_args);
  g_test_message ("identity: %d, %s", run.status, run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "certificate is not trusted"));
  g_assert_cmpuint (requests_seen, ==, 0);
  stompy_test_cli_run_clear (&run);

  run_cli (&run, "correct horse battery staple\n", api_env, login_args);
  g_test_message ("login: %d, %s", run.status, run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "certificate is not trusted"));
  g_assert_null (strstr (run.err, "correct horse"));
  g_assert_cmpuint (requests_seen, ==, 0);
  stompy_test_cli_run_clear (&run);
}

/* ------------------------------------------------------------------ http:// */

typedef struct
{
  const char *url;
  gboolean    allowed;
} EndpointRow;

static const EndpointRow endpoint_rows[] = {
  { "https://sts.amazonaws.com", TRUE },
  { "https://api.stompy.io/v1", TRUE },
  { "http://127.0.0.1:8080", TRUE },
  { "http://127.1.2.3", TRUE },
  { "http://localhost:9000/v1", TRUE },
  { "http://LOCALHOST", TRUE },
  { "http://[::1]:8080", TRUE },
  { "http://api.stompy.io/v1", FALSE },
  { "http://sts.amazonaws.com", FALSE },
  { "http://example.com", FALSE },
  { "http://10.0.0.1", FALSE },
  { "http://192.168.1.10:8080", FALSE },
  { "http://0.0.0.0", FALSE },
  { "http://[::ffff:8.8.8.8]", FALSE },
  { "http://localhost.example.com", FALSE },
  { "http://127.0.0.1.nip.io", FALSE },
  { "http://[fe80::1]", FALSE },
};

static void
test_http_endpoint_table (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (endpoint_rows); i++)
    {
      const EndpointRow *row = &endpoint_rows[i];
      g_autoptr(GError) error = NULL;
      gboolean allowed = stompy_http_check_endpoint (row->url, &error);

      g_test_message ("%s: %s", row->url, allowed ? "allowed" : error->message);
      g_assert_cmpint (allowed, ==, row->allowed);
      if (!row->allowed)
        g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT);
    }
}

/* Through the clients themselves: refused before any connection. */
static void
test_http_refused_by_clients (void)
{
  g_autoptr(SoupSession) session = stompy_http_session_new ();
  g_autoptr(StompyAwsClient) client = aws_client_for (session, "http://example.com");
  g_autoptr(StompyApiClient) api = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(StompyTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;

  stompy_aws_identity_lookup_async (client, NULL, stompy_test_store_result_cb, &result);
  identity = stompy_aws_identity_lookup_finish (stompy_test_wait_result (&result), &error);
  g_assert_null (identity);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT);
  g_assert_cmpuint (stompy_aws_client_get_request_count (client), ==, 0);
  sentence = stompy_error_message_for (error);
  g_assert_nonnull (strstr (sentence, "HTTPS"));
  g_clear_error (&error);
  g_clear_object (&result);

  api = stompy_api_client_new (session, "http://api.stompy.io/v1", &error);
  g_assert_null (api);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT);
  g_clear_error (&error);

  stompy_template_fetch_async (session, "http://stompy-templates.example.com/analysaver/v3.json",
                               NULL, stompy_test_store_result_cb, &result);
  template = stompy_template_fetch_finish (stompy_test_wait_result (&result), &error);
  g_assert_null (template);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *key_path = NULL;
  GSList *uris;
  GUri *uri;

  g_test_init (&argc, &argv, NULL);

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      /* Without glib-networking nothing can speak HTTPS; say so rather than pass. */
      g_printerr ("No TLS backend (install glib-networking)\n");
      return 1;
    }

  cert_path = g_build_filename (g_getenv ("STOMPY_TEST_DATA"), "tls", "self-signed-cert.pem", NULL);
  key_path = g_build_filename (g_getenv ("STOMPY_TEST_DATA"), "tls", "self-signed-key.pem", NULL);
  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);

  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  uri = uris->data;
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
  https_url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uri));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_test_add_func ("/tls/aws-client/self-signed-refused", test_aws_client_refuses_self_signed);
  g_test_add_func ("/tls/api-client/self-signed-refused", test_api_client_refuses_self_signed);
  g_test_add_func ("/tls/template/self-signed-refused", test_template_refuses_self_signed);
  g_test_add_func ("/tls/cli/self-signed-refused", test_cli_refuses_self_signed);
  g_test_add_func ("/tls/trusted-control", test_trusted_control);
  g_test_add_func ("/tls/http/endpoint-table", test_http_endpoint_table);
  g_test_add_func ("/tls/http/refused-by-clients", test_http_refused_by_clients);

  return g_test_run ();
}
