/* stompy-connect-page-private.h — the page's parts, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-connect-page.h"
#include "stompy-connection-watch.h"

G_BEGIN_DECLS

struct _StompyConnectPage
{
  StompyPage             parent_instance;

  /* Template children */
  GtkWidget             *scrolled_window;
  GtkBox                *content_box;
  GtkLabel              *intro_label;
  AdwPreferencesGroup   *missing_group;
  AdwPreferencesGroup   *summary_group;
  GtkWidget             *error_box;
  GtkLabel              *error_label;
  GtkBox                *fields_box;
  GtkButton             *sign_in_again_button;
  GtkWidget             *progress_box;
  GtkSpinner            *spinner;
  GtkLabel              *progress_label;
  AdwPreferencesGroup   *checks_group;

  /* Borrowed from StompyPage, which keeps them until dispose. */
  StompyApplication     *application;
  StompyOnboarding      *model;
  StompyConnection      *connection;

  /* Rows and labels added to the groups above, rebuilt as the model changes. */
  GPtrArray             *missing_rows;
  GPtrArray             *summary_rows;
  GPtrArray             *check_rows;
  GPtrArray             *field_labels;
  int                    focused_check;  /* check row that had the focus, or -1 */

  StompyConnectionWatch *watch;
  GTask                 *submission;  /* the running submit, or NULL */
  GError                *error;       /* the failure shown, or NULL */
  char                  *digest;      /* of the request the model makes now, or NULL */
  char                  *rows_shown;  /* what the summary or missing rows show (a key) */
  guint                  follow_idle;
  gboolean               started;
  gboolean               connecting;  /* POST /aws/accounts in flight */
};

/* The row of the check @id ("assume_analysaver_role", …), or NULL. */
AdwActionRow *_stompy_connect_page_get_check_row   (StompyConnectPage *self,
                                                    const char        *id);
/* The summary row titled @title, or NULL. */
AdwActionRow *_stompy_connect_page_get_summary_row (StompyConnectPage *self,
                                                    const char        *title);
/* The "go to step" button of @row, or NULL. */
GtkButton    *_stompy_connect_page_get_step_button (AdwActionRow      *row);

G_END_DECLS
