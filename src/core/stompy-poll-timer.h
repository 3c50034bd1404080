/* stompy-poll-timer.h — the replaceable clock and timer of everything that polls
 *
 * The stack watch, the connection watch and the status poller wait between
 * looks through this interface, so that tests can run their schedules without
 * waiting (one fake timer serves them all), and share its default (GLib's
 * monotonic clock and one-shot timeout sources) and its backoff step.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @schedule returns a handle for @cancel; it calls @func(@func_data) once
 * after @delay_ms. @now is monotonic, in µs. */
typedef struct
{
  gint64   (*now)      (gpointer     user_data);
  gpointer (*schedule) (guint        delay_ms,
                        GSourceFunc  func,
                        gpointer     func_data,
                        gpointer     user_data);
  void     (*cancel)   (gpointer     handle,
                        gpointer     user_data);
} StompyPollTimer;

/* The user_data of the default timer: the context its sources are attached
 * to and their (static) name, for profilers and debuggers. */
typedef struct
{
  GMainContext *context;
  const char   *name;
} StompyPollTimerTarget;

/* The default timer; its user_data is a StompyPollTimerTarget* that outlives
 * every wait it schedules. */
const StompyPollTimer *stompy_poll_timer_get_default (void);

/* Called first in a wait's callback: forgets *@handle, dropping the
 * reference the default timer's one-shot source gave. */
void                   stompy_poll_timer_fired       (const StompyPollTimer *timer,
                                                      gpointer              *handle);

/* The wait number @index (0-based): @first_ms × @factor^@index, at most @max_ms. */
guint                  stompy_poll_timer_backoff_ms  (guint                  index,
                                                      guint                  first_ms,
                                                      guint                  max_ms,
                                                      double                 factor);

/* The first wait of a follower's quick start: what is being followed has
 * usually just been asked for (a stack created, Connect answered), and an
 * answer within a second is common where the work is quick. */
#define STOMPY_POLL_TIMER_QUICK_FIRST_MS 250

/* The one schedule of the stack and connection watches: the wait number
 * @index (0-based) is STOMPY_POLL_TIMER_QUICK_FIRST_MS doubling while it is
 * below @first_ms (250, 500, 1000 for 2000), then
 * stompy_poll_timer_backoff_ms() from @first_ms; at most @max_ms. The quick
 * start adds 3 looks (in 1.75 s) before the documented first wait. */
guint                  stompy_poll_timer_quick_backoff_ms (guint             index,
                                                           guint             first_ms,
                                                           guint             max_ms,
                                                           double            factor);

G_END_DECLS
