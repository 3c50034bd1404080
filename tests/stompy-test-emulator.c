/* stompy-test-emulator.c — start the project's emulator for a test
 *
 * The emulator runs as a child process on a free loopback port. Waiting for it
 * and stopping it happen in a private GMainContext, and the control requests use
 * a blocking GSocketConnection, so nothing here dispatches the test's own main
 * context (which may have the code under test's sources attached).
 */
#include "config.h"

#include "stompy-test-emulator.h"
#include "stompy-test-util.h"

#include <gio/gio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define READY_PREFIX    "STOMPY_EMULATOR_URL="
#define TIMEOUT_SECONDS 10

struct _StompyTestEmulator
{
  GSubprocess      *process;
  GDataInputStream *stdout_stream;
  char             *url;
  char             *api_url;
  guint16           port;
};

static char *
read_ready_line (StompyTestEmulator *self)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_main_context_push_thread_default (context);
  g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_DEFAULT, NULL,
                                       stompy_test_store_result_cb, &result);
  if (!stompy_test_iterate_for_result (context, &result, TIMEOUT_SECONDS))
    g_error ("The emulator did not start within %d s", TIMEOUT_SECONDS);
  line = g_data_input_stream_read_line_finish (self->stdout_stream, result, NULL, &error);
  g_main_context_pop_thread_default (context);

  if (line == NULL)
    g_error ("The emulator exited before it was ready: %s",
             error != NULL ? error->message : "end of output");

  return g_steal_pointer (&line);
}

StompyTestEmulator *
stompy_test_emulator_start (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  StompyTestEmulator *self;
  const char *python = g_getenv ("STOMPY_PYTHON");
  const char *script = g_getenv ("STOMPY_EMULATOR");
  char time_scale[G_ASCII_DTOSTR_BUF_SIZE];
  guint64 port;
  char *end = NULL;

  if (python == NULL || *python == '\0')
    python = "python3";
  if (script == NULL || *script == '\0')
    g_error ("STOMPY_EMULATOR is not set; run the tests with meson test");

  /* Standard error passes through to the test log. Standard input is a pipe that
   * closes when this process dies, so a crashed test leaves no emulator behind. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE);

  /* A slowed build (sanitizers) slows the simulated world alike. */
  g_ascii_dtostr (time_scale, sizeof time_scale, stompy_test_time_scale ());
  self = g_new0 (StompyTestEmulator, 1);
  self->process = g_subprocess_launcher_spawn (launcher, &error,
                                               python, script,
                                               "--port", "0",
                                               "--delays", "zero",
                                               "--time-scale", time_scale,
                                               "--exit-with-stdin",
                                               NULL);
  if (self->process == NULL)
    g_error ("Cannot start the emulator %s: %s", script, error->message);
  self->stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));

  line = read_ready_line (self);
  if (!g_str_has_prefix (line, READY_PREFIX "http://127.0.0.1:"))
    g_error ("Unexpected first line from the emulator: %s", line);

  self->url = g_strdup (line + strlen (READY_PREFIX));
  port = g_ascii_strtoull (strrchr (self->url, ':') + 1, &end, 10);
  if (end == NULL || *end != '\0' || port == 0 || port > G_MAXUINT16)
    g_error ("Bad emulator URL: %s", self->url);
  self->port = (guint16) port;
  self->api_url = g_strconcat (self->url, "/v1", NULL);

  return self;
}

void
stompy_test_emulator_stop (StompyTestEmulator *self)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (self == NULL)
    return;

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait_async (self->process, NULL, stompy_test_store_result_cb, &result);
  if (!stompy_test_iterate_for_result (context, &result, TIMEOUT_SECONDS))
    {
      g_test_message ("The emulator did not stop on SIGTERM; killing it");
      g_subprocess_force_exit (self->process);
      while (result == NULL)
        g_main_context_iteration (context, TRUE);
    }
  g_subprocess_wait_finish (self->process, result, NULL);
  g_main_context_pop_thread_default (context);

  g_clear_object (&self->stdout_stream);
  g_clear_object (&self->process);
  g_free (self->url);
  g_free (self->api_url);
  g_free (self);
}

const char *
stompy_test_emulator_get_url (StompyTestEmulator *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->url;
}

const char *
stompy_test_emulator_get_api_url (StompyTestEmulator *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->api_url;
}

char **
stompy_test_emulator_get_environ (StompyTestEmulator *self)
{
  char **env;

  g_return_val_if_fail (self != NULL, NULL);

  env = g_get_environ ();
  env = g_environ_setenv (env, "AWS_ENDPOINT_URL", self->url, TRUE);
  env = g_environ_setenv (env, "STOMPY_API_URL", self->api_url, TRUE);

  return env;
}

/* One blocking HTTP/1.1 exchange with "Connection: close": the answer ends at end
 * of stream, so no chunked or keep-alive handling is needed. Aborts on failure. */
static JsonNode *
control_request (StompyTestEmulator *self,
                 const char         *method,
                 const char         *path,
                 const char         *json)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *text = NULL;
  GInputStream *input;
  const char *body;
  guint status = 0;
  guint8 buffer[4096];
  gssize n;
  JsonNode *node;

  g_socket_client_set_timeout (client, TIMEOUT_SECONDS);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", self->port, NULL, &error);
  if (connection == NULL)
    g_error ("Cannot reach the emulator: %s", error->message);

  json = json != NULL ? json : "";
  request = g_strdup_printf ("%s /_emulator/%s HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%u\r\n"
                             "Content-Type: application/json\r\n"
                             "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                             "Connection: close\r\n"
                             "\r\n"
                             "%s",
                             method, path, self->port, strlen (json), json);
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                  request, strlen (request), NULL, NULL, &error))
    g_error ("Cannot send to the emulator: %s", error->message);

  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while ((n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (answer, buffer, (guint) n);
  if (n < 0)
    g_error ("Cannot read from the emulator: %s", error->message);

  text = g_strndup ((const char *) answer->data, answer->len);
  body = strstr (text, "\r\n\r\n");
  if (sscanf (text, "HTTP/1.1 %u", &status) != 1 || body == NULL)
    g_error ("Malformed answer from the emulator to %s /_emulator/%s", method, path);
  body += 4;
  if (status != 200)
    g_error ("The emulator answered %u to %s /_emulator/%s: %s", status, method, path, body);

  node = json_from_string (body, &error);
  if (node == NULL)
    g_error ("The emulator's answer to /_emulator/%s is not JSON: %s",
             path, error != NULL ? error->message : "empty");

  return node;
}

JsonNode *
stompy_test_emulator_control (StompyTestEmulator *self,
                              const char         *path,
                              const char         *json)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return control_request (self, "POST", path, json);
}

void
stompy_test_emulator_clear_faults (StompyTestEmulator *self)
{
  g_return_if_fail (self != NULL);

  json_node_unref (control_request (self, "DELETE", "faults", NULL));
}

JsonNode *
stompy_test_emulator_get_stats (StompyTestEmulator *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return control_request (self, "GET", "stats", NULL);
}

gint64
stompy_test_emulator_count_requests (StompyTestEmulator *self,
                                     const char         *operation)
{
  g_autoptr(JsonNode) stats = NULL;
  JsonObject *requests;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (operation != NULL, 0);

  stats = stompy_test_emulator_get_stats (self);
  requests = json_object_get_object_member (json_node_get_object (stats), "requests");
  if (requests == NULL || !json_object_has_member (requests, operation))
    return 0;

  return json_object_get_int_member (requests, operation);
}
