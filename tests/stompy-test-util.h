/* stompy-test-util.h — what the C tests share
 *
 * Waiting for async results without hanging (a timeout fails the test), and the
 * emulator's fixture accounts (tests/emulator/accounts.json, found through
 * $STOMPY_SOURCE_ROOT).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "stompy-aws-credentials.h"

G_BEGIN_DECLS

/* Longest wait for one asynchronous step before the test fails. */
#define STOMPY_TEST_WAIT_SECONDS 60

/* How many times slower than in a normal build the code under test runs: $STOMPY_TEST_TIME_SCALE
 * (the sanitizer build sets it), else 1. A test multiplies by it the emulator's durations that
 * must outlast some of the app's own work (a stack still in progress when the app looks). */
double                stompy_test_time_scale             (void);

/* Removes @path and, when it is a directory, everything in it (symbolic links
 * are removed, never followed). */
void                  stompy_test_remove_tree            (const char    *path);

/* A GAsyncReadyCallback storing a reference to the result in *(GAsyncResult **) @slot. */
void                  stompy_test_store_result_cb        (GObject       *source,
                                                          GAsyncResult  *result,
                                                          gpointer       slot);
/* Spins the thread-default main context until *@slot is set; returns it. */
GAsyncResult         *stompy_test_wait_result            (GAsyncResult **slot);
/* The same, then hands the result over (*@slot is NULL again, ready for reuse). */
GAsyncResult         *stompy_test_take_result            (GAsyncResult **slot) G_GNUC_WARN_UNUSED_RESULT;
/* Iterates @context until *@slot holds a result (stompy_test_store_result_cb()) or @seconds
 * pass. Returns FALSE on timeout: the operation may then still be pending. */
gboolean              stompy_test_iterate_for_result     (GMainContext  *context,
                                                          GAsyncResult **slot,
                                                          guint          seconds);
/* Spins until *@flag is TRUE. */
void                  stompy_test_spin_until             (gboolean      *flag);

/* One run of the command-line client. */
typedef struct
{
  gboolean  exited;      /* normally, with a status */
  int       status;      /* its exit status; -1 when it did not exit normally */
  gboolean  signalled;
  gboolean  timed_out;   /* killed after the time it was given */
  char     *out;         /* standard output and error, never NULL after a run */
  char     *err;
} StompyTestCliRun;

void                  stompy_test_cli_run_clear          (StompyTestCliRun   *run);
/* Runs the built stompy-connect-cli ($STOMPY_BUILD_ROOT/src/cli) with @args (NULL-terminated,
 * without the program) in the environment @envp, @input on its standard input (NULL: none),
 * spinning the thread-default main context meanwhile, from which in-process servers answer;
 * killed after @timeout_s seconds (then run->timed_out). Fills @run (zero-initialised, or
 * from an earlier run: it is cleared first). */
void                  stompy_test_run_cli                (StompyTestCliRun   *run,
                                                          const char * const *envp,
                                                          const char         *input,
                                                          const char * const *args,
                                                          guint               timeout_s);

/* The parsed accounts.json (owned by the helper, kept for the process). */
JsonObject           *stompy_test_accounts               (void);
/* The access key id of the AWS fixture whose "profile" is @profile. */
const char           *stompy_test_access_key_for_profile (const char    *profile);
JsonObject           *stompy_test_aws_account            (const char    *profile);
StompyAwsCredentials *stompy_test_credentials_for_profile (const char   *profile);

G_END_DECLS
