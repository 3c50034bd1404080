/* stompy-done-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-done-page-private.h"

G_DEFINE_FINAL_TYPE (StompyDonePage, stompy_done_page, STOMPY_TYPE_PAGE)

static void
update (StompyDonePage *self)
{
  StompyOnboarding *model = stompy_page_get_model (STOMPY_PAGE (self));
  StompyConnection *connection = stompy_onboarding_get_connection (model);
  const StompyAccountStatus *status = stompy_connection_get_status (connection);
  const char *account = stompy_connection_get_account_id (connection);
  gboolean waiting = status != NULL && g_strcmp0 (status->status, "waiting_for_data") == 0;
  g_autofree char *description = NULL;

  if (account != NULL)
    /* Translators: %s is a 12-digit AWS account id. */
    description = g_strdup_printf (_("Stompy works with the AWS account %s."), account);
  adw_status_page_set_description (self->status_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->data_label), waiting);
}

static void
stompy_done_page_submit_async (StompyPage          *page,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (page, cancellable, callback, user_data);

  /* The last step: nothing is left to send. */
  g_task_set_source_tag (task, stompy_done_page_submit_async);
  g_task_return_boolean (task, TRUE);
}

static void
stompy_done_page_constructed (GObject *object)
{
  StompyDonePage *self = STOMPY_DONE_PAGE (object);
  StompyOnboarding *model;

  G_OBJECT_CLASS (stompy_done_page_parent_class)->constructed (object);

  model = stompy_page_get_model (STOMPY_PAGE (self));
  g_signal_connect_object (stompy_onboarding_get_connection (model), "notify::status",
                           G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (update), NULL);

  /* Nothing to continue to: the page's own Close is its one action, and its
   * one control, where the user lands (stompy_page_grab_initial_focus). */
  stompy_page_set_primary_label (STOMPY_PAGE (self), NULL);
  stompy_page_set_state (STOMPY_PAGE (self), STOMPY_PAGE_STATE_DONE);
  update (self);
}

static void
stompy_done_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), STOMPY_TYPE_DONE_PAGE);

  G_OBJECT_CLASS (stompy_done_page_parent_class)->dispose (object);
}

static void
stompy_done_page_class_init (StompyDonePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StompyPageClass *page_class = STOMPY_PAGE_CLASS (klass);

  object_class->constructed = stompy_done_page_constructed;
  object_class->dispose = stompy_done_page_dispose;

  page_class->submit_async = stompy_done_page_submit_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-done-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StompyDonePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, StompyDonePage, content_box);
  gtk_widget_class_bind_template_child (widget_class, StompyDonePage, data_label);
  gtk_widget_class_bind_template_child (widget_class, StompyDonePage, close_button);
}

static void
stompy_done_page_init (StompyDonePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  stompy_page_set_sections (STOMPY_PAGE (self), GTK_WIDGET (self->content_box));
}

GtkWidget *
stompy_done_page_new (StompyApplication *application)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);

  return g_object_new (STOMPY_TYPE_DONE_PAGE, "application", application, NULL);
}
