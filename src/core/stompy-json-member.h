/* stompy-json-member.h — one member of a JSON answer, read by its type
 *
 * Answers from AWS and from Stompy are read member by member, leniently: a
 * member that is absent, null or of another type reads as NULL, and the caller
 * decides whether that is an error. A string that is not valid UTF-8 reads as
 * absent too: json-glib 1.6 turns a lone "\ud800" escape into invalid UTF-8
 * (found by fuzzing), and such a string must reach neither a message nor the
 * UI. @object may itself be NULL (a parent object that was missing), so that
 * nested members read in one expression.
 *
 * The state file, which must be right rather than usable, has strict readers
 * instead (stompy-json-read.h).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

const char *stompy_json_member_string (JsonObject *object,
                                       const char *name);
JsonObject *stompy_json_member_object (JsonObject *object,
                                       const char *name);
JsonArray  *stompy_json_member_array  (JsonObject *object,
                                       const char *name);

G_END_DECLS
