/* stompy-connection-watch.c — follow Stompy's verification checks until none is pending
 *
 * One look = one GET /aws/accounts/{id}. The waits follow stompy-api.md (2 s,
 * backing off to 30 s) after the shared quick start (250, 500, 1000 ms: the
 * checks often settle within a second of Connect), at most 9 looks in any
 * 60 s; the client underneath already retries a 5xx three
 * times and honours Retry-After, so a transient error that reaches the watch
 * only means "ask again at the next look".
 */
#include "config.h"

#include "stompy-connection-watch.h"
#include "stompy-error.h"
#include "stompy-poll-timer.h"
#include "stompy-waiters.h"

/* Failed looks in a row after which waiters get the error (looking goes on):
 * about half a minute of waits at the default backoff, each look retried. */
#define MAX_FAILED_LOOKS_BEFORE_TELLING 5

struct _StompyConnectionWatch
{
  GObject                parent_instance;

  StompyApiClient       *client;
  StompyConnection      *connection;
  char                  *account_id;
  StompyPollTimerTarget  timer_target;   /* the default timer's */

  StompyStackWatchTimer  timer;
  gpointer               timer_data;
  gpointer               timer_handle;

  GCancellable          *cancellable;   /* of the look in flight */
  gboolean               polling;
  gboolean               in_flight;
  gboolean               settled;
  guint                  poll_index;    /* waits scheduled since start or resume */
  guint                  request_count;

  StompyAccountStatus   *status;
  GError                *error;
  guint                  failed_looks;  /* transient failures in a row */

  StompyWaiters          waiters;
};

G_DEFINE_FINAL_TYPE (StompyConnectionWatch, stompy_connection_watch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
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

static void look (StompyConnectionWatch *self);

/* ------------------------------------------------------------------ helpers */

guint
stompy_connection_watch_backoff_ms (guint poll_index)
{
  return stompy_poll_timer_quick_backoff_ms (poll_index, STOMPY_CONNECTION_WATCH_FIRST_DELAY_MS,
                                             STOMPY_CONNECTION_WATCH_MAX_DELAY_MS, 1.5);
}

gboolean
stompy_connection_watch_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != STOMPY_API_ERROR)
    return FALSE;

  switch ((StompyApiErrorCode) error->code)
    {
    case STOMPY_API_ERROR_NETWORK:
    case STOMPY_API_ERROR_INTERNAL:
    case STOMPY_API_ERROR_UNAVAILABLE:
    case STOMPY_API_ERROR_RATE_LIMITED:
    case STOMPY_API_ERROR_MALFORMED_RESPONSE:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
cancel_timer (StompyConnectionWatch *self)
{
  if (self->timer_handle != NULL)
    self->timer.cancel (g_steal_pointer (&self->timer_handle), self->timer_data);
}

static void
set_polling (StompyConnectionWatch *self,
             gboolean               polling)
{
  if (self->polling != polling)
    {
      self->polling = polling;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLLING]);
    }
}

static void
set_settled (StompyConnectionWatch *self,
             gboolean               settled)
{
  if (self->settled != settled)
    {
      self->settled = settled;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTLED]);
    }
}

static void
return_result (GTask    *task,
               gpointer  user_data)
{
  StompyConnectionWatch *self = user_data;

  if (self->settled && self->status != NULL)
    g_task_return_pointer (task, stompy_account_status_copy (self->status),
                           (GDestroyNotify) stompy_account_status_free);
  else if (self->error != NULL)
    g_task_return_error (task, g_error_copy (self->error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The watch was stopped");
}

static void
complete_waiters (StompyConnectionWatch *self,
                  const GError          *cancelled)
{
  stompy_waiters_return_all (&self->waiters, cancelled, return_result, self);
}

static gboolean
timer_cb (gpointer user_data)
{
  StompyConnectionWatch *self = user_data;

  stompy_poll_timer_fired (&self->timer, &self->timer_handle);

  look (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_look (StompyConnectionWatch *self,
               guint                  delay_ms)
{
  cancel_timer (self);
  g_debug ("Account %s: next look in %u ms", self->account_id, delay_ms);
  self->timer_handle = self->timer.schedule (delay_ms, timer_cb, self, self->timer_data);
}

static void
schedule_next (StompyConnectionWatch *self)
{
  schedule_look (self, stompy_connection_watch_backoff_ms (self->poll_index++));
}

static void
look_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  StompyConnectionWatch *self = user_data;
  g_autoptr(GError) error = NULL;
  StompyAccountStatus *status;

  status = stompy_api_client_get_account_finish (STOMPY_API_CLIENT (source), result, &error);
  /* Cancelled only by stop(), resume() or dispose: then @self may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->in_flight = FALSE;
  g_clear_object (&self->cancellable);

  if (status == NULL)
    {
      gboolean transient = stompy_connection_watch_error_is_transient (error);

      g_debug ("Account %s: look failed (%s): %s", self->account_id,
               transient ? "will ask again" : "stopping", error->message);
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);

      g_signal_emit (self, signals[SIGNAL_CHANGED], 0, self->status);
      if (transient)
        {
          /* Looking goes on, but whoever waits for the outcome is told once
           * Stompy has failed several looks in a row (each already retried):
           * otherwise a command waiting on a Stompy that stays down would
           * wait for ever. */
          if (++self->failed_looks >= MAX_FAILED_LOOKS_BEFORE_TELLING)
            complete_waiters (self, NULL);
          schedule_next (self);
        }
      else
        {
          /* An expired token stops here; resume() after signing in again. */
          set_polling (self, FALSE);
          complete_waiters (self, NULL);
        }
      return;
    }

  g_clear_error (&self->error);
  self->failed_looks = 0;
  g_clear_pointer (&self->status, stompy_account_status_free);
  self->status = status;
  if (self->connection != NULL)
    stompy_connection_set_status (self->connection, status);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, self->status);

  if (!stompy_account_status_is_pending (status))
    {
      set_settled (self, TRUE);
      set_polling (self, FALSE);
      complete_waiters (self, NULL);
      return;
    }

  schedule_next (self);
}

static void
look (StompyConnectionWatch *self)
{
  if (self->in_flight)
    return;

  self->in_flight = TRUE;
  self->request_count++;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  stompy_api_client_get_account_async (self->client, self->account_id, self->cancellable,
                                       look_cb, self);
}

static void
abandon_look (StompyConnectionWatch *self)
{
  cancel_timer (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->in_flight = FALSE;
}

/* ------------------------------------------------------------------ public */

StompyConnectionWatch *
stompy_connection_watch_new (StompyApiClient  *client,
                             StompyConnection *connection)
{
  StompyConnectionWatch *self;
  const StompyAccountStatus *recorded;

  g_return_val_if_fail (STOMPY_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (STOMPY_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (stompy_connection_get_account_id (connection) != NULL, NULL);

  self = g_object_new (STOMPY_TYPE_CONNECTION_WATCH, NULL);
  self->client = g_object_ref (client);
  self->connection = g_object_ref (connection);
  self->account_id = g_strdup (stompy_connection_get_account_id (connection));
  recorded = stompy_connection_get_status (connection);
  if (recorded != NULL)
    self->status = stompy_account_status_copy (recorded);

  return self;
}

void
stompy_connection_watch_set_timer (StompyConnectionWatch       *self,
                                   const StompyStackWatchTimer *timer,
                                   gpointer                     user_data)
{
  g_return_if_fail (STOMPY_IS_CONNECTION_WATCH (self));
  g_return_if_fail (timer != NULL && timer->now && timer->schedule && timer->cancel);
  g_return_if_fail (!self->polling);

  self->timer = *timer;
  self->timer_data = user_data;
}

void
stompy_connection_watch_start (StompyConnectionWatch *self)
{
  g_return_if_fail (STOMPY_IS_CONNECTION_WATCH (self));

  if (self->polling)
    return;

  set_polling (self, TRUE);
  set_settled (self, FALSE);
  self->poll_index = 0;
  if (self->timer_handle == NULL && !self->in_flight)
    schedule_next (self);
}

void
stompy_connection_watch_resume (StompyConnectionWatch *self)
{
  g_return_if_fail (STOMPY_IS_CONNECTION_WATCH (self));

  g_clear_error (&self->error);
  set_polling (self, TRUE);
  set_settled (self, FALSE);
  self->poll_index = 0;
  if (!self->in_flight)
    {
      cancel_timer (self);
      look (self);
    }
}

void
stompy_connection_watch_stop (StompyConnectionWatch *self)
{
  g_autoptr(GError) cancelled = NULL;

  g_return_if_fail (STOMPY_IS_CONNECTION_WATCH (self));

  abandon_look (self);
  set_polling (self, FALSE);

  cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The watch was stopped");
  complete_waiters (self, cancelled);
}

const StompyAccountStatus *
stompy_connection_watch_get_status (StompyConnectionWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION_WATCH (self), NULL);
  return self->status;
}

const GError *
stompy_connection_watch_get_error (StompyConnectionWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION_WATCH (self), NULL);
  return self->error;
}

gboolean
stompy_connection_watch_get_settled (StompyConnectionWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION_WATCH (self), FALSE);
  return self->settled;
}

gboolean
stompy_connection_watch_get_polling (StompyConnectionWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION_WATCH (self), FALSE);
  return self->polling;
}

guint
stompy_connection_watch_get_request_count (StompyConnectionWatch *self)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION_WATCH (self), 0);
  return self->request_count;
}

/* ---- wait ---- */

void
stompy_connection_watch_wait_async (StompyConnectionWatch *self,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STOMPY_IS_CONNECTION_WATCH (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_connection_watch_wait_async);

  if (!self->polling && (self->settled || self->error != NULL))
    {
      return_result (task, self);
      return;
    }

  stompy_waiters_add (&self->waiters, task);

  stompy_connection_watch_start (self);
}

StompyAccountStatus *
stompy_connection_watch_wait_finish (StompyConnectionWatch  *self,
                                     GAsyncResult           *result,
                                     GError                **error)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION_WATCH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_connection_watch_wait_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ GObject */

static void
stompy_connection_watch_dispose (GObject *object)
{
  StompyConnectionWatch *self = STOMPY_CONNECTION_WATCH (object);

  if (self->polling || !stompy_waiters_is_empty (&self->waiters) || self->timer_handle != NULL
      || self->in_flight)
    stompy_connection_watch_stop (self);

  G_OBJECT_CLASS (stompy_connection_watch_parent_class)->dispose (object);
}

static void
stompy_connection_watch_finalize (GObject *object)
{
  StompyConnectionWatch *self = STOMPY_CONNECTION_WATCH (object);

  g_clear_object (&self->client);
  g_clear_object (&self->connection);
  g_free (self->account_id);
  g_clear_pointer (&self->timer_target.context, g_main_context_unref);
  g_clear_pointer (&self->status, stompy_account_status_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (stompy_connection_watch_parent_class)->finalize (object);
}

static void
stompy_connection_watch_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  StompyConnectionWatch *self = STOMPY_CONNECTION_WATCH (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_boxed (value, self->status);
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
stompy_connection_watch_class_init (StompyConnectionWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = stompy_connection_watch_dispose;
  object_class->finalize = stompy_connection_watch_finalize;
  object_class->get_property = stompy_connection_watch_get_property;

  properties[PROP_STATUS] =
    g_param_spec_boxed ("status", NULL, NULL, STOMPY_TYPE_ACCOUNT_STATUS, ro);
  properties[PROP_SETTLED] = g_param_spec_boolean ("settled", NULL, NULL, FALSE, ro);
  properties[PROP_POLLING] = g_param_spec_boolean ("polling", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StompyConnectionWatch::changed:
   * @status: (nullable): the latest #StompyAccountStatus
   *
   * After every look, successful or not (then see get_error()).
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, STOMPY_TYPE_ACCOUNT_STATUS | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
stompy_connection_watch_init (StompyConnectionWatch *self)
{
  self->timer_target.context = g_main_context_ref_thread_default ();
  self->timer_target.name = "[stompy] connection watch";
  self->timer = *stompy_poll_timer_get_default ();
  self->timer_data = &self->timer_target;
}
