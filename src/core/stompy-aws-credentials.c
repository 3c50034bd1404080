/* stompy-aws-credentials.c — an AWS access key, immutable and reference counted
 *
 * The struct lives in an atomic reference-counted box so that it can be shared
 * between the main thread and GTask worker threads without copies of the
 * secret being made. Nothing in it ever changes after construction.
 */
#include "config.h"

#include <string.h>

#include "stompy-aws-credentials.h"
#include "stompy-error.h"

struct _StompyAwsCredentials
{
  char *access_key_id;
  char *secret_access_key;
  char *session_token;
  char *source;
};

G_DEFINE_BOXED_TYPE (StompyAwsCredentials, stompy_aws_credentials,
                     stompy_aws_credentials_ref, stompy_aws_credentials_unref)

/* Overwrites a string we own before it goes back to the allocator, so that
 * the secret does not linger in freed heap memory (a core dump, a later
 * allocation). explicit_bzero() is used because the compiler may drop a
 * memset() of memory that is freed right after. */
static void
wipe_string (char *string)
{
  if (string != NULL)
    explicit_bzero (string, strlen (string));
}

static void
stompy_aws_credentials_clear (gpointer data)
{
  StompyAwsCredentials *self = data;

  wipe_string (self->secret_access_key);
  wipe_string (self->session_token);
  g_free (self->access_key_id);
  g_free (self->secret_access_key);
  g_free (self->session_token);
  g_free (self->source);
}

StompyAwsCredentials *
stompy_aws_credentials_new (const char *access_key_id,
                            const char *secret_access_key,
                            const char *session_token,
                            const char *source)
{
  StompyAwsCredentials *self;

  if (access_key_id == NULL || *access_key_id == '\0')
    return NULL;
  if (secret_access_key == NULL || *secret_access_key == '\0')
    return NULL;

  self = g_atomic_rc_box_new0 (StompyAwsCredentials);
  self->access_key_id = g_strdup (access_key_id);
  self->secret_access_key = g_strdup (secret_access_key);
  /* An empty token is no token: sending "X-Amz-Security-Token:" would make
   * AWS reject otherwise valid long-term credentials. */
  self->session_token = (session_token != NULL && *session_token != '\0')
                        ? g_strdup (session_token) : NULL;
  self->source = (source != NULL && *source != '\0') ? g_strdup (source) : NULL;

  return self;
}

/* Empty variables count as unset, as in the AWS CLI. */
static const char *
environ_lookup (char       **envp,
                const char  *name)
{
  const char *value = g_environ_getenv (envp, name);

  return (value != NULL && *value != '\0') ? value : NULL;
}

StompyAwsCredentials *
stompy_aws_credentials_new_from_environ (const char * const  *envp,
                                         GError             **error)
{
  char **own_envp = NULL;
  char **lookup_envp;
  const char *access_key_id;
  const char *secret_access_key;
  const char *session_token;
  StompyAwsCredentials *self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (envp == NULL)
    lookup_envp = own_envp = g_get_environ ();
  else
    lookup_envp = (char **) envp;

  access_key_id = environ_lookup (lookup_envp, "AWS_ACCESS_KEY_ID");
  secret_access_key = environ_lookup (lookup_envp, "AWS_SECRET_ACCESS_KEY");
  session_token = environ_lookup (lookup_envp, "AWS_SESSION_TOKEN");
  if (session_token == NULL)
    session_token = environ_lookup (lookup_envp, "AWS_SECURITY_TOKEN");

  /* Only names go into the message, never a value. */
  if (access_key_id == NULL && secret_access_key == NULL)
    g_set_error_literal (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS,
                         "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  else if (access_key_id == NULL)
    g_set_error_literal (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS,
                         "AWS_ACCESS_KEY_ID is not set (AWS_SECRET_ACCESS_KEY is)");
  else if (secret_access_key == NULL)
    g_set_error_literal (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS,
                         "AWS_SECRET_ACCESS_KEY is not set (AWS_ACCESS_KEY_ID is)");
  else
    self = stompy_aws_credentials_new (access_key_id, secret_access_key, session_token,
                                       "environment");

  if (own_envp != NULL)
    {
      /* Our copy of the environment holds the secret too. */
      for (guint i = 0; own_envp[i] != NULL; i++)
        {
          if (g_str_has_prefix (own_envp[i], "AWS_SECRET_ACCESS_KEY=") ||
              g_str_has_prefix (own_envp[i], "AWS_SESSION_TOKEN=") ||
              g_str_has_prefix (own_envp[i], "AWS_SECURITY_TOKEN="))
            wipe_string (own_envp[i]);
        }
      g_strfreev (own_envp);
    }

  return self;
}

StompyAwsCredentials *
stompy_aws_credentials_ref (StompyAwsCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
stompy_aws_credentials_unref (StompyAwsCredentials *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, stompy_aws_credentials_clear);
}

const char *
stompy_aws_credentials_get_access_key_id (StompyAwsCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->access_key_id;
}

const char *
stompy_aws_credentials_get_secret_access_key (StompyAwsCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->secret_access_key;
}

const char *
stompy_aws_credentials_get_session_token (StompyAwsCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->session_token;
}

const char *
stompy_aws_credentials_get_source (StompyAwsCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->source;
}

char *
stompy_aws_credentials_describe (StompyAwsCredentials *self)
{
  GString *out;
  gsize len;

  g_return_val_if_fail (self != NULL, NULL);

  /* The key id is not a secret, but it identifies the user; show only
   * enough to recognise it. Ids short enough that four plus four characters
   * would show (nearly) all of them are masked completely, and so is
   * anything that is not UTF-8 (real key ids are ASCII). */
  out = g_string_sized_new (32);
  len = g_utf8_validate (self->access_key_id, -1, NULL)
        ? (gsize) g_utf8_strlen (self->access_key_id, -1) : 0;
  if (len >= 12)
    {
      const char *last4 = g_utf8_offset_to_pointer (self->access_key_id, len - 4);
      const char *after4 = g_utf8_offset_to_pointer (self->access_key_id, 4);

      g_string_append_len (out, self->access_key_id, after4 - self->access_key_id);
      g_string_append (out, "…");
      g_string_append (out, last4);
    }
  else
    g_string_append (out, "…");

  if (self->source != NULL)
    g_string_append_printf (out, " (%s)", self->source);

  return g_string_free (out, FALSE);
}
