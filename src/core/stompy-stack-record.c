/* stompy-stack-record.c — one product's role stack, as the wizard knows it */
#include "config.h"

#include <string.h>

#include "stompy-json-read.h"
#include "stompy-stack-record.h"

struct _StompyStackRecord
{
  GObject   parent_instance;

  char     *stack_name;
  char     *region;
  gboolean  iam_acknowledged;
  char     *client_request_token;
  char     *stack_id;
  char     *status;
  char     *status_reason;
  char     *role_arn;
  gboolean  role_arn_pasted;
};

G_DEFINE_FINAL_TYPE (StompyStackRecord, stompy_stack_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STACK_NAME,
  PROP_REGION,
  PROP_IAM_ACKNOWLEDGED,
  PROP_CLIENT_REQUEST_TOKEN,
  PROP_STACK_ID,
  PROP_STATUS,
  PROP_STATUS_REASON,
  PROP_ROLE_ARN,
  PROP_ROLE_ARN_PASTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The string properties, in property order, so get/set/JSON share one table. */
static char **
string_field (StompyStackRecord *self,
              guint              prop)
{
  switch (prop)
    {
    case PROP_STACK_NAME: return &self->stack_name;
    case PROP_REGION: return &self->region;
    case PROP_CLIENT_REQUEST_TOKEN: return &self->client_request_token;
    case PROP_STACK_ID: return &self->stack_id;
    case PROP_STATUS: return &self->status;
    case PROP_STATUS_REASON: return &self->status_reason;
    case PROP_ROLE_ARN: return &self->role_arn;
    default: return NULL;
    }
}

static void
set_string (StompyStackRecord *self,
            guint              prop,
            const char        *value)
{
  char **field = string_field (self, prop);

  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_boolean (StompyStackRecord *self,
             gboolean          *field,
             gboolean           value,
             guint              prop)
{
  value = !!value;
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
stompy_stack_record_finalize (GObject *object)
{
  StompyStackRecord *self = STOMPY_STACK_RECORD (object);

  for (guint prop = PROP_STACK_NAME; prop < N_PROPS; prop++)
    if (string_field (self, prop) != NULL)
      g_free (*string_field (self, prop));

  G_OBJECT_CLASS (stompy_stack_record_parent_class)->finalize (object);
}

static void
stompy_stack_record_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StompyStackRecord *self = STOMPY_STACK_RECORD (object);

  if (string_field (self, prop_id) != NULL)
    g_value_set_string (value, *string_field (self, prop_id));
  else if (prop_id == PROP_IAM_ACKNOWLEDGED)
    g_value_set_boolean (value, self->iam_acknowledged);
  else if (prop_id == PROP_ROLE_ARN_PASTED)
    g_value_set_boolean (value, self->role_arn_pasted);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
stompy_stack_record_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  StompyStackRecord *self = STOMPY_STACK_RECORD (object);

  switch (prop_id)
    {
    case PROP_STACK_NAME:
    case PROP_REGION:
    case PROP_CLIENT_REQUEST_TOKEN:
    case PROP_STACK_ID:
      set_string (self, prop_id, g_value_get_string (value));
      break;
    case PROP_IAM_ACKNOWLEDGED:
      set_boolean (self, &self->iam_acknowledged, g_value_get_boolean (value),
                   PROP_IAM_ACKNOWLEDGED);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_stack_record_class_init (StompyStackRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = stompy_stack_record_finalize;
  object_class->get_property = stompy_stack_record_get_property;
  object_class->set_property = stompy_stack_record_set_property;

  properties[PROP_STACK_NAME] = g_param_spec_string ("stack-name", NULL, NULL, NULL, rw);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, rw);
  properties[PROP_IAM_ACKNOWLEDGED] =
    g_param_spec_boolean ("iam-acknowledged", NULL, NULL, FALSE, rw);
  properties[PROP_CLIENT_REQUEST_TOKEN] =
    g_param_spec_string ("client-request-token", NULL, NULL, NULL, rw);
  properties[PROP_STACK_ID] = g_param_spec_string ("stack-id", NULL, NULL, NULL, rw);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, ro);
  properties[PROP_STATUS_REASON] = g_param_spec_string ("status-reason", NULL, NULL, NULL, ro);
  properties[PROP_ROLE_ARN] = g_param_spec_string ("role-arn", NULL, NULL, NULL, ro);
  properties[PROP_ROLE_ARN_PASTED] =
    g_param_spec_boolean ("role-arn-pasted", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stompy_stack_record_init (StompyStackRecord *self)
{
}

StompyStackRecord *
stompy_stack_record_new (void)
{
  return g_object_new (STOMPY_TYPE_STACK_RECORD, NULL);
}

#define STRING_ACCESSORS(name) \
  const char * \
  stompy_stack_record_get_##name (StompyStackRecord *self) \
  { \
    g_return_val_if_fail (STOMPY_IS_STACK_RECORD (self), NULL); \
    return self->name; \
  }

STRING_ACCESSORS (stack_name)
STRING_ACCESSORS (region)
STRING_ACCESSORS (client_request_token)
STRING_ACCESSORS (stack_id)
STRING_ACCESSORS (status)
STRING_ACCESSORS (status_reason)
STRING_ACCESSORS (role_arn)

#undef STRING_ACCESSORS

void
stompy_stack_record_set_stack_name (StompyStackRecord *self,
                                    const char        *stack_name)
{
  g_return_if_fail (STOMPY_IS_STACK_RECORD (self));
  set_string (self, PROP_STACK_NAME, stack_name);
}

void
stompy_stack_record_set_region (StompyStackRecord *self,
                                const char        *region)
{
  g_return_if_fail (STOMPY_IS_STACK_RECORD (self));
  set_string (self, PROP_REGION, region);
}

void
stompy_stack_record_set_client_request_token (StompyStackRecord *self,
                                              const char        *token)
{
  g_return_if_fail (STOMPY_IS_STACK_RECORD (self));
  set_string (self, PROP_CLIENT_REQUEST_TOKEN, token);
}

void
stompy_stack_record_set_stack_id (StompyStackRecord *self,
                                  const char        *stack_id)
{
  g_return_if_fail (STOMPY_IS_STACK_RECORD (self));
  set_string (self, PROP_STACK_ID, stack_id);
}

gboolean
stompy_stack_record_get_iam_acknowledged (StompyStackRecord *self)
{
  g_return_val_if_fail (STOMPY_IS_STACK_RECORD (self), FALSE);
  return self->iam_acknowledged;
}

void
stompy_stack_record_set_iam_acknowledged (StompyStackRecord *self,
                                          gboolean           acknowledged)
{
  g_return_if_fail (STOMPY_IS_STACK_RECORD (self));
  set_boolean (self, &self->iam_acknowledged, acknowledged, PROP_IAM_ACKNOWLEDGED);
}

void
stompy_stack_record_set_status (StompyStackRecord *self,
                                const char        *status,
                                const char        *reason)
{
  g_return_if_fail (STOMPY_IS_STACK_RECORD (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, PROP_STATUS, status);
  set_string (self, PROP_STATUS_REASON, reason);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
stompy_stack_record_get_role_arn_pasted (StompyStackRecord *self)
{
  g_return_val_if_fail (STOMPY_IS_STACK_RECORD (self), FALSE);
  return self->role_arn_pasted;
}

void
stompy_stack_record_set_role_arn (StompyStackRecord *self,
                                  const char        *role_arn,
                                  gboolean           pasted)
{
  g_return_if_fail (STOMPY_IS_STACK_RECORD (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, PROP_ROLE_ARN, role_arn);
  set_boolean (self, &self->role_arn_pasted, role_arn != NULL && *role_arn && pasted,
               PROP_ROLE_ARN_PASTED);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
stompy_stack_record_is_complete (StompyStackRecord *self)
{
  g_return_val_if_fail (STOMPY_IS_STACK_RECORD (self), FALSE);
  return self->role_arn != NULL;
}

void
stompy_stack_record_clear (StompyStackRecord *self)
{
  g_return_if_fail (STOMPY_IS_STACK_RECORD (self));

  g_object_freeze_notify (G_OBJECT (self));
  for (guint prop = PROP_STACK_NAME; prop < N_PROPS; prop++)
    if (string_field (self, prop) != NULL)
      set_string (self, prop, NULL);
  set_boolean (self, &self->iam_acknowledged, FALSE, PROP_IAM_ACKNOWLEDGED);
  set_boolean (self, &self->role_arn_pasted, FALSE, PROP_ROLE_ARN_PASTED);
  g_object_thaw_notify (G_OBJECT (self));
}

void
stompy_stack_record_to_json (StompyStackRecord *self,
                             JsonBuilder       *builder)
{
  g_return_if_fail (STOMPY_IS_STACK_RECORD (self));

  json_builder_begin_object (builder);
  for (guint prop = PROP_STACK_NAME; prop < N_PROPS; prop++)
    if (string_field (self, prop) != NULL)
      stompy_json_add_string (builder, g_param_spec_get_name (properties[prop]),
                              *string_field (self, prop));
  stompy_json_add_boolean (builder, "iam-acknowledged", self->iam_acknowledged);
  stompy_json_add_boolean (builder, "role-arn-pasted", self->role_arn_pasted);
  json_builder_end_object (builder);
}

gboolean
stompy_stack_record_load_json (StompyStackRecord *self,
                               JsonObject        *object,
                               char             **problem)
{
  char *values[N_PROPS] = { NULL, };
  gboolean acknowledged = FALSE, pasted = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (STOMPY_IS_STACK_RECORD (self), FALSE);

  for (guint prop = PROP_STACK_NAME; ok && prop < N_PROPS; prop++)
    if (string_field (self, prop) != NULL)
      ok = stompy_json_read_string (object, g_param_spec_get_name (properties[prop]),
                                    &values[prop], problem);
  ok = ok
       && stompy_json_read_boolean (object, "iam-acknowledged", &acknowledged, problem)
       && stompy_json_read_boolean (object, "role-arn-pasted", &pasted, problem);

  /* Only an IAM role ARN may stand as one: the connect step sends it to Stompy. */
  if (ok && values[PROP_ROLE_ARN] != NULL
      && !(g_str_has_prefix (values[PROP_ROLE_ARN], "arn:aws")
           && strstr (values[PROP_ROLE_ARN], ":iam::") != NULL
           && strstr (values[PROP_ROLE_ARN], ":role/") != NULL))
    {
      *problem = g_strdup ("a stack's \"role-arn\" is not an IAM role ARN");
      ok = FALSE;
    }

  if (ok)
    {
      g_object_freeze_notify (G_OBJECT (self));
      for (guint prop = PROP_STACK_NAME; prop < N_PROPS; prop++)
        if (string_field (self, prop) != NULL)
          set_string (self, prop, values[prop]);
      set_boolean (self, &self->iam_acknowledged, acknowledged, PROP_IAM_ACKNOWLEDGED);
      set_boolean (self, &self->role_arn_pasted, pasted && values[PROP_ROLE_ARN] != NULL,
                   PROP_ROLE_ARN_PASTED);
      g_object_thaw_notify (G_OBJECT (self));
    }

  for (guint prop = 0; prop < N_PROPS; prop++)
    g_free (values[prop]);

  return ok;
}
