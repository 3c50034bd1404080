/* stompy-error-messages.h — errors as sentences a person can act on
 *
 * Core errors carry codes and English developer messages; this turns every
 * code of the three domains (STOMPY_ERROR, STOMPY_AWS_ERROR, STOMPY_API_ERROR)
 * into a translated sentence that says what happened and what to do, with the
 * AWS or Stompy request id appended when there is one (support quotes it).
 */
#pragma once

#include <glib.h>

#include "stompy-cloudformation.h"
#include "stompy-cur.h"
#include "stompy-s3.h"
#include "stompy-validate.h"

G_BEGIN_DECLS

char       *stompy_error_message_for       (const GError        *error) G_GNUC_WARN_UNUSED_RESULT;
/* Why a typed value is not valid, as a translated sentence for the field's
 * hint; NULL for STOMPY_INVALID_NONE. */
const char *stompy_invalid_reason_sentence (StompyInvalidReason  reason);
/* "Field: sentence", translated, for a hint under a form. */
char       *stompy_field_message           (const char          *field,
                                            const char          *sentence) G_GNUC_WARN_UNUSED_RESULT;

/* Why a bucket name, a report name or prefix, or a pasted role ARN is not
 * valid, as a translated sentence; NULL when it is valid. */
const char *stompy_bucket_name_reason_sentence (StompyBucketNameReason  reason);
/* @prefix: the sentence is about a report's path prefix rather than its name. */
const char *stompy_cur_name_reason_sentence    (StompyCurNameReason     reason,
                                                gboolean                prefix);
/* @expected_account and @found_account (may be NULL) name the accounts for
 * STOMPY_ROLE_ARN_WRONG_ACCOUNT. */
char       *stompy_role_arn_problem_sentence   (StompyRoleArnProblem    problem,
                                                const char             *expected_account,
                                                const char             *found_account) G_GNUC_WARN_UNUSED_RESULT;

/* Why Connect (POST /aws/accounts, or the checks that follow) failed and what
 * to do, translated: account_already_connected names the other organization,
 * forbidden says that an administrator of @stompy_organization (may be NULL)
 * must connect, validation_failed sends the user to the fields listed with
 * stompy_connect_field_message(), an expired session asks to sign in again;
 * anything else is stompy_error_message_for(). */
char       *stompy_connect_error_message       (const GError           *error,
                                                const char             *stompy_organization) G_GNUC_WARN_UNUSED_RESULT;
/* The fields of the POST /aws/accounts body ("account_id",
 * "analysaver.role_arn", …), NULL-terminated, in the order of the summary. */
const char * const *stompy_connect_fields      (void);
/* "Field: message" for a field of validation_failed, the field named as the
 * wizard names it; NULL when @error has no message for @field. */
char       *stompy_connect_field_message       (const GError           *error,
                                                const char             *field) G_GNUC_WARN_UNUSED_RESULT;
/* What one of Stompy's verification checks ("assume_analysaver_role",
 * "read_cur_bucket", "assume_spotainer_role") verifies, translated, for the
 * Connect page, the status panel and the CLI; an unknown id is returned as is. */
const char *stompy_connection_check_title      (const char             *check_id);

G_END_DECLS
