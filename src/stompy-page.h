/* stompy-page.h — what every wizard page offers the window
 *
 * As in GNOME Online Accounts' provider dialog, a page is driven by one
 * "state" property: the window makes its primary button sensitive when the
 * page is ready, and asks the page to submit. The window moves on when the
 * submission succeeds, leaves the page's own error in place when it fails, and
 * says nothing when it was cancelled.
 */
#pragma once

#include <gtk/gtk.h>

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

G_DECLARE_INTERFACE (StompyPage, stompy_page, STOMPY, PAGE, GtkWidget)

struct _StompyPageInterface
{
  GTypeInterface parent_iface;

  /* Called once the window is on screen: keyring lookups and network may start. */
  void      (*start)         (StompyPage          *self);
  /* Cancel what the page is doing (Escape); nothing is reported. */
  void      (*cancel)        (StompyPage          *self);
  /* The model was reset ("Start Over"): show it afresh. */
  void      (*reset)         (StompyPage          *self);
  void      (*submit_async)  (StompyPage          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  gboolean  (*submit_finish) (StompyPage          *self,
                              GAsyncResult        *result,
                              GError             **error);
};

StompyPageState stompy_page_get_state     (StompyPage          *self);
void            stompy_page_start         (StompyPage          *self);
void            stompy_page_cancel        (StompyPage          *self);
void            stompy_page_reset         (StompyPage          *self);
void            stompy_page_submit_async  (StompyPage          *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean        stompy_page_submit_finish (StompyPage          *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* Shows @message in the window's toast overlay, if the page is in one. */
void            stompy_page_toast         (StompyPage          *self,
                                           const char          *message);

G_END_DECLS
