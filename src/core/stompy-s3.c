/* stompy-s3.c — the S3 bucket a Cost and Usage Report is delivered to
 *
 * Wire facts: shared/reference/aws-cur-s3.md §5 (CreateBucket and its
 * LocationConstraint rules, HeadBucket's x-amz-bucket-region, the policy and
 * public-access-block sub-resources, ListObjectsV2) and §5.7 (naming rules).
 */
#include "config.h"

#include <string.h>

#include "stompy-error.h"
#include "stompy-s3.h"

#define S3_XMLNS "http://s3.amazonaws.com/doc/2006-03-01/"
#define CUR_TEST_OBJECT "aws-programmatic-access-test-object"

/* ------------------------------------------------------------------ names */

static const char * const reserved_prefixes[] = {
  "xn--", "sthree-", "amzn-s3-demo-",
};

/* "-an" is the account-regional namespace's suffix; a general purpose
 * bucket (which is what CreateBucket without x-amz-bucket-namespace makes)
 * may not use it (§5.7). */
static const char * const reserved_suffixes[] = {
  "-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3", "-an",
};

/* Four groups of one to three digits separated by periods. */
static gboolean
looks_like_ipv4 (const char *name)
{
  guint groups = 0;
  const char *p = name;

  while (TRUE)
    {
      guint digits = 0;

      while (g_ascii_isdigit (*p))
        {
          p++;
          digits++;
        }
      if (digits == 0 || digits > 3)
        return FALSE;
      groups++;

      if (*p == '\0')
        return groups == 4;
      if (*p != '.' || groups == 4)
        return FALSE;
      p++;
    }
}

static gboolean
is_lower_or_digit (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static StompyBucketNameReason
check_bucket_name (const char *name)
{
  gsize length = strlen (name);

  if (length < 3)
    return STOMPY_BUCKET_NAME_TOO_SHORT;
  if (length > 63)
    return STOMPY_BUCKET_NAME_TOO_LONG;

  for (const char *p = name; *p != '\0'; p++)
    if (*p >= 'A' && *p <= 'Z')
      return STOMPY_BUCKET_NAME_UPPERCASE;

  for (const char *p = name; *p != '\0'; p++)
    if (!is_lower_or_digit (*p) && *p != '.' && *p != '-')
      return STOMPY_BUCKET_NAME_INVALID_CHARACTER;

  if (!is_lower_or_digit (name[0]))
    return STOMPY_BUCKET_NAME_BAD_START;
  if (!is_lower_or_digit (name[length - 1]))
    return STOMPY_BUCKET_NAME_BAD_END;
  if (strstr (name, "..") != NULL)
    return STOMPY_BUCKET_NAME_ADJACENT_PERIODS;
  if (looks_like_ipv4 (name))
    return STOMPY_BUCKET_NAME_IP_ADDRESS;

  for (guint i = 0; i < G_N_ELEMENTS (reserved_prefixes); i++)
    if (g_str_has_prefix (name, reserved_prefixes[i]))
      return STOMPY_BUCKET_NAME_RESERVED_PREFIX;

  for (guint i = 0; i < G_N_ELEMENTS (reserved_suffixes); i++)
    if (g_str_has_suffix (name, reserved_suffixes[i]))
      return STOMPY_BUCKET_NAME_RESERVED_SUFFIX;

  return STOMPY_BUCKET_NAME_VALID;
}

static const char * const reason_nicks[] = {
  [STOMPY_BUCKET_NAME_VALID] = "valid",
  [STOMPY_BUCKET_NAME_TOO_SHORT] = "too-short",
  [STOMPY_BUCKET_NAME_TOO_LONG] = "too-long",
  [STOMPY_BUCKET_NAME_UPPERCASE] = "uppercase",
  [STOMPY_BUCKET_NAME_INVALID_CHARACTER] = "invalid-character",
  [STOMPY_BUCKET_NAME_BAD_START] = "bad-start",
  [STOMPY_BUCKET_NAME_BAD_END] = "bad-end",
  [STOMPY_BUCKET_NAME_ADJACENT_PERIODS] = "adjacent-periods",
  [STOMPY_BUCKET_NAME_IP_ADDRESS] = "ip-address",
  [STOMPY_BUCKET_NAME_RESERVED_PREFIX] = "reserved-prefix",
  [STOMPY_BUCKET_NAME_RESERVED_SUFFIX] = "reserved-suffix",
};

const char *
stompy_bucket_name_reason_to_string (StompyBucketNameReason reason)
{
  if ((guint) reason < G_N_ELEMENTS (reason_nicks))
    return reason_nicks[reason];

  return "unknown";
}

gboolean
stompy_s3_validate_bucket_name (const char              *name,
                                StompyBucketNameReason  *reason,
                                GError                 **error)
{
  StompyBucketNameReason found;

  found = check_bucket_name (name != NULL ? name : "");
  if (reason != NULL)
    *reason = found;

  if (found == STOMPY_BUCKET_NAME_VALID)
    return TRUE;

  g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
               "Invalid S3 bucket name “%s”: %s", name != NULL ? name : "",
               stompy_bucket_name_reason_to_string (found));
  return FALSE;
}

char *
stompy_s3_delivery_prefix (const char *prefix,
                           const char *report_name)
{
  g_autofree char *trimmed = NULL;
  gsize length;

  g_return_val_if_fail (report_name != NULL, NULL);

  trimmed = g_strdup (prefix != NULL ? prefix : "");
  length = strlen (trimmed);
  while (length > 0 && trimmed[length - 1] == '/')
    trimmed[--length] = '\0';

  if (length == 0)
    return g_strconcat (report_name, "/", NULL);

  return g_strconcat (trimmed + strspn (trimmed, "/"), "/", report_name, "/", NULL);
}

/* ------------------------------------------------------------------ errors */

gboolean
stompy_s3_error_is_name_taken (const GError *error)
{
  return error != NULL && error->domain == STOMPY_AWS_ERROR &&
         g_strcmp0 (stompy_aws_error_get_aws_code (error), "BucketAlreadyExists") == 0;
}

char *
stompy_s3_error_get_bucket_region (const GError *error)
{
  const char *message;
  const char *start;
  const char *end;
  g_autofree char *region = NULL;

  if (error == NULL || error->domain != STOMPY_AWS_ERROR)
    return NULL;

  message = stompy_aws_error_get_aws_message (error);
  if (message == NULL)
    return NULL;

  start = strstr (message, "(bucket region: ");
  if (start == NULL)
    return NULL;
  start += strlen ("(bucket region: ");
  end = strchr (start, ')');
  if (end == NULL)
    return NULL;

  region = g_strndup (start, end - start);
  if (!stompy_aws_region_is_valid (region))
    return NULL;

  return g_steal_pointer (&region);
}

gboolean
stompy_s3_error_is_owned_in_other_region (const GError  *error,
                                          char         **region)
{
  if (region != NULL)
    *region = NULL;

  if (error == NULL || error->domain != STOMPY_AWS_ERROR ||
      g_strcmp0 (stompy_aws_error_get_aws_code (error), "BucketAlreadyOwnedByYou") != 0)
    return FALSE;

  if (region != NULL)
    *region = stompy_s3_error_get_bucket_region (error);

  return TRUE;
}

static GError *
owned_in_other_region_error (const char *bucket,
                             const char *actual_region,
                             const char *wanted_region)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf ("Bucket %s is owned by this account but is in %s, not %s "
                             "(bucket region: %s)",
                             bucket, actual_region ? actual_region : "another region",
                             wanted_region, actual_region ? actual_region : "unknown");

  return stompy_aws_error_new_full (STOMPY_AWS_ERROR_ALREADY_EXISTS, 409,
                                    "BucketAlreadyOwnedByYou", message, NULL);
}

static gboolean
is_status (const GError *error,
           guint         status)
{
  return error != NULL && error->domain == STOMPY_AWS_ERROR &&
         stompy_aws_error_get_http_status (error) == status;
}

static gboolean
has_aws_code (const GError *error,
              const char   *code)
{
  return error != NULL && error->domain == STOMPY_AWS_ERROR &&
         g_strcmp0 (stompy_aws_error_get_aws_code (error), code) == 0;
}

/* The int result of a task, FALSE with @error set when it failed (an int
 * result alone cannot tell a failure from 0). */
static gboolean
propagate_int (GAsyncResult  *result,
               gssize        *value,
               GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  *value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_bucket_and_region (const char  *bucket,
                         const char  *region,
                         GError     **error)
{
  if (!stompy_s3_validate_bucket_name (bucket, NULL, error))
    return FALSE;

  if (region != NULL && !stompy_aws_region_is_valid (region))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Invalid AWS region “%s”", region);
      return FALSE;
    }

  return TRUE;
}

/* Calls on existing buckets accept any name S3 may hold (older buckets
 * predate some rules), but never an empty one or one with a slash, which
 * would change the request path. */
static gboolean
check_existing_bucket (const char  *bucket,
                       GError     **error)
{
  if (bucket == NULL || *bucket == '\0' || strchr (bucket, '/') != NULL ||
      strchr (bucket, '?') != NULL || strlen (bucket) > 255)
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "“%s” cannot be an S3 bucket name", bucket != NULL ? bucket : "");
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ boxed types */

G_DEFINE_BOXED_TYPE (StompyS3BucketInfo, stompy_s3_bucket_info,
                     stompy_s3_bucket_info_copy, stompy_s3_bucket_info_free)

StompyS3BucketInfo *
stompy_s3_bucket_info_copy (const StompyS3BucketInfo *self)
{
  StompyS3BucketInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyS3BucketInfo, 1);
  copy->bucket = g_strdup (self->bucket);
  copy->exists = self->exists;
  copy->accessible = self->accessible;
  copy->region = g_strdup (self->region);

  return copy;
}

void
stompy_s3_bucket_info_free (StompyS3BucketInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->bucket);
  g_free (self->region);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (StompyS3Object, stompy_s3_object, stompy_s3_object_copy,
                     stompy_s3_object_free)

StompyS3Object *
stompy_s3_object_copy (const StompyS3Object *self)
{
  StompyS3Object *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyS3Object, 1);
  copy->key = g_strdup (self->key);
  copy->size = self->size;
  copy->last_modified = g_strdup (self->last_modified);

  return copy;
}

void
stompy_s3_object_free (StompyS3Object *self)
{
  if (self == NULL)
    return;

  g_free (self->key);
  g_free (self->last_modified);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (StompyS3BucketStatus, stompy_s3_bucket_status,
                     stompy_s3_bucket_status_copy, stompy_s3_bucket_status_free)

StompyS3BucketStatus *
stompy_s3_bucket_status_copy (const StompyS3BucketStatus *self)
{
  StompyS3BucketStatus *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->bucket = g_strdup (self->bucket);
  copy->region = g_strdup (self->region);

  return copy;
}

void
stompy_s3_bucket_status_free (StompyS3BucketStatus *self)
{
  if (self == NULL)
    return;

  g_free (self->bucket);
  g_free (self->region);
  g_free (self);
}

const char *
stompy_check_to_string (StompyCheck check)
{
  switch (check)
    {
    case STOMPY_CHECK_NO:
      return "no";
    case STOMPY_CHECK_YES:
      return "yes";
    case STOMPY_CHECK_UNKNOWN:
    default:
      return "unknown";
    }
}

/* ------------------------------------------------------------------ HeadBucket */

typedef struct
{
  char     *bucket;
  char     *region;      /* the region the request is signed for */
  gboolean  redirected;
} HeadData;

static void
head_data_free (HeadData *data)
{
  g_free (data->bucket);
  g_free (data->region);
  g_free (data);
}

static void head_send (GTask *task);

static void
head_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HeadData *data = g_task_get_task_data (task);
  g_autoptr(StompyAwsResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  StompyS3BucketInfo *info;

  response = stompy_aws_client_rest_xml_finish (STOMPY_AWS_CLIENT (source), result, &error);

  info = g_new0 (StompyS3BucketInfo, 1);
  info->bucket = g_strdup (data->bucket);

  if (response != NULL)
    {
      const char *region = soup_message_headers_get_one (response->headers,
                                                         "x-amz-bucket-region");

      info->exists = TRUE;
      info->accessible = TRUE;
      info->region = g_strdup (region != NULL && *region != '\0' ? region : data->region);
    }
  else if (is_status (error, 404))
    {
      info->exists = FALSE;
    }
  else if (is_status (error, 403))
    {
      /* The bucket exists but this identity may not list it: normally
       * another account's. A redirect before this told us its region. */
      info->exists = TRUE;
      info->accessible = FALSE;
      info->region = data->redirected ? g_strdup (data->region) : NULL;
    }
  else
    {
      g_autofree char *region = stompy_s3_error_get_bucket_region (error);

      stompy_s3_bucket_info_free (info);

      /* S3 says which region the bucket lives in; ask there, once. */
      if (region != NULL && !data->redirected && g_strcmp0 (region, data->region) != 0)
        {
          g_debug ("HeadBucket %s: redirected from %s to %s", data->bucket, data->region, region);
          g_free (data->region);
          data->region = g_steal_pointer (&region);
          data->redirected = TRUE;
          head_send (g_steal_pointer (&task));
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, info, (GDestroyNotify) stompy_s3_bucket_info_free);
}

static void
head_send (GTask *task)
{
  HeadData *data = g_task_get_task_data (task);

  stompy_aws_client_rest_xml_async (g_task_get_source_object (task), "HEAD", data->bucket,
                                    NULL, NULL, data->region, NULL, NULL,
                                    g_task_get_cancellable (task), head_cb, task);
}

void
stompy_s3_head_bucket_async (StompyAwsClient     *client,
                             const char          *bucket,
                             const char          *region_hint,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  HeadData *data;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_s3_head_bucket_async);

  if (!check_existing_bucket (bucket, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (HeadData, 1);
  data->bucket = g_strdup (bucket);
  data->region = g_strdup (region_hint != NULL ? region_hint
                                               : stompy_aws_client_get_region (client));
  g_task_set_task_data (task, data, (GDestroyNotify) head_data_free);

  head_send (g_steal_pointer (&task));
}

StompyS3BucketInfo *
stompy_s3_head_bucket_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stompy_s3_head_bucket_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ create or reuse */

typedef struct
{
  char     *bucket;
  char     *region;
  gboolean  existed;        /* HeadBucket found it (200 or 403) before creating */
  char     *known_region;   /* the bucket's region, when HeadBucket learned it */
} EnsureData;

static void
ensure_data_free (EnsureData *data)
{
  g_free (data->bucket);
  g_free (data->region);
  g_free (data->known_region);
  g_free (data);
}

static void
ensure_confirm_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr(StompyS3BucketInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = stompy_s3_head_bucket_finish (result, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (info->accessible && info->region != NULL && !g_str_equal (info->region, data->region))
    {
      g_task_return_error (task, owned_in_other_region_error (data->bucket, info->region,
                                                              data->region));
      return;
    }

  g_debug ("Bucket %s already owned in %s: reused", data->bucket, data->region);
  g_task_return_int (task, FALSE);
}

static void
ensure_create_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr(StompyAwsResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = stompy_aws_client_rest_xml_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (response != NULL)
    {
      /* In us-east-1 S3 answers 200 for a bucket this account owns already;
       * HeadBucket told us before whether it was there. */
      g_debug ("CreateBucket %s in %s: %s", data->bucket, data->region,
               data->existed ? "already there" : "created");
      g_task_return_int (task, !data->existed);
      return;
    }

  if (has_aws_code (error, "BucketAlreadyOwnedByYou"))
    {
      if (data->known_region != NULL && !g_str_equal (data->known_region, data->region))
        {
          g_task_return_error (task, owned_in_other_region_error (data->bucket,
                                                                  data->known_region,
                                                                  data->region));
          return;
        }

      /* Ours: confirm where it is before using it (§8 step 2). */
      stompy_s3_head_bucket_async (STOMPY_AWS_CLIENT (source), data->bucket, data->region,
                                   g_task_get_cancellable (task), ensure_confirm_cb,
                                   g_object_ref (task));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
ensure_create (GTask *task)
{
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;

  /* us-east-1 takes no LocationConstraint; every other region needs its
   * own (§5.2). */
  if (!g_str_equal (data->region, "us-east-1"))
    {
      g_autofree char *xml = NULL;

      xml = g_strdup_printf ("<CreateBucketConfiguration xmlns=\"" S3_XMLNS "\">"
                             "<LocationConstraint>%s</LocationConstraint>"
                             "</CreateBucketConfiguration>", data->region);
      body = g_bytes_new_take (xml, strlen (xml));
      xml = NULL;
    }

  stompy_aws_client_rest_xml_async (g_task_get_source_object (task), "PUT", data->bucket,
                                    NULL, NULL, data->region, body,
                                    body != NULL ? "application/xml" : NULL,
                                    g_task_get_cancellable (task), ensure_create_cb, task);
}

static void
ensure_head_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr(StompyS3BucketInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = stompy_s3_head_bucket_finish (result, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (info->exists && info->accessible)
    {
      if (info->region != NULL && !g_str_equal (info->region, data->region))
        {
          g_task_return_error (task, owned_in_other_region_error (data->bucket, info->region,
                                                                  data->region));
          return;
        }

      g_debug ("Bucket %s exists in %s and is accessible: reused", data->bucket, data->region);
      g_task_return_int (task, FALSE);
      return;
    }

  /* Missing, or there but not listable: CreateBucket's answer tells
   * "ours" (BucketAlreadyOwnedByYou) from "someone else's"
   * (BucketAlreadyExists). */
  data->existed = info->exists;
  data->known_region = g_strdup (info->region);
  ensure_create (g_steal_pointer (&task));
}

void
stompy_s3_ensure_bucket_async (StompyAwsClient     *client,
                               const char          *bucket,
                               const char          *region,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  EnsureData *data;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_s3_ensure_bucket_async);

  if (region == NULL)
    region = stompy_aws_client_get_region (client);
  if (!check_bucket_and_region (bucket, region, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (EnsureData, 1);
  data->bucket = g_strdup (bucket);
  data->region = g_strdup (region);
  g_task_set_task_data (task, data, (GDestroyNotify) ensure_data_free);

  stompy_s3_head_bucket_async (client, bucket, region, cancellable, ensure_head_cb,
                               g_steal_pointer (&task));
}

gboolean
stompy_s3_ensure_bucket_finish (GAsyncResult  *result,
                                gboolean      *created,
                                GError       **error)
{
  gssize value;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stompy_s3_ensure_bucket_async,
                        FALSE);

  if (!propagate_int (result, &value, error))
    return FALSE;

  if (created != NULL)
    *created = value != 0;

  return TRUE;
}

/* ------------------------------------------------------------------ simple bucket calls */

/* A task whose source object is the client and whose result is the raw
 * response; the callers below turn it into their own result. */
static void
bucket_call (StompyAwsClient     *client,
             const char          *method,
             const char          *bucket,
             const char          *query,
             const char          *region,
             GBytes              *body,
             const char          *content_type,
             GTask               *task,
             GAsyncReadyCallback  callback)
{
  stompy_aws_client_rest_xml_async (client, method, bucket, NULL, query, region, body,
                                    content_type, g_task_get_cancellable (task), callback, task);
}

static gboolean
start_bucket_task (StompyAwsClient      *client,
                   const char           *bucket,
                   const char           *region,
                   GCancellable         *cancellable,
                   GAsyncReadyCallback   callback,
                   gpointer              user_data,
                   gpointer              source_tag,
                   GTask               **out_task)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (!check_existing_bucket (bucket, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return FALSE;
    }

  if (region != NULL && !stompy_aws_region_is_valid (region))
    {
      g_task_return_new_error (task, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                               "Invalid AWS region “%s”", region);
      return FALSE;
    }

  *out_task = g_steal_pointer (&task);
  return TRUE;
}

static void
block_public_access_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(StompyAwsResponse) response = NULL;
  GError *error = NULL;

  response = stompy_aws_client_rest_xml_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (response == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
stompy_s3_block_public_access_async (StompyAwsClient     *client,
                                     const char          *bucket,
                                     const char          *region,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  static const char xml[] =
    "<PublicAccessBlockConfiguration xmlns=\"" S3_XMLNS "\">"
    "<BlockPublicAcls>true</BlockPublicAcls>"
    "<IgnorePublicAcls>true</IgnorePublicAcls>"
    "<BlockPublicPolicy>true</BlockPublicPolicy>"
    "<RestrictPublicBuckets>true</RestrictPublicBuckets>"
    "</PublicAccessBlockConfiguration>";
  g_autoptr(GBytes) body = NULL;
  GTask *task;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));

  if (!start_bucket_task (client, bucket, region, cancellable, callback, user_data,
                          stompy_s3_block_public_access_async, &task))
    return;

  body = g_bytes_new_static (xml, strlen (xml));
  bucket_call (client, "PUT", bucket, "publicAccessBlock", region, body, "application/xml",
               task, block_public_access_cb);
}

gboolean
stompy_s3_block_public_access_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_s3_block_public_access_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
xml_true (StompyXmlNode *root,
          const char    *name)
{
  const char *text = stompy_xml_node_lookup_text (root, name);

  return text != NULL && g_ascii_strcasecmp (text, "true") == 0;
}

static void
get_public_access_block_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(StompyAwsResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = stompy_aws_client_rest_xml_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (response == NULL)
    {
      if (has_aws_code (error, "NoSuchPublicAccessBlockConfiguration"))
        g_task_return_int (task, FALSE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (response->xml == NULL ||
      g_strcmp0 (stompy_xml_node_get_name (response->xml), "PublicAccessBlockConfiguration") != 0)
    {
      g_task_return_error (task,
                           stompy_aws_error_new_full (STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                                                      response->status, NULL,
                                                      "GetPublicAccessBlock answered without "
                                                      "PublicAccessBlockConfiguration", NULL));
      return;
    }

  g_task_return_int (task, xml_true (response->xml, "BlockPublicAcls") &&
                           xml_true (response->xml, "IgnorePublicAcls") &&
                           xml_true (response->xml, "BlockPublicPolicy") &&
                           xml_true (response->xml, "RestrictPublicBuckets"));
}

void
stompy_s3_get_public_access_block_async (StompyAwsClient     *client,
                                         const char          *bucket,
                                         const char          *region,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));

  if (!start_bucket_task (client, bucket, region, cancellable, callback, user_data,
                          stompy_s3_get_public_access_block_async, &task))
    return;

  bucket_call (client, "GET", bucket, "publicAccessBlock", region, NULL, NULL, task,
               get_public_access_block_cb);
}

gboolean
stompy_s3_get_public_access_block_finish (GAsyncResult  *result,
                                          gboolean      *all_blocked,
                                          GError       **error)
{
  gssize value;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_s3_get_public_access_block_async, FALSE);

  if (!propagate_int (result, &value, error))
    return FALSE;

  if (all_blocked != NULL)
    *all_blocked = value != 0;

  return TRUE;
}

/* ------------------------------------------------------------------ bucket policy */

static void
get_bucket_policy_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(StompyAwsResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length = 0;

  response = stompy_aws_client_rest_xml_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (response == NULL)
    {
      if (has_aws_code (error, "NoSuchBucketPolicy"))
        g_task_return_pointer (task, NULL, NULL);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = response->body != NULL ? g_bytes_get_data (response->body, &length) : NULL;
  if (data == NULL || length == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  if (!g_utf8_validate (data, length, NULL) || memchr (data, '\0', length) != NULL)
    {
      g_task_return_error (task,
                           stompy_aws_error_new_full (STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                                                      response->status, NULL,
                                                      "GetBucketPolicy answered with a body "
                                                      "that is not text", NULL));
      return;
    }

  g_task_return_pointer (task, g_strndup (data, length), g_free);
}

void
stompy_s3_get_bucket_policy_async (StompyAwsClient     *client,
                                   const char          *bucket,
                                   const char          *region,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));

  if (!start_bucket_task (client, bucket, region, cancellable, callback, user_data,
                          stompy_s3_get_bucket_policy_async, &task))
    return;

  bucket_call (client, "GET", bucket, "policy", region, NULL, NULL, task, get_bucket_policy_cb);
}

char *
stompy_s3_get_bucket_policy_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_s3_get_bucket_policy_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  char                    *bucket;
  char                    *region;
  char                    *account_id;
  StompyDeliveryServices   services;
  StompyPolicyMergeOutcome outcome;
} PolicyData;

static void
policy_data_free (PolicyData *data)
{
  g_free (data->bucket);
  g_free (data->region);
  g_free (data->account_id);
  g_free (data);
}

static void
put_policy_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PolicyData *data = g_task_get_task_data (task);
  g_autoptr(StompyAwsResponse) response = NULL;
  GError *error = NULL;

  response = stompy_aws_client_rest_xml_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("Bucket policy of %s %s", data->bucket,
           stompy_policy_merge_outcome_to_string (data->outcome));
  g_task_return_int (task, data->outcome);
}

/* Takes @task: merges the delivery statements into @existing (NULL: none) and
 * puts the result when it changed. */
static void
merge_and_put_policy (GTask      *task,
                      const char *existing)
{
  PolicyData *data = g_task_get_task_data (task);
  g_autofree char *merged = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  StompyAwsClient *client;
  gsize length;

  merged = stompy_bucket_policy_merge (existing, data->bucket, data->account_id, data->services,
                                       &data->outcome, &error);
  if (merged == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (data->outcome == STOMPY_POLICY_MERGE_UNCHANGED)
    {
      g_debug ("Bucket policy of %s already allows delivery", data->bucket);
      g_task_return_int (task, data->outcome);
      g_object_unref (task);
      return;
    }

  length = strlen (merged);
  body = g_bytes_new_take (g_steal_pointer (&merged), length);
  client = g_task_get_source_object (task);
  bucket_call (client, "PUT", data->bucket, "policy", data->region, body, "application/json",
               task, put_policy_cb);
}

static void
ensure_policy_get_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *existing = NULL;
  g_autoptr(GError) error = NULL;

  existing = stompy_s3_get_bucket_policy_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  merge_and_put_policy (g_steal_pointer (&task), existing);
}

void
stompy_s3_ensure_delivery_policy_async (StompyAwsClient        *client,
                                        const char             *bucket,
                                        const char             *region,
                                        const char             *account_id,
                                        StompyDeliveryServices  services,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data)
{
  stompy_s3_ensure_delivery_policy_full_async (client, bucket, region, account_id, services,
                                               FALSE, cancellable, callback, user_data);
}

void
stompy_s3_ensure_delivery_policy_full_async (StompyAwsClient        *client,
                                             const char             *bucket,
                                             const char             *region,
                                             const char             *account_id,
                                             StompyDeliveryServices  services,
                                             gboolean                bucket_is_new,
                                             GCancellable           *cancellable,
                                             GAsyncReadyCallback     callback,
                                             gpointer                user_data)
{
  PolicyData *data;
  GTask *task;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (account_id != NULL);

  if (!start_bucket_task (client, bucket, region, cancellable, callback, user_data,
                          stompy_s3_ensure_delivery_policy_async, &task))
    return;

  data = g_new0 (PolicyData, 1);
  data->bucket = g_strdup (bucket);
  data->region = g_strdup (region);
  data->account_id = g_strdup (account_id);
  data->services = services;
  g_task_set_task_data (task, data, (GDestroyNotify) policy_data_free);

  /* A bucket created a moment ago by this caller has no policy to keep. */
  if (bucket_is_new)
    {
      merge_and_put_policy (task, NULL);
      return;
    }

  stompy_s3_get_bucket_policy_async (client, bucket, region, cancellable,
                                     ensure_policy_get_cb, task);
}

gboolean
stompy_s3_ensure_delivery_policy_finish (GAsyncResult              *result,
                                         StompyPolicyMergeOutcome  *outcome,
                                         GError                   **error)
{
  gssize value;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_s3_ensure_delivery_policy_async, FALSE);

  if (!propagate_int (result, &value, error))
    return FALSE;

  if (outcome != NULL)
    *outcome = (StompyPolicyMergeOutcome) value;

  return TRUE;
}

/* ------------------------------------------------------------------ ListObjectsV2 */

static void
list_objects_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(StompyAwsResponse) response = NULL;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GError) error = NULL;
  const char *truncated;
  const char *token;

  response = stompy_aws_client_rest_xml_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (response->xml == NULL ||
      g_strcmp0 (stompy_xml_node_get_name (response->xml), "ListBucketResult") != 0)
    {
      g_task_return_error (task,
                           stompy_aws_error_new_full (STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                                                      response->status, NULL,
                                                      "ListObjectsV2 answered without "
                                                      "ListBucketResult", NULL));
      return;
    }

  objects = g_ptr_array_new_with_free_func ((GDestroyNotify) stompy_s3_object_free);
  children = stompy_xml_node_get_children (response->xml, "Contents");
  for (guint i = 0; i < children->len; i++)
    {
      StompyXmlNode *node = g_ptr_array_index (children, i);
      const char *key = stompy_xml_node_lookup_text (node, "Key");
      const char *size = stompy_xml_node_lookup_text (node, "Size");
      StompyS3Object *object;

      if (key == NULL)
        continue;

      object = g_new0 (StompyS3Object, 1);
      object->key = g_strdup (key);
      object->size = size != NULL ? g_ascii_strtoull (size, NULL, 10) : 0;
      object->last_modified = g_strdup (stompy_xml_node_lookup_text (node, "LastModified"));
      g_ptr_array_add (objects, object);
    }

  truncated = stompy_xml_node_lookup_text (response->xml, "IsTruncated");
  token = stompy_xml_node_lookup_text (response->xml, "NextContinuationToken");
  if (g_strcmp0 (truncated, "true") == 0 && token != NULL && *token != '\0')
    g_task_set_task_data (task, g_strdup (token), g_free);

  g_task_return_pointer (task, g_steal_pointer (&objects), (GDestroyNotify) g_ptr_array_unref);
}

void
stompy_s3_list_objects_async (StompyAwsClient     *client,
                              const char          *bucket,
                              const char          *region,
                              const char          *prefix,
                              const char          *continuation_token,
                              guint                max_keys,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GString) query = g_string_new (NULL);
  GTask *task;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));

  if (!start_bucket_task (client, bucket, region, cancellable, callback, user_data,
                          stompy_s3_list_objects_async, &task))
    return;

  /* Parameters in canonical order; values fully percent-encoded ("/" too),
   * as SigV4's canonical query wants them. */
  if (continuation_token != NULL && *continuation_token != '\0')
    {
      g_autofree char *token = g_uri_escape_string (continuation_token, NULL, FALSE);
      g_string_append_printf (query, "continuation-token=%s&", token);
    }
  g_string_append (query, "list-type=2");
  if (max_keys > 0)
    g_string_append_printf (query, "&max-keys=%u", max_keys);
  if (prefix != NULL && *prefix != '\0')
    {
      g_autofree char *encoded = g_uri_escape_string (prefix, NULL, FALSE);
      g_string_append_printf (query, "&prefix=%s", encoded);
    }

  bucket_call (client, "GET", bucket, query->str, region, NULL, NULL, task, list_objects_cb);
}

GPtrArray *
stompy_s3_list_objects_finish (GAsyncResult  *result,
                               char         **next_token,
                               GError       **error)
{
  GPtrArray *objects;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stompy_s3_list_objects_async,
                        NULL);

  objects = g_task_propagate_pointer (G_TASK (result), error);
  if (next_token != NULL)
    *next_token = objects != NULL ? g_strdup (g_task_get_task_data (G_TASK (result))) : NULL;

  return objects;
}

/* A delivered file, not a "folder" placeholder or AWS's access test. */
static gboolean
objects_include_delivery (GPtrArray *objects)
{
  for (guint i = 0; i < objects->len; i++)
    {
      StompyS3Object *object = g_ptr_array_index (objects, i);
      const char *base = strrchr (object->key, '/');

      base = base != NULL ? base + 1 : object->key;
      if (*base != '\0' && !g_str_equal (base, CUR_TEST_OBJECT))
        return TRUE;
    }

  return FALSE;
}

static void
find_delivery_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GError) error = NULL;

  objects = stompy_s3_list_objects_finish (result, NULL, &error);
  if (objects == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_int (task, objects_include_delivery (objects));
}

void
stompy_s3_find_delivery_async (StompyAwsClient     *client,
                               const char          *bucket,
                               const char          *region,
                               const char          *prefix,
                               const char          *report_name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *delivery_prefix = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (report_name != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_s3_find_delivery_async);

  delivery_prefix = stompy_s3_delivery_prefix (prefix, report_name);
  /* A few keys are enough: one real file answers the question. */
  stompy_s3_list_objects_async (client, bucket, region, delivery_prefix, NULL, 20, cancellable,
                                find_delivery_cb, g_steal_pointer (&task));
}

gboolean
stompy_s3_find_delivery_finish (GAsyncResult  *result,
                                gboolean      *delivered,
                                GError       **error)
{
  gssize value;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stompy_s3_find_delivery_async,
                        FALSE);

  if (!propagate_int (result, &value, error))
    return FALSE;

  if (delivered != NULL)
    *delivered = value != 0;

  return TRUE;
}

/* ------------------------------------------------------------------ status aggregate */

typedef struct
{
  StompyS3BucketStatus   *status;
  char                   *expected_region;
  char                   *account_id;
  StompyDeliveryServices  services;
  char                   *prefix;
  char                   *report_name;
} StatusData;

static void
status_data_free (StatusData *data)
{
  stompy_s3_bucket_status_free (data->status);
  g_free (data->expected_region);
  g_free (data->account_id);
  g_free (data->prefix);
  g_free (data->report_name);
  g_free (data);
}

static void
status_return (GTask *task)
{
  StatusData *data = g_task_get_task_data (task);

  g_task_return_pointer (task, stompy_s3_bucket_status_copy (data->status),
                         (GDestroyNotify) stompy_s3_bucket_status_free);
  g_object_unref (task);
}

/* A sub-check failed: cancellation ends the whole call, anything else
 * leaves that check UNKNOWN. Returns TRUE when the task was completed. */
static gboolean
status_check_failed (GTask  *task,
                     GError *error,
                     const char *what)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
      return TRUE;
    }

  g_debug ("Bucket status: %s not known: %s", what, error->message);
  return FALSE;
}

static void
status_delivery_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  StatusData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean delivered = FALSE;

  if (stompy_s3_find_delivery_finish (result, &delivered, &error))
    data->status->delivered = delivered ? STOMPY_CHECK_YES : STOMPY_CHECK_NO;
  else if (status_check_failed (task, error, "first delivery"))
    return;

  status_return (task);
}

static void
status_public_access_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  StatusData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean blocked = FALSE;

  if (stompy_s3_get_public_access_block_finish (result, &blocked, &error))
    data->status->public_access_blocked = blocked ? STOMPY_CHECK_YES : STOMPY_CHECK_NO;
  else if (status_check_failed (task, error, "public access block"))
    return;

  if (data->report_name == NULL)
    {
      status_return (task);
      return;
    }

  stompy_s3_find_delivery_async (g_task_get_source_object (task), data->status->bucket,
                                 data->status->region, data->prefix, data->report_name,
                                 g_task_get_cancellable (task), status_delivery_cb, task);
}

static void
status_policy_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  StatusData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *policy = NULL;

  policy = stompy_s3_get_bucket_policy_finish (result, &error);
  if (error == NULL)
    {
      if (data->account_id != NULL)
        data->status->delivery_policy =
          stompy_bucket_policy_allows_delivery (policy, data->status->bucket, data->account_id,
                                                data->services)
          ? STOMPY_CHECK_YES : STOMPY_CHECK_NO;
    }
  else if (status_check_failed (task, error, "bucket policy"))
    {
      return;
    }

  stompy_s3_get_public_access_block_async (g_task_get_source_object (task),
                                           data->status->bucket, data->status->region,
                                           g_task_get_cancellable (task),
                                           status_public_access_cb, task);
}

static void
status_head_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  StatusData *data = g_task_get_task_data (task);
  g_autoptr(StompyS3BucketInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = stompy_s3_head_bucket_finish (result, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  data->status->exists = info->exists ? STOMPY_CHECK_YES : STOMPY_CHECK_NO;
  data->status->accessible = info->accessible;
  data->status->region = g_strdup (info->region);
  if (data->expected_region != NULL && info->region != NULL)
    data->status->region_matches = g_str_equal (data->expected_region, info->region)
                                   ? STOMPY_CHECK_YES : STOMPY_CHECK_NO;

  if (!info->exists)
    {
      /* Nothing can be delivered to a bucket that is not there. */
      data->status->delivery_policy = STOMPY_CHECK_NO;
      data->status->public_access_blocked = STOMPY_CHECK_NO;
      data->status->delivered = STOMPY_CHECK_NO;
      status_return (task);
      return;
    }

  if (!info->accessible || info->region == NULL)
    {
      status_return (task);
      return;
    }

  stompy_s3_get_bucket_policy_async (g_task_get_source_object (task), data->status->bucket,
                                     data->status->region, g_task_get_cancellable (task),
                                     status_policy_cb, task);
}

void
stompy_s3_bucket_status_async (StompyAwsClient        *client,
                               const char             *bucket,
                               const char             *expected_region,
                               const char             *account_id,
                               StompyDeliveryServices  services,
                               const char             *prefix,
                               const char             *report_name,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  StatusData *data;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_s3_bucket_status_async);

  if (!check_existing_bucket (bucket, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (StatusData, 1);
  data->status = g_new0 (StompyS3BucketStatus, 1);
  data->status->bucket = g_strdup (bucket);
  data->expected_region = g_strdup (expected_region);
  data->account_id = g_strdup (account_id);
  data->services = services;
  data->prefix = g_strdup (prefix);
  data->report_name = g_strdup (report_name);
  g_task_set_task_data (task, data, (GDestroyNotify) status_data_free);

  stompy_s3_head_bucket_async (client, bucket, expected_region, cancellable, status_head_cb,
                               g_steal_pointer (&task));
}

StompyS3BucketStatus *
stompy_s3_bucket_status_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stompy_s3_bucket_status_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
