/* stompy-test-util.c — what the C tests share */
#include "config.h"

#include <glib/gstdio.h>

#include "stompy-test-util.h"

double
stompy_test_time_scale (void)
{
  const char *value = g_getenv ("STOMPY_TEST_TIME_SCALE");
  double scale = value != NULL ? g_ascii_strtod (value, NULL) : 1.0;

  return scale >= 1.0 ? scale : 1.0;
}

void
stompy_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* Not into a symbolic link to a directory: the link itself goes. */
  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || (dir = g_dir_open (path, 0, NULL)) == NULL)
    {
      g_unlink (path);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      stompy_test_remove_tree (child);
    }
  g_rmdir (path);
}

void
stompy_test_store_result_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      slot)
{
  GAsyncResult **out = slot;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
  g_error ("Timed out after %d s waiting for an asynchronous step", STOMPY_TEST_WAIT_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
spin (gboolean (*done) (gpointer),
      gpointer   data)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  GSource *timeout = g_timeout_source_new_seconds (STOMPY_TEST_WAIT_SECONDS);

  g_source_set_callback (timeout, wait_timeout_cb, NULL, NULL);
  g_source_attach (timeout, context);
  while (!done (data))
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_source_unref (timeout);
}

static gboolean
slot_is_set (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

GAsyncResult *
stompy_test_wait_result (GAsyncResult **slot)
{
  spin (slot_is_set, slot);
  return *slot;
}

GAsyncResult *
stompy_test_take_result (GAsyncResult **slot)
{
  spin (slot_is_set, slot);
  return g_steal_pointer (slot);
}

void
stompy_test_spin_until (gboolean *flag)
{
  spin (flag_is_set, flag);
}

JsonObject *
stompy_test_accounts (void)
{
  static JsonNode *accounts;

  if (accounts == NULL)
    {
      const char *root = g_getenv ("STOMPY_SOURCE_ROOT");
      g_autofree char *path = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (root);
      path = g_build_filename (root, "tests", "emulator", "accounts.json", NULL);
      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
      accounts = json_node_copy (json_parser_get_root (parser));
    }

  return json_node_get_object (accounts);
}

const char *
stompy_test_access_key_for_profile (const char *profile)
{
  JsonObject *aws = json_object_get_object_member (stompy_test_accounts (), "aws");
  g_autoptr(GList) keys = json_object_get_members (aws);

  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonObject *entry = json_object_get_object_member (aws, l->data);

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "profile", NULL),
                     profile) == 0)
        return l->data;
    }

  g_error ("accounts.json has no AWS key for profile %s", profile);
  return NULL;
}

JsonObject *
stompy_test_aws_account (const char *profile)
{
  JsonObject *aws = json_object_get_object_member (stompy_test_accounts (), "aws");

  return json_object_get_object_member (aws, stompy_test_access_key_for_profile (profile));
}

StompyAwsCredentials *
stompy_test_credentials_for_profile (const char *profile)
{
  JsonObject *entry = stompy_test_aws_account (profile);

  return stompy_aws_credentials_new (stompy_test_access_key_for_profile (profile),
                                     json_object_get_string_member (entry, "secret"),
                                     json_object_get_string_member_with_default (entry,
                                                                                 "session_token",
                                                                                 NULL),
                                     profile);
}
