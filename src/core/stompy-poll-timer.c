/* stompy-poll-timer.c — the default clock and timer of everything that polls */
#include "config.h"

#include "stompy-poll-timer.h"

static gint64
default_now (gpointer user_data)
{
  return g_get_monotonic_time ();
}

/* STOMPY_POLL_SPEEDUP (a positive integer N, read once) divides every real
 * wait between looks by N: the fault tests run the whole flow against the
 * emulator hundreds of times, where stacks and checks settle in a fraction of
 * a second. Tests of the schedule itself inject their own timer instead. */
static guint
poll_speedup (void)
{
  static gsize speedup;

  if (g_once_init_enter (&speedup))
    {
      const char *value = g_getenv ("STOMPY_POLL_SPEEDUP");
      guint64 parsed = 0;

      if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 1, 1000, &parsed, NULL))
        parsed = 1;
      g_once_init_leave (&speedup, (gsize) parsed);
    }

  return (guint) speedup;
}

static gpointer
default_schedule (guint       delay_ms,
                  GSourceFunc func,
                  gpointer    func_data,
                  gpointer    user_data)
{
  const StompyPollTimerTarget *target = user_data;
  GSource *source = g_timeout_source_new (delay_ms / poll_speedup ());

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

guint
stompy_poll_timer_quick_backoff_ms (guint  index,
                                    guint  first_ms,
                                    guint  max_ms,
                                    double factor)
{
  guint quick = STOMPY_POLL_TIMER_QUICK_FIRST_MS;

  /* The doubling ramp up to @first_ms, then the backoff from there. */
  while (quick < first_ms && quick < max_ms)
    {
      if (index == 0)
        return quick;
      index--;
      quick *= 2;
    }

  return stompy_poll_timer_backoff_ms (index, first_ms, max_ms, factor);
}
