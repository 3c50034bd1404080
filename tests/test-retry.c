/* test-retry.c — standard retry mode and clock-skew correction */
#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "stompy-retry.h"

/* ------------------------------------------------------------------ helpers */

static double
fixed_random (gpointer user_data)
{
  return *(double *) user_data;
}

static gint64
fixed_now (gpointer user_data)
{
  return *(gint64 *) user_data;
}

/* 2026-01-01T00:00:00Z */
#define T0_US (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)
#define T0_HTTP "Thu, 01 Jan 2026 00:00:00 GMT"

/* ------------------------------------------------------------------ classification */

static void
test_classify_http_status (void)
{
  g_assert_cmpint (stompy_retry_classify_aws (500, NULL, NULL), ==, STOMPY_RETRY_KIND_TRANSIENT);
  g_assert_cmpint (stompy_retry_classify_aws (502, NULL, NULL), ==, STOMPY_RETRY_KIND_TRANSIENT);
  g_assert_cmpint (stompy_retry_classify_aws (503, NULL, NULL), ==, STOMPY_RETRY_KIND_TRANSIENT);
  g_assert_cmpint (stompy_retry_classify_aws (504, NULL, NULL), ==, STOMPY_RETRY_KIND_TRANSIENT);
  g_assert_cmpint (stompy_retry_classify_aws (429, NULL, NULL), ==, STOMPY_RETRY_KIND_THROTTLE);

  /* Not retried: client errors, 501, 505, success. */
  g_assert_cmpint (stompy_retry_classify_aws (400, NULL, NULL), ==, STOMPY_RETRY_KIND_NONE);
  g_assert_cmpint (stompy_retry_classify_aws (403, "AccessDenied", NULL), ==, STOMPY_RETRY_KIND_NONE);
  g_assert_cmpint (stompy_retry_classify_aws (404, "NoSuchBucket", NULL), ==, STOMPY_RETRY_KIND_NONE);
  g_assert_cmpint (stompy_retry_classify_aws (501, NULL, NULL), ==, STOMPY_RETRY_KIND_NONE);
  g_assert_cmpint (stompy_retry_classify_aws (505, NULL, NULL), ==, STOMPY_RETRY_KIND_NONE);
  g_assert_cmpint (stompy_retry_classify_aws (200, NULL, NULL), ==, STOMPY_RETRY_KIND_NONE);
}

static void
test_classify_transient_codes (void)
{
  g_assert_cmpint (stompy_retry_classify_aws (400, "RequestTimeout", NULL), ==, STOMPY_RETRY_KIND_TRANSIENT);
  g_assert_cmpint (stompy_retry_classify_aws (400, "RequestTimeoutException", NULL), ==, STOMPY_RETRY_KIND_TRANSIENT);
  g_assert_cmpint (stompy_retry_classify_aws (400, "PriorRequestNotComplete", NULL), ==, STOMPY_RETRY_KIND_TRANSIENT);
  /* Codes are case-sensitive, as the services send them. */
  g_assert_cmpint (stompy_retry_classify_aws (400, "requesttimeout", NULL), ==, STOMPY_RETRY_KIND_NONE);
}

static void
test_classify_throttle_codes (void)
{
  const char *codes[] = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException",
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_test_message ("%s", codes[i]);
      g_assert_true (stompy_retry_is_throttle_code (codes[i]));
      g_assert_cmpint (stompy_retry_classify_aws (400, codes[i], NULL), ==, STOMPY_RETRY_KIND_THROTTLE);
      /* A throttle code wins over the 5xx it may come with (S3 SlowDown is a 503). */
      g_assert_cmpint (stompy_retry_classify_aws (503, codes[i], NULL), ==, STOMPY_RETRY_KIND_THROTTLE);
    }

  g_assert_false (stompy_retry_is_throttle_code (NULL));
  g_assert_false (stompy_retry_is_throttle_code ("AccessDenied"));
  g_assert_false (stompy_retry_is_throttle_code ("throttling"));
}

static void
test_classify_clock_skew (void)
{
  g_assert_cmpint (stompy_retry_classify_aws (403, "RequestTimeTooSkewed", NULL), ==, STOMPY_RETRY_KIND_CLOCK_SKEW);
  g_assert_cmpint (stompy_retry_classify_aws (400, "RequestExpired", NULL), ==, STOMPY_RETRY_KIND_CLOCK_SKEW);
  g_assert_cmpint (stompy_retry_classify_aws (400, "RequestInTheFuture", NULL), ==, STOMPY_RETRY_KIND_CLOCK_SKEW);

  /* A wrong secret is not worth retrying… */
  g_assert_cmpint (stompy_retry_classify_aws (403, "SignatureDoesNotMatch", NULL), ==, STOMPY_RETRY_KIND_NONE);
  g_assert_cmpint (stompy_retry_classify_aws_full (403, "SignatureDoesNotMatch",
                                                   "The request signature we calculated does not match "
                                                   "the signature you provided.", NULL),
                   ==, STOMPY_RETRY_KIND_NONE);
  g_assert_cmpint (stompy_retry_classify_aws (400, "InvalidSignatureException", NULL), ==, STOMPY_RETRY_KIND_NONE);

  /* …but an expired signature is about the clock. */
  g_assert_cmpint (stompy_retry_classify_aws_full (403, "SignatureDoesNotMatch",
                                                   "Signature expired: 20130524T000000Z is now earlier than "
                                                   "20130524T001001Z (20130524T002501Z - 15 min.)", NULL),
                   ==, STOMPY_RETRY_KIND_CLOCK_SKEW);
  g_assert_cmpint (stompy_retry_classify_aws_full (400, "InvalidSignatureException",
                                                   "Signature not yet current: 20300101T000000Z is still later "
                                                   "than 20260101T001500Z", NULL),
                   ==, STOMPY_RETRY_KIND_CLOCK_SKEW);
  g_assert_cmpint (stompy_retry_classify_aws_full (401, "AuthFailure", "Signature expired: …", NULL),
                   ==, STOMPY_RETRY_KIND_CLOCK_SKEW);
  g_assert_cmpint (stompy_retry_classify_aws_full (401, "AuthFailure", "AWS was not able to validate", NULL),
                   ==, STOMPY_RETRY_KIND_NONE);
}

static void
assert_transport (GQuark          domain,
                  int             code,
                  StompyRetryKind expected)
{
  g_autoptr(GError) error = g_error_new_literal (domain, code, "test");

  g_assert_cmpint (stompy_retry_classify_aws (0, NULL, error), ==, expected);
}

static void
test_classify_transport (void)
{
  assert_transport (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, STOMPY_RETRY_KIND_TIMEOUT);
  assert_transport (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, STOMPY_RETRY_KIND_TRANSIENT);
  assert_transport (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, STOMPY_RETRY_KIND_TRANSIENT);
  assert_transport (G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, STOMPY_RETRY_KIND_TRANSIENT);
  assert_transport (G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, STOMPY_RETRY_KIND_TRANSIENT);
  assert_transport (G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, STOMPY_RETRY_KIND_TRANSIENT);
  assert_transport (G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, STOMPY_RETRY_KIND_TRANSIENT);

  /* Never retried: the user cancelled, the name does not exist, TLS said no. */
  assert_transport (G_IO_ERROR, G_IO_ERROR_CANCELLED, STOMPY_RETRY_KIND_NONE);
  assert_transport (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, STOMPY_RETRY_KIND_NONE);
  assert_transport (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, STOMPY_RETRY_KIND_NONE);
  assert_transport (G_TLS_ERROR, G_TLS_ERROR_HANDSHAKE, STOMPY_RETRY_KIND_NONE);
  assert_transport (G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED, STOMPY_RETRY_KIND_NONE);
  assert_transport (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, STOMPY_RETRY_KIND_NONE);
  assert_transport (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, STOMPY_RETRY_KIND_NONE);

  /* No status and no error: nothing to go on. */
  g_assert_cmpint (stompy_retry_classify_aws (0, NULL, NULL), ==, STOMPY_RETRY_KIND_NONE);
}

/* ------------------------------------------------------------------ backoff */

static void
test_backoff_values (void)
{
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS);
  double r = 0.5;

  stompy_retry_policy_set_random_func (policy, fixed_random, &r);

  /* rand × min(2^(n-1) s, 20 s) */
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 1), ==, 500);
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 2), ==, 1000);
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 3), ==, 2000);
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 4), ==, 4000);
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 5), ==, 8000);

  r = 0.0;
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 3), ==, 0);

  r = 0.25;
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 2), ==, 500);
}

static void
test_backoff_cap (void)
{
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (10);
  double r = 0.999999;

  stompy_retry_policy_set_random_func (policy, fixed_random, &r);

  /* 2^4 = 16 s is under the cap, 2^5 = 32 s is over it. */
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 5), ==, 15999);
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 6), <, STOMPY_RETRY_MAX_BACKOFF_MS);
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 6), >=, 19999);
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 40), <, STOMPY_RETRY_MAX_BACKOFF_MS);
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, G_MAXUINT), <, STOMPY_RETRY_MAX_BACKOFF_MS);

  /* A random source outside [0, 1) is clamped. */
  r = 7.0;
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 1), <, 1000);
  r = -3.0;
  g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 1), ==, 0);
}

static void
test_backoff_default_random_in_range (void)
{
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (3);

  for (guint i = 0; i < 200; i++)
    g_assert_cmpuint (stompy_retry_policy_backoff_ms (policy, 2), <, 2000);
}

/* ------------------------------------------------------------------ attempts and quota */

static void
test_max_attempts (void)
{
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS);
  g_autoptr(StompyRetryPolicy) zero = stompy_retry_policy_new (0);

  g_assert_cmpuint (stompy_retry_policy_get_max_attempts (policy), ==, 3);
  g_assert_cmpuint (stompy_retry_policy_get_max_attempts (zero), ==, STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS);

  g_assert_true (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_TRANSIENT));
  g_assert_true (stompy_retry_policy_should_retry (policy, 2, STOMPY_RETRY_KIND_THROTTLE));
  g_assert_false (stompy_retry_policy_should_retry (policy, 3, STOMPY_RETRY_KIND_TRANSIENT));
  g_assert_false (stompy_retry_policy_should_retry (policy, 4, STOMPY_RETRY_KIND_TRANSIENT));
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 500 - 5 - 5);

  /* KIND_NONE is never retried, and costs nothing. */
  g_assert_false (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_NONE));
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 490);
}

static void
test_quota_costs (void)
{
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (3);

  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, STOMPY_RETRY_QUOTA_CAPACITY);

  g_assert_true (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_TIMEOUT));
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 490);
  g_assert_true (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_CLOCK_SKEW));
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 485);
  g_assert_true (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_THROTTLE));
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 480);
}

static void
test_quota_drains_and_stops (void)
{
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (3);
  guint granted = 0;

  while (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_TRANSIENT))
    {
      granted++;
      g_assert_cmpuint (granted, <=, 100);
    }

  g_assert_cmpuint (granted, ==, 100);
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 0);

  /* Empty: no retry of any kind. */
  g_assert_false (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_THROTTLE));
  g_assert_false (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_TIMEOUT));

  /* A success refunds 1; a timeout retry (10) still cannot be paid for, a
   * plain one needs 5 of them. */
  for (guint i = 0; i < 9; i++)
    stompy_retry_policy_record_success (policy, 0);
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 9);
  g_assert_false (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_TIMEOUT));
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 9);
  g_assert_true (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_TRANSIENT));
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 4);
  g_assert_false (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_TRANSIENT));
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 4);
}

static void
test_quota_refunds (void)
{
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (3);

  /* A success without retries refunds 1, never above the capacity. */
  stompy_retry_policy_record_success (policy, 0);
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, STOMPY_RETRY_QUOTA_CAPACITY);

  /* A call retried twice (timeout then transient) and then successful gets
   * back what it took. */
  g_assert_true (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_TIMEOUT));
  g_assert_true (stompy_retry_policy_should_retry (policy, 2, STOMPY_RETRY_KIND_TRANSIENT));
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 485);
  stompy_retry_policy_record_success (policy, 15);
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 500);

  /* Draining, then refunds in steps. */
  g_assert_true (stompy_retry_policy_should_retry (policy, 1, STOMPY_RETRY_KIND_TRANSIENT));
  stompy_retry_policy_record_success (policy, 0);
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 496);
  stompy_retry_policy_record_success (policy, 100);
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 500);
}

static void
test_policy_ref_counting (void)
{
  StompyRetryPolicy *policy = stompy_retry_policy_new (3);

  g_assert_true (stompy_retry_policy_ref (policy) == policy);
  stompy_retry_policy_unref (policy);
  g_assert_cmpuint (stompy_retry_policy_get_quota (policy), ==, 500);
  stompy_retry_policy_unref (policy);
}

/* ------------------------------------------------------------------ clock */

static void
test_clock_now_uses_func_and_offset (void)
{
  g_autoptr(StompyClock) clock = stompy_clock_new ();
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *iso = NULL;
  gint64 local = T0_US + 123456;

  stompy_clock_set_now_func (clock, fixed_now, &local);
  g_assert_cmpint (stompy_clock_get_offset_us (clock), ==, 0);

  now = stompy_clock_now (clock);
  iso = g_date_time_format_iso8601 (now);
  g_assert_cmpstr (iso, ==, "2026-01-01T00:00:00.123456Z");
  g_assert_cmpint (g_date_time_get_utc_offset (now), ==, 0);
}

static void
test_clock_small_skew_ignored (void)
{
  g_autoptr(StompyClock) clock = stompy_clock_new ();
  gint64 local = T0_US + (gint64) (4 * 60 + 59) * G_USEC_PER_SEC; /* 4 min 59 s fast */

  stompy_clock_set_now_func (clock, fixed_now, &local);

  g_assert_false (stompy_clock_update_from_date (clock, T0_HTTP));
  g_assert_cmpint (stompy_clock_get_offset_us (clock), ==, 0);

  local = T0_US - (gint64) (4 * 60 + 59) * G_USEC_PER_SEC; /* 4 min 59 s slow */
  g_assert_false (stompy_clock_update_from_date (clock, T0_HTTP));
  g_assert_cmpint (stompy_clock_get_offset_us (clock), ==, 0);
}

static void
test_clock_large_skew_adopted (void)
{
  g_autoptr(StompyClock) clock = stompy_clock_new ();
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *iso = NULL;
  gint64 local = T0_US - (gint64) 3600 * G_USEC_PER_SEC; /* an hour slow */

  stompy_clock_set_now_func (clock, fixed_now, &local);

  g_assert_true (stompy_clock_update_from_date (clock, T0_HTTP));
  g_assert_cmpint (stompy_clock_get_offset_us (clock), ==, (gint64) 3600 * G_USEC_PER_SEC);

  now = stompy_clock_now (clock);
  iso = g_date_time_format_iso8601 (now);
  g_assert_cmpstr (iso, ==, "2026-01-01T00:00:00Z");

  /* Once corrected, the same server time changes nothing. */
  g_assert_false (stompy_clock_update_from_date (clock, T0_HTTP));
  g_assert_cmpint (stompy_clock_get_offset_us (clock), ==, (gint64) 3600 * G_USEC_PER_SEC);

  /* Exactly 5 min off the corrected time is adopted. */
  g_assert_true (stompy_clock_update_from_date (clock, "Thu, 01 Jan 2026 00:05:00 GMT"));
  g_assert_cmpint (stompy_clock_get_offset_us (clock), ==, (gint64) 3900 * G_USEC_PER_SEC);

  /* A fast clock gets a negative offset. */
  local = T0_US + (gint64) 86400 * G_USEC_PER_SEC;
  g_assert_true (stompy_clock_update_from_date (clock, T0_HTTP));
  g_assert_cmpint (stompy_clock_get_offset_us (clock), ==, -(gint64) 86400 * G_USEC_PER_SEC);
}

static void
test_clock_bad_dates_ignored (void)
{
  g_autoptr(StompyClock) clock = stompy_clock_new ();
  gint64 local = T0_US - (gint64) 3600 * G_USEC_PER_SEC;

  stompy_clock_set_now_func (clock, fixed_now, &local);

  g_assert_false (stompy_clock_update_from_date (clock, NULL));
  g_assert_false (stompy_clock_update_from_date (clock, ""));
  g_assert_false (stompy_clock_update_from_date (clock, "yesterday"));
  g_assert_false (stompy_clock_update_from_date (clock, "Thu, 99 Foo 2026 99:00:00 GMT"));
  g_assert_cmpint (stompy_clock_get_offset_us (clock), ==, 0);

  /* The other HTTP date forms are understood too (RFC 850). */
  g_assert_true (stompy_clock_update_from_date (clock, "Thursday, 01-Jan-26 00:00:00 GMT"));
  g_assert_cmpint (stompy_clock_get_offset_us (clock), ==, (gint64) 3600 * G_USEC_PER_SEC);
}

static void
test_clock_default_now_is_real_time (void)
{
  g_autoptr(StompyClock) clock = stompy_clock_new ();
  g_autoptr(GDateTime) now = stompy_clock_now (clock);
  gint64 diff = g_date_time_to_unix (now) - g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpint (ABS (diff), <=, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/retry/classify/http-status", test_classify_http_status);
  g_test_add_func ("/retry/classify/transient-codes", test_classify_transient_codes);
  g_test_add_func ("/retry/classify/throttle-codes", test_classify_throttle_codes);
  g_test_add_func ("/retry/classify/clock-skew", test_classify_clock_skew);
  g_test_add_func ("/retry/classify/transport-errors", test_classify_transport);
  g_test_add_func ("/retry/backoff/exponential-with-jitter", test_backoff_values);
  g_test_add_func ("/retry/backoff/capped-at-20s", test_backoff_cap);
  g_test_add_func ("/retry/backoff/default-random-in-range", test_backoff_default_random_in_range);
  g_test_add_func ("/retry/attempts/max-attempts", test_max_attempts);
  g_test_add_func ("/retry/quota/costs", test_quota_costs);
  g_test_add_func ("/retry/quota/drains-and-stops", test_quota_drains_and_stops);
  g_test_add_func ("/retry/quota/refunds", test_quota_refunds);
  g_test_add_func ("/retry/policy/ref-counting", test_policy_ref_counting);
  g_test_add_func ("/retry/clock/now-uses-func-and-offset", test_clock_now_uses_func_and_offset);
  g_test_add_func ("/retry/clock/small-skew-ignored", test_clock_small_skew_ignored);
  g_test_add_func ("/retry/clock/large-skew-adopted", test_clock_large_skew_adopted);
  g_test_add_func ("/retry/clock/bad-dates-ignored", test_clock_bad_dates_ignored);
  g_test_add_func ("/retry/clock/default-now-is-real-time", test_clock_default_now_is_real_time);

  return g_test_run ();
}
