/* stompy-sign-in-page-private.h — the page's parts, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-aws-config.h"
#include "stompy-sign-in-page.h"

G_BEGIN_DECLS

struct _StompySignInPage
{
  GtkWidget             parent_instance;

  /* Template children */
  GtkWidget            *scrolled_window;
  AdwEntryRow          *email_row;
  AdwEntryRow          *password_row;
  AdwActionRow         *signed_in_row;
  GtkButton            *sign_out_button;
  GtkLabel             *stompy_error_label;
  GtkWidget            *stompy_actions;
  GtkButton            *sign_in_button;
  GtkButton            *stompy_retry_button;
  GtkSpinner           *stompy_spinner;
  GtkLinkButton        *sign_up_button;
  AdwComboRow          *source_row;
  AdwComboRow          *profile_row;
  AdwActionRow         *env_row;
  AdwEntryRow          *access_key_row;
  AdwEntryRow          *secret_row;
  AdwEntryRow          *session_token_row;
  AdwActionRow         *remember_row;
  GtkSwitch            *remember_switch;
  AdwEntryRow          *account_id_row;
  GtkLabel             *guided_label;
  GtkLabel             *aws_hint_label;
  GtkWidget            *verify_box;
  GtkButton            *verify_button;
  GtkButton            *verify_cancel_button;
  GtkSpinner           *verify_spinner;
  GtkLabel             *verify_status_label;
  GtkLabel             *aws_error_label;
  AdwPreferencesGroup  *identity_group;
  AdwActionRow         *account_row;
  AdwActionRow         *arn_row;
  AdwActionRow         *organization_row;
  AdwActionRow         *root_row;
  GtkLabel             *advice_label;

  StompyApplication    *application;
  StompyOnboarding     *model;
  StompyPageState       state;

  /* The Stompy session. */
  GCancellable         *stompy_cancellable;
  gboolean              checking_session;
  gboolean              signing_in;
  gboolean              signing_out;
  gboolean              signed_in;
  gboolean              session_failed;   /* the Try Again button repeats the check */
  gboolean              saving_token;
  char                 *user_name;
  char                 *user_email;
  char                 *organization_name;

  /* The AWS account. */
  GCancellable         *aws_cancellable;
  StompyAwsConfig      *config;
  GtkStringList        *profiles;
  StompyAwsClient      *pending_client;
  StompyAwsCredentials *credentials;      /* the verified ones, in memory only */
  gboolean              verifying;
  gboolean              submitting;
  gboolean              restoring;
  gboolean              aws_failed;
  gboolean              started;
};

/* The translated reason an input is invalid, for the field's hint. */
const char *_stompy_sign_in_page_reason_sentence (int reason);

G_END_DECLS
