/* stompy-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "stompy-page.h"
#include "stompy-window.h"

G_DEFINE_ENUM_TYPE (StompyPageState, stompy_page_state,
                    G_DEFINE_ENUM_VALUE (STOMPY_PAGE_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (STOMPY_PAGE_STATE_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (STOMPY_PAGE_STATE_BUSY, "busy"),
                    G_DEFINE_ENUM_VALUE (STOMPY_PAGE_STATE_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (STOMPY_PAGE_STATE_DONE, "done"))

G_DEFINE_INTERFACE (StompyPage, stompy_page, GTK_TYPE_WIDGET)

static void
stompy_page_default_init (StompyPageInterface *iface)
{
  g_object_interface_install_property (iface,
    g_param_spec_enum ("state", NULL, NULL,
                       STOMPY_TYPE_PAGE_STATE, STOMPY_PAGE_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
}

StompyPageState
stompy_page_get_state (StompyPage *self)
{
  StompyPageState state = STOMPY_PAGE_STATE_IDLE;

  g_return_val_if_fail (STOMPY_IS_PAGE (self), STOMPY_PAGE_STATE_IDLE);

  g_object_get (self, "state", &state, NULL);
  return state;
}

void
stompy_page_start (StompyPage *self)
{
  g_return_if_fail (STOMPY_IS_PAGE (self));

  if (STOMPY_PAGE_GET_IFACE (self)->start)
    STOMPY_PAGE_GET_IFACE (self)->start (self);
}

void
stompy_page_cancel (StompyPage *self)
{
  g_return_if_fail (STOMPY_IS_PAGE (self));

  if (STOMPY_PAGE_GET_IFACE (self)->cancel)
    STOMPY_PAGE_GET_IFACE (self)->cancel (self);
}

void
stompy_page_reset (StompyPage *self)
{
  g_return_if_fail (STOMPY_IS_PAGE (self));

  if (STOMPY_PAGE_GET_IFACE (self)->reset)
    STOMPY_PAGE_GET_IFACE (self)->reset (self);
}

void
stompy_page_submit_async (StompyPage          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (STOMPY_IS_PAGE (self));
  g_return_if_fail (STOMPY_PAGE_GET_IFACE (self)->submit_async != NULL);

  STOMPY_PAGE_GET_IFACE (self)->submit_async (self, cancellable, callback, user_data);
}

gboolean
stompy_page_submit_finish (StompyPage    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (STOMPY_IS_PAGE (self), FALSE);

  return STOMPY_PAGE_GET_IFACE (self)->submit_finish (self, result, error);
}

void
stompy_page_toast (StompyPage *self,
                   const char *message)
{
  g_autofree char *escaped = NULL;
  GtkWidget *window;
  GtkWidget *overlay;

  g_return_if_fail (STOMPY_IS_PAGE (self));

  window = gtk_widget_get_ancestor (GTK_WIDGET (self), STOMPY_TYPE_WINDOW);
  if (window != NULL)
    {
      stompy_window_add_toast (STOMPY_WINDOW (window), message);
      return;
    }

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_debug ("No toast overlay for: %s", message);
      return;
    }

  /* Toast titles are Pango markup in libadwaita 1.2. */
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}
