/* stompy-done-page-private.h — the page's parts, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-done-page.h"

G_BEGIN_DECLS

struct _StompyDonePage
{
  StompyPage     parent_instance;

  /* Template children */
  AdwStatusPage *status_page;
  GtkBox        *content_box;
  GtkLabel      *data_label;
  GtkButton     *close_button;
};

G_END_DECLS
