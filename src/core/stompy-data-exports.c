/* stompy-data-exports.c — CUR 2.0 through AWS Data Exports (bcm-data-exports)
 *
 * Wire facts: shared/reference/aws-cur-s3.md §4 (operations, Export shape,
 * TableConfigurations, the query) and §2 (what the conditions mean for an
 * export).
 */
#include "config.h"

#include <string.h>

#include "stompy-data-exports.h"
#include "stompy-aws-json-list.h"
#include "stompy-error.h"
#include "stompy-json-member.h"

#define TARGET_PREFIX "AWSBillingAndCostManagementDataExports."
#define CUR2_TABLE "COST_AND_USAGE_REPORT"

/* Explicit columns (§4.3: AWS's examples always list them, and SELECT * is
 * unverified): identity, billing, line item with line_item_resource_id,
 * pricing, the product, reservation and Savings Plans columns a cost
 * analysis needs, and the tag and cost-category maps. */
static const char query_statement[] =
  "SELECT identity_line_item_id, identity_time_interval, "
  "bill_bill_type, bill_billing_entity, bill_billing_period_start_date, "
  "bill_billing_period_end_date, bill_invoice_id, bill_payer_account_id, "
  "line_item_line_item_type, line_item_usage_account_id, line_item_usage_start_date, "
  "line_item_usage_end_date, line_item_product_code, line_item_usage_type, "
  "line_item_operation, line_item_availability_zone, line_item_resource_id, "
  "line_item_usage_amount, line_item_normalization_factor, "
  "line_item_normalized_usage_amount, line_item_currency_code, line_item_unblended_rate, "
  "line_item_unblended_cost, line_item_blended_rate, line_item_blended_cost, "
  "line_item_net_unblended_cost, line_item_line_item_description, line_item_tax_type, "
  "line_item_legal_entity, pricing_term, pricing_unit, pricing_public_on_demand_cost, "
  "pricing_public_on_demand_rate, pricing_purchase_option, product, product_region_code, "
  "product_instance_type, product_instance_family, product_product_family, "
  "product_servicecode, product_sku, reservation_reservation_a_r_n, "
  "reservation_effective_cost, reservation_amortized_upfront_cost_for_usage, "
  "reservation_recurring_fee_for_usage, savings_plan_savings_plan_a_r_n, "
  "savings_plan_savings_plan_effective_cost, savings_plan_savings_plan_rate, "
  "savings_plan_used_commitment, resource_tags, cost_category, discount "
  "FROM " CUR2_TABLE;

const char *
stompy_data_exports_query_statement (void)
{
  return query_statement;
}

/* ------------------------------------------------------------------ the boxed type */

G_DEFINE_BOXED_TYPE (StompyDataExport, stompy_data_export, stompy_data_export_copy,
                     stompy_data_export_free)

StompyDataExport *
stompy_data_export_copy (const StompyDataExport *self)
{
  StompyDataExport *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyDataExport, 1);
  copy->name = g_strdup (self->name);
  copy->arn = g_strdup (self->arn);
  copy->description = g_strdup (self->description);
  copy->query_statement = g_strdup (self->query_statement);
  copy->table = g_strdup (self->table);
  copy->time_granularity = g_strdup (self->time_granularity);
  copy->include_resources = self->include_resources;
  copy->s3_bucket = g_strdup (self->s3_bucket);
  copy->s3_prefix = g_strdup (self->s3_prefix);
  copy->s3_region = g_strdup (self->s3_region);
  copy->output_type = g_strdup (self->output_type);
  copy->format = g_strdup (self->format);
  copy->compression = g_strdup (self->compression);
  copy->overwrite = g_strdup (self->overwrite);
  copy->refresh_frequency = g_strdup (self->refresh_frequency);
  copy->status_code = g_strdup (self->status_code);
  copy->status_reason = g_strdup (self->status_reason);
  copy->last_refreshed_at = g_strdup (self->last_refreshed_at);

  return copy;
}

void
stompy_data_export_free (StompyDataExport *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->arn);
  g_free (self->description);
  g_free (self->query_statement);
  g_free (self->table);
  g_free (self->time_granularity);
  g_free (self->s3_bucket);
  g_free (self->s3_prefix);
  g_free (self->s3_region);
  g_free (self->output_type);
  g_free (self->format);
  g_free (self->compression);
  g_free (self->overwrite);
  g_free (self->refresh_frequency);
  g_free (self->status_code);
  g_free (self->status_reason);
  g_free (self->last_refreshed_at);
  g_free (self);
}

StompyDataExport *
stompy_data_export_new_recommended (const char *name,
                                    const char *bucket,
                                    const char *prefix,
                                    const char *region)
{
  StompyDataExport *export;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (bucket != NULL, NULL);
  g_return_val_if_fail (region != NULL, NULL);

  export = g_new0 (StompyDataExport, 1);
  export->name = g_strdup (name);
  export->description = g_strdup ("Hourly cost and usage with resource IDs for Stompy");
  export->query_statement = g_strdup (query_statement);
  export->table = g_strdup (CUR2_TABLE);
  export->time_granularity = g_strdup ("HOURLY");
  export->include_resources = TRUE;
  export->s3_bucket = g_strdup (bucket);
  export->s3_prefix = g_strdup (prefix != NULL ? prefix : "");
  export->s3_region = g_strdup (region);
  /* ATHENA output is newer than the rest of the model and its constraints
   * are unverified (§2, §4.3): CUSTOM with Parquet and overwrite is what
   * the documented example uses. */
  export->output_type = g_strdup ("CUSTOM");
  export->format = g_strdup ("PARQUET");
  export->compression = g_strdup ("PARQUET");
  export->overwrite = g_strdup ("OVERWRITE_REPORT");
  export->refresh_frequency = g_strdup ("SYNCHRONOUS");

  return export;
}

/* ------------------------------------------------------------------ JSON */

StompyDataExport *
stompy_data_export_new_from_json (JsonObject  *export_object,
                                  JsonObject  *status,
                                  GError     **error)
{
  StompyDataExport *export;
  JsonObject *query;
  JsonObject *tables;
  JsonObject *destination;
  JsonObject *output;
  JsonObject *cadence;
  const char *name;

  g_return_val_if_fail (export_object != NULL, NULL);

  name = stompy_json_member_string (export_object, "Name");
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                   "An export has no Name");
      return NULL;
    }

  export = g_new0 (StompyDataExport, 1);
  export->name = g_strdup (name);
  export->arn = g_strdup (stompy_json_member_string (export_object, "ExportArn"));
  export->description = g_strdup (stompy_json_member_string (export_object, "Description"));

  query = stompy_json_member_object (export_object, "DataQuery");
  export->query_statement = g_strdup (stompy_json_member_string (query, "QueryStatement"));
  tables = stompy_json_member_object (query, "TableConfigurations");
  if (tables != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (tables);

      /* One table per export; CUR 2.0's is COST_AND_USAGE_REPORT. */
      if (names != NULL)
        {
          JsonObject *config = stompy_json_member_object (tables, names->data);

          export->table = g_strdup (names->data);
          export->time_granularity =
            g_strdup (stompy_json_member_string (config, "TIME_GRANULARITY"));
          export->include_resources =
            g_strcmp0 (stompy_json_member_string (config, "INCLUDE_RESOURCES"), "TRUE") == 0;
        }
    }

  destination = stompy_json_member_object (stompy_json_member_object (export_object,
                                                                      "DestinationConfigurations"),
                                           "S3Destination");
  export->s3_bucket = g_strdup (stompy_json_member_string (destination, "S3Bucket"));
  export->s3_prefix = g_strdup (stompy_json_member_string (destination, "S3Prefix") ?: "");
  export->s3_region = g_strdup (stompy_json_member_string (destination, "S3Region"));
  output = stompy_json_member_object (destination, "S3OutputConfigurations");
  export->output_type = g_strdup (stompy_json_member_string (output, "OutputType"));
  export->format = g_strdup (stompy_json_member_string (output, "Format"));
  export->compression = g_strdup (stompy_json_member_string (output, "Compression"));
  export->overwrite = g_strdup (stompy_json_member_string (output, "Overwrite"));
  cadence = stompy_json_member_object (export_object, "RefreshCadence");
  export->refresh_frequency = g_strdup (stompy_json_member_string (cadence, "Frequency"));

  if (status != NULL)
    {
      export->status_code = g_strdup (stompy_json_member_string (status, "StatusCode"));
      export->status_reason = g_strdup (stompy_json_member_string (status, "StatusReason"));
      export->last_refreshed_at = g_strdup (stompy_json_member_string (status, "LastRefreshedAt"));
    }

  return export;
}

static void
set_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

JsonNode *
stompy_data_export_to_json (const StompyDataExport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  set_string (builder, "Name", self->name);
  if (self->description != NULL)
    set_string (builder, "Description", self->description);

  json_builder_set_member_name (builder, "DataQuery");
  json_builder_begin_object (builder);
  set_string (builder, "QueryStatement", self->query_statement);
  json_builder_set_member_name (builder, "TableConfigurations");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, self->table != NULL ? self->table : CUR2_TABLE);
  json_builder_begin_object (builder);
  /* Every value is a string, booleans included (§4.3). */
  set_string (builder, "TIME_GRANULARITY",
              self->time_granularity != NULL ? self->time_granularity : "HOURLY");
  set_string (builder, "INCLUDE_RESOURCES", self->include_resources ? "TRUE" : "FALSE");
  set_string (builder, "INCLUDE_SPLIT_COST_ALLOCATION_DATA", "FALSE");
  set_string (builder, "INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY", "FALSE");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "DestinationConfigurations");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "S3Destination");
  json_builder_begin_object (builder);
  set_string (builder, "S3Bucket", self->s3_bucket);
  set_string (builder, "S3Prefix", self->s3_prefix);
  set_string (builder, "S3Region", self->s3_region);
  json_builder_set_member_name (builder, "S3OutputConfigurations");
  json_builder_begin_object (builder);
  set_string (builder, "OutputType", self->output_type);
  set_string (builder, "Format", self->format);
  set_string (builder, "Compression", self->compression);
  set_string (builder, "Overwrite", self->overwrite);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "RefreshCadence");
  json_builder_begin_object (builder);
  set_string (builder, "Frequency",
              self->refresh_frequency != NULL ? self->refresh_frequency : "SYNCHRONOUS");
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* ------------------------------------------------------------------ conditions */

StompyCurConditions
stompy_data_export_evaluate (const StompyDataExport *self)
{
  StompyCurConditions met = 0;

  g_return_val_if_fail (self != NULL, 0);

  /* INCLUDE_RESOURCES adds the column; the query must also select it (§2). */
  if (self->include_resources && self->query_statement != NULL &&
      strstr (self->query_statement, "line_item_resource_id") != NULL)
    met |= STOMPY_CUR_CONDITION_RESOURCE_IDS;
  /* Data Exports has no refresh flag: SYNCHRONOUS exports are refreshed as
   * the data changes, closed periods included (§2). */
  if (g_strcmp0 (self->refresh_frequency, "SYNCHRONOUS") == 0)
    met |= STOMPY_CUR_CONDITION_DATA_REFRESH;
  /* HOURLY is the table's default when the configuration leaves it out. */
  if (self->time_granularity == NULL || g_str_equal (self->time_granularity, "HOURLY"))
    met |= STOMPY_CUR_CONDITION_HOURLY;
  if (g_strcmp0 (self->format, "PARQUET") == 0 && g_strcmp0 (self->compression, "PARQUET") == 0 &&
      g_strcmp0 (self->overwrite, "OVERWRITE_REPORT") == 0)
    met |= STOMPY_CUR_CONDITION_ATHENA;

  return met;
}

gboolean
stompy_data_export_is_suitable (const StompyDataExport *self,
                                const char             *bucket,
                                const char             *prefix)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return stompy_data_export_evaluate (self) == STOMPY_CUR_CONDITIONS_ALL &&
         g_strcmp0 (self->table, CUR2_TABLE) == 0 &&
         g_strcmp0 (self->s3_bucket, bucket) == 0 &&
         g_strcmp0 (self->s3_prefix ?: "", prefix ?: "") == 0;
}

gboolean
stompy_data_exports_validate_name (const char  *name,
                                   GError     **error)
{
  gsize length = name != NULL ? strlen (name) : 0;

  if (length == 0 || length > 128 ||
      strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != length)
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Invalid export name “%s”: 1 to 128 letters, digits, “-” or “_”",
                   name != NULL ? name : "");
      return FALSE;
    }

  return TRUE;
}

gboolean
stompy_data_exports_error_is_name_conflict (const GError *error)
{
  return error != NULL && error->domain == STOMPY_AWS_ERROR &&
         g_strcmp0 (stompy_aws_error_get_aws_code (error), "ExportNameConflict") == 0;
}

/* ------------------------------------------------------------------ ListExports */

/* A ListExports entry: name, ARN and status only (GetExport has the rest);
 * one without a name is skipped. */
static gpointer
parse_export_summary (JsonObject  *element,
                      GError     **error)
{
  const char *name = stompy_json_member_string (element, "ExportName");
  StompyDataExport *export;

  if (name == NULL)
    return NULL;

  export = g_new0 (StompyDataExport, 1);
  export->name = g_strdup (name);
  export->arn = g_strdup (stompy_json_member_string (element, "ExportArn"));
  export->status_code =
    g_strdup (stompy_json_member_string (stompy_json_member_object (element, "ExportStatus"),
                                         "StatusCode"));

  return export;
}

void
stompy_data_exports_list_async (StompyAwsClient     *client,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  stompy_aws_json_list_async (client, STOMPY_AWS_SERVICE_DATA_EXPORTS,
                              TARGET_PREFIX "ListExports", "Exports", 0,
                              parse_export_summary, (GDestroyNotify) stompy_data_export_free,
                              stompy_data_exports_list_async, cancellable, callback, user_data);
}

GPtrArray *
stompy_data_exports_list_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return stompy_aws_json_list_finish (result, stompy_data_exports_list_async, error);
}

/* ------------------------------------------------------------------ GetExport */

static void
get_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonObject *export_object;
  StompyDataExport *export;

  root = stompy_aws_client_json_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  export_object = stompy_json_member_object (object, "Export");
  if (export_object == NULL)
    {
      g_task_return_new_error (task, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                               "GetExport answered without Export");
      return;
    }

  export = stompy_data_export_new_from_json (export_object,
                                             stompy_json_member_object (object, "ExportStatus"),
                                             &error);
  if (export == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The Export member may leave its own ARN out: it is the one asked for. */
  if (export->arn == NULL)
    export->arn = g_strdup (g_task_get_task_data (task));

  g_task_return_pointer (task, export, (GDestroyNotify) stompy_data_export_free);
}

void
stompy_data_exports_get_async (StompyAwsClient     *client,
                               const char          *export_arn,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (export_arn != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_data_exports_get_async);
  g_task_set_task_data (task, g_strdup (export_arn), g_free);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ExportArn");
  json_builder_add_string_value (builder, export_arn);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  stompy_aws_client_json_async (client, STOMPY_AWS_SERVICE_DATA_EXPORTS, TARGET_PREFIX "GetExport",
                                body, cancellable, get_cb, g_steal_pointer (&task));
}

StompyDataExport *
stompy_data_exports_get_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_data_exports_get_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ CreateExport */

typedef struct
{
  StompyDataExport *definition;
  gboolean          created;
} CreateData;

static void
create_data_free (CreateData *data)
{
  stompy_data_export_free (data->definition);
  g_free (data);
}

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  StompyDataExport *export;
  const char *arn;

  root = stompy_aws_client_json_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  arn = JSON_NODE_HOLDS_OBJECT (root)
          ? stompy_json_member_string (json_node_get_object (root), "ExportArn")
          : NULL;
  if (arn == NULL || *arn == '\0')
    {
      g_task_return_new_error (task, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                               "CreateExport answered without ExportArn");
      return;
    }

  export = stompy_data_export_copy (data->definition);
  g_free (export->arn);
  export->arn = g_strdup (arn);
  data->created = TRUE;
  g_debug ("Export %s created", export->name);

  g_task_return_pointer (task, export, (GDestroyNotify) stompy_data_export_free);
}

static void
create_send (GTask *task)
{
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Export");
  json_builder_add_value (builder, stompy_data_export_to_json (data->definition));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  stompy_aws_client_json_async (g_task_get_source_object (task), STOMPY_AWS_SERVICE_DATA_EXPORTS,
                                TARGET_PREFIX "CreateExport", body, g_task_get_cancellable (task),
                                create_cb, task);
}

static void
create_existing_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(StompyDataExport) existing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  existing = stompy_data_exports_get_finish (result, &error);
  if (existing == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (stompy_data_export_is_suitable (existing, data->definition->s3_bucket,
                                      data->definition->s3_prefix))
    {
      g_debug ("Export %s exists with the same settings: reused", existing->name);
      data->created = FALSE;
      g_task_return_pointer (task, g_steal_pointer (&existing),
                             (GDestroyNotify) stompy_data_export_free);
      return;
    }

  message = g_strdup_printf ("An export named %s exists with other settings (s3://%s/%s)",
                             existing->name, existing->s3_bucket ?: "",
                             existing->s3_prefix ?: "");
  g_task_return_error (task, stompy_aws_error_new_full (STOMPY_AWS_ERROR_ALREADY_EXISTS, 0,
                                                        "ExportNameConflict", message, NULL));
}

static void
create_list_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) exports = NULL;
  g_autoptr(GError) error = NULL;

  exports = stompy_data_exports_list_finish (result, &error);
  if (exports == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Export names are unique per account: look before creating, since
   * CreateExport's answer for a taken name is not modeled. */
  for (guint i = 0; i < exports->len; i++)
    {
      StompyDataExport *export = g_ptr_array_index (exports, i);

      if (g_strcmp0 (export->name, data->definition->name) == 0 && export->arn != NULL)
        {
          GCancellable *cancellable = g_task_get_cancellable (task);

          stompy_data_exports_get_async (STOMPY_AWS_CLIENT (source), export->arn, cancellable,
                                         create_existing_cb, g_steal_pointer (&task));
          return;
        }
    }

  create_send (g_steal_pointer (&task));
}

void
stompy_data_exports_create_async (StompyAwsClient        *client,
                                  const StompyDataExport *definition,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  CreateData *data;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (definition != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_data_exports_create_async);

  if (!stompy_data_exports_validate_name (definition->name, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (definition->s3_bucket == NULL || *definition->s3_bucket == '\0' ||
      !stompy_aws_region_is_valid (definition->s3_region) ||
      definition->query_statement == NULL || *definition->query_statement == '\0')
    {
      g_task_return_new_error (task, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                               "An export needs a query, a bucket and a valid region");
      return;
    }

  data = g_new0 (CreateData, 1);
  data->definition = stompy_data_export_copy (definition);
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  stompy_data_exports_list_async (client, cancellable, create_list_cb, g_steal_pointer (&task));
}

StompyDataExport *
stompy_data_exports_create_finish (GAsyncResult  *result,
                                   gboolean      *created,
                                   GError       **error)
{
  StompyDataExport *export;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_data_exports_create_async, NULL);

  export = g_task_propagate_pointer (G_TASK (result), error);
  if (created != NULL)
    {
      CreateData *data = g_task_get_task_data (G_TASK (result));
      *created = export != NULL && data != NULL && data->created;
    }

  return export;
}
