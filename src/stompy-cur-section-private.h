/* stompy-cur-section-private.h — the section's parts, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "stompy-cur.h"
#include "stompy-cur-section.h"

G_BEGIN_DECLS

/* The sub-steps of "Create" that the section shows, in order. */
#define STOMPY_CUR_SECTION_N_STEPS 4

struct _StompyCurSection
{
  StompySection      parent_instance;

  /* Template children */
  AdwActionRow      *chosen_row;
  GtkWidget         *mode_box;
  GtkToggleButton   *existing_toggle;
  GtkToggleButton   *new_toggle;
  GtkWidget         *modes;            /* one of the three forms below shown */
  GtkWidget         *existing_form;
  GtkWidget         *new_form;
  GtkWidget         *guided_form;
  /* existing */
  GtkWidget         *loading_box;
  GtkSpinner        *loading_spinner;
  GtkLabel          *existing_error_label;
  GtkButton         *existing_retry_button;
  GtkListBox        *report_list;
  GtkLabel          *existing_empty_label;
  /* new */
  AdwEntryRow       *report_name_row;
  AdwEntryRow       *bucket_row;
  AdwComboRow       *region_row;
  AdwEntryRow       *prefix_row;
  GtkSwitch         *data_exports_switch;
  GtkLabel          *hint_label;
  GtkLabel          *region_warning_label;
  GtkTextView       *policy_view;
  GtkCheckButton    *policy_check;
  GtkButton         *create_button;
  GtkSpinner        *create_spinner;
  GtkListBox        *steps_list;
  GtkLabel          *create_error_label;
  GtkLabel          *done_label;
  /* guided */
  AdwEntryRow       *guided_report_name_row;
  AdwEntryRow       *guided_bucket_row;
  AdwComboRow       *guided_region_row;
  AdwEntryRow       *guided_prefix_row;
  GtkLabel          *guided_hint_label;

  /* Borrowed from StompySection, which keeps them until dispose. */
  StompyApplication *application;
  StompyOnboarding  *model;
  StompyCurChoice   *choice;

  /* The sub-step rows, owned by steps_list. */
  AdwActionRow      *step_rows[STOMPY_CUR_SECTION_N_STEPS];
  GtkSpinner        *step_spinners[STOMPY_CUR_SECTION_N_STEPS];
  GtkImage          *step_icons[STOMPY_CUR_SECTION_N_STEPS];
  StompyCurStepState step_states[STOMPY_CUR_SECTION_N_STEPS];
  gboolean           step_seen[STOMPY_CUR_SECTION_N_STEPS];

  GPtrArray         *reports;          /* StompyCurReport*, as listed */
  gboolean           reports_loaded;
  gboolean           loading;
  gboolean           checking_bucket;
  gboolean           creating;
  gboolean           failed;
  gboolean           guided;
  gboolean           filling;          /* fields being set from the model */
};

/* For the tests: the form shown, "existing", "new" or "guided". */
const char    *_stompy_cur_section_get_mode       (StompyCurSection *self);

/* For the tests: the list row of the report named @name, or NULL. */
GtkListBoxRow *_stompy_cur_section_get_report_row (StompyCurSection *self,
                                                   const char       *name);

G_END_DECLS
