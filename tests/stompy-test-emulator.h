/* stompy-test-emulator.h — start the project's emulator for a test
 *
 * Spawns tests/emulator/stompy-emulator.py (path in $STOMPY_EMULATOR, python in
 * $STOMPY_PYTHON) on a free loopback port, waits for its ready line, and stops
 * it (SIGTERM, then waits) when freed. Each test process gets its own emulator,
 * so tests can run in parallel and inject faults without affecting each other.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _StompyTestEmulator StompyTestEmulator;

/* Aborts the test (g_error) if the emulator does not start within 10 s. */
StompyTestEmulator *stompy_test_emulator_start         (void);
void                stompy_test_emulator_stop          (StompyTestEmulator *self);
/* "http://127.0.0.1:PORT" — the AWS endpoint (AWS_ENDPOINT_URL) */
const char         *stompy_test_emulator_get_url       (StompyTestEmulator *self);
/* "http://127.0.0.1:PORT/v1" — the Stompy API base (STOMPY_API_URL) */
const char         *stompy_test_emulator_get_api_url   (StompyTestEmulator *self);
/* A NULL-terminated environment for clients: g_get_environ() plus
 * AWS_ENDPOINT_URL and STOMPY_API_URL pointing at this emulator. */
char              **stompy_test_emulator_get_environ   (StompyTestEmulator *self);

/* POST @json to /_emulator/@path synchronously (a tiny blocking client, so it
 * does not disturb the test's main context); returns the parsed reply. E.g.
 *   stompy_test_emulator_control (emu, "faults",
 *     "{\"target\": \"sts:GetCallerIdentity\", \"kind\": \"throttle\", \"count\": 2}");
 * Aborts the test on failure. */
JsonNode           *stompy_test_emulator_control       (StompyTestEmulator *self,
                                                        const char         *path,
                                                        const char         *json);
/* DELETE /_emulator/faults: every queued fault and clock skew gone, the
 * emulator's state, sessions and stats kept. */
void                stompy_test_emulator_clear_faults  (StompyTestEmulator *self);
/* GET /_emulator/stats, parsed. */
JsonNode           *stompy_test_emulator_get_stats     (StompyTestEmulator *self);
/* stats.requests[@operation] ("sts:GetCallerIdentity", "stompy:POST /sessions"), 0 if none. */
gint64              stompy_test_emulator_count_requests (StompyTestEmulator *self,
                                                        const char         *operation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyTestEmulator, stompy_test_emulator_stop)

G_END_DECLS
