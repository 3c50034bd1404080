/* stompy-products-page.h — step 2: which products get permissions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "stompy-application.h"
#include "stompy-page.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_PRODUCTS_PAGE (stompy_products_page_get_type ())

G_DECLARE_FINAL_TYPE (StompyProductsPage, stompy_products_page, STOMPY, PRODUCTS_PAGE, StompyPage)

GtkWidget *stompy_products_page_new (StompyApplication *application);

G_END_DECLS
