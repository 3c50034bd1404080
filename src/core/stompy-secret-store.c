/* stompy-secret-store.c — secrets in the desktop keyring (libsecret), async
 *
 * One schema, "io.stompy.Connect.Secret". Items:
 *
 *  - kind "stompy-token": the Stompy session token, with "api-url" (which
 *    service it is for) and "email" (so that the sign-in page can show who is
 *    signed in without asking the service). One item per API URL.
 *  - kind "aws-secret-key": the secret access key, with "access-key-id".
 *  - kind "aws-session-token": the session token of temporary credentials,
 *    with "access-key-id"; a separate item rather than a JSON blob in one, so
 *    that every secret travels in libsecret's own wiped memory and nothing
 *    has to be parsed out of a secret.
 *
 * Attributes are stored unencrypted, so they only ever name what a secret is
 * for. Any keyring failure (no Secret Service on the bus, a locked collection,
 * a prompt that could not be shown or was dismissed) becomes
 * STOMPY_ERROR_KEYRING_UNAVAILABLE with libsecret's message, so the UI can
 * keep the secret in memory for the session instead. Cancellation by the
 * caller stays G_IO_ERROR_CANCELLED.
 */
#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "stompy-error.h"
#include "stompy-secret-store.h"

#define KIND_TOKEN         "stompy-token"
#define KIND_AWS_SECRET    "aws-secret-key"
#define KIND_AWS_SESSION   "aws-session-token"

static const SecretSchema *
stompy_secret_schema (void)
{
  static const SecretSchema schema = {
    "io.stompy.Connect.Secret", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "api-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "access-key-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

void
stompy_secret_free (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

/* Takes @error. The caller's own cancellation is kept as such; everything
 * else, including a keyring prompt cancelled on its own, means the keyring
 * could not be used. */
static GError *
keyring_error (GError       *error,
               GCancellable *cancellable)
{
  GError *mapped;

  if (error == NULL)
    return g_error_new (STOMPY_ERROR, STOMPY_ERROR_KEYRING_UNAVAILABLE,
                        "The keyring refused the operation (a prompt was dismissed?)");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (cancellable))
    return error;

  g_debug ("Keyring error: %s (%s, %d)", error->message,
           g_quark_to_string (error->domain), error->code);
  mapped = g_error_new (STOMPY_ERROR, STOMPY_ERROR_KEYRING_UNAVAILABLE,
                        "The keyring is not available: %s", error->message);
  g_error_free (error);

  return mapped;
}

static void
return_keyring_error (GTask  *task,
                      GError *error)
{
  g_task_return_error (task, keyring_error (error, g_task_get_cancellable (task)));
}

/* The last item of a save is stored: the save is done. */
static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      return_keyring_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------ token */

typedef struct
{
  char *api_url;
  char *email;
  char *token;  /* wiped */
} TokenData;

static void
token_data_free (TokenData *data)
{
  g_free (data->api_url);
  g_free (data->email);
  g_clear_pointer (&data->token, stompy_secret_free);
  g_free (data);
}

static void
save_token_cleared_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  TokenData *data = g_task_get_task_data (task);
  g_autofree char *label = NULL;
  GError *error = NULL;

  /* FALSE without an error only means there was nothing to remove. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      return_keyring_error (task, error);
      return;
    }

  label = g_strdup_printf ("Stompy Connect token for %s", data->email);
  secret_password_store (stompy_secret_schema (), SECRET_COLLECTION_DEFAULT, label, data->token,
                         cancellable, stored_cb,
                         g_steal_pointer (&task),
                         "kind", KIND_TOKEN,
                         "api-url", data->api_url,
                         "email", data->email,
                         NULL);
}

void
stompy_secret_store_save_token_async (const char          *api_url,
                                      const char          *email,
                                      const char          *token,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TokenData *data;

  g_return_if_fail (api_url != NULL && *api_url != '\0');
  g_return_if_fail (email != NULL);
  g_return_if_fail (token != NULL && *token != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_secret_store_save_token_async);

  data = g_new0 (TokenData, 1);
  data->api_url = g_strdup (api_url);
  data->email = g_strdup (email);
  data->token = g_strdup (token);
  g_task_set_task_data (task, data, (GDestroyNotify) token_data_free);

  /* One token per service: remove the one of a previous user (another email
   * makes another item, which a lookup could pick instead). */
  secret_password_clear (stompy_secret_schema (), cancellable, save_token_cleared_cb,
                         g_steal_pointer (&task),
                         "kind", KIND_TOKEN,
                         "api-url", api_url,
                         NULL);
}

gboolean
stompy_secret_store_save_token_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  char *token;
  char *email;
} TokenResult;

static void
token_result_free (TokenResult *result)
{
  g_clear_pointer (&result->token, stompy_secret_free);
  g_free (result->email);
  g_free (result);
}

static void
lookup_token_retrieved_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretRetrievable *item = SECRET_RETRIEVABLE (object);
  g_autoptr(GHashTable) attributes = NULL;
  SecretValue *value;
  TokenResult *found;
  const char *text;
  GError *error = NULL;

  value = secret_retrievable_retrieve_secret_finish (item, result, &error);
  if (value == NULL)
    {
      return_keyring_error (task, error);
      return;
    }

  text = secret_value_get_text (value);
  if (text == NULL || *text == '\0')
    {
      /* Not something this app stored: treat it as no token. */
      secret_value_unref (value);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  attributes = secret_retrievable_get_attributes (item);
  found = g_new0 (TokenResult, 1);
  found->token = g_strdup (text);
  found->email = g_strdup (g_hash_table_lookup (attributes, "email"));
  secret_value_unref (value);

  g_task_return_pointer (task, found, (GDestroyNotify) token_result_free);
}

static void
lookup_token_searched_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GList *items;
  SecretRetrievable *newest = NULL;
  GError *error = NULL;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_list_free_full (items, g_object_unref);
      return_keyring_error (task, error);
      return;
    }

  /* save_token keeps one per URL; if another program added more, the most
   * recently changed one wins, as with secret_password_lookup(). */
  for (GList *l = items; l != NULL; l = l->next)
    if (newest == NULL ||
        secret_retrievable_get_modified (l->data) > secret_retrievable_get_modified (newest))
      newest = l->data;

  if (newest == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  newest = g_object_ref (newest);
  g_list_free_full (items, g_object_unref);
  secret_retrievable_retrieve_secret (newest, cancellable,
                                      lookup_token_retrieved_cb, g_steal_pointer (&task));
  g_object_unref (newest);
}

void
stompy_secret_store_lookup_token_async (const char          *api_url,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (api_url != NULL && *api_url != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_secret_store_lookup_token_async);

  /* A search rather than a lookup, because the email is in an attribute. */
  secret_password_search (stompy_secret_schema (),
                          SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                          cancellable, lookup_token_searched_cb, g_steal_pointer (&task),
                          "kind", KIND_TOKEN,
                          "api-url", api_url,
                          NULL);
}

char *
stompy_secret_store_lookup_token_finish (GAsyncResult  *result,
                                         char         **email,
                                         GError       **error)
{
  TokenResult *found;
  char *token;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  if (email != NULL)
    *email = NULL;

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return NULL;

  token = g_steal_pointer (&found->token);
  if (email != NULL)
    *email = g_steal_pointer (&found->email);
  token_result_free (found);

  return token;
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      return_keyring_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
stompy_secret_store_clear_token_async (const char          *api_url,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (api_url != NULL && *api_url != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_secret_store_clear_token_async);

  secret_password_clear (stompy_secret_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         "kind", KIND_TOKEN,
                         "api-url", api_url,
                         NULL);
}

gboolean
stompy_secret_store_clear_token_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ AWS */

typedef struct
{
  char                 *access_key_id;
  StompyAwsCredentials *credentials;   /* save */
  char                 *secret_key;    /* lookup; wiped */
} AwsData;

static void
aws_data_free (AwsData *data)
{
  g_free (data->access_key_id);
  g_clear_pointer (&data->credentials, stompy_aws_credentials_unref);
  g_clear_pointer (&data->secret_key, stompy_secret_free);
  g_free (data);
}

static void
save_aws_secret_stored_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  AwsData *data = g_task_get_task_data (task);
  const char *session_token = stompy_aws_credentials_get_session_token (data->credentials);
  g_autofree char *label = NULL;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      return_keyring_error (task, error);
      return;
    }

  if (session_token == NULL || *session_token == '\0')
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  label = g_strdup_printf ("AWS session token for %s", data->access_key_id);
  secret_password_store (stompy_secret_schema (), SECRET_COLLECTION_DEFAULT, label, session_token,
                         cancellable, stored_cb,
                         g_steal_pointer (&task),
                         "kind", KIND_AWS_SESSION,
                         "access-key-id", data->access_key_id,
                         NULL);
}

static void
save_aws_cleared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  AwsData *data = g_task_get_task_data (task);
  g_autofree char *label = NULL;
  GError *error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      return_keyring_error (task, error);
      return;
    }

  label = g_strdup_printf ("AWS secret access key %s", data->access_key_id);
  secret_password_store (stompy_secret_schema (), SECRET_COLLECTION_DEFAULT, label,
                         stompy_aws_credentials_get_secret_access_key (data->credentials),
                         cancellable, save_aws_secret_stored_cb,
                         g_steal_pointer (&task),
                         "kind", KIND_AWS_SECRET,
                         "access-key-id", data->access_key_id,
                         NULL);
}

void
stompy_secret_store_save_aws_async (StompyAwsCredentials *credentials,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  AwsData *data;

  g_return_if_fail (credentials != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_secret_store_save_aws_async);

  data = g_new0 (AwsData, 1);
  data->access_key_id = g_strdup (stompy_aws_credentials_get_access_key_id (credentials));
  data->credentials = stompy_aws_credentials_ref (credentials);
  g_task_set_task_data (task, data, (GDestroyNotify) aws_data_free);

  /* Both items of this key go first, so that a key saved again without a
   * session token does not keep the old one. */
  secret_password_clear (stompy_secret_schema (), cancellable, save_aws_cleared_cb,
                         g_steal_pointer (&task),
                         "access-key-id", data->access_key_id,
                         NULL);
}

gboolean
stompy_secret_store_save_aws_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_aws_session_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AwsData *data = g_task_get_task_data (task);
  StompyAwsCredentials *credentials;
  char *session_token;
  GError *error = NULL;

  session_token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      return_keyring_error (task, error);
      return;
    }

  credentials = stompy_aws_credentials_new (data->access_key_id, data->secret_key,
                                            session_token, "keyring");
  secret_password_free (session_token);

  if (credentials == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  g_task_return_pointer (task, credentials, (GDestroyNotify) stompy_aws_credentials_unref);
}

static void
lookup_aws_secret_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  AwsData *data = g_task_get_task_data (task);
  char *secret_key;
  GError *error = NULL;

  secret_key = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      return_keyring_error (task, error);
      return;
    }

  if (secret_key == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  /* Kept in ordinary memory only until the credentials object has its own
   * copy; both are wiped when freed. */
  data->secret_key = g_strdup (secret_key);
  secret_password_free (secret_key);

  secret_password_lookup (stompy_secret_schema (), cancellable,
                          lookup_aws_session_cb, g_steal_pointer (&task),
                          "kind", KIND_AWS_SESSION,
                          "access-key-id", data->access_key_id,
                          NULL);
}

void
stompy_secret_store_lookup_aws_async (const char          *access_key_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AwsData *data;

  g_return_if_fail (access_key_id != NULL && *access_key_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_secret_store_lookup_aws_async);

  data = g_new0 (AwsData, 1);
  data->access_key_id = g_strdup (access_key_id);
  g_task_set_task_data (task, data, (GDestroyNotify) aws_data_free);

  secret_password_lookup (stompy_secret_schema (), cancellable, lookup_aws_secret_cb,
                          g_steal_pointer (&task),
                          "kind", KIND_AWS_SECRET,
                          "access-key-id", access_key_id,
                          NULL);
}

StompyAwsCredentials *
stompy_secret_store_lookup_aws_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
stompy_secret_store_clear_aws_async (const char          *access_key_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (access_key_id != NULL && *access_key_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_secret_store_clear_aws_async);

  /* Without "kind": the secret key and the session token together. */
  secret_password_clear (stompy_secret_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         "access-key-id", access_key_id,
                         NULL);
}

gboolean
stompy_secret_store_clear_aws_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
