/* stompy-aws-account-section.h — the AWS account of the sign-in page
 *
 * The credential source (an AWS CLI profile, the environment, a typed access
 * key with a "remember" switch, or guided mode with an account ID), Verify
 * with a spinner and Cancel, and the verified identity with advice about the
 * organization. As a StompySection, it is "ready" when the identity is
 * verified (or, in guided mode, a valid account ID is typed), "busy" while
 * the credentials are verified or the key is saved, and "failed" after the
 * last verification failed, which it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-section.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_AWS_ACCOUNT_SECTION (stompy_aws_account_section_get_type ())

G_DECLARE_FINAL_TYPE (StompyAwsAccountSection, stompy_aws_account_section,
                      STOMPY, AWS_ACCOUNT_SECTION, StompySection)

GtkWidget *stompy_aws_account_section_new             (StompyApplication        *application);
/* Reads the AWS configuration, looks up a remembered key and verifies again
 * the credentials verified in an earlier session. */
void       stompy_aws_account_section_start           (StompyAwsAccountSection  *self);
/* Cancels a running verification (Escape); nothing is reported. */
void       stompy_aws_account_section_cancel          (StompyAwsAccountSection  *self);
/* After Start Over: forgets the verified credentials and shows the model afresh. */
void       stompy_aws_account_section_reset           (StompyAwsAccountSection  *self);
/* Keeps the verified typed key in the keyring, or forgets it, as the
 * "Remember" switch says. A keyring that cannot keep it is no failure (the
 * user is told); only a cancellation is. */
void       stompy_aws_account_section_remember_async  (StompyAwsAccountSection  *self,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean   stompy_aws_account_section_remember_finish (StompyAwsAccountSection  *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);

G_END_DECLS
