/* stompy-retry.h — the AWS SDKs' "standard" retry mode, and clock-skew correction
 *
 * Shared by the AWS client and the Stompy client: 3 attempts in all, exponential
 * backoff with full jitter capped at 20 s, and a retry quota (token bucket of
 * 500: a retry costs 5, one after a timeout 10; a success refunds) so that a
 * failing endpoint is not hammered. The random source and the clock can be
 * replaced so tests are deterministic.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  STOMPY_RETRY_KIND_NONE,        /* do not retry */
  STOMPY_RETRY_KIND_TRANSIENT,   /* 500/502/503/504, RequestTimeout, connection reset */
  STOMPY_RETRY_KIND_THROTTLE,    /* Throttling, TooManyRequestsException, 429, … */
  STOMPY_RETRY_KIND_TIMEOUT,     /* no answer in time (costs more quota) */
  STOMPY_RETRY_KIND_CLOCK_SKEW,  /* RequestTimeTooSkewed & co: retry once after correcting */
} StompyRetryKind;

/* Classifies an AWS answer: @http_status 0 means no HTTP answer, in which case
 * @transport_error (a GIOError / GResolverError / GTlsError) says what happened. */
StompyRetryKind stompy_retry_classify_aws      (guint         http_status,
                                                const char   *aws_code,
                                                const GError *transport_error);
/* The same, with the AWS error message: SignatureDoesNotMatch,
 * InvalidSignatureException and AuthFailure are CLOCK_SKEW only when the
 * message says "Signature expired" or "Signature not yet current" (otherwise
 * they mean a wrong key, and are NONE). stompy_retry_classify_aws() passes no
 * message, so for it those codes are always NONE. */
StompyRetryKind stompy_retry_classify_aws_full (guint         http_status,
                                                const char   *aws_code,
                                                const char   *aws_message,
                                                const GError *transport_error);
gboolean        stompy_retry_is_throttle_code  (const char   *aws_code);

/* Returns a value in [0, 1). */
typedef double (*StompyRandomFunc) (gpointer user_data);

typedef struct _StompyRetryPolicy StompyRetryPolicy;

#define STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS 3
#define STOMPY_RETRY_MAX_BACKOFF_MS       20000
#define STOMPY_RETRY_QUOTA_CAPACITY       500
#define STOMPY_RETRY_COST                 5
#define STOMPY_RETRY_TIMEOUT_COST         10
#define STOMPY_RETRY_NO_RETRY_REFUND      1

StompyRetryPolicy *stompy_retry_policy_new          (guint              max_attempts) G_GNUC_WARN_UNUSED_RESULT;
StompyRetryPolicy *stompy_retry_policy_ref          (StompyRetryPolicy *self);
void               stompy_retry_policy_unref        (StompyRetryPolicy *self);
void               stompy_retry_policy_set_random_func (StompyRetryPolicy *self,
                                                     StompyRandomFunc   func,
                                                     gpointer           user_data);
guint              stompy_retry_policy_get_max_attempts (StompyRetryPolicy *self);
/* May attempt number @attempt_done (1-based) be followed by another, for @kind?
 * Takes the quota cost when it says yes. Never TRUE past max_attempts, for
 * KIND_NONE, or when the quota is spent. */
gboolean           stompy_retry_policy_should_retry (StompyRetryPolicy *self,
                                                     guint              attempt_done,
                                                     StompyRetryKind    kind);
/* The delay before the attempt after @attempt_done: rand × min(2^(n-1) s, 20 s). */
guint              stompy_retry_policy_backoff_ms   (StompyRetryPolicy *self,
                                                     guint              attempt_done);
/* Call on success; @retried_cost is what should_retry() took for this call. */
void               stompy_retry_policy_record_success (StompyRetryPolicy *self,
                                                     guint              retried_cost);
guint              stompy_retry_policy_get_quota    (StompyRetryPolicy *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyRetryPolicy, stompy_retry_policy_unref)

/* ---- clock skew ---- */

typedef gint64 (*StompyNowFunc) (gpointer user_data); /* µs since the epoch */

typedef struct _StompyClock StompyClock;

StompyClock *stompy_clock_new               (void) G_GNUC_WARN_UNUSED_RESULT;
StompyClock *stompy_clock_ref               (StompyClock *self);
void         stompy_clock_unref             (StompyClock *self);
void         stompy_clock_set_now_func      (StompyClock  *self,
                                             StompyNowFunc func,
                                             gpointer     user_data);
/* Corrected "now" (local now + offset), as a UTC GDateTime for signing. */
GDateTime   *stompy_clock_now               (StompyClock *self) G_GNUC_WARN_UNUSED_RESULT;
gint64       stompy_clock_get_offset_us     (StompyClock *self);
/* Reads an HTTP Date header value; when it differs from corrected now by 5 min
 * or more, adopts the server's time. Returns TRUE when the offset changed. */
gboolean     stompy_clock_update_from_date  (StompyClock *self,
                                             const char  *http_date);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyClock, stompy_clock_unref)

G_END_DECLS
