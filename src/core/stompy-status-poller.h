/* stompy-status-poller.h — what the status panel shows, without GTK
 *
 * Follows the onboarding model (the report choice, the chosen products and
 * their stack records) and asks AWS, with the client it is given, what stands
 * there: the bucket's status (stompy_s3_bucket_status_async), the report
 * definition's four conditions (re-read by name: CUR or Data Exports), and a
 * StompyStackWatch per chosen product's stack. The status panel and the CLI's
 * `status` command read it.
 *
 * It asks only while something can still change by itself: stacks through
 * their watches (which stop when settled), and the report's first delivery,
 * re-checked after 30 s, doubling up to 5 min, while the report exists and
 * has not been delivered. Transient errors (network, throttling, 5xx) are kept
 * for the part they concern and retried on the same schedule; other errors
 * stop that part until refresh(). When everything has settled it sends
 * nothing. Without a client (guided mode) every part is UNCHECKED: what the
 * model holds is all there is.
 *
 * Stompy's verification checks are the one part it never asks about: the
 * Connect page's StompyConnectionWatch polls Stompy and writes each answer
 * into the model's StompyConnection, and the poller only passes the model's
 * notifications on as STOMPY_STATUS_PART_STOMPY, so that readers update every
 * part the same way.
 *
 * Everything runs on the thread-default main context of the thread that
 * created the poller; dispose cancels every request and timer.
 */
#pragma once

#include "stompy-cur.h"
#include "stompy-onboarding.h"
#include "stompy-s3.h"
#include "stompy-stack-watch.h"

G_BEGIN_DECLS

#define STOMPY_STATUS_POLLER_DELIVERY_FIRST_DELAY_MS (30 * 1000)
#define STOMPY_STATUS_POLLER_DELIVERY_MAX_DELAY_MS   (5 * 60 * 1000)

/* The parts of the status, as the "changed" signal names them. */
typedef enum /*< flags >*/
{
  STOMPY_STATUS_PART_NONE   = 0,
  STOMPY_STATUS_PART_BUCKET = 1 << 0,
  STOMPY_STATUS_PART_REPORT = 1 << 1,
  STOMPY_STATUS_PART_STACKS = 1 << 2,
  STOMPY_STATUS_PART_STOMPY = 1 << 3,  /* the model's connection, or the Stompy error */
} StompyStatusParts;

#define STOMPY_STATUS_PARTS_ALL (STOMPY_STATUS_PART_BUCKET | STOMPY_STATUS_PART_REPORT | \
                                 STOMPY_STATUS_PART_STACKS | STOMPY_STATUS_PART_STOMPY)

/* Where one part (bucket or report) stands. */
typedef enum
{
  STOMPY_STATUS_STATE_NONE,       /* nothing to look at: no report chosen yet */
  STOMPY_STATUS_STATE_UNCHECKED,  /* known from the model only (no AWS client) */
  STOMPY_STATUS_STATE_CHECKING,   /* the first look is in flight */
  STOMPY_STATUS_STATE_KNOWN,      /* the last look succeeded */
  STOMPY_STATUS_STATE_ERROR,      /* the last look failed: see the part's error */
} StompyStatusState;

GType       stompy_status_parts_get_type (void) G_GNUC_CONST;
GType       stompy_status_state_get_type (void) G_GNUC_CONST;
#define STOMPY_TYPE_STATUS_PARTS (stompy_status_parts_get_type ())
#define STOMPY_TYPE_STATUS_STATE (stompy_status_state_get_type ())
/* "none", "unchecked", "checking", "known", "error" */
const char *stompy_status_state_to_string (StompyStatusState state);

#define STOMPY_TYPE_STATUS_POLLER (stompy_status_poller_get_type ())

G_DECLARE_FINAL_TYPE (StompyStatusPoller, stompy_status_poller, STOMPY, STATUS_POLLER, GObject)

/* @client may be NULL (guided mode). Nothing is asked until start(). */
StompyStatusPoller *stompy_status_poller_new         (StompyOnboarding *model,
                                                      StompyAwsClient  *client) G_GNUC_WARN_UNUSED_RESULT;
StompyOnboarding   *stompy_status_poller_get_model   (StompyStatusPoller *self);
StompyAwsClient    *stompy_status_poller_get_client  (StompyStatusPoller *self);
/* A new client (or NULL) looks at everything again. */
void                stompy_status_poller_set_client  (StompyStatusPoller *self,
                                                      StompyAwsClient    *client);
/* Before start(): replace the clock and timer, for the poller's own waits and
 * those of the stack watches it makes (the struct is copied). */
void                stompy_status_poller_set_timer   (StompyStatusPoller          *self,
                                                      const StompyStackWatchTimer *timer,
                                                      gpointer                     user_data);
/* Looks at everything once (in an idle) and follows the model from then on. */
void                stompy_status_poller_start       (StompyStatusPoller *self);
/* One fresh look at every part now, whatever the schedule says: the bucket
 * status, the report definition, and every stack watch's refresh(). */
void                stompy_status_poller_refresh     (StompyStatusPoller *self);
/* Cancels every request and timer; start() or refresh() begins again. */
void                stompy_status_poller_stop        (StompyStatusPoller *self);

/* TRUE while a bucket or report request is in flight. */
gboolean            stompy_status_poller_get_busy    (StompyStatusPoller *self);
/* TRUE when nothing is in flight, queued or scheduled, and no watch polls:
 * the poller sends nothing more until the model changes or refresh(). */
gboolean            stompy_status_poller_get_settled (StompyStatusPoller *self);

/* ---- the bucket */
StompyStatusState   stompy_status_poller_get_bucket_state  (StompyStatusPoller *self);
/* The last status read (kept while a new look runs or after it failed), or NULL. */
const StompyS3BucketStatus *stompy_status_poller_get_bucket_status (StompyStatusPoller *self);
const GError       *stompy_status_poller_get_bucket_error  (StompyStatusPoller *self);
/* Whether the bucket's region is the report's (as read from AWS, else as
 * recorded in the model); UNKNOWN when either is unknown. */
StompyCheck         stompy_status_poller_get_region_matches (StompyStatusPoller *self);
/* The report's region: as read from AWS when known, else the model's. */
const char         *stompy_status_poller_get_report_region (StompyStatusPoller *self);
/* The wait before the next first-delivery check, 0 when none is scheduled. */
guint               stompy_status_poller_get_delivery_delay_ms (StompyStatusPoller *self);

/* ---- the report */
StompyStatusState   stompy_status_poller_get_report_state  (StompyStatusPoller *self);
/* Whether the definition (or export) of the chosen name was found. */
gboolean            stompy_status_poller_get_report_found  (StompyStatusPoller *self);
StompyCurConditions stompy_status_poller_get_report_conditions (StompyStatusPoller   *self,
                                                                StompyCurAthenaFlaws *athena_flaws);
const GError       *stompy_status_poller_get_report_error  (StompyStatusPoller *self);

/* ---- the stacks */
/* The watch following @product's stack, or NULL when the product is not
 * chosen, its stack was never created (no id and no status recorded), or
 * there is no client. Borrowed; replaced when the record changes (in an idle:
 * until then NULL, never the watch of the stack the record named before). */
StompyStackWatch   *stompy_status_poller_get_stack_watch (StompyStatusPoller *self,
                                                          StompyProducts      product);

/* The stack of @product as whoever created it has just described it (after CreateStack,
 * through stompy_cloudformation_ensure_stack_async()), copied: the watch the poller makes
 * for it next starts from it (stompy_stack_watch_set_stack()) instead of asking again. */
void                stompy_status_poller_hand_stack      (StompyStatusPoller *self,
                                                          StompyProducts      product,
                                                          const StompyStack  *stack);

/* ---- Stompy (never asked here: see above) */
/* The last error of Connect or of following its checks, kept for the panel
 * and for describe() by whoever talks to Stompy (the Connect page); NULL
 * forgets it. It is forgotten too when the model's connection records an
 * answer other than the one it held, or is cleared. */
void                stompy_status_poller_set_stompy_error (StompyStatusPoller *self,
                                                           const GError       *error);
const GError       *stompy_status_poller_get_stompy_error (StompyStatusPoller *self);

/* ---- for support */
/* A plain-text summary of everything above and of the model (app version,
 * date in UTC, account and identity, region, products, the report, the
 * bucket, each stack, Stompy's status and checks, each part's last error
 * with its AWS or Stompy request id), for the "Copy Details" action. Never
 * a secret: the model and the errors hold none, and the client's
 * credentials are not read. Labels are in English on purpose (see the .c). */
char               *stompy_status_poller_describe (StompyStatusPoller *self) G_GNUC_WARN_UNUSED_RESULT;
/* The same at @now (converted to UTC), for tests. */
char               *stompy_status_poller_describe_at (StompyStatusPoller *self,
                                                      GDateTime          *now) G_GNUC_WARN_UNUSED_RESULT;

/* The wait before delivery check number @index (0-based): 30 s × 2^n, ≤ 5 min. */
guint               stompy_status_poller_delivery_backoff_ms (guint index);
/* Network, timeout, throttling, 5xx, clock skew: worth asking again later. */
gboolean            stompy_status_poller_error_is_transient (const GError *error);

G_END_DECLS
