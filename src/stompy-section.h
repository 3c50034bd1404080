/* stompy-section.h — the base class of a page's independent parts
 *
 * A section is a template widget that works on its own within a page: it
 * has the application (construct-only) and its model, one cancellable for
 * its running operation, and says with "ready", "busy" and "failed" where it
 * stands, so that its page can decide its own state. The three change
 * together once an operation has settled, so that the page never decides on
 * a state in between. Children are laid out in a vertical box, as the
 * template says; they are all unparented on dispose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-application.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_SECTION (stompy_section_get_type ())

G_DECLARE_DERIVABLE_TYPE (StompySection, stompy_section, STOMPY, SECTION, GtkWidget)

struct _StompySectionClass
{
  GtkWidgetClass parent_class;
};

StompyApplication *stompy_section_get_application   (StompySection *self);
/* The application's onboarding model, which the section keeps alive. */
StompyOnboarding  *stompy_section_get_model         (StompySection *self);
/* The cancellable of the section's running operation. */
GCancellable      *stompy_section_get_cancellable   (StompySection *self);
/* Cancels the running operation and returns a cancellable for the next one. */
GCancellable      *stompy_section_renew_cancellable (StompySection *self);
/* Cancels every operation, e.g. when the page goes away; nothing is reported. */
void               stompy_section_stop              (StompySection *self);
/* TRUE when the section's part of the page is complete. */
gboolean           stompy_section_get_ready         (StompySection *self);
/* TRUE while an operation of the section runs. */
gboolean           stompy_section_get_busy          (StompySection *self);
/* TRUE after a failure the section shows. */
gboolean           stompy_section_get_failed        (StompySection *self);
/* For subclasses: sets the three and notifies those that changed, once all are set. */
void               stompy_section_set_status        (StompySection *self,
                                                     gboolean       ready,
                                                     gboolean       busy,
                                                     gboolean       failed);

G_END_DECLS
