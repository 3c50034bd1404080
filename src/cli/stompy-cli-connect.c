/* stompy-cli-connect.c — stompy-connect-cli connect, status
 *
 *   stompy-connect-cli connect [--answers FILE.json] [--analysaver] [--spotainer]
 *       [--existing-report NAME | --report NAME --bucket NAME [--prefix P] [--data-export]]
 *       [--region REGION] [--acknowledge-iam] [--yes]
 *       [--analysaver-stack-name NAME] [--spotainer-stack-name NAME]
 *       [--profile NAME] [--json] [--dry-run]
 *   stompy-connect-cli connect --guided --account-id ID [--analysaver] [--spotainer]
 *       [--report NAME --bucket NAME [--prefix P] [--region R] [--data-export]]
 *       [--analysaver-role-arn ARN] [--spotainer-role-arn ARN] [--json] [--dry-run]
 *   stompy-connect-cli status [--profile NAME] [--json]
 *
 * "connect" is the whole wizard without a window: the report step and the
 * run-template steps through the same functions as "cur create" and "stack
 * create" (each reuses what exists), then POST /aws/accounts with the
 * Idempotency-Key kept in the state file (a second run replays rather than
 * connects twice), then Stompy's checks followed until none is pending. The
 * answers file is a JSON object whose members are the long options' names
 * ("analysaver": true, "report": "stompy-cur", …); options given on the
 * command line win over it. --dry-run sends nothing: it prints what Connect
 * would send from what the state file holds (and the products chosen here).
 *
 * --guided is the app's guided mode for a user without AWS credentials: the
 * report and the role stacks are made in the AWS console and their names and
 * RoleArns typed back, each checked as the app checks it (a bad one is a
 * usage error, and nothing is sent). What is missing is explained with the
 * console pages and the stacks' quick-create links (which need Stompy's
 * onboarding facts, so "login" first). Then Connect as above.
 *
 * "status" prints what the status panel shows for the state file's account:
 * the bucket, the report, each chosen product's stack (one look each, through
 * StompyStatusPoller) and Stompy's checks (GET /aws/accounts/{id} when signed
 * in, else as last recorded).
 *
 * Exit codes: 0 connected or waiting for the first report, 1 failed, 2 bad usage.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "stompy-aws-identity.h"
#include "stompy-bucket-policy.h"
#include "stompy-connection-watch.h"
#include "stompy-error.h"
#include "stompy-error-messages.h"
#include "stompy-http.h"
#include "stompy-json-read.h"
#include "stompy-status-poller.h"
#include "stompy-cli-common.h"

#define DEFAULT_PREFIX "cur"
/* Guided mode's region when none is given: the app's default region. */
#define DEFAULT_REGION "ap-southeast-1"

/* ------------------------------------------------------------------ options */

typedef struct
{
  char     *answers;
  gboolean  analysaver;
  gboolean  spotainer;
  char     *existing_report;
  char     *report;
  char     *bucket;
  char     *prefix;
  char     *region;
  gboolean  data_export;
  gboolean  acknowledge_iam;
  gboolean  yes;
  char     *analysaver_stack_name;
  char     *spotainer_stack_name;
  char     *profile;
  gboolean  json;
  gboolean  dry_run;
  gboolean  guided;
  char     *account_id;
  char     *analysaver_role_arn;
  char     *spotainer_role_arn;
} Answers;

static void
answers_clear (Answers *answers)
{
  g_free (answers->answers);
  g_free (answers->existing_report);
  g_free (answers->report);
  g_free (answers->bucket);
  g_free (answers->prefix);
  g_free (answers->region);
  g_free (answers->analysaver_stack_name);
  g_free (answers->spotainer_stack_name);
  g_free (answers->profile);
  g_free (answers->account_id);
  g_free (answers->analysaver_role_arn);
  g_free (answers->spotainer_role_arn);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answers, answers_clear)

/* One member of the answers file: its name, and where it goes. */
typedef struct
{
  const char *name;
  gsize       offset;
  gboolean    is_string;
} AnswerMember;

static const AnswerMember answer_members[] = {
  { "analysaver", G_STRUCT_OFFSET (Answers, analysaver), FALSE },
  { "spotainer", G_STRUCT_OFFSET (Answers, spotainer), FALSE },
  { "existing-report", G_STRUCT_OFFSET (Answers, existing_report), TRUE },
  { "report", G_STRUCT_OFFSET (Answers, report), TRUE },
  { "bucket", G_STRUCT_OFFSET (Answers, bucket), TRUE },
  { "prefix", G_STRUCT_OFFSET (Answers, prefix), TRUE },
  { "region", G_STRUCT_OFFSET (Answers, region), TRUE },
  { "data-export", G_STRUCT_OFFSET (Answers, data_export), FALSE },
  { "acknowledge-iam", G_STRUCT_OFFSET (Answers, acknowledge_iam), FALSE },
  { "yes", G_STRUCT_OFFSET (Answers, yes), FALSE },
  { "analysaver-stack-name", G_STRUCT_OFFSET (Answers, analysaver_stack_name), TRUE },
  { "spotainer-stack-name", G_STRUCT_OFFSET (Answers, spotainer_stack_name), TRUE },
  { "profile", G_STRUCT_OFFSET (Answers, profile), TRUE },
  { "guided", G_STRUCT_OFFSET (Answers, guided), FALSE },
  { "account-id", G_STRUCT_OFFSET (Answers, account_id), TRUE },
  { "analysaver-role-arn", G_STRUCT_OFFSET (Answers, analysaver_role_arn), TRUE },
  { "spotainer-role-arn", G_STRUCT_OFFSET (Answers, spotainer_role_arn), TRUE },
};

/* Fills what the command line left unset from @path. Returns -1, else the
 * usage error's status. */
static int
read_answers (const char *command,
              const char *path,
              Answers    *answers)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *object;

  if (!json_parser_load_from_file (parser, path, &error))
    {
      /* TRANSLATORS: the first %s is a file name, the second a technical explanation. */
      g_autofree char *message = g_strdup_printf (_("The answers file “%s” cannot be read: %s"),
                                                  path, error->message);
      return stompy_cli_usage_error (command, message);
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      /* TRANSLATORS: %s is a file name. */
      g_autofree char *message = g_strdup_printf (_("The answers file “%s” is not a JSON object"),
                                                  path);
      return stompy_cli_usage_error (command, message);
    }
  object = json_node_get_object (json_parser_get_root (parser));

  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);
      const AnswerMember *member = NULL;
      gpointer field;

      for (guint i = 0; i < G_N_ELEMENTS (answer_members) && member == NULL; i++)
        if (g_str_equal (answer_members[i].name, name))
          member = &answer_members[i];

      if (member == NULL
          || !JSON_NODE_HOLDS_VALUE (node)
          || json_node_get_value_type (node) != (member->is_string ? G_TYPE_STRING : G_TYPE_BOOLEAN))
        {
          g_autofree char *message =
            member == NULL
            /* TRANSLATORS: %s is a member name in the answers file. */
            ? g_strdup_printf (_("The answers file has an unknown answer “%s”"), name)
            /* TRANSLATORS: %s is a member name in the answers file. */
            : g_strdup_printf (member->is_string
                               ? _("The answer “%s” must be a string")
                               : _("The answer “%s” must be true or false"), name);
          return stompy_cli_usage_error (command, message);
        }

      field = G_STRUCT_MEMBER_P (answers, member->offset);
      if (member->is_string)
        {
          char **string = field;

          if (*string == NULL)
            *string = g_strdup (json_node_get_string (node));
        }
      else
        {
          gboolean *flag = field;

          /* A flag can only be turned on from the command line. */
          *flag = *flag || json_node_get_boolean (node);
        }
    }

  return -1;
}

/* ------------------------------------------------------------------ labels */

static const char *
check_status_label (const char *status)
{
  if (g_strcmp0 (status, "ok") == 0)
    /* TRANSLATORS: a verification check passed. */
    return _("ok");
  if (g_strcmp0 (status, "failed") == 0)
    /* TRANSLATORS: a verification check failed. */
    return _("failed");
  /* TRANSLATORS: a verification check is still running. */
  return _("checking…");
}

/* What to do about a failed check, and the step it concerns. */
static const char *
check_advice (const char *id)
{
  if (g_strcmp0 (id, "read_cur_bucket") == 0)
    return _("Check the report’s bucket and its policy (“stompy-connect-cli cur create”), and "
             "that the AnalySaver stack was created for this bucket.");
  if (g_strcmp0 (id, "assume_analysaver_role") == 0)
    return _("Check that the AnalySaver stack is complete (“stompy-connect-cli stack status "
             "StompyAnalySaver”) and that its role is the one given.");
  if (g_strcmp0 (id, "assume_spotainer_role") == 0)
    return _("Check that the SpoTainer stack is complete (“stompy-connect-cli stack status "
             "StompySpoTainer”) and that its role is the one given.");
  return "";
}

static void
say (gboolean    to_stderr,
     const char *line)
{
  if (to_stderr)
    g_printerr ("%s\n", line);
  else
    g_print ("%s\n", line);
}

/* ------------------------------------------------------------------ summary */

static void
print_summary (const StompyConnectionSummary *summary,
               gboolean                       to_stderr)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* TRANSLATORS: %s is a 12-digit AWS account id. */
  g_string_append_printf (text, _("AWS account:  %s\n"), summary->account_id);
  if (summary->analysaver)
    {
      g_string_append_printf (text, "%s\n", _("StompyAnalySaver"));
      g_string_append_printf (text, _("  Role:       %s\n"), summary->analysaver_role_arn);
      if (summary->cur_kind == STOMPY_CUR_KIND_DATA_EXPORT)
        /* TRANSLATORS: %s is the name of a CUR 2.0 export. */
        g_string_append_printf (text, _("  Export:     %s (CUR 2.0)\n"), summary->report_name);
      else
        /* TRANSLATORS: %s is the name of a Cost and Usage Report. */
        g_string_append_printf (text, _("  Report:     %s\n"), summary->report_name);
      /* TRANSLATORS: "s3://BUCKET/PREFIX (REGION)". */
      g_string_append_printf (text, _("  Delivered:  s3://%s/%s (%s)\n"), summary->bucket,
                              summary->prefix, summary->region);
    }
  if (summary->spotainer)
    {
      g_string_append_printf (text, "%s\n", _("StompySpoTainer"));
      g_string_append_printf (text, _("  Role:       %s\n"), summary->spotainer_role_arn);
    }

  if (to_stderr)
    g_printerr ("%s", text->str);
  else
    g_print ("%s", text->str);
}

static const char *
missing_sentence (StompyConnectionMissing missing)
{
  if (missing & STOMPY_CONNECTION_MISSING_ACCOUNT_ID)
    return _("The AWS account is not known yet.");
  if (missing & STOMPY_CONNECTION_MISSING_PRODUCTS)
    return _("No product is chosen: use --analysaver or --spotainer.");
  if (missing & STOMPY_CONNECTION_MISSING_REPORT)
    return _("AnalySaver has no Cost and Usage Report yet.");
  if (missing & STOMPY_CONNECTION_MISSING_ANALYSAVER_ROLE)
    return _("The AnalySaver role has not been created yet.");
  if (missing & STOMPY_CONNECTION_MISSING_SPOTAINER_ROLE)
    return _("The SpoTainer role has not been created yet.");
  return _("The AnalySaver or SpoTainer role is not a role of this AWS account.");
}

/* ------------------------------------------------------------------ JSON result */

static void
add_checks_json (JsonBuilder               *builder,
                 const StompyAccountStatus *status)
{
  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  for (guint i = 0; status != NULL && i < status->checks->len; i++)
    {
      const StompyAccountCheck *check = g_ptr_array_index (status->checks, i);

      json_builder_begin_object (builder);
      stompy_json_add_string (builder, "id", check->id);
      stompy_json_add_string (builder, "status", check->status);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, check->message != NULL ? check->message : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_products_json (JsonBuilder      *builder,
                   StompyOnboarding *state)
{
  StompyProducts products = stompy_onboarding_get_products (state);
  StompyCurChoice *cur = stompy_onboarding_get_cur_choice (state);
  StompyStackRecord *stack;

  json_builder_set_member_name (builder, "analysaver");
  if (products & STOMPY_PRODUCT_ANALYSAVER)
    {
      gboolean data_export = stompy_cur_choice_get_kind (cur) == STOMPY_CUR_KIND_DATA_EXPORT;

      stack = stompy_onboarding_get_stack (state, STOMPY_PRODUCT_ANALYSAVER);
      json_builder_begin_object (builder);
      stompy_json_add_string (builder, "role_arn", stompy_stack_record_get_role_arn (stack));
      stompy_json_add_string (builder, "stack_name", stompy_stack_record_get_stack_name (stack));
      json_builder_set_member_name (builder, "cur");
      json_builder_begin_object (builder);
      stompy_json_add_string (builder, "kind", data_export ? "data_export" : "legacy");
      stompy_json_add_string (builder, data_export ? "export_name" : "report_name",
                              stompy_cur_choice_get_report_name (cur));
      stompy_json_add_string (builder, "bucket", stompy_cur_choice_get_bucket (cur));
      stompy_json_add_string (builder, "prefix", stompy_cur_choice_get_prefix (cur));
      stompy_json_add_string (builder, "region", stompy_cur_choice_get_region (cur));
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }

  json_builder_set_member_name (builder, "spotainer");
  if (products & STOMPY_PRODUCT_SPOTAINER)
    {
      stack = stompy_onboarding_get_stack (state, STOMPY_PRODUCT_SPOTAINER);
      json_builder_begin_object (builder);
      stompy_json_add_string (builder, "role_arn", stompy_stack_record_get_role_arn (stack));
      stompy_json_add_string (builder, "stack_name", stompy_stack_record_get_stack_name (stack));
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
}

static void
print_result_json (StompyOnboarding          *state,
                   const StompyAccountStatus *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  stompy_json_add_string (builder, "account_id", stompy_onboarding_get_account_id (state));
  stompy_json_add_string (builder, "status", status != NULL ? status->status : NULL);
  add_checks_json (builder, status);
  add_products_json (builder, state);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  stompy_cli_print_json (root);
}

/* ------------------------------------------------------------------ following */

typedef struct
{
  gboolean    to_stderr;
  GHashTable *printed;  /* check id → last status printed */
} Progress;

static void
print_checks (Progress                  *progress,
              const StompyAccountStatus *status)
{
  for (guint i = 0; status != NULL && i < status->checks->len; i++)
    {
      const StompyAccountCheck *check = g_ptr_array_index (status->checks, i);
      g_autofree char *line = NULL;

      if (g_strcmp0 (g_hash_table_lookup (progress->printed, check->id), check->status) == 0)
        continue;
      g_hash_table_replace (progress->printed, g_strdup (check->id), g_strdup (check->status));

      /* TRANSLATORS: "  <check>: <ok|failed|checking…>". */
      line = g_strdup_printf (_("  %s: %s"), stompy_connection_check_title (check->id),
                              check_status_label (check->status));
      say (progress->to_stderr, line);
    }
}

static void
watch_changed_cb (StompyConnectionWatch *watch,
                  StompyAccountStatus   *status,
                  gpointer               user_data)
{
  print_checks (user_data, status);
}

/* Says why Connect was refused; returns the exit status. */
static int
print_connect_error (const GError *error,
                     const char   *base_url)
{
  if (stompy_cli_is_cancelled (error))
    return STOMPY_CLI_EXIT_INTERRUPTED;

  if (g_error_matches (error, STOMPY_API_ERROR, STOMPY_API_ERROR_ACCOUNT_ALREADY_CONNECTED))
    {
      const char *organization = stompy_api_error_get_organization_name (error);
      g_autofree char *message =
        /* TRANSLATORS: %s is the name of another Stompy organization. */
        g_strdup_printf (_("This AWS account is already connected to another Stompy "
                           "organization, “%s”. Ask its administrators to disconnect it "
                           "first."), organization != NULL ? organization : "?");

      stompy_cli_print_error (message);
    }
  else if (g_error_matches (error, STOMPY_API_ERROR, STOMPY_API_ERROR_FORBIDDEN))
    {
      stompy_cli_print_error (_("Your Stompy user may not connect AWS accounts: ask an "
                                "administrator of your organization."));
    }
  else if (g_error_matches (error, STOMPY_API_ERROR, STOMPY_API_ERROR_VALIDATION_FAILED))
    {
      const char *fields[] = {
        "account_id", "products", "analysaver", "analysaver.role_arn", "analysaver.cur",
        "analysaver.cur.kind", "analysaver.cur.report_name", "analysaver.cur.export_name",
        "analysaver.cur.bucket", "analysaver.cur.prefix", "analysaver.cur.region",
        "spotainer", "spotainer.role_arn",
      };

      stompy_cli_print_error (_("Stompy did not accept what was sent:"));
      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          const char *message = stompy_api_error_get_field_message (error, fields[i]);

          if (message != NULL)
            g_printerr ("  %s: %s\n", fields[i], message);
        }
    }
  else if (error->domain == STOMPY_ERROR)
    {
      stompy_cli_print_error (error->message);
    }
  else
    {
      stompy_cli_print_api_error (error, base_url);
    }

  return STOMPY_CLI_EXIT_FAILED;
}

/* ------------------------------------------------------------------ guided mode */

/* The values only guided mode takes: in automatic mode the account comes from
 * the credentials and each RoleArn from its stack's outputs. */
static const struct
{
  const char *option;
  gsize       offset;
} guided_only[] = {
  { "--account-id", G_STRUCT_OFFSET (Answers, account_id) },
  { "--analysaver-role-arn", G_STRUCT_OFFSET (Answers, analysaver_role_arn) },
  { "--spotainer-role-arn", G_STRUCT_OFFSET (Answers, spotainer_role_arn) },
};

static int
usage_bad_value (const char *command,
                 const char *option,
                 const char *value,
                 const char *reason)
{
  g_autofree char *message =
    /* TRANSLATORS: the first %s is an option such as --account-id, the second
     * the value given, the third why it is not valid (a sentence). */
    g_strdup_printf (_("%s “%s” is not valid: %s"), option, value, reason);

  return stompy_cli_usage_error (command, message);
}

/* Each pasted value checked as the app checks it, before anything is sent.
 * Returns -1 when all are valid, else the usage error's status. */
static int
check_guided_usage (const char *command,
                    Answers    *a)
{
  StompyInvalidReason reason = STOMPY_INVALID_NONE;
  const struct
  {
    const char *option;
    const char *value;
    gboolean    chosen;
    const char *product_option;
  } arns[] = {
    { "--analysaver-role-arn", a->analysaver_role_arn, a->analysaver, "--analysaver" },
    { "--spotainer-role-arn", a->spotainer_role_arn, a->spotainer, "--spotainer" },
  };

  if (a->existing_report != NULL || a->profile != NULL)
    return stompy_cli_usage_error (command, _("--existing-report and --profile need AWS "
                                              "credentials: in guided mode, give the report "
                                              "made in the console with --report, --bucket, "
                                              "--prefix and --region"));

  if (a->account_id == NULL)
    return stompy_cli_usage_error (command, _("Guided mode needs the AWS account’s ID: add "
                                              "--account-id with its 12 digits"));
  if (!stompy_validate_account_id (a->account_id, &reason, NULL))
    return usage_bad_value (command, "--account-id", a->account_id,
                            stompy_invalid_reason_sentence (reason));

  for (guint i = 0; i < G_N_ELEMENTS (arns); i++)
    {
      g_autofree char *found = NULL;
      g_autofree char *sentence = NULL;
      StompyRoleArnProblem problem;

      if (arns[i].value == NULL)
        continue;
      if (!arns[i].chosen)
        {
          g_autofree char *message =
            /* TRANSLATORS: the first %s is an option such as --spotainer-role-arn, the
             * second the option that chooses its product, such as --spotainer. */
            g_strdup_printf (_("%s is for a product that is not chosen: add %s"),
                             arns[i].option, arns[i].product_option);
          return stompy_cli_usage_error (command, message);
        }

      problem = stompy_role_arn_check (arns[i].value, a->account_id, &found);
      if (problem == STOMPY_ROLE_ARN_OK)
        continue;
      sentence = stompy_role_arn_problem_sentence (problem, a->account_id, found);
      return usage_bad_value (command, arns[i].option, arns[i].value, sentence);
    }

  if (a->region != NULL && !stompy_aws_region_is_valid (a->region))
    {
      /* TRANSLATORS: %s is what the user gave as region. */
      g_autofree char *message = g_strdup_printf (_("“%s” is not an AWS region name (such as "
                                                    "ap-southeast-1)"), a->region);
      return stompy_cli_usage_error (command, message);
    }

  return -1;
}

/* A RoleArn recorded earlier for this account, pasted or read from the stack. */
static const char *
recorded_role_arn (StompyOnboarding *state,
                   StompyProducts    product,
                   const char       *account_id)
{
  const char *arn = stompy_stack_record_get_role_arn (stompy_onboarding_get_stack (state, product));

  if (g_strcmp0 (stompy_onboarding_get_account_id (state), account_id) != 0
      || stompy_role_arn_check (arn, account_id, NULL) != STOMPY_ROLE_ARN_OK)
    return NULL;

  return arn;
}

/* Prints the quick-create link of @product's stack, or why there is none yet. */
static void
print_stack_guidance (const StompyOnboardingInfo *info,
                      StompyProducts              product,
                      const char                 *stack_name_option,
                      const char                 *cur_bucket,
                      const char                 *region)
{
  const char *stack_name = stack_name_option != NULL
                           ? stack_name_option : stompy_cli_stack_default_name (info, product);
  gboolean analysaver = product == STOMPY_PRODUCT_ANALYSAVER;
  g_autoptr(StompyStackRequest) request = NULL;
  g_autofree char *url = NULL;

  if (analysaver && cur_bucket == NULL)
    {
      g_printerr ("\n%s\n", _("The AnalySaver role’s link needs the report’s bucket: give the "
                              "report first, and this command prints the link."));
      return;
    }

  /* The console makes its own token; the request needs one to be complete. */
  request = stompy_cli_stack_request_new (info, product, stack_name, cur_bucket, "console");
  url = stompy_cloudformation_quick_create_url (region, request);
  g_printerr ("\n");
  g_printerr (analysaver
              /* TRANSLATORS: the first %s is a stack name, the second a region. */
              ? _("Create the stack “%s” in %s from this link: tick the acknowledgement and "
                  "choose Create stack. When it is complete, give the RoleArn of its Outputs "
                  "with --analysaver-role-arn.\n")
              /* TRANSLATORS: the first %s is a stack name, the second a region. */
              : _("Create the stack “%s” in %s from this link: tick the acknowledgement and "
                  "choose Create stack. When it is complete, give the RoleArn of its Outputs "
                  "with --spotainer-role-arn.\n"), stack_name, region);
  g_printerr ("  %s\n", url);
}

/* What to do in the console for what is missing; returns the usage status. */
static int
print_guidance (const Answers              *a,
                const StompyOnboardingInfo *info,
                gboolean                    has_report,
                const char                 *cur_bucket,
                const char                 *region,
                gboolean                    has_analysaver_arn,
                gboolean                    has_spotainer_arn)
{
  stompy_cli_print_error (_("Guided mode needs values made in the AWS console. Nothing was "
                            "sent. Do what follows there, then run this command again with "
                            "what it shows:"));

  if (a->analysaver && !has_report)
    {
      g_printerr ("\n");
      /* TRANSLATORS: %s is a URL. */
      g_printerr (_("Stompy reads the Cost and Usage Report only when IAM users and roles may "
                    "see billing information: the root user turns this on in the account "
                    "settings, %s\n"), STOMPY_CLI_BILLING_SETTINGS_URL);
      g_printerr ("\n%s\n", _("If a report already meets the four conditions, type its details below. Otherwise, in the AWS console’s Cost and Usage Reports page:\n"
              "1. Choose Create report and name it; tick “Include resource IDs” and “Refresh automatically”.\n"
              "2. Choose or create the S3 bucket, in Asia Pacific (Singapore) preferably: another region makes getting your data slower.\n"
              "3. Tick “I have confirmed that this policy is correct” and save.\n"
              "4. Name the report path prefix; choose Hourly, “Amazon Athena” integration and Parquet.\n"
              "5. Review and complete.\n"
              "If AWS says the bucket name exists already, choose another name. The first delivery takes 24 to 48 hours; you can go on now."));
      g_printerr ("  %s\n", STOMPY_CLI_CUR_CONSOLE_URL);
      g_printerr ("%s\n", _("Give the report with --report NAME --bucket NAME --prefix PREFIX "
                            "--region REGION (a CUR 2.0 export: add --data-export)."));
    }

  if (a->analysaver && !has_analysaver_arn)
    print_stack_guidance (info, STOMPY_PRODUCT_ANALYSAVER, a->analysaver_stack_name, cur_bucket,
                          region);
  if (a->spotainer && !has_spotainer_arn)
    print_stack_guidance (info, STOMPY_PRODUCT_SPOTAINER, a->spotainer_stack_name, NULL, region);

  return STOMPY_CLI_EXIT_USAGE;
}

/* Records a pasted RoleArn as the app's guided mode does: the stack's name
 * and region kept when recorded, else the ones of the link. */
static void
record_pasted_role (StompyOnboarding           *state,
                    const StompyOnboardingInfo *info,
                    StompyProducts              product,
                    const char                 *stack_name_option,
                    const char                 *role_arn,
                    const char                 *region)
{
  StompyStackRecord *record = stompy_onboarding_get_stack (state, product);

  if (stack_name_option != NULL
      && g_strcmp0 (stompy_stack_record_get_stack_name (record), stack_name_option) != 0)
    stompy_stack_record_clear (record);
  if (stompy_stack_record_get_stack_name (record) == NULL)
    stompy_stack_record_set_stack_name (record, stack_name_option != NULL
                                                ? stack_name_option
                                                : stompy_cli_stack_default_name (info, product));
  if (stompy_stack_record_get_region (record) == NULL)
    stompy_stack_record_set_region (record, region);
  if (g_strcmp0 (stompy_stack_record_get_role_arn (record), role_arn) != 0
      || !stompy_stack_record_get_role_arn_pasted (record))
    stompy_stack_record_set_role_arn (record, role_arn, TRUE);
}

/* ------------------------------------------------------------------ connect */

static int
check_usage (const char *command,
             Answers    *a,
             StompyOnboarding *state)
{
  if (!a->analysaver && !a->spotainer)
    return stompy_cli_usage_error (command, _("Choose at least one product with --analysaver "
                                              "or --spotainer"));

  if (a->existing_report != NULL && (a->report != NULL || a->bucket != NULL || a->data_export))
    return stompy_cli_usage_error (command, _("--existing-report cannot be combined with "
                                              "--report, --bucket or --data-export"));
  if ((a->report != NULL) != (a->bucket != NULL))
    return stompy_cli_usage_error (command, _("A new report needs both --report and --bucket"));
  if (!a->analysaver && (a->existing_report != NULL || a->report != NULL))
    return stompy_cli_usage_error (command, _("A report is for StompyAnalySaver: add "
                                              "--analysaver"));
  if (a->analysaver && a->existing_report == NULL && a->report == NULL && !a->dry_run
      && !a->guided && !stompy_cur_choice_is_complete (stompy_onboarding_get_cur_choice (state)))
    return stompy_cli_usage_error (command, _("StompyAnalySaver needs a Cost and Usage Report: "
                                              "give --existing-report NAME, or --report and "
                                              "--bucket to create one"));
  if (a->report != NULL)
    {
      int status;

      if (a->prefix == NULL)
        a->prefix = g_strdup (DEFAULT_PREFIX);
      status = stompy_cli_cur_check_names (command, a->report, a->bucket, a->prefix,
                                           a->data_export);
      if (status >= 0)
        return status;
    }

  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? a->analysaver_stack_name : a->spotainer_stack_name;

      if (name != NULL && !stompy_cli_stack_name_is_valid (name))
        {
          /* TRANSLATORS: %s is the name the user gave. */
          g_autofree char *message = g_strdup_printf (_("“%s” is not a valid stack name"), name);
          return stompy_cli_usage_error (command, message);
        }
    }

  if (a->guided)
    return check_guided_usage (command, a);

  for (guint i = 0; i < G_N_ELEMENTS (guided_only); i++)
    {
      if (*(char **) G_STRUCT_MEMBER_P (a, guided_only[i].offset) != NULL)
        {
          /* TRANSLATORS: %s is an option such as --account-id. */
          g_autofree char *message = g_strdup_printf (_("%s is for guided mode: add --guided"),
                                                      guided_only[i].option);
          return stompy_cli_usage_error (command, message);
        }
    }

  if (!a->acknowledge_iam && !a->dry_run)
    return stompy_cli_usage_error (command,
                                   _("The role stacks create IAM roles. Add --acknowledge-iam "
                                     "to acknowledge that AWS CloudFormation might create IAM "
                                     "resources."));

  return -1;
}

static StompyProducts
chosen_products (const Answers *a)
{
  return (a->analysaver ? STOMPY_PRODUCT_ANALYSAVER : 0)
         | (a->spotainer ? STOMPY_PRODUCT_SPOTAINER : 0);
}

static int
dry_run (StompyOnboarding *state,
         const Answers    *a)
{
  g_autoptr(StompyConnectionSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  StompyConnectionMissing missing;

  stompy_onboarding_set_products (state, chosen_products (a));
  missing = stompy_connection_find_missing (state);
  summary = stompy_connection_summarize (state, &error);
  if (summary == NULL)
    {
      g_debug ("Not ready: %s", error->message);
      stompy_cli_print_error (missing_sentence (missing));
      g_printerr ("%s\n", _("Nothing was sent. Run “connect” without --dry-run to do the "
                            "missing steps."));
      return STOMPY_CLI_EXIT_FAILED;
    }

  if (a->json)
    {
      g_autoptr(JsonNode) request = stompy_connection_summary_to_request (summary);

      stompy_cli_print_json (request);
    }
  else
    {
      g_print ("%s\n", _("Connect would send this to Stompy:"));
      print_summary (summary, FALSE);
    }

  return STOMPY_CLI_EXIT_OK;
}

/* The report step: reuse the named report, create one, or keep the recorded one. */
static int
report_step (StompyCliAws            *aws,
             StompyCliWaiter         *waiter,
             const char              *command,
             const StompyAwsIdentity *identity,
             const Answers           *a,
             StompyOnboarding        *state)
{
  g_autofree char *policy = NULL;
  int status;

  if (a->existing_report != NULL)
    {
      g_autofree char *line = NULL;

      status = stompy_cli_cur_use_existing (aws, waiter, a->existing_report, state);
      if (status >= 0)
        return status;
      /* TRANSLATORS: %s is a report name. */
      line = g_strdup_printf (_("The report “%s” meets all four conditions: reused."),
                              a->existing_report);
      say (a->json, line);
      return -1;
    }

  if (a->report == NULL)
    {
      g_autofree char *line = NULL;

      /* TRANSLATORS: %s is a report name. */
      line = g_strdup_printf (_("Using the report recorded earlier, “%s”."),
                              stompy_cur_choice_get_report_name (stompy_onboarding_get_cur_choice (state)));
      say (a->json, line);
      return -1;
    }

  if (!a->yes)
    {
      policy = stompy_bucket_policy_build (a->bucket, identity->account_id,
                                           a->data_export ? STOMPY_DELIVERY_DATA_EXPORTS
                                                          : STOMPY_DELIVERY_CUR);
      /* TRANSLATORS: %s is a bucket name. */
      g_printerr (_("The policy that lets AWS deliver the report into “%s” (merged into the "
                    "bucket’s policy, other statements kept):\n"), a->bucket);
      g_printerr ("%s\n", policy);
      return stompy_cli_usage_error (command,
                                     _("Nothing was created. Read the bucket policy above, "
                                       "then run the command again with --yes to confirm it."));
    }

  return stompy_cli_cur_setup (aws, waiter, identity, a->report, a->bucket, a->prefix,
                               a->data_export, a->json, state, NULL);
}

static int
final_status (StompyOnboarding          *state,
              const StompyAccountStatus *status,
              gboolean                   json)
{
  gboolean ok = g_strcmp0 (status->status, "connected") == 0
                || g_strcmp0 (status->status, "waiting_for_data") == 0;

  if (ok)
    stompy_onboarding_set_step (state, STOMPY_STEP_DONE);
  stompy_cli_state_save (state);

  if (json)
    print_result_json (state, status);

  if (g_strcmp0 (status->status, "connected") == 0)
    {
      if (!json)
        /* TRANSLATORS: %s is an AWS account id. */
        g_print (_("Connected: Stompy works with AWS account %s.\n"), status->account_id);
    }
  else if (g_strcmp0 (status->status, "waiting_for_data") == 0)
    {
      if (!json)
        g_print ("%s\n", _("Connected. Stompy is waiting for the first Cost and Usage Report: "
                           "AWS delivers it within 24–48 hours."));
    }
  else
    {
      stompy_cli_print_error (_("Stompy could not verify the connection."));
      for (guint i = 0; i < status->checks->len; i++)
        {
          const StompyAccountCheck *check = g_ptr_array_index (status->checks, i);

          if (g_strcmp0 (check->status, "failed") != 0)
            continue;
          g_printerr ("  %s: %s\n", stompy_connection_check_title (check->id),
                      check->message != NULL && *check->message ? check->message
                                                                : _("failed"));
          if (*check_advice (check->id) != '\0')
            g_printerr ("    %s\n", check_advice (check->id));
        }
    }

  return ok ? STOMPY_CLI_EXIT_OK : STOMPY_CLI_EXIT_FAILED;
}

/* The Stompy session kept by "login" and the onboarding facts; FALSE after
 * saying why when either is missing. */
static gboolean
open_stompy (StompyCliAws          *aws,
             StompyCliWaiter       *waiter,
             StompyApiClient      **client,
             StompyOnboardingInfo **info)
{
  *client = stompy_cli_stompy_open (aws->session, waiter);
  if (*client == NULL)
    return FALSE;
  *info = stompy_cli_get_onboarding (aws, waiter);

  return *info != NULL;
}

/* After a failure, the wizard's step it concerns (the window's own step
 * titles) and how to go on: the state file keeps what was done, so the same
 * command resumes there. */
static void
print_stopped_at (StompyStep step)
{
  const char *title;

  switch (step)
    {
    case STOMPY_STEP_SIGN_IN:    title = C_("step", "Sign In"); break;
    case STOMPY_STEP_ANALYSAVER: title = C_("step", "AnalySaver"); break;
    case STOMPY_STEP_SPOTAINER:  title = C_("step", "SpoTainer"); break;
    case STOMPY_STEP_CONNECT:    title = C_("step", "Connect"); break;
    case STOMPY_STEP_PRODUCTS:
    case STOMPY_STEP_DONE:
    default:                     title = C_("step", "Products"); break;
    }

  g_printerr (_("Step %u of %u: %s"), (guint) step + 1, (guint) STOMPY_STEP_DONE, title);
  g_printerr ("\n%s\n", _("Run the same command again to go on from this step: what was "
                           "already done is kept and reused."));
}

/* Connect, with what will be sent shown first, then Stompy's checks followed
 * until none is pending. Returns the exit status. */
static int
connect_and_follow (StompyApiClient  *client,
                    StompyCliWaiter  *waiter,
                    StompyOnboarding *state,
                    gboolean          json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyConnectionSummary) summary = NULL;
  g_autoptr(StompyAccountStatus) answer = NULL;
  g_autoptr(StompyAccountStatus) settled = NULL;
  g_autoptr(StompyConnectionWatch) watch = NULL;
  g_autoptr(GHashTable) printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Progress progress = { 0, };

  summary = stompy_connection_summarize (state, &error);
  if (summary == NULL)
    return print_connect_error (error, stompy_api_client_get_base_url (client));
  say (json, _("Connecting to Stompy:"));
  print_summary (summary, json);

  stompy_connection_connect_async (state, client, waiter->cancellable, stompy_cli_wait_cb,
                                   waiter);
  answer = stompy_connection_connect_finish (stompy_cli_wait_for (waiter), &error);
  /* The key (kept or forgotten) and the answer are worth keeping either way. */
  stompy_cli_state_save (state);
  if (answer == NULL)
    return print_connect_error (error, stompy_api_client_get_base_url (client));

  progress.to_stderr = json;
  progress.printed = printed;
  print_checks (&progress, answer);

  watch = stompy_connection_watch_new (client, stompy_onboarding_get_connection (state));
  g_signal_connect (watch, "changed", G_CALLBACK (watch_changed_cb), &progress);
  if (stompy_account_status_is_pending (answer))
    {
      stompy_connection_watch_wait_async (watch, waiter->cancellable, stompy_cli_wait_cb, waiter);
      settled = stompy_connection_watch_wait_finish (watch, stompy_cli_wait_for (waiter), &error);
    }
  else
    {
      settled = stompy_account_status_copy (answer);
    }
  stompy_cli_state_save (state);
  if (settled == NULL)
    return print_connect_error (error, stompy_api_client_get_base_url (client));

  return final_status (state, settled, json);
}

/* Guided mode: nothing at AWS is touched; the pasted values are recorded as
 * the app's guided mode records them, then Connect. */
static int
run_guided (Answers          *a,
            StompyOnboarding *state)
{
  g_autoptr(StompyApiClient) client = NULL;
  g_autoptr(StompyOnboardingInfo) info = NULL;
  StompyCurChoice *cur = stompy_onboarding_get_cur_choice (state);
  const char *region = a->region != NULL ? a->region : DEFAULT_REGION;
  gboolean same_account = g_strcmp0 (stompy_onboarding_get_account_id (state),
                                     a->account_id) == 0;
  /* Resuming: what was recorded for this account still stands. */
  gboolean recorded_report = same_account && a->report == NULL
                             && stompy_cur_choice_is_complete (cur);
  const char *analysaver_arn = a->analysaver_role_arn != NULL
                               ? a->analysaver_role_arn
                               : recorded_role_arn (state, STOMPY_PRODUCT_ANALYSAVER,
                                                    a->account_id);
  const char *spotainer_arn = a->spotainer_role_arn != NULL
                              ? a->spotainer_role_arn
                              : recorded_role_arn (state, STOMPY_PRODUCT_SPOTAINER,
                                                   a->account_id);
  const char *cur_bucket = a->report != NULL ? a->bucket
                           : recorded_report ? stompy_cur_choice_get_bucket (cur) : NULL;
  gboolean complete = (!a->analysaver || (cur_bucket != NULL && analysaver_arn != NULL))
                      && (!a->spotainer || spotainer_arn != NULL);
  StompyCliAws aws = { 0, };
  StompyCliWaiter waiter;
  int status = STOMPY_CLI_EXIT_FAILED;

  /* No AWS client: only Stompy is asked, over the same kind of session. */
  stompy_cli_waiter_init (&waiter);
  aws.session = stompy_http_session_new ();

  /* The quick-create links and the stacks' default names come from Stompy. */
  if (!open_stompy (&aws, &waiter, &client, &info))
    goto out;

  if (!complete)
    {
      status = print_guidance (a, info, cur_bucket != NULL, cur_bucket, region,
                               analysaver_arn != NULL, spotainer_arn != NULL);
      goto out;
    }

  /* As the app's guided mode records it: no identity, the typed account. */
  if (stompy_onboarding_get_credential_source (state) != STOMPY_CREDENTIAL_SOURCE_GUIDED)
    {
      stompy_onboarding_set_identity (state, NULL);
      stompy_onboarding_set_credential_source (state, STOMPY_CREDENTIAL_SOURCE_GUIDED);
    }
  stompy_onboarding_set_account_id (state, a->account_id);
  stompy_onboarding_set_products (state, chosen_products (a));
  stompy_onboarding_set_step (state, stompy_onboarding_next_step (state, STOMPY_STEP_PRODUCTS));

  if (a->analysaver)
    {
      if (a->report != NULL)
        {
          stompy_cur_choice_set_kind (cur, a->data_export ? STOMPY_CUR_KIND_DATA_EXPORT
                                                          : STOMPY_CUR_KIND_LEGACY);
          stompy_cur_choice_set_report (cur, STOMPY_CUR_ORIGIN_PASTED, a->report, a->bucket,
                                        a->prefix, region);
        }
      record_pasted_role (state, info, STOMPY_PRODUCT_ANALYSAVER, a->analysaver_stack_name,
                          analysaver_arn, region);
      stompy_onboarding_set_step (state, stompy_onboarding_next_step (state,
                                                                      STOMPY_STEP_ANALYSAVER));
    }
  if (a->spotainer)
    {
      record_pasted_role (state, info, STOMPY_PRODUCT_SPOTAINER, a->spotainer_stack_name,
                          spotainer_arn, region);
      stompy_onboarding_set_step (state, STOMPY_STEP_CONNECT);
    }

  if (a->dry_run)
    {
      /* Nothing is kept or sent: the state file stays as it was. */
      status = dry_run (state, a);
      goto out;
    }
  stompy_cli_state_save (state);

  status = connect_and_follow (client, &waiter, state, a->json);

out:
  if (g_cancellable_is_cancelled (waiter.cancellable))
    status = STOMPY_CLI_EXIT_INTERRUPTED;
  stompy_cli_aws_end (&aws, &waiter);
  return status;
}

static int
run_connect (int    argc,
             char **argv)
{
  g_auto(Answers) a = { 0, };
  GOptionEntry entries[] = {
    { "answers", 0, 0, G_OPTION_ARG_FILENAME, &a.answers,
      N_("Read the answers from this JSON file (members named as the options)"), N_("FILE") },
    { "analysaver", 0, 0, G_OPTION_ARG_NONE, &a.analysaver,
      N_("Add StompyAnalySaver (cost analysis and advice)"), NULL },
    { "spotainer", 0, 0, G_OPTION_ARG_NONE, &a.spotainer,
      N_("Add StompySpoTainer (Spot instances)"), NULL },
    { "existing-report", 0, 0, G_OPTION_ARG_STRING, &a.existing_report,
      N_("Use this existing Cost and Usage Report (it must meet the four conditions)"),
      N_("NAME") },
    { "report", 'n', 0, G_OPTION_ARG_STRING, &a.report,
      N_("Create (or reuse) a report of this name"), N_("NAME") },
    { "bucket", 'b', 0, G_OPTION_ARG_STRING, &a.bucket,
      N_("The S3 bucket the new report is delivered to"), N_("NAME") },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &a.prefix,
      N_("The path prefix of the report’s files in the bucket (default: cur)"), N_("PREFIX") },
    { "data-export", 0, 0, G_OPTION_ARG_NONE, &a.data_export,
      N_("Create a CUR 2.0 export (AWS Data Exports) instead of a legacy report"), NULL },
    STOMPY_CLI_REGION_ENTRY (a.region,
                             N_("The region of the bucket and the stacks (default: the "
                                "profile’s, else ap-southeast-1)")),
    { "acknowledge-iam", 0, 0, G_OPTION_ARG_NONE, &a.acknowledge_iam,
      N_("I acknowledge that AWS CloudFormation might create IAM resources"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &a.yes,
      N_("Confirm the bucket policy of a new report"), NULL },
    { "analysaver-stack-name", 0, 0, G_OPTION_ARG_STRING, &a.analysaver_stack_name,
      N_("The AnalySaver stack’s name (default: the one Stompy proposes)"), N_("NAME") },
    { "spotainer-stack-name", 0, 0, G_OPTION_ARG_STRING, &a.spotainer_stack_name,
      N_("The SpoTainer stack’s name (default: the one Stompy proposes)"), N_("NAME") },
    STOMPY_CLI_PROFILE_ENTRY (a.profile),
    STOMPY_CLI_JSON_ENTRY (a.json),
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &a.dry_run,
      N_("Send nothing: print what Connect would send, from the progress recorded so far"),
      NULL },
    { "guided", 0, 0, G_OPTION_ARG_NONE, &a.guided,
      N_("Guided mode, without AWS credentials: make the report and the stacks in the AWS "
         "console (this command prints the links) and give what they show"), NULL },
    { "account-id", 0, 0, G_OPTION_ARG_STRING, &a.account_id,
      N_("Guided mode: the 12-digit ID of the AWS account to connect"), N_("ID") },
    { "analysaver-role-arn", 0, 0, G_OPTION_ARG_STRING, &a.analysaver_role_arn,
      N_("Guided mode: the RoleArn in the AnalySaver stack’s Outputs"), N_("ARN") },
    { "spotainer-role-arn", 0, 0, G_OPTION_ARG_STRING, &a.spotainer_role_arn,
      N_("Guided mode: the RoleArn in the SpoTainer stack’s Outputs"), N_("ARN") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyOnboarding) state = NULL;
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(StompyOnboardingInfo) info = NULL;
  g_autoptr(StompyApiClient) client = NULL;
  g_autofree char *line = NULL;
  const char *command;
  StompyCliAws aws = { 0, };
  StompyCliWaiter waiter;
  StompyStep step = STOMPY_STEP_SIGN_IN;
  g_autoptr(StompyCliStackFollow) analysaver_stack = NULL;
  g_autoptr(StompyCliStackFollow) spotainer_stack = NULL;
  int status;

  status = stompy_cli_parse_options (NULL,
                                     _("Connect the AWS account to Stompy: the whole wizard "
                                       "from the command line. Creates (or reuses) the Cost and "
                                       "Usage Report and the role stacks of the chosen "
                                       "products, sends Connect, and follows Stompy’s checks "
                                       "until they are done.\n"
                                       "Needs “stompy-connect-cli login” first. Run it again "
                                       "at any time: what exists is reused, and nothing is "
                                       "connected twice."),
                                     entries, 0, &argc, &argv);
  if (status >= 0)
    return status;
  command = argv[0];

  if (a.answers != NULL)
    {
      status = read_answers (command, a.answers, &a);
      if (status >= 0)
        return status;
    }

  state = stompy_cli_state_open ();
  status = check_usage (command, &a, state);
  if (status >= 0)
    return status;

  if (a.guided)
    return run_guided (&a, state);
  if (a.dry_run)
    return dry_run (state, &a);

  status = stompy_cli_aws_begin (&aws, &waiter, command, a.profile, a.region);
  if (status >= 0)
    return status;
  status = STOMPY_CLI_EXIT_FAILED;

  /* Sign in: the AWS identity, and the Stompy session with its onboarding facts. */
  stompy_aws_identity_lookup_async (aws.client, waiter.cancellable, stompy_cli_wait_cb, &waiter);
  identity = stompy_aws_identity_lookup_finish (stompy_cli_wait_for (&waiter), &error);
  if (identity == NULL)
    {
      status = stompy_cli_aws_failure (error);
      goto out;
    }
  /* TRANSLATORS: the first %s is an AWS account id, the second an ARN. */
  line = g_strdup_printf (_("AWS account %s (%s)"), identity->account_id, identity->arn);
  say (a.json, line);

  if (!open_stompy (&aws, &waiter, &client, &info))
    goto out;

  stompy_onboarding_set_identity (state, identity);
  stompy_onboarding_set_profile (state, aws.profile);
  stompy_onboarding_set_products (state, chosen_products (&a));
  stompy_onboarding_set_step (state, stompy_onboarding_next_step (state, STOMPY_STEP_PRODUCTS));
  stompy_cli_state_save (state);

  if (a.analysaver)
    {
      step = STOMPY_STEP_ANALYSAVER;
      status = report_step (&aws, &waiter, command, identity, &a, state);
      if (status >= 0)
        goto out;
      stompy_cli_state_save (state);

      status = stompy_cli_stack_start (&aws, &waiter, state, info, STOMPY_PRODUCT_ANALYSAVER,
                                       a.analysaver_stack_name,
                                       stompy_cur_choice_get_bucket (stompy_onboarding_get_cur_choice (state)),
                                       FALSE, a.json, FALSE, &analysaver_stack);
      if (status != STOMPY_CLI_EXIT_OK)
        goto out;
    }
  /* Both stacks are followed at once: SpoTainer's is created while
   * AnalySaver's is being polled, and each is waited for in turn. */
  if (a.spotainer)
    {
      step = STOMPY_STEP_SPOTAINER;
      status = stompy_cli_stack_start (&aws, &waiter, state, info, STOMPY_PRODUCT_SPOTAINER,
                                       a.spotainer_stack_name, NULL, FALSE, a.json, FALSE,
                                       &spotainer_stack);
      if (status != STOMPY_CLI_EXIT_OK)
        goto out;
    }
  if (a.analysaver)
    {
      step = STOMPY_STEP_ANALYSAVER;
      if (analysaver_stack != NULL)
        status = stompy_cli_stack_finish (analysaver_stack, &waiter, state);
      if (status != STOMPY_CLI_EXIT_OK)
        goto out;
      stompy_onboarding_set_step (state, stompy_onboarding_next_step (state,
                                                                      STOMPY_STEP_ANALYSAVER));
    }
  if (a.spotainer)
    {
      step = STOMPY_STEP_SPOTAINER;
      if (spotainer_stack != NULL)
        status = stompy_cli_stack_finish (spotainer_stack, &waiter, state);
      if (status != STOMPY_CLI_EXIT_OK)
        goto out;
      stompy_onboarding_set_step (state, STOMPY_STEP_CONNECT);
    }
  stompy_cli_state_save (state);

  step = STOMPY_STEP_CONNECT;
  status = connect_and_follow (client, &waiter, state, a.json);

out:
  if (g_cancellable_is_cancelled (waiter.cancellable))
    status = STOMPY_CLI_EXIT_INTERRUPTED;
  if (status == STOMPY_CLI_EXIT_FAILED)
    print_stopped_at (step);
  /* Before the client goes: a stack not waited for stops being polled. */
  g_clear_pointer (&analysaver_stack, stompy_cli_stack_follow_free);
  g_clear_pointer (&spotainer_stack, stompy_cli_stack_follow_free);
  stompy_cli_aws_end (&aws, &waiter);
  return status;
}

int
stompy_cli_run_connect (int    argc,
                        char **argv)
{
  return run_connect (argc, argv);
}

/* ------------------------------------------------------------------ status */

typedef struct
{
  StompyStatusPoller *poller;
  StompyCliWaiter    *waiter;
} StatusWait;

static gboolean
part_settled (StompyStatusState state)
{
  return state != STOMPY_STATUS_STATE_CHECKING;
}

/* One look is enough: every part answered (or failed), each stack watch too. */
static gboolean
looked_everywhere (StompyStatusPoller *poller)
{
  const StompyProducts products[] = { STOMPY_PRODUCT_ANALYSAVER, STOMPY_PRODUCT_SPOTAINER };

  if (stompy_status_poller_get_busy (poller)
      || !part_settled (stompy_status_poller_get_bucket_state (poller))
      || !part_settled (stompy_status_poller_get_report_state (poller)))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (products); i++)
    {
      StompyStackWatch *watch = stompy_status_poller_get_stack_watch (poller, products[i]);

      if (watch != NULL && stompy_stack_watch_get_stack (watch) == NULL
          && stompy_stack_watch_get_error (watch) == NULL)
        return FALSE;
    }

  return TRUE;
}

static void
poller_changed_cb (StompyStatusPoller *poller,
                   guint               parts,
                   gpointer            user_data)
{
  StatusWait *wait = user_data;

  if (looked_everywhere (poller))
    stompy_cli_wait_quit (wait->waiter);
}

static const char *
yes_no (StompyCheck check)
{
  return stompy_check_to_string (check);
}

static void
add_check_member (JsonBuilder *builder,
                  const char  *name,
                  StompyCheck  check)
{
  stompy_json_add_string (builder, name, yes_no (check));
}

static void
add_bucket_json (JsonBuilder        *builder,
                 StompyStatusPoller *poller,
                 StompyCurChoice    *cur)
{
  const StompyS3BucketStatus *bucket = stompy_status_poller_get_bucket_status (poller);
  const GError *error = stompy_status_poller_get_bucket_error (poller);

  json_builder_set_member_name (builder, "bucket");
  json_builder_begin_object (builder);
  stompy_json_add_string (builder, "name", stompy_cur_choice_get_bucket (cur));
  stompy_json_add_string (builder, "state",
                          stompy_status_state_to_string (stompy_status_poller_get_bucket_state (poller)));
  if (bucket != NULL)
    {
      add_check_member (builder, "exists", bucket->exists);
      stompy_json_add_string (builder, "region", bucket->region);
      add_check_member (builder, "region_matches", stompy_status_poller_get_region_matches (poller));
      add_check_member (builder, "delivery_policy", bucket->delivery_policy);
      add_check_member (builder, "public_access_blocked", bucket->public_access_blocked);
      add_check_member (builder, "delivered", bucket->delivered);
    }
  stompy_json_add_string (builder, "error", error != NULL ? error->message : NULL);
  json_builder_end_object (builder);
}

static void
add_report_json (JsonBuilder        *builder,
                 StompyStatusPoller *poller,
                 StompyCurChoice    *cur)
{
  StompyStatusState state = stompy_status_poller_get_report_state (poller);
  StompyCurConditions met = stompy_status_poller_get_report_conditions (poller, NULL);
  const GError *error = stompy_status_poller_get_report_error (poller);

  json_builder_set_member_name (builder, "report");
  json_builder_begin_object (builder);
  stompy_json_add_string (builder, "name", stompy_cur_choice_get_report_name (cur));
  stompy_json_add_string (builder, "kind", stompy_cur_choice_get_kind (cur) == STOMPY_CUR_KIND_DATA_EXPORT
                                           ? "data_export" : "legacy");
  stompy_json_add_string (builder, "state", stompy_status_state_to_string (state));
  if (state == STOMPY_STATUS_STATE_KNOWN)
    {
      stompy_json_add_boolean (builder, "found", stompy_status_poller_get_report_found (poller));
      json_builder_set_member_name (builder, "conditions");
      json_builder_begin_object (builder);
      stompy_json_add_boolean (builder, "resource_ids", (met & STOMPY_CUR_CONDITION_RESOURCE_IDS) != 0);
      stompy_json_add_boolean (builder, "data_refresh", (met & STOMPY_CUR_CONDITION_DATA_REFRESH) != 0);
      stompy_json_add_boolean (builder, "hourly", (met & STOMPY_CUR_CONDITION_HOURLY) != 0);
      stompy_json_add_boolean (builder, "athena", (met & STOMPY_CUR_CONDITION_ATHENA) != 0);
      json_builder_end_object (builder);
    }
  stompy_json_add_string (builder, "error", error != NULL ? error->message : NULL);
  json_builder_end_object (builder);
}

static void
add_stack_json (JsonBuilder        *builder,
                StompyStatusPoller *poller,
                StompyOnboarding   *state,
                StompyProducts      product)
{
  StompyStackRecord *record = stompy_onboarding_get_stack (state, product);
  StompyStackWatch *watch = stompy_status_poller_get_stack_watch (poller, product);
  const StompyStack *stack = watch != NULL ? stompy_stack_watch_get_stack (watch) : NULL;
  const GError *error = watch != NULL ? stompy_stack_watch_get_error (watch) : NULL;

  json_builder_begin_object (builder);
  stompy_json_add_string (builder, "product",
                          product == STOMPY_PRODUCT_ANALYSAVER ? "analysaver" : "spotainer");
  stompy_json_add_string (builder, "stack_name", stack != NULL ? stack->stack_name
                                                 : stompy_stack_record_get_stack_name (record));
  stompy_json_add_string (builder, "status", stack != NULL ? stack->status
                                             : stompy_stack_record_get_status (record));
  stompy_json_add_string (builder, "state", stack != NULL ? stompy_stack_state_to_string (stack->state)
                                            : NULL);
  stompy_json_add_string (builder, "failure_reason",
                          watch != NULL && stack != NULL && stack->state != STOMPY_STACK_STATE_COMPLETE
                          ? stompy_stack_watch_get_failure_reason (watch) : NULL);
  stompy_json_add_string (builder, "role_arn", stack != NULL && stack->role_arn != NULL
                                               ? stack->role_arn
                                               : stompy_stack_record_get_role_arn (record));
  stompy_json_add_string (builder, "error", error != NULL ? error->message : NULL);
  json_builder_end_object (builder);
}

static void
print_status_text (StompyOnboarding          *state,
                   StompyStatusPoller        *poller,
                   const StompyAccountStatus *stompy,
                   gboolean                   stompy_live)
{
  StompyProducts products = stompy_onboarding_get_products (state);
  StompyCurChoice *cur = stompy_onboarding_get_cur_choice (state);
  const StompyProducts each[] = { STOMPY_PRODUCT_ANALYSAVER, STOMPY_PRODUCT_SPOTAINER };

  /* TRANSLATORS: %s is an AWS account id. */
  g_print (_("AWS account:  %s\n"), stompy_onboarding_get_account_id (state));

  if ((products & STOMPY_PRODUCT_ANALYSAVER) && stompy_cur_choice_get_bucket (cur) != NULL)
    {
      const StompyS3BucketStatus *bucket = stompy_status_poller_get_bucket_status (poller);
      StompyCurConditions met = stompy_status_poller_get_report_conditions (poller, NULL);

      /* TRANSLATORS: %s is a bucket name. */
      g_print (_("Bucket:       %s\n"), stompy_cur_choice_get_bucket (cur));
      if (bucket != NULL)
        {
          /* TRANSLATORS: each %s is "yes", "no" or "unknown" (left in English). */
          g_print (_("  exists: %s, region: %s, delivery policy: %s, public access blocked: %s, "
                     "report delivered: %s\n"),
                   yes_no (bucket->exists), bucket->region != NULL ? bucket->region : "?",
                   yes_no (bucket->delivery_policy), yes_no (bucket->public_access_blocked),
                   yes_no (bucket->delivered));
        }
      /* TRANSLATORS: %s is a report name. */
      g_print (_("Report:       %s\n"), stompy_cur_choice_get_report_name (cur));
      if (stompy_status_poller_get_report_state (poller) == STOMPY_STATUS_STATE_KNOWN)
        /* TRANSLATORS: each %s is ✓ or ✗. */
        g_print (_("  resource IDs %s, data refresh %s, hourly %s, Athena %s\n"),
                 met & STOMPY_CUR_CONDITION_RESOURCE_IDS ? "✓" : "✗",
                 met & STOMPY_CUR_CONDITION_DATA_REFRESH ? "✓" : "✗",
                 met & STOMPY_CUR_CONDITION_HOURLY ? "✓" : "✗",
                 met & STOMPY_CUR_CONDITION_ATHENA ? "✓" : "✗");
    }

  for (guint i = 0; i < G_N_ELEMENTS (each); i++)
    {
      StompyStackRecord *record = stompy_onboarding_get_stack (state, each[i]);
      StompyStackWatch *watch = stompy_status_poller_get_stack_watch (poller, each[i]);
      const StompyStack *stack = watch != NULL ? stompy_stack_watch_get_stack (watch) : NULL;

      if (!(products & each[i]))
        continue;
      /* TRANSLATORS: the first %s is a stack name, the second its status. */
      g_print (_("Stack:        %s %s\n"),
               stompy_stack_record_get_stack_name (record) != NULL
               ? stompy_stack_record_get_stack_name (record) : "-",
               stack != NULL ? stack->status
               : stompy_stack_record_get_status (record) != NULL
               ? stompy_stack_record_get_status (record) : _("not created"));
      if (stompy_stack_record_get_role_arn (record) != NULL)
        g_print (_("  RoleArn:    %s\n"), stompy_stack_record_get_role_arn (record));
    }

  if (stompy != NULL)
    {
      /* TRANSLATORS: %s is a status such as waiting_for_data (left in English). */
      g_print (stompy_live ? _("Stompy:       %s\n") : _("Stompy:       %s (as last seen)\n"),
               stompy->status);
      for (guint i = 0; i < stompy->checks->len; i++)
        {
          const StompyAccountCheck *check = g_ptr_array_index (stompy->checks, i);

          g_print ("  %s: %s%s%s\n", stompy_connection_check_title (check->id),
                   check_status_label (check->status),
                   check->message != NULL && *check->message ? " — " : "",
                   check->message != NULL ? check->message : "");
        }
    }
  else
    {
      g_print ("%s\n", _("Stompy:       not connected yet"));
    }
}

static int
run_status (int    argc,
            char **argv)
{
  g_autofree char *profile = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    STOMPY_CLI_PROFILE_ENTRY (profile),
    STOMPY_CLI_JSON_ENTRY (json),
    { NULL }
  };
  g_autoptr(StompyOnboarding) state = NULL;
  g_autoptr(StompyStatusPoller) poller = NULL;
  g_autoptr(StompyApiClient) client = NULL;
  g_autoptr(StompyAccountStatus) live = NULL;
  g_autoptr(GError) error = NULL;
  const StompyAccountStatus *stompy;
  StompyConnection *connection;
  StatusWait wait = { 0, };
  StompyCliAws aws = { 0, };
  StompyCliWaiter waiter;
  int status;

  status = stompy_cli_parse_options (NULL,
                                     _("Show what the status panel shows for the account in "
                                       "the saved progress: the report’s bucket, the report, "
                                       "each stack, and Stompy’s verification checks."),
                                     entries, 0, &argc, &argv);
  if (status >= 0)
    return status;

  state = stompy_cli_state_open ();
  if (stompy_onboarding_get_account_id (state) == NULL)
    {
      stompy_cli_print_error (_("No AWS account is recorded yet: run “stompy-connect-cli "
                                "connect” first."));
      return STOMPY_CLI_EXIT_FAILED;
    }

  status = stompy_cli_aws_begin (&aws, &waiter, argv[0], profile, NULL);
  if (status >= 0)
    return status;

  /* The AWS side, one look at each part, as the status panel does it. */
  poller = stompy_status_poller_new (state, aws.client);
  wait.poller = poller;
  wait.waiter = &waiter;
  g_signal_connect (poller, "changed", G_CALLBACK (poller_changed_cb), &wait);
  stompy_status_poller_start (poller);
  stompy_cli_wait_run (&waiter);
  /* Not stopped yet: stopping lets go of the stack watches read below. */
  g_signal_handlers_disconnect_by_data (poller, &wait);
  if (g_cancellable_is_cancelled (waiter.cancellable))
    {
      stompy_status_poller_stop (poller);
      stompy_cli_aws_end (&aws, &waiter);
      return STOMPY_CLI_EXIT_INTERRUPTED;
    }

  /* Stompy's side: asked afresh when signed in, else as last recorded. */
  connection = stompy_onboarding_get_connection (state);
  stompy = stompy_connection_get_status (connection);
  if (stompy_connection_get_account_id (connection) != NULL)
    {
      client = stompy_cli_stompy_open (aws.session, &waiter);
      if (client != NULL)
        {
          stompy_api_client_get_account_async (client, stompy_connection_get_account_id (connection),
                                               waiter.cancellable, stompy_cli_wait_cb, &waiter);
          live = stompy_api_client_get_account_finish (client, stompy_cli_wait_for (&waiter),
                                                       &error);
          if (live != NULL)
            {
              stompy_connection_set_status (connection, live);
              stompy = live;
            }
          else if (!stompy_cli_is_cancelled (error))
            {
              stompy_cli_print_api_error (error, stompy_api_client_get_base_url (client));
            }
        }
    }
  stompy_cli_state_save (state);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      StompyCurChoice *cur = stompy_onboarding_get_cur_choice (state);
      StompyProducts products = stompy_onboarding_get_products (state);

      json_builder_begin_object (builder);
      stompy_json_add_string (builder, "account_id", stompy_onboarding_get_account_id (state));
      json_builder_set_member_name (builder, "products");
      json_builder_begin_array (builder);
      if (products & STOMPY_PRODUCT_ANALYSAVER)
        json_builder_add_string_value (builder, "analysaver");
      if (products & STOMPY_PRODUCT_SPOTAINER)
        json_builder_add_string_value (builder, "spotainer");
      json_builder_end_array (builder);

      if ((products & STOMPY_PRODUCT_ANALYSAVER) && stompy_cur_choice_get_bucket (cur) != NULL)
        {
          add_bucket_json (builder, poller, cur);
          add_report_json (builder, poller, cur);
        }
      else
        {
          json_builder_set_member_name (builder, "bucket");
          json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "report");
          json_builder_add_null_value (builder);
        }

      json_builder_set_member_name (builder, "stacks");
      json_builder_begin_array (builder);
      if (products & STOMPY_PRODUCT_ANALYSAVER)
        add_stack_json (builder, poller, state, STOMPY_PRODUCT_ANALYSAVER);
      if (products & STOMPY_PRODUCT_SPOTAINER)
        add_stack_json (builder, poller, state, STOMPY_PRODUCT_SPOTAINER);
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "stompy");
      if (stompy != NULL)
        {
          json_builder_begin_object (builder);
          stompy_json_add_string (builder, "status", stompy->status);
          stompy_json_add_boolean (builder, "live", live != NULL);
          add_checks_json (builder, stompy);
          json_builder_end_object (builder);
        }
      else
        {
          json_builder_add_null_value (builder);
        }
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      stompy_cli_print_json (root);
    }
  else
    {
      print_status_text (state, poller, stompy, live != NULL);
    }

  stompy_status_poller_stop (poller);
  stompy_cli_aws_end (&aws, &waiter);
  return STOMPY_CLI_EXIT_OK;
}

int
stompy_cli_run_status (int    argc,
                       char **argv)
{
  return run_status (argc, argv);
}
