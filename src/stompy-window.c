/* stompy-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <glib/gi18n.h>

#include "stompy-analysaver-page.h"
#include "stompy-connect-page.h"
#include "stompy-done-page.h"
#include "stompy-products-page-private.h"
#include "stompy-section.h"
#include "stompy-sign-in-page.h"
#include "stompy-spotainer-page.h"
#include "stompy-window-private.h"

G_DEFINE_FINAL_TYPE (StompyWindow, stompy_window, ADW_TYPE_APPLICATION_WINDOW)

/* The registry of pages: one line per step that has a page. A page is built
 * when the window first needs it (ensure_page()), so that only the current
 * step's widget tree is built before the first frame. */
static const struct {
  StompyStep  step;
  const char *name;
  GType     (*get_type) (void);
} page_registry[] = {
  { STOMPY_STEP_SIGN_IN,  "sign-in",  stompy_sign_in_page_get_type },
  { STOMPY_STEP_PRODUCTS, "products", stompy_products_page_get_type },
  { STOMPY_STEP_ANALYSAVER, "analysaver", stompy_analysaver_page_get_type },
  { STOMPY_STEP_SPOTAINER, "spotainer", stompy_spotainer_page_get_type },
  { STOMPY_STEP_CONNECT,  "connect",  stompy_connect_page_get_type },
  { STOMPY_STEP_DONE,     "done",     stompy_done_page_get_type },
};

static void page_state_changed_cb (StompyWindow *self);
static void sign_in_state_changed_cb (StompyWindow *self);
static void page_primary_label_changed_cb (StompyPage   *page,
                                           GParamSpec   *pspec,
                                           StompyWindow *self);

static gboolean
step_has_page (StompyStep step)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_registry); i++)
    if (page_registry[i].step == step)
      return TRUE;

  return FALSE;
}

/* The page of @step, built now if it was not yet (NULL for a step without a
 * page). A page built after the window has started starts at once. */
static StompyPage *
ensure_page (StompyWindow *self,
             StompyStep    step)
{
  StompyPage *page;

  /* Nothing is built into a window being destroyed. */
  if (step > STOMPY_STEP_DONE || self->disposed)
    return NULL;
  if (self->pages[step] != NULL)
    return self->pages[step];

  for (guint i = 0; i < G_N_ELEMENTS (page_registry); i++)
    {
      if (page_registry[i].step != step)
        continue;

      page = g_object_new (page_registry[i].get_type (), "application", self->application, NULL);
      self->pages[step] = page;
      gtk_stack_add_named (self->stack, GTK_WIDGET (page), page_registry[i].name);
      g_signal_connect_object (page, "notify::state",
                               G_CALLBACK (page_state_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (page, "notify::primary-label",
                               G_CALLBACK (page_primary_label_changed_cb), self, 0);
      if (step == STOMPY_STEP_SIGN_IN)
        g_signal_connect_object (page, "notify::state",
                                 G_CALLBACK (sign_in_state_changed_cb), self, G_CONNECT_SWAPPED);
      if (self->started)
        stompy_page_start (page);

      return page;
    }

  return NULL;
}

/* The status panel is built the first time a step shows it (or something
 * asks for it), not before the first frame of a step that hides it. */
static StompyStatusPanel *
ensure_status_panel (StompyWindow *self)
{
  if (self->status_panel != NULL || self->disposed)
    return self->status_panel;

  self->status_panel = stompy_status_panel_new (self->application);
  gtk_widget_set_visible (GTK_WIDGET (self->status_panel), FALSE);
  adw_flap_set_flap (self->flap, GTK_WIDGET (self->status_panel));
  if (self->started)
    stompy_status_panel_start (self->status_panel);

  return self->status_panel;
}

/* The status panel concerns what steps 3 and later make; beside a narrow
 * page it folds away behind the header bar's toggle. */
static void
update_status_panel (StompyWindow *self)
{
  gboolean shown = self->step >= STOMPY_STEP_ANALYSAVER;
  gboolean folded = adw_flap_get_folded (self->flap);

  if (self->status_panel == NULL && !shown)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->status_button), FALSE);
      return;
    }

  ensure_status_panel (self);
  gtk_widget_set_visible (GTK_WIDGET (self->status_panel), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->status_button), shown && folded);
  if (shown && !folded)
    adw_flap_set_reveal_flap (self->flap, TRUE);
  else if (!shown)
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

static gboolean
update_status_panel_idle_cb (gpointer user_data)
{
  StompyWindow *self = user_data;

  self->status_panel_idle = 0;
  update_status_panel (self);

  return G_SOURCE_REMOVE;
}

/* AdwFlap folds while it allocates its children: showing the header bar's
 * toggle then would change the header bar in the middle of a frame. */
static void
flap_folded_cb (StompyWindow *self)
{
  if (self->status_panel_idle == 0)
    self->status_panel_idle = g_idle_add (update_status_panel_idle_cb, self);
}

/* ------------------------------------------------------------------ the next page, ahead */

/* Showing a page for the first time built its widgets, computed their style
 * and shaped and measured all their text in one frame: 90–170 ms on the
 * benchmark's machine (bench/ui-responsiveness.sh), and as much again when a
 * form of the page was first opened. That work is done ahead instead, for the
 * page the user goes to next, in small parts in idle time once the current
 * page has settled: the page is built (its style is computed by the next
 * frame, as for any widget in the window), then measured and allocated,
 * hidden, at the size the stack will give it; showing it then finds its size
 * requests cached (GTK keeps them until something in the page changes). */
#define PREPARE_DELAY_MS 150

static void schedule_prepare (StompyWindow *self,
                              guint         delay_ms);
static StompyPage *current_page (StompyWindow *self);

/* The step after @step that has a page, or @step itself. */
static StompyStep
next_step_with_page (StompyWindow *self,
                     StompyStep    step)
{
  StompyStep next = step;

  /* The products chosen are the model's once Continue is pressed: until then the
   * products page's own choice tells which page comes next. */
  if (step == STOMPY_STEP_PRODUCTS && self->pages[step] != NULL)
    {
      StompyProducts chosen =
        _stompy_products_page_get_selection (STOMPY_PRODUCTS_PAGE (self->pages[step]));

      if (chosen & STOMPY_PRODUCT_ANALYSAVER)
        return STOMPY_STEP_ANALYSAVER;
      if (chosen & STOMPY_PRODUCT_SPOTAINER)
        return STOMPY_STEP_SPOTAINER;
      return STOMPY_STEP_CONNECT;
    }

  while (next < STOMPY_STEP_DONE)
    {
      next = stompy_onboarding_next_step (self->model, next);
      if (step_has_page (next))
        return next;
    }

  return step;
}

static gboolean
prepare_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *frame_clock,
                 gpointer       user_data)
{
  StompyWindow *self = STOMPY_WINDOW (widget);

  self->prepare_tick = 0;
  /* This frame computes the new widgets' style; the next part comes after it. */
  schedule_prepare (self, 0);

  return G_SOURCE_REMOVE;
}

/* Whether @widget was laid out ahead at @width (as a page, a piece of one, or
 * a hidden form or a part of one), and marking it so. */
static gboolean
is_prepared (GtkWidget *widget,
             int        width)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "stompy-prepared-width")) == width;
}

static void
set_prepared (GtkWidget *widget,
              int        width)
{
  g_object_set_data (G_OBJECT (widget), "stompy-prepared-width", GINT_TO_POINTER (width));
}

/* A hidden alternative form (stompy_page_mark_alternative()) in @widget not
 * yet laid out at @width, or NULL when every one is. Pages have a few: the
 * report section's "new" form, say, which the user opens later on the page. */
static GtkWidget *
find_unprepared_alternative (GtkWidget *widget,
                             int        width)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *form;

      if (!gtk_widget_get_visible (child))
        {
          if (stompy_page_is_alternative (child)
              && !is_prepared (child, width))
            return child;
          continue;
        }

      form = find_unprepared_alternative (child, width);
      if (form != NULL)
        return form;
    }

  return NULL;
}

/* A part of the hidden @form not yet laid out at the width its parent would
 * give it (in *@width), or NULL: only for a vertical box, whose parts get its
 * width and their own height. */
static GtkWidget *
find_unprepared_part (GtkWidget *form,
                      int       *width)
{
  if (!GTK_IS_BOX (form)
      || gtk_orientable_get_orientation (GTK_ORIENTABLE (form)) != GTK_ORIENTATION_VERTICAL)
    return NULL;

  *width = gtk_widget_get_width (gtk_widget_get_parent (form)) - gtk_widget_get_margin_start (form)
           - gtk_widget_get_margin_end (form);
  for (GtkWidget *part = gtk_widget_get_first_child (form); part != NULL;
       part = gtk_widget_get_next_sibling (part))
    if (gtk_widget_get_visible (part)
        && !is_prepared (part, *width))
      return part;

  return NULL;
}

/* Shows @form in place of the alternatives shown beside it (its visible
 * siblings marked alternative), which are added to @shown. */
static void
show_alternative (GtkWidget *form,
                  GPtrArray *shown)
{
  for (GtkWidget *sibling = gtk_widget_get_first_child (gtk_widget_get_parent (form));
       sibling != NULL; sibling = gtk_widget_get_next_sibling (sibling))
    if (sibling != form && gtk_widget_get_visible (sibling) && stompy_page_is_alternative (sibling))
      {
        gtk_widget_set_visible (sibling, FALSE);
        g_ptr_array_add (shown, sibling);
      }
  gtk_widget_set_visible (form, TRUE);
}

/* Measures and allocates @page at @width and @height, as the window's stack
 * will when it shows it. */
static void
lay_out_page (GtkWidget *page,
              int        width,
              int        height)
{
  int minimum, natural;

  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  width = MAX (width, minimum);
  gtk_widget_measure (page, GTK_ORIENTATION_VERTICAL, width, &minimum, &natural, NULL, NULL);
  gtk_widget_size_allocate (page, &(GtkAllocation) { 0, 0, width, MAX (height, minimum) }, -1);
}

/* The next piece of the page in @box not yet laid out on its own at the page
 * width @width: a visible child of @box (a section), but before a section of
 * ours (StompySection), each visible part of it: the AnalySaver page's IAM
 * template section alone took 22-28 ms. */
static GtkWidget *
find_unprepared_piece (GtkWidget *box,
                       int        width)
{
  for (GtkWidget *section = gtk_widget_get_first_child (box); section != NULL;
       section = gtk_widget_get_next_sibling (section))
    {
      if (!gtk_widget_get_visible (section)
          || is_prepared (section, width))
        continue;

      if (STOMPY_IS_SECTION (section))
        for (GtkWidget *part = gtk_widget_get_first_child (section); part != NULL;
             part = gtk_widget_get_next_sibling (part))
          if (gtk_widget_get_visible (part)
              && !is_prepared (part, width))
            return part;

      return section;
    }

  return NULL;
}

/* Lays @page out with only @piece shown of what @box holds (its siblings, and
 * those of each of its ancestors up to @box, hidden), so that the piece's text
 * is shaped and measured at the very width the whole page will give it (GTK
 * keeps each widget's sizes until it changes), in a part of its own. What is
 * hidden is shown again within this call: the page's own code, which shows
 * and hides those widgets, never finds them hidden. */
static void
lay_out_piece (GtkWidget *page,
               GtkWidget *box,
               GtkWidget *piece,
               int        width,
               int        height)
{
  g_autoptr(GPtrArray) hidden = g_ptr_array_new ();

  for (GtkWidget *widget = piece; widget != box; widget = gtk_widget_get_parent (widget))
    for (GtkWidget *sibling = gtk_widget_get_first_child (gtk_widget_get_parent (widget));
         sibling != NULL; sibling = gtk_widget_get_next_sibling (sibling))
      if (sibling != widget && gtk_widget_get_visible (sibling))
        {
          gtk_widget_set_visible (sibling, FALSE);
          g_ptr_array_add (hidden, sibling);
        }

  lay_out_page (page, width, height);

  for (guint i = 0; i < hidden->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (hidden, i), TRUE);
}

/* The width the stack will have when it shows the page of @step: its own,
 * less the status panel's when that comes beside the pages with the step. */
static int
expected_page_width (StompyWindow *self,
                     StompyStep    step)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->stack));
  GtkWidget *separator;
  int minimum, natural;

  if (step < STOMPY_STEP_ANALYSAVER || self->step >= STOMPY_STEP_ANALYSAVER
      || adw_flap_get_folded (self->flap))
    return width;

  width -= STOMPY_STATUS_PANEL_WIDTH;
  /* The flap's separator comes with the panel, unless it is there already. */
  separator = adw_flap_get_separator (self->flap);
  if (self->status_panel == NULL && separator != NULL)
    {
      gtk_widget_measure (separator, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      width -= natural;
    }

  return width;
}

/* The page the user leaves for a step that brings the status panel slides
 * out at the narrower width: GtkStack measures and allocates the page it
 * leaves at its own new size for the length of the transition. Its wrapping
 * rows then asked for their widths again and again in the frame that slides
 * the next page in (issue #7: on the Products page, 90 of the 230 text
 * layouts of that frame). Laid out at that width ahead, and put back within
 * this call, before anything is drawn, the page keeps the sizes it measured
 * at both widths. */
static void
lay_out_leaving_page (GtkWidget *page,
                      int        width,
                      int        height)
{
  GtkAllocation shown;

  gtk_widget_get_allocation (page, &shown);
  lay_out_page (page, width, height);
  gtk_widget_size_allocate (page, &shown, -1);
}

static gboolean
prepare_cb (gpointer user_data)
{
  StompyWindow *self = user_data;
  StompyStep next;
  StompyPage *current;
  GtkWidget *page, *form = NULL, *part, *box, *piece;
  int width, height, part_width = 0;

  self->prepare_source = 0;

  /* Not while the stack slides to the current page: its frames come first. */
  if (gtk_stack_get_transition_running (self->stack))
    {
      schedule_prepare (self, PREPARE_DELAY_MS);
      return G_SOURCE_REMOVE;
    }

  next = next_step_with_page (self, self->step);
  if (next == self->step)
    return G_SOURCE_REMOVE;

  /* One part at a time, each well under a frame's worth of a stall: the
   * page is built; its style is computed by the next frame, as for any widget
   * in the window; its widths are measured; it is laid out as shown; then as
   * it would be with each of its hidden alternative forms shown (a form the
   * user opens later on the page), which would otherwise be laid out only
   * then, in a frame. */
  if (self->pages[next] == NULL)
    {
      ensure_page (self, next);
      /* What it shows from the network (a template) arrives meanwhile, and
       * is laid out with it below rather than in its first frames. */
      if (self->pages[next] != NULL)
        stompy_page_preload (self->pages[next]);
      self->prepare_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), prepare_tick_cb,
                                                         NULL, NULL);
      return G_SOURCE_REMOVE;
    }

  page = GTK_WIDGET (self->pages[next]);
  width = expected_page_width (self, next);
  height = gtk_widget_get_height (GTK_WIDGET (self->stack));
  if (gtk_widget_get_child_visible (page) || width <= 0 || height <= 0)
    return G_SOURCE_REMOVE;

  if (g_object_get_data (G_OBJECT (page), "stompy-prepare-measured") == NULL)
    {
      int minimum, natural;

      gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      g_object_set_data (G_OBJECT (page), "stompy-prepare-measured", GINT_TO_POINTER (TRUE));
    }
  else if (!is_prepared (page, width)
           && (box = stompy_page_get_sections (self->pages[next])) != NULL
           && (piece = find_unprepared_piece (box, width)) != NULL)
    {
      /* A whole page's text at once took 50–75 ms: one piece at a time first. */
      lay_out_piece (page, box, piece, width, height);
      set_prepared (piece, width);
    }
  else if (!is_prepared (page, width))
    {
      lay_out_page (page, width, height);
      set_prepared (page, width);
    }
  else if ((form = find_unprepared_alternative (page, width)) != NULL
           && (part = find_unprepared_part (form, &part_width)) != NULL)
    {
      int minimum, natural;

      /* The form's parts one at a time first, at the width its parent gives
       * it, at both heights a part may get: its natural one, and its minimum,
       * which it gets when the page is taller than the window (the page's
       * scrolled window gives its content the content's minimum height). */
      gtk_widget_measure (part, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      part_width = MAX (part_width, minimum);
      gtk_widget_measure (part, GTK_ORIENTATION_VERTICAL, part_width, &minimum, &natural, NULL, NULL);
      if (natural != minimum)
        gtk_widget_size_allocate (part, &(GtkAllocation) { 0, 0, part_width, natural }, -1);
      gtk_widget_size_allocate (part, &(GtkAllocation) { 0, 0, part_width, minimum }, -1);
      set_prepared (part, part_width);
    }
  else if (form != NULL)
    {
      g_autoptr(GPtrArray) shown = g_ptr_array_new ();

      /* The page is hidden: nobody sees the form shown in place of the
       * other, and the other is shown again within this callback, so the
       * page's own code, which may choose a form at any time, never finds it
       * switched. The form it shows keeps its sizes from the layout before. */
      show_alternative (form, shown);
      lay_out_page (page, width, height);
      gtk_widget_set_visible (form, FALSE);
      for (guint i = 0; i < shown->len; i++)
        gtk_widget_set_visible (g_ptr_array_index (shown, i), TRUE);
      set_prepared (form, width);
    }
  else if ((current = current_page (self)) != NULL
           && width != gtk_widget_get_width (GTK_WIDGET (self->stack))
           && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (current), "stompy-leaving-width")) != width)
    {
      lay_out_leaving_page (GTK_WIDGET (current), width, height);
      g_object_set_data (G_OBJECT (current), "stompy-leaving-width", GINT_TO_POINTER (width));
    }
  else
    {
      return G_SOURCE_REMOVE;
    }

  schedule_prepare (self, 0);

  return G_SOURCE_REMOVE;
}

static void
schedule_prepare (StompyWindow *self,
                  guint         delay_ms)
{
  if (self->disposed || !self->started || self->prepare_tick != 0)
    return;

  g_clear_handle_id (&self->prepare_source, g_source_remove);
  /* Below the priority of frames and of I/O callbacks: only when nothing else waits. */
  if (delay_ms == 0)
    self->prepare_source = g_idle_add_full (G_PRIORITY_LOW, prepare_cb, self, NULL);
  else
    self->prepare_source = g_timeout_add_full (G_PRIORITY_LOW, delay_ms, prepare_cb, self, NULL);
}

static StompyPage *
current_page (StompyWindow *self)
{
  return self->pages[self->step];
}

/* The nearest step before @step that has a page, or @step itself. */
static StompyStep
previous_step_with_page (StompyWindow *self,
                         StompyStep    step)
{
  StompyStep previous = step;

  while (previous > STOMPY_STEP_SIGN_IN)
    {
      previous = stompy_onboarding_previous_step (self->model, previous);
      if (step_has_page (previous))
        return previous;
    }

  return step;
}

static void
update_actions (StompyWindow *self)
{
  StompyPage *page = current_page (self);
  gboolean ready = page != NULL && stompy_page_get_state (page) == STOMPY_PAGE_STATE_READY;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.continue", ready && !self->submitting);
  /* Back always works, also while something runs: it cancels it. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back",
                                 previous_step_with_page (self, self->step) != self->step);
  /* Escape cancels the running step, and only then: otherwise the key is
   * not taken, and whatever else wants it (a popover, a dialog) has it. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel",
                                 self->submitting
                                 || (page != NULL
                                     && stompy_page_get_state (page) == STOMPY_PAGE_STATE_BUSY));
}

/* The button says what pressing it does on this page, and is not there on
 * the last one, where there is nothing to go on to. */
static void
update_primary_button (StompyWindow *self,
                       StompyPage   *page)
{
  const char *label = stompy_page_get_primary_label (page);

  gtk_widget_set_visible (GTK_WIDGET (self->primary_button), label != NULL);
  if (label != NULL)
    gtk_button_set_label (self->primary_button, label);
}

static void
page_primary_label_changed_cb (StompyPage   *page,
                               GParamSpec   *pspec,
                               StompyWindow *self)
{
  if (page == current_page (self))
    update_primary_button (self, page);
}

/* Whoever went on from inside a page (Enter in a field, a mnemonic, a link)
 * lands on the next page's first control, which a screen reader then reads;
 * going back, on the control they left there, which GtkStack gives back.
 * GtkStack alone moves the focus into the new page only when it was in the
 * old one, and to the wrong control before the page is laid out. The focus
 * on the window's own buttons stays where the user put it, unless it was
 * lost there (Continue is insensitive while a page submits).
 *
 * The first control takes the focus as the page is shown, in the frame that
 * slides it in: in a frame of its own, restyling and laying out the page
 * again (:focus-within) made that frame 56–61 ms on the AnalySaver page in
 * two of six runs of bench/ui-responsiveness.sh (issue #7). An idle after
 * that frame then checks the focus is still there: the Connect page replaces
 * the rows it showed when built ahead, which lets the focus go. */
static void
focus_page_cb (gpointer user_data)
{
  StompyWindow *self = user_data;
  StompyPage *page = current_page (self);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  self->focus_page_idle = 0;
  if (page == NULL || !gtk_widget_get_mapped (GTK_WIDGET (page)))
    return;
  if (focus != NULL
      && (!self->focus_in_page || gtk_widget_is_ancestor (focus, GTK_WIDGET (page))))
    return;

  stompy_page_grab_initial_focus (page);
}

/* @in_page: the focus belongs in the page; otherwise it is only given to the
 * page when it is nowhere. */
static void
schedule_focus_check (StompyWindow *self,
                      gboolean      in_page)
{
  self->focus_in_page = in_page;
  if (self->focus_page_idle == 0)
    self->focus_page_idle = g_idle_add_once (focus_page_cb, self);
}

static void
go_to_step (StompyWindow *self,
            StompyStep    step)
{
  StompyPage *page = ensure_page (self, step);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean mapped = gtk_widget_get_mapped (GTK_WIDGET (self));
  gboolean in_pages = focus == NULL || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->stack));
  gboolean forward = step > self->step;

  if (page == NULL)
    return;

  self->step = step;
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));
  /* Before the window is shown, on the step it opens on, the page's first
   * control has the focus in the first frame too. Left to the toolkit, the
   * focus would go to the header bar's first button (the status panel's
   * toggle, which Enter would then press), and moving it once the window is
   * up would restyle and draw it all again. */
  if (in_pages && (forward || !mapped))
    stompy_page_grab_initial_focus (page);
  /* The idle keeps the focus in the page when it belongs there (where it
   * landed, or going back where GtkStack put it), and gives it to the page
   * whenever it is nowhere. */
  if (mapped)
    schedule_focus_check (self, in_pages);
  update_primary_button (self, page);
  stompy_onboarding_set_step (self->model, step);
  update_actions (self);
  update_status_panel (self);
  schedule_prepare (self, PREPARE_DELAY_MS);
}

static void
sign_in_state_changed_cb (StompyWindow *self)
{
  StompyPageState state = stompy_page_get_state (self->pages[STOMPY_STEP_SIGN_IN]);

  /* Every later step needs the Stompy session and the AWS account: when the
   * session turns out to have expired, the user signs in again and then goes
   * on from there. */
  if (self->step > STOMPY_STEP_SIGN_IN
      && (state == STOMPY_PAGE_STATE_IDLE || state == STOMPY_PAGE_STATE_ERROR))
    {
      self->resume_step = MAX (self->resume_step, self->step);
      g_cancellable_cancel (self->submit_cancellable);
      go_to_step (self, STOMPY_STEP_SIGN_IN);
    }
}

static void
page_state_changed_cb (StompyWindow *self)
{
  update_actions (self);
  /* On the products page, a choice changes the page that comes next. */
  if (self->step == STOMPY_STEP_PRODUCTS)
    schedule_prepare (self, PREPARE_DELAY_MS);
}

static void
submit_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(StompyWindow) self = user_data;
  StompyPage *page = STOMPY_PAGE (source);
  g_autoptr(GError) error = NULL;
  StompyStep step;
  StompyStep next;

  self->submitting = FALSE;

  if (!stompy_page_submit_finish (page, result, &error))
    {
      /* The page shows its own error in place; a cancellation is no error. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Step submission failed: %s", error->message);
      update_actions (self);
      return;
    }

  if (page != current_page (self))
    {
      update_actions (self);
      return;
    }

  step = self->step;
  next = stompy_onboarding_next_step (self->model, step);

  /* Signed in again after the session expired: back to where the user was,
   * if the products chosen still lead there. */
  if (step == STOMPY_STEP_SIGN_IN && self->resume_step > next)
    {
      StompyStep reachable = next;

      while (reachable < self->resume_step && reachable < STOMPY_STEP_DONE)
        reachable = stompy_onboarding_next_step (self->model, reachable);
      if (reachable == self->resume_step && step_has_page (reachable))
        next = reachable;
    }
  if (step == STOMPY_STEP_SIGN_IN)
    self->resume_step = STOMPY_STEP_SIGN_IN;

  if (next <= STOMPY_STEP_DONE && step_has_page (next))
    go_to_step (self, next);
  else
    stompy_window_add_toast (self, _("Your choice is saved."));

  update_actions (self);
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StompyWindow *self = STOMPY_WINDOW (widget);
  StompyPage *page = current_page (self);

  if (self->submitting || page == NULL
      || stompy_page_get_state (page) != STOMPY_PAGE_STATE_READY)
    return;

  g_cancellable_cancel (self->submit_cancellable);
  g_clear_object (&self->submit_cancellable);
  self->submit_cancellable = g_cancellable_new ();
  self->submitting = TRUE;
  update_actions (self);

  stompy_page_submit_async (page, self->submit_cancellable, submit_cb, g_object_ref (self));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StompyWindow *self = STOMPY_WINDOW (widget);
  StompyStep previous = previous_step_with_page (self, self->step);

  if (previous == self->step)
    return;

  g_cancellable_cancel (self->submit_cancellable);
  if (current_page (self) != NULL)
    stompy_page_cancel (current_page (self));
  go_to_step (self, previous);
}

/* A page's link back to the step something concerns ("go-to-step", a
 * StompyStep as "u"): only to a step before the current one. */
static void
go_to_step_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StompyWindow *self = STOMPY_WINDOW (widget);
  StompyStep step = g_variant_get_uint32 (parameter);

  if (step >= self->step || !step_has_page (step))
    return;

  g_cancellable_cancel (self->submit_cancellable);
  if (current_page (self) != NULL)
    stompy_page_cancel (current_page (self));
  go_to_step (self, step);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StompyWindow *self = STOMPY_WINDOW (widget);

  g_cancellable_cancel (self->submit_cancellable);
  if (current_page (self) != NULL)
    stompy_page_cancel (current_page (self));
}

void
_stompy_window_start_over (StompyWindow *self)
{
  g_return_if_fail (STOMPY_IS_WINDOW (self));

  g_cancellable_cancel (self->submit_cancellable);
  stompy_onboarding_reset (self->model);
  self->resume_step = STOMPY_STEP_SIGN_IN;

  for (guint i = 0; i < G_N_ELEMENTS (self->pages); i++)
    if (self->pages[i] != NULL)
      stompy_page_reset (self->pages[i]);

  go_to_step (self, STOMPY_STEP_SIGN_IN);
}

static void
start_over_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        StompyWindow     *self)
{
  if (g_strcmp0 (response, "start-over") == 0)
    _stompy_window_start_over (self);
}

/* Puts a plain-text summary of the status panel on the clipboard, for a
 * support request; it holds no secret. */
static void
copy_details_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StompyWindow *self = STOMPY_WINDOW (widget);

  stompy_status_panel_copy_details (ensure_status_panel (self));
}

static void
start_over_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StompyWindow *self = STOMPY_WINDOW (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("Start Over?"),
                                   _("The wizard forgets the choices saved on this computer and "
                                     "starts again at the first step. Nothing is deleted from "
                                     "your AWS account or from Stompy."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "start-over", _("_Start Over"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "start-over",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (start_over_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* bench/startup.sh: when the window is mapped and when its first frame is
 * painted (wall clock), each with the processor time (user + system, all
 * threads) spent until then, as bench/bare-window.c prints them. */
static void
print_bench_mark (const char *what)
{
  struct rusage usage = { 0, };

  getrusage (RUSAGE_SELF, &usage);
  printf ("%s-us %" G_GINT64_FORMAT " cpu-us %" G_GINT64_FORMAT "\n", what,
          g_get_real_time (),
          (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
          + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  fflush (stdout);
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  print_bench_mark ("first-frame");
  g_signal_handlers_disconnect_by_func (frame_clock, after_paint_cb, user_data);
}

static void
surface_mapped_cb (GdkSurface *surface,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  if (!gdk_surface_get_mapped (surface))
    return;

  print_bench_mark ("mapped");
  g_signal_handlers_disconnect_by_func (surface, surface_mapped_cb, user_data);
}

static void
realize_cb (GtkWidget *widget,
            gpointer   user_data)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (widget));

  g_signal_connect (surface, "notify::mapped", G_CALLBACK (surface_mapped_cb), NULL);
  g_signal_connect (gdk_surface_get_frame_clock (surface), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
}

static gboolean
stompy_window_close_request (GtkWindow *window)
{
  StompyWindow *self = STOMPY_WINDOW (window);
  GSettings *settings = self->application ? stompy_application_get_settings (self->application) : NULL;

  if (settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (settings);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (settings, "window-width", width);
          g_settings_set_int (settings, "window-height", height);
        }
      g_settings_apply (settings);
    }

  g_cancellable_cancel (self->submit_cancellable);

  return GTK_WINDOW_CLASS (stompy_window_parent_class)->close_request (window);
}

static void
products_changed_cb (StompyWindow *self)
{
  schedule_prepare (self, PREPARE_DELAY_MS);
}

/* GtkWindow:application is not a construct property, so the pages, which need
 * the application, are made once it is set. */
static void
setup (StompyWindow *self)
{
  GSettings *settings;

  self->application = STOMPY_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_assert (self->application != NULL);
  self->model = g_object_ref (stompy_application_get_model (self->application));

  settings = stompy_application_get_settings (self->application);
  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  g_signal_connect_object (self->flap, "notify::folded", G_CALLBACK (flap_folded_cb), self,
                           G_CONNECT_SWAPPED);
  /* The products chosen decide which page comes next. */
  g_signal_connect_object (self->model, "notify::products", G_CALLBACK (products_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_object_bind_property (self->model, "step", self->step_indicator, "step", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->model, "products", self->step_indicator, "products",
                          G_BINDING_SYNC_CREATE);

  /* Resume where the user left, on the nearest step this version has a page for. */
  {
    StompyStep step = MIN (stompy_onboarding_get_step (self->model), STOMPY_STEP_DONE);

    if (!step_has_page (step))
      step = previous_step_with_page (self, step);
    if (!step_has_page (step))
      step = STOMPY_STEP_SIGN_IN;
    gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_NONE);
    go_to_step (self, step);
    gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  }

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->primary_button));

  if (g_strcmp0 (g_getenv ("STOMPY_BENCH_FIRST_FRAME"), "1") == 0)
    g_signal_connect (self, "realize", G_CALLBACK (realize_cb), NULL);
}

static void
stompy_window_dispose (GObject *object)
{
  StompyWindow *self = STOMPY_WINDOW (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->submit_cancellable);
  g_clear_object (&self->submit_cancellable);
  memset (self->pages, 0, sizeof self->pages);
  self->status_panel = NULL;
  g_clear_handle_id (&self->status_panel_idle, g_source_remove);
  g_clear_handle_id (&self->prepare_source, g_source_remove);
  g_clear_handle_id (&self->focus_page_idle, g_source_remove);
  if (self->prepare_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->prepare_tick);
  self->prepare_tick = 0;

  G_OBJECT_CLASS (stompy_window_parent_class)->dispose (object);
}

static void
stompy_window_finalize (GObject *object)
{
  StompyWindow *self = STOMPY_WINDOW (object);

  g_clear_object (&self->model);
  g_clear_pointer (&self->last_toast, g_free);

  G_OBJECT_CLASS (stompy_window_parent_class)->finalize (object);
}

static void
stompy_window_class_init (StompyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = stompy_window_dispose;
  object_class->finalize = stompy_window_finalize;
  window_class->close_request = stompy_window_close_request;

  g_type_ensure (STOMPY_TYPE_STEP_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/stompy/Connect/stompy-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StompyWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StompyWindow, step_indicator);
  gtk_widget_class_bind_template_child (widget_class, StompyWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, StompyWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, StompyWindow, primary_button);
  gtk_widget_class_bind_template_child (widget_class, StompyWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, StompyWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, StompyWindow, status_button);

  gtk_widget_class_install_action (widget_class, "win.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.go-to-step", "u", go_to_step_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.start-over", NULL, start_over_action);
  gtk_widget_class_install_action (widget_class, "win.copy-details", NULL, copy_details_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-details", NULL);
}

static void
stompy_window_init (StompyWindow *self)
{
  self->step = STOMPY_STEP_SIGN_IN;
  gtk_widget_init_template (GTK_WIDGET (self));
}

StompyWindow *
stompy_window_new (StompyApplication *application)
{
  g_return_val_if_fail (STOMPY_IS_APPLICATION (application), NULL);

  StompyWindow *self = g_object_new (STOMPY_TYPE_WINDOW, "application", application, NULL);

  setup (self);
  return self;
}

void
stompy_window_start (StompyWindow *self)
{
  g_return_if_fail (STOMPY_IS_WINDOW (self));

  if (self->started)
    return;
  self->started = TRUE;

  /* The sign-in page checks the Stompy session whatever the step: built now
   * if the window opened on a later step (it is not shown). Pages and the
   * panel built later start as they are built. */
  ensure_page (self, STOMPY_STEP_SIGN_IN);
  for (guint i = 0; i < G_N_ELEMENTS (self->pages); i++)
    if (self->pages[i] != NULL)
      stompy_page_start (self->pages[i]);
  if (self->status_panel != NULL)
    stompy_status_panel_start (self->status_panel);
  schedule_prepare (self, PREPARE_DELAY_MS);

  /* Starting, a page may make the control that has the focus insensitive
   * (a stack section's acknowledgement while it looks for its stack), which
   * leaves the focus nowhere: the idle gives it back to the page, as after a
   * step change. */
  schedule_focus_check (self, TRUE);
}

void
stompy_window_add_toast (StompyWindow *self,
                         const char   *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (STOMPY_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);

  /* Toast titles are Pango markup in libadwaita 1.2. */
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

StompyStep
stompy_window_get_step (StompyWindow *self)
{
  g_return_val_if_fail (STOMPY_IS_WINDOW (self), STOMPY_STEP_SIGN_IN);

  return self->step;
}

StompyPage *
_stompy_window_get_page (StompyWindow *self,
                         StompyStep    step)
{
  g_return_val_if_fail (STOMPY_IS_WINDOW (self), NULL);
  g_return_val_if_fail (step <= STOMPY_STEP_DONE, NULL);

  return ensure_page (self, step);
}

StompyStatusPanel *
_stompy_window_get_status_panel (StompyWindow *self)
{
  g_return_val_if_fail (STOMPY_IS_WINDOW (self), NULL);

  return ensure_status_panel (self);
}

const char *
_stompy_window_get_last_toast (StompyWindow *self)
{
  g_return_val_if_fail (STOMPY_IS_WINDOW (self), NULL);

  return self->last_toast;
}
