/* stompy-connection.c — the Connect step: the request, and the model part
 *
 * State-file form (a member "connection" of the onboarding file):
 *
 *   { "account_id": "210987654321", "submitted": true,
 *     "idempotency_key": "5f0c…", "request_digest": "9a1e…",
 *     "status": "verifying",
 *     "checks": [ { "id": "assume_analysaver_role", "status": "pending", "message": "" } ] }
 *
 * The key is no secret: it only names one request to the service, which
 * still asks for the bearer token.
 */
#include "config.h"

#include <string.h>

#include "stompy-connection.h"
#include "stompy-error.h"
#include "stompy-json-read.h"
#include "stompy-onboarding.h"
#include "stompy-validate.h"

/* Far above the three documented checks: more is not the service talking. */
#define MAX_CHECKS 32

G_DEFINE_FLAGS_TYPE (StompyConnectionMissing, stompy_connection_missing,
  G_DEFINE_ENUM_VALUE (STOMPY_CONNECTION_READY, "ready"),
  G_DEFINE_ENUM_VALUE (STOMPY_CONNECTION_MISSING_ACCOUNT_ID, "account-id"),
  G_DEFINE_ENUM_VALUE (STOMPY_CONNECTION_MISSING_PRODUCTS, "products"),
  G_DEFINE_ENUM_VALUE (STOMPY_CONNECTION_MISSING_REPORT, "report"),
  G_DEFINE_ENUM_VALUE (STOMPY_CONNECTION_MISSING_ANALYSAVER_ROLE, "analysaver-role"),
  G_DEFINE_ENUM_VALUE (STOMPY_CONNECTION_MISSING_SPOTAINER_ROLE, "spotainer-role"))

/* ------------------------------------------------------------------ summary */

StompyConnectionSummary *
stompy_connection_summary_copy (const StompyConnectionSummary *self)
{
  StompyConnectionSummary *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyConnectionSummary, 1);
  copy->account_id = g_strdup (self->account_id);
  copy->analysaver = self->analysaver;
  copy->spotainer = self->spotainer;
  copy->analysaver_role_arn = g_strdup (self->analysaver_role_arn);
  copy->cur_kind = self->cur_kind;
  copy->report_name = g_strdup (self->report_name);
  copy->bucket = g_strdup (self->bucket);
  copy->prefix = g_strdup (self->prefix);
  copy->region = g_strdup (self->region);
  copy->spotainer_role_arn = g_strdup (self->spotainer_role_arn);

  return copy;
}

void
stompy_connection_summary_free (StompyConnectionSummary *self)
{
  if (self == NULL)
    return;

  g_free (self->account_id);
  g_free (self->analysaver_role_arn);
  g_free (self->report_name);
  g_free (self->bucket);
  g_free (self->prefix);
  g_free (self->region);
  g_free (self->spotainer_role_arn);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (StompyConnectionSummary, stompy_connection_summary,
                     stompy_connection_summary_copy, stompy_connection_summary_free)

static gboolean
report_is_complete (StompyCurChoice *cur)
{
  return stompy_cur_choice_is_complete (cur)
         && stompy_cur_choice_get_report_name (cur) != NULL
         && stompy_cur_choice_get_bucket (cur) != NULL
         && stompy_cur_choice_get_region (cur) != NULL;
}

StompyConnectionMissing
stompy_connection_find_missing (StompyOnboarding *onboarding)
{
  StompyConnectionMissing missing = STOMPY_CONNECTION_READY;
  StompyProducts products;

  g_return_val_if_fail (STOMPY_IS_ONBOARDING (onboarding), STOMPY_CONNECTION_READY);

  products = stompy_onboarding_get_products (onboarding);
  if (stompy_onboarding_get_account_id (onboarding) == NULL)
    missing |= STOMPY_CONNECTION_MISSING_ACCOUNT_ID;
  if (products == STOMPY_PRODUCT_NONE)
    missing |= STOMPY_CONNECTION_MISSING_PRODUCTS;

  if (products & STOMPY_PRODUCT_ANALYSAVER)
    {
      if (!report_is_complete (stompy_onboarding_get_cur_choice (onboarding)))
        missing |= STOMPY_CONNECTION_MISSING_REPORT;
      if (!stompy_stack_record_is_complete (stompy_onboarding_get_stack (onboarding,
                                                                         STOMPY_PRODUCT_ANALYSAVER)))
        missing |= STOMPY_CONNECTION_MISSING_ANALYSAVER_ROLE;
    }

  if ((products & STOMPY_PRODUCT_SPOTAINER)
      && !stompy_stack_record_is_complete (stompy_onboarding_get_stack (onboarding,
                                                                        STOMPY_PRODUCT_SPOTAINER)))
    missing |= STOMPY_CONNECTION_MISSING_SPOTAINER_ROLE;

  return missing;
}

/* "arn:aws:iam::<account>:role/…" (any partition). */
static gboolean
role_arn_of_account (const char *arn,
                     const char *account_id)
{
  g_auto(GStrv) parts = g_strsplit (arn, ":", 6);

  return g_strv_length (parts) == 6
         && g_str_equal (parts[0], "arn")
         && g_str_has_prefix (parts[1], "aws")
         && g_str_equal (parts[2], "iam")
         && g_str_equal (parts[4], account_id)
         && g_str_has_prefix (parts[5], "role/")
         && parts[5][5] != '\0';
}

StompyConnectionSummary *
stompy_connection_summarize (StompyOnboarding  *onboarding,
                             GError           **error)
{
  g_autoptr(StompyConnectionSummary) summary = NULL;
  StompyConnectionMissing missing;
  StompyProducts products;
  const char *what = NULL;

  g_return_val_if_fail (STOMPY_IS_ONBOARDING (onboarding), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  missing = stompy_connection_find_missing (onboarding);
  if (missing & STOMPY_CONNECTION_MISSING_ACCOUNT_ID)
    what = "the AWS account id is not known";
  else if (missing & STOMPY_CONNECTION_MISSING_PRODUCTS)
    what = "no product is chosen";
  else if (missing & STOMPY_CONNECTION_MISSING_REPORT)
    what = "AnalySaver has no Cost and Usage Report (name, bucket and region)";
  else if (missing & STOMPY_CONNECTION_MISSING_ANALYSAVER_ROLE)
    what = "AnalySaver has no RoleArn";
  else if (missing & STOMPY_CONNECTION_MISSING_SPOTAINER_ROLE)
    what = "SpoTainer has no RoleArn";
  if (what != NULL)
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Cannot connect yet: %s", what);
      return NULL;
    }

  products = stompy_onboarding_get_products (onboarding);
  summary = g_new0 (StompyConnectionSummary, 1);
  summary->account_id = g_strdup (stompy_onboarding_get_account_id (onboarding));
  summary->analysaver = (products & STOMPY_PRODUCT_ANALYSAVER) != 0;
  summary->spotainer = (products & STOMPY_PRODUCT_SPOTAINER) != 0;

  if (summary->analysaver)
    {
      StompyCurChoice *cur = stompy_onboarding_get_cur_choice (onboarding);
      StompyStackRecord *stack = stompy_onboarding_get_stack (onboarding,
                                                              STOMPY_PRODUCT_ANALYSAVER);
      const char *prefix = stompy_cur_choice_get_prefix (cur);

      summary->analysaver_role_arn = g_strdup (stompy_stack_record_get_role_arn (stack));
      summary->cur_kind = stompy_cur_choice_get_kind (cur);
      summary->report_name = g_strdup (stompy_cur_choice_get_report_name (cur));
      summary->bucket = g_strdup (stompy_cur_choice_get_bucket (cur));
      summary->prefix = g_strdup (prefix != NULL ? prefix : "");
      summary->region = g_strdup (stompy_cur_choice_get_region (cur));
    }
  if (summary->spotainer)
    summary->spotainer_role_arn =
      g_strdup (stompy_stack_record_get_role_arn (stompy_onboarding_get_stack (onboarding,
                                                                               STOMPY_PRODUCT_SPOTAINER)));

  /* Stompy assumes the roles in this account; a role of another account
   * (a paste from the wrong console tab) would only fail its check later. */
  if (summary->analysaver && !role_arn_of_account (summary->analysaver_role_arn,
                                                   summary->account_id))
    what = "AnalySaver";
  else if (summary->spotainer && !role_arn_of_account (summary->spotainer_role_arn,
                                                       summary->account_id))
    what = "SpoTainer";
  if (what != NULL)
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "Cannot connect: the %s RoleArn is not an IAM role of account %s",
                   what, summary->account_id);
      return NULL;
    }

  return g_steal_pointer (&summary);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

JsonNode *
stompy_connection_summary_to_request (const StompyConnectionSummary *summary)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean data_export;

  g_return_val_if_fail (summary != NULL, NULL);

  data_export = summary->cur_kind == STOMPY_CUR_KIND_DATA_EXPORT;

  json_builder_begin_object (builder);
  add_string (builder, "account_id", summary->account_id);

  json_builder_set_member_name (builder, "products");
  json_builder_begin_array (builder);
  if (summary->analysaver)
    json_builder_add_string_value (builder, "analysaver");
  if (summary->spotainer)
    json_builder_add_string_value (builder, "spotainer");
  json_builder_end_array (builder);

  /* A product not chosen has no object at all (not even null). */
  if (summary->analysaver)
    {
      json_builder_set_member_name (builder, "analysaver");
      json_builder_begin_object (builder);
      add_string (builder, "role_arn", summary->analysaver_role_arn);
      json_builder_set_member_name (builder, "cur");
      json_builder_begin_object (builder);
      add_string (builder, "kind", data_export ? "data_export" : "legacy");
      add_string (builder, data_export ? "export_name" : "report_name", summary->report_name);
      add_string (builder, "bucket", summary->bucket);
      add_string (builder, "prefix", summary->prefix != NULL ? summary->prefix : "");
      add_string (builder, "region", summary->region);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }

  if (summary->spotainer)
    {
      json_builder_set_member_name (builder, "spotainer");
      json_builder_begin_object (builder);
      add_string (builder, "role_arn", summary->spotainer_role_arn);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
stompy_connection_build_request (StompyOnboarding  *onboarding,
                                 GError           **error)
{
  g_autoptr(StompyConnectionSummary) summary = stompy_connection_summarize (onboarding, error);

  if (summary == NULL)
    return NULL;

  return stompy_connection_summary_to_request (summary);
}

char *
stompy_connection_request_digest (JsonNode *request)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (request != NULL, NULL);

  /* The builder adds members in a fixed order, so the compact text is stable. */
  json_generator_set_root (generator, request);
  text = json_generator_to_data (generator, &length);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, length);
}

/* ------------------------------------------------------------------ the part */

struct _StompyConnection
{
  GObject              parent_instance;

  char                *account_id;
  gboolean             submitted;
  char                *idempotency_key;
  char                *request_digest;
  StompyAccountStatus *status;
};

G_DEFINE_FINAL_TYPE (StompyConnection, stompy_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACCOUNT_ID,
  PROP_SUBMITTED,
  PROP_IDEMPOTENCY_KEY,
  PROP_REQUEST_DIGEST,
  PROP_STATUS,
  PROP_SETTLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (StompyConnection  *self,
            char             **field,
            const char        *value,
            guint              prop)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_submitted (StompyConnection *self,
               gboolean          submitted)
{
  submitted = !!submitted;
  if (self->submitted == submitted)
    return;

  self->submitted = submitted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBMITTED]);
}

static gboolean
check_equal (const StompyAccountCheck *a,
             const StompyAccountCheck *b)
{
  return g_strcmp0 (a->id, b->id) == 0 && g_strcmp0 (a->status, b->status) == 0
         && g_strcmp0 (a->message, b->message) == 0;
}

static gboolean
status_equal (const StompyAccountStatus *a,
              const StompyAccountStatus *b)
{
  guint na, nb;

  if (a == NULL || b == NULL)
    return a == b;

  na = a->checks != NULL ? a->checks->len : 0;
  nb = b->checks != NULL ? b->checks->len : 0;
  if (g_strcmp0 (a->account_id, b->account_id) != 0 || g_strcmp0 (a->status, b->status) != 0
      || na != nb)
    return FALSE;

  for (guint i = 0; i < na; i++)
    if (!check_equal (g_ptr_array_index (a->checks, i), g_ptr_array_index (b->checks, i)))
      return FALSE;

  return TRUE;
}

static void
stompy_connection_finalize (GObject *object)
{
  StompyConnection *self = STOMPY_CONNECTION (object);

  g_free (self->account_id);
  g_free (self->idempotency_key);
  g_free (self->request_digest);
  g_clear_pointer (&self->status, stompy_account_status_free);

  G_OBJECT_CLASS (stompy_connection_parent_class)->finalize (object);
}

static void
stompy_connection_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StompyConnection *self = STOMPY_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    case PROP_SUBMITTED:
      g_value_set_boolean (value, self->submitted);
      break;
    case PROP_IDEMPOTENCY_KEY:
      g_value_set_string (value, self->idempotency_key);
      break;
    case PROP_REQUEST_DIGEST:
      g_value_set_string (value, self->request_digest);
      break;
    case PROP_STATUS:
      g_value_set_boxed (value, self->status);
      break;
    case PROP_SETTLED:
      g_value_set_boolean (value, stompy_connection_get_settled (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_connection_class_init (StompyConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = stompy_connection_finalize;
  object_class->get_property = stompy_connection_get_property;

  properties[PROP_ACCOUNT_ID] = g_param_spec_string ("account-id", NULL, NULL, NULL, ro);
  properties[PROP_SUBMITTED] = g_param_spec_boolean ("submitted", NULL, NULL, FALSE, ro);
  properties[PROP_IDEMPOTENCY_KEY] = g_param_spec_string ("idempotency-key", NULL, NULL, NULL, ro);
  properties[PROP_REQUEST_DIGEST] = g_param_spec_string ("request-digest", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] = g_param_spec_boxed ("status", NULL, NULL, STOMPY_TYPE_ACCOUNT_STATUS,
                                                ro);
  properties[PROP_SETTLED] = g_param_spec_boolean ("settled", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stompy_connection_init (StompyConnection *self)
{
}

StompyConnection *
stompy_connection_new (void)
{
  return g_object_new (STOMPY_TYPE_CONNECTION, NULL);
}

const char *
stompy_connection_get_account_id (StompyConnection *self)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION (self), NULL);
  return self->account_id;
}

gboolean
stompy_connection_get_submitted (StompyConnection *self)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION (self), FALSE);
  return self->submitted;
}

const char *
stompy_connection_get_idempotency_key (StompyConnection *self)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION (self), NULL);
  return self->idempotency_key;
}

const char *
stompy_connection_get_request_digest (StompyConnection *self)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION (self), NULL);
  return self->request_digest;
}

const StompyAccountStatus *
stompy_connection_get_status (StompyConnection *self)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION (self), NULL);
  return self->status;
}

gboolean
stompy_connection_get_settled (StompyConnection *self)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION (self), FALSE);
  return self->status != NULL && !stompy_account_status_is_pending (self->status);
}

/* The state file takes no control characters and no overlong strings; the
 * service's messages are text for a person, so line breaks become spaces. */
static void
sanitize (char **text)
{
  if (*text == NULL)
    return;

  if (strlen (*text) > STOMPY_JSON_STRING_MAX)
    {
      g_autofree char *whole = *text;

      *text = g_utf8_make_valid (whole, STOMPY_JSON_STRING_MAX - 8);
    }
  for (char *p = *text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
}

static void
replace_status (StompyConnection          *self,
                const StompyAccountStatus *status)
{
  g_autoptr(StompyAccountStatus) copy = NULL;
  gboolean was_settled;

  if (status != NULL)
    {
      copy = stompy_account_status_copy (status);
      sanitize (&copy->account_id);
      sanitize (&copy->status);
      for (guint i = 0; copy->checks != NULL && i < copy->checks->len; i++)
        {
          StompyAccountCheck *check = g_ptr_array_index (copy->checks, i);

          sanitize (&check->id);
          sanitize (&check->status);
          sanitize (&check->message);
        }
    }

  if (status_equal (self->status, copy))
    return;

  was_settled = stompy_connection_get_settled (self);
  g_clear_pointer (&self->status, stompy_account_status_free);
  self->status = g_steal_pointer (&copy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  if (was_settled != stompy_connection_get_settled (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTLED]);
}

const char *
stompy_connection_begin (StompyConnection *self,
                         const char       *account_id,
                         const char       *digest)
{
  g_return_val_if_fail (STOMPY_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (digest != NULL, NULL);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->idempotency_key == NULL || g_strcmp0 (self->account_id, account_id) != 0
      || g_strcmp0 (self->request_digest, digest) != 0)
    {
      g_autofree char *key = g_uuid_string_random ();

      /* Another request: what Stompy said about the last one no longer applies. */
      set_string (self, &self->idempotency_key, key, PROP_IDEMPOTENCY_KEY);
      set_string (self, &self->account_id, account_id, PROP_ACCOUNT_ID);
      set_string (self, &self->request_digest, digest, PROP_REQUEST_DIGEST);
      replace_status (self, NULL);
    }
  set_submitted (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));

  return self->idempotency_key;
}

void
stompy_connection_forget_key (StompyConnection *self)
{
  g_return_if_fail (STOMPY_IS_CONNECTION (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->idempotency_key, NULL, PROP_IDEMPOTENCY_KEY);
  set_string (self, &self->request_digest, NULL, PROP_REQUEST_DIGEST);
  set_submitted (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

void
stompy_connection_set_status (StompyConnection          *self,
                              const StompyAccountStatus *status)
{
  g_return_if_fail (STOMPY_IS_CONNECTION (self));

  replace_status (self, status);
}

void
stompy_connection_clear (StompyConnection *self)
{
  g_return_if_fail (STOMPY_IS_CONNECTION (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->account_id, NULL, PROP_ACCOUNT_ID);
  stompy_connection_forget_key (self);
  replace_status (self, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

void
stompy_connection_to_json (StompyConnection *self,
                           JsonBuilder      *builder)
{
  g_return_if_fail (STOMPY_IS_CONNECTION (self));

  json_builder_begin_object (builder);
  stompy_json_add_string (builder, "account_id", self->account_id);
  stompy_json_add_boolean (builder, "submitted", self->submitted);
  stompy_json_add_string (builder, "idempotency_key", self->idempotency_key);
  stompy_json_add_string (builder, "request_digest", self->request_digest);
  stompy_json_add_string (builder, "status", self->status ? self->status->status : NULL);
  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  if (self->status != NULL && self->status->checks != NULL)
    for (guint i = 0; i < self->status->checks->len; i++)
      {
        const StompyAccountCheck *check = g_ptr_array_index (self->status->checks, i);

        json_builder_begin_object (builder);
        stompy_json_add_string (builder, "id", check->id);
        stompy_json_add_string (builder, "status", check->status);
        /* "" is the service's "nothing to say"; kept as "" rather than null. */
        json_builder_set_member_name (builder, "message");
        json_builder_add_string_value (builder, check->message != NULL ? check->message : "");
        json_builder_end_object (builder);
      }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
check_free (StompyAccountCheck *check)
{
  g_free (check->id);
  g_free (check->status);
  g_free (check->message);
  g_free (check);
}

static gboolean
is_one_of (const char         *value,
           const char * const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

static const char * const account_statuses[] = {
  "verifying", "connected", "waiting_for_data", "failed", NULL
};
static const char * const check_statuses[] = { "pending", "ok", "failed", NULL };

/* The status and its checks; *out stays NULL when there is no status. */
static gboolean
read_status (JsonObject           *object,
             const char           *account_id,
             StompyAccountStatus **out,
             char                **problem)
{
  g_autoptr(StompyAccountStatus) status = NULL;
  g_autofree char *value = NULL;
  JsonNode *node;
  JsonArray *array;

  if (!stompy_json_read_string (object, "status", &value, problem))
    return FALSE;

  node = json_object_get_member (object, "checks");
  if (value == NULL)
    {
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node)
          && !(JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0))
        {
          *problem = g_strdup ("\"connection.checks\" without a status");
          return FALSE;
        }
      return TRUE;
    }

  if (!is_one_of (value, account_statuses))
    {
      *problem = g_strdup ("\"connection.status\" has an unknown value");
      return FALSE;
    }
  if (account_id == NULL)
    {
      *problem = g_strdup ("\"connection.status\" without an account id");
      return FALSE;
    }
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (json_node_get_array (node)) > MAX_CHECKS)
    {
      *problem = g_strdup ("\"connection.checks\" is not an array of at most 32 checks");
      return FALSE;
    }

  status = g_new0 (StompyAccountStatus, 1);
  status->account_id = g_strdup (account_id);
  status->status = g_steal_pointer (&value);
  status->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) check_free);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      StompyAccountCheck *check = g_new0 (StompyAccountCheck, 1);
      JsonObject *check_object;

      g_ptr_array_add (status->checks, check);
      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          *problem = g_strdup ("a connection check is not an object");
          return FALSE;
        }
      check_object = json_node_get_object (element);
      if (!stompy_json_read_string (check_object, "id", &check->id, problem)
          || !stompy_json_read_string (check_object, "status", &check->status, problem)
          || !stompy_json_read_string (check_object, "message", &check->message, problem))
        return FALSE;
      if (check->id == NULL || !is_one_of (check->status, check_statuses))
        {
          *problem = g_strdup ("a connection check lacks its id or has an unknown status");
          return FALSE;
        }
      if (check->message == NULL)
        check->message = g_strdup ("");
    }

  *out = g_steal_pointer (&status);
  return TRUE;
}

gboolean
stompy_connection_load_json (StompyConnection *self,
                             JsonObject       *object,
                             char            **problem)
{
  g_autofree char *account_id = NULL;
  g_autofree char *key = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(StompyAccountStatus) status = NULL;
  gboolean submitted = FALSE;

  g_return_val_if_fail (STOMPY_IS_CONNECTION (self), FALSE);

  if (!stompy_json_read_account_id (object, "account_id", &account_id, problem)
      || !stompy_json_read_boolean (object, "submitted", &submitted, problem)
      || !stompy_json_read_string (object, "idempotency_key", &key, problem)
      || !stompy_json_read_string (object, "request_digest", &digest, problem)
      || !read_status (object, account_id, &status, problem))
    return FALSE;

  if (key != NULL && !g_uuid_string_is_valid (key))
    {
      *problem = g_strdup ("\"connection.idempotency_key\" is not a UUID");
      return FALSE;
    }
  if (digest != NULL
      && (strlen (digest) != 64 || strspn (digest, "0123456789abcdef") != 64))
    {
      *problem = g_strdup ("\"connection.request_digest\" is not a SHA-256 digest");
      return FALSE;
    }
  /* A key is only ever kept with its account and request. */
  if ((key != NULL) != (digest != NULL) || (key != NULL && account_id == NULL))
    {
      *problem = g_strdup ("\"connection.idempotency_key\" without its account or request");
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->account_id, account_id, PROP_ACCOUNT_ID);
  set_string (self, &self->idempotency_key, key, PROP_IDEMPOTENCY_KEY);
  set_string (self, &self->request_digest, digest, PROP_REQUEST_DIGEST);
  set_submitted (self, submitted && key != NULL);
  replace_status (self, status);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/* ------------------------------------------------------------------ connect */

typedef struct
{
  StompyOnboarding *onboarding;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_clear_object (&data->onboarding);
  g_free (data);
}

/* The service answered and will answer the same again: it did not act. */
static gboolean
is_final_refusal (const GError *error)
{
  if (error->domain != STOMPY_API_ERROR)
    return FALSE;

  switch ((StompyApiErrorCode) error->code)
    {
    case STOMPY_API_ERROR_BAD_REQUEST:
    case STOMPY_API_ERROR_FORBIDDEN:
    case STOMPY_API_ERROR_NOT_FOUND:
    case STOMPY_API_ERROR_ACCOUNT_ALREADY_CONNECTED:
    case STOMPY_API_ERROR_VALIDATION_FAILED:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConnectData *data = g_task_get_task_data (task);
  StompyConnection *connection = stompy_onboarding_get_connection (data->onboarding);
  g_autoptr(StompyAccountStatus) status = NULL;
  GError *error = NULL;

  status = stompy_api_client_connect_account_finish (STOMPY_API_CLIENT (source), result, &error);
  if (status == NULL)
    {
      if (is_final_refusal (error))
        stompy_connection_forget_key (connection);
      g_task_return_error (task, error);
      return;
    }

  stompy_connection_set_status (connection, status);
  g_task_return_pointer (task, g_steal_pointer (&status),
                         (GDestroyNotify) stompy_account_status_free);
}

void
stompy_connection_connect_async (StompyOnboarding    *onboarding,
                                 StompyApiClient     *client,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autofree char *digest = NULL;
  GError *error = NULL;
  ConnectData *data;
  const char *key;

  g_return_if_fail (STOMPY_IS_ONBOARDING (onboarding));
  g_return_if_fail (STOMPY_IS_API_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (onboarding, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_connection_connect_async);
  data = g_new0 (ConnectData, 1);
  data->onboarding = g_object_ref (onboarding);
  g_task_set_task_data (task, data, (GDestroyNotify) connect_data_free);

  request = stompy_connection_build_request (onboarding, &error);
  if (request == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Recorded before sending: should the process die with the request on the
   * wire, the next start sends the same key and the service replays. */
  digest = stompy_connection_request_digest (request);
  key = stompy_connection_begin (stompy_onboarding_get_connection (onboarding),
                                 stompy_onboarding_get_account_id (onboarding), digest);
  /* On disk now, not in the autosave idle, which may run after the request is
   * on the wire (the app's model autosaves; the CLI saves itself). */
  if (stompy_onboarding_get_autosave (onboarding))
    stompy_onboarding_save (onboarding, NULL);

  stompy_api_client_connect_account_with_key_async (client, request, key, cancellable,
                                                    connect_cb, g_steal_pointer (&task));
}

StompyAccountStatus *
stompy_connection_connect_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_connection_connect_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
