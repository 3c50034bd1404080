/* test-onboarding.c — the wizard's model and its state file */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "stompy-error.h"
#include "stompy-onboarding.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("stompy-onboarding-XXXXXX", &error);
  g_assert_no_error (error);
  /* A directory that does not exist yet: saving must create it. */
  fixture->path = g_build_filename (fixture->dir, "stompy-connect", "state.json", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static StompyAwsIdentity *
make_identity (const char             *account_id,
               const char             *arn,
               StompyOrganizationRole  role,
               gboolean                is_root)
{
  StompyAwsIdentity *identity = g_new0 (StompyAwsIdentity, 1);

  identity->account_id = g_strdup (account_id);
  identity->arn = g_strdup (arn);
  identity->user_id = g_strdup ("AIDAEMULATORMGMT0001");
  identity->is_root = is_root;
  identity->organization_role = role;
  if (role == STOMPY_ORGANIZATION_ROLE_MANAGEMENT || role == STOMPY_ORGANIZATION_ROLE_MEMBER)
    {
      identity->organization_id = g_strdup ("o-emulator01");
      identity->management_account_id = g_strdup ("210987654321");
    }

  return identity;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the default context until the model has written @count times, failing
 * the test after 5 s; then drains what is pending. */
static void
wait_for_save_count (StompyOnboarding *model,
                     guint             count)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (5, timeout_cb, &timed_out);

  while (stompy_onboarding_get_save_count (model) < count && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
assert_fresh (StompyOnboarding *model)
{
  g_assert_cmpint (stompy_onboarding_get_step (model), ==, STOMPY_STEP_SIGN_IN);
  g_assert_cmpint (stompy_onboarding_get_products (model), ==, STOMPY_PRODUCT_NONE);
  g_assert_null (stompy_onboarding_get_stompy_email (model));
  g_assert_null (stompy_onboarding_get_stompy_organization (model));
  g_assert_cmpint (stompy_onboarding_get_credential_source (model), ==,
                   STOMPY_CREDENTIAL_SOURCE_PROFILE);
  g_assert_null (stompy_onboarding_get_profile (model));
  g_assert_null (stompy_onboarding_get_access_key_id (model));
  g_assert_null (stompy_onboarding_get_account_id (model));
  g_assert_null (stompy_onboarding_get_identity (model));
  g_assert_cmpint (stompy_cur_choice_get_origin (stompy_onboarding_get_cur_choice (model)), ==,
                   STOMPY_CUR_ORIGIN_NONE);
  g_assert_null (stompy_stack_record_get_stack_name (
                   stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER)));
  g_assert_null (stompy_stack_record_get_role_arn (
                   stompy_onboarding_get_stack (model, STOMPY_PRODUCT_SPOTAINER)));
}

static void
fill_every_field (StompyOnboarding *model)
{
  g_autoptr(StompyAwsIdentity) identity =
    make_identity ("345678901234", "arn:aws:iam::345678901234:user/platform",
                   STOMPY_ORGANIZATION_ROLE_MEMBER, FALSE);

  stompy_onboarding_set_step (model, STOMPY_STEP_SPOTAINER);
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
  stompy_onboarding_set_stompy_account (model, "ops@example.com", "Example Ltd “示例”");
  stompy_onboarding_set_credential_source (model, STOMPY_CREDENTIAL_SOURCE_TYPED);
  stompy_onboarding_set_profile (model, "emulator-member");
  stompy_onboarding_set_access_key_id (model, "AKIAEMULATORMEMBER01");
  stompy_onboarding_set_identity (model, identity);
}

static void
assert_every_field (StompyOnboarding *model)
{
  const StompyAwsIdentity *identity;

  g_assert_cmpint (stompy_onboarding_get_step (model), ==, STOMPY_STEP_SPOTAINER);
  g_assert_cmpint (stompy_onboarding_get_products (model), ==,
                   STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
  g_assert_cmpstr (stompy_onboarding_get_stompy_email (model), ==, "ops@example.com");
  g_assert_cmpstr (stompy_onboarding_get_stompy_organization (model), ==, "Example Ltd “示例”");
  g_assert_cmpint (stompy_onboarding_get_credential_source (model), ==,
                   STOMPY_CREDENTIAL_SOURCE_TYPED);
  g_assert_cmpstr (stompy_onboarding_get_profile (model), ==, "emulator-member");
  g_assert_cmpstr (stompy_onboarding_get_access_key_id (model), ==, "AKIAEMULATORMEMBER01");
  g_assert_cmpstr (stompy_onboarding_get_account_id (model), ==, "345678901234");

  identity = stompy_onboarding_get_identity (model);
  g_assert_nonnull (identity);
  g_assert_cmpstr (identity->account_id, ==, "345678901234");
  g_assert_cmpstr (identity->arn, ==, "arn:aws:iam::345678901234:user/platform");
  g_assert_cmpstr (identity->user_id, ==, "AIDAEMULATORMGMT0001");
  g_assert_false (identity->is_root);
  g_assert_cmpint (identity->organization_role, ==, STOMPY_ORGANIZATION_ROLE_MEMBER);
  g_assert_cmpstr (identity->organization_id, ==, "o-emulator01");
  g_assert_cmpstr (identity->management_account_id, ==, "210987654321");
  g_assert_cmpint (stompy_onboarding_get_recommendations (model), ==,
                   STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (fixture->path);
  g_autoptr(StompyOnboarding) loaded = stompy_onboarding_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *contents = NULL;
  GStatBuf st;

  stompy_onboarding_set_autosave (model, FALSE);
  stompy_onboarding_set_autosave (loaded, FALSE);
  fill_every_field (model);
  g_assert_true (stompy_onboarding_save (model, &error));
  g_assert_no_error (error);

  g_assert_true (stompy_onboarding_load (loaded, &error));
  g_assert_no_error (error);
  assert_every_field (loaded);

  /* Private: the file 0600 in a 0700 directory. */
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* The documented format, with nothing of a secret's name in it. */
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"version\" : 1"));
  g_assert_null (strstr (contents, "secret"));
  /* The only "token" is CloudFormation's ClientRequestToken, an idempotency
   * key that is no secret; no session or Stompy token may appear. */
  for (const char *p = strstr (contents, "token"); p != NULL; p = strstr (p + 1, "token"))
    g_assert_true (p - contents >= 15 && strncmp (p - 15, "client-request-", 15) == 0);
  g_assert_null (strstr (contents, "password"));
}

static void
test_missing_is_fresh (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (fixture->path);
  g_autoptr(GError) error = NULL;

  g_assert_true (stompy_onboarding_load (model, &error));
  g_assert_no_error (error);
  assert_fresh (model);
  g_assert_cmpint (stompy_onboarding_get_recommendations (model), ==,
                   STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT | STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION
                   | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE);
  /* Loading does not write. */
  drain_main_context ();
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

static void
test_mode_of_existing_file (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (fixture->path);
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  /* A world-readable file left by something else becomes private once saved. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents_full (fixture->path, "{\"version\": 1}", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0644, NULL));
  g_assert_true (stompy_onboarding_load (model, &error));
  g_assert_no_error (error);
  stompy_onboarding_set_step (model, STOMPY_STEP_PRODUCTS);
  g_assert_true (stompy_onboarding_save (model, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_autosave_coalesces (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (fixture->path);
  g_autoptr(StompyOnboarding) loaded = stompy_onboarding_new (fixture->path);
  g_autoptr(GError) error = NULL;

  g_assert_true (stompy_onboarding_get_autosave (model));
  g_assert_true (stompy_onboarding_load (model, &error));
  g_assert_no_error (error);

  fill_every_field (model);
  stompy_onboarding_set_step (model, STOMPY_STEP_CONNECT);
  stompy_onboarding_set_step (model, STOMPY_STEP_SPOTAINER);

  /* Nothing is written synchronously… */
  g_assert_cmpuint (stompy_onboarding_get_save_count (model), ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  /* …and the whole burst is written once. */
  wait_for_save_count (model, 1);
  g_assert_cmpuint (stompy_onboarding_get_save_count (model), ==, 1);
  g_assert_null (stompy_onboarding_get_save_error (model));

  stompy_onboarding_set_autosave (loaded, FALSE);
  g_assert_true (stompy_onboarding_load (loaded, &error));
  g_assert_no_error (error);
  assert_every_field (loaded);

  /* A later change is another write; setting a value to what it is, none. */
  stompy_onboarding_set_profile (model, "emulator-member");
  stompy_onboarding_set_step (model, STOMPY_STEP_SPOTAINER);
  drain_main_context ();
  g_assert_cmpuint (stompy_onboarding_get_save_count (model), ==, 1);
  stompy_onboarding_set_profile (model, "default");
  wait_for_save_count (model, 2);
  g_assert_cmpuint (stompy_onboarding_get_save_count (model), ==, 2);
}

static void
test_autosave_off (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (fixture->path);

  stompy_onboarding_set_step (model, STOMPY_STEP_PRODUCTS);
  stompy_onboarding_set_autosave (model, FALSE);
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_SPOTAINER);
  drain_main_context ();
  g_assert_cmpuint (stompy_onboarding_get_save_count (model), ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

static void
test_pending_save_written_on_dispose (Fixture       *fixture,
                                      gconstpointer  data)
{
  StompyOnboarding *model = stompy_onboarding_new (fixture->path);
  g_autoptr(StompyOnboarding) loaded = stompy_onboarding_new (fixture->path);
  g_autoptr(GError) error = NULL;

  stompy_onboarding_set_step (model, STOMPY_STEP_CONNECT);
  g_assert_finalize_object (model);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));

  g_assert_true (stompy_onboarding_load (loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stompy_onboarding_get_step (loaded), ==, STOMPY_STEP_CONNECT);
  drain_main_context ();
}

static void
test_autosave_error_kept (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (fixture->dir, "not-a-directory", NULL);
  g_autofree char *path = g_build_filename (blocker, "state.json", NULL);
  g_autoptr(StompyOnboarding) model = NULL;
  gboolean timed_out = FALSE;
  guint id;

  /* A regular file where the directory should be: the save cannot succeed. */
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  model = stompy_onboarding_new (path);
  stompy_onboarding_set_step (model, STOMPY_STEP_PRODUCTS);

  id = g_timeout_add_seconds (5, timeout_cb, &timed_out);
  while (stompy_onboarding_get_save_error (model) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  g_assert_nonnull (stompy_onboarding_get_save_error (model));
  g_assert_cmpuint (stompy_onboarding_get_save_count (model), ==, 0);
  /* The model itself goes on working. */
  g_assert_cmpint (stompy_onboarding_get_step (model), ==, STOMPY_STEP_PRODUCTS);
  stompy_onboarding_set_autosave (model, FALSE);
}

typedef struct
{
  const char *name;
  const char *contents;
  gssize      length;
} DamagedCase;

/* Binary, with NUL bytes: its length is counted by the compiler, not by strlen(). */
#define GARBAGE "\x89PNG\r\n\x1a\n\x00\x01\x02 not json at all"

static const DamagedCase damaged_cases[] = {
  { "garbage", GARBAGE, sizeof (GARBAGE) - 1 },
  { "empty", "", 0 },
  { "truncated", "{\"version\": 1, \"step\": \"prod", -1 },
  { "not-an-object", "[1, 2, 3]", -1 },
  { "no-version", "{\"step\": \"products\"}", -1 },
  { "version-2", "{\"version\": 2, \"step\": \"products\"}", -1 },
  { "version-as-string", "{\"version\": \"1\"}", -1 },
  { "version-as-float", "{\"version\": 1.5}", -1 },
  { "step-wrong-type", "{\"version\": 1, \"step\": 3}", -1 },
  { "step-out-of-range", "{\"version\": 1, \"step\": \"step-99\"}", -1 },
  { "products-not-array", "{\"version\": 1, \"products\": 3}", -1 },
  { "products-unknown", "{\"version\": 1, \"products\": [\"analysaver\", \"rocket\"]}", -1 },
  { "products-none-nick", "{\"version\": 1, \"products\": [\"none\"]}", -1 },
  { "products-number", "{\"version\": 1, \"products\": [4]}", -1 },
  { "email-wrong-type", "{\"version\": 1, \"stompy_email\": {\"a\": 1}}", -1 },
  { "email-control-char", "{\"version\": 1, \"stompy_email\": \"ops@example.com\\n\"}", -1 },
  { "source-unknown", "{\"version\": 1, \"credential_source\": \"clipboard\"}", -1 },
  { "account-id-short", "{\"version\": 1, \"account_id\": \"12345\"}", -1 },
  { "account-id-number", "{\"version\": 1, \"account_id\": 210987654321}", -1 },
  { "access-key-id-bad", "{\"version\": 1, \"access_key_id\": \"not-a-key\"}", -1 },
  { "identity-wrong-type", "{\"version\": 1, \"identity\": \"root\"}", -1 },
  { "identity-missing-arn",
    "{\"version\": 1, \"identity\": {\"account_id\": \"210987654321\", \"is_root\": false, "
    "\"organization_role\": \"management\"}}", -1 },
  { "identity-bad-role",
    "{\"version\": 1, \"identity\": {\"account_id\": \"210987654321\", "
    "\"arn\": \"arn:aws:iam::210987654321:root\", \"is_root\": true, "
    "\"organization_role\": \"overlord\"}}", -1 },
  { "identity-is-root-string",
    "{\"version\": 1, \"identity\": {\"account_id\": \"210987654321\", "
    "\"arn\": \"arn:aws:iam::210987654321:root\", \"is_root\": \"yes\", "
    "\"organization_role\": \"management\"}}", -1 },
  { "identity-other-account",
    "{\"version\": 1, \"account_id\": \"345678901234\", \"identity\": {\"account_id\": "
    "\"210987654321\", \"arn\": \"arn:aws:iam::210987654321:root\", \"is_root\": true, "
    "\"organization_role\": \"management\"}}", -1 },
  { "analysaver-not-object", "{\"version\": 1, \"analysaver\": [1]}", -1 },
  { "cur-kind-unknown",
    "{\"version\": 1, \"analysaver\": {\"cur\": {\"kind\": \"cur3\"}}}", -1 },
  { "cur-origin-without-bucket",
    "{\"version\": 1, \"analysaver\": {\"cur\": {\"origin\": \"created\", "
    "\"report_name\": \"stompy-cur\"}}}", -1 },
  { "cur-confirmed-string",
    "{\"version\": 1, \"analysaver\": {\"cur\": {\"billing_access_confirmed\": \"yes\"}}}", -1 },
  { "stack-role-arn-not-role",
    "{\"version\": 1, \"spotainer\": {\"stack\": {\"role-arn\": "
    "\"arn:aws:s3:::stompy-cur\"}}}", -1 },
  { "stack-name-wrong-type",
    "{\"version\": 1, \"spotainer\": {\"stack\": {\"stack-name\": 7}}}", -1 },
  { "connection-not-object", "{\"version\": 1, \"connection\": 3}", -1 },
  { "connection-key-not-uuid",
    "{\"version\": 1, \"connection\": {\"account_id\": \"210987654321\", "
    "\"idempotency_key\": \"not-a-uuid\", \"request_digest\": "
    "\"0000000000000000000000000000000000000000000000000000000000000000\"}}", -1 },
  { "connection-key-without-digest",
    "{\"version\": 1, \"connection\": {\"account_id\": \"210987654321\", "
    "\"idempotency_key\": \"5b0c0f0e-1111-4222-8333-944445555666\"}}", -1 },
  { "connection-status-unknown",
    "{\"version\": 1, \"connection\": {\"account_id\": \"210987654321\", "
    "\"status\": \"exploded\", \"checks\": []}}", -1 },
  { "connection-check-status-unknown",
    "{\"version\": 1, \"connection\": {\"account_id\": \"210987654321\", "
    "\"status\": \"verifying\", \"checks\": [{\"id\": \"read_cur_bucket\", "
    "\"status\": \"maybe\", \"message\": \"\"}]}}", -1 },
  { "connection-checks-without-status",
    "{\"version\": 1, \"connection\": {\"account_id\": \"210987654321\", "
    "\"checks\": [{\"id\": \"read_cur_bucket\", \"status\": \"ok\"}]}}", -1 },
};

static void
test_damaged (Fixture       *fixture,
              gconstpointer  data)
{
  const DamagedCase *c = data;
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (fixture->path);
  g_autoptr(StompyOnboarding) again = stompy_onboarding_new (fixture->path);
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *aside = NULL;
  g_autofree char *aside_contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gsize aside_length;
  gsize length = c->length >= 0 ? (gsize) c->length : strlen (c->contents);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, c->contents, length, NULL));

  /* Whatever the model held before, a damaged file leaves it fresh. */
  stompy_onboarding_set_autosave (model, FALSE);
  stompy_onboarding_set_step (model, STOMPY_STEP_CONNECT);
  stompy_onboarding_set_profile (model, "before");
  stompy_stack_record_set_stack_name (stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER),
                                      "before");

  g_assert_false (stompy_onboarding_load (model, &error));
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_STATE_FILE);
  assert_fresh (model);

  /* Moved aside, intact, under the name the error gives. */
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  listing = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      if (g_str_has_prefix (name, "state.json.damaged-"))
        {
          g_assert_null (aside);
          aside = g_build_filename (dir, name, NULL);
        }
    }
  g_assert_nonnull (aside);
  /* "<path>.damaged-YYYYMMDDTHHMMSS" */
  g_assert_cmpuint (strlen (aside), ==, strlen (fixture->path) + strlen (".damaged-") + 15);
  g_assert_cmpint (aside[strlen (fixture->path) + strlen (".damaged-") + 8], ==, 'T');
  g_assert_nonnull (strstr (error->message, aside));
  g_assert_true (g_file_get_contents (aside, &aside_contents, &aside_length, NULL));
  g_assert_cmpmem (aside_contents, aside_length, c->contents, length);

  /* The fresh model is usable: it saves, and what it saved loads. */
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_ANALYSAVER);
  g_clear_error (&error);
  g_assert_true (stompy_onboarding_save (model, &error));
  g_assert_no_error (error);
  stompy_onboarding_set_autosave (again, FALSE);
  g_assert_true (stompy_onboarding_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stompy_onboarding_get_products (again), ==, STOMPY_PRODUCT_ANALYSAVER);
}

static void
test_damaged_twice_keeps_both (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (fixture->path);
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(GDir) listing = NULL;
  guint n_aside = 0;

  stompy_onboarding_set_autosave (model, FALSE);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_set_contents (fixture->path, "{", -1, NULL));
      g_assert_false (stompy_onboarding_load (model, &error));
      g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_STATE_FILE);
    }

  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_aside++;
  g_assert_cmpuint (n_aside, ==, 2);
}

static void
test_unknown_members_ignored (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (fixture->path);
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  /* A member this version does not know, even one that looks like a secret,
   * is neither an error nor kept: the next save drops it. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path,
                                      "{\"version\": 1, \"step\": \"products\", "
                                      "\"secret_access_key\": \"x\", \"future\": [1]}",
                                      -1, NULL));
  stompy_onboarding_set_autosave (model, FALSE);
  g_assert_true (stompy_onboarding_load (model, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stompy_onboarding_get_step (model), ==, STOMPY_STEP_PRODUCTS);

  g_assert_true (stompy_onboarding_save (model, &error));
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "secret"));
  g_assert_null (strstr (contents, "future"));
}

static void
test_reset (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (fixture->path);

  fill_every_field (model);
  wait_for_save_count (model, 1);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));

  stompy_onboarding_set_step (model, STOMPY_STEP_DONE);
  stompy_onboarding_reset (model);
  assert_fresh (model);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  /* Neither the change pending before the reset nor the reset itself writes
   * the file back. */
  drain_main_context ();
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (stompy_onboarding_get_save_count (model), ==, 1);
}

static void
test_default_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_state_dir (), "stompy-connect",
                                                "state.json", NULL);
  g_autofree char *path = stompy_onboarding_default_path ();
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (stompy_onboarding_get_path (model), ==, expected);
  stompy_onboarding_set_autosave (model, FALSE);
}

/* ------------------------------------------------------------- navigation */

typedef struct
{
  StompyProducts products;
  StompyStep     path[6];
  guint          n;
} NavigationCase;

static void
test_navigation (void)
{
  static const NavigationCase cases[] = {
    { STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER,
      { STOMPY_STEP_SIGN_IN, STOMPY_STEP_PRODUCTS, STOMPY_STEP_ANALYSAVER, STOMPY_STEP_SPOTAINER,
        STOMPY_STEP_CONNECT, STOMPY_STEP_DONE }, 6 },
    { STOMPY_PRODUCT_ANALYSAVER,
      { STOMPY_STEP_SIGN_IN, STOMPY_STEP_PRODUCTS, STOMPY_STEP_ANALYSAVER,
        STOMPY_STEP_CONNECT, STOMPY_STEP_DONE }, 5 },
    { STOMPY_PRODUCT_SPOTAINER,
      { STOMPY_STEP_SIGN_IN, STOMPY_STEP_PRODUCTS, STOMPY_STEP_SPOTAINER,
        STOMPY_STEP_CONNECT, STOMPY_STEP_DONE }, 5 },
    { STOMPY_PRODUCT_NONE,
      { STOMPY_STEP_SIGN_IN, STOMPY_STEP_PRODUCTS, STOMPY_STEP_CONNECT, STOMPY_STEP_DONE }, 4 },
  };
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new ("/nonexistent/state.json");

  stompy_onboarding_set_autosave (model, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const NavigationCase *c = &cases[i];

      stompy_onboarding_set_products (model, c->products);
      for (guint j = 0; j + 1 < c->n; j++)
        {
          g_assert_cmpint (stompy_onboarding_next_step (model, c->path[j]), ==, c->path[j + 1]);
          g_assert_cmpint (stompy_onboarding_previous_step (model, c->path[j + 1]), ==, c->path[j]);
        }
      /* The ends stay where they are. */
      g_assert_cmpint (stompy_onboarding_next_step (model, STOMPY_STEP_DONE), ==, STOMPY_STEP_DONE);
      g_assert_cmpint (stompy_onboarding_previous_step (model, STOMPY_STEP_SIGN_IN), ==,
                       STOMPY_STEP_SIGN_IN);
    }
}

/* -------------------------------------------------------- recommendations */

static void
test_recommendations_table (void)
{
  static const struct {
    StompyOrganizationRole role;
    gboolean               is_root;
    StompyRecommendations  expected;
  } cases[] = {
    { STOMPY_ORGANIZATION_ROLE_MANAGEMENT, TRUE,
      STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE },
    { STOMPY_ORGANIZATION_ROLE_MANAGEMENT, FALSE,
      STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE },
    { STOMPY_ORGANIZATION_ROLE_MEMBER, FALSE,
      STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE },
    { STOMPY_ORGANIZATION_ROLE_MEMBER, TRUE,
      STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE },
    { STOMPY_ORGANIZATION_ROLE_STANDALONE, FALSE, STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT },
    { STOMPY_ORGANIZATION_ROLE_STANDALONE, TRUE, STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT },
    { STOMPY_ORGANIZATION_ROLE_UNKNOWN, FALSE,
      STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT | STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION
      | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE },
    { STOMPY_ORGANIZATION_ROLE_UNKNOWN, TRUE,
      STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT | STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION
      | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (stompy_recommendations_for (cases[i].role, cases[i].is_root), ==,
                     cases[i].expected);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GHashTable *counts = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
count (GHashTable *counts,
       const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_recommendations_follow_identity (void)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new ("/nonexistent/state.json");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(StompyAwsIdentity) root =
    make_identity ("210987654321", "arn:aws:iam::210987654321:root",
                   STOMPY_ORGANIZATION_ROLE_MANAGEMENT, TRUE);
  g_autoptr(StompyAwsIdentity) member =
    make_identity ("345678901234", "arn:aws:iam::345678901234:user/platform",
                   STOMPY_ORGANIZATION_ROLE_MEMBER, FALSE);
  StompyRecommendations recommendations;

  stompy_onboarding_set_autosave (model, FALSE);
  g_signal_connect (model, "notify", G_CALLBACK (count_notify_cb), counts);

  stompy_onboarding_set_identity (model, root);
  g_object_get (model, "recommendations", &recommendations, NULL);
  g_assert_cmpint (recommendations, ==,
                   STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE);
  g_assert_cmpstr (stompy_onboarding_get_account_id (model), ==, "210987654321");
  g_assert_cmpuint (count (counts, "recommendations"), ==, 1);
  g_assert_cmpuint (count (counts, "identity"), ==, 1);
  g_assert_cmpuint (count (counts, "account-id"), ==, 1);

  /* The same identity again (a copy) changes nothing. */
  stompy_onboarding_set_identity (model, root);
  g_assert_cmpuint (count (counts, "identity"), ==, 1);

  stompy_onboarding_set_identity (model, member);
  g_assert_cmpint (stompy_onboarding_get_recommendations (model), ==,
                   STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE);
  g_assert_cmpuint (count (counts, "recommendations"), ==, 2);

  /* Typing another account id forgets the identity of the old one. */
  stompy_onboarding_set_account_id (model, "456789012345");
  g_assert_null (stompy_onboarding_get_identity (model));
  g_assert_cmpuint (count (counts, "identity"), ==, 3);
  g_assert_cmpint (stompy_onboarding_get_recommendations (model), ==,
                   STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT | STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION
                   | STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE);
}

/* ------------------------------------------------------------- properties */

static void
test_notify_only_on_change (void)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new ("/nonexistent/state.json");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  StompyStep step;
  StompyProducts products;
  StompyCredentialSource source;
  g_autofree char *email = NULL;

  stompy_onboarding_set_autosave (model, FALSE);
  g_signal_connect (model, "notify", G_CALLBACK (count_notify_cb), counts);

  stompy_onboarding_set_step (model, STOMPY_STEP_PRODUCTS);
  stompy_onboarding_set_step (model, STOMPY_STEP_PRODUCTS);
  g_object_set (model, "step", STOMPY_STEP_PRODUCTS, NULL);
  g_assert_cmpuint (count (counts, "step"), ==, 1);

  stompy_onboarding_set_products (model, STOMPY_PRODUCT_SPOTAINER);
  g_object_set (model, "products", STOMPY_PRODUCT_SPOTAINER, NULL);
  g_assert_cmpuint (count (counts, "products"), ==, 1);

  stompy_onboarding_set_profile (model, "default");
  stompy_onboarding_set_profile (model, "default");
  g_assert_cmpuint (count (counts, "profile"), ==, 1);
  /* "" and NULL are the same "unset". */
  stompy_onboarding_set_profile (model, "");
  g_assert_null (stompy_onboarding_get_profile (model));
  stompy_onboarding_set_profile (model, NULL);
  g_assert_cmpuint (count (counts, "profile"), ==, 2);

  stompy_onboarding_set_stompy_account (model, "ops@example.com", "Example Ltd");
  stompy_onboarding_set_stompy_account (model, "ops@example.com", "Example Ltd");
  g_assert_cmpuint (count (counts, "stompy-email"), ==, 1);
  g_assert_cmpuint (count (counts, "stompy-organization"), ==, 1);
  g_object_set (model, "stompy-organization", "Other Ltd", NULL);
  g_assert_cmpuint (count (counts, "stompy-email"), ==, 1);
  g_assert_cmpuint (count (counts, "stompy-organization"), ==, 2);

  stompy_onboarding_set_credential_source (model, STOMPY_CREDENTIAL_SOURCE_GUIDED);
  stompy_onboarding_set_credential_source (model, STOMPY_CREDENTIAL_SOURCE_GUIDED);
  g_assert_cmpuint (count (counts, "credential-source"), ==, 1);

  stompy_onboarding_set_access_key_id (model, "AKIAEMULATORSOLO0001");
  stompy_onboarding_set_access_key_id (model, "AKIAEMULATORSOLO0001");
  g_assert_cmpuint (count (counts, "access-key-id"), ==, 1);

  stompy_onboarding_set_account_id (model, "456789012345");
  stompy_onboarding_set_account_id (model, "456789012345");
  g_assert_cmpuint (count (counts, "account-id"), ==, 1);

  g_object_get (model, "step", &step, "products", &products, "credential-source", &source,
                "stompy-email", &email, NULL);
  g_assert_cmpint (step, ==, STOMPY_STEP_PRODUCTS);
  g_assert_cmpint (products, ==, STOMPY_PRODUCT_SPOTAINER);
  g_assert_cmpint (source, ==, STOMPY_CREDENTIAL_SOURCE_GUIDED);
  g_assert_cmpstr (email, ==, "ops@example.com");

  /* The registered types carry the nicks the state file uses. */
  g_assert_true (G_TYPE_IS_ENUM (STOMPY_TYPE_STEP));
  g_assert_true (G_TYPE_IS_FLAGS (STOMPY_TYPE_PRODUCTS));
  g_assert_true (G_TYPE_IS_ENUM (STOMPY_TYPE_CREDENTIAL_SOURCE));
  g_assert_true (G_TYPE_IS_FLAGS (STOMPY_TYPE_RECOMMENDATIONS));
}
/* The later steps' parts travel through the file, are saved when they change,
 * and are cleared by "Start Over". */
static void
test_parts_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (fixture->path);
  g_autoptr(StompyOnboarding) loaded = stompy_onboarding_new (fixture->path);
  g_autoptr(GError) error = NULL;
  StompyCurChoice *cur;
  StompyStackRecord *stack;
  guint saves;

  stompy_onboarding_set_autosave (loaded, FALSE);
  g_assert_true (stompy_onboarding_load (model, &error));
  g_assert_no_error (error);

  cur = stompy_onboarding_get_cur_choice (model);
  stompy_cur_choice_set_billing_access_confirmed (cur, TRUE);
  stompy_cur_choice_set_kind (cur, STOMPY_CUR_KIND_DATA_EXPORT);
  stompy_cur_choice_set_report (cur, STOMPY_CUR_ORIGIN_CREATED, "stompy-cur",
                                "stompy-cur-210987654321", "cur", "ap-southeast-1");
  stack = stompy_onboarding_get_stack (model, STOMPY_PRODUCT_SPOTAINER);
  stompy_stack_record_set_stack_name (stack, "StompySpoTainer");
  stompy_stack_record_set_client_request_token (stack, "5b0c0f0e-1111-4222-8333-944445555666");
  stompy_stack_record_set_stack_id (stack, "arn:aws:cloudformation:ap-southeast-1:210987654321:"
                                    "stack/StompySpoTainer/0a1b");
  stompy_stack_record_set_status (stack, "CREATE_COMPLETE", NULL);
  stompy_stack_record_set_role_arn (stack, "arn:aws:iam::210987654321:role/StompySpoTainerRole",
                                    TRUE);

  /* A change of a part schedules the one coalesced save, like the model's own. */
  saves = stompy_onboarding_get_save_count (model);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (stompy_onboarding_get_save_count (model), ==, saves + 1);

  g_assert_true (stompy_onboarding_load (loaded, &error));
  g_assert_no_error (error);
  cur = stompy_onboarding_get_cur_choice (loaded);
  g_assert_true (stompy_cur_choice_get_billing_access_confirmed (cur));
  g_assert_cmpint (stompy_cur_choice_get_kind (cur), ==, STOMPY_CUR_KIND_DATA_EXPORT);
  g_assert_cmpint (stompy_cur_choice_get_origin (cur), ==, STOMPY_CUR_ORIGIN_CREATED);
  g_assert_cmpstr (stompy_cur_choice_get_report_name (cur), ==, "stompy-cur");
  g_assert_cmpstr (stompy_cur_choice_get_bucket (cur), ==, "stompy-cur-210987654321");
  g_assert_cmpstr (stompy_cur_choice_get_prefix (cur), ==, "cur");
  g_assert_cmpstr (stompy_cur_choice_get_region (cur), ==, "ap-southeast-1");
  g_assert_true (stompy_cur_choice_is_complete (cur));

  stack = stompy_onboarding_get_stack (loaded, STOMPY_PRODUCT_SPOTAINER);
  g_assert_cmpstr (stompy_stack_record_get_stack_name (stack), ==, "StompySpoTainer");
  g_assert_cmpstr (stompy_stack_record_get_client_request_token (stack), ==,
                   "5b0c0f0e-1111-4222-8333-944445555666");
  g_assert_cmpstr (stompy_stack_record_get_status (stack), ==, "CREATE_COMPLETE");
  g_assert_cmpstr (stompy_stack_record_get_role_arn (stack), ==,
                   "arn:aws:iam::210987654321:role/StompySpoTainerRole");
  g_assert_true (stompy_stack_record_get_role_arn_pasted (stack));
  g_assert_true (stompy_stack_record_is_complete (stack));
  g_assert_false (stompy_stack_record_is_complete (
                    stompy_onboarding_get_stack (loaded, STOMPY_PRODUCT_ANALYSAVER)));

  stompy_onboarding_reset (loaded);
  g_assert_false (stompy_cur_choice_is_complete (stompy_onboarding_get_cur_choice (loaded)));
  g_assert_false (stompy_cur_choice_get_billing_access_confirmed (
                    stompy_onboarding_get_cur_choice (loaded)));
  g_assert_null (stompy_stack_record_get_role_arn (stack));
  g_assert_null (stompy_stack_record_get_client_request_token (stack));
}

static StompyAccountStatus *
make_status (const char *status,
             const char *check_status,
             const char *message)
{
  StompyAccountStatus *result = g_new0 (StompyAccountStatus, 1);
  const char *ids[] = { "assume_analysaver_role", "read_cur_bucket" };

  result->account_id = g_strdup ("210987654321");
  result->status = g_strdup (status);
  result->checks = g_ptr_array_new ();
  g_ptr_array_set_free_func (result->checks, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      StompyAccountCheck *check = g_new0 (StompyAccountCheck, 1);

      check->id = g_strdup (ids[i]);
      check->status = g_strdup (i == 1 ? check_status : "ok");
      check->message = g_strdup (i == 1 ? message : "");
      g_ptr_array_add (result->checks, check);
    }

  /* Copied into a properly owned one (the boxed copy frees its strings). */
  {
    StompyAccountStatus *copy = stompy_account_status_copy (result);

    for (guint i = 0; i < result->checks->len; i++)
      {
        StompyAccountCheck *check = g_ptr_array_index (result->checks, i);

        g_free (check->id);
        g_free (check->status);
        g_free (check->message);
      }
    g_ptr_array_unref (result->checks);
    g_free (result->account_id);
    g_free (result->status);
    g_free (result);
    return copy;
  }
}

/* The Connect step's key, request digest and Stompy's answer travel through
 * the file (so a retry after a crash replays), and "Start Over" clears them. */
static void
test_connection_round_trip (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new (fixture->path);
  g_autoptr(StompyOnboarding) loaded = stompy_onboarding_new (fixture->path);
  g_autoptr(StompyAccountStatus) status = make_status ("failed", "failed",
                                                       "Access denied\non the bucket");
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const StompyAccountStatus *read;
  const StompyAccountCheck *check;
  StompyConnection *connection;
  const char *digest = "9a1e0000000000000000000000000000000000000000000000000000000000ff";
  guint saves;

  stompy_onboarding_set_autosave (loaded, FALSE);
  g_assert_true (stompy_onboarding_load (model, &error));
  g_assert_no_error (error);

  connection = stompy_onboarding_get_connection (model);
  g_assert_false (stompy_connection_get_submitted (connection));
  key = g_strdup (stompy_connection_begin (connection, "210987654321", digest));
  g_assert_true (g_uuid_string_is_valid (key));
  g_assert_true (stompy_connection_get_submitted (connection));
  /* The same request keeps its key; another one gets a new key. */
  g_assert_cmpstr (stompy_connection_begin (connection, "210987654321", digest), ==, key);
  stompy_connection_set_status (connection, status);
  g_assert_true (stompy_connection_get_settled (connection));

  saves = stompy_onboarding_get_save_count (model);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (stompy_onboarding_get_save_count (model), ==, saves + 1);

  g_assert_true (stompy_onboarding_load (loaded, &error));
  g_assert_no_error (error);
  connection = stompy_onboarding_get_connection (loaded);
  g_assert_cmpstr (stompy_connection_get_account_id (connection), ==, "210987654321");
  g_assert_cmpstr (stompy_connection_get_idempotency_key (connection), ==, key);
  g_assert_cmpstr (stompy_connection_get_request_digest (connection), ==, digest);
  g_assert_true (stompy_connection_get_submitted (connection));
  read = stompy_connection_get_status (connection);
  g_assert_nonnull (read);
  g_assert_cmpstr (read->status, ==, "failed");
  g_assert_cmpuint (read->checks->len, ==, 2);
  check = g_ptr_array_index (read->checks, 0);
  g_assert_cmpstr (check->id, ==, "assume_analysaver_role");
  g_assert_cmpstr (check->message, ==, "");
  check = g_ptr_array_index (read->checks, 1);
  g_assert_cmpstr (check->status, ==, "failed");
  /* A line break from the service is not a control character in the file. */
  g_assert_cmpstr (check->message, ==, "Access denied on the bucket");

  /* The key survives, for the replay, until the request changes. */
  g_assert_cmpstr (stompy_connection_begin (connection, "210987654321", digest), ==, key);
  g_assert_cmpstr (stompy_connection_begin (connection, "210987654321",
                                            "1111111111111111111111111111111111111111111111111111111111111111"),
                   !=, key);
  g_assert_null (stompy_connection_get_status (connection));

  stompy_connection_forget_key (connection);
  g_assert_null (stompy_connection_get_idempotency_key (connection));
  g_assert_false (stompy_connection_get_submitted (connection));

  stompy_onboarding_reset (model);
  connection = stompy_onboarding_get_connection (model);
  g_assert_null (stompy_connection_get_account_id (connection));
  g_assert_null (stompy_connection_get_idempotency_key (connection));
  g_assert_null (stompy_connection_get_status (connection));
}

#define ANALYSAVER_ARN "arn:aws:iam::210987654321:role/StompyAnalySaverRole"
#define SPOTAINER_ARN  "arn:aws:iam::210987654321:role/StompySpoTainerRole"

static void
fill_model (StompyOnboarding *model,
            StompyProducts    products)
{
  stompy_onboarding_set_account_id (model, "210987654321");
  stompy_onboarding_set_products (model, products);
  stompy_cur_choice_set_report (stompy_onboarding_get_cur_choice (model),
                                STOMPY_CUR_ORIGIN_CREATED, "stompy-cur",
                                "stompy-cur-210987654321", "cur", "ap-southeast-1");
  stompy_stack_record_set_role_arn (stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER),
                                    ANALYSAVER_ARN, FALSE);
  stompy_stack_record_set_role_arn (stompy_onboarding_get_stack (model, STOMPY_PRODUCT_SPOTAINER),
                                    SPOTAINER_ARN, TRUE);
}

static char *
request_text (StompyOnboarding *model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) request = stompy_connection_build_request (model, &error);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_assert_no_error (error);
  g_assert_nonnull (request);
  json_generator_set_root (generator, request);
  return json_generator_to_data (generator, NULL);
}

typedef struct
{
  const char     *name;
  StompyProducts  products;
  StompyCurKind   kind;
  const char     *expected;
} RequestCase;

static const RequestCase request_cases[] = {
  { "analysaver-only", STOMPY_PRODUCT_ANALYSAVER, STOMPY_CUR_KIND_LEGACY,
    "{\"account_id\":\"210987654321\",\"products\":[\"analysaver\"],\"analysaver\":{"
    "\"role_arn\":\"" ANALYSAVER_ARN "\",\"cur\":{\"kind\":\"legacy\","
    "\"report_name\":\"stompy-cur\",\"bucket\":\"stompy-cur-210987654321\","
    "\"prefix\":\"cur\",\"region\":\"ap-southeast-1\"}}}" },
  { "spotainer-only", STOMPY_PRODUCT_SPOTAINER, STOMPY_CUR_KIND_LEGACY,
    "{\"account_id\":\"210987654321\",\"products\":[\"spotainer\"],"
    "\"spotainer\":{\"role_arn\":\"" SPOTAINER_ARN "\"}}" },
  { "both-data-export", STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER,
    STOMPY_CUR_KIND_DATA_EXPORT,
    "{\"account_id\":\"210987654321\",\"products\":[\"analysaver\",\"spotainer\"],"
    "\"analysaver\":{\"role_arn\":\"" ANALYSAVER_ARN "\",\"cur\":{\"kind\":\"data_export\","
    "\"export_name\":\"stompy-cur\",\"bucket\":\"stompy-cur-210987654321\","
    "\"prefix\":\"cur\",\"region\":\"ap-southeast-1\"}},"
    "\"spotainer\":{\"role_arn\":\"" SPOTAINER_ARN "\"}}" },
};

/* The documented body, exactly: a product not chosen has no object. */
static void
test_request_builder (gconstpointer data)
{
  const RequestCase *c = data;
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new ("/nonexistent/state.json");
  g_autoptr(StompyConnectionSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  stompy_onboarding_set_autosave (model, FALSE);
  fill_model (model, c->products);
  stompy_cur_choice_set_kind (stompy_onboarding_get_cur_choice (model), c->kind);
  g_assert_cmpint (stompy_connection_find_missing (model), ==, STOMPY_CONNECTION_READY);

  text = request_text (model);
  g_assert_cmpstr (text, ==, c->expected);

  summary = stompy_connection_summarize (model, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (summary->account_id, ==, "210987654321");
  g_assert_cmpint (summary->analysaver, ==, (c->products & STOMPY_PRODUCT_ANALYSAVER) != 0);
  g_assert_cmpint (summary->spotainer, ==, (c->products & STOMPY_PRODUCT_SPOTAINER) != 0);
  if (summary->analysaver)
    g_assert_cmpstr (summary->bucket, ==, "stompy-cur-210987654321");
  else
    g_assert_null (summary->analysaver_role_arn);
}

typedef struct
{
  const char              *name;
  StompyConnectionMissing  missing;
  const char              *message_part;
} MissingCase;

static const MissingCase missing_cases[] = {
  { "account-id", STOMPY_CONNECTION_MISSING_ACCOUNT_ID, "account id" },
  { "products", STOMPY_CONNECTION_MISSING_PRODUCTS, "no product" },
  { "report", STOMPY_CONNECTION_MISSING_REPORT, "no Cost and Usage Report" },
  { "analysaver-role", STOMPY_CONNECTION_MISSING_ANALYSAVER_ROLE, "AnalySaver has no RoleArn" },
  { "spotainer-role", STOMPY_CONNECTION_MISSING_SPOTAINER_ROLE, "SpoTainer has no RoleArn" },
  { "role-of-another-account", STOMPY_CONNECTION_READY, "not an IAM role of account" },
};

static void
test_request_missing (gconstpointer data)
{
  const MissingCase *c = data;
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new ("/nonexistent/state.json");
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GError) error = NULL;

  stompy_onboarding_set_autosave (model, FALSE);
  fill_model (model, STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);

  switch (c->missing)
    {
    case STOMPY_CONNECTION_MISSING_ACCOUNT_ID:
      stompy_onboarding_set_account_id (model, NULL);
      break;
    case STOMPY_CONNECTION_MISSING_PRODUCTS:
      stompy_onboarding_set_products (model, STOMPY_PRODUCT_NONE);
      break;
    case STOMPY_CONNECTION_MISSING_REPORT:
      stompy_cur_choice_clear (stompy_onboarding_get_cur_choice (model));
      break;
    case STOMPY_CONNECTION_MISSING_ANALYSAVER_ROLE:
      stompy_stack_record_clear (stompy_onboarding_get_stack (model, STOMPY_PRODUCT_ANALYSAVER));
      break;
    case STOMPY_CONNECTION_MISSING_SPOTAINER_ROLE:
      stompy_stack_record_clear (stompy_onboarding_get_stack (model, STOMPY_PRODUCT_SPOTAINER));
      break;
    case STOMPY_CONNECTION_READY:
    default:
      stompy_stack_record_set_role_arn (stompy_onboarding_get_stack (model,
                                                                     STOMPY_PRODUCT_SPOTAINER),
                                        "arn:aws:iam::345678901234:role/StompySpoTainerRole",
                                        TRUE);
      break;
    }

  g_assert_cmpint (stompy_connection_find_missing (model), ==, c->missing);
  request = stompy_connection_build_request (model, &error);
  g_assert_null (request);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, c->message_part));
}

/* A product not chosen needs nothing: SpoTainer alone connects without a report. */
static void
test_request_unchosen_needs_nothing (void)
{
  g_autoptr(StompyOnboarding) model = stompy_onboarding_new ("/nonexistent/state.json");

  stompy_onboarding_set_autosave (model, FALSE);
  stompy_onboarding_set_account_id (model, "210987654321");
  stompy_onboarding_set_products (model, STOMPY_PRODUCT_SPOTAINER);
  g_assert_cmpint (stompy_connection_find_missing (model), ==,
                   STOMPY_CONNECTION_MISSING_SPOTAINER_ROLE);
  stompy_stack_record_set_role_arn (stompy_onboarding_get_stack (model, STOMPY_PRODUCT_SPOTAINER),
                                    SPOTAINER_ARN, TRUE);
  g_assert_cmpint (stompy_connection_find_missing (model), ==, STOMPY_CONNECTION_READY);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/onboarding/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("state-file/round-trip-keeps-every-field", test_round_trip);
  ADD ("state-file/missing-file-is-a-fresh-start", test_missing_is_fresh);
  ADD ("state-file/saved-file-is-private", test_mode_of_existing_file);
  ADD ("state-file/damaged-twice-keeps-both-copies", test_damaged_twice_keeps_both);
  ADD ("state-file/unknown-members-are-ignored-and-dropped", test_unknown_members_ignored);
  ADD ("autosave/changes-are-coalesced-into-one-write", test_autosave_coalesces);
  ADD ("autosave/off-writes-nothing", test_autosave_off);
  ADD ("autosave/pending-change-written-on-dispose", test_pending_save_written_on_dispose);
  ADD ("autosave/failure-is-kept-not-fatal", test_autosave_error_kept);
  ADD ("reset/forgets-everything-and-deletes-the-file", test_reset);
  ADD ("state-file/report-and-stacks-round-trip", test_parts_round_trip);
  ADD ("state-file/connection-round-trip-and-reset", test_connection_round_trip);

  for (guint i = 0; i < G_N_ELEMENTS (damaged_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/onboarding/state-file/damaged/%s-is-moved-aside",
                                               damaged_cases[i].name);
      g_test_add (path, Fixture, &damaged_cases[i], fixture_set_up, test_damaged,
                  fixture_tear_down);
    }

#undef ADD

  g_test_add_func ("/onboarding/state-file/default-path-is-xdg-state", test_default_path);
  g_test_add_func ("/onboarding/steps/skip-unchosen-products", test_navigation);
  g_test_add_func ("/onboarding/recommendations/seed-table", test_recommendations_table);
  g_test_add_func ("/onboarding/recommendations/follow-identity", test_recommendations_follow_identity);
  g_test_add_func ("/onboarding/properties/notify-only-on-change", test_notify_only_on_change);

  for (guint i = 0; i < G_N_ELEMENTS (request_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/onboarding/connect/request/%s",
                                               request_cases[i].name);
      g_test_add_data_func (path, &request_cases[i], test_request_builder);
    }
  for (guint i = 0; i < G_N_ELEMENTS (missing_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/onboarding/connect/request/missing-%s-is-named",
                                               missing_cases[i].name);
      g_test_add_data_func (path, &missing_cases[i], test_request_missing);
    }
  g_test_add_func ("/onboarding/connect/request/unchosen-product-needs-nothing",
                   test_request_unchosen_needs_nothing);

  return g_test_run ();
}
