/* stompy-http.c — what every HTTP request of the app shares */
#include "config.h"

#include <string.h>
#include <sys/utsname.h>

#include "stompy-error.h"
#include "stompy-http.h"

/* AWS calls are small; a call that has not answered in 30 s will not. The
 * retry layers above decide whether to try again. */
#define STOMPY_HTTP_TIMEOUT_SECONDS 30
#define STOMPY_HTTP_IDLE_TIMEOUT_SECONDS 60

SoupSession *
stompy_http_session_new (void)
{
  return soup_session_new_with_options ("user-agent", stompy_http_user_agent (),
                                        "timeout", STOMPY_HTTP_TIMEOUT_SECONDS,
                                        "idle-timeout", STOMPY_HTTP_IDLE_TIMEOUT_SECONDS,
                                        "max-conns-per-host", 2,
                                        NULL);
}

gboolean
stompy_http_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  /* GUri keeps IPv6 literals without brackets, but accept both forms. */
  if (host[0] == '[')
    {
      gsize len = strlen (host);
      g_autofree char *inner = NULL;

      if (len < 3 || host[len - 1] != ']')
        return FALSE;

      inner = g_strndup (host + 1, len - 2);
      address = g_inet_address_new_from_string (inner);
    }
  else
    address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
stompy_http_check_endpoint (const char  *uri,
                            GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;

  if (uri == NULL ||
      (parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL)) == NULL ||
      g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
                   "“%s” is not an absolute http(s) URL", uri ? uri : "(null)");
      return FALSE;
    }

  scheme = g_uri_get_scheme (parsed);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (stompy_http_host_is_loopback (g_uri_get_host (parsed)))
        return TRUE;

      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INSECURE_ENDPOINT,
                   "Refusing plain http:// to %s: only loopback hosts may skip TLS",
                   g_uri_get_host (parsed));
      return FALSE;
    }

  g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT,
               "“%s” is not an http(s) URL", uri);
  return FALSE;
}

const char *
stompy_http_user_agent (void)
{
  static gsize user_agent;

  if (g_once_init_enter (&user_agent))
    {
      struct utsname name;
      char *value;

      if (uname (&name) == 0)
        value = g_strdup_printf ("stompy-connect/%s (%s %s)", PACKAGE_VERSION,
                                 name.sysname, name.machine);
      else
        value = g_strdup_printf ("stompy-connect/%s (Linux)", PACKAGE_VERSION);

      g_once_init_leave (&user_agent, (gsize) value);
    }

  return (const char *) user_agent;
}

const char *
stompy_http_accept_language (void)
{
  const char * const *names = g_get_language_names ();

  /* The first name is the UI language gettext uses (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). */
  if (names != NULL && names[0] != NULL && g_str_has_prefix (names[0], "zh"))
    return "zh-CN";

  return "en";
}

const char *
stompy_http_loggable_header (const char *name,
                             const char *value)
{
  if (name == NULL)
    return value;

  if (g_ascii_strcasecmp (name, "Authorization") == 0 ||
      g_ascii_strcasecmp (name, "X-Amz-Security-Token") == 0 ||
      g_ascii_strcasecmp (name, "Cookie") == 0 ||
      g_ascii_strcasecmp (name, "Set-Cookie") == 0 ||
      (value != NULL && g_ascii_strncasecmp (value, "Bearer ", 7) == 0))
    return "[redacted]";

  return value;
}

guint
stompy_http_parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value;
  guint64 seconds;
  char *end = NULL;

  if (headers == NULL)
    return 0;

  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value == NULL)
    return 0;

  while (g_ascii_isspace (*value))
    value++;
  if (!g_ascii_isdigit (*value))
    return 0;

  seconds = g_ascii_strtoull (value, &end, 10);
  if (end == value)
    return 0;

  return (guint) MIN (seconds, 600);
}
