/* stompy-template.c — what a CloudFormation template grants, read from the template
 *
 * Only the parts of the template format the run-template step shows are read
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html):
 * Parameters, Resources (their count, and the IAM roles with their trust and
 * inline policies, plus AWS::IAM::Policy/ManagedPolicy resources attached to
 * them) and Outputs.
 */
#include "config.h"

#include <string.h>

#include "stompy-error.h"
#include "stompy-json-member.h"
#include "stompy-http.h"
#include "stompy-json-utf8.h"
#include "stompy-template.h"

#define READ_CHUNK_SIZE (64 * 1024)

struct _StompyTemplate
{
  gatomicrefcount  ref_count;
  JsonNode        *root;
  char            *description;
  guint            resource_count;
  GPtrArray       *parameters;
  GPtrArray       *roles;
  GStrv            outputs;
};

G_DEFINE_BOXED_TYPE (StompyTemplate, stompy_template, stompy_template_ref, stompy_template_unref)

/* ------------------------------------------------------------------ frees */

static void
parameter_free (StompyTemplateParameter *parameter)
{
  g_free (parameter->name);
  g_free (parameter->type);
  g_free (parameter->description);
  g_free (parameter->default_value);
  g_free (parameter);
}

static void
condition_free (StompyTemplateCondition *condition)
{
  g_free (condition->op);
  g_free (condition->key);
  g_strfreev (condition->values);
  g_free (condition);
}

static void
statement_free (StompyTemplateStatement *statement)
{
  g_free (statement->policy_name);
  g_free (statement->sid);
  g_strfreev (statement->actions);
  g_strfreev (statement->resources);
  g_strfreev (statement->principals);
  g_clear_pointer (&statement->conditions, g_ptr_array_unref);
  g_free (statement);
}

static void
role_free (StompyTemplateRole *role)
{
  g_free (role->logical_id);
  g_free (role->role_name);
  g_strfreev (role->trust_principals);
  g_free (role->external_id);
  g_clear_pointer (&role->trust_statements, g_ptr_array_unref);
  g_clear_pointer (&role->statements, g_ptr_array_unref);
  g_strfreev (role->managed_policy_arns);
  g_free (role);
}

StompyTemplate *
stompy_template_ref (StompyTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
stompy_template_unref (StompyTemplate *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->root, json_node_unref);
  g_free (self->description);
  g_clear_pointer (&self->parameters, g_ptr_array_unref);
  g_clear_pointer (&self->roles, g_ptr_array_unref);
  g_strfreev (self->outputs);
  g_free (self);
}

/* ------------------------------------------------------------------ rendering */

char *
stompy_template_render_value (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);

      if (json_object_get_size (object) == 1)
        {
          JsonNode *value;

          if ((value = json_object_get_member (object, "Ref")) != NULL &&
              JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            return g_strdup_printf ("${%s}", json_node_get_string (value));

          if ((value = json_object_get_member (object, "Fn::Sub")) != NULL)
            {
              /* "Fn::Sub": "s" or ["s", {vars}]: the string is what is shown. */
              if (JSON_NODE_HOLDS_VALUE (value) &&
                  json_node_get_value_type (value) == G_TYPE_STRING)
                return g_strdup (json_node_get_string (value));
              if (JSON_NODE_HOLDS_ARRAY (value) &&
                  json_array_get_length (json_node_get_array (value)) >= 1)
                return stompy_template_render_value (
                  json_array_get_element (json_node_get_array (value), 0));
            }

          if ((value = json_object_get_member (object, "Fn::GetAtt")) != NULL &&
              JSON_NODE_HOLDS_ARRAY (value) &&
              json_array_get_length (json_node_get_array (value)) == 2)
            {
              g_autofree char *resource = stompy_template_render_value (
                json_array_get_element (json_node_get_array (value), 0));
              g_autofree char *attribute = stompy_template_render_value (
                json_array_get_element (json_node_get_array (value), 1));

              return g_strdup_printf ("${%s.%s}", resource, attribute);
            }

          if ((value = json_object_get_member (object, "Fn::Join")) != NULL &&
              JSON_NODE_HOLDS_ARRAY (value) &&
              json_array_get_length (json_node_get_array (value)) == 2 &&
              JSON_NODE_HOLDS_ARRAY (json_array_get_element (json_node_get_array (value), 1)))
            {
              JsonArray *args = json_node_get_array (value);
              g_autofree char *separator = stompy_template_render_value (
                json_array_get_element (args, 0));
              JsonArray *parts = json_node_get_array (json_array_get_element (args, 1));
              GString *joined = g_string_new (NULL);

              for (guint i = 0; i < json_array_get_length (parts); i++)
                {
                  g_autofree char *part = stompy_template_render_value (
                    json_array_get_element (parts, i));

                  if (i > 0)
                    g_string_append (joined, separator);
                  g_string_append (joined, part);
                }

              return g_string_free (joined, FALSE);
            }
        }
    }

  return json_to_string (node, FALSE);
}

/* g_strv_builder_take() is GLib 2.80. */
static void
builder_take (GStrvBuilder *builder,
              char         *value)
{
  g_strv_builder_add (builder, value);
  g_free (value);
}

/* A string, an intrinsic, or an array of them → a NULL-terminated list. */
static GStrv
render_list (JsonNode *node)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node == NULL)
    return g_strv_builder_end (builder);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        builder_take (builder, stompy_template_render_value (json_array_get_element (array, i)));
    }
  else
    {
      builder_take (builder, stompy_template_render_value (node));
    }

  return g_strv_builder_end (builder);
}

/* ------------------------------------------------------------------ statements */

static GStrv
render_principals (JsonNode *node)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node == NULL)
    return g_strv_builder_end (builder);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) kinds = json_object_get_members (object);

      for (GList *l = kinds; l != NULL; l = l->next)
        {
          g_auto(GStrv) values = render_list (json_object_get_member (object, l->data));

          /* AWS principals as they are; others (Service, Federated) with
           * their kind, so that they cannot pass for an account. */
          for (guint i = 0; values[i] != NULL; i++)
            {
              if (g_str_equal (l->data, "AWS"))
                g_strv_builder_add (builder, values[i]);
              else
                builder_take (builder, g_strdup_printf ("%s:%s", (char *) l->data,
                                                               values[i]));
            }
        }
    }
  else
    {
      g_auto(GStrv) values = render_list (node);

      g_strv_builder_addv (builder, (const char **) values);
    }

  return g_strv_builder_end (builder);
}

static GPtrArray *
parse_conditions (JsonNode *node)
{
  GPtrArray *conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) condition_free);
  JsonObject *operators;
  g_autoptr(GList) ops = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return conditions;

  operators = json_node_get_object (node);
  ops = json_object_get_members (operators);
  for (GList *l = ops; l != NULL; l = l->next)
    {
      JsonObject *keys = stompy_json_member_object (operators, l->data);
      g_autoptr(GList) names = NULL;

      if (keys == NULL)
        continue;

      names = json_object_get_members (keys);
      for (GList *k = names; k != NULL; k = k->next)
        {
          StompyTemplateCondition *condition = g_new0 (StompyTemplateCondition, 1);

          condition->op = g_strdup (l->data);
          condition->key = g_strdup (k->data);
          condition->values = render_list (json_object_get_member (keys, k->data));
          g_ptr_array_add (conditions, condition);
        }
    }

  return conditions;
}

static StompyTemplateStatement *
parse_statement (JsonObject *object,
                 const char *policy_name)
{
  StompyTemplateStatement *statement = g_new0 (StompyTemplateStatement, 1);
  JsonNode *actions = json_object_get_member (object, "Action");

  statement->policy_name = g_strdup (policy_name);
  statement->sid = g_strdup (stompy_json_member_string (object, "Sid"));
  statement->allow = g_strcmp0 (stompy_json_member_string (object, "Effect"), "Allow") == 0;
  if (actions == NULL)
    {
      actions = json_object_get_member (object, "NotAction");
      statement->not_action = actions != NULL;
    }
  statement->actions = render_list (actions);
  statement->resources = render_list (json_object_get_member (object, "Resource"));
  statement->principals = render_principals (json_object_get_member (object, "Principal"));
  statement->conditions = parse_conditions (json_object_get_member (object, "Condition"));

  return statement;
}

/* Statement is an object or an array of objects. */
static void
parse_document (JsonObject *document,
                const char *policy_name,
                GPtrArray  *into)
{
  JsonNode *statements;

  if (document == NULL)
    return;

  statements = json_object_get_member (document, "Statement");
  if (statements == NULL)
    return;

  if (JSON_NODE_HOLDS_OBJECT (statements))
    {
      g_ptr_array_add (into, parse_statement (json_node_get_object (statements), policy_name));
    }
  else if (JSON_NODE_HOLDS_ARRAY (statements))
    {
      JsonArray *array = json_node_get_array (statements);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            g_ptr_array_add (into, parse_statement (json_node_get_object (element), policy_name));
        }
    }
}

static const StompyTemplateCondition *
find_condition (const StompyTemplateStatement *statement,
                const char                    *op,
                const char                    *key)
{
  for (guint i = 0; i < statement->conditions->len; i++)
    {
      const StompyTemplateCondition *condition = g_ptr_array_index (statement->conditions, i);

      if (g_str_equal (condition->op, op) && g_ascii_strcasecmp (condition->key, key) == 0)
        return condition;
    }

  return NULL;
}

static StompyTemplateRole *
parse_role (const char *logical_id,
            JsonObject *properties)
{
  StompyTemplateRole *role = g_new0 (StompyTemplateRole, 1);
  g_autoptr(GStrvBuilder) principals = g_strv_builder_new ();
  JsonNode *policies;
  JsonNode *name;
  gboolean any_allow = FALSE;

  role->logical_id = g_strdup (logical_id);
  name = properties ? json_object_get_member (properties, "RoleName") : NULL;
  role->role_name = name ? stompy_template_render_value (name) : NULL;
  role->trust_statements = g_ptr_array_new_with_free_func ((GDestroyNotify) statement_free);
  role->statements = g_ptr_array_new_with_free_func ((GDestroyNotify) statement_free);

  parse_document (stompy_json_member_object (properties, "AssumeRolePolicyDocument"), NULL,
                  role->trust_statements);

  role->external_id_required = role->trust_statements->len > 0;
  for (guint i = 0; i < role->trust_statements->len; i++)
    {
      StompyTemplateStatement *statement = g_ptr_array_index (role->trust_statements, i);
      const StompyTemplateCondition *external_id;

      if (!statement->allow)
        continue;

      any_allow = TRUE;
      g_strv_builder_addv (principals, (const char **) statement->principals);
      external_id = find_condition (statement, "StringEquals", "sts:ExternalId");
      if (external_id == NULL || external_id->values[0] == NULL)
        role->external_id_required = FALSE;
      else if (role->external_id == NULL)
        role->external_id = g_strdup (external_id->values[0]);
    }
  role->external_id_required = role->external_id_required && any_allow;
  role->trust_principals = g_strv_builder_end (principals);

  policies = properties ? json_object_get_member (properties, "Policies") : NULL;
  if (policies != NULL && JSON_NODE_HOLDS_ARRAY (policies))
    {
      JsonArray *array = json_node_get_array (policies);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *policy;
          g_autofree char *policy_name = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;

          policy = json_node_get_object (element);
          policy_name = stompy_template_render_value (json_object_get_member (policy,
                                                                              "PolicyName"));
          parse_document (stompy_json_member_object (policy, "PolicyDocument"), policy_name,
                          role->statements);
        }
    }

  role->managed_policy_arns =
    render_list (properties ? json_object_get_member (properties, "ManagedPolicyArns") : NULL);

  return role;
}

/* An AWS::IAM::Policy or ManagedPolicy lists the roles it attaches to as
 * {"Ref": "<logical id>"} (or a literal role name). */
static gboolean
policy_attaches_to (JsonObject               *properties,
                    const StompyTemplateRole *role)
{
  g_auto(GStrv) roles = render_list (json_object_get_member (properties, "Roles"));
  g_autofree char *ref = g_strdup_printf ("${%s}", role->logical_id);

  for (guint i = 0; roles[i] != NULL; i++)
    if (g_str_equal (roles[i], ref) ||
        (role->role_name != NULL && g_str_equal (roles[i], role->role_name)))
      return TRUE;

  return FALSE;
}

/* ------------------------------------------------------------------ parse */

StompyTemplate *
stompy_template_parse (const char  *data,
                       gssize       length,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(StompyTemplate) self = NULL;
  g_autoptr(GStrvBuilder) outputs = g_strv_builder_new ();
  JsonObject *root;
  JsonObject *parameters;
  JsonObject *resources;
  JsonObject *output_object;
  g_autoptr(GList) names = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib quotes the bad bytes, which may not be UTF-8 (found by fuzzing). */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "The template is not JSON: %s", reason);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      (resources = stompy_json_member_object (json_node_get_object (json_parser_get_root (parser)),
                                  "Resources")) == NULL)
    {
      g_set_error_literal (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                           "The template is not a CloudFormation template (no Resources object)");
      return NULL;
    }

  if (!stompy_json_node_is_utf8 (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                           "The template has text that is not valid Unicode");
      return NULL;
    }

  self = g_new0 (StompyTemplate, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->root = json_node_ref (json_parser_get_root (parser));
  root = json_node_get_object (self->root);
  self->description = g_strdup (stompy_json_member_string (root, "Description"));
  self->resource_count = json_object_get_size (resources);
  self->parameters = g_ptr_array_new_with_free_func ((GDestroyNotify) parameter_free);
  self->roles = g_ptr_array_new_with_free_func ((GDestroyNotify) role_free);

  parameters = stompy_json_member_object (root, "Parameters");
  if (parameters != NULL)
    {
      names = json_object_get_members (parameters);
      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonObject *definition = stompy_json_member_object (parameters, l->data);
          StompyTemplateParameter *parameter;
          JsonNode *no_echo;
          JsonNode *default_value;

          if (definition == NULL)
            continue;

          parameter = g_new0 (StompyTemplateParameter, 1);
          parameter->name = g_strdup (l->data);
          parameter->type = g_strdup (stompy_json_member_string (definition, "Type"));
          parameter->description = g_strdup (stompy_json_member_string (definition, "Description"));
          default_value = json_object_get_member (definition, "Default");
          parameter->default_value = default_value ? stompy_template_render_value (default_value)
                                                   : NULL;
          /* NoEcho may be written as true or "true". */
          no_echo = json_object_get_member (definition, "NoEcho");
          if (no_echo != NULL)
            {
              g_autofree char *text = stompy_template_render_value (no_echo);

              parameter->no_echo = g_ascii_strcasecmp (text, "true") == 0;
            }
          g_ptr_array_add (self->parameters, parameter);
        }
      g_clear_pointer (&names, g_list_free);
    }

  names = json_object_get_members (resources);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *resource = stompy_json_member_object (resources, l->data);

      if (g_strcmp0 (stompy_json_member_string (resource, "Type"), "AWS::IAM::Role") == 0)
        g_ptr_array_add (self->roles,
                         parse_role (l->data, stompy_json_member_object (resource, "Properties")));
    }

  /* Separate policy resources, after every role is known. */
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *resource = stompy_json_member_object (resources, l->data);
      const char *type = stompy_json_member_string (resource, "Type");
      JsonObject *properties = stompy_json_member_object (resource, "Properties");

      if (properties == NULL ||
          (g_strcmp0 (type, "AWS::IAM::Policy") != 0 &&
           g_strcmp0 (type, "AWS::IAM::ManagedPolicy") != 0))
        continue;

      for (guint i = 0; i < self->roles->len; i++)
        {
          StompyTemplateRole *role = g_ptr_array_index (self->roles, i);

          if (policy_attaches_to (properties, role))
            {
              JsonNode *name = json_object_get_member (properties, "PolicyName");
              g_autofree char *policy_name = name ? stompy_template_render_value (name)
                                                  : g_strdup (l->data);

              parse_document (stompy_json_member_object (properties, "PolicyDocument"), policy_name,
                              role->statements);
            }
        }
    }
  g_clear_pointer (&names, g_list_free);

  output_object = stompy_json_member_object (root, "Outputs");
  if (output_object != NULL)
    {
      names = json_object_get_members (output_object);
      for (GList *l = names; l != NULL; l = l->next)
        g_strv_builder_add (outputs, l->data);
    }
  self->outputs = g_strv_builder_end (outputs);

  return g_steal_pointer (&self);
}

const char *
stompy_template_get_description (StompyTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->description;
}

guint
stompy_template_get_resource_count (StompyTemplate *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->resource_count;
}

GPtrArray *
stompy_template_get_parameters (StompyTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->parameters;
}

const StompyTemplateParameter *
stompy_template_get_parameter (StompyTemplate *self,
                               const char     *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->parameters->len; i++)
    {
      const StompyTemplateParameter *parameter = g_ptr_array_index (self->parameters, i);

      if (g_strcmp0 (parameter->name, name) == 0)
        return parameter;
    }

  return NULL;
}

GPtrArray *
stompy_template_get_roles (StompyTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->roles;
}

const char * const *
stompy_template_get_outputs (StompyTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->outputs;
}

gboolean
stompy_template_has_output (StompyTemplate *self,
                            const char     *name)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return name != NULL && g_strv_contains ((const char * const *) self->outputs, name);
}

JsonNode *
stompy_template_get_root (StompyTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->root;
}

/* ------------------------------------------------------------------ fetch */

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->message);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_free (data);
}

static void
fetch_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;
  StompyTemplate *template;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task,
                             stompy_aws_error_new_full (STOMPY_AWS_ERROR_NETWORK, 0, NULL,
                                                        error->message, NULL));
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      g_byte_array_append (data->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      if (data->body->len > STOMPY_TEMPLATE_MAX_SIZE)
        {
          g_task_return_new_error (task, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                                   "The template is larger than %u bytes",
                                   (guint) STOMPY_TEMPLATE_MAX_SIZE);
          return;
        }

      g_input_stream_read_bytes_async (data->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (task), fetch_read_cb,
                                       g_object_ref (task));
      return;
    }

  template = stompy_template_parse ((const char *) data->body->data, data->body->len, &error);
  if (template == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, template, (GDestroyNotify) stompy_template_unref);
}

static void
fetch_send_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  SoupMessage *message = data->message;
  g_autoptr(GError) error = NULL;
  guint status;
  goffset length;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task,
                             stompy_aws_error_new_full (stompy_http_error_is_certificate (error)
                                                        ? STOMPY_AWS_ERROR_TLS_CERTIFICATE
                                                        : STOMPY_AWS_ERROR_NETWORK, 0, NULL,
                                                        error->message, NULL));
      return;
    }

  status = soup_message_get_status (message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task,
                           stompy_aws_error_new (status, NULL,
                                                 soup_message_get_reason_phrase (message),
                                                 NULL));
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (message));
  if (length > STOMPY_TEMPLATE_MAX_SIZE)
    {
      g_task_return_new_error (task, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                               "The template is larger than %u bytes",
                               (guint) STOMPY_TEMPLATE_MAX_SIZE);
      return;
    }

  data->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), fetch_read_cb,
                                   g_object_ref (task));
}

void
stompy_template_fetch_async (SoupSession         *session,
                             const char          *url,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  FetchData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_template_fetch_async);
  data = g_new0 (FetchData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  if (!stompy_http_check_endpoint (url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->message = soup_message_new (SOUP_METHOD_GET, url);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                               "“%s” is not a URL", url);
      return;
    }

  /* A redirect could lead to plain http:// elsewhere; S3 object URLs do
   * not redirect. */
  soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);
  g_debug ("Fetching template %s", url);
  soup_session_send_async (session, data->message, G_PRIORITY_DEFAULT, cancellable,
                           fetch_send_cb, g_object_ref (task));
}

StompyTemplate *
stompy_template_fetch_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_template_fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
