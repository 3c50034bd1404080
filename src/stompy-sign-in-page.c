/* stompy-sign-in-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two independent sections: the Stompy session and the AWS account. The page
 * is ready when both are settled; it decides its state from theirs and, on
 * Continue, has the AWS section keep or forget a typed key.
 */

#include "config.h"

#include "stompy-error.h"
#include "stompy-sign-in-page-private.h"

G_DEFINE_FINAL_TYPE (StompySignInPage, stompy_sign_in_page, STOMPY_TYPE_PAGE)

static gboolean
can_continue (StompySignInPage *self)
{
  return stompy_section_get_ready (STOMPY_SECTION (self->stompy_section))
         && stompy_section_get_ready (STOMPY_SECTION (self->aws_section));
}

static void
update_state (StompySignInPage *self)
{
  StompySection *stompy = STOMPY_SECTION (self->stompy_section);
  StompySection *aws = STOMPY_SECTION (self->aws_section);
  StompyPageState state;

  if (stompy_section_get_busy (stompy) || stompy_section_get_busy (aws))
    state = STOMPY_PAGE_STATE_BUSY;
  else if (can_continue (self))
    state = STOMPY_PAGE_STATE_READY;
  else if (stompy_section_get_failed (stompy) || stompy_section_get_failed (aws))
    state = STOMPY_PAGE_STATE_ERROR;
  else
    state = STOMPY_PAGE_STATE_IDLE;

  stompy_page_set_state (STOMPY_PAGE (self), state);
}

static void
stompy_sign_in_page_start (StompyPage *page)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (page);

  stompy_stompy_account_section_start (self->stompy_section);
  stompy_aws_account_section_start (self->aws_section);
}

static void
stompy_sign_in_page_cancel (StompyPage *page)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (page);

  stompy_aws_account_section_cancel (self->aws_section);
  stompy_stompy_account_section_cancel (self->stompy_section);
}

static void
stompy_sign_in_page_reset (StompyPage *page)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (page);

  stompy_aws_account_section_reset (self->aws_section);
  stompy_stompy_account_section_reset (self->stompy_section);
}

static void
remember_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!stompy_aws_account_section_remember_finish (STOMPY_AWS_ACCOUNT_SECTION (source),
                                                   result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
stompy_sign_in_page_submit_async (StompyPage          *page,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (page);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_sign_in_page_submit_async);

  if (!can_continue (self))
    {
      g_task_return_new_error (task, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                               "The page is not complete");
      return;
    }

  stompy_aws_account_section_remember_async (self->aws_section, cancellable,
                                             remember_cb, g_steal_pointer (&task));
}

static void
stompy_sign_in_page_constructed (GObject *object)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (object);
  StompyApplication *application;

  G_OBJECT_CLASS (stompy_sign_in_page_parent_class)->constructed (object);

  /* The sections need the application as they are built, which the template
   * cannot give them: they are added here. */
  application = stompy_page_get_application (STOMPY_PAGE (self));
  self->stompy_section = STOMPY_STOMPY_ACCOUNT_SECTION (stompy_stompy_account_section_new (application));
  self->aws_section = STOMPY_AWS_ACCOUNT_SECTION (stompy_aws_account_section_new (application));
  gtk_box_append (self->content_box, GTK_WIDGET (self->stompy_section));
  gtk_box_append (self->content_box, GTK_WIDGET (self->aws_section));

  /* After construction, sections notify only "ready", "busy" and "failed". */
  g_signal_connect_swapped (self->stompy_section, "notify", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->aws_section, "notify", G_CALLBACK (update_state), self);

  update_state (self);
}

static void
stompy_sign_in_page_dispose (GObject *object)
{
  StompySignInPage *self = STOMPY_SIGN_IN_PAGE (object);

  /* A running operation keeps its section alive until it calls back: stop
   * them, and listen no more. */
  if (self->stompy_section != NULL)
    {
      stompy_section_stop (STOMPY_SECTION (self->stompy_section));
      g_signal_handlers_disconnect_by_data (self->stompy_section, self);
    }
  if (self->aws_section != NULL)
    {
      stompy_section_stop (STOMPY_SECTION (self->aws_section));
      g_signal_handlers_disconnect_by_data (self->aws_section, self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_SIGN_IN_PAGE);
  self->stompy_section = NULL;
  self->aws_section = NULL;

  G_OBJECT_CLASS (stompy_sign_in_page_parent_class)->dispose (object);
}

static void
stompy_sign_in_page_class_init (StompySignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StompyPageClass *page_class = STOMPY_PAGE_CLASS (klass);

  object_class->constructed = stompy_sign_in_page_constructed;
  object_class->dispose = stompy_sign_in_page_dispose;

  page_class->start = stompy_sign_in_page_start;
  page_class->cancel = stompy_sign_in_page_cancel;
  page_class->reset = stompy_sign_in_page_reset;
  page_class->submit_async = stompy_sign_in_page_submit_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StompySignInPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, StompySignInPage, content_box);
}

static void
stompy_sign_in_page_init (StompySignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  stompy_page_set_sections (STOMPY_PAGE (self), GTK_WIDGET (self->content_box));
}

GtkWidget *
stompy_sign_in_page_new (StompyApplication *application)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);

  return g_object_new (STOMPY_TYPE_SIGN_IN_PAGE, "application", application, NULL);
}

gboolean
stompy_sign_in_page_get_signed_in (StompySignInPage *self)
{
  g_return_val_if_fail (STOMPY_IS_SIGN_IN_PAGE (self), FALSE);

  return stompy_stompy_account_section_get_signed_in (self->stompy_section);
}
