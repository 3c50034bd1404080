/* stompy-spotainer-page.h — step 4: Add StompySpoTainer permission
 *
 * The run-template step for SpoTainer, only when it is chosen: the template
 * section with product SpoTainer, in one scrolled, clamped page. The page is
 * ready once the SpoTainer RoleArn is known (read from the stack's outputs,
 * or pasted in guided mode); everything lives in the model's stack record,
 * so Back loses nothing and a restart follows the stack again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-page.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_SPOTAINER_PAGE (stompy_spotainer_page_get_type ())

G_DECLARE_FINAL_TYPE (StompySpotainerPage, stompy_spotainer_page,
                      STOMPY, SPOTAINER_PAGE, StompyPage)

GtkWidget *stompy_spotainer_page_new (StompyApplication *application);

G_END_DECLS
