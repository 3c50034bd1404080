/* stompy-form.h — what the forms of the pages share
 *
 * An entry row in the error style while its value is invalid, and a label
 * under a form that shows a message in place and disappears without one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Puts @row (any widget, usually an AdwEntryRow) in the "error" style, or takes it out. */
void stompy_form_set_row_error (gpointer    row,
                                gboolean    error);
/* Sets @label to @text and shows it; hides it when @text is NULL or empty. */
void stompy_form_show_message  (GtkLabel   *label,
                                const char *text);

G_END_DECLS
