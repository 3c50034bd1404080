/* stompy-retry.c — the AWS SDKs' "standard" retry mode, and clock-skew correction
 *
 * The constants and lists follow botocore's retries/standard.py and quota.py and
 * the AWS SDK for JavaScript v3 (see shared/reference/aws-cfn-sts-sigv4.md §7).
 */
#include "config.h"

#include <float.h>
#include <string.h>

#include <libsoup/soup.h>

#include "stompy-retry.h"

/* ------------------------------------------------------------------ classification */

/* Codes the SDKs retry as throttling (botocore standard.py, smithy-typescript
 * service-error-classification constants.ts). */
static const char * const throttle_codes[] = {
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "LimitExceededException",
  "RequestThrottled",
  "SlowDown",
  "EC2ThrottledException",
};

/* Retried as transient. PriorRequestNotComplete is in both SDK lists; it is
 * treated as transient here, which costs the same quota. */
static const char * const transient_codes[] = {
  "RequestTimeout",
  "RequestTimeoutException",
  "PriorRequestNotComplete",
};

/* The request time was refused: worth one more attempt once the clock offset
 * has been corrected from the response's Date header. */
static const char * const skew_codes[] = {
  "RequestTimeTooSkewed",
  "RequestExpired",
  "RequestInTheFuture",
};

/* The SDKs also count these as skew errors, but they far more often mean a
 * wrong secret access key, and retrying that only burns quota: they are clock
 * skew only when the message says the signature's time was refused. */
static const char * const signature_codes[] = {
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "AuthFailure",
};

static gboolean
code_in (const char         *code,
         const char * const *list,
         gsize               n_list)
{
  if (code == NULL)
    return FALSE;

  for (gsize i = 0; i < n_list; i++)
    if (g_str_equal (code, list[i]))
      return TRUE;

  return FALSE;
}

gboolean
stompy_retry_is_throttle_code (const char *aws_code)
{
  return code_in (aws_code, throttle_codes, G_N_ELEMENTS (throttle_codes));
}

static StompyRetryKind
classify_transport (const GError *error)
{
  if (error == NULL)
    return STOMPY_RETRY_KIND_NONE;

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_TIMED_OUT:
          return STOMPY_RETRY_KIND_TIMEOUT;

        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_CONNECTION_CLOSED: /* also G_IO_ERROR_BROKEN_PIPE, same value */
        case G_IO_ERROR_NOT_CONNECTED:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_PARTIAL_INPUT:
          return STOMPY_RETRY_KIND_TRANSIENT;

        /* G_IO_ERROR_CANCELLED and everything else: not worth another go. */
        default:
          return STOMPY_RETRY_KIND_NONE;
        }
    }

  if (error->domain == G_RESOLVER_ERROR)
    return error->code == G_RESOLVER_ERROR_TEMPORARY_FAILURE ? STOMPY_RETRY_KIND_TRANSIENT
                                                             : STOMPY_RETRY_KIND_NONE;

  /* A bad certificate must never be retried into success, and a TLS failure
   * that is not about the certificate (a reset in the handshake) is rare
   * enough that giving up is the safer choice. */
  if (error->domain == G_TLS_ERROR)
    return STOMPY_RETRY_KIND_NONE;

  /* libsoup reports a server that hung up mid-message this way. */
  if (error->domain == SOUP_SESSION_ERROR)
    {
      switch (error->code)
        {
        case SOUP_SESSION_ERROR_PARSING:
        case SOUP_SESSION_ERROR_ENCODING:
          return STOMPY_RETRY_KIND_TRANSIENT;
        default:
          return STOMPY_RETRY_KIND_NONE;
        }
    }

  return STOMPY_RETRY_KIND_NONE;
}

/* STS and others answer an expired signature with SignatureDoesNotMatch and a
 * message such as "Signature expired: 20130524T000000Z is now earlier than …";
 * only then is the code about the clock rather than the key. */
static gboolean
message_is_about_time (const char *message)
{
  return message != NULL &&
         (strstr (message, "Signature expired") != NULL ||
          strstr (message, "Signature not yet current") != NULL);
}

StompyRetryKind
stompy_retry_classify_aws_full (guint         http_status,
                                const char   *aws_code,
                                const char   *aws_message,
                                const GError *transport_error)
{
  if (http_status == 0)
    return classify_transport (transport_error);

  if (code_in (aws_code, skew_codes, G_N_ELEMENTS (skew_codes)))
    return STOMPY_RETRY_KIND_CLOCK_SKEW;

  if (code_in (aws_code, signature_codes, G_N_ELEMENTS (signature_codes)) &&
      message_is_about_time (aws_message))
    return STOMPY_RETRY_KIND_CLOCK_SKEW;

  if (stompy_retry_is_throttle_code (aws_code) || http_status == 429)
    return STOMPY_RETRY_KIND_THROTTLE;

  if (code_in (aws_code, transient_codes, G_N_ELEMENTS (transient_codes)))
    return STOMPY_RETRY_KIND_TRANSIENT;

  switch (http_status)
    {
    case 500:
    case 502:
    case 503:
    case 504:
      return STOMPY_RETRY_KIND_TRANSIENT;
    default:
      return STOMPY_RETRY_KIND_NONE;
    }
}

StompyRetryKind
stompy_retry_classify_aws (guint         http_status,
                           const char   *aws_code,
                           const GError *transport_error)
{
  return stompy_retry_classify_aws_full (http_status, aws_code, NULL, transport_error);
}

/* ------------------------------------------------------------------ policy */

struct _StompyRetryPolicy
{
  gatomicrefcount  ref_count;
  guint            max_attempts;
  GMutex           mutex;      /* guards quota and the random source */
  guint            quota;
  StompyRandomFunc random_func;
  gpointer         random_data;
};

static double
default_random (gpointer user_data)
{
  return g_random_double ();
}

StompyRetryPolicy *
stompy_retry_policy_new (guint max_attempts)
{
  StompyRetryPolicy *self = g_new0 (StompyRetryPolicy, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  self->max_attempts = max_attempts > 0 ? max_attempts : STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS;
  self->quota = STOMPY_RETRY_QUOTA_CAPACITY;
  self->random_func = default_random;

  return self;
}

StompyRetryPolicy *
stompy_retry_policy_ref (StompyRetryPolicy *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
stompy_retry_policy_unref (StompyRetryPolicy *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_mutex_clear (&self->mutex);
      g_free (self);
    }
}

void
stompy_retry_policy_set_random_func (StompyRetryPolicy *self,
                                     StompyRandomFunc   func,
                                     gpointer           user_data)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->random_func = func != NULL ? func : default_random;
  self->random_data = func != NULL ? user_data : NULL;
  g_mutex_unlock (&self->mutex);
}

guint
stompy_retry_policy_get_max_attempts (StompyRetryPolicy *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_attempts;
}

gboolean
stompy_retry_policy_should_retry (StompyRetryPolicy *self,
                                  guint              attempt_done,
                                  StompyRetryKind    kind)
{
  guint cost;
  gboolean ok = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  if (kind == STOMPY_RETRY_KIND_NONE || attempt_done >= self->max_attempts)
    return FALSE;

  cost = kind == STOMPY_RETRY_KIND_TIMEOUT ? STOMPY_RETRY_TIMEOUT_COST : STOMPY_RETRY_COST;

  g_mutex_lock (&self->mutex);
  if (self->quota >= cost)
    {
      self->quota -= cost;
      ok = TRUE;
    }
  g_mutex_unlock (&self->mutex);

  return ok;
}

guint
stompy_retry_policy_backoff_ms (StompyRetryPolicy *self,
                                guint              attempt_done)
{
  double r;
  double cap_ms;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  r = self->random_func (self->random_data);
  g_mutex_unlock (&self->mutex);

  /* A broken random source must not stall the app or wrap around. */
  if (!(r >= 0.0))
    r = 0.0;
  if (r >= 1.0)
    r = 1.0 - DBL_EPSILON;

  /* 2^(n-1) s, capped: from n = 16 on the power alone overflows nothing in a
   * double, but stopping at the cap keeps it obvious. */
  if (attempt_done == 0)
    attempt_done = 1;
  if (attempt_done > 15)
    cap_ms = STOMPY_RETRY_MAX_BACKOFF_MS;
  else
    cap_ms = MIN ((double) (1u << (attempt_done - 1)) * 1000.0, (double) STOMPY_RETRY_MAX_BACKOFF_MS);

  return (guint) (r * cap_ms);
}

void
stompy_retry_policy_record_success (StompyRetryPolicy *self,
                                    guint              retried_cost)
{
  guint refund;

  g_return_if_fail (self != NULL);

  refund = retried_cost > 0 ? retried_cost : STOMPY_RETRY_NO_RETRY_REFUND;

  g_mutex_lock (&self->mutex);
  self->quota = MIN (self->quota + refund, (guint) STOMPY_RETRY_QUOTA_CAPACITY);
  g_mutex_unlock (&self->mutex);
}

guint
stompy_retry_policy_get_quota (StompyRetryPolicy *self)
{
  guint quota;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  quota = self->quota;
  g_mutex_unlock (&self->mutex);

  return quota;
}

/* ------------------------------------------------------------------ clock */

#define SKEW_THRESHOLD_US (5 * G_USEC_PER_SEC * 60)

struct _StompyClock
{
  gatomicrefcount ref_count;
  gint64          offset_us;    /* read and written atomically */
  StompyNowFunc   now_func;
  gpointer        now_data;
};

static gint64
default_now (gpointer user_data)
{
  return g_get_real_time ();
}

StompyClock *
stompy_clock_new (void)
{
  StompyClock *self = g_new0 (StompyClock, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->now_func = default_now;

  return self;
}

StompyClock *
stompy_clock_ref (StompyClock *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
stompy_clock_unref (StompyClock *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    g_free (self);
}

/* Meant to be called once, before the clock is shared between threads. */
void
stompy_clock_set_now_func (StompyClock  *self,
                           StompyNowFunc func,
                           gpointer      user_data)
{
  g_return_if_fail (self != NULL);

  self->now_func = func != NULL ? func : default_now;
  self->now_data = func != NULL ? user_data : NULL;
}

gint64
stompy_clock_get_offset_us (StompyClock *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return __atomic_load_n (&self->offset_us, __ATOMIC_SEQ_CST);
}

GDateTime *
stompy_clock_now (StompyClock *self)
{
  gint64 now_us;
  GDateTime *epoch;
  GDateTime *result;

  g_return_val_if_fail (self != NULL, NULL);

  now_us = self->now_func (self->now_data) + stompy_clock_get_offset_us (self);

  epoch = g_date_time_new_from_unix_utc (0);
  result = g_date_time_add (epoch, now_us);
  g_date_time_unref (epoch);

  return result;
}

gboolean
stompy_clock_update_from_date (StompyClock *self,
                               const char  *http_date)
{
  g_autoptr(GDateTime) server = NULL;
  gint64 server_us;
  gint64 local_us;
  gint64 offset;

  g_return_val_if_fail (self != NULL, FALSE);

  if (http_date == NULL || *http_date == '\0')
    return FALSE;

  server = soup_date_time_new_from_http_string (http_date);
  if (server == NULL)
    return FALSE;

  /* HTTP dates have whole seconds; that is precise enough for a 5 min rule. */
  server_us = g_date_time_to_unix (server) * G_USEC_PER_SEC;
  local_us = self->now_func (self->now_data);
  offset = stompy_clock_get_offset_us (self);

  if (ABS (server_us - (local_us + offset)) < SKEW_THRESHOLD_US)
    return FALSE;

  __atomic_store_n (&self->offset_us, server_us - local_us, __ATOMIC_SEQ_CST);
  return TRUE;
}
