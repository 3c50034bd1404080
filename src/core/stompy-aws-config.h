/* stompy-aws-config.h — the AWS CLI's shared config and credentials files
 *
 * Reads ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE) as the AWS CLI does: "[profile x]" in config,
 * "[x]" in credentials, "[default]" in both, "#" and ";" comments, indented
 * sub-sections ("[services x]" entries such as "s3 =\n  endpoint_url = …").
 * A missing file is simply empty.
 */
#pragma once

#include <gio/gio.h>

#include "stompy-aws-credentials.h"

G_BEGIN_DECLS

#define STOMPY_TYPE_AWS_CONFIG (stompy_aws_config_get_type ())

G_DECLARE_FINAL_TYPE (StompyAwsConfig, stompy_aws_config, STOMPY, AWS_CONFIG, GObject)

/* Either path may be NULL or missing. A file that exists but cannot be read is
 * STOMPY_ERROR_CONFIG. The environment is empty (no AWS_PROFILE, AWS_REGION…).
 *
 * "[profile x]" in the credentials file is, as for the AWS CLI, a profile named
 * "profile x" — it gives nothing to profile "x". Unparseable lines are skipped
 * (the CLI refuses such files), repeated sections merge with later keys winning. */
StompyAwsConfig      *stompy_aws_config_new_from_files     (const char  *config_path,
                                                            const char  *credentials_path,
                                                            GError     **error);
/* The same from the files' contents (either may be NULL: no such file), as read
 * from disk: invalid UTF-8 is repaired, a BOM skipped. For tests and fuzzing. */
StompyAwsConfig      *stompy_aws_config_new_from_data      (const char  *config_text,
                                                            gsize        config_length,
                                                            const char  *credentials_text,
                                                            gsize        credentials_length);
/* Honours AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE (with "~/" expanded),
 * AWS_PROFILE / AWS_DEFAULT_PROFILE, AWS_REGION / AWS_DEFAULT_REGION from @envp
 * (NULL = this process's environment). */
StompyAwsConfig      *stompy_aws_config_new_from_environ   (const char * const *envp,
                                                            GError     **error);
/* The same, read in a worker thread: it touches the disk. */
void                  stompy_aws_config_load_async         (const char * const *envp,
                                                            GCancellable *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer     user_data);
StompyAwsConfig      *stompy_aws_config_load_finish        (GAsyncResult *result,
                                                            GError     **error);

/* Sorted, "default" first, each name once whichever file(s) it is in. */
char                **stompy_aws_config_list_profiles      (StompyAwsConfig *self) G_GNUC_WARN_UNUSED_RESULT;
/* AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default". */
const char           *stompy_aws_config_get_default_profile (StompyAwsConfig *self);
/* A key of the profile: the credentials file first for the key pair, else the
 * config file. NULL when not set. */
const char           *stompy_aws_config_get_value          (StompyAwsConfig *self,
                                                            const char      *profile,
                                                            const char      *key);
/* Static keys (aws_access_key_id, aws_secret_access_key, optional
 * aws_session_token). A profile that relies on sso_*, credential_process or
 * role_arn gives STOMPY_ERROR_NO_CREDENTIALS with a message naming what it uses
 * and suggesting "aws configure export-credentials" or a key. */
StompyAwsCredentials *stompy_aws_config_get_credentials    (StompyAwsConfig *self,
                                                            const char      *profile,
                                                            GError         **error);
/* AWS_REGION, else AWS_DEFAULT_REGION, else the profile's region, else NULL. */
const char           *stompy_aws_config_get_region         (StompyAwsConfig *self,
                                                            const char      *profile);
/* The profile's endpoint_url for @service_key ("sts", "s3", "cloudformation",
 * "organizations", "cost_and_usage_report_service", "bcm_data_exports") from its
 * "services" section, else the profile's own endpoint_url, else NULL. */
const char           *stompy_aws_config_get_endpoint_url   (StompyAwsConfig *self,
                                                            const char      *profile,
                                                            const char      *service_key);
/* The environment the config was read with (for endpoint overrides). */
const char * const   *stompy_aws_config_get_environ        (StompyAwsConfig *self);

G_END_DECLS
