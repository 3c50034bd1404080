/* test-xml.c — the GMarkup tree used for AWS query and REST-XML bodies */
#include "config.h"

#include <string.h>

#include "stompy-xml.h"

static const char sts_identity[] =
  "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
  "  <GetCallerIdentityResult>\n"
  "    <Arn>arn:aws:iam::123456789012:user/Alice</Arn>\n"
  "    <UserId>AIDAEXAMPLEUSERID1234</UserId>\n"
  "    <Account>123456789012</Account>\n"
  "  </GetCallerIdentityResult>\n"
  "  <ResponseMetadata>\n"
  "    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n"
  "  </ResponseMetadata>\n"
  "</GetCallerIdentityResponse>\n";

static const char cfn_error[] =
  "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\n"
  "  <Error>\n"
  "    <Type>Sender</Type>\n"
  "    <Code>ValidationError</Code>\n"
  "    <Message>Stack with id StompyAnalySaver does not exist</Message>\n"
  "  </Error>\n"
  "  <RequestId>5ccc7dcd-744c-11e5-be70-example</RequestId>\n"
  "</ErrorResponse>\n";

static const char s3_error[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>"
  "<BucketName>stompy-cur-123456789012</BucketName>"
  "<RequestId>4442587FB7D0A2F9</RequestId><HostId>ZjQ5Y2Zm&amp;+/=</HostId></Error>";

static const char s3_list[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
  "<Name>stompy-cur</Name><Prefix>cur/stompy/</Prefix><KeyCount>2</KeyCount>"
  "<MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>"
  "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
  "<Contents><Key>cur/stompy/20260101-20260201/stompy-Manifest.json</Key>"
  "<LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>&quot;abc&quot;</ETag>"
  "<Size>1234</Size><StorageClass>STANDARD</StorageClass></Contents>"
  "<Contents><Key>cur/stompy/a &lt;b&gt; &#x4E2D;.parquet</Key><Size>5</Size></Contents>"
  "<CommonPrefixes><Prefix>cur/stompy/20260101-20260201/</Prefix></CommonPrefixes>"
  "</ListBucketResult>";

static void
test_sts_identity (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyXmlNode) root = stompy_xml_parse (sts_identity, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_cmpstr (stompy_xml_node_get_name (root), ==, "GetCallerIdentityResponse");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "GetCallerIdentityResult/Account"), ==, "123456789012");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "GetCallerIdentityResult/Arn"), ==,
                   "arn:aws:iam::123456789012:user/Alice");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "ResponseMetadata/RequestId"), ==,
                   "01234567-89ab-cdef-0123-456789abcdef");
  /* Whitespace-only text of a container is "" and the text is its own, not its children's. */
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "GetCallerIdentityResult"), ==, "");
  g_assert_null (stompy_xml_node_lookup_text (root, "GetCallerIdentityResult/Nope"));
  g_assert_null (stompy_xml_node_lookup (root, "Account"));
  /* An empty path is the node itself. */
  g_assert_true (stompy_xml_node_lookup (root, "") == root);
}

static void
test_cfn_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyXmlNode) root = stompy_xml_parse (cfn_error, strlen (cfn_error), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (stompy_xml_node_get_name (root), ==, "ErrorResponse");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "Error/Code"), ==, "ValidationError");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "Error/Type"), ==, "Sender");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "Error/Message"), ==,
                   "Stack with id StompyAnalySaver does not exist");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "RequestId"), ==, "5ccc7dcd-744c-11e5-be70-example");
}

static void
test_s3_error_with_declaration (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyXmlNode) root = stompy_xml_parse (s3_error, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (stompy_xml_node_get_name (root), ==, "Error");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "Code"), ==, "NoSuchBucket");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "RequestId"), ==, "4442587FB7D0A2F9");
  /* Entities decoded. */
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "HostId"), ==, "ZjQ5Y2Zm&+/=");
}

static void
test_s3_list_objects (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyXmlNode) root = stompy_xml_parse (s3_list, -1, &error);
  g_autoptr(GPtrArray) contents = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "IsTruncated"), ==, "true");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "NextContinuationToken"), ==,
                   "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");

  contents = stompy_xml_node_get_children (root, "Contents");
  g_assert_cmpuint (contents->len, ==, 2);
  g_assert_cmpstr (stompy_xml_node_lookup_text (g_ptr_array_index (contents, 0), "Key"), ==,
                   "cur/stompy/20260101-20260201/stompy-Manifest.json");
  g_assert_cmpstr (stompy_xml_node_lookup_text (g_ptr_array_index (contents, 0), "ETag"), ==, "\"abc\"");
  g_assert_cmpstr (stompy_xml_node_lookup_text (g_ptr_array_index (contents, 1), "Key"), ==,
                   "cur/stompy/a <b> 中.parquet");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "CommonPrefixes/Prefix"), ==,
                   "cur/stompy/20260101-20260201/");

  all = stompy_xml_node_get_children (root, NULL);
  g_assert_cmpuint (all->len, ==, 10);
  g_assert_cmpstr (stompy_xml_node_get_name (g_ptr_array_index (all, 0)), ==, "Name");
  none = stompy_xml_node_get_children (root, "Nothing");
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_namespace_prefix_dropped (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyXmlNode) root =
    stompy_xml_parse ("<a:Root xmlns:a=\"urn:x\"><a:Child>  hi  </a:Child><Other>x</Other></a:Root>", -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (stompy_xml_node_get_name (root), ==, "Root");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "Child"), ==, "hi");
  g_assert_cmpstr (stompy_xml_node_lookup_text (root, "/Other/"), ==, "x");
}

static void
test_child_keeps_tree_alive (void)
{
  StompyXmlNode *root = stompy_xml_parse (sts_identity, -1, NULL);
  StompyXmlNode *result = stompy_xml_node_ref (stompy_xml_node_lookup (root, "GetCallerIdentityResult"));

  stompy_xml_node_unref (root);
  /* The root is still alive through the child's reference (valgrind/ASan would
   * flag a use after free here). */
  g_assert_cmpstr (stompy_xml_node_lookup_text (result, "Account"), ==, "123456789012");
  stompy_xml_node_unref (result);
}

static void
assert_parse_fails (const char *data,
                    gssize      length,
                    int         expected_code)
{
  g_autoptr(GError) error = NULL;
  StompyXmlNode *root = stompy_xml_parse (data, length, &error);

  g_assert_null (root);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_MARKUP_ERROR);
  if (expected_code >= 0)
    g_assert_cmpint (error->code, ==, expected_code);
}

static void
test_malformed (void)
{
  assert_parse_fails ("", -1, -1);
  assert_parse_fails ("   \n", -1, -1);
  assert_parse_fails ("not xml", -1, -1);
  assert_parse_fails ("<a><b></a></b>", -1, -1);
  assert_parse_fails ("<a>&bogus;</a>", -1, -1);
  assert_parse_fails ("<a/><b/>", -1, G_MARKUP_ERROR_INVALID_CONTENT);
  /* An HTML error page from a proxy. */
  assert_parse_fails ("<html><body><h1>502 Bad Gateway<br></h1></body></html>", -1, -1);
}

static void
test_truncated (void)
{
  gsize len = strlen (sts_identity);

  /* Every cut short of the full document is refused. */
  for (gsize cut = 1; cut < len - 2; cut += 7)
    assert_parse_fails (sts_identity, cut, -1);
}

static void
test_invalid_utf8 (void)
{
  assert_parse_fails ("<a>\xff\xfe</a>", -1, G_MARKUP_ERROR_BAD_UTF8);
  assert_parse_fails ("<a>\xc3</a>", -1, G_MARKUP_ERROR_BAD_UTF8);
}

static char *
nested (guint depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, "<d>");
  g_string_append (s, "x");
  for (guint i = 0; i < depth; i++)
    g_string_append (s, "</d>");

  return g_string_free (s, FALSE);
}

static void
test_depth_limit (void)
{
  g_autofree char *ok = nested (64);
  g_autofree char *too_deep = nested (65);
  g_autofree char *very_deep = nested (100000);
  g_autoptr(StompyXmlNode) root = NULL;
  g_autoptr(GError) error = NULL;
  StompyXmlNode *node;
  guint depth = 1;

  root = stompy_xml_parse (ok, -1, &error);
  g_assert_no_error (error);
  for (node = root; (node = stompy_xml_node_lookup (node, "d")) != NULL;)
    depth++;
  g_assert_cmpuint (depth, ==, 64);

  assert_parse_fails (too_deep, -1, G_MARKUP_ERROR_INVALID_CONTENT);
  assert_parse_fails (very_deep, -1, G_MARKUP_ERROR_INVALID_CONTENT);
}

static void
test_size_limit (void)
{
  gsize size = 8 * 1024 * 1024 + 1;
  g_autofree char *big = g_malloc (size);
  g_autoptr(StompyXmlNode) root = NULL;
  g_autoptr(GError) error = NULL;

  memset (big, ' ', size);
  memcpy (big, "<a>", 3);
  memcpy (big + size - 4, "</a>", 4);
  assert_parse_fails (big, size, G_MARKUP_ERROR_INVALID_CONTENT);

  /* One byte less is accepted. */
  memcpy (big + size - 5, "</a>", 4);
  root = stompy_xml_parse (big, size - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stompy_xml_node_get_text (root), ==, "");
}

static void
test_no_external_entities (void)
{
  /* GMarkup does not process DTDs: a custom entity is an error, never a file read. */
  assert_parse_fails ("<?xml version=\"1.0\"?>\n"
                      "<!DOCTYPE a [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                      "<a>&xxe;</a>", -1, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xml/parse/sts-get-caller-identity", test_sts_identity);
  g_test_add_func ("/xml/parse/cloudformation-error", test_cfn_error);
  g_test_add_func ("/xml/parse/s3-error-with-declaration", test_s3_error_with_declaration);
  g_test_add_func ("/xml/parse/s3-list-objects-v2", test_s3_list_objects);
  g_test_add_func ("/xml/parse/namespace-prefix-dropped", test_namespace_prefix_dropped);
  g_test_add_func ("/xml/tree/child-keeps-tree-alive", test_child_keeps_tree_alive);
  g_test_add_func ("/xml/refuse/malformed", test_malformed);
  g_test_add_func ("/xml/refuse/truncated", test_truncated);
  g_test_add_func ("/xml/refuse/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/xml/refuse/deeper-than-64", test_depth_limit);
  g_test_add_func ("/xml/refuse/larger-than-8mib", test_size_limit);
  g_test_add_func ("/xml/refuse/external-entities", test_no_external_entities);

  return g_test_run ();
}
