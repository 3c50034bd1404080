/* stompy-bucket-policy.h — the bucket-policy statements that let AWS deliver reports
 *
 * Builds the statements of shared/reference/aws-cur-s3.md §3 (legacy CUR:
 * billingreports.amazonaws.com; CUR 2.0: bcm-data-exports.amazonaws.com),
 * merges them into an existing policy without touching its other statements
 * (PutBucketPolicy replaces the whole document), and tells whether a policy
 * already allows delivery. Pure functions: no I/O.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Which AWS services must be able to deliver into the bucket. */
typedef enum /*< flags >*/
{
  STOMPY_DELIVERY_CUR          = 1 << 0,  /* legacy CUR, billingreports.amazonaws.com */
  STOMPY_DELIVERY_DATA_EXPORTS = 1 << 1,  /* CUR 2.0, bcm-data-exports.amazonaws.com */
} StompyDeliveryServices;

typedef enum
{
  STOMPY_POLICY_MERGE_CREATED,    /* there was no policy: a new document */
  STOMPY_POLICY_MERGE_UPDATED,    /* statements were added or replaced */
  STOMPY_POLICY_MERGE_UNCHANGED,  /* delivery was already allowed: no PUT needed */
} StompyPolicyMergeOutcome;

/* Sids of the statements this project writes; a statement with one of them
 * is ours and is replaced when it no longer matches. */
#define STOMPY_POLICY_SID_CUR_CHECK      "StompyCurBucketCheck"
#define STOMPY_POLICY_SID_CUR_DELIVERY   "StompyCurDelivery"
#define STOMPY_POLICY_SID_EXPORTS        "StompyDataExportsDelivery"

/* The delivery statements (a JSON array) for @bucket and @account_id
 * (12 digits). Conditions use StringLike, as the Data Exports page does, so
 * that "definition/ *" is a pattern (§3.1 operator note). */
JsonNode   *stompy_bucket_policy_build_statements (const char             *bucket,
                                                   const char             *account_id,
                                                   StompyDeliveryServices  services) G_GNUC_WARN_UNUSED_RESULT;
/* A whole policy document with only those statements, pretty-printed (two
 * spaces), for display and for a bucket without a policy. */
char       *stompy_bucket_policy_build            (const char             *bucket,
                                                   const char             *account_id,
                                                   StompyDeliveryServices  services) G_GNUC_WARN_UNUSED_RESULT;

/* Merges the delivery statements into @existing (NULL or "" = no policy).
 * Other statements are kept with their content and order; ours (same Sid)
 * are replaced in place; missing ones are appended. When @existing already
 * allows delivery (stompy_bucket_policy_allows_delivery()), *@outcome is
 * UNCHANGED and the returned text is @existing itself, unmodified. A
 * "Statement" that is a single object becomes an array. Returns NULL with
 * STOMPY_ERROR_INVALID_INPUT when @existing is not a JSON policy document. */
char       *stompy_bucket_policy_merge            (const char                *existing,
                                                   const char                *bucket,
                                                   const char                *account_id,
                                                   StompyDeliveryServices     services,
                                                   StompyPolicyMergeOutcome  *outcome,
                                                   GError                   **error) G_GNUC_WARN_UNUSED_RESULT;

/* TRUE when @policy has Allow statements granting every action the
 * services need on @bucket (the service principal, the action or "s3:*",
 * the exact resource), with no condition other than aws:SourceAccount /
 * aws:SourceArn values of this account (StringEquals or StringLike). A
 * Deny statement naming the service principal makes it FALSE. Invalid
 * JSON is FALSE. */
gboolean    stompy_bucket_policy_allows_delivery  (const char             *policy,
                                                   const char             *bucket,
                                                   const char             *account_id,
                                                   StompyDeliveryServices  services);

const char *stompy_policy_merge_outcome_to_string (StompyPolicyMergeOutcome outcome);  /* "created", … */

G_END_DECLS
