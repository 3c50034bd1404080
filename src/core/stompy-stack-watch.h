/* stompy-stack-watch.h — follow one stack until it settles
 *
 * Polls the stack's new events (DescribeStackEvents, newest first, stopping
 * at the newest event already seen) and, when the stack itself changed (a new
 * event of the stack, or on the first look and on refresh), DescribeStacks for
 * its status and outputs. Between looks it waits 250 ms, then twice as long
 * each time up to 15 s (stompy_poll_timer_quick_backoff_ms()); and it never sends more than STOMPY_STACK_WATCH_MAX_REQUESTS_PER_MINUTE
 * requests (both calls counted) in any 60 s, waiting longer when a look would
 * go over. It stops when the stack settles (stompy_stack_state_is_settled()),
 * on a non-transient error, on stop() and on dispose; refresh() looks at once
 * (within the limit) and restarts polling. Everything runs on the
 * thread-default main context of the thread that created the watch.
 */
#pragma once

#include "stompy-cloudformation.h"
#include "stompy-poll-timer.h"

G_BEGIN_DECLS

#define STOMPY_STACK_WATCH_FIRST_DELAY_MS          2000
#define STOMPY_STACK_WATCH_MAX_DELAY_MS            15000
#define STOMPY_STACK_WATCH_MAX_REQUESTS_PER_MINUTE 12

/* The replaceable clock and timer (stompy-poll-timer.h), under the name the
 * watches and the poller have always used. */
typedef StompyPollTimer StompyStackWatchTimer;

#define STOMPY_TYPE_STACK_WATCH (stompy_stack_watch_get_type ())

G_DECLARE_FINAL_TYPE (StompyStackWatch, stompy_stack_watch, STOMPY, STACK_WATCH, GObject)

/* @stack is a name or a stack id (prefer the id: it still answers after
 * deletion). @client_request_token (may be NULL) and @resource_count (the
 * template's Resources; 0 = unknown) give the progress figure and the failure
 * reason of the operation being followed. Does not poll until started. */
StompyStackWatch  *stompy_stack_watch_new               (StompyAwsClient  *client,
                                                         const char       *stack,
                                                         const char       *client_request_token,
                                                         guint             resource_count) G_GNUC_WARN_UNUSED_RESULT;
/* Before start(): replace the clock and timer (the struct is copied). */
void               stompy_stack_watch_set_timer         (StompyStackWatch            *self,
                                                         const StompyStackWatchTimer *timer,
                                                         gpointer                     user_data);
/* Before the first start(): the stack as the caller has just described it
 * (after CreateStack), copied. The first look then comes after the first
 * delay and sends DescribeStacks only if the stack's events show it moved. */
void               stompy_stack_watch_set_stack         (StompyStackWatch  *self,
                                                         const StompyStack *stack);
/* Looks now (after the first delay when set_stack() handed the stack) and
 * polls until settled. No-op when already polling. */
void               stompy_stack_watch_start             (StompyStackWatch *self);
/* Looks as soon as the rate limit allows, with a fresh DescribeStacks, and
 * polls again from the first delay until settled. */
void               stompy_stack_watch_refresh           (StompyStackWatch *self);
/* Cancels the request in flight and the timer; pending waits end cancelled. */
void               stompy_stack_watch_stop              (StompyStackWatch *self);

/* The latest answer (NULL before the first), borrowed. */
StompyStack       *stompy_stack_watch_get_stack         (StompyStackWatch *self);
/* Every event seen (StompyStackEvent*), newest first, borrowed. */
GPtrArray         *stompy_stack_watch_get_events        (StompyStackWatch *self);
void               stompy_stack_watch_get_progress      (StompyStackWatch *self,
                                                         guint            *done,
                                                         guint            *total);
/* The oldest *_FAILED event with a reason in the followed operation, else
 * the stack's StackStatusReason when it failed or rolled back, else NULL. */
const char        *stompy_stack_watch_get_failure_reason (StompyStackWatch *self);
/* The error that stopped polling, or the last transient one (cleared by the
 * next success); NULL when none. */
const GError      *stompy_stack_watch_get_error         (StompyStackWatch *self);
gboolean           stompy_stack_watch_get_settled       (StompyStackWatch *self);
gboolean           stompy_stack_watch_get_polling       (StompyStackWatch *self);
/* Requests (DescribeStacks and DescribeStackEvents pages) sent so far. */
guint              stompy_stack_watch_get_request_count (StompyStackWatch *self);

/* Completes with a copy of the settled stack (or the error that stopped the
 * watch); starts the watch when needed. */
void               stompy_stack_watch_wait_async        (StompyStackWatch    *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
StompyStack       *stompy_stack_watch_wait_finish       (StompyStackWatch    *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* The wait after look number @poll_index (0-based): 250 ms doubling, capped
 * at 15 s: 250, 500, 1000, 2000, 4000, 8000, 15000… */
guint              stompy_stack_watch_backoff_ms        (guint poll_index);

G_END_DECLS
