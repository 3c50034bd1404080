/* stompy-spotainer-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One section, the SpoTainer template: the page's state is the section's.
 */

#include "config.h"

#include "stompy-error.h"
#include "stompy-spotainer-page-private.h"

G_DEFINE_FINAL_TYPE (StompySpotainerPage, stompy_spotainer_page, STOMPY_TYPE_PAGE)

static void
update_state (StompySpotainerPage *self)
{
  StompySection *section = STOMPY_SECTION (self->template_section);
  StompyPageState state;

  if (stompy_section_get_busy (section))
    state = STOMPY_PAGE_STATE_BUSY;
  else if (stompy_section_get_ready (section))
    state = STOMPY_PAGE_STATE_READY;
  else if (stompy_section_get_failed (section))
    state = STOMPY_PAGE_STATE_ERROR;
  else
    state = STOMPY_PAGE_STATE_IDLE;

  stompy_page_set_state (STOMPY_PAGE (self), state);
}

/* The window starts every page at once; the section's requests need the
 * Stompy session and the AWS account of the first step, so they wait until
 * the page is shown (and run again, where something is left to do, each time
 * it is shown), as on the AnalySaver page. */
static void
start_section (StompySpotainerPage *self)
{
  if (!self->started || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  stompy_template_section_start (self->template_section);
}

static void
stompy_spotainer_page_start (StompyPage *page)
{
  StompySpotainerPage *self = STOMPY_SPOTAINER_PAGE (page);

  self->started = TRUE;
  start_section (self);
}

static void
stompy_spotainer_page_preload (StompyPage *page)
{
  stompy_template_section_preload (STOMPY_SPOTAINER_PAGE (page)->template_section);
}

static void
stompy_spotainer_page_cancel (StompyPage *page)
{
  stompy_template_section_cancel (STOMPY_SPOTAINER_PAGE (page)->template_section);
}

static void
stompy_spotainer_page_reset (StompyPage *page)
{
  stompy_template_section_reset (STOMPY_SPOTAINER_PAGE (page)->template_section);
}

static void
stompy_spotainer_page_submit_async (StompyPage          *page,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  StompySpotainerPage *self = STOMPY_SPOTAINER_PAGE (page);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_spotainer_page_submit_async);

  /* The RoleArn was recorded in the model as soon as it was known. */
  if (!stompy_section_get_ready (STOMPY_SECTION (self->template_section)))
    g_task_return_new_error (task, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                             "The SpoTainer role is not known yet");
  else
    g_task_return_boolean (task, TRUE);
}

static void
stompy_spotainer_page_constructed (GObject *object)
{
  StompySpotainerPage *self = STOMPY_SPOTAINER_PAGE (object);
  GtkWidget *section;

  G_OBJECT_CLASS (stompy_spotainer_page_parent_class)->constructed (object);

  /* The section needs the application as it is built, which the template
   * cannot give it: it is added here. */
  section = stompy_template_section_new (stompy_page_get_application (STOMPY_PAGE (self)),
                                         STOMPY_PRODUCT_SPOTAINER);
  self->template_section = STOMPY_TEMPLATE_SECTION (section);
  gtk_box_append (self->content_box, section);

  /* After construction, sections notify only "ready", "busy" and "failed". */
  g_signal_connect_swapped (section, "notify", G_CALLBACK (update_state), self);
  g_signal_connect (self, "map", G_CALLBACK (start_section), NULL);

  update_state (self);
}

static void
stompy_spotainer_page_dispose (GObject *object)
{
  StompySpotainerPage *self = STOMPY_SPOTAINER_PAGE (object);

  /* A running operation keeps the section alive until it calls back: stop
   * it, and listen no more. */
  if (self->template_section != NULL)
    {
      stompy_section_stop (STOMPY_SECTION (self->template_section));
      g_signal_handlers_disconnect_by_data (self->template_section, self);
      stompy_template_section_cancel (self->template_section);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_SPOTAINER_PAGE);
  self->template_section = NULL;

  G_OBJECT_CLASS (stompy_spotainer_page_parent_class)->dispose (object);
}

static void
stompy_spotainer_page_class_init (StompySpotainerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StompyPageClass *page_class = STOMPY_PAGE_CLASS (klass);

  object_class->constructed = stompy_spotainer_page_constructed;
  object_class->dispose = stompy_spotainer_page_dispose;

  page_class->start = stompy_spotainer_page_start;
  page_class->preload = stompy_spotainer_page_preload;
  page_class->cancel = stompy_spotainer_page_cancel;
  page_class->reset = stompy_spotainer_page_reset;
  page_class->submit_async = stompy_spotainer_page_submit_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-spotainer-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StompySpotainerPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, StompySpotainerPage, content_box);
}

static void
stompy_spotainer_page_init (StompySpotainerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  stompy_page_set_sections (STOMPY_PAGE (self), GTK_WIDGET (self->content_box));
}

GtkWidget *
stompy_spotainer_page_new (StompyApplication *application)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);

  return g_object_new (STOMPY_TYPE_SPOTAINER_PAGE, "application", application, NULL);
}
