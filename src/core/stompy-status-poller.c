/* stompy-status-poller.c — what the status panel shows, without GTK
 *
 * Two parts are looked at here (the bucket and the report) and the stacks are
 * left to one StompyStackWatch each, which already keeps to its own request
 * budget and stops when its stack settles. A model change queues a look at
 * the parts it concerns in one idle, so a burst of notifications (a report
 * recorded field by field, a state file loaded) costs one round of requests.
 */
#include "config.h"

#include "stompy-data-exports.h"
#include "stompy-error.h"
#include "stompy-poll-timer.h"
#include "stompy-status-poller.h"

G_DEFINE_FLAGS_TYPE (StompyStatusParts, stompy_status_parts,
                     G_DEFINE_ENUM_VALUE (STOMPY_STATUS_PART_NONE, "none"),
                     G_DEFINE_ENUM_VALUE (STOMPY_STATUS_PART_BUCKET, "bucket"),
                     G_DEFINE_ENUM_VALUE (STOMPY_STATUS_PART_REPORT, "report"),
                     G_DEFINE_ENUM_VALUE (STOMPY_STATUS_PART_STACKS, "stacks"),
                     G_DEFINE_ENUM_VALUE (STOMPY_STATUS_PART_STOMPY, "stompy"))

G_DEFINE_ENUM_TYPE (StompyStatusState, stompy_status_state,
                    G_DEFINE_ENUM_VALUE (STOMPY_STATUS_STATE_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (STOMPY_STATUS_STATE_UNCHECKED, "unchecked"),
                    G_DEFINE_ENUM_VALUE (STOMPY_STATUS_STATE_CHECKING, "checking"),
                    G_DEFINE_ENUM_VALUE (STOMPY_STATUS_STATE_KNOWN, "known"),
                    G_DEFINE_ENUM_VALUE (STOMPY_STATUS_STATE_ERROR, "error"))

/* One looked-at part: its request in flight, its timer and its backoff. */
typedef struct
{
  StompyStatusPoller *poller;        /* unowned: the part lives in it */
  StompyStatusState   state;
  GCancellable       *cancellable;   /* of the look in flight, NULL when none */
  gpointer            timer_handle;
  guint               timer_delay_ms;
  guint               attempt;       /* backoff index of the next scheduled look */
  GError             *error;
} Part;

typedef struct
{
  StompyProducts    product;
  StompyStackWatch *watch;
  char             *key;             /* what the watch follows: region, stack, token */
  StompyStack      *handed;          /* as its creator just described it, for the next watch */
} StackSlot;

struct _StompyStatusPoller
{
  GObject                parent_instance;

  StompyOnboarding      *model;
  StompyAwsClient       *client;
  StompyPollTimerTarget  timer_target;   /* the default timer's; its context is ours */

  StompyStackWatchTimer  timer;
  gpointer               timer_data;
  gboolean               custom_timer;

  gboolean               started;
  StompyStatusParts      queued;
  GSource               *idle;

  Part                   bucket;
  StompyS3BucketStatus  *bucket_status;

  Part                   report;
  gboolean               report_found;
  StompyCurConditions    report_conditions;
  StompyCurAthenaFlaws   report_athena_flaws;
  char                  *report_region;   /* as read from AWS */

  StackSlot              stacks[2];

  GError                *stompy_error;    /* set by whoever talks to Stompy */

  gboolean               busy;
  gboolean               settled;
};

G_DEFINE_FINAL_TYPE (StompyStatusPoller, stompy_status_poller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_CLIENT,
  PROP_BUSY,
  PROP_SETTLED,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static const StompyProducts stack_products[] = { STOMPY_PRODUCT_ANALYSAVER, STOMPY_PRODUCT_SPOTAINER };

static void look_bucket (StompyStatusPoller *self,
                         gboolean            full);
static void look_report (StompyStatusPoller *self);

/* ------------------------------------------------------------------ helpers */

const char *
stompy_status_state_to_string (StompyStatusState state)
{
  switch (state)
    {
    case STOMPY_STATUS_STATE_NONE:
      return "none";
    case STOMPY_STATUS_STATE_UNCHECKED:
      return "unchecked";
    case STOMPY_STATUS_STATE_CHECKING:
      return "checking";
    case STOMPY_STATUS_STATE_KNOWN:
      return "known";
    case STOMPY_STATUS_STATE_ERROR:
      return "error";
    default:
      return "unknown";
    }
}

guint
stompy_status_poller_delivery_backoff_ms (guint index)
{
  return stompy_poll_timer_backoff_ms (index, STOMPY_STATUS_POLLER_DELIVERY_FIRST_DELAY_MS,
                                       STOMPY_STATUS_POLLER_DELIVERY_MAX_DELAY_MS, 2);
}

gboolean
stompy_status_poller_error_is_transient (const GError *error)
{
  return error != NULL && error->domain == STOMPY_AWS_ERROR &&
         (error->code == STOMPY_AWS_ERROR_NETWORK ||
          error->code == STOMPY_AWS_ERROR_TIMEOUT ||
          error->code == STOMPY_AWS_ERROR_THROTTLED ||
          error->code == STOMPY_AWS_ERROR_SERVER ||
          error->code == STOMPY_AWS_ERROR_CLOCK_SKEW);
}

static StackSlot *
slot_for (StompyStatusPoller *self,
          StompyProducts      product)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->stacks); i++)
    if (self->stacks[i].product == product)
      return &self->stacks[i];

  return NULL;
}

static gboolean
compute_settled (StompyStatusPoller *self)
{
  if (self->busy || self->idle != NULL || self->queued != STOMPY_STATUS_PART_NONE ||
      self->bucket.timer_handle != NULL || self->report.timer_handle != NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (self->stacks); i++)
    if (self->stacks[i].watch != NULL && stompy_stack_watch_get_polling (self->stacks[i].watch))
      return FALSE;

  return TRUE;
}

static void
update_flags (StompyStatusPoller *self)
{
  gboolean busy = self->bucket.cancellable != NULL || self->report.cancellable != NULL;
  gboolean settled;

  g_object_freeze_notify (G_OBJECT (self));

  if (busy != self->busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }

  settled = compute_settled (self);
  if (settled != self->settled)
    {
      self->settled = settled;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTLED]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
emit_changed (StompyStatusPoller *self,
              StompyStatusParts   parts)
{
  update_flags (self);
  if (parts != STOMPY_STATUS_PART_NONE)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0, parts);
}

/* ------------------------------------------------------------------ parts */

static void
part_cancel_timer (Part *part)
{
  if (part->timer_handle != NULL)
    {
      StompyStatusPoller *self = part->poller;

      self->timer.cancel (g_steal_pointer (&part->timer_handle), self->timer_data);
    }
  part->timer_delay_ms = 0;
}

static void
part_cancel (Part *part)
{
  part_cancel_timer (part);
  if (part->cancellable != NULL)
    {
      g_cancellable_cancel (part->cancellable);
      g_clear_object (&part->cancellable);
    }
}

static gboolean
part_timer_cb (gpointer user_data)
{
  Part *part = user_data;
  StompyStatusPoller *self = part->poller;

  stompy_poll_timer_fired (&self->timer, &part->timer_handle);
  part->timer_delay_ms = 0;

  if (part == &self->bucket)
    look_bucket (self, FALSE);
  else
    look_report (self);

  return G_SOURCE_REMOVE;
}

static void
part_schedule (Part  *part,
               guint  delay_ms)
{
  StompyStatusPoller *self = part->poller;

  part_cancel_timer (part);
  g_debug ("Status: next look at the %s in %u ms",
           part == &self->bucket ? "bucket" : "report", delay_ms);
  part->timer_delay_ms = delay_ms;
  part->timer_handle = self->timer.schedule (delay_ms, part_timer_cb, part, self->timer_data);
}

/* A new look: cancels the previous one and returns the cancellable of this one. */
static GCancellable *
part_begin (Part *part)
{
  part_cancel (part);
  part->cancellable = g_cancellable_new ();
  if (part->state != STOMPY_STATUS_STATE_KNOWN && part->state != STOMPY_STATUS_STATE_ERROR)
    part->state = STOMPY_STATUS_STATE_CHECKING;

  return part->cancellable;
}

/* A look failed: kept for the part, and retried later when it may pass. */
static void
part_fail (Part   *part,
           GError *error)
{
  g_debug ("Status: a look failed: %s", error->message);
  g_clear_error (&part->error);
  part->error = error;
  part->state = STOMPY_STATUS_STATE_ERROR;

  if (stompy_status_poller_error_is_transient (error))
    part_schedule (part, stompy_status_poller_delivery_backoff_ms (part->attempt++));
}

static void
part_reset (Part              *part,
            StompyStatusState  state)
{
  part_cancel (part);
  g_clear_error (&part->error);
  part->state = state;
  part->attempt = 0;
}

typedef struct
{
  StompyStatusPoller *self;
  GCancellable       *cancellable;
} LookData;

static LookData *
look_data_new (StompyStatusPoller *self,
               GCancellable       *cancellable)
{
  LookData *data = g_new0 (LookData, 1);

  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (cancellable);

  return data;
}

static void
look_data_free (LookData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LookData, look_data_free)

/* FALSE when the answer belongs to a look that was replaced or cancelled. */
static gboolean
look_is_current (LookData *data,
                 Part     *part)
{
  return !g_cancellable_is_cancelled (data->cancellable) && part->cancellable == data->cancellable;
}

/* ------------------------------------------------------------------ bucket */

/* The first delivery is looked for again only while a report exists that has
 * not been delivered; everything else about a bucket does not change by itself. */
static void
update_delivery_schedule (StompyStatusPoller *self)
{
  Part *part = &self->bucket;

  if (part->cancellable != NULL || part->timer_handle != NULL || self->client == NULL)
    return;
  if (part->state != STOMPY_STATUS_STATE_KNOWN || self->bucket_status == NULL ||
      !self->bucket_status->accessible || self->bucket_status->delivered != STOMPY_CHECK_NO)
    return;
  if (self->report.state != STOMPY_STATUS_STATE_KNOWN || !self->report_found)
    return;

  part_schedule (part, stompy_status_poller_delivery_backoff_ms (part->attempt++));
}

static void
bucket_status_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LookData) data = user_data;
  StompyStatusPoller *self = data->self;
  g_autoptr(StompyS3BucketStatus) status = NULL;
  GError *error = NULL;

  status = stompy_s3_bucket_status_finish (result, &error);
  if (!look_is_current (data, &self->bucket))
    {
      g_clear_error (&error);
      return;
    }
  g_clear_object (&self->bucket.cancellable);

  if (status == NULL)
    {
      part_fail (&self->bucket, error);
    }
  else
    {
      g_clear_pointer (&self->bucket_status, stompy_s3_bucket_status_free);
      self->bucket_status = g_steal_pointer (&status);
      g_clear_error (&self->bucket.error);
      self->bucket.state = STOMPY_STATUS_STATE_KNOWN;
      update_delivery_schedule (self);
    }

  emit_changed (self, STOMPY_STATUS_PART_BUCKET);
}

static void
find_delivery_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LookData) data = user_data;
  StompyStatusPoller *self = data->self;
  gboolean delivered = FALSE;
  GError *error = NULL;

  if (!stompy_s3_find_delivery_finish (result, &delivered, &error))
    {
      if (look_is_current (data, &self->bucket))
        {
          g_clear_object (&self->bucket.cancellable);
          part_fail (&self->bucket, error);
          emit_changed (self, STOMPY_STATUS_PART_BUCKET);
        }
      else
        g_clear_error (&error);
      return;
    }

  if (!look_is_current (data, &self->bucket))
    return;
  g_clear_object (&self->bucket.cancellable);

  g_clear_error (&self->bucket.error);
  self->bucket.state = STOMPY_STATUS_STATE_KNOWN;
  if (self->bucket_status != NULL)
    self->bucket_status->delivered = delivered ? STOMPY_CHECK_YES : STOMPY_CHECK_NO;
  update_delivery_schedule (self);

  emit_changed (self, STOMPY_STATUS_PART_BUCKET);
}

/* @full: the whole status (four requests); otherwise only the first delivery
 * (one request) when the rest is known. */
static void
look_bucket (StompyStatusPoller *self,
             gboolean            full)
{
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (self->model);
  StompyDeliveryServices services;
  GCancellable *cancellable;

  if (!stompy_cur_choice_is_complete (choice) || self->client == NULL)
    {
      part_reset (&self->bucket, stompy_cur_choice_is_complete (choice)
                                   ? STOMPY_STATUS_STATE_UNCHECKED : STOMPY_STATUS_STATE_NONE);
      g_clear_pointer (&self->bucket_status, stompy_s3_bucket_status_free);
      emit_changed (self, STOMPY_STATUS_PART_BUCKET);
      return;
    }

  cancellable = part_begin (&self->bucket);

  if (!full && self->bucket_status != NULL && self->bucket_status->accessible)
    {
      const char *region = self->bucket_status->region != NULL
                           ? self->bucket_status->region : stompy_cur_choice_get_region (choice);

      stompy_s3_find_delivery_async (self->client, stompy_cur_choice_get_bucket (choice), region,
                                     stompy_cur_choice_get_prefix (choice),
                                     stompy_cur_choice_get_report_name (choice),
                                     cancellable, find_delivery_cb,
                                     look_data_new (self, cancellable));
    }
  else
    {
      services = stompy_cur_choice_get_kind (choice) == STOMPY_CUR_KIND_DATA_EXPORT
                 ? STOMPY_DELIVERY_DATA_EXPORTS : STOMPY_DELIVERY_CUR;
      stompy_s3_bucket_status_async (self->client, stompy_cur_choice_get_bucket (choice),
                                     stompy_cur_choice_get_region (choice),
                                     stompy_onboarding_get_account_id (self->model), services,
                                     stompy_cur_choice_get_prefix (choice),
                                     stompy_cur_choice_get_report_name (choice),
                                     cancellable, bucket_status_cb,
                                     look_data_new (self, cancellable));
    }

  emit_changed (self, STOMPY_STATUS_PART_BUCKET);
}

/* ------------------------------------------------------------------ report */

static void
report_done (StompyStatusPoller   *self,
             gboolean              found,
             StompyCurConditions   conditions,
             StompyCurAthenaFlaws  flaws,
             const char           *region)
{
  g_clear_object (&self->report.cancellable);
  g_clear_error (&self->report.error);
  self->report.state = STOMPY_STATUS_STATE_KNOWN;
  self->report.attempt = 0;
  self->report_found = found;
  self->report_conditions = conditions;
  self->report_athena_flaws = flaws;
  g_free (self->report_region);
  self->report_region = g_strdup (region);

  update_delivery_schedule (self);
  emit_changed (self, STOMPY_STATUS_PART_REPORT | STOMPY_STATUS_PART_BUCKET);
}

static void
report_failed (StompyStatusPoller *self,
               GError             *error)
{
  g_clear_object (&self->report.cancellable);
  part_fail (&self->report, error);
  emit_changed (self, STOMPY_STATUS_PART_REPORT | STOMPY_STATUS_PART_BUCKET);
}

/* TRUE when @answer (NULL on failure, with @error) belongs to the current
 * look and is a success; a failure is shown, a stale answer dropped. */
static gboolean
report_answer_usable (LookData      *data,
                      gconstpointer  answer,
                      GError        *error)
{
  StompyStatusPoller *self = data->self;

  if (!look_is_current (data, &self->report))
    {
      g_clear_error (&error);
      return FALSE;
    }
  if (answer == NULL)
    {
      report_failed (self, error);
      return FALSE;
    }

  return TRUE;
}

static void
list_reports_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LookData) data = user_data;
  StompyStatusPoller *self = data->self;
  g_autoptr(GPtrArray) reports = NULL;
  GError *error = NULL;
  const char *name;

  reports = stompy_cur_list_reports_finish (result, &error);
  if (!report_answer_usable (data, reports, error))
    return;

  name = stompy_cur_choice_get_report_name (stompy_onboarding_get_cur_choice (self->model));
  for (guint i = 0; i < reports->len; i++)
    {
      const StompyCurReport *report = g_ptr_array_index (reports, i);
      StompyCurAthenaFlaws flaws = 0;
      StompyCurConditions met;

      if (g_strcmp0 (report->report_name, name) != 0)
        continue;

      met = stompy_cur_report_evaluate (report, &flaws);
      report_done (self, TRUE, met, flaws, report->s3_region);
      return;
    }

  report_done (self, FALSE, 0, 0, NULL);
}

static void
get_export_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LookData) data = user_data;
  StompyStatusPoller *self = data->self;
  g_autoptr(StompyDataExport) export = NULL;
  GError *error = NULL;

  export = stompy_data_exports_get_finish (result, &error);
  if (!report_answer_usable (data, export, error))
    return;

  report_done (self, TRUE, stompy_data_export_evaluate (export), 0, export->s3_region);
}

static void
list_exports_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LookData) data = user_data;
  StompyStatusPoller *self = data->self;
  g_autoptr(GPtrArray) exports = NULL;
  GError *error = NULL;
  const char *name;

  exports = stompy_data_exports_list_finish (result, &error);
  if (!report_answer_usable (data, exports, error))
    return;

  /* ListExports gives names and ARNs only: the definition needs GetExport. */
  name = stompy_cur_choice_get_report_name (stompy_onboarding_get_cur_choice (self->model));
  for (guint i = 0; i < exports->len; i++)
    {
      const StompyDataExport *export = g_ptr_array_index (exports, i);

      if (g_strcmp0 (export->name, name) != 0 || export->arn == NULL)
        continue;

      GCancellable *cancellable = data->cancellable;

      stompy_data_exports_get_async (self->client, export->arn, cancellable, get_export_cb,
                                     g_steal_pointer (&data));
      return;
    }

  report_done (self, FALSE, 0, 0, NULL);
}

static void
look_report (StompyStatusPoller *self)
{
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (self->model);
  GCancellable *cancellable;

  if (!stompy_cur_choice_is_complete (choice) || self->client == NULL)
    {
      part_reset (&self->report, stompy_cur_choice_is_complete (choice)
                                   ? STOMPY_STATUS_STATE_UNCHECKED : STOMPY_STATUS_STATE_NONE);
      self->report_found = FALSE;
      self->report_conditions = 0;
      self->report_athena_flaws = 0;
      g_clear_pointer (&self->report_region, g_free);
      emit_changed (self, STOMPY_STATUS_PART_REPORT);
      return;
    }

  cancellable = part_begin (&self->report);

  if (stompy_cur_choice_get_kind (choice) == STOMPY_CUR_KIND_DATA_EXPORT)
    stompy_data_exports_list_async (self->client, cancellable, list_exports_cb,
                                    look_data_new (self, cancellable));
  else
    stompy_cur_list_reports_async (self->client, cancellable, list_reports_cb,
                                   look_data_new (self, cancellable));

  emit_changed (self, STOMPY_STATUS_PART_REPORT);
}

/* ------------------------------------------------------------------ stacks */

static void
watch_changed_cb (StompyStatusPoller *self)
{
  emit_changed (self, STOMPY_STATUS_PART_STACKS);
}

static void
slot_clear (StompyStatusPoller *self,
            StackSlot          *slot)
{
  if (slot->watch != NULL)
    {
      g_signal_handlers_disconnect_by_data (slot->watch, self);
      stompy_stack_watch_stop (slot->watch);
      g_clear_object (&slot->watch);
    }
  g_clear_pointer (&slot->key, g_free);
}

/* What @slot's watch should follow as the model stands (region, stack and
 * token, joined), or NULL when it should have none. A watch is made only for
 * a stack that was created (an id or a status recorded), so a stack name
 * proposed on the page costs no request. The parts are borrowed from the
 * record. */
static char *
dup_slot_key (StompyStatusPoller  *self,
              StackSlot           *slot,
              const char         **stack_out,
              const char         **region_out,
              const char         **token_out)
{
  StompyStackRecord *record = stompy_onboarding_get_stack (self->model, slot->product);
  const char *id = stompy_stack_record_get_stack_id (record);
  const char *region = stompy_stack_record_get_region (record);
  const char *token = stompy_stack_record_get_client_request_token (record);
  const char *stack = id != NULL ? id : stompy_stack_record_get_stack_name (record);

  if (self->client == NULL || (stompy_onboarding_get_products (self->model) & slot->product) == 0 ||
      stack == NULL || (id == NULL && stompy_stack_record_get_status (record) == NULL))
    return NULL;

  if (stack_out != NULL)
    *stack_out = stack;
  if (region_out != NULL)
    *region_out = region;
  if (token_out != NULL)
    *token_out = token;

  return g_strjoin ("\n", region ? region : "", stack, token ? token : "", NULL);
}

/* Makes, keeps or drops each product's watch to match the model. */
static void
sync_stacks (StompyStatusPoller *self,
             gboolean            refresh)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->stacks); i++)
    {
      StackSlot *slot = &self->stacks[i];
      const char *stack = NULL;
      const char *region = NULL;
      const char *token = NULL;
      g_autofree char *key = dup_slot_key (self, slot, &stack, &region, &token);
      g_autoptr(StompyAwsClient) client = NULL;

      if (key == NULL)
        {
          slot_clear (self, slot);
          continue;
        }

      if (slot->watch != NULL && g_strcmp0 (key, slot->key) == 0)
        {
          if (refresh)
            stompy_stack_watch_refresh (slot->watch);
          continue;
        }

      slot_clear (self, slot);

      /* CloudFormation is regional: the stack's region signs the requests. */
      if (region != NULL && g_strcmp0 (region, stompy_aws_client_get_region (self->client)) != 0)
        client = stompy_aws_client_new (stompy_aws_client_get_session (self->client),
                                        stompy_aws_client_get_credentials (self->client),
                                        region, NULL, NULL, NULL);
      else
        client = g_object_ref (self->client);

      slot->key = g_steal_pointer (&key);
      slot->watch = stompy_stack_watch_new (client, stack, token, 0);
      if (self->custom_timer)
        stompy_stack_watch_set_timer (slot->watch, &self->timer, self->timer_data);
      /* The stack its creator has just described: no DescribeStacks to begin with. */
      if (slot->handed != NULL && g_strcmp0 (slot->handed->stack_id, stack) == 0)
        stompy_stack_watch_set_stack (slot->watch, slot->handed);
      g_clear_pointer (&slot->handed, stompy_stack_free);
      g_signal_connect_swapped (slot->watch, "changed", G_CALLBACK (watch_changed_cb), self);
      /* A watch settles after its last "changed": readers waiting for the
       * end (the run-template section) learn it from this one. */
      g_signal_connect_swapped (slot->watch, "notify::settled", G_CALLBACK (watch_changed_cb), self);
      g_signal_connect_swapped (slot->watch, "notify::polling", G_CALLBACK (update_flags), self);
      stompy_stack_watch_start (slot->watch);
    }
}

/* ------------------------------------------------------------------ model */

static gboolean
idle_cb (gpointer user_data)
{
  StompyStatusPoller *self = user_data;
  StompyStatusParts parts = self->queued;

  g_clear_pointer (&self->idle, g_source_unref);
  self->queued = STOMPY_STATUS_PART_NONE;

  if (parts & STOMPY_STATUS_PART_BUCKET)
    {
      self->bucket.attempt = 0;
      look_bucket (self, TRUE);
    }
  if (parts & STOMPY_STATUS_PART_REPORT)
    {
      self->report.attempt = 0;
      look_report (self);
    }
  if (parts & STOMPY_STATUS_PART_STACKS)
    sync_stacks (self, FALSE);

  emit_changed (self, parts);

  return G_SOURCE_REMOVE;
}

static void
queue_look (StompyStatusPoller *self,
            StompyStatusParts   parts)
{
  self->queued |= parts;
  if (!self->started)
    return;

  if (self->idle == NULL)
    {
      self->idle = g_idle_source_new ();
      g_source_set_callback (self->idle, idle_cb, self, NULL);
      g_source_set_static_name (self->idle, "[stompy] status poller model");
      g_source_attach (self->idle, self->timer_target.context);
    }
  update_flags (self);
}

static void
cur_choice_notify_cb (StompyStatusPoller *self,
                      GParamSpec         *pspec)
{
  /* The billing-access confirmation changes nothing AWS would say. */
  if (g_strcmp0 (pspec->name, "billing-access-confirmed") == 0)
    return;

  queue_look (self, STOMPY_STATUS_PART_BUCKET | STOMPY_STATUS_PART_REPORT);
}

static void
account_notify_cb (StompyStatusPoller *self)
{
  /* The delivery policy is checked against the account id. */
  queue_look (self, STOMPY_STATUS_PART_BUCKET);
}

static void
stacks_notify_cb (StompyStatusPoller *self)
{
  queue_look (self, STOMPY_STATUS_PART_STACKS);
}

/* Nothing to ask: the connection holds Stompy's word already, written by the
 * watch that asked. Passed on at once, whether started or not. */
static void
connection_notify_cb (StompyStatusPoller *self,
                      GParamSpec         *pspec,
                      StompyConnection   *connection)
{
  /* The key and the digest of the request change nothing shown. */
  if (g_strcmp0 (pspec->name, "idempotency-key") == 0 ||
      g_strcmp0 (pspec->name, "request-digest") == 0)
    return;

  /* A new answer, or no connection at all: the last error is stale. */
  if ((g_strcmp0 (pspec->name, "status") == 0 &&
       stompy_connection_get_status (connection) != NULL) ||
      !stompy_connection_get_submitted (connection))
    g_clear_error (&self->stompy_error);

  emit_changed (self, STOMPY_STATUS_PART_STOMPY);
}

/* ------------------------------------------------------------------ public */

StompyStatusPoller *
stompy_status_poller_new (StompyOnboarding *model,
                          StompyAwsClient  *client)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (model), NULL);
  g_return_val_if_fail (client == NULL || STOMPY_IS_AWS_CLIENT (client), NULL);

  return g_object_new (STOMPY_TYPE_STATUS_POLLER, "model", model, "client", client, NULL);
}

StompyOnboarding *
stompy_status_poller_get_model (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), NULL);

  return self->model;
}

StompyAwsClient *
stompy_status_poller_get_client (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), NULL);

  return self->client;
}

void
stompy_status_poller_set_client (StompyStatusPoller *self,
                                 StompyAwsClient    *client)
{
  g_return_if_fail (STOMPY_IS_STATUS_POLLER (self));
  g_return_if_fail (client == NULL || STOMPY_IS_AWS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  /* Another identity may see other things: forget what the last one saw. */
  part_reset (&self->bucket, STOMPY_STATUS_STATE_NONE);
  part_reset (&self->report, STOMPY_STATUS_STATE_NONE);
  g_clear_pointer (&self->bucket_status, stompy_s3_bucket_status_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->stacks); i++)
    slot_clear (self, &self->stacks[i]);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  queue_look (self, STOMPY_STATUS_PARTS_ALL);
}

void
stompy_status_poller_set_timer (StompyStatusPoller          *self,
                                const StompyStackWatchTimer *timer,
                                gpointer                     user_data)
{
  g_return_if_fail (STOMPY_IS_STATUS_POLLER (self));
  g_return_if_fail (timer != NULL);
  g_return_if_fail (!self->started);

  self->timer = *timer;
  self->timer_data = user_data;
  self->custom_timer = TRUE;
}

void
stompy_status_poller_start (StompyStatusPoller *self)
{
  g_return_if_fail (STOMPY_IS_STATUS_POLLER (self));

  if (self->started)
    return;

  self->started = TRUE;
  queue_look (self, STOMPY_STATUS_PARTS_ALL);
}

void
stompy_status_poller_refresh (StompyStatusPoller *self)
{
  g_return_if_fail (STOMPY_IS_STATUS_POLLER (self));

  self->started = TRUE;
  if (self->idle != NULL)
    {
      g_source_destroy (self->idle);
      g_clear_pointer (&self->idle, g_source_unref);
    }
  self->queued = STOMPY_STATUS_PART_NONE;

  self->bucket.attempt = 0;
  self->report.attempt = 0;
  look_bucket (self, TRUE);
  look_report (self);
  sync_stacks (self, TRUE);

  emit_changed (self, STOMPY_STATUS_PARTS_ALL);
}

void
stompy_status_poller_stop (StompyStatusPoller *self)
{
  g_return_if_fail (STOMPY_IS_STATUS_POLLER (self));

  self->started = FALSE;
  if (self->idle != NULL)
    {
      g_source_destroy (self->idle);
      g_clear_pointer (&self->idle, g_source_unref);
    }
  self->queued = STOMPY_STATUS_PART_NONE;
  part_cancel (&self->bucket);
  part_cancel (&self->report);
  for (guint i = 0; i < G_N_ELEMENTS (self->stacks); i++)
    slot_clear (self, &self->stacks[i]);

  update_flags (self);
}

gboolean
stompy_status_poller_get_busy (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), FALSE);

  return self->busy;
}

gboolean
stompy_status_poller_get_settled (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), FALSE);

  return compute_settled (self);
}

StompyStatusState
stompy_status_poller_get_bucket_state (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), STOMPY_STATUS_STATE_NONE);

  return self->bucket.state;
}

const StompyS3BucketStatus *
stompy_status_poller_get_bucket_status (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), NULL);

  return self->bucket_status;
}

const GError *
stompy_status_poller_get_bucket_error (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), NULL);

  return self->bucket.state == STOMPY_STATUS_STATE_ERROR ? self->bucket.error : NULL;
}

const char *
stompy_status_poller_get_report_region (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), NULL);

  if (self->report_found && self->report_region != NULL)
    return self->report_region;

  return stompy_cur_choice_get_region (stompy_onboarding_get_cur_choice (self->model));
}

StompyCheck
stompy_status_poller_get_region_matches (StompyStatusPoller *self)
{
  const char *expected;

  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), STOMPY_CHECK_UNKNOWN);

  expected = stompy_status_poller_get_report_region (self);
  if (self->bucket_status == NULL || self->bucket_status->region == NULL || expected == NULL)
    return STOMPY_CHECK_UNKNOWN;

  return g_str_equal (self->bucket_status->region, expected) ? STOMPY_CHECK_YES : STOMPY_CHECK_NO;
}

guint
stompy_status_poller_get_delivery_delay_ms (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), 0);

  return self->bucket.timer_handle != NULL ? self->bucket.timer_delay_ms : 0;
}

StompyStatusState
stompy_status_poller_get_report_state (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), STOMPY_STATUS_STATE_NONE);

  return self->report.state;
}

gboolean
stompy_status_poller_get_report_found (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), FALSE);

  return self->report_found;
}

StompyCurConditions
stompy_status_poller_get_report_conditions (StompyStatusPoller   *self,
                                            StompyCurAthenaFlaws *athena_flaws)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), 0);

  if (athena_flaws != NULL)
    *athena_flaws = self->report_athena_flaws;

  return self->report_conditions;
}

const GError *
stompy_status_poller_get_report_error (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), NULL);

  return self->report.state == STOMPY_STATUS_STATE_ERROR ? self->report.error : NULL;
}

void
stompy_status_poller_hand_stack (StompyStatusPoller *self,
                                 StompyProducts      product,
                                 const StompyStack  *stack)
{
  StackSlot *slot;

  g_return_if_fail (STOMPY_IS_STATUS_POLLER (self));
  g_return_if_fail (stack != NULL);

  slot = slot_for (self, product);
  if (slot == NULL || stack->stack_id == NULL)
    return;

  g_clear_pointer (&slot->handed, stompy_stack_free);
  slot->handed = stompy_stack_copy (stack);
}

StompyStackWatch *
stompy_status_poller_get_stack_watch (StompyStatusPoller *self,
                                      StompyProducts      product)
{
  g_autofree char *key = NULL;
  StackSlot *slot;

  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), NULL);

  slot = slot_for (self, product);
  if (slot == NULL || slot->watch == NULL)
    return NULL;

  /* Between a change of the record and the idle that replaces the watch, the
   * old one follows a stack the model no longer names: nobody should read it. */
  key = dup_slot_key (self, slot, NULL, NULL, NULL);
  if (g_strcmp0 (key, slot->key) != 0)
    return NULL;

  return slot->watch;
}

/* ------------------------------------------------------------------ Stompy */

void
stompy_status_poller_set_stompy_error (StompyStatusPoller *self,
                                       const GError       *error)
{
  g_return_if_fail (STOMPY_IS_STATUS_POLLER (self));

  if (error == NULL && self->stompy_error == NULL)
    return;

  g_clear_error (&self->stompy_error);
  if (error != NULL)
    self->stompy_error = g_error_copy (error);
  emit_changed (self, STOMPY_STATUS_PART_STOMPY);
}

const GError *
stompy_status_poller_get_stompy_error (StompyStatusPoller *self)
{
  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), NULL);

  return self->stompy_error;
}

/* ------------------------------------------------------------------ describe
 *
 * The summary is for Stompy's support, who read English whatever the user's
 * desktop speaks, and who compare it with AWS's and Stompy's own words: so
 * the labels are English and the values are the wire's ("CREATE_COMPLETE",
 * "waiting_for_data"). Only what AWS or Stompy wrote themselves (a stack's
 * status reason, a check's localized message) stays in the user's language.
 */

static const char *
or_dash (const char *value)
{
  return value != NULL && *value != '\0' ? value : "-";
}

static void
add_line (GString    *text,
          const char *label,
          const char *value)
{
  g_string_append_printf (text, "  %s: %s\n", label, or_dash (value));
}

static void
add_error_line (GString      *text,
                const GError *error)
{
  g_autofree char *value = NULL;

  if (error == NULL)
    value = g_strdup ("none");
  else if (error->domain == STOMPY_AWS_ERROR)
    value = g_strdup_printf ("%s (AWS code %s, HTTP %u, AWS request id %s)", error->message,
                             or_dash (stompy_aws_error_get_aws_code (error)),
                             stompy_aws_error_get_http_status (error),
                             or_dash (stompy_aws_error_get_request_id (error)));
  else if (error->domain == STOMPY_API_ERROR)
    value = g_strdup_printf ("%s (Stompy code %s, HTTP %u, Stompy request id %s)", error->message,
                             or_dash (stompy_api_error_get_code_string (error)),
                             stompy_api_error_get_http_status (error),
                             or_dash (stompy_api_error_get_request_id (error)));
  else
    value = g_strdup_printf ("%s (%s %d)", error->message, g_quark_to_string (error->domain),
                             error->code);

  add_line (text, "Last error", value);
}

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);

  return found != NULL ? found->value_nick : "unknown";
}

static char *
products_text (StompyProducts products)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  if (products & STOMPY_PRODUCT_ANALYSAVER)
    g_ptr_array_add (names, (gpointer) "StompyAnalySaver");
  if (products & STOMPY_PRODUCT_SPOTAINER)
    g_ptr_array_add (names, (gpointer) "StompySpoTainer");
  if (names->len == 0)
    g_ptr_array_add (names, (gpointer) "none chosen");
  g_ptr_array_add (names, NULL);

  return g_strjoinv (", ", (char **) names->pdata);
}

static void
describe_account (StompyStatusPoller *self,
                  GString            *text)
{
  const StompyAwsIdentity *identity = stompy_onboarding_get_identity (self->model);
  StompyCredentialSource source = stompy_onboarding_get_credential_source (self->model);
  g_autofree char *products = products_text (stompy_onboarding_get_products (self->model));
  g_autofree char *credentials = NULL;

  /* The access key id is left out with the secret: support never needs it. */
  if (source == STOMPY_CREDENTIAL_SOURCE_PROFILE && stompy_onboarding_get_profile (self->model))
    credentials = g_strdup_printf ("profile %s", stompy_onboarding_get_profile (self->model));
  else
    credentials = g_strdup (enum_nick (STOMPY_TYPE_CREDENTIAL_SOURCE, source));

  g_string_append (text, "AWS\n");
  add_line (text, "Account", stompy_onboarding_get_account_id (self->model));
  add_line (text, "Identity", identity != NULL ? identity->arn : "not verified");
  if (identity != NULL)
    add_line (text, "Organization role",
              stompy_organization_role_to_string (identity->organization_role));
  add_line (text, "Credentials", credentials);
  add_line (text, "Region", self->client != NULL ? stompy_aws_client_get_region (self->client)
                                                 : "none (no AWS client)");
  add_line (text, "Products", products);
  add_line (text, "Step", enum_nick (STOMPY_TYPE_STEP, stompy_onboarding_get_step (self->model)));
}

static const struct
{
  StompyCurConditions  condition;
  const char          *label;
} report_conditions[] = {
  { STOMPY_CUR_CONDITION_RESOURCE_IDS, "Includes resource IDs" },
  { STOMPY_CUR_CONDITION_DATA_REFRESH, "Data refresh on" },
  { STOMPY_CUR_CONDITION_HOURLY, "Hourly granularity" },
  { STOMPY_CUR_CONDITION_ATHENA, "Amazon Athena integration" },
};

static const struct
{
  StompyCurAthenaFlaws  flaw;
  const char           *label;
} athena_flaws[] = {
  { STOMPY_CUR_ATHENA_NOT_ENABLED, "Athena is not enabled" },
  { STOMPY_CUR_ATHENA_OTHER_ARTIFACTS, "Redshift or QuickSight beside it" },
  { STOMPY_CUR_ATHENA_NOT_PARQUET, "not Parquet" },
  { STOMPY_CUR_ATHENA_NOT_OVERWRITE, "versions do not overwrite" },
  { STOMPY_CUR_ATHENA_NO_PREFIX, "no path prefix" },
};

static void
describe_report (StompyStatusPoller *self,
                 GString            *text)
{
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (self->model);
  const char *prefix = stompy_cur_choice_get_prefix (choice);
  g_autofree char *location = NULL;

  g_string_append (text, "\nReport\n");
  if (stompy_cur_choice_get_origin (choice) == STOMPY_CUR_ORIGIN_NONE)
    {
      add_line (text, "Chosen", "no");
      return;
    }

  location = g_strdup_printf ("s3://%s/%s", stompy_cur_choice_get_bucket (choice),
                              prefix != NULL ? prefix : "");
  add_line (text, "Name", stompy_cur_choice_get_report_name (choice));
  add_line (text, "Kind", enum_nick (STOMPY_TYPE_CUR_KIND, stompy_cur_choice_get_kind (choice)));
  add_line (text, "Origin",
            enum_nick (STOMPY_TYPE_CUR_ORIGIN, stompy_cur_choice_get_origin (choice)));
  add_line (text, "Location", location);
  add_line (text, "Region", stompy_status_poller_get_report_region (self));
  add_line (text, "State", stompy_status_state_to_string (self->report.state));
  if (self->report.state == STOMPY_STATUS_STATE_KNOWN)
    {
      add_line (text, "Found", self->report_found ? "yes" : "no");
      for (guint i = 0; i < G_N_ELEMENTS (report_conditions); i++)
        add_line (text, report_conditions[i].label,
                  self->report_conditions & report_conditions[i].condition ? "yes" : "no");
      for (guint i = 0; i < G_N_ELEMENTS (athena_flaws); i++)
        if (self->report_athena_flaws & athena_flaws[i].flaw)
          add_line (text, "Athena flaw", athena_flaws[i].label);
    }
  add_error_line (text, stompy_status_poller_get_report_error (self));
}

static void
describe_bucket (StompyStatusPoller *self,
                 GString            *text)
{
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (self->model);
  const StompyS3BucketStatus *status = self->bucket_status;

  g_string_append (text, "\nBucket\n");
  add_line (text, "Name", stompy_cur_choice_get_bucket (choice));
  add_line (text, "State", stompy_status_state_to_string (self->bucket.state));
  if (status != NULL)
    {
      StompyCheck matches = stompy_status_poller_get_region_matches (self);
      g_autofree char *region = g_strdup_printf ("%s (as the report says: %s)",
                                                 or_dash (status->region),
                                                 stompy_check_to_string (matches));

      add_line (text, "Exists", stompy_check_to_string (status->exists));
      add_line (text, "Readable by this identity", status->accessible ? "yes" : "no");
      add_line (text, "Region", region);
      add_line (text, "Delivery policy in place", stompy_check_to_string (status->delivery_policy));
      add_line (text, "Public access blocked",
                stompy_check_to_string (status->public_access_blocked));
      add_line (text, "First report delivered", stompy_check_to_string (status->delivered));
    }
  add_error_line (text, stompy_status_poller_get_bucket_error (self));
}

/* What AWS said when the poller has looked, else what the model recorded. */
static void
describe_stack (StompyStatusPoller *self,
                GString            *text,
                StompyProducts      product)
{
  StompyStackRecord *record = stompy_onboarding_get_stack (self->model, product);
  StompyStackWatch *watch = stompy_status_poller_get_stack_watch (self, product);
  StompyStack *stack = watch != NULL ? stompy_stack_watch_get_stack (watch) : NULL;
  const char *role_arn = stompy_stack_record_get_role_arn (record);
  gboolean pasted = stompy_stack_record_get_role_arn_pasted (record);
  g_autofree char *status = NULL;
  g_autofree char *role = NULL;

  g_string_append_printf (text, "\nStack for %s\n", product == STOMPY_PRODUCT_ANALYSAVER
                                                    ? "StompyAnalySaver" : "StompySpoTainer");
  if (stack != NULL)
    {
      status = g_strdup_printf ("%s (read from AWS)", stack->status);
      add_line (text, "Name", stack->stack_name);
      add_line (text, "Id", stack->stack_id);
      add_line (text, "Region", stompy_stack_record_get_region (record));
      add_line (text, "Status", status);
      add_line (text, "Reason", stack->status_reason);
      if (stack->role_arn != NULL)
        {
          role_arn = stack->role_arn;
          pasted = FALSE;
        }
    }
  else
    {
      if (stompy_stack_record_get_status (record) != NULL)
        status = g_strdup_printf ("%s (as last recorded)", stompy_stack_record_get_status (record));
      add_line (text, "Name", stompy_stack_record_get_stack_name (record));
      add_line (text, "Id", stompy_stack_record_get_stack_id (record));
      add_line (text, "Region", stompy_stack_record_get_region (record));
      add_line (text, "Status", status != NULL ? status : "not created");
      add_line (text, "Reason", stompy_stack_record_get_status_reason (record));
    }

  if (watch != NULL)
    {
      guint done = 0, total = 0;
      g_autofree char *progress = NULL;

      if (stompy_stack_watch_get_failure_reason (watch) != NULL)
        add_line (text, "Failure", stompy_stack_watch_get_failure_reason (watch));
      stompy_stack_watch_get_progress (watch, &done, &total);
      progress = g_strdup_printf ("%u of %u resources", done, total);
      add_line (text, "Progress", progress);
    }

  if (role_arn != NULL)
    role = g_strdup_printf ("%s (%s)", role_arn,
                            pasted ? "pasted by the user" : "from the stack's outputs");
  add_line (text, "RoleArn", role);
  add_error_line (text, watch != NULL ? stompy_stack_watch_get_error (watch) : NULL);
}

static void
describe_stompy (StompyStatusPoller *self,
                 GString            *text)
{
  StompyConnection *connection = stompy_onboarding_get_connection (self->model);
  const StompyAccountStatus *status = stompy_connection_get_status (connection);
  const char *organization = stompy_onboarding_get_stompy_organization (self->model);
  g_autofree char *user = NULL;

  if (stompy_onboarding_get_stompy_email (self->model) != NULL)
    user = g_strdup_printf ("%s (%s)", stompy_onboarding_get_stompy_email (self->model),
                            organization != NULL ? organization : "-");

  g_string_append (text, "\nStompy\n");
  add_line (text, "User", user);
  add_line (text, "Connect submitted", stompy_connection_get_submitted (connection) ? "yes" : "no");
  add_line (text, "Account", stompy_connection_get_account_id (connection));
  add_line (text, "Status", status != NULL ? status->status : "no answer yet");
  for (guint i = 0; status != NULL && i < status->checks->len; i++)
    {
      const StompyAccountCheck *check = g_ptr_array_index (status->checks, i);
      g_autofree char *label = g_strdup_printf ("Check %s", check->id);
      g_autofree char *value = NULL;

      if (check->message != NULL && *check->message != '\0')
        value = g_strdup_printf ("%s — %s", check->status, check->message);
      else
        value = g_strdup (check->status);
      add_line (text, label, value);
    }
  add_error_line (text, self->stompy_error);
}

char *
stompy_status_poller_describe_at (StompyStatusPoller *self,
                                  GDateTime          *now)
{
  StompyProducts products;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *date = NULL;
  GString *text;

  g_return_val_if_fail (STOMPY_IS_STATUS_POLLER (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  products = stompy_onboarding_get_products (self->model);
  utc = g_date_time_to_utc (now);
  date = g_date_time_format (utc, "%Y-%m-%d %H:%M:%S UTC");

  text = g_string_new ("Stompy Connect details for support\n");
  add_line (text, "App version", PACKAGE_VERSION);
  add_line (text, "Date", date);
  g_string_append (text, "\n");

  describe_account (self, text);
  if (products & STOMPY_PRODUCT_ANALYSAVER)
    {
      describe_report (self, text);
      describe_bucket (self, text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (stack_products); i++)
    if (products & stack_products[i])
      describe_stack (self, text, stack_products[i]);
  describe_stompy (self, text);

  return g_string_free (text, FALSE);
}

char *
stompy_status_poller_describe (StompyStatusPoller *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return stompy_status_poller_describe_at (self, now);
}

/* ------------------------------------------------------------------ GObject */

static void
stompy_status_poller_constructed (GObject *object)
{
  StompyStatusPoller *self = STOMPY_STATUS_POLLER (object);

  G_OBJECT_CLASS (stompy_status_poller_parent_class)->constructed (object);

  g_assert (self->model != NULL);

  g_signal_connect_object (self->model, "notify::products", G_CALLBACK (stacks_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::account-id", G_CALLBACK (account_notify_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (stompy_onboarding_get_cur_choice (self->model), "notify",
                           G_CALLBACK (cur_choice_notify_cb), self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < G_N_ELEMENTS (stack_products); i++)
    g_signal_connect_object (stompy_onboarding_get_stack (self->model, stack_products[i]),
                             "notify", G_CALLBACK (stacks_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (stompy_onboarding_get_connection (self->model), "notify",
                           G_CALLBACK (connection_notify_cb), self, G_CONNECT_SWAPPED);
}

static void
stompy_status_poller_dispose (GObject *object)
{
  StompyStatusPoller *self = STOMPY_STATUS_POLLER (object);

  if (self->model != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->model, self);
      g_signal_handlers_disconnect_by_data (stompy_onboarding_get_cur_choice (self->model), self);
      for (guint i = 0; i < G_N_ELEMENTS (stack_products); i++)
        g_signal_handlers_disconnect_by_data (stompy_onboarding_get_stack (self->model,
                                                                           stack_products[i]),
                                              self);
      g_signal_handlers_disconnect_by_data (stompy_onboarding_get_connection (self->model), self);
    }

  stompy_status_poller_stop (self);
  g_clear_object (&self->client);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (stompy_status_poller_parent_class)->dispose (object);
}

static void
stompy_status_poller_finalize (GObject *object)
{
  StompyStatusPoller *self = STOMPY_STATUS_POLLER (object);

  g_clear_error (&self->bucket.error);
  g_clear_error (&self->report.error);
  g_clear_error (&self->stompy_error);
  g_clear_pointer (&self->bucket_status, stompy_s3_bucket_status_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->stacks); i++)
    g_clear_pointer (&self->stacks[i].handed, stompy_stack_free);
  g_free (self->report_region);
  g_clear_pointer (&self->timer_target.context, g_main_context_unref);

  G_OBJECT_CLASS (stompy_status_poller_parent_class)->finalize (object);
}

static void
stompy_status_poller_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  StompyStatusPoller *self = STOMPY_STATUS_POLLER (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_SETTLED:
      g_value_set_boolean (value, self->settled);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_status_poller_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  StompyStatusPoller *self = STOMPY_STATUS_POLLER (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      self->model = g_value_dup_object (value);
      break;

    case PROP_CLIENT:
      stompy_status_poller_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_status_poller_class_init (StompyStatusPollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = stompy_status_poller_constructed;
  object_class->dispose = stompy_status_poller_dispose;
  object_class->finalize = stompy_status_poller_finalize;
  object_class->get_property = stompy_status_poller_get_property;
  object_class->set_property = stompy_status_poller_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, STOMPY_TYPE_ONBOARDING,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, STOMPY_TYPE_AWS_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTLED] =
    g_param_spec_boolean ("settled", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StompyStatusPoller::changed:
   * @parts: the #StompyStatusParts that may have changed
   *
   * After a look began or ended (a stack watch's answer, or its settling),
   * or the model changed what is shown.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, STOMPY_TYPE_STATUS_PARTS);
}

static void
stompy_status_poller_init (StompyStatusPoller *self)
{
  self->timer_target.context = g_main_context_ref_thread_default ();
  self->timer_target.name = "[stompy] status poller";
  self->timer = *stompy_poll_timer_get_default ();
  self->timer_data = &self->timer_target;
  self->settled = TRUE;
  self->bucket.poller = self;
  self->report.poller = self;
  self->stacks[0].product = STOMPY_PRODUCT_ANALYSAVER;
  self->stacks[1].product = STOMPY_PRODUCT_SPOTAINER;
}
