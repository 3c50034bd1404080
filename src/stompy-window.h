/* stompy-window.h — the wizard window: steps, one page per step, Back and Continue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-application.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_WINDOW (stompy_window_get_type ())

G_DECLARE_FINAL_TYPE (StompyWindow, stompy_window, STOMPY, WINDOW, AdwApplicationWindow)

StompyWindow *stompy_window_new       (StompyApplication *application);
/* Lets the pages look up the keyring and go to the network; the application
 * calls it once the window's first frame is drawn. */
void          stompy_window_start     (StompyWindow      *self);
/* A non-blocking notice. */
void          stompy_window_add_toast (StompyWindow      *self,
                                       const char        *message);
StompyStep    stompy_window_get_step  (StompyWindow      *self);

G_END_DECLS
