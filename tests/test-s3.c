/* test-s3.c — bucket names, report names and prefixes, and the delivery bucket policy
 *
 * Pure functions only: the naming rules of aws-cur-s3.md §5.7 and §1.3, and
 * the bucket-policy statements of §3 with their merge into a policy that is
 * already there.
 */
#include "config.h"

#include <string.h>

#include "stompy-bucket-policy.h"
#include "stompy-cur.h"
#include "stompy-error.h"
#include "stompy-s3.h"

#define ACCOUNT "123456789012"
#define BUCKET "stompy-cur-123456789012"

/* ------------------------------------------------------------------ bucket names */

typedef struct
{
  const char            *name;
  StompyBucketNameReason reason;
} BucketCase;

static const BucketCase bucket_cases[] = {
  /* Valid. */
  { "abc", STOMPY_BUCKET_NAME_VALID },
  { "stompy-cur-123456789012", STOMPY_BUCKET_NAME_VALID },
  { "my.bucket.name", STOMPY_BUCKET_NAME_VALID },
  { "a1-b2.c3", STOMPY_BUCKET_NAME_VALID },
  { "123", STOMPY_BUCKET_NAME_VALID },
  { "0abc9", STOMPY_BUCKET_NAME_VALID },
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", STOMPY_BUCKET_NAME_VALID },
  { "docexamplebucket1", STOMPY_BUCKET_NAME_VALID },
  { "log-delivery-march-2020", STOMPY_BUCKET_NAME_VALID },
  { "my-hosted-content", STOMPY_BUCKET_NAME_VALID },
  { "a-b", STOMPY_BUCKET_NAME_VALID },
  { "192.168.5", STOMPY_BUCKET_NAME_VALID },            /* three groups: not an address */
  { "192.168.5.4.5", STOMPY_BUCKET_NAME_VALID },        /* five groups */
  { "1234.168.5.4", STOMPY_BUCKET_NAME_VALID },         /* a four-digit group */
  { "v1.2.3.x", STOMPY_BUCKET_NAME_VALID },
  { "xn-abc", STOMPY_BUCKET_NAME_VALID },               /* one hyphen only */
  { "my-xn--bucket", STOMPY_BUCKET_NAME_VALID },        /* reserved only as a prefix */
  { "sthree", STOMPY_BUCKET_NAME_VALID },
  { "amzn-s3-demo", STOMPY_BUCKET_NAME_VALID },
  { "s3alias-first", STOMPY_BUCKET_NAME_VALID },        /* reserved only as a suffix */
  { "bucket-s3alias-not", STOMPY_BUCKET_NAME_VALID },
  { "mrap.bucket", STOMPY_BUCKET_NAME_VALID },
  { "bucket-x-s3", STOMPY_BUCKET_NAME_VALID },          /* one hyphen, not "--x-s3" */
  { "bucket-table-s3", STOMPY_BUCKET_NAME_VALID },
  { "bucket-ol-s3", STOMPY_BUCKET_NAME_VALID },
  { "bucket-and", STOMPY_BUCKET_NAME_VALID },
  { "a--b", STOMPY_BUCKET_NAME_VALID },
  { "a.-b", STOMPY_BUCKET_NAME_VALID },
  /* Length. */
  { "", STOMPY_BUCKET_NAME_TOO_SHORT },
  { "a", STOMPY_BUCKET_NAME_TOO_SHORT },
  { "ab", STOMPY_BUCKET_NAME_TOO_SHORT },
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", STOMPY_BUCKET_NAME_TOO_LONG },
  /* Characters. */
  { "MyBucket", STOMPY_BUCKET_NAME_UPPERCASE },
  { "stompy-CUR", STOMPY_BUCKET_NAME_UPPERCASE },
  { "my_bucket", STOMPY_BUCKET_NAME_INVALID_CHARACTER },
  { "my bucket", STOMPY_BUCKET_NAME_INVALID_CHARACTER },
  { "my/bucket", STOMPY_BUCKET_NAME_INVALID_CHARACTER },
  { "bücket", STOMPY_BUCKET_NAME_INVALID_CHARACTER },
  { "my:bucket", STOMPY_BUCKET_NAME_INVALID_CHARACTER },
  /* Start and end. */
  { "-bucket", STOMPY_BUCKET_NAME_BAD_START },
  { ".bucket", STOMPY_BUCKET_NAME_BAD_START },
  { "bucket-", STOMPY_BUCKET_NAME_BAD_END },
  { "bucket.", STOMPY_BUCKET_NAME_BAD_END },
  /* Periods and addresses. */
  { "my..bucket", STOMPY_BUCKET_NAME_ADJACENT_PERIODS },
  { "a...b", STOMPY_BUCKET_NAME_ADJACENT_PERIODS },
  { "192.168.5.4", STOMPY_BUCKET_NAME_IP_ADDRESS },
  { "10.0.0.1", STOMPY_BUCKET_NAME_IP_ADDRESS },
  { "999.999.999.999", STOMPY_BUCKET_NAME_IP_ADDRESS },
  /* Reserved prefixes. */
  { "xn--bucket", STOMPY_BUCKET_NAME_RESERVED_PREFIX },
  { "sthree-bucket", STOMPY_BUCKET_NAME_RESERVED_PREFIX },
  { "sthree-configurator", STOMPY_BUCKET_NAME_RESERVED_PREFIX },
  { "amzn-s3-demo-bucket", STOMPY_BUCKET_NAME_RESERVED_PREFIX },
  /* Reserved suffixes. */
  { "bucket-s3alias", STOMPY_BUCKET_NAME_RESERVED_SUFFIX },
  { "bucket--ol-s3", STOMPY_BUCKET_NAME_RESERVED_SUFFIX },
  { "bucket.mrap", STOMPY_BUCKET_NAME_RESERVED_SUFFIX },
  { "bucket--x-s3", STOMPY_BUCKET_NAME_RESERVED_SUFFIX },
  { "bucket--table-s3", STOMPY_BUCKET_NAME_RESERVED_SUFFIX },
  { "bucket-123456789012-us-east-1-an", STOMPY_BUCKET_NAME_RESERVED_SUFFIX },
};

static void
test_bucket_names (void)
{
  guint valid = 0;
  guint invalid = 0;

  for (guint i = 0; i < G_N_ELEMENTS (bucket_cases); i++)
    {
      const BucketCase *c = &bucket_cases[i];
      StompyBucketNameReason reason = 42;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("bucket name “%s”: expect %s", c->name,
                      stompy_bucket_name_reason_to_string (c->reason));
      ok = stompy_s3_validate_bucket_name (c->name, &reason, &error);
      g_assert_cmpstr (stompy_bucket_name_reason_to_string (reason), ==,
                       stompy_bucket_name_reason_to_string (c->reason));
      if (c->reason == STOMPY_BUCKET_NAME_VALID)
        {
          g_assert_true (ok);
          g_assert_no_error (error);
          valid++;
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
          invalid++;
        }
    }

  g_assert_cmpuint (valid + invalid, >=, 40);
  g_assert_cmpuint (valid, >=, 10);
  g_assert_cmpuint (invalid, >=, 20);
}

static void
test_bucket_name_every_reason (void)
{
  gboolean seen[STOMPY_BUCKET_NAME_RESERVED_SUFFIX + 1] = { FALSE, };

  for (guint i = 0; i < G_N_ELEMENTS (bucket_cases); i++)
    seen[bucket_cases[i].reason] = TRUE;

  for (guint r = 0; r < G_N_ELEMENTS (seen); r++)
    {
      g_test_message ("reason %s", stompy_bucket_name_reason_to_string (r));
      g_assert_true (seen[r]);
      g_assert_cmpstr (stompy_bucket_name_reason_to_string (r), !=, "unknown");
    }
}

static void
test_bucket_name_null (void)
{
  StompyBucketNameReason reason = STOMPY_BUCKET_NAME_VALID;

  g_assert_false (stompy_s3_validate_bucket_name (NULL, &reason, NULL));
  g_assert_cmpint (reason, ==, STOMPY_BUCKET_NAME_TOO_SHORT);
}

static void
test_delivery_prefix (void)
{
  const struct { const char *prefix, *name, *expected; } cases[] = {
    { "cur", "stompy", "cur/stompy/" },
    { "cur/", "stompy", "cur/stompy/" },
    { "a/b", "r", "a/b/r/" },
    { "", "stompy", "stompy/" },
    { NULL, "stompy", "stompy/" },
    { "/", "stompy", "stompy/" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *joined = stompy_s3_delivery_prefix (cases[i].prefix, cases[i].name);
      g_assert_cmpstr (joined, ==, cases[i].expected);
    }
}

/* ------------------------------------------------------------------ report names and prefixes */

static void
test_report_names (void)
{
  const struct { const char *name; StompyCurNameReason reason; } cases[] = {
    { "stompy-cur", STOMPY_CUR_NAME_VALID },
    { "Stompy_CUR.2024", STOMPY_CUR_NAME_VALID },
    { "a!b*c'd(e)f", STOMPY_CUR_NAME_VALID },
    { "x", STOMPY_CUR_NAME_VALID },
    { "", STOMPY_CUR_NAME_EMPTY },
    { NULL, STOMPY_CUR_NAME_EMPTY },
    { "my report", STOMPY_CUR_NAME_INVALID_CHARACTER },
    { "cur/report", STOMPY_CUR_NAME_INVALID_CHARACTER },
    { "report#1", STOMPY_CUR_NAME_INVALID_CHARACTER },
    { "报告", STOMPY_CUR_NAME_INVALID_CHARACTER },
  };
  g_autofree char *long_name = g_strnfill (257, 'a');
  g_autofree char *max_name = g_strnfill (256, 'a');
  StompyCurNameReason reason;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = stompy_cur_validate_report_name (cases[i].name, &reason, &error);

      g_test_message ("report name “%s”", cases[i].name ? cases[i].name : "(null)");
      g_assert_cmpstr (stompy_cur_name_reason_to_string (reason), ==,
                       stompy_cur_name_reason_to_string (cases[i].reason));
      g_assert_true (ok == (cases[i].reason == STOMPY_CUR_NAME_VALID));
      if (!ok)
        g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
    }

  g_assert_true (stompy_cur_validate_report_name (max_name, &reason, NULL));
  g_assert_false (stompy_cur_validate_report_name (long_name, &reason, NULL));
  g_assert_cmpint (reason, ==, STOMPY_CUR_NAME_TOO_LONG);
}

static void
test_report_prefixes (void)
{
  const struct { const char *prefix; gboolean athena; StompyCurNameReason reason; } cases[] = {
    { "cur", TRUE, STOMPY_CUR_NAME_VALID },
    { "billing/cur", TRUE, STOMPY_CUR_NAME_VALID },
    { "a!-_.*'()", TRUE, STOMPY_CUR_NAME_VALID },
    { "", FALSE, STOMPY_CUR_NAME_VALID },
    { NULL, FALSE, STOMPY_CUR_NAME_VALID },
    { "", TRUE, STOMPY_CUR_NAME_EMPTY },
    { NULL, TRUE, STOMPY_CUR_NAME_EMPTY },
    { "my prefix", TRUE, STOMPY_CUR_NAME_INVALID_CHARACTER },
    { "cur?x", FALSE, STOMPY_CUR_NAME_INVALID_CHARACTER },
    { "/cur", TRUE, STOMPY_CUR_NAME_LEADING_SLASH },
    { "cur/", TRUE, STOMPY_CUR_NAME_TRAILING_SLASH },
    { "/", FALSE, STOMPY_CUR_NAME_LEADING_SLASH },
    { "a//b", TRUE, STOMPY_CUR_NAME_ADJACENT_SLASHES },
  };
  g_autofree char *long_prefix = g_strnfill (257, 'p');
  StompyCurNameReason reason;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = stompy_cur_validate_prefix (cases[i].prefix, cases[i].athena, &reason,
                                                &error);

      g_test_message ("prefix “%s” (athena %d)", cases[i].prefix ? cases[i].prefix : "(null)",
                      cases[i].athena);
      g_assert_cmpstr (stompy_cur_name_reason_to_string (reason), ==,
                       stompy_cur_name_reason_to_string (cases[i].reason));
      g_assert_true (ok == (cases[i].reason == STOMPY_CUR_NAME_VALID));
      if (!ok)
        g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
    }

  g_assert_false (stompy_cur_validate_prefix (long_prefix, FALSE, &reason, NULL));
  g_assert_cmpint (reason, ==, STOMPY_CUR_NAME_TOO_LONG);
}

/* ------------------------------------------------------------------ policy: building */

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static JsonArray *
statements_of (JsonNode *document)
{
  return json_object_get_array_member (json_node_get_object (document), "Statement");
}

static JsonObject *
statement_with_sid (JsonNode   *document,
                    const char *sid)
{
  JsonArray *statements = statements_of (document);

  for (guint i = 0; i < json_array_get_length (statements); i++)
    {
      JsonObject *statement = json_array_get_object_element (statements, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (statement, "Sid", NULL),
                     sid) == 0)
        return statement;
    }

  return NULL;
}

static void
assert_condition (JsonObject *statement,
                  const char *source_arn)
{
  JsonObject *condition = json_object_get_object_member (statement, "Condition");
  JsonObject *like = json_object_get_object_member (condition, "StringLike");

  g_assert_cmpstr (json_object_get_string_member (like, "aws:SourceArn"), ==, source_arn);
  g_assert_cmpstr (json_object_get_string_member (like, "aws:SourceAccount"), ==, ACCOUNT);
}

static void
test_policy_build_cur (void)
{
  g_autofree char *text = stompy_bucket_policy_build (BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR);
  g_autoptr(JsonNode) document = parse (text);
  JsonObject *check;
  JsonObject *delivery;
  JsonArray *actions;

  /* Pretty-printed for display. */
  g_assert_nonnull (strstr (text, "\n  \"Statement\""));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (document), "Version"),
                   ==, "2012-10-17");
  g_assert_cmpuint (json_array_get_length (statements_of (document)), ==, 2);

  check = statement_with_sid (document, STOMPY_POLICY_SID_CUR_CHECK);
  g_assert_nonnull (check);
  g_assert_cmpstr (json_object_get_string_member (check, "Effect"), ==, "Allow");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (check,
                                                                                 "Principal"),
                                                  "Service"), ==, "billingreports.amazonaws.com");
  actions = json_object_get_array_member (check, "Action");
  g_assert_cmpuint (json_array_get_length (actions), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (actions, 0), ==, "s3:GetBucketAcl");
  g_assert_cmpstr (json_array_get_string_element (actions, 1), ==, "s3:GetBucketPolicy");
  g_assert_cmpstr (json_object_get_string_member (check, "Resource"), ==,
                   "arn:aws:s3:::" BUCKET);
  assert_condition (check, "arn:aws:cur:us-east-1:" ACCOUNT ":definition/*");

  delivery = statement_with_sid (document, STOMPY_POLICY_SID_CUR_DELIVERY);
  g_assert_nonnull (delivery);
  g_assert_cmpstr (json_object_get_string_member (delivery, "Action"), ==, "s3:PutObject");
  g_assert_cmpstr (json_object_get_string_member (delivery, "Resource"), ==,
                   "arn:aws:s3:::" BUCKET "/*");
  assert_condition (delivery, "arn:aws:cur:us-east-1:" ACCOUNT ":definition/*");

  g_assert_null (statement_with_sid (document, STOMPY_POLICY_SID_EXPORTS));
  g_assert_true (stompy_bucket_policy_allows_delivery (text, BUCKET, ACCOUNT,
                                                       STOMPY_DELIVERY_CUR));
  g_assert_false (stompy_bucket_policy_allows_delivery (text, BUCKET, ACCOUNT,
                                                        STOMPY_DELIVERY_DATA_EXPORTS));
  g_assert_false (stompy_bucket_policy_allows_delivery (text, "other-bucket", ACCOUNT,
                                                        STOMPY_DELIVERY_CUR));
  g_assert_false (stompy_bucket_policy_allows_delivery (text, BUCKET, "999999999999",
                                                        STOMPY_DELIVERY_CUR));
}

static void
test_policy_build_data_exports (void)
{
  g_autofree char *text = stompy_bucket_policy_build (BUCKET, ACCOUNT,
                                                      STOMPY_DELIVERY_DATA_EXPORTS);
  g_autoptr(JsonNode) document = parse (text);
  JsonObject *statement;
  JsonArray *resources;

  g_assert_cmpuint (json_array_get_length (statements_of (document)), ==, 1);
  statement = statement_with_sid (document, STOMPY_POLICY_SID_EXPORTS);
  g_assert_nonnull (statement);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (statement,
                                                                                 "Principal"),
                                                  "Service"), ==, "bcm-data-exports.amazonaws.com");
  resources = json_object_get_array_member (statement, "Resource");
  g_assert_cmpstr (json_array_get_string_element (resources, 0), ==, "arn:aws:s3:::" BUCKET "/*");
  g_assert_cmpstr (json_array_get_string_element (resources, 1), ==, "arn:aws:s3:::" BUCKET);
  assert_condition (statement, "arn:aws:bcm-data-exports:us-east-1:" ACCOUNT ":export/*");
  g_assert_true (stompy_bucket_policy_allows_delivery (text, BUCKET, ACCOUNT,
                                                       STOMPY_DELIVERY_DATA_EXPORTS));
  g_assert_false (stompy_bucket_policy_allows_delivery (text, BUCKET, ACCOUNT,
                                                        STOMPY_DELIVERY_CUR));
}

/* ------------------------------------------------------------------ policy: merging */

static void
test_policy_merge_empty (void)
{
  const char *empties[] = { NULL, "", "  \n" };

  for (guint i = 0; i < G_N_ELEMENTS (empties); i++)
    {
      StompyPolicyMergeOutcome outcome = STOMPY_POLICY_MERGE_UNCHANGED;
      g_autoptr(GError) error = NULL;
      g_autofree char *merged = NULL;
      g_autofree char *built = stompy_bucket_policy_build (BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR);

      merged = stompy_bucket_policy_merge (empties[i], BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR,
                                           &outcome, &error);
      g_assert_no_error (error);
      g_assert_cmpint (outcome, ==, STOMPY_POLICY_MERGE_CREATED);
      g_assert_cmpstr (merged, ==, built);
    }
}

static const char unrelated_policy[] =
  "{\"Version\":\"2012-10-17\",\"Id\":\"Keep\",\"Statement\":["
  "{\"Sid\":\"DenyInsecure\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
  "\"Resource\":[\"arn:aws:s3:::" BUCKET "\",\"arn:aws:s3:::" BUCKET "/*\"],"
  "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}},"
  "{\"Sid\":\"ReadForAnalytics\",\"Effect\":\"Allow\","
  "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/Analytics\"},"
  "\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
  "\"Resource\":[\"arn:aws:s3:::" BUCKET "\",\"arn:aws:s3:::" BUCKET "/*\"]}]}";

static void
test_policy_merge_keeps_unrelated (void)
{
  StompyPolicyMergeOutcome outcome = STOMPY_POLICY_MERGE_UNCHANGED;
  g_autoptr(GError) error = NULL;
  g_autofree char *merged = NULL;
  g_autoptr(JsonNode) before = parse (unrelated_policy);
  g_autoptr(JsonNode) after = NULL;
  JsonArray *statements;

  merged = stompy_bucket_policy_merge (unrelated_policy, BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR,
                                       &outcome, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, STOMPY_POLICY_MERGE_UPDATED);

  after = parse (merged);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (after), "Id"), ==,
                   "Keep");
  statements = statements_of (after);
  g_assert_cmpuint (json_array_get_length (statements), ==, 4);
  /* The owner's statements first, in order and unchanged. */
  for (guint i = 0; i < 2; i++)
    g_assert_true (json_node_equal (json_array_get_element (statements_of (before), i),
                                    json_array_get_element (statements, i)));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (statements, 2),
                                                  "Sid"), ==, STOMPY_POLICY_SID_CUR_CHECK);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (statements, 3),
                                                  "Sid"), ==, STOMPY_POLICY_SID_CUR_DELIVERY);
  g_assert_true (stompy_bucket_policy_allows_delivery (merged, BUCKET, ACCOUNT,
                                                       STOMPY_DELIVERY_CUR));
}

static void
test_policy_merge_already_present (void)
{
  g_autofree char *built = stompy_bucket_policy_build (BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR);
  StompyPolicyMergeOutcome outcome = STOMPY_POLICY_MERGE_CREATED;
  g_autoptr(GError) error = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *again = NULL;

  merged = stompy_bucket_policy_merge (built, BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR, &outcome,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, STOMPY_POLICY_MERGE_UNCHANGED);
  g_assert_cmpstr (merged, ==, built);

  /* Merging what a merge produced changes nothing either. */
  {
    g_autofree char *first = stompy_bucket_policy_merge (unrelated_policy, BUCKET, ACCOUNT,
                                                         STOMPY_DELIVERY_CUR, NULL, &error);
    g_assert_no_error (error);
    again = stompy_bucket_policy_merge (first, BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR, &outcome,
                                        &error);
    g_assert_no_error (error);
    g_assert_cmpint (outcome, ==, STOMPY_POLICY_MERGE_UNCHANGED);
    g_assert_cmpstr (again, ==, first);
  }
}

/* The user guide's own policy (§3.1: no Sid on the first statement,
 * StringEquals) grants the same: equivalent content is recognised. */
static const char user_guide_policy[] =
  "{\"Version\":\"2012-10-17\",\"Statement\":["
  " {\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"billingreports.amazonaws.com\"},"
  "  \"Action\":[\"s3:GetBucketAcl\",\"s3:GetBucketPolicy\"],"
  "  \"Resource\":\"arn:aws:s3:::" BUCKET "\","
  "  \"Condition\":{\"StringEquals\":{\"aws:SourceArn\":\"arn:aws:cur:us-east-1:" ACCOUNT
  ":definition/*\",\"aws:SourceAccount\":\"" ACCOUNT "\"}}},"
  " {\"Sid\":\"Stmt1335892526596\",\"Effect\":\"Allow\","
  "  \"Principal\":{\"Service\":\"billingreports.amazonaws.com\"},"
  "  \"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::" BUCKET "/*\","
  "  \"Condition\":{\"StringEquals\":{\"aws:SourceArn\":\"arn:aws:cur:us-east-1:" ACCOUNT
  ":definition/*\",\"aws:SourceAccount\":\"" ACCOUNT "\"}}}]}";

static void
test_policy_merge_equivalent_content (void)
{
  StompyPolicyMergeOutcome outcome = STOMPY_POLICY_MERGE_CREATED;
  g_autoptr(GError) error = NULL;
  g_autofree char *merged = NULL;

  merged = stompy_bucket_policy_merge (user_guide_policy, BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR,
                                       &outcome, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, STOMPY_POLICY_MERGE_UNCHANGED);
  g_assert_cmpstr (merged, ==, user_guide_policy);

  /* …but not for Data Exports, whose principal is missing. */
  g_clear_pointer (&merged, g_free);
  merged = stompy_bucket_policy_merge (user_guide_policy, BUCKET, ACCOUNT,
                                       STOMPY_DELIVERY_DATA_EXPORTS, &outcome, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, STOMPY_POLICY_MERGE_UPDATED);
}

static void
test_policy_merge_single_statement_object (void)
{
  const char *single =
    "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"Only\",\"Effect\":\"Allow\","
    "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"s3:GetObject\","
    "\"Resource\":\"arn:aws:s3:::" BUCKET "/*\"}}";
  StompyPolicyMergeOutcome outcome = STOMPY_POLICY_MERGE_CREATED;
  g_autoptr(GError) error = NULL;
  g_autofree char *merged = NULL;
  g_autoptr(JsonNode) after = NULL;
  JsonArray *statements;

  merged = stompy_bucket_policy_merge (single, BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR, &outcome,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, STOMPY_POLICY_MERGE_UPDATED);
  after = parse (merged);
  statements = statements_of (after);
  g_assert_cmpuint (json_array_get_length (statements), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (statements, 0),
                                                  "Sid"), ==, "Only");

  /* A single statement that already grants everything is recognised too. */
  {
    const char *single_ours =
      "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
      "\"Principal\":{\"Service\":[\"billingreports.amazonaws.com\"]},"
      "\"Action\":[\"s3:GetBucketAcl\",\"s3:GetBucketPolicy\",\"s3:PutObject\"],"
      "\"Resource\":[\"arn:aws:s3:::" BUCKET "\",\"arn:aws:s3:::" BUCKET "/*\"]}}";
    g_autofree char *unchanged = stompy_bucket_policy_merge (single_ours, BUCKET, ACCOUNT,
                                                             STOMPY_DELIVERY_CUR, &outcome,
                                                             &error);
    g_assert_no_error (error);
    g_assert_cmpint (outcome, ==, STOMPY_POLICY_MERGE_UNCHANGED);
    g_assert_cmpstr (unchanged, ==, single_ours);
  }
}

static void
test_policy_merge_replaces_stale_own_statement (void)
{
  /* Our statements from a run for another bucket name: replaced in place,
   * not duplicated. */
  g_autofree char *stale = stompy_bucket_policy_build ("old-bucket", ACCOUNT, STOMPY_DELIVERY_CUR);
  StompyPolicyMergeOutcome outcome = STOMPY_POLICY_MERGE_CREATED;
  g_autoptr(GError) error = NULL;
  g_autofree char *merged = NULL;
  g_autoptr(JsonNode) after = NULL;

  merged = stompy_bucket_policy_merge (stale, BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR, &outcome,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, STOMPY_POLICY_MERGE_UPDATED);
  after = parse (merged);
  g_assert_cmpuint (json_array_get_length (statements_of (after)), ==, 2);
  g_assert_true (stompy_bucket_policy_allows_delivery (merged, BUCKET, ACCOUNT,
                                                       STOMPY_DELIVERY_CUR));
  g_assert_null (strstr (merged, "old-bucket"));
}

static void
test_policy_merge_invalid (void)
{
  const char *invalid[] = {
    "not json",
    "{\"Version\":\"2012-10-17\",\"Statement\":[",
    "[1, 2]",
    "{\"Statement\":\"everything\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *merged = NULL;

      merged = stompy_bucket_policy_merge (invalid[i], BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR,
                                           NULL, &error);
      g_assert_null (merged);
      g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
      g_assert_false (stompy_bucket_policy_allows_delivery (invalid[i], BUCKET, ACCOUNT,
                                                            STOMPY_DELIVERY_CUR));
    }
}

static void
test_policy_allows_delivery_rejects (void)
{
  g_autofree char *built = stompy_bucket_policy_build (BUCKET, ACCOUNT, STOMPY_DELIVERY_CUR);
  g_autofree char *with_deny = NULL;
  const char *missing_acl =
    "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"billingreports.amazonaws.com\"},"
    "\"Action\":[\"s3:GetBucketPolicy\",\"s3:PutObject\"],"
    "\"Resource\":[\"arn:aws:s3:::" BUCKET "\",\"arn:aws:s3:::" BUCKET "/*\"]}]}";
  const char *other_condition =
    "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"billingreports.amazonaws.com\"},"
    "\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::" BUCKET "\",\"arn:aws:s3:::" BUCKET "/*\"],"
    "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}]}";
  const char *wildcard_action =
    "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"billingreports.amazonaws.com\"},"
    "\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::" BUCKET "\",\"arn:aws:s3:::" BUCKET "/*\"]}]}";

  g_assert_false (stompy_bucket_policy_allows_delivery (missing_acl, BUCKET, ACCOUNT,
                                                        STOMPY_DELIVERY_CUR));
  g_assert_false (stompy_bucket_policy_allows_delivery (other_condition, BUCKET, ACCOUNT,
                                                        STOMPY_DELIVERY_CUR));
  g_assert_true (stompy_bucket_policy_allows_delivery (wildcard_action, BUCKET, ACCOUNT,
                                                       STOMPY_DELIVERY_CUR));
  g_assert_false (stompy_bucket_policy_allows_delivery (NULL, BUCKET, ACCOUNT,
                                                        STOMPY_DELIVERY_CUR));

  /* An explicit Deny aimed at the service wins. */
  with_deny = g_strdup (built);
  {
    g_autoptr(JsonNode) document = parse (built);
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autoptr(JsonNode) deny = parse ("{\"Effect\":\"Deny\",\"Principal\":{\"Service\":"
                                      "\"billingreports.amazonaws.com\"},\"Action\":\"s3:PutObject\","
                                      "\"Resource\":\"arn:aws:s3:::" BUCKET "/*\"}");

    json_array_add_element (statements_of (document), g_steal_pointer (&deny));
    json_generator_set_root (generator, document);
    g_free (with_deny);
    with_deny = json_generator_to_data (generator, NULL);
  }
  g_assert_false (stompy_bucket_policy_allows_delivery (with_deny, BUCKET, ACCOUNT,
                                                        STOMPY_DELIVERY_CUR));
}

static void
test_error_predicates (void)
{
  g_autoptr(GError) taken = stompy_aws_error_new (409, "BucketAlreadyExists", "taken", "R1");
  g_autoptr(GError) elsewhere = NULL;
  g_autoptr(GError) redirect = NULL;
  g_autofree char *region = NULL;
  g_autofree char *redirect_region = NULL;

  elsewhere = stompy_aws_error_new_full (STOMPY_AWS_ERROR_ALREADY_EXISTS, 409,
                                         "BucketAlreadyOwnedByYou",
                                         "Bucket b is in us-west-2 (bucket region: us-west-2)",
                                         NULL);
  redirect = stompy_aws_error_new (301, "PermanentRedirect",
                                   "Moved Permanently (bucket region: eu-west-1)", NULL);

  g_assert_true (stompy_s3_error_is_name_taken (taken));
  g_assert_false (stompy_s3_error_is_name_taken (elsewhere));
  g_assert_false (stompy_s3_error_is_owned_in_other_region (taken, &region));
  g_assert_null (region);
  g_assert_true (stompy_s3_error_is_owned_in_other_region (elsewhere, &region));
  g_assert_cmpstr (region, ==, "us-west-2");
  redirect_region = stompy_s3_error_get_bucket_region (redirect);
  g_assert_cmpstr (redirect_region, ==, "eu-west-1");
  g_assert_null (stompy_s3_error_get_bucket_region (taken));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/s3/bucket-name/rules", test_bucket_names);
  g_test_add_func ("/s3/bucket-name/every-reason-covered", test_bucket_name_every_reason);
  g_test_add_func ("/s3/bucket-name/null-is-too-short", test_bucket_name_null);
  g_test_add_func ("/s3/delivery-prefix/joins-prefix-and-report", test_delivery_prefix);
  g_test_add_func ("/s3/errors/predicates", test_error_predicates);
  g_test_add_func ("/cur/report-name/rules", test_report_names);
  g_test_add_func ("/cur/prefix/rules", test_report_prefixes);
  g_test_add_func ("/s3/policy/build/cur", test_policy_build_cur);
  g_test_add_func ("/s3/policy/build/data-exports", test_policy_build_data_exports);
  g_test_add_func ("/s3/policy/merge/empty-creates", test_policy_merge_empty);
  g_test_add_func ("/s3/policy/merge/unrelated-kept-in-order", test_policy_merge_keeps_unrelated);
  g_test_add_func ("/s3/policy/merge/already-present-unchanged", test_policy_merge_already_present);
  g_test_add_func ("/s3/policy/merge/equivalent-content-unchanged",
                   test_policy_merge_equivalent_content);
  g_test_add_func ("/s3/policy/merge/single-statement-object",
                   test_policy_merge_single_statement_object);
  g_test_add_func ("/s3/policy/merge/stale-own-statement-replaced",
                   test_policy_merge_replaces_stale_own_statement);
  g_test_add_func ("/s3/policy/merge/invalid-json-is-an-error", test_policy_merge_invalid);
  g_test_add_func ("/s3/policy/allows-delivery/rejects", test_policy_allows_delivery_rejects);

  return g_test_run ();
}
