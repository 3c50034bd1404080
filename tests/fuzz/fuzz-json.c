/* fuzz-json.c — the JSON bodies: the AWS JSON 1.1 error parser, the Stompy API
 * readers (session, onboarding, account status and list, error bodies), the
 * CUR DescribeReportDefinitions and Data Exports GetExport readers, the
 * bucket-policy reader/merger and the CloudFormation template reader.
 */
#include "config.h"

#include "stompy-fuzz.h"
#include "src/core/stompy-api-client.h"
#include "src/core/stompy-aws-client.h"
#include "src/core/stompy-bucket-policy.h"
#include "src/core/stompy-cur.h"
#include "src/core/stompy-data-exports.h"
#include "src/core/stompy-template.h"

/* What a reader returns reaches labels and messages: it must be UTF-8. */
static void
assert_utf8 (const char *text)
{
  g_assert (text == NULL || g_utf8_validate (text, -1, NULL));
}

static void
assert_status_utf8 (const StompyAccountStatus *status)
{
  assert_utf8 (status->account_id);
  assert_utf8 (status->status);
  for (guint i = 0; i < status->checks->len; i++)
    {
      const StompyAccountCheck *check = g_ptr_array_index (status->checks, i);

      assert_utf8 (check->id);
      assert_utf8 (check->status);
      assert_utf8 (check->message);
    }
}

static void
api_bodies (const char *body,
            size_t      size)
{
  static const StompyApiBodyKind kinds[] = {
    STOMPY_API_BODY_SESSION, STOMPY_API_BODY_ONBOARDING,
    STOMPY_API_BODY_ACCOUNT_STATUS, STOMPY_API_BODY_ACCOUNT_LIST,
  };
  g_autoptr(GError) api_error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GError) error = NULL;
      gpointer result = stompy_api_parse_body (kinds[i], 200, body, size, &error);

      g_assert ((result == NULL) != (error == NULL));
      if (result == NULL)
        continue;

      switch (kinds[i])
        {
        case STOMPY_API_BODY_SESSION:
          assert_utf8 (((StompySession *) result)->user_email);
          assert_utf8 (((StompySession *) result)->user_name);
          assert_utf8 (((StompySession *) result)->organization_name);
          stompy_session_free (stompy_session_copy (result));
          stompy_session_free (result);
          break;
        case STOMPY_API_BODY_ONBOARDING:
          assert_utf8 (((StompyOnboardingInfo *) result)->external_id);
          assert_utf8 (((StompyOnboardingInfo *) result)->recommended_region);
          assert_utf8 (((StompyOnboardingInfo *) result)->analysaver.url);
          assert_utf8 (((StompyOnboardingInfo *) result)->spotainer.default_stack_name);
          stompy_onboarding_info_free (stompy_onboarding_info_copy (result));
          stompy_onboarding_info_free (result);
          break;
        case STOMPY_API_BODY_ACCOUNT_STATUS:
          assert_status_utf8 (result);
          (void) stompy_account_status_is_pending (result);
          stompy_account_status_free (stompy_account_status_copy (result));
          stompy_account_status_free (result);
          break;
        case STOMPY_API_BODY_ACCOUNT_LIST:
        default:
          for (guint j = 0; j < ((GPtrArray *) result)->len; j++)
            assert_status_utf8 (g_ptr_array_index ((GPtrArray *) result, j));
          g_ptr_array_unref (result);
          break;
        }
    }

  /* The documented error body: {"error": {"code", "message", "request_id", "details"}}. */
  g_assert (stompy_api_parse_body (STOMPY_API_BODY_SESSION, 409, body, size, &api_error) == NULL);
  g_assert (api_error != NULL && g_utf8_validate (api_error->message, -1, NULL));
}

static void
aws_bodies (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *definitions;
  JsonNode *export_node;

  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  object = json_node_get_object (json_parser_get_root (parser));

  /* DescribeReportDefinitions, element by element as stompy-cur reads them. */
  definitions = json_object_get_member (object, "ReportDefinitions");
  if (definitions != NULL && JSON_NODE_HOLDS_ARRAY (definitions))
    {
      JsonArray *array = json_node_get_array (definitions);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autoptr(StompyCurReport) report = NULL;
          g_autoptr(GError) error = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          report = stompy_cur_report_new_from_json (json_node_get_object (element), &error);
          g_assert ((report == NULL) != (error == NULL));
          if (report != NULL)
            {
              g_autoptr(StompyCurReport) copy = stompy_cur_report_copy (report);
              g_autoptr(JsonNode) wire = stompy_cur_report_to_json (report);
              StompyCurAthenaFlaws flaws = 0;
              StompyCurConditions met = stompy_cur_report_evaluate (copy, &flaws);
              g_autoptr(JsonNode) conditions = stompy_cur_conditions_to_json (met);

              (void) stompy_cur_report_meets_all (report);
              assert_utf8 (report->report_name);
              assert_utf8 (report->s3_bucket);
              assert_utf8 (report->s3_prefix);
              assert_utf8 (report->last_status);
            }
        }
    }

  /* GetExport: {"Export": {…}, "ExportStatus": {…}}. */
  export_node = json_object_get_member (object, "Export");
  if (export_node != NULL && JSON_NODE_HOLDS_OBJECT (export_node))
    {
      JsonNode *status_node = json_object_get_member (object, "ExportStatus");
      JsonObject *status = status_node != NULL && JSON_NODE_HOLDS_OBJECT (status_node)
                           ? json_node_get_object (status_node) : NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(StompyDataExport) export = NULL;

      export = stompy_data_export_new_from_json (json_node_get_object (export_node), status, &error);
      g_assert ((export == NULL) != (error == NULL));
      if (export != NULL)
        {
          g_autoptr(StompyDataExport) copy = stompy_data_export_copy (export);
          g_autoptr(JsonNode) wire = stompy_data_export_to_json (copy);
        }
    }
}

static void
policy (const char *text,
        size_t      size)
{
  /* One service set per input (by its length) keeps each run short. */
  static const StompyDeliveryServices services[] = {
    STOMPY_DELIVERY_CUR, STOMPY_DELIVERY_DATA_EXPORTS,
    STOMPY_DELIVERY_CUR | STOMPY_DELIVERY_DATA_EXPORTS,
  };
  StompyDeliveryServices chosen = services[size % G_N_ELEMENTS (services)];
  StompyPolicyMergeOutcome outcome;
  g_autoptr(GError) error = NULL;
  g_autofree char *merged = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    return;  /* S3 policies are JSON text; the client only hands on UTF-8 */

  (void) stompy_bucket_policy_allows_delivery (text, "amzn-s3-demo-bucket", "111122223333",
                                               chosen);
  merged = stompy_bucket_policy_merge (text, "amzn-s3-demo-bucket", "111122223333",
                                       chosen, &outcome, &error);
  g_assert ((merged == NULL) != (error == NULL));
  if (error != NULL)
    assert_utf8 (error->message);
  /* A merged policy must itself be one that allows the delivery. */
  if (merged != NULL)
    g_assert (stompy_bucket_policy_allows_delivery (merged, "amzn-s3-demo-bucket",
                                                    "111122223333", chosen));
}

static void
template (const char *body,
          size_t      size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyTemplate) parsed = stompy_template_parse (body, (gssize) size, &error);
  GPtrArray *roles;

  g_assert ((parsed == NULL) != (error == NULL));
  if (parsed == NULL)
    {
      assert_utf8 (error->message);
      return;
    }

  (void) stompy_template_get_description (parsed);
  (void) stompy_template_get_resource_count (parsed);
  (void) stompy_template_get_parameters (parsed);
  (void) stompy_template_get_parameter (parsed, "ExternalId");
  (void) stompy_template_get_outputs (parsed);
  (void) stompy_template_has_output (parsed, "RoleArn");
  roles = stompy_template_get_roles (parsed);
  g_assert (roles != NULL);
  /* The permissions are listed on the page from these. */
  for (guint i = 0; i < roles->len; i++)
    {
      const StompyTemplateRole *role = g_ptr_array_index (roles, i);

      assert_utf8 (role->role_name);
      assert_utf8 (role->external_id);
      for (guint j = 0; j < role->statements->len; j++)
        {
          const StompyTemplateStatement *statement = g_ptr_array_index (role->statements, j);

          for (guint k = 0; statement->actions[k] != NULL; k++)
            assert_utf8 (statement->actions[k]);
          for (guint k = 0; statement->resources[k] != NULL; k++)
            assert_utf8 (statement->resources[k]);
        }
    }
  {
    g_autofree char *rendered = stompy_template_render_value (stompy_template_get_root (parsed));

    assert_utf8 (rendered);
    assert_utf8 (stompy_template_get_description (parsed));
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *body = size > 0 ? (const char *) data : "";
  g_autofree char *text = stompy_fuzz_strndup (data, size);
  g_autoptr(GError) json_error = NULL;

  stompy_fuzz_init ();
  if (stompy_fuzz_json_skip (data, size))
    return 0;

  json_error = stompy_aws_parse_json_error (400, body, size, NULL);
  g_assert (json_error != NULL && g_utf8_validate (json_error->message, -1, NULL));

  /* Each body goes to the readers its kind of document reaches (its keys
   * survive most mutations, so an input stays with its family): running
   * every reader on every input made a run four times longer. */
  if (strstr (text, "\"Resources\"") != NULL)
    template (body, size);
  else if (strstr (text, "\"Statement\"") != NULL)
    policy (text, size);
  else if (strstr (text, "\"ReportDefinitions\"") != NULL || strstr (text, "\"Export\"") != NULL)
    aws_bodies (text);
  else
    api_bodies (body, size);

  return 0;
}
