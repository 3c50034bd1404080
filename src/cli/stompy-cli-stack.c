/* stompy-cli-stack.c — stompy-connect-cli stack create, stack status, stack delete
 *
 *   stompy-connect-cli stack create analysaver|spotainer --acknowledge-iam
 *                                   [--stack-name NAME] [--cur-bucket NAME] [--no-wait] [--json]
 *   stompy-connect-cli stack status NAME [--json]
 *   stompy-connect-cli stack delete NAME [--yes]
 *
 * The run-template step: the external id, Stompy's principal and the
 * template URL come from Stompy (so "login" first), CreateStack is sent with
 * a ClientRequestToken kept in the state file (a retry after a crash sends
 * the same one), an existing stack of that name is reused or explained, and
 * the stack is followed with StompyStackWatch until it settles, printing a
 * line per event with the progress figure. --acknowledge-iam is the app's "I
 * acknowledge that AWS CloudFormation might create IAM resources".
 */
#include "config.h"

#include <glib/gi18n.h>

#include "stompy-api-client.h"
#include "stompy-cloudformation.h"
#include "stompy-error.h"
#include "stompy-json-read.h"
#include "stompy-s3.h"
#include "stompy-secret-store.h"
#include "stompy-stack-watch.h"
#include "stompy-template.h"
#include "stompy-cli-common.h"

/* Latest events shown by "stack status". */
#define STATUS_EVENTS_TEXT 5
#define STATUS_EVENTS_JSON 10

/* ------------------------------------------------------------------ records */

/* The state file's record of the stack named @stack_name, if either product's
 * record is about it (and, when @product is not NULL, returns it as well). */
static StompyStackRecord *
find_record (StompyOnboarding *state,
             const char       *stack_name,
             StompyProducts   *product)
{
  const StompyProducts products[] = { STOMPY_PRODUCT_ANALYSAVER, STOMPY_PRODUCT_SPOTAINER };

  for (guint i = 0; i < G_N_ELEMENTS (products); i++)
    {
      StompyStackRecord *record = stompy_onboarding_get_stack (state, products[i]);

      if (g_strcmp0 (stompy_stack_record_get_stack_name (record), stack_name) == 0)
        {
          if (product != NULL)
            *product = products[i];
          return record;
        }
    }

  return NULL;
}

static void
record_stack (StompyStackRecord *record,
              const StompyStack *stack,
              const char        *reason)
{
  if (stack->stack_id != NULL)
    stompy_stack_record_set_stack_id (record, stack->stack_id);
  stompy_stack_record_set_status (record, stack->status,
                                  reason != NULL ? reason : stack->status_reason);
  if (stack->role_arn != NULL)
    stompy_stack_record_set_role_arn (record, stack->role_arn, FALSE);
}

/* ------------------------------------------------------------------ output */

static void
add_stack_members (JsonBuilder       *builder,
                   const StompyStack *stack,
                   const char        *failure_reason)
{
  stompy_json_add_string (builder, "stack_name", stack->stack_name);
  stompy_json_add_string (builder, "stack_id", stack->stack_id);
  stompy_json_add_string (builder, "status", stack->status);
  stompy_json_add_string (builder, "state", stompy_stack_state_to_string (stack->state));
  stompy_json_add_string (builder, "status_reason", stack->status_reason);
  stompy_json_add_string (builder, "failure_reason", failure_reason);
  stompy_json_add_string (builder, "role_arn", stack->role_arn);
}

/* A line for @event: status, resources done / total at that event, the
 * resource and its reason — "CREATE_IN_PROGRESS 1/2 StompyAnalySaverRole …". */
static char *
event_line (const StompyStackEvent *event,
            guint                   done,
            guint                   total)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "%s %u/%u %s", event->resource_status, done, total,
                          event->logical_resource_id);
  if (event->resource_status_reason != NULL && *event->resource_status_reason != '\0')
    g_string_append_printf (line, " — %s", event->resource_status_reason);

  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* ------------------------------------------------------------------ following */

typedef struct
{
  StompyCliWaiter *waiter;
  const char      *token;
  guint            resource_count;
  gboolean         to_stderr;
  GHashTable      *printed;       /* event ids already printed */
  gboolean         quit_on_look;  /* "stack status": one look is enough */
} Follow;

/* Prints the events of the followed operation not printed yet, oldest first,
 * each with the progress figure as it was at that event. */
static void
watch_changed_cb (StompyStackWatch *watch,
                  StompyStack      *stack,
                  GPtrArray        *events,
                  guint             done,
                  guint             total,
                  gpointer          user_data)
{
  Follow *follow = user_data;
  g_autoptr(GPtrArray) operation = NULL;

  if (follow->quit_on_look)
    {
      stompy_cli_wait_quit (follow->waiter);
      return;
    }

  operation = stompy_stack_events_of_operation (events, follow->token, NULL);
  for (guint i = 0; i < operation->len; i++)
    {
      const StompyStackEvent *event = g_ptr_array_index (operation, i);
      g_autoptr(GPtrArray) so_far = g_ptr_array_new ();
      g_autofree char *line = NULL;
      guint event_done, event_total;

      if (event->event_id == NULL
          || !g_hash_table_add (follow->printed, g_strdup (event->event_id)))
        continue;

      /* Newest first, as the progress function reads them. */
      for (guint j = i + 1; j > 0; j--)
        g_ptr_array_add (so_far, g_ptr_array_index (operation, j - 1));
      stompy_stack_events_progress (so_far, follow->token, NULL, follow->resource_count,
                                    &event_done, &event_total);

      line = event_line (event, event_done, event_total);
      if (follow->to_stderr)
        g_printerr ("%s\n", line);
      else
        g_print ("%s\n", line);
    }
}

/* ------------------------------------------------------------------ Stompy */

StompyApiClient *
stompy_cli_stompy_open (SoupSession     *session,
                        StompyCliWaiter *waiter)
{
  g_autofree char *base_url = stompy_api_resolve_base_url (NULL, NULL);
  g_autoptr(GError) error = NULL;
  StompyApiClient *client;
  char *token;

  stompy_secret_store_lookup_token_async (base_url, waiter->cancellable, stompy_cli_wait_cb,
                                          waiter);
  token = stompy_secret_store_lookup_token_finish (stompy_cli_wait_for (waiter), NULL, &error);
  if (error != NULL)
    {
      if (!stompy_cli_is_cancelled (error))
        {
          g_autofree char *message =
            /* TRANSLATORS: %s is a technical explanation. */
            g_strdup_printf (_("The Stompy session could not be read from the keyring (%s). "
                               "Sign in with “stompy-connect-cli login”."), error->message);
          stompy_cli_print_error (message);
        }
      return NULL;
    }
  if (token == NULL)
    {
      stompy_cli_print_error (_("You are not signed in to Stompy. Sign in first with "
                                "“stompy-connect-cli login”."));
      return NULL;
    }

  client = stompy_api_client_new (session, base_url, &error);
  if (client == NULL)
    {
      stompy_secret_free (token);
      stompy_cli_print_error (error->message);
      return NULL;
    }
  stompy_api_client_set_token (client, token);
  stompy_secret_free (token);

  return client;
}

/* The onboarding facts from Stompy with the session kept by "login"; prints
 * why and returns NULL when there is none. */
StompyOnboardingInfo *
stompy_cli_get_onboarding (StompyCliAws    *aws,
                           StompyCliWaiter *waiter)
{
  g_autoptr(StompyApiClient) client = stompy_cli_stompy_open (aws->session, waiter);
  g_autoptr(GError) error = NULL;
  StompyOnboardingInfo *info;

  if (client == NULL)
    return NULL;

  stompy_api_client_get_onboarding_async (client, waiter->cancellable, stompy_cli_wait_cb,
                                          waiter);
  info = stompy_api_client_get_onboarding_finish (client, stompy_cli_wait_for (waiter), &error);
  if (info == NULL && !stompy_cli_is_cancelled (error))
    stompy_cli_print_api_error (error, stompy_api_client_get_base_url (client));

  return info;
}

/* The template's resource count, for the progress figure; 0 (count what is
 * seen) when it cannot be fetched, which does not stop the creation. */
static guint
template_resource_count (StompyCliAws    *aws,
                         StompyCliWaiter *waiter,
                         const char      *url)
{
  g_autoptr(StompyTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  stompy_template_fetch_async (aws->session, url, waiter->cancellable, stompy_cli_wait_cb,
                               waiter);
  template = stompy_template_fetch_finish (stompy_cli_wait_for (waiter), &error);
  if (template == NULL)
    {
      g_debug ("Fetching the template failed: %s", error->message);
      return 0;
    }

  return stompy_template_get_resource_count (template);
}

/* ------------------------------------------------------------------ stack create */

/* The core's stack-name rule, checked before any request. The template URL
 * is not known yet (it comes from Stompy), so a placeholder stands in. */
gboolean
stompy_cli_stack_name_is_valid (const char *name)
{
  g_autoptr(StompyStackRequest) probe = NULL;

  probe = stompy_stack_request_new (name, "https://stompy.invalid/template.json",
                                    "stompy-name-check", "analysaver");
  return stompy_stack_request_validate (probe, NULL);
}

static int
usage_bad_stack_name (const char *command,
                      const char *name)
{
  /* TRANSLATORS: %s is the name the user gave. */
  g_autofree char *message = g_strdup_printf (_("“%s” is not a valid stack name: use up to "
                                                "128 letters, digits and hyphens, beginning "
                                                "with a letter"), name);

  return stompy_cli_usage_error (command, message);
}

/* Parses "stack status|delete NAME [OPTION…]". Returns -1 with *@stack_name
 * set (borrowed from argv), else the usage error's exit status. */
static int
parse_stack_name_command (const char          *summary,
                          const GOptionEntry  *entries,
                          int                 *argc,
                          char              ***argv,
                          const char         **stack_name)
{
  int status = stompy_cli_parse_options (_("NAME"), summary, entries, 1, argc, argv);

  if (status >= 0)
    return status;
  if (*argc < 2)
    return stompy_cli_usage_error ((*argv)[0], _("Name the stack"));

  *stack_name = (*argv)[1];
  if (!stompy_cli_stack_name_is_valid (*stack_name))
    return usage_bad_stack_name ((*argv)[0], *stack_name);

  return -1;
}

static int
print_no_such_stack (StompyCliAws *aws,
                     const char   *stack_name)
{
  /* TRANSLATORS: the first %s is a stack name, the second a region. */
  g_autofree char *message = g_strdup_printf (_("There is no stack named “%s” in %s."),
                                              stack_name,
                                              stompy_aws_client_get_region (aws->client));

  stompy_cli_print_error (message);
  return STOMPY_CLI_EXIT_FAILED;
}

static void
print_delete_hint (const char *stack_name)
{
  /* TRANSLATORS: %s is a stack name. */
  g_printerr (_("Delete it with “stompy-connect-cli stack delete %s”, then run this command "
                "again.\n"), stack_name);
}

static void
print_create_json (const StompyStack *stack,
                   const char        *outcome,
                   const char        *failure_reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  stompy_json_add_string (builder, "outcome", outcome);
  add_stack_members (builder, stack, failure_reason);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  stompy_cli_print_json (root);
}

static const char *
outcome_to_string (StompyStackOutcome outcome)
{
  switch (outcome)
    {
    case STOMPY_STACK_OUTCOME_CREATED:
      return "created";
    case STOMPY_STACK_OUTCOME_REUSED:
      return "reused";
    case STOMPY_STACK_OUTCOME_IN_PROGRESS:
    default:
      return "in-progress";
    }
}

/* Prints @format (with the stack name) on standard output, or on standard
 * error in JSON mode so that standard output stays JSON. */
static void
say (gboolean    json,
     const char *line)
{
  if (json)
    g_printerr ("%s\n", line);
  else
    g_print ("%s\n", line);
}

const char *
stompy_cli_stack_default_name (const StompyOnboardingInfo *info,
                               StompyProducts              product)
{
  const StompyTemplateInfo *template_info;

  template_info = product == STOMPY_PRODUCT_ANALYSAVER ? &info->analysaver : &info->spotainer;
  if (template_info->default_stack_name != NULL && *template_info->default_stack_name != '\0')
    return template_info->default_stack_name;

  return product == STOMPY_PRODUCT_ANALYSAVER ? "StompyAnalySaver" : "StompySpoTainer";
}

StompyStackRequest *
stompy_cli_stack_request_new (const StompyOnboardingInfo *info,
                              StompyProducts              product,
                              const char                 *stack_name,
                              const char                 *cur_bucket,
                              const char                 *token)
{
  const StompyTemplateInfo *template_info;
  StompyStackRequest *request;

  template_info = product == STOMPY_PRODUCT_ANALYSAVER ? &info->analysaver : &info->spotainer;
  request = stompy_stack_request_new (stack_name, template_info->url, token,
                                      product == STOMPY_PRODUCT_ANALYSAVER ? "analysaver"
                                                                           : "spotainer");
  stompy_stack_request_set_parameter (request, "ExternalId", info->external_id);
  stompy_stack_request_set_parameter (request, "StompyPrincipalAccountId",
                                      info->principal_account_id);
  if (product == STOMPY_PRODUCT_ANALYSAVER)
    stompy_stack_request_set_parameter (request, "CurBucketName", cur_bucket);

  return request;
}

/* A stack being followed: started by stompy_cli_stack_start(), ended by
 * stompy_cli_stack_finish(). */
struct _StompyCliStackFollow
{
  Follow              follow;
  StompyStackWatch   *watch;
  StompyEnsuredStack *ensured;
  GHashTable         *printed;
  char               *stack_name;
  char               *token;
  StompyProducts      product;
  gboolean            to_stderr;
  gboolean            print_json;
};

void
stompy_cli_stack_follow_free (StompyCliStackFollow *following)
{
  if (following == NULL)
    return;

  /* Disposing of the watch stops its polling. */
  g_signal_handlers_disconnect_by_data (following->watch, &following->follow);
  g_clear_object (&following->watch);
  g_clear_pointer (&following->ensured, stompy_ensured_stack_free);
  g_clear_pointer (&following->printed, g_hash_table_unref);
  g_free (following->stack_name);
  g_free (following->token);
  g_free (following);
}

int
stompy_cli_stack_ensure (StompyCliAws               *aws,
                         StompyCliWaiter            *waiter,
                         StompyOnboarding           *state,
                         const StompyOnboardingInfo *info,
                         StompyProducts              product,
                         const char                 *stack_name_option,
                         const char                 *cur_bucket,
                         gboolean                    no_wait,
                         gboolean                    to_stderr,
                         gboolean                    print_json)
{
  StompyCliStackFollow *following = NULL;
  int status;

  status = stompy_cli_stack_start (aws, waiter, state, info, product, stack_name_option,
                                   cur_bucket, no_wait, to_stderr, print_json, &following);
  if (status == STOMPY_CLI_EXIT_OK && following != NULL)
    status = stompy_cli_stack_finish (following, waiter, state);
  stompy_cli_stack_follow_free (following);

  return status;
}

int
stompy_cli_stack_start (StompyCliAws               *aws,
                        StompyCliWaiter            *waiter,
                        StompyOnboarding           *state,
                        const StompyOnboardingInfo *info,
                        StompyProducts              product,
                        const char                 *stack_name_option,
                        const char                 *cur_bucket,
                        gboolean                    no_wait,
                        gboolean                    to_stderr,
                        gboolean                    print_json,
                        StompyCliStackFollow      **following_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyStackRequest) request = NULL;
  g_autoptr(StompyEnsuredStack) ensured = NULL;
  g_autofree char *stack_name = g_strdup (stack_name_option);
  g_autofree char *token = NULL;
  g_autofree char *line = NULL;
  const StompyTemplateInfo *template_info;
  const char *region = stompy_aws_client_get_region (aws->client);
  StompyStackRecord *record;
  StompyCliStackFollow *following;
  guint resource_count;
  gboolean json = to_stderr;
  int status = STOMPY_CLI_EXIT_FAILED;

  *following_out = NULL;

  template_info = product == STOMPY_PRODUCT_ANALYSAVER ? &info->analysaver : &info->spotainer;
  if (stack_name == NULL)
    stack_name = g_strdup (stompy_cli_stack_default_name (info, product));

  /* The token of an earlier attempt at this stack is sent again, so that
   * CloudFormation recognises a retried CreateStack. */
  record = stompy_onboarding_get_stack (state, product);
  if (g_strcmp0 (stompy_stack_record_get_stack_name (record), stack_name) == 0
      && g_strcmp0 (stompy_stack_record_get_region (record), region) == 0
      && stompy_stack_record_get_client_request_token (record) != NULL)
    token = g_strdup (stompy_stack_record_get_client_request_token (record));
  else
    token = stompy_cloudformation_new_client_request_token ();

  request = stompy_cli_stack_request_new (info, product, stack_name, cur_bucket, token);
  if (!stompy_stack_request_validate (request, &error))
    {
      /* TRANSLATORS: %s is a technical explanation. */
      g_autofree char *message = g_strdup_printf (_("Stompy’s template cannot be used: %s"),
                                                  error->message);
      stompy_cli_print_error (message);
      return status;
    }

  resource_count = template_resource_count (aws, waiter, template_info->url);

  /* Kept before the first CreateStack, so a retry after a crash reuses it. */
  if (g_strcmp0 (stompy_stack_record_get_stack_name (record), stack_name) != 0)
    stompy_stack_record_clear (record);
  stompy_stack_record_set_stack_name (record, stack_name);
  stompy_stack_record_set_region (record, region);
  stompy_stack_record_set_iam_acknowledged (record, TRUE);
  stompy_stack_record_set_client_request_token (record, token);
  stompy_cli_state_save (state);

  stompy_cloudformation_ensure_stack_async (aws->client, request, waiter->cancellable,
                                            stompy_cli_wait_cb, waiter);
  ensured = stompy_cloudformation_ensure_stack_finish (stompy_cli_wait_for (waiter), &error);
  if (ensured == NULL)
    {
      if (stompy_cloudformation_error_is_unusable (error))
        {
          g_autofree char *message =
            /* TRANSLATORS: the first %s is a stack name, the second the reason. */
            g_strdup_printf (_("The stack “%s” exists but cannot be used: %s"), stack_name,
                             stompy_aws_error_get_aws_message (error));
          stompy_cli_print_error (message);
          print_delete_hint (stack_name);
        }
      else
        {
          status = stompy_cli_aws_failure (error);
        }
      return status;
    }

  record_stack (record, ensured->stack, NULL);
  stompy_cli_state_save (state);

  switch (ensured->outcome)
    {
    case STOMPY_STACK_OUTCOME_REUSED:
      /* TRANSLATORS: %s is a stack name. */
      line = g_strdup_printf (_("The stack “%s” exists already and is complete: reused."),
                              stack_name);
      break;
    case STOMPY_STACK_OUTCOME_IN_PROGRESS:
      /* TRANSLATORS: %s is a stack name. */
      line = g_strdup_printf (_("The stack “%s” is being created already; following it."),
                              stack_name);
      break;
    case STOMPY_STACK_OUTCOME_CREATED:
    default:
      /* TRANSLATORS: the first %s is a stack name, the second a region. */
      line = g_strdup_printf (_("Creating the stack “%s” in %s…"), stack_name, region);
      break;
    }
  say (json, line);

  if (ensured->outcome == STOMPY_STACK_OUTCOME_REUSED || no_wait)
    {
      if (ensured->outcome != STOMPY_STACK_OUTCOME_REUSED)
        {
          g_clear_pointer (&line, g_free);
          /* TRANSLATORS: %s is a stack name. */
          line = g_strdup_printf (_("Creation has started. Follow it with “stompy-connect-cli "
                                    "stack status %s”."), stack_name);
          say (json, line);
        }
      if (print_json)
        print_create_json (ensured->stack, outcome_to_string (ensured->outcome), NULL);
      else if (!json && ensured->stack->role_arn != NULL)
        g_print (_("RoleArn: %s\n"), ensured->stack->role_arn);
      status = STOMPY_CLI_EXIT_OK;
      return status;
    }

  following = g_new0 (StompyCliStackFollow, 1);
  following->product = product;
  following->to_stderr = to_stderr;
  following->print_json = print_json;
  following->stack_name = g_steal_pointer (&stack_name);
  following->token = g_steal_pointer (&token);
  following->printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  following->follow.waiter = waiter;
  following->follow.token = following->token;
  following->follow.resource_count = resource_count;
  following->follow.to_stderr = json;
  following->follow.printed = following->printed;
  following->watch = stompy_stack_watch_new (aws->client, ensured->stack->stack_id,
                                             following->token, resource_count);
  /* The stack as ensure_stack() has just described it: the watch's first
   * look then needs no DescribeStacks of its own. */
  stompy_stack_watch_set_stack (following->watch, ensured->stack);
  following->ensured = g_steal_pointer (&ensured);
  g_signal_connect (following->watch, "changed", G_CALLBACK (watch_changed_cb),
                    &following->follow);
  /* Polling starts now, so that another stack can be started and both
   * followed at once; stompy_cli_stack_finish() waits for it to settle. */
  stompy_stack_watch_start (following->watch);
  *following_out = following;

  return STOMPY_CLI_EXIT_OK;
}

int
stompy_cli_stack_finish (StompyCliStackFollow *following,
                         StompyCliWaiter      *waiter,
                         StompyOnboarding     *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyStack) settled = NULL;
  StompyStackWatch *watch = following->watch;
  StompyEnsuredStack *ensured = following->ensured;
  StompyStackRecord *record = stompy_onboarding_get_stack (state, following->product);
  const char *stack_name = following->stack_name;
  gboolean print_json = following->print_json;
  gboolean json = following->to_stderr;
  const char *reason;
  int status = STOMPY_CLI_EXIT_FAILED;

  stompy_stack_watch_wait_async (watch, waiter->cancellable, stompy_cli_wait_cb, waiter);
  settled = stompy_stack_watch_wait_finish (watch, stompy_cli_wait_for (waiter), &error);
  if (settled == NULL)
    {
      status = stompy_cli_aws_failure (error);
      return status;
    }

  reason = stompy_stack_watch_get_failure_reason (watch);
  record_stack (record, settled, reason);
  stompy_cli_state_save (state);

  if (print_json)
    print_create_json (settled, outcome_to_string (ensured->outcome),
                       settled->state == STOMPY_STACK_STATE_COMPLETE ? NULL : reason);

  if (settled->state == STOMPY_STACK_STATE_COMPLETE && settled->role_arn != NULL)
    {
      if (!json)
        {
          /* TRANSLATORS: %s is a stack name. */
          g_print (_("The stack “%s” is complete.\n"), stack_name);
          g_print (_("RoleArn: %s\n"), settled->role_arn);
        }
      status = STOMPY_CLI_EXIT_OK;
    }
  else
    {
      /* TRANSLATORS: the first %s is a stack name, the second its status
       * (such as ROLLBACK_COMPLETE), the third the reason AWS gave. */
      g_autofree char *message = g_strdup_printf (_("The stack “%s” failed (%s): %s"),
                                                  stack_name, settled->status,
                                                  reason != NULL ? reason : _("AWS gave no reason"));
      stompy_cli_print_error (message);
      print_delete_hint (stack_name);
    }

  return status;
}

static int
run_stack_create (int    argc,
                  char **argv)
{
  g_autofree char *profile = NULL;
  g_autofree char *region_option = NULL;
  g_autofree char *stack_name = NULL;
  g_autofree char *cur_bucket = NULL;
  gboolean acknowledge_iam = FALSE;
  gboolean no_wait = FALSE;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "acknowledge-iam", 0, 0, G_OPTION_ARG_NONE, &acknowledge_iam,
      N_("I acknowledge that AWS CloudFormation might create IAM resources"), NULL },
    { "stack-name", 's', 0, G_OPTION_ARG_STRING, &stack_name,
      N_("The stack’s name (default: the one Stompy proposes)"), N_("NAME") },
    { "cur-bucket", 0, 0, G_OPTION_ARG_STRING, &cur_bucket,
      N_("AnalySaver: the report’s bucket (default: the one “cur create” recorded)"),
      N_("NAME") },
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait,
      N_("Return once creation has started"), NULL },
    STOMPY_CLI_REGION_ENTRY (region_option,
                             N_("The stack’s region (default: the profile’s, else ap-southeast-1)")),
    STOMPY_CLI_PROFILE_ENTRY (profile),
    STOMPY_CLI_JSON_ENTRY (json),
    { NULL }
  };
  g_autoptr(StompyOnboarding) state = NULL;
  g_autoptr(StompyOnboardingInfo) info = NULL;
  StompyProducts product;
  const char *product_name;
  const char *command;
  StompyCliAws aws = { 0, };
  StompyCliWaiter waiter;
  int status;

  status = stompy_cli_parse_options ("analysaver|spotainer",
                                     _("Create the role stack of a product from Stompy’s "
                                       "template, and follow it until it is complete. A stack "
                                       "of that name that is complete already is reused.\n"
                                       "Needs “stompy-connect-cli login” first, and "
                                       "--acknowledge-iam: the stack creates an IAM role that "
                                       "Stompy can assume."),
                                     entries, 1, &argc, &argv);
  if (status >= 0)
    return status;
  command = argv[0];

  if (argc < 2)
    return stompy_cli_usage_error (command, _("Name the product: analysaver or spotainer"));
  product_name = argv[1];
  if (g_str_equal (product_name, "analysaver"))
    product = STOMPY_PRODUCT_ANALYSAVER;
  else if (g_str_equal (product_name, "spotainer"))
    product = STOMPY_PRODUCT_SPOTAINER;
  else
    {
      /* TRANSLATORS: %s is what the user typed. */
      g_autofree char *message = g_strdup_printf (_("Unknown product “%s”: use analysaver or "
                                                    "spotainer"), product_name);
      return stompy_cli_usage_error (command, message);
    }

  if (!acknowledge_iam)
    return stompy_cli_usage_error (command,
                                   _("The stack creates an IAM role. Add --acknowledge-iam to "
                                     "acknowledge that AWS CloudFormation might create IAM "
                                     "resources."));
  if (stack_name != NULL && !stompy_cli_stack_name_is_valid (stack_name))
    return usage_bad_stack_name (command, stack_name);
  if (cur_bucket != NULL && product != STOMPY_PRODUCT_ANALYSAVER)
    return stompy_cli_usage_error (command, _("--cur-bucket is for the analysaver stack only"));
  if (cur_bucket != NULL && !stompy_s3_validate_bucket_name (cur_bucket, NULL, NULL))
    {
      /* TRANSLATORS: %s is the name the user gave. */
      g_autofree char *message = g_strdup_printf (_("“%s” is not a valid bucket name"),
                                                  cur_bucket);
      return stompy_cli_usage_error (command, message);
    }
  state = stompy_cli_state_open ();
  if (product == STOMPY_PRODUCT_ANALYSAVER && cur_bucket == NULL)
    {
      StompyCurChoice *choice = stompy_onboarding_get_cur_choice (state);

      if (!stompy_cur_choice_is_complete (choice))
        return stompy_cli_usage_error (command,
                                       _("The AnalySaver role reads the Cost and Usage Report’s "
                                         "bucket, and none is recorded yet. Run "
                                         "“stompy-connect-cli cur create” first, or give the "
                                         "bucket with --cur-bucket."));
      cur_bucket = g_strdup (stompy_cur_choice_get_bucket (choice));
    }

  status = stompy_cli_aws_begin (&aws, &waiter, command, profile, region_option);
  if (status >= 0)
    return status;
  status = STOMPY_CLI_EXIT_FAILED;

  info = stompy_cli_get_onboarding (&aws, &waiter);
  if (info == NULL)
    {
      if (g_cancellable_is_cancelled (waiter.cancellable))
        status = STOMPY_CLI_EXIT_INTERRUPTED;
      goto out;
    }

  status = stompy_cli_stack_ensure (&aws, &waiter, state, info, product, stack_name, cur_bucket,
                                    no_wait, json, json);

out:
  stompy_cli_aws_end (&aws, &waiter);
  return status;
}

/* ------------------------------------------------------------------ stack status */

/* One look at the stack (DescribeStacks and its newest events) through a
 * StompyStackWatch, which also works out the progress and the failure reason.
 * Returns the watch after its first look; the caller reads it. */
static StompyStackWatch *
look_once (StompyCliAws    *aws,
           StompyCliWaiter *waiter,
           const char      *stack,
           const char      *token)
{
  g_autoptr(GHashTable) printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  StompyStackWatch *watch = stompy_stack_watch_new (aws->client, stack, token, 0);
  Follow follow = { 0, };
  gulong handler;

  follow.waiter = waiter;
  follow.printed = printed;
  follow.quit_on_look = TRUE;
  handler = g_signal_connect (watch, "changed", G_CALLBACK (watch_changed_cb), &follow);
  stompy_stack_watch_start (watch);
  stompy_cli_wait_run (waiter);
  g_signal_handler_disconnect (watch, handler);
  stompy_stack_watch_stop (watch);

  return watch;
}

static void
print_status_json (const StompyStack *stack,
                   GPtrArray         *operation,
                   guint              done,
                   guint              total,
                   const char        *failure_reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_stack_members (builder, stack, failure_reason);
  json_builder_set_member_name (builder, "progress");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "done");
  json_builder_add_int_value (builder, done);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = operation->len, n = 0; i > 0 && n < STATUS_EVENTS_JSON; i--, n++)
    {
      const StompyStackEvent *event = g_ptr_array_index (operation, i - 1);
      g_autofree char *timestamp = event->timestamp != NULL
                                   ? g_date_time_format_iso8601 (event->timestamp) : NULL;

      json_builder_begin_object (builder);
      stompy_json_add_string (builder, "timestamp", timestamp);
      stompy_json_add_string (builder, "logical_resource_id", event->logical_resource_id);
      stompy_json_add_string (builder, "resource_type", event->resource_type);
      stompy_json_add_string (builder, "resource_status", event->resource_status);
      stompy_json_add_string (builder, "resource_status_reason", event->resource_status_reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  stompy_cli_print_json (root);
}

static void
print_status_text (const StompyStack *stack,
                   GPtrArray         *operation,
                   guint              done,
                   guint              total,
                   const char        *failure_reason)
{
  g_print (_("Stack:     %s\n"), stack->stack_name);
  /* TRANSLATORS: the first %s is a status such as CREATE_COMPLETE, the second
   * a class such as "complete" (left in English: it is the JSON "state"). */
  g_print (_("Status:    %s (%s)\n"), stack->status, stompy_stack_state_to_string (stack->state));
  /* TRANSLATORS: resources done / resources in all. */
  g_print (_("Progress:  %u/%u\n"), done, total);
  if (failure_reason != NULL)
    g_print (_("Reason:    %s\n"), failure_reason);
  if (stack->role_arn != NULL)
    g_print (_("RoleArn:   %s\n"), stack->role_arn);

  if (operation->len > 0)
    {
      g_print ("%s\n", _("Latest events:"));
      for (guint i = operation->len, n = 0; i > 0 && n < STATUS_EVENTS_TEXT; i--, n++)
        {
          const StompyStackEvent *event = g_ptr_array_index (operation, i - 1);
          g_autofree char *time = event->timestamp != NULL
                                  ? g_date_time_format (event->timestamp, "%F %T") : NULL;

          g_print ("  %s  %s  %s%s%s\n", time != NULL ? time : "", event->resource_status,
                   event->logical_resource_id,
                   event->resource_status_reason != NULL ? " — " : "",
                   event->resource_status_reason != NULL ? event->resource_status_reason : "");
        }
    }
}

static int
run_stack_status (int    argc,
                  char **argv)
{
  g_autofree char *profile = NULL;
  g_autofree char *region_option = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    STOMPY_CLI_REGION_ENTRY (region_option,
                             N_("The stack’s region (default: the profile’s, else ap-southeast-1)")),
    STOMPY_CLI_PROFILE_ENTRY (profile),
    STOMPY_CLI_JSON_ENTRY (json),
    { NULL }
  };
  g_autoptr(StompyOnboarding) state = NULL;
  g_autoptr(StompyStackWatch) watch = NULL;
  g_autoptr(GPtrArray) operation = NULL;
  StompyStackRecord *record;
  const StompyStack *stack;
  const GError *error;
  const char *stack_name;
  const char *command;
  const char *token = NULL;
  const char *look_at;
  const char *reason;
  guint done = 0, total = 0;
  StompyCliAws aws;
  StompyCliWaiter waiter;
  int status;

  status = parse_stack_name_command (_("Show a stack’s status, its progress, its latest "
                                       "events, why it failed, and its RoleArn output."),
                                     entries, &argc, &argv, &stack_name);
  if (status >= 0)
    return status;
  command = argv[0];
  status = stompy_cli_aws_begin (&aws, &waiter, command, profile, region_option);
  if (status >= 0)
    return status;

  /* The recorded stack id still answers after a deletion; the token picks
   * out the events of the recorded operation. */
  state = stompy_cli_state_open ();
  record = find_record (state, stack_name, NULL);
  look_at = stack_name;
  if (record != NULL
      && g_strcmp0 (stompy_stack_record_get_region (record),
                    stompy_aws_client_get_region (aws.client)) == 0)
    {
      token = stompy_stack_record_get_client_request_token (record);
      if (stompy_stack_record_get_stack_id (record) != NULL)
        look_at = stompy_stack_record_get_stack_id (record);
    }
  else
    {
      record = NULL;
    }

  watch = look_once (&aws, &waiter, look_at, token);
  stack = stompy_stack_watch_get_stack (watch);
  error = stompy_stack_watch_get_error (watch);

  if (g_cancellable_is_cancelled (waiter.cancellable))
    {
      status = STOMPY_CLI_EXIT_INTERRUPTED;
    }
  else if (stack == NULL && error != NULL && stompy_cloudformation_error_is_not_found (error))
    {
      status = print_no_such_stack (&aws, stack_name);
    }
  else if (stack == NULL)
    {
      status = error != NULL ? stompy_cli_aws_failure (error) : STOMPY_CLI_EXIT_FAILED;
    }
  else
    {
      operation = stompy_stack_events_of_operation (stompy_stack_watch_get_events (watch),
                                                    token, NULL);
      stompy_stack_watch_get_progress (watch, &done, &total);
      reason = stompy_stack_watch_get_failure_reason (watch);
      if (stack->state == STOMPY_STACK_STATE_COMPLETE)
        reason = NULL;

      if (json)
        print_status_json (stack, operation, done, total, reason);
      else
        print_status_text (stack, operation, done, total, reason);

      if (record != NULL)
        {
          record_stack (record, stack, reason);
          stompy_cli_state_save (state);
        }
      status = STOMPY_CLI_EXIT_OK;
    }

  stompy_cli_aws_end (&aws, &waiter);
  return status;
}

/* ------------------------------------------------------------------ stack delete */

static int
run_stack_delete (int    argc,
                  char **argv)
{
  g_autofree char *profile = NULL;
  g_autofree char *region_option = NULL;
  gboolean yes = FALSE;
  GOptionEntry entries[] = {
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes,
      N_("Also delete a stack whose creation completed (Stompy then loses the role it uses)"), NULL },
    STOMPY_CLI_REGION_ENTRY (region_option,
                             N_("The stack’s region (default: the profile’s, else ap-southeast-1)")),
    STOMPY_CLI_PROFILE_ENTRY (profile),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyOnboarding) state = NULL;
  g_autoptr(StompyStack) stack = NULL;
  g_autoptr(StompyStackWatch) watch = NULL;
  g_autoptr(StompyStack) deleted = NULL;
  StompyStackRecord *record;
  const char *stack_name;
  const char *command;
  StompyCliAws aws;
  StompyCliWaiter waiter;
  int status;

  status = parse_stack_name_command (_("Delete a stack (one that failed, so that “stack "
                                       "create” can try again) and wait until it is gone."),
                                     entries, &argc, &argv, &stack_name);
  if (status >= 0)
    return status;
  command = argv[0];
  status = stompy_cli_aws_begin (&aws, &waiter, command, profile, region_option);
  if (status >= 0)
    return status;

  stompy_cloudformation_describe_stack_async (aws.client, stack_name, waiter.cancellable,
                                              stompy_cli_wait_cb, &waiter);
  stack = stompy_cloudformation_describe_stack_finish (stompy_cli_wait_for (&waiter), &error);
  if (stack == NULL)
    {
      if (stompy_cloudformation_error_is_not_found (error))
        {
          status = print_no_such_stack (&aws, stack_name);
        }
      else
        {
          status = stompy_cli_aws_failure (error);
        }
      goto out;
    }

  if (stack->state == STOMPY_STACK_STATE_COMPLETE && !yes)
    {
      /* TRANSLATORS: %s is a stack name. */
      g_autofree char *message = g_strdup_printf (_("The stack “%s” is complete, and Stompy "
                                                    "may use its role. Add --yes to delete it "
                                                    "anyway."), stack_name);
      status = stompy_cli_usage_error (command, message);
      goto out;
    }

  stompy_cloudformation_delete_stack_async (aws.client, stack->stack_id, NULL,
                                            waiter.cancellable, stompy_cli_wait_cb, &waiter);
  if (!stompy_cloudformation_delete_stack_finish (stompy_cli_wait_for (&waiter), &error))
    {
      status = stompy_cli_aws_failure (error);
      goto out;
    }
  /* TRANSLATORS: %s is a stack name. */
  g_print (_("Deleting the stack “%s”…\n"), stack_name);

  /* Followed by id: a deleted stack no longer answers to its name. */
  watch = stompy_stack_watch_new (aws.client, stack->stack_id, NULL, 0);
  stompy_stack_watch_wait_async (watch, waiter.cancellable, stompy_cli_wait_cb, &waiter);
  deleted = stompy_stack_watch_wait_finish (watch, stompy_cli_wait_for (&waiter), &error);
  if (deleted == NULL)
    {
      status = stompy_cli_aws_failure (error);
      goto out;
    }
  if (deleted->state != STOMPY_STACK_STATE_DELETED)
    {
      const char *reason = stompy_stack_watch_get_failure_reason (watch);
      /* TRANSLATORS: the first %s is a stack name, the second its status, the third a reason. */
      g_autofree char *message = g_strdup_printf (_("The stack “%s” could not be deleted (%s): "
                                                    "%s"), stack_name, deleted->status,
                                                  reason != NULL ? reason
                                                                 : _("AWS gave no reason"));
      stompy_cli_print_error (message);
      status = STOMPY_CLI_EXIT_FAILED;
      goto out;
    }

  /* The next "stack create" starts a new operation with a new token. */
  state = stompy_cli_state_open ();
  record = find_record (state, stack_name, NULL);
  if (record != NULL)
    {
      stompy_stack_record_clear (record);
      stompy_cli_state_save (state);
    }

  /* TRANSLATORS: %s is a stack name. */
  g_print (_("The stack “%s” is deleted.\n"), stack_name);
  status = STOMPY_CLI_EXIT_OK;

out:
  stompy_cli_aws_end (&aws, &waiter);
  return status;
}

/* ------------------------------------------------------------------ the group */

static const StompyCliCommand stack_commands[] = {
  { "create", run_stack_create, N_("Create a product’s role stack and follow it") },
  { "status", run_stack_status, N_("Show a stack’s status, events and RoleArn") },
  { "delete", run_stack_delete, N_("Delete a stack that failed") },
};

int
stompy_cli_run_stack (int    argc,
                      char **argv)
{
  return stompy_cli_run_group (_("The CloudFormation stacks that create the roles Stompy "
                                 "assumes."),
                               stack_commands, G_N_ELEMENTS (stack_commands), argc, argv);
}
