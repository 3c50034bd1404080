/* stompy-cli-identity.c — stompy-connect-cli identity
 *
 *   stompy-connect-cli identity [--profile NAME] [--json]
 *
 * Which AWS account and identity the credentials belong to, and the seed
 * document's advice for that kind of account.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "stompy-aws-identity.h"
#include "stompy-cli-common.h"

/* ----------------------------------------------------------- identity */

/* The seed document's advice (第一步, 第二步) for each kind of account. */
static const char *
role_advice (StompyOrganizationRole role)
{
  switch (role)
    {
    case STOMPY_ORGANIZATION_ROLE_MANAGEMENT:
      return _("This is the organization’s management account: it sees the cost data of "
               "every member account and can apply optimizations to them. Add both "
               "products from this account.");
    case STOMPY_ORGANIZATION_ROLE_MEMBER:
      return _("This is a member account. If it runs your production instances, add "
               "StompySpoTainer here; for organization-wide StompyAnalySaver advice, use the "
               "management account.");
    case STOMPY_ORGANIZATION_ROLE_STANDALONE:
      return _("This account is not in an organization and pays its own bill: add both "
               "products from it.");
    case STOMPY_ORGANIZATION_ROLE_UNKNOWN:
    default:
      return _("Could not tell whether this is the organization’s management account (it "
               "may not read the organization). The management account sees the cost data "
               "of every member account and can apply optimizations to them.");
    }
}

static const char *
role_label (StompyOrganizationRole role)
{
  switch (role)
    {
    case STOMPY_ORGANIZATION_ROLE_MANAGEMENT:
      return _("management account");
    case STOMPY_ORGANIZATION_ROLE_MEMBER:
      return _("member account");
    case STOMPY_ORGANIZATION_ROLE_STANDALONE:
      return _("standalone account (no organization)");
    case STOMPY_ORGANIZATION_ROLE_UNKNOWN:
    default:
      return _("unknown");
    }
}

static void
print_identity_json (const StompyAwsIdentity *identity)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "account_id");
  json_builder_add_string_value (builder, identity->account_id);
  json_builder_set_member_name (builder, "arn");
  json_builder_add_string_value (builder, identity->arn);
  json_builder_set_member_name (builder, "is_root");
  json_builder_add_boolean_value (builder, identity->is_root);
  json_builder_set_member_name (builder, "organization_role");
  json_builder_add_string_value (builder, stompy_organization_role_to_string (identity->organization_role));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  stompy_cli_print_json (root);
}

static void
print_identity_text (const StompyAwsIdentity *identity)
{
  /* TRANSLATORS: %s is a 12-digit AWS account id. */
  g_print (_("Account:       %s\n"), identity->account_id);
  /* TRANSLATORS: %s is an ARN such as arn:aws:iam::123456789012:user/admin. */
  g_print (_("ARN:           %s\n"), identity->arn);
  g_print (_("Root user:     %s\n"), identity->is_root ? _("yes") : _("no"));
  g_print (_("Organization:  %s\n"), role_label (identity->organization_role));
  g_print ("\n%s\n", role_advice (identity->organization_role));
}

int
stompy_cli_run_identity (int    argc,
                         char **argv)
{
  g_autofree char *profile = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    STOMPY_CLI_PROFILE_ENTRY (profile),
    STOMPY_CLI_JSON_ENTRY (json),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(StompyAwsIdentity) identity = NULL;
  StompyCliAws aws;
  StompyCliWaiter waiter;
  int status;

  status = stompy_cli_parse_options (NULL,
                                     _("Show which AWS account and identity the credentials "
                                       "belong to, and whether it is the organization’s "
                                       "management account.\n"
                                       "Credentials come from the environment "
                                       "(AWS_ACCESS_KEY_ID…) or the AWS CLI profile, as the AWS "
                                       "CLI finds them; --profile always uses the profile."),
                                     entries, 0, &argc, &argv);
  if (status >= 0)
    return status;
  status = stompy_cli_aws_begin (&aws, &waiter, argv[0], profile, NULL);
  if (status >= 0)
    return status;

  stompy_aws_identity_lookup_async (aws.client, waiter.cancellable, stompy_cli_wait_cb, &waiter);
  identity = stompy_aws_identity_lookup_finish (stompy_cli_wait_for (&waiter), &error);

  if (identity == NULL)
    status = stompy_cli_aws_failure (error);
  else if (json)
    print_identity_json (identity);
  else
    print_identity_text (identity);

  stompy_cli_aws_end (&aws, &waiter);
  return identity != NULL ? STOMPY_CLI_EXIT_OK : status;
}
