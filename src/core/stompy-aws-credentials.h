/* stompy-aws-credentials.h — an AWS access key, immutable and reference counted
 *
 * The secret and session token are wiped from memory when the last reference
 * goes. Nothing here prints them: use stompy_aws_credentials_describe() for logs.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define STOMPY_TYPE_AWS_CREDENTIALS (stompy_aws_credentials_get_type ())

typedef struct _StompyAwsCredentials StompyAwsCredentials;

GType                 stompy_aws_credentials_get_type          (void) G_GNUC_CONST;
/* @session_token and @source may be NULL. @source is a human label such as
 * "profile default" or "environment". Returns NULL if a required part is empty. */
StompyAwsCredentials *stompy_aws_credentials_new               (const char *access_key_id,
                                                                const char *secret_access_key,
                                                                const char *session_token,
                                                                const char *source) G_GNUC_WARN_UNUSED_RESULT;
/* AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (or the legacy
 * AWS_SECURITY_TOKEN) from @envp (NULL = this process's environment). NULL with
 * STOMPY_ERROR_NO_CREDENTIALS when the pair is not set. */
StompyAwsCredentials *stompy_aws_credentials_new_from_environ  (const char * const *envp,
                                                                GError     **error) G_GNUC_WARN_UNUSED_RESULT;
StompyAwsCredentials *stompy_aws_credentials_ref               (StompyAwsCredentials *self);
void                  stompy_aws_credentials_unref             (StompyAwsCredentials *self);
const char           *stompy_aws_credentials_get_access_key_id (StompyAwsCredentials *self);
const char           *stompy_aws_credentials_get_secret_access_key (StompyAwsCredentials *self);
const char           *stompy_aws_credentials_get_session_token (StompyAwsCredentials *self);
const char           *stompy_aws_credentials_get_source        (StompyAwsCredentials *self);
/* "AKIA…WXYZ (profile default)" — safe for logs and the UI. */
char                 *stompy_aws_credentials_describe          (StompyAwsCredentials *self) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyAwsCredentials, stompy_aws_credentials_unref)

G_END_DECLS
