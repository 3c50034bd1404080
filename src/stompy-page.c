/* stompy-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-form.h"
#include "stompy-page.h"
#include "stompy-window.h"

G_DEFINE_ENUM_TYPE (StompyPageState, stompy_page_state,
                    G_DEFINE_ENUM_VALUE (STOMPY_PAGE_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (STOMPY_PAGE_STATE_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (STOMPY_PAGE_STATE_BUSY, "busy"),
                    G_DEFINE_ENUM_VALUE (STOMPY_PAGE_STATE_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (STOMPY_PAGE_STATE_DONE, "done"))

typedef struct
{
  StompyApplication *application;
  StompyOnboarding  *model;
  StompyPageState    state;
  gboolean           started;
  GtkWidget         *sections;   /* in the template: owned by it */
  const char        *primary_label;  /* untranslated, static; NULL: no button */
} StompyPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (StompyPage, stompy_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_STATE,
  PROP_PRIMARY_LABEL,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static gboolean
stompy_page_real_submit_finish (StompyPage    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
stompy_page_constructed (GObject *object)
{
  StompyPage *self = STOMPY_PAGE (object);
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

  G_OBJECT_CLASS (stompy_page_parent_class)->constructed (object);

  /* Subclasses read the model in their own constructed(), which runs after this. */
  g_assert (priv->application != NULL);
  priv->model = g_object_ref (stompy_application_get_model (priv->application));
}

static void
stompy_page_dispose (GObject *object)
{
  StompyPage *self = STOMPY_PAGE (object);
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

  g_clear_object (&priv->model);
  g_clear_object (&priv->application);

  G_OBJECT_CLASS (stompy_page_parent_class)->dispose (object);
}

static void
stompy_page_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  StompyPage *self = STOMPY_PAGE (object);
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, priv->application);
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    case PROP_PRIMARY_LABEL:
      g_value_set_string (value, stompy_page_get_primary_label (STOMPY_PAGE (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stompy_page_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  StompyPage *self = STOMPY_PAGE (object);
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

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
stompy_page_class_init (StompyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stompy_page_constructed;
  object_class->dispose = stompy_page_dispose;
  object_class->get_property = stompy_page_get_property;
  object_class->set_property = stompy_page_set_property;

  klass->submit_finish = stompy_page_real_submit_finish;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, STOMPY_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       STOMPY_TYPE_PAGE_STATE, STOMPY_PAGE_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRIMARY_LABEL] =
    g_param_spec_string ("primary-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A page is one scrolled child; subclasses inherit the layout. */
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
stompy_page_init (StompyPage *self)
{
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

  priv->primary_label = N_("_Continue");
}

StompyApplication *
stompy_page_get_application (StompyPage *self)
{
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

  g_return_val_if_fail (STOMPY_IS_PAGE (self), NULL);

  return priv->application;
}

StompyOnboarding *
stompy_page_get_model (StompyPage *self)
{
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

  g_return_val_if_fail (STOMPY_IS_PAGE (self), NULL);

  return priv->model;
}

StompyPageState
stompy_page_get_state (StompyPage *self)
{
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

  g_return_val_if_fail (STOMPY_IS_PAGE (self), STOMPY_PAGE_STATE_IDLE);

  return priv->state;
}

const char *
stompy_page_get_primary_label (StompyPage *self)
{
  StompyPagePrivate *priv;

  g_return_val_if_fail (STOMPY_IS_PAGE (self), NULL);

  priv = stompy_page_get_instance_private (self);
  return priv->primary_label != NULL ? _(priv->primary_label) : NULL;
}

void
stompy_page_set_primary_label (StompyPage *self,
                               const char *label)
{
  StompyPagePrivate *priv;

  g_return_if_fail (STOMPY_IS_PAGE (self));

  priv = stompy_page_get_instance_private (self);
  if (g_strcmp0 (priv->primary_label, label) == 0)
    return;

  priv->primary_label = label;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIMARY_LABEL]);
}

void
stompy_page_set_state (StompyPage      *self,
                       StompyPageState  state)
{
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

  g_return_if_fail (STOMPY_IS_PAGE (self));

  if (priv->state == state)
    return;

  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
stompy_page_start (StompyPage *self)
{
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

  g_return_if_fail (STOMPY_IS_PAGE (self));

  /* The keyring and the network are asked once per page. */
  if (priv->started)
    return;
  priv->started = TRUE;

  if (STOMPY_PAGE_GET_CLASS (self)->start)
    STOMPY_PAGE_GET_CLASS (self)->start (self);
}

void
stompy_page_preload (StompyPage *self)
{
  g_return_if_fail (STOMPY_IS_PAGE (self));

  if (STOMPY_PAGE_GET_CLASS (self)->preload)
    STOMPY_PAGE_GET_CLASS (self)->preload (self);
}

void
stompy_page_cancel (StompyPage *self)
{
  g_return_if_fail (STOMPY_IS_PAGE (self));

  if (STOMPY_PAGE_GET_CLASS (self)->cancel)
    STOMPY_PAGE_GET_CLASS (self)->cancel (self);
}

/* Scrolled windows, viewports and lists are focusable to pass the focus on
 * to what they hold: the control is in there. */
static gboolean
is_control (GtkWidget *widget)
{
  return gtk_widget_get_focusable (widget)
         && !GTK_IS_SCROLLED_WINDOW (widget) && !GTK_IS_VIEWPORT (widget)
         && !GTK_IS_LIST_BOX (widget);
}

gboolean
stompy_page_grab_initial_focus (StompyPage *self)
{
  GtkWidget *control;

  g_return_val_if_fail (STOMPY_IS_PAGE (self), FALSE);

  control = stompy_form_find_first (GTK_WIDGET (self), is_control);
  return control != NULL && gtk_widget_grab_focus (control);
}

void
stompy_page_reset (StompyPage *self)
{
  g_return_if_fail (STOMPY_IS_PAGE (self));

  if (STOMPY_PAGE_GET_CLASS (self)->reset)
    STOMPY_PAGE_GET_CLASS (self)->reset (self);
}

void
stompy_page_submit_async (StompyPage          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (STOMPY_IS_PAGE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (STOMPY_PAGE_GET_CLASS (self)->submit_async != NULL);

  STOMPY_PAGE_GET_CLASS (self)->submit_async (self, cancellable, callback, user_data);
}

gboolean
stompy_page_submit_finish (StompyPage    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (STOMPY_IS_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return STOMPY_PAGE_GET_CLASS (self)->submit_finish (self, result, error);
}

void
stompy_widget_toast (GtkWidget  *widget,
                     const char *message)
{
  g_autofree char *escaped = NULL;
  GtkWidget *window;
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  window = gtk_widget_get_ancestor (widget, STOMPY_TYPE_WINDOW);
  if (window != NULL)
    {
      stompy_window_add_toast (STOMPY_WINDOW (window), message);
      return;
    }

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_debug ("No toast overlay for: %s", message);
      return;
    }

  /* Toast titles are Pango markup in libadwaita 1.2. */
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

void
stompy_page_toast (StompyPage *self,
                   const char *message)
{
  g_return_if_fail (STOMPY_IS_PAGE (self));

  stompy_widget_toast (GTK_WIDGET (self), message);
}

static GQuark
alternative_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("stompy-page-alternative");

  return quark;
}

void
stompy_page_mark_alternative (GtkWidget *form)
{
  g_return_if_fail (GTK_IS_WIDGET (form));

  g_object_set_qdata (G_OBJECT (form), alternative_quark (), GINT_TO_POINTER (TRUE));
}

gboolean
stompy_page_is_alternative (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  return g_object_get_qdata (G_OBJECT (widget), alternative_quark ()) != NULL;
}

void
stompy_page_set_sections (StompyPage *self,
                          GtkWidget  *box)
{
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

  g_return_if_fail (STOMPY_IS_PAGE (self));
  g_return_if_fail (GTK_IS_BOX (box));
  g_return_if_fail (gtk_widget_is_ancestor (box, GTK_WIDGET (self)));

  priv->sections = box;
}

GtkWidget *
stompy_page_get_sections (StompyPage *self)
{
  StompyPagePrivate *priv = stompy_page_get_instance_private (self);

  g_return_val_if_fail (STOMPY_IS_PAGE (self), NULL);

  return priv->sections;
}
