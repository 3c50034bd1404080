/* test-secret-store.c — the keyring store against a real gnome-keyring
 *
 * Run under tests/with-keyring.sh: a private D-Bus session with a fresh,
 * unlocked login collection, so nothing here touches the developer's keyring.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "stompy-error.h"
#include "stompy-secret-store.h"
#include "stompy-test-util.h"

#define API_A "http://127.0.0.1:8080/v1"
#define API_B "https://api.stompy.io/v1"

/* ------------------------------------------------------------------ helpers */

static gboolean
save_token (const char  *api_url,
            const char  *email,
            const char  *token,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_secret_store_save_token_async (api_url, email, token, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_secret_store_save_token_finish (result, error);
}

static char *
lookup_token (const char  *api_url,
              char       **email,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_secret_store_lookup_token_async (api_url, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_secret_store_lookup_token_finish (result, email, error);
}

static gboolean
clear_token (const char  *api_url,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_secret_store_clear_token_async (api_url, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_secret_store_clear_token_finish (result, error);
}

static gboolean
save_aws (StompyAwsCredentials  *credentials,
          GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_secret_store_save_aws_async (credentials, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_secret_store_save_aws_finish (result, error);
}

static StompyAwsCredentials *
lookup_aws (const char  *access_key_id,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_secret_store_lookup_aws_async (access_key_id, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_secret_store_lookup_aws_finish (result, error);
}

static gboolean
clear_aws (const char  *access_key_id,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  stompy_secret_store_clear_aws_async (access_key_id, NULL, stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);

  return stompy_secret_store_clear_aws_finish (result, error);
}

/* Neither the collections nor their items are loaded: secret_service_get()
 * shares one service with the store under test, and a collection whose items
 * libsecret has loaded reloads them on every change of its Items property.
 * When an item is deleted while that reload creates its proxy, libsecret
 * 0.20.5 (on_load_item in secret-collection.c) returns the reload's GTask
 * with the error and then again with TRUE once the other items are loaded:
 * "g_task_return_boolean: assertion '!task->ever_returned' failed", which
 * G_DEBUG=fatal-warnings turns into an abort in a later, unrelated step. The
 * app itself never loads collections. */
static SecretCollection *
default_collection (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  SecretCollection *collection;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);

  return collection;
}

/* ------------------------------------------------------------------ token */

static void
test_keyring_is_usable (void)
{
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  /* The wrapper's keyring works at all: a store makes the login collection
   * exist (if it did not), and it is the unlocked default. */
  g_assert_true (save_token ("https://probe.example/v1", "probe@example.com", "probe", &error));
  g_assert_no_error (error);
  collection = default_collection ();
  g_assert_nonnull (collection);
  g_assert_false (secret_collection_get_locked (collection));

  token = lookup_token ("https://probe.example/v1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "probe");
  g_assert_true (clear_token ("https://probe.example/v1", &error));
  g_assert_no_error (error);
}

static void
test_token_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  char *token;

  g_assert_true (save_token (API_A, "ops@example.com", "stp_round_trip", &error));
  g_assert_no_error (error);

  token = lookup_token (API_A, &email, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "stp_round_trip");
  g_assert_cmpstr (email, ==, "ops@example.com");
  stompy_secret_free (token);
  g_clear_pointer (&email, g_free);

  g_assert_true (clear_token (API_A, &error));
  g_assert_no_error (error);

  token = lookup_token (API_A, &email, &error);
  g_assert_no_error (error);
  g_assert_null (token);
  g_assert_null (email);
}

static void
test_lookup_nothing_is_null (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsCredentials) credentials = NULL;
  char *email = (char *) "not touched";
  char *token;

  token = lookup_token ("https://never.example/v1", &email, &error);
  g_assert_no_error (error);
  g_assert_null (token);
  g_assert_null (email);

  credentials = lookup_aws ("AKIANEVERSTORED00001", &error);
  g_assert_no_error (error);
  g_assert_null (credentials);

  /* Clearing what is not there is not an error either. */
  g_assert_true (clear_token ("https://never.example/v1", &error));
  g_assert_no_error (error);
  g_assert_true (clear_aws ("AKIANEVERSTORED00001", &error));
  g_assert_no_error (error);
}

static void
test_api_urls_kept_apart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  char *token;

  g_assert_true (save_token (API_A, "ops@example.com", "stp_local", &error));
  g_assert_no_error (error);
  g_assert_true (save_token (API_B, "viewer@example.com", "stp_production", &error));
  g_assert_no_error (error);

  token = lookup_token (API_A, &email, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "stp_local");
  g_assert_cmpstr (email, ==, "ops@example.com");
  stompy_secret_free (token);
  g_clear_pointer (&email, g_free);

  g_assert_true (clear_token (API_A, &error));
  g_assert_no_error (error);

  token = lookup_token (API_B, &email, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "stp_production");
  g_assert_cmpstr (email, ==, "viewer@example.com");
  stompy_secret_free (token);

  g_assert_true (clear_token (API_B, &error));
  g_assert_no_error (error);
}

static void
test_new_user_replaces_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  char *token;

  g_assert_true (save_token (API_A, "ops@example.com", "stp_first", &error));
  g_assert_no_error (error);
  g_assert_true (save_token (API_A, "viewer@example.com", "stp_second", &error));
  g_assert_no_error (error);

  token = lookup_token (API_A, &email, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "stp_second");
  g_assert_cmpstr (email, ==, "viewer@example.com");
  stompy_secret_free (token);
  g_clear_pointer (&email, g_free);

  /* One clear leaves nothing: there was only ever one item for the URL. */
  g_assert_true (clear_token (API_A, &error));
  g_assert_no_error (error);
  token = lookup_token (API_A, &email, &error);
  g_assert_no_error (error);
  g_assert_null (token);
}

/* ------------------------------------------------------------------ AWS */

/* Attributes and labels are stored in the clear: they must name the key,
 * never hold a secret. */
static void
assert_no_secret_in_attributes (const char *access_key_id,
                                guint       expected_items)
{
  static const SecretSchema any_schema = {
    "io.stompy.Connect.Secret", SECRET_SCHEMA_NONE,
    { { "access-key-id", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_sync (&any_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "access-key-id", access_key_id, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, expected_items);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      g_autofree char *label = secret_retrievable_get_label (l->data);
      GHashTableIter iter;
      const char *name, *value;

      g_assert_null (strstr (label, "EmulatorTempSecretKey"));
      g_assert_null (strstr (label, "EmulatorSessionToken"));
      g_hash_table_iter_init (&iter, attributes);
      while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &value))
        {
          g_assert_null (strstr (value, "EmulatorTempSecretKey"));
          g_assert_null (strstr (value, "EmulatorSessionToken"));
        }
    }

  g_list_free_full (items, g_object_unref);
}

static void
test_aws_round_trip (void)
{
  g_autoptr(StompyAwsCredentials) saved = NULL;
  g_autoptr(StompyAwsCredentials) found = NULL;
  g_autoptr(GError) error = NULL;

  saved = stompy_aws_credentials_new ("ASIAEMULATORTEMP0001", "EmulatorTempSecretKey/000000000000000010",
                                      "EmulatorSessionToken/valid/0001", "typed in");
  g_assert_true (save_aws (saved, &error));
  g_assert_no_error (error);

  found = lookup_aws ("ASIAEMULATORTEMP0001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (stompy_aws_credentials_get_access_key_id (found), ==, "ASIAEMULATORTEMP0001");
  g_assert_cmpstr (stompy_aws_credentials_get_secret_access_key (found), ==,
                   "EmulatorTempSecretKey/000000000000000010");
  g_assert_cmpstr (stompy_aws_credentials_get_session_token (found), ==,
                   "EmulatorSessionToken/valid/0001");
  g_clear_pointer (&found, stompy_aws_credentials_unref);

  assert_no_secret_in_attributes ("ASIAEMULATORTEMP0001", 2);

  g_assert_true (clear_aws ("ASIAEMULATORTEMP0001", &error));
  g_assert_no_error (error);
  found = lookup_aws ("ASIAEMULATORTEMP0001", &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

static void
test_aws_resave_drops_session_token (void)
{
  g_autoptr(StompyAwsCredentials) temporary = NULL;
  g_autoptr(StompyAwsCredentials) permanent = NULL;
  g_autoptr(StompyAwsCredentials) other = NULL;
  g_autoptr(StompyAwsCredentials) found = NULL;
  g_autoptr(GError) error = NULL;

  temporary = stompy_aws_credentials_new ("AKIAEMULATORMGMT0001", "OldSecret", "OldSessionToken", NULL);
  permanent = stompy_aws_credentials_new ("AKIAEMULATORMGMT0001",
                                          "EmulatorMgmtSecretKey/000000000000000010", NULL, NULL);
  other = stompy_aws_credentials_new ("AKIAEMULATORSOLO0001",
                                      "EmulatorSoloSecretKey/000000000000000010", NULL, NULL);
  g_assert_true (save_aws (temporary, &error));
  g_assert_no_error (error);
  g_assert_true (save_aws (other, &error));
  g_assert_no_error (error);
  g_assert_true (save_aws (permanent, &error));
  g_assert_no_error (error);

  found = lookup_aws ("AKIAEMULATORMGMT0001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_secret_access_key (found), ==,
                   "EmulatorMgmtSecretKey/000000000000000010");
  g_assert_null (stompy_aws_credentials_get_session_token (found));
  g_clear_pointer (&found, stompy_aws_credentials_unref);

  /* Keys are kept apart by their id. */
  found = lookup_aws ("AKIAEMULATORSOLO0001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_aws_credentials_get_secret_access_key (found), ==,
                   "EmulatorSoloSecretKey/000000000000000010");
  g_clear_pointer (&found, stompy_aws_credentials_unref);

  g_assert_true (clear_aws ("AKIAEMULATORMGMT0001", &error));
  g_assert_no_error (error);
  found = lookup_aws ("AKIAEMULATORSOLO0001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_true (clear_aws ("AKIAEMULATORSOLO0001", &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ failures */

static void
test_cancelled_stays_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_cancellable_cancel (cancellable);
  stompy_secret_store_save_token_async (API_A, "ops@example.com", "stp_x", cancellable,
                                        stompy_test_store_result_cb, &slot);
  result = stompy_test_take_result (&slot);
  g_assert_false (stompy_secret_store_save_token_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_absent_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(StompyAwsCredentials) credentials = NULL;
      g_autoptr(StompyAwsCredentials) found = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("stompy-no-bus-XXXXXX", NULL);
      g_autofree char *address = g_strdup_printf ("unix:path=%s/no-such-socket", dir);
      char *token;
      gint64 started = g_get_monotonic_time ();

      /* In a fresh process, because libsecret keeps the service it found. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

      g_assert_false (save_token (API_A, "ops@example.com", "stp_nowhere", &error));
      g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_KEYRING_UNAVAILABLE);
      g_assert_null (strstr (error->message, "stp_nowhere"));
      g_clear_error (&error);

      token = lookup_token (API_A, NULL, &error);
      g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_KEYRING_UNAVAILABLE);
      g_assert_null (token);
      g_clear_error (&error);

      g_assert_false (clear_token (API_A, &error));
      g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_KEYRING_UNAVAILABLE);
      g_clear_error (&error);

      credentials = stompy_aws_credentials_new ("AKIAEMULATORMGMT0001", "secret", NULL, NULL);
      g_assert_false (save_aws (credentials, &error));
      g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_KEYRING_UNAVAILABLE);
      g_clear_error (&error);

      found = lookup_aws ("AKIAEMULATORMGMT0001", &error);
      g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_KEYRING_UNAVAILABLE);
      g_assert_null (found);

      g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
      g_rmdir (dir);
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_locked_keyring (void)
{
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autolist(GDBusProxy) locked = NULL;
  GList *objects;
  gint64 started;
  char *token;

  /* Something to find, stored while the collection is open. */
  g_assert_true (save_token (API_A, "ops@example.com", "stp_before_lock", &error));
  g_assert_no_error (error);

  collection = default_collection ();
  g_assert_nonnull (collection);
  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  objects = g_list_prepend (NULL, collection);
  secret_service_lock_sync (service, objects, NULL, &locked, &error);
  g_list_free (objects);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (locked), ==, 1);
  g_assert_true (secret_collection_get_locked (collection));

  /* Unlocking needs a prompt, and the wrapper gave the keyring no display:
   * the calls must fail (quickly), never wait for a click. */
  started = g_get_monotonic_time ();
  g_assert_false (save_token (API_A, "ops@example.com", "stp_locked", &error));
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_KEYRING_UNAVAILABLE);
  g_test_message ("store into a locked keyring: %s", error->message);
  g_clear_error (&error);

  token = lookup_token (API_A, NULL, &error);
  g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_KEYRING_UNAVAILABLE);
  g_assert_null (token);
  g_test_message ("lookup in a locked keyring: %s", error->message);

  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secret/keyring/is-usable", test_keyring_is_usable);
  g_test_add_func ("/secret/token/round-trip", test_token_round_trip);
  g_test_add_func ("/secret/token/lookup-of-nothing-is-null", test_lookup_nothing_is_null);
  g_test_add_func ("/secret/token/api-urls-kept-apart", test_api_urls_kept_apart);
  g_test_add_func ("/secret/token/new-user-replaces-token", test_new_user_replaces_token);
  g_test_add_func ("/secret/aws/round-trip-with-session-token", test_aws_round_trip);
  g_test_add_func ("/secret/aws/resave-drops-session-token", test_aws_resave_drops_session_token);
  g_test_add_func ("/secret/keyring/cancelled-stays-cancelled", test_cancelled_stays_cancelled);
  g_test_add_func ("/secret/keyring/absent-is-unavailable", test_absent_keyring);
  /* Last: it leaves the collection locked for the rest of the run. */
  g_test_add_func ("/secret/locked-keyring/is-unavailable", test_locked_keyring);

  return g_test_run ();
}
