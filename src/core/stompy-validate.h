/* stompy-validate.h — checks of what users type, with the reason when invalid
 *
 * Each returns TRUE, or FALSE with STOMPY_ERROR_INVALID_INPUT whose message is
 * for developers; *reason (if not NULL) receives a StompyInvalidReason the UI
 * turns into a translated sentence.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  STOMPY_INVALID_NONE,
  STOMPY_INVALID_EMPTY,
  STOMPY_INVALID_EMAIL,                 /* not name@domain.tld */
  STOMPY_INVALID_ACCESS_KEY_ID_LENGTH,  /* not 16–128 characters (AKIA… keys are 20) */
  STOMPY_INVALID_ACCESS_KEY_ID_CHARS,   /* not upper-case letters and digits */
  STOMPY_INVALID_ACCESS_KEY_ID_PREFIX,  /* not AKIA (long-term) or ASIA (temporary) */
  STOMPY_INVALID_SECRET_KEY,            /* not 40 base64-ish characters */
  STOMPY_INVALID_ACCOUNT_ID,            /* not 12 digits */
  STOMPY_INVALID_WHITESPACE,            /* leading/trailing/inner spaces, e.g. from a paste */
} StompyInvalidReason;

gboolean stompy_validate_email          (const char          *text,
                                         StompyInvalidReason *reason,
                                         GError             **error);
gboolean stompy_validate_access_key_id  (const char          *text,
                                         StompyInvalidReason *reason,
                                         GError             **error);
gboolean stompy_validate_secret_key     (const char          *text,
                                         StompyInvalidReason *reason,
                                         GError             **error);
gboolean stompy_validate_account_id     (const char          *text,
                                         StompyInvalidReason *reason,
                                         GError             **error);

G_END_DECLS
