/* stompy-page.h — the base class of every wizard page
 *
 * As in GNOME Online Accounts' provider dialog, a page is driven by one
 * "state" property: the window makes its primary button sensitive when the
 * page is ready, and asks the page to submit. The window moves on when the
 * submission succeeds, leaves the page's own error in place when it fails, and
 * says nothing when it was cancelled.
 *
 * StompyPage owns what every page has: the construct-only "application" (and
 * its model), the read-only "state" with its notification, a GtkBinLayout for
 * the page's one child, and the toast helper. A page is a final subclass that
 * sets its template, implements submit_async() (and start, cancel or reset if
 * it has anything to do there) and calls stompy_page_set_state().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-application.h"

G_BEGIN_DECLS

typedef enum
{
  STOMPY_PAGE_STATE_IDLE,   /* not enough input yet to go on */
  STOMPY_PAGE_STATE_READY,  /* the primary button may submit */
  STOMPY_PAGE_STATE_BUSY,   /* an operation of the page is running */
  STOMPY_PAGE_STATE_ERROR,  /* the last operation failed; the page shows why */
  STOMPY_PAGE_STATE_DONE,   /* submitted */
} StompyPageState;

GType stompy_page_state_get_type (void) G_GNUC_CONST;
#define STOMPY_TYPE_PAGE_STATE (stompy_page_state_get_type ())

#define STOMPY_TYPE_PAGE (stompy_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (StompyPage, stompy_page, STOMPY, PAGE, GtkWidget)

struct _StompyPageClass
{
  GtkWidgetClass parent_class;

  /* Called once, when the window is on screen: keyring lookups and network may
   * start. Optional. */
  void      (*start)         (StompyPage          *self);
  /* Called when the page is built ahead, before it is first shown, while the
   * user reads the page before it: fetch what it will show and that depends
   * on no choice still to be made (a template), so that it arrives and is laid
   * out in idle time rather than in the page's first frames. Optional. */
  void      (*preload)       (StompyPage          *self);
  /* Cancel what the page is doing (Escape); nothing is reported. Optional. */
  void      (*cancel)        (StompyPage          *self);
  /* The model was reset ("Start Over"): show it afresh. Optional. */
  void      (*reset)         (StompyPage          *self);
  /* Required. The page shows its own error in place when it fails. */
  void      (*submit_async)  (StompyPage          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  /* The default propagates the boolean of a GTask whose source is the page. */
  gboolean  (*submit_finish) (StompyPage          *self,
                              GAsyncResult        *result,
                              GError             **error);
};

StompyApplication *stompy_page_get_application (StompyPage          *self);
/* The application's onboarding model, which the page keeps alive. */
StompyOnboarding  *stompy_page_get_model       (StompyPage          *self);
StompyPageState    stompy_page_get_state       (StompyPage          *self);
/* The "primary-label" property: what the window's primary button says on this
 * page, with its mnemonic, translated. "Continue" unless the page says what
 * submitting it does (Connect); NULL: the page is the end, no button. */
const char        *stompy_page_get_primary_label (StompyPage        *self);
/* For subclasses: @label is marked for translation and lives as long as the program
 * (a string literal); NULL for no button. */
void               stompy_page_set_primary_label (StompyPage        *self,
                                                  const char        *label);
/* For subclasses: notifies "state" when it changes. */
void               stompy_page_set_state       (StompyPage          *self,
                                                StompyPageState      state);
void               stompy_page_start           (StompyPage          *self);
void               stompy_page_preload         (StompyPage          *self);
void               stompy_page_cancel          (StompyPage          *self);
void               stompy_page_reset           (StompyPage          *self);
/* Puts the keyboard focus where the user lands on this page, its first
 * control; FALSE when nothing on it can take the focus. */
gboolean           stompy_page_grab_initial_focus (StompyPage       *self);
void               stompy_page_submit_async    (StompyPage          *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean           stompy_page_submit_finish   (StompyPage          *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Shows @message in the window's toast overlay, if the page is in one. */
void               stompy_page_toast           (StompyPage          *self,
                                                const char          *message);
/* The same for a part of a page: the toast overlay around @widget, if any. */
void               stompy_widget_toast         (GtkWidget           *widget,
                                                const char          *message);

/* Marks @form as one of a page's alternative forms: the page shows one of
 * them at a time, hiding the others, as the user chooses (a report's "existing"
 * and "new" forms, say). The window lays the hidden ones out ahead, in idle
 * time, as it does the next page (issue #7). */
void               stompy_page_mark_alternative (GtkWidget          *form);
gboolean           stompy_page_is_alternative   (GtkWidget          *widget);
/* For subclasses, once their template is built: the vertical box of the page's
 * sections (in its clamp), which the window lays out ahead one section at a
 * time (issue #7). Without one the page is laid out ahead whole. */
void               stompy_page_set_sections     (StompyPage         *self,
                                                 GtkWidget          *box);
GtkWidget         *stompy_page_get_sections     (StompyPage         *self);

G_END_DECLS
