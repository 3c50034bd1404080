/* stompy-validate.c — checks of what users type, with the reason when invalid
 *
 * The checks are deliberately about shape only: whether an access key exists
 * is for AWS to say. They are strict where a wrong shape can only be a typo or
 * a bad paste (an access key id with a lower-case letter, a secret of 39
 * characters) so that the UI can point at the field before any request is made.
 *
 * No message produced here ever quotes the text it checked: the same functions
 * see secret access keys, and an error message may end up in a log.
 */
#include "config.h"

#include <string.h>

#include "stompy-error.h"
#include "stompy-validate.h"

static gboolean
fail (StompyInvalidReason *reason,
      GError             **error,
      StompyInvalidReason  value,
      const char          *message)
{
  if (reason != NULL)
    *reason = value;
  g_set_error_literal (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT, message);
  return FALSE;
}

static gboolean
succeed (StompyInvalidReason *reason)
{
  if (reason != NULL)
    *reason = STOMPY_INVALID_NONE;
  return TRUE;
}

/* Spaces, tabs and newlines, but also what copying from a web page or a PDF
 * brings along: no-break spaces, zero-width spaces and the byte-order mark. */
static gboolean
unichar_is_paste_space (gunichar c)
{
  return g_unichar_isspace (c)
         || c == 0x00A0   /* no-break space */
         || c == 0x200B   /* zero-width space */
         || c == 0x200C   /* zero-width non-joiner */
         || c == 0x200D   /* zero-width joiner */
         || c == 0x2060   /* word joiner */
         || c == 0xFEFF;  /* byte-order mark / zero-width no-break space */
}

static gboolean
has_paste_space (const char *text)
{
  const char *p;

  /* Only called on valid UTF-8. */
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (unichar_is_paste_space (g_utf8_get_char (p)))
        return TRUE;
    }

  return FALSE;
}

/* The checks common to every field: something typed, text, no stray spaces.
 * @invalid is the field's own reason, used for text that is not UTF-8. */
static gboolean
check_common (const char          *text,
              const char          *what,
              StompyInvalidReason  invalid,
              StompyInvalidReason *reason,
              GError             **error)
{
  if (text == NULL || *text == '\0')
    {
      g_autofree char *message = g_strdup_printf ("%s is empty", what);
      return fail (reason, error, STOMPY_INVALID_EMPTY, message);
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *message = g_strdup_printf ("%s is not valid UTF-8", what);
      return fail (reason, error, invalid, message);
    }

  if (has_paste_space (text))
    {
      g_autofree char *message = g_strdup_printf ("%s contains white space", what);
      return fail (reason, error, STOMPY_INVALID_WHITESPACE, message);
    }

  return TRUE;
}

static gboolean
is_domain_label_char (char c)
{
  /* Bytes ≥ 0x80 are parts of internationalised (UTF-8) domain names, which
   * the service accepts as typed. */
  return g_ascii_isalnum (c) || c == '-' || (guchar) c >= 0x80;
}

/* name@domain.tld, as a person types it: a local part without spaces or
 * control characters, a domain of at least two dot-separated labels, each
 * non-empty and not starting or ending with "-", and a top-level label that is
 * not all digits (which would be an IP address). */
gboolean
stompy_validate_email (const char          *text,
                       StompyInvalidReason *reason,
                       GError             **error)
{
  const char *at;
  const char *domain;
  const char *label;
  const char *p;
  gsize local_len;
  gboolean tld_has_letter = FALSE;
  guint n_labels = 0;

  if (!check_common (text, "Email address", STOMPY_INVALID_EMAIL, reason, error))
    return FALSE;

  at = strchr (text, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL)
    return fail (reason, error, STOMPY_INVALID_EMAIL,
                 "Email address must contain exactly one \"@\"");

  local_len = at - text;
  if (local_len == 0 || local_len > 64)
    return fail (reason, error, STOMPY_INVALID_EMAIL,
                 "Email address must have 1 to 64 characters before the \"@\"");

  for (p = text; p < at; p++)
    {
      if (g_ascii_iscntrl (*p) || strchr ("\"(),:;<>[\\]", *p) != NULL)
        return fail (reason, error, STOMPY_INVALID_EMAIL,
                     "Email address has a character not allowed before the \"@\"");
    }
  if (text[0] == '.' || at[-1] == '.' || g_strstr_len (text, local_len, "..") != NULL)
    return fail (reason, error, STOMPY_INVALID_EMAIL,
                 "Email address has a misplaced \".\" before the \"@\"");

  domain = at + 1;
  if (strlen (domain) > 253)
    return fail (reason, error, STOMPY_INVALID_EMAIL, "Email address domain is too long");

  label = domain;
  for (p = domain; ; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          gsize len = p - label;

          if (len == 0 || len > 63 || label[0] == '-' || p[-1] == '-')
            return fail (reason, error, STOMPY_INVALID_EMAIL,
                         "Email address domain must be labels separated by \".\", "
                         "as in example.com");
          n_labels++;

          if (*p == '\0')
            {
              const char *q;

              for (q = label; q < p; q++)
                {
                  if (!g_ascii_isdigit (*q) && *q != '-')
                    tld_has_letter = TRUE;
                }
              break;
            }
          label = p + 1;
        }
      else if (!is_domain_label_char (*p))
        {
          return fail (reason, error, STOMPY_INVALID_EMAIL,
                       "Email address domain has a character not allowed in a domain name");
        }
    }

  if (n_labels < 2 || !tld_has_letter)
    return fail (reason, error, STOMPY_INVALID_EMAIL,
                 "Email address domain must have a top-level domain, as in example.com");

  return succeed (reason);
}

/* AWS access key ids are upper-case letters and digits; the ones a person can
 * type into this app are long-term user keys (AKIA…) and temporary keys from
 * STS (ASIA…), both 20 characters long. Other prefixes AWS uses (AIDA for a
 * user id, AROA for a role id…) are identifiers, never keys, so a paste of one
 * of them is worth pointing out as such. */
gboolean
stompy_validate_access_key_id (const char          *text,
                               StompyInvalidReason *reason,
                               GError             **error)
{
  const char *p;
  gsize len;

  if (!check_common (text, "Access key id", STOMPY_INVALID_ACCESS_KEY_ID_CHARS, reason, error))
    return FALSE;

  for (p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p))
        return fail (reason, error, STOMPY_INVALID_ACCESS_KEY_ID_CHARS,
                     "Access key id must be upper-case letters A-Z and digits only");
    }

  len = p - text;
  if (len >= 4 && !g_str_has_prefix (text, "AKIA") && !g_str_has_prefix (text, "ASIA"))
    return fail (reason, error, STOMPY_INVALID_ACCESS_KEY_ID_PREFIX,
                 "Access key id must start with AKIA (long-term key) or ASIA (temporary key)");

  if (len != 20)
    {
      g_autofree char *message =
        g_strdup_printf ("Access key id has %" G_GSIZE_FORMAT " characters; "
                         "AKIA and ASIA keys have 20", len);
      return fail (reason, error, STOMPY_INVALID_ACCESS_KEY_ID_LENGTH, message);
    }

  return succeed (reason);
}

/* A secret access key is 40 characters of the base64 alphabet (letters,
 * digits, "/" and "+"; never "=" padding). */
gboolean
stompy_validate_secret_key (const char          *text,
                            StompyInvalidReason *reason,
                            GError             **error)
{
  const char *p;
  gsize len;

  if (!check_common (text, "Secret access key", STOMPY_INVALID_SECRET_KEY, reason, error))
    return FALSE;

  for (p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '/' && *p != '+')
        return fail (reason, error, STOMPY_INVALID_SECRET_KEY,
                     "Secret access key must be letters, digits, \"/\" and \"+\" only");
    }

  len = p - text;
  if (len != 40)
    {
      /* The length is safe to report; the content is not. */
      g_autofree char *message =
        g_strdup_printf ("Secret access key has %" G_GSIZE_FORMAT " characters, not 40", len);
      return fail (reason, error, STOMPY_INVALID_SECRET_KEY, message);
    }

  return succeed (reason);
}

/* Exactly 12 digits. The console shows account ids as "1234-5678-9012", but
 * every API takes the digits alone, so the dashed form is rejected here and
 * the UI may strip the dashes before calling this if it wants to be lenient. */
gboolean
stompy_validate_account_id (const char          *text,
                            StompyInvalidReason *reason,
                            GError             **error)
{
  const char *p;

  if (!check_common (text, "Account id", STOMPY_INVALID_ACCOUNT_ID, reason, error))
    return FALSE;

  for (p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return fail (reason, error, STOMPY_INVALID_ACCOUNT_ID,
                     "Account id must be digits only");
    }

  if (p - text != 12)
    return fail (reason, error, STOMPY_INVALID_ACCOUNT_ID, "Account id must have 12 digits");

  return succeed (reason);
}
