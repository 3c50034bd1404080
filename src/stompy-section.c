/* stompy-section.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "stompy-section.h"

typedef struct
{
  StompyApplication *application;
  StompyOnboarding  *model;
  GCancellable      *cancellable;
  gboolean           ready;
  gboolean           busy;
  gboolean           failed;
} StompySectionPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (StompySection, stompy_section, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_READY,
  PROP_BUSY,
  PROP_FAILED,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
stompy_section_constructed (GObject *object)
{
  StompySection *self = STOMPY_SECTION (object);
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  G_OBJECT_CLASS (stompy_section_parent_class)->constructed (object);

  /* Subclasses read the model in their own constructed(), which runs after this. */
  g_assert (priv->application != NULL);
  priv->model = g_object_ref (stompy_application_get_model (priv->application));
}

static void
stompy_section_dispose (GObject *object)
{
  StompySection *self = STOMPY_SECTION (object);
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);
  GtkWidget *child;

  g_cancellable_cancel (priv->cancellable);

  /* Subclasses dispose their template first; its unnamed children go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->model);
  g_clear_object (&priv->application);

  G_OBJECT_CLASS (stompy_section_parent_class)->dispose (object);
}

static void
stompy_section_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StompySection *self = STOMPY_SECTION (object);
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, priv->application);
      break;
    case PROP_READY:
      g_value_set_boolean (value, priv->ready);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, priv->busy);
      break;
    case PROP_FAILED:
      g_value_set_boolean (value, priv->failed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_section_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  StompySection *self = STOMPY_SECTION (object);
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      priv->application = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_section_class_init (StompySectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = stompy_section_constructed;
  object_class->dispose = stompy_section_dispose;
  object_class->get_property = stompy_section_get_property;
  object_class->set_property = stompy_section_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, STOMPY_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FAILED] =
    g_param_spec_boolean ("failed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stompy_section_init (StompySection *self)
{
}

StompyApplication *
stompy_section_get_application (StompySection *self)
{
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  g_return_val_if_fail (STOMPY_IS_SECTION (self), NULL);

  return priv->application;
}

StompyOnboarding *
stompy_section_get_model (StompySection *self)
{
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  g_return_val_if_fail (STOMPY_IS_SECTION (self), NULL);

  return priv->model;
}

GCancellable *
stompy_section_get_cancellable (StompySection *self)
{
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  g_return_val_if_fail (STOMPY_IS_SECTION (self), NULL);

  return priv->cancellable;
}

GCancellable *
stompy_section_renew_cancellable (StompySection *self)
{
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  g_return_val_if_fail (STOMPY_IS_SECTION (self), NULL);

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
  return priv->cancellable;
}

void
stompy_section_stop (StompySection *self)
{
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  g_return_if_fail (STOMPY_IS_SECTION (self));

  g_cancellable_cancel (priv->cancellable);
}

gboolean
stompy_section_get_ready (StompySection *self)
{
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  g_return_val_if_fail (STOMPY_IS_SECTION (self), FALSE);

  return priv->ready;
}

gboolean
stompy_section_get_busy (StompySection *self)
{
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  g_return_val_if_fail (STOMPY_IS_SECTION (self), FALSE);

  return priv->busy;
}

gboolean
stompy_section_get_failed (StompySection *self)
{
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  g_return_val_if_fail (STOMPY_IS_SECTION (self), FALSE);

  return priv->failed;
}

static void
set_flag (StompySection *self,
          gboolean      *flag,
          gboolean       value,
          guint          prop_id)
{
  if (*flag == !!value)
    return;

  *flag = !!value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
stompy_section_set_status (StompySection *self,
                           gboolean       ready,
                           gboolean       busy,
                           gboolean       failed)
{
  StompySectionPrivate *priv = stompy_section_get_instance_private (self);

  g_return_if_fail (STOMPY_IS_SECTION (self));

  /* The notifications are emitted on thaw, once the three are all set. */
  g_object_freeze_notify (G_OBJECT (self));
  set_flag (self, &priv->ready, ready, PROP_READY);
  set_flag (self, &priv->busy, busy, PROP_BUSY);
  set_flag (self, &priv->failed, failed, PROP_FAILED);
  g_object_thaw_notify (G_OBJECT (self));
}
