/* stompy-connection-watch.h — follow Stompy's verification checks until none is pending
 *
 * After Connect, polls GET /aws/accounts/{id} as stompy-api.md asks, after a
 * quick start: first after 250 ms, 500 ms, 1 s, then 2 s and ×1.5 each time
 * up to 30 s (stompy_poll_timer_quick_backoff_ms()), until no check is pending, and
 * records every answer in the model's StompyConnection. A network error, a
 * 5xx or a rate limit keeps polling on the same schedule (the error is kept
 * until the next answer); an expired or invalid token stops the watch with
 * that error, so that the UI can ask the user to sign in again and then
 * resume(); any other error stops it too. Everything runs on the
 * thread-default main context of the thread that created the watch.
 */
#pragma once

#include "stompy-api-client.h"
#include "stompy-connection.h"
#include "stompy-stack-watch.h"

G_BEGIN_DECLS

#define STOMPY_CONNECTION_WATCH_FIRST_DELAY_MS 2000
#define STOMPY_CONNECTION_WATCH_MAX_DELAY_MS   30000

#define STOMPY_TYPE_CONNECTION_WATCH (stompy_connection_watch_get_type ())

G_DECLARE_FINAL_TYPE (StompyConnectionWatch, stompy_connection_watch, STOMPY, CONNECTION_WATCH,
                      GObject)

/* Follows the account of @connection (which must have one), writing each
 * answer into it. Does not poll until started. */
StompyConnectionWatch *stompy_connection_watch_new         (StompyApiClient  *client,
                                                            StompyConnection *connection) G_GNUC_WARN_UNUSED_RESULT;
/* Before start(): replace the clock and timer (the struct is copied); the
 * same interface as StompyStackWatch's, so tests share one fake timer. */
void                   stompy_connection_watch_set_timer   (StompyConnectionWatch       *self,
                                                            const StompyStackWatchTimer *timer,
                                                            gpointer                     user_data);
/* Polls, the first look after the first delay (Connect has just answered),
 * until settled. No-op while polling. */
void                   stompy_connection_watch_start       (StompyConnectionWatch *self);
/* Looks now and polls again from the first delay: after signing in again,
 * or from a refresh button. Clears the error that stopped the watch. */
void                   stompy_connection_watch_resume      (StompyConnectionWatch *self);
/* Cancels the request in flight and the timer; waiters end cancelled. */
void                   stompy_connection_watch_stop        (StompyConnectionWatch *self);

/* The latest answer, or the connection's recorded one; borrowed, may be NULL. */
const StompyAccountStatus *stompy_connection_watch_get_status (StompyConnectionWatch *self);
/* The error that stopped the watch, or the last transient one (cleared by
 * the next answer); NULL when none. */
const GError          *stompy_connection_watch_get_error   (StompyConnectionWatch *self);
gboolean               stompy_connection_watch_get_settled (StompyConnectionWatch *self);
gboolean               stompy_connection_watch_get_polling (StompyConnectionWatch *self);
guint                  stompy_connection_watch_get_request_count (StompyConnectionWatch *self);

/* Completes with a copy of the settled status, or the error that stopped the
 * watch (the auth error when the token expired); starts the watch when needed. */
void                   stompy_connection_watch_wait_async  (StompyConnectionWatch *self,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
StompyAccountStatus   *stompy_connection_watch_wait_finish (StompyConnectionWatch *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);

/* The wait before look number @poll_index (0-based): 250, 500, 1000, then
 * 2000 × 1.5^n ms, ≤ 30 s. */
guint                  stompy_connection_watch_backoff_ms  (guint poll_index);
/* Network, 5xx, rate limit, a malformed answer: worth asking again. */
gboolean               stompy_connection_watch_error_is_transient (const GError *error);

G_END_DECLS
