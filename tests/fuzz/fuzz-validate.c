/* fuzz-validate.c — the checks of what users type or paste (stompy-validate,
 * S3 bucket names, CUR report names and prefixes, pasted RoleArns, ARNs) and
 * of the short strings AWS answers with (stack statuses, organization roles).
 * The input goes to every validator; each must give a consistent verdict.
 */
#include "config.h"

#include "stompy-fuzz.h"
#include "src/core/stompy-aws-identity.h"
#include "src/core/stompy-cloudformation.h"
#include "src/core/stompy-cur.h"
#include "src/core/stompy-s3.h"
#include "src/core/stompy-validate.h"

typedef gboolean (*Validator) (const char *, StompyInvalidReason *, GError **);

static void
check_user_field (Validator   validate,
                  const char *text)
{
  StompyInvalidReason reason = STOMPY_INVALID_NONE;
  g_autoptr(GError) error = NULL;
  gboolean ok = validate (text, &reason, &error);

  /* Valid ⇔ no reason and no error; an error message reaches the UI. */
  g_assert (ok == (reason == STOMPY_INVALID_NONE));
  g_assert (ok == (error == NULL));
  if (error != NULL)
    g_assert (g_utf8_validate (error->message, -1, NULL));
  g_assert (validate (text, NULL, NULL) == ok);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = stompy_fuzz_strndup (data, size);
  StompyBucketNameReason bucket_reason;
  StompyCurNameReason cur_reason;
  g_autoptr(GError) bucket_error = NULL;
  g_autoptr(GError) name_error = NULL;
  g_autofree char *found_account = NULL;
  g_autofree char *delivery = NULL;
  StompyRoleArnProblem problem;
  gboolean ok;

  stompy_fuzz_init ();

  check_user_field (stompy_validate_email, text);
  check_user_field (stompy_validate_access_key_id, text);
  check_user_field (stompy_validate_secret_key, text);
  check_user_field (stompy_validate_account_id, text);

  ok = stompy_s3_validate_bucket_name (text, &bucket_reason, &bucket_error);
  g_assert (ok == (bucket_error == NULL));
  g_assert (stompy_bucket_name_reason_to_string (bucket_reason) != NULL);
  /* A valid bucket name is 3–63 bytes of lower-case letters, digits, '.' and '-'. */
  if (ok)
    {
      g_assert (strlen (text) >= 3 && strlen (text) <= 63);
      for (const char *p = text; *p; p++)
        g_assert (g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '.' || *p == '-');
    }

  ok = stompy_cur_validate_report_name (text, &cur_reason, &name_error);
  g_assert (ok == (name_error == NULL));
  g_assert (stompy_cur_name_reason_to_string (cur_reason) != NULL);
  for (int athena = 0; athena < 2; athena++)
    {
      g_autoptr(GError) error = NULL;

      ok = stompy_cur_validate_prefix (text, athena, &cur_reason, &error);
      g_assert (ok == (error == NULL));
      if (ok)
        {
          g_autofree char *prefix = stompy_s3_delivery_prefix (text, "report");

          g_assert (prefix != NULL);
        }
    }
  if (g_utf8_validate (text, -1, NULL))
    delivery = stompy_s3_delivery_prefix (text, text);

  problem = stompy_role_arn_check (text, "111122223333", &found_account);
  g_assert (stompy_role_arn_problem_to_string (problem) != NULL);
  if (problem == STOMPY_ROLE_ARN_OK)
    g_assert_cmpstr (found_account, ==, "111122223333");
  g_clear_pointer (&found_account, g_free);
  (void) stompy_role_arn_check (text, NULL, &found_account);

  (void) stompy_aws_arn_is_root (text);
  (void) stompy_organization_role_to_string (stompy_organization_role_from_string (text));
  (void) stompy_stack_state_to_string (stompy_stack_status_classify (text));
  (void) stompy_stack_status_is_stable (text);

  return 0;
}
