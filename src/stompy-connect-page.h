/* stompy-connect-page.h — step 5: Connect
 *
 * A summary of everything that will be sent to Stompy (account, products,
 * report and bucket or data export, role ARNs), each with a way back to its
 * step, or what is still missing with a link to the step that does it. The
 * page's Connect button and the window's Continue submit: POST /aws/accounts
 * (with the Idempotency-Key kept in the model), then Stompy's verification
 * checks are followed, a row each, until none is pending. The submission
 * succeeds when the account is connected or waiting for its first report,
 * and the window moves on to the done page; a failed check says what to do
 * and links to its step; a refusal (another organization, not an
 * administrator, invalid fields) is shown in place; an expired Stompy session
 * offers "Sign In Again", after which the window comes back here and the
 * page follows the connection again. A submitted connection still pending
 * when the page is shown (a restart, a return) is followed again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-page.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_CONNECT_PAGE (stompy_connect_page_get_type ())

G_DECLARE_FINAL_TYPE (StompyConnectPage, stompy_connect_page,
                      STOMPY, CONNECT_PAGE, StompyPage)

GtkWidget *stompy_connect_page_new (StompyApplication *application);

G_END_DECLS
