/* stompy-json-utf8.c — see stompy-json-utf8.h */

#include "config.h"

#include "stompy-json-utf8.h"

gboolean
stompy_json_node_is_utf8 (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    return json_node_get_value_type (node) != G_TYPE_STRING ||
           g_utf8_validate (json_node_get_string (node), -1, NULL);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!stompy_json_node_is_utf8 (json_array_get_element (array, i)))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        if (!g_utf8_validate (name, -1, NULL) || !stompy_json_node_is_utf8 (member))
          return FALSE;
    }

  return TRUE;
}
