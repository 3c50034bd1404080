/* stompy-cur-section.h — the Cost and Usage Report and its bucket
 *
 * The AnalySaver step's second part. With credentials, the user either picks
 * an existing report definition that meets the four conditions Stompy needs
 * (listed with a verdict per condition), or creates one: report name, bucket,
 * region and prefix, validated as typed, the bucket policy shown and
 * confirmed, then bucket, public access block, policy and report created or
 * reused with progress per sub-step. CUR 2.0 (AWS Data Exports) may be chosen
 * instead of the classic report. In guided mode (no credentials in the app)
 * it explains the console steps and the user types back what was made.
 *
 * The choice goes to the model's StompyCurChoice; the section is "ready" once
 * it is complete. "billing-access-denied" is emitted when AWS denies a CUR call
 * in a way that suggests the account's billing access setting is off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-section.h"

G_BEGIN_DECLS

/* The console's Cost and Usage Reports page, for guided mode. */
#define STOMPY_CUR_CONSOLE_URL "https://console.aws.amazon.com/billing/home#/reports"

#define STOMPY_TYPE_CUR_SECTION (stompy_cur_section_get_type ())

G_DECLARE_FINAL_TYPE (StompyCurSection, stompy_cur_section, STOMPY, CUR_SECTION, StompySection)

GtkWidget *stompy_cur_section_new    (StompyApplication *application);
/* Lists the report definitions (with credentials). */
void       stompy_cur_section_start  (StompyCurSection  *self);
/* Cancels what runs (Escape); nothing is reported. */
void       stompy_cur_section_cancel (StompyCurSection  *self);
/* After Start Over: shows the model afresh. */
void       stompy_cur_section_reset  (StompyCurSection  *self);

G_END_DECLS
