/* fuzz-state-file.c — the onboarding state file (stompy-onboarding: the model,
 * its CUR choice, stack records and connection parts), read as at startup. A
 * state that loads must save and load again to the same state.
 */
#include "config.h"

#include "stompy-fuzz.h"
#include "src/core/stompy-onboarding.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* Never written: autosave is off and nothing calls _save(). */
  g_autoptr(StompyOnboarding) onboarding = stompy_onboarding_new ("/nonexistent/stompy-fuzz/state.json");
  g_autoptr(GError) error = NULL;
  gboolean ok;

  stompy_fuzz_init ();
  if (stompy_fuzz_json_skip (data, size))
    return 0;
  stompy_onboarding_set_autosave (onboarding, FALSE);

  ok = stompy_onboarding_load_from_data (onboarding, size > 0 ? (const char *) data : "", size,
                                         &error);
  g_assert (ok == (error == NULL));
  if (!ok)
    {
      /* A damaged state starts the wizard over. */
      g_assert (stompy_onboarding_get_step (onboarding) == STOMPY_STEP_SIGN_IN);
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  else
    {
      StompyStep step = stompy_onboarding_get_step (onboarding);
      g_autoptr(StompyOnboarding) again = stompy_onboarding_new ("/nonexistent/stompy-fuzz/state.json");
      g_autoptr(GError) again_error = NULL;
      g_autofree char *saved = NULL;
      g_autofree char *saved_again = NULL;
      gsize length = 0, length_again = 0;

      (void) stompy_onboarding_next_step (onboarding, step);
      (void) stompy_onboarding_previous_step (onboarding, step);

      /* What was accepted is written back, and reads as the same state. */
      saved = stompy_onboarding_to_data (onboarding, &length);
      stompy_onboarding_set_autosave (again, FALSE);
      if (!stompy_onboarding_load_from_data (again, saved, length, &again_error))
        g_error ("a loaded state does not load again: %s\n%s", again_error->message, saved);
      saved_again = stompy_onboarding_to_data (again, &length_again);
      if (g_strcmp0 (saved, saved_again) != 0)
        g_error ("the state changed on a round trip:\n%s\n---\n%s", saved, saved_again);
    }

  return 0;
}
