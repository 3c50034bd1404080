/* stompy-regions.h — the AWS regions the app offers
 *
 * One list for every region chooser (the new report's bucket, guided mode,
 * the preferences), so that they offer the same regions in the same order
 * with the same translated names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The region proposed when nothing else is known. */
#define STOMPY_REGION_DEFAULT "ap-southeast-1"

guint          stompy_regions_get_n_items  (void);
/* The code ("ap-southeast-1") of the @position-th region; NULL past the end. */
const char    *stompy_regions_get_code     (guint       position);
/* The translated name ("Asia Pacific (Singapore)"); NULL past the end. */
const char    *stompy_regions_get_name     (guint       position);
/* The position of @code, or -1 when it is not offered. */
int            stompy_regions_find         (const char *code);
/* One translated "Name — code" string per region, in the list's order. */
GtkStringList *stompy_regions_new_model    (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
