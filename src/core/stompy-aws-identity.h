/* stompy-aws-identity.h — who the credentials belong to
 *
 * STS GetCallerIdentity, then Organizations DescribeOrganization to tell the
 * organization's management account from a member or a standalone account.
 */
#pragma once

#include "stompy-aws-client.h"

G_BEGIN_DECLS

typedef enum
{
  STOMPY_ORGANIZATION_ROLE_UNKNOWN,    /* DescribeOrganization was denied */
  STOMPY_ORGANIZATION_ROLE_MANAGEMENT, /* Account == Organization.MasterAccountId */
  STOMPY_ORGANIZATION_ROLE_MEMBER,
  STOMPY_ORGANIZATION_ROLE_STANDALONE, /* AWSOrganizationsNotInUseException */
} StompyOrganizationRole;

#define STOMPY_TYPE_AWS_IDENTITY (stompy_aws_identity_get_type ())

typedef struct
{
  char                  *account_id;
  char                  *arn;
  char                  *user_id;
  gboolean               is_root;               /* arn:aws…:iam::<acct>:root */
  StompyOrganizationRole organization_role;
  char                  *organization_id;       /* NULL unless in an organization */
  char                  *management_account_id; /* NULL unless in an organization */
} StompyAwsIdentity;

GType              stompy_aws_identity_get_type   (void) G_GNUC_CONST;
StompyAwsIdentity *stompy_aws_identity_copy       (const StompyAwsIdentity *self);
void               stompy_aws_identity_free       (StompyAwsIdentity       *self);

/* "management", "member", "standalone", "unknown" */
const char        *stompy_organization_role_to_string   (StompyOrganizationRole role);
StompyOrganizationRole stompy_organization_role_from_string (const char *text);
/* TRUE for arn:aws:iam::<12 digits>:root (any partition). */
gboolean           stompy_aws_arn_is_root         (const char *arn);

void               stompy_aws_identity_lookup_async  (StompyAwsClient     *client,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
StompyAwsIdentity *stompy_aws_identity_lookup_finish (GAsyncResult        *result,
                                                      GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StompyAwsIdentity, stompy_aws_identity_free)

G_END_DECLS
