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

static void stompy_http_add_logger (SoupSession *session);

/* STOMPY_HTTP_TIMEOUT_SECONDS (a positive integer) replaces the 30 s, read
 * once: the fault tests make an answer slower than the timeout without
 * waiting 30 s for each. Anything else is ignored. */
static guint
stompy_http_timeout_seconds (void)
{
  static gsize seconds;

  if (g_once_init_enter (&seconds))
    {
      const char *value = g_getenv ("STOMPY_HTTP_TIMEOUT_SECONDS");
      guint64 parsed = 0;

      if (value == NULL
          || !g_ascii_string_to_unsigned (value, 10, 1, 3600, &parsed, NULL))
        parsed = STOMPY_HTTP_TIMEOUT_SECONDS;
      g_once_init_leave (&seconds, (gsize) parsed);
    }

  return (guint) seconds;
}

SoupSession *
stompy_http_session_new (void)
{
  SoupSession *session;

  session = soup_session_new_with_options ("user-agent", stompy_http_user_agent (),
                                           "timeout", stompy_http_timeout_seconds (),
                                           "idle-timeout", STOMPY_HTTP_IDLE_TIMEOUT_SECONDS,
                                           /* One kept-alive connection per endpoint:
                                            * calls to one service queue (each takes
                                            * milliseconds) rather than open another
                                            * TCP and TLS handshake when two overlap,
                                            * as two stacks followed at once do. */
                                           "max-conns-per-host", 1,
                                           NULL);
  stompy_http_add_logger (session);
  return session;
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

/* Query parameters whose values are credentials: a presigned URL carries the
 * session token and the signature in them. Compared case-insensitively. */
static const char * const secret_query_parameters[] = {
  "X-Amz-Security-Token", "X-Amz-Signature", "X-Amz-Credential", "Signature",
  "AWSAccessKeyId", "token", "access_token", "password", NULL,
};

static gboolean
is_secret_parameter (const char *name,
                     gsize       length)
{
  for (guint i = 0; secret_query_parameters[i] != NULL; i++)
    if (strlen (secret_query_parameters[i]) == length &&
        g_ascii_strncasecmp (name, secret_query_parameters[i], length) == 0)
      return TRUE;
  return FALSE;
}

char *
stompy_http_loggable_uri (const char *uri)
{
  const char *query;
  const char *fragment;
  GString *out;
  const char *p;

  if (uri == NULL)
    return NULL;

  /* The user-info part of an absolute URI would be a password. */
  out = g_string_new (NULL);
  query = strchr (uri, '?');
  fragment = strchr (uri, '#');
  if (fragment != NULL && query != NULL && fragment < query)
    query = NULL;
  {
    const char *end = query != NULL ? query : (fragment != NULL ? fragment : uri + strlen (uri));
    const char *scheme_end = g_strstr_len (uri, end - uri, "://");
    const char *at = scheme_end != NULL ? memchr (scheme_end + 3, '@', end - scheme_end - 3) : NULL;
    const char *path = scheme_end != NULL ? memchr (scheme_end + 3, '/', end - scheme_end - 3) : NULL;

    if (at != NULL && (path == NULL || at < path))
      {
        g_string_append_len (out, uri, scheme_end + 3 - uri);
        g_string_append (out, "[redacted]@");
        g_string_append_len (out, at + 1, end - at - 1);
      }
    else
      g_string_append_len (out, uri, end - uri);
  }

  if (query == NULL)
    return g_string_free (out, FALSE);

  g_string_append_c (out, '?');
  p = query + 1;
  while (*p != '\0' && *p != '#')
    {
      const char *amp = p + strcspn (p, "&#");
      const char *eq = memchr (p, '=', amp - p);

      if (eq != NULL && is_secret_parameter (p, eq - p))
        {
          g_string_append_len (out, p, eq + 1 - p);
          g_string_append (out, "[redacted]");
        }
      else
        g_string_append_len (out, p, amp - p);

      p = amp;
      if (*p == '&')
        {
          g_string_append_c (out, '&');
          p++;
        }
    }

  return g_string_free (out, FALSE);
}

char *
stompy_http_loggable_line (const char *line)
{
  const char *colon;
  const char *space;

  if (line == NULL)
    return NULL;

  /* A header line, "Name: value": checked first, as a value may hold a URL. */
  colon = strchr (line, ':');
  if (colon != NULL && colon > line && memchr (line, ' ', colon - line) == NULL)
    {
      g_autofree char *name = g_strndup (line, colon - line);
      const char *value = colon + 1;
      const char *shown;

      while (*value == ' ')
        value++;
      shown = stompy_http_loggable_header (name, value);
      /* Header values may carry URLs (Location) with presigned queries. */
      if (shown == value && strchr (value, '?') != NULL)
        {
          g_autofree char *safe = stompy_http_loggable_uri (value);
          return g_strdup_printf ("%s: %s", name, safe);
        }
      return g_strdup_printf ("%s: %s", name, shown);
    }

  /* A request line: METHOD SP request-target SP HTTP/x.y */
  space = strchr (line, ' ');
  if (space != NULL && (g_str_has_prefix (space + 1, "/") || g_str_has_prefix (space + 1, "http")))
    {
      const char *target = space + 1;
      const char *target_end = strchr (target, ' ');
      g_autofree char *target_copy = g_strndup (target, target_end ? (gsize) (target_end - target)
                                                                   : strlen (target));
      g_autofree char *safe = stompy_http_loggable_uri (target_copy);

      return g_strdup_printf ("%.*s%s%s", (int) (target - line), line, safe,
                              target_end != NULL ? target_end : "");
    }

  return g_strdup (line);
}

gboolean
stompy_http_request_logging_enabled (void)
{
  /* The GLib way: debug output is chosen with G_MESSAGES_DEBUG, here by the
   * log domain STOMPY_HTTP_LOG_DOMAIN (or "all"). */
  return !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, STOMPY_HTTP_LOG_DOMAIN);
}

static void
logger_print (SoupLogger         *logger,
              SoupLoggerLogLevel  level,
              char                direction,
              const char         *data,
              gpointer            user_data)
{
  g_autofree char *safe = stompy_http_loggable_line (data);

  g_log_structured (STOMPY_HTTP_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "MESSAGE", "%c %s", direction, safe);
}

static void
stompy_http_add_logger (SoupSession *session)
{
  g_autoptr(SoupLogger) logger = NULL;

  if (!stompy_http_request_logging_enabled ())
    return;

  /* Headers only: bodies hold the password, tokens and signed payloads. */
  logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);
  soup_logger_set_printer (logger, logger_print, NULL, NULL);
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
}

gboolean
stompy_http_error_is_certificate (const GError *error)
{
  /* glib-networking fails the handshake with BAD_CERTIFICATE when nothing
   * handled SoupMessage::accept-certificate, which the app never does. */
  return g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
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
