/* stompy-aws-client.c — signed, retried, cancellable calls to AWS services
 *
 * Wire facts: shared/reference/aws-cfn-sts-sigv4.md §1 (query and JSON 1.1
 * protocols and their errors), §6 (SigV4), §7 (standard retries, clock skew),
 * and aws-cur-s3.md §5 (S3 REST-XML, its error XML, HEAD errors, redirects).
 *
 * A call is one GTask whose task data (Call) holds everything needed to build
 * the request again: each attempt gets a new SoupMessage, signed with the
 * clock's corrected time, because a retried request must carry a fresh date.
 */
#include "config.h"

#include <string.h>

#include "stompy-aws-client.h"
#include "stompy-error.h"
#include "stompy-json-member.h"
#include "stompy-http.h"
#include "stompy-sigv4.h"

/* A response larger than this is not something any call of the app expects;
 * refusing it keeps a broken or hostile endpoint from filling memory. */
#define MAX_BODY_BYTES (16 * 1024 * 1024)
#define READ_CHUNK_BYTES (64 * 1024)
#define DEFAULT_REGION "ap-southeast-1"

struct _StompyAwsClient
{
  GObject               parent_instance;

  SoupSession          *session;
  StompyAwsCredentials *credentials;
  char                 *region;
  StompyAwsConfig      *config;
  char                 *profile;
  char                **envp;          /* NULL = this process's environment */
  StompyRetryPolicy    *retry_policy;
  StompyClock          *clock;

  GMutex                mutex;         /* guards endpoints */
  GHashTable           *endpoints;     /* "service/region" → StompyAwsEndpoint */
  guint                 request_count; /* atomic */
};

G_DEFINE_FINAL_TYPE (StompyAwsClient, stompy_aws_client, G_TYPE_OBJECT)

typedef enum
{
  PROTOCOL_QUERY,
  PROTOCOL_JSON,
  PROTOCOL_REST_XML,
} Protocol;

typedef struct
{
  Protocol            protocol;
  StompyAwsService    service;
  const StompyAwsEndpoint *endpoint; /* borrowed from the client's cache */
  char               *operation;     /* for logs: "GetCallerIdentity", "PUT bucket/key" */
  char               *action;        /* query: the Action, to find <ActionResult> */
  char               *method;
  char               *uri;
  GBytes             *body;          /* NULL = no body */
  char               *content_type;
  char               *target;        /* JSON: X-Amz-Target */
  gboolean            content_md5;   /* S3: send Content-MD5 with the body */

  guint               attempt;       /* attempts made so far */
  guint               retried_cost;  /* quota taken by should_retry() for this call */
  gboolean            skew_retried;
  gint64              offset_at_signing;
  gint64              call_start_us;
  gint64              attempt_start_us;

  SoupMessage        *message;
  GInputStream       *stream;
  GByteArray         *buffer;
  GSource            *backoff_source;
  GSource            *cancel_source;
} Call;

static void
call_free (Call *call)
{
  if (call->backoff_source != NULL)
    {
      g_source_destroy (call->backoff_source);
      g_source_unref (call->backoff_source);
    }
  if (call->cancel_source != NULL)
    {
      g_source_destroy (call->cancel_source);
      g_source_unref (call->cancel_source);
    }
  g_clear_object (&call->message);
  g_clear_object (&call->stream);
  g_clear_pointer (&call->buffer, g_byte_array_unref);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call->operation);
  g_free (call->action);
  g_free (call->method);
  g_free (call->uri);
  g_free (call->content_type);
  g_free (call->target);
  g_free (call);
}

static void send_attempt (GTask *task);

/* ------------------------------------------------------------------ object */

static void
stompy_aws_client_finalize (GObject *object)
{
  StompyAwsClient *self = STOMPY_AWS_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->credentials, stompy_aws_credentials_unref);
  g_clear_pointer (&self->region, g_free);
  g_clear_object (&self->config);
  g_clear_pointer (&self->profile, g_free);
  g_clear_pointer (&self->envp, g_strfreev);
  g_clear_pointer (&self->retry_policy, stompy_retry_policy_unref);
  g_clear_pointer (&self->clock, stompy_clock_unref);
  g_clear_pointer (&self->endpoints, g_hash_table_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (stompy_aws_client_parent_class)->finalize (object);
}

static void
stompy_aws_client_class_init (StompyAwsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stompy_aws_client_finalize;
}

static void
stompy_aws_client_init (StompyAwsClient *self)
{
  g_mutex_init (&self->mutex);
  self->endpoints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) stompy_aws_endpoint_free);
  self->retry_policy = stompy_retry_policy_new (STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS);
  self->clock = stompy_clock_new ();
}

StompyAwsClient *
stompy_aws_client_new (SoupSession          *session,
                       StompyAwsCredentials *credentials,
                       const char           *region,
                       StompyAwsConfig      *config,
                       const char           *profile,
                       const char * const   *envp)
{
  StompyAwsClient *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (credentials != NULL, NULL);
  g_return_val_if_fail (config == NULL || STOMPY_IS_AWS_CONFIG (config), NULL);

  self = g_object_new (STOMPY_TYPE_AWS_CLIENT, NULL);
  self->session = g_object_ref (session);
  self->credentials = stompy_aws_credentials_ref (credentials);
  self->config = config != NULL ? g_object_ref (config) : NULL;
  self->profile = g_strdup (profile);
  self->envp = g_strdupv ((char **) envp);

  if (region != NULL && *region != '\0')
    self->region = g_strdup (region);
  else if (config != NULL && stompy_aws_config_get_region (config, profile) != NULL)
    self->region = g_strdup (stompy_aws_config_get_region (config, profile));
  else
    self->region = g_strdup (DEFAULT_REGION);

  return self;
}

StompyAwsCredentials *
stompy_aws_client_get_credentials (StompyAwsClient *self)
{
  g_return_val_if_fail (STOMPY_IS_AWS_CLIENT (self), NULL);

  return self->credentials;
}

const char *
stompy_aws_client_get_region (StompyAwsClient *self)
{
  g_return_val_if_fail (STOMPY_IS_AWS_CLIENT (self), NULL);

  return self->region;
}

SoupSession *
stompy_aws_client_get_session (StompyAwsClient *self)
{
  g_return_val_if_fail (STOMPY_IS_AWS_CLIENT (self), NULL);

  return self->session;
}

void
stompy_aws_client_set_retry_policy (StompyAwsClient   *self,
                                    StompyRetryPolicy *policy)
{
  g_return_if_fail (STOMPY_IS_AWS_CLIENT (self));
  g_return_if_fail (policy != NULL);

  stompy_retry_policy_ref (policy);
  g_clear_pointer (&self->retry_policy, stompy_retry_policy_unref);
  self->retry_policy = policy;
}

void
stompy_aws_client_set_clock (StompyAwsClient *self,
                             StompyClock     *clock)
{
  g_return_if_fail (STOMPY_IS_AWS_CLIENT (self));
  g_return_if_fail (clock != NULL);

  stompy_clock_ref (clock);
  g_clear_pointer (&self->clock, stompy_clock_unref);
  self->clock = clock;
}

StompyClock *
stompy_aws_client_get_clock (StompyAwsClient *self)
{
  g_return_val_if_fail (STOMPY_IS_AWS_CLIENT (self), NULL);

  return self->clock;
}

guint
stompy_aws_client_get_request_count (StompyAwsClient *self)
{
  g_return_val_if_fail (STOMPY_IS_AWS_CLIENT (self), 0);

  return (guint) g_atomic_int_get (&self->request_count);
}

void
stompy_aws_response_free (StompyAwsResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->xml, stompy_xml_node_unref);
  g_free (response);
}

/* ------------------------------------------------------------------ endpoints */

/* Endpoints are resolved once per service and region: the environment and
 * config files do not change during the client's life. The cache never drops
 * an entry, so the pointer handed out stays valid as long as the client. */
static const StompyAwsEndpoint *
lookup_endpoint (StompyAwsClient  *self,
                 StompyAwsService  service,
                 const char       *region,
                 GError          **error)
{
  g_autofree char *key = g_strdup_printf ("%d/%s", (int) service, region);
  const char * const *envp = (const char * const *) self->envp;
  StompyAwsEndpoint *endpoint;

  if (envp == NULL && self->config != NULL)
    envp = stompy_aws_config_get_environ (self->config);

  g_mutex_lock (&self->mutex);
  endpoint = g_hash_table_lookup (self->endpoints, key);
  if (endpoint == NULL)
    {
      endpoint = stompy_aws_endpoint_resolve (service, region, self->config, self->profile,
                                              envp, error);
      if (endpoint != NULL)
        g_hash_table_insert (self->endpoints, g_steal_pointer (&key), endpoint);
    }
  g_mutex_unlock (&self->mutex);

  return endpoint;
}

static const char *
service_label (StompyAwsService service)
{
  const char *name = stompy_aws_service_signing_name (service);
  return name != NULL ? name : "aws";
}

/* ------------------------------------------------------------------ errors */

static const char *
header_request_id (SoupMessageHeaders *headers)
{
  const char *id;

  if (headers == NULL)
    return NULL;

  id = soup_message_headers_get_one (headers, "x-amzn-RequestId");
  if (id == NULL || *id == '\0')
    id = soup_message_headers_get_one (headers, "x-amz-request-id");
  if (id != NULL && *id == '\0')
    id = NULL;

  return id;
}

static const char *
nonempty (const char *s)
{
  return s != NULL && *s != '\0' ? s : NULL;
}

/* The GError class from the code, except that a signature error whose message
 * is about the request time is clock skew, not a wrong key (§6.1, §7.3). */
static GError *
make_error (guint       status,
            const char *code,
            const char *message,
            const char *request_id)
{
  if (stompy_retry_classify_aws_full (status, code, message, NULL) == STOMPY_RETRY_KIND_CLOCK_SKEW)
    return stompy_aws_error_new_full (STOMPY_AWS_ERROR_CLOCK_SKEW, status, code, message,
                                      request_id);

  return stompy_aws_error_new (status, code, message, request_id);
}

static const char *
status_phrase (guint status)
{
  const char *phrase;

  /* libsoup 3.2 does not know this one. */
  if (status == 429)
    return "Too Many Requests";

  phrase = soup_status_get_phrase (status);
  return phrase != NULL ? phrase : "Unknown Error";
}

static StompyXmlNode *
parse_xml_body (const char *body,
                gsize       length)
{
  if (body == NULL || length == 0)
    return NULL;

  return stompy_xml_parse (body, length, NULL);
}

GError *
stompy_aws_parse_query_error (guint               status,
                              const char         *body,
                              gsize               length,
                              SoupMessageHeaders *headers)
{
  g_autoptr(StompyXmlNode) root = parse_xml_body (body, length);
  StompyXmlNode *error_node = NULL;
  const char *request_id = NULL;

  if (root != NULL)
    {
      const char *root_name = stompy_xml_node_get_name (root);

      /* <ErrorResponse><Error/><RequestId/></ErrorResponse> [SQ]; EC2-style
       * <Response><Errors><Error/></Errors><RequestID/></Response> too, and a
       * bare <Error> as some proxies send. */
      if (g_strcmp0 (root_name, "Error") == 0)
        error_node = root;
      else
        {
          error_node = stompy_xml_node_lookup (root, "Error");
          if (error_node == NULL)
            error_node = stompy_xml_node_lookup (root, "Errors/Error");
        }

      request_id = nonempty (stompy_xml_node_lookup_text (root, "RequestId"));
      if (request_id == NULL)
        request_id = nonempty (stompy_xml_node_lookup_text (root, "RequestID"));
      if (request_id == NULL)
        request_id = nonempty (stompy_xml_node_lookup_text (root, "ResponseMetadata/RequestId"));
      if (request_id == NULL && error_node != NULL)
        request_id = nonempty (stompy_xml_node_lookup_text (error_node, "RequestId"));
    }

  if (request_id == NULL)
    request_id = header_request_id (headers);

  if (error_node != NULL && nonempty (stompy_xml_node_lookup_text (error_node, "Code")) != NULL)
    return make_error (status,
                       stompy_xml_node_lookup_text (error_node, "Code"),
                       nonempty (stompy_xml_node_lookup_text (error_node, "Message")),
                       request_id);

  /* Not an AWS error document (empty, HTML from a proxy, cut short): the
   * status is all there is. */
  return make_error (status, NULL, status_phrase (status), request_id);
}

/* "aws.x#FooError:http://…" → "FooError" [SJ]: cut at the first ':', then
 * keep what follows the first '#'. */
static char *
sanitize_json_error_type (const char *type)
{
  g_autofree char *cut = NULL;
  const char *colon;
  const char *hash;

  if (type == NULL)
    return NULL;

  colon = strchr (type, ':');
  cut = colon != NULL ? g_strndup (type, colon - type) : g_strdup (type);
  hash = strchr (cut, '#');
  if (hash != NULL)
    return g_strdup (hash + 1);

  return g_steal_pointer (&cut);
}

GError *
stompy_aws_parse_json_error (guint               status,
                             const char         *body,
                             gsize               length,
                             SoupMessageHeaders *headers)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *code = NULL;
  const char *message = NULL;
  const char *raw_type = NULL;
  JsonObject *object = NULL;

  if (body != NULL && length > 0 && length <= G_MAXSSIZE &&
      json_parser_load_from_data (parser, body, (gssize) length, NULL))
    {
      JsonNode *root = json_parser_get_root (parser);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        object = json_node_get_object (root);
    }

  if (object != NULL)
    {
      raw_type = nonempty (stompy_json_member_string (object, "__type"));
      if (raw_type == NULL)
        raw_type = nonempty (stompy_json_member_string (object, "code"));
      message = nonempty (stompy_json_member_string (object, "message"));
      if (message == NULL)
        message = nonempty (stompy_json_member_string (object, "Message"));
    }

  if (raw_type == NULL && headers != NULL)
    raw_type = nonempty (soup_message_headers_get_one (headers, "X-Amzn-ErrorType"));

  code = sanitize_json_error_type (raw_type);
  if (code != NULL && *code == '\0')
    g_clear_pointer (&code, g_free);

  if (code == NULL && message == NULL)
    message = status_phrase (status);

  return make_error (status, code, message, header_request_id (headers));
}

GError *
stompy_aws_parse_rest_xml_error (guint               status,
                                 const char         *body,
                                 gsize               length,
                                 SoupMessageHeaders *headers)
{
  g_autoptr(StompyXmlNode) root = parse_xml_body (body, length);
  const char *bucket_region = NULL;
  const char *request_id = NULL;
  const char *code = NULL;
  const char *message = NULL;
  g_autofree char *redirect_message = NULL;

  if (headers != NULL)
    bucket_region = nonempty (soup_message_headers_get_one (headers, "x-amz-bucket-region"));

  if (root != NULL && g_strcmp0 (stompy_xml_node_get_name (root), "Error") == 0)
    {
      code = nonempty (stompy_xml_node_lookup_text (root, "Code"));
      message = nonempty (stompy_xml_node_lookup_text (root, "Message"));
      request_id = nonempty (stompy_xml_node_lookup_text (root, "RequestId"));
    }

  if (request_id == NULL)
    request_id = header_request_id (headers);

  if (code == NULL)
    {
      /* HEAD answers, and some others, have no body (aws-cur-s3.md §5.3):
       * the status is the error. */
      message = NULL;
      switch (status)
        {
        case 301:
          code = "PermanentRedirect";
          break;
        case 307:
          code = "TemporaryRedirect";
          break;
        case 400:
          code = "BadRequest";
          break;
        case 403:
          code = "Forbidden";
          break;
        case 404:
          code = "NotFound";
          break;
        default:
          break;
        }
      message = status_phrase (status);
    }

  /* The caller needs the bucket's region to address it again: keep it. */
  if (bucket_region != NULL &&
      (g_strcmp0 (code, "PermanentRedirect") == 0 || g_strcmp0 (code, "TemporaryRedirect") == 0 ||
       g_strcmp0 (code, "AuthorizationHeaderMalformed") == 0))
    {
      redirect_message = g_strdup_printf ("%s (bucket region: %s)",
                                          message != NULL ? message : status_phrase (status),
                                          bucket_region);
      message = redirect_message;
    }

  /* "Forbidden" is not an AWS code the error table knows, but a 403 without a
   * body means exactly that the identity may not do this. */
  if (g_strcmp0 (code, "Forbidden") == 0)
    return stompy_aws_error_new_full (STOMPY_AWS_ERROR_ACCESS_DENIED, status, code, message,
                                      request_id);

  return make_error (status, code, message, request_id);
}

/* ------------------------------------------------------------------ request */

static char *
encode_form (const char * const *pairs,
             const char         *action,
             const char         *version)
{
  GString *form = g_string_new (NULL);
  g_autofree char *action_enc = g_uri_escape_string (action, NULL, FALSE);
  g_autofree char *version_enc = g_uri_escape_string (version, NULL, FALSE);

  g_string_append_printf (form, "Action=%s&Version=%s", action_enc, version_enc);

  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i += 2)
    {
      g_autofree char *name = g_uri_escape_string (pairs[i], NULL, FALSE);
      g_autofree char *value = NULL;

      if (pairs[i + 1] == NULL)
        {
          g_critical ("Query parameter “%s” of %s has no value", pairs[i], action);
          break;
        }
      value = g_uri_escape_string (pairs[i + 1], NULL, FALSE);
      g_string_append_printf (form, "&%s=%s", name, value);
    }

  return g_string_free (form, FALSE);
}

static void
log_request_headers (const char *name,
                     const char *value,
                     gpointer    user_data)
{
  g_debug ("  %s: %s", name, stompy_http_loggable_header (name, value));
}

/* libsoup re-sends a message by itself when a kept-alive connection closes
 * before any answer, but with the body already read out: the signed
 * Content-Length and payload hash would then not match (a connection reset
 * became SignatureDoesNotMatch). The same bytes again make it whole. */
static void
message_restarted_cb (SoupMessage *message,
                      gpointer     user_data)
{
  Call *call = user_data;

  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (message, call->content_type, call->body);
}

static SoupMessage *
build_message (StompyAwsClient *self,
               Call            *call)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GDateTime) now = NULL;
  SoupMessageHeaders *headers;

  message = soup_message_new (call->method, call->uri);
  if (message == NULL)
    return NULL;

  /* A redirect would re-send signed headers to another host, and S3's
   * redirects are answers the caller must see (the bucket's region). */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  /* libsoup sends a POST or PUT on a new connection unless told it is
   * idempotent, so the query and JSON services would open one connection per
   * call. Every call is already retried by the standard retry mode on a
   * transport error, and the creating ones carry a ClientRequestToken or fail
   * as duplicates, so a re-send on a closed keep-alive connection is safe. */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept-Language", "en");
  if (call->target != NULL)
    soup_message_headers_replace (headers, "X-Amz-Target", call->target);

  if (call->body != NULL)
    {
      if (call->content_md5 && g_bytes_get_size (call->body) > 0)
        {
          /* PutBucketPolicy and PutPublicAccessBlock require a checksum
           * (aws-cur-s3.md §5.1); it costs nothing to send it always. */
          g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
          guint8 digest[16];
          gsize digest_len = sizeof digest;
          g_autofree char *b64 = NULL;

          g_checksum_update (md5, g_bytes_get_data (call->body, NULL),
                             g_bytes_get_size (call->body));
          g_checksum_get_digest (md5, digest, &digest_len);
          b64 = g_base64_encode (digest, digest_len);
          soup_message_headers_replace (headers, "Content-MD5", b64);
        }
      soup_message_set_request_body_from_bytes (message, call->content_type, call->body);
      g_signal_connect (message, "restarted", G_CALLBACK (message_restarted_cb), call);
    }

  /* Each attempt is signed anew with the corrected clock, so that a retry
   * after a skew correction carries the server's idea of now. */
  now = stompy_clock_now (self->clock);
  call->offset_at_signing = stompy_clock_get_offset_us (self->clock);
  stompy_sigv4_sign_message (message, call->body, self->credentials,
                             call->endpoint->signing_region, call->endpoint->signing_name,
                             call->protocol == PROTOCOL_REST_XML, now);

  return g_steal_pointer (&message);
}

/* ------------------------------------------------------------------ attempts */

static void
return_error (GTask  *task,
              GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
backoff_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  g_clear_pointer (&call->backoff_source, g_source_unref);
  if (call->cancel_source != NULL)
    {
      g_source_destroy (call->cancel_source);
      g_clear_pointer (&call->cancel_source, g_source_unref);
    }

  send_attempt (task);

  return G_SOURCE_REMOVE;
}

static gboolean
backoff_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  g_clear_pointer (&call->cancel_source, g_source_unref);
  if (call->backoff_source != NULL)
    {
      g_source_destroy (call->backoff_source);
      g_clear_pointer (&call->backoff_source, g_source_unref);
    }

  g_debug ("%s %s: cancelled while waiting to retry",
           service_label (call->service), call->operation);
  return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           "Operation was cancelled"));

  return G_SOURCE_REMOVE;
}

/* Waits @delay_ms on the task's context, then sends again; a cancellation
 * during the wait ends the call at once. */
static void
schedule_retry (GTask *task,
                guint  delay_ms)
{
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GMainContext *context = g_task_get_context (task);

  call->backoff_source = g_timeout_source_new (delay_ms);
  g_source_set_name (call->backoff_source, "[stompy] AWS retry backoff");
  g_source_set_callback (call->backoff_source, backoff_done_cb, task, NULL);
  g_source_attach (call->backoff_source, context);

  if (cancellable != NULL)
    {
      call->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (call->cancel_source, G_SOURCE_FUNC (backoff_cancelled_cb),
                             task, NULL);
      g_source_attach (call->cancel_source, context);
    }
}

/* After a failed attempt: retry when the policy allows, else end the call
 * with @error (taken). @retry_kind is how the failure was classified. */
static void
retry_or_fail (GTask           *task,
               StompyRetryKind  retry_kind,
               GError          *error)
{
  StompyAwsClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  guint delay_ms;

  if (g_task_return_error_if_cancelled (task))
    {
      g_error_free (error);
      g_object_unref (task);
      return;
    }

  if (retry_kind == STOMPY_RETRY_KIND_CLOCK_SKEW)
    {
      /* Worth exactly one more attempt, and only when the Date header moved
       * the clock since this attempt was signed: otherwise the same time
       * would be refused again. */
      if (!call->skew_retried &&
          stompy_clock_get_offset_us (self->clock) != call->offset_at_signing)
        {
          call->skew_retried = TRUE;
          g_debug ("%s %s: clock corrected by %" G_GINT64_FORMAT " s, signing again",
                   service_label (call->service), call->operation,
                   stompy_clock_get_offset_us (self->clock) / G_USEC_PER_SEC);
          g_error_free (error);
          send_attempt (task);
          return;
        }

      return_error (task, error);
      return;
    }

  if (!stompy_retry_policy_should_retry (self->retry_policy, call->attempt, retry_kind))
    {
      return_error (task, error);
      return;
    }

  call->retried_cost += retry_kind == STOMPY_RETRY_KIND_TIMEOUT ? STOMPY_RETRY_TIMEOUT_COST
                                                                : STOMPY_RETRY_COST;
  delay_ms = stompy_retry_policy_backoff_ms (self->retry_policy, call->attempt);
  g_debug ("%s %s: attempt %u failed (%s), retrying in %u ms",
           service_label (call->service), call->operation, call->attempt,
           error->message, delay_ms);
  g_error_free (error);

  schedule_retry (task, delay_ms);
}

static void
handle_transport_error (GTask  *task,
                        GError *transport_error)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) owned = transport_error;
  StompyRetryKind kind;
  StompyAwsErrorCode code;
  GError *error;

  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return_error (task, g_steal_pointer (&owned));
      return;
    }

  g_debug ("%s %s: attempt %u, no answer after %" G_GINT64_FORMAT " ms: %s",
           service_label (call->service), call->operation, call->attempt,
           (g_get_monotonic_time () - call->attempt_start_us) / 1000, owned->message);

  kind = stompy_retry_classify_aws (0, NULL, owned);
  code = kind == STOMPY_RETRY_KIND_TIMEOUT ||
         g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ? STOMPY_AWS_ERROR_TIMEOUT
                                                                   : STOMPY_AWS_ERROR_NETWORK;
  if (stompy_http_error_is_certificate (owned))
    code = STOMPY_AWS_ERROR_TLS_CERTIFICATE;
  error = stompy_aws_error_new_full (code, 0, NULL, owned->message, NULL);
  /* The extended data keeps the underlying message; the GError's own
   * message says where the call was going. */
  g_free (error->message);
  error->message = g_strdup_printf ("%s %s at %s: %s",
                                    code == STOMPY_AWS_ERROR_TIMEOUT ? "No answer to"
                                                                     : "Could not reach",
                                    call->operation, call->endpoint->url, owned->message);

  retry_or_fail (task, kind, error);
}

static void
handle_answer (GTask  *task,
               GBytes *body)
{
  StompyAwsClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  SoupMessage *message = call->message;
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  guint status = soup_message_get_status (message);
  const char *date = soup_message_headers_get_one (headers, "Date");
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);
  gboolean success;
  GError *error = NULL;

  if (date != NULL)
    stompy_clock_update_from_date (self->clock, date);

  g_debug ("%s %s: HTTP %u, request id %s, attempt %u, %" G_GINT64_FORMAT " ms",
           service_label (call->service), call->operation, status,
           header_request_id (headers) ? header_request_id (headers) : "(none)",
           call->attempt, (g_get_monotonic_time () - call->attempt_start_us) / 1000);

  /* 304 is harmless; every other redirect is an S3 error the caller handles. */
  success = SOUP_STATUS_IS_SUCCESSFUL (status) ||
            (call->protocol == PROTOCOL_REST_XML && status == SOUP_STATUS_NOT_MODIFIED);

  if (!success)
    {
      StompyRetryKind kind;

      switch (call->protocol)
        {
        case PROTOCOL_QUERY:
          error = stompy_aws_parse_query_error (status, data, length, headers);
          break;
        case PROTOCOL_JSON:
          error = stompy_aws_parse_json_error (status, data, length, headers);
          break;
        case PROTOCOL_REST_XML:
        default:
          error = stompy_aws_parse_rest_xml_error (status, data, length, headers);
          break;
        }

      kind = stompy_retry_classify_aws_full (status, stompy_aws_error_get_aws_code (error),
                                             stompy_aws_error_get_aws_message (error), NULL);
      /* Should this be the last attempt, a throttle that never cleared reads
       * as such whatever code the service used for it. */
      if (kind == STOMPY_RETRY_KIND_THROTTLE)
        error->code = STOMPY_AWS_ERROR_THROTTLED;
      else if (kind == STOMPY_RETRY_KIND_TRANSIENT && status >= 500)
        error->code = STOMPY_AWS_ERROR_SERVER;
      retry_or_fail (task, kind, error);
      return;
    }

  stompy_retry_policy_record_success (self->retry_policy, call->retried_cost);
  g_debug ("%s %s: done after %u attempt(s), %" G_GINT64_FORMAT " ms",
           service_label (call->service), call->operation, call->attempt,
           (g_get_monotonic_time () - call->call_start_us) / 1000);

  switch (call->protocol)
    {
    case PROTOCOL_QUERY:
      {
        g_autoptr(GError) parse_error = NULL;
        g_autoptr(StompyXmlNode) root = NULL;
        g_autofree char *result_name = g_strconcat (call->action, "Result", NULL);
        StompyXmlNode *result;

        root = stompy_xml_parse (data, length, &parse_error);
        if (root == NULL)
          {
            return_error (task, stompy_aws_error_new_full (STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                                                           status, NULL, parse_error->message,
                                                           header_request_id (headers)));
            return;
          }

        result = stompy_xml_node_lookup (root, result_name);
        if (result == NULL)
          result = root;
        g_task_return_pointer (task, stompy_xml_node_ref (result),
                               (GDestroyNotify) stompy_xml_node_unref);
        g_object_unref (task);
      }
      break;

    case PROTOCOL_JSON:
      {
        g_autoptr(JsonParser) parser = json_parser_new ();
        g_autoptr(GError) parse_error = NULL;
        JsonNode *root;

        /* Some operations answer 200 with no body at all. */
        if (length == 0)
          {
            root = json_node_new (JSON_NODE_OBJECT);
            json_node_take_object (root, json_object_new ());
            g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
            g_object_unref (task);
            return;
          }

        if (!json_parser_load_from_data (parser, data, (gssize) length, &parse_error))
          {
            /* json-glib quotes the bad bytes, which may not be UTF-8 (found by fuzzing). */
            g_autofree char *reason = g_utf8_make_valid (parse_error->message, -1);

            return_error (task, stompy_aws_error_new_full (STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                                                           status, NULL, reason,
                                                           header_request_id (headers)));
            return;
          }

        root = json_parser_get_root (parser);
        if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
          {
            return_error (task, stompy_aws_error_new_full (STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                                                           status, NULL,
                                                           "The response is not a JSON object",
                                                           header_request_id (headers)));
            return;
          }

        g_task_return_pointer (task, json_node_copy (root), (GDestroyNotify) json_node_unref);
        g_object_unref (task);
      }
      break;

    case PROTOCOL_REST_XML:
    default:
      {
        StompyAwsResponse *response = g_new0 (StompyAwsResponse, 1);

        response->status = status;
        response->headers = soup_message_headers_ref (headers);
        response->body = g_bytes_ref (body);
        /* Not every S3 body is XML (a bucket policy is JSON, an object is
         * whatever it is): no XML simply means xml is NULL. */
        response->xml = parse_xml_body (data, length);
        g_task_return_pointer (task, response, (GDestroyNotify) stompy_aws_response_free);
        g_object_unref (task);
      }
      break;
    }
}

static void
close_stream (Call *call)
{
  if (call->stream != NULL)
    {
      g_input_stream_close_async (call->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&call->stream);
    }
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      close_stream (call);
      handle_transport_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_autoptr(GBytes) body = NULL;

      close_stream (call);
      body = g_byte_array_free_to_bytes (g_steal_pointer (&call->buffer));
      handle_answer (task, body);
      return;
    }

  if (call->buffer->len + g_bytes_get_size (chunk) > MAX_BODY_BYTES)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (call->message);

      close_stream (call);
      g_debug ("%s %s: response body over %d bytes, refused",
               service_label (call->service), call->operation, MAX_BODY_BYTES);
      return_error (task, stompy_aws_error_new_full (STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                                                     soup_message_get_status (call->message),
                                                     NULL, "The response body is too large",
                                                     header_request_id (headers)));
      return;
    }

  g_byte_array_append (call->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (call->stream, READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GInputStream *stream;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      handle_transport_error (task, g_steal_pointer (&error));
      return;
    }

  /* The body is read in chunks rather than with send_and_read() so that a
   * huge answer can be refused before it is all in memory. */
  call->stream = stream;
  call->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (call->stream, READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
send_attempt (GTask *task)
{
  StompyAwsClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  GMainContext *context = g_task_get_context (task);
  gboolean pushed = FALSE;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  g_clear_object (&call->message);
  g_clear_pointer (&call->buffer, g_byte_array_unref);
  call->message = build_message (self, call);
  if (call->message == NULL)
    {
      return_error (task, g_error_new (STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                                       "Cannot build a request for “%s”", call->uri));
      return;
    }

  call->attempt++;
  call->attempt_start_us = g_get_monotonic_time ();
  g_atomic_int_inc (&self->request_count);

  g_debug ("%s %s: attempt %u, %s %s", service_label (call->service), call->operation,
           call->attempt, call->method, call->uri);
  soup_message_headers_foreach (soup_message_get_request_headers (call->message),
                                log_request_headers, NULL);

  /* libsoup completes on the thread-default context of the caller; a retry
   * runs from a source of the task's context, which may not be pushed. */
  if (context != g_main_context_get_thread_default () &&
      !(context == g_main_context_default () && g_main_context_get_thread_default () == NULL))
    {
      g_main_context_push_thread_default (context);
      pushed = TRUE;
    }

  soup_session_send_async (self->session, call->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, task);

  if (pushed)
    g_main_context_pop_thread_default (context);
}

/* Starts a call: resolves the endpoint (an endpoint that is not allowed fails
 * before any request), then sends the first attempt. Takes @call. */
static void
start_call (StompyAwsClient     *self,
            Call                *call,
            const char          *region,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag,
            const char          *bucket,
            const char          *key,
            const char          *query)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  call->call_start_us = g_get_monotonic_time ();

  call->endpoint = lookup_endpoint (self, call->service, region, &error);
  if (call->endpoint == NULL)
    {
      g_debug ("%s %s: endpoint refused: %s", service_label (call->service), call->operation,
               error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (call->protocol != PROTOCOL_REST_XML)
    {
      call->uri = g_strconcat (call->endpoint->url, "/", NULL);
    }
  else
    {
      GString *uri = g_string_new (NULL);
      g_autoptr(GUri) base = g_uri_parse (call->endpoint->url, G_URI_FLAGS_ENCODED, NULL);

      /* Virtual-hosted addressing is AWS's preferred form, but the TLS
       * wildcard certificate does not cover bucket names with dots, and an
       * overridden endpoint (the emulator, a proxy) has no bucket subdomains:
       * those use path-style (aws-cur-s3.md §5.1). */
      if (bucket != NULL && base != NULL && !call->endpoint->overridden &&
          strchr (bucket, '.') == NULL)
        {
          g_autoptr(GUri) hosted = NULL;
          g_autofree char *host = g_strconcat (bucket, ".", g_uri_get_host (base), NULL);

          g_autofree char *hosted_text = NULL;

          hosted = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (base), NULL, host,
                                g_uri_get_port (base), "/", NULL, NULL);
          hosted_text = g_uri_to_string (hosted);
          g_string_append (uri, hosted_text);
        }
      else
        {
          g_string_append (uri, call->endpoint->url);
          g_string_append_c (uri, '/');
          if (bucket != NULL)
            {
              g_autofree char *bucket_enc = g_uri_escape_string (bucket, NULL, FALSE);
              g_string_append (uri, bucket_enc);
              if (key != NULL)
                g_string_append_c (uri, '/');
            }
        }

      if (key != NULL)
        {
          /* Each segment encoded, the separators kept. */
          g_autofree char *key_enc = g_uri_escape_string (key, "/", FALSE);
          g_string_append (uri, key_enc);
        }

      if (query != NULL && *query != '\0')
        {
          g_string_append_c (uri, '?');
          g_string_append (uri, query);
        }

      call->uri = g_string_free (uri, FALSE);
    }

  send_attempt (g_steal_pointer (&task));
}

/* ------------------------------------------------------------------ query */

void
stompy_aws_client_query_async (StompyAwsClient     *self,
                               StompyAwsService     service,
                               const char          *action,
                               const char          *version,
                               const char * const  *params,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Call *call;
  char *form;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (self));
  g_return_if_fail (action != NULL && version != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  form = encode_form (params, action, version);

  call = g_new0 (Call, 1);
  call->protocol = PROTOCOL_QUERY;
  call->service = service;
  call->operation = g_strdup (action);
  call->action = g_strdup (action);
  call->method = g_strdup ("POST");
  call->body = g_bytes_new_take (form, strlen (form));
  call->content_type = g_strdup ("application/x-www-form-urlencoded; charset=utf-8");

  start_call (self, call, self->region, cancellable, callback, user_data,
              stompy_aws_client_query_async, NULL, NULL, NULL);
}

StompyXmlNode *
stompy_aws_client_query_finish (StompyAwsClient  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stompy_aws_client_query_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ JSON 1.1 */

void
stompy_aws_client_json_async (StompyAwsClient     *self,
                              StompyAwsService     service,
                              const char          *target,
                              JsonNode            *body,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Call *call;
  char *text;
  const char *dot;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (self));
  g_return_if_fail (target != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  text = body != NULL ? json_to_string (body, FALSE) : g_strdup ("{}");
  dot = strrchr (target, '.');

  call = g_new0 (Call, 1);
  call->protocol = PROTOCOL_JSON;
  call->service = service;
  call->operation = g_strdup (dot != NULL ? dot + 1 : target);
  call->method = g_strdup ("POST");
  call->target = g_strdup (target);
  call->body = g_bytes_new_take (text, strlen (text));
  call->content_type = g_strdup ("application/x-amz-json-1.1");

  start_call (self, call, self->region, cancellable, callback, user_data,
              stompy_aws_client_json_async, NULL, NULL, NULL);
}

JsonNode *
stompy_aws_client_json_finish (StompyAwsClient  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stompy_aws_client_json_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ REST-XML */

void
stompy_aws_client_rest_xml_async (StompyAwsClient     *self,
                                  const char          *method,
                                  const char          *bucket,
                                  const char          *key,
                                  const char          *query,
                                  const char          *region,
                                  GBytes              *body,
                                  const char          *content_type,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Call *call;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (Call, 1);
  call->protocol = PROTOCOL_REST_XML;
  call->service = STOMPY_AWS_SERVICE_S3;
  call->operation = g_strdup_printf ("%s %s%s%s%s%s", method,
                                     bucket != NULL ? bucket : "",
                                     key != NULL ? "/" : "", key != NULL ? key : "",
                                     query != NULL && *query != '\0' ? "?" : "",
                                     query != NULL ? query : "");
  call->method = g_strdup (method);
  call->content_type = g_strdup (content_type);
  call->content_md5 = TRUE;

  /* S3 wants a Content-Length on PUT and POST even without a body. */
  if (body != NULL)
    call->body = g_bytes_ref (body);
  else if (g_str_equal (method, "PUT") || g_str_equal (method, "POST"))
    call->body = g_bytes_new_static ("", 0);

  start_call (self, call, region != NULL && *region != '\0' ? region : self->region,
              cancellable, callback, user_data, stompy_aws_client_rest_xml_async,
              bucket, key, query);
}

StompyAwsResponse *
stompy_aws_client_rest_xml_finish (StompyAwsClient  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stompy_aws_client_rest_xml_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
