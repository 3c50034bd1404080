/* stompy-form.c
 *
 * What a screen reader gets, with GTK 4.8's AT-SPI backend: the invalid state
 * ("state-changed:invalid") and the reason as the field's accessible
 * description ("property-change:accessible-description"), read with the
 * field's name when the field gets the focus, which the form moves to the
 * first invalid field. GTK 4.8 exposes neither the error-message relation nor
 * an announcement call (gtk_accessible_announce() is GTK 4.14), so the
 * description of the focused field is how the message reaches the user.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "stompy-form.h"

#define INVALID_KEY "stompy-form-invalid"

/* The accessibles a field is known by: the row, and the text inside it that
 * takes the focus (an AdwEntryRow delegates its editing to a GtkText). */
static void
set_accessible_error (GtkWidget  *widget,
                      gboolean    error,
                      const char *message)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (error)
    gtk_accessible_update_state (accessible,
                                 GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                 -1);
  else
    gtk_accessible_reset_state (accessible, GTK_ACCESSIBLE_STATE_INVALID);

  if (message != NULL)
    gtk_accessible_update_property (accessible,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  else if (!error)
    gtk_accessible_reset_property (accessible, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
set_error (GtkWidget  *row,
           gboolean    error,
           const char *message)
{
  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");

  g_object_set_data (G_OBJECT (row), INVALID_KEY, GINT_TO_POINTER (error));
  set_accessible_error (row, error, message);

  if (GTK_IS_EDITABLE (row))
    {
      GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));

      if (delegate != NULL && GTK_WIDGET (delegate) != row)
        set_accessible_error (GTK_WIDGET (delegate), error, message);
    }
}

void
stompy_form_set_row_error (gpointer row,
                           gboolean error)
{
  g_return_if_fail (GTK_IS_WIDGET (row));

  set_error (GTK_WIDGET (row), error, NULL);
}

void
stompy_form_set_field_error (gpointer    row,
                             const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (row));

  set_error (GTK_WIDGET (row), message != NULL, message);
}

gboolean
stompy_form_get_field_error (gpointer row)
{
  g_return_val_if_fail (GTK_IS_WIDGET (row), FALSE);

  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), INVALID_KEY));
}

GtkWidget *
stompy_form_find_first (GtkWidget      *widget,
                        StompyFormMatch match)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (match != NULL, NULL);

  /* Nothing in a hidden, insensitive or unfocusable part can take the focus. */
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget)
      || !gtk_widget_is_sensitive (widget) || !gtk_widget_get_can_focus (widget))
    return NULL;

  if (match (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = stompy_form_find_first (child, match);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_invalid (GtkWidget *widget)
{
  return stompy_form_get_field_error (widget);
}

gboolean
stompy_form_focus_first_invalid (GtkWidget *form)
{
  GtkWidget *field;

  g_return_val_if_fail (GTK_IS_WIDGET (form), FALSE);

  field = stompy_form_find_first (form, is_invalid);
  if (field == NULL)
    return FALSE;

  gtk_widget_grab_focus (field);
  return TRUE;
}

void
stompy_form_show_message (GtkLabel   *label,
                          const char *text)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}
