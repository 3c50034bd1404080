/* stompy-json-read.c — strict readers for the state file's JSON members */
#include "config.h"

#include <string.h>

#include "stompy-json-read.h"
#include "stompy-validate.h"

gboolean
stompy_json_read_string (JsonObject  *object,
                         const char  *name,
                         char       **out,
                         char       **problem)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *problem = g_strdup_printf ("\"%s\" is not a string", name);
      return FALSE;
    }

  value = json_node_get_string (node);
  if (strlen (value) > STOMPY_JSON_STRING_MAX || !g_utf8_validate (value, -1, NULL))
    {
      *problem = g_strdup_printf ("\"%s\" is too long or not UTF-8", name);
      return FALSE;
    }
  for (const char *p = value; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          *problem = g_strdup_printf ("\"%s\" contains a control character", name);
          return FALSE;
        }
    }

  if (*value != '\0')
    *out = g_strdup (value);
  return TRUE;
}

gboolean
stompy_json_read_account_id (JsonObject  *object,
                             const char  *name,
                             char       **out,
                             char       **problem)
{
  if (!stompy_json_read_string (object, name, out, problem))
    return FALSE;

  if (*out != NULL && !stompy_validate_account_id (*out, NULL, NULL))
    {
      g_clear_pointer (out, g_free);
      *problem = g_strdup_printf ("\"%s\" is not a 12-digit account id", name);
      return FALSE;
    }

  return TRUE;
}

gboolean
stompy_json_read_enum (JsonObject  *object,
                       const char  *name,
                       GType        type,
                       int          fallback,
                       int         *out,
                       char       **problem)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *value;

  *out = fallback;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *problem = g_strdup_printf ("\"%s\" is not a string", name);
      return FALSE;
    }

  klass = g_type_class_ref (type);
  value = g_enum_get_value_by_nick (klass, json_node_get_string (node));
  if (value == NULL)
    {
      *problem = g_strdup_printf ("\"%s\" has an unknown value", name);
      return FALSE;
    }

  *out = value->value;
  return TRUE;
}

gboolean
stompy_json_read_boolean (JsonObject  *object,
                          const char  *name,
                          gboolean    *out,
                          char       **problem)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      *problem = g_strdup_printf ("\"%s\" is not a boolean", name);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
stompy_json_read_object (JsonObject  *object,
                         const char  *name,
                         JsonObject **out,
                         char       **problem)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *problem = g_strdup_printf ("\"%s\" is not an object", name);
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

void
stompy_json_add_string (JsonBuilder *builder,
                        const char  *name,
                        const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
stompy_json_add_enum (JsonBuilder *builder,
                      const char  *name,
                      GType        type,
                      int          value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  g_return_if_fail (enum_value != NULL);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, enum_value->value_nick);
}

void
stompy_json_add_boolean (JsonBuilder *builder,
                         const char  *name,
                         gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}
