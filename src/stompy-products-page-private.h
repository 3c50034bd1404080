/* stompy-products-page-private.h — the page's parts, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-products-page.h"

G_BEGIN_DECLS

struct _StompyProductsPage
{
  StompyPage         parent_instance;

  /* Template children */
  GtkWidget         *scrolled_window;
  GtkBox            *content_box;
  GtkCheckButton    *analysaver_check;
  GtkCheckButton    *spotainer_check;
  GtkLabel          *hint_label;
  GtkLabel          *error_label;
  AdwPreferencesGroup *recommendations_group;
  AdwActionRow      *recommend_both_row;
  AdwActionRow      *recommend_spotainer_row;
  AdwActionRow      *recommend_analysaver_row;
  GtkButton         *recommend_both_button;
  GtkButton         *recommend_spotainer_button;
  GtkButton         *recommend_analysaver_button;
};

StompyProducts _stompy_products_page_get_selection (StompyProductsPage *self);

G_END_DECLS
