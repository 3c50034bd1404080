/* replay-main.c — runs a fuzz target once over every seed file
 *
 * The build without -Dfuzzing links each target with this main, so the seed
 * corpus is a regression test in every build (suite "unit"). Arguments are
 * files or directories (every regular file in them, sorted by name).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "stompy-fuzz.h"

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
run_file (const char *path,
          guint      *count)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      fprintf (stderr, "replay: %s\n", error->message);
      return FALSE;
    }

  /* A copy of exactly @length bytes, so that ASan (when on) sees any read past the end. */
  {
    g_autofree guint8 *copy = g_memdup2 (contents, length);

    LLVMFuzzerTestOneInput (copy, length);
  }
  (*count)++;
  return TRUE;
}

static gboolean
run_path (const char *path,
          guint      *count)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  gboolean ok = TRUE;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return run_file (path, count);

  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    {
      fprintf (stderr, "replay: %s\n", error->message);
      return FALSE;
    }

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    if (g_file_test (g_ptr_array_index (names, i), G_FILE_TEST_IS_REGULAR))
      ok = run_file (g_ptr_array_index (names, i), count) && ok;

  return ok;
}

int
main (int   argc,
      char *argv[])
{
  guint count = 0;
  gboolean ok = TRUE;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s FILE-OR-DIR…\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    ok = run_path (argv[i], &count) && ok;

  /* An empty corpus would make this test pass while testing nothing. */
  if (count == 0)
    {
      fprintf (stderr, "replay: no seed file found\n");
      return 1;
    }

  printf ("replay: %u input(s) run\n", count);
  return ok ? 0 : 1;
}
