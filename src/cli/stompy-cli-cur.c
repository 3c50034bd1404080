/* stompy-cli-cur.c — stompy-connect-cli cur list, cur create
 *
 *   stompy-connect-cli cur list [--profile NAME] [--json]
 *   stompy-connect-cli cur create --report NAME --bucket NAME [--prefix cur]
 *                                 [--region REGION] [--data-export] [--yes] [--json]
 *
 * The AnalySaver step's Cost and Usage Report, as the app's page does it:
 * every report definition judged on the four conditions Stompy needs, and
 * the whole creation (bucket, public access block, delivery policy, report or
 * CUR 2.0 export) with each sub-step reported as created or reused. --yes is
 * the app's "I have confirmed the policy". The result is recorded in the
 * state file the app reads.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "stompy-aws-identity.h"
#include "stompy-bucket-policy.h"
#include "stompy-cur.h"
#include "stompy-data-exports.h"
#include "stompy-error.h"
#include "stompy-s3.h"
#include "stompy-cli-common.h"

/* The region the product recommends for the report's bucket (the seed's
 * Singapore), and the prefix the app proposes. */
#define RECOMMENDED_REGION "ap-southeast-1"
#define DEFAULT_PREFIX     "cur"

#define MARK_YES "✓"
#define MARK_NO  "✗"

/* ------------------------------------------------------------------ errors */

/* A denied CUR call: the root-only billing setting is a likely cause when no
 * IAM policy is named as the reason, and a possible one otherwise. */
static int
print_cur_error (const GError *error)
{
  if (stompy_cli_is_cancelled (error))
    return STOMPY_CLI_EXIT_INTERRUPTED;

  if (error->domain == STOMPY_AWS_ERROR && stompy_cur_error_is_access_denied (error))
    {
      g_autofree char *message = NULL;

      g_debug ("CUR call denied: %s", error->message);
      if (stompy_cur_error_suggests_billing_access (error))
        /* TRANSLATORS: %s is a URL of the AWS console. */
        message = g_strdup_printf (_("AWS denied access to the Cost and Usage Reports. The root "
                                     "user must turn on “IAM user and role access to Billing "
                                     "information” at %s."),
                                   STOMPY_CLI_BILLING_SETTINGS_URL);
      else
        /* TRANSLATORS: %s is a URL of the AWS console. */
        message = g_strdup_printf (_("These credentials are not allowed to use the Cost and "
                                     "Usage Reports. Check their IAM policy, and that “IAM user "
                                     "and role access to Billing information” is on at %s."),
                                   STOMPY_CLI_BILLING_SETTINGS_URL);
      stompy_cli_print_error (message);
      stompy_cli_print_aws_request_id (error);
      return STOMPY_CLI_EXIT_FAILED;
    }

  stompy_cli_print_aws_error (error);
  return STOMPY_CLI_EXIT_FAILED;
}

/* ------------------------------------------------------------------ cur list */

static void
add_report_json (JsonBuilder           *builder,
                 const StompyCurReport *report)
{
  StompyCurConditions met = stompy_cur_report_evaluate (report, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, report->report_name);
  json_builder_set_member_name (builder, "bucket");
  json_builder_add_string_value (builder, report->s3_bucket);
  json_builder_set_member_name (builder, "prefix");
  json_builder_add_string_value (builder, report->s3_prefix);
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, report->s3_region);
  json_builder_set_member_name (builder, "time_unit");
  json_builder_add_string_value (builder, report->time_unit);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, report->format);
  json_builder_set_member_name (builder, "conditions");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "resource_ids");
  json_builder_add_boolean_value (builder, (met & STOMPY_CUR_CONDITION_RESOURCE_IDS) != 0);
  json_builder_set_member_name (builder, "data_refresh");
  json_builder_add_boolean_value (builder, (met & STOMPY_CUR_CONDITION_DATA_REFRESH) != 0);
  json_builder_set_member_name (builder, "hourly");
  json_builder_add_boolean_value (builder, (met & STOMPY_CUR_CONDITION_HOURLY) != 0);
  json_builder_set_member_name (builder, "athena");
  json_builder_add_boolean_value (builder, (met & STOMPY_CUR_CONDITION_ATHENA) != 0);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "meets_all");
  json_builder_add_boolean_value (builder, met == STOMPY_CUR_CONDITIONS_ALL);
  json_builder_end_object (builder);
}

static void
print_reports_json (GPtrArray *reports)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < reports->len; i++)
    add_report_json (builder, g_ptr_array_index (reports, i));
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  stompy_cli_print_json (root);
}

static const StompyCurConditions table_conditions[] = {
  STOMPY_CUR_CONDITION_RESOURCE_IDS,
  STOMPY_CUR_CONDITION_DATA_REFRESH,
  STOMPY_CUR_CONDITION_HOURLY,
  STOMPY_CUR_CONDITION_ATHENA,
};

static char *
report_location (const StompyCurReport *report)
{
  /* TRANSLATORS: where a report is delivered: "s3://BUCKET/PREFIX (REGION)". */
  return g_strdup_printf (_("s3://%s/%s (%s)"), report->s3_bucket, report->s3_prefix,
                          report->s3_region != NULL ? report->s3_region : "?");
}

static void
print_reports_table (GPtrArray *reports)
{
  const char *headers[] = {
    /* TRANSLATORS: column headers of "cur list"; keep them short. */
    _("Report"), _("Resource IDs"), _("Data refresh"), _("Hourly"), _("Athena"),
    _("Delivered to"),
  };
  guint widths[G_N_ELEMENTS (headers)];
  g_autoptr(GString) line = g_string_new (NULL);
  guint n_ready = 0;

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    widths[c] = stompy_cli_text_width (headers[c]);
  for (guint i = 0; i < reports->len; i++)
    {
      const StompyCurReport *report = g_ptr_array_index (reports, i);

      widths[0] = MAX (widths[0], stompy_cli_text_width (report->report_name));
    }

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    {
      stompy_cli_append_padded (line, headers[c],
                                c + 1 < G_N_ELEMENTS (headers) ? widths[c] + 2 : 0);
    }
  g_print ("%s\n", line->str);

  for (guint i = 0; i < reports->len; i++)
    {
      const StompyCurReport *report = g_ptr_array_index (reports, i);
      StompyCurConditions met = stompy_cur_report_evaluate (report, NULL);
      g_autofree char *location = report_location (report);

      g_string_truncate (line, 0);
      stompy_cli_append_padded (line, report->report_name, widths[0] + 2);
      for (guint c = 0; c < G_N_ELEMENTS (table_conditions); c++)
        stompy_cli_append_padded (line, (met & table_conditions[c]) != 0 ? MARK_YES : MARK_NO,
                                  widths[c + 1] + 2);
      g_string_append (line, location);
      g_print ("%s\n", line->str);

      if (met == STOMPY_CUR_CONDITIONS_ALL)
        n_ready++;
    }

  g_print ("\n");
  for (guint i = 0; i < reports->len; i++)
    {
      const StompyCurReport *report = g_ptr_array_index (reports, i);

      if (stompy_cur_report_meets_all (report))
        /* TRANSLATORS: %s is a report name. */
        g_print (_("“%s” meets all four conditions: Stompy can use it as it is.\n"),
                 report->report_name);
    }
  if (n_ready == 0)
    g_print ("%s\n", _("No report meets all four conditions. Create one with "
                       "“stompy-connect-cli cur create”."));
}

static int
run_cur_list (int    argc,
              char **argv)
{
  g_autofree char *profile = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    STOMPY_CLI_PROFILE_ENTRY (profile),
    STOMPY_CLI_JSON_ENTRY (json),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  StompyCliAws aws;
  StompyCliWaiter waiter;
  int status;

  status = stompy_cli_parse_options (NULL,
                                     _("List every Cost and Usage Report definition of the "
                                       "account, each with the four conditions Stompy needs: "
                                       "resource IDs included, data refresh on, hourly, and "
                                       "integrated with Amazon Athena (Parquet, overwrite)."),
                                     entries, 0, &argc, &argv);
  if (status >= 0)
    return status;
  status = stompy_cli_aws_begin (&aws, &waiter, argv[0], profile, NULL);
  if (status >= 0)
    return status;

  stompy_cur_list_reports_async (aws.client, waiter.cancellable, stompy_cli_wait_cb, &waiter);
  reports = stompy_cur_list_reports_finish (stompy_cli_wait_for (&waiter), &error);

  if (reports == NULL)
    status = print_cur_error (error);
  else if (json)
    print_reports_json (reports);
  else if (reports->len == 0)
    g_print ("%s\n", _("This account has no Cost and Usage Report definitions. Create one with "
                       "“stompy-connect-cli cur create”."));
  else
    print_reports_table (reports);

  stompy_cli_aws_end (&aws, &waiter);
  return reports != NULL ? STOMPY_CLI_EXIT_OK : status;
}

/* ------------------------------------------------------------------ names */

static const char *
bucket_reason_sentence (StompyBucketNameReason reason)
{
  switch (reason)
    {
    case STOMPY_BUCKET_NAME_TOO_SHORT:
      return _("a bucket name has at least 3 characters");
    case STOMPY_BUCKET_NAME_TOO_LONG:
      return _("a bucket name has at most 63 characters");
    case STOMPY_BUCKET_NAME_UPPERCASE:
      return _("uppercase letters are not allowed");
    case STOMPY_BUCKET_NAME_INVALID_CHARACTER:
      return _("only lowercase letters, digits, periods and hyphens are allowed");
    case STOMPY_BUCKET_NAME_BAD_START:
      return _("it must begin with a letter or a digit");
    case STOMPY_BUCKET_NAME_BAD_END:
      return _("it must end with a letter or a digit");
    case STOMPY_BUCKET_NAME_ADJACENT_PERIODS:
      return _("two periods may not be next to each other");
    case STOMPY_BUCKET_NAME_IP_ADDRESS:
      return _("it may not look like an IP address");
    case STOMPY_BUCKET_NAME_RESERVED_PREFIX:
      return _("it may not begin with “xn--”, “sthree-” or “amzn-s3-demo-”");
    case STOMPY_BUCKET_NAME_RESERVED_SUFFIX:
      return _("it may not end with “-s3alias”, “--ol-s3”, “.mrap”, “--x-s3”, “--table-s3” "
               "or “-an”");
    case STOMPY_BUCKET_NAME_VALID:
    default:
      return "";
    }
}

static const char *
cur_name_reason_sentence (StompyCurNameReason reason,
                          gboolean            prefix)
{
  switch (reason)
    {
    case STOMPY_CUR_NAME_EMPTY:
      return prefix ? _("a report integrated with Athena needs a prefix")
                    : _("the name is empty");
    case STOMPY_CUR_NAME_TOO_LONG:
      return _("it is longer than 256 characters");
    case STOMPY_CUR_NAME_INVALID_CHARACTER:
      return prefix ? _("only letters, digits, “/” and ! - _ . * ' ( ) are allowed")
                    : _("only letters, digits and ! - _ . * ' ( ) are allowed");
    case STOMPY_CUR_NAME_LEADING_SLASH:
      return _("it may not begin with “/”");
    case STOMPY_CUR_NAME_TRAILING_SLASH:
      return _("it may not end with “/”");
    case STOMPY_CUR_NAME_ADJACENT_SLASHES:
      return _("“//” is not allowed");
    case STOMPY_CUR_NAME_VALID:
    default:
      return "";
    }
}

/* Checks every name locally, so that a typo costs no request. Returns -1
 * when all are valid, else the usage error's exit status. */
int
stompy_cli_cur_check_names (const char *command,
                    const char *report,
                    const char *bucket,
                    const char *prefix,
                    gboolean    data_export)
{
  StompyCurNameReason name_reason = STOMPY_CUR_NAME_VALID;
  StompyBucketNameReason bucket_reason = STOMPY_BUCKET_NAME_VALID;
  g_autofree char *message = NULL;

  if (data_export)
    {
      if (!stompy_data_exports_validate_name (report, NULL))
        /* TRANSLATORS: %s is the name the user gave. */
        message = g_strdup_printf (_("The export name “%s” is not valid: use 1 to 128 letters, "
                                     "digits, hyphens and underscores"), report);
    }
  else if (!stompy_cur_validate_report_name (report, &name_reason, NULL))
    {
      /* TRANSLATORS: the first %s is the name the user gave, the second the reason. */
      message = g_strdup_printf (_("The report name “%s” is not valid: %s"), report,
                                 cur_name_reason_sentence (name_reason, FALSE));
    }

  if (message == NULL && !stompy_s3_validate_bucket_name (bucket, &bucket_reason, NULL))
    /* TRANSLATORS: the first %s is the name the user gave, the second the reason. */
    message = g_strdup_printf (_("The bucket name “%s” is not valid: %s"), bucket,
                               bucket_reason_sentence (bucket_reason));

  if (message == NULL && !stompy_cur_validate_prefix (prefix, TRUE, &name_reason, NULL))
    /* TRANSLATORS: the first %s is the prefix the user gave, the second the reason. */
    message = g_strdup_printf (_("The prefix “%s” is not valid: %s"), prefix,
                               cur_name_reason_sentence (name_reason, TRUE));

  return message != NULL ? stompy_cli_usage_error (command, message) : -1;
}

/* ------------------------------------------------------------------ cur create */

typedef struct
{
  const char *report;
  const char *bucket;
  const char *region;
  gboolean    data_export;
  gboolean    json;
} CreateProgress;

/* One line per finished sub-step, saying whether it created or reused. In
 * JSON mode they go to standard error, so standard output stays JSON. */
static void
print_step (const CreateProgress *progress,
            const char           *line)
{
  if (progress->json)
    g_printerr ("%s\n", line);
  else
    g_print ("%s\n", line);
}

static void
setup_progress_cb (StompyCurSetupStep  step,
                   StompyCurStepState  state,
                   gpointer            user_data)
{
  const CreateProgress *progress = user_data;
  gboolean reused = state == STOMPY_CUR_STEP_REUSED;
  g_autofree char *line = NULL;

  if (state != STOMPY_CUR_STEP_DONE && state != STOMPY_CUR_STEP_REUSED)
    return;

  switch (step)
    {
    case STOMPY_CUR_SETUP_STEP_BUCKET:
      if (reused)
        /* TRANSLATORS: the first %s is a bucket name, the second a region. */
        line = g_strdup_printf (_("Bucket “%s” is already yours in %s: reused."),
                                progress->bucket, progress->region);
      else
        /* TRANSLATORS: the first %s is a bucket name, the second a region. */
        line = g_strdup_printf (_("Bucket “%s” created in %s."), progress->bucket,
                                progress->region);
      break;
    case STOMPY_CUR_SETUP_STEP_PUBLIC_ACCESS_BLOCK:
      line = g_strdup (_("Public access to the bucket is blocked."));
      break;
    case STOMPY_CUR_SETUP_STEP_BUCKET_POLICY:
      line = g_strdup (reused ? _("The bucket policy already lets AWS deliver the report: "
                                  "unchanged (reused).")
                              : _("Bucket policy: the delivery statements were added; other "
                                  "statements were kept."));
      break;
    case STOMPY_CUR_SETUP_STEP_REPORT:
      if (progress->data_export)
        /* TRANSLATORS: %s is an export name. */
        line = g_strdup_printf (reused ? _("The CUR 2.0 export “%s” already exists as needed: "
                                           "reused.")
                                       : _("CUR 2.0 export “%s” created."), progress->report);
      else
        /* TRANSLATORS: %s is a report name. */
        line = g_strdup_printf (reused ? _("The report “%s” already exists and meets all four "
                                           "conditions: reused.")
                                       : _("Report “%s” created."), progress->report);
      break;
    case STOMPY_CUR_SETUP_STEP_VALIDATE:
    case STOMPY_CUR_SETUP_STEP_NONE:
    default:
      return;
    }

  print_step (progress, line);
}

/* The translated line for a failed setup; NULL for errors without a sentence
 * of their own here. */
static char *
describe_setup_error (const GError         *error,
                      const CreateProgress *progress,
                      StompyCurSetupStep    failed_step)
{
  g_autofree char *other_region = NULL;

  if (error->domain != STOMPY_AWS_ERROR)
    return NULL;

  if (stompy_s3_error_is_name_taken (error))
    /* TRANSLATORS: %s is a bucket name. */
    return g_strdup_printf (_("The bucket name “%s” is taken by another AWS account (bucket "
                              "names are shared by everyone). Choose another name."),
                            progress->bucket);

  if (stompy_s3_error_is_owned_in_other_region (error, &other_region))
    {
      if (other_region != NULL)
        /* TRANSLATORS: the first %s is a bucket name, the second and fourth the region it is
         * in, the third the region asked for. */
        return g_strdup_printf (_("The bucket “%s” is yours but in %s, not in %s. Run again "
                                  "with --region %s, or choose another bucket name."),
                                progress->bucket, other_region, progress->region, other_region);
      /* TRANSLATORS: the first %s is a bucket name, the second a region. */
      return g_strdup_printf (_("The bucket “%s” is yours but not in %s. Run again with its "
                                "region, or choose another bucket name."),
                              progress->bucket, progress->region);
    }

  if (stompy_cur_error_is_report_name_conflict (error))
    /* TRANSLATORS: %s is a report name. */
    return g_strdup_printf (_("A report named “%s” exists but does not meet the four "
                              "conditions. Choose another report name."), progress->report);

  if (stompy_data_exports_error_is_name_conflict (error))
    /* TRANSLATORS: %s is an export name. */
    return g_strdup_printf (_("An export named “%s” exists with other settings. Choose "
                              "another name."), progress->report);

  return NULL;
}

static void
print_create_json (const CreateProgress       *progress,
                   const StompyCurSetupResult *result,
                   const char                 *report_name,
                   const char                 *bucket,
                   const char                 *prefix,
                   const char                 *region)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, progress->data_export ? "data-export" : "legacy");
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, report_name);
  json_builder_set_member_name (builder, "bucket");
  json_builder_add_string_value (builder, bucket);
  json_builder_set_member_name (builder, "prefix");
  json_builder_add_string_value (builder, prefix);
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, region);
  json_builder_set_member_name (builder, "bucket_created");
  json_builder_add_boolean_value (builder, result->bucket_created);
  json_builder_set_member_name (builder, "policy");
  json_builder_add_string_value (builder, stompy_policy_merge_outcome_to_string (result->policy));
  json_builder_set_member_name (builder, "report_created");
  json_builder_add_boolean_value (builder, result->report_created);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  stompy_cli_print_json (root);
}

/* Records the report in place in the state file, as the app's page does. */
static void
record_choice (StompyOnboarding        *state,
               const StompyAwsIdentity *identity,
               StompyCurOrigin          origin,
               gboolean                 data_export,
               const char              *report_name,
               const char              *bucket,
               const char              *prefix,
               const char              *region)
{
  StompyCurChoice *choice = stompy_onboarding_get_cur_choice (state);

  if (identity != NULL)
    stompy_onboarding_set_identity (state, identity);
  stompy_cur_choice_set_kind (choice, data_export ? STOMPY_CUR_KIND_DATA_EXPORT
                                                  : STOMPY_CUR_KIND_LEGACY);
  stompy_cur_choice_set_report (choice, origin, report_name, bucket, prefix, region);
  /* The CUR calls just succeeded, so billing access for IAM users and roles
   * is on (or these are root credentials): nothing left to confirm. */
  stompy_cur_choice_set_billing_access_confirmed (choice, TRUE);
}

int
stompy_cli_cur_setup (StompyCliAws             *aws,
                      StompyCliWaiter          *waiter,
                      const StompyAwsIdentity  *identity,
                      const char               *report,
                      const char               *bucket,
                      const char               *prefix,
                      gboolean                  data_export,
                      gboolean                  to_stderr,
                      StompyOnboarding         *state,
                      StompyCurSetupResult    **result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyCurSetupResult) setup = NULL;
  const char *region = stompy_aws_client_get_region (aws->client);
  const char *done_name, *done_bucket, *done_prefix, *done_region;
  StompyCurSetupStep failed_step = STOMPY_CUR_SETUP_STEP_NONE;
  StompyCurSetupParams params = { 0, };
  CreateProgress progress = { 0, };
  int status = STOMPY_CLI_EXIT_FAILED;

  progress.report = report;
  progress.bucket = bucket;
  progress.region = region;
  progress.data_export = data_export;
  progress.json = to_stderr;

  params.kind = data_export ? STOMPY_CUR_SETUP_KIND_DATA_EXPORTS : STOMPY_CUR_SETUP_KIND_LEGACY;
  params.account_id = identity->account_id;
  params.report_name = report;
  params.bucket = bucket;
  params.region = region;
  params.prefix = prefix;

  stompy_cur_setup_async (aws->client, &params, setup_progress_cb, &progress, NULL,
                          waiter->cancellable, stompy_cli_wait_cb, waiter);
  setup = stompy_cur_setup_finish (stompy_cli_wait_for (waiter), &failed_step, &error);
  if (setup == NULL)
    {
      g_autofree char *message = describe_setup_error (error, &progress, failed_step);

      g_debug ("Setup failed at %s", stompy_cur_setup_step_to_string (failed_step));
      if (message != NULL)
        {
          stompy_cli_print_error (message);
          stompy_cli_print_aws_request_id (error);
          status = STOMPY_CLI_EXIT_FAILED;
        }
      else
        {
          status = print_cur_error (error);
        }
      return status;
    }

  /* A reused report may deliver elsewhere than asked: record what is in place. */
  if (setup->report != NULL)
    {
      done_name = setup->report->report_name;
      done_bucket = setup->report->s3_bucket;
      done_prefix = setup->report->s3_prefix;
      done_region = setup->report->s3_region;
    }
  else if (setup->export != NULL)
    {
      done_name = setup->export->name;
      done_bucket = setup->export->s3_bucket;
      done_prefix = setup->export->s3_prefix;
      done_region = setup->export->s3_region;
    }
  else
    {
      done_name = report;
      done_bucket = bucket;
      done_prefix = prefix;
      done_region = region;
    }

  record_choice (state, identity, STOMPY_CUR_ORIGIN_CREATED, data_export, done_name, done_bucket,
                 done_prefix, done_region);
  if (result != NULL)
    *result = g_steal_pointer (&setup);

  return -1;
}

int
stompy_cli_cur_use_existing (StompyCliAws     *aws,
                             StompyCliWaiter  *waiter,
                             const char       *report,
                             StompyOnboarding *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  const StompyCurReport *found = NULL;
  g_autofree char *message = NULL;

  stompy_cur_list_reports_async (aws->client, waiter->cancellable, stompy_cli_wait_cb, waiter);
  reports = stompy_cur_list_reports_finish (stompy_cli_wait_for (waiter), &error);
  if (reports == NULL)
    return print_cur_error (error);

  for (guint i = 0; i < reports->len && found == NULL; i++)
    {
      const StompyCurReport *candidate = g_ptr_array_index (reports, i);

      if (g_strcmp0 (candidate->report_name, report) == 0)
        found = candidate;
    }

  if (found == NULL)
    /* TRANSLATORS: %s is a report name. */
    message = g_strdup_printf (_("There is no report named “%s”. See the reports with "
                                 "“stompy-connect-cli cur list”."), report);
  else if (!stompy_cur_report_meets_all (found))
    /* TRANSLATORS: %s is a report name. */
    message = g_strdup_printf (_("The report “%s” does not meet all four conditions Stompy "
                                 "needs (see “stompy-connect-cli cur list”). Choose another, "
                                 "or create one."), report);
  if (message != NULL)
    {
      stompy_cli_print_error (message);
      return STOMPY_CLI_EXIT_FAILED;
    }

  record_choice (state, NULL, STOMPY_CUR_ORIGIN_EXISTING, FALSE, found->report_name,
                 found->s3_bucket, found->s3_prefix, found->s3_region);
  return -1;
}

static int
run_cur_create (int    argc,
                char **argv)
{
  g_autofree char *profile = NULL;
  g_autofree char *region_option = NULL;
  g_autofree char *report = NULL;
  g_autofree char *bucket = NULL;
  g_autofree char *prefix = NULL;
  gboolean data_export = FALSE;
  gboolean yes = FALSE;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "report", 'n', 0, G_OPTION_ARG_STRING, &report,
      N_("The report’s name (or the CUR 2.0 export’s)"), N_("NAME") },
    { "bucket", 'b', 0, G_OPTION_ARG_STRING, &bucket,
      N_("The S3 bucket the report is delivered to; created when it does not exist"),
      N_("NAME") },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix,
      N_("The path prefix of the report’s files in the bucket (default: cur)"), N_("PREFIX") },
    STOMPY_CLI_REGION_ENTRY (region_option,
                             N_("The bucket’s region (default: the profile’s, else ap-southeast-1)")),
    { "data-export", 0, 0, G_OPTION_ARG_NONE, &data_export,
      N_("Create a CUR 2.0 export (AWS Data Exports) instead of a legacy report"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes,
      N_("Confirm the bucket policy shown and create everything"), NULL },
    STOMPY_CLI_PROFILE_ENTRY (profile),
    STOMPY_CLI_JSON_ENTRY (json),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autoptr(StompyCurSetupResult) result = NULL;
  g_autoptr(StompyOnboarding) state = NULL;
  g_autofree char *policy = NULL;
  const char *command;
  const char *region;
  const char *done_name, *done_bucket, *done_prefix, *done_region;
  StompyCurChoice *choice;
  CreateProgress progress = { 0, };
  StompyCliAws aws;
  StompyCliWaiter waiter;
  int status;

  status = stompy_cli_parse_options (NULL,
                                     _("Create the Cost and Usage Report Stompy reads, and its "
                                       "bucket: create (or reuse) the bucket, block public "
                                       "access, add the statements that let AWS deliver to it "
                                       "to the bucket policy (keeping the others), and create "
                                       "(or reuse) the report — hourly, with resource IDs, data "
                                       "refresh and Athena integration.\n"
                                       "The bucket policy is shown first; nothing is created "
                                       "without --yes."),
                                     entries, 0, &argc, &argv);
  if (status >= 0)
    return status;
  command = argv[0];

  if (report == NULL || *report == '\0')
    return stompy_cli_usage_error (command, _("Give the report’s name with --report"));
  if (bucket == NULL || *bucket == '\0')
    return stompy_cli_usage_error (command, _("Give the bucket’s name with --bucket"));
  if (prefix == NULL)
    prefix = g_strdup (DEFAULT_PREFIX);
  status = stompy_cli_cur_check_names (command, report, bucket, prefix, data_export);
  if (status >= 0)
    return status;
  status = stompy_cli_aws_begin (&aws, &waiter, command, profile, region_option);
  if (status >= 0)
    return status;
  region = stompy_aws_client_get_region (aws.client);

  /* The bucket policy names the account, so it is known only from AWS. */
  stompy_aws_identity_lookup_async (aws.client, waiter.cancellable, stompy_cli_wait_cb, &waiter);
  identity = stompy_aws_identity_lookup_finish (stompy_cli_wait_for (&waiter), &error);
  if (identity == NULL)
    {
      status = stompy_cli_aws_failure (error);
      goto out;
    }

  policy = stompy_bucket_policy_build (bucket, identity->account_id,
                                       data_export ? STOMPY_DELIVERY_DATA_EXPORTS
                                                   : STOMPY_DELIVERY_CUR);
  if (!yes || !json)
    {
      /* TRANSLATORS: %s is a bucket name. */
      g_printerr (_("The policy that lets AWS deliver the report into “%s” (merged into the "
                    "bucket’s policy, other statements kept):\n"), bucket);
      g_print ("%s\n", policy);
    }
  if (!yes)
    {
      status = stompy_cli_usage_error (command,
                                       _("Nothing was created. Read the bucket policy above, "
                                         "then run the command again with --yes to confirm it."));
      goto out;
    }

  if (!g_str_equal (region, RECOMMENDED_REGION))
    /* TRANSLATORS: %s is a region name such as us-west-2. */
    g_printerr (_("Note: Stompy works from ap-southeast-1 (Singapore). With the report in %s, "
                  "reading it can take longer.\n"), region);

  state = stompy_cli_state_open ();
  status = stompy_cli_cur_setup (&aws, &waiter, identity, report, bucket, prefix, data_export,
                                 json, state, &result);
  if (status >= 0)
    goto out;
  stompy_cli_state_save (state);

  /* What is in place, which a reused report may have elsewhere than asked. */
  choice = stompy_onboarding_get_cur_choice (state);
  done_name = stompy_cur_choice_get_report_name (choice);
  done_bucket = stompy_cur_choice_get_bucket (choice);
  done_prefix = stompy_cur_choice_get_prefix (choice);
  done_region = stompy_cur_choice_get_region (choice);
  progress.data_export = data_export;

  if (json)
    {
      print_create_json (&progress, result, done_name, done_bucket, done_prefix, done_region);
    }
  else
    {
      if (g_strcmp0 (done_bucket, bucket) != 0 || g_strcmp0 (done_prefix, prefix) != 0)
        /* TRANSLATORS: the first %s is a report name, then a bucket, a prefix and a region. */
        g_print (_("Note: the existing report “%s” is delivered to s3://%s/%s (%s).\n"),
                 done_name, done_bucket, done_prefix, done_region);
      g_print ("\n%s\n", _("AWS needs 24–48 hours for the first delivery of the report. You "
                           "can go on now: create the AnalySaver role with “stompy-connect-cli "
                           "stack create analysaver --acknowledge-iam”."));
    }
  status = STOMPY_CLI_EXIT_OK;

out:
  stompy_cli_aws_end (&aws, &waiter);
  return status;
}

/* ------------------------------------------------------------------ the group */

static const StompyCliCommand cur_commands[] = {
  { "list", run_cur_list, N_("List the report definitions and the conditions each meets") },
  { "create", run_cur_create, N_("Create the report and its bucket, or reuse them") },
};

int
stompy_cli_run_cur (int    argc,
                    char **argv)
{
  return stompy_cli_run_group (_("The Cost and Usage Report StompyAnalySaver reads."),
                               cur_commands, G_N_ELEMENTS (cur_commands), argc, argv);
}
