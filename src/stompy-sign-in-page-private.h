/* stompy-sign-in-page-private.h — the page's parts, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-aws-account-section.h"
#include "stompy-sign-in-page.h"
#include "stompy-stompy-account-section.h"

G_BEGIN_DECLS

struct _StompySignInPage
{
  StompyPage                  parent_instance;

  /* Template children */
  GtkWidget                  *scrolled_window;
  GtkBox                     *content_box;

  /* Owned by content_box. */
  StompyStompyAccountSection *stompy_section;
  StompyAwsAccountSection    *aws_section;
};

G_END_DECLS
