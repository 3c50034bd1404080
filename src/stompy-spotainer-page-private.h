/* stompy-spotainer-page-private.h — the page's parts, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "stompy-spotainer-page.h"
#include "stompy-template-section.h"

G_BEGIN_DECLS

struct _StompySpotainerPage
{
  StompyPage             parent_instance;

  /* Template children */
  GtkWidget             *scrolled_window;
  GtkBox                *content_box;

  /* Owned by content_box. */
  StompyTemplateSection *template_section;

  gboolean               started;
};

G_END_DECLS
