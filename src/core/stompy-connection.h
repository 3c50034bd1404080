/* stompy-connection.h — the Connect step: what is sent to Stompy, and what it answered
 *
 * Part of the onboarding model (StompyOnboarding owns one, saved under
 * "connection" in the state file): the account connected, whether Connect was
 * submitted, the Idempotency-Key of the POST /aws/accounts (kept with a digest
 * of the body it was made for, so that a retry after a crash replays the first
 * request rather than connecting twice, while a changed request gets a new
 * key), and the last StompyAccountStatus seen.
 *
 * Also the request itself, built from the model exactly as stompy-api.md
 * documents it, a structured summary of it for the Connect page and the CLI
 * (which format and translate it), and the connect call that ties the two.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "stompy-api-client.h"
#include "stompy-cur-choice.h"

G_BEGIN_DECLS

/* stompy-onboarding.h includes this header; the model is only named here. */
typedef struct _StompyOnboarding StompyOnboarding;

/* What the model still lacks before Connect can be sent. */
typedef enum /*< flags >*/
{
  STOMPY_CONNECTION_READY                  = 0,
  STOMPY_CONNECTION_MISSING_ACCOUNT_ID     = 1 << 0,
  STOMPY_CONNECTION_MISSING_PRODUCTS       = 1 << 1,
  STOMPY_CONNECTION_MISSING_REPORT         = 1 << 2,  /* AnalySaver's report, bucket or region */
  STOMPY_CONNECTION_MISSING_ANALYSAVER_ROLE = 1 << 3,
  STOMPY_CONNECTION_MISSING_SPOTAINER_ROLE = 1 << 4,
} StompyConnectionMissing;

GType stompy_connection_missing_get_type (void) G_GNUC_CONST;
#define STOMPY_TYPE_CONNECTION_MISSING (stompy_connection_missing_get_type ())

/* ---- the summary: every value the request carries, for display ---- */

#define STOMPY_TYPE_CONNECTION_SUMMARY (stompy_connection_summary_get_type ())
typedef struct
{
  char          *account_id;
  gboolean       analysaver;           /* AnalySaver is in "products" */
  gboolean       spotainer;            /* SpoTainer is in "products" */
  char          *analysaver_role_arn;  /* NULL unless analysaver */
  StompyCurKind  cur_kind;
  char          *report_name;          /* the report's, or the export's name */
  char          *bucket;
  char          *prefix;               /* "" when none */
  char          *region;
  char          *spotainer_role_arn;   /* NULL unless spotainer */
} StompyConnectionSummary;

GType                    stompy_connection_summary_get_type (void) G_GNUC_CONST;
StompyConnectionSummary *stompy_connection_summary_copy     (const StompyConnectionSummary *self);
void                     stompy_connection_summary_free     (StompyConnectionSummary       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyConnectionSummary, stompy_connection_summary_free)

/* What @onboarding lacks for Connect (READY when nothing). */
StompyConnectionMissing  stompy_connection_find_missing     (StompyOnboarding *onboarding);
/* NULL with STOMPY_ERROR_INVALID_INPUT naming the first missing piece, or a
 * RoleArn that is not a role of the account. */
StompyConnectionSummary *stompy_connection_summarize        (StompyOnboarding  *onboarding,
                                                             GError           **error) G_GNUC_WARN_UNUSED_RESULT;
/* The documented POST /aws/accounts body for @summary / @onboarding. */
JsonNode                *stompy_connection_summary_to_request (const StompyConnectionSummary *summary) G_GNUC_WARN_UNUSED_RESULT;
JsonNode                *stompy_connection_build_request    (StompyOnboarding  *onboarding,
                                                             GError           **error) G_GNUC_WARN_UNUSED_RESULT;
/* A stable digest (SHA-256, hex) of a request body. */
char                    *stompy_connection_request_digest   (JsonNode *request) G_GNUC_WARN_UNUSED_RESULT;

/* ---- the model part ---- */

#define STOMPY_TYPE_CONNECTION (stompy_connection_get_type ())

G_DECLARE_FINAL_TYPE (StompyConnection, stompy_connection, STOMPY, CONNECTION, GObject)

StompyConnection          *stompy_connection_new                 (void);

/* The account the request was (or is being) sent for. */
const char                *stompy_connection_get_account_id      (StompyConnection *self);
/* TRUE once a POST was sent (it may not have been answered). */
gboolean                   stompy_connection_get_submitted       (StompyConnection *self);
const char                *stompy_connection_get_idempotency_key (StompyConnection *self);
const char                *stompy_connection_get_request_digest  (StompyConnection *self);
/* The last answer seen (POST or GET), or NULL. Borrowed. */
const StompyAccountStatus *stompy_connection_get_status          (StompyConnection *self);
/* TRUE when an answer is known and no check is pending. */
gboolean                   stompy_connection_get_settled         (StompyConnection *self);

/* Marks the request for @account_id with @digest as submitted and returns the
 * key to send: the kept one when it was made for the same account and digest,
 * else a new one (which forgets the last status). */
const char                *stompy_connection_begin               (StompyConnection *self,
                                                                  const char       *account_id,
                                                                  const char       *digest);
/* The service refused the request for good (it did not act): the next
 * attempt is a new request with a new key. */
void                       stompy_connection_forget_key          (StompyConnection *self);
/* Records an answer (NULL forgets it). */
void                       stompy_connection_set_status          (StompyConnection          *self,
                                                                  const StompyAccountStatus *status);
void                       stompy_connection_clear               (StompyConnection *self);

/* State-file form: an object member of the onboarding file. */
void                       stompy_connection_to_json             (StompyConnection *self,
                                                                  JsonBuilder      *builder);
/* Validates everything before changing anything; FALSE with *problem set. */
gboolean                   stompy_connection_load_json           (StompyConnection *self,
                                                                  JsonObject       *object,
                                                                  char            **problem);

/* ---- Connect ---- */

/* Builds the request from @onboarding, records it in the model's connection
 * (stompy_connection_begin(): the kept key for the same request), sends
 * POST /aws/accounts with that key and records the answer. A refusal the
 * service would repeat (400, 403, 404, 409, 422) forgets the key; a network
 * error, a 5xx or an expired token keeps it for the retry. */
void                 stompy_connection_connect_async   (StompyOnboarding    *onboarding,
                                                        StompyApiClient     *client,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
StompyAccountStatus *stompy_connection_connect_finish  (GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
