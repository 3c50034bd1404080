/* stompy-error-messages.h — errors as sentences a person can act on
 *
 * Core errors carry codes and English developer messages; this turns every
 * code of the three domains (STOMPY_ERROR, STOMPY_AWS_ERROR, STOMPY_API_ERROR)
 * into a translated sentence that says what happened and what to do, with the
 * AWS or Stompy request id appended when there is one (support quotes it).
 */
#pragma once

#include <glib.h>

#include "stompy-validate.h"

G_BEGIN_DECLS

char       *stompy_error_message_for       (const GError        *error) G_GNUC_WARN_UNUSED_RESULT;
/* Why a typed value is not valid, as a translated sentence for the field's
 * hint; NULL for STOMPY_INVALID_NONE. */
const char *stompy_invalid_reason_sentence (StompyInvalidReason  reason);
/* "Field: sentence", translated, for a hint under a form. */
char       *stompy_field_message           (const char          *field,
                                            const char          *sentence) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
