/* stompy-cur-choice.c — what the AnalySaver step decided about the cost report */
#include "config.h"

#include "stompy-cur-choice.h"
#include "stompy-json-read.h"

struct _StompyCurChoice
{
  GObject         parent_instance;

  gboolean        billing_access_confirmed;
  StompyCurKind   kind;
  StompyCurOrigin origin;
  char           *report_name;
  char           *bucket;
  char           *prefix;
  char           *region;
};

G_DEFINE_ENUM_TYPE (StompyCurKind, stompy_cur_kind,
                    G_DEFINE_ENUM_VALUE (STOMPY_CUR_KIND_LEGACY, "legacy"),
                    G_DEFINE_ENUM_VALUE (STOMPY_CUR_KIND_DATA_EXPORT, "data-export"))

G_DEFINE_ENUM_TYPE (StompyCurOrigin, stompy_cur_origin,
                    G_DEFINE_ENUM_VALUE (STOMPY_CUR_ORIGIN_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (STOMPY_CUR_ORIGIN_EXISTING, "existing"),
                    G_DEFINE_ENUM_VALUE (STOMPY_CUR_ORIGIN_CREATED, "created"),
                    G_DEFINE_ENUM_VALUE (STOMPY_CUR_ORIGIN_PASTED, "pasted"))

G_DEFINE_FINAL_TYPE (StompyCurChoice, stompy_cur_choice, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BILLING_ACCESS_CONFIRMED,
  PROP_KIND,
  PROP_ORIGIN,
  PROP_REPORT_NAME,
  PROP_BUCKET,
  PROP_PREFIX,
  PROP_REGION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "" and NULL are one state. */
static void
set_string (StompyCurChoice *self,
            char           **field,
            const char      *value,
            guint            prop)
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
stompy_cur_choice_finalize (GObject *object)
{
  StompyCurChoice *self = STOMPY_CUR_CHOICE (object);

  g_free (self->report_name);
  g_free (self->bucket);
  g_free (self->prefix);
  g_free (self->region);

  G_OBJECT_CLASS (stompy_cur_choice_parent_class)->finalize (object);
}

static void
stompy_cur_choice_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StompyCurChoice *self = STOMPY_CUR_CHOICE (object);

  switch (prop_id)
    {
    case PROP_BILLING_ACCESS_CONFIRMED:
      g_value_set_boolean (value, self->billing_access_confirmed);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_ORIGIN:
      g_value_set_enum (value, self->origin);
      break;
    case PROP_REPORT_NAME:
      g_value_set_string (value, self->report_name);
      break;
    case PROP_BUCKET:
      g_value_set_string (value, self->bucket);
      break;
    case PROP_PREFIX:
      g_value_set_string (value, self->prefix);
      break;
    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_cur_choice_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StompyCurChoice *self = STOMPY_CUR_CHOICE (object);

  switch (prop_id)
    {
    case PROP_BILLING_ACCESS_CONFIRMED:
      stompy_cur_choice_set_billing_access_confirmed (self, g_value_get_boolean (value));
      break;
    case PROP_KIND:
      stompy_cur_choice_set_kind (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_cur_choice_class_init (StompyCurChoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = stompy_cur_choice_finalize;
  object_class->get_property = stompy_cur_choice_get_property;
  object_class->set_property = stompy_cur_choice_set_property;

  properties[PROP_BILLING_ACCESS_CONFIRMED] =
    g_param_spec_boolean ("billing-access-confirmed", NULL, NULL, FALSE, rw);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, STOMPY_TYPE_CUR_KIND, STOMPY_CUR_KIND_LEGACY, rw);
  properties[PROP_ORIGIN] =
    g_param_spec_enum ("origin", NULL, NULL, STOMPY_TYPE_CUR_ORIGIN, STOMPY_CUR_ORIGIN_NONE, ro);
  properties[PROP_REPORT_NAME] = g_param_spec_string ("report-name", NULL, NULL, NULL, ro);
  properties[PROP_BUCKET] = g_param_spec_string ("bucket", NULL, NULL, NULL, ro);
  properties[PROP_PREFIX] = g_param_spec_string ("prefix", NULL, NULL, NULL, ro);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stompy_cur_choice_init (StompyCurChoice *self)
{
}

StompyCurChoice *
stompy_cur_choice_new (void)
{
  return g_object_new (STOMPY_TYPE_CUR_CHOICE, NULL);
}

gboolean
stompy_cur_choice_get_billing_access_confirmed (StompyCurChoice *self)
{
  g_return_val_if_fail (STOMPY_IS_CUR_CHOICE (self), FALSE);
  return self->billing_access_confirmed;
}

void
stompy_cur_choice_set_billing_access_confirmed (StompyCurChoice *self,
                                                gboolean         confirmed)
{
  g_return_if_fail (STOMPY_IS_CUR_CHOICE (self));

  confirmed = !!confirmed;
  if (self->billing_access_confirmed == confirmed)
    return;

  self->billing_access_confirmed = confirmed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BILLING_ACCESS_CONFIRMED]);
}

StompyCurKind
stompy_cur_choice_get_kind (StompyCurChoice *self)
{
  g_return_val_if_fail (STOMPY_IS_CUR_CHOICE (self), STOMPY_CUR_KIND_LEGACY);
  return self->kind;
}

void
stompy_cur_choice_set_kind (StompyCurChoice *self,
                            StompyCurKind    kind)
{
  g_return_if_fail (STOMPY_IS_CUR_CHOICE (self));
  g_return_if_fail (kind == STOMPY_CUR_KIND_LEGACY || kind == STOMPY_CUR_KIND_DATA_EXPORT);

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

StompyCurOrigin
stompy_cur_choice_get_origin (StompyCurChoice *self)
{
  g_return_val_if_fail (STOMPY_IS_CUR_CHOICE (self), STOMPY_CUR_ORIGIN_NONE);
  return self->origin;
}

const char *
stompy_cur_choice_get_report_name (StompyCurChoice *self)
{
  g_return_val_if_fail (STOMPY_IS_CUR_CHOICE (self), NULL);
  return self->report_name;
}

const char *
stompy_cur_choice_get_bucket (StompyCurChoice *self)
{
  g_return_val_if_fail (STOMPY_IS_CUR_CHOICE (self), NULL);
  return self->bucket;
}

const char *
stompy_cur_choice_get_prefix (StompyCurChoice *self)
{
  g_return_val_if_fail (STOMPY_IS_CUR_CHOICE (self), NULL);
  return self->prefix;
}

const char *
stompy_cur_choice_get_region (StompyCurChoice *self)
{
  g_return_val_if_fail (STOMPY_IS_CUR_CHOICE (self), NULL);
  return self->region;
}

void
stompy_cur_choice_set_report (StompyCurChoice *self,
                              StompyCurOrigin  origin,
                              const char      *report_name,
                              const char      *bucket,
                              const char      *prefix,
                              const char      *region)
{
  g_return_if_fail (STOMPY_IS_CUR_CHOICE (self));
  g_return_if_fail (origin <= STOMPY_CUR_ORIGIN_PASTED);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->origin != origin)
    {
      self->origin = origin;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGIN]);
    }
  set_string (self, &self->report_name, report_name, PROP_REPORT_NAME);
  set_string (self, &self->bucket, bucket, PROP_BUCKET);
  set_string (self, &self->prefix, prefix, PROP_PREFIX);
  set_string (self, &self->region, region, PROP_REGION);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
stompy_cur_choice_is_complete (StompyCurChoice *self)
{
  g_return_val_if_fail (STOMPY_IS_CUR_CHOICE (self), FALSE);

  return self->origin != STOMPY_CUR_ORIGIN_NONE && self->report_name != NULL
         && self->bucket != NULL;
}

void
stompy_cur_choice_clear (StompyCurChoice *self)
{
  g_return_if_fail (STOMPY_IS_CUR_CHOICE (self));

  g_object_freeze_notify (G_OBJECT (self));
  stompy_cur_choice_set_billing_access_confirmed (self, FALSE);
  stompy_cur_choice_set_kind (self, STOMPY_CUR_KIND_LEGACY);
  stompy_cur_choice_set_report (self, STOMPY_CUR_ORIGIN_NONE, NULL, NULL, NULL, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

void
stompy_cur_choice_to_json (StompyCurChoice *self,
                           JsonBuilder     *builder)
{
  g_return_if_fail (STOMPY_IS_CUR_CHOICE (self));

  json_builder_begin_object (builder);
  stompy_json_add_boolean (builder, "billing_access_confirmed", self->billing_access_confirmed);
  stompy_json_add_enum (builder, "kind", STOMPY_TYPE_CUR_KIND, self->kind);
  stompy_json_add_enum (builder, "origin", STOMPY_TYPE_CUR_ORIGIN, self->origin);
  stompy_json_add_string (builder, "report_name", self->report_name);
  stompy_json_add_string (builder, "bucket", self->bucket);
  stompy_json_add_string (builder, "prefix", self->prefix);
  stompy_json_add_string (builder, "region", self->region);
  json_builder_end_object (builder);
}

gboolean
stompy_cur_choice_load_json (StompyCurChoice *self,
                             JsonObject      *object,
                             char           **problem)
{
  g_autofree char *report_name = NULL;
  g_autofree char *bucket = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *region = NULL;
  gboolean confirmed;
  int kind, origin;

  g_return_val_if_fail (STOMPY_IS_CUR_CHOICE (self), FALSE);

  if (!stompy_json_read_boolean (object, "billing_access_confirmed", &confirmed, problem)
      || !stompy_json_read_enum (object, "kind", STOMPY_TYPE_CUR_KIND,
                                 STOMPY_CUR_KIND_LEGACY, &kind, problem)
      || !stompy_json_read_enum (object, "origin", STOMPY_TYPE_CUR_ORIGIN,
                                 STOMPY_CUR_ORIGIN_NONE, &origin, problem)
      || !stompy_json_read_string (object, "report_name", &report_name, problem)
      || !stompy_json_read_string (object, "bucket", &bucket, problem)
      || !stompy_json_read_string (object, "prefix", &prefix, problem)
      || !stompy_json_read_string (object, "region", &region, problem))
    return FALSE;

  /* A recorded report always names its bucket: anything else was not written by us. */
  if (origin != STOMPY_CUR_ORIGIN_NONE && (report_name == NULL || bucket == NULL))
    {
      *problem = g_strdup ("\"cur\" records a report without its name or bucket");
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  stompy_cur_choice_set_billing_access_confirmed (self, confirmed);
  stompy_cur_choice_set_kind (self, kind);
  stompy_cur_choice_set_report (self, origin, report_name, bucket, prefix, region);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}
