/* stompy-billing-section.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing here talks to AWS: the setting has no API. The switch mirrors the
 * model's confirmation both ways, so Back, a restart and Start Over all show
 * what the model says.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-billing-section-private.h"
#include "stompy-open-uri.h"

G_DEFINE_FINAL_TYPE (StompyBillingSection, stompy_billing_section, STOMPY_TYPE_SECTION)

static void
update_status (StompyBillingSection *self)
{
  gboolean confirmed = stompy_cur_choice_get_billing_access_confirmed (self->choice);

  if (gtk_switch_get_active (self->confirm_switch) != confirmed)
    gtk_switch_set_active (self->confirm_switch, confirmed);
  if (confirmed)
    gtk_widget_set_visible (GTK_WIDGET (self->denied_label), FALSE);

  stompy_section_set_status (STOMPY_SECTION (self), confirmed, FALSE, FALSE);
}

static void
confirm_changed_cb (StompyBillingSection *self)
{
  stompy_cur_choice_set_billing_access_confirmed (self->choice,
                                                  gtk_switch_get_active (self->confirm_switch));
}

static void
open_console_cb (StompyBillingSection *self)
{
  stompy_open_uri (GTK_WIDGET (self), STOMPY_BILLING_ACCOUNT_URL);
}

static void
stompy_billing_section_constructed (GObject *object)
{
  StompyBillingSection *self = STOMPY_BILLING_SECTION (object);

  G_OBJECT_CLASS (stompy_billing_section_parent_class)->constructed (object);

  self->choice = stompy_onboarding_get_cur_choice (stompy_section_get_model (STOMPY_SECTION (self)));
  g_signal_connect_object (self->choice, "notify::billing-access-confirmed",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  update_status (self);
}

static void
stompy_billing_section_dispose (GObject *object)
{
  StompyBillingSection *self = STOMPY_BILLING_SECTION (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOMPY_TYPE_BILLING_SECTION);
  self->choice = NULL;

  G_OBJECT_CLASS (stompy_billing_section_parent_class)->dispose (object);
}

static void
stompy_billing_section_class_init (StompyBillingSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stompy_billing_section_constructed;
  object_class->dispose = stompy_billing_section_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/stompy/Connect/stompy-billing-section.ui");
  gtk_widget_class_bind_template_child (widget_class, StompyBillingSection, open_row);
  gtk_widget_class_bind_template_child (widget_class, StompyBillingSection, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, StompyBillingSection, confirm_switch);
  gtk_widget_class_bind_template_child (widget_class, StompyBillingSection, denied_label);
  gtk_widget_class_bind_template_callback (widget_class, confirm_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_console_cb);
}

static void
stompy_billing_section_init (StompyBillingSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
stompy_billing_section_new (StompyApplication *application)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);

  return g_object_new (STOMPY_TYPE_BILLING_SECTION, "application", application, NULL);
}

void
stompy_billing_section_set_denied (StompyBillingSection *self,
                                   gboolean              denied)
{
  g_return_if_fail (STOMPY_IS_BILLING_SECTION (self));

  gtk_widget_set_visible (GTK_WIDGET (self->denied_label), denied);
}

void
stompy_billing_section_reset (StompyBillingSection *self)
{
  g_return_if_fail (STOMPY_IS_BILLING_SECTION (self));

  gtk_widget_set_visible (GTK_WIDGET (self->denied_label), FALSE);
  update_status (self);
}
