/* stompy-status-panel.h — the live status beside the wizard's pages
 *
 * Shows, from step 3 on, what AWS says about the report's S3 bucket, the
 * report definition and each chosen product's role stack. It binds to the
 * onboarding model, never to a page, and shows what the application's
 * StompyStatusPoller (stompy_application_get_status_poller()) learns with the
 * application's current StompyAwsClient; in guided mode (no client) it shows
 * what the user entered, marked as not checked. Once Connect was submitted
 * it shows Stompy's verification checks too, as the model's connection holds
 * them (the Connect page's watch asks Stompy; the panel never does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-application.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_STATUS_PANEL (stompy_status_panel_get_type ())

/* The panel's width beside the pages (its width-request, set in its init). */
#define STOMPY_STATUS_PANEL_WIDTH 300

G_DECLARE_FINAL_TYPE (StompyStatusPanel, stompy_status_panel, STOMPY, STATUS_PANEL, GtkWidget)

StompyStatusPanel *stompy_status_panel_new     (StompyApplication *application);
/* Starts the application's poller (once the window is shown); no-op when it runs. */
void               stompy_status_panel_start   (StompyStatusPanel *self);
/* A fresh look at everything by the application's poller (the refresh button). */
void               stompy_status_panel_refresh (StompyStatusPanel *self);
/* Puts stompy_status_poller_describe() on the clipboard and says so in a
 * toast (the "status.copy-details" action; a window may offer it too). */
void               stompy_status_panel_copy_details (StompyStatusPanel *self);

G_END_DECLS
