/* test-bad-input.c — what users may type wrong, row by row
 *
 * One table of invalid inputs (bucket names, report names, path prefixes,
 * pasted role ARNs, email addresses, access key ids, secret access keys,
 * account ids), each run through the real validator the form uses and then
 * through the translated sentence the app and the CLI show for it
 * (stompy-error-messages). Each row names the reason it must be rejected for
 * and the exact English sentence; a sample is checked in Chinese too.
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "stompy-cloudformation.h"
#include "stompy-cur.h"
#include "stompy-error.h"
#include "stompy-error-messages.h"
#include "stompy-s3.h"
#include "stompy-validate.h"

typedef enum
{
  FIELD_EMAIL,
  FIELD_ACCESS_KEY_ID,
  FIELD_SECRET_KEY,
  FIELD_ACCOUNT_ID,
  FIELD_BUCKET,
  FIELD_REPORT_NAME,
  FIELD_PREFIX,        /* an Athena report's prefix: must not be empty */
  FIELD_ROLE_ARN,      /* checked against EXPECTED_ACCOUNT */
} Field;

#define EXPECTED_ACCOUNT "210987654321"

typedef struct
{
  Field       field;
  const char *input;
  int         reason;    /* the field's reason enum value */
  const char *sentence;  /* the English sentence the UI shows */
} Row;

/* The sentences, once each, so that a changed wording is changed here once. */
#define S_REQUIRED     "This field is required."
#define S_EMAIL        "Enter an email address such as name@example.com."
#define S_WHITESPACE   "Remove the spaces, which often come with a paste."
#define S_KEY_LENGTH   "An access key ID has 16 to 128 characters; most have 20."
#define S_KEY_CHARS    "An access key ID has only capital letters and digits."
#define S_KEY_PREFIX   "An access key ID starts with AKIA (long-term key) or ASIA (temporary key)."
#define S_SECRET       "A secret access key has 40 characters. Copy it again from the AWS console or the downloaded .csv file."
#define S_ACCOUNT      "An AWS account ID has exactly 12 digits."
#define S_B_SHORT      "A bucket name has at least 3 characters."
#define S_B_LONG       "A bucket name has at most 63 characters."
#define S_B_UPPER      "A bucket name has no capital letters."
#define S_B_CHAR       "A bucket name has only lowercase letters, digits, dots and hyphens."
#define S_B_START      "A bucket name begins with a letter or a digit."
#define S_B_END        "A bucket name ends with a letter or a digit."
#define S_B_DOTS       "A bucket name has no two dots in a row."
#define S_B_IP         "A bucket name cannot look like an IP address."
#define S_B_PREFIX     "A bucket name cannot begin with “xn--”, “sthree-” or “amzn-s3-demo-”."
#define S_B_SUFFIX     "A bucket name cannot end with “-s3alias”, “--ol-s3”, “.mrap”, “--x-s3”, “--table-s3” or “-an”."
#define S_R_LONG       "At most 256 characters."
#define S_R_CHAR       "Use only letters, digits and ! - _ . * ' ( )."
#define S_P_EMPTY      "A report integrated with Amazon Athena needs a path prefix."
#define S_P_CHAR       "Use only letters, digits, slashes and ! - _ . * ' ( )."
#define S_P_LEAD       "A path prefix cannot begin with a slash."
#define S_P_TRAIL      "A path prefix cannot end with a slash."
#define S_P_DOUBLE     "A path prefix has no two slashes in a row."
#define S_A_PASTE      "Paste the RoleArn value from the stack’s Outputs: it looks like arn:aws:iam::123456789012:role/Name."
#define S_A_NOT_ROLE   "This is the ARN of another IAM resource, not a role. Paste the RoleArn value from the stack’s Outputs."

/* Long strings are built at start-up (see long_inputs[]). */
#define LONG_BUCKET   "@long-bucket"
#define LONG_REPORT   "@long-report"
#define LONG_PREFIX   "@long-prefix"
#define LONG_EMAIL_LOCAL "@long-email-local"
#define LONG_EMAIL_DOMAIN "@long-email-domain"
#define LONG_KEY      "@long-key"

static const Row rows[] = {
  /* ---- email addresses (sign-in page, CLI login --email) ---- */
  { FIELD_EMAIL, "", STOMPY_INVALID_EMPTY, S_REQUIRED },
  { FIELD_EMAIL, "ops", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "@example.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@@example.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@example@com.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@example", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@example.", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@.example.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@example..com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@-example.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@example-.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@10.0.0.1", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@exa_mple.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, ".ops@example.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops.@example.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "o..ps@example.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "o(ps)@example.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "<ops@example.com>", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "\"ops\"@example.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops\x01@example.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, "ops@exam\xffple.com", STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, LONG_EMAIL_LOCAL, STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, LONG_EMAIL_DOMAIN, STOMPY_INVALID_EMAIL, S_EMAIL },
  { FIELD_EMAIL, " ops@example.com", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },
  { FIELD_EMAIL, "ops@example.com\n", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },
  { FIELD_EMAIL, "ops @example.com", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },
  { FIELD_EMAIL, "ops@example.com\xc2\xa0", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },
  { FIELD_EMAIL, "\xe2\x80\x8bops@example.com", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },
  { FIELD_EMAIL, "\xef\xbb\xbfops@example.com", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },

  /* ---- access key ids ---- */
  { FIELD_ACCESS_KEY_ID, "", STOMPY_INVALID_EMPTY, S_REQUIRED },
  { FIELD_ACCESS_KEY_ID, "akiaemulatormgmt0001", STOMPY_INVALID_ACCESS_KEY_ID_CHARS, S_KEY_CHARS },
  { FIELD_ACCESS_KEY_ID, "AKIA-EMULATOR-MGMT01", STOMPY_INVALID_ACCESS_KEY_ID_CHARS, S_KEY_CHARS },
  { FIELD_ACCESS_KEY_ID, "AKIAEMULATORMGMT000=", STOMPY_INVALID_ACCESS_KEY_ID_CHARS, S_KEY_CHARS },
  { FIELD_ACCESS_KEY_ID, "AKIAÉMULATORMGMT0001", STOMPY_INVALID_ACCESS_KEY_ID_CHARS, S_KEY_CHARS },
  { FIELD_ACCESS_KEY_ID, "AKIA\xff\xfe", STOMPY_INVALID_ACCESS_KEY_ID_CHARS, S_KEY_CHARS },
  { FIELD_ACCESS_KEY_ID, "AIDAEMULATORMGMT0001", STOMPY_INVALID_ACCESS_KEY_ID_PREFIX, S_KEY_PREFIX },
  { FIELD_ACCESS_KEY_ID, "AROAEMULATORMGMT0001", STOMPY_INVALID_ACCESS_KEY_ID_PREFIX, S_KEY_PREFIX },
  { FIELD_ACCESS_KEY_ID, "ABIAEMULATORMGMT0001", STOMPY_INVALID_ACCESS_KEY_ID_PREFIX, S_KEY_PREFIX },
  { FIELD_ACCESS_KEY_ID, "210987654321", STOMPY_INVALID_ACCESS_KEY_ID_PREFIX, S_KEY_PREFIX },
  { FIELD_ACCESS_KEY_ID, "AKIA", STOMPY_INVALID_ACCESS_KEY_ID_LENGTH, S_KEY_LENGTH },
  { FIELD_ACCESS_KEY_ID, "AK", STOMPY_INVALID_ACCESS_KEY_ID_LENGTH, S_KEY_LENGTH },
  { FIELD_ACCESS_KEY_ID, "AKIAEMULATORMGMT001", STOMPY_INVALID_ACCESS_KEY_ID_LENGTH, S_KEY_LENGTH },
  { FIELD_ACCESS_KEY_ID, "AKIAEMULATORMGMT00011", STOMPY_INVALID_ACCESS_KEY_ID_LENGTH, S_KEY_LENGTH },
  { FIELD_ACCESS_KEY_ID, LONG_KEY, STOMPY_INVALID_ACCESS_KEY_ID_LENGTH, S_KEY_LENGTH },
  { FIELD_ACCESS_KEY_ID, "AKIAEMULATORMGMT0001 ", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },
  { FIELD_ACCESS_KEY_ID, "\tAKIAEMULATORMGMT0001", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },
  { FIELD_ACCESS_KEY_ID, "AKIAEMULATOR MGMT0001", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },
  { FIELD_ACCESS_KEY_ID, "AKIAEMULATORMGMT0001\xe2\x81\xa0", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },

  /* ---- secret access keys (the text itself never appears in a message) ---- */
  { FIELD_SECRET_KEY, "", STOMPY_INVALID_EMPTY, S_REQUIRED },
  { FIELD_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE", STOMPY_INVALID_SECRET_KEY, S_SECRET },
  { FIELD_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY1", STOMPY_INVALID_SECRET_KEY, S_SECRET },
  { FIELD_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEK=", STOMPY_INVALID_SECRET_KEY, S_SECRET },
  { FIELD_SECRET_KEY, "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY", STOMPY_INVALID_SECRET_KEY, S_SECRET },
  { FIELD_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKé", STOMPY_INVALID_SECRET_KEY, S_SECRET },
  { FIELD_SECRET_KEY, "\xff\xff\xff", STOMPY_INVALID_SECRET_KEY, S_SECRET },
  { FIELD_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG bPxRfiCYEXAMPLEKEY", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },
  { FIELD_SECRET_KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },

  /* ---- account ids ---- */
  { FIELD_ACCOUNT_ID, "", STOMPY_INVALID_EMPTY, S_REQUIRED },
  { FIELD_ACCOUNT_ID, "21098765432", STOMPY_INVALID_ACCOUNT_ID, S_ACCOUNT },
  { FIELD_ACCOUNT_ID, "2109876543210", STOMPY_INVALID_ACCOUNT_ID, S_ACCOUNT },
  { FIELD_ACCOUNT_ID, "2109-8765-4321", STOMPY_INVALID_ACCOUNT_ID, S_ACCOUNT },
  { FIELD_ACCOUNT_ID, "21098765432a", STOMPY_INVALID_ACCOUNT_ID, S_ACCOUNT },
  { FIELD_ACCOUNT_ID, "２１０９８７６５４３２１", STOMPY_INVALID_ACCOUNT_ID, S_ACCOUNT },
  { FIELD_ACCOUNT_ID, "210987654321 ", STOMPY_INVALID_WHITESPACE, S_WHITESPACE },

  /* ---- S3 bucket names (every rule of aws-cur-s3.md §5.7) ---- */
  { FIELD_BUCKET, "", STOMPY_BUCKET_NAME_TOO_SHORT, S_B_SHORT },
  { FIELD_BUCKET, "a", STOMPY_BUCKET_NAME_TOO_SHORT, S_B_SHORT },
  { FIELD_BUCKET, "ab", STOMPY_BUCKET_NAME_TOO_SHORT, S_B_SHORT },
  { FIELD_BUCKET, LONG_BUCKET, STOMPY_BUCKET_NAME_TOO_LONG, S_B_LONG },
  { FIELD_BUCKET, "Stompy-cur", STOMPY_BUCKET_NAME_UPPERCASE, S_B_UPPER },
  { FIELD_BUCKET, "stompy-CUR", STOMPY_BUCKET_NAME_UPPERCASE, S_B_UPPER },
  { FIELD_BUCKET, "stompy_cur", STOMPY_BUCKET_NAME_INVALID_CHARACTER, S_B_CHAR },
  { FIELD_BUCKET, "stompy cur", STOMPY_BUCKET_NAME_INVALID_CHARACTER, S_B_CHAR },
  { FIELD_BUCKET, "stompy/cur", STOMPY_BUCKET_NAME_INVALID_CHARACTER, S_B_CHAR },
  { FIELD_BUCKET, "stompy:cur", STOMPY_BUCKET_NAME_INVALID_CHARACTER, S_B_CHAR },
  { FIELD_BUCKET, "stompy+cur", STOMPY_BUCKET_NAME_INVALID_CHARACTER, S_B_CHAR },
  { FIELD_BUCKET, "stompy,cur", STOMPY_BUCKET_NAME_INVALID_CHARACTER, S_B_CHAR },
  { FIELD_BUCKET, "stompy~cur", STOMPY_BUCKET_NAME_INVALID_CHARACTER, S_B_CHAR },
  { FIELD_BUCKET, "stompy\tcur", STOMPY_BUCKET_NAME_INVALID_CHARACTER, S_B_CHAR },
  { FIELD_BUCKET, "stömpy-cur", STOMPY_BUCKET_NAME_INVALID_CHARACTER, S_B_CHAR },
  { FIELD_BUCKET, "账单-cur", STOMPY_BUCKET_NAME_INVALID_CHARACTER, S_B_CHAR },
  { FIELD_BUCKET, "stompy\xff-cur", STOMPY_BUCKET_NAME_INVALID_CHARACTER, S_B_CHAR },
  { FIELD_BUCKET, "-stompy-cur", STOMPY_BUCKET_NAME_BAD_START, S_B_START },
  { FIELD_BUCKET, ".stompy-cur", STOMPY_BUCKET_NAME_BAD_START, S_B_START },
  { FIELD_BUCKET, "stompy-cur-", STOMPY_BUCKET_NAME_BAD_END, S_B_END },
  { FIELD_BUCKET, "stompy-cur.", STOMPY_BUCKET_NAME_BAD_END, S_B_END },
  { FIELD_BUCKET, "stompy..cur", STOMPY_BUCKET_NAME_ADJACENT_PERIODS, S_B_DOTS },
  { FIELD_BUCKET, "192.168.5.4", STOMPY_BUCKET_NAME_IP_ADDRESS, S_B_IP },
  { FIELD_BUCKET, "10.0.0.1", STOMPY_BUCKET_NAME_IP_ADDRESS, S_B_IP },
  { FIELD_BUCKET, "xn--stompy-cur", STOMPY_BUCKET_NAME_RESERVED_PREFIX, S_B_PREFIX },
  { FIELD_BUCKET, "sthree-stompy", STOMPY_BUCKET_NAME_RESERVED_PREFIX, S_B_PREFIX },
  { FIELD_BUCKET, "amzn-s3-demo-bucket", STOMPY_BUCKET_NAME_RESERVED_PREFIX, S_B_PREFIX },
  { FIELD_BUCKET, "stompy-s3alias", STOMPY_BUCKET_NAME_RESERVED_SUFFIX, S_B_SUFFIX },
  { FIELD_BUCKET, "stompy--ol-s3", STOMPY_BUCKET_NAME_RESERVED_SUFFIX, S_B_SUFFIX },
  { FIELD_BUCKET, "stompy.mrap", STOMPY_BUCKET_NAME_RESERVED_SUFFIX, S_B_SUFFIX },
  { FIELD_BUCKET, "stompy--x-s3", STOMPY_BUCKET_NAME_RESERVED_SUFFIX, S_B_SUFFIX },
  { FIELD_BUCKET, "stompy--table-s3", STOMPY_BUCKET_NAME_RESERVED_SUFFIX, S_B_SUFFIX },
  { FIELD_BUCKET, "stompy-cur-an", STOMPY_BUCKET_NAME_RESERVED_SUFFIX, S_B_SUFFIX },

  /* ---- report names ---- */
  { FIELD_REPORT_NAME, "", STOMPY_CUR_NAME_EMPTY, S_REQUIRED },
  { FIELD_REPORT_NAME, LONG_REPORT, STOMPY_CUR_NAME_TOO_LONG, S_R_LONG },
  { FIELD_REPORT_NAME, "stompy cur", STOMPY_CUR_NAME_INVALID_CHARACTER, S_R_CHAR },
  { FIELD_REPORT_NAME, "stompy/cur", STOMPY_CUR_NAME_INVALID_CHARACTER, S_R_CHAR },
  { FIELD_REPORT_NAME, "stompy:cur", STOMPY_CUR_NAME_INVALID_CHARACTER, S_R_CHAR },
  { FIELD_REPORT_NAME, "stompy@cur", STOMPY_CUR_NAME_INVALID_CHARACTER, S_R_CHAR },
  { FIELD_REPORT_NAME, "stompy#cur", STOMPY_CUR_NAME_INVALID_CHARACTER, S_R_CHAR },
  { FIELD_REPORT_NAME, "stompy%20cur", STOMPY_CUR_NAME_INVALID_CHARACTER, S_R_CHAR },
  { FIELD_REPORT_NAME, "stompy,cur", STOMPY_CUR_NAME_INVALID_CHARACTER, S_R_CHAR },
  { FIELD_REPORT_NAME, "成本报告", STOMPY_CUR_NAME_INVALID_CHARACTER, S_R_CHAR },
  { FIELD_REPORT_NAME, "stompy\xc3", STOMPY_CUR_NAME_INVALID_CHARACTER, S_R_CHAR },
  { FIELD_REPORT_NAME, "stompy\ncur", STOMPY_CUR_NAME_INVALID_CHARACTER, S_R_CHAR },

  /* ---- path prefixes of an Athena report ---- */
  { FIELD_PREFIX, "", STOMPY_CUR_NAME_EMPTY, S_P_EMPTY },
  { FIELD_PREFIX, LONG_PREFIX, STOMPY_CUR_NAME_TOO_LONG, S_R_LONG },
  { FIELD_PREFIX, "cur data", STOMPY_CUR_NAME_INVALID_CHARACTER, S_P_CHAR },
  { FIELD_PREFIX, "cur\\data", STOMPY_CUR_NAME_INVALID_CHARACTER, S_P_CHAR },
  { FIELD_PREFIX, "cur?data", STOMPY_CUR_NAME_INVALID_CHARACTER, S_P_CHAR },
  { FIELD_PREFIX, "cur&data", STOMPY_CUR_NAME_INVALID_CHARACTER, S_P_CHAR },
  { FIELD_PREFIX, "账单/cur", STOMPY_CUR_NAME_INVALID_CHARACTER, S_P_CHAR },
  { FIELD_PREFIX, "/cur", STOMPY_CUR_NAME_LEADING_SLASH, S_P_LEAD },
  { FIELD_PREFIX, "/", STOMPY_CUR_NAME_LEADING_SLASH, S_P_LEAD },
  { FIELD_PREFIX, "cur/", STOMPY_CUR_NAME_TRAILING_SLASH, S_P_TRAIL },
  { FIELD_PREFIX, "billing/cur/", STOMPY_CUR_NAME_TRAILING_SLASH, S_P_TRAIL },
  { FIELD_PREFIX, "cur//data", STOMPY_CUR_NAME_ADJACENT_SLASHES, S_P_DOUBLE },

  /* ---- RoleArn pasted from a stack's Outputs (guided mode) ---- */
  { FIELD_ROLE_ARN, "", STOMPY_ROLE_ARN_EMPTY, S_REQUIRED },
  { FIELD_ROLE_ARN, " arn:aws:iam::210987654321:role/StompyAnalySaver", STOMPY_ROLE_ARN_WHITESPACE, S_WHITESPACE },
  { FIELD_ROLE_ARN, "arn:aws:iam::210987654321:role/StompyAnalySaver\n", STOMPY_ROLE_ARN_WHITESPACE, S_WHITESPACE },
  { FIELD_ROLE_ARN, "StompyAnalySaver", STOMPY_ROLE_ARN_NOT_ARN, S_A_PASTE },
  { FIELD_ROLE_ARN, "210987654321", STOMPY_ROLE_ARN_NOT_ARN, S_A_PASTE },
  { FIELD_ROLE_ARN, "arn:aws:iam::210987654321", STOMPY_ROLE_ARN_NOT_ARN, S_A_PASTE },
  { FIELD_ROLE_ARN, "arn:aws:iam::210987654321:", STOMPY_ROLE_ARN_NOT_ARN, S_A_PASTE },
  { FIELD_ROLE_ARN, "ARN:aws:iam::210987654321:role/StompyAnalySaver", STOMPY_ROLE_ARN_NOT_ARN, S_A_PASTE },
  { FIELD_ROLE_ARN, "arn:amazon:iam::210987654321:role/StompyAnalySaver", STOMPY_ROLE_ARN_NOT_ARN, S_A_PASTE },
  { FIELD_ROLE_ARN, "arn:aws:iam:us-east-1:210987654321:role/StompyAnalySaver", STOMPY_ROLE_ARN_NOT_ARN, S_A_PASTE },
  { FIELD_ROLE_ARN, "arn:aws:sts::210987654321:assumed-role/StompyAnalySaver/s", STOMPY_ROLE_ARN_NOT_IAM, S_A_PASTE },
  { FIELD_ROLE_ARN, "arn:aws:s3:::stompy-cur-210987654321", STOMPY_ROLE_ARN_NOT_IAM, S_A_PASTE },
  { FIELD_ROLE_ARN, "arn:aws:cloudformation:us-east-1:210987654321:stack/StompyAnalySaver/1", STOMPY_ROLE_ARN_NOT_IAM, S_A_PASTE },
  { FIELD_ROLE_ARN, "arn:aws:iam::210987654321:user/ops-admin", STOMPY_ROLE_ARN_NOT_ROLE, S_A_NOT_ROLE },
  { FIELD_ROLE_ARN, "arn:aws:iam::210987654321:policy/StompyAnalySaver", STOMPY_ROLE_ARN_NOT_ROLE, S_A_NOT_ROLE },
  { FIELD_ROLE_ARN, "arn:aws:iam::210987654321:root", STOMPY_ROLE_ARN_NOT_ROLE, S_A_NOT_ROLE },
  { FIELD_ROLE_ARN, "arn:aws:iam::210987654321:instance-profile/Stompy", STOMPY_ROLE_ARN_NOT_ROLE, S_A_NOT_ROLE },
  { FIELD_ROLE_ARN, "arn:aws:iam::345678901234:role/StompyAnalySaver", STOMPY_ROLE_ARN_WRONG_ACCOUNT,
    "This role belongs to the AWS account 345678901234, not to 210987654321, the account you are connecting. Run the stack in 210987654321." },
  { FIELD_ROLE_ARN, "arn:aws:iam::2109876543:role/StompyAnalySaver", STOMPY_ROLE_ARN_WRONG_ACCOUNT,
    "This role belongs to the AWS account 2109876543, not to 210987654321, the account you are connecting. Run the stack in 210987654321." },
  { FIELD_ROLE_ARN, "arn:aws:iam::aws:role/StompyAnalySaver", STOMPY_ROLE_ARN_WRONG_ACCOUNT,
    "This role belongs to the AWS account aws, not to 210987654321, the account you are connecting. Run the stack in 210987654321." },
  { FIELD_ROLE_ARN, "arn:aws:iam::210987654321:role/", STOMPY_ROLE_ARN_BAD_NAME, NULL },
  { FIELD_ROLE_ARN, "arn:aws:iam::210987654321:role/Stompy#AnalySaver", STOMPY_ROLE_ARN_BAD_NAME, NULL },
  { FIELD_ROLE_ARN, "arn:aws:iam::210987654321:role/Stompy*", STOMPY_ROLE_ARN_BAD_NAME, NULL },
};

/* ------------------------------------------------------------------ helpers */

static const char *field_names[] = {
  "email", "access-key-id", "secret-key", "account-id", "bucket", "report-name", "prefix", "role-arn",
};

static char *
expand_input (const char *input)
{
  if (g_str_equal (input, LONG_BUCKET))
    return g_strnfill (64, 'b');
  if (g_str_equal (input, LONG_REPORT))
    return g_strnfill (257, 'r');
  if (g_str_equal (input, LONG_PREFIX))
    return g_strnfill (257, 'p');
  if (g_str_equal (input, LONG_KEY))
    {
      g_autofree char *tail = g_strnfill (125, 'A');
      return g_strconcat ("AKIA", tail, NULL);
    }
  if (g_str_equal (input, LONG_EMAIL_LOCAL))
    {
      g_autofree char *local = g_strnfill (65, 'o');
      return g_strconcat (local, "@example.com", NULL);
    }
  if (g_str_equal (input, LONG_EMAIL_DOMAIN))
    {
      g_autofree char *label = g_strnfill (64, 'd');
      return g_strconcat ("ops@", label, ".com", NULL);
    }
  return g_strdup (input);
}

/* Runs @row's validator; returns the reason and the sentence the UI shows
 * (translated in the current language), and checks the GError when the
 * validator sets one. */
static int
check_row (const Row  *row,
           char      **sentence)
{
  g_autofree char *input = expand_input (row->input);
  g_autoptr(GError) error = NULL;
  gboolean valid = TRUE;
  int reason = -1;

  switch (row->field)
    {
    case FIELD_EMAIL:
    case FIELD_ACCESS_KEY_ID:
    case FIELD_SECRET_KEY:
    case FIELD_ACCOUNT_ID:
      {
        StompyInvalidReason r = STOMPY_INVALID_NONE;

        if (row->field == FIELD_EMAIL)
          valid = stompy_validate_email (input, &r, &error);
        else if (row->field == FIELD_ACCESS_KEY_ID)
          valid = stompy_validate_access_key_id (input, &r, &error);
        else if (row->field == FIELD_SECRET_KEY)
          valid = stompy_validate_secret_key (input, &r, &error);
        else
          valid = stompy_validate_account_id (input, &r, &error);
        reason = r;
        *sentence = g_strdup (stompy_invalid_reason_sentence (r));
      }
      break;

    case FIELD_BUCKET:
      {
        StompyBucketNameReason r = STOMPY_BUCKET_NAME_VALID;

        valid = stompy_s3_validate_bucket_name (input, &r, &error);
        reason = r;
        *sentence = g_strdup (stompy_bucket_name_reason_sentence (r));
      }
      break;

    case FIELD_REPORT_NAME:
    case FIELD_PREFIX:
      {
        StompyCurNameReason r = STOMPY_CUR_NAME_VALID;

        if (row->field == FIELD_REPORT_NAME)
          valid = stompy_cur_validate_report_name (input, &r, &error);
        else
          valid = stompy_cur_validate_prefix (input, TRUE, &r, &error);
        reason = r;
        *sentence = g_strdup (stompy_cur_name_reason_sentence (r, row->field == FIELD_PREFIX));
      }
      break;

    case FIELD_ROLE_ARN:
      {
        g_autofree char *found = NULL;
        StompyRoleArnProblem r = stompy_role_arn_check (input, EXPECTED_ACCOUNT, &found);

        valid = r == STOMPY_ROLE_ARN_OK;
        reason = r;
        *sentence = stompy_role_arn_problem_sentence (r, EXPECTED_ACCOUNT, found);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  g_assert_false (valid);
  if (row->field != FIELD_ROLE_ARN)
    g_assert_error (error, STOMPY_ERROR, STOMPY_ERROR_INVALID_INPUT);
  /* What the user typed as a secret never comes back in a developer message. */
  if (row->field == FIELD_SECRET_KEY && error != NULL && strlen (input) > 3)
    g_assert_null (strstr (error->message, input));

  return reason;
}

static void
test_row (gconstpointer data)
{
  const Row *row = data;
  g_autofree char *sentence = NULL;
  int reason = check_row (row, &sentence);

  if (reason != row->reason)
    g_test_message ("%s “%s”: reason %d, expected %d", field_names[row->field], row->input,
                    reason, row->reason);
  g_assert_cmpint (reason, ==, row->reason);
  g_assert_nonnull (sentence);
  if (row->sentence != NULL)
    g_assert_cmpstr (sentence, ==, row->sentence);
  else
    g_assert_true (g_utf8_validate (sentence, -1, NULL) && strlen (sentence) > 10);
}

/* Every row, and the form hint "Field: sentence" built from it. */
static void
test_field_message (void)
{
  g_autofree char *message = NULL;

  message = stompy_field_message ("Access key ID", stompy_invalid_reason_sentence (STOMPY_INVALID_ACCESS_KEY_ID_PREFIX));
  g_assert_cmpstr (message, ==, "Access key ID: " S_KEY_PREFIX);
}

/* glibc caches translations without the language in the key: a change of
 * LANGUAGE at run time must bump this counter (gettext manual, "Being a
 * `gettext` grok"). */
extern int _nl_msg_cat_cntr;

static void
set_language (const char *language)
{
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  ++_nl_msg_cat_cntr;
}

static gboolean
has_cjk (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c >= 0x4E00 && c <= 0x9FFF)
        return TRUE;
    }
  return FALSE;
}

/* A sample of rows in Simplified Chinese: the same reason, a Chinese sentence
 * (the catalogue's own, not the English one passed through). */
static void
test_chinese_sample (void)
{
  const char *localedir = g_getenv ("STOMPY_LOCALEDIR");
  g_autofree char *mo = NULL;
  guint checked = 0;

  if (localedir == NULL || *localedir == '\0')
    {
      g_test_skip ("STOMPY_LOCALEDIR is not set");
      return;
    }
  mo = g_build_filename (localedir, "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("The Chinese translation is not built");
      return;
    }

  set_language ("zh_CN");
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i += 7)
    {
      g_autofree char *sentence = NULL;
      int reason = check_row (&rows[i], &sentence);

      g_assert_cmpint (reason, ==, rows[i].reason);
      g_assert_nonnull (sentence);
      if (!has_cjk (sentence))
        g_test_message ("not Chinese: %s", sentence);
      g_assert_true (has_cjk (sentence));
      if (rows[i].sentence != NULL)
        g_assert_cmpstr (sentence, !=, rows[i].sentence);
      checked++;
    }
  set_language (NULL);

  /* One checked by their exact words. */
  set_language ("zh_CN");
  g_assert_cmpstr (stompy_bucket_name_reason_sentence (STOMPY_BUCKET_NAME_UPPERCASE), ==,
                   "存储桶名称不能包含大写字母。");
  set_language (NULL);
  g_assert_cmpstr (stompy_bucket_name_reason_sentence (STOMPY_BUCKET_NAME_UPPERCASE), ==, S_B_UPPER);

  g_assert_cmpuint (checked, >=, 15);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("STOMPY_LOCALEDIR");
  guint counts[G_N_ELEMENTS (field_names)] = { 0, };

  /* gettext ignores LANGUAGE in the "C" locale: use the environment's
   * (C.UTF-8 under meson), then pick the language with LANGUAGE per test. */
  setlocale (LC_ALL, "");
  g_unsetenv ("LANGUAGE");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  g_assert_cmpuint (G_N_ELEMENTS (rows), >=, 100);

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/%s/%03u", field_names[rows[i].field],
                                               counts[rows[i].field]++);
      g_test_add_data_func (path, &rows[i], test_row);
    }
  g_test_add_func ("/bad-input/field-message", test_field_message);
  g_test_add_func ("/bad-input/zh_CN-sample", test_chinese_sample);

  return g_test_run ();
}
