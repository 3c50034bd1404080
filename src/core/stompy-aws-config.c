/* stompy-aws-config.c — the AWS CLI's shared config and credentials files
 *
 * A hand-written reader, because the files are looser than GKeyFile allows:
 * "key: value" and "key = value", indented sub-sections, inline comments,
 * CRLF line ends, a BOM. It follows botocore (the AWS CLI), with these
 * deliberate differences, all on the side of tolerance: a line that is neither
 * a section, a setting, a comment nor a continuation is ignored (botocore
 * refuses the whole file); a repeated section is merged, later keys winning
 * (botocore refuses it too); text after " #" or " ;" is a comment, as in the
 * newer SDKs.
 *
 * Sections as botocore reads them (configloader.build_profile_map):
 *   config:      [default] and [profile NAME] are profiles ([profile default]
 *                is "default" too); [sso-session NAME], [services NAME]; any
 *                other section is not a profile.
 *   credentials: every section is a profile named exactly as written, so
 *                "[profile x]" there is a profile called "profile x", not "x"
 *                (botocore Session.full_config merges credential sections by
 *                their raw name).
 */
#include "config.h"

#include <string.h>

#include "stompy-aws-config.h"
#include "stompy-error.h"

typedef struct
{
  GHashTable *values;       /* lower-case key → value */
  GHashTable *subsections;  /* lower-case key → GHashTable (lower-case key → value) */
} Section;

struct _StompyAwsConfig
{
  GObject     parent_instance;

  char      **envp;
  char       *config_path;
  char       *credentials_path;
  GHashTable *config_profiles;      /* name → Section */
  GHashTable *credentials_profiles; /* name → Section */
  GHashTable *services;             /* name → Section */
  GHashTable *sso_sessions;         /* name → Section */
};

G_DEFINE_FINAL_TYPE (StompyAwsConfig, stompy_aws_config, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ sections */

static Section *
section_new (void)
{
  Section *section = g_new0 (Section, 1);

  section->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  section->subsections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) g_hash_table_unref);
  return section;
}

static void
section_free (Section *section)
{
  g_hash_table_unref (section->values);
  g_hash_table_unref (section->subsections);
  g_free (section);
}

static GHashTable *
section_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) section_free);
}

static Section *
section_get_or_add (GHashTable *table,
                    const char *name)
{
  Section *section = g_hash_table_lookup (table, name);

  if (section == NULL)
    {
      section = section_new ();
      g_hash_table_insert (table, g_strdup (name), section);
    }

  return section;
}

/* ------------------------------------------------------------------ parsing */

typedef enum
{
  FILE_CONFIG,
  FILE_CREDENTIALS,
} FileKind;

/* Cuts an inline comment: "#" or ";" preceded by whitespace. */
static void
strip_inline_comment (char *s)
{
  for (char *p = s; *p != '\0'; p++)
    if ((*p == '#' || *p == ';') && p > s && g_ascii_isspace (p[-1]))
      {
        *p = '\0';
        break;
      }
}

static char *
ascii_lower_strip (const char *s,
                   gssize      len)
{
  g_autofree char *copy = len < 0 ? g_strdup (s) : g_strndup (s, len);

  return g_ascii_strdown (g_strstrip (copy), -1);
}

/* "profile x" → "x"; also "profile "my name"" as shlex would read it. NULL
 * when the header is not a well-formed profile header. */
static char *
profile_name_from_header (const char *header,
                          const char *prefix)
{
  gsize prefix_len = strlen (prefix);
  const char *rest;
  g_autofree char *name = NULL;
  gsize len;

  if (strncmp (header, prefix, prefix_len) != 0 || !g_ascii_isspace (header[prefix_len]))
    return NULL;

  rest = header + prefix_len;
  while (g_ascii_isspace (*rest))
    rest++;

  name = g_strdup (rest);
  g_strstrip (name);
  len = strlen (name);

  if (len >= 2 && (name[0] == '"' || name[0] == '\'') && name[len - 1] == name[0])
    {
      name[len - 1] = '\0';
      return g_strdup (name + 1);
    }

  /* shlex would split an unquoted name with spaces into more than two words,
   * which botocore then ignores. */
  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return NULL;

  if (*name == '\0')
    return NULL;

  return g_steal_pointer (&name);
}

static Section *
section_for_header (StompyAwsConfig *self,
                    FileKind         kind,
                    const char      *header)
{
  g_autofree char *name = NULL;

  if (*header == '\0')
    return NULL;

  if (kind == FILE_CREDENTIALS)
    return section_get_or_add (self->credentials_profiles, header);

  if (g_str_equal (header, "default"))
    return section_get_or_add (self->config_profiles, "default");
  if ((name = profile_name_from_header (header, "profile")) != NULL)
    return section_get_or_add (self->config_profiles, name);
  if ((name = profile_name_from_header (header, "sso-session")) != NULL)
    return section_get_or_add (self->sso_sessions, name);
  if ((name = profile_name_from_header (header, "services")) != NULL)
    return section_get_or_add (self->services, name);

  /* "[x]" in the config file is not a profile; its lines are skipped. */
  return NULL;
}

static void
parse_text (StompyAwsConfig *self,
            FileKind         kind,
            char            *text)
{
  Section *section = NULL;
  g_autofree char *key = NULL;   /* the last key, for continuation lines */
  gsize key_indent = 0;
  char *line;
  char *next;

  /* A BOM, as Windows editors write. */
  if (g_str_has_prefix (text, "\xef\xbb\xbf"))
    text += 3;

  for (line = text; line != NULL; line = next)
    {
      char *end = strchr (line, '\n');
      gsize indent = 0;
      char *content;

      if (end != NULL)
        {
          *end = '\0';
          next = end + 1;
        }
      else
        next = NULL;

      /* CRLF (and a stray CR) line ends. */
      if (*line != '\0' && line[strlen (line) - 1] == '\r')
        line[strlen (line) - 1] = '\0';

      while (line[indent] == ' ' || line[indent] == '\t')
        indent++;
      content = line + indent;

      if (*content == '\0' || *content == '#' || *content == ';')
        continue;

      /* An indented line under a key: a sub-section property ("s3 =" then
       * "  endpoint_url = …") or the continuation of a multi-line value. */
      if (section != NULL && key != NULL && indent > key_indent)
        {
          const char *value = g_hash_table_lookup (section->values, key);

          strip_inline_comment (content);
          g_strstrip (content);
          if (*content == '\0')
            continue;

          if (value == NULL || *value == '\0')
            {
              char *eq = strchr (content, '=');
              GHashTable *sub;

              if (eq == NULL)
                continue;

              sub = g_hash_table_lookup (section->subsections, key);
              if (sub == NULL)
                {
                  sub = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
                  g_hash_table_insert (section->subsections, g_strdup (key), sub);
                }
              *eq = '\0';
              g_hash_table_insert (sub, ascii_lower_strip (content, -1), g_strstrip (g_strdup (eq + 1)));
            }
          else
            {
              g_hash_table_insert (section->values, g_strdup (key),
                                   g_strconcat (value, "\n", content, NULL));
            }
          continue;
        }

      g_clear_pointer (&key, g_free);

      if (*content == '[')
        {
          char *close;

          strip_inline_comment (content);
          g_strstrip (content);
          close = strrchr (content, ']');
          if (close == NULL)
            {
              /* A broken header: skip its keys rather than give them to the
               * previous section. */
              section = NULL;
              continue;
            }
          *close = '\0';
          section = section_for_header (self, kind, g_strstrip (content + 1));
          continue;
        }

      /* "key = value" or "key: value", whichever delimiter comes first. */
      {
        char *delim = strpbrk (content, "=:");
        g_autofree char *name = NULL;
        char *value;

        if (delim == NULL || section == NULL)
          continue;

        name = ascii_lower_strip (content, delim - content);
        if (*name == '\0')
          continue;

        value = delim + 1;
        strip_inline_comment (value);
        g_strstrip (value);

        g_hash_table_insert (section->values, g_strdup (name), g_strdup (value));
        /* A redefined key starts its sub-section afresh. */
        g_hash_table_remove (section->subsections, name);
        key = g_steal_pointer (&name);
        key_indent = indent;
      }
    }
}

/* The files are meant to be UTF-8; a stray byte (or a NUL) should not make
 * every profile unusable, nor reach the UI as invalid UTF-8. A new string. */
static char *
text_make_valid (const char *text,
                 gsize       length)
{
  if (!g_utf8_validate (text, length, NULL) || memchr (text, '\0', length) != NULL)
    return g_utf8_make_valid (text, length);

  return g_strndup (text, length);
}

/* NULL @contents with no error: the file does not exist. */
static gboolean
read_file (const char  *path,
           char       **contents,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  *contents = NULL;
  if (path == NULL)
    return TRUE;

  if (!g_file_get_contents (path, contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
          g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        return TRUE;

      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_CONFIG,
                   "Cannot read the AWS file “%s”: %s", path, local_error->message);
      return FALSE;
    }

  {
    char *valid = text_make_valid (*contents, length);

    g_free (*contents);
    *contents = valid;
  }

  return TRUE;
}

/* ------------------------------------------------------------------ object */

static void
stompy_aws_config_finalize (GObject *object)
{
  StompyAwsConfig *self = STOMPY_AWS_CONFIG (object);

  g_strfreev (self->envp);
  g_free (self->config_path);
  g_free (self->credentials_path);
  g_hash_table_unref (self->config_profiles);
  g_hash_table_unref (self->credentials_profiles);
  g_hash_table_unref (self->services);
  g_hash_table_unref (self->sso_sessions);

  G_OBJECT_CLASS (stompy_aws_config_parent_class)->finalize (object);
}

static void
stompy_aws_config_class_init (StompyAwsConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = stompy_aws_config_finalize;
}

static void
stompy_aws_config_init (StompyAwsConfig *self)
{
  self->config_profiles = section_table_new ();
  self->credentials_profiles = section_table_new ();
  self->services = section_table_new ();
  self->sso_sessions = section_table_new ();
}

/* Empty environment variables count as unset. */
static const char *
env_get (char * const *envp,
         const char   *name)
{
  const char *value = g_environ_getenv ((char **) envp, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

static StompyAwsConfig *
config_new (char       **envp,
            const char  *config_path,
            const char  *credentials_path,
            GError     **error)
{
  g_autoptr(StompyAwsConfig) self = g_object_new (STOMPY_TYPE_AWS_CONFIG, NULL);
  g_autofree char *config_text = NULL;
  g_autofree char *credentials_text = NULL;

  self->envp = envp;
  self->config_path = g_strdup (config_path);
  self->credentials_path = g_strdup (credentials_path);

  if (!read_file (config_path, &config_text, error) ||
      !read_file (credentials_path, &credentials_text, error))
    return NULL;

  if (config_text != NULL)
    parse_text (self, FILE_CONFIG, config_text);
  if (credentials_text != NULL)
    parse_text (self, FILE_CREDENTIALS, credentials_text);

  return g_steal_pointer (&self);
}

StompyAwsConfig *
stompy_aws_config_new_from_data (const char *config_text,
                                 gsize       config_length,
                                 const char *credentials_text,
                                 gsize       credentials_length)
{
  StompyAwsConfig *self = g_object_new (STOMPY_TYPE_AWS_CONFIG, NULL);

  self->envp = g_new0 (char *, 1);
  if (config_text != NULL)
    {
      g_autofree char *text = text_make_valid (config_text, config_length);

      parse_text (self, FILE_CONFIG, text);
    }
  if (credentials_text != NULL)
    {
      g_autofree char *text = text_make_valid (credentials_text, credentials_length);

      parse_text (self, FILE_CREDENTIALS, text);
    }

  return self;
}

StompyAwsConfig *
stompy_aws_config_new_from_files (const char  *config_path,
                                  const char  *credentials_path,
                                  GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return config_new (g_new0 (char *, 1), config_path, credentials_path, error);
}

static char *
expand_home (const char   *path,
             char * const *envp)
{
  const char *home;

  if (path[0] != '~' || (path[1] != '/' && path[1] != '\0'))
    return g_strdup (path);

  home = env_get (envp, "HOME");
  if (home == NULL)
    home = g_get_home_dir ();

  return g_build_filename (home, path + 1, NULL);
}

static char *
file_path (char * const *envp,
           const char   *variable,
           const char   *default_path)
{
  const char *value = env_get (envp, variable);

  return expand_home (value != NULL ? value : default_path, envp);
}

StompyAwsConfig *
stompy_aws_config_new_from_environ (const char * const *envp,
                                    GError            **error)
{
  char **env;
  g_autofree char *config_path = NULL;
  g_autofree char *credentials_path = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  env = envp != NULL ? g_strdupv ((char **) envp) : g_get_environ ();
  config_path = file_path (env, "AWS_CONFIG_FILE", "~/.aws/config");
  credentials_path = file_path (env, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");

  return config_new (env, config_path, credentials_path, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char * const *envp = task_data;
  GError *error = NULL;
  StompyAwsConfig *config;

  if (g_task_return_error_if_cancelled (task))
    return;

  config = stompy_aws_config_new_from_environ (envp, &error);
  if (config == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Cancelled while reading: report the cancellation, not the result. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_object_unref (config);
      g_task_return_error_if_cancelled (task);
      return;
    }

  g_task_return_pointer (task, config, g_object_unref);
}

void
stompy_aws_config_load_async (const char * const  *envp,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_aws_config_load_async);
  /* Copied now: the caller's array need not outlive this call. */
  g_task_set_task_data (task,
                        envp != NULL ? g_strdupv ((char **) envp) : g_get_environ (),
                        (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, load_thread);
}

StompyAwsConfig *
stompy_aws_config_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stompy_aws_config_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ queries */

static int
compare_profiles (gconstpointer a,
                  gconstpointer b)
{
  const char *name_a = *(const char * const *) a;
  const char *name_b = *(const char * const *) b;

  if (g_str_equal (name_a, "default"))
    return g_str_equal (name_b, "default") ? 0 : -1;
  if (g_str_equal (name_b, "default"))
    return 1;

  return strcmp (name_a, name_b);
}

char **
stompy_aws_config_list_profiles (StompyAwsConfig *self)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *result;
  GHashTableIter iter;
  gpointer name;

  g_return_val_if_fail (STOMPY_IS_AWS_CONFIG (self), NULL);

  g_hash_table_iter_init (&iter, self->config_profiles);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_hash_table_add (names, name);
  g_hash_table_iter_init (&iter, self->credentials_profiles);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_hash_table_add (names, name);

  result = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_ptr_array_add (result, g_strdup (name));
  g_ptr_array_sort (result, compare_profiles);
  g_ptr_array_add (result, NULL);

  return (char **) g_ptr_array_free (result, FALSE);
}

const char *
stompy_aws_config_get_default_profile (StompyAwsConfig *self)
{
  const char *profile;

  g_return_val_if_fail (STOMPY_IS_AWS_CONFIG (self), NULL);

  if ((profile = env_get (self->envp, "AWS_PROFILE")) != NULL ||
      (profile = env_get (self->envp, "AWS_DEFAULT_PROFILE")) != NULL)
    return profile;

  return "default";
}

static const char *
resolve_profile (StompyAwsConfig *self,
                 const char      *profile)
{
  return profile != NULL ? profile : stompy_aws_config_get_default_profile (self);
}

static const char *
section_value (GHashTable *table,
               const char *profile,
               const char *key)
{
  Section *section = g_hash_table_lookup (table, profile);

  return section != NULL ? g_hash_table_lookup (section->values, key) : NULL;
}

const char *
stompy_aws_config_get_value (StompyAwsConfig *self,
                             const char      *profile,
                             const char      *key)
{
  g_autofree char *lower = NULL;
  const char *value;

  g_return_val_if_fail (STOMPY_IS_AWS_CONFIG (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  profile = resolve_profile (self, profile);
  lower = g_ascii_strdown (key, -1);

  /* The credentials file wins for the same profile, as in botocore's merged
   * view of the two files. */
  value = section_value (self->credentials_profiles, profile, lower);
  if (value == NULL)
    value = section_value (self->config_profiles, profile, lower);

  return value;
}

static const char *
non_empty (const char *value)
{
  return value != NULL && *value != '\0' ? value : NULL;
}

/* The key pair of one file's section: TRUE and *@credentials set when complete,
 * TRUE and NULL when the section has neither key, FALSE when only one is set. */
static gboolean
static_keys (GHashTable            *table,
             const char            *profile,
             const char            *file_path_,
             StompyAwsCredentials **credentials,
             GError               **error)
{
  const char *id = non_empty (section_value (table, profile, "aws_access_key_id"));
  const char *secret = non_empty (section_value (table, profile, "aws_secret_access_key"));
  const char *token = non_empty (section_value (table, profile, "aws_session_token"));
  g_autofree char *source = NULL;

  *credentials = NULL;

  if (id == NULL && secret == NULL)
    return TRUE;

  if (id == NULL || secret == NULL)
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS,
                   "The AWS profile “%s” in “%s” sets %s but not %s",
                   profile, file_path_ ? file_path_ : "(none)",
                   id != NULL ? "aws_access_key_id" : "aws_secret_access_key",
                   id != NULL ? "aws_secret_access_key" : "aws_access_key_id");
      return FALSE;
    }

  /* botocore's legacy name for the session token. */
  if (token == NULL)
    token = non_empty (section_value (table, profile, "aws_security_token"));

  source = g_strdup_printf ("profile %s", profile);
  *credentials = stompy_aws_credentials_new (id, secret, token, source);
  if (*credentials == NULL)
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS,
                   "The AWS profile “%s” has an unusable access key", profile);
      return FALSE;
    }

  return TRUE;
}

static void
set_external_error (GError     **error,
                    const char  *profile,
                    const char  *what)
{
  g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS,
               "The AWS profile “%s” gets its credentials from %s, which this app does not "
               "run. Run “aws configure export-credentials --profile %s --format env” and "
               "use the keys it prints, or use an access key",
               profile, what, profile);
}

StompyAwsCredentials *
stompy_aws_config_get_credentials (StompyAwsConfig *self,
                                   const char      *profile,
                                   GError         **error)
{
  StompyAwsCredentials *credentials = NULL;

  g_return_val_if_fail (STOMPY_IS_AWS_CONFIG (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  profile = resolve_profile (self, profile);

  if (!g_hash_table_contains (self->credentials_profiles, profile) &&
      !g_hash_table_contains (self->config_profiles, profile))
    {
      g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS,
                   "There is no AWS profile “%s” in “%s” or “%s”", profile,
                   self->config_path ? self->config_path : "(none)",
                   self->credentials_path ? self->credentials_path : "(none)");
      return NULL;
    }

  /* botocore's provider chain for a profile: assume-role and web identity,
   * then SSO, come before the static keys of the credentials file; a
   * credential_process comes before those of the config file. */
  if (non_empty (stompy_aws_config_get_value (self, profile, "role_arn")) != NULL)
    {
      set_external_error (error, profile, "an assumed role (role_arn)");
      return NULL;
    }
  if (non_empty (stompy_aws_config_get_value (self, profile, "web_identity_token_file")) != NULL)
    {
      set_external_error (error, profile, "a web identity token (web_identity_token_file)");
      return NULL;
    }
  if (non_empty (stompy_aws_config_get_value (self, profile, "sso_session")) != NULL ||
      non_empty (stompy_aws_config_get_value (self, profile, "sso_start_url")) != NULL)
    {
      set_external_error (error, profile, "AWS IAM Identity Center (SSO)");
      return NULL;
    }

  if (!static_keys (self->credentials_profiles, profile, self->credentials_path, &credentials, error))
    return NULL;
  if (credentials != NULL)
    return credentials;

  if (non_empty (stompy_aws_config_get_value (self, profile, "credential_process")) != NULL)
    {
      set_external_error (error, profile, "an external program (credential_process)");
      return NULL;
    }

  if (!static_keys (self->config_profiles, profile, self->config_path, &credentials, error))
    return NULL;
  if (credentials != NULL)
    return credentials;

  g_set_error (error, STOMPY_ERROR, STOMPY_ERROR_NO_CREDENTIALS,
               "The AWS profile “%s” has no aws_access_key_id and aws_secret_access_key",
               profile);
  return NULL;
}

const char *
stompy_aws_config_get_region (StompyAwsConfig *self,
                              const char      *profile)
{
  const char *region;

  g_return_val_if_fail (STOMPY_IS_AWS_CONFIG (self), NULL);

  if ((region = env_get (self->envp, "AWS_REGION")) != NULL ||
      (region = env_get (self->envp, "AWS_DEFAULT_REGION")) != NULL)
    return region;

  return non_empty (stompy_aws_config_get_value (self, profile, "region"));
}

const char *
stompy_aws_config_get_endpoint_url (StompyAwsConfig *self,
                                    const char      *profile,
                                    const char      *service_key)
{
  const char *services_name;

  g_return_val_if_fail (STOMPY_IS_AWS_CONFIG (self), NULL);
  g_return_val_if_fail (service_key != NULL, NULL);

  services_name = non_empty (stompy_aws_config_get_value (self, profile, "services"));
  if (services_name != NULL)
    {
      Section *services = g_hash_table_lookup (self->services, services_name);
      g_autofree char *lower = g_ascii_strdown (service_key, -1);
      GHashTable *sub = services != NULL ? g_hash_table_lookup (services->subsections, lower) : NULL;
      const char *url = sub != NULL ? non_empty (g_hash_table_lookup (sub, "endpoint_url")) : NULL;

      if (url != NULL)
        return url;
    }

  return non_empty (stompy_aws_config_get_value (self, profile, "endpoint_url"));
}

const char * const *
stompy_aws_config_get_environ (StompyAwsConfig *self)
{
  g_return_val_if_fail (STOMPY_IS_AWS_CONFIG (self), NULL);

  return (const char * const *) self->envp;
}
