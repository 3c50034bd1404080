/* stompy-form.h — what the forms of the pages share
 *
 * A field in the error style while its value is invalid, told to assistive
 * technologies too (the invalid state and the reason as its description), the
 * first invalid field of a submitted form focused (and the walk that finds it,
 * which also finds a page's first control), and a label under a form that
 * shows a message in place and disappears without one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Puts @row (any widget, usually an AdwEntryRow) in the "error" style and the
 * invalid state, or takes it out of both (and drops the reason set by
 * stompy_form_set_field_error()). */
void      stompy_form_set_row_error        (gpointer    row,
                                            gboolean    error);
/* The same, with @message, the reason, as the accessible description of @row
 * and of the text it edits; valid again when @message is NULL. */
void      stompy_form_set_field_error      (gpointer    row,
                                            const char *message);
/* Whether @row is marked invalid. */
gboolean  stompy_form_get_field_error      (gpointer    row);
/* Focuses the first visible, sensitive field under @form (in the order of the
 * widget tree, which is the order on screen) that is marked invalid; FALSE
 * when there is none. */
gboolean  stompy_form_focus_first_invalid  (GtkWidget  *form);

typedef gboolean (*StompyFormMatch) (GtkWidget *widget);
/* The first widget of @widget and its descendants, in the order the page is
 * read (the widgets' order: a page is a column), that @match accepts; only
 * among those shown, sensitive and that may hold the focus. Not Tab's order,
 * which GTK computes from the widgets' allocations: before a page is laid
 * out, Tab from nothing lands anywhere. NULL if none. */
GtkWidget *stompy_form_find_first          (GtkWidget      *widget,
                                            StompyFormMatch match);
/* Sets @label to @text and shows it; hides it when @text is NULL or empty. */
void      stompy_form_show_message         (GtkLabel   *label,
                                            const char *text);

G_END_DECLS
