/* stompy-analysaver-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page decides its state from its three sections, as the sign-in page
 * does; it only connects the report section's "billing access denied" to the
 * billing section's note.
 */

#include "config.h"

#include "stompy-analysaver-page-private.h"
#include "stompy-error.h"

G_DEFINE_FINAL_TYPE (StompyAnalysaverPage, stompy_analysaver_page, STOMPY_TYPE_PAGE)

static StompySection *
section (gpointer widget)
{
  return STOMPY_SECTION (widget);
}

static gboolean
can_continue (StompyAnalysaverPage *self)
{
  return stompy_section_get_ready (section (self->billing_section))
         && stompy_section_get_ready (section (self->cur_section))
         && stompy_section_get_ready (section (self->template_section));
}

static void
update_state (StompyAnalysaverPage *self)
{
  StompySection *parts[] = {
    section (self->billing_section),
    section (self->cur_section),
    section (self->template_section),
  };
  gboolean busy = FALSE;
  gboolean failed = FALSE;
  StompyPageState state;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      busy |= stompy_section_get_busy (parts[i]);
      failed |= stompy_section_get_failed (parts[i]);
    }

  if (busy)
    state = STOMPY_PAGE_STATE_BUSY;
  else if (can_continue (self))
    state = STOMPY_PAGE_STATE_READY;
  else if (failed)
    state = STOMPY_PAGE_STATE_ERROR;
  else
    state = STOMPY_PAGE_STATE_IDLE;

  stompy_page_set_state (STOMPY_PAGE (self), state);
}

static void
billing_access_denied_cb (StompyAnalysaverPage *self)
{
  stompy_billing_section_set_denied (self->billing_section, TRUE);
}

/* The window starts every page at once; the requests of this step need the
 * Stompy session and the AWS account of the earlier steps, so they wait until
 * the page is shown (and run again, where something is left to do, each time
 * it is shown). */
static void
start_sections (StompyAnalysaverPage *self)
{
  if (!self->started || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  stompy_cur_section_start (self->cur_section);
  stompy_template_section_start (self->template_section);
}

static void
stompy_analysaver_page_start (StompyPage *page)
{
  StompyAnalysaverPage *self = STOMPY_ANALYSAVER_PAGE (page);

  self->started = TRUE;
  start_sections (self);
}

static void
stompy_analysaver_page_preload (StompyPage *page)
{
  stompy_template_section_preload (STOMPY_ANALYSAVER_PAGE (page)->template_section);
}

static void
stompy_analysaver_page_cancel (StompyPage *page)
{
  StompyAnalysaverPage *self = STOMPY_ANALYSAVER_PAGE (page);

  stompy_cur_section_cancel (self->cur_section);
  stompy_template_section_cancel (self->template_section);
}

static void
stompy_analysaver_page_reset (StompyPage *page)
{
  StompyAnalysaverPage *self = STOMPY_ANALYSAVER_PAGE (page);

  stompy_billing_section_reset (self->billing_section);
  stompy_cur_section_reset (self->cur_section);
  stompy_template_section_reset (self->template_section);
}

static void
stompy_analysaver_page_submit_async (StompyPage          *page,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  StompyAnalysaverPage *self = STOMPY_ANALYSAVER_PAGE (page);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_analysaver_page_submit_async);

  /* Everything was recorded in the model as it happened: nothing is left to do. */
  if (!can_continue (self))
    g_task_return_new_error (task, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                             "The page is not complete");
  else
    g_task_return_boolean (task, TRUE);
}

static void
stompy_analysaver_page_constructed (GObject *object)
{
  StompyAnalysaverPage *self = STOMPY_ANALYSAVER_PAGE (object);
  StompyApplication *application;
  GtkWidget *parts[3];

  G_OBJECT_CLASS (stompy_analysaver_page_parent_class)->constructed (object);

  /* The sections need the application as they are built, which the template
   * cannot give them: they are added here. */
  application = stompy_page_get_application (STOMPY_PAGE (self));
  parts[0] = stompy_billing_section_new (application);
  parts[1] = stompy_cur_section_new (application);
  parts[2] = stompy_template_section_new (application, STOMPY_PRODUCT_ANALYSAVER);
  self->billing_section = STOMPY_BILLING_SECTION (parts[0]);
  self->cur_section = STOMPY_CUR_SECTION (parts[1]);
  self->template_section = STOMPY_TEMPLATE_SECTION (parts[2]);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      gtk_box_append (self->content_box, parts[i]);
      /* After construction, sections notify only "ready", "busy" and "failed". */
      g_signal_connect_swapped (parts[i], "notify", G_CALLBACK (update_state), self);
    }
  g_signal_connect_swapped (self->cur_section, "billing-access-denied",
                            G_CALLBACK (billing_access_denied_cb), self);

  g_signal_connect (self, "map", G_CALLBACK (start_sections), NULL);

  update_state (self);
}

static void
stompy_analysaver_page_dispose (GObject *object)
{
  StompyAnalysaverPage *self = STOMPY_ANALYSAVER_PAGE (object);
  gpointer parts[] = { self->billing_section, self->cur_section, self->template_section };

  /* A running operation keeps its section alive until it calls back: stop
   * them, and listen no more. */
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      {
        stompy_section_stop (STOMPY_SECTION (parts[i]));
        g_signal_handlers_disconnect_by_data (parts[i], self);
      }
  if (self->template_section != NULL)
    stompy_template_section_cancel (self->template_section);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_ANALYSAVER_PAGE);
  self->billing_section = NULL;
  self->cur_section = NULL;
  self->template_section = NULL;

  G_OBJECT_CLASS (stompy_analysaver_page_parent_class)->dispose (object);
}

static void
stompy_analysaver_page_class_init (StompyAnalysaverPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StompyPageClass *page_class = STOMPY_PAGE_CLASS (klass);

  object_class->constructed = stompy_analysaver_page_constructed;
  object_class->dispose = stompy_analysaver_page_dispose;

  page_class->start = stompy_analysaver_page_start;
  page_class->preload = stompy_analysaver_page_preload;
  page_class->cancel = stompy_analysaver_page_cancel;
  page_class->reset = stompy_analysaver_page_reset;
  page_class->submit_async = stompy_analysaver_page_submit_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-analysaver-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StompyAnalysaverPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, StompyAnalysaverPage, content_box);
}

static void
stompy_analysaver_page_init (StompyAnalysaverPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  stompy_page_set_sections (STOMPY_PAGE (self), GTK_WIDGET (self->content_box));
}

GtkWidget *
stompy_analysaver_page_new (StompyApplication *application)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);

  return g_object_new (STOMPY_TYPE_ANALYSAVER_PAGE, "application", application, NULL);
}
