/* stompy-api-client.h — the Stompy service API (stompy-api.md), v1
 *
 * JSON over HTTPS with a bearer token. Follows every rule of the contract:
 * Accept-Language and User-Agent on every request, Idempotency-Key on every
 * mutating one (the same key across its retries), Retry-After on 429, at most 3
 * attempts on 5xx with backoff, and the error body turned into STOMPY_API_ERROR.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "stompy-retry.h"

G_BEGIN_DECLS

#define STOMPY_API_DEFAULT_URL "https://api.stompy.io/v1"
/* Where a new user signs up (opened in the browser from the sign-in page). */
#define STOMPY_SIGN_UP_URL     "https://stompy.io/signup"

/* ---- result types (boxed) ---- */

#define STOMPY_TYPE_SESSION (stompy_session_get_type ())
typedef struct
{
  char      *token;
  GDateTime *expires_at;        /* may be NULL */
  char      *user_email;
  char      *user_name;
  char      *organization_id;
  char      *organization_name;
} StompySession;
GType          stompy_session_get_type (void) G_GNUC_CONST;
StompySession *stompy_session_copy     (const StompySession *self);
void           stompy_session_free     (StompySession       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompySession, stompy_session_free)

#define STOMPY_TYPE_ONBOARDING_INFO (stompy_onboarding_info_get_type ())
typedef struct
{
  char *url;
  char *version;
  char *default_stack_name;
} StompyTemplateInfo;
typedef struct
{
  char              *external_id;
  char              *principal_account_id;
  char              *recommended_region;
  StompyTemplateInfo analysaver;
  StompyTemplateInfo spotainer;
} StompyOnboardingInfo;
GType                 stompy_onboarding_info_get_type (void) G_GNUC_CONST;
StompyOnboardingInfo *stompy_onboarding_info_copy     (const StompyOnboardingInfo *self);
void                  stompy_onboarding_info_free     (StompyOnboardingInfo       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyOnboardingInfo, stompy_onboarding_info_free)

#define STOMPY_TYPE_ACCOUNT_STATUS (stompy_account_status_get_type ())
typedef struct
{
  char *id;       /* "assume_analysaver_role", … */
  char *status;   /* "pending", "ok", "failed" */
  char *message;  /* localized by the service; "" when none */
} StompyAccountCheck;
typedef struct
{
  char      *account_id;
  char      *status;  /* "verifying", "connected", "waiting_for_data", "failed" */
  GPtrArray *checks;  /* of StompyAccountCheck*, owned */
} StompyAccountStatus;
GType                stompy_account_status_get_type (void) G_GNUC_CONST;
StompyAccountStatus *stompy_account_status_copy     (const StompyAccountStatus *self);
void                 stompy_account_status_free     (StompyAccountStatus       *self);
/* TRUE while any check is "pending". */
gboolean             stompy_account_status_is_pending (const StompyAccountStatus *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyAccountStatus, stompy_account_status_free)

/* ---- reading a body ---- */

typedef enum
{
  STOMPY_API_BODY_SESSION,         /* StompySession */
  STOMPY_API_BODY_ONBOARDING,      /* StompyOnboardingInfo */
  STOMPY_API_BODY_ACCOUNT_STATUS,  /* StompyAccountStatus */
  STOMPY_API_BODY_ACCOUNT_LIST,    /* GPtrArray of StompyAccountStatus */
} StompyApiBodyKind;

/* A whole answer body read as the client reads it, with the same parsers: a
 * 2xx body gives the result of @kind (free it with that type's free function,
 * g_ptr_array_unref for a list); an error status gives NULL and the body's
 * STOMPY_API_ERROR (or MALFORMED_RESPONSE). For tests and fuzzing. */
gpointer stompy_api_parse_body (StompyApiBodyKind   kind,
                                guint               status,
                                const char         *body,
                                gsize               length,
                                GError            **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- the client ---- */

#define STOMPY_TYPE_API_CLIENT (stompy_api_client_get_type ())

G_DECLARE_FINAL_TYPE (StompyApiClient, stompy_api_client, STOMPY, API_CLIENT, GObject)

/* STOMPY_API_URL from @envp (NULL = this process) wins over @setting (the
 * GSettings value, may be NULL or ""), else STOMPY_API_DEFAULT_URL. */
char             *stompy_api_resolve_base_url        (const char * const *envp,
                                                      const char         *setting) G_GNUC_WARN_UNUSED_RESULT;

/* NULL with STOMPY_ERROR_INSECURE_ENDPOINT / _INVALID_INPUT for a bad URL. */
StompyApiClient  *stompy_api_client_new              (SoupSession  *session,
                                                      const char   *base_url,
                                                      GError      **error);
const char       *stompy_api_client_get_base_url     (StompyApiClient *self);
void              stompy_api_client_set_token        (StompyApiClient *self,
                                                      const char      *token);
const char       *stompy_api_client_get_token        (StompyApiClient *self);
/* The "signed-in" property (notified when it changes) says whether a token is held. */
/* Accept-Language; NULL = stompy_http_accept_language(). */
void              stompy_api_client_set_language     (StompyApiClient *self,
                                                      const char      *language);
void              stompy_api_client_set_retry_policy (StompyApiClient   *self,
                                                      StompyRetryPolicy *policy);
/* For tests: the longest Retry-After wait honoured, in ms (default 60 s). */
void              stompy_api_client_set_max_retry_after_ms (StompyApiClient *self,
                                                      guint            max_ms);

/* POST /sessions. On success the client keeps the token too. */
void              stompy_api_client_sign_in_async    (StompyApiClient     *self,
                                                      const char          *email,
                                                      const char          *password,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
StompySession    *stompy_api_client_sign_in_finish   (StompyApiClient     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* DELETE /sessions/current. The client forgets its token whatever the answer. */
void              stompy_api_client_sign_out_async   (StompyApiClient     *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          stompy_api_client_sign_out_finish  (StompyApiClient     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* GET /aws/onboarding */
void              stompy_api_client_get_onboarding_async  (StompyApiClient     *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
StompyOnboardingInfo *stompy_api_client_get_onboarding_finish (StompyApiClient *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* GET /aws/accounts — also how a stored token is checked at start. Returns a
 * GPtrArray of StompyAccountStatus* (owned). */
void              stompy_api_client_list_accounts_async  (StompyApiClient     *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray        *stompy_api_client_list_accounts_finish (StompyApiClient     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* POST /aws/accounts with @request (the documented body). */
void              stompy_api_client_connect_account_async  (StompyApiClient     *self,
                                                      JsonNode            *request,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* The same with the Idempotency-Key given (a UUID kept by the caller, so that
 * a retry after a crash replays the first request); NULL makes one. Finish
 * with stompy_api_client_connect_account_finish(). */
void              stompy_api_client_connect_account_with_key_async (StompyApiClient     *self,
                                                      JsonNode            *request,
                                                      const char          *idempotency_key,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
StompyAccountStatus *stompy_api_client_connect_account_finish (StompyApiClient *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* GET /aws/accounts/{account_id} */
void              stompy_api_client_get_account_async  (StompyApiClient     *self,
                                                      const char          *account_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
StompyAccountStatus *stompy_api_client_get_account_finish (StompyApiClient *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
