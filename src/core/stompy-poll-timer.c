/* stompy-poll-timer.c — the default clock and timer of everything that polls */
#include "config.h"

#include "stompy-poll-timer.h"

static gint64
default_now (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static gpointer
default_schedule (guint       delay_ms,
                  GSourceFunc func,
                  gpointer    func_data,
                  gpointer    user_data)
{
  const StompyPollTimerTarget *target = user_data;
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, func_data, NULL);
  g_source_set_static_name (source, target->name);
  g_source_attach (source, target->context);

  /* The caller's handle keeps this reference until the source fires
   * (stompy_poll_timer_fired()) or is cancelled. */
  return source;
}

static void
default_cancel (gpointer handle,
                gpointer user_data)
{
  g_source_destroy (handle);
  g_source_unref (handle);
}

static const StompyPollTimer default_timer = {
  default_now, default_schedule, default_cancel,
};

const StompyPollTimer *
stompy_poll_timer_get_default (void)
{
  return &default_timer;
}

void
stompy_poll_timer_fired (const StompyPollTimer *timer,
                         gpointer              *handle)
{
  g_return_if_fail (timer != NULL && handle != NULL);

  /* The default source is one-shot: drop our reference before it goes. */
  if (*handle != NULL && timer->schedule == default_schedule)
    g_source_unref (*handle);
  *handle = NULL;
}

guint
stompy_poll_timer_backoff_ms (guint  index,
                              guint  first_ms,
                              guint  max_ms,
                              double factor)
{
  double delay = first_ms;

  for (guint i = 0; i < index && delay < max_ms; i++)
    delay *= factor;

  return (guint) MIN (delay, (double) max_ms);
}
