/* stompy-billing-section.h — billing access for IAM users and roles
 *
 * The AnalySaver step's first part: "IAM user and role access to Billing
 * information" is a setting of the AWS account that only the root user can
 * turn on, in the console, and that no API can read or change. The section
 * explains it, opens the console page, and lets the user confirm it is on;
 * the confirmation is kept in the model's report choice. As a StompySection,
 * it is "ready" once confirmed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-section.h"

G_BEGIN_DECLS

/* The account page of the Billing console, where the root user turns the setting on. */
#define STOMPY_BILLING_ACCOUNT_URL "https://console.aws.amazon.com/billing/home#/account"

#define STOMPY_TYPE_BILLING_SECTION (stompy_billing_section_get_type ())

G_DECLARE_FINAL_TYPE (StompyBillingSection, stompy_billing_section,
                      STOMPY, BILLING_SECTION, StompySection)

GtkWidget *stompy_billing_section_new              (StompyApplication    *application);
/* Shows (or hides) the note that a denied Cost and Usage Report call is
 * likely caused by the setting being off. */
void       stompy_billing_section_set_denied       (StompyBillingSection *self,
                                                    gboolean              denied);
/* After Start Over: shows the model afresh. */
void       stompy_billing_section_reset            (StompyBillingSection *self);

G_END_DECLS
