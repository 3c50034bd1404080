/* stompy-s3.h — the S3 bucket a Cost and Usage Report is delivered to
 *
 * Bucket-name validation (every general purpose naming rule of
 * shared/reference/aws-cur-s3.md §5.7) and the S3 calls of the AnalySaver
 * step: create-or-reuse a bucket in a region, block public access, read and
 * merge the bucket policy, HeadBucket, ListObjectsV2 for the first delivery,
 * and one "bucket status" aggregate for the status panel.
 *
 * Every call signs with the bucket's region (S3 wants the bucket's home
 * region in the SigV4 scope), passed as the client's per-call region. Errors
 * are STOMPY_AWS_ERROR with the S3 code kept; the two the UI shows inline on
 * the bucket-name field are recognised with stompy_s3_error_is_name_taken()
 * and stompy_s3_error_is_owned_in_other_region().
 */
#pragma once

#include "stompy-aws-client.h"
#include "stompy-bucket-policy.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------ names */

/* Why a bucket name is not valid, in the order the rules are checked (the
 * first broken rule is reported). */
typedef enum
{
  STOMPY_BUCKET_NAME_VALID,
  STOMPY_BUCKET_NAME_TOO_SHORT,          /* fewer than 3 characters (or empty) */
  STOMPY_BUCKET_NAME_TOO_LONG,           /* more than 63 characters */
  STOMPY_BUCKET_NAME_UPPERCASE,          /* an uppercase letter */
  STOMPY_BUCKET_NAME_INVALID_CHARACTER,  /* anything but a-z 0-9 . - */
  STOMPY_BUCKET_NAME_BAD_START,          /* does not begin with a letter or digit */
  STOMPY_BUCKET_NAME_BAD_END,            /* does not end with a letter or digit */
  STOMPY_BUCKET_NAME_ADJACENT_PERIODS,   /* ".." */
  STOMPY_BUCKET_NAME_IP_ADDRESS,         /* formatted as an IPv4 address */
  STOMPY_BUCKET_NAME_RESERVED_PREFIX,    /* xn--, sthree-, amzn-s3-demo- */
  STOMPY_BUCKET_NAME_RESERVED_SUFFIX,    /* -s3alias, --ol-s3, .mrap, --x-s3, --table-s3, -an */
} StompyBucketNameReason;

/* TRUE when @name may be used for a new general purpose bucket. Otherwise
 * FALSE, *@reason (may be NULL) says which rule is broken, and @error is
 * STOMPY_ERROR_INVALID_INPUT with a developer message. */
gboolean    stompy_s3_validate_bucket_name   (const char              *name,
                                              StompyBucketNameReason  *reason,
                                              GError                 **error);
/* "valid", "too-short", …: a stable nick for the CLI's JSON and logs. */
const char *stompy_bucket_name_reason_to_string (StompyBucketNameReason reason);

/* Joins a report's S3 prefix and name into the key prefix its files are
 * delivered under: "cur" + "stompy" → "cur/stompy/", "" + "stompy" →
 * "stompy/". Slashes at the ends of @prefix are not doubled. */
char       *stompy_s3_delivery_prefix        (const char *prefix,
                                              const char *report_name) G_GNUC_WARN_UNUSED_RESULT;

/* ------------------------------------------------------------------ errors */

/* CreateBucket said BucketAlreadyExists: another account owns the name. */
gboolean    stompy_s3_error_is_name_taken    (const GError *error);
/* The bucket is this account's but in another region than asked for
 * (aws code BucketAlreadyOwnedByYou). *@region (may be NULL) receives the
 * bucket's real region, or NULL when it is not known. */
gboolean    stompy_s3_error_is_owned_in_other_region (const GError  *error,
                                                      char         **region);
/* The region S3 named in a redirect or region-mismatch error, from the
 * "(bucket region: X)" the client keeps in the message, or NULL. */
char       *stompy_s3_error_get_bucket_region (const GError *error) G_GNUC_WARN_UNUSED_RESULT;

/* ------------------------------------------------------------------ HeadBucket */

#define STOMPY_TYPE_S3_BUCKET_INFO (stompy_s3_bucket_info_get_type ())

typedef struct
{
  char     *bucket;
  gboolean  exists;      /* 200 or 403 */
  gboolean  accessible;  /* 200: this identity may list it (normally: it owns it) */
  char     *region;      /* from x-amz-bucket-region or a redirect; NULL when unknown */
} StompyS3BucketInfo;

GType               stompy_s3_bucket_info_get_type (void) G_GNUC_CONST;
StompyS3BucketInfo *stompy_s3_bucket_info_copy     (const StompyS3BucketInfo *self);
void                stompy_s3_bucket_info_free     (StompyS3BucketInfo       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyS3BucketInfo, stompy_s3_bucket_info_free)

/* HeadBucket, signed for @region_hint (NULL = the client's region). A
 * redirect to the bucket's real region is followed once. 404 is not an error
 * (exists = FALSE); 403 is exists = TRUE, accessible = FALSE. */
void                stompy_s3_head_bucket_async    (StompyAwsClient     *client,
                                                    const char          *bucket,
                                                    const char          *region_hint,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
StompyS3BucketInfo *stompy_s3_head_bucket_finish   (GAsyncResult        *result,
                                                    GError             **error);

/* ------------------------------------------------------------------ create or reuse */

/* Creates @bucket in @region (LocationConstraint except for us-east-1), or
 * reuses it when this account already owns it there. *@created (may be
 * NULL) tells which. Errors: stompy_s3_error_is_name_taken() (another
 * account's), stompy_s3_error_is_owned_in_other_region() (ours, elsewhere),
 * STOMPY_ERROR_INVALID_INPUT for an invalid name or region (no request). */
void                stompy_s3_ensure_bucket_async  (StompyAwsClient     *client,
                                                    const char          *bucket,
                                                    const char          *region,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean            stompy_s3_ensure_bucket_finish (GAsyncResult        *result,
                                                    gboolean            *created,
                                                    GError             **error);

/* ------------------------------------------------------------------ public access block */

/* PutPublicAccessBlock with all four settings true. */
void                stompy_s3_block_public_access_async  (StompyAwsClient     *client,
                                                          const char          *bucket,
                                                          const char          *region,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean            stompy_s3_block_public_access_finish (GAsyncResult        *result,
                                                          GError             **error);

/* GetPublicAccessBlock: *@all_blocked is TRUE when all four settings are
 * true; a bucket without a configuration gives FALSE, not an error. */
void                stompy_s3_get_public_access_block_async  (StompyAwsClient     *client,
                                                              const char          *bucket,
                                                              const char          *region,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean            stompy_s3_get_public_access_block_finish (GAsyncResult        *result,
                                                              gboolean            *all_blocked,
                                                              GError             **error);

/* ------------------------------------------------------------------ bucket policy */

/* GetBucketPolicy. Returns the policy text, or NULL without an error when
 * the bucket has none (NoSuchBucketPolicy). */
void                stompy_s3_get_bucket_policy_async  (StompyAwsClient     *client,
                                                        const char          *bucket,
                                                        const char          *region,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char               *stompy_s3_get_bucket_policy_finish (GAsyncResult        *result,
                                                        GError             **error);

/* GetBucketPolicy, stompy_bucket_policy_merge() with the delivery statements
 * for @services, and PutBucketPolicy only when something changed (S3's Put
 * replaces the whole policy, so other statements are kept by merging).
 * *@outcome (may be NULL) says what happened. An existing policy that is not
 * JSON is STOMPY_ERROR_INVALID_INPUT and nothing is written. */
void                stompy_s3_ensure_delivery_policy_async  (StompyAwsClient        *client,
                                                             const char             *bucket,
                                                             const char             *region,
                                                             const char             *account_id,
                                                             StompyDeliveryServices  services,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
/* The same, but with @bucket_is_new (the caller has just created the bucket:
 * HeadBucket found none and CreateBucket succeeded) no GetBucketPolicy is sent,
 * since such a bucket has no policy yet. Finished with the function below. */
void                stompy_s3_ensure_delivery_policy_full_async (StompyAwsClient        *client,
                                                                 const char             *bucket,
                                                                 const char             *region,
                                                                 const char             *account_id,
                                                                 StompyDeliveryServices  services,
                                                                 gboolean                bucket_is_new,
                                                                 GCancellable           *cancellable,
                                                                 GAsyncReadyCallback     callback,
                                                                 gpointer                user_data);
gboolean            stompy_s3_ensure_delivery_policy_finish (GAsyncResult           *result,
                                                             StompyPolicyMergeOutcome *outcome,
                                                             GError                **error);

/* ------------------------------------------------------------------ ListObjectsV2 */

#define STOMPY_TYPE_S3_OBJECT (stompy_s3_object_get_type ())

typedef struct
{
  char    *key;
  guint64  size;
  char    *last_modified;  /* ISO 8601 as S3 sends it */
} StompyS3Object;

GType           stompy_s3_object_get_type (void) G_GNUC_CONST;
StompyS3Object *stompy_s3_object_copy     (const StompyS3Object *self);
void            stompy_s3_object_free     (StompyS3Object       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyS3Object, stompy_s3_object_free)

/* One page of ListObjectsV2 under @prefix (may be NULL or ""), at most
 * @max_keys (0 = S3's default of 1000) keys. Returns an array of
 * StompyS3Object; *@next_token (may be NULL) receives the continuation token
 * when the listing is truncated, else NULL. */
void                stompy_s3_list_objects_async   (StompyAwsClient     *client,
                                                    const char          *bucket,
                                                    const char          *region,
                                                    const char          *prefix,
                                                    const char          *continuation_token,
                                                    guint                max_keys,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray          *stompy_s3_list_objects_finish  (GAsyncResult        *result,
                                                    char               **next_token,
                                                    GError             **error);

/* Whether any object exists under stompy_s3_delivery_prefix (@prefix,
 * @report_name): the report (or export) has been delivered at least once. */
void                stompy_s3_find_delivery_async  (StompyAwsClient     *client,
                                                    const char          *bucket,
                                                    const char          *region,
                                                    const char          *prefix,
                                                    const char          *report_name,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean            stompy_s3_find_delivery_finish (GAsyncResult        *result,
                                                    gboolean            *delivered,
                                                    GError             **error);

/* ------------------------------------------------------------------ status aggregate */

/* A check the status panel shows; UNKNOWN when it could not be made (no
 * permission, or the bucket is not accessible). */
typedef enum
{
  STOMPY_CHECK_UNKNOWN,
  STOMPY_CHECK_NO,
  STOMPY_CHECK_YES,
} StompyCheck;

const char *stompy_check_to_string (StompyCheck check);  /* "unknown", "no", "yes" */

#define STOMPY_TYPE_S3_BUCKET_STATUS (stompy_s3_bucket_status_get_type ())

typedef struct
{
  char        *bucket;
  StompyCheck  exists;
  gboolean     accessible;        /* HeadBucket answered 200 */
  char        *region;            /* NULL when unknown */
  StompyCheck  region_matches;    /* region == the expected one (UNKNOWN if none given) */
  StompyCheck  delivery_policy;   /* the policy lets the services deliver */
  StompyCheck  public_access_blocked;
  StompyCheck  delivered;         /* an object under <prefix>/<report>/ */
} StompyS3BucketStatus;

GType                 stompy_s3_bucket_status_get_type (void) G_GNUC_CONST;
StompyS3BucketStatus *stompy_s3_bucket_status_copy     (const StompyS3BucketStatus *self);
void                  stompy_s3_bucket_status_free     (StompyS3BucketStatus       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyS3BucketStatus, stompy_s3_bucket_status_free)

/* Everything the status panel shows about a bucket, with as few requests as
 * possible: HeadBucket, then (when accessible) GetBucketPolicy,
 * GetPublicAccessBlock and one ListObjectsV2 page. @expected_region,
 * @prefix and @report_name may be NULL (then those checks are UNKNOWN). A
 * sub-check that is denied becomes UNKNOWN rather than an error; only a
 * failed HeadBucket (other than 403/404) or cancellation fails the call. */
void                  stompy_s3_bucket_status_async    (StompyAwsClient        *client,
                                                        const char             *bucket,
                                                        const char             *expected_region,
                                                        const char             *account_id,
                                                        StompyDeliveryServices  services,
                                                        const char             *prefix,
                                                        const char             *report_name,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
StompyS3BucketStatus *stompy_s3_bucket_status_finish   (GAsyncResult           *result,
                                                        GError                **error);

G_END_DECLS
