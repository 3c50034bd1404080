/* stompy-stompy-account-section.h — the Stompy account of the sign-in page
 *
 * Email and password sign-in with a sign-up link, or the signed-in user with
 * Sign Out; a token kept in the keyring is checked at start, and an expired
 * one asks the user to sign in again. As a StompySection, it is "ready" when
 * signed in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-section.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_STOMPY_ACCOUNT_SECTION (stompy_stompy_account_section_get_type ())

G_DECLARE_FINAL_TYPE (StompyStompyAccountSection, stompy_stompy_account_section,
                      STOMPY, STOMPY_ACCOUNT_SECTION, StompySection)

GtkWidget *stompy_stompy_account_section_new           (StompyApplication          *application);
/* Looks up a stored token and checks it with the service. */
void       stompy_stompy_account_section_start         (StompyStompyAccountSection *self);
/* Cancels a running sign-in or session check (Escape); nothing is reported. */
void       stompy_stompy_account_section_cancel        (StompyStompyAccountSection *self);
/* After Start Over: keeps the session and shows the model afresh. */
void       stompy_stompy_account_section_reset         (StompyStompyAccountSection *self);
/* TRUE once the Stompy session is known to be valid: the section's "ready".
 * It is "busy" while the session is checked or the user signs in or out, and
 * "failed" after a failure that Try Again may get past (network, server). */
gboolean   stompy_stompy_account_section_get_signed_in (StompyStompyAccountSection *self);

G_END_DECLS
