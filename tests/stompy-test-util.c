/* stompy-test-util.c — what the C tests share */
#include "config.h"

#include <string.h>

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

void
stompy_test_cli_run_clear (StompyTestCliRun *run)
{
  g_free (run->out);
  g_free (run->err);
  memset (run, 0, sizeof *run);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
stompy_test_iterate_for_result (GMainContext  *context,
                                GAsyncResult **slot,
                                guint          seconds)
{
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (seconds);
  gboolean timed_out = FALSE;

  g_source_set_callback (timeout, timed_out_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (*slot == NULL && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);

  return *slot != NULL;
}

void
stompy_test_run_cli (StompyTestCliRun   *run,
                     const char * const *envp,
                     const char         *input,
                     const char * const *args,
                     guint               timeout_s)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stompy_test_cli_run_clear (run);
  g_assert_nonnull (g_getenv ("STOMPY_BUILD_ROOT"));
  g_ptr_array_add (argv, g_build_filename (g_getenv ("STOMPY_BUILD_ROOT"), "src", "cli",
                                           "stompy-connect-cli", NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, (char **) envp);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL,
                                       stompy_test_store_result_cb, &result);
  if (!stompy_test_iterate_for_result (context, &result, timeout_s))
    {
      run->timed_out = TRUE;
      g_subprocess_force_exit (process);
      while (result == NULL)
        g_main_context_iteration (context, TRUE);
    }

  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  if (error != NULL)
    run->err = g_strdup_printf ("(output unreadable: %s)", error->message);
  /* communicate returns when the pipes close; the exit status comes after. */
  g_subprocess_wait (process, NULL, NULL);

  run->signalled = g_subprocess_get_if_signaled (process);
  run->exited = g_subprocess_get_if_exited (process);
  run->status = run->exited ? g_subprocess_get_exit_status (process) : -1;
  if (run->out == NULL)
    run->out = g_strdup ("");
  if (run->err == NULL)
    run->err = g_strdup ("");
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
