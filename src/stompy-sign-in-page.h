/* stompy-sign-in-page.h — step 1: the Stompy account and the AWS account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-page.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_SIGN_IN_PAGE (stompy_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (StompySignInPage, stompy_sign_in_page, STOMPY, SIGN_IN_PAGE, StompyPage)

GtkWidget *stompy_sign_in_page_new           (StompyApplication *application);
/* TRUE once the Stompy session is known to be valid. */
gboolean   stompy_sign_in_page_get_signed_in (StompySignInPage  *self);

G_END_DECLS
