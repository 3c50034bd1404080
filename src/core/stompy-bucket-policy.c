/* stompy-bucket-policy.c — the bucket-policy statements that let AWS deliver reports
 *
 * The statements are those of shared/reference/aws-cur-s3.md §3.1 (legacy
 * CUR: GetBucketAcl and GetBucketPolicy on the bucket, PutObject on its
 * objects) and §3.2 (Data Exports: PutObject and GetBucketPolicy), with
 * aws:SourceArn and aws:SourceAccount conditions under StringLike.
 */
#include "config.h"

#include <string.h>

#include "stompy-bucket-policy.h"
#include "stompy-json-utf8.h"
#include "stompy-error.h"

#define POLICY_VERSION "2012-10-17"
#define CUR_PRINCIPAL "billingreports.amazonaws.com"
#define EXPORTS_PRINCIPAL "bcm-data-exports.amazonaws.com"

/* ------------------------------------------------------------------ building */

static char *
bucket_arn (const char *bucket)
{
  return g_strconcat ("arn:aws:s3:::", bucket, NULL);
}

static char *
objects_arn (const char *bucket)
{
  return g_strconcat ("arn:aws:s3:::", bucket, "/*", NULL);
}

static char *
source_arn (StompyDeliveryServices service,
            const char            *account_id)
{
  if (service == STOMPY_DELIVERY_CUR)
    return g_strconcat ("arn:aws:cur:us-east-1:", account_id, ":definition/*", NULL);

  return g_strconcat ("arn:aws:bcm-data-exports:us-east-1:", account_id, ":export/*", NULL);
}

static void
add_string_or_array (JsonBuilder        *builder,
                     const char * const *values)
{
  if (values[1] == NULL)
    {
      json_builder_add_string_value (builder, values[0]);
      return;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_statement (JsonBuilder           *builder,
               const char            *sid,
               const char            *principal,
               const char * const    *actions,
               const char * const    *resources,
               StompyDeliveryServices service,
               const char            *account_id)
{
  g_autofree char *arn = source_arn (service, account_id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Sid");
  json_builder_add_string_value (builder, sid);
  json_builder_set_member_name (builder, "Effect");
  json_builder_add_string_value (builder, "Allow");
  json_builder_set_member_name (builder, "Principal");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Service");
  json_builder_add_string_value (builder, principal);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "Action");
  add_string_or_array (builder, actions);
  json_builder_set_member_name (builder, "Resource");
  add_string_or_array (builder, resources);
  json_builder_set_member_name (builder, "Condition");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "StringLike");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "aws:SourceArn");
  json_builder_add_string_value (builder, arn);
  json_builder_set_member_name (builder, "aws:SourceAccount");
  json_builder_add_string_value (builder, account_id);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

JsonNode *
stompy_bucket_policy_build_statements (const char             *bucket,
                                       const char             *account_id,
                                       StompyDeliveryServices  services)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *bucket_resource = NULL;
  g_autofree char *objects_resource = NULL;

  g_return_val_if_fail (bucket != NULL, NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  bucket_resource = bucket_arn (bucket);
  objects_resource = objects_arn (bucket);

  json_builder_begin_array (builder);

  if (services & STOMPY_DELIVERY_CUR)
    {
      const char *check_actions[] = { "s3:GetBucketAcl", "s3:GetBucketPolicy", NULL };
      const char *check_resources[] = { bucket_resource, NULL };
      const char *put_actions[] = { "s3:PutObject", NULL };
      const char *put_resources[] = { objects_resource, NULL };

      add_statement (builder, STOMPY_POLICY_SID_CUR_CHECK, CUR_PRINCIPAL,
                     check_actions, check_resources, STOMPY_DELIVERY_CUR, account_id);
      add_statement (builder, STOMPY_POLICY_SID_CUR_DELIVERY, CUR_PRINCIPAL,
                     put_actions, put_resources, STOMPY_DELIVERY_CUR, account_id);
    }

  if (services & STOMPY_DELIVERY_DATA_EXPORTS)
    {
      const char *actions[] = { "s3:PutObject", "s3:GetBucketPolicy", NULL };
      const char *resources[] = { objects_resource, bucket_resource, NULL };

      add_statement (builder, STOMPY_POLICY_SID_EXPORTS, EXPORTS_PRINCIPAL,
                     actions, resources, STOMPY_DELIVERY_DATA_EXPORTS, account_id);
    }

  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

static char *
to_pretty_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

char *
stompy_bucket_policy_build (const char             *bucket,
                            const char             *account_id,
                            StompyDeliveryServices  services)
{
  g_autoptr(JsonNode) statements = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *document;

  g_return_val_if_fail (bucket != NULL, NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  statements = stompy_bucket_policy_build_statements (bucket, account_id, services);
  document = json_object_new ();
  json_object_set_string_member (document, "Version", POLICY_VERSION);
  json_object_set_member (document, "Statement", g_steal_pointer (&statements));
  root = json_node_init_object (json_node_alloc (), document);
  json_object_unref (document);

  return to_pretty_json (root);
}

/* ------------------------------------------------------------------ checking */

/* A policy value that may be a string or an array of strings: TRUE when
 * @match accepts one of them. */
typedef gboolean (*ValueMatch) (const char *value, gconstpointer data);

static gboolean
any_value (JsonNode      *node,
           ValueMatch     match,
           gconstpointer  data)
{
  if (node == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_VALUE (node))
    return json_node_get_value_type (node) == G_TYPE_STRING &&
           match (json_node_get_string (node), data);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING &&
              match (json_node_get_string (element), data))
            return TRUE;
        }
    }

  return FALSE;
}

static gboolean
equal_nocase (const char    *value,
              gconstpointer  data)
{
  return g_ascii_strcasecmp (value, data) == 0;
}

static gboolean
equal_exact (const char    *value,
             gconstpointer  data)
{
  return g_str_equal (value, data);
}

/* IAM matches actions case-insensitively, and "s3:*" or "*" grant them all. */
static gboolean
action_covers (const char    *value,
               gconstpointer  data)
{
  return g_str_equal (value, "*") || g_ascii_strcasecmp (value, "s3:*") == 0 ||
         g_ascii_strcasecmp (value, data) == 0;
}

static JsonNode *
member_nocase (JsonObject *object,
               const char *name)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (g_ascii_strcasecmp (l->data, name) == 0)
      return json_object_get_member (object, l->data);

  return NULL;
}

static gboolean
principal_names_service (JsonObject *statement,
                         const char *service)
{
  JsonNode *principal = json_object_get_member (statement, "Principal");

  if (principal == NULL || !JSON_NODE_HOLDS_OBJECT (principal))
    return FALSE;

  return any_value (json_object_get_member (json_node_get_object (principal), "Service"),
                    equal_nocase, service);
}

/* The Condition block of an Allow statement does not stop delivery when it
 * only pins aws:SourceAccount to this account and aws:SourceArn to the
 * service's definitions (the §3 conditions, under either operator). */
static gboolean
condition_allows (JsonObject            *statement,
                  StompyDeliveryServices service,
                  const char            *account_id)
{
  JsonNode *condition = json_object_get_member (statement, "Condition");
  g_autofree char *arn = source_arn (service, account_id);
  g_autoptr(GList) operators = NULL;

  if (condition == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (condition))
    return FALSE;

  operators = json_object_get_members (json_node_get_object (condition));
  for (GList *l = operators; l != NULL; l = l->next)
    {
      const char *op = l->data;
      JsonNode *block = json_object_get_member (json_node_get_object (condition), op);
      g_autoptr(GList) keys = NULL;

      if (g_strcmp0 (op, "StringEquals") != 0 && g_strcmp0 (op, "StringLike") != 0 &&
          g_strcmp0 (op, "ArnEquals") != 0 && g_strcmp0 (op, "ArnLike") != 0)
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (block))
        return FALSE;

      keys = json_object_get_members (json_node_get_object (block));
      for (GList *k = keys; k != NULL; k = k->next)
        {
          JsonNode *values = json_object_get_member (json_node_get_object (block), k->data);

          /* Condition keys are case-insensitive in IAM. */
          if (g_ascii_strcasecmp (k->data, "aws:SourceAccount") == 0)
            {
              if (!any_value (values, equal_exact, account_id))
                return FALSE;
            }
          else if (g_ascii_strcasecmp (k->data, "aws:SourceArn") == 0)
            {
              if (!any_value (values, equal_exact, arn))
                return FALSE;
            }
          else
            {
              return FALSE;
            }
        }
    }

  return TRUE;
}

static gboolean
statement_grants (JsonObject            *statement,
                  StompyDeliveryServices service,
                  const char            *principal,
                  const char            *action,
                  const char            *resource,
                  const char            *account_id)
{
  JsonNode *effect = json_object_get_member (statement, "Effect");

  if (effect == NULL || !JSON_NODE_HOLDS_VALUE (effect) ||
      json_node_get_value_type (effect) != G_TYPE_STRING ||
      !g_str_equal (json_node_get_string (effect), "Allow"))
    return FALSE;

  /* The Not* forms invert the match; such statements are never ours. */
  if (json_object_has_member (statement, "NotPrincipal") ||
      json_object_has_member (statement, "NotAction") ||
      json_object_has_member (statement, "NotResource"))
    return FALSE;

  return principal_names_service (statement, principal) &&
         any_value (json_object_get_member (statement, "Action"), action_covers, action) &&
         any_value (json_object_get_member (statement, "Resource"), equal_exact, resource) &&
         condition_allows (statement, service, account_id);
}

typedef struct
{
  StompyDeliveryServices service;
  const char            *principal;
  const char            *action;
  gboolean               on_objects;
} Grant;

static const Grant needed_grants[] = {
  { STOMPY_DELIVERY_CUR, CUR_PRINCIPAL, "s3:GetBucketAcl", FALSE },
  { STOMPY_DELIVERY_CUR, CUR_PRINCIPAL, "s3:GetBucketPolicy", FALSE },
  { STOMPY_DELIVERY_CUR, CUR_PRINCIPAL, "s3:PutObject", TRUE },
  { STOMPY_DELIVERY_DATA_EXPORTS, EXPORTS_PRINCIPAL, "s3:GetBucketPolicy", FALSE },
  { STOMPY_DELIVERY_DATA_EXPORTS, EXPORTS_PRINCIPAL, "s3:PutObject", TRUE },
};

/* The statements of a parsed policy, whether "Statement" is an array or a
 * single object; NULL when the document has a Statement of another kind. */
static GPtrArray *
policy_statements (JsonObject *document)
{
  JsonNode *node = json_object_get_member (document, "Statement");
  g_autoptr(GPtrArray) statements = g_ptr_array_new ();

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_steal_pointer (&statements);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_ptr_array_add (statements, node);
      return g_steal_pointer (&statements);
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    g_ptr_array_add (statements, json_array_get_element (json_node_get_array (node), i));

  return g_steal_pointer (&statements);
}

static gboolean
document_allows_delivery (JsonObject             *document,
                          const char             *bucket,
                          const char             *account_id,
                          StompyDeliveryServices  services)
{
  g_autoptr(GPtrArray) statements = policy_statements (document);
  g_autofree char *bucket_resource = bucket_arn (bucket);
  g_autofree char *objects_resource = objects_arn (bucket);

  if (statements == NULL || services == 0)
    return FALSE;

  /* An explicit Deny aimed at the delivery service wins over any Allow. */
  for (guint i = 0; i < statements->len; i++)
    {
      JsonNode *node = g_ptr_array_index (statements, i);
      JsonObject *statement;
      JsonNode *effect;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      statement = json_node_get_object (node);
      effect = json_object_get_member (statement, "Effect");
      if (effect == NULL || !JSON_NODE_HOLDS_VALUE (effect) ||
          g_strcmp0 (json_node_get_string (effect), "Deny") != 0)
        continue;

      for (guint g = 0; g < G_N_ELEMENTS (needed_grants); g++)
        if ((services & needed_grants[g].service) &&
            principal_names_service (statement, needed_grants[g].principal))
          return FALSE;
    }

  for (guint g = 0; g < G_N_ELEMENTS (needed_grants); g++)
    {
      const Grant *grant = &needed_grants[g];
      gboolean granted = FALSE;

      if (!(services & grant->service))
        continue;

      for (guint i = 0; i < statements->len && !granted; i++)
        {
          JsonNode *node = g_ptr_array_index (statements, i);

          granted = JSON_NODE_HOLDS_OBJECT (node) &&
                    statement_grants (json_node_get_object (node), grant->service,
                                      grant->principal, grant->action,
                                      grant->on_objects ? objects_resource : bucket_resource,
                                      account_id);
        }

      if (!granted)
        return FALSE;
    }

  return TRUE;
}

static JsonNode *
parse_policy (const char  *text,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      /* json-glib quotes the bad bytes, which may not be UTF-8 (found by fuzzing). */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "The bucket policy is not JSON: %s", reason);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "The bucket policy is not a JSON object");
      return NULL;
    }

  if (!stompy_json_node_is_utf8 (root))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "The bucket policy has text that is not valid Unicode");
      return NULL;
    }

  return json_node_copy (root);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

gboolean
stompy_bucket_policy_allows_delivery (const char             *policy,
                                      const char             *bucket,
                                      const char             *account_id,
                                      StompyDeliveryServices  services)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (bucket != NULL, FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);

  if (is_blank (policy))
    return FALSE;

  root = parse_policy (policy, NULL);
  if (root == NULL)
    return FALSE;

  return document_allows_delivery (json_node_get_object (root), bucket, account_id, services);
}

/* ------------------------------------------------------------------ merging */

static const char *
statement_sid (JsonNode *node)
{
  JsonNode *sid;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  sid = member_nocase (json_node_get_object (node), "Sid");
  if (sid == NULL || !JSON_NODE_HOLDS_VALUE (sid) ||
      json_node_get_value_type (sid) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (sid);
}

char *
stompy_bucket_policy_merge (const char                *existing,
                            const char                *bucket,
                            const char                *account_id,
                            StompyDeliveryServices     services,
                            StompyPolicyMergeOutcome  *outcome,
                            GError                   **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) ours = NULL;
  g_autoptr(GPtrArray) statements = NULL;
  g_autofree gboolean *placed = NULL;
  JsonArray *ours_array;
  JsonArray *merged;
  JsonObject *document;

  g_return_val_if_fail (bucket != NULL, NULL);
  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (is_blank (existing))
    {
      if (outcome != NULL)
        *outcome = STOMPY_POLICY_MERGE_CREATED;
      return stompy_bucket_policy_build (bucket, account_id, services);
    }

  root = parse_policy (existing, error);
  if (root == NULL)
    return NULL;

  document = json_node_get_object (root);
  statements = policy_statements (document);
  if (statements == NULL)
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "The bucket policy's Statement is neither an object nor an array");
      return NULL;
    }

  if (document_allows_delivery (document, bucket, account_id, services))
    {
      if (outcome != NULL)
        *outcome = STOMPY_POLICY_MERGE_UNCHANGED;
      return g_strdup (existing);
    }

  ours = stompy_bucket_policy_build_statements (bucket, account_id, services);
  ours_array = json_node_get_array (ours);
  placed = g_new0 (gboolean, json_array_get_length (ours_array));
  merged = json_array_new ();

  /* Other statements stay where they are; one of ours with the same Sid
   * (from an earlier run, perhaps for another bucket name) is replaced in
   * place so the document does not grow on every run. */
  for (guint i = 0; i < statements->len; i++)
    {
      JsonNode *node = g_ptr_array_index (statements, i);
      const char *sid = statement_sid (node);
      JsonNode *replacement = NULL;

      for (guint j = 0; sid != NULL && j < json_array_get_length (ours_array); j++)
        if (!placed[j] && g_strcmp0 (statement_sid (json_array_get_element (ours_array, j)),
                                     sid) == 0)
          {
            replacement = json_array_get_element (ours_array, j);
            placed[j] = TRUE;
            break;
          }

      json_array_add_element (merged, json_node_copy (replacement != NULL ? replacement : node));
    }

  for (guint j = 0; j < json_array_get_length (ours_array); j++)
    if (!placed[j])
      json_array_add_element (merged, json_node_copy (json_array_get_element (ours_array, j)));

  if (!json_object_has_member (document, "Version"))
    {
      /* A document without Version is read as 2008-10-17. Our statements
       * use no policy variables, so the version is left as the owner had it. */
      g_debug ("Bucket policy of %s has no Version; keeping it that way", bucket);
    }
  json_object_set_array_member (document, "Statement", merged);

  if (outcome != NULL)
    *outcome = STOMPY_POLICY_MERGE_UPDATED;

  return to_pretty_json (root);
}

const char *
stompy_policy_merge_outcome_to_string (StompyPolicyMergeOutcome outcome)
{
  switch (outcome)
    {
    case STOMPY_POLICY_MERGE_CREATED:
      return "created";
    case STOMPY_POLICY_MERGE_UPDATED:
      return "updated";
    case STOMPY_POLICY_MERGE_UNCHANGED:
      return "unchanged";
    default:
      return "unknown";
    }
}
