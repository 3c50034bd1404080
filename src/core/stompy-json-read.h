/* stompy-json-read.h — strict readers for the state file's JSON members
 *
 * The state file is user-writable and read before the first frame, so each
 * member is checked for its type, length and content. Each reader returns FALSE
 * and sets *problem (a developer message naming the member) when the member is
 * present but wrong; an absent or null member is the default, not a problem.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Longest string member accepted (profile names, organization names, ARNs…). */
#define STOMPY_JSON_STRING_MAX 2048

/* Printable UTF-8 of at most STOMPY_JSON_STRING_MAX bytes; "" reads as NULL. */
gboolean stompy_json_read_string     (JsonObject  *object,
                                      const char  *name,
                                      char       **out,
                                      char       **problem);
/* A 12-digit AWS account id, or absent. */
gboolean stompy_json_read_account_id (JsonObject  *object,
                                      const char  *name,
                                      char       **out,
                                      char       **problem);
/* An enum of @type stored by its nick; absent gives @fallback. */
gboolean stompy_json_read_enum       (JsonObject  *object,
                                      const char  *name,
                                      GType        type,
                                      int          fallback,
                                      int         *out,
                                      char       **problem);
/* A boolean; absent gives FALSE. */
gboolean stompy_json_read_boolean    (JsonObject  *object,
                                      const char  *name,
                                      gboolean    *out,
                                      char       **problem);
/* An object member, borrowed; absent or null gives NULL. */
gboolean stompy_json_read_object     (JsonObject  *object,
                                      const char  *name,
                                      JsonObject **out,
                                      char       **problem);

/* Writers matching the readers: a NULL string is written as null, an enum as its nick. */
void     stompy_json_add_string      (JsonBuilder *builder,
                                      const char  *name,
                                      const char  *value);
void     stompy_json_add_enum        (JsonBuilder *builder,
                                      const char  *name,
                                      GType        type,
                                      int          value);
void     stompy_json_add_boolean     (JsonBuilder *builder,
                                      const char  *name,
                                      gboolean     value);

G_END_DECLS
