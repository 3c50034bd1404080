/* stompy-billing-section-private.h — the section's parts, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-billing-section.h"

G_BEGIN_DECLS

struct _StompyBillingSection
{
  StompySection     parent_instance;

  /* Template children */
  AdwActionRow     *open_row;
  AdwActionRow     *confirm_row;
  GtkSwitch        *confirm_switch;
  GtkLabel         *denied_label;

  /* Borrowed from StompySection, which keeps it until dispose. */
  StompyCurChoice  *choice;
};

G_END_DECLS
