/* test-secret-hygiene.c — no secret in a log, a file, an argument or a child's environment
 *
 * Temporary AWS credentials (an ASIA key, its secret and session token from
 * tests/emulator/accounts.json) are given the way a user gives them, through
 * the AWS_* environment, with G_MESSAGES_DEBUG=all so that every debug line,
 * HTTP request logging included, is written. Then:
 *
 *  - the CLI runs login, identity, connect (SpoTainer: stack, Connect, checks),
 *    status and logout as subprocesses; their standard output and error and
 *    every file under their XDG directories are searched;
 *  - the application runs in this process under Xvfb, driven through its
 *    widgets from signing in to Done; every log line it writes and every file
 *    under its XDG directories are searched, and the pages it opens (the
 *    quick-create link, the sign-up link) go to a fake https:// handler
 *    registered in a private XDG_DATA_HOME, a script that dumps its arguments
 *    and environment, which are searched too.
 *
 * The secrets searched for: the secret access key, the session token, the
 * Stompy token (read from the keyring, or the API client while signed in)
 * and the password. Expected matches: 0. Controls show the search would see
 * them: the HTTP log is on (its redacted Authorization lines are there), the
 * handler's dump has the environment (AWS_ACCESS_KEY_ID is in it).
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "stompy-application.h"
#include "stompy-aws-account-section-private.h"
#include "stompy-connect-page-private.h"
#include "stompy-http.h"
#include "stompy-open-uri.h"
#include "stompy-products-page-private.h"
#include "stompy-secret-store.h"
#include "stompy-sign-in-page-private.h"
#include "stompy-spotainer-page-private.h"
#include "stompy-stompy-account-section-private.h"
#include "stompy-template-section-private.h"
#include "stompy-test-emulator.h"
#include "stompy-test-ui.h"
#include "stompy-test-util.h"
#include "stompy-window-private.h"

#define TEMP_KEY_ID   "ASIAEMULATORTEMP0001"
#define OPS_EMAIL     "ops@example.com"
#define OPS_PASSWORD  "correct horse battery staple"
#define SPIN_TIMEOUT_US (90 * G_USEC_PER_SEC)
#define SPIN_UNTIL(cond) STOMPY_TEST_SPIN_UNTIL (cond, SPIN_TIMEOUT_US)

static StompyTestEmulator *emulator;
static StompyApplication *app;
static char *root_dir;        /* everything this test writes */
static char *dump_dir;        /* the fake browser's dumps */
static const char *temp_secret;
static const char *temp_session_token;
static GString *captured_logs;

/* ------------------------------------------------------------------ searching */

/* The secrets of this run; the Stompy token is added once known. */
static GPtrArray *
secrets_new (const char *stompy_token)
{
  GPtrArray *secrets = g_ptr_array_new ();

  g_ptr_array_add (secrets, (gpointer) temp_secret);
  g_ptr_array_add (secrets, (gpointer) temp_session_token);
  g_ptr_array_add (secrets, (gpointer) OPS_PASSWORD);
  if (stompy_token != NULL)
    g_ptr_array_add (secrets, (gpointer) stompy_token);
  return secrets;
}

/* Counts the secrets found in @data, naming each in the test log. The
 * secrets are also searched URL-encoded ("/" → %2F) and form-encoded
 * (" " → "+"), as a query string or a form body would carry them. */
static guint
count_secrets (GPtrArray  *secrets,
               const char *where,
               const char *data,
               gsize       length)
{
  guint found = 0;

  for (guint i = 0; i < secrets->len; i++)
    {
      const char *secret = secrets->pdata[i];
      g_autofree char *escaped = g_uri_escape_string (secret, NULL, FALSE);
      g_autofree char *form = g_strdelimit (g_strdup (secret), " ", '+');

      if (g_strstr_len (data, length, secret) != NULL ||
          g_strstr_len (data, length, escaped) != NULL ||
          g_strstr_len (data, length, form) != NULL)
        {
          g_test_message ("secret #%u found in %s", i, where);
          found++;
        }
    }
  return found;
}

static guint
count_secrets_in_tree (GPtrArray  *secrets,
                       const char *path,
                       guint      *files)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint found = 0;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return 0;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL))
        {
          found += count_secrets (secrets, path, contents, length);
          (*files)++;
        }
      return found;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      found += count_secrets_in_tree (secrets, child, files);
    }
  return found;
}

/* ------------------------------------------------------------------ log capture */

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        message = fields[i].value;
      else if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].length < 0)
        domain = fields[i].value;
    }

  /* Everything the app would print with G_MESSAGES_DEBUG=all, i.e. every
   * level that the default writer would not drop. */
  if (message != NULL && !g_log_writer_default_would_drop (log_level, domain))
    g_string_append_printf (captured_logs, "%s: %s\n", domain ? domain : "", message);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* ------------------------------------------------------------------ request log redaction */

typedef struct
{
  const char *line;
  const char *expected;
} LineRow;

static const LineRow line_rows[] = {
  { "Authorization: AWS4-HMAC-SHA256 Credential=ASIAEMULATORTEMP0001/20261126/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abc",
    "Authorization: [redacted]" },
  { "authorization: Bearer stp_0123456789", "authorization: [redacted]" },
  { "X-Amz-Security-Token: EmulatorSessionToken/valid/0001", "X-Amz-Security-Token: [redacted]" },
  { "x-amz-security-token: EmulatorSessionToken/valid/0001", "x-amz-security-token: [redacted]" },
  { "Cookie: session=abc", "Cookie: [redacted]" },
  { "Set-Cookie: session=abc; HttpOnly", "Set-Cookie: [redacted]" },
  { "X-Custom: Bearer stp_0123456789", "X-Custom: [redacted]" },
  { "Content-Type: application/json", "Content-Type: application/json" },
  { "Host: 127.0.0.1:8080", "Host: 127.0.0.1:8080" },
  { "GET /bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA%2F2026&X-Amz-Security-Token=Emulator%2Fvalid&X-Amz-Signature=deadbeef HTTP/1.1",
    "GET /bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[redacted]&X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted] HTTP/1.1" },
  { "GET /v1/aws/accounts?token=stp_1&page=2 HTTP/1.1", "GET /v1/aws/accounts?token=[redacted]&page=2 HTTP/1.1" },
  { "POST / HTTP/1.1", "POST / HTTP/1.1" },
  { "GET https://user:pa55@example.com/x?password=p HTTP/1.1",
    "GET https://[redacted]@example.com/x?password=[redacted] HTTP/1.1" },
  { "Location: https://bucket.s3.amazonaws.com/k?x-amz-security-token=T&a=b",
    "Location: https://bucket.s3.amazonaws.com/k?x-amz-security-token=[redacted]&a=b" },
  { "HTTP/1.1 200 OK", "HTTP/1.1 200 OK" },
};

static void
test_request_log_redaction (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (line_rows); i++)
    {
      g_autofree char *safe = stompy_http_loggable_line (line_rows[i].line);

      g_assert_cmpstr (safe, ==, line_rows[i].expected);
    }
  /* On with G_MESSAGES_DEBUG=all, as this test runs. */
  g_assert_true (stompy_http_request_logging_enabled ());
}

/* ------------------------------------------------------------------ the CLI */

typedef StompyTestCliRun CliRun;

static char **
cli_environ (const char *home)
{
  char **envp = g_get_environ ();
  const char *dirs[][2] = {
    { "XDG_STATE_HOME", "state" }, { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" }, { "XDG_CACHE_HOME", "cache" },
  };

  envp = g_environ_setenv (envp, "HOME", home, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (home, dirs[i][1], NULL);
      g_mkdir_with_parents (dir, 0700);
      envp = g_environ_setenv (envp, dirs[i][0], dir, TRUE);
    }
  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);
  envp = g_environ_setenv (envp, "G_MESSAGES_DEBUG", "all", TRUE);
  envp = g_environ_setenv (envp, "AWS_ACCESS_KEY_ID", TEMP_KEY_ID, TRUE);
  envp = g_environ_setenv (envp, "AWS_SECRET_ACCESS_KEY", temp_secret, TRUE);
  envp = g_environ_setenv (envp, "AWS_SESSION_TOKEN", temp_session_token, TRUE);
  envp = g_environ_setenv (envp, "AWS_PROFILE", "", TRUE);
  envp = g_environ_setenv (envp, "AWS_ENDPOINT_URL", stompy_test_emulator_get_url (emulator), TRUE);
  envp = g_environ_setenv (envp, "STOMPY_API_URL", stompy_test_emulator_get_api_url (emulator), TRUE);
  return envp;
}

static void
run_cli (CliRun              *run,
         const char          *home,
         const char          *stdin_text,
         const char * const  *args,
         GString             *all_output,
         GString             *all_argv)
{
  g_auto(GStrv) envp = cli_environ (home);

  g_string_append (all_argv, "stompy-connect-cli ");
  for (gsize i = 0; args[i] != NULL; i++)
    g_string_append_printf (all_argv, "%s ", args[i]);
  g_string_append_c (all_argv, '\n');

  stompy_test_run_cli (run, (const char * const *) envp, stdin_text, args, STOMPY_TEST_WAIT_SECONDS);
  g_assert_false (run->timed_out);

  g_string_append_printf (all_output, "$ %s\n%s\n%s\n", args[0], run->out, run->err);
  if (run->status != 0)
    g_test_message ("%s: exit %d\n%s", args[0], run->status, run->err);
}

static char *
keyring_token (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  char *token;

  stompy_secret_store_lookup_token_async (stompy_test_emulator_get_api_url (emulator), NULL,
                                          stompy_test_store_result_cb, &result);
  token = stompy_secret_store_lookup_token_finish (stompy_test_wait_result (&result), &email, &error);
  g_assert_no_error (error);
  return token;
}

static void
test_cli_flow (void)
{
  g_autofree char *home = g_build_filename (root_dir, "cli-home", NULL);
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GString) argv_text = g_string_new (NULL);
  g_autoptr(GPtrArray) secrets = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "reset", "{}");
  CliRun run = { 0, };
  guint files = 0;
  const char *login_args[] = { "login", "--email", OPS_EMAIL, "--password-stdin", NULL };
  const char *identity_args[] = { "identity", "--json", NULL };
  const char *connect_args[] = { "connect", "--spotainer", "--acknowledge-iam", "--json", NULL };
  const char *status_args[] = { "status", "--json", NULL };
  const char *logout_args[] = { "logout", NULL };

  g_mkdir_with_parents (home, 0700);

  run_cli (&run, home, OPS_PASSWORD "\n", login_args, output, argv_text);
  g_assert_cmpint (run.status, ==, 0);
  stompy_test_cli_run_clear (&run);
  token = keyring_token ();
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 8);

  run_cli (&run, home, NULL, identity_args, output, argv_text);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "345678901234"));
  stompy_test_cli_run_clear (&run);

  run_cli (&run, home, NULL, connect_args, output, argv_text);
  g_assert_cmpint (run.status, ==, 0);
  stompy_test_cli_run_clear (&run);

  run_cli (&run, home, NULL, status_args, output, argv_text);
  g_assert_cmpint (run.status, ==, 0);
  stompy_test_cli_run_clear (&run);

  run_cli (&run, home, NULL, logout_args, output, argv_text);
  g_assert_cmpint (run.status, ==, 0);
  stompy_test_cli_run_clear (&run);

  /* Controls: the debug log and the request log were on, and the request
   * log shows where the secrets would have been. */
  g_assert_nonnull (strstr (output->str, STOMPY_HTTP_LOG_DOMAIN));
  g_assert_nonnull (strstr (output->str, "Authorization: [redacted]"));
  g_assert_nonnull (strstr (output->str, "X-Amz-Security-Token: [redacted]"));
  g_test_message ("CLI output searched: %" G_GSIZE_FORMAT " bytes", output->len);

  secrets = secrets_new (token);
  g_assert_cmpuint (count_secrets (secrets, "the CLI's output", output->str, output->len), ==, 0);
  g_assert_cmpuint (count_secrets (secrets, "the CLI's arguments", argv_text->str, argv_text->len), ==, 0);
  g_assert_cmpuint (count_secrets_in_tree (secrets, home, &files), ==, 0);
  /* The state file at least was written and searched. */
  g_assert_cmpuint (files, >=, 1);
  g_test_message ("CLI files searched: %u", files);
}

/* ------------------------------------------------------------------ the application */

static guint
count_dumps (void)
{
  g_autoptr(GDir) dir = g_dir_open (dump_dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "dump."))
      n++;
  return n;
}

static void
go_on (StompyWindow *window,
       StompyStep    expected)
{
  SPIN_UNTIL (gtk_widget_is_sensitive (GTK_WIDGET (window->primary_button)));
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == expected && !window->submitting);
}

static void
test_application_flow (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) secrets = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "reset", "{}");
  StompyWindow *window;
  StompySignInPage *sign_in;
  StompyStompyAccountSection *stompy;
  StompyAwsAccountSection *aws;
  StompyProductsPage *products;
  StompyTemplateSection *template;
  StompyConnectPage *connect;
  gboolean link_handled = FALSE;
  guint files = 0;
  g_autofree char *dumps = NULL;

  /* The secrets in the environment, as a user exporting them would have. */
  g_setenv ("AWS_ACCESS_KEY_ID", TEMP_KEY_ID, TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", temp_secret, TRUE);
  g_setenv ("AWS_SESSION_TOKEN", temp_session_token, TRUE);

  app = stompy_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = stompy_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_present (GTK_WINDOW (window));
  stompy_window_start (window);

  /* Sign in to Stompy through the form. */
  sign_in = STOMPY_SIGN_IN_PAGE (_stompy_window_get_page (window, STOMPY_STEP_SIGN_IN));
  stompy = sign_in->stompy_section;
  SPIN_UNTIL (!stompy->checking_session);
  stompy_test_set_text (stompy->email_row, OPS_EMAIL);
  stompy_test_set_text (stompy->password_row, OPS_PASSWORD);
  stompy_test_click (stompy->sign_in_button);
  SPIN_UNTIL (!stompy->signing_in);
  g_assert_true (stompy->signed_in);
  SPIN_UNTIL (!stompy->saving_token);
  token = g_strdup (stompy_api_client_get_token (stompy_application_get_api_client (app)));
  g_assert_nonnull (token);

  /* The AWS credentials from the environment (the temporary ones). */
  aws = sign_in->aws_section;
  adw_combo_row_set_selected (aws->source_row, STOMPY_CREDENTIAL_SOURCE_ENVIRONMENT);
  stompy_test_click (aws->verify_button);
  SPIN_UNTIL (!aws->verifying);
  g_assert_nonnull (stompy_onboarding_get_identity (stompy_application_get_model (app)));

  go_on (window, STOMPY_STEP_PRODUCTS);
  products = STOMPY_PRODUCTS_PAGE (_stompy_window_get_page (window, STOMPY_STEP_PRODUCTS));
  gtk_check_button_set_active (products->analysaver_check, FALSE);
  gtk_check_button_set_active (products->spotainer_check, TRUE);
  go_on (window, STOMPY_STEP_SPOTAINER);

  /* The role stack, created by the app. */
  template = STOMPY_SPOTAINER_PAGE (_stompy_window_get_page (window, STOMPY_STEP_SPOTAINER))->template_section;
  SPIN_UNTIL (template->template != NULL && !template->loading);
  gtk_check_button_set_active (template->ack_check, TRUE);
  stompy_test_click (template->create_button);
  SPIN_UNTIL (stompy_stack_record_is_complete (template->record) && !template->following &&
              !template->creating);

  /* The pages the app opens in a browser: the quick-create link, the sign-up link. */
  g_signal_emit_by_name (template->console_button, "clicked");
  SPIN_UNTIL (count_dumps () >= 1);
  g_signal_emit_by_name (stompy->sign_up_button, "activate-link", &link_handled);
  g_assert_true (link_handled);
  SPIN_UNTIL (count_dumps () >= 2);
  /* And a link of the About window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();  /* not owned */
    GtkWindow *about = NULL;

    for (guint i = 0; about == NULL && i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);
        if (ADW_IS_ABOUT_WINDOW (item))
          about = GTK_WINDOW (item);
      }
    g_assert_nonnull (about);
    link_handled = FALSE;
    g_signal_emit_by_name (about, "activate-link", "https://stompy.io/about-link", &link_handled);
    g_assert_true (link_handled);
    SPIN_UNTIL (count_dumps () >= 3);
    gtk_window_destroy (about);
  }

  go_on (window, STOMPY_STEP_CONNECT);
  connect = STOMPY_CONNECT_PAGE (_stompy_window_get_page (window, STOMPY_STEP_CONNECT));
  SPIN_UNTIL (stompy_page_get_state (STOMPY_PAGE (connect)) == STOMPY_PAGE_STATE_READY);
  stompy_test_click (window->primary_button);
  SPIN_UNTIL (stompy_window_get_step (window) == STOMPY_STEP_DONE && !window->submitting);

  /* Close as a user does (the state file is saved after every change). */
  g_object_ref (window);
  gtk_window_close (GTK_WINDOW (window));
  SPIN_UNTIL (G_OBJECT (window)->ref_count == 1);
  g_object_unref (window);

  /* Controls: the request log was on; the handler got the environment and the links. */
  g_assert_nonnull (strstr (captured_logs->str, STOMPY_HTTP_LOG_DOMAIN ": > POST"));
  g_assert_nonnull (strstr (captured_logs->str, "Authorization: [redacted]"));
  g_assert_nonnull (strstr (captured_logs->str, "X-Amz-Security-Token: [redacted]"));
  {
    g_autoptr(GDir) dir = g_dir_open (dump_dir, 0, NULL);
    const char *name;
    GString *all = g_string_new (NULL);

    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (dump_dir, name, NULL);
        g_autofree char *contents = NULL;

        g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
        g_string_append (all, contents);
      }
    dumps = g_string_free (all, FALSE);
  }
  g_assert_nonnull (strstr (dumps, "AWS_ACCESS_KEY_ID=" TEMP_KEY_ID));
  g_assert_nonnull (strstr (dumps, "cloudformation"));
  g_assert_nonnull (strstr (dumps, "https://stompy.io/about-link"));
  g_assert_nonnull (strstr (dumps, "argv:"));
  g_test_message ("log searched: %" G_GSIZE_FORMAT " bytes; handler dumps: %" G_GSIZE_FORMAT " bytes",
                  captured_logs->len, strlen (dumps));

  secrets = secrets_new (token);
  g_assert_cmpuint (count_secrets (secrets, "the application's log", captured_logs->str,
                                   captured_logs->len), ==, 0);
  g_assert_cmpuint (count_secrets (secrets, "the launched handler's argv and environment",
                                   dumps, strlen (dumps)), ==, 0);
  g_assert_cmpuint (count_secrets_in_tree (secrets, g_get_user_state_dir (), &files), ==, 0);
  g_assert_cmpuint (count_secrets_in_tree (secrets, g_get_user_config_dir (), &files), ==, 0);
  g_assert_cmpuint (count_secrets_in_tree (secrets, g_get_user_cache_dir (), &files), ==, 0);
  g_assert_cmpuint (count_secrets_in_tree (secrets, g_get_user_data_dir (), &files), ==, 0);
  g_assert_cmpuint (files, >=, 3);
  g_test_message ("application files searched: %u", files);

  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_unsetenv ("AWS_SESSION_TOKEN");
}

/* The scrubbing itself, for every variable named. */
static void
test_launch_context_scrub (void)
{
  g_autoptr(GAppLaunchContext) context = g_app_launch_context_new ();
  g_auto(GStrv) envp = NULL;

  g_app_launch_context_setenv (context, "AWS_SECRET_ACCESS_KEY", "s");
  g_app_launch_context_setenv (context, "AWS_SECURITY_TOKEN", "t");
  g_app_launch_context_setenv (context, "KEEP_ME", "1");
  stompy_launch_context_scrub (context);
  envp = g_app_launch_context_get_environment (context);
  for (const char * const *name = stompy_secret_environment_variables (); *name != NULL; name++)
    g_assert_null (g_environ_getenv (envp, *name));
  g_assert_cmpstr (g_environ_getenv (envp, "KEEP_ME"), ==, "1");
}

/* ------------------------------------------------------------------ setup */

static void
write_fake_browser (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *applications = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *desktop = g_build_filename (applications, "stompy-test-browser.desktop", NULL);
  g_autofree char *script = g_build_filename (root_dir, "fake-browser.sh", NULL);
  g_autofree char *mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop_text = NULL;

  g_mkdir_with_parents (applications, 0700);
  g_mkdir_with_parents (g_get_user_config_dir (), 0700);
  g_mkdir_with_parents (dump_dir, 0700);

  /* Each launch writes its arguments and environment, atomically. */
  script_text = g_strdup_printf ("#!/bin/sh\n"
                                 "out='%s'/dump.$$\n"
                                 "{ printf 'argv:'; for a in \"$0\" \"$@\"; do printf ' %%s' \"$a\"; done;"
                                 " printf '\\n'; env; } > \"$out.tmp\" && mv \"$out.tmp\" \"$out\"\n",
                                 dump_dir);
  g_file_set_contents (script, script_text, -1, &error);
  g_assert_no_error (error);
  g_chmod (script, 0700);

  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Stompy test browser\n"
                                  "Exec=%s %%u\nMimeType=x-scheme-handler/https;x-scheme-handler/http;\n"
                                  "NoDisplay=true\n", script);
  g_file_set_contents (desktop, desktop_text, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (mimeapps,
                       "[Default Applications]\n"
                       "x-scheme-handler/https=stompy-test-browser.desktop\n"
                       "x-scheme-handler/http=stompy-test-browser.desktop\n",
                       -1, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  JsonObject *temp;
  const char *xdg[][2] = {
    { "XDG_STATE_HOME", "state" }, { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" }, { "XDG_CACHE_HOME", "cache" },
  };
  int status;

  /* Before anything reads them: GLib keeps the first values it sees. */
  root_dir = g_dir_make_tmp ("stompy-hygiene-XXXXXX", &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      g_autofree char *dir = g_build_filename (root_dir, xdg[i][1], NULL);
      g_mkdir_with_parents (dir, 0700);
      g_setenv (xdg[i][0], dir, TRUE);
    }
  dump_dir = g_build_filename (root_dir, "dumps", NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  /* GTK would open links through the portal if asked to; the point is the
   * desktop handler, a child process of the app. */
  g_unsetenv ("GTK_USE_PORTAL");

  captured_logs = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  stompy_test_ui_init (&argc, &argv);
  write_fake_browser ();

  g_assert_cmpstr (stompy_test_access_key_for_profile ("emulator-session"), ==, TEMP_KEY_ID);
  temp = stompy_test_aws_account ("emulator-session");
  g_assert_nonnull (temp);
  temp_secret = json_object_get_string_member (temp, "secret");
  temp_session_token = json_object_get_string_member (temp, "session_token");
  g_assert_nonnull (temp_secret);
  g_assert_nonnull (temp_session_token);

  emulator = stompy_test_emulator_start ();
  g_setenv ("AWS_ENDPOINT_URL", stompy_test_emulator_get_url (emulator), TRUE);
  g_setenv ("STOMPY_API_URL", stompy_test_emulator_get_api_url (emulator), TRUE);

  g_test_add_func ("/secret-hygiene/request-log-redaction", test_request_log_redaction);
  g_test_add_func ("/secret-hygiene/launch-context-scrub", test_launch_context_scrub);
  g_test_add_func ("/secret-hygiene/cli-flow", test_cli_flow);
  g_test_add_func ("/secret-hygiene/application-flow", test_application_flow);

  status = g_test_run ();

  stompy_test_ui_shutdown (&app, &emulator);
  return status;
}
