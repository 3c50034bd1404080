/* stompy-cur.c — legacy Cost and Usage Reports, and the whole AnalySaver CUR step
 *
 * Wire facts: shared/reference/aws-cur-s3.md §1 (operations, shapes,
 * five-per-page paging, combination rules) and §2 (the four conditions).
 */
#include "config.h"

#include <string.h>

#include "stompy-cur.h"
#include "stompy-aws-json-list.h"
#include "stompy-data-exports.h"
#include "stompy-error.h"
#include "stompy-json-member.h"
#include "stompy-s3.h"

#define TARGET_PREFIX "AWSOrigamiServiceGatewayService."

/* ------------------------------------------------------------------ names */

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("!-_.*'()", c) != NULL;
}

static const char * const name_reason_nicks[] = {
  [STOMPY_CUR_NAME_VALID] = "valid",
  [STOMPY_CUR_NAME_EMPTY] = "empty",
  [STOMPY_CUR_NAME_TOO_LONG] = "too-long",
  [STOMPY_CUR_NAME_INVALID_CHARACTER] = "invalid-character",
  [STOMPY_CUR_NAME_LEADING_SLASH] = "leading-slash",
  [STOMPY_CUR_NAME_TRAILING_SLASH] = "trailing-slash",
  [STOMPY_CUR_NAME_ADJACENT_SLASHES] = "adjacent-slashes",
};

const char *
stompy_cur_name_reason_to_string (StompyCurNameReason reason)
{
  if ((guint) reason < G_N_ELEMENTS (name_reason_nicks))
    return name_reason_nicks[reason];

  return "unknown";
}

static gboolean
name_result (StompyCurNameReason   found,
             const char           *what,
             const char           *value,
             StompyCurNameReason  *reason,
             GError              **error)
{
  if (reason != NULL)
    *reason = found;

  if (found == STOMPY_CUR_NAME_VALID)
    return TRUE;

  g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT, "Invalid %s “%s”: %s", what,
               value != NULL ? value : "", stompy_cur_name_reason_to_string (found));
  return FALSE;
}

gboolean
stompy_cur_validate_report_name (const char           *name,
                                 StompyCurNameReason  *reason,
                                 GError              **error)
{
  StompyCurNameReason found = STOMPY_CUR_NAME_VALID;

  if (name == NULL || *name == '\0')
    found = STOMPY_CUR_NAME_EMPTY;
  else if (strlen (name) > 256)
    found = STOMPY_CUR_NAME_TOO_LONG;
  else
    for (const char *p = name; *p != '\0'; p++)
      if (!is_name_char (*p))
        {
          found = STOMPY_CUR_NAME_INVALID_CHARACTER;
          break;
        }

  return name_result (found, "report name", name, reason, error);
}

gboolean
stompy_cur_validate_prefix (const char           *prefix,
                            gboolean              for_athena,
                            StompyCurNameReason  *reason,
                            GError              **error)
{
  StompyCurNameReason found = STOMPY_CUR_NAME_VALID;
  const char *text = prefix != NULL ? prefix : "";
  gsize length = strlen (text);

  if (length == 0)
    found = for_athena ? STOMPY_CUR_NAME_EMPTY : STOMPY_CUR_NAME_VALID;
  else if (length > 256)
    found = STOMPY_CUR_NAME_TOO_LONG;
  else
    {
      for (const char *p = text; *p != '\0'; p++)
        if (!is_name_char (*p) && *p != '/')
          {
            found = STOMPY_CUR_NAME_INVALID_CHARACTER;
            break;
          }

      if (found != STOMPY_CUR_NAME_VALID)
        ;
      else if (text[0] == '/')
        found = STOMPY_CUR_NAME_LEADING_SLASH;
      else if (text[length - 1] == '/')
        found = STOMPY_CUR_NAME_TRAILING_SLASH;
      else if (strstr (text, "//") != NULL)
        found = STOMPY_CUR_NAME_ADJACENT_SLASHES;
    }

  return name_result (found, "report path prefix", text, reason, error);
}

/* ------------------------------------------------------------------ report definitions */

G_DEFINE_BOXED_TYPE (StompyCurReport, stompy_cur_report, stompy_cur_report_copy,
                     stompy_cur_report_free)

static char **
strv_or_empty (char **strv)
{
  return strv != NULL ? strv : g_new0 (char *, 1);
}

StompyCurReport *
stompy_cur_report_copy (const StompyCurReport *self)
{
  StompyCurReport *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyCurReport, 1);
  copy->report_name = g_strdup (self->report_name);
  copy->time_unit = g_strdup (self->time_unit);
  copy->format = g_strdup (self->format);
  copy->compression = g_strdup (self->compression);
  copy->additional_schema_elements = strv_or_empty (g_strdupv (self->additional_schema_elements));
  copy->s3_bucket = g_strdup (self->s3_bucket);
  copy->s3_prefix = g_strdup (self->s3_prefix);
  copy->s3_region = g_strdup (self->s3_region);
  copy->additional_artifacts = strv_or_empty (g_strdupv (self->additional_artifacts));
  copy->refresh_closed_reports = self->refresh_closed_reports;
  copy->report_versioning = g_strdup (self->report_versioning);
  copy->billing_view_arn = g_strdup (self->billing_view_arn);
  copy->last_delivery = g_strdup (self->last_delivery);
  copy->last_status = g_strdup (self->last_status);

  return copy;
}

void
stompy_cur_report_free (StompyCurReport *self)
{
  if (self == NULL)
    return;

  g_free (self->report_name);
  g_free (self->time_unit);
  g_free (self->format);
  g_free (self->compression);
  g_strfreev (self->additional_schema_elements);
  g_free (self->s3_bucket);
  g_free (self->s3_prefix);
  g_free (self->s3_region);
  g_strfreev (self->additional_artifacts);
  g_free (self->report_versioning);
  g_free (self->billing_view_arn);
  g_free (self->last_delivery);
  g_free (self->last_status);
  g_free (self);
}

StompyCurReport *
stompy_cur_report_new_recommended (const char *name,
                                   const char *bucket,
                                   const char *prefix,
                                   const char *region)
{
  StompyCurReport *report;
  const char *schema[] = { "RESOURCES", NULL };
  const char *artifacts[] = { "ATHENA", NULL };

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (bucket != NULL, NULL);
  g_return_val_if_fail (region != NULL, NULL);

  report = g_new0 (StompyCurReport, 1);
  report->report_name = g_strdup (name);
  report->time_unit = g_strdup ("HOURLY");
  report->format = g_strdup ("Parquet");
  report->compression = g_strdup ("Parquet");
  report->additional_schema_elements = g_strdupv ((char **) schema);
  report->s3_bucket = g_strdup (bucket);
  report->s3_prefix = g_strdup (prefix != NULL ? prefix : "");
  report->s3_region = g_strdup (region);
  report->additional_artifacts = g_strdupv ((char **) artifacts);
  report->refresh_closed_reports = TRUE;
  report->report_versioning = g_strdup ("OVERWRITE_REPORT");

  return report;
}

static char **
json_string_array (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING &&
              g_utf8_validate (json_node_get_string (element), -1, NULL))
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }

  return g_strv_builder_end (builder);
}

StompyCurReport *
stompy_cur_report_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  StompyCurReport *report;
  JsonNode *refresh;
  JsonObject *status;
  const char *name;

  g_return_val_if_fail (object != NULL, NULL);

  name = stompy_json_member_string (object, "ReportName");
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                   "A report definition has no ReportName");
      return NULL;
    }

  report = g_new0 (StompyCurReport, 1);
  report->report_name = g_strdup (name);
  report->time_unit = g_strdup (stompy_json_member_string (object, "TimeUnit"));
  report->format = g_strdup (stompy_json_member_string (object, "Format"));
  report->compression = g_strdup (stompy_json_member_string (object, "Compression"));
  report->additional_schema_elements = json_string_array (object, "AdditionalSchemaElements");
  report->s3_bucket = g_strdup (stompy_json_member_string (object, "S3Bucket"));
  report->s3_prefix = g_strdup (stompy_json_member_string (object, "S3Prefix") ?: "");
  report->s3_region = g_strdup (stompy_json_member_string (object, "S3Region"));
  report->additional_artifacts = json_string_array (object, "AdditionalArtifacts");
  refresh = json_object_get_member (object, "RefreshClosedReports");
  report->refresh_closed_reports = refresh != NULL && JSON_NODE_HOLDS_VALUE (refresh) &&
                                   json_node_get_value_type (refresh) == G_TYPE_BOOLEAN &&
                                   json_node_get_boolean (refresh);
  report->report_versioning = g_strdup (stompy_json_member_string (object, "ReportVersioning"));
  report->billing_view_arn = g_strdup (stompy_json_member_string (object, "BillingViewArn"));

  /* ReportStatus keys are lowercase on the wire (§1.3). */
  status = stompy_json_member_object (object, "ReportStatus");
  report->last_delivery = g_strdup (stompy_json_member_string (status, "lastDelivery"));
  report->last_status = g_strdup (stompy_json_member_string (status, "lastStatus"));

  return report;
}

static void
add_member_string (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_member_strv (JsonBuilder *builder,
                 const char  *name,
                 char       **values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

JsonNode *
stompy_cur_report_to_json (const StompyCurReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  add_member_string (builder, "ReportName", self->report_name);
  add_member_string (builder, "TimeUnit", self->time_unit);
  add_member_string (builder, "Format", self->format);
  add_member_string (builder, "Compression", self->compression);
  add_member_strv (builder, "AdditionalSchemaElements", self->additional_schema_elements);
  add_member_string (builder, "S3Bucket", self->s3_bucket);
  add_member_string (builder, "S3Prefix", self->s3_prefix);
  add_member_string (builder, "S3Region", self->s3_region);
  if (self->additional_artifacts != NULL && self->additional_artifacts[0] != NULL)
    add_member_strv (builder, "AdditionalArtifacts", self->additional_artifacts);
  json_builder_set_member_name (builder, "RefreshClosedReports");
  json_builder_add_boolean_value (builder, self->refresh_closed_reports);
  if (self->report_versioning != NULL)
    add_member_string (builder, "ReportVersioning", self->report_versioning);
  if (self->billing_view_arn != NULL)
    add_member_string (builder, "BillingViewArn", self->billing_view_arn);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* ------------------------------------------------------------------ the four conditions */

static gboolean
strv_has (char       **strv,
          const char  *value)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, value);
}

StompyCurConditions
stompy_cur_report_evaluate (const StompyCurReport *self,
                            StompyCurAthenaFlaws  *athena_flaws)
{
  StompyCurConditions met = 0;
  StompyCurAthenaFlaws flaws = 0;

  g_return_val_if_fail (self != NULL, 0);

  if (strv_has (self->additional_schema_elements, "RESOURCES"))
    met |= STOMPY_CUR_CONDITION_RESOURCE_IDS;
  if (self->refresh_closed_reports)
    met |= STOMPY_CUR_CONDITION_DATA_REFRESH;
  if (g_strcmp0 (self->time_unit, "HOURLY") == 0)
    met |= STOMPY_CUR_CONDITION_HOURLY;

  /* Athena integration is a combination (§1.4, §2): ATHENA as the only
   * artifact, Parquet format and compression, overwrite, and a prefix. */
  if (!strv_has (self->additional_artifacts, "ATHENA"))
    flaws |= STOMPY_CUR_ATHENA_NOT_ENABLED;
  for (guint i = 0; self->additional_artifacts != NULL && self->additional_artifacts[i]; i++)
    if (!g_str_equal (self->additional_artifacts[i], "ATHENA"))
      flaws |= STOMPY_CUR_ATHENA_OTHER_ARTIFACTS;
  if (g_strcmp0 (self->format, "Parquet") != 0 || g_strcmp0 (self->compression, "Parquet") != 0)
    flaws |= STOMPY_CUR_ATHENA_NOT_PARQUET;
  if (g_strcmp0 (self->report_versioning, "OVERWRITE_REPORT") != 0)
    flaws |= STOMPY_CUR_ATHENA_NOT_OVERWRITE;
  if (self->s3_prefix == NULL || *self->s3_prefix == '\0')
    flaws |= STOMPY_CUR_ATHENA_NO_PREFIX;
  if (flaws == 0)
    met |= STOMPY_CUR_CONDITION_ATHENA;

  if (athena_flaws != NULL)
    *athena_flaws = flaws;

  return met;
}

gboolean
stompy_cur_report_meets_all (const StompyCurReport *self)
{
  return stompy_cur_report_evaluate (self, NULL) == STOMPY_CUR_CONDITIONS_ALL;
}

const char *
stompy_cur_condition_to_string (StompyCurConditions condition)
{
  switch (condition)
    {
    case STOMPY_CUR_CONDITION_RESOURCE_IDS:
      return "resource-ids";
    case STOMPY_CUR_CONDITION_DATA_REFRESH:
      return "data-refresh";
    case STOMPY_CUR_CONDITION_HOURLY:
      return "hourly";
    case STOMPY_CUR_CONDITION_ATHENA:
      return "athena";
    default:
      return "unknown";
    }
}

static const StompyCurConditions each_condition[] = {
  STOMPY_CUR_CONDITION_RESOURCE_IDS,
  STOMPY_CUR_CONDITION_DATA_REFRESH,
  STOMPY_CUR_CONDITION_HOURLY,
  STOMPY_CUR_CONDITION_ATHENA,
};

JsonNode *
stompy_cur_conditions_to_json (StompyCurConditions met)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (each_condition); i++)
    {
      json_builder_set_member_name (builder, stompy_cur_condition_to_string (each_condition[i]));
      json_builder_add_boolean_value (builder, (met & each_condition[i]) != 0);
    }
  json_builder_set_member_name (builder, "meets-all");
  json_builder_add_boolean_value (builder, met == STOMPY_CUR_CONDITIONS_ALL);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static char *
unmet_conditions (StompyCurConditions met)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (each_condition); i++)
    if (!(met & each_condition[i]))
      g_string_append_printf (text, "%s%s", text->len > 0 ? ", " : "",
                              stompy_cur_condition_to_string (each_condition[i]));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The combination rules AWS enforces with an unhelpful empty
 * ValidationException (§1.4), checked before sending. */
static gboolean
check_definition (const StompyCurReport  *definition,
                  GError                **error)
{
  gboolean athena = strv_has (definition->additional_artifacts, "ATHENA");
  gboolean parquet = g_strcmp0 (definition->format, "Parquet") == 0;

  if (!stompy_cur_validate_report_name (definition->report_name, NULL, error) ||
      !stompy_cur_validate_prefix (definition->s3_prefix, athena, NULL, error))
    return FALSE;

  if (definition->s3_bucket == NULL || *definition->s3_bucket == '\0' ||
      strspn (definition->s3_bucket,
              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
      strlen (definition->s3_bucket))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Invalid report bucket “%s”", definition->s3_bucket ?: "");
      return FALSE;
    }

  if (!stompy_aws_region_is_valid (definition->s3_region))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Invalid report region “%s”", definition->s3_region ?: "");
      return FALSE;
    }

  if (athena && (g_strv_length (definition->additional_artifacts) != 1 || !parquet ||
                 g_strcmp0 (definition->report_versioning, "OVERWRITE_REPORT") != 0))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "A report integrated with Athena needs ATHENA as its only artifact, "
                   "Parquet and OVERWRITE_REPORT");
      return FALSE;
    }

  if (parquet && (strv_has (definition->additional_artifacts, "REDSHIFT") ||
                  strv_has (definition->additional_artifacts, "QUICKSIGHT")))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Redshift and QuickSight artifacts cannot use Parquet");
      return FALSE;
    }

  if (parquet != (g_strcmp0 (definition->compression, "Parquet") == 0) ||
      (!parquet && g_strcmp0 (definition->compression, "ZIP") != 0 &&
       g_strcmp0 (definition->compression, "GZIP") != 0))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Format %s cannot use compression %s", definition->format ?: "(none)",
                   definition->compression ?: "(none)");
      return FALSE;
    }

  if (g_strcmp0 (definition->time_unit, "HOURLY") != 0 &&
      g_strcmp0 (definition->time_unit, "DAILY") != 0 &&
      g_strcmp0 (definition->time_unit, "MONTHLY") != 0)
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Invalid report time unit “%s”", definition->time_unit ?: "");
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ listing */

/* A report definition of the list; one without a name fails the listing. */
static gpointer
parse_report (JsonObject  *element,
              GError     **error)
{
  return stompy_cur_report_new_from_json (element, error);
}

void
stompy_cur_list_reports_async (StompyAwsClient     *client,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  /* The model allows MaxResults 5 and nothing else (§1.2). */
  stompy_aws_json_list_async (client, STOMPY_AWS_SERVICE_CUR,
                              TARGET_PREFIX "DescribeReportDefinitions", "ReportDefinitions", 5,
                              parse_report, (GDestroyNotify) stompy_cur_report_free,
                              stompy_cur_list_reports_async, cancellable, callback, user_data);
}

GPtrArray *
stompy_cur_list_reports_finish (GAsyncResult  *result,
                                GError       **error)
{
  return stompy_aws_json_list_finish (result, stompy_cur_list_reports_async, error);
}

/* ------------------------------------------------------------------ creating */

typedef struct
{
  StompyCurReport *definition;
  GError          *duplicate;  /* PutReportDefinition's answer, kept for the message */
  gboolean         created;
} CreateData;

static void
create_data_free (CreateData *data)
{
  stompy_cur_report_free (data->definition);
  g_clear_error (&data->duplicate);
  g_free (data);
}

static void
create_lookup_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GError) error = NULL;

  reports = stompy_cur_list_reports_finish (result, &error);
  if (reports == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < reports->len; i++)
    {
      StompyCurReport *report = g_ptr_array_index (reports, i);
      StompyCurConditions met;
      g_autofree char *unmet = NULL;
      g_autofree char *message = NULL;

      if (g_strcmp0 (report->report_name, data->definition->report_name) != 0)
        continue;

      met = stompy_cur_report_evaluate (report, NULL);
      if (met == STOMPY_CUR_CONDITIONS_ALL)
        {
          g_debug ("Report %s exists and meets the conditions: reused", report->report_name);
          data->created = FALSE;
          g_task_return_pointer (task, stompy_cur_report_copy (report),
                                 (GDestroyNotify) stompy_cur_report_free);
          return;
        }

      unmet = unmet_conditions (met);
      message = g_strdup_printf ("A report named %s exists and does not meet: %s",
                                 report->report_name, unmet);
      g_task_return_error (task,
                           stompy_aws_error_new_full (STOMPY_AWS_ERROR_ALREADY_EXISTS,
                                                      stompy_aws_error_get_http_status (data->duplicate),
                                                      "DuplicateReportNameException", message,
                                                      stompy_aws_error_get_request_id (data->duplicate)));
      return;
    }

  /* Duplicate, yet not listed (deleted meanwhile, or eventual
   * consistency): AWS's own answer is the best there is. */
  g_task_return_error (task, g_steal_pointer (&data->duplicate));
}

static void
create_put_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = stompy_aws_client_json_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (root != NULL)
    {
      g_debug ("Report %s created", data->definition->report_name);
      data->created = TRUE;
      g_task_return_pointer (task, stompy_cur_report_copy (data->definition),
                             (GDestroyNotify) stompy_cur_report_free);
      return;
    }

  if (g_strcmp0 (stompy_aws_error_get_aws_code (error), "DuplicateReportNameException") == 0)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      data->duplicate = g_steal_pointer (&error);
      stompy_cur_list_reports_async (STOMPY_AWS_CLIENT (source), cancellable,
                                     create_lookup_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

void
stompy_cur_create_report_async (StompyAwsClient       *client,
                                const StompyCurReport *definition,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  CreateData *data;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (definition != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_cur_create_report_async);

  if (!check_definition (definition, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (CreateData, 1);
  data->definition = stompy_cur_report_copy (definition);
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ReportDefinition");
  json_builder_add_value (builder, stompy_cur_report_to_json (definition));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  stompy_aws_client_json_async (client, STOMPY_AWS_SERVICE_CUR,
                                TARGET_PREFIX "PutReportDefinition", body, cancellable,
                                create_put_cb, g_steal_pointer (&task));
}

StompyCurReport *
stompy_cur_create_report_finish (GAsyncResult  *result,
                                 gboolean      *created,
                                 GError       **error)
{
  StompyCurReport *report;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_cur_create_report_async, NULL);

  report = g_task_propagate_pointer (G_TASK (result), error);
  if (created != NULL)
    {
      CreateData *data = g_task_get_task_data (G_TASK (result));
      *created = report != NULL && data != NULL && data->created;
    }

  return report;
}

/* ------------------------------------------------------------------ errors */

gboolean
stompy_cur_error_is_report_name_conflict (const GError *error)
{
  return error != NULL && error->domain == STOMPY_AWS_ERROR &&
         g_strcmp0 (stompy_aws_error_get_aws_code (error), "DuplicateReportNameException") == 0;
}

gboolean
stompy_cur_error_is_access_denied (const GError *error)
{
  const char *code;

  if (error == NULL || error->domain != STOMPY_AWS_ERROR)
    return FALSE;

  code = stompy_aws_error_get_aws_code (error);
  return error->code == STOMPY_AWS_ERROR_ACCESS_DENIED ||
         g_strcmp0 (code, "AccessDeniedException") == 0 || g_strcmp0 (code, "AccessDenied") == 0;
}

gboolean
stompy_cur_error_suggests_billing_access (const GError *error)
{
  const char *message;

  if (!stompy_cur_error_is_access_denied (error))
    return FALSE;

  message = stompy_aws_error_get_aws_message (error);
  return message == NULL || strstr (message, "no identity-based policy allows") == NULL;
}

/* ------------------------------------------------------------------ the whole step */

const char *
stompy_cur_setup_step_to_string (StompyCurSetupStep step)
{
  switch (step)
    {
    case STOMPY_CUR_SETUP_STEP_NONE:
      return "none";
    case STOMPY_CUR_SETUP_STEP_VALIDATE:
      return "validate";
    case STOMPY_CUR_SETUP_STEP_BUCKET:
      return "bucket";
    case STOMPY_CUR_SETUP_STEP_PUBLIC_ACCESS_BLOCK:
      return "public-access-block";
    case STOMPY_CUR_SETUP_STEP_BUCKET_POLICY:
      return "bucket-policy";
    case STOMPY_CUR_SETUP_STEP_REPORT:
      return "report";
    default:
      return "unknown";
    }
}

G_DEFINE_BOXED_TYPE (StompyCurSetupResult, stompy_cur_setup_result,
                     stompy_cur_setup_result_copy, stompy_cur_setup_result_free)

StompyCurSetupResult *
stompy_cur_setup_result_copy (const StompyCurSetupResult *self)
{
  StompyCurSetupResult *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyCurSetupResult, 1);
  copy->bucket_created = self->bucket_created;
  copy->policy = self->policy;
  copy->report_created = self->report_created;
  copy->report = self->report != NULL ? stompy_cur_report_copy (self->report) : NULL;
  copy->export = self->export != NULL ? stompy_data_export_copy (self->export) : NULL;

  return copy;
}

void
stompy_cur_setup_result_free (StompyCurSetupResult *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->report, stompy_cur_report_free);
  g_clear_pointer (&self->export, stompy_data_export_free);
  g_free (self);
}

typedef struct
{
  StompyCurSetupKind      kind;
  char                   *account_id;
  char                   *report_name;
  char                   *bucket;
  char                   *region;
  char                   *prefix;
  StompyCurSetupProgress  progress;
  gpointer                progress_data;
  GDestroyNotify          progress_data_free;
  StompyCurSetupStep      step;         /* the running one, then the failed one */
  StompyCurSetupResult   *result;
} SetupData;

static void
setup_data_free (SetupData *data)
{
  if (data->progress_data_free != NULL)
    data->progress_data_free (data->progress_data);
  g_free (data->account_id);
  g_free (data->report_name);
  g_free (data->bucket);
  g_free (data->region);
  g_free (data->prefix);
  stompy_cur_setup_result_free (data->result);
  g_free (data);
}

static void
setup_report (SetupData          *data,
              StompyCurStepState  state)
{
  if (data->progress != NULL)
    data->progress (data->step, state, data->progress_data);
}

static void
setup_begin (SetupData          *data,
             StompyCurSetupStep  step)
{
  data->step = step;
  setup_report (data, STOMPY_CUR_STEP_STARTED);
}

/* Ends the task with @error (taken), remembering the sub-step. */
static void
setup_fail (GTask  *task,
            GError *error)
{
  SetupData *data = g_task_get_task_data (task);

  g_debug ("CUR setup failed at %s: %s", stompy_cur_setup_step_to_string (data->step),
           error->message);
  setup_report (data, STOMPY_CUR_STEP_FAILED);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
setup_report_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  SetupData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean created = FALSE;

  if (data->kind == STOMPY_CUR_SETUP_KIND_LEGACY)
    data->result->report = stompy_cur_create_report_finish (result, &created, &error);
  else
    data->result->export = stompy_data_exports_create_finish (result, &created, &error);

  if (error != NULL)
    {
      setup_fail (task, error);
      return;
    }

  data->result->report_created = created;
  setup_report (data, created ? STOMPY_CUR_STEP_DONE : STOMPY_CUR_STEP_REUSED);

  data->step = STOMPY_CUR_SETUP_STEP_NONE;
  g_task_return_pointer (task, stompy_cur_setup_result_copy (data->result),
                         (GDestroyNotify) stompy_cur_setup_result_free);
  g_object_unref (task);
}

static void
setup_policy_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  SetupData *data = g_task_get_task_data (task);
  StompyAwsClient *client = g_task_get_source_object (task);
  GError *error = NULL;

  if (!stompy_s3_ensure_delivery_policy_finish (result, &data->result->policy, &error))
    {
      setup_fail (task, error);
      return;
    }

  setup_report (data, data->result->policy == STOMPY_POLICY_MERGE_UNCHANGED
                      ? STOMPY_CUR_STEP_REUSED : STOMPY_CUR_STEP_DONE);

  setup_begin (data, STOMPY_CUR_SETUP_STEP_REPORT);
  if (data->kind == STOMPY_CUR_SETUP_KIND_LEGACY)
    {
      g_autoptr(StompyCurReport) definition = NULL;

      definition = stompy_cur_report_new_recommended (data->report_name, data->bucket,
                                                      data->prefix, data->region);
      stompy_cur_create_report_async (client, definition, g_task_get_cancellable (task),
                                      setup_report_cb, task);
    }
  else
    {
      g_autoptr(StompyDataExport) definition = NULL;

      definition = stompy_data_export_new_recommended (data->report_name, data->bucket,
                                                       data->prefix, data->region);
      stompy_data_exports_create_async (client, definition, g_task_get_cancellable (task),
                                        setup_report_cb, task);
    }
}

static void
setup_public_access_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  SetupData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!stompy_s3_block_public_access_finish (result, &error))
    {
      setup_fail (task, error);
      return;
    }
  setup_report (data, STOMPY_CUR_STEP_DONE);

  setup_begin (data, STOMPY_CUR_SETUP_STEP_BUCKET_POLICY);
  /* A bucket made just now has no policy to read and merge into. */
  stompy_s3_ensure_delivery_policy_full_async (g_task_get_source_object (task), data->bucket,
                                               data->region, data->account_id,
                                               data->kind == STOMPY_CUR_SETUP_KIND_LEGACY
                                               ? STOMPY_DELIVERY_CUR
                                               : STOMPY_DELIVERY_DATA_EXPORTS,
                                               data->result->bucket_created,
                                               g_task_get_cancellable (task), setup_policy_cb,
                                               task);
}

static void
setup_bucket_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  SetupData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!stompy_s3_ensure_bucket_finish (result, &data->result->bucket_created, &error))
    {
      setup_fail (task, error);
      return;
    }
  setup_report (data, data->result->bucket_created ? STOMPY_CUR_STEP_DONE
                                                   : STOMPY_CUR_STEP_REUSED);

  setup_begin (data, STOMPY_CUR_SETUP_STEP_PUBLIC_ACCESS_BLOCK);
  stompy_s3_block_public_access_async (g_task_get_source_object (task), data->bucket,
                                       data->region, g_task_get_cancellable (task),
                                       setup_public_access_cb, task);
}

static gboolean
is_account_id (const char *text)
{
  if (text == NULL || strlen (text) != 12)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

static gboolean
setup_validate (SetupData  *data,
                GError    **error)
{
  if (!is_account_id (data->account_id))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Invalid AWS account id “%s”", data->account_id ?: "");
      return FALSE;
    }

  if (data->kind == STOMPY_CUR_SETUP_KIND_LEGACY
      ? !stompy_cur_validate_report_name (data->report_name, NULL, error)
      : !stompy_data_exports_validate_name (data->report_name, error))
    return FALSE;

  if (!stompy_s3_validate_bucket_name (data->bucket, NULL, error))
    return FALSE;

  if (!stompy_aws_region_is_valid (data->region))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Invalid AWS region “%s”", data->region ?: "");
      return FALSE;
    }

  /* Athena needs a prefix (§1.4); the export gets the same layout. */
  return stompy_cur_validate_prefix (data->prefix, TRUE, NULL, error);
}

void
stompy_cur_setup_async (StompyAwsClient            *client,
                        const StompyCurSetupParams *params,
                        StompyCurSetupProgress      progress,
                        gpointer                    progress_data,
                        GDestroyNotify              progress_data_free,
                        GCancellable               *cancellable,
                        GAsyncReadyCallback         callback,
                        gpointer                    user_data)
{
  GTask *task;
  SetupData *data;
  GError *error = NULL;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (params != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_cur_setup_async);

  data = g_new0 (SetupData, 1);
  data->kind = params->kind;
  data->account_id = g_strdup (params->account_id);
  data->report_name = g_strdup (params->report_name);
  data->bucket = g_strdup (params->bucket);
  data->region = g_strdup (params->region);
  data->prefix = g_strdup (params->prefix != NULL ? params->prefix : "");
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_data_free = progress_data_free;
  data->result = g_new0 (StompyCurSetupResult, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) setup_data_free);

  setup_begin (data, STOMPY_CUR_SETUP_STEP_VALIDATE);
  if (!setup_validate (data, &error))
    {
      setup_fail (task, error);
      return;
    }
  setup_report (data, STOMPY_CUR_STEP_DONE);

  setup_begin (data, STOMPY_CUR_SETUP_STEP_BUCKET);
  stompy_s3_ensure_bucket_async (client, data->bucket, data->region, cancellable,
                                 setup_bucket_cb, task);
}

StompyCurSetupResult *
stompy_cur_setup_finish (GAsyncResult        *result,
                         StompyCurSetupStep  *failed_step,
                         GError             **error)
{
  StompyCurSetupResult *setup;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stompy_cur_setup_async,
                        NULL);

  setup = g_task_propagate_pointer (G_TASK (result), error);
  if (failed_step != NULL)
    {
      SetupData *data = g_task_get_task_data (G_TASK (result));
      *failed_step = setup == NULL && data != NULL ? data->step : STOMPY_CUR_SETUP_STEP_NONE;
    }

  return setup;
}
