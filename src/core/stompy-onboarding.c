/* stompy-onboarding.c — the one model of the wizard, and its state file
 *
 * The state file is small JSON under $XDG_STATE_HOME/stompy-connect/:
 *
 *   { "version": 1, "step": "products", "products": ["analysaver"],
 *     "stompy_email": "ops@example.com", "stompy_organization": "Example Ltd",
 *     "credential_source": "profile", "profile": "default",
 *     "access_key_id": null, "account_id": "210987654321",
 *     "identity": { "account_id": …, "arn": …, "user_id": …, "is_root": false,
 *                   "organization_role": "management", "organization_id": …,
 *                   "management_account_id": … } }
 *
 * It never holds a secret: there is no field for a secret access key, a session
 * token, the Stompy token or a password, and unknown members are ignored on
 * load rather than carried along. The file is user-writable and read before
 * the first frame, so the loader treats it as untrusted input: every member is
 * checked for its type and range, and anything unexpected makes the whole file
 * "damaged" — moved aside for a bug report, never half-applied, never a crash.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "stompy-error.h"
#include "stompy-json-read.h"
#include "stompy-onboarding.h"
#include "stompy-validate.h"

#define STATE_FILE_VERSION 1
/* Far above any real state (a few hundred bytes): a bigger file is not ours. */
#define STATE_FILE_MAX_SIZE (256 * 1024)

#define ALL_PRODUCTS (STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER)

G_DEFINE_ENUM_TYPE (StompyStep, stompy_step,
  G_DEFINE_ENUM_VALUE (STOMPY_STEP_SIGN_IN, "sign-in"),
  G_DEFINE_ENUM_VALUE (STOMPY_STEP_PRODUCTS, "products"),
  G_DEFINE_ENUM_VALUE (STOMPY_STEP_ANALYSAVER, "analysaver"),
  G_DEFINE_ENUM_VALUE (STOMPY_STEP_SPOTAINER, "spotainer"),
  G_DEFINE_ENUM_VALUE (STOMPY_STEP_CONNECT, "connect"),
  G_DEFINE_ENUM_VALUE (STOMPY_STEP_DONE, "done"))

G_DEFINE_FLAGS_TYPE (StompyProducts, stompy_products,
  G_DEFINE_ENUM_VALUE (STOMPY_PRODUCT_NONE, "none"),
  G_DEFINE_ENUM_VALUE (STOMPY_PRODUCT_ANALYSAVER, "analysaver"),
  G_DEFINE_ENUM_VALUE (STOMPY_PRODUCT_SPOTAINER, "spotainer"))

G_DEFINE_ENUM_TYPE (StompyCredentialSource, stompy_credential_source,
  G_DEFINE_ENUM_VALUE (STOMPY_CREDENTIAL_SOURCE_PROFILE, "profile"),
  G_DEFINE_ENUM_VALUE (STOMPY_CREDENTIAL_SOURCE_ENVIRONMENT, "environment"),
  G_DEFINE_ENUM_VALUE (STOMPY_CREDENTIAL_SOURCE_TYPED, "typed"),
  G_DEFINE_ENUM_VALUE (STOMPY_CREDENTIAL_SOURCE_GUIDED, "guided"))

G_DEFINE_FLAGS_TYPE (StompyRecommendations, stompy_recommendations,
  G_DEFINE_ENUM_VALUE (STOMPY_RECOMMEND_NONE, "none"),
  G_DEFINE_ENUM_VALUE (STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT, "both-from-management"),
  G_DEFINE_ENUM_VALUE (STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION, "spotainer-in-production"),
  G_DEFINE_ENUM_VALUE (STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE, "analysaver-org-wide"))

/* The seed document's 第二步 gives three recommendations:
 *
 *  1. No special account habits → add both products from the AWS root
 *     (management) account.
 *  2. A dedicated production account that runs the instances → sign in to
 *     that account and add SpoTainer there.
 *  3. Organization-wide cost advice → register another Stompy account, sign in
 *     to the root (management) account and add AnalySaver, because only the
 *     management account sees every member account's costs and can apply
 *     optimizations to them.
 *
 * Applied to the identity the app found:
 *
 *  - The management account, whether through its root user or an IAM user or
 *    role (the seed says "root account" for the payer account; the cost data
 *    comes with the account, not the user): (1), and (3) since this is the
 *    account organization-wide AnalySaver needs.
 *  - A member account is the typical production account: (2). It cannot see
 *    the organization's costs, so (3) is shown as "use the management account
 *    for organization-wide AnalySaver".
 *  - A standalone account pays its own bill, so it is its own "management"
 *    account: (1). With no organization, (3) has nothing to add.
 *  - Unknown (DescribeOrganization was denied, or no identity yet, as in
 *    guided mode): the app cannot tell, so all three are shown and the user
 *    picks.
 */
StompyRecommendations
stompy_recommendations_for (StompyOrganizationRole role,
                            gboolean               is_root)
{
  switch (role)
    {
    case STOMPY_ORGANIZATION_ROLE_MANAGEMENT:
      return STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE;

    case STOMPY_ORGANIZATION_ROLE_MEMBER:
      return STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE;

    case STOMPY_ORGANIZATION_ROLE_STANDALONE:
      return STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT;

    case STOMPY_ORGANIZATION_ROLE_UNKNOWN:
    default:
      return STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT
             | STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION
             | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE;
    }
}

struct _StompyOnboarding
{
  GObject                 parent_instance;

  char                   *path;

  StompyStep              step;
  StompyProducts          products;
  char                   *stompy_email;
  char                   *stompy_organization;
  StompyCredentialSource  credential_source;
  char                   *profile;
  char                   *access_key_id;
  char                   *account_id;
  StompyAwsIdentity      *identity;
  StompyRecommendations   recommendations;
  /* The later steps' parts; their changes are saved like the model's own. */
  StompyCurChoice        *cur;
  StompyStackRecord      *analysaver_stack;
  StompyStackRecord      *spotainer_stack;
  StompyConnection       *connection;

  gboolean                autosave;
  /* > 0 while loading or resetting: those changes come from or go to the file
   * already and must not schedule a save. */
  guint                   autosave_inhibit;
  GSource                *save_source;
  GError                 *save_error;
  guint                   save_count;
};

G_DEFINE_FINAL_TYPE (StompyOnboarding, stompy_onboarding, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_AUTOSAVE,
  PROP_STEP,
  PROP_PRODUCTS,
  PROP_STOMPY_EMAIL,
  PROP_STOMPY_ORGANIZATION,
  PROP_CREDENTIAL_SOURCE,
  PROP_PROFILE,
  PROP_ACCESS_KEY_ID,
  PROP_ACCOUNT_ID,
  PROP_IDENTITY,
  PROP_RECOMMENDATIONS,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ helpers */

static const char *
role_to_string (StompyOrganizationRole role)
{
  switch (role)
    {
    case STOMPY_ORGANIZATION_ROLE_MANAGEMENT:
      return "management";
    case STOMPY_ORGANIZATION_ROLE_MEMBER:
      return "member";
    case STOMPY_ORGANIZATION_ROLE_STANDALONE:
      return "standalone";
    case STOMPY_ORGANIZATION_ROLE_UNKNOWN:
    default:
      return "unknown";
    }
}

static gboolean
role_from_string (const char             *text,
                  StompyOrganizationRole *role)
{
  static const StompyOrganizationRole roles[] = {
    STOMPY_ORGANIZATION_ROLE_UNKNOWN,
    STOMPY_ORGANIZATION_ROLE_MANAGEMENT,
    STOMPY_ORGANIZATION_ROLE_MEMBER,
    STOMPY_ORGANIZATION_ROLE_STANDALONE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      if (g_strcmp0 (text, role_to_string (roles[i])) == 0)
        {
          *role = roles[i];
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
identity_equal (const StompyAwsIdentity *a,
                const StompyAwsIdentity *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->account_id, b->account_id) == 0
         && g_strcmp0 (a->arn, b->arn) == 0
         && g_strcmp0 (a->user_id, b->user_id) == 0
         && !a->is_root == !b->is_root
         && a->organization_role == b->organization_role
         && g_strcmp0 (a->organization_id, b->organization_id) == 0
         && g_strcmp0 (a->management_account_id, b->management_account_id) == 0;
}

/* Empty strings are stored as NULL so that "" and "unset" are one state. */
static gboolean
set_string (StompyOnboarding *self,
            char            **field,
            const char       *value,
            guint             prop)
{
  if (value != NULL && *value == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

static void
update_recommendations (StompyOnboarding *self)
{
  StompyRecommendations recommendations;

  if (self->identity != NULL)
    recommendations = stompy_recommendations_for (self->identity->organization_role,
                                                  self->identity->is_root);
  else
    recommendations = stompy_recommendations_for (STOMPY_ORGANIZATION_ROLE_UNKNOWN, FALSE);

  if (recommendations == self->recommendations)
    return;

  self->recommendations = recommendations;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECOMMENDATIONS]);
}

static void
cancel_pending_save (StompyOnboarding *self)
{
  if (self->save_source != NULL)
    {
      g_source_destroy (self->save_source);
      g_clear_pointer (&self->save_source, g_source_unref);
    }
}

static gboolean
save_idle_cb (gpointer user_data)
{
  StompyOnboarding *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->save_source, g_source_unref);

  if (!stompy_onboarding_save (self, &error))
    {
      /* Not a warning: a full disk must not abort the app (or a test run with
       * fatal warnings). The error stays available to the UI. */
      g_message ("Could not save the onboarding state: %s", error->message);
    }

  return G_SOURCE_REMOVE;
}

static void
schedule_save (StompyOnboarding *self)
{
  g_autoptr(GMainContext) context = NULL;

  if (!self->autosave || self->autosave_inhibit > 0 || self->save_source != NULL)
    return;

  /* One idle per burst of changes: a page that sets five properties in a row
   * writes the file once. The idle runs on the context of the thread that
   * changed the model, which is where the model lives. */
  context = g_main_context_ref_thread_default ();
  self->save_source = g_idle_source_new ();
  /* Not G_PRIORITY_DEFAULT_IDLE: GTK's frame clock (a higher priority) runs
   * back to back while a spinner turns on a slow renderer, and an idle below
   * it waited for the spinner to stop; a process killed meanwhile lost the
   * step (found by the kill-and-resume test). It still runs after the
   * changes of the current dispatch, so a burst is written once. */
  g_source_set_priority (self->save_source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (self->save_source, "[stompy] onboarding autosave");
  g_source_set_callback (self->save_source, save_idle_cb, self, NULL);
  g_source_attach (self->save_source, context);
}

/* -------------------------------------------------------------- the object */

static void
stompy_onboarding_notify (GObject    *object,
                          GParamSpec *pspec)
{
  StompyOnboarding *self = STOMPY_ONBOARDING (object);

  if (G_OBJECT_CLASS (stompy_onboarding_parent_class)->notify != NULL)
    G_OBJECT_CLASS (stompy_onboarding_parent_class)->notify (object, pspec);

  if (pspec != properties[PROP_PATH] && pspec != properties[PROP_AUTOSAVE])
    schedule_save (self);
}

static void
part_notify_cb (GObject    *part,
                GParamSpec *pspec,
                gpointer    user_data)
{
  schedule_save (STOMPY_ONBOARDING (user_data));
}

static void
stompy_onboarding_constructed (GObject *object)
{
  StompyOnboarding *self = STOMPY_ONBOARDING (object);

  G_OBJECT_CLASS (stompy_onboarding_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = stompy_onboarding_default_path ();
}

static void
stompy_onboarding_dispose (GObject *object)
{
  StompyOnboarding *self = STOMPY_ONBOARDING (object);

  /* Closing the app mid-way loses nothing: a change still waiting for its
   * idle is written now. */
  if (self->save_source != NULL)
    {
      cancel_pending_save (self);
      save_idle_cb (self);
    }

  G_OBJECT_CLASS (stompy_onboarding_parent_class)->dispose (object);
}

static void
stompy_onboarding_finalize (GObject *object)
{
  StompyOnboarding *self = STOMPY_ONBOARDING (object);

  g_free (self->path);
  g_free (self->stompy_email);
  g_free (self->stompy_organization);
  g_free (self->profile);
  g_free (self->access_key_id);
  g_free (self->account_id);
  g_clear_pointer (&self->identity, stompy_aws_identity_free);
  g_clear_error (&self->save_error);
  g_signal_handlers_disconnect_by_func (self->cur, part_notify_cb, self);
  g_signal_handlers_disconnect_by_func (self->analysaver_stack, part_notify_cb, self);
  g_signal_handlers_disconnect_by_func (self->spotainer_stack, part_notify_cb, self);
  g_signal_handlers_disconnect_by_func (self->connection, part_notify_cb, self);
  g_clear_object (&self->cur);
  g_clear_object (&self->analysaver_stack);
  g_clear_object (&self->spotainer_stack);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (stompy_onboarding_parent_class)->finalize (object);
}

static void
stompy_onboarding_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StompyOnboarding *self = STOMPY_ONBOARDING (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_AUTOSAVE:
      g_value_set_boolean (value, self->autosave);
      break;
    case PROP_STEP:
      g_value_set_enum (value, self->step);
      break;
    case PROP_PRODUCTS:
      g_value_set_flags (value, self->products);
      break;
    case PROP_STOMPY_EMAIL:
      g_value_set_string (value, self->stompy_email);
      break;
    case PROP_STOMPY_ORGANIZATION:
      g_value_set_string (value, self->stompy_organization);
      break;
    case PROP_CREDENTIAL_SOURCE:
      g_value_set_enum (value, self->credential_source);
      break;
    case PROP_PROFILE:
      g_value_set_string (value, self->profile);
      break;
    case PROP_ACCESS_KEY_ID:
      g_value_set_string (value, self->access_key_id);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    case PROP_IDENTITY:
      g_value_set_boxed (value, self->identity);
      break;
    case PROP_RECOMMENDATIONS:
      g_value_set_flags (value, self->recommendations);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_onboarding_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StompyOnboarding *self = STOMPY_ONBOARDING (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_AUTOSAVE:
      stompy_onboarding_set_autosave (self, g_value_get_boolean (value));
      break;
    case PROP_STEP:
      stompy_onboarding_set_step (self, g_value_get_enum (value));
      break;
    case PROP_PRODUCTS:
      stompy_onboarding_set_products (self, g_value_get_flags (value));
      break;
    case PROP_STOMPY_EMAIL:
      stompy_onboarding_set_stompy_account (self, g_value_get_string (value),
                                            self->stompy_organization);
      break;
    case PROP_STOMPY_ORGANIZATION:
      stompy_onboarding_set_stompy_account (self, self->stompy_email,
                                            g_value_get_string (value));
      break;
    case PROP_CREDENTIAL_SOURCE:
      stompy_onboarding_set_credential_source (self, g_value_get_enum (value));
      break;
    case PROP_PROFILE:
      stompy_onboarding_set_profile (self, g_value_get_string (value));
      break;
    case PROP_ACCESS_KEY_ID:
      stompy_onboarding_set_access_key_id (self, g_value_get_string (value));
      break;
    case PROP_ACCOUNT_ID:
      stompy_onboarding_set_account_id (self, g_value_get_string (value));
      break;
    case PROP_IDENTITY:
      stompy_onboarding_set_identity (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_onboarding_class_init (StompyOnboardingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = stompy_onboarding_constructed;
  object_class->dispose = stompy_onboarding_dispose;
  object_class->finalize = stompy_onboarding_finalize;
  object_class->get_property = stompy_onboarding_get_property;
  object_class->set_property = stompy_onboarding_set_property;
  object_class->notify = stompy_onboarding_notify;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTOSAVE] =
    g_param_spec_boolean ("autosave", NULL, NULL, TRUE, rw);
  properties[PROP_STEP] =
    g_param_spec_enum ("step", NULL, NULL, STOMPY_TYPE_STEP, STOMPY_STEP_SIGN_IN, rw);
  properties[PROP_PRODUCTS] =
    g_param_spec_flags ("products", NULL, NULL, STOMPY_TYPE_PRODUCTS, STOMPY_PRODUCT_NONE, rw);
  properties[PROP_STOMPY_EMAIL] =
    g_param_spec_string ("stompy-email", NULL, NULL, NULL, rw);
  properties[PROP_STOMPY_ORGANIZATION] =
    g_param_spec_string ("stompy-organization", NULL, NULL, NULL, rw);
  properties[PROP_CREDENTIAL_SOURCE] =
    g_param_spec_enum ("credential-source", NULL, NULL, STOMPY_TYPE_CREDENTIAL_SOURCE,
                       STOMPY_CREDENTIAL_SOURCE_PROFILE, rw);
  properties[PROP_PROFILE] =
    g_param_spec_string ("profile", NULL, NULL, NULL, rw);
  properties[PROP_ACCESS_KEY_ID] =
    g_param_spec_string ("access-key-id", NULL, NULL, NULL, rw);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, NULL, rw);
  properties[PROP_IDENTITY] =
    g_param_spec_boxed ("identity", NULL, NULL, STOMPY_TYPE_AWS_IDENTITY, rw);
  properties[PROP_RECOMMENDATIONS] =
    g_param_spec_flags ("recommendations", NULL, NULL, STOMPY_TYPE_RECOMMENDATIONS,
                        STOMPY_RECOMMEND_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stompy_onboarding_init (StompyOnboarding *self)
{
  self->autosave = TRUE;
  self->step = STOMPY_STEP_SIGN_IN;
  self->credential_source = STOMPY_CREDENTIAL_SOURCE_PROFILE;
  self->recommendations = stompy_recommendations_for (STOMPY_ORGANIZATION_ROLE_UNKNOWN, FALSE);

  self->cur = stompy_cur_choice_new ();
  self->analysaver_stack = stompy_stack_record_new ();
  self->spotainer_stack = stompy_stack_record_new ();
  g_signal_connect (self->cur, "notify", G_CALLBACK (part_notify_cb), self);
  g_signal_connect (self->analysaver_stack, "notify", G_CALLBACK (part_notify_cb), self);
  g_signal_connect (self->spotainer_stack, "notify", G_CALLBACK (part_notify_cb), self);
  self->connection = stompy_connection_new ();
  g_signal_connect (self->connection, "notify", G_CALLBACK (part_notify_cb), self);
}

/* --------------------------------------------------------------- public API */

char *
stompy_onboarding_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "stompy-connect", "state.json", NULL);
}

StompyOnboarding *
stompy_onboarding_new (const char *path)
{
  return g_object_new (STOMPY_TYPE_ONBOARDING, "path", path, NULL);
}

const char *
stompy_onboarding_get_path (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);

  return self->path;
}

void
stompy_onboarding_set_autosave (StompyOnboarding *self,
                                gboolean          autosave)
{
  g_return_if_fail (STOMPY_IS_ONBOARDING (self));

  autosave = !!autosave;
  if (self->autosave == autosave)
    return;

  self->autosave = autosave;
  if (!autosave)
    cancel_pending_save (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOSAVE]);
}

gboolean
stompy_onboarding_get_autosave (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), FALSE);

  return self->autosave;
}

const GError *
stompy_onboarding_get_save_error (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);

  return self->save_error;
}

guint
stompy_onboarding_get_save_count (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), 0);

  return self->save_count;
}

StompyStep
stompy_onboarding_get_step (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), STOMPY_STEP_SIGN_IN);

  return self->step;
}

void
stompy_onboarding_set_step (StompyOnboarding *self,
                            StompyStep        step)
{
  g_return_if_fail (STOMPY_IS_ONBOARDING (self));
  g_return_if_fail (step <= STOMPY_STEP_DONE);

  if (self->step == step)
    return;

  self->step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

StompyStep
stompy_onboarding_next_step (StompyOnboarding *self,
                             StompyStep        step)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), step);

  switch (step)
    {
    case STOMPY_STEP_SIGN_IN:
      return STOMPY_STEP_PRODUCTS;
    case STOMPY_STEP_PRODUCTS:
      if (self->products & STOMPY_PRODUCT_ANALYSAVER)
        return STOMPY_STEP_ANALYSAVER;
      G_GNUC_FALLTHROUGH;
    case STOMPY_STEP_ANALYSAVER:
      if (self->products & STOMPY_PRODUCT_SPOTAINER)
        return STOMPY_STEP_SPOTAINER;
      G_GNUC_FALLTHROUGH;
    case STOMPY_STEP_SPOTAINER:
      return STOMPY_STEP_CONNECT;
    case STOMPY_STEP_CONNECT:
    case STOMPY_STEP_DONE:
    default:
      return STOMPY_STEP_DONE;
    }
}

StompyStep
stompy_onboarding_previous_step (StompyOnboarding *self,
                                 StompyStep        step)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), step);

  switch (step)
    {
    case STOMPY_STEP_DONE:
      return STOMPY_STEP_CONNECT;
    case STOMPY_STEP_CONNECT:
      if (self->products & STOMPY_PRODUCT_SPOTAINER)
        return STOMPY_STEP_SPOTAINER;
      G_GNUC_FALLTHROUGH;
    case STOMPY_STEP_SPOTAINER:
      if (self->products & STOMPY_PRODUCT_ANALYSAVER)
        return STOMPY_STEP_ANALYSAVER;
      G_GNUC_FALLTHROUGH;
    case STOMPY_STEP_ANALYSAVER:
      return STOMPY_STEP_PRODUCTS;
    case STOMPY_STEP_PRODUCTS:
    case STOMPY_STEP_SIGN_IN:
    default:
      return STOMPY_STEP_SIGN_IN;
    }
}

const char *
stompy_onboarding_get_stompy_email (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);

  return self->stompy_email;
}

const char *
stompy_onboarding_get_stompy_organization (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);

  return self->stompy_organization;
}

void
stompy_onboarding_set_stompy_account (StompyOnboarding *self,
                                      const char       *email,
                                      const char       *organization_name)
{
  g_autofree char *organization = NULL;

  g_return_if_fail (STOMPY_IS_ONBOARDING (self));

  /* @organization_name may be our own field, passed back by set_property. */
  organization = g_strdup (organization_name);
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->stompy_email, email, PROP_STOMPY_EMAIL);
  set_string (self, &self->stompy_organization, organization, PROP_STOMPY_ORGANIZATION);
  g_object_thaw_notify (G_OBJECT (self));
}

StompyCredentialSource
stompy_onboarding_get_credential_source (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), STOMPY_CREDENTIAL_SOURCE_PROFILE);

  return self->credential_source;
}

void
stompy_onboarding_set_credential_source (StompyOnboarding       *self,
                                         StompyCredentialSource  source)
{
  g_return_if_fail (STOMPY_IS_ONBOARDING (self));
  g_return_if_fail (source <= STOMPY_CREDENTIAL_SOURCE_GUIDED);

  if (self->credential_source == source)
    return;

  self->credential_source = source;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDENTIAL_SOURCE]);
}

const char *
stompy_onboarding_get_profile (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);

  return self->profile;
}

void
stompy_onboarding_set_profile (StompyOnboarding *self,
                               const char       *profile)
{
  g_return_if_fail (STOMPY_IS_ONBOARDING (self));

  set_string (self, &self->profile, profile, PROP_PROFILE);
}

const char *
stompy_onboarding_get_access_key_id (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);

  return self->access_key_id;
}

void
stompy_onboarding_set_access_key_id (StompyOnboarding *self,
                                     const char       *access_key_id)
{
  g_return_if_fail (STOMPY_IS_ONBOARDING (self));

  set_string (self, &self->access_key_id, access_key_id, PROP_ACCESS_KEY_ID);
}

const StompyAwsIdentity *
stompy_onboarding_get_identity (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);

  return self->identity;
}

void
stompy_onboarding_set_identity (StompyOnboarding        *self,
                                const StompyAwsIdentity *identity)
{
  g_return_if_fail (STOMPY_IS_ONBOARDING (self));

  if (identity_equal (self->identity, identity))
    return;

  g_object_freeze_notify (G_OBJECT (self));

  g_clear_pointer (&self->identity, stompy_aws_identity_free);
  if (identity != NULL)
    self->identity = stompy_aws_identity_copy (identity);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY]);

  /* The verified identity says which account this is. */
  if (self->identity != NULL && self->identity->account_id != NULL)
    set_string (self, &self->account_id, self->identity->account_id, PROP_ACCOUNT_ID);

  update_recommendations (self);

  g_object_thaw_notify (G_OBJECT (self));
}

const char *
stompy_onboarding_get_account_id (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);

  return self->account_id;
}

void
stompy_onboarding_set_account_id (StompyOnboarding *self,
                                  const char       *account_id)
{
  g_autofree char *copy = NULL;

  g_return_if_fail (STOMPY_IS_ONBOARDING (self));
  g_return_if_fail (account_id == NULL || *account_id == '\0'
                    || stompy_validate_account_id (account_id, NULL, NULL));

  copy = g_strdup (account_id);
  g_object_freeze_notify (G_OBJECT (self));

  set_string (self, &self->account_id, copy, PROP_ACCOUNT_ID);

  /* An identity of another account no longer describes what is connected. */
  if (self->identity != NULL
      && g_strcmp0 (self->identity->account_id, self->account_id) != 0)
    {
      g_clear_pointer (&self->identity, stompy_aws_identity_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY]);
      update_recommendations (self);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

StompyProducts
stompy_onboarding_get_products (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), STOMPY_PRODUCT_NONE);

  return self->products;
}

void
stompy_onboarding_set_products (StompyOnboarding *self,
                                StompyProducts    products)
{
  g_return_if_fail (STOMPY_IS_ONBOARDING (self));
  g_return_if_fail ((products & ~ALL_PRODUCTS) == 0);

  if (self->products == products)
    return;

  self->products = products;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRODUCTS]);
}

StompyRecommendations
stompy_onboarding_get_recommendations (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), STOMPY_RECOMMEND_NONE);

  return self->recommendations;
}

StompyCurChoice *
stompy_onboarding_get_cur_choice (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);

  return self->cur;
}

StompyStackRecord *
stompy_onboarding_get_stack (StompyOnboarding *self,
                             StompyProducts    product)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);
  g_return_val_if_fail (product == STOMPY_PRODUCT_ANALYSAVER ||
                        product == STOMPY_PRODUCT_SPOTAINER, NULL);

  return product == STOMPY_PRODUCT_ANALYSAVER ? self->analysaver_stack : self->spotainer_stack;
}

StompyConnection *
stompy_onboarding_get_connection (StompyOnboarding *self)
{
  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);

  return self->connection;
}

/* -------------------------------------------------------------- state file */

/* Everything the file holds, parsed completely before any of it is applied so
 * that a damaged file changes nothing. */
typedef struct
{
  StompyStep              step;
  StompyProducts          products;
  char                   *stompy_email;
  char                   *stompy_organization;
  StompyCredentialSource  credential_source;
  char                   *profile;
  char                   *access_key_id;
  char                   *account_id;
  StompyAwsIdentity      *identity;
  /* Parsed into scratch parts first, copied into the model's only when the
   * whole file is good. */
  StompyCurChoice        *cur;
  StompyStackRecord      *analysaver_stack;
  StompyStackRecord      *spotainer_stack;
  StompyConnection       *connection;
} State;

static void
state_clear (State *state)
{
  g_free (state->stompy_email);
  g_free (state->stompy_organization);
  g_free (state->profile);
  g_free (state->access_key_id);
  g_free (state->account_id);
  g_clear_pointer (&state->identity, stompy_aws_identity_free);
  g_clear_object (&state->cur);
  g_clear_object (&state->analysaver_stack);
  g_clear_object (&state->spotainer_stack);
  g_clear_object (&state->connection);
}

/* Copies a part through its own JSON form, so a part has one definition of
 * what it holds. */
static void
copy_part (gpointer  from,
           gpointer  to,
           void    (*to_json) (gpointer, JsonBuilder *),
           gboolean (*load_json) (gpointer, JsonObject *, char **))
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *problem = NULL;

  to_json (from, builder);
  node = json_builder_get_root (builder);
  if (!load_json (to, json_node_get_object (node), &problem))
    g_critical ("A part of the onboarding state did not copy: %s", problem);
}

static void
apply_part (gpointer          from,
            gpointer          to,
            GType             type)
{
  if (type == STOMPY_TYPE_CUR_CHOICE)
    {
      if (from == NULL)
        stompy_cur_choice_clear (to);
      else
        copy_part (from, to, (gpointer) stompy_cur_choice_to_json,
                   (gpointer) stompy_cur_choice_load_json);
    }
  else if (type == STOMPY_TYPE_CONNECTION)
    {
      if (from == NULL)
        stompy_connection_clear (to);
      else
        copy_part (from, to, (gpointer) stompy_connection_to_json,
                   (gpointer) stompy_connection_load_json);
    }
  else
    {
      if (from == NULL)
        stompy_stack_record_clear (to);
      else
        copy_part (from, to, (gpointer) stompy_stack_record_to_json,
                   (gpointer) stompy_stack_record_load_json);
    }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (State, state_clear)

static void
apply_state (StompyOnboarding *self,
             const State      *state)
{
  g_object_freeze_notify (G_OBJECT (self));
  stompy_onboarding_set_step (self, state->step);
  stompy_onboarding_set_products (self, state->products);
  stompy_onboarding_set_stompy_account (self, state->stompy_email, state->stompy_organization);
  stompy_onboarding_set_credential_source (self, state->credential_source);
  stompy_onboarding_set_profile (self, state->profile);
  stompy_onboarding_set_access_key_id (self, state->access_key_id);
  /* The account id first: setting it forgets an identity of another account,
   * and setting the identity then brings its own account id. */
  stompy_onboarding_set_account_id (self, state->account_id);
  stompy_onboarding_set_identity (self, state->identity);
  apply_part (state->cur, self->cur, STOMPY_TYPE_CUR_CHOICE);
  apply_part (state->analysaver_stack, self->analysaver_stack, STOMPY_TYPE_STACK_RECORD);
  apply_part (state->spotainer_stack, self->spotainer_stack, STOMPY_TYPE_STACK_RECORD);
  apply_part (state->connection, self->connection, STOMPY_TYPE_CONNECTION);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
read_products (JsonObject     *object,
               StompyProducts *out,
               char          **problem)
{
  JsonNode *node = json_object_get_member (object, "products");
  g_autoptr(GFlagsClass) klass = NULL;
  JsonArray *array;
  guint n;

  *out = STOMPY_PRODUCT_NONE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      *problem = g_strdup ("\"products\" is not an array");
      return FALSE;
    }

  klass = g_type_class_ref (STOMPY_TYPE_PRODUCTS);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      GFlagsValue *value;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING
          || (value = g_flags_get_value_by_nick (klass, json_node_get_string (element))) == NULL
          || value->value == STOMPY_PRODUCT_NONE)
        {
          *problem = g_strdup ("\"products\" holds an unknown product");
          return FALSE;
        }
      *out |= value->value;
    }

  return TRUE;
}

static gboolean
read_identity (JsonObject         *root,
               StompyAwsIdentity **out,
               char              **problem)
{
  JsonNode *node = json_object_get_member (root, "identity");
  g_autoptr(StompyAwsIdentity) identity = NULL;
  g_autofree char *role = NULL;
  JsonObject *object;
  JsonNode *is_root;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *problem = g_strdup ("\"identity\" is not an object");
      return FALSE;
    }
  object = json_node_get_object (node);

  identity = g_new0 (StompyAwsIdentity, 1);
  if (!stompy_json_read_account_id (object, "account_id", &identity->account_id, problem)
      || !stompy_json_read_string (object, "arn", &identity->arn, problem)
      || !stompy_json_read_string (object, "user_id", &identity->user_id, problem)
      || !stompy_json_read_string (object, "organization_role", &role, problem)
      || !stompy_json_read_string (object, "organization_id", &identity->organization_id, problem)
      || !stompy_json_read_account_id (object, "management_account_id",
                           &identity->management_account_id, problem))
    return FALSE;

  if (identity->account_id == NULL || identity->arn == NULL
      || !g_str_has_prefix (identity->arn, "arn:"))
    {
      *problem = g_strdup ("\"identity\" lacks its account id or ARN");
      return FALSE;
    }

  if (!role_from_string (role, &identity->organization_role))
    {
      *problem = g_strdup ("\"identity.organization_role\" has an unknown value");
      return FALSE;
    }

  is_root = json_object_get_member (object, "is_root");
  if (is_root == NULL || !JSON_NODE_HOLDS_VALUE (is_root)
      || json_node_get_value_type (is_root) != G_TYPE_BOOLEAN)
    {
      *problem = g_strdup ("\"identity.is_root\" is not a boolean");
      return FALSE;
    }
  identity->is_root = json_node_get_boolean (is_root);

  *out = g_steal_pointer (&identity);
  return TRUE;
}

/* "analysaver": { "cur": {…}, "stack": {…} }, "spotainer": { "stack": {…} } */
static gboolean
read_product_parts (JsonObject  *root,
                    State       *state,
                    char       **problem)
{
  JsonObject *analysaver, *spotainer, *part;

  if (!stompy_json_read_object (root, "analysaver", &analysaver, problem)
      || !stompy_json_read_object (root, "spotainer", &spotainer, problem))
    return FALSE;

  if (analysaver != NULL)
    {
      if (!stompy_json_read_object (analysaver, "cur", &part, problem))
        return FALSE;
      if (part != NULL)
        {
          state->cur = stompy_cur_choice_new ();
          if (!stompy_cur_choice_load_json (state->cur, part, problem))
            return FALSE;
        }

      if (!stompy_json_read_object (analysaver, "stack", &part, problem))
        return FALSE;
      if (part != NULL)
        {
          state->analysaver_stack = stompy_stack_record_new ();
          if (!stompy_stack_record_load_json (state->analysaver_stack, part, problem))
            return FALSE;
        }
    }

  if (spotainer != NULL)
    {
      if (!stompy_json_read_object (spotainer, "stack", &part, problem))
        return FALSE;
      if (part != NULL)
        {
          state->spotainer_stack = stompy_stack_record_new ();
          if (!stompy_stack_record_load_json (state->spotainer_stack, part, problem))
            return FALSE;
        }
    }

  return TRUE;
}

/* "connection": {…} (stompy-connection.c) */
static gboolean
read_connection (JsonObject  *root,
                 State       *state,
                 char       **problem)
{
  JsonObject *part;

  if (!stompy_json_read_object (root, "connection", &part, problem))
    return FALSE;
  if (part == NULL)
    return TRUE;

  state->connection = stompy_connection_new ();
  return stompy_connection_load_json (state->connection, part, problem);
}

static gboolean
parse_state (const char *data,
             gsize       length,
             State      *state,
             char      **problem)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonNode *version;
  int step, source;

  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      /* json-glib quotes the bad bytes, which may not be UTF-8 (found by
       * fuzzing); the problem is shown in the window. */
      g_autofree char *reason = g_utf8_make_valid (error->message, -1);

      *problem = g_strdup_printf ("not JSON: %s", reason);
      return FALSE;
    }

  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      *problem = g_strdup ("not a JSON object");
      return FALSE;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  version = json_object_get_member (root, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version)
      || json_node_get_value_type (version) != G_TYPE_INT64)
    {
      *problem = g_strdup ("\"version\" is missing or not an integer");
      return FALSE;
    }
  if (json_node_get_int (version) != STATE_FILE_VERSION)
    {
      *problem = g_strdup_printf ("unknown version %" G_GINT64_FORMAT, json_node_get_int (version));
      return FALSE;
    }

  if (!stompy_json_read_enum (root, "step", STOMPY_TYPE_STEP, STOMPY_STEP_SIGN_IN, &step, problem)
      || !stompy_json_read_enum (root, "credential_source", STOMPY_TYPE_CREDENTIAL_SOURCE,
                     STOMPY_CREDENTIAL_SOURCE_PROFILE, &source, problem)
      || !read_products (root, &state->products, problem)
      || !stompy_json_read_string (root, "stompy_email", &state->stompy_email, problem)
      || !stompy_json_read_string (root, "stompy_organization", &state->stompy_organization, problem)
      || !stompy_json_read_string (root, "profile", &state->profile, problem)
      || !stompy_json_read_string (root, "access_key_id", &state->access_key_id, problem)
      || !stompy_json_read_account_id (root, "account_id", &state->account_id, problem)
      || !read_identity (root, &state->identity, problem)
      || !read_product_parts (root, state, problem)
      || !read_connection (root, state, problem))
    return FALSE;

  state->step = step;
  state->credential_source = source;

  if (state->access_key_id != NULL
      && !stompy_validate_access_key_id (state->access_key_id, NULL, NULL))
    {
      *problem = g_strdup ("\"access_key_id\" is not an access key id");
      return FALSE;
    }

  if (state->identity != NULL && state->account_id != NULL
      && strcmp (state->identity->account_id, state->account_id) != 0)
    {
      *problem = g_strdup ("\"account_id\" is not the identity's account");
      return FALSE;
    }

  return TRUE;
}

/* "<path>.damaged-<YYYYMMDDTHHMMSS>", with "-2", "-3"… should a file of that
 * name exist already (two damaged files in one second). */
static char *
damaged_path (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  char *candidate = g_strdup_printf ("%s.damaged-%s", path, stamp);

  for (guint i = 2; g_file_test (candidate, G_FILE_TEST_EXISTS) && i < 1000; i++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s.damaged-%s-%u", path, stamp, i);
    }

  return candidate;
}

static void
start_fresh (StompyOnboarding *self)
{
  State fresh = {
    .step = STOMPY_STEP_SIGN_IN,
    .credential_source = STOMPY_CREDENTIAL_SOURCE_PROFILE,
  };

  apply_state (self, &fresh);
}

/* Applies the contents when they parse; else starts fresh with *problem set. */
static gboolean
load_data (StompyOnboarding *self,
           const char       *data,
           gsize             length,
           char            **problem)
{
  g_auto(State) state = { 0, };

  if (!parse_state (data, length, &state, problem))
    {
      start_fresh (self);
      return FALSE;
    }

  apply_state (self, &state);
  return TRUE;
}

gboolean
stompy_onboarding_load_from_data (StompyOnboarding *self,
                                  const char       *data,
                                  gsize             length,
                                  GError          **error)
{
  g_autofree char *problem = NULL;
  gboolean ok;

  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  cancel_pending_save (self);
  self->autosave_inhibit++;
  ok = load_data (self, data != NULL ? data : "", length, &problem);
  self->autosave_inhibit--;

  if (!ok)
    g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_STATE_FILE,
                 "The state is damaged (%s)", problem);

  return ok;
}

gboolean
stompy_onboarding_load (StompyOnboarding *self,
                        GError          **error)
{
  g_autofree char *data = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  GStatBuf st;
  gboolean stat_ok;
  gboolean ok;

  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  cancel_pending_save (self);
  self->autosave_inhibit++;

  stat_ok = g_stat (self->path, &st) == 0;
  if (!stat_ok && errno == ENOENT)
    {
      start_fresh (self);
      ok = TRUE;
    }
  else if (stat_ok && S_ISREG (st.st_mode) && st.st_size > STATE_FILE_MAX_SIZE)
    {
      problem = g_strdup ("too large");
      ok = FALSE;
    }
  else if (!g_file_get_contents (self->path, &data, &length, &local_error))
    {
      /* Unreadable (permissions, a directory…) is not damage we can set
       * aside by renaming; say so and start fresh. */
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_STATE_FILE,
                   "Could not read the state file: %s", local_error->message);
      start_fresh (self);
      self->autosave_inhibit--;
      return FALSE;
    }
  else
    {
      ok = load_data (self, data, length, &problem);
    }

  if (!ok)
    {
      g_autofree char *aside = damaged_path (self->path);

      start_fresh (self);

      if (g_rename (self->path, aside) == 0)
        {
          g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_STATE_FILE,
                       "The state file was damaged (%s); it was moved to %s and "
                       "the wizard starts over", problem, aside);
        }
      else
        {
          int saved_errno = errno;

          g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_STATE_FILE,
                       "The state file %s was damaged (%s) and could not be moved "
                       "to %s: %s", self->path, problem, aside, g_strerror (saved_errno));
        }
    }

  self->autosave_inhibit--;
  return ok;
}

static JsonNode *
build_state (StompyOnboarding *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GEnumClass) steps = g_type_class_ref (STOMPY_TYPE_STEP);
  g_autoptr(GEnumClass) sources = g_type_class_ref (STOMPY_TYPE_CREDENTIAL_SOURCE);


  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, STATE_FILE_VERSION);

  json_builder_set_member_name (builder, "step");
  json_builder_add_string_value (builder, g_enum_get_value (steps, self->step)->value_nick);

  json_builder_set_member_name (builder, "products");
  json_builder_begin_array (builder);
  if (self->products & STOMPY_PRODUCT_ANALYSAVER)
    json_builder_add_string_value (builder, "analysaver");
  if (self->products & STOMPY_PRODUCT_SPOTAINER)
    json_builder_add_string_value (builder, "spotainer");
  json_builder_end_array (builder);

  stompy_json_add_string (builder, "stompy_email", self->stompy_email);
  stompy_json_add_string (builder, "stompy_organization", self->stompy_organization);

  json_builder_set_member_name (builder, "credential_source");
  json_builder_add_string_value (builder,
                                 g_enum_get_value (sources, self->credential_source)->value_nick);
  stompy_json_add_string (builder, "profile", self->profile);
  stompy_json_add_string (builder, "access_key_id", self->access_key_id);
  stompy_json_add_string (builder, "account_id", self->account_id);

  json_builder_set_member_name (builder, "identity");
  if (self->identity != NULL)
    {
      json_builder_begin_object (builder);
      stompy_json_add_string (builder, "account_id", self->identity->account_id);
      stompy_json_add_string (builder, "arn", self->identity->arn);
      stompy_json_add_string (builder, "user_id", self->identity->user_id);
      json_builder_set_member_name (builder, "is_root");
      json_builder_add_boolean_value (builder, self->identity->is_root);
      stompy_json_add_string (builder, "organization_role", role_to_string (self->identity->organization_role));
      stompy_json_add_string (builder, "organization_id", self->identity->organization_id);
      stompy_json_add_string (builder, "management_account_id", self->identity->management_account_id);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }

  json_builder_set_member_name (builder, "analysaver");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cur");
  stompy_cur_choice_to_json (self->cur, builder);
  json_builder_set_member_name (builder, "stack");
  stompy_stack_record_to_json (self->analysaver_stack, builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "spotainer");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stack");
  stompy_stack_record_to_json (self->spotainer_stack, builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "connection");
  stompy_connection_to_json (self->connection, builder);

  json_builder_end_object (builder);


  return json_builder_get_root (builder);
}

char *
stompy_onboarding_to_data (StompyOnboarding *self,
                           gsize            *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), NULL);

  root = build_state (self);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}

gboolean
stompy_onboarding_save (StompyOnboarding *self,
                        GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (STOMPY_IS_ONBOARDING (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* An explicit save makes a pending automatic one redundant. */
  cancel_pending_save (self);

  data = stompy_onboarding_to_data (self, &length);

  /* The directory is private like the file: it may show which accounts the
   * user works with. */
  directory = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (&local_error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create %s: %s", directory, g_strerror (saved_errno));
    }
  else
    {
      g_file_set_contents_full (self->path, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                0600, &local_error);
    }

  g_clear_error (&self->save_error);
  if (local_error != NULL)
    {
      self->save_error = g_error_copy (local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->save_count++;
  return TRUE;
}

void
stompy_onboarding_reset (StompyOnboarding *self)
{
  g_return_if_fail (STOMPY_IS_ONBOARDING (self));

  cancel_pending_save (self);

  self->autosave_inhibit++;
  start_fresh (self);
  self->autosave_inhibit--;

  if (g_unlink (self->path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_message ("Could not delete the state file %s: %s", self->path, g_strerror (saved_errno));
    }

  g_clear_error (&self->save_error);
}
