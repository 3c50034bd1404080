/* stompy-products-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-error.h"
#include "stompy-error-messages.h"
#include "stompy-products-page-private.h"

G_DEFINE_FINAL_TYPE (StompyProductsPage, stompy_products_page, STOMPY_TYPE_PAGE)

StompyProducts
_stompy_products_page_get_selection (StompyProductsPage *self)
{
  StompyProducts products = STOMPY_PRODUCT_NONE;

  if (gtk_check_button_get_active (self->analysaver_check))
    products |= STOMPY_PRODUCT_ANALYSAVER;
  if (gtk_check_button_get_active (self->spotainer_check))
    products |= STOMPY_PRODUCT_SPOTAINER;

  return products;
}

static void
update_state (StompyProductsPage *self)
{
  gboolean any = _stompy_products_page_get_selection (self) != STOMPY_PRODUCT_NONE;

  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), !any);

  if (stompy_page_get_state (STOMPY_PAGE (self)) == STOMPY_PAGE_STATE_BUSY)
    return;

  stompy_page_set_state (STOMPY_PAGE (self), any ? STOMPY_PAGE_STATE_READY : STOMPY_PAGE_STATE_IDLE);
}

static void
check_toggled_cb (StompyProductsPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_state (self);
}

static void
select_products (StompyProductsPage *self,
                 StompyProducts      products)
{
  gtk_check_button_set_active (self->analysaver_check, (products & STOMPY_PRODUCT_ANALYSAVER) != 0);
  gtk_check_button_set_active (self->spotainer_check, (products & STOMPY_PRODUCT_SPOTAINER) != 0);
  update_state (self);
}

static void
recommend_both_cb (StompyProductsPage *self)
{
  select_products (self, STOMPY_PRODUCT_ANALYSAVER | STOMPY_PRODUCT_SPOTAINER);
}

static void
recommend_spotainer_cb (StompyProductsPage *self)
{
  select_products (self, STOMPY_PRODUCT_SPOTAINER);
}

static void
recommend_analysaver_cb (StompyProductsPage *self)
{
  select_products (self, STOMPY_PRODUCT_ANALYSAVER);
}

static void
recommendations_changed_cb (StompyProductsPage *self)
{
  StompyOnboarding *model = stompy_page_get_model (STOMPY_PAGE (self));
  StompyRecommendations recommendations = stompy_onboarding_get_recommendations (model);

  gtk_widget_set_visible (GTK_WIDGET (self->recommend_both_row),
                          (recommendations & STOMPY_RECOMMEND_BOTH_FROM_MANAGEMENT) != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->recommend_spotainer_row),
                          (recommendations & STOMPY_RECOMMEND_SPOTAINER_IN_PRODUCTION) != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->recommend_analysaver_row),
                          (recommendations & STOMPY_RECOMMEND_ANALYSAVER_ORG_WIDE) != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->recommendations_group),
                          recommendations != STOMPY_RECOMMEND_NONE);
}

static void
stompy_products_page_reset (StompyPage *page)
{
  StompyProductsPage *self = STOMPY_PRODUCTS_PAGE (page);

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  select_products (self, stompy_onboarding_get_products (stompy_page_get_model (page)));
  recommendations_changed_cb (self);
}

static void
stompy_products_page_submit_async (StompyPage          *page,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  StompyProductsPage *self = STOMPY_PRODUCTS_PAGE (page);
  StompyOnboarding *model = stompy_page_get_model (page);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  StompyProducts products = _stompy_products_page_get_selection (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_products_page_submit_async);

  if (products == STOMPY_PRODUCT_NONE)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->analysaver_check));
      g_task_return_new_error (task, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                               "No product chosen");
      return;
    }

  stompy_onboarding_set_products (model, products);

  /* The choice is what the next steps are built on: write it now rather than
   * in the model's coalescing idle, so that it is on disk when the user is told
   * it is saved. The file is a few hundred bytes. */
  if (!stompy_onboarding_save (model, &error))
    {
      g_autofree char *message = stompy_error_message_for (error);

      g_message ("Could not save the product choice: %s", error->message);
      gtk_label_set_label (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      stompy_page_set_state (STOMPY_PAGE (self), STOMPY_PAGE_STATE_ERROR);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  stompy_page_set_state (STOMPY_PAGE (self), STOMPY_PAGE_STATE_READY);
  g_task_return_boolean (task, TRUE);
}

static void
stompy_products_page_constructed (GObject *object)
{
  StompyProductsPage *self = STOMPY_PRODUCTS_PAGE (object);
  StompyOnboarding *model;

  G_OBJECT_CLASS (stompy_products_page_parent_class)->constructed (object);

  model = stompy_page_get_model (STOMPY_PAGE (self));
  g_signal_connect_object (model, "notify::recommendations",
                           G_CALLBACK (recommendations_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "notify::identity",
                           G_CALLBACK (recommendations_changed_cb), self, G_CONNECT_SWAPPED);

  stompy_products_page_reset (STOMPY_PAGE (self));
}

static void
stompy_products_page_dispose (GObject *object)
{
  StompyProductsPage *self = STOMPY_PRODUCTS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_PRODUCTS_PAGE);

  G_OBJECT_CLASS (stompy_products_page_parent_class)->dispose (object);
}

static void
stompy_products_page_class_init (StompyProductsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StompyPageClass *page_class = STOMPY_PAGE_CLASS (klass);

  object_class->constructed = stompy_products_page_constructed;
  object_class->dispose = stompy_products_page_dispose;

  page_class->reset = stompy_products_page_reset;
  page_class->submit_async = stompy_products_page_submit_async;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-products-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, analysaver_check);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, spotainer_check);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, recommendations_group);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, recommend_both_row);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, recommend_spotainer_row);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, recommend_analysaver_row);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, recommend_both_button);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, recommend_spotainer_button);
  gtk_widget_class_bind_template_child (widget_class, StompyProductsPage, recommend_analysaver_button);
  gtk_widget_class_bind_template_callback (widget_class, check_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, recommend_both_cb);
  gtk_widget_class_bind_template_callback (widget_class, recommend_spotainer_cb);
  gtk_widget_class_bind_template_callback (widget_class, recommend_analysaver_cb);
}

static void
stompy_products_page_init (StompyProductsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  stompy_page_set_sections (STOMPY_PAGE (self), GTK_WIDGET (self->content_box));
}

GtkWidget *
stompy_products_page_new (StompyApplication *application)
{
  return g_object_new (STOMPY_TYPE_PRODUCTS_PAGE, "application", application, NULL);
}
