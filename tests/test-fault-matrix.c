/* test-fault-matrix.c — every call of the flow, under every fault
 *
 * The whole flow is the CLI's "login" then "connect" with both products, a
 * new report and bucket, both stacks and Connect (the wizard without a
 * window). It is run once without faults against a fresh emulator, whose
 * stats list the operations it made: that list, not one written here, is the
 * matrix's first axis, so a new call is covered as soon as the flow makes it.
 *
 * Each operation is then faulted with each kind, once transient (the next
 * request only: the flow must complete after retries, or, for a fault no
 * retry can cure, stop as below) and once persistent (every request: the
 * flow must stop). A stop must come from a process that exited normally,
 * with a Chinese message (zh_CN, from the build's catalog) that is neither
 * the English fallback nor a raw "AWS returned the error" one, and, for
 * "connect", the wizard step it concerns; then, with the faults cleared, the
 * same flow run again must complete from the state file, and the emulator
 * must have made each thing exactly once (bucket, report, two stacks, one
 * connected account). A clock skew stays for the whole run: the client must
 * correct its clock and complete, so it has one case, "persistent".
 *
 * Cases run in parallel, one emulator per worker thread (each CLI run is a
 * child process); each subtest then reports its own case. The flow's waits
 * are shortened (STOMPY_POLL_SPEEDUP, emulator --delays zero) and the HTTP
 * timeout is 2 s (STOMPY_HTTP_TIMEOUT_SECONDS) so that a "delay" fault of 3 s
 * is slower than it. STOMPY_FAULT_CASES=GLOB limits the cases run (the others
 * are skipped), e.g. "*s3:CreateBucket*".
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "stompy-test-emulator.h"
#include "stompy-test-util.h"

#define PROFILE         "emulator-management"
#define ACCESS_KEY_ID   "AKIAEMULATORMGMT0001"
#define ACCOUNT_ID      "210987654321"
#define EMAIL           "ops@example.com"
#define PASSWORD        "correct horse battery staple\n"
#define HTTP_TIMEOUT_S  "2"
#define DELAY_MS        3000
#define POLL_SPEEDUP    "10"
/* Far longer than any case takes (a persistent delay: 3 × 2 s, twice): a
 * process still running then hangs, and is killed and reported. */
#define PROCESS_TIMEOUT_S 90
#define PERSISTENT_COUNT  1000

static char *tmp_dir;
static char *config_path;
static char *credentials_path;
static char *answers_path;

/* ------------------------------------------------------------ the cases */

typedef enum
{
  OUTCOME_NONE,
  OUTCOME_COMPLETED,
  OUTCOME_STOPPED,
} Outcome;

/* A persistent fault may stop the flow or not: a call whose answer's body
 * the flow does not need (CreateBucket's is empty) or that only informs (the
 * template read for the permissions list) may fail for ever, as long as
 * everything is still made exactly once. */
typedef struct
{
  const char *name;
  gboolean    transient;    /* has a transient case */
  gboolean    must_retry;   /* transient: must complete (a retry cures it) */
  gboolean    never_stops;  /* the client corrects it: must always complete */
} Kind;

static const Kind kinds[] = {
  { "http500", TRUE, TRUE, FALSE },
  { "http503", TRUE, TRUE, FALSE },
  { "throttle", TRUE, TRUE, FALSE },
  { "reset", TRUE, TRUE, FALSE },
  { "delay", TRUE, TRUE, FALSE },
  /* A garbled answer is not retried (AWS SDKs do not either). */
  { "malformed", TRUE, FALSE, FALSE },
  { "truncated", TRUE, TRUE, FALSE },
  /* Expired credentials need new ones (or signing in again): never retried. */
  { "expired_token", TRUE, FALSE, FALSE },
  { "skew", FALSE, FALSE, TRUE },
};

typedef struct
{
  char       *operation;
  const Kind *kind;
  gboolean    persistent;
  char       *path;
  gboolean    selected;

  /* Filled by a worker. */
  gboolean    done;
  Outcome     outcome;
  char       *failure;    /* NULL: the case passed */
  char       *log;
  double      seconds;
} Case;

static GPtrArray *cases;       /* Case*, owned */
static GPtrArray *operations;  /* char*, from the fault-free run */
static char      *discovery_failure;
static gboolean   catalog_built;

static GMutex   results_lock;
static GCond    results_cond;
static gboolean matrix_started;
static guint    n_left;

/* ------------------------------------------------------------ processes */

typedef StompyTestCliRun Run;

/* Runs the CLI with @args against @emulator in @state_home, in this thread's
 * own main context, killing it after PROCESS_TIMEOUT_S. */
static void
run_cli (Run                *run,
         StompyTestEmulator *emulator,
         const char         *state_home,
         const char         *input,
         const char * const *args)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_auto(GStrv) envp = stompy_test_emulator_get_environ (emulator);

  envp = g_environ_setenv (envp, "AWS_CONFIG_FILE", config_path, TRUE);
  envp = g_environ_setenv (envp, "AWS_SHARED_CREDENTIALS_FILE", credentials_path, TRUE);
  envp = g_environ_setenv (envp, "AWS_PROFILE", PROFILE, TRUE);
  envp = g_environ_unsetenv (envp, "AWS_ACCESS_KEY_ID");
  envp = g_environ_unsetenv (envp, "AWS_SECRET_ACCESS_KEY");
  envp = g_environ_unsetenv (envp, "AWS_SESSION_TOKEN");
  envp = g_environ_setenv (envp, "XDG_STATE_HOME", state_home, TRUE);
  /* Chinese, from the build's catalog (STOMPY_LOCALEDIR, set by meson). */
  envp = g_environ_setenv (envp, "LANGUAGE", "zh_CN", TRUE);
  envp = g_environ_setenv (envp, "LANG", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LC_ALL");
  envp = g_environ_unsetenv (envp, "G_DEBUG");
  envp = g_environ_setenv (envp, "STOMPY_HTTP_TIMEOUT_SECONDS", HTTP_TIMEOUT_S, TRUE);
  envp = g_environ_setenv (envp, "STOMPY_POLL_SPEEDUP", POLL_SPEEDUP, TRUE);

  /* Each worker thread waits in its own context. */
  g_main_context_push_thread_default (context);
  stompy_test_run_cli (run, (const char * const *) envp, input, args, PROCESS_TIMEOUT_S);
  g_main_context_pop_thread_default (context);
}

/* ------------------------------------------------------------ the flow */

typedef struct
{
  Outcome  outcome;
  gboolean login_failed;  /* stopped in "login" */
  char    *failure;       /* a process that crashed, hung or misused */
  char    *err;           /* standard error of the command that stopped */
} Flow;

static void
flow_clear (Flow *flow)
{
  g_free (flow->failure);
  g_free (flow->err);
  memset (flow, 0, sizeof *flow);
}

static gboolean
check_process (const Run  *run,
               const char *what,
               GString    *log,
               char      **failure)
{
  g_string_append_printf (log, "$ %s → %s %d%s\nstdout:\n%s\nstderr:\n%s\n", what,
                          run->exited ? "exit" : "signal/timeout", run->status,
                          run->timed_out ? " (killed: timed out)" : "", run->out, run->err);
  if (run->timed_out)
    *failure = g_strdup_printf ("%s did not end within %d s (a hang)", what, PROCESS_TIMEOUT_S);
  else if (run->signalled || !run->exited)
    *failure = g_strdup_printf ("%s was killed by a signal (a crash)", what);
  else if (run->status != 0 && run->status != 1)
    *failure = g_strdup_printf ("%s exited %d (neither done nor failed)", what, run->status);
  else
    return TRUE;

  return FALSE;
}

/* login, then connect: the flow's outcome. */
static void
run_flow (Flow               *flow,
          StompyTestEmulator *emulator,
          const char         *state_home,
          GString            *log)
{
  Run run = { 0, };

  memset (flow, 0, sizeof *flow);
  run_cli (&run, emulator, state_home, PASSWORD,
           (const char * const []) { "login", "--email", EMAIL, "--password-stdin", NULL });
  if (!check_process (&run, "login", log, &flow->failure))
    goto out;
  if (run.status != 0)
    {
      flow->outcome = OUTCOME_STOPPED;
      flow->login_failed = TRUE;
      flow->err = g_strdup (run.err);
      goto out;
    }
  stompy_test_cli_run_clear (&run);

  run_cli (&run, emulator, state_home, NULL,
           (const char * const []) { "connect", "--answers", answers_path, "--json", NULL });
  if (!check_process (&run, "connect", log, &flow->failure))
    goto out;
  flow->outcome = run.status == 0 ? OUTCOME_COMPLETED : OUTCOME_STOPPED;
  if (run.status != 0)
    flow->err = g_strdup (run.err);

out:
  stompy_test_cli_run_clear (&run);
}

/* ------------------------------------------------------------ checks */

static gboolean
has_cjk (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x4E00 && c <= 0x9FFF)
        return TRUE;
    }
  return FALSE;
}

/* The wizard step (StompyStep + 1) that a failure of @operation concerns, or
 * 0 when this table does not know the service (then any step will do). */
static guint
expected_step (const char *operation)
{
  static const struct
  {
    const char *prefix;
    guint       step;
  } table[] = {
    { "sts:", 1 }, { "organizations:", 1 }, { "stompy:GET /aws/onboarding", 1 },
    /* AnalySaver comes first: its report, then its stack, meet the fault. */
    { "s3:", 3 }, { "cur:", 3 }, { "bcm-data-exports:", 3 }, { "templates:", 3 },
    { "cloudformation:", 3 },
    { "stompy:POST /aws/accounts", 5 }, { "stompy:GET /aws/accounts", 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_str_has_prefix (operation, table[i].prefix))
      return table[i].step;
  return 0;
}

static const char *
step_title (guint step)
{
  switch (step)
    {
    case 1: return g_dpgettext2 (GETTEXT_PACKAGE, "step", "Sign In");
    case 2: return g_dpgettext2 (GETTEXT_PACKAGE, "step", "Products");
    case 3: return g_dpgettext2 (GETTEXT_PACKAGE, "step", "AnalySaver");
    case 4: return g_dpgettext2 (GETTEXT_PACKAGE, "step", "SpoTainer");
    case 5: return g_dpgettext2 (GETTEXT_PACKAGE, "step", "Connect");
    default: return "?";
    }
}

/* The translated line "Step N of 5: TITLE", as the CLI prints it. */
static char *
step_line (guint step)
{
  return g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "Step %u of %u: %s"), step, 5u,
                          step_title (step));
}

/* A stop's standard error: the error line ("stompy-connect-cli：…") in
 * Chinese, not a raw AWS error, and the step. NULL when right. */
static char *
check_stop_message (const Case *c,
                    const Flow *flow)
{
  g_auto(GStrv) lines = g_strsplit (flow->err, "\n", -1);
  const char *message = NULL;
  g_autofree char *raw_aws = NULL;
  guint step;

  for (guint i = 0; lines[i] != NULL && message == NULL; i++)
    if (g_str_has_prefix (lines[i], "stompy-connect-cli") && has_cjk (lines[i]))
      message = lines[i];
  if (message == NULL)
    return g_strdup ("no translated error line on standard error");

  /* The fallback for AWS errors without a sentence of their own quotes AWS's
   * English message: not an actionable message for a fault the app knows. */
  raw_aws = g_strdup (g_dgettext (GETTEXT_PACKAGE, "AWS returned the error %s: %s"));
  *strstr (raw_aws, "%s") = '\0';
  if (strstr (message, raw_aws) != NULL)
    return g_strdup_printf ("a raw AWS error rather than the app's message: %s", message);

  if (flow->login_failed)
    {
      /* "login" is the sign-in step itself; no other call than POST /sessions
       * may stop it. */
      if (!g_str_equal (c->operation, "stompy:POST /sessions"))
        return g_strdup ("login stopped, but the fault is not on login's call");
      return NULL;
    }

  step = expected_step (c->operation);
  for (guint s = 1; s <= 5; s++)
    {
      g_autofree char *line = step_line (s);

      if (strstr (flow->err, line) == NULL)
        continue;
      if (!has_cjk (line))
        return g_strdup_printf ("the step line is not translated: %s", line);
      if (step != 0 && s != step)
        return g_strdup_printf ("stopped at “%s”, expected step %u", line, step);
      return NULL;
    }

  return g_strdup ("the step concerned is not named");
}

static gint64
member_int (JsonNode   *stats,
            const char *object,
            const char *member)
{
  JsonObject *o = json_object_get_object_member (json_node_get_object (stats), object);

  return o != NULL ? json_object_get_int_member_with_default (o, member, 0) : 0;
}

/* Everything made once, and the state file says done. NULL when right. */
static char *
check_made_once (StompyTestEmulator *emulator,
                 const char         *state_home)
{
  static const struct
  {
    const char *kind;
    gint64      count;
  } expected[] = {
    { "s3:bucket", 1 }, { "cur:report", 1 }, { "cloudformation:stack", 2 },
    { "stompy:aws_account", 1 },
  };
  g_autoptr(JsonNode) stats = stompy_test_emulator_get_stats (emulator);
  g_autofree char *path = g_build_filename (state_home, "stompy-connect", "state.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gint64 made = member_int (stats, "creations", expected[i].kind);

      if (made != expected[i].count)
        return g_strdup_printf ("%s made %" G_GINT64_FORMAT " times, expected %" G_GINT64_FORMAT,
                                expected[i].kind, made, expected[i].count);
    }

  if (!json_parser_load_from_file (parser, path, &error))
    return g_strdup_printf ("state file: %s", error->message);
  root = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (root, "step", NULL), "done") != 0)
    return g_strdup ("the state file's step is not “done”");
  if (g_strcmp0 (json_object_get_string_member_with_default (root, "account_id", NULL),
                 ACCOUNT_ID) != 0)
    return g_strdup ("the state file lost the account");

  return NULL;
}

static void
add_fault (StompyTestEmulator *emulator,
           const Case         *c)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, c->operation);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, c->kind->name);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, c->persistent ? PERSISTENT_COUNT : 1);
  if (g_str_equal (c->kind->name, "delay"))
    {
      json_builder_set_member_name (builder, "delay_ms");
      json_builder_add_int_value (builder, DELAY_MS);
    }
  if (g_str_equal (c->kind->name, "skew"))
    {
      json_builder_set_member_name (builder, "skew_seconds");
      json_builder_add_int_value (builder, 3600);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  reply = stompy_test_emulator_control (emulator, "faults", json);
}

/* One case, on @emulator; fills c->outcome, c->failure, c->log. */
static void
run_case (Case               *c,
          StompyTestEmulator *emulator)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(JsonNode) reply = stompy_test_emulator_control (emulator, "reset", "{}");
  g_autoptr(GError) error = NULL;
  g_autofree char *state_home = g_dir_make_tmp ("stompy-faults-XXXXXX", &error);
  gint64 start = g_get_monotonic_time ();
  Flow flow = { 0, };
  char *failure = NULL;

  g_assert_no_error (error);
  add_fault (emulator, c);
  run_flow (&flow, emulator, state_home, log);
  c->outcome = flow.outcome;

  if (flow.failure != NULL)
    {
      failure = g_steal_pointer (&flow.failure);
      goto out;
    }

  if (flow.outcome == OUTCOME_COMPLETED)
    {
      g_autoptr(JsonNode) stats = stompy_test_emulator_get_stats (emulator);

      if (member_int (stats, "requests", c->operation) == 0)
        failure = g_strdup ("the faulted operation was never called");
      else
        failure = check_made_once (emulator, state_home);
      goto out;
    }

  /* Stopped. */
  if (!c->persistent && c->kind->must_retry)
    {
      failure = g_strdup ("stopped although one retry would have cured it");
      goto out;
    }
  if (c->kind->never_stops)
    {
      failure = g_strdup ("stopped on a fault the client must correct");
      goto out;
    }
  failure = check_stop_message (c, &flow);
  if (failure != NULL)
    goto out;

  /* Faults cleared, the same flow again: it goes on from the state file. */
  stompy_test_emulator_clear_faults (emulator);
  flow_clear (&flow);
  g_string_append (log, "--- faults cleared, the same flow again ---\n");
  run_flow (&flow, emulator, state_home, log);
  if (flow.failure != NULL)
    failure = g_steal_pointer (&flow.failure);
  else if (flow.outcome != OUTCOME_COMPLETED)
    failure = g_strdup ("the flow retried without faults did not complete");
  else
    failure = check_made_once (emulator, state_home);

out:
  flow_clear (&flow);
  stompy_test_remove_tree (state_home);
  c->failure = failure;
  c->seconds = (g_get_monotonic_time () - start) / 1e6;
  c->log = g_string_free (g_steal_pointer (&log), FALSE);
}

/* ------------------------------------------------------------ workers */

static GAsyncQueue *queue;

static gpointer
worker_main (gpointer data)
{
  StompyTestEmulator *emulator = stompy_test_emulator_start ();
  Case *c;

  while ((c = g_async_queue_try_pop (queue)) != NULL)
    {
      run_case (c, emulator);
      g_mutex_lock (&results_lock);
      c->done = TRUE;
      n_left--;
      g_cond_broadcast (&results_cond);
      g_mutex_unlock (&results_lock);
    }

  stompy_test_emulator_stop (emulator);
  return NULL;
}

static guint
n_workers (void)
{
  const char *value = g_getenv ("STOMPY_FAULT_WORKERS");
  guint64 n = 0;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 1, 64, &n, NULL))
    return (guint) n;
  /* The runs mostly wait (backoffs, timeouts, polls): more workers than cores. */
  return CLAMP (3 * g_get_num_processors (), 4, 12);
}

/* Starts every selected case on a pool of workers, once. */
static void
start_matrix (void)
{
  guint workers;

  g_mutex_lock (&results_lock);
  if (matrix_started)
    {
      g_mutex_unlock (&results_lock);
      return;
    }
  matrix_started = TRUE;
  queue = g_async_queue_new ();
  /* The slow ones (delays) first, so that they do not end the run alone. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < cases->len; i++)
      {
        Case *c = g_ptr_array_index (cases, i);
        gboolean slow = g_str_equal (c->kind->name, "delay");

        if (c->selected && slow == (pass == 0))
          {
            g_async_queue_push (queue, c);
            n_left++;
          }
      }
  g_mutex_unlock (&results_lock);

  workers = MIN (n_workers (), MAX (1u, n_left));
  g_test_message ("%u cases on %u workers", n_left, workers);
  for (guint i = 0; i < workers; i++)
    g_thread_unref (g_thread_new ("fault-worker", worker_main, NULL));
}

static void
test_case (gconstpointer data)
{
  Case *c = (Case *) data;

  if (!c->selected)
    {
      g_test_skip ("not in STOMPY_FAULT_CASES");
      return;
    }
  if (!catalog_built)
    {
      g_test_skip ("The Chinese translation is not built");
      return;
    }

  start_matrix ();
  g_mutex_lock (&results_lock);
  while (!c->done)
    g_cond_wait (&results_cond, &results_lock);
  g_mutex_unlock (&results_lock);

  g_test_message ("%s: %s in %.1f s", c->path,
                  c->outcome == OUTCOME_COMPLETED ? "completed" : "stopped", c->seconds);
  if (c->failure != NULL)
    {
      g_test_message ("%s", c->log);
      g_test_fail_printf ("%s: %s", c->path, c->failure);
    }
}

/* The outcomes, as the README's table reports them. */
static void
test_summary (void)
{
  guint completed = 0, stopped_retried = 0, failed = 0, run = 0;

  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = g_ptr_array_index (cases, i);

      if (!c->done)
        continue;
      run++;
      if (c->failure != NULL)
        failed++;
      else if (c->outcome == OUTCOME_COMPLETED)
        completed++;
      else
        stopped_retried++;
    }

  g_test_message ("fault matrix: %u operations × %u kinds = %u cases run; %u completed, "
                  "%u stopped with a message then completed when retried, %u failed",
                  operations->len, (guint) G_N_ELEMENTS (kinds), run, completed,
                  stopped_retried, failed);
  /* Printed for the README (meson test -v shows it). */
  g_printerr ("# FAULT MATRIX: operations=%u kinds=%u cases=%u completed=%u "
              "stopped_then_retried=%u failed=%u\n", operations->len,
              (guint) G_N_ELEMENTS (kinds), run, completed, stopped_retried, failed);
}

/* ------------------------------------------------------------ discovery */

static JsonObject *
load_accounts (JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("STOMPY_SOURCE_ROOT"), "tests", "emulator",
                                            "accounts.json", NULL);

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
write_files (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *aws = json_object_get_object_member (load_accounts (parser), "aws");
  g_autofree char *credentials = NULL;
  g_autoptr(GError) error = NULL;

  credentials = g_strdup_printf ("[" PROFILE "]\naws_access_key_id = " ACCESS_KEY_ID "\n"
                                 "aws_secret_access_key = %s\n",
                                 json_object_get_string_member (
                                   json_object_get_object_member (aws, ACCESS_KEY_ID),
                                   "secret"));
  g_file_set_contents (config_path, "[profile " PROFILE "]\nregion = ap-southeast-1\n", -1,
                       &error);
  g_assert_no_error (error);
  g_file_set_contents (credentials_path, credentials, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (answers_path,
                       "{ \"analysaver\": true, \"spotainer\": true, \"report\": \"stompy-cur\","
                       "  \"bucket\": \"stompy-cur-" ACCOUNT_ID "\", \"acknowledge-iam\": true,"
                       "  \"yes\": true }", -1, &error);
  g_assert_no_error (error);
}

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The fault-free flow on a fresh emulator; its stats give the operations. */
static void
discover_operations (void)
{
  g_autoptr(StompyTestEmulator) emulator = stompy_test_emulator_start ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *state_home = g_dir_make_tmp ("stompy-faults-XXXXXX", &error);
  g_autoptr(JsonNode) stats = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *requests;
  Flow flow = { 0, };

  g_assert_no_error (error);
  operations = g_ptr_array_new_with_free_func (g_free);
  run_flow (&flow, emulator, state_home, log);
  if (flow.failure != NULL || flow.outcome != OUTCOME_COMPLETED)
    discovery_failure = g_strdup_printf ("the flow without faults did not complete: %s\n%s",
                                         flow.failure != NULL ? flow.failure : "stopped",
                                         log->str);
  else
    discovery_failure = check_made_once (emulator, state_home);
  flow_clear (&flow);
  stompy_test_remove_tree (state_home);

  stats = stompy_test_emulator_get_stats (emulator);
  requests = json_object_get_object_member (json_node_get_object (stats), "requests");
  names = requests != NULL ? json_object_get_members (requests) : NULL;
  for (GList *l = names; l != NULL; l = l->next)
    g_ptr_array_add (operations, g_strdup (l->data));
  g_ptr_array_sort (operations, compare_strings);
}

static void
test_discovery (void)
{
  if (discovery_failure != NULL)
    g_test_fail_printf ("%s", discovery_failure);
  for (guint i = 0; i < operations->len; i++)
    g_test_message ("operation: %s", (char *) g_ptr_array_index (operations, i));
  /* An anchor per step, so that a flow that stopped short cannot pass for the
   * whole list. */
  {
    const char *anchors[] = {
      "stompy:POST /sessions", "sts:GetCallerIdentity", "stompy:GET /aws/onboarding",
      "s3:CreateBucket", "cur:PutReportDefinition", "cloudformation:CreateStack",
      "stompy:POST /aws/accounts",
    };

    for (guint i = 0; i < G_N_ELEMENTS (anchors); i++)
      if (!g_ptr_array_find_with_equal_func (operations, anchors[i], g_str_equal, NULL))
        g_test_fail_printf ("the flow made no %s", anchors[i]);
  }
}

/* "stompy:POST /aws/accounts" → "stompy:POST-aws-accounts" (a test path's part). */
static char *
path_part (const char *operation)
{
  g_autoptr(GString) part = g_string_new (NULL);

  for (const char *p = operation; *p != '\0'; p++)
    {
      if (*p == '/' || *p == ' ')
        {
          if (part->len > 0 && part->str[part->len - 1] != '-')
            g_string_append_c (part, '-');
        }
      else if (*p != '{' && *p != '}')
        {
          g_string_append_c (part, *p);
        }
    }

  return g_string_free (g_steal_pointer (&part), FALSE);
}

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->operation);
  g_free (c->path);
  g_free (c->failure);
  g_free (c->log);
  g_free (c);
}

static void
build_cases (void)
{
  const char *only = g_getenv ("STOMPY_FAULT_CASES");

  cases = g_ptr_array_new_with_free_func (case_free);
  for (guint i = 0; i < operations->len; i++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      for (guint m = 0; m < 2; m++)
        {
          const char *operation = g_ptr_array_index (operations, i);
          g_autofree char *part = path_part (operation);
          Case *c;

          if (m == 0 && !kinds[k].transient)
            continue;
          c = g_new0 (Case, 1);
          c->operation = g_strdup (operation);
          c->kind = &kinds[k];
          c->persistent = m == 1;
          c->path = g_strdup_printf ("/faults/%s/%s/%s", part, kinds[k].name,
                                     c->persistent ? "persistent" : "transient");
          c->selected = only == NULL || *only == '\0' || g_pattern_match_simple (only, c->path);
          g_ptr_array_add (cases, c);
        }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *localedir = g_getenv ("STOMPY_LOCALEDIR");
  int status;

  /* The test reads the same catalog as the CLI, to know its Chinese lines. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "");
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  {
    g_autofree char *mo = g_build_filename (localedir, "zh_CN", "LC_MESSAGES",
                                            GETTEXT_PACKAGE ".mo", NULL);

    catalog_built = g_file_test (mo, G_FILE_TEST_IS_REGULAR);
  }
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* Every failing case is worth seeing, not only the first. */
  {
    char **args = g_new0 (char *, argc + 2);

    memcpy (args, argv, argc * sizeof (char *));
    args[argc] = (char *) "--keep-going";
    argc++;
    argv = args;
  }
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("stompy-faults-XXXXXX", &error);
  g_assert_no_error (error);
  config_path = g_build_filename (tmp_dir, "config", NULL);
  credentials_path = g_build_filename (tmp_dir, "credentials", NULL);
  answers_path = g_build_filename (tmp_dir, "answers.json", NULL);
  write_files ();

  discover_operations ();
  build_cases ();

  g_test_add_func ("/faults/discovery/flow-without-faults-completes", test_discovery);
  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = g_ptr_array_index (cases, i);

      g_test_add_data_func (c->path, c, test_case);
    }
  g_test_add_func ("/faults/summary/outcomes", test_summary);

  status = g_test_run ();

  stompy_test_remove_tree (tmp_dir);
  g_ptr_array_unref (cases);
  g_ptr_array_unref (operations);
  g_free (discovery_failure);
  g_free (tmp_dir);
  g_free (config_path);
  g_free (credentials_path);
  g_free (answers_path);
  g_free (argv);  /* the array made above to add --keep-going; its strings are the process's */
  return status;
}
