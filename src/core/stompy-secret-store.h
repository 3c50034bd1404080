/* stompy-secret-store.h — secrets in the desktop keyring (libsecret), async
 *
 * One schema, "io.stompy.Connect.Secret", with attributes that name what the
 * secret is for (never the secret): kind = "stompy-token" with the API URL, or
 * kind = "aws-secret-key" with the access key id. Inside Flatpak libsecret
 * uses the Secret portal by itself. A missing or locked keyring becomes
 * STOMPY_ERROR_KEYRING_UNAVAILABLE so the UI can say so and keep the secret in
 * memory for the session.
 */
#pragma once

#include <gio/gio.h>

#include "stompy-aws-credentials.h"

G_BEGIN_DECLS

/* Wipes and frees a secret returned by this file (g_free() also works, but
 * leaves the secret in freed memory). NULL is allowed. */
void      stompy_secret_free                      (char                *secret);

/* The Stompy session token for @api_url, stored with the user's @email as label. */
void      stompy_secret_store_save_token_async    (const char          *api_url,
                                                   const char          *email,
                                                   const char          *token,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean  stompy_secret_store_save_token_finish   (GAsyncResult        *result,
                                                   GError             **error);
/* The token, or NULL without error when none is stored. *email gets the label's email if not NULL.
 * Free the token with stompy_secret_free(). */
void      stompy_secret_store_lookup_token_async  (const char          *api_url,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
char     *stompy_secret_store_lookup_token_finish (GAsyncResult        *result,
                                                   char               **email,
                                                   GError             **error);
void      stompy_secret_store_clear_token_async   (const char          *api_url,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean  stompy_secret_store_clear_token_finish  (GAsyncResult        *result,
                                                   GError             **error);

/* A typed-in AWS key ("remember in keyring"): the secret access key and the
 * optional session token, found again by the access key id. */
void      stompy_secret_store_save_aws_async      (StompyAwsCredentials *credentials,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean  stompy_secret_store_save_aws_finish     (GAsyncResult        *result,
                                                   GError             **error);
/* The credentials, or NULL without error when nothing is stored for the id. */
void      stompy_secret_store_lookup_aws_async    (const char          *access_key_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
StompyAwsCredentials *stompy_secret_store_lookup_aws_finish (GAsyncResult  *result,
                                                   GError             **error);
void      stompy_secret_store_clear_aws_async     (const char          *access_key_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean  stompy_secret_store_clear_aws_finish    (GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
