/* stompy-window-private.h — the window's parts, for the application's files and the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-page.h"
#include "stompy-status-panel.h"
#include "stompy-step-indicator.h"
#include "stompy-window.h"

G_BEGIN_DECLS

struct _StompyWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  StompyStepIndicator  *step_indicator;
  GtkStack             *stack;
  GtkButton            *back_button;
  GtkButton            *primary_button;
  GtkMenuButton        *menu_button;
  AdwFlap              *flap;
  GtkToggleButton      *status_button;

  /* Beside the pages from step 3 on; folds into an overlay when narrow.
   * NULL until a step shows it: use _stompy_window_get_status_panel(). */
  StompyStatusPanel    *status_panel;
  guint                 status_panel_idle;

  /* The next step's page is built and laid out ahead, in idle time once the
   * current page has settled, so that showing it is not one long frame. */
  guint                 prepare_source;     /* timeout or idle */
  guint                 prepare_tick;       /* waiting for a frame */

  /* After a step change, checks where the focus landed (focus_page_cb). */
  guint                 focus_page_idle;
  gboolean              focus_in_page;  /* it belongs in the page, not on the window's buttons */

  StompyApplication    *application;   /* weak: the application owns its windows */
  StompyOnboarding     *model;
  /* The page of each step, NULL until built (steps without a page stay NULL). */
  StompyPage           *pages[STOMPY_STEP_DONE + 1];
  StompyStep            step;
  /* Where to go back to after signing in again (SIGN_IN: nowhere). */
  StompyStep            resume_step;
  GCancellable         *submit_cancellable;
  gboolean              submitting;
  gboolean              started;
  gboolean              disposed;
  char                 *last_toast;
};

/* The page of @step, built on demand; NULL for a step without a page. */
StompyPage *_stompy_window_get_page       (StompyWindow *self,
                                           StompyStep    step);
/* The status panel, built on demand (hidden before step 3). */
StompyStatusPanel *_stompy_window_get_status_panel (StompyWindow *self);
/* The text of the last toast shown, for tests. */
const char *_stompy_window_get_last_toast (StompyWindow *self);
/* Start Over without the confirmation dialog (the dialog's "Start Over" response). */
void        _stompy_window_start_over     (StompyWindow *self);

G_END_DECLS
