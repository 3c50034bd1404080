/* stompy-form.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "stompy-form.h"

void
stompy_form_set_row_error (gpointer row,
                           gboolean error)
{
  g_return_if_fail (GTK_IS_WIDGET (row));

  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

void
stompy_form_show_message (GtkLabel   *label,
                          const char *text)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}
