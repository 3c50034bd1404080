/* stompy-xml.h — a small read-only XML tree built with GMarkup
 *
 * AWS query and REST-XML responses are small documents with a default
 * namespace; this keeps element names without any prefix, concatenates text,
 * and offers path lookups ("GetCallerIdentityResult/Account").
 *
 * The tree is reference counted as a whole: ref/unref on any node take or drop
 * a reference on the tree, so a kept child (ref'd) keeps its document alive.
 * Nodes returned by lookups and get_children() are borrowed from the tree.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _StompyXmlNode StompyXmlNode;

/* NULL with G_MARKUP_ERROR on malformed input. Documents deeper than 64 levels
 * or larger than 8 MiB are refused. */
StompyXmlNode  *stompy_xml_parse              (const char    *data,
                                               gssize         length,
                                               GError       **error) G_GNUC_WARN_UNUSED_RESULT;
StompyXmlNode  *stompy_xml_node_ref           (StompyXmlNode *node);
void            stompy_xml_node_unref         (StompyXmlNode *node);
const char     *stompy_xml_node_get_name      (StompyXmlNode *node);
/* The element's own text, whitespace-trimmed ("" when none). */
const char     *stompy_xml_node_get_text      (StompyXmlNode *node);
/* The first child at @path ("A/B/C", each step a direct child), or NULL. */
StompyXmlNode  *stompy_xml_node_lookup        (StompyXmlNode *node,
                                               const char    *path);
/* The text at @path, or NULL when there is no such element. */
const char     *stompy_xml_node_lookup_text   (StompyXmlNode *node,
                                               const char    *path);
/* Direct children named @name (NULL = all), borrowed, in document order. The
 * returned array is owned by the caller (g_ptr_array_unref), its nodes are not. */
GPtrArray      *stompy_xml_node_get_children  (StompyXmlNode *node,
                                               const char    *name) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyXmlNode, stompy_xml_node_unref)

G_END_DECLS
