/* stompy-aws-json-list.c — see stompy-aws-json-list.h */

#include "config.h"

#include <string.h>

#include "stompy-aws-json-list.h"
#include "stompy-error.h"
#include "stompy-json-member.h"

#define MAX_PAGES 1000

typedef struct
{
  StompyAwsService       service;
  const char            *target;
  const char            *items_member;
  guint                  max_results;
  StompyAwsJsonItemFunc  parse_item;
  GPtrArray             *items;
  char                  *next_token;
  guint                  pages;
} List;

static void
list_free (List *list)
{
  g_clear_pointer (&list->items, g_ptr_array_unref);
  g_free (list->next_token);
  g_free (list);
}

static void send_page (GTask *task);

/* The operation's name, for messages: the target without its service prefix. */
static const char *
operation (List *list)
{
  const char *dot = strrchr (list->target, '.');

  return dot != NULL ? dot + 1 : list->target;
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  List *list = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *items;
  const char *token;

  root = stompy_aws_client_json_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  items = object != NULL ? json_object_get_member (object, list->items_member) : NULL;
  if (items != NULL && !JSON_NODE_HOLDS_ARRAY (items) && !JSON_NODE_HOLDS_NULL (items))
    {
      g_task_return_new_error (task, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                               "%s: %s is not an array", operation (list), list->items_member);
      return;
    }

  if (items != NULL && JSON_NODE_HOLDS_ARRAY (items))
    {
      JsonArray *array = json_node_get_array (items);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          gpointer item;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;

          item = list->parse_item (json_node_get_object (element), &error);
          if (error != NULL)
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
          if (item != NULL)
            g_ptr_array_add (list->items, item);
        }
    }

  token = stompy_json_member_string (object, "NextToken");
  if (token != NULL && *token != '\0')
    {
      /* A server that hands back the same token would page forever. */
      if (g_strcmp0 (token, list->next_token) == 0 || ++list->pages >= MAX_PAGES)
        {
          g_task_return_new_error (task, STOMPY_AWS_ERROR, STOMPY_AWS_ERROR_MALFORMED_RESPONSE,
                                   "%s does not stop paging", operation (list));
          return;
        }

      g_free (list->next_token);
      list->next_token = g_strdup (token);
      send_page (g_steal_pointer (&task));
      return;
    }

  g_debug ("%s: %u item(s) in %u page(s)", operation (list), list->items->len, list->pages + 1);
  g_task_return_pointer (task, g_steal_pointer (&list->items),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
send_page (GTask *task)
{
  List *list = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  if (list->max_results != 0)
    {
      json_builder_set_member_name (builder, "MaxResults");
      json_builder_add_int_value (builder, list->max_results);
    }
  if (list->next_token != NULL)
    {
      json_builder_set_member_name (builder, "NextToken");
      json_builder_add_string_value (builder, list->next_token);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  stompy_aws_client_json_async (g_task_get_source_object (task), list->service, list->target,
                                body, g_task_get_cancellable (task), page_cb, task);
}

void
stompy_aws_json_list_async (StompyAwsClient       *client,
                            StompyAwsService       service,
                            const char            *target,
                            const char            *items_member,
                            guint                  max_results,
                            StompyAwsJsonItemFunc  parse_item,
                            GDestroyNotify         item_free,
                            gpointer               source_tag,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  List *list;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (target != NULL && items_member != NULL && parse_item != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  list = g_new0 (List, 1);
  list->service = service;
  list->target = target;
  list->items_member = items_member;
  list->max_results = max_results;
  list->parse_item = parse_item;
  list->items = g_ptr_array_new_with_free_func (item_free);
  g_task_set_task_data (task, list, (GDestroyNotify) list_free);

  send_page (g_steal_pointer (&task));
}

GPtrArray *
stompy_aws_json_list_finish (GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
