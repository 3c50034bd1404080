/* stompy-error-messages.h — errors as sentences a person can act on
 *
 * Core errors carry codes and English developer messages; this turns every
 * code of the three domains (STOMPY_ERROR, STOMPY_AWS_ERROR, STOMPY_API_ERROR)
 * into a translated sentence that says what happened and what to do, with the
 * AWS or Stompy request id appended when there is one (support quotes it).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *stompy_error_message_for (const GError *error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
