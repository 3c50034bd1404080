/* stompy-aws-json-list.h — every page of a JSON-protocol list call
 *
 * DescribeReportDefinitions (CUR) and ListExports (Data Exports) page the same
 * way: an array member per answer, and a NextToken until the last page. This
 * follows the tokens, parses each element of the array with the caller's
 * function and returns all items in one GPtrArray. A token handed back twice,
 * or more than a thousand pages, is a malformed answer rather than a reason to
 * page forever; so is an array member that is not an array.
 */
#pragma once

#include "stompy-aws-client.h"

G_BEGIN_DECLS

/* One element of the list as an item; NULL with @error set fails the whole
 * listing, NULL without an error skips the element. */
typedef gpointer (*StompyAwsJsonItemFunc) (JsonObject  *element,
                                           GError     **error);

/* @target and @items_member must outlive the call (string literals).
 * @max_results is sent as MaxResults when it is not 0. The task has
 * @source_tag, so that the caller's _finish() can check it, and its result is
 * a GPtrArray of items freed with @item_free: see stompy_aws_json_list_finish(). */
void       stompy_aws_json_list_async  (StompyAwsClient       *client,
                                        StompyAwsService       service,
                                        const char            *target,
                                        const char            *items_member,
                                        guint                  max_results,
                                        StompyAwsJsonItemFunc  parse_item,
                                        GDestroyNotify         item_free,
                                        gpointer               source_tag,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data);
GPtrArray *stompy_aws_json_list_finish (GAsyncResult          *result,
                                        gpointer               source_tag,
                                        GError               **error);

G_END_DECLS
