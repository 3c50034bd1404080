/* stompy-template-section.h — run a product's CloudFormation template
 *
 * The "run template" part of the AnalySaver and SpoTainer steps: it asks
 * Stompy for the external id, its principal account and the template URL,
 * reads the template to show the IAM permissions the role grants, and
 * requires "I acknowledge that AWS CloudFormation might create IAM
 * resources". With credentials it creates the stack (or reuses a complete
 * one, or explains a failed one with Delete and Retry) and follows it to the
 * RoleArn output; in guided mode it opens the console's quick-create link and
 * checks the RoleArn the user pastes back. Everything is recorded in the
 * model's stack record of the product, so a restart follows the stack again.
 * As a StompySection, it is "ready" once the RoleArn is known.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-section.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_TEMPLATE_SECTION (stompy_template_section_get_type ())

G_DECLARE_FINAL_TYPE (StompyTemplateSection, stompy_template_section,
                      STOMPY, TEMPLATE_SECTION, StompySection)

/* @product: STOMPY_PRODUCT_ANALYSAVER or STOMPY_PRODUCT_SPOTAINER. */
GtkWidget     *stompy_template_section_new         (StompyApplication     *application,
                                                    StompyProducts         product);
StompyProducts stompy_template_section_get_product (StompyTemplateSection *self);
/* Gets the template and follows a stack left in progress. */
void           stompy_template_section_start       (StompyTemplateSection *self);
/* Cancels what runs (Escape) and stops following; nothing is reported. */
/* Fetches the template ahead (the onboarding facts, then the template), once
 * signed in to Stompy, without starting anything else. */
void           stompy_template_section_preload     (StompyTemplateSection *self);
void           stompy_template_section_cancel      (StompyTemplateSection *self);
/* After Start Over: shows the model afresh. */
void           stompy_template_section_reset       (StompyTemplateSection *self);
/* The console's quick-create link with every parameter filled, or NULL until
 * Stompy's onboarding details are known. */
char          *stompy_template_section_dup_quick_create_url (StompyTemplateSection *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
