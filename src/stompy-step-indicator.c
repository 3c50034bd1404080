/* stompy-step-indicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "stompy-step-indicator.h"

#define N_STEPS 5

typedef struct
{
  GtkWidget *item;
  GtkWidget *circle;
  GtkWidget *number;
  GtkWidget *check;
  GtkWidget *name;   /* NULL in the compact form */
} Item;

struct _StompyStepIndicator
{
  GtkWidget       parent_instance;

  GtkWidget      *squeezer;
  Item            full[N_STEPS];
  Item            compact[N_STEPS];
  GtkWidget      *compact_title;

  StompyStep      step;
  StompyProducts  products;
};

G_DEFINE_FINAL_TYPE (StompyStepIndicator, stompy_step_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STEP,
  PROP_PRODUCTS,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static const char *
step_name (guint index)
{
  switch (index)
    {
    /* Translators: the steps of the wizard, shown side by side in a narrow strip. */
    case STOMPY_STEP_SIGN_IN:     return C_("step", "Sign In");
    case STOMPY_STEP_PRODUCTS:    return C_("step", "Products");
    case STOMPY_STEP_ANALYSAVER:  return C_("step", "AnalySaver");
    case STOMPY_STEP_SPOTAINER:   return C_("step", "SpoTainer");
    case STOMPY_STEP_CONNECT:     return C_("step", "Connect");
    default:                      return "";
    }
}

const char *
stompy_step_indicator_get_item_state (StompyStepIndicator *self,
                                      StompyStep           step)
{
  gboolean chosen = TRUE;

  g_return_val_if_fail (STOMPY_IS_STEP_INDICATOR (self), NULL);

  if (step == STOMPY_STEP_ANALYSAVER)
    chosen = self->products == STOMPY_PRODUCT_NONE || (self->products & STOMPY_PRODUCT_ANALYSAVER);
  else if (step == STOMPY_STEP_SPOTAINER)
    chosen = self->products == STOMPY_PRODUCT_NONE || (self->products & STOMPY_PRODUCT_SPOTAINER);

  if (!chosen)
    return "skipped";
  if (step < self->step)
    return "done";
  if (step == self->step)
    return "current";
  return "pending";
}

static void
update_item (StompyStepIndicator *self,
             Item                *item,
             guint                index)
{
  const char *state = stompy_step_indicator_get_item_state (self, index);
  gboolean done = g_str_equal (state, "done");
  gboolean current = g_str_equal (state, "current");
  gboolean skipped = g_str_equal (state, "skipped");
  g_autofree char *accessible = NULL;

  gtk_widget_set_visible (item->check, done);
  gtk_widget_set_visible (item->number, !done);

  if (current)
    gtk_widget_add_css_class (item->item, "current");
  else
    gtk_widget_remove_css_class (item->item, "current");

  if (done)
    gtk_widget_add_css_class (item->item, "done");
  else
    gtk_widget_remove_css_class (item->item, "done");

  if (skipped)
    gtk_widget_add_css_class (item->item, "skipped");
  else
    gtk_widget_remove_css_class (item->item, "skipped");

  if (done)
    /* Translators: accessible description of a wizard step, e.g. "Step 1 of 5: Sign In, done". */
    accessible = g_strdup_printf (_("Step %u of %u: %s, done"), index + 1, N_STEPS, step_name (index));
  else if (current)
    accessible = g_strdup_printf (_("Step %u of %u: %s, current"), index + 1, N_STEPS, step_name (index));
  else if (skipped)
    accessible = g_strdup_printf (_("Step %u of %u: %s, not chosen"), index + 1, N_STEPS, step_name (index));
  else
    accessible = g_strdup_printf (_("Step %u of %u: %s"), index + 1, N_STEPS, step_name (index));

  gtk_accessible_update_property (GTK_ACCESSIBLE (item->item),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  gtk_widget_set_tooltip_text (item->item, accessible);
}

static void
update (StompyStepIndicator *self)
{
  guint current = MIN ((guint) self->step, N_STEPS - 1);
  g_autofree char *title = NULL;

  for (guint i = 0; i < N_STEPS; i++)
    {
      update_item (self, &self->full[i], i);
      update_item (self, &self->compact[i], i);
    }

  if (self->step >= STOMPY_STEP_DONE)
    title = g_strdup (_("All steps done"));
  else
    /* Translators: shown in narrow windows, e.g. "Step 2 of 5: Products". */
    title = g_strdup_printf (_("Step %u of %u: %s"), current + 1, N_STEPS, step_name (current));
  gtk_label_set_label (GTK_LABEL (self->compact_title), title);
}

static GtkWidget *
build_item (Item     *item,
            guint     index,
            gboolean  with_name)
{
  g_autofree char *number = g_strdup_printf ("%u", index + 1);

  item->item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (item->item, "step-item");
  gtk_accessible_update_property (GTK_ACCESSIBLE (item->item),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, step_name (index),
                                  -1);

  item->circle = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (item->circle, "step-circle");
  gtk_widget_set_valign (item->circle, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (item->circle, GTK_ALIGN_CENTER);

  item->number = gtk_label_new (number);
  gtk_widget_set_hexpand (item->number, TRUE);
  gtk_box_append (GTK_BOX (item->circle), item->number);

  item->check = gtk_image_new_from_icon_name ("object-select-symbolic");
  gtk_widget_set_hexpand (item->check, TRUE);
  gtk_widget_set_visible (item->check, FALSE);
  gtk_box_append (GTK_BOX (item->circle), item->check);

  gtk_box_append (GTK_BOX (item->item), item->circle);

  if (with_name)
    {
      item->name = gtk_label_new (step_name (index));
      gtk_widget_add_css_class (item->name, "step-name");
      gtk_box_append (GTK_BOX (item->item), item->name);
    }

  return item->item;
}

static GtkWidget *
build_row (StompyStepIndicator *self,
           Item                *items,
           gboolean             with_names)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, with_names ? 8 : 4);

  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);

  for (guint i = 0; i < N_STEPS; i++)
    {
      if (i > 0)
        {
          GtkWidget *separator = gtk_image_new_from_icon_name ("go-next-symbolic");

          gtk_widget_add_css_class (separator, "dim-label");
          gtk_widget_add_css_class (separator, "step-separator");
          gtk_box_append (GTK_BOX (box), separator);
        }
      gtk_box_append (GTK_BOX (box), build_item (&items[i], i, with_names));
    }

  return box;
}

static void
stompy_step_indicator_dispose (GObject *object)
{
  StompyStepIndicator *self = STOMPY_STEP_INDICATOR (object);

  g_clear_pointer (&self->squeezer, gtk_widget_unparent);

  G_OBJECT_CLASS (stompy_step_indicator_parent_class)->dispose (object);
}

static void
stompy_step_indicator_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  StompyStepIndicator *self = STOMPY_STEP_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_enum (value, self->step);
      break;
    case PROP_PRODUCTS:
      g_value_set_flags (value, self->products);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_step_indicator_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  StompyStepIndicator *self = STOMPY_STEP_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_STEP:
      stompy_step_indicator_set_step (self, g_value_get_enum (value));
      break;
    case PROP_PRODUCTS:
      stompy_step_indicator_set_products (self, g_value_get_flags (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_step_indicator_class_init (StompyStepIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stompy_step_indicator_dispose;
  object_class->get_property = stompy_step_indicator_get_property;
  object_class->set_property = stompy_step_indicator_set_property;

  properties[PROP_STEP] =
    g_param_spec_enum ("step", NULL, NULL, STOMPY_TYPE_STEP, STOMPY_STEP_SIGN_IN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRODUCTS] =
    g_param_spec_flags ("products", NULL, NULL, STOMPY_TYPE_PRODUCTS, STOMPY_PRODUCT_NONE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "stepindicator");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
stompy_step_indicator_init (StompyStepIndicator *self)
{
  GtkWidget *compact;

  /* The full strip names every step; in narrow windows only the circles and
   * the current step's name fit, so the squeezer falls back to that. */
  self->squeezer = adw_squeezer_new ();
  adw_squeezer_set_transition_type (ADW_SQUEEZER (self->squeezer),
                                    ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  /* As tall as the taller (compact) child: libadwaita 1.2's squeezer measures the height
   * of the child it showed last, then picks the compact one while allocating, which
   * then had the full strip's 24 px and drew its step name over the page below. */
  adw_squeezer_set_homogeneous (ADW_SQUEEZER (self->squeezer), TRUE);
  gtk_widget_set_parent (self->squeezer, GTK_WIDGET (self));

  adw_squeezer_add (ADW_SQUEEZER (self->squeezer), build_row (self, self->full, TRUE));

  compact = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_append (GTK_BOX (compact), build_row (self, self->compact, FALSE));
  self->compact_title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->compact_title, "step-name");
  gtk_label_set_ellipsize (GTK_LABEL (self->compact_title), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (compact), self->compact_title);
  adw_squeezer_add (ADW_SQUEEZER (self->squeezer), compact);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Wizard steps"),
                                  -1);

  self->step = STOMPY_STEP_SIGN_IN;
  self->products = STOMPY_PRODUCT_NONE;
  update (self);
}

GtkWidget *
stompy_step_indicator_new (void)
{
  return g_object_new (STOMPY_TYPE_STEP_INDICATOR, NULL);
}

StompyStep
stompy_step_indicator_get_step (StompyStepIndicator *self)
{
  g_return_val_if_fail (STOMPY_IS_STEP_INDICATOR (self), STOMPY_STEP_SIGN_IN);

  return self->step;
}

void
stompy_step_indicator_set_step (StompyStepIndicator *self,
                                StompyStep           step)
{
  g_return_if_fail (STOMPY_IS_STEP_INDICATOR (self));

  if (self->step == step)
    return;

  self->step = step;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

StompyProducts
stompy_step_indicator_get_products (StompyStepIndicator *self)
{
  g_return_val_if_fail (STOMPY_IS_STEP_INDICATOR (self), STOMPY_PRODUCT_NONE);

  return self->products;
}

void
stompy_step_indicator_set_products (StompyStepIndicator *self,
                                    StompyProducts       products)
{
  g_return_if_fail (STOMPY_IS_STEP_INDICATOR (self));

  if (self->products == products)
    return;

  self->products = products;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRODUCTS]);
}
