/* stompy-template-section-private.h — the section's parts, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-api-client.h"
#include "stompy-stack-watch.h"
#include "stompy-status-poller.h"
#include "stompy-template.h"
#include "stompy-template-section.h"

G_BEGIN_DECLS

struct _StompyTemplateSection
{
  StompySection         parent_instance;

  /* Template children */
  AdwPreferencesGroup  *intro_group;
  GtkWidget            *loading_box;
  GtkSpinner           *loading_spinner;
  GtkLabel             *load_error_label;
  GtkButton            *load_retry_button;
  AdwPreferencesGroup  *permissions_group;
  GtkCheckButton       *ack_check;
  GtkLabel             *needs_label;
  GtkWidget            *auto_box;
  AdwActionRow         *stack_row;
  GtkButton            *create_button;
  GtkSpinner           *create_spinner;
  GtkWidget            *progress_box;
  GtkProgressBar       *progress_bar;
  GtkLabel             *events_label;
  GtkLabel             *error_label;
  GtkButton            *delete_retry_button;
  GtkWidget            *guided_box;
  GtkButton            *console_button;
  AdwEntryRow          *role_arn_row;
  GtkLabel             *arn_hint_label;
  AdwActionRow         *role_row;

  /* Borrowed from StompySection, which keeps them until dispose. */
  StompyApplication    *application;
  StompyOnboarding     *model;
  StompyStackRecord    *record;

  StompyProducts        product;
  StompyOnboardingInfo *info;
  StompyTemplate       *template;
  GPtrArray            *permission_rows;  /* widgets added to permissions_group */
  StompyStatusPoller   *poller;           /* the application's: follows the created stack */
  /* The Stompy client waited on while it holds no token (a stored one is still
   * coming back from the keyring, or the session expired). */
  StompyApiClient      *waiting_api;
  StompyStackWatch     *delete_watch;     /* follows a deletion (Delete and Retry) */

  gboolean              loading;
  gboolean              creating;         /* ensure_stack, or DeleteStack, in flight */
  gboolean              following;
  gboolean              deleting;         /* following a deletion before creating again */
  gboolean              failed;
  gboolean              unusable;         /* Delete and Retry is offered */
  gboolean              guided;
  gboolean              filling;
};

G_END_DECLS
