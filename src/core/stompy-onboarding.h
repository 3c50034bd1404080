/* stompy-onboarding.h — the one model of the wizard
 *
 * Everything the user has decided or the app has found out, as properties the
 * pages and the status panel bind to; saved (without any secret) as a small
 * JSON file under the XDG state directory so the next start resumes there.
 */
#pragma once

#include <gio/gio.h>

#include "stompy-aws-identity.h"
#include "stompy-connection.h"
#include "stompy-cur-choice.h"
#include "stompy-stack-record.h"

G_BEGIN_DECLS

typedef enum
{
  STOMPY_STEP_SIGN_IN,
  STOMPY_STEP_PRODUCTS,
  STOMPY_STEP_ANALYSAVER,
  STOMPY_STEP_SPOTAINER,
  STOMPY_STEP_CONNECT,
  STOMPY_STEP_DONE,
} StompyStep;

typedef enum /*< flags >*/
{
  STOMPY_PRODUCT_NONE       = 0,
  STOMPY_PRODUCT_ANALYSAVER = 1 << 0,
  STOMPY_PRODUCT_SPOTAINER  = 1 << 1,
} StompyProducts;

typedef enum
{
  STOMPY_CREDENTIAL_SOURCE_PROFILE,      /* an AWS CLI profile */
  STOMPY_CREDENTIAL_SOURCE_ENVIRONMENT,  /* AWS_ACCESS_KEY_ID & co */
  STOMPY_CREDENTIAL_SOURCE_TYPED,        /* keys typed into the app */
  STOMPY_CREDENTIAL_SOURCE_GUIDED,       /* no credentials: console links and pasted values */
} StompyCredentialSource;

/* The seed document's three recommendations (第二步). */
typedef enum /*< flags >*/
{
  STOMPY_RECOMMEND_NONE                   = 0,
  /* No special account habits: the management (root) account, both products. */
  STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT   = 1 << 0,
  /* A dedicated production account that runs the instances: SpoTainer there. */
  STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION = 1 << 1,
  /* Organization-wide advice: a separate Stompy account, AnalySaver from the management account. */
  STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE    = 1 << 2,
} StompyRecommendations;

GType                 stompy_step_get_type               (void) G_GNUC_CONST;
GType                 stompy_products_get_type           (void) G_GNUC_CONST;
GType                 stompy_credential_source_get_type  (void) G_GNUC_CONST;
#define STOMPY_TYPE_STEP              (stompy_step_get_type ())
#define STOMPY_TYPE_PRODUCTS          (stompy_products_get_type ())
#define STOMPY_TYPE_CREDENTIAL_SOURCE (stompy_credential_source_get_type ())
GType                 stompy_recommendations_get_type    (void) G_GNUC_CONST;
#define STOMPY_TYPE_RECOMMENDATIONS   (stompy_recommendations_get_type ())

/* Which recommendations apply to an identity (role UNKNOWN → all three, as the
 * app cannot tell). */
StompyRecommendations stompy_recommendations_for          (StompyOrganizationRole role,
                                                           gboolean               is_root);

#define STOMPY_TYPE_ONBOARDING (stompy_onboarding_get_type ())

G_DECLARE_FINAL_TYPE (StompyOnboarding, stompy_onboarding, STOMPY, ONBOARDING, GObject)

/* The default state file: $XDG_STATE_HOME/stompy-connect/state.json */
char                 *stompy_onboarding_default_path      (void) G_GNUC_WARN_UNUSED_RESULT;

/* @path NULL = the default path. Nothing is read until _load(). */
StompyOnboarding     *stompy_onboarding_new               (const char *path);
const char           *stompy_onboarding_get_path          (StompyOnboarding *self);

/* Reads the state file (small; the one file read before the first frame).
 * A missing file is a fresh start (TRUE). A damaged file or one of an unknown
 * version is renamed aside to "<path>.damaged-<timestamp>" and the model starts
 * fresh; FALSE with STOMPY_ERROR_STATE_FILE whose message names the new path. */
gboolean              stompy_onboarding_load              (StompyOnboarding *self,
                                                           GError          **error);
/* Reads state-file contents as _load() does, without touching the disk: FALSE
 * with STOMPY_ERROR_STATE_FILE naming the problem (the model then starts fresh).
 * For tests and fuzzing. */
gboolean              stompy_onboarding_load_from_data    (StompyOnboarding *self,
                                                           const char       *data,
                                                           gsize             length,
                                                           GError          **error);
/* The state file's contents for the current state, as _save() writes them. */
char                 *stompy_onboarding_to_data           (StompyOnboarding *self,
                                                           gsize            *length) G_GNUC_WARN_UNUSED_RESULT;
/* Writes atomically (write to a temporary file, then rename). */
gboolean              stompy_onboarding_save              (StompyOnboarding *self,
                                                           GError          **error);
/* Forget everything and delete the file ("Start over"). */
void                  stompy_onboarding_reset             (StompyOnboarding *self);
/* When TRUE (the default) every property change is saved, coalesced in an idle. */
void                  stompy_onboarding_set_autosave      (StompyOnboarding *self,
                                                           gboolean          autosave);
gboolean              stompy_onboarding_get_autosave      (StompyOnboarding *self);
/* The error of the last automatic save, NULL when it succeeded (autosave
 * failures are not fatal: they are logged with g_message and kept here). */
const GError         *stompy_onboarding_get_save_error    (StompyOnboarding *self);
/* The number of successful writes of the file, for tests of the coalescing. */
guint                 stompy_onboarding_get_save_count    (StompyOnboarding *self);

StompyStep            stompy_onboarding_get_step          (StompyOnboarding *self);
void                  stompy_onboarding_set_step          (StompyOnboarding *self,
                                                           StompyStep        step);
/* The step after / before @step given the chosen products (skips AnalySaver or
 * SpoTainer when not chosen). */
StompyStep            stompy_onboarding_next_step         (StompyOnboarding *self,
                                                           StompyStep        step);
StompyStep            stompy_onboarding_previous_step     (StompyOnboarding *self,
                                                           StompyStep        step);

/* Stompy account (the token itself is in the keyring, never here). */
const char           *stompy_onboarding_get_stompy_email  (StompyOnboarding *self);
const char           *stompy_onboarding_get_stompy_organization (StompyOnboarding *self);
void                  stompy_onboarding_set_stompy_account (StompyOnboarding *self,
                                                           const char       *email,
                                                           const char       *organization_name);

/* AWS credentials choice (never the secret). */
StompyCredentialSource stompy_onboarding_get_credential_source (StompyOnboarding *self);
void                  stompy_onboarding_set_credential_source (StompyOnboarding *self,
                                                           StompyCredentialSource source);
const char           *stompy_onboarding_get_profile       (StompyOnboarding *self);
void                  stompy_onboarding_set_profile       (StompyOnboarding *self,
                                                           const char       *profile);
/* The typed access key id, kept so the secret can be found again in the keyring. */
const char           *stompy_onboarding_get_access_key_id (StompyOnboarding *self);
void                  stompy_onboarding_set_access_key_id (StompyOnboarding *self,
                                                           const char       *access_key_id);

/* The verified identity; NULL until verified. Setting one clears the products'
 * recommendations cache; setting NULL forgets it. */
const StompyAwsIdentity *stompy_onboarding_get_identity   (StompyOnboarding *self);
void                  stompy_onboarding_set_identity      (StompyOnboarding *self,
                                                           const StompyAwsIdentity *identity);
/* In guided mode the user types the 12-digit account id instead. Setting an
 * identity sets the account id to the identity's; setting another account id
 * forgets an identity of a different account. NULL or "" forgets it; anything
 * else must pass stompy_validate_account_id(). */
const char           *stompy_onboarding_get_account_id    (StompyOnboarding *self);
void                  stompy_onboarding_set_account_id    (StompyOnboarding *self,
                                                           const char       *account_id);

StompyProducts        stompy_onboarding_get_products      (StompyOnboarding *self);
void                  stompy_onboarding_set_products      (StompyOnboarding *self,
                                                           StompyProducts    products);
StompyRecommendations stompy_onboarding_get_recommendations (StompyOnboarding *self);

/* The AnalySaver step's report choice, and each product's role stack. The
 * model owns them (never NULL); their changes are saved like its own, and
 * "Start Over" clears them. */
StompyCurChoice      *stompy_onboarding_get_cur_choice    (StompyOnboarding *self);
StompyStackRecord    *stompy_onboarding_get_stack         (StompyOnboarding *self,
                                                           StompyProducts    product);
/* The Connect step's request key and Stompy's last answer (never NULL). */
StompyConnection     *stompy_onboarding_get_connection    (StompyOnboarding *self);

G_END_DECLS
