/* fuzz-xml.c — the XML side of the AWS wire: stompy-xml's GMarkup tree, the
 * query and REST-XML error parsers (STS, CloudFormation, S3), and the
 * CloudFormation readers of DescribeStacks and DescribeStackEvents.
 */
#include "config.h"

#include "stompy-fuzz.h"
#include "src/core/stompy-aws-client.h"
#include "src/core/stompy-cloudformation.h"
#include "src/core/stompy-xml.h"

/* Every accessor on every node, so a tree that parses but is odd (empty
 * names, deep nesting, mixed text) is walked the way the services walk it. */
static void
walk (StompyXmlNode *node,
      guint          depth)
{
  g_autoptr(GPtrArray) children = stompy_xml_node_get_children (node, NULL);
  g_autoptr(GPtrArray) members = stompy_xml_node_get_children (node, "member");

  (void) stompy_xml_node_get_name (node);
  (void) stompy_xml_node_get_text (node);
  (void) stompy_xml_node_lookup_text (node, "Error/Code");
  (void) stompy_xml_node_lookup (node, "");
  (void) stompy_xml_node_lookup (node, "a//b/");
  g_assert (members->len <= children->len);

  for (guint i = 0; i < children->len; i++)
    walk (g_ptr_array_index (children, i), depth + 1);
}

static void
read_stacks (StompyXmlNode *result)
{
  g_autoptr(GPtrArray) stacks = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) operation = NULL;
  g_autofree char *next_token = NULL;
  g_autofree char *reason = NULL;
  guint done = 0, total = 0;

  if (result == NULL)
    return;

  stacks = stompy_stacks_from_xml (result);
  for (guint i = 0; stacks != NULL && i < stacks->len; i++)
    {
      g_autoptr(StompyStack) copy = stompy_stack_copy (g_ptr_array_index (stacks, i));

      (void) stompy_stack_get_output (copy, "RoleArn");
      (void) stompy_stack_get_parameter (copy, "ExternalId");
    }

  events = stompy_stack_events_from_xml (result, &next_token);
  if (events == NULL)
    return;
  operation = stompy_stack_events_of_operation (events, "token-1", NULL);
  stompy_stack_events_progress (events, NULL, NULL, 3, &done, &total);
  g_assert (done <= total);
  stompy_stack_events_progress (events, "token-1", NULL, 0, &done, &total);
  g_assert (done <= total);
  reason = stompy_stack_events_failure_reason (events, NULL, NULL);
  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(StompyStackEvent) copy = stompy_stack_event_copy (g_ptr_array_index (events, i));

      (void) stompy_stack_event_is_stack (copy);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *body = size > 0 ? (const char *) data : "";
  g_autoptr(StompyXmlNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) query_error = NULL;
  g_autoptr(GError) rest_error = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  stompy_fuzz_init ();

  root = stompy_xml_parse (body, (gssize) size, &error);
  g_assert ((root == NULL) != (error == NULL));
  if (root != NULL)
    {
      walk (root, 0);
      read_stacks (root);
      read_stacks (stompy_xml_node_lookup (root, "DescribeStacksResult"));
      read_stacks (stompy_xml_node_lookup (root, "DescribeStackEventsResult"));
    }

  /* The error parsers never fail: each returns a STOMPY_AWS_ERROR. */
  soup_message_headers_append (headers, "x-amzn-RequestId", "fuzz-request-id");
  query_error = stompy_aws_parse_query_error (400, body, size, headers);
  rest_error = stompy_aws_parse_rest_xml_error (403, body, size, NULL);
  g_assert (query_error != NULL && rest_error != NULL);
  g_assert (g_utf8_validate (query_error->message, -1, NULL));
  g_assert (g_utf8_validate (rest_error->message, -1, NULL));

  return 0;
}
