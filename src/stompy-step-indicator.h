/* stompy-step-indicator.h — the five steps of the wizard, the current one highlighted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "stompy-onboarding.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_STEP_INDICATOR (stompy_step_indicator_get_type ())

G_DECLARE_FINAL_TYPE (StompyStepIndicator, stompy_step_indicator, STOMPY, STEP_INDICATOR, GtkWidget)

GtkWidget      *stompy_step_indicator_new          (void);
StompyStep      stompy_step_indicator_get_step     (StompyStepIndicator *self);
void            stompy_step_indicator_set_step     (StompyStepIndicator *self,
                                                    StompyStep           step);
StompyProducts  stompy_step_indicator_get_products (StompyStepIndicator *self);
/* Products not chosen are dimmed (when at least one is chosen). */
void            stompy_step_indicator_set_products (StompyStepIndicator *self,
                                                    StompyProducts       products);
/* For tests and accessibility: "done", "current", "skipped" or "pending". */
const char     *stompy_step_indicator_get_item_state (StompyStepIndicator *self,
                                                    StompyStep           step);

G_END_DECLS
