/* stompy-xml.c — a small read-only XML tree built with GMarkup
 *
 * Memory: the whole tree is reference counted as one. Every node points at the
 * root, and stompy_xml_node_ref()/unref() on any node take or drop a reference
 * on the tree, so a caller may keep a child (ref'd) and drop the root. Nodes
 * returned by lookups and get_children() are borrowed: valid for as long as the
 * caller holds a reference to any node of the same tree.
 *
 * GMarkup does the hard parts: it checks UTF-8, decodes the predefined and
 * numeric entities, and refuses any other entity (so no external entities can
 * be loaded). The XML declaration and comments reach the passthrough callback,
 * which is not set, so they are ignored.
 */
#include "config.h"

#include <string.h>

#include "stompy-xml.h"

#define MAX_DEPTH 64
#define MAX_SIZE  (8 * 1024 * 1024)

struct _StompyXmlNode
{
  StompyXmlNode  *root;       /* self for the root */
  StompyXmlNode  *parent;
  char           *name;
  char           *text;
  GString        *text_buf;   /* only while parsing */
  GPtrArray      *children;   /* (element-type StompyXmlNode), owned */
  gatomicrefcount ref_count;  /* meaningful on the root only */
};

typedef struct
{
  StompyXmlNode *root;
  StompyXmlNode *current;
  guint          depth;
} ParseState;

static void
node_free (StompyXmlNode *node)
{
  if (node->children != NULL)
    {
      for (guint i = 0; i < node->children->len; i++)
        node_free (g_ptr_array_index (node->children, i));
      g_ptr_array_unref (node->children);
    }
  if (node->text_buf != NULL)
    g_string_free (node->text_buf, TRUE);
  g_free (node->name);
  g_free (node->text);
  g_free (node);
}

static StompyXmlNode *
node_new (StompyXmlNode *parent,
          const char    *qualified_name)
{
  StompyXmlNode *node = g_new0 (StompyXmlNode, 1);
  const char *colon = strrchr (qualified_name, ':');

  /* AWS documents put everything in one default namespace; a prefix, where
   * there is one, carries nothing the caller needs. */
  node->name = g_strdup (colon != NULL ? colon + 1 : qualified_name);
  node->parent = parent;
  node->root = parent != NULL ? parent->root : node;
  node->children = g_ptr_array_new ();
  node->text_buf = g_string_new (NULL);

  if (parent == NULL)
    g_atomic_ref_count_init (&node->ref_count);
  else
    g_ptr_array_add (parent->children, node);

  return node;
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element_name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  ParseState *state = user_data;

  if (state->current == NULL && state->root != NULL)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "More than one root element (“%s”)", element_name);
      return;
    }

  if (state->depth >= MAX_DEPTH)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "Document nested deeper than %d elements", MAX_DEPTH);
      return;
    }

  state->current = node_new (state->current, element_name);
  if (state->root == NULL)
    state->root = state->current;
  state->depth++;
}

static void
finish_text (StompyXmlNode *node)
{
  char *text = g_string_free (node->text_buf, FALSE);

  node->text_buf = NULL;
  /* g_strstrip() trims in place; keep the trimmed copy only. */
  node->text = g_strdup (g_strstrip (text));
  g_free (text);
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element_name,
                gpointer              user_data,
                GError              **error)
{
  ParseState *state = user_data;

  /* GMarkup has already checked that the tags match. */
  finish_text (state->current);
  state->current = state->current->parent;
  state->depth--;
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  ParseState *state = user_data;

  if (state->current != NULL)
    g_string_append_len (state->current->text_buf, text, text_len);
  /* Text outside the root element is whitespace, else GMarkup refuses it. */
}

static const GMarkupParser parser = {
  start_element_cb,
  end_element_cb,
  text_cb,
  NULL,
  NULL,
};

StompyXmlNode *
stompy_xml_parse (const char  *data,
                  gssize       length,
                  GError     **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  ParseState state = { NULL, NULL, 0 };
  gsize len;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (data) : (gsize) length;
  if (len > MAX_SIZE)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "Document larger than %d bytes", MAX_SIZE);
      return NULL;
    }

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &state, NULL);

  if (!g_markup_parse_context_parse (context, data != NULL ? data : "", len, error) ||
      !g_markup_parse_context_end_parse (context, error))
    {
      if (state.root != NULL)
        node_free (state.root);
      return NULL;
    }

  /* end_parse() refuses an empty document, but not one that is only an XML
   * declaration, a comment or whitespace after them (found by fuzzing). */
  if (state.root == NULL)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY,
                   "Document has no root element");
      return NULL;
    }

  g_assert (state.current == NULL);
  return state.root;
}

StompyXmlNode *
stompy_xml_node_ref (StompyXmlNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  g_atomic_ref_count_inc (&node->root->ref_count);
  return node;
}

void
stompy_xml_node_unref (StompyXmlNode *node)
{
  StompyXmlNode *root;

  g_return_if_fail (node != NULL);

  root = node->root;
  if (g_atomic_ref_count_dec (&root->ref_count))
    node_free (root);
}

const char *
stompy_xml_node_get_name (StompyXmlNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return node->name;
}

const char *
stompy_xml_node_get_text (StompyXmlNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return node->text != NULL ? node->text : "";
}

static StompyXmlNode *
find_child (StompyXmlNode *node,
            const char    *name,
            gsize          name_len)
{
  for (guint i = 0; i < node->children->len; i++)
    {
      StompyXmlNode *child = g_ptr_array_index (node->children, i);

      if (strlen (child->name) == name_len && strncmp (child->name, name, name_len) == 0)
        return child;
    }

  return NULL;
}

StompyXmlNode *
stompy_xml_node_lookup (StompyXmlNode *node,
                        const char    *path)
{
  const char *p;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  p = path;
  while (node != NULL && *p != '\0')
    {
      const char *slash = strchr (p, '/');
      gsize step_len = slash != NULL ? (gsize) (slash - p) : strlen (p);

      /* Empty steps ("A//B", a leading or trailing "/") are skipped. */
      if (step_len > 0)
        node = find_child (node, p, step_len);

      p += step_len;
      if (*p == '/')
        p++;
    }

  return node;
}

const char *
stompy_xml_node_lookup_text (StompyXmlNode *node,
                             const char    *path)
{
  StompyXmlNode *found = stompy_xml_node_lookup (node, path);

  return found != NULL ? stompy_xml_node_get_text (found) : NULL;
}

GPtrArray *
stompy_xml_node_get_children (StompyXmlNode *node,
                              const char    *name)
{
  GPtrArray *result;

  g_return_val_if_fail (node != NULL, NULL);

  result = g_ptr_array_new ();
  for (guint i = 0; i < node->children->len; i++)
    {
      StompyXmlNode *child = g_ptr_array_index (node->children, i);

      if (name == NULL || g_str_equal (child->name, name))
        g_ptr_array_add (result, child);
    }

  return result;
}
