/* test-json-member.c — members of a JSON answer read by their type (stompy-json-member.h) */
#include "config.h"

#include "stompy-json-member.h"

/* A member of every kind; "surrogate" is a lone UTF-16 surrogate escape, which
 * json-glib 1.6 turns into bytes that are not UTF-8. */
static const char answer[] =
  "{\"text\": \"Stompy 中文\", \"empty\": \"\", \"number\": 12, \"flag\": true, \"nothing\": null,"
  " \"object\": {\"inner\": \"x\", \"deeper\": {\"leaf\": \"y\"}}, \"array\": [1, \"two\"],"
  " \"surrogate\": \"a\\ud800b\"}";

static JsonObject *
parse (JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, answer, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_string (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = parse (parser);
  const char *surrogate;

  g_assert_cmpstr (stompy_json_member_string (object, "text"), ==, "Stompy 中文");
  g_assert_cmpstr (stompy_json_member_string (object, "empty"), ==, "");

  /* Another type, null or absent: NULL, for the caller to judge. */
  g_assert_null (stompy_json_member_string (object, "number"));
  g_assert_null (stompy_json_member_string (object, "flag"));
  g_assert_null (stompy_json_member_string (object, "nothing"));
  g_assert_null (stompy_json_member_string (object, "object"));
  g_assert_null (stompy_json_member_string (object, "array"));
  g_assert_null (stompy_json_member_string (object, "missing"));

  /* The bytes json-glib made of the lone surrogate are kept from the caller
   * (a newer json-glib may replace them with U+FFFD, which is fine too). */
  surrogate = stompy_json_member_string (object, "surrogate");
  g_assert_true (surrogate == NULL || g_utf8_validate (surrogate, -1, NULL));
  if (!g_utf8_validate (json_object_get_string_member (object, "surrogate"), -1, NULL))
    g_assert_null (surrogate);
}

static void
test_object_and_array (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = parse (parser);
  JsonArray *array;

  g_assert_cmpstr (stompy_json_member_string (stompy_json_member_object (object, "object"),
                                              "inner"), ==, "x");
  g_assert_null (stompy_json_member_object (object, "text"));
  g_assert_null (stompy_json_member_object (object, "array"));
  g_assert_null (stompy_json_member_object (object, "nothing"));
  g_assert_null (stompy_json_member_object (object, "missing"));

  array = stompy_json_member_array (object, "array");
  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_null (stompy_json_member_array (object, "object"));
  g_assert_null (stompy_json_member_array (object, "nothing"));
  g_assert_null (stompy_json_member_array (object, "missing"));
}

/* A missing parent reads as a missing member, so a path reads in one expression. */
static void
test_missing_parent (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = parse (parser);
  JsonObject *deeper =
    stompy_json_member_object (stompy_json_member_object (object, "object"), "deeper");

  g_assert_cmpstr (stompy_json_member_string (deeper, "leaf"), ==, "y");
  g_assert_null (stompy_json_member_string (stompy_json_member_object (object, "missing"),
                                            "leaf"));
  g_assert_null (stompy_json_member_object (NULL, "object"));
  g_assert_null (stompy_json_member_array (NULL, "array"));
  g_assert_null (stompy_json_member_string (NULL, "text"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-member/string", test_string);
  g_test_add_func ("/json-member/object-and-array", test_object_and_array);
  g_test_add_func ("/json-member/missing-parent", test_missing_parent);

  return g_test_run ();
}
