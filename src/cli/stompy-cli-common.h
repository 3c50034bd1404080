/* stompy-cli-common.h — what every stompy-connect-cli command shares
 *
 * Running one asynchronous core call at a time in a main loop (Ctrl+C
 * cancels it), option parsing with the program's usage errors, errors turned
 * into one translated line (with AWS's or Stompy's request id), the AWS
 * client built from the credentials the AWS CLI would use, the state file
 * shared with the app, and JSON output.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "stompy-api-client.h"
#include "stompy-aws-client.h"
#include "stompy-cloudformation.h"
#include "stompy-cur.h"
#include "stompy-onboarding.h"

G_BEGIN_DECLS

#define STOMPY_CLI_EXIT_OK          0
#define STOMPY_CLI_EXIT_FAILED      1
#define STOMPY_CLI_EXIT_USAGE       2
#define STOMPY_CLI_EXIT_INTERRUPTED 130

#define STOMPY_CLI_NAME "stompy-connect-cli"

/* The page of the root-only account setting CUR access depends on. */
#define STOMPY_CLI_BILLING_SETTINGS_URL "https://console.aws.amazon.com/billing/home#/account"
/* The console's Cost and Usage Reports page (guided mode). */
#define STOMPY_CLI_CUR_CONSOLE_URL "https://console.aws.amazon.com/billing/home#/reports"

/* ------------------------------------------------------- running async calls */

/* Start a call with stompy_cli_wait_cb and the waiter, then
 * stompy_cli_wait_for() spins a main loop until it has finished. SIGINT and
 * SIGTERM cancel the call rather than kill the process, so the keyring and
 * the network are left cleanly. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
  GCancellable *cancellable;
  guint         sigint_id;
  guint         sigterm_id;
} StompyCliWaiter;

void          stompy_cli_waiter_init (StompyCliWaiter *waiter);
void          stompy_cli_waiter_clear (StompyCliWaiter *waiter);
void          stompy_cli_wait_cb     (GObject         *source,
                                      GAsyncResult    *result,
                                      gpointer         user_data);
/* The result of the call started with stompy_cli_wait_cb; the waiter keeps it. */
GAsyncResult *stompy_cli_wait_for    (StompyCliWaiter *waiter);
/* Ends the loop from another callback (the waiter's result stays NULL). */
void          stompy_cli_wait_quit   (StompyCliWaiter *waiter);
/* Spins until stompy_cli_wait_quit() or stompy_cli_wait_cb. */
void          stompy_cli_wait_run    (StompyCliWaiter *waiter);

/* ----------------------------------------------------------------- options */

/* Parses a command's options (argv[0] is the command, as "stompy-connect-cli
 * cur list"), allowing at most @max_arguments positional arguments. Returns
 * -1 when parsing succeeded, else the exit status after printing the usage
 * error. */
int           stompy_cli_parse_options (const char         *parameter_string,
                                        const char         *summary,
                                        const GOptionEntry *entries,
                                        guint               max_arguments,
                                        int                *argc,
                                        char             ***argv);

/* A subcommand of a command group ("cur list"). */
typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} StompyCliCommand;

/* Runs the subcommand named by argv[1] of the group argv[0] ("stompy-connect-cli
 * cur"), or prints the group's usage. */
int           stompy_cli_run_group     (const char             *description,
                                        const StompyCliCommand *commands,
                                        guint                   n_commands,
                                        int                     argc,
                                        char                  **argv);

/* ---------------------------------------------------------------- messages */

void          stompy_cli_print_error     (const char   *message);
/* Prints @message and the hint to run “@command --help”; returns 2. */
int           stompy_cli_usage_error     (const char   *command,
                                          const char   *message);
gboolean      stompy_cli_is_cancelled    (const GError *error);
char         *stompy_cli_describe_aws_error (const GError *error) G_GNUC_WARN_UNUSED_RESULT;
/* Prints the AWS request id of @error, when it has one. */
void          stompy_cli_print_aws_request_id (const GError *error);
void          stompy_cli_print_aws_error (const GError *error);
void          stompy_cli_print_api_error (const GError *error,
                                          const char   *base_url);
/* For a failed call: nothing when it was cancelled (130), else
 * stompy_cli_print_aws_error() (1). */
int           stompy_cli_aws_failure     (const GError *error);

/* ------------------------------------------------------------------- AWS */

typedef struct
{
  StompyAwsConfig      *config;
  StompyAwsCredentials *credentials;
  char                 *profile;   /* the profile the config was read for */
  SoupSession          *session;
  StompyAwsClient      *client;
} StompyCliAws;

/* Credentials as the AWS CLI finds them: keys in the environment win over the
 * profile (AWS_PROFILE, else "default") unless @profile is given. @region
 * NULL = the profile's, else ap-southeast-1. Prints the reason and returns
 * FALSE when there are no usable credentials. */
gboolean      stompy_cli_aws_open        (StompyCliAws *aws,
                                          const char   *profile,
                                          const char   *region);
void          stompy_cli_aws_clear       (StompyCliAws *aws);

/* Checks --profile and --region (exit 2 when bad), opens the AWS client
 * (exit 1 when there are no usable credentials) and initialises @waiter.
 * Returns -1 when all went well (then end with stompy_cli_aws_end()), else
 * the exit status, with nothing left to clear. */
int           stompy_cli_aws_begin       (StompyCliAws    *aws,
                                          StompyCliWaiter *waiter,
                                          const char      *command,
                                          const char      *profile,
                                          const char      *region);
void          stompy_cli_aws_end         (StompyCliAws    *aws,
                                          StompyCliWaiter *waiter);

/* The options most commands share. */
#define STOMPY_CLI_PROFILE_ENTRY(variable) \
  { "profile", 'p', 0, G_OPTION_ARG_STRING, &(variable), \
    N_("Use this AWS CLI profile (default: AWS_PROFILE, else “default”)"), N_("NAME") }
#define STOMPY_CLI_JSON_ENTRY(variable) \
  { "json", 0, 0, G_OPTION_ARG_NONE, &(variable), N_("Print the result as JSON"), NULL }
#define STOMPY_CLI_REGION_ENTRY(variable, description) \
  { "region", 'r', 0, G_OPTION_ARG_STRING, &(variable), description, N_("REGION") }

/* -------------------------------------------------------------- state file */

/* The onboarding state shared with the app, loaded, without autosave (the
 * commands save when they have something to keep). A damaged file is set
 * aside by the model; the warning says so. */
StompyOnboarding *stompy_cli_state_open  (void) G_GNUC_WARN_UNUSED_RESULT;
/* Saves; a failure is a warning, not an error: what was done at AWS stays done. */
void          stompy_cli_state_save      (StompyOnboarding *state);

/* -------------------------------------------------------------------- output */

/* Prints @root as indented JSON with a final newline. */
void          stompy_cli_print_json      (JsonNode *root);
/* Appends @text to @line padded with spaces to @width terminal columns (wide
 * characters count two). */
void          stompy_cli_append_padded   (GString    *line,
                                          const char *text,
                                          guint       width);
/* The terminal columns @text takes. */
guint         stompy_cli_text_width      (const char *text);

/* ------------------------------------------------- steps shared by commands */

/* The Stompy client with the session "login" kept in the keyring; prints why
 * and returns NULL when there is none. */
StompyApiClient      *stompy_cli_stompy_open   (SoupSession     *session,
                                                StompyCliWaiter *waiter);
/* GET /aws/onboarding with that session; prints why and returns NULL on failure. */
StompyOnboardingInfo *stompy_cli_get_onboarding (StompyCliAws    *aws,
                                                 StompyCliWaiter *waiter);
/* The run-template step (stompy-cli-stack.c): creates or reuses @product's
 * role stack (@stack_name NULL: Stompy's default; @cur_bucket for
 * AnalySaver), follows it until it settles unless @no_wait, records it in
 * @state (saved). Progress lines go to standard error when @to_stderr;
 * @print_json prints "stack create"'s JSON result. Returns 0 when the stack is
 * complete (or started, with @no_wait), else the exit status after saying why. */
int                   stompy_cli_stack_ensure  (StompyCliAws               *aws,
                                                StompyCliWaiter            *waiter,
                                                StompyOnboarding           *state,
                                                const StompyOnboardingInfo *info,
                                                StompyProducts              product,
                                                const char                 *stack_name,
                                                const char                 *cur_bucket,
                                                gboolean                    no_wait,
                                                gboolean                    to_stderr,
                                                gboolean                    print_json);
/* The same in two halves, so that several stacks are followed at once:
 * start() does everything up to following the stack; when it returns 0 with
 * *@following set, the stack is being polled, and finish() waits until it
 * settles, records and prints the outcome, and returns the status ensure()
 * would. Free *@following (NULL when there is nothing to follow: reused, or
 * @no_wait) with stompy_cli_stack_follow_free(). */
typedef struct _StompyCliStackFollow StompyCliStackFollow;

int                   stompy_cli_stack_start   (StompyCliAws               *aws,
                                                StompyCliWaiter            *waiter,
                                                StompyOnboarding           *state,
                                                const StompyOnboardingInfo *info,
                                                StompyProducts              product,
                                                const char                 *stack_name,
                                                const char                 *cur_bucket,
                                                gboolean                    no_wait,
                                                gboolean                    to_stderr,
                                                gboolean                    print_json,
                                                StompyCliStackFollow      **following);
int                   stompy_cli_stack_finish  (StompyCliStackFollow       *following,
                                                StompyCliWaiter            *waiter,
                                                StompyOnboarding           *state);
void                  stompy_cli_stack_follow_free (StompyCliStackFollow   *following);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyCliStackFollow, stompy_cli_stack_follow_free)

/* The report step (stompy-cli-cur.c): creates or reuses the bucket, its
 * delivery policy and the report (or CUR 2.0 export), printing a line per
 * sub-step (on standard error when @to_stderr), and records the report in
 * @state (not saved). Names must have been checked. Returns -1 on success
 * (*@result set when not NULL), else the exit status after saying why. */
int                   stompy_cli_cur_setup     (StompyCliAws             *aws,
                                                StompyCliWaiter          *waiter,
                                                const StompyAwsIdentity  *identity,
                                                const char               *report,
                                                const char               *bucket,
                                                const char               *prefix,
                                                gboolean                  data_export,
                                                gboolean                  to_stderr,
                                                StompyOnboarding         *state,
                                                StompyCurSetupResult    **result);
/* An existing report definition named @report that meets the four
 * conditions, recorded in @state (not saved); -1, else the exit status after
 * saying why. */
int                   stompy_cli_cur_use_existing (StompyCliAws     *aws,
                                                   StompyCliWaiter  *waiter,
                                                   const char       *report,
                                                   StompyOnboarding *state);
/* Checks a report's, bucket's and prefix's names; -1, else the usage error's status. */
int                   stompy_cli_cur_check_names (const char *command,
                                                  const char *report,
                                                  const char *bucket,
                                                  const char *prefix,
                                                  gboolean    data_export);
gboolean              stompy_cli_stack_name_is_valid (const char *name);
/* The role stack's name Stompy proposes for @product, else the product's. */
const char           *stompy_cli_stack_default_name  (const StompyOnboardingInfo *info,
                                                      StompyProducts              product);
/* @product's stack as Stompy's template wants it: the template URL and the
 * ExternalId, StompyPrincipalAccountId (and, for AnalySaver, CurBucketName)
 * parameters. Also the console's quick-create link is built from it. */
StompyStackRequest   *stompy_cli_stack_request_new   (const StompyOnboardingInfo *info,
                                                      StompyProducts              product,
                                                      const char                 *stack_name,
                                                      const char                 *cur_bucket,
                                                      const char                 *token) G_GNUC_WARN_UNUSED_RESULT;

/* ------------------------------------------------------------------ commands */

int stompy_cli_run_login    (int argc, char **argv);
int stompy_cli_run_logout   (int argc, char **argv);
int stompy_cli_run_identity (int argc, char **argv);
int stompy_cli_run_cur      (int argc, char **argv);
int stompy_cli_run_stack    (int argc, char **argv);
int stompy_cli_run_connect  (int argc, char **argv);
int stompy_cli_run_status   (int argc, char **argv);

G_END_DECLS
