/* test-validate.c — the input validators, as a table of what people type */
#include "config.h"

#include <string.h>

#include "stompy-error.h"
#include "stompy-validate.h"

typedef gboolean (*ValidateFunc) (const char *, StompyInvalidReason *, GError **);

typedef enum
{
  KIND_EMAIL,
  KIND_ACCESS_KEY_ID,
  KIND_SECRET_KEY,
  KIND_ACCOUNT_ID,
} Kind;

typedef struct
{
  const char         *name;   /* the test path's last part */
  Kind                kind;
  const char         *text;
  StompyInvalidReason expected;
} Case;

static const Case cases[] = {
  /* Email addresses. */
  { "email/valid/plain", KIND_EMAIL, "ops@example.com", STOMPY_INVALID_NONE },
  { "email/valid/plus-tag", KIND_EMAIL, "ops+aws@example.com", STOMPY_INVALID_NONE },
  { "email/valid/subdomain", KIND_EMAIL, "li.wei@mail.example.com.cn", STOMPY_INVALID_NONE },
  { "email/valid/hyphenated-domain", KIND_EMAIL, "a@my-company.io", STOMPY_INVALID_NONE },
  { "email/valid/idn-domain", KIND_EMAIL, "user@例子.中国", STOMPY_INVALID_NONE },
  { "email/invalid/null", KIND_EMAIL, NULL, STOMPY_INVALID_EMPTY },
  { "email/invalid/empty", KIND_EMAIL, "", STOMPY_INVALID_EMPTY },
  { "email/invalid/no-at", KIND_EMAIL, "ops.example.com", STOMPY_INVALID_EMAIL },
  { "email/invalid/two-ats", KIND_EMAIL, "ops@@example.com", STOMPY_INVALID_EMAIL },
  { "email/invalid/no-local-part", KIND_EMAIL, "@example.com", STOMPY_INVALID_EMAIL },
  { "email/invalid/no-tld", KIND_EMAIL, "ops@localhost", STOMPY_INVALID_EMAIL },
  { "email/invalid/empty-label", KIND_EMAIL, "ops@example..com", STOMPY_INVALID_EMAIL },
  { "email/invalid/trailing-dot", KIND_EMAIL, "ops@example.com.", STOMPY_INVALID_EMAIL },
  { "email/invalid/numeric-tld", KIND_EMAIL, "ops@10.0.0.1", STOMPY_INVALID_EMAIL },
  { "email/invalid/hyphen-label", KIND_EMAIL, "ops@-example.com", STOMPY_INVALID_EMAIL },
  { "email/invalid/comma", KIND_EMAIL, "ops,li@example.com", STOMPY_INVALID_EMAIL },
  { "email/invalid/bad-domain-char", KIND_EMAIL, "ops@exa_mple.com", STOMPY_INVALID_EMAIL },
  { "email/invalid/not-utf8", KIND_EMAIL, "ops@exam\xffple.com", STOMPY_INVALID_EMAIL },
  { "email/whitespace/trailing-newline", KIND_EMAIL, "ops@example.com\n", STOMPY_INVALID_WHITESPACE },
  { "email/whitespace/leading-space", KIND_EMAIL, " ops@example.com", STOMPY_INVALID_WHITESPACE },
  { "email/whitespace/no-break-space", KIND_EMAIL, "ops@example.com\xc2\xa0", STOMPY_INVALID_WHITESPACE },

  /* Access key ids (the emulator's and the AWS documentation's shapes). */
  { "access-key-id/valid/long-term", KIND_ACCESS_KEY_ID, "AKIAIOSFODNN7EXAMPLE", STOMPY_INVALID_NONE },
  { "access-key-id/valid/temporary", KIND_ACCESS_KEY_ID, "ASIAEMULATORTEMP0001", STOMPY_INVALID_NONE },
  { "access-key-id/valid/digits-0-to-9", KIND_ACCESS_KEY_ID, "AKIA0123456789018901", STOMPY_INVALID_NONE },
  { "access-key-id/invalid/empty", KIND_ACCESS_KEY_ID, "", STOMPY_INVALID_EMPTY },
  { "access-key-id/invalid/lower-case", KIND_ACCESS_KEY_ID, "akiaiosfodnn7example", STOMPY_INVALID_ACCESS_KEY_ID_CHARS },
  { "access-key-id/invalid/punctuation", KIND_ACCESS_KEY_ID, "AKIA-IOSFODNN7EXAMPL", STOMPY_INVALID_ACCESS_KEY_ID_CHARS },
  { "access-key-id/invalid/user-id-prefix", KIND_ACCESS_KEY_ID, "AIDAEMULATORMGMT0001", STOMPY_INVALID_ACCESS_KEY_ID_PREFIX },
  { "access-key-id/invalid/role-id-prefix", KIND_ACCESS_KEY_ID, "AROAEMULATORTEMP0001", STOMPY_INVALID_ACCESS_KEY_ID_PREFIX },
  { "access-key-id/invalid/too-short", KIND_ACCESS_KEY_ID, "AKIAIOSFODNN7EXAMPL", STOMPY_INVALID_ACCESS_KEY_ID_LENGTH },
  { "access-key-id/invalid/too-long", KIND_ACCESS_KEY_ID, "AKIAIOSFODNN7EXAMPLE1", STOMPY_INVALID_ACCESS_KEY_ID_LENGTH },
  { "access-key-id/invalid/three-letters", KIND_ACCESS_KEY_ID, "AKI", STOMPY_INVALID_ACCESS_KEY_ID_LENGTH },
  { "access-key-id/whitespace/trailing-space", KIND_ACCESS_KEY_ID, "AKIAIOSFODNN7EXAMPLE ", STOMPY_INVALID_WHITESPACE },
  { "access-key-id/whitespace/inner-tab", KIND_ACCESS_KEY_ID, "AKIAIOSF\tODNN7EXAMPLE", STOMPY_INVALID_WHITESPACE },
  { "access-key-id/whitespace/zero-width-space", KIND_ACCESS_KEY_ID, "\xe2\x80\x8b" "AKIAIOSFODNN7EXAMPLE", STOMPY_INVALID_WHITESPACE },

  /* Secret access keys. */
  { "secret-key/valid/aws-example", KIND_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", STOMPY_INVALID_NONE },
  { "secret-key/valid/emulator", KIND_SECRET_KEY, "EmulatorMgmtSecretKey/000000000000000010", STOMPY_INVALID_NONE },
  { "secret-key/valid/plus", KIND_SECRET_KEY, "abcdefghij+ABCDEFGHIJ/0123456789abcdefgh", STOMPY_INVALID_NONE },
  { "secret-key/invalid/empty", KIND_SECRET_KEY, "", STOMPY_INVALID_EMPTY },
  { "secret-key/invalid/39-chars", KIND_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE", STOMPY_INVALID_SECRET_KEY },
  { "secret-key/invalid/41-chars", KIND_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYY", STOMPY_INVALID_SECRET_KEY },
  { "secret-key/invalid/padding", KIND_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE=", STOMPY_INVALID_SECRET_KEY },
  { "secret-key/invalid/dash", KIND_SECRET_KEY, "wJalrXUtnFEMI-K7MDENG/bPxRfiCYEXAMPLEKEY", STOMPY_INVALID_SECRET_KEY },
  { "secret-key/whitespace/trailing-newline", KIND_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", STOMPY_INVALID_WHITESPACE },
  { "secret-key/whitespace/crlf", KIND_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n", STOMPY_INVALID_WHITESPACE },

  /* Account ids. */
  { "account-id/valid/digits", KIND_ACCOUNT_ID, "210987654321", STOMPY_INVALID_NONE },
  { "account-id/valid/leading-zero", KIND_ACCOUNT_ID, "012345678901", STOMPY_INVALID_NONE },
  { "account-id/invalid/empty", KIND_ACCOUNT_ID, "", STOMPY_INVALID_EMPTY },
  { "account-id/invalid/11-digits", KIND_ACCOUNT_ID, "21098765432", STOMPY_INVALID_ACCOUNT_ID },
  { "account-id/invalid/13-digits", KIND_ACCOUNT_ID, "2109876543210", STOMPY_INVALID_ACCOUNT_ID },
  { "account-id/invalid/console-dashes", KIND_ACCOUNT_ID, "2109-8765-4321", STOMPY_INVALID_ACCOUNT_ID },
  { "account-id/invalid/letter", KIND_ACCOUNT_ID, "21098765432l", STOMPY_INVALID_ACCOUNT_ID },
  { "account-id/invalid/fullwidth-digits", KIND_ACCOUNT_ID, "２１０９８７６５４３２１", STOMPY_INVALID_ACCOUNT_ID },
  { "account-id/whitespace/inner-space", KIND_ACCOUNT_ID, "2109 8765 4321", STOMPY_INVALID_WHITESPACE },
  { "account-id/whitespace/trailing-newline", KIND_ACCOUNT_ID, "210987654321\n", STOMPY_INVALID_WHITESPACE },
};

static ValidateFunc
func_for (Kind kind)
{
  switch (kind)
    {
    case KIND_EMAIL:
      return stompy_validate_email;
    case KIND_ACCESS_KEY_ID:
      return stompy_validate_access_key_id;
    case KIND_SECRET_KEY:
      return stompy_validate_secret_key;
    case KIND_ACCOUNT_ID:
      return stompy_validate_account_id;
    default:
      g_assert_not_reached ();
    }
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  ValidateFunc func = func_for (c->kind);
  StompyInvalidReason reason = (StompyInvalidReason) 12345;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = func (c->text, &reason, &error);
  g_assert_cmpint (reason, ==, c->expected);

  if (c->expected == STOMPY_INVALID_NONE)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
      g_assert_nonnull (error->message);
      g_assert_cmpstr (error->message, !=, "");
    }

  /* Neither out-argument is required. */
  g_assert_cmpint (func (c->text, NULL, NULL), ==, ok);
}

/* A secret access key must never be quoted back, in whole or in part, by the
 * message of a failed check: the message may reach a log. */
static void
test_secret_not_in_message (void)
{
  const char *secrets[] = {
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE",
    "wJalrXUtnFEMI-K7MDENG/bPxRfiCYEXAMPLEKEY",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (stompy_validate_secret_key (secrets[i], NULL, &error));
      g_assert_nonnull (error);
      g_assert_null (strstr (error->message, "wJalr"));
      g_assert_null (strstr (error->message, "EXAMPLE"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/validate/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/validate/secret-key/message-never-quotes-the-secret",
                   test_secret_not_in_message);

  return g_test_run ();
}
