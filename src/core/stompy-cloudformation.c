/* stompy-cloudformation.c — the role stacks: create, describe, events, delete
 *
 * Wire facts from shared/reference/aws-cfn-sts-sigv4.md: §2.1 CreateStack,
 * §2.3 DescribeStacks, §2.4 DescribeStackEvents, §2.5 the status table, §3.1
 * the quick-create link.
 */
#include "config.h"

#include <string.h>

#include "stompy-cloudformation.h"
#include "stompy-error.h"
#include "stompy-http.h"

#define CFN_VERSION "2010-05-15"
#define ROLE_ARN_OUTPUT "RoleArn"
/* Enough for any stack this app creates (a handful of resources, a few events
 * each): the ensure step reads the events of an unusable stack to explain it. */
#define ENSURE_MAX_EVENT_PAGES 10

/* ------------------------------------------------------------------ statuses */

static const char * const all_statuses[] = {
  "CREATE_IN_PROGRESS", "CREATE_FAILED", "CREATE_COMPLETE",
  "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED", "ROLLBACK_COMPLETE",
  "DELETE_IN_PROGRESS", "DELETE_FAILED", "DELETE_COMPLETE",
  "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE",
  "UPDATE_FAILED", "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_FAILED",
  "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE",
  "REVIEW_IN_PROGRESS", "IMPORT_IN_PROGRESS", "IMPORT_COMPLETE",
  "IMPORT_ROLLBACK_IN_PROGRESS", "IMPORT_ROLLBACK_FAILED", "IMPORT_ROLLBACK_COMPLETE",
  NULL
};

const char * const *
stompy_stack_status_get_all (void)
{
  return all_statuses;
}

StompyStackState
stompy_stack_status_classify (const char *status)
{
  if (status == NULL || *status == '\0')
    return STOMPY_STACK_STATE_UNKNOWN;

  /* The exceptions to the suffix rule first. An update that is only removing
   * the old resources has succeeded; a rollback's clean-up is still rolling
   * back; a change set under review will not move by itself. */
  if (g_str_equal (status, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"))
    return STOMPY_STACK_STATE_COMPLETE;
  if (g_str_equal (status, "REVIEW_IN_PROGRESS"))
    return STOMPY_STACK_STATE_REVIEW;
  if (g_str_equal (status, "DELETE_COMPLETE"))
    return STOMPY_STACK_STATE_DELETED;
  if (g_str_equal (status, "ROLLBACK_COMPLETE") ||
      g_str_equal (status, "UPDATE_ROLLBACK_COMPLETE") ||
      g_str_equal (status, "IMPORT_ROLLBACK_COMPLETE"))
    return STOMPY_STACK_STATE_ROLLED_BACK;

  if (g_str_has_suffix (status, "_IN_PROGRESS"))
    return STOMPY_STACK_STATE_IN_PROGRESS;
  if (g_str_has_suffix (status, "_FAILED"))
    return STOMPY_STACK_STATE_FAILED;
  if (g_str_has_suffix (status, "_COMPLETE"))
    return STOMPY_STACK_STATE_COMPLETE;

  return STOMPY_STACK_STATE_UNKNOWN;
}

const char *
stompy_stack_state_to_string (StompyStackState state)
{
  switch (state)
    {
    case STOMPY_STACK_STATE_IN_PROGRESS: return "in-progress";
    case STOMPY_STACK_STATE_COMPLETE:    return "complete";
    case STOMPY_STACK_STATE_FAILED:      return "failed";
    case STOMPY_STACK_STATE_ROLLED_BACK: return "rolled-back";
    case STOMPY_STACK_STATE_DELETED:     return "deleted";
    case STOMPY_STACK_STATE_REVIEW:      return "review";
    case STOMPY_STACK_STATE_UNKNOWN:
    default:                             return "unknown";
    }
}

gboolean
stompy_stack_state_is_settled (StompyStackState state)
{
  return state != STOMPY_STACK_STATE_IN_PROGRESS && state != STOMPY_STACK_STATE_UNKNOWN;
}

gboolean
stompy_stack_status_is_stable (const char *status)
{
  static const char * const stable[] = {
    "CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE",
    "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE",
    /* The update succeeded; only superseded resources are being removed. */
    "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
  };

  if (status == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (stable); i++)
    if (g_str_equal (status, stable[i]))
      return TRUE;

  return FALSE;
}

/* ------------------------------------------------------------------ StompyStack */

G_DEFINE_BOXED_TYPE (StompyStack, stompy_stack, stompy_stack_copy, stompy_stack_free)

static GHashTable *
string_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static GHashTable *
string_table_copy (GHashTable *table)
{
  GHashTable *copy = string_table_new ();
  GHashTableIter iter;
  gpointer key, value;

  if (table == NULL)
    return copy;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));

  return copy;
}

StompyStack *
stompy_stack_copy (const StompyStack *self)
{
  StompyStack *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyStack, 1);
  copy->stack_id = g_strdup (self->stack_id);
  copy->stack_name = g_strdup (self->stack_name);
  copy->status = g_strdup (self->status);
  copy->state = self->state;
  copy->status_reason = g_strdup (self->status_reason);
  copy->creation_time = self->creation_time ? g_date_time_ref (self->creation_time) : NULL;
  copy->last_updated_time = self->last_updated_time ? g_date_time_ref (self->last_updated_time)
                                                    : NULL;
  copy->parameters = string_table_copy (self->parameters);
  copy->outputs = string_table_copy (self->outputs);
  copy->role_arn = g_strdup (self->role_arn);

  return copy;
}

void
stompy_stack_free (StompyStack *self)
{
  if (self == NULL)
    return;

  g_free (self->stack_id);
  g_free (self->stack_name);
  g_free (self->status);
  g_free (self->status_reason);
  g_clear_pointer (&self->creation_time, g_date_time_unref);
  g_clear_pointer (&self->last_updated_time, g_date_time_unref);
  g_clear_pointer (&self->parameters, g_hash_table_unref);
  g_clear_pointer (&self->outputs, g_hash_table_unref);
  g_free (self->role_arn);
  g_free (self);
}

const char *
stompy_stack_get_output (const StompyStack *self,
                         const char        *key)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->outputs ? g_hash_table_lookup (self->outputs, key) : NULL;
}

const char *
stompy_stack_get_parameter (const StompyStack *self,
                            const char        *key)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->parameters ? g_hash_table_lookup (self->parameters, key) : NULL;
}

/* ------------------------------------------------------------------ StompyStackEvent */

G_DEFINE_BOXED_TYPE (StompyStackEvent, stompy_stack_event,
                     stompy_stack_event_copy, stompy_stack_event_free)

StompyStackEvent *
stompy_stack_event_copy (const StompyStackEvent *self)
{
  StompyStackEvent *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyStackEvent, 1);
  copy->event_id = g_strdup (self->event_id);
  copy->stack_id = g_strdup (self->stack_id);
  copy->stack_name = g_strdup (self->stack_name);
  copy->logical_resource_id = g_strdup (self->logical_resource_id);
  copy->physical_resource_id = g_strdup (self->physical_resource_id);
  copy->resource_type = g_strdup (self->resource_type);
  copy->timestamp = self->timestamp ? g_date_time_ref (self->timestamp) : NULL;
  copy->resource_status = g_strdup (self->resource_status);
  copy->resource_status_reason = g_strdup (self->resource_status_reason);
  copy->client_request_token = g_strdup (self->client_request_token);

  return copy;
}

void
stompy_stack_event_free (StompyStackEvent *self)
{
  if (self == NULL)
    return;

  g_free (self->event_id);
  g_free (self->stack_id);
  g_free (self->stack_name);
  g_free (self->logical_resource_id);
  g_free (self->physical_resource_id);
  g_free (self->resource_type);
  g_clear_pointer (&self->timestamp, g_date_time_unref);
  g_free (self->resource_status);
  g_free (self->resource_status_reason);
  g_free (self->client_request_token);
  g_free (self);
}

gboolean
stompy_stack_event_is_stack (const StompyStackEvent *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_strcmp0 (self->resource_type, "AWS::CloudFormation::Stack") == 0 &&
         g_strcmp0 (self->logical_resource_id, self->stack_name) == 0;
}

/* ------------------------------------------------------------------ StompyStackRequest */

G_DEFINE_BOXED_TYPE (StompyStackRequest, stompy_stack_request,
                     stompy_stack_request_copy, stompy_stack_request_free)

StompyStackRequest *
stompy_stack_request_new (const char *stack_name,
                          const char *template_url,
                          const char *client_request_token,
                          const char *product)
{
  StompyStackRequest *self;

  g_return_val_if_fail (stack_name != NULL, NULL);
  g_return_val_if_fail (template_url != NULL, NULL);

  self = g_new0 (StompyStackRequest, 1);
  self->stack_name = g_strdup (stack_name);
  self->template_url = g_strdup (template_url);
  self->client_request_token = g_strdup (client_request_token);
  self->product = g_strdup (product);
  self->parameter_keys = g_ptr_array_new_with_free_func (g_free);
  self->parameter_values = g_ptr_array_new_with_free_func (g_free);

  return self;
}

void
stompy_stack_request_set_parameter (StompyStackRequest *self,
                                    const char         *key,
                                    const char         *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL && value != NULL);

  for (guint i = 0; i < self->parameter_keys->len; i++)
    if (g_str_equal (g_ptr_array_index (self->parameter_keys, i), key))
      {
        g_free (self->parameter_values->pdata[i]);
        self->parameter_values->pdata[i] = g_strdup (value);
        return;
      }

  g_ptr_array_add (self->parameter_keys, g_strdup (key));
  g_ptr_array_add (self->parameter_values, g_strdup (value));
}

StompyStackRequest *
stompy_stack_request_copy (const StompyStackRequest *self)
{
  StompyStackRequest *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = stompy_stack_request_new (self->stack_name, self->template_url,
                                   self->client_request_token, self->product);
  for (guint i = 0; i < self->parameter_keys->len; i++)
    stompy_stack_request_set_parameter (copy, g_ptr_array_index (self->parameter_keys, i),
                                        g_ptr_array_index (self->parameter_values, i));

  return copy;
}

void
stompy_stack_request_free (StompyStackRequest *self)
{
  if (self == NULL)
    return;

  g_free (self->stack_name);
  g_free (self->template_url);
  g_free (self->client_request_token);
  g_free (self->product);
  g_ptr_array_unref (self->parameter_keys);
  g_ptr_array_unref (self->parameter_values);
  g_free (self);
}

static gboolean
stack_name_is_valid (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > 128 || !g_ascii_isalpha (name[0]))
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;

  return TRUE;
}

static gboolean
client_request_token_is_valid (const char *token)
{
  gsize length = strlen (token);

  if (length == 0 || length > 128 || !g_ascii_isalnum (token[0]))
    return FALSE;

  for (const char *p = token; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;

  return TRUE;
}

gboolean
stompy_stack_request_validate (const StompyStackRequest  *self,
                               GError                   **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!stack_name_is_valid (self->stack_name))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Stack name “%s” is not 1–128 letters, digits and hyphens starting "
                   "with a letter", self->stack_name);
      return FALSE;
    }

  if (self->client_request_token != NULL &&
      !client_request_token_is_valid (self->client_request_token))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "ClientRequestToken “%s” does not match [a-zA-Z0-9][-a-zA-Z0-9]{0,127}",
                   self->client_request_token);
      return FALSE;
    }

  if (!stompy_http_check_endpoint (self->template_url, error))
    return FALSE;

  return TRUE;
}

char *
stompy_cloudformation_new_client_request_token (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat ("stompy-", uuid, NULL);
}

/* ------------------------------------------------------------------ XML → boxed */

static char *
dup_text_or_null (StompyXmlNode *node,
                  const char    *path)
{
  const char *text = stompy_xml_node_lookup_text (node, path);

  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static GDateTime *
lookup_time (StompyXmlNode *node,
             const char    *path)
{
  const char *text = stompy_xml_node_lookup_text (node, path);

  if (text == NULL || *text == '\0')
    return NULL;

  return g_date_time_new_from_iso8601 (text, NULL);
}

static GHashTable *
members_to_table (StompyXmlNode *node,
                  const char    *list,
                  const char    *key_name,
                  const char    *value_name)
{
  GHashTable *table = string_table_new ();
  StompyXmlNode *list_node = stompy_xml_node_lookup (node, list);
  g_autoptr(GPtrArray) members = NULL;

  if (list_node == NULL)
    return table;

  members = stompy_xml_node_get_children (list_node, "member");
  for (guint i = 0; i < members->len; i++)
    {
      const char *key = stompy_xml_node_lookup_text (members->pdata[i], key_name);
      const char *value = stompy_xml_node_lookup_text (members->pdata[i], value_name);

      if (key != NULL && *key != '\0')
        g_hash_table_insert (table, g_strdup (key), g_strdup (value ? value : ""));
    }

  return table;
}

static StompyStack *
stack_from_xml (StompyXmlNode *member)
{
  StompyStack *stack = g_new0 (StompyStack, 1);
  const char *role_arn;

  stack->stack_id = dup_text_or_null (member, "StackId");
  stack->stack_name = dup_text_or_null (member, "StackName");
  stack->status = dup_text_or_null (member, "StackStatus");
  stack->state = stompy_stack_status_classify (stack->status);
  stack->status_reason = dup_text_or_null (member, "StackStatusReason");
  stack->creation_time = lookup_time (member, "CreationTime");
  stack->last_updated_time = lookup_time (member, "LastUpdatedTime");
  stack->parameters = members_to_table (member, "Parameters", "ParameterKey", "ParameterValue");
  stack->outputs = members_to_table (member, "Outputs", "OutputKey", "OutputValue");

  role_arn = g_hash_table_lookup (stack->outputs, ROLE_ARN_OUTPUT);
  stack->role_arn = role_arn != NULL && *role_arn != '\0' ? g_strdup (role_arn) : NULL;

  return stack;
}

GPtrArray *
stompy_stacks_from_xml (StompyXmlNode *result)
{
  GPtrArray *stacks = g_ptr_array_new_with_free_func ((GDestroyNotify) stompy_stack_free);
  StompyXmlNode *list;
  g_autoptr(GPtrArray) members = NULL;

  g_return_val_if_fail (result != NULL, stacks);

  list = stompy_xml_node_lookup (result, "Stacks");
  if (list == NULL)
    return stacks;

  members = stompy_xml_node_get_children (list, "member");
  for (guint i = 0; i < members->len; i++)
    g_ptr_array_add (stacks, stack_from_xml (members->pdata[i]));

  return stacks;
}

static StompyStackEvent *
event_from_xml (StompyXmlNode *member)
{
  StompyStackEvent *event = g_new0 (StompyStackEvent, 1);

  event->event_id = dup_text_or_null (member, "EventId");
  event->stack_id = dup_text_or_null (member, "StackId");
  event->stack_name = dup_text_or_null (member, "StackName");
  event->logical_resource_id = dup_text_or_null (member, "LogicalResourceId");
  event->physical_resource_id = dup_text_or_null (member, "PhysicalResourceId");
  event->resource_type = dup_text_or_null (member, "ResourceType");
  event->timestamp = lookup_time (member, "Timestamp");
  event->resource_status = dup_text_or_null (member, "ResourceStatus");
  event->resource_status_reason = dup_text_or_null (member, "ResourceStatusReason");
  event->client_request_token = dup_text_or_null (member, "ClientRequestToken");

  return event;
}

GPtrArray *
stompy_stack_events_from_xml (StompyXmlNode  *result,
                              char          **next_token)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) stompy_stack_event_free);
  StompyXmlNode *list;

  if (next_token != NULL)
    *next_token = NULL;

  g_return_val_if_fail (result != NULL, events);

  list = stompy_xml_node_lookup (result, "StackEvents");
  if (list != NULL)
    {
      g_autoptr(GPtrArray) members = stompy_xml_node_get_children (list, "member");

      for (guint i = 0; i < members->len; i++)
        g_ptr_array_add (events, event_from_xml (members->pdata[i]));
    }

  if (next_token != NULL)
    *next_token = dup_text_or_null (result, "NextToken");

  return events;
}

/* ------------------------------------------------------------------ events → progress, reason */

GPtrArray *
stompy_stack_events_of_operation (GPtrArray  *events,
                                  const char *client_request_token,
                                  GDateTime  *since)
{
  GPtrArray *selected = g_ptr_array_new ();
  gboolean by_token = FALSE;

  g_return_val_if_fail (events != NULL, selected);

  /* Every event of an operation carries its token (§2.1), but a stack created
   * by someone else (the console, an older run) has another token or none:
   * then the start time is the best boundary there is. */
  if (client_request_token != NULL)
    for (guint i = 0; i < events->len && !by_token; i++)
      {
        StompyStackEvent *event = g_ptr_array_index (events, i);

        by_token = g_strcmp0 (event->client_request_token, client_request_token) == 0;
      }

  /* Oldest first: AWS sends newest first. */
  for (guint i = events->len; i > 0; i--)
    {
      StompyStackEvent *event = g_ptr_array_index (events, i - 1);

      if (by_token)
        {
          if (g_strcmp0 (event->client_request_token, client_request_token) != 0)
            continue;
        }
      else if (since != NULL)
        {
          if (event->timestamp == NULL || g_date_time_compare (event->timestamp, since) < 0)
            continue;
        }

      g_ptr_array_add (selected, event);
    }

  return selected;
}

void
stompy_stack_events_progress (GPtrArray  *events,
                              const char *client_request_token,
                              GDateTime  *since,
                              guint       resource_count,
                              guint      *done,
                              guint      *total)
{
  g_autoptr(GPtrArray) operation = NULL;
  g_autoptr(GHashTable) latest = NULL;
  GHashTableIter iter;
  gpointer value;
  guint n_done = 0;
  guint n_total;

  g_return_if_fail (events != NULL);

  operation = stompy_stack_events_of_operation (events, client_request_token, since);
  /* Logical id → its latest status in this operation (oldest first, so the
   * last insert wins). */
  latest = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < operation->len; i++)
    {
      StompyStackEvent *event = g_ptr_array_index (operation, i);

      if (event->logical_resource_id != NULL && event->resource_status != NULL)
        g_hash_table_insert (latest, event->logical_resource_id, event->resource_status);
    }

  g_hash_table_iter_init (&iter, latest);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_str_has_suffix (value, "_COMPLETE"))
      n_done++;

  n_total = resource_count > 0 ? resource_count + 1 : g_hash_table_size (latest);
  if (n_done > n_total)
    n_done = n_total;

  if (done != NULL)
    *done = n_done;
  if (total != NULL)
    *total = n_total;
}

char *
stompy_stack_events_failure_reason (GPtrArray  *events,
                                    const char *client_request_token,
                                    GDateTime  *since)
{
  g_autoptr(GPtrArray) operation = NULL;

  g_return_val_if_fail (events != NULL, NULL);

  operation = stompy_stack_events_of_operation (events, client_request_token, since);
  for (guint i = 0; i < operation->len; i++)
    {
      StompyStackEvent *event = g_ptr_array_index (operation, i);

      if (event->resource_status != NULL &&
          g_str_has_suffix (event->resource_status, "_FAILED") &&
          event->resource_status_reason != NULL && *event->resource_status_reason != '\0')
        return g_strdup_printf ("%s: %s",
                                event->logical_resource_id ? event->logical_resource_id : "?",
                                event->resource_status_reason);
    }

  return NULL;
}

/* ------------------------------------------------------------------ errors */

gboolean
stompy_cloudformation_error_is_not_found (const GError *error)
{
  return g_error_matches (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_NOT_FOUND);
}

gboolean
stompy_cloudformation_error_is_unusable (const GError *error)
{
  return g_error_matches (error, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_ALREADY_EXISTS) &&
         g_strcmp0 (stompy_aws_error_get_aws_code (error), STOMPY_STACK_UNUSABLE_CODE) == 0;
}

/* DescribeStacks and DescribeStackEvents say "no such stack" with a
 * ValidationError (§2.3); make it a NOT_FOUND the callers can test. */
static GError *
map_not_found (GError *error)
{
  const char *message = stompy_aws_error_get_aws_message (error);

  if (g_strcmp0 (stompy_aws_error_get_aws_code (error), "ValidationError") == 0 &&
      message != NULL && strstr (message, "does not exist") != NULL)
    {
      GError *mapped = stompy_aws_error_new_full (STOMPY_AWS_ERROR_NOT_FOUND,
                                                  stompy_aws_error_get_http_status (error),
                                                  "ValidationError", message,
                                                  stompy_aws_error_get_request_id (error));
      g_error_free (error);
      return mapped;
    }

  return error;
}

static GError *
malformed (const char *what)
{
  return stompy_aws_error_new_full (STOMPY_AWS_ERROR_MALFORMED_RESPONSE, 200, NULL, what, NULL);
}

/* ------------------------------------------------------------------ CreateStack */

static void
create_stack_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(StompyXmlNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *stack_id;

  node = stompy_aws_client_query_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  stack_id = stompy_xml_node_lookup_text (node, "StackId");
  if (stack_id == NULL || *stack_id == '\0')
    {
      g_task_return_error (task, malformed ("CreateStack answered without a StackId"));
      return;
    }

  g_task_return_pointer (task, g_strdup (stack_id), g_free);
}

void
stompy_cloudformation_create_stack_async (StompyAwsClient          *client,
                                          const StompyStackRequest *request,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GPtrArray) owned = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_cloudformation_create_stack_async);

  if (!stompy_stack_request_validate (request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Names built here are kept in @owned until the call has copied them. */
  owned = g_ptr_array_new_with_free_func (g_free);
  params = g_ptr_array_new ();
  g_ptr_array_add (params, "StackName");
  g_ptr_array_add (params, request->stack_name);
  g_ptr_array_add (params, "TemplateURL");
  g_ptr_array_add (params, request->template_url);
  for (guint i = 0; i < request->parameter_keys->len; i++)
    {
      char *key_name = g_strdup_printf ("Parameters.member.%u.ParameterKey", i + 1);
      char *value_name = g_strdup_printf ("Parameters.member.%u.ParameterValue", i + 1);

      g_ptr_array_add (owned, key_name);
      g_ptr_array_add (owned, value_name);
      g_ptr_array_add (params, key_name);
      g_ptr_array_add (params, g_ptr_array_index (request->parameter_keys, i));
      g_ptr_array_add (params, value_name);
      g_ptr_array_add (params, g_ptr_array_index (request->parameter_values, i));
    }
  /* The templates name their role (RoleName), which needs NAMED_IAM (§2.1). */
  g_ptr_array_add (params, "Capabilities.member.1");
  g_ptr_array_add (params, "CAPABILITY_NAMED_IAM");
  g_ptr_array_add (params, "OnFailure");
  g_ptr_array_add (params, "ROLLBACK");
  if (request->client_request_token != NULL)
    {
      g_ptr_array_add (params, "ClientRequestToken");
      g_ptr_array_add (params, request->client_request_token);
    }
  if (request->product != NULL)
    {
      g_ptr_array_add (params, "Tags.member.1.Key");
      g_ptr_array_add (params, "stompy:product");
      g_ptr_array_add (params, "Tags.member.1.Value");
      g_ptr_array_add (params, request->product);
    }
  g_ptr_array_add (params, NULL);

  g_debug ("CreateStack %s (token %s)", request->stack_name,
           request->client_request_token ? request->client_request_token : "none");

  stompy_aws_client_query_async (client, STOMPY_AWS_SERVICE_CLOUDFORMATION, "CreateStack",
                                 CFN_VERSION, (const char * const *) params->pdata,
                                 cancellable, create_stack_cb, g_object_ref (task));
}

char *
stompy_cloudformation_create_stack_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_cloudformation_create_stack_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ DescribeStacks */

static void
describe_stack_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(StompyXmlNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stacks = NULL;

  node = stompy_aws_client_query_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, map_not_found (g_steal_pointer (&error)));
      return;
    }

  stacks = stompy_stacks_from_xml (node);
  if (stacks->len == 0)
    {
      /* AWS answers an error rather than an empty list, but an empty list
       * means the same. */
      g_task_return_error (task,
                           stompy_aws_error_new_full (STOMPY_AWS_ERROR_NOT_FOUND, 200,
                                                      "ValidationError",
                                                      "DescribeStacks returned no stack", NULL));
      return;
    }

  if (((StompyStack *) stacks->pdata[0])->status == NULL)
    {
      g_task_return_error (task, malformed ("DescribeStacks answered a stack without status"));
      return;
    }

  g_task_return_pointer (task, g_ptr_array_steal_index (stacks, 0),
                         (GDestroyNotify) stompy_stack_free);
}

void
stompy_cloudformation_describe_stack_async (StompyAwsClient     *client,
                                            const char          *stack,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *params[] = { "StackName", stack, NULL };

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (stack != NULL && *stack != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_cloudformation_describe_stack_async);

  stompy_aws_client_query_async (client, STOMPY_AWS_SERVICE_CLOUDFORMATION, "DescribeStacks",
                                 CFN_VERSION, params, cancellable, describe_stack_cb,
                                 g_object_ref (task));
}

StompyStack *
stompy_cloudformation_describe_stack_finish (GAsyncResult  *result,
                                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_cloudformation_describe_stack_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ DescribeStackEvents */

typedef struct
{
  GPtrArray *events;
  char      *next_token;
} EventsPage;

static void
events_page_free (EventsPage *page)
{
  g_clear_pointer (&page->events, g_ptr_array_unref);
  g_free (page->next_token);
  g_free (page);
}

static void
describe_stack_events_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(StompyXmlNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EventsPage *page;

  node = stompy_aws_client_query_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, map_not_found (g_steal_pointer (&error)));
      return;
    }

  page = g_new0 (EventsPage, 1);
  page->events = stompy_stack_events_from_xml (node, &page->next_token);
  g_task_return_pointer (task, page, (GDestroyNotify) events_page_free);
}

void
stompy_cloudformation_describe_stack_events_async (StompyAwsClient     *client,
                                                   const char          *stack,
                                                   const char          *next_token,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *params[] = { "StackName", stack, "NextToken", next_token, NULL };

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (stack != NULL && *stack != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_cloudformation_describe_stack_events_async);

  if (next_token == NULL)
    params[2] = NULL;

  stompy_aws_client_query_async (client, STOMPY_AWS_SERVICE_CLOUDFORMATION,
                                 "DescribeStackEvents", CFN_VERSION, params, cancellable,
                                 describe_stack_events_cb, g_object_ref (task));
}

GPtrArray *
stompy_cloudformation_describe_stack_events_finish (GAsyncResult  *result,
                                                    char         **next_token,
                                                    GError       **error)
{
  EventsPage *page;
  GPtrArray *events;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_cloudformation_describe_stack_events_async, NULL);

  if (next_token != NULL)
    *next_token = NULL;

  page = g_task_propagate_pointer (G_TASK (result), error);
  if (page == NULL)
    return NULL;

  events = g_steal_pointer (&page->events);
  if (next_token != NULL)
    *next_token = g_steal_pointer (&page->next_token);
  events_page_free (page);

  return events;
}

/* ---- all pages ---- */

typedef struct
{
  StompyAwsClient *client;
  char            *stack;
  char            *stop_at_event_id;
  guint            max_pages;
  guint            n_requests;
  GPtrArray       *events;
} ListEventsData;

static void
list_events_data_free (ListEventsData *data)
{
  g_clear_object (&data->client);
  g_free (data->stack);
  g_free (data->stop_at_event_id);
  g_clear_pointer (&data->events, g_ptr_array_unref);
  g_free (data);
}

static void
list_events_page_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListEventsData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *next_token = NULL;
  g_autoptr(GError) error = NULL;
  gboolean stop = FALSE;

  page = stompy_cloudformation_describe_stack_events_finish (result, &next_token, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->n_requests++;

  for (guint i = 0; i < page->len && !stop; i++)
    {
      StompyStackEvent *event = g_ptr_array_index (page, i);

      if (data->stop_at_event_id != NULL &&
          g_strcmp0 (event->event_id, data->stop_at_event_id) == 0)
        stop = TRUE;
      else
        g_ptr_array_add (data->events, stompy_stack_event_copy (event));
    }

  if (stop || next_token == NULL ||
      (data->max_pages > 0 && data->n_requests >= data->max_pages))
    {
      g_task_return_pointer (task, g_steal_pointer (&data->events),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  stompy_cloudformation_describe_stack_events_async (data->client, data->stack, next_token,
                                                     g_task_get_cancellable (task),
                                                     list_events_page_cb,
                                                     g_object_ref (task));
}

void
stompy_cloudformation_list_stack_events_async (StompyAwsClient     *client,
                                               const char          *stack,
                                               const char          *stop_at_event_id,
                                               guint                max_pages,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListEventsData *data;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (stack != NULL && *stack != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_cloudformation_list_stack_events_async);

  data = g_new0 (ListEventsData, 1);
  data->client = g_object_ref (client);
  data->stack = g_strdup (stack);
  data->stop_at_event_id = g_strdup (stop_at_event_id);
  data->max_pages = max_pages;
  data->events = g_ptr_array_new_with_free_func ((GDestroyNotify) stompy_stack_event_free);
  g_task_set_task_data (task, data, (GDestroyNotify) list_events_data_free);

  stompy_cloudformation_describe_stack_events_async (client, stack, NULL, cancellable,
                                                     list_events_page_cb,
                                                     g_object_ref (task));
}

GPtrArray *
stompy_cloudformation_list_stack_events_finish (GAsyncResult  *result,
                                                guint         *n_requests,
                                                GError       **error)
{
  ListEventsData *data;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_cloudformation_list_stack_events_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (n_requests != NULL)
    *n_requests = data->n_requests;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ DeleteStack */

static void
delete_stack_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(StompyXmlNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = stompy_aws_client_query_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (node == NULL)
    g_task_return_error (task, map_not_found (g_steal_pointer (&error)));
  else
    g_task_return_boolean (task, TRUE);
}

void
stompy_cloudformation_delete_stack_async (StompyAwsClient     *client,
                                          const char          *stack,
                                          const char          *client_request_token,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *params[] = { "StackName", stack,
                           "ClientRequestToken", client_request_token, NULL };

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (stack != NULL && *stack != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_cloudformation_delete_stack_async);

  if (client_request_token == NULL)
    params[2] = NULL;

  stompy_aws_client_query_async (client, STOMPY_AWS_SERVICE_CLOUDFORMATION, "DeleteStack",
                                 CFN_VERSION, params, cancellable, delete_stack_cb,
                                 g_object_ref (task));
}

gboolean
stompy_cloudformation_delete_stack_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_cloudformation_delete_stack_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ ensure */

G_DEFINE_BOXED_TYPE (StompyEnsuredStack, stompy_ensured_stack,
                     stompy_ensured_stack_copy, stompy_ensured_stack_free)

StompyEnsuredStack *
stompy_ensured_stack_copy (const StompyEnsuredStack *self)
{
  StompyEnsuredStack *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyEnsuredStack, 1);
  copy->outcome = self->outcome;
  copy->stack = self->stack ? stompy_stack_copy (self->stack) : NULL;

  return copy;
}

void
stompy_ensured_stack_free (StompyEnsuredStack *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->stack, stompy_stack_free);
  g_free (self);
}

typedef struct
{
  StompyAwsClient    *client;
  StompyStackRequest *request;
  StompyStack        *stack;     /* an unusable stack being explained */
  gboolean            created;   /* CreateStack succeeded */
  gboolean            retried;   /* AlreadyExists after not found: described again */
} EnsureData;

static void
ensure_data_free (EnsureData *data)
{
  g_clear_object (&data->client);
  g_clear_pointer (&data->request, stompy_stack_request_free);
  g_clear_pointer (&data->stack, stompy_stack_free);
  g_free (data);
}

static void ensure_describe_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
return_ensured (GTask              *task,
                StompyStackOutcome  outcome,
                StompyStack        *stack)
{
  StompyEnsuredStack *ensured = g_new0 (StompyEnsuredStack, 1);

  ensured->outcome = outcome;
  ensured->stack = stack;
  g_task_return_pointer (task, ensured, (GDestroyNotify) stompy_ensured_stack_free);
}

static void
return_unusable (GTask       *task,
                 StompyStack *stack,
                 const char  *reason)
{
  g_autofree char *message = NULL;

  if (reason == NULL)
    reason = stack->status_reason;
  if (reason == NULL)
    reason = stack->status;

  g_debug ("Stack %s exists in state %s and cannot be reused: %s",
           stack->stack_name, stack->status, reason);
  message = g_strdup (reason);
  g_task_return_error (task,
                       stompy_aws_error_new_full (STOMPY_AWS_ERROR_ALREADY_EXISTS, 0,
                                                  STOMPY_STACK_UNUSABLE_CODE, message, NULL));
}

static void
ensure_events_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  events = stompy_cloudformation_list_stack_events_finish (result, NULL, &error);
  if (events == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* The status reason still explains something. */
      g_debug ("Could not read the events of %s: %s", data->stack->stack_name, error->message);
    }
  else
    {
      /* The stack's last operation began at its creation or last update. */
      GDateTime *since = data->stack->last_updated_time ? data->stack->last_updated_time
                                                        : data->stack->creation_time;

      reason = stompy_stack_events_failure_reason (events, NULL, since);
    }

  return_unusable (task, data->stack, reason);
}

static void
ensure_existing (GTask       *task,
                 StompyStack *stack)
{
  EnsureData *data = g_task_get_task_data (task);

  if (stack->state == STOMPY_STACK_STATE_IN_PROGRESS)
    {
      return_ensured (task, data->created ? STOMPY_STACK_OUTCOME_CREATED
                                          : STOMPY_STACK_OUTCOME_IN_PROGRESS, stack);
      return;
    }

  if (stompy_stack_status_is_stable (stack->status))
    {
      if (stack->role_arn == NULL)
        {
          return_unusable (task, stack, "The stack has no RoleArn output: it was not created "
                                        "from this product's template");
          stompy_stack_free (stack);
          return;
        }

      return_ensured (task, data->created ? STOMPY_STACK_OUTCOME_CREATED
                                          : STOMPY_STACK_OUTCOME_REUSED, stack);
      return;
    }

  /* ROLLBACK_COMPLETE, *_FAILED, REVIEW_IN_PROGRESS, or (described by name)
   * never DELETE_COMPLETE: explain it from its events. */
  data->stack = stack;
  stompy_cloudformation_list_stack_events_async (data->client,
                                                 stack->stack_id ? stack->stack_id
                                                                 : stack->stack_name,
                                                 NULL, ENSURE_MAX_EVENT_PAGES,
                                                 g_task_get_cancellable (task),
                                                 ensure_events_cb, g_object_ref (task));
}

static void
ensure_create_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *stack_id = NULL;

  stack_id = stompy_cloudformation_create_stack_finish (result, &error);
  if (stack_id == NULL)
    {
      /* Someone created it between our look and our create: look again,
       * once. */
      if (g_strcmp0 (stompy_aws_error_get_aws_code (error), "AlreadyExistsException") == 0 &&
          !data->retried)
        {
          data->retried = TRUE;
          stompy_cloudformation_describe_stack_async (data->client, data->request->stack_name,
                                                      g_task_get_cancellable (task),
                                                      ensure_describe_cb, g_object_ref (task));
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->created = TRUE;
  g_debug ("Created stack %s", stack_id);
  stompy_cloudformation_describe_stack_async (data->client, stack_id,
                                              g_task_get_cancellable (task),
                                              ensure_describe_cb, g_object_ref (task));
}

static void
ensure_describe_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  StompyStack *stack;

  stack = stompy_cloudformation_describe_stack_finish (result, &error);
  if (stack == NULL)
    {
      if (stompy_cloudformation_error_is_not_found (error) && !data->created && !data->retried)
        {
          stompy_cloudformation_create_stack_async (data->client, data->request,
                                                    g_task_get_cancellable (task),
                                                    ensure_create_cb, g_object_ref (task));
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ensure_existing (task, stack);
}

void
stompy_cloudformation_ensure_stack_async (StompyAwsClient          *client,
                                          const StompyStackRequest *request,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  EnsureData *data;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_cloudformation_ensure_stack_async);

  if (!stompy_stack_request_validate (request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (EnsureData, 1);
  data->client = g_object_ref (client);
  data->request = stompy_stack_request_copy (request);
  g_task_set_task_data (task, data, (GDestroyNotify) ensure_data_free);

  stompy_cloudformation_describe_stack_async (client, request->stack_name, cancellable,
                                              ensure_describe_cb, g_object_ref (task));
}

StompyEnsuredStack *
stompy_cloudformation_ensure_stack_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_cloudformation_ensure_stack_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ quick-create link */

static void
append_query (GString    *url,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (url->str[url->len - 1] != '?')
    g_string_append_c (url, '&');
  g_string_append (url, name);
  g_string_append_c (url, '=');
  g_string_append (url, escaped);
}

char *
stompy_cloudformation_quick_create_url (const char               *region,
                                        const StompyStackRequest *request)
{
  GString *url;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (region != NULL && stompy_aws_region_is_valid (region), NULL);

  /* §3.1: region in both the host and the query; the console reads the
   * values from the fragment, each RFC 3986 encoded (unreserved kept). */
  url = g_string_new (NULL);
  g_string_append_printf (url, "https://%s.console.aws.amazon.com/cloudformation/home?region=%s"
                               "#/stacks/create/review?", region, region);
  append_query (url, "templateURL", request->template_url);
  append_query (url, "stackName", request->stack_name);
  for (guint i = 0; i < request->parameter_keys->len; i++)
    {
      g_autofree char *escaped_key = g_uri_escape_string (request->parameter_keys->pdata[i],
                                                          NULL, FALSE);
      g_autofree char *name = g_strconcat ("param_", escaped_key, NULL);

      append_query (url, name, request->parameter_values->pdata[i]);
    }

  return g_string_free (url, FALSE);
}

/* ------------------------------------------------------------------ role ARN */

const char *
stompy_role_arn_problem_to_string (StompyRoleArnProblem problem)
{
  switch (problem)
    {
    case STOMPY_ROLE_ARN_OK:            return "ok";
    case STOMPY_ROLE_ARN_EMPTY:         return "empty";
    case STOMPY_ROLE_ARN_WHITESPACE:    return "whitespace";
    case STOMPY_ROLE_ARN_NOT_ARN:       return "not-arn";
    case STOMPY_ROLE_ARN_NOT_IAM:       return "not-iam";
    case STOMPY_ROLE_ARN_NOT_ROLE:      return "not-role";
    case STOMPY_ROLE_ARN_WRONG_ACCOUNT: return "wrong-account";
    case STOMPY_ROLE_ARN_BAD_NAME:      return "bad-name";
    default:                            return "unknown";
    }
}

/* IAM role names: [\w+=,.@-]{1,64} (ASCII word characters). */
static gboolean
role_name_is_valid (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > 64)
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_+=,.@-", *p) == NULL)
      return FALSE;

  return TRUE;
}

/* IAM paths: "/" or "/…/" of printable ASCII (\u0021-\u007E), ≤ 512. */
static gboolean
role_path_is_valid (const char *path,
                    gsize       length)
{
  /* (\u002F)|(\u002F[\u0021-\u007E]+\u002F): "//" is not a path. */
  if (length == 0 || length == 2 || length > 512 || path[0] != '/' || path[length - 1] != '/')
    return FALSE;

  for (gsize i = 0; i < length; i++)
    if (path[i] < 0x21 || path[i] > 0x7e)
      return FALSE;

  return TRUE;
}

static gboolean
is_twelve_digits (const char *text)
{
  if (strlen (text) != 12)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

StompyRoleArnProblem
stompy_role_arn_check (const char  *text,
                       const char  *expected_account,
                       char       **found_account)
{
  g_auto(GStrv) parts = NULL;
  const char *resource;
  const char *slash;

  if (found_account != NULL)
    *found_account = NULL;

  if (text == NULL || *text == '\0')
    return STOMPY_ROLE_ARN_EMPTY;

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return STOMPY_ROLE_ARN_WHITESPACE;

  /* arn:partition:service:region:account:resource — the resource may hold
   * more colons, so split into six at most. */
  parts = g_strsplit (text, ":", 6);
  if (g_strv_length (parts) != 6 || !g_str_equal (parts[0], "arn") ||
      (!g_str_equal (parts[1], "aws") && !g_str_equal (parts[1], "aws-cn") &&
       !g_str_equal (parts[1], "aws-us-gov")) ||
      parts[2][0] == '\0' || parts[5][0] == '\0')
    return STOMPY_ROLE_ARN_NOT_ARN;

  if (found_account != NULL && parts[4][0] != '\0')
    *found_account = g_strdup (parts[4]);

  if (!g_str_equal (parts[2], "iam"))
    return STOMPY_ROLE_ARN_NOT_IAM;

  /* IAM is global: its ARNs have no region. */
  if (parts[3][0] != '\0')
    return STOMPY_ROLE_ARN_NOT_ARN;

  resource = parts[5];
  if (!g_str_has_prefix (resource, "role/"))
    return STOMPY_ROLE_ARN_NOT_ROLE;

  if (!is_twelve_digits (parts[4]) ||
      (expected_account != NULL && !g_str_equal (parts[4], expected_account)))
    return STOMPY_ROLE_ARN_WRONG_ACCOUNT;

  /* role/<path/>name: the path is everything up to the last slash. */
  slash = strrchr (resource, '/');
  if (!role_path_is_valid (resource + strlen ("role"), slash - resource - strlen ("role") + 1) ||
      !role_name_is_valid (slash + 1))
    return STOMPY_ROLE_ARN_BAD_NAME;

  return STOMPY_ROLE_ARN_OK;
}
