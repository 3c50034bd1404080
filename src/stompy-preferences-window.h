/* stompy-preferences-window.h — the API address and the default region
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STOMPY_TYPE_PREFERENCES_WINDOW (stompy_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (StompyPreferencesWindow, stompy_preferences_window,
                      STOMPY, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Edits @settings (an io.stompy.Connect GSettings) directly: "api-url" only
 * while the typed address is allowed or empty, "default-region" on choice. */
GtkWidget  *stompy_preferences_window_new          (GtkWindow         *parent,
                                                    GSettings         *settings) G_GNUC_WARN_UNUSED_RESULT;

/* For tests: the rows and the labels under them. */
AdwEntryRow *stompy_preferences_window_get_api_url_row      (StompyPreferencesWindow *self);
GtkLabel    *stompy_preferences_window_get_api_url_message  (StompyPreferencesWindow *self);
GtkLabel    *stompy_preferences_window_get_override_label   (StompyPreferencesWindow *self);
AdwComboRow *stompy_preferences_window_get_region_row       (StompyPreferencesWindow *self);

G_END_DECLS
