/* stompy-error-messages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "stompy-error.h"
#include "stompy-error-messages.h"

static const char *
stompy_error_sentence (const GError *error)
{
  switch ((StompyErrorCode) error->code)
    {
    case STOMPY_ERROR_INVALID_INPUT:
      return _("A value is not valid. Check the highlighted fields and try again.");
    case STOMPY_ERROR_CONFIG:
      return _("The AWS configuration files could not be read. Check ~/.aws/config and ~/.aws/credentials.");
    case STOMPY_ERROR_NO_CREDENTIALS:
      return _("No usable AWS credentials were found for this choice. Choose another source or type an access key.");
    case STOMPY_ERROR_INSECURE_ENDPOINT:
      return _("The server address must use HTTPS. Check the Stompy API address setting.");
    case STOMPY_ERROR_KEYRING_UNAVAILABLE:
      return _("The keyring is not available, so the secret is only kept until you close the app.");
    case STOMPY_ERROR_STATE_FILE:
      return _("Your saved progress could not be read, so the wizard starts afresh. The damaged file was kept aside.");
    case STOMPY_ERROR_FAILED:
    default:
      return _("Something went wrong. Try again.");
    }
}

/* The AWS codes of the AnalySaver and SpoTainer steps that deserve their own sentence. */
static const char *
aws_code_sentence (const GError *error)
{
  const char *code = stompy_aws_error_get_aws_code (error);

  if (code == NULL)
    return NULL;
  if (g_str_equal (code, "BucketAlreadyExists"))
    return _("This bucket name is taken by another AWS account. Bucket names are shared by all AWS accounts: choose another name.");
  if (g_str_equal (code, "BucketAlreadyOwnedByYou"))
    return _("You already own a bucket of this name, in another region. Choose its region, or another name.");
  if (g_str_equal (code, STOMPY_STACK_UNUSABLE_CODE))
    return _("A stack of this name exists but cannot be used, as it failed or was rolled back. Delete it and try again.");
  if (g_str_equal (code, "DuplicateReportNameException"))
    return _("A report of this name exists already, with settings Stompy cannot use. Choose another name, or pick that report after changing it in the console.");
  if (g_str_equal (code, "ExportNameConflict"))
    return _("An export of this name exists already, with other settings. Choose another name.");
  if (g_str_equal (code, "ReportLimitReachedException"))
    return _("This account has as many report definitions as AWS allows. Delete one in the console, or use an existing report.");
  if (g_str_equal (code, "InsufficientCapabilitiesException"))
    return _("CloudFormation needs the acknowledgement that the template creates IAM resources.");
  return NULL;
}

static const char *
aws_error_sentence (const GError *error)
{
  const char *specific = aws_code_sentence (error);

  if (specific != NULL)
    return specific;

  switch ((StompyAwsErrorCode) error->code)
    {
    case STOMPY_AWS_ERROR_INVALID_CLIENT_TOKEN_ID:
      return _("AWS does not know this access key ID. Check that you copied it completely, or create a new access key.");
    case STOMPY_AWS_ERROR_SIGNATURE_MISMATCH:
      return _("The secret access key does not match the access key ID. Copy the secret again.");
    case STOMPY_AWS_ERROR_EXPIRED_TOKEN:
      return _("These temporary credentials have expired. Get a new session token and try again.");
    case STOMPY_AWS_ERROR_ACCESS_DENIED:
      return _("AWS denied access: this identity lacks a permission the step needs. Use an administrator or ask one to grant it.");
    case STOMPY_AWS_ERROR_THROTTLED:
      return _("AWS is receiving too many requests. Wait a moment and try again.");
    case STOMPY_AWS_ERROR_NOT_FOUND:
      return _("AWS could not find what was asked for. It may have been deleted.");
    case STOMPY_AWS_ERROR_ALREADY_EXISTS:
      return _("Something with this name already exists at AWS. Choose another name.");
    case STOMPY_AWS_ERROR_VALIDATION:
      return _("AWS rejected a value. Check what you entered and try again.");
    case STOMPY_AWS_ERROR_CLOCK_SKEW:
      return _("AWS rejected the request time. Check that this computer's clock is set correctly.");
    case STOMPY_AWS_ERROR_SERVER:
      return _("AWS had a problem answering. Try again in a few minutes.");
    case STOMPY_AWS_ERROR_NETWORK:
      return _("Could not reach AWS. Check your internet connection and try again.");
    case STOMPY_AWS_ERROR_TIMEOUT:
      return _("AWS did not answer in time. Check your internet connection and try again.");
    case STOMPY_AWS_ERROR_MALFORMED_RESPONSE:
      return _("AWS sent an answer that could not be understood. Try again later.");
    case STOMPY_AWS_ERROR_TLS_CERTIFICATE:
      return _("The AWS server’s security certificate is not trusted, so nothing was sent. If your network inspects HTTPS through a proxy, ask its administrator to install the proxy’s certificate on this computer; otherwise check the AWS endpoint settings.");
    case STOMPY_AWS_ERROR_SERVICE:
    default:
      return _("AWS reported an error. Try again, or contact Stompy support with the request ID.");
    }
}

static const char *
api_error_sentence (const GError *error)
{
  switch ((StompyApiErrorCode) error->code)
    {
    case STOMPY_API_ERROR_INVALID_CREDENTIALS:
      return _("The email or password is wrong. Check them and try again.");
    case STOMPY_API_ERROR_TOKEN_EXPIRED:
    case STOMPY_API_ERROR_TOKEN_INVALID:
      return _("Your Stompy session has expired. Sign in again.");
    case STOMPY_API_ERROR_FORBIDDEN:
      return _("Your Stompy user may not connect AWS accounts. Ask an administrator of your organization.");
    case STOMPY_API_ERROR_NOT_FOUND:
      return _("Stompy could not find what was asked for.");
    case STOMPY_API_ERROR_ACCOUNT_ALREADY_CONNECTED:
      return _("This AWS account is already connected to another Stompy organization.");
    case STOMPY_API_ERROR_VALIDATION_FAILED:
      return _("Stompy rejected some values. Check the highlighted fields.");
    case STOMPY_API_ERROR_RATE_LIMITED:
      return _("Too many attempts. Wait a moment and try again.");
    case STOMPY_API_ERROR_INTERNAL:
    case STOMPY_API_ERROR_UNAVAILABLE:
      return _("Stompy is having a problem right now. Try again in a few minutes.");
    case STOMPY_API_ERROR_NETWORK:
      return _("Could not reach Stompy. Check your internet connection and try again.");
    case STOMPY_API_ERROR_MALFORMED_RESPONSE:
      return _("Stompy sent an answer that could not be understood. Try again later.");
    case STOMPY_API_ERROR_TLS_CERTIFICATE:
      return _("The Stompy server’s security certificate is not trusted, so nothing was sent. If your network inspects HTTPS through a proxy, ask its administrator to install the proxy’s certificate on this computer; otherwise check the Stompy API address in Preferences.");
    case STOMPY_API_ERROR_BAD_REQUEST:
    case STOMPY_API_ERROR_UNKNOWN:
    default:
      return _("Stompy could not process the request. Try again, or contact Stompy support with the request ID.");
    }
}

char *
stompy_error_message_for (const GError *error)
{
  const char *sentence;
  const char *request_id = NULL;
  g_autofree char *extra = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == STOMPY_ERROR)
    {
      sentence = stompy_error_sentence (error);
    }
  else if (error->domain == STOMPY_AWS_ERROR)
    {
      sentence = aws_error_sentence (error);
      request_id = stompy_aws_error_get_request_id (error);
    }
  else if (error->domain == STOMPY_API_ERROR)
    {
      const char *organization = stompy_api_error_get_organization_name (error);

      request_id = stompy_api_error_get_request_id (error);

      if (error->code == STOMPY_API_ERROR_ACCOUNT_ALREADY_CONNECTED && organization != NULL)
        {
          /* Translators: %s is the name of another company's Stompy organization. */
          extra = g_strdup_printf (_("This AWS account is already connected to the Stompy organization “%s”."),
                                   organization);
          sentence = extra;
        }
      else if (error->code == STOMPY_API_ERROR_RATE_LIMITED
               && stompy_api_error_get_retry_after (error) > 0)
        {
          guint seconds = stompy_api_error_get_retry_after (error);

          extra = g_strdup_printf (ngettext ("Too many attempts. Try again in %u second.",
                                             "Too many attempts. Try again in %u seconds.",
                                             seconds),
                                   seconds);
          sentence = extra;
        }
      else
        {
          sentence = api_error_sentence (error);
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      sentence = _("The connection timed out. Check your internet connection and try again.");
    }
  else if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR)
    {
      sentence = _("A network error occurred. Check your internet connection and try again.");
    }
  else
    {
      sentence = _("Something went wrong. Try again.");
    }

  if (request_id != NULL && *request_id != '\0')
    {
      /* Translators: the first %s is an error sentence, the second the request id
       * that support needs to find the failed request. */
      return g_strdup_printf (_("%s (Request ID: %s)"), sentence, request_id);
    }

  return g_strdup (sentence);
}

const char *
stompy_invalid_reason_sentence (StompyInvalidReason reason)
{
  switch (reason)
    {
    case STOMPY_INVALID_NONE:
      return NULL;
    case STOMPY_INVALID_EMPTY:
      return _("This field is required.");
    case STOMPY_INVALID_EMAIL:
      return _("Enter an email address such as name@example.com.");
    case STOMPY_INVALID_ACCESS_KEY_ID_LENGTH:
      return _("An access key ID has 16 to 128 characters; most have 20.");
    case STOMPY_INVALID_ACCESS_KEY_ID_CHARS:
      return _("An access key ID has only capital letters and digits.");
    case STOMPY_INVALID_ACCESS_KEY_ID_PREFIX:
      return _("An access key ID starts with AKIA (long-term key) or ASIA (temporary key).");
    case STOMPY_INVALID_SECRET_KEY:
      return _("A secret access key has 40 characters. Copy it again from the AWS console or the downloaded .csv file.");
    case STOMPY_INVALID_ACCOUNT_ID:
      return _("An AWS account ID has exactly 12 digits.");
    case STOMPY_INVALID_WHITESPACE:
      return _("Remove the spaces, which often come with a paste.");
    default:
      return _("This value is not valid.");
    }
}

char *
stompy_field_message (const char *field,
                      const char *sentence)
{
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (sentence != NULL, NULL);

  /* Translators: a field name and why its value is not valid,
   * e.g. "Access key ID: An access key ID has only capital letters and digits." */
  return g_strdup_printf (_("%s: %s"), field, sentence);
}

const char *
stompy_bucket_name_reason_sentence (StompyBucketNameReason reason)
{
  switch (reason)
    {
    case STOMPY_BUCKET_NAME_VALID:
      return NULL;
    case STOMPY_BUCKET_NAME_TOO_SHORT:
      return _("A bucket name has at least 3 characters.");
    case STOMPY_BUCKET_NAME_TOO_LONG:
      return _("A bucket name has at most 63 characters.");
    case STOMPY_BUCKET_NAME_UPPERCASE:
      return _("A bucket name has no capital letters.");
    case STOMPY_BUCKET_NAME_INVALID_CHARACTER:
      return _("A bucket name has only lowercase letters, digits, dots and hyphens.");
    case STOMPY_BUCKET_NAME_BAD_START:
      return _("A bucket name begins with a letter or a digit.");
    case STOMPY_BUCKET_NAME_BAD_END:
      return _("A bucket name ends with a letter or a digit.");
    case STOMPY_BUCKET_NAME_ADJACENT_PERIODS:
      return _("A bucket name has no two dots in a row.");
    case STOMPY_BUCKET_NAME_IP_ADDRESS:
      return _("A bucket name cannot look like an IP address.");
    case STOMPY_BUCKET_NAME_RESERVED_PREFIX:
      return _("A bucket name cannot begin with “xn--”, “sthree-” or “amzn-s3-demo-”.");
    case STOMPY_BUCKET_NAME_RESERVED_SUFFIX:
      return _("A bucket name cannot end with “-s3alias”, “--ol-s3”, “.mrap”, “--x-s3”, “--table-s3” or “-an”.");
    default:
      return _("This value is not valid.");
    }
}

const char *
stompy_cur_name_reason_sentence (StompyCurNameReason reason,
                                 gboolean            prefix)
{
  switch (reason)
    {
    case STOMPY_CUR_NAME_VALID:
      return NULL;
    case STOMPY_CUR_NAME_EMPTY:
      return prefix ? _("A report integrated with Amazon Athena needs a path prefix.")
                    : _("This field is required.");
    case STOMPY_CUR_NAME_TOO_LONG:
      return _("At most 256 characters.");
    case STOMPY_CUR_NAME_INVALID_CHARACTER:
      return prefix ? _("Use only letters, digits, slashes and ! - _ . * ' ( ).")
                    : _("Use only letters, digits and ! - _ . * ' ( ).");
    case STOMPY_CUR_NAME_LEADING_SLASH:
      return _("A path prefix cannot begin with a slash.");
    case STOMPY_CUR_NAME_TRAILING_SLASH:
      return _("A path prefix cannot end with a slash.");
    case STOMPY_CUR_NAME_ADJACENT_SLASHES:
      return _("A path prefix has no two slashes in a row.");
    default:
      return _("This value is not valid.");
    }
}

char *
stompy_role_arn_problem_sentence (StompyRoleArnProblem  problem,
                                  const char           *expected_account,
                                  const char           *found_account)
{
  switch (problem)
    {
    case STOMPY_ROLE_ARN_OK:
      return NULL;
    case STOMPY_ROLE_ARN_EMPTY:
      return g_strdup (_("This field is required."));
    case STOMPY_ROLE_ARN_WHITESPACE:
      return g_strdup (_("Remove the spaces, which often come with a paste."));
    case STOMPY_ROLE_ARN_NOT_ARN:
    case STOMPY_ROLE_ARN_NOT_IAM:
      return g_strdup (_("Paste the RoleArn value from the stack’s Outputs: it looks like arn:aws:iam::123456789012:role/Name."));
    case STOMPY_ROLE_ARN_NOT_ROLE:
      return g_strdup (_("This is the ARN of another IAM resource, not a role. Paste the RoleArn value from the stack’s Outputs."));
    case STOMPY_ROLE_ARN_WRONG_ACCOUNT:
      if (expected_account != NULL && found_account != NULL)
        /* Translators: two 12-digit AWS account ids. */
        return g_strdup_printf (_("This role belongs to the AWS account %s, not to %s, the account you are connecting. Run the stack in %s."),
                                found_account, expected_account, expected_account);
      return g_strdup (_("This role belongs to another AWS account than the one you are connecting."));
    case STOMPY_ROLE_ARN_BAD_NAME:
      return g_strdup (_("The role name in this ARN has characters IAM does not allow. Copy it again."));
    default:
      return g_strdup (_("This value is not valid."));
    }
}

char *
stompy_connect_error_message (const GError *error,
                              const char   *stompy_organization)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != STOMPY_API_ERROR)
    return stompy_error_message_for (error);

  switch ((StompyApiErrorCode) error->code)
    {
    case STOMPY_API_ERROR_ACCOUNT_ALREADY_CONNECTED:
      {
        const char *organization = stompy_api_error_get_organization_name (error);

        if (organization == NULL || *organization == '\0')
          return g_strdup (_("This AWS account is already connected to another Stompy organization. Ask its administrators to disconnect it, then connect again."));
        /* Translators: %s is the name of another company's Stompy organization. */
        return g_strdup_printf (_("This AWS account is already connected to another Stompy organization, “%s”. Ask its administrators to disconnect it, then connect again."),
                                organization);
      }

    case STOMPY_API_ERROR_FORBIDDEN:
      if (stompy_organization == NULL || *stompy_organization == '\0')
        return g_strdup (_("Only an administrator of your Stompy organization can connect AWS accounts. Ask an administrator to connect this account, or to make you one."));
      /* Translators: %s is the name of the user's Stompy organization (a company). */
      return g_strdup_printf (_("Only an administrator of the Stompy organization “%s” can connect AWS accounts. Ask an administrator to connect this account, or to make you one."),
                              stompy_organization);

    case STOMPY_API_ERROR_VALIDATION_FAILED:
      return g_strdup (_("Stompy did not accept some of the values sent. Go back to the step each one concerns, correct it, and connect again."));

    case STOMPY_API_ERROR_TOKEN_EXPIRED:
    case STOMPY_API_ERROR_TOKEN_INVALID:
      return g_strdup (_("Your Stompy session expired. Sign in again: the wizard then comes back here, and nothing is lost."));

    default:
      return stompy_error_message_for (error);
    }
}

static const char * const connect_fields[] = {
  "account_id",
  "products",
  "analysaver",
  "analysaver.cur",
  "analysaver.cur.kind",
  "analysaver.cur.report_name",
  "analysaver.cur.export_name",
  "analysaver.cur.bucket",
  "analysaver.cur.prefix",
  "analysaver.cur.region",
  "analysaver.role_arn",
  "spotainer",
  "spotainer.role_arn",
  NULL,
};

const char * const *
stompy_connect_fields (void)
{
  return connect_fields;
}

static const char *
connect_field_label (const char *field)
{
  if (g_str_equal (field, "account_id"))
    return _("AWS account");
  if (g_str_equal (field, "products"))
    return _("Products");
  if (g_str_equal (field, "analysaver.role_arn"))
    return _("AnalySaver role");
  if (g_str_equal (field, "spotainer.role_arn"))
    return _("SpoTainer role");
  if (g_str_equal (field, "analysaver.cur.report_name"))
    return _("Report name");
  if (g_str_equal (field, "analysaver.cur.export_name"))
    return _("Export name");
  if (g_str_equal (field, "analysaver.cur.bucket"))
    return _("Report bucket");
  if (g_str_equal (field, "analysaver.cur.prefix"))
    return _("Report path prefix");
  if (g_str_equal (field, "analysaver.cur.region"))
    return _("Report region");
  if (g_str_has_prefix (field, "analysaver.cur"))
    return _("Cost and Usage Report");
  if (g_str_has_prefix (field, "analysaver"))
    return "StompyAnalySaver";
  if (g_str_has_prefix (field, "spotainer"))
    return "StompySpoTainer";
  return field;
}

char *
stompy_connect_field_message (const GError *error,
                              const char   *field)
{
  const char *message;

  g_return_val_if_fail (error != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (!g_error_matches (error, STOMPY_API_ERROR, STOMPY_API_ERROR_VALIDATION_FAILED))
    return NULL;

  /* The service localizes the message from Accept-Language. */
  message = stompy_api_error_get_field_message (error, field);
  if (message == NULL || *message == '\0')
    return NULL;

  return stompy_field_message (connect_field_label (field), message);
}

const char *
stompy_connection_check_title (const char *check_id)
{
  static const struct
  {
    const char *id;
    const char *title;
  } titles[] = {
    { "assume_analysaver_role", N_("Stompy can assume the AnalySaver role") },
    { "read_cur_bucket", N_("Stompy can read the report’s bucket") },
    { "assume_spotainer_role", N_("Stompy can assume the SpoTainer role") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (titles[i].id, check_id) == 0)
      return _(titles[i].title);

  return check_id;
}
