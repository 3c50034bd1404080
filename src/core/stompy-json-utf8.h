/* stompy-json-utf8.h — is every string of a parsed JSON document valid UTF-8?
 *
 * json-glib 1.6 turns a lone surrogate escape ("\ud800") into invalid UTF-8
 * (found by fuzzing). Documents whose text is shown (a template) or written
 * back as JSON (a bucket policy) are checked once after parsing.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* TRUE when every string value and member name under @node is valid UTF-8. */
gboolean stompy_json_node_is_utf8 (JsonNode *node);

G_END_DECLS
