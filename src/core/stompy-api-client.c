/* stompy-api-client.c — the Stompy service API (stompy-api.md), v1
 *
 * Every call goes through one small state machine (a "call"): build the
 * message, send it, read the body (bounded), then either hand the parsed JSON
 * to the call's parser, or decide whether to wait and try again. The
 * Idempotency-Key and the token are fixed when the call starts so that every
 * retry of a mutating call is the same request to the service.
 */
#include "config.h"

#include <string.h>

#include "stompy-api-client.h"
#include "stompy-error.h"
#include "stompy-json-member.h"
#include "stompy-http.h"

/* The documented bodies are a few kilobytes; anything far larger is not the
 * service talking, and is refused rather than buffered. */
#define MAX_BODY_BYTES            (1024 * 1024)
#define READ_CHUNK_BYTES          (64 * 1024)
#define DEFAULT_MAX_RETRY_AFTER_MS 60000

/* ------------------------------------------------------------------ helpers */

static void
wipe_string (char *str)
{
  if (str != NULL)
    {
      explicit_bzero (str, strlen (str));
      g_free (str);
    }
}

static GError *
malformed_error (const char *method,
                 const char *path,
                 guint       status,
                 const char *what)
{
  return g_error_new (STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE,
                      "Unexpected answer to %s %s (HTTP %u): %s", method, path, status, what);
}

/* A member that must be there: a non-empty string. */
static gboolean
require_string (JsonObject  *object,
                const char  *name,
                char       **out,
                const char **missing)
{
  const char *value = stompy_json_member_string (object, name);

  if (value == NULL || *value == '\0')
    {
      if (*missing == NULL)
        *missing = name;
      return FALSE;
    }

  *out = g_strdup (value);
  return TRUE;
}

/* ------------------------------------------------------------------ boxed types */

StompySession *
stompy_session_copy (const StompySession *self)
{
  StompySession *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompySession, 1);
  copy->token = g_strdup (self->token);
  copy->expires_at = self->expires_at ? g_date_time_ref (self->expires_at) : NULL;
  copy->user_email = g_strdup (self->user_email);
  copy->user_name = g_strdup (self->user_name);
  copy->organization_id = g_strdup (self->organization_id);
  copy->organization_name = g_strdup (self->organization_name);

  return copy;
}

void
stompy_session_free (StompySession *self)
{
  if (self == NULL)
    return;

  wipe_string (self->token);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_free (self->user_email);
  g_free (self->user_name);
  g_free (self->organization_id);
  g_free (self->organization_name);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (StompySession, stompy_session, stompy_session_copy, stompy_session_free)

static void
template_info_copy (const StompyTemplateInfo *src,
                    StompyTemplateInfo       *dest)
{
  dest->url = g_strdup (src->url);
  dest->version = g_strdup (src->version);
  dest->default_stack_name = g_strdup (src->default_stack_name);
}

static void
template_info_clear (StompyTemplateInfo *info)
{
  g_clear_pointer (&info->url, g_free);
  g_clear_pointer (&info->version, g_free);
  g_clear_pointer (&info->default_stack_name, g_free);
}

StompyOnboardingInfo *
stompy_onboarding_info_copy (const StompyOnboardingInfo *self)
{
  StompyOnboardingInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyOnboardingInfo, 1);
  copy->external_id = g_strdup (self->external_id);
  copy->principal_account_id = g_strdup (self->principal_account_id);
  copy->recommended_region = g_strdup (self->recommended_region);
  template_info_copy (&self->analysaver, &copy->analysaver);
  template_info_copy (&self->spotainer, &copy->spotainer);

  return copy;
}

void
stompy_onboarding_info_free (StompyOnboardingInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->external_id);
  g_free (self->principal_account_id);
  g_free (self->recommended_region);
  template_info_clear (&self->analysaver);
  template_info_clear (&self->spotainer);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (StompyOnboardingInfo, stompy_onboarding_info,
                     stompy_onboarding_info_copy, stompy_onboarding_info_free)

static void
account_check_free (StompyAccountCheck *check)
{
  if (check == NULL)
    return;

  g_free (check->id);
  g_free (check->status);
  g_free (check->message);
  g_free (check);
}

static StompyAccountCheck *
account_check_copy (const StompyAccountCheck *check)
{
  StompyAccountCheck *copy = g_new0 (StompyAccountCheck, 1);

  copy->id = g_strdup (check->id);
  copy->status = g_strdup (check->status);
  copy->message = g_strdup (check->message);

  return copy;
}

StompyAccountStatus *
stompy_account_status_copy (const StompyAccountStatus *self)
{
  StompyAccountStatus *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyAccountStatus, 1);
  copy->account_id = g_strdup (self->account_id);
  copy->status = g_strdup (self->status);
  copy->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) account_check_free);
  if (self->checks != NULL)
    for (guint i = 0; i < self->checks->len; i++)
      g_ptr_array_add (copy->checks, account_check_copy (g_ptr_array_index (self->checks, i)));

  return copy;
}

void
stompy_account_status_free (StompyAccountStatus *self)
{
  if (self == NULL)
    return;

  g_free (self->account_id);
  g_free (self->status);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (StompyAccountStatus, stompy_account_status,
                     stompy_account_status_copy, stompy_account_status_free)

gboolean
stompy_account_status_is_pending (const StompyAccountStatus *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->checks == NULL)
    return FALSE;

  for (guint i = 0; i < self->checks->len; i++)
    {
      const StompyAccountCheck *check = g_ptr_array_index (self->checks, i);

      if (g_strcmp0 (check->status, "pending") == 0)
        return TRUE;
    }

  return FALSE;
}

/* ------------------------------------------------------------------ parsers */

typedef gpointer (*ParseFunc) (JsonNode  *root,
                               GError   **error);

static gpointer
parse_session (JsonNode  *root,
               GError   **error)
{
  g_autoptr(StompySession) session = g_new0 (StompySession, 1);
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *user = stompy_json_member_object (object, "user");
  JsonObject *organization = stompy_json_member_object (object, "organization");
  const char *missing = NULL;
  const char *expires_at;
  JsonNode *expires_node;

  require_string (object, "token", &session->token, &missing);
  require_string (user, "email", &session->user_email, &missing);
  require_string (organization, "id", &session->organization_id, &missing);
  session->user_name = g_strdup (stompy_json_member_string (user, "name"));
  session->organization_name = g_strdup (stompy_json_member_string (organization, "name"));

  if (missing != NULL)
    {
      g_set_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE,
                   "The session has no “%s”", missing);
      return NULL;
    }

  /* expires_at may be absent or null; when present it must be RFC 3339. */
  expires_node = object ? json_object_get_member (object, "expires_at") : NULL;
  if (expires_node != NULL && !JSON_NODE_HOLDS_NULL (expires_node))
    {
      expires_at = stompy_json_member_string (object, "expires_at");
      if (expires_at == NULL ||
          (session->expires_at = g_date_time_new_from_iso8601 (expires_at, NULL)) == NULL)
        {
          g_set_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE,
                       "The session's “expires_at” is not an RFC 3339 time");
          return NULL;
        }
    }

  return g_steal_pointer (&session);
}

static gboolean
parse_template (JsonObject          *templates,
                const char          *name,
                StompyTemplateInfo  *info,
                GError             **error)
{
  JsonObject *object = stompy_json_member_object (templates, name);
  const char *missing = NULL;

  require_string (object, "url", &info->url, &missing);
  require_string (object, "version", &info->version, &missing);
  require_string (object, "default_stack_name", &info->default_stack_name, &missing);

  if (missing != NULL)
    {
      g_set_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE,
                   "The “%s” template has no “%s”", name, missing);
      return FALSE;
    }

  return TRUE;
}

static gpointer
parse_onboarding (JsonNode  *root,
                  GError   **error)
{
  g_autoptr(StompyOnboardingInfo) info = g_new0 (StompyOnboardingInfo, 1);
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *templates = stompy_json_member_object (object, "templates");
  const char *missing = NULL;

  require_string (object, "external_id", &info->external_id, &missing);
  require_string (object, "principal_account_id", &info->principal_account_id, &missing);
  require_string (object, "recommended_region", &info->recommended_region, &missing);

  if (missing != NULL)
    {
      g_set_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE,
                   "The onboarding information has no “%s”", missing);
      return NULL;
    }

  if (!parse_template (templates, "analysaver", &info->analysaver, error) ||
      !parse_template (templates, "spotainer", &info->spotainer, error))
    return NULL;

  return g_steal_pointer (&info);
}

static StompyAccountStatus *
account_status_from_object (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(StompyAccountStatus) status = g_new0 (StompyAccountStatus, 1);
  JsonArray *checks = stompy_json_member_array (object, "checks");
  const char *missing = NULL;

  require_string (object, "account_id", &status->account_id, &missing);
  require_string (object, "status", &status->status, &missing);
  if (missing == NULL && checks == NULL)
    missing = "checks";

  if (missing != NULL)
    {
      g_set_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE,
                   "The account status has no “%s”", missing);
      return NULL;
    }

  status->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) account_check_free);
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonNode *node = json_array_get_element (checks, i);
      JsonObject *check_object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      StompyAccountCheck *check;
      const char *message;

      check = g_new0 (StompyAccountCheck, 1);
      g_ptr_array_add (status->checks, check);
      require_string (check_object, "id", &check->id, &missing);
      require_string (check_object, "status", &check->status, &missing);
      if (missing != NULL)
        {
          g_set_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE,
                       "Check %u of the account status has no “%s”", i, missing);
          return NULL;
        }

      /* The message is "" when there is nothing to say; tolerate null too. */
      message = stompy_json_member_string (check_object, "message");
      check->message = g_strdup (message ? message : "");
    }

  return g_steal_pointer (&status);
}

static gpointer
parse_account_status (JsonNode  *root,
                      GError   **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE,
                   "The account status is not a JSON object");
      return NULL;
    }

  return account_status_from_object (json_node_get_object (root), error);
}

static gpointer
parse_account_list (JsonNode  *root,
                    GError   **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonArray *array = stompy_json_member_array (object, "accounts");

  if (array == NULL)
    {
      g_set_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE,
                   "The account list has no “accounts” array");
      return NULL;
    }

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) stompy_account_status_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      StompyAccountStatus *status;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, STOMPY_API_ERROR, STOMPY_API_ERROR_MALFORMED_RESPONSE,
                       "Account %u of the list is not a JSON object", i);
          return NULL;
        }

      status = account_status_from_object (json_node_get_object (node), error);
      if (status == NULL)
        return NULL;
      g_ptr_array_add (accounts, status);
    }

  return g_steal_pointer (&accounts);
}

/* The documented error body, or MALFORMED_RESPONSE when the body is not it. */
static GError *
error_from_body (const char *method,
                 const char *path,
                 guint       status,
                 JsonNode   *root,
                 guint       retry_after)
{
  JsonObject *object = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *error_object = stompy_json_member_object (object, "error");
  JsonObject *details = stompy_json_member_object (error_object, "details");
  const char *code = stompy_json_member_string (error_object, "code");
  const char *message = stompy_json_member_string (error_object, "message");
  const char *request_id = stompy_json_member_string (error_object, "request_id");

  if (code == NULL || *code == '\0')
    return malformed_error (method, path, status, "the error body has no error code");

  /* A request id or message of the wrong type is dropped rather than trusted. */
  return stompy_api_error_new (status, code, message,
                               request_id && *request_id ? request_id : NULL,
                               details, retry_after);
}

/* Only valid UTF-8 is JSON to us: json-glib would otherwise pass bad bytes on. */
static gboolean
load_json_body (JsonParser *parser,
                const char *data,
                gsize       length,
                GError    **error)
{
  if (length == 0 || length > G_MAXSSIZE || !g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "not UTF-8 JSON");
      return FALSE;
    }

  return json_parser_load_from_data (parser, data, (gssize) length, error)
         && json_parser_get_root (parser) != NULL;
}

gpointer
stompy_api_parse_body (StompyApiBodyKind   kind,
                       guint               status,
                       const char         *body,
                       gsize               length,
                       GError            **error)
{
  static const ParseFunc parsers[] = {
    [STOMPY_API_BODY_SESSION] = parse_session,
    [STOMPY_API_BODY_ONBOARDING] = parse_onboarding,
    [STOMPY_API_BODY_ACCOUNT_STATUS] = parse_account_status,
    [STOMPY_API_BODY_ACCOUNT_LIST] = parse_account_list,
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  gboolean have_json;

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (parsers), NULL);
  g_return_val_if_fail (body != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  have_json = load_json_body (parser, body, length, NULL);
  if (status >= 400)
    {
      g_propagate_error (error, have_json
                                ? error_from_body ("GET", "/", status, json_parser_get_root (parser), 0)
                                : malformed_error ("GET", "/", status, "the error body is not JSON"));
      return NULL;
    }
  if (!have_json)
    {
      g_propagate_error (error, malformed_error ("GET", "/", status, "the body is not JSON"));
      return NULL;
    }

  return parsers[kind] (json_parser_get_root (parser), error);
}

/* ------------------------------------------------------------------ client */

struct _StompyApiClient
{
  GObject            parent_instance;

  SoupSession       *session;
  char              *base_url;
  char              *token;
  char              *language;
  StompyRetryPolicy *retry_policy;
  guint              max_retry_after_ms;
};

G_DEFINE_FINAL_TYPE (StompyApiClient, stompy_api_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SIGNED_IN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
stompy_api_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StompyApiClient *self = STOMPY_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->token != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_api_client_finalize (GObject *object)
{
  StompyApiClient *self = STOMPY_API_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, wipe_string);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->retry_policy, stompy_retry_policy_unref);

  G_OBJECT_CLASS (stompy_api_client_parent_class)->finalize (object);
}

static void
stompy_api_client_class_init (StompyApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stompy_api_client_finalize;
  object_class->get_property = stompy_api_client_get_property;

  /* Whether a token is held — never the token itself, which is a secret. Parts
   * of the UI that need Stompy wait on it, e.g. while a stored token comes
   * back from the keyring at start. */
  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stompy_api_client_init (StompyApiClient *self)
{
  self->retry_policy = stompy_retry_policy_new (STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS);
  self->max_retry_after_ms = DEFAULT_MAX_RETRY_AFTER_MS;
}

static char *
strip_trailing_slash (const char *url)
{
  gsize len = strlen (url);

  if (len > 0 && url[len - 1] == '/')
    return g_strndup (url, len - 1);

  return g_strdup (url);
}

char *
stompy_api_resolve_base_url (const char * const *envp,
                             const char         *setting)
{
  const char *env_value;

  if (envp != NULL)
    env_value = g_environ_getenv ((char **) envp, "STOMPY_API_URL");
  else
    env_value = g_getenv ("STOMPY_API_URL");

  /* Empty variables count as unset, so a blank STOMPY_API_URL= does not
   * silently point the app nowhere. */
  if (env_value != NULL && *env_value != '\0')
    return strip_trailing_slash (env_value);

  if (setting != NULL && *setting != '\0')
    return strip_trailing_slash (setting);

  return g_strdup (STOMPY_API_DEFAULT_URL);
}

StompyApiClient *
stompy_api_client_new (SoupSession  *session,
                       const char   *base_url,
                       GError      **error)
{
  g_autoptr(StompyApiClient) self = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!stompy_http_check_endpoint (base_url, error))
    return NULL;

  /* Paths are appended to the base, so a query or fragment would end up in
   * the middle of every request URL. */
  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "“%s” is not a usable Stompy API URL (no query, fragment or user info)",
                   base_url);
      return NULL;
    }

  self = g_object_new (STOMPY_TYPE_API_CLIENT, NULL);
  self->session = session ? g_object_ref (session) : stompy_http_session_new ();
  self->base_url = strip_trailing_slash (base_url);

  return g_steal_pointer (&self);
}

const char *
stompy_api_client_get_base_url (StompyApiClient *self)
{
  g_return_val_if_fail (STOMPY_IS_API_CLIENT (self), NULL);

  return self->base_url;
}

void
stompy_api_client_set_token (StompyApiClient *self,
                             const char      *token)
{
  gboolean was_signed_in;

  g_return_if_fail (STOMPY_IS_API_CLIENT (self));

  if (self->token == token)
    return;

  was_signed_in = self->token != NULL;
  g_clear_pointer (&self->token, wipe_string);
  if (token != NULL && *token != '\0')
    self->token = g_strdup (token);

  if (was_signed_in != (self->token != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

const char *
stompy_api_client_get_token (StompyApiClient *self)
{
  g_return_val_if_fail (STOMPY_IS_API_CLIENT (self), NULL);

  return self->token;
}

void
stompy_api_client_set_language (StompyApiClient *self,
                                const char      *language)
{
  g_return_if_fail (STOMPY_IS_API_CLIENT (self));

  g_free (self->language);
  self->language = language && *language ? g_strdup (language) : NULL;
}

void
stompy_api_client_set_retry_policy (StompyApiClient   *self,
                                    StompyRetryPolicy *policy)
{
  g_return_if_fail (STOMPY_IS_API_CLIENT (self));
  g_return_if_fail (policy != NULL);

  stompy_retry_policy_ref (policy);
  g_clear_pointer (&self->retry_policy, stompy_retry_policy_unref);
  self->retry_policy = policy;
}

void
stompy_api_client_set_max_retry_after_ms (StompyApiClient *self,
                                          guint            max_ms)
{
  g_return_if_fail (STOMPY_IS_API_CLIENT (self));

  self->max_retry_after_ms = max_ms;
}

/* ------------------------------------------------------------------ calls */

typedef enum
{
  RESULT_POINTER,  /* the parser's result, for _finish to propagate */
  RESULT_BOOLEAN,  /* any 2xx is TRUE; the body is ignored */
} ResultKind;

typedef struct
{
  const char        *method;         /* SOUP_METHOD_*, static */
  char              *path;
  GBytes            *body;           /* NULL for GET and DELETE */
  char              *token;          /* wiped; NULL for POST /sessions */
  char              *idempotency_key;
  char              *language;
  StompyRetryPolicy *retry_policy;
  guint              max_retry_after_ms;
  ParseFunc          parse;
  GDestroyNotify     result_free;
  ResultKind         result_kind;
  gboolean           keep_token;     /* sign in: the client keeps the new token */

  GCancellable      *task_cancellable;
  GCancellable      *io_cancellable; /* the caller's, plus "give up on this body" */
  gulong             cancelled_id;

  guint              attempt;        /* 1-based, of the attempt in flight or done */
  guint              retried_cost;
  SoupMessage       *message;
  GInputStream      *stream;
  GByteArray        *buffer;
  GSource           *wait_source;
  GSource           *cancel_source;
} Call;

static void
call_clear_wait (Call *call)
{
  if (call->wait_source != NULL)
    {
      g_source_destroy (call->wait_source);
      g_clear_pointer (&call->wait_source, g_source_unref);
    }
  if (call->cancel_source != NULL)
    {
      g_source_destroy (call->cancel_source);
      g_clear_pointer (&call->cancel_source, g_source_unref);
    }
}

/* libsoup closes an unread body synchronously by reading the rest of it,
 * which for a hostile body could be forever: cancel the I/O first, so the
 * connection is dropped instead. */
static void
call_abandon_stream (Call *call)
{
  if (call->stream == NULL)
    return;

  g_cancellable_cancel (call->io_cancellable);
  g_input_stream_close_async (call->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&call->stream);
}

static void
call_free (Call *call)
{
  call_clear_wait (call);
  call_abandon_stream (call);
  if (call->cancelled_id != 0)
    g_cancellable_disconnect (call->task_cancellable, call->cancelled_id);
  g_clear_object (&call->task_cancellable);
  g_clear_object (&call->io_cancellable);
  g_free (call->path);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->token, wipe_string);
  g_free (call->idempotency_key);
  g_free (call->language);
  g_clear_pointer (&call->retry_policy, stompy_retry_policy_unref);
  g_clear_object (&call->message);
  g_clear_object (&call->stream);
  g_clear_pointer (&call->buffer, g_byte_array_unref);
  g_free (call);
}

static void send_attempt (GTask *task);

/* The sign-in body holds the password: wipe it when libsoup is done with it. */
static GBytes *
bytes_new_wiped_on_free (char *data,
                         gsize length)
{
  return g_bytes_new_with_free_func (data, length, (GDestroyNotify) wipe_string, data);
}

static GBytes *
serialize_body (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &length);

  return bytes_new_wiped_on_free (data, length);
}

static void
io_cancel_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* A task for one call; the caller may adjust its Call, then call_start() it. */
static GTask *
call_new (StompyApiClient     *self,
          const char          *method,
          const char          *path,
          JsonNode            *body,
          ParseFunc            parse,
          GDestroyNotify       result_free,
          ResultKind           result_kind,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task;
  Call *call;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  call = g_new0 (Call, 1);
  call->method = method;
  call->path = g_strdup (path);
  call->body = body ? serialize_body (body) : NULL;
  call->language = g_strdup (self->language ? self->language : stompy_http_accept_language ());
  call->retry_policy = stompy_retry_policy_ref (self->retry_policy);
  call->max_retry_after_ms = self->max_retry_after_ms;
  call->parse = parse;
  call->result_free = result_free;
  call->result_kind = result_kind;
  call->io_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      call->task_cancellable = g_object_ref (cancellable);
      call->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (io_cancel_cb),
                                                  g_object_ref (call->io_cancellable),
                                                  g_object_unref);
    }
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  /* One key for the whole call, so that the service recognises a retry of a
   * POST or DELETE it has already acted on and does not act twice. */
  if (g_str_equal (method, SOUP_METHOD_POST) || g_str_equal (method, SOUP_METHOD_DELETE))
    call->idempotency_key = g_uuid_string_random ();

  return task;
}

/* Takes the task. Every call but sign-in carries the token current now. */
static void
call_start (GTask    *task,
            gboolean  authenticated)
{
  g_autoptr(GTask) owned = task;
  StompyApiClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);

  if (authenticated)
    {
      if (self->token == NULL)
        {
          g_task_return_error (task, stompy_api_error_new (401, "token_invalid",
                                                           "Not signed in to Stompy",
                                                           NULL, NULL, 0));
          return;
        }
      call->token = g_strdup (self->token);
    }

  send_attempt (task);
}

static void
finish_with_error (GTask  *task,
                   GError *error)
{
  Call *call = g_task_get_task_data (task);

  call_clear_wait (call);
  g_task_return_error (task, error);
}

static void
wait_then_retry (GTask *task,
                 guint  delay_ms);

/* Decides, after attempt call->attempt failed with @kind, whether to go again;
 * returns FALSE when the caller must report @error. */
static gboolean
maybe_retry (GTask           *task,
             StompyRetryKind  kind,
             guint            retry_after_seconds)
{
  Call *call = g_task_get_task_data (task);
  guint delay_ms;

  if (!stompy_retry_policy_should_retry (call->retry_policy, call->attempt, kind))
    return FALSE;

  call->retried_cost += kind == STOMPY_RETRY_KIND_TIMEOUT ? STOMPY_RETRY_TIMEOUT_COST
                                                          : STOMPY_RETRY_COST;

  /* The service says how long to wait when it is rate limiting; trust it,
   * up to the cap, rather than our own backoff. */
  if (kind == STOMPY_RETRY_KIND_THROTTLE && retry_after_seconds > 0)
    delay_ms = (guint) MIN ((guint64) retry_after_seconds * 1000, (guint64) call->max_retry_after_ms);
  else
    delay_ms = stompy_retry_policy_backoff_ms (call->retry_policy, call->attempt);

  g_debug ("%s %s: attempt %u failed, retrying in %u ms",
           call->method, call->path, call->attempt, delay_ms);
  wait_then_retry (task, delay_ms);
  return TRUE;
}

static void
handle_response (GTask *task)
{
  StompyApiClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  guint status = soup_message_get_status (call->message);
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->message);
  guint retry_after = stompy_http_parse_retry_after (headers);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root = NULL;
  const char *request_id = NULL;
  gboolean have_json = FALSE;

  g_clear_object (&call->stream);

  if (load_json_body (parser, (const char *) call->buffer->data, call->buffer->len,
                      &parse_error))
    {
      root = json_parser_get_root (parser);
      have_json = TRUE;
    }

  if (have_json && status >= 400)
    {
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      request_id = stompy_json_member_string (stompy_json_member_object (object, "error"),
                                              "request_id");
    }
  if (request_id == NULL)
    request_id = soup_message_headers_get_one (headers, "X-Request-Id");

  /* Method, path, status and request id only: bodies may hold a password or
   * a token, and headers are not logged at all. */
  g_debug ("%s %s: HTTP %u, request id %s, attempt %u",
           call->method, call->path, status, request_id ? request_id : "(none)", call->attempt);

  if (status == 429 && maybe_retry (task, STOMPY_RETRY_KIND_THROTTLE, retry_after))
    return;

  if (status >= 500 && maybe_retry (task, STOMPY_RETRY_KIND_TRANSIENT, 0))
    return;

  if (status >= 400)
    {
      if (!have_json)
        {
          finish_with_error (task, malformed_error (call->method, call->path, status,
                                                    "the error body is not JSON"));
          return;
        }
      finish_with_error (task, error_from_body (call->method, call->path, status,
                                                root, retry_after));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      finish_with_error (task, malformed_error (call->method, call->path, status,
                                                "not a success status"));
      return;
    }

  stompy_retry_policy_record_success (call->retry_policy, call->retried_cost);

  if (call->result_kind == RESULT_BOOLEAN)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!have_json)
    {
      finish_with_error (task, malformed_error (call->method, call->path, status,
                                                "the body is not JSON"));
      return;
    }

  {
    GError *error = NULL;
    gpointer result = call->parse (root, &error);

    if (result == NULL)
      {
        g_prefix_error (&error, "%s %s: ", call->method, call->path);
        g_task_return_error (task, error);
        return;
      }

    if (call->keep_token)
      stompy_api_client_set_token (self, ((StompySession *) result)->token);

    g_task_return_pointer (task, result, call->result_free);
  }
}

static void
transport_failed (GTask  *task,
                  GError *error)
{
  Call *call = g_task_get_task_data (task);
  StompyRetryKind kind;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_with_error (task, error);
      return;
    }

  g_debug ("%s %s: no answer (%s), attempt %u",
           call->method, call->path, error->message, call->attempt);

  kind = stompy_retry_classify_aws (0, NULL, error);
  if (maybe_retry (task, kind, 0))
    {
      g_error_free (error);
      return;
    }

  finish_with_error (task, g_error_new (STOMPY_API_ERROR,
                                        stompy_http_error_is_certificate (error)
                                        ? STOMPY_API_ERROR_TLS_CERTIFICATE
                                        : STOMPY_API_ERROR_NETWORK,
                                        "Could not reach the Stompy service at %s: %s",
                                        call->path, error->message));
  g_error_free (error);
}

static void read_chunk (GTask *task);

static void
read_chunk_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      transport_failed (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      handle_response (task);
      return;
    }

  if (call->buffer->len + g_bytes_get_size (chunk) > MAX_BODY_BYTES)
    {
      guint status = soup_message_get_status (call->message);

      g_debug ("%s %s: HTTP %u with a body over %u bytes, refused",
               call->method, call->path, status, MAX_BODY_BYTES);
      call_abandon_stream (call);
      finish_with_error (task, malformed_error (call->method, call->path, status,
                                                "the body is too large"));
      return;
    }

  g_byte_array_append (call->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_chunk (g_steal_pointer (&task));
}

static void
read_chunk (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (call->stream, READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   call->io_cancellable, read_chunk_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  goffset length;

  call->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (call->stream == NULL)
    {
      transport_failed (task, error);
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (call->message));
  if (length > MAX_BODY_BYTES)
    {
      guint status = soup_message_get_status (call->message);

      g_debug ("%s %s: HTTP %u announcing %" G_GOFFSET_FORMAT " bytes, refused",
               call->method, call->path, status, length);
      call_abandon_stream (call);
      finish_with_error (task, malformed_error (call->method, call->path, status,
                                                "the body is too large"));
      return;
    }

  g_clear_pointer (&call->buffer, g_byte_array_unref);
  call->buffer = g_byte_array_new ();
  read_chunk (g_steal_pointer (&task));
}

/* libsoup re-sends a message by itself when a kept-alive connection closes
 * before any answer, but with the body already read out; the same bytes
 * again make the re-sent request whole. */
static void
message_restarted_cb (SoupMessage *message,
                      gpointer     user_data)
{
  Call *call = user_data;

  soup_message_set_request_body_from_bytes (message, "application/json", call->body);
}

static void
send_attempt (GTask *task)
{
  StompyApiClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;

  if (g_task_return_error_if_cancelled (task))
    return;

  call->attempt++;
  url = g_strconcat (self->base_url, call->path, NULL);

  g_clear_object (&call->message);
  g_clear_object (&call->stream);
  call->message = soup_message_new (call->method, url);
  if (call->message == NULL)
    {
      g_task_return_new_error (task, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                               "“%s” is not a valid request URL", url);
      return;
    }

  headers = soup_message_get_request_headers (call->message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "Accept-Language", call->language);
  /* The session normally sets it; a session made elsewhere may not. */
  soup_message_headers_replace (headers, "User-Agent", stompy_http_user_agent ());
  if (call->idempotency_key != NULL)
    {
      soup_message_headers_replace (headers, "Idempotency-Key", call->idempotency_key);
      /* The key makes a re-send harmless, so the call may reuse a kept-alive
       * connection (libsoup opens a new one for a POST or DELETE otherwise). */
      soup_message_add_flags (call->message, SOUP_MESSAGE_IDEMPOTENT);
    }
  if (call->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", call->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
      explicit_bzero (authorization, strlen (authorization));
    }
  if (call->body != NULL)
    {
      soup_message_set_request_body_from_bytes (call->message, "application/json", call->body);
      g_signal_connect (call->message, "restarted", G_CALLBACK (message_restarted_cb), call);
    }

  g_debug ("%s %s: sending, attempt %u, Idempotency-Key %s", call->method, call->path,
           call->attempt, call->idempotency_key ? call->idempotency_key : "(none)");

  soup_session_send_async (self->session, call->message, G_PRIORITY_DEFAULT,
                           call->io_cancellable, send_cb, g_object_ref (task));
}

static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call_clear_wait (call);
  send_attempt (task);

  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call_clear_wait (call);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           "The operation was cancelled");

  return G_SOURCE_REMOVE;
}

/* Waits in the task's own main context, so that a caller spinning a private
 * context is woken there, and stops waiting as soon as the cancellable fires
 * rather than after the full Retry-After. Each source holds a task reference
 * until it is destroyed. */
static void
wait_then_retry (GTask *task,
                 guint  delay_ms)
{
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GMainContext *context = g_task_get_context (task);

  call_clear_wait (call);

  call->wait_source = g_timeout_source_new (delay_ms);
  g_source_set_name (call->wait_source, "[stompy] api retry wait");
  g_source_set_callback (call->wait_source, wait_done_cb, g_object_ref (task), g_object_unref);
  g_source_attach (call->wait_source, context);

  if (cancellable != NULL)
    {
      call->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_name (call->cancel_source, "[stompy] api retry cancel");
      g_source_set_callback (call->cancel_source, G_SOURCE_FUNC (wait_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (call->cancel_source, context);
    }
}

/* ------------------------------------------------------------------ endpoints */

void
stompy_api_client_sign_in_async (StompyApiClient     *self,
                                 const char          *email,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  GTask *task;

  g_return_if_fail (STOMPY_IS_API_CLIENT (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  task = call_new (self, SOUP_METHOD_POST, "/sessions", body,
                   parse_session, (GDestroyNotify) stompy_session_free, RESULT_POINTER,
                   stompy_api_client_sign_in_async, cancellable, callback, user_data);
  ((Call *) g_task_get_task_data (task))->keep_token = TRUE;
  call_start (task, FALSE);
}

/* The checks and the result of every _finish that returns a pointer. */
static gpointer
call_finish_pointer (StompyApiClient  *self,
                     GAsyncResult     *result,
                     GError          **error)
{
  g_return_val_if_fail (STOMPY_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

StompySession *
stompy_api_client_sign_in_finish (StompyApiClient  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (STOMPY_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stompy_api_client_sign_in_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
stompy_api_client_sign_out_async (StompyApiClient     *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STOMPY_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (self->token == NULL)
    {
      /* Nothing to revoke. */
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, stompy_api_client_sign_out_async);
      g_task_return_boolean (task, TRUE);
      return;
    }

  task = call_new (self, SOUP_METHOD_DELETE, "/sessions/current", NULL,
                   NULL, NULL, RESULT_BOOLEAN,
                   stompy_api_client_sign_out_async, cancellable, callback, user_data);
  call_start (g_steal_pointer (&task), TRUE);

  /* The call holds its own copy of the token; the client forgets it now,
   * whatever the service answers, so that a failed or cancelled sign-out
   * never leaves the app signed in. */
  stompy_api_client_set_token (self, NULL);
}

gboolean
stompy_api_client_sign_out_finish (StompyApiClient  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (STOMPY_IS_API_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
stompy_api_client_get_onboarding_async (StompyApiClient     *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (STOMPY_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_start (call_new (self, SOUP_METHOD_GET, "/aws/onboarding", NULL,
                        parse_onboarding, (GDestroyNotify) stompy_onboarding_info_free, RESULT_POINTER,
                        stompy_api_client_get_onboarding_async, cancellable, callback, user_data),
              TRUE);
}

StompyOnboardingInfo *
stompy_api_client_get_onboarding_finish (StompyApiClient  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  return call_finish_pointer (self, result, error);
}

void
stompy_api_client_list_accounts_async (StompyApiClient     *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (STOMPY_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call_start (call_new (self, SOUP_METHOD_GET, "/aws/accounts", NULL,
                        parse_account_list, (GDestroyNotify) g_ptr_array_unref, RESULT_POINTER,
                        stompy_api_client_list_accounts_async, cancellable, callback, user_data),
              TRUE);
}

GPtrArray *
stompy_api_client_list_accounts_finish (StompyApiClient  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  return call_finish_pointer (self, result, error);
}

void
stompy_api_client_connect_account_async (StompyApiClient     *self,
                                         JsonNode            *request,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  stompy_api_client_connect_account_with_key_async (self, request, NULL, cancellable,
                                                    callback, user_data);
}

void
stompy_api_client_connect_account_with_key_async (StompyApiClient     *self,
                                                  JsonNode            *request,
                                                  const char          *idempotency_key,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (STOMPY_IS_API_CLIENT (self));
  g_return_if_fail (request != NULL && JSON_NODE_HOLDS_OBJECT (request));
  g_return_if_fail (idempotency_key == NULL || g_uuid_string_is_valid (idempotency_key));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = call_new (self, SOUP_METHOD_POST, "/aws/accounts", request,
                   parse_account_status, (GDestroyNotify) stompy_account_status_free, RESULT_POINTER,
                   stompy_api_client_connect_account_async, cancellable, callback, user_data);
  if (idempotency_key != NULL)
    {
      Call *call = g_task_get_task_data (task);

      g_free (call->idempotency_key);
      call->idempotency_key = g_strdup (idempotency_key);
    }
  call_start (task, TRUE);
}

StompyAccountStatus *
stompy_api_client_connect_account_finish (StompyApiClient  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  return call_finish_pointer (self, result, error);
}

void
stompy_api_client_get_account_async (StompyApiClient     *self,
                                     const char          *account_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (STOMPY_IS_API_CLIENT (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* Account ids are twelve digits; escaping keeps anything else from
   * changing the path. */
  escaped = g_uri_escape_string (account_id, NULL, FALSE);
  path = g_strconcat ("/aws/accounts/", escaped, NULL);

  call_start (call_new (self, SOUP_METHOD_GET, path, NULL,
                        parse_account_status, (GDestroyNotify) stompy_account_status_free, RESULT_POINTER,
                        stompy_api_client_get_account_async, cancellable, callback, user_data),
              TRUE);
}

StompyAccountStatus *
stompy_api_client_get_account_finish (StompyApiClient  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  return call_finish_pointer (self, result, error);
}
