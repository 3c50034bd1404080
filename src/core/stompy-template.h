/* stompy-template.h — what a CloudFormation template grants, read from the template
 *
 * Parses a JSON template (json-glib) so the run-template step can show the
 * IAM permissions it grants "read from the template itself": per role, whom
 * it trusts and with which external id condition, and each statement's
 * effect, actions, resources and conditions. Also the resource count (the
 * stack's progress total) and the parameters (with their NoEcho flag, which
 * quick-create links cannot fill).
 *
 * Intrinsic functions are shown as CloudFormation would substitute them:
 * {"Ref": "X"} → "${X}", {"Fn::Sub": "s"} → "s", {"Fn::GetAtt": ["R", "A"]}
 * → "${R.A}", {"Fn::Join": [sep, [...]]} → the joined parts; anything else
 * as compact JSON.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* CloudFormation's own limit for a TemplateURL's template (§2.1). */
#define STOMPY_TEMPLATE_MAX_SIZE (1024 * 1024)

typedef struct
{
  char     *name;
  char     *type;           /* "String", … */
  char     *description;    /* NULL when none */
  char     *default_value;  /* NULL when none */
  gboolean  no_echo;
} StompyTemplateParameter;

typedef struct
{
  char  *op;                /* "StringEquals" */
  char  *key;               /* "sts:ExternalId" */
  GStrv  values;            /* rendered, e.g. { "${ExternalId}", NULL } */
} StompyTemplateCondition;

typedef struct
{
  char      *policy_name;   /* the inline policy (NULL for the trust policy) */
  char      *sid;           /* NULL when none */
  gboolean   allow;         /* Effect: Allow (TRUE) or Deny */
  GStrv      actions;       /* Action, or NotAction when not_action */
  gboolean   not_action;
  GStrv      resources;     /* rendered; empty for trust statements */
  GStrv      principals;    /* rendered Principal values (trust statements) */
  GPtrArray *conditions;    /* of StompyTemplateCondition* */
} StompyTemplateStatement;

typedef struct
{
  char      *logical_id;          /* "StompyAnalySaverRole" */
  char      *role_name;           /* RoleName, NULL when CloudFormation names it */
  GStrv      trust_principals;    /* every AWS principal of the Allow trust statements */
  char      *external_id;         /* the StringEquals sts:ExternalId value, rendered, or NULL */
  gboolean   external_id_required;/* every Allow trust statement has StringEquals sts:ExternalId */
  GPtrArray *trust_statements;    /* of StompyTemplateStatement* */
  GPtrArray *statements;          /* of StompyTemplateStatement*, inline policies in order */
  GStrv      managed_policy_arns; /* rendered ManagedPolicyArns */
} StompyTemplateRole;

#define STOMPY_TYPE_TEMPLATE (stompy_template_get_type ())

typedef struct _StompyTemplate StompyTemplate;

GType           stompy_template_get_type            (void) G_GNUC_CONST;
/* STOMPY_ERROR_INVALID_INPUT when @data is not a JSON object with Resources. */
StompyTemplate *stompy_template_parse               (const char     *data,
                                                     gssize          length,
                                                     GError        **error) G_GNUC_WARN_UNUSED_RESULT;
StompyTemplate *stompy_template_ref                 (StompyTemplate *self);
void            stompy_template_unref               (StompyTemplate *self);

const char     *stompy_template_get_description     (StompyTemplate *self);
guint           stompy_template_get_resource_count  (StompyTemplate *self);
/* Borrowed arrays. */
GPtrArray      *stompy_template_get_parameters      (StompyTemplate *self); /* StompyTemplateParameter* */
GPtrArray      *stompy_template_get_roles           (StompyTemplate *self); /* StompyTemplateRole* */
const StompyTemplateParameter *stompy_template_get_parameter (StompyTemplate *self,
                                                              const char     *name);
/* Output names in the template's order, NULL-terminated, borrowed. */
const char * const *stompy_template_get_outputs     (StompyTemplate *self);
gboolean        stompy_template_has_output          (StompyTemplate *self,
                                                     const char     *name);
/* The whole document, borrowed. */
JsonNode       *stompy_template_get_root            (StompyTemplate *self);

/* Renders an intrinsic-function value as described above. */
char           *stompy_template_render_value        (JsonNode       *node) G_GNUC_WARN_UNUSED_RESULT;

/* GET @url (https://, or http:// to loopback only; no redirects followed)
 * and parse it. A body over STOMPY_TEMPLATE_MAX_SIZE is refused
 * (STOMPY_ERROR_INVALID_INPUT); an HTTP error status is a STOMPY_AWS_ERROR of
 * that status; a transport failure STOMPY_AWS_ERROR_NETWORK. */
void            stompy_template_fetch_async         (SoupSession         *session,
                                                     const char          *url,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
StompyTemplate *stompy_template_fetch_finish        (GAsyncResult        *result,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyTemplate, stompy_template_unref)

G_END_DECLS
