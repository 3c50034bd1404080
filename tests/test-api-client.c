/* test-api-client.c — the Stompy API client against the emulator, and against
 * an in-process SoupServer for hostile answers the emulator never gives */
#include "config.h"

#include <string.h>

#include "stompy-api-client.h"
#include "stompy-error.h"
#include "stompy-http.h"
#include "stompy-test-emulator.h"
#include "stompy-test-util.h"

#define OPS_EMAIL    "ops@example.com"
#define OPS_PASSWORD "correct horse battery staple"
#define TEST_TIMEOUT_US (30 * G_USEC_PER_SEC)

static StompyTestEmulator *emulator;

/* ------------------------------------------------------------------ helpers */

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static double
zero_random (gpointer user_data)
{
  return 0.0;
}

/* A client whose backoff is zero, so retry tests take no time. */
static StompyApiClient *
client_new_for (const char *base_url)
{
  g_autoptr(SoupSession) session = stompy_http_session_new ();
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (3);
  g_autoptr(GError) error = NULL;
  StompyApiClient *client;

  stompy_retry_policy_set_random_func (policy, zero_random, NULL);
  client = stompy_api_client_new (session, base_url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (client);
  stompy_api_client_set_retry_policy (client, policy);
  stompy_api_client_set_language (client, "en");

  return client;
}

static StompyApiClient *
emulator_client_new (void)
{
  JsonNode *reply;

  /* Each test starts from a clean emulator: no faults, no sessions, no counts. */
  reply = stompy_test_emulator_control (emulator, "reset", "{}");
  json_node_unref (reply);

  return client_new_for (stompy_test_emulator_get_api_url (emulator));
}

static void
add_fault (const char *target,
           const char *kind,
           guint       count,
           guint       retry_after)
{
  g_autofree char *json = g_strdup_printf ("{\"target\": \"%s\", \"kind\": \"%s\", \"count\": %u, "
                                           "\"retry_after\": %u}",
                                           target, kind, count, retry_after);
  JsonNode *reply = stompy_test_emulator_control (emulator, "faults", json);

  json_node_unref (reply);
}

static gint64
count_requests (const char *operation)
{
  return stompy_test_emulator_count_requests (emulator, operation);
}

static gint64
count_creations (const char *kind)
{
  g_autoptr(JsonNode) stats = stompy_test_emulator_get_stats (emulator);
  JsonObject *creations;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (stats));
  creations = json_object_get_object_member (json_node_get_object (stats), "creations");
  if (creations == NULL || !json_object_has_member (creations, kind))
    return 0;

  return json_object_get_int_member (creations, kind);
}

static StompySession *
sign_in (StompyApiClient  *client,
         const char       *email,
         const char       *password,
         GCancellable     *cancellable,
         GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_api_client_sign_in_async (client, email, password, cancellable, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_api_client_sign_in_finish (client, result, error);
}

static gboolean
sign_out (StompyApiClient  *client,
          GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_api_client_sign_out_async (client, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_api_client_sign_out_finish (client, result, error);
}

static GPtrArray *
list_accounts (StompyApiClient  *client,
               GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_api_client_list_accounts_async (client, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_api_client_list_accounts_finish (client, result, error);
}

static StompyOnboardingInfo *
get_onboarding (StompyApiClient  *client,
                GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_api_client_get_onboarding_async (client, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_api_client_get_onboarding_finish (client, result, error);
}

static StompyAccountStatus *
connect_account (StompyApiClient  *client,
                 const char       *json,
                 GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) request = json_from_string (json, NULL);
  GAsyncResult *slot = NULL;

  g_assert_nonnull (request);
  stompy_api_client_connect_account_async (client, request, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_api_client_connect_account_finish (client, result, error);
}

static StompyAccountStatus *
get_account (StompyApiClient  *client,
             const char       *account_id,
             GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_api_client_get_account_async (client, account_id, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_api_client_get_account_finish (client, result, error);
}

static void
sign_in_ops (StompyApiClient *client)
{
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = sign_in (client, OPS_EMAIL, OPS_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
}

#define SPOTAINER_ONLY \
  "{\"account_id\": \"123456789012\", \"products\": [\"spotainer\"], " \
  "\"spotainer\": {\"role_arn\": \"arn:aws:iam::123456789012:role/StompySpoTainerRole\"}}"

/* ------------------------------------------------------------------ base URL */

static void
test_resolve_env_wins (void)
{
  const char *envp[] = { "HOME=/nonexistent", "STOMPY_API_URL=http://127.0.0.1:9/v1/", NULL };
  g_autofree char *url = stompy_api_resolve_base_url (envp, "https://setting.example/v1");

  g_assert_cmpstr (url, ==, "http://127.0.0.1:9/v1");
}

static void
test_resolve_empty_env_is_unset (void)
{
  const char *envp[] = { "STOMPY_API_URL=", NULL };
  const char *no_env[] = { NULL };
  g_autofree char *from_setting = stompy_api_resolve_base_url (envp, "https://setting.example/v1/");
  g_autofree char *from_default = stompy_api_resolve_base_url (no_env, "");
  g_autofree char *from_null = stompy_api_resolve_base_url (no_env, NULL);

  g_assert_cmpstr (from_setting, ==, "https://setting.example/v1");
  g_assert_cmpstr (from_default, ==, STOMPY_API_DEFAULT_URL);
  g_assert_cmpstr (from_null, ==, STOMPY_API_DEFAULT_URL);
}

static void
test_resolve_strips_one_slash (void)
{
  const char *no_env[] = { NULL };
  g_autofree char *url = stompy_api_resolve_base_url (no_env, "https://a.example/v1//");

  g_assert_cmpstr (url, ==, "https://a.example/v1/");
}

static void
test_plain_http_to_remote_is_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyApiClient) client = NULL;

  client = stompy_api_client_new (NULL, "http://example.com/v1", &error);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT);
  g_assert_null (client);
  g_clear_error (&error);

  client = stompy_api_client_new (NULL, "not a url", &error);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
  g_assert_null (client);
}

static void
test_https_and_loopback_are_accepted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyApiClient) remote = NULL;
  g_autoptr(StompyApiClient) loopback = NULL;

  remote = stompy_api_client_new (NULL, "https://api.stompy.io/v1/", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_api_client_get_base_url (remote), ==, "https://api.stompy.io/v1");

  loopback = stompy_api_client_new (NULL, "http://localhost:8080/v1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (loopback);
}

static void
test_not_signed_in_sends_nothing (void)
{
  g_autoptr(StompyApiClient) client = client_new_for ("http://127.0.0.1:9/v1");
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  /* Port 9 (discard) is never contacted: the client knows it has no token. */
  accounts = list_accounts (client, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_TOKEN_INVALID);
  g_assert_true (stompy_api_error_is_auth_expired (error));
  g_assert_null (accounts);
}

/* ------------------------------------------------------------------ in-process server */

typedef struct
{
  SoupServer *server;
  char       *url;        /* base URL, with /v1 */
  guint       requests;
  /* What the next answers are: one entry per request, the last one repeats. */
  GPtrArray  *statuses;   /* of GUINT_TO_POINTER */
  GPtrArray  *bodies;     /* of char*, NULL = no body */
  const char *content_type;
  guint       retry_after;
  gsize       huge_body;  /* > 0: answer this many bytes of "x" instead */
  gboolean    chunked;    /* with huge_body: no Content-Length */
  /* What the requests carried. */
  GPtrArray  *idempotency_keys;
  GPtrArray  *authorizations;
  GPtrArray  *languages;
  GPtrArray  *user_agents;
  GPtrArray  *content_types;
  GPtrArray  *methods;
} Fixture;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  guint index = MIN (fixture->requests, fixture->statuses->len - 1);
  const char *body = g_ptr_array_index (fixture->bodies, index);

  fixture->requests++;
  g_ptr_array_add (fixture->methods, g_strdup (soup_server_message_get_method (msg)));
  g_ptr_array_add (fixture->idempotency_keys,
                   g_strdup (soup_message_headers_get_one (request_headers, "Idempotency-Key")));
  g_ptr_array_add (fixture->authorizations,
                   g_strdup (soup_message_headers_get_one (request_headers, "Authorization")));
  g_ptr_array_add (fixture->languages,
                   g_strdup (soup_message_headers_get_one (request_headers, "Accept-Language")));
  g_ptr_array_add (fixture->user_agents,
                   g_strdup (soup_message_headers_get_one (request_headers, "User-Agent")));
  g_ptr_array_add (fixture->content_types,
                   g_strdup (soup_message_headers_get_one (request_headers, "Content-Type")));

  soup_server_message_set_status (msg, GPOINTER_TO_UINT (g_ptr_array_index (fixture->statuses, index)),
                                  NULL);
  if (fixture->retry_after > 0)
    {
      g_autofree char *value = g_strdup_printf ("%u", fixture->retry_after);
      soup_message_headers_replace (response_headers, "Retry-After", value);
    }

  if (fixture->huge_body > 0)
    {
      char *data = g_malloc (fixture->huge_body);

      memset (data, 'x', fixture->huge_body);
      if (fixture->chunked)
        soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                        data, fixture->huge_body);
    }
  else if (body != NULL)
    soup_server_message_set_response (msg, fixture->content_type, SOUP_MEMORY_COPY,
                                      body, strlen (body));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *root = NULL;

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, server_cb, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  g_assert_nonnull (uris);
  root = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fixture->url = g_strconcat (root, g_str_has_suffix (root, "/") ? "v1" : "/v1", NULL);

  fixture->statuses = g_ptr_array_new ();
  fixture->bodies = g_ptr_array_new_with_free_func (g_free);
  fixture->content_type = "application/json";
  fixture->idempotency_keys = g_ptr_array_new_with_free_func (g_free);
  fixture->authorizations = g_ptr_array_new_with_free_func (g_free);
  fixture->languages = g_ptr_array_new_with_free_func (g_free);
  fixture->user_agents = g_ptr_array_new_with_free_func (g_free);
  fixture->content_types = g_ptr_array_new_with_free_func (g_free);
  fixture->methods = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_free (fixture->url);
  g_ptr_array_unref (fixture->statuses);
  g_ptr_array_unref (fixture->bodies);
  g_ptr_array_unref (fixture->idempotency_keys);
  g_ptr_array_unref (fixture->authorizations);
  g_ptr_array_unref (fixture->languages);
  g_ptr_array_unref (fixture->user_agents);
  g_ptr_array_unref (fixture->content_types);
  g_ptr_array_unref (fixture->methods);
}

static void
fixture_answer (Fixture    *fixture,
                guint       status,
                const char *body)
{
  g_ptr_array_add (fixture->statuses, GUINT_TO_POINTER (status));
  g_ptr_array_add (fixture->bodies, g_strdup (body));
}

#define SESSION_BODY \
  "{\"token\": \"stp_abc\", \"expires_at\": \"2026-12-26T03:00:00Z\", " \
  "\"user\": {\"email\": \"ops@example.com\", \"name\": \"Li Wei\"}, " \
  "\"organization\": {\"id\": \"org_123\", \"name\": \"Example Ltd\"}}"

/* Sends GET /aws/accounts with a token and returns the error it ends with. */
static GError *
list_error (Fixture *fixture)
{
  g_autoptr(StompyApiClient) client = client_new_for (fixture->url);
  g_autoptr(GPtrArray) accounts = NULL;
  GError *error = NULL;

  stompy_api_client_set_token (client, "stp_test");
  accounts = list_accounts (client, &error);
  g_assert_null (accounts);
  g_assert_nonnull (error);

  return error;
}

static void
test_error_body_parsed (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 422,
                  "{\"error\": {\"code\": \"validation_failed\", \"message\": \"Some fields are not valid.\", "
                  "\"request_id\": \"req_42\", \"details\": {\"fields\": {\"account_id\": \"Must be 12 digits.\"}}}}");
  error = list_error (fixture);

  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (stompy_api_error_get_code_string (error), ==, "validation_failed");
  g_assert_cmpstr (stompy_api_error_get_message (error), ==, "Some fields are not valid.");
  g_assert_cmpstr (stompy_api_error_get_request_id (error), ==, "req_42");
  g_assert_cmpuint (stompy_api_error_get_http_status (error), ==, 422);
  g_assert_cmpstr (stompy_api_error_get_field_message (error, "account_id"), ==, "Must be 12 digits.");
  g_assert_cmpuint (fixture->requests, ==, 1);
}

static void
test_error_conflict_names_organization (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 409,
                  "{\"error\": {\"code\": \"account_already_connected\", \"message\": \"m\", "
                  "\"request_id\": \"req_1\", \"details\": {\"organization_name\": \"Other Ltd\"}}}");
  error = list_error (fixture);

  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_ACCOUNT_ALREADY_CONNECTED);
  g_assert_cmpstr (stompy_api_error_get_organization_name (error), ==, "Other Ltd");
}

static void
test_error_without_error_object_is_malformed (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 400, "{\"message\": \"bad\"}");
  error = list_error (fixture);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE);
}

static void
test_error_with_wrong_types_is_malformed (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 403, "{\"error\": {\"code\": 403, \"message\": \"Forbidden\"}}");
  error = list_error (fixture);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE);
}

static void
test_error_with_wrong_optional_types_keeps_code (Fixture       *fixture,
                                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The code is what the UI acts on; a broken message, request id or
   * details object is dropped, not trusted. */
  fixture_answer (fixture, 403,
                  "{\"error\": {\"code\": \"forbidden\", \"message\": 7, \"request_id\": [], "
                  "\"details\": \"none\"}}");
  error = list_error (fixture);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_FORBIDDEN);
  g_assert_null (stompy_api_error_get_message (error));
  g_assert_null (stompy_api_error_get_request_id (error));
  g_assert_null (stompy_api_error_get_field_message (error, "x"));
}

static void
test_error_error_is_array (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 404, "[{\"error\": {\"code\": \"not_found\"}}]");
  error = list_error (fixture);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE);
}

static void
test_error_not_json_is_malformed (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->content_type = "text/html";
  fixture_answer (fixture, 401, "<html><body>Unauthorized</body></html>");
  error = list_error (fixture);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE);
}

static void
test_error_empty_body_is_malformed (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 403, NULL);
  error = list_error (fixture);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE);
}

static void
test_unknown_code_is_kept (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 418, "{\"error\": {\"code\": \"teapot\", \"message\": \"short and stout\"}}");
  error = list_error (fixture);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_UNKNOWN);
  g_assert_cmpstr (stompy_api_error_get_code_string (error), ==, "teapot");
}

static void
run_huge_body (Fixture  *fixture,
               gboolean  chunked)
{
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  fixture->huge_body = 8 * 1024 * 1024;
  fixture->chunked = chunked;
  fixture_answer (fixture, 200, NULL);
  error = list_error (fixture);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
}

static void
test_huge_body_is_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  run_huge_body (fixture, FALSE);
}

static void
test_huge_chunked_body_is_refused (Fixture       *fixture,
                                   gconstpointer  data)
{
  run_huge_body (fixture, TRUE);
}

static void
test_success_with_wrong_shape_is_malformed (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new_for (fixture->url);
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 201,
                  "{\"token\": 12, \"user\": {\"email\": \"ops@example.com\"}, "
                  "\"organization\": {\"id\": \"org_123\", \"name\": \"Example Ltd\"}}");
  session = sign_in (client, OPS_EMAIL, "pw", NULL, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE);
  g_assert_null (session);
  g_assert_null (stompy_api_client_get_token (client));
}

static void
test_success_with_bad_time_is_malformed (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new_for (fixture->url);
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 201,
                  "{\"token\": \"stp_x\", \"expires_at\": \"next tuesday\", "
                  "\"user\": {\"email\": \"ops@example.com\", \"name\": \"Li Wei\"}, "
                  "\"organization\": {\"id\": \"org_123\", \"name\": \"Example Ltd\"}}");
  session = sign_in (client, OPS_EMAIL, "pw", NULL, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE);
  g_assert_null (session);
}

static void
test_account_list_with_bad_check_is_malformed (Fixture       *fixture,
                                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 200,
                  "{\"accounts\": [{\"account_id\": \"123456789012\", \"status\": \"verifying\", "
                  "\"checks\": [{\"id\": \"assume_spotainer_role\", \"status\": null}]}]}");
  error = list_error (fixture);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE);
}

static void
test_account_status_parsed (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new_for (fixture->url);
  g_autoptr(StompyAccountStatus) status = NULL;
  g_autoptr(StompyAccountStatus) copy = NULL;
  g_autoptr(GError) error = NULL;
  StompyAccountCheck *check;

  fixture_answer (fixture, 200,
                  "{\"account_id\": \"123456789012\", \"status\": \"failed\", \"checks\": ["
                  "{\"id\": \"assume_analysaver_role\", \"status\": \"failed\", \"message\": \"no\"},"
                  "{\"id\": \"read_cur_bucket\", \"status\": \"pending\", \"message\": \"\"}]}");
  stompy_api_client_set_token (client, "stp_test");
  status = get_account (client, "123456789012", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->account_id, ==, "123456789012");
  g_assert_cmpstr (status->status, ==, "failed");
  g_assert_cmpuint (status->checks->len, ==, 2);
  check = g_ptr_array_index (status->checks, 0);
  g_assert_cmpstr (check->id, ==, "assume_analysaver_role");
  g_assert_cmpstr (check->message, ==, "no");
  g_assert_true (stompy_account_status_is_pending (status));

  copy = g_boxed_copy (STOMPY_TYPE_ACCOUNT_STATUS, status);
  g_assert_cmpuint (copy->checks->len, ==, 2);
  check = g_ptr_array_index (copy->checks, 1);
  g_assert_cmpstr (check->status, ==, "pending");
}

static void
test_headers_on_every_request (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new_for (fixture->url);
  g_autoptr(StompySession) session = NULL;
  g_autoptr(StompySession) copy = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 201, SESSION_BODY);
  fixture_answer (fixture, 200, "{\"accounts\": []}");
  stompy_api_client_set_language (client, "zh-CN");

  session = sign_in (client, OPS_EMAIL, "pw", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (session->token, ==, "stp_abc");
  g_assert_cmpstr (session->user_name, ==, "Li Wei");
  g_assert_cmpstr (session->organization_name, ==, "Example Ltd");
  g_assert_cmpint (g_date_time_get_year (session->expires_at), ==, 2026);
  g_assert_cmpstr (stompy_api_client_get_token (client), ==, "stp_abc");
  copy = g_boxed_copy (STOMPY_TYPE_SESSION, session);
  g_assert_cmpstr (copy->user_email, ==, "ops@example.com");

  accounts = list_accounts (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);

  g_assert_cmpuint (fixture->requests, ==, 2);
  /* POST /sessions: no token, a JSON body, an idempotency key. */
  g_assert_cmpstr (g_ptr_array_index (fixture->methods, 0), ==, "POST");
  g_assert_null (g_ptr_array_index (fixture->authorizations, 0));
  g_assert_cmpstr (g_ptr_array_index (fixture->content_types, 0), ==, "application/json");
  g_assert_true (g_uuid_string_is_valid (g_ptr_array_index (fixture->idempotency_keys, 0)));
  /* GET /aws/accounts: the token, no idempotency key. */
  g_assert_cmpstr (g_ptr_array_index (fixture->authorizations, 1), ==, "Bearer stp_abc");
  g_assert_null (g_ptr_array_index (fixture->idempotency_keys, 1));
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (fixture->languages, i), ==, "zh-CN");
      g_assert_true (g_str_has_prefix (g_ptr_array_index (fixture->user_agents, i), "stompy-connect/"));
    }
}

static void
test_same_idempotency_key_on_retry (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(StompyApiClient) client = client_new_for (fixture->url);
  g_autoptr(StompySession) first = NULL;
  g_autoptr(StompySession) second = NULL;
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 503,
                  "{\"error\": {\"code\": \"unavailable\", \"message\": \"later\"}}");
  fixture_answer (fixture, 500, "{\"error\": {\"code\": \"internal\", \"message\": \"oops\"}}");
  fixture_answer (fixture, 201, SESSION_BODY);

  first = sign_in (client, OPS_EMAIL, "pw", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->requests, ==, 3);
  g_assert_true (g_uuid_string_is_valid (g_ptr_array_index (fixture->idempotency_keys, 0)));
  g_assert_cmpstr (g_ptr_array_index (fixture->idempotency_keys, 0), ==,
                   g_ptr_array_index (fixture->idempotency_keys, 1));
  g_assert_cmpstr (g_ptr_array_index (fixture->idempotency_keys, 1), ==,
                   g_ptr_array_index (fixture->idempotency_keys, 2));

  /* Another call is another operation: a new key. */
  second = sign_in (client, OPS_EMAIL, "pw", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->requests, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (fixture->idempotency_keys, 3), !=,
                   g_ptr_array_index (fixture->idempotency_keys, 0));
}

static void
test_client_errors_are_not_retried (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_answer (fixture, 400, "{\"error\": {\"code\": \"bad_request\", \"message\": \"no\"}}");
  error = list_error (fixture);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_BAD_REQUEST);
  g_assert_cmpuint (fixture->requests, ==, 1);
}

static void
test_rate_limit_without_json_is_retried (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* A proxy's 429 with no JSON body is still a rate limit: wait and retry;
   * after the last attempt its body makes it a malformed answer. */
  fixture->content_type = "text/plain";
  fixture->retry_after = 1;
  fixture_answer (fixture, 429, "slow down");
  {
    g_autoptr(StompyApiClient) client = client_new_for (fixture->url);
    g_autoptr(GPtrArray) accounts = NULL;

    stompy_api_client_set_max_retry_after_ms (client, 10);
    stompy_api_client_set_token (client, "stp_test");
    accounts = list_accounts (client, &error);
  }
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE);
  g_assert_cmpuint (fixture->requests, ==, 3);
}

static GLogWriterOutput
log_everything_writer (GLogLevelFlags   log_level,
                       const GLogField *fields,
                       gsize            n_fields,
                       gpointer         user_data)
{
  g_autofree char *line = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);

  g_printerr ("%s\n", line);
  return G_LOG_WRITER_HANDLED;
}

static void
test_token_never_logged (Fixture       *fixture,
                         gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(StompyApiClient) client = NULL;
      g_autoptr(StompySession) session = NULL;
      g_autoptr(GPtrArray) accounts = NULL;
      g_autoptr(GError) error = NULL;

      /* Every message, debug included, to stderr for the parent to read. */
      g_log_set_writer_func (log_everything_writer, NULL, NULL);
      client = client_new_for (fixture->url);
      fixture_answer (fixture, 201, SESSION_BODY);
      fixture_answer (fixture, 200, "{\"accounts\": []}");
      session = sign_in (client, OPS_EMAIL, "hunter2-password", NULL, &error);
      g_assert_no_error (error);
      accounts = list_accounts (client, &error);
      g_assert_no_error (error);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The debug log shows the requests, never the password or the token. */
  g_test_trap_assert_stderr ("*POST /sessions*");
  g_test_trap_assert_stderr_unmatched ("*hunter2*");
  g_test_trap_assert_stderr_unmatched ("*stp_abc*");
  g_test_trap_assert_stdout_unmatched ("*hunter2*");
  g_test_trap_assert_stdout_unmatched ("*stp_abc*");
}

/* ------------------------------------------------------------------ emulator */

static void
test_emu_sign_in (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = sign_in (client, OPS_EMAIL, OPS_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (session->token, "stp_"));
  g_assert_nonnull (session->expires_at);
  g_assert_cmpstr (session->user_email, ==, OPS_EMAIL);
  g_assert_cmpstr (session->user_name, ==, "Li Wei");
  g_assert_cmpstr (session->organization_id, ==, "org_123");
  g_assert_cmpstr (session->organization_name, ==, "Example Ltd");
  g_assert_cmpstr (stompy_api_client_get_token (client), ==, session->token);
  g_assert_cmpint (count_requests ("stompy:POST /sessions"), ==, 1);
}

static void
test_emu_wrong_password (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = sign_in (client, OPS_EMAIL, "wrong password", NULL, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_INVALID_CREDENTIALS);
  g_assert_null (session);
  g_assert_cmpstr (stompy_api_error_get_message (error), ==, "Email or password is wrong.");
  g_assert_true (g_str_has_prefix (stompy_api_error_get_request_id (error), "req_"));
  g_assert_cmpuint (stompy_api_error_get_http_status (error), ==, 401);
  g_assert_false (stompy_api_error_is_auth_expired (error));
  g_assert_null (stompy_api_client_get_token (client));
  g_assert_cmpint (count_requests ("stompy:POST /sessions"), ==, 1);
}

static void
test_emu_chinese_message (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  stompy_api_client_set_language (client, "zh-CN");
  session = sign_in (client, OPS_EMAIL, "wrong password", NULL, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpstr (stompy_api_error_get_message (error), ==, "邮箱或密码错误。");
}

static void
test_emu_validation_failed (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = sign_in (client, "not-an-email", "pw", NULL, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (stompy_api_error_get_field_message (error, "email"), ==,
                   "Enter a valid email address.");
}

static void
test_emu_token_expired (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *reply;

  sign_in_ops (client);
  accounts = list_accounts (client, &error);
  g_assert_no_error (error);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  reply = stompy_test_emulator_control (emulator, "expire-tokens", "{}");
  json_node_unref (reply);

  accounts = list_accounts (client, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_TOKEN_EXPIRED);
  g_assert_true (stompy_api_error_is_auth_expired (error));
  g_assert_null (accounts);
  /* Not retried: an expired token stays expired. */
  g_assert_cmpint (count_requests ("stompy:GET /aws/accounts"), ==, 2);
}

static void
test_emu_onboarding_and_accounts (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompyOnboardingInfo) info = NULL;
  g_autoptr(StompyOnboardingInfo) copy = NULL;
  g_autoptr(StompyAccountStatus) connected = NULL;
  g_autoptr(StompyAccountStatus) status = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  sign_in_ops (client);

  info = get_onboarding (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->external_id, ==, "stp-ext-5b1e0c9a7d");
  g_assert_cmpstr (info->principal_account_id, ==, "111122223333");
  g_assert_cmpstr (info->recommended_region, ==, "ap-southeast-1");
  g_assert_nonnull (info->analysaver.url);
  g_assert_nonnull (info->spotainer.default_stack_name);
  copy = g_boxed_copy (STOMPY_TYPE_ONBOARDING_INFO, info);
  g_assert_cmpstr (copy->analysaver.version, ==, info->analysaver.version);

  accounts = list_accounts (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  connected = connect_account (client, SPOTAINER_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (connected->account_id, ==, "123456789012");
  g_assert_cmpuint (connected->checks->len, ==, 1);
  g_assert_true (stompy_account_status_is_pending (connected));

  status = get_account (client, "123456789012", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->account_id, ==, "123456789012");

  accounts = list_accounts (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_clear_pointer (&status, stompy_account_status_free);

  status = get_account (client, "999999999999", &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_NOT_FOUND);
  g_assert_null (status);
}

static void
test_emu_rate_limited_waits (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  add_fault ("stompy:POST /sessions", "rate_limited", 1, 1);
  started = g_get_monotonic_time ();
  session = sign_in (client, OPS_EMAIL, OPS_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  /* Retry-After: 1 was honoured, not the (zero) backoff. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 950 * 1000);
  g_assert_cmpint (count_requests ("stompy:POST /sessions"), ==, 2);
}

static void
test_emu_rate_limited_wait_is_capped (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  stompy_api_client_set_max_retry_after_ms (client, 100);
  add_fault ("stompy:POST /sessions", "rate_limited", 1, 60);
  started = g_get_monotonic_time ();
  session = sign_in (client, OPS_EMAIL, OPS_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (count_requests ("stompy:POST /sessions"), ==, 2);
}

static void
test_emu_rate_limited_gives_up (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  stompy_api_client_set_max_retry_after_ms (client, 10);
  add_fault ("stompy:POST /sessions", "rate_limited", 10, 7);
  session = sign_in (client, OPS_EMAIL, OPS_PASSWORD, NULL, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_RATE_LIMITED);
  g_assert_cmpuint (stompy_api_error_get_retry_after (error), ==, 7);
  g_assert_cmpint (count_requests ("stompy:POST /sessions"), ==, 3);
}

static void
test_emu_unavailable_then_success (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("stompy:POST /sessions", "http503", 1, 0);
  session = sign_in (client, OPS_EMAIL, OPS_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_cmpint (count_requests ("stompy:POST /sessions"), ==, 2);
}

static void
test_emu_internal_error_then_success (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompyOnboardingInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  sign_in_ops (client);
  add_fault ("stompy:GET /aws/onboarding", "http500", 2, 0);
  info = get_onboarding (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpint (count_requests ("stompy:GET /aws/onboarding"), ==, 3);
}

static void
test_emu_unavailable_three_times (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("stompy:POST /sessions", "http503", 5, 0);
  session = sign_in (client, OPS_EMAIL, OPS_PASSWORD, NULL, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_UNAVAILABLE);
  g_assert_null (session);
  g_assert_cmpuint (stompy_api_error_get_http_status (error), ==, 503);
  g_assert_nonnull (stompy_api_error_get_message (error));
  g_assert_cmpint (count_requests ("stompy:POST /sessions"), ==, 3);
}

static void
test_emu_reset_is_retried (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("stompy:POST /sessions", "reset", 1, 0);
  session = sign_in (client, OPS_EMAIL, OPS_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_cmpint (count_requests ("stompy:POST /sessions"), ==, 2);
}

static void
test_emu_reset_every_time_is_network_error (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("stompy:POST /sessions", "reset", 5, 0);
  session = sign_in (client, OPS_EMAIL, OPS_PASSWORD, NULL, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_NETWORK);
  g_assert_null (session);
  g_assert_cmpint (count_requests ("stompy:POST /sessions"), ==, 3);
}

static void
test_emu_malformed_body (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;

  add_fault ("stompy:POST /sessions", "malformed", 1, 0);
  session = sign_in (client, OPS_EMAIL, OPS_PASSWORD, NULL, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE);
  g_assert_null (session);
  g_assert_null (stompy_api_client_get_token (client));
  g_assert_cmpint (count_requests ("stompy:POST /sessions"), ==, 1);
}

static void
test_emu_idempotent_connect_creates_once (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(StompyAccountStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  sign_in_ops (client);
  /* The first POST connects the account, then its answer is cut off midway.
   * The retry must carry the same Idempotency-Key: the emulator then replays
   * the first answer (201, checks still pending). A retry with a new key
   * would instead get the current state of the existing connection, which
   * with the test emulator's zero verification delay is already settled. */
  add_fault ("stompy:POST /aws/accounts", "truncated", 1, 0);
  status = connect_account (client, SPOTAINER_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->account_id, ==, "123456789012");
  g_assert_cmpstr (status->status, ==, "verifying");
  g_assert_true (stompy_account_status_is_pending (status));
  g_assert_cmpint (count_requests ("stompy:POST /aws/accounts"), ==, 2);
  g_assert_cmpint (count_creations ("stompy:aws_account"), ==, 1);
}

static void
test_emu_sign_out_refuses_token (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  sign_in_ops (client);
  token = g_strdup (stompy_api_client_get_token (client));

  g_assert_true (sign_out (client, &error));
  g_assert_no_error (error);
  g_assert_null (stompy_api_client_get_token (client));

  stompy_api_client_set_token (client, token);
  accounts = list_accounts (client, &error);
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_TOKEN_INVALID);
  g_assert_true (stompy_api_error_is_auth_expired (error));
}

static void
test_emu_sign_out_forgets_token_on_failure (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(GError) error = NULL;

  sign_in_ops (client);
  add_fault ("stompy:DELETE /sessions/current", "http503", 5, 0);
  g_assert_false (sign_out (client, &error));
  g_assert_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_UNAVAILABLE);
  g_assert_null (stompy_api_client_get_token (client));
}

static void
test_emu_cancel_during_retry_wait (void)
{
  g_autoptr(StompyApiClient) client = emulator_client_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StompySession) session = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean answered = FALSE;
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_US;
  gint64 cancelled_at;

  /* The client would wait 30 s before trying again. */
  add_fault ("stompy:POST /sessions", "rate_limited", 1, 30);
  stompy_api_client_sign_in_async (client, OPS_EMAIL, OPS_PASSWORD, cancellable,
                                   stompy_test_store_result_cb, &slot);

  /* Once the 429 has been served, give the client a moment to read it and
   * start waiting; the test does not depend on that moment's length, only
   * on the cancel being honoured long before the 30 s. */
  while (count_requests ("stompy:POST /sessions") < 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
    }
  g_timeout_add (300, flag_cb, &answered);
  while (!answered)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (slot);

  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  result = stompy_test_take_result (&slot);
  session = stompy_api_client_sign_in_finish (client, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (session);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (count_requests ("stompy:POST /sessions"), ==, 1);
}

/* ------------------------------------------------------------------ main */

static void
add_fixture_test (const char *path,
                  void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/api/base-url/environment-wins", test_resolve_env_wins);
  g_test_add_func ("/api/base-url/empty-environment-is-unset", test_resolve_empty_env_is_unset);
  g_test_add_func ("/api/base-url/strips-one-slash", test_resolve_strips_one_slash);
  g_test_add_func ("/api/base-url/plain-http-to-remote-is-refused", test_plain_http_to_remote_is_refused);
  g_test_add_func ("/api/base-url/https-and-loopback-are-accepted", test_https_and_loopback_are_accepted);
  g_test_add_func ("/api/auth/not-signed-in-sends-nothing", test_not_signed_in_sends_nothing);

  add_fixture_test ("/api/errors/body-parsed", test_error_body_parsed);
  add_fixture_test ("/api/errors/conflict-names-organization", test_error_conflict_names_organization);
  add_fixture_test ("/api/errors/missing-error-object-is-malformed", test_error_without_error_object_is_malformed);
  add_fixture_test ("/api/errors/wrong-code-type-is-malformed", test_error_with_wrong_types_is_malformed);
  add_fixture_test ("/api/errors/wrong-optional-types-keep-code", test_error_with_wrong_optional_types_keeps_code);
  add_fixture_test ("/api/errors/array-body-is-malformed", test_error_error_is_array);
  add_fixture_test ("/api/errors/not-json-is-malformed", test_error_not_json_is_malformed);
  add_fixture_test ("/api/errors/empty-body-is-malformed", test_error_empty_body_is_malformed);
  add_fixture_test ("/api/errors/unknown-code-is-kept", test_unknown_code_is_kept);
  add_fixture_test ("/api/errors/client-errors-are-not-retried", test_client_errors_are_not_retried);
  add_fixture_test ("/api/errors/rate-limit-without-json-is-retried", test_rate_limit_without_json_is_retried);
  add_fixture_test ("/api/body/huge-body-is-refused", test_huge_body_is_refused);
  add_fixture_test ("/api/body/huge-chunked-body-is-refused", test_huge_chunked_body_is_refused);
  add_fixture_test ("/api/body/success-with-wrong-shape-is-malformed", test_success_with_wrong_shape_is_malformed);
  add_fixture_test ("/api/body/bad-timestamp-is-malformed", test_success_with_bad_time_is_malformed);
  add_fixture_test ("/api/body/account-list-with-bad-check-is-malformed", test_account_list_with_bad_check_is_malformed);
  add_fixture_test ("/api/body/account-status-parsed", test_account_status_parsed);
  add_fixture_test ("/api/headers/on-every-request", test_headers_on_every_request);
  add_fixture_test ("/api/headers/same-idempotency-key-on-retry", test_same_idempotency_key_on_retry);
  add_fixture_test ("/api/logs/never-show-password-or-token", test_token_never_logged);

  g_test_add_func ("/api/emulator/sign-in", test_emu_sign_in);
  g_test_add_func ("/api/emulator/wrong-password", test_emu_wrong_password);
  g_test_add_func ("/api/emulator/message-in-chinese", test_emu_chinese_message);
  g_test_add_func ("/api/emulator/validation-failed-names-field", test_emu_validation_failed);
  g_test_add_func ("/api/emulator/token-expired", test_emu_token_expired);
  g_test_add_func ("/api/emulator/onboarding-and-accounts", test_emu_onboarding_and_accounts);
  g_test_add_func ("/api/emulator/rate-limited-waits-retry-after", test_emu_rate_limited_waits);
  g_test_add_func ("/api/emulator/rate-limited-wait-is-capped", test_emu_rate_limited_wait_is_capped);
  g_test_add_func ("/api/emulator/rate-limited-gives-up-after-three", test_emu_rate_limited_gives_up);
  g_test_add_func ("/api/emulator/unavailable-then-success", test_emu_unavailable_then_success);
  g_test_add_func ("/api/emulator/internal-error-then-success", test_emu_internal_error_then_success);
  g_test_add_func ("/api/emulator/unavailable-three-times-is-error", test_emu_unavailable_three_times);
  g_test_add_func ("/api/emulator/reset-is-retried", test_emu_reset_is_retried);
  g_test_add_func ("/api/emulator/reset-every-time-is-network-error", test_emu_reset_every_time_is_network_error);
  g_test_add_func ("/api/emulator/malformed-body", test_emu_malformed_body);
  g_test_add_func ("/api/emulator/retried-connect-replays-same-idempotency-key", test_emu_idempotent_connect_creates_once);
  g_test_add_func ("/api/emulator/signed-out-token-is-refused", test_emu_sign_out_refuses_token);
  g_test_add_func ("/api/emulator/sign-out-forgets-token-on-failure", test_emu_sign_out_forgets_token_on_failure);
  g_test_add_func ("/api/emulator/cancel-during-retry-wait", test_emu_cancel_during_retry_wait);

  /* Subprocesses (the log test) run one fixture test only: no emulator. */
  if (!g_test_subprocess ())
    emulator = stompy_test_emulator_start ();

  status = g_test_run ();

  g_clear_pointer (&emulator, stompy_test_emulator_stop);

  return status;
}
