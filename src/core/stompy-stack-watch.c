/* stompy-stack-watch.c — follow one stack until it settles
 *
 * One look = DescribeStackEvents from the newest event (stopping at the newest
 * one already seen) and, only when the stack itself moved (an event of the
 * stack, the first look, a refresh), DescribeStacks. AWS's own waiters poll
 * every 30 s (§2.5); the panel wants quicker news while a stack is young, so
 * the delay starts at 250 ms and doubles up to 15 s (the shared quick
 * schedule of stompy-poll-timer.h), and a sliding 60 s window keeps the watch
 * at or under 12 requests a minute whatever the delays say. That schedule
 * alone stays under it: at most 9 looks in any 60 s (0, 0.25, 0.75, 1.75,
 * 3.75, 7.75, 15.75, 30.75, 45.75 s after the start), each one events page,
 * plus a DescribeStacks on the first look and on each move of the stack
 * itself (one when it settles): 11.
 */
#include "config.h"

#include "stompy-error.h"
#include "stompy-stack-watch.h"
#include "stompy-waiters.h"

#define WINDOW_US (60 * G_USEC_PER_SEC)
/* A look sends at most this many requests unless it can page further within
 * the limit: one events page and one DescribeStacks. */
#define LOOK_MIN_REQUESTS 2
/* Failed looks in a row after which waiters get the error (looking goes on):
 * about half a minute of waits at the default backoff, each look retried. */
#define MAX_FAILED_LOOKS_BEFORE_TELLING 5

struct _StompyStackWatch
{
  GObject                parent_instance;

  StompyAwsClient       *client;
  char                  *stack_ref;        /* name, then the id once known */
  char                  *client_request_token;
  guint                  resource_count;
  StompyPollTimerTarget  timer_target;   /* the default timer's */

  StompyStackWatchTimer  timer;
  guint                  failed_looks;  /* transient failures in a row */
  gpointer               timer_data;
  gpointer               timer_handle;

  GCancellable          *cancellable;      /* of the look in flight */
  gboolean               polling;
  gboolean               in_flight;
  gboolean               refresh_pending;
  gboolean               describe_needed;
  gboolean               stack_handed;     /* set_stack() before start() */
  gboolean               settled;
  guint                  poll_index;
  GArray                *request_times;    /* gint64 µs, oldest first */
  guint                  request_count;

  StompyStack           *stack;
  GPtrArray             *events;           /* newest first */
  guint                  done;
  guint                  total;
  char                  *failure_reason;
  GError                *error;

  StompyWaiters          waiters;
};

G_DEFINE_FINAL_TYPE (StompyStackWatch, stompy_stack_watch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STACK,
  PROP_SETTLED,
  PROP_POLLING,
  N_PROPS,
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void look (StompyStackWatch *self);

/* ------------------------------------------------------------------ helpers */

guint
stompy_stack_watch_backoff_ms (guint poll_index)
{
  return stompy_poll_timer_quick_backoff_ms (poll_index, STOMPY_STACK_WATCH_FIRST_DELAY_MS,
                                             STOMPY_STACK_WATCH_MAX_DELAY_MS, 2);
}

static gint64
now_us (StompyStackWatch *self)
{
  return self->timer.now (self->timer_data);
}

/* Requests in the window ending now (times > now − 60 s); older ones are
 * forgotten. */
static guint
requests_in_window (StompyStackWatch *self,
                    gint64            now)
{
  guint first = 0;

  while (first < self->request_times->len &&
         g_array_index (self->request_times, gint64, first) <= now - WINDOW_US)
    first++;
  if (first > 0)
    g_array_remove_range (self->request_times, 0, first);

  return self->request_times->len;
}

/* µs from now until a look (LOOK_MIN_REQUESTS) fits in the window. */
static gint64
wait_for_room_us (StompyStackWatch *self,
                  gint64            now)
{
  guint in_window = requests_in_window (self, now);
  guint allowed = STOMPY_STACK_WATCH_MAX_REQUESTS_PER_MINUTE - LOOK_MIN_REQUESTS;

  if (in_window <= allowed)
    return 0;

  /* Once the (in_window − allowed) oldest have left the window. */
  return g_array_index (self->request_times, gint64, in_window - allowed - 1) + WINDOW_US -
         now + 1;
}

static void
note_request (StompyStackWatch *self)
{
  gint64 now = now_us (self);

  g_array_append_val (self->request_times, now);
  self->request_count++;
}

static void
cancel_timer (StompyStackWatch *self)
{
  if (self->timer_handle != NULL)
    {
      self->timer.cancel (g_steal_pointer (&self->timer_handle), self->timer_data);
    }
}

static void
set_polling (StompyStackWatch *self,
             gboolean          polling)
{
  if (self->polling != polling)
    {
      self->polling = polling;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLLING]);
    }
}

static void
set_settled (StompyStackWatch *self,
             gboolean          settled)
{
  if (self->settled != settled)
    {
      self->settled = settled;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTLED]);
    }
}

/* The stack as last seen, or the error when the last look failed before it settled. */
static void
return_result (GTask    *task,
               gpointer  user_data)
{
  StompyStackWatch *self = user_data;

  if (self->error != NULL && (self->stack == NULL ||
                              !stompy_stack_state_is_settled (self->stack->state)))
    g_task_return_error (task, g_error_copy (self->error));
  else
    g_task_return_pointer (task, stompy_stack_copy (self->stack),
                           (GDestroyNotify) stompy_stack_free);
}

static void
complete_waiters (StompyStackWatch *self,
                  const GError     *cancelled)
{
  stompy_waiters_return_all (&self->waiters, cancelled, return_result, self);
}

static gboolean
timer_cb (gpointer user_data)
{
  StompyStackWatch *self = user_data;

  stompy_poll_timer_fired (&self->timer, &self->timer_handle);

  look (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_look (StompyStackWatch *self,
               gint64            delay_us)
{
  gint64 room_us = wait_for_room_us (self, now_us (self));

  delay_us = MAX (delay_us, room_us);
  cancel_timer (self);
  g_debug ("Stack %s: next look in %" G_GINT64_FORMAT " ms", self->stack_ref,
           (delay_us + 999) / 1000);
  self->timer_handle = self->timer.schedule ((guint) ((delay_us + 999) / 1000), timer_cb, self,
                                             self->timer_data);
}

static void
update_derived (StompyStackWatch *self)
{
  GDateTime *since = NULL;

  if (self->stack != NULL)
    since = self->stack->last_updated_time ? self->stack->last_updated_time
                                           : self->stack->creation_time;

  stompy_stack_events_progress (self->events, self->client_request_token, since,
                                self->resource_count, &self->done, &self->total);

  g_clear_pointer (&self->failure_reason, g_free);
  self->failure_reason = stompy_stack_events_failure_reason (self->events,
                                                             self->client_request_token, since);
  if (self->failure_reason == NULL && self->stack != NULL &&
      (self->stack->state == STOMPY_STACK_STATE_FAILED ||
       self->stack->state == STOMPY_STACK_STATE_ROLLED_BACK))
    self->failure_reason = g_strdup (self->stack->status_reason);
}

/* A look ended (@error NULL on success). */
static void
look_done (StompyStackWatch *self,
           GError           *error)
{
  gboolean stop = FALSE;

  self->in_flight = FALSE;
  g_clear_object (&self->cancellable);

  if (error != NULL)
    {
      gboolean transient = error->domain == STOMPY_AWS_ERROR &&
                           (error->code == STOMPY_AWS_ERROR_NETWORK ||
                            error->code == STOMPY_AWS_ERROR_TIMEOUT ||
                            error->code == STOMPY_AWS_ERROR_THROTTLED ||
                            error->code == STOMPY_AWS_ERROR_SERVER ||
                            error->code == STOMPY_AWS_ERROR_CLOCK_SKEW);

      g_debug ("Stack %s: look failed (%s): %s", self->stack_ref,
               transient ? "will retry" : "stopping", error->message);
      g_clear_error (&self->error);
      self->error = error;
      stop = !transient;
      /* The next look describes the stack afresh. */
      self->describe_needed = TRUE;
      /* Looking goes on, but whoever waits for the outcome is told once AWS
       * has failed several looks in a row (each already retried): otherwise
       * a command waiting on a call that keeps failing would wait for ever. */
      if (transient && ++self->failed_looks >= MAX_FAILED_LOOKS_BEFORE_TELLING)
        complete_waiters (self, NULL);
    }
  else
    {
      g_clear_error (&self->error);
      self->failed_looks = 0;
      update_derived (self);
      stop = self->stack != NULL && stompy_stack_state_is_settled (self->stack->state);
    }

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, self->stack, self->events,
                 self->done, self->total);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STACK]);

  if (self->refresh_pending)
    {
      self->refresh_pending = FALSE;
      self->describe_needed = TRUE;
      self->poll_index = 0;
      set_settled (self, FALSE);
      schedule_look (self, 0);
      return;
    }

  if (stop)
    {
      set_settled (self, TRUE);
      set_polling (self, FALSE);
      complete_waiters (self, NULL);
      return;
    }

  schedule_look (self, (gint64) stompy_stack_watch_backoff_ms (self->poll_index++) * 1000);
}

static void
describe_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  StompyStackWatch *self = user_data;
  g_autoptr(GError) error = NULL;
  StompyStack *stack;

  stack = stompy_cloudformation_describe_stack_finish (result, &error);
  /* Cancelled only by stop() or dispose: then @self may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (stack == NULL)
    {
      look_done (self, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&self->stack, stompy_stack_free);
  self->stack = stack;
  self->describe_needed = FALSE;
  /* Follow the id from now on: a name stops answering once deleted. */
  if (stack->stack_id != NULL && g_strcmp0 (self->stack_ref, stack->stack_id) != 0)
    {
      g_free (self->stack_ref);
      self->stack_ref = g_strdup (stack->stack_id);
    }

  look_done (self, NULL);
}

static void
events_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  StompyStackWatch *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  guint n_requests = 0;
  gboolean stack_moved = FALSE;

  fresh = stompy_cloudformation_list_stack_events_finish (result, &n_requests, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The first page was noted when sent; count the further pages. */
  for (guint i = 1; i < n_requests; i++)
    note_request (self);

  if (fresh == NULL)
    {
      look_done (self, g_steal_pointer (&error));
      return;
    }

  /* Newest first: the stack's own newest event says where it is now; an
   * older one (its CREATE_IN_PROGRESS beside a CREATE_COMPLETE) says nothing. */
  for (guint i = 0; i < fresh->len; i++)
    {
      StompyStackEvent *event = g_ptr_array_index (fresh, i);

      if (stompy_stack_event_is_stack (event))
        {
          stack_moved = self->stack == NULL ||
                        g_strcmp0 (event->resource_status, self->stack->status) != 0;
          break;
        }
    }

  /* Newest first, in front of what we had. */
  for (guint i = fresh->len; i > 0; i--)
    g_ptr_array_insert (self->events, 0, g_ptr_array_steal_index (fresh, i - 1));

  if (self->describe_needed || stack_moved || self->stack == NULL)
    {
      note_request (self);
      self->cancellable = self->cancellable ? self->cancellable : g_cancellable_new ();
      stompy_cloudformation_describe_stack_async (self->client, self->stack_ref,
                                                  self->cancellable, describe_cb, self);
      return;
    }

  look_done (self, NULL);
}

static void
look (StompyStackWatch *self)
{
  StompyStackEvent *newest;
  guint room;

  if (self->in_flight)
    return;

  room = STOMPY_STACK_WATCH_MAX_REQUESTS_PER_MINUTE - requests_in_window (self, now_us (self));
  if (room < LOOK_MIN_REQUESTS)
    {
      /* Only reached through refresh(): wait for the window. */
      schedule_look (self, 0);
      return;
    }

  self->in_flight = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  newest = self->events->len > 0 ? g_ptr_array_index (self->events, 0) : NULL;
  note_request (self);
  /* Keep one request of the window for DescribeStacks. */
  stompy_cloudformation_list_stack_events_async (self->client, self->stack_ref,
                                                 newest ? newest->event_id : NULL,
                                                 room - 1, self->cancellable,
                                                 events_cb, self);
}

/* ------------------------------------------------------------------ public */

StompyStackWatch *
stompy_stack_watch_new (StompyAwsClient *client,
                        const char      *stack,
                        const char      *client_request_token,
                        guint            resource_count)
{
  StompyStackWatch *self;

  g_return_val_if_fail (STOMPY_IS_AWS_CLIENT (client), NULL);
  g_return_val_if_fail (stack != NULL && *stack != '\0', NULL);

  self = g_object_new (STOMPY_TYPE_STACK_WATCH, NULL);
  self->client = g_object_ref (client);
  self->stack_ref = g_strdup (stack);
  self->client_request_token = g_strdup (client_request_token);
  self->resource_count = resource_count;

  return self;
}

void
stompy_stack_watch_set_timer (StompyStackWatch            *self,
                              const StompyStackWatchTimer *timer,
                              gpointer                     user_data)
{
  g_return_if_fail (STOMPY_IS_STACK_WATCH (self));
  g_return_if_fail (timer != NULL && timer->now && timer->schedule && timer->cancel);
  g_return_if_fail (!self->polling);

  self->timer = *timer;
  self->timer_data = user_data;
}

void
stompy_stack_watch_start (StompyStackWatch *self)
{
  g_return_if_fail (STOMPY_IS_STACK_WATCH (self));

  if (self->polling)
    return;

  set_polling (self, TRUE);
  set_settled (self, FALSE);
  self->poll_index = 0;
  if (self->stack_handed)
    {
      /* The caller has just described the stack: the first look asks only
       * for events, unless the stack moved. A stack still in progress will
       * not have moved yet, so that look waits the first delay; one already
       * settled will not move at all, so its events are read at once. */
      self->stack_handed = FALSE;
      self->describe_needed = FALSE;
      if (self->timer_handle == NULL && !self->in_flight)
        {
          if (self->stack != NULL && stompy_stack_state_is_settled (self->stack->state))
            schedule_look (self, 0);
          else
            schedule_look (self, (gint64) stompy_stack_watch_backoff_ms (self->poll_index++) * 1000);
        }
      return;
    }
  self->describe_needed = TRUE;
  if (self->timer_handle == NULL && !self->in_flight)
    schedule_look (self, 0);
}

void
stompy_stack_watch_set_stack (StompyStackWatch  *self,
                              const StompyStack *stack)
{
  g_return_if_fail (STOMPY_IS_STACK_WATCH (self));
  g_return_if_fail (stack != NULL);
  g_return_if_fail (!self->polling && self->stack == NULL);

  self->stack = stompy_stack_copy (stack);
  self->stack_handed = TRUE;
  if (stack->stack_id != NULL)
    {
      g_free (self->stack_ref);
      self->stack_ref = g_strdup (stack->stack_id);
    }
  update_derived (self);
}

void
stompy_stack_watch_refresh (StompyStackWatch *self)
{
  g_return_if_fail (STOMPY_IS_STACK_WATCH (self));

  set_polling (self, TRUE);
  if (self->in_flight)
    {
      self->refresh_pending = TRUE;
      return;
    }

  set_settled (self, FALSE);
  self->poll_index = 0;
  self->describe_needed = TRUE;
  schedule_look (self, 0);
}

void
stompy_stack_watch_stop (StompyStackWatch *self)
{
  g_autoptr(GError) cancelled = NULL;

  g_return_if_fail (STOMPY_IS_STACK_WATCH (self));

  cancel_timer (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->in_flight = FALSE;
  self->refresh_pending = FALSE;
  set_polling (self, FALSE);

  cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The watch was stopped");
  complete_waiters (self, cancelled);
}

StompyStack *
stompy_stack_watch_get_stack (StompyStackWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_STACK_WATCH (self), NULL);

  return self->stack;
}

GPtrArray *
stompy_stack_watch_get_events (StompyStackWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_STACK_WATCH (self), NULL);

  return self->events;
}

void
stompy_stack_watch_get_progress (StompyStackWatch *self,
                                 guint            *done,
                                 guint            *total)
{
  g_return_if_fail (STOMPY_IS_STACK_WATCH (self));

  if (done != NULL)
    *done = self->done;
  if (total != NULL)
    *total = self->total;
}

const char *
stompy_stack_watch_get_failure_reason (StompyStackWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_STACK_WATCH (self), NULL);

  return self->failure_reason;
}

const GError *
stompy_stack_watch_get_error (StompyStackWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_STACK_WATCH (self), NULL);

  return self->error;
}

gboolean
stompy_stack_watch_get_settled (StompyStackWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_STACK_WATCH (self), FALSE);

  return self->settled;
}

gboolean
stompy_stack_watch_get_polling (StompyStackWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_STACK_WATCH (self), FALSE);

  return self->polling;
}

guint
stompy_stack_watch_get_request_count (StompyStackWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_STACK_WATCH (self), 0);

  return self->request_count;
}

/* ---- wait ---- */

void
stompy_stack_watch_wait_async (StompyStackWatch    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STOMPY_IS_STACK_WATCH (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_stack_watch_wait_async);

  if (self->settled && !self->polling)
    {
      return_result (task, self);
      return;
    }

  stompy_waiters_add (&self->waiters, task);

  stompy_stack_watch_start (self);
}

StompyStack *
stompy_stack_watch_wait_finish (StompyStackWatch  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (STOMPY_IS_STACK_WATCH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_stack_watch_wait_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ GObject */

static void
stompy_stack_watch_dispose (GObject *object)
{
  StompyStackWatch *self = STOMPY_STACK_WATCH (object);

  if (self->polling || !stompy_waiters_is_empty (&self->waiters) || self->timer_handle != NULL)
    stompy_stack_watch_stop (self);

  G_OBJECT_CLASS (stompy_stack_watch_parent_class)->dispose (object);
}

static void
stompy_stack_watch_finalize (GObject *object)
{
  StompyStackWatch *self = STOMPY_STACK_WATCH (object);

  g_clear_object (&self->client);
  g_free (self->stack_ref);
  g_free (self->client_request_token);
  g_clear_pointer (&self->timer_target.context, g_main_context_unref);
  g_clear_pointer (&self->request_times, g_array_unref);
  g_clear_pointer (&self->stack, stompy_stack_free);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_free (self->failure_reason);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (stompy_stack_watch_parent_class)->finalize (object);
}

static void
stompy_stack_watch_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StompyStackWatch *self = STOMPY_STACK_WATCH (object);

  switch (prop_id)
    {
    case PROP_STACK:
      g_value_set_boxed (value, self->stack);
      break;

    case PROP_SETTLED:
      g_value_set_boolean (value, self->settled);
      break;

    case PROP_POLLING:
      g_value_set_boolean (value, self->polling);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_stack_watch_class_init (StompyStackWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stompy_stack_watch_dispose;
  object_class->finalize = stompy_stack_watch_finalize;
  object_class->get_property = stompy_stack_watch_get_property;

  properties[PROP_STACK] =
    g_param_spec_boxed ("stack", NULL, NULL, STOMPY_TYPE_STACK,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTLED] =
    g_param_spec_boolean ("settled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLLING] =
    g_param_spec_boolean ("polling", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StompyStackWatch::changed:
   * @stack: (nullable): the latest #StompyStack
   * @events: every event seen, newest first
   * @done: resources done in the followed operation
   * @total: resources in all (the template's + the stack)
   *
   * After every look, successful or not.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4,
                  STOMPY_TYPE_STACK | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_UINT, G_TYPE_UINT);
}

static void
stompy_stack_watch_init (StompyStackWatch *self)
{
  self->timer_target.context = g_main_context_ref_thread_default ();
  self->timer_target.name = "[stompy] stack watch";
  self->timer = *stompy_poll_timer_get_default ();
  self->timer_data = &self->timer_target;
  self->request_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) stompy_stack_event_free);
}
