/* stompy-analysaver-page.h — step 3: Add StompyAnalySaver permission
 *
 * Three sections stacked in one scrolled, clamped page: billing access for
 * IAM users and roles, the Cost and Usage Report and its bucket, and the
 * AnalySaver role's CloudFormation stack. The page is ready once billing
 * access is confirmed, the report is chosen and the RoleArn is known; all of
 * it lives in the model, so Back loses nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-page.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_ANALYSAVER_PAGE (stompy_analysaver_page_get_type ())

G_DECLARE_FINAL_TYPE (StompyAnalysaverPage, stompy_analysaver_page,
                      STOMPY, ANALYSAVER_PAGE, StompyPage)

GtkWidget *stompy_analysaver_page_new (StompyApplication *application);

G_END_DECLS
