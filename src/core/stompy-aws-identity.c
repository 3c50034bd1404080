/* stompy-aws-identity.c — who the credentials belong to
 *
 * STS GetCallerIdentity, then Organizations DescribeOrganization
 * (shared/reference/aws-cfn-sts-sigv4.md §4.1 and §4.3): the caller is in the
 * management account when its account is the organization's MasterAccountId.
 */
#include "config.h"

#include <string.h>

#include "stompy-aws-identity.h"
#include "stompy-error.h"
#include "stompy-json-member.h"

#define STS_VERSION "2011-06-15"
#define DESCRIBE_ORGANIZATION_TARGET "AWSOrganizationsV20161128.DescribeOrganization"

G_DEFINE_BOXED_TYPE (StompyAwsIdentity, stompy_aws_identity,
                     stompy_aws_identity_copy, stompy_aws_identity_free)

StompyAwsIdentity *
stompy_aws_identity_copy (const StompyAwsIdentity *self)
{
  StompyAwsIdentity *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (StompyAwsIdentity, 1);
  copy->account_id = g_strdup (self->account_id);
  copy->arn = g_strdup (self->arn);
  copy->user_id = g_strdup (self->user_id);
  copy->is_root = self->is_root;
  copy->organization_role = self->organization_role;
  copy->organization_id = g_strdup (self->organization_id);
  copy->management_account_id = g_strdup (self->management_account_id);

  return copy;
}

void
stompy_aws_identity_free (StompyAwsIdentity *self)
{
  if (self == NULL)
    return;

  g_free (self->account_id);
  g_free (self->arn);
  g_free (self->user_id);
  g_free (self->organization_id);
  g_free (self->management_account_id);
  g_free (self);
}

static const char * const role_names[] = {
  [STOMPY_ORGANIZATION_ROLE_UNKNOWN] = "unknown",
  [STOMPY_ORGANIZATION_ROLE_MANAGEMENT] = "management",
  [STOMPY_ORGANIZATION_ROLE_MEMBER] = "member",
  [STOMPY_ORGANIZATION_ROLE_STANDALONE] = "standalone",
};

const char *
stompy_organization_role_to_string (StompyOrganizationRole role)
{
  if ((guint) role < G_N_ELEMENTS (role_names))
    return role_names[role];

  return "unknown";
}

StompyOrganizationRole
stompy_organization_role_from_string (const char *text)
{
  if (text != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
        if (g_str_equal (text, role_names[i]))
          return (StompyOrganizationRole) i;
    }

  return STOMPY_ORGANIZATION_ROLE_UNKNOWN;
}

/* ^arn:aws[a-z-]*:iam::[0-9]{12}:root$ — checked by hand, as it is short and
 * a regex would accept non-ASCII digits for \d. */
gboolean
stompy_aws_arn_is_root (const char *arn)
{
  const char *p;

  if (arn == NULL || !g_str_has_prefix (arn, "arn:aws"))
    return FALSE;

  p = arn + strlen ("arn:aws");
  while ((*p >= 'a' && *p <= 'z') || *p == '-')
    p++;

  if (!g_str_has_prefix (p, ":iam::"))
    return FALSE;
  p += strlen (":iam::");

  for (guint i = 0; i < 12; i++, p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return g_str_equal (p, ":root");
}

/* ------------------------------------------------------------------ lookup */

static void
describe_organization_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StompyAwsIdentity *identity = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *organization;
  const char *management_account_id;

  root = stompy_aws_client_json_finish (STOMPY_AWS_CLIENT (source), result, &error);
  if (root == NULL)
    {
      const char *code = stompy_aws_error_get_aws_code (error);

      if (g_strcmp0 (code, "AWSOrganizationsNotInUseException") == 0)
        {
          identity->organization_role = STOMPY_ORGANIZATION_ROLE_STANDALONE;
        }
      else if (g_strcmp0 (code, "AccessDeniedException") == 0)
        {
          /* A member account without organizations:DescribeOrganization:
           * the identity is still good, the role just cannot be told. */
          g_debug ("DescribeOrganization denied, organization role unknown: %s", error->message);
          identity->organization_role = STOMPY_ORGANIZATION_ROLE_UNKNOWN;
        }
      else
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      g_task_return_pointer (task, stompy_aws_identity_copy (identity),
                             (GDestroyNotify) stompy_aws_identity_free);
      return;
    }

  organization = stompy_json_member_object (json_node_get_object (root), "Organization");
  management_account_id = stompy_json_member_string (organization, "MasterAccountId");
  if (management_account_id == NULL)
    {
      g_task_return_error (task,
                           stompy_aws_error_new_full (STOMPY_AWS_ERROR_MALFORMED_RESPONSE, 200,
                                                      NULL,
                                                      "DescribeOrganization answered without "
                                                      "Organization.MasterAccountId",
                                                      NULL));
      return;
    }

  identity->management_account_id = g_strdup (management_account_id);
  identity->organization_id = g_strdup (stompy_json_member_string (organization, "Id"));

  identity->organization_role = g_strcmp0 (identity->account_id,
                                           identity->management_account_id) == 0
                                ? STOMPY_ORGANIZATION_ROLE_MANAGEMENT
                                : STOMPY_ORGANIZATION_ROLE_MEMBER;

  g_debug ("Identity %s, account %s, organization %s, role %s", identity->arn,
           identity->account_id, identity->organization_id ? identity->organization_id : "?",
           stompy_organization_role_to_string (identity->organization_role));

  g_task_return_pointer (task, stompy_aws_identity_copy (identity),
                         (GDestroyNotify) stompy_aws_identity_free);
}

static void
get_caller_identity_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StompyAwsClient *client = STOMPY_AWS_CLIENT (source);
  StompyAwsIdentity *identity;
  g_autoptr(StompyXmlNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *account;
  const char *arn;
  const char *user_id;

  node = stompy_aws_client_query_finish (client, result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  account = stompy_xml_node_lookup_text (node, "Account");
  arn = stompy_xml_node_lookup_text (node, "Arn");
  user_id = stompy_xml_node_lookup_text (node, "UserId");
  if (account == NULL || *account == '\0' || arn == NULL || *arn == '\0')
    {
      g_task_return_error (task,
                           stompy_aws_error_new_full (STOMPY_AWS_ERROR_MALFORMED_RESPONSE, 200,
                                                      NULL,
                                                      "GetCallerIdentity answered without "
                                                      "Account or Arn",
                                                      NULL));
      return;
    }

  identity = g_new0 (StompyAwsIdentity, 1);
  identity->account_id = g_strdup (account);
  identity->arn = g_strdup (arn);
  identity->user_id = g_strdup (user_id);
  identity->is_root = stompy_aws_arn_is_root (arn);
  g_task_set_task_data (task, identity, (GDestroyNotify) stompy_aws_identity_free);

  stompy_aws_client_json_async (client, STOMPY_AWS_SERVICE_ORGANIZATIONS,
                                DESCRIBE_ORGANIZATION_TARGET, NULL,
                                g_task_get_cancellable (task),
                                describe_organization_cb, g_object_ref (task));
}

void
stompy_aws_identity_lookup_async (StompyAwsClient     *client,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STOMPY_IS_AWS_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, stompy_aws_identity_lookup_async);

  stompy_aws_client_query_async (client, STOMPY_AWS_SERVICE_STS, "GetCallerIdentity",
                                 STS_VERSION, NULL, cancellable,
                                 get_caller_identity_cb, g_object_ref (task));
}

StompyAwsIdentity *
stompy_aws_identity_lookup_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stompy_aws_identity_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
