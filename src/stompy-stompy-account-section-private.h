/* stompy-stompy-account-section-private.h — the section's parts, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-stompy-account-section.h"

G_BEGIN_DECLS

struct _StompyStompyAccountSection
{
  StompySection      parent_instance;

  /* Template children */
  AdwEntryRow       *email_row;
  AdwEntryRow       *password_row;
  AdwActionRow      *signed_in_row;
  GtkButton         *sign_out_button;
  GtkLabel          *error_label;
  GtkWidget         *actions;
  GtkButton         *sign_in_button;
  GtkButton         *retry_button;
  GtkSpinner        *spinner;
  GtkLinkButton     *sign_up_button;

  /* Borrowed from StompySection, which keeps them until dispose. */
  StompyApplication *application;
  StompyOnboarding  *model;

  gboolean           checking_session;
  gboolean           signing_in;
  gboolean           signing_out;
  gboolean           signed_in;
  gboolean           session_failed;   /* the Try Again button repeats the check */
  gboolean           saving_token;
  char              *user_name;
  char              *user_email;
  char              *organization_name;
};

G_END_DECLS
