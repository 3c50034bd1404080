/* stompy-aws-account-section-private.h — the section's parts, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-aws-account-section.h"
#include "stompy-aws-config.h"

G_BEGIN_DECLS

struct _StompyAwsAccountSection
{
  StompySection         parent_instance;

  /* Template children: the parts visible when the window opens. */
  AdwPreferencesGroup  *aws_group;
  AdwComboRow          *source_row;
  AdwComboRow          *profile_row;
  GtkLabel             *hint_label;
  GtkWidget            *verify_box;
  GtkButton            *verify_button;
  GtkLabel             *error_label;

  /* Built from stompy-aws-account-section-parts.ui when first shown (NULL
   * until then): a credential source's rows when it is chosen, the Cancel
   * button, spinner and status when Verify first runs, the identity when one
   * is verified. */
  AdwActionRow         *env_row;
  AdwEntryRow          *access_key_row;
  AdwEntryRow          *secret_row;
  AdwEntryRow          *session_token_row;
  AdwActionRow         *remember_row;
  GtkSwitch            *remember_switch;
  AdwEntryRow          *account_id_row;
  GtkLabel             *guided_label;
  GtkButton            *verify_cancel_button;
  GtkSpinner           *verify_spinner;
  GtkLabel             *verify_status_label;
  AdwPreferencesGroup  *identity_group;
  AdwActionRow         *account_row;
  AdwActionRow         *arn_row;
  AdwActionRow         *organization_row;
  AdwActionRow         *root_row;
  GtkLabel             *advice_label;

  /* Borrowed from StompySection, which keeps them until dispose. */
  StompyApplication    *application;
  StompyOnboarding     *model;
  StompyAwsConfig      *config;
  GtkStringList        *profiles;
  StompyAwsClient      *pending_client;
  StompyAwsCredentials *credentials;      /* the verified ones, in memory only */
  gboolean              verifying;
  gboolean              saving;
  gboolean              restoring;
  gboolean              failed;
};

G_END_DECLS
