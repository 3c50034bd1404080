/* test-cloudformation.c — stack statuses, events, links, ARNs and the templates
 *
 * Unit tests without network: the 23 stack statuses, progress and failure
 * reason from real-shaped DescribeStackEvents answers (tests/data/cloudformation),
 * the quick-create link, the pasted role ARN check, template parsing, and the
 * structure of both shipped templates (data/cloudformation).
 */
#include "config.h"

#include <string.h>

#include "stompy-cloudformation.h"
#include "stompy-error.h"
#include "stompy-stack-watch.h"
#include "stompy-template.h"

/* ------------------------------------------------------------------ helpers */

static char *
read_data_file (const char *name,
                gsize      *length)
{
  const char *dir = g_getenv ("STOMPY_TEST_DATA");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, "cloudformation", name, NULL);
  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);

  return contents;
}

static StompyTemplate *
load_template (const char *name)
{
  const char *root = g_getenv ("STOMPY_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  StompyTemplate *template;
  gsize length;

  g_assert_nonnull (root);
  path = g_build_filename (root, "data", "cloudformation", name, NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  template = stompy_template_parse (contents, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);

  return template;
}

/* The <…Result> element of a saved query answer. */
static StompyXmlNode *
load_result (const char *file,
             const char *result_name)
{
  g_autofree char *xml = NULL;
  g_autoptr(StompyXmlNode) root = NULL;
  g_autoptr(GError) error = NULL;
  StompyXmlNode *result;
  gsize length;

  xml = read_data_file (file, &length);
  root = stompy_xml_parse (xml, length, &error);
  g_assert_no_error (error);
  result = stompy_xml_node_lookup (root, result_name);
  g_assert_nonnull (result);

  return stompy_xml_node_ref (result);
}

static GPtrArray *
load_events (const char  *file,
             char       **next_token)
{
  g_autoptr(StompyXmlNode) result = load_result (file, "DescribeStackEventsResult");

  return stompy_stack_events_from_xml (result, next_token);
}

#define TOKEN_CREATE "stompy-1f0c5d3e-7a2b-4c1d-9e8f-0a1b2c3d4e5f"
#define TOKEN_UPDATE "stompy-8d7e6f5a-4b3c-2d1e-0f9a-8b7c6d5e4f3a"

/* ------------------------------------------------------------------ statuses */

static void
test_status_classification (void)
{
  static const struct { const char *status; StompyStackState state; gboolean stable; } table[] = {
    { "CREATE_IN_PROGRESS", STOMPY_STACK_STATE_IN_PROGRESS, FALSE },
    { "CREATE_FAILED", STOMPY_STACK_STATE_FAILED, FALSE },
    { "CREATE_COMPLETE", STOMPY_STACK_STATE_COMPLETE, TRUE },
    { "ROLLBACK_IN_PROGRESS", STOMPY_STACK_STATE_IN_PROGRESS, FALSE },
    { "ROLLBACK_FAILED", STOMPY_STACK_STATE_FAILED, FALSE },
    { "ROLLBACK_COMPLETE", STOMPY_STACK_STATE_ROLLED_BACK, FALSE },
    { "DELETE_IN_PROGRESS", STOMPY_STACK_STATE_IN_PROGRESS, FALSE },
    { "DELETE_FAILED", STOMPY_STACK_STATE_FAILED, FALSE },
    { "DELETE_COMPLETE", STOMPY_STACK_STATE_DELETED, FALSE },
    { "UPDATE_IN_PROGRESS", STOMPY_STACK_STATE_IN_PROGRESS, FALSE },
    { "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", STOMPY_STACK_STATE_COMPLETE, TRUE },
    { "UPDATE_COMPLETE", STOMPY_STACK_STATE_COMPLETE, TRUE },
    { "UPDATE_FAILED", STOMPY_STACK_STATE_FAILED, FALSE },
    { "UPDATE_ROLLBACK_IN_PROGRESS", STOMPY_STACK_STATE_IN_PROGRESS, FALSE },
    { "UPDATE_ROLLBACK_FAILED", STOMPY_STACK_STATE_FAILED, FALSE },
    { "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", STOMPY_STACK_STATE_IN_PROGRESS, FALSE },
    { "UPDATE_ROLLBACK_COMPLETE", STOMPY_STACK_STATE_ROLLED_BACK, TRUE },
    { "REVIEW_IN_PROGRESS", STOMPY_STACK_STATE_REVIEW, FALSE },
    { "IMPORT_IN_PROGRESS", STOMPY_STACK_STATE_IN_PROGRESS, FALSE },
    { "IMPORT_COMPLETE", STOMPY_STACK_STATE_COMPLETE, TRUE },
    { "IMPORT_ROLLBACK_IN_PROGRESS", STOMPY_STACK_STATE_IN_PROGRESS, FALSE },
    { "IMPORT_ROLLBACK_FAILED", STOMPY_STACK_STATE_FAILED, FALSE },
    { "IMPORT_ROLLBACK_COMPLETE", STOMPY_STACK_STATE_ROLLED_BACK, TRUE },
  };
  const char * const *all = stompy_stack_status_get_all ();

  g_assert_cmpuint (G_N_ELEMENTS (table), ==, 23);
  g_assert_cmpuint (g_strv_length ((GStrv) all), ==, 23);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      StompyStackState state = stompy_stack_status_classify (table[i].status);

      g_test_message ("%s → %s", table[i].status, stompy_stack_state_to_string (state));
      g_assert_true (g_strv_contains (all, table[i].status));
      g_assert_cmpint (state, ==, table[i].state);
      g_assert_cmpint (stompy_stack_status_is_stable (table[i].status), ==, table[i].stable);
      g_assert_cmpint (stompy_stack_state_is_settled (state), ==,
                       table[i].state != STOMPY_STACK_STATE_IN_PROGRESS);
    }

  /* A status AWS may add later still settles by its suffix. */
  g_assert_cmpint (stompy_stack_status_classify ("EXPORT_IN_PROGRESS"), ==,
                   STOMPY_STACK_STATE_IN_PROGRESS);
  g_assert_cmpint (stompy_stack_status_classify ("EXPORT_FAILED"), ==, STOMPY_STACK_STATE_FAILED);
  g_assert_cmpint (stompy_stack_status_classify (""), ==, STOMPY_STACK_STATE_UNKNOWN);
  g_assert_cmpint (stompy_stack_status_classify (NULL), ==, STOMPY_STACK_STATE_UNKNOWN);
  g_assert_cmpint (stompy_stack_status_classify ("create_complete"), ==,
                   STOMPY_STACK_STATE_UNKNOWN);
  g_assert_false (stompy_stack_state_is_settled (STOMPY_STACK_STATE_UNKNOWN));
}

/* ------------------------------------------------------------------ parsing */

static void
test_describe_stacks_parse (void)
{
  g_autoptr(StompyXmlNode) result = load_result ("describe-stacks-complete.xml",
                                                 "DescribeStacksResult");
  g_autoptr(GPtrArray) stacks = stompy_stacks_from_xml (result);
  g_autoptr(StompyStack) copy = NULL;
  StompyStack *stack;

  g_assert_cmpuint (stacks->len, ==, 1);
  stack = g_ptr_array_index (stacks, 0);
  g_assert_cmpstr (stack->stack_name, ==, "StompyAnalySaver");
  g_assert_cmpstr (stack->stack_id, ==,
                   "arn:aws:cloudformation:ap-southeast-1:210987654321:stack/StompyAnalySaver/"
                   "6b1d0c10-085b-11ef-9d3c-0a1b2c3d4e5f");
  g_assert_cmpstr (stack->status, ==, "CREATE_COMPLETE");
  g_assert_cmpint (stack->state, ==, STOMPY_STACK_STATE_COMPLETE);
  g_assert_null (stack->status_reason);
  g_assert_nonnull (stack->creation_time);
  g_assert_cmpint (g_date_time_to_unix (stack->creation_time), ==, 1714636841);
  g_assert_null (stack->last_updated_time);
  g_assert_cmpstr (stack->role_arn, ==, "arn:aws:iam::210987654321:role/StompyAnalySaverRole");
  g_assert_cmpstr (stompy_stack_get_parameter (stack, "ExternalId"), ==, "stp-ext-5b1e0c9a7d");
  g_assert_cmpstr (stompy_stack_get_parameter (stack, "CurBucketName"), ==,
                   "stompy-cur-210987654321");
  g_assert_cmpuint (g_hash_table_size (stack->parameters), ==, 3);
  /* Tags' members must not leak into the parameters or outputs. */
  g_assert_cmpuint (g_hash_table_size (stack->outputs), ==, 1);

  copy = stompy_stack_copy (stack);
  g_assert_cmpstr (copy->role_arn, ==, stack->role_arn);
  g_assert_cmpstr (stompy_stack_get_output (copy, "RoleArn"), ==, stack->role_arn);
}

static void
test_events_parse_and_paging_token (void)
{
  g_autofree char *next_token = NULL;
  g_autoptr(GPtrArray) page1 = load_events ("events-rollback-page1.xml", &next_token);
  g_autofree char *no_token = NULL;
  g_autoptr(GPtrArray) page2 = load_events ("events-rollback-page2.xml", &no_token);
  StompyStackEvent *event;

  g_assert_cmpuint (page1->len, ==, 5);
  g_assert_cmpstr (next_token, ==, "eyJ2IjoxLCJjIjoiU3RhY2tFdmVudHMiLCJwIjoyfQ==");
  g_assert_null (no_token);
  g_assert_cmpuint (page2->len, ==, 4);

  event = g_ptr_array_index (page1, 0);
  g_assert_cmpstr (event->resource_status, ==, "ROLLBACK_COMPLETE");
  g_assert_true (stompy_stack_event_is_stack (event));
  g_assert_cmpstr (event->client_request_token, ==, TOKEN_CREATE);
  event = g_ptr_array_index (page1, 1);
  g_assert_false (stompy_stack_event_is_stack (event));
  g_assert_null (event->physical_resource_id);
  g_assert_null (event->resource_status_reason);
  g_assert_cmpstr (event->resource_type, ==, "AWS::IAM::Policy");
}

/* ------------------------------------------------------------------ progress, reason */

static void
test_progress_by_token (void)
{
  g_autoptr(GPtrArray) events = load_events ("events-create-then-update.xml", NULL);
  guint done = 99, total = 99;

  /* The creation: the role and the stack both complete, of 1 + 1. */
  stompy_stack_events_progress (events, TOKEN_CREATE, NULL, 1, &done, &total);
  g_assert_cmpuint (done, ==, 2);
  g_assert_cmpuint (total, ==, 2);

  /* The update under way: nothing done yet. */
  stompy_stack_events_progress (events, TOKEN_UPDATE, NULL, 1, &done, &total);
  g_assert_cmpuint (done, ==, 0);
  g_assert_cmpuint (total, ==, 2);

  /* No template count: the resources seen in the operation. */
  stompy_stack_events_progress (events, TOKEN_CREATE, NULL, 0, &done, &total);
  g_assert_cmpuint (done, ==, 2);
  g_assert_cmpuint (total, ==, 2);
}

static void
test_progress_by_time (void)
{
  g_autoptr(GPtrArray) events = load_events ("events-create-then-update.xml", NULL);
  g_autoptr(GDateTime) update_start = g_date_time_new_from_iso8601 ("2024-05-03T09:11:58Z", NULL);
  g_autoptr(GDateTime) create_start = g_date_time_new_from_iso8601 ("2024-05-02T08:00:41Z", NULL);
  g_autoptr(GPtrArray) operation = NULL;
  guint done, total;

  /* A token no event carries falls back to the start time. */
  stompy_stack_events_progress (events, "stompy-not-ours", update_start, 1, &done, &total);
  g_assert_cmpuint (done, ==, 0);
  g_assert_cmpuint (total, ==, 2);

  operation = stompy_stack_events_of_operation (events, NULL, update_start);
  g_assert_cmpuint (operation->len, ==, 2);
  /* Oldest first. */
  g_assert_true (stompy_stack_event_is_stack (g_ptr_array_index (operation, 0)));

  /* Everything since creation: the role's latest is UPDATE_IN_PROGRESS. */
  stompy_stack_events_progress (events, NULL, create_start, 1, &done, &total);
  g_assert_cmpuint (done, ==, 0);
  g_assert_cmpuint (total, ==, 2);
}

static void
test_progress_mid_creation (void)
{
  g_autoptr(GPtrArray) page2 = load_events ("events-rollback-page2.xml", NULL);
  g_autoptr(GPtrArray) in_progress = g_ptr_array_new ();
  guint done, total;

  /* The first three events of the failed creation: stack and both resources
   * in progress. */
  for (guint i = 1; i < page2->len; i++)
    g_ptr_array_add (in_progress, g_ptr_array_index (page2, i));
  stompy_stack_events_progress (in_progress, TOKEN_CREATE, NULL, 2, &done, &total);
  g_assert_cmpuint (done, ==, 0);
  g_assert_cmpuint (total, ==, 3);
}

static void
test_failure_reason_is_oldest_failure (void)
{
  g_autoptr(GPtrArray) events = load_events ("events-rollback-page1.xml", NULL);
  g_autoptr(GPtrArray) older = load_events ("events-rollback-page2.xml", NULL);
  g_autofree char *reason_page1 = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) success = load_events ("events-create-then-update.xml", NULL);
  g_autofree char *none = NULL;
  guint done, total;

  /* With only the newest page, the cancelled policy is all there is. */
  reason_page1 = stompy_stack_events_failure_reason (events, TOKEN_CREATE, NULL);
  g_assert_cmpstr (reason_page1, ==, "StompyAnalySaverPolicy: Resource creation cancelled");

  /* Both pages (newest first): the root cause is the role's AccessDenied. */
  for (guint i = 0; i < older->len; i++)
    g_ptr_array_add (events, stompy_stack_event_copy (g_ptr_array_index (older, i)));
  reason = stompy_stack_events_failure_reason (events, TOKEN_CREATE, NULL);
  g_assert_nonnull (reason);
  g_assert_true (g_str_has_prefix (reason, "StompyAnalySaverRole: Resource handler returned"));
  g_assert_nonnull (strstr (reason, "is not authorized to perform: iam:CreateRole"));

  /* After rollback both resources are DELETE_COMPLETE, the stack
   * ROLLBACK_COMPLETE: every resource is settled. */
  stompy_stack_events_progress (events, TOKEN_CREATE, NULL, 2, &done, &total);
  g_assert_cmpuint (done, ==, 3);
  g_assert_cmpuint (total, ==, 3);

  none = stompy_stack_events_failure_reason (success, NULL, NULL);
  g_assert_null (none);
}

/* ------------------------------------------------------------------ quick-create */

static void
test_quick_create_url (void)
{
  g_autoptr(StompyStackRequest) request =
    stompy_stack_request_new ("StompyAnalySaver",
                              "https://stompy-templates.s3.ap-southeast-1.amazonaws.com/analysaver/v3.json?versionId=a b",
                              NULL, "analysaver");
  g_autofree char *url = NULL;

  stompy_stack_request_set_parameter (request, "ExternalId", "stp-ext/5b1e+0c=9a7d");
  stompy_stack_request_set_parameter (request, "StompyPrincipalAccountId", "111122223333");
  stompy_stack_request_set_parameter (request, "CurBucketName", "my.cur-bucket");
  /* Setting again replaces, keeping the order. */
  stompy_stack_request_set_parameter (request, "ExternalId", "stp-ext/5b1e+0c=9a7d&x#y~z");

  url = stompy_cloudformation_quick_create_url ("ap-southeast-1", request);
  g_assert_cmpstr (url, ==,
                   "https://ap-southeast-1.console.aws.amazon.com/cloudformation/home"
                   "?region=ap-southeast-1#/stacks/create/review"
                   "?templateURL=https%3A%2F%2Fstompy-templates.s3.ap-southeast-1.amazonaws.com"
                   "%2Fanalysaver%2Fv3.json%3FversionId%3Da%20b"
                   "&stackName=StompyAnalySaver"
                   "&param_ExternalId=stp-ext%2F5b1e%2B0c%3D9a7d%26x%23y~z"
                   "&param_StompyPrincipalAccountId=111122223333"
                   "&param_CurBucketName=my.cur-bucket");

  g_clear_pointer (&url, g_free);
  url = stompy_cloudformation_quick_create_url ("us-gov-west-1", request);
  g_assert_true (g_str_has_prefix (url, "https://us-gov-west-1.console.aws.amazon.com/"
                                        "cloudformation/home?region=us-gov-west-1#"));
}

/* ------------------------------------------------------------------ requests */

static void
test_request_validation (void)
{
  static const struct { const char *name; const char *url; const char *token; gboolean ok; } table[] = {
    { "StompyAnalySaver", "https://x.s3.amazonaws.com/t.json", "stompy-1234", TRUE },
    { "StompyAnalySaver", "http://127.0.0.1:4566/t.json", NULL, TRUE },
    { "1Stack", "https://x/t.json", NULL, FALSE },
    { "Stack_Name", "https://x/t.json", NULL, FALSE },
    { "", "https://x/t.json", NULL, FALSE },
    { "Stack", "http://example.com/t.json", NULL, FALSE },
    { "Stack", "https://x/t.json", "-starts-with-hyphen", FALSE },
    { "Stack", "https://x/t.json", "has space", FALSE },
    { "Stack", "https://x/t.json", "", FALSE },
  };
  g_autofree char *token = stompy_cloudformation_new_client_request_token ();
  g_autofree char *long_name = g_strnfill (129, 'a');
  g_autoptr(StompyStackRequest) too_long = stompy_stack_request_new (long_name, "https://x/t", NULL,
                                                                     NULL);
  g_autoptr(StompyStackRequest) fresh = stompy_stack_request_new ("S", "https://x/t", token, NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(StompyStackRequest) request = stompy_stack_request_new (table[i].name, table[i].url,
                                                                        table[i].token, "spotainer");
      g_autoptr(GError) local_error = NULL;

      g_test_message ("%s %s %s", table[i].name, table[i].url,
                      table[i].token ? table[i].token : "(none)");
      g_assert_cmpint (stompy_stack_request_validate (request, &local_error), ==, table[i].ok);
      if (!table[i].ok)
        g_assert_true (local_error->domain == STOMPY_ERROR);
    }

  g_assert_false (stompy_stack_request_validate (too_long, &error));
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (g_str_has_prefix (token, "stompy-"));
  g_assert_cmpuint (strlen (token), ==, strlen ("stompy-") + 36);
  g_assert_true (stompy_stack_request_validate (fresh, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ role ARN */

static void
test_role_arn_check (void)
{
  static const struct {
    const char *arn;
    StompyRoleArnProblem problem;
    const char *account;
  } table[] = {
    { "arn:aws:iam::210987654321:role/StompyAnalySaverRole", STOMPY_ROLE_ARN_OK, "210987654321" },
    { "arn:aws-cn:iam::210987654321:role/StompyAnalySaverRole", STOMPY_ROLE_ARN_OK, "210987654321" },
    { "arn:aws-us-gov:iam::210987654321:role/x", STOMPY_ROLE_ARN_OK, "210987654321" },
    { "arn:aws:iam::210987654321:role/service-role/stompy/Name_+=,.@-1", STOMPY_ROLE_ARN_OK, "210987654321" },
    { "", STOMPY_ROLE_ARN_EMPTY, NULL },
    { NULL, STOMPY_ROLE_ARN_EMPTY, NULL },
    { " arn:aws:iam::210987654321:role/StompyAnalySaverRole", STOMPY_ROLE_ARN_WHITESPACE, NULL },
    { "arn:aws:iam::210987654321:role/StompyAnalySaverRole\n", STOMPY_ROLE_ARN_WHITESPACE, NULL },
    { "arn:aws:iam::210987654321:role/Stompy AnalySaverRole", STOMPY_ROLE_ARN_WHITESPACE, NULL },
    { "StompyAnalySaverRole", STOMPY_ROLE_ARN_NOT_ARN, NULL },
    { "arn:aws:iam::210987654321", STOMPY_ROLE_ARN_NOT_ARN, NULL },
    { "arn:aws-iso:iam::210987654321:role/x", STOMPY_ROLE_ARN_NOT_ARN, NULL },
    { "ARN:aws:iam::210987654321:role/x", STOMPY_ROLE_ARN_NOT_ARN, NULL },
    { "arn:aws:iam:us-east-1:210987654321:role/x", STOMPY_ROLE_ARN_NOT_ARN, "210987654321" },
    { "https://console.aws.amazon.com/iam/home#/roles/StompyAnalySaverRole", STOMPY_ROLE_ARN_NOT_ARN, NULL },
    { "arn:aws:sts::210987654321:assumed-role/StompyAnalySaverRole/s", STOMPY_ROLE_ARN_NOT_IAM, "210987654321" },
    { "arn:aws:s3:::stompy-cur-210987654321", STOMPY_ROLE_ARN_NOT_IAM, NULL },
    { "arn:aws:cloudformation:ap-southeast-1:210987654321:stack/StompyAnalySaver/6b1d", STOMPY_ROLE_ARN_NOT_IAM, "210987654321" },
    { "arn:aws:iam::210987654321:user/ops-admin", STOMPY_ROLE_ARN_NOT_ROLE, "210987654321" },
    { "arn:aws:iam::210987654321:root", STOMPY_ROLE_ARN_NOT_ROLE, "210987654321" },
    { "arn:aws:iam::210987654321:policy/StompyAnalySaver", STOMPY_ROLE_ARN_NOT_ROLE, "210987654321" },
    { "arn:aws:iam::345678901234:role/StompyAnalySaverRole", STOMPY_ROLE_ARN_WRONG_ACCOUNT, "345678901234" },
    { "arn:aws:iam::21098765432:role/StompyAnalySaverRole", STOMPY_ROLE_ARN_WRONG_ACCOUNT, "21098765432" },
    { "arn:aws:iam::aws:role/StompyAnalySaverRole", STOMPY_ROLE_ARN_WRONG_ACCOUNT, "aws" },
    { "arn:aws:iam::210987654321:role/", STOMPY_ROLE_ARN_BAD_NAME, "210987654321" },
    { "arn:aws:iam::210987654321:role/Stompy*Role", STOMPY_ROLE_ARN_BAD_NAME, "210987654321" },
    { "arn:aws:iam::210987654321:role/Stompy:Role", STOMPY_ROLE_ARN_BAD_NAME, "210987654321" },
    { "arn:aws:iam::210987654321:role/StompyRöle", STOMPY_ROLE_ARN_BAD_NAME, "210987654321" },
    { "arn:aws:iam::210987654321:role//StompyRole", STOMPY_ROLE_ARN_BAD_NAME, "210987654321" },
    { "arn:aws:iam::210987654321:role/path/", STOMPY_ROLE_ARN_BAD_NAME, "210987654321" },
  };
  g_autofree char *long_name = g_strnfill (65, 'r');
  g_autofree char *long_arn = g_strconcat ("arn:aws:iam::210987654321:role/", long_name, NULL);

  g_assert_cmpuint (G_N_ELEMENTS (table), >=, 20);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *account = NULL;
      StompyRoleArnProblem problem = stompy_role_arn_check (table[i].arn, "210987654321", &account);

      g_test_message ("%s → %s", table[i].arn ? table[i].arn : "(null)",
                      stompy_role_arn_problem_to_string (problem));
      g_assert_cmpstr (stompy_role_arn_problem_to_string (problem), ==,
                       stompy_role_arn_problem_to_string (table[i].problem));
      g_assert_cmpstr (account, ==, table[i].account);
    }

  g_assert_cmpint (stompy_role_arn_check (long_arn, "210987654321", NULL), ==,
                   STOMPY_ROLE_ARN_BAD_NAME);
  /* No expected account: any well-formed account passes. */
  g_assert_cmpint (stompy_role_arn_check ("arn:aws:iam::345678901234:role/x", NULL, NULL), ==,
                   STOMPY_ROLE_ARN_OK);
}

/* ------------------------------------------------------------------ watch schedule */

static void
test_watch_backoff (void)
{
  /* The shared quick start, doubling up to the steady 15 s. */
  static const guint expected[] = { 250, 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (stompy_stack_watch_backoff_ms (i), ==, expected[i]);
  g_assert_cmpuint (stompy_stack_watch_backoff_ms (1000), ==, STOMPY_STACK_WATCH_MAX_DELAY_MS);
}

/* The schedule alone, with honest counts, keeps every 60 s window of a
 * 5-minute stack under the limit, so the limiter never has to delay a look:
 * each look is one DescribeStackEvents page; DescribeStacks goes with the
 * first look and with each move of the stack itself — counted here as two
 * more moves (whatever looks they fall on), where a stack that is created has
 * one (its CREATE_COMPLETE). Both starts: a look at once (nothing known), and
 * the first look after the first delay (the stack handed over). */
static void
test_watch_schedule_rate (void)
{
  for (guint handed = 0; handed < 2; handed++)
    {
      g_autoptr(GArray) looks = g_array_new (FALSE, FALSE, sizeof (gint64));
      const gint64 stack_us = 300 * G_USEC_PER_SEC;
      gint64 t = 0;
      guint index = 0;
      guint max_in_window = 0;

      if (handed)
        t += (gint64) stompy_stack_watch_backoff_ms (index++) * 1000;
      for (;;)
        {
          g_array_append_val (looks, t);
          if (t >= stack_us)
            break;  /* this look sees it settled */
          t += (gint64) stompy_stack_watch_backoff_ms (index++) * 1000;
        }

      /* Every window [start, start + 60 s) that begins at a look. */
      for (guint i = 0; i < looks->len; i++)
        {
          gint64 start = g_array_index (looks, gint64, i);
          guint requests = 0;

          for (guint j = i; j < looks->len; j++)
            if (g_array_index (looks, gint64, j) < start + 60 * G_USEC_PER_SEC)
              requests++;
          /* The first look's DescribeStacks (none when the stack was handed). */
          if (i == 0 && !handed)
            requests++;
          requests += 2;
          max_in_window = MAX (max_in_window, requests);
        }

      g_test_message ("%s: %u looks in 300 s, at most %u requests in 60 s",
                      handed ? "stack handed" : "look at once", looks->len, max_in_window);
      g_assert_cmpuint (max_in_window, <=, STOMPY_STACK_WATCH_MAX_REQUESTS_PER_MINUTE);
      /* Quick news while young: a look 250 ms after the start, three by 2 s. */
      g_assert_cmpint (g_array_index (looks, gint64, handed ? 0 : 1), ==,
                       STOMPY_POLL_TIMER_QUICK_FIRST_MS * 1000);
      g_assert_cmpint (g_array_index (looks, gint64, handed ? 2 : 3), <, 2 * G_USEC_PER_SEC);
      /* And economical when settled into the steady 15 s: 4 looks a minute. */
      g_assert_cmpuint (looks->len, <=, 300 / 15 + 8);
    }
}

/* ------------------------------------------------------------------ template parsing */

static const StompyTemplateStatement *
find_statement (const StompyTemplateRole *role,
                const char               *sid)
{
  for (guint i = 0; i < role->statements->len; i++)
    {
      const StompyTemplateStatement *statement = g_ptr_array_index (role->statements, i);

      if (g_strcmp0 (statement->sid, sid) == 0)
        return statement;
    }

  return NULL;
}

static void
test_template_analysaver (void)
{
  g_autoptr(StompyTemplate) template = load_template ("analysaver.json");
  GPtrArray *roles = stompy_template_get_roles (template);
  const StompyTemplateRole *role;
  const StompyTemplateStatement *statement;
  const StompyTemplateCondition *condition;

  g_assert_cmpuint (stompy_template_get_resource_count (template), ==, 1);
  g_assert_cmpuint (stompy_template_get_parameters (template)->len, ==, 3);
  g_assert_true (stompy_template_has_output (template, "RoleArn"));
  g_assert_false (stompy_template_has_output (template, "Nope"));

  g_assert_cmpuint (roles->len, ==, 1);
  role = g_ptr_array_index (roles, 0);
  g_assert_cmpstr (role->logical_id, ==, "StompyAnalySaverRole");
  g_assert_cmpstr (role->role_name, ==, "StompyAnalySaverRole");
  g_assert_cmpuint (g_strv_length (role->trust_principals), ==, 1);
  g_assert_cmpstr (role->trust_principals[0], ==,
                   "arn:${AWS::Partition}:iam::${StompyPrincipalAccountId}:root");
  g_assert_true (role->external_id_required);
  g_assert_cmpstr (role->external_id, ==, "${ExternalId}");

  statement = g_ptr_array_index (role->trust_statements, 0);
  g_assert_true (statement->allow);
  g_assert_cmpstr (statement->actions[0], ==, "sts:AssumeRole");
  condition = g_ptr_array_index (statement->conditions, 0);
  g_assert_cmpstr (condition->op, ==, "StringEquals");
  g_assert_cmpstr (condition->key, ==, "sts:ExternalId");

  statement = find_statement (role, "ReadCurObjects");
  g_assert_nonnull (statement);
  g_assert_cmpstr (statement->policy_name, ==, "StompyAnalySaverCurBucketRead");
  g_assert_true (g_strv_contains ((const char * const *) statement->actions, "s3:GetObject"));
  g_assert_cmpstr (statement->resources[0], ==, "arn:${AWS::Partition}:s3:::${CurBucketName}/*");
  g_assert_cmpuint (statement->conditions->len, ==, 0);

  statement = find_statement (role, "CostExplorerAndReports");
  g_assert_nonnull (statement);
  g_assert_true (g_strv_contains ((const char * const *) statement->actions,
                                  "cur:DescribeReportDefinitions"));
  g_assert_cmpstr (statement->resources[0], ==, "*");
}

static void
test_template_spotainer (void)
{
  g_autoptr(StompyTemplate) template = load_template ("spotainer.json");
  const StompyTemplateRole *role;
  const StompyTemplateStatement *statement;
  const StompyTemplateCondition *condition;

  g_assert_cmpuint (stompy_template_get_resource_count (template), ==, 1);
  g_assert_cmpuint (stompy_template_get_parameters (template)->len, ==, 2);
  g_assert_null (stompy_template_get_parameter (template, "CurBucketName"));
  role = g_ptr_array_index (stompy_template_get_roles (template), 0);
  g_assert_cmpstr (role->role_name, ==, "StompySpoTainerRole");

  statement = find_statement (role, "TagOnlyAtLaunch");
  g_assert_nonnull (statement);
  condition = g_ptr_array_index (statement->conditions, 0);
  g_assert_cmpstr (condition->key, ==, "ec2:CreateAction");
  g_assert_cmpuint (g_strv_length (condition->values), ==, 3);

  statement = find_statement (role, "InterruptionNotices");
  g_assert_nonnull (statement);
  g_assert_cmpstr (statement->resources[0], ==,
                   "arn:${AWS::Partition}:events:*:${AWS::AccountId}:rule/stompy-*");
}

static void
test_template_rendering_and_errors (void)
{
  static const char *doc =
    "{\"Parameters\": {\"Key\": {\"Type\": \"String\", \"NoEcho\": \"true\", \"Default\": 3}},"
    " \"Resources\": {"
    "  \"R\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {"
    "    \"AssumeRolePolicyDocument\": {\"Statement\": {\"Effect\": \"Allow\","
    "      \"Principal\": {\"Service\": \"ec2.amazonaws.com\", \"AWS\": [\"111122223333\"]},"
    "      \"Action\": \"sts:AssumeRole\"}},"
    "    \"ManagedPolicyArns\": [{\"Fn::Join\": [\":\", [\"arn\", {\"Ref\": \"AWS::Partition\"}, \"iam::aws:policy/ReadOnlyAccess\"]]}]}},"
    "  \"P\": {\"Type\": \"AWS::IAM::Policy\", \"Properties\": {\"PolicyName\": \"extra\","
    "    \"Roles\": [{\"Ref\": \"R\"}], \"PolicyDocument\": {\"Statement\": [{\"Effect\": \"Deny\","
    "    \"NotAction\": \"iam:*\", \"Resource\": {\"Fn::GetAtt\": [\"R\", \"Arn\"]}}]}}}}}";
  g_autoptr(StompyTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  const StompyTemplateRole *role;
  const StompyTemplateStatement *statement;
  const StompyTemplateParameter *parameter;

  template = stompy_template_parse (doc, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stompy_template_get_resource_count (template), ==, 2);
  parameter = stompy_template_get_parameter (template, "Key");
  g_assert_true (parameter->no_echo);
  g_assert_cmpstr (parameter->default_value, ==, "3");

  role = g_ptr_array_index (stompy_template_get_roles (template), 0);
  g_assert_null (role->role_name);
  /* No external id condition: not required. */
  g_assert_false (role->external_id_required);
  g_assert_null (role->external_id);
  g_assert_cmpuint (g_strv_length (role->trust_principals), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) role->trust_principals,
                                  "Service:ec2.amazonaws.com"));
  g_assert_true (g_strv_contains ((const char * const *) role->trust_principals, "111122223333"));
  g_assert_cmpstr (role->managed_policy_arns[0], ==,
                   "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess");

  g_assert_cmpuint (role->statements->len, ==, 1);
  statement = g_ptr_array_index (role->statements, 0);
  g_assert_cmpstr (statement->policy_name, ==, "extra");
  g_assert_false (statement->allow);
  g_assert_true (statement->not_action);
  g_assert_cmpstr (statement->resources[0], ==, "${R.Arn}");

  g_clear_pointer (&template, stompy_template_unref);
  template = stompy_template_parse ("{\"Parameters\": {}}", -1, &error);
  g_assert_null (template);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  template = stompy_template_parse ("<html>", -1, &error);
  g_assert_null (template);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
}

/* ------------------------------------------------------------------ template structure */

/* Actions that have no resource-level permissions in the Service
 * Authorization Reference (every List/Describe/Get of these services
 * authorizes against "*" only), so "Resource": "*" is the narrowest there is
 * for them. Anything else with "*" must carry a Condition. Keep this list
 * short and exact: no wildcards. */
static const char * const star_resource_allowed[] = {
  /* Cost Explorer reads: no resource types. */
  "ce:GetCostAndUsage", "ce:GetCostAndUsageWithResources", "ce:GetCostForecast",
  "ce:GetDimensionValues", "ce:GetTags", "ce:GetReservationUtilization",
  "ce:GetReservationCoverage", "ce:GetReservationPurchaseRecommendation",
  "ce:GetSavingsPlansUtilization", "ce:GetSavingsPlansCoverage",
  "ce:GetSavingsPlansPurchaseRecommendation", "ce:GetRightsizingRecommendation",
  /* Listing calls of CUR and Data Exports. */
  "cur:DescribeReportDefinitions", "bcm-data-exports:ListExports",
  /* The Price List and Organizations reads. */
  "pricing:GetProducts", "organizations:DescribeOrganization", "organizations:ListAccounts",
  /* EC2 and Auto Scaling Describe* never take resource ARNs. */
  "ec2:DescribeInstances", "ec2:DescribeInstanceTypes", "ec2:DescribeInstanceTypeOfferings",
  "ec2:DescribeReservedInstances", "ec2:DescribeVolumes", "ec2:DescribeSnapshots",
  "ec2:DescribeAddresses", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSpotInstanceRequests",
  "ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeSubnets",
  "ec2:DescribeSecurityGroups", "ec2:DescribeImages", "ec2:DescribeAvailabilityZones",
  "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
  "autoscaling:DescribeScalingActivities", "autoscaling:DescribeLaunchConfigurations",
  /* Compute Optimizer and CloudWatch metric reads. */
  "compute-optimizer:GetEC2InstanceRecommendations",
  "compute-optimizer:GetEBSVolumeRecommendations", "cloudwatch:GetMetricData",
  NULL
};

#define PROBLEM(...) G_STMT_START { g_test_message (__VA_ARGS__); problems++; } G_STMT_END

/* Counts (and logs) every way @template breaks the rules for a Stompy role
 * template. */
static guint
template_structure_problems (StompyTemplate *template,
                             gboolean        needs_bucket)
{
  const StompyTemplateParameter *parameter;
  GPtrArray *roles = stompy_template_get_roles (template);
  guint n_statements = 0;
  guint problems = 0;

  /* Quick-create links cannot fill NoEcho parameters (§3.1). */
  parameter = stompy_template_get_parameter (template, "ExternalId");
  if (parameter == NULL || parameter->no_echo)
    PROBLEM ("ExternalId is missing or NoEcho");
  parameter = stompy_template_get_parameter (template, "StompyPrincipalAccountId");
  if (parameter == NULL || parameter->no_echo)
    PROBLEM ("StompyPrincipalAccountId is missing or NoEcho");
  if (needs_bucket && stompy_template_get_parameter (template, "CurBucketName") == NULL)
    PROBLEM ("CurBucketName is missing");
  if (!stompy_template_has_output (template, "RoleArn"))
    PROBLEM ("no RoleArn output");
  if (roles->len == 0)
    PROBLEM ("no role");

  for (guint r = 0; r < roles->len; r++)
    {
      const StompyTemplateRole *role = g_ptr_array_index (roles, r);

      /* Trusts only Stompy's account, always with the external id. */
      if (g_strv_length (role->trust_principals) != 1 ||
          g_strcmp0 (role->trust_principals[0],
                     "arn:${AWS::Partition}:iam::${StompyPrincipalAccountId}:root") != 0)
        PROBLEM ("%s trusts other principals than Stompy's account", role->logical_id);
      if (!role->external_id_required || g_strcmp0 (role->external_id, "${ExternalId}") != 0)
        PROBLEM ("%s does not require StringEquals sts:ExternalId = ExternalId", role->logical_id);
      for (guint i = 0; i < role->trust_statements->len; i++)
        {
          const StompyTemplateStatement *trust = g_ptr_array_index (role->trust_statements, i);

          if (!trust->allow || trust->not_action || g_strv_length (trust->actions) != 1 ||
              g_strcmp0 (trust->actions[0], "sts:AssumeRole") != 0)
            PROBLEM ("%s: a trust statement is not Allow sts:AssumeRole", role->logical_id);
        }
      if (g_strv_length (role->managed_policy_arns) != 0)
        PROBLEM ("%s attaches managed policies, which the template cannot show",
                 role->logical_id);

      for (guint i = 0; i < role->statements->len; i++)
        {
          const StompyTemplateStatement *statement = g_ptr_array_index (role->statements, i);
          const char *sid = statement->sid ? statement->sid : "(no sid)";
          gboolean star_resource =
            g_strv_contains ((const char * const *) statement->resources, "*");

          n_statements++;
          if (!statement->allow || statement->not_action)
            PROBLEM ("%s: not a plain Allow statement", sid);
          if (g_strv_length (statement->resources) == 0 || g_strv_length (statement->actions) == 0)
            PROBLEM ("%s: no Resource or no Action", sid);

          for (guint a = 0; statement->actions[a] != NULL; a++)
            {
              const char *action = statement->actions[a];

              /* No "*" and no "service:*" anywhere, and no wildcard verbs. */
              if (strchr (action, ':') == NULL || strchr (action, '*') != NULL)
                PROBLEM ("%s: wildcard or malformed action %s", sid, action);

              if (star_resource && statement->conditions->len == 0 &&
                  !g_strv_contains (star_resource_allowed, action))
                PROBLEM ("%s grants %s on \"*\" without a Condition, but the action "
                         "supports resource-level permissions", sid, action);
            }
        }
    }

  if (n_statements == 0)
    PROBLEM ("no permission statement");

  return problems;
}

static void
test_structure_analysaver (void)
{
  g_autoptr(StompyTemplate) template = load_template ("analysaver.json");

  g_assert_cmpuint (template_structure_problems (template, TRUE), ==, 0);
}

static void
test_structure_spotainer (void)
{
  g_autoptr(StompyTemplate) template = load_template ("spotainer.json");

  g_assert_cmpuint (template_structure_problems (template, FALSE), ==, 0);
}

/* The checker must catch what it is for: each of these breaks one rule. */
static void
test_structure_checker_catches_breaches (void)
{
#define PARAMS_WITH(extra) "\"Parameters\": {\"ExternalId\": {\"Type\": \"String\"" extra "}," \
               " \"StompyPrincipalAccountId\": {\"Type\": \"String\"}},"
#define PARAMS PARAMS_WITH ("")
#define TRUST(principal, condition) \
  "\"AssumeRolePolicyDocument\": {\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\"," \
  " \"Principal\": {\"AWS\": " principal "}" condition "}]},"
#define GOOD_PRINCIPAL "{\"Fn::Sub\": \"arn:${AWS::Partition}:iam::${StompyPrincipalAccountId}:root\"}"
#define GOOD_CONDITION ", \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": {\"Ref\": \"ExternalId\"}}}"
#define POLICY(statement) \
  "\"Policies\": [{\"PolicyName\": \"p\", \"PolicyDocument\": {\"Statement\": [" statement "]}}]"
#define DOC(params, trust, policy) \
  "{" params " \"Resources\": {\"R\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {" \
  trust policy "}}}, \"Outputs\": {\"RoleArn\": {\"Value\": {\"Fn::GetAtt\": [\"R\", \"Arn\"]}}}}"
#define GOOD_STATEMENT "{\"Effect\": \"Allow\", \"Action\": \"ec2:DescribeInstances\", \"Resource\": \"*\"}"

  const char *good = DOC (PARAMS, TRUST (GOOD_PRINCIPAL, GOOD_CONDITION), POLICY (GOOD_STATEMENT));
  const char *bad[] = {
    /* service:* */
    DOC (PARAMS, TRUST (GOOD_PRINCIPAL, GOOD_CONDITION),
         POLICY ("{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::b\"}")),
    /* "*" */
    DOC (PARAMS, TRUST (GOOD_PRINCIPAL, GOOD_CONDITION),
         POLICY ("{\"Effect\": \"Allow\", \"Action\": [\"*\"], \"Resource\": \"arn:aws:s3:::b\"}")),
    /* a resource-level action on "*" with no condition */
    DOC (PARAMS, TRUST (GOOD_PRINCIPAL, GOOD_CONDITION),
         POLICY ("{\"Effect\": \"Allow\", \"Action\": \"ec2:TerminateInstances\", \"Resource\": \"*\"}")),
    /* trusting everyone */
    DOC (PARAMS, TRUST ("\"*\"", GOOD_CONDITION), POLICY (GOOD_STATEMENT)),
    /* no external id condition */
    DOC (PARAMS, TRUST (GOOD_PRINCIPAL, ""), POLICY (GOOD_STATEMENT)),
    /* StringLike instead of StringEquals */
    DOC (PARAMS, TRUST (GOOD_PRINCIPAL,
                        ", \"Condition\": {\"StringLike\": {\"sts:ExternalId\": {\"Ref\": \"ExternalId\"}}}"),
         POLICY (GOOD_STATEMENT)),
  };
  const char *good_doc = good;
  const char *no_echo_doc = DOC (PARAMS_WITH (", \"NoEcho\": true"),
                                 TRUST (GOOD_PRINCIPAL, GOOD_CONDITION), POLICY (GOOD_STATEMENT));
  g_autoptr(StompyTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  template = stompy_template_parse (good_doc, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (template_structure_problems (template, FALSE), ==, 0);
  /* The AnalySaver rules want the bucket parameter too. */
  g_assert_cmpuint (template_structure_problems (template, TRUE), ==, 1);
  g_clear_pointer (&template, stompy_template_unref);

  template = stompy_template_parse (no_echo_doc, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (template_structure_problems (template, FALSE), ==, 1);
  g_clear_pointer (&template, stompy_template_unref);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      template = stompy_template_parse (bad[i], -1, &error);
      g_assert_no_error (error);
      g_test_message ("breach %u", i);
      g_assert_cmpuint (template_structure_problems (template, FALSE), >=, 1);
      g_clear_pointer (&template, stompy_template_unref);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cloudformation/status/classifies-all-23", test_status_classification);
  g_test_add_func ("/cloudformation/describe-stacks/parses-outputs-and-parameters",
                   test_describe_stacks_parse);
  g_test_add_func ("/cloudformation/events/parse-and-next-token", test_events_parse_and_paging_token);
  g_test_add_func ("/cloudformation/progress/by-client-request-token", test_progress_by_token);
  g_test_add_func ("/cloudformation/progress/by-start-time", test_progress_by_time);
  g_test_add_func ("/cloudformation/progress/mid-creation", test_progress_mid_creation);
  g_test_add_func ("/cloudformation/failure-reason/oldest-failed-event",
                   test_failure_reason_is_oldest_failure);
  g_test_add_func ("/cloudformation/quick-create/encodes-every-value", test_quick_create_url);
  g_test_add_func ("/cloudformation/request/validation", test_request_validation);
  g_test_add_func ("/cloudformation/role-arn/table", test_role_arn_check);
  g_test_add_func ("/cloudformation/watch/backoff-schedule", test_watch_backoff);
  g_test_add_func ("/cloudformation/watch/schedule-rate-bound", test_watch_schedule_rate);
  g_test_add_func ("/cloudformation/template/analysaver-permissions", test_template_analysaver);
  g_test_add_func ("/cloudformation/template/spotainer-permissions", test_template_spotainer);
  g_test_add_func ("/cloudformation/template/intrinsics-and-errors",
                   test_template_rendering_and_errors);
  g_test_add_func ("/cloudformation/template-structure/analysaver", test_structure_analysaver);
  g_test_add_func ("/cloudformation/template-structure/spotainer", test_structure_spotainer);
  g_test_add_func ("/cloudformation/template-structure/checker-catches-breaches",
                   test_structure_checker_catches_breaches);

  return g_test_run ();
}
