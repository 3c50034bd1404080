/* stompy-fuzz.h — what every fuzz target shares
 *
 * Each target is a libFuzzer entry point over one parser family. With
 * -Dfuzzing=true it is linked with -fsanitize=fuzzer; otherwise with
 * replay-main.c, which runs each seed once as a regression test.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A critical or warning is a bug the fuzzer found: make it abort so that it
 * is reported (and replayed) like a crash. Once per process. */
static inline void
stompy_fuzz_init (void)
{
  static gboolean done = FALSE;

  if (done)
    return;
  done = TRUE;
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* json-glib 1.6 accepts several top-level values ("{…}{…}", parsed as
 * statements), keeps the last and leaks the others: a library bug, not
 * ours, which LeakSanitizer would report on every such input. The JSON
 * targets skip these inputs (our readers only ever see one value, which the
 * single-value inputs exercise). TRUE when something other than whitespace
 * follows the first complete top-level value. */
static inline gboolean
stompy_fuzz_json_has_several_values (const uint8_t *data,
                                     size_t         size)
{
  size_t i = 0;
  int depth = 0;
  gboolean in_string = FALSE;

  while (i < size && g_ascii_isspace (data[i]))
    i++;
  if (i == size)
    return FALSE;

  if (data[i] != '{' && data[i] != '[' && data[i] != '"')
    {
      /* A number or a literal: up to a space or a structural character. */
      while (i + 1 < size && !g_ascii_isspace (data[i + 1]) &&
             strchr ("{}[],:\"", data[i + 1]) == NULL)
        i++;
    }
  else for (; i < size; i++)
    {
      if (in_string)
        {
          if (data[i] == '\\')
            i++;
          else if (data[i] == '"' && (in_string = FALSE, depth == 0))
            break;  /* the end of a top-level string */
          continue;
        }
      if (data[i] == '"')
        in_string = TRUE;
      else if (data[i] == '{' || data[i] == '[')
        depth++;
      else if ((data[i] == '}' || data[i] == ']') && --depth == 0)
        break;
    }

  for (i++; i < size; i++)
    if (!g_ascii_isspace (data[i]))
      return TRUE;
  return FALSE;
}

static inline int
stompy_fuzz_surrogate_escape (const uint8_t *data,
                              size_t         size,
                              size_t         i)
{
  /* 1 for a high "\\uD800"–"\\uDBFF", 2 for a low one, else 0. */
  if (i + 6 > size || data[i] != '\\' || data[i + 1] != 'u' ||
      g_ascii_tolower (data[i + 2]) != 'd' || !g_ascii_isxdigit (data[i + 4]) ||
      !g_ascii_isxdigit (data[i + 5]))
    return 0;
  switch (g_ascii_tolower (data[i + 3]))
    {
    case '8': case '9': case 'a': case 'b':
      return 1;
    case 'c': case 'd': case 'e': case 'f':
      return 2;
    default:
      return 0;
    }
}

/* json-glib 1.6 also leaks its string buffer on some "\\uD…" escapes that
 * are not a well-formed surrogate pair (several in a member name, or not
 * hexadecimal); elsewhere it turns them into invalid UTF-8, which our readers
 * refuse (tests/fuzz/corpus/fuzz-json/finding-*-lone-surrogate.json replay
 * those). The JSON targets skip inputs with an unpaired surrogate escape;
 * valid pairs are fuzzed. */
static inline gboolean
stompy_fuzz_json_has_lone_surrogate (const uint8_t *data,
                                     size_t         size)
{
  for (size_t i = 0; i + 2 < size; i++)
    {
      /* Any "\\uD…" that is not the high half of a well-formed pair. */
      if (data[i] != '\\' || data[i + 1] != 'u' || g_ascii_tolower (data[i + 2]) != 'd')
        continue;
      if (stompy_fuzz_surrogate_escape (data, size, i) != 1 ||
          stompy_fuzz_surrogate_escape (data, size, i + 6) != 2)
        return TRUE;
      i += 11;
    }
  return FALSE;
}

/* Whether a JSON target skips this input because of the json-glib leaks
 * above. Only under libFuzzer: the replay of the seeds runs every input. */
static inline gboolean
stompy_fuzz_json_skip (const uint8_t *data,
                       size_t         size)
{
#ifdef STOMPY_FUZZING
  return stompy_fuzz_json_has_several_values (data, size) ||
         stompy_fuzz_json_has_lone_surrogate (data, size);
#else
  return FALSE;
#endif
}

/* The input as a NUL-terminated string (the parsers that take C strings stop
 * at the first NUL, as they would on a real body). */
static inline char *
stompy_fuzz_strndup (const uint8_t *data,
                     size_t         size)
{
  char *text = g_malloc (size + 1);

  if (size > 0)
    memcpy (text, data, size);
  text[size] = '\0';
  return text;
}
