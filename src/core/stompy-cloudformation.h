/* stompy-cloudformation.h — the role stacks: create, describe, events, delete
 *
 * The CloudFormation query API (shared/reference/aws-cfn-sts-sigv4.md §2) as
 * far as the run-template step needs it, the classification of the 23 stack
 * statuses, the progress figure and failure reason read from stack events,
 * "ensure stack" (reuse, explain or create), the console's quick-create link
 * (§3.1) and the check of a pasted role ARN.
 *
 * Errors are STOMPY_AWS_ERROR (what AWS answered) or STOMPY_ERROR (bad input).
 * A stack that does not exist is STOMPY_AWS_ERROR_NOT_FOUND (AWS says
 * ValidationError "… does not exist"; the AWS code and message are kept).
 */
#pragma once

#include "stompy-aws-client.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------ statuses */

/* Coarse classes of StackStatus, from §2.5's table. */
typedef enum
{
  STOMPY_STACK_STATE_UNKNOWN,        /* not a stack status */
  STOMPY_STACK_STATE_IN_PROGRESS,    /* any *_IN_PROGRESS but the two below */
  STOMPY_STACK_STATE_COMPLETE,       /* CREATE/UPDATE/IMPORT_COMPLETE, UPDATE_COMPLETE_CLEANUP_IN_PROGRESS */
  STOMPY_STACK_STATE_FAILED,         /* *_FAILED */
  STOMPY_STACK_STATE_ROLLED_BACK,    /* ROLLBACK_COMPLETE, UPDATE/IMPORT_ROLLBACK_COMPLETE */
  STOMPY_STACK_STATE_DELETED,        /* DELETE_COMPLETE (or gone) */
  STOMPY_STACK_STATE_REVIEW,         /* REVIEW_IN_PROGRESS: a change set never executed */
} StompyStackState;

/* A status this client does not know is classified by its suffix
 * (_IN_PROGRESS, _COMPLETE, _FAILED), so a new AWS status still settles. */
StompyStackState    stompy_stack_status_classify   (const char       *status);
/* "unknown", "in-progress", "complete", "failed", "rolled-back", "deleted", "review" */
const char         *stompy_stack_state_to_string   (StompyStackState  state);
/* Everything but IN_PROGRESS (and UNKNOWN) is settled: it will not change by itself. */
gboolean            stompy_stack_state_is_settled  (StompyStackState  state);
/* The RollbackStack doc's "last known stable state": the stack's resources
 * (our role) exist as a template defined them. */
gboolean            stompy_stack_status_is_stable  (const char       *status);
/* The 23 documented statuses, NULL-terminated. */
const char * const *stompy_stack_status_get_all    (void);

/* ------------------------------------------------------------------ boxed types */

#define STOMPY_TYPE_STACK (stompy_stack_get_type ())

typedef struct
{
  char             *stack_id;          /* arn:aws:cloudformation:<region>:<acct>:stack/<name>/<uuid> */
  char             *stack_name;
  char             *status;            /* StackStatus as AWS sent it */
  StompyStackState  state;
  char             *status_reason;     /* NULL when none */
  GDateTime        *creation_time;     /* may be NULL on a malformed answer */
  GDateTime        *last_updated_time; /* NULL when never updated */
  GHashTable       *parameters;        /* ParameterKey → ParameterValue */
  GHashTable       *outputs;           /* OutputKey → OutputValue */
  char             *role_arn;          /* outputs["RoleArn"], or NULL */
} StompyStack;

GType        stompy_stack_get_type        (void) G_GNUC_CONST;
StompyStack *stompy_stack_copy            (const StompyStack *self);
void         stompy_stack_free            (StompyStack       *self);
const char  *stompy_stack_get_output      (const StompyStack *self,
                                           const char        *key);
const char  *stompy_stack_get_parameter   (const StompyStack *self,
                                           const char        *key);

#define STOMPY_TYPE_STACK_EVENT (stompy_stack_event_get_type ())

typedef struct
{
  char      *event_id;
  char      *stack_id;
  char      *stack_name;
  char      *logical_resource_id;
  char      *physical_resource_id;   /* NULL when none */
  char      *resource_type;          /* "AWS::IAM::Role", "AWS::CloudFormation::Stack" */
  GDateTime *timestamp;
  char      *resource_status;        /* "CREATE_COMPLETE", … */
  char      *resource_status_reason; /* NULL when none */
  char      *client_request_token;   /* NULL when the operation had none */
} StompyStackEvent;

GType             stompy_stack_event_get_type  (void) G_GNUC_CONST;
StompyStackEvent *stompy_stack_event_copy      (const StompyStackEvent *self);
void              stompy_stack_event_free      (StompyStackEvent       *self);
/* TRUE for the events of the stack itself (its status changes). */
gboolean          stompy_stack_event_is_stack  (const StompyStackEvent *self);

/* What to create: a stack of @stack_name from @template_url, tagged
 * stompy:product=@product, with parameters in the order added. The
 * @client_request_token is the caller's: persist it before the first call so
 * that a retry after a crash sends the same one. */
#define STOMPY_TYPE_STACK_REQUEST (stompy_stack_request_get_type ())

typedef struct
{
  char      *stack_name;
  char      *template_url;
  char      *client_request_token;
  char      *product;                /* "analysaver", "spotainer" */
  GPtrArray *parameter_keys;         /* of char*, in order */
  GPtrArray *parameter_values;       /* of char*, same order */
} StompyStackRequest;

GType               stompy_stack_request_get_type      (void) G_GNUC_CONST;
StompyStackRequest *stompy_stack_request_new           (const char               *stack_name,
                                                        const char               *template_url,
                                                        const char               *client_request_token,
                                                        const char               *product);
/* Replaces the value when @key was added already. */
void                stompy_stack_request_set_parameter (StompyStackRequest       *self,
                                                        const char               *key,
                                                        const char               *value);
StompyStackRequest *stompy_stack_request_copy          (const StompyStackRequest *self);
void                stompy_stack_request_free          (StompyStackRequest       *self);
/* Checks the name (alnum and hyphen, starting with a letter, ≤ 128), the
 * token (1–128 of [a-zA-Z0-9][-a-zA-Z0-9]*) and that the URL is https:// (or
 * loopback http://). STOMPY_ERROR_INVALID_INPUT otherwise. */
gboolean            stompy_stack_request_validate      (const StompyStackRequest *self,
                                                        GError                  **error);

/* "stompy-<uuid>": a fresh ClientRequestToken. */
char               *stompy_cloudformation_new_client_request_token (void) G_GNUC_WARN_UNUSED_RESULT;

/* ------------------------------------------------------------------ parsing (exposed for tests) */

/* @result is <DescribeStacksResult>; returns the stacks (StompyStack*, owned). */
GPtrArray *stompy_stacks_from_xml       (StompyXmlNode  *result) G_GNUC_WARN_UNUSED_RESULT;
/* @result is <DescribeStackEventsResult>; returns the events (StompyStackEvent*,
 * owned) in the answer's order (newest first). @next_token may be NULL. */
GPtrArray *stompy_stack_events_from_xml (StompyXmlNode  *result,
                                         char          **next_token) G_GNUC_WARN_UNUSED_RESULT;

/* ------------------------------------------------------------------ events → progress, reason */

/* The events of one operation, from @events (newest first, as AWS sends
 * them): those carrying @client_request_token when it is set and some event
 * carries it; otherwise those at or after @since (when set); otherwise all.
 * Returns a new array (borrowing the events), oldest first. */
GPtrArray *stompy_stack_events_of_operation (GPtrArray   *events,
                                             const char  *client_request_token,
                                             GDateTime   *since) G_GNUC_WARN_UNUSED_RESULT;
/* Resources done / total for the operation: @total is @resource_count (the
 * template's Resources) + 1 for the stack itself, or, when @resource_count is
 * 0, the number of distinct resources seen; @done counts the resources whose
 * latest event of the operation is *_COMPLETE (never more than @total). */
void       stompy_stack_events_progress     (GPtrArray   *events,
                                             const char  *client_request_token,
                                             GDateTime   *since,
                                             guint        resource_count,
                                             guint       *done,
                                             guint       *total);
/* The root cause: the oldest *_FAILED event of the operation with a reason,
 * as "<LogicalResourceId>: <reason>"; NULL when there is none. */
char      *stompy_stack_events_failure_reason (GPtrArray  *events,
                                               const char *client_request_token,
                                               GDateTime  *since) G_GNUC_WARN_UNUSED_RESULT;

/* ------------------------------------------------------------------ API calls */

/* CreateStack with CAPABILITY_NAMED_IAM, OnFailure=ROLLBACK, the request's
 * token and the stompy:product tag. Returns the StackId. */
void         stompy_cloudformation_create_stack_async         (StompyAwsClient          *client,
                                                               const StompyStackRequest *request,
                                                               GCancellable             *cancellable,
                                                               GAsyncReadyCallback       callback,
                                                               gpointer                  user_data);
char        *stompy_cloudformation_create_stack_finish        (GAsyncResult             *result,
                                                               GError                  **error);

/* DescribeStacks for one stack, by name or id (deleted stacks only by id). */
void         stompy_cloudformation_describe_stack_async       (StompyAwsClient          *client,
                                                               const char               *stack,
                                                               GCancellable             *cancellable,
                                                               GAsyncReadyCallback       callback,
                                                               gpointer                  user_data);
StompyStack *stompy_cloudformation_describe_stack_finish      (GAsyncResult             *result,
                                                               GError                  **error);

/* One page of DescribeStackEvents (@next_token NULL for the first). Returns
 * the events newest first; *@next_token is NULL on the last page. */
void         stompy_cloudformation_describe_stack_events_async (StompyAwsClient         *client,
                                                                const char              *stack,
                                                                const char              *next_token,
                                                                GCancellable            *cancellable,
                                                                GAsyncReadyCallback      callback,
                                                                gpointer                 user_data);
GPtrArray   *stompy_cloudformation_describe_stack_events_finish (GAsyncResult           *result,
                                                                 char                  **next_token,
                                                                 GError                **error);

/* Pages DescribeStackEvents newest first and stops after the page holding
 * @stop_at_event_id (that event and older ones are left out), after
 * @max_pages pages (0 = no limit), or at the end. Returns the events, newest
 * first. */
void         stompy_cloudformation_list_stack_events_async    (StompyAwsClient          *client,
                                                               const char               *stack,
                                                               const char               *stop_at_event_id,
                                                               guint                     max_pages,
                                                               GCancellable             *cancellable,
                                                               GAsyncReadyCallback       callback,
                                                               gpointer                  user_data);
GPtrArray   *stompy_cloudformation_list_stack_events_finish   (GAsyncResult             *result,
                                                               guint                    *n_requests,
                                                               GError                  **error);

/* DeleteStack (asynchronous on AWS's side: follow the stack by id until
 * DELETE_COMPLETE). @client_request_token may be NULL. */
void         stompy_cloudformation_delete_stack_async         (StompyAwsClient          *client,
                                                               const char               *stack,
                                                               const char               *client_request_token,
                                                               GCancellable             *cancellable,
                                                               GAsyncReadyCallback       callback,
                                                               gpointer                  user_data);
gboolean     stompy_cloudformation_delete_stack_finish        (GAsyncResult             *result,
                                                               GError                  **error);

/* ------------------------------------------------------------------ ensure */

typedef enum
{
  STOMPY_STACK_OUTCOME_CREATED,      /* CreateStack was called (or its retry answered) */
  STOMPY_STACK_OUTCOME_REUSED,       /* a stable stack of that name exists */
  STOMPY_STACK_OUTCOME_IN_PROGRESS,  /* a stack of that name is busy: follow it */
} StompyStackOutcome;

#define STOMPY_TYPE_ENSURED_STACK (stompy_ensured_stack_get_type ())

typedef struct
{
  StompyStackOutcome  outcome;
  StompyStack        *stack;       /* as last described */
} StompyEnsuredStack;

GType               stompy_ensured_stack_get_type (void) G_GNUC_CONST;
StompyEnsuredStack *stompy_ensured_stack_copy     (const StompyEnsuredStack *self);
void                stompy_ensured_stack_free     (StompyEnsuredStack       *self);

/* The AWS code of the error ensure_stack() gives for a stack of that name
 * that can neither be reused nor followed (ROLLBACK_COMPLETE, *_FAILED,
 * REVIEW_IN_PROGRESS, or stable without a RoleArn output): the error is
 * STOMPY_AWS_ERROR_ALREADY_EXISTS, its AWS message the failure reason (or
 * the StackStatusReason), so the UI can explain it and offer delete-and-retry. */
#define STOMPY_STACK_UNUSABLE_CODE "StompyStackUnusable"

/* Describes @request's stack by name: a stable stack with a RoleArn output is
 * REUSED; a busy one is IN_PROGRESS; an unusable one is the error above;
 * none is created (CREATED). Does not wait for creation: follow the stack
 * with a StompyStackWatch. */
void                stompy_cloudformation_ensure_stack_async  (StompyAwsClient          *client,
                                                               const StompyStackRequest *request,
                                                               GCancellable             *cancellable,
                                                               GAsyncReadyCallback       callback,
                                                               gpointer                  user_data);
StompyEnsuredStack *stompy_cloudformation_ensure_stack_finish (GAsyncResult             *result,
                                                               GError                  **error);

gboolean    stompy_cloudformation_error_is_not_found  (const GError *error);
gboolean    stompy_cloudformation_error_is_unusable   (const GError *error);

/* ------------------------------------------------------------------ console link, pasted ARN */

/* https://<region>.console.aws.amazon.com/cloudformation/home?region=<region>
 * #/stacks/create/review?templateURL=…&stackName=…&param_<Key>=… with every
 * value RFC 3986 encoded, parameters in the request's order. NULL (and a
 * critical) when @region is not a region name. */
char       *stompy_cloudformation_quick_create_url    (const char               *region,
                                                       const StompyStackRequest *request) G_GNUC_WARN_UNUSED_RESULT;

typedef enum
{
  STOMPY_ROLE_ARN_OK,
  STOMPY_ROLE_ARN_EMPTY,
  STOMPY_ROLE_ARN_WHITESPACE,     /* spaces, tabs or newlines anywhere */
  STOMPY_ROLE_ARN_NOT_ARN,        /* not arn:aws(-cn|-us-gov)?:<service>:<region>:<account>:<resource> */
  STOMPY_ROLE_ARN_NOT_IAM,        /* an ARN of another service */
  STOMPY_ROLE_ARN_NOT_ROLE,       /* an IAM ARN, but of a user, policy, … */
  STOMPY_ROLE_ARN_WRONG_ACCOUNT,  /* a role of another (or a malformed) account */
  STOMPY_ROLE_ARN_BAD_NAME,       /* the path or name has characters IAM refuses */
} StompyRoleArnProblem;

/* Checks a pasted RoleArn: arn:aws(-cn|-us-gov)?:iam::<12 digits>:role/<path/>name
 * with the account equal to @expected_account (NULL = any). *@found_account
 * (may be NULL) gets the account part when there is one, so the UI can show it. */
StompyRoleArnProblem stompy_role_arn_check (const char  *text,
                                            const char  *expected_account,
                                            char       **found_account);
/* "ok", "empty", "whitespace", "not-arn", "not-iam", "not-role", "wrong-account", "bad-name" */
const char          *stompy_role_arn_problem_to_string (StompyRoleArnProblem problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyStack, stompy_stack_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyStackEvent, stompy_stack_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyStackRequest, stompy_stack_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyEnsuredStack, stompy_ensured_stack_free)

G_END_DECLS
