/* stompy-done-page.h — the end of the wizard: Connected
 *
 * Shown once Stompy has verified the connection: connected, or waiting for
 * the first Cost and Usage Report (which AWS delivers within 24–48 hours).
 * Reads the model's connection; nothing is left to submit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-page.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_DONE_PAGE (stompy_done_page_get_type ())

G_DECLARE_FINAL_TYPE (StompyDonePage, stompy_done_page, STOMPY, DONE_PAGE, StompyPage)

GtkWidget *stompy_done_page_new (StompyApplication *application);

G_END_DECLS
