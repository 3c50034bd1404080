/* test-hostile-responses.c — what a broken server, proxy or attacker may send
 *
 * An in-test SoupServer on a loopback port (real HTTP) answers the real
 * clients' calls — STS and Organizations (identity), S3, CUR, Data Exports,
 * CloudFormation, the template download and the Stompy API — with one crafted
 * response per case: wrong content types, a 50 MB body, 10 000-deep JSON and
 * XML, invalid UTF-8, missing fields, wrong JSON types, an empty 200, a
 * proxy's HTML error page… Every other request of the call gets a valid
 * answer, so the hostile one is the one that matters. Each case must end
 * with an error in the project's domains (with a sentence for the user) or a
 * sane result: no crash, no hang, nothing huge kept in memory.
 */
#include "config.h"

#include <string.h>

#include "stompy-api-client.h"
#include "stompy-aws-client.h"
#include "stompy-aws-identity.h"
#include "stompy-cloudformation.h"
#include "stompy-cur.h"
#include "stompy-data-exports.h"
#include "stompy-error.h"
#include "stompy-error-messages.h"
#include "stompy-http.h"
#include "stompy-s3.h"
#include "stompy-template.h"
#include "stompy-test-util.h"

typedef enum
{
  OP_STS,          /* GetCallerIdentity */
  OP_ORGANIZATIONS,/* DescribeOrganization (after a good STS answer) */
  OP_S3_HEAD,      /* HeadBucket */
  OP_S3_POLICY,    /* GetBucketPolicy */
  OP_S3_LIST,      /* ListObjectsV2 */
  OP_CUR,          /* DescribeReportDefinitions */
  OP_EXPORTS,      /* ListExports */
  OP_CFN,          /* DescribeStacks */
  OP_TEMPLATE,     /* GET of a CloudFormation template */
  OP_SIGN_IN,      /* Stompy POST /sessions */
  OP_ONBOARDING,   /* Stompy GET /aws/onboarding */
  OP_ACCOUNTS,     /* Stompy GET /aws/accounts */
} Op;

typedef enum
{
  BODY_TEXT,        /* body as given */
  BODY_HUGE,        /* 50 MB, with Content-Length */
  BODY_HUGE_CHUNKED,/* 50 MB, chunked: no length announced */
  BODY_DEEP_JSON,   /* 10 000 nested arrays */
  BODY_DEEP_JSON_OBJECT, /* 10 000 nested objects */
  BODY_DEEP_XML,    /* 10 000 nested elements inside the expected root */
} BodyKind;

typedef enum
{
  EXPECT_ERROR,     /* an error in one of the project's domains */
  EXPECT_ANY,       /* that, or a result */
} Expect;

typedef struct
{
  const char *name;
  Op          op;
  guint       status;
  const char *content_type;  /* NULL: none */
  BodyKind    body_kind;
  const char *body;
  Expect      expect;
  const char *header_name;   /* an extra response header, or NULL */
  const char *header_value;
} Case;

#define XML "text/xml"
#define AMZ_JSON "application/x-amz-json-1.1"
#define JSON "application/json"
#define HTML "text/html; charset=utf-8"
#define PROXY_PAGE "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>" \
                   "<body><h1>Bad Gateway</h1><hr><center>squid</center></body></html>"
#define STS_NS "https://sts.amazonaws.com/doc/2011-06-15/"
#define CFN_NS "http://cloudformation.amazonaws.com/doc/2010-05-15/"

static const Case cases[] = {
  /* ---- STS GetCallerIdentity ---- */
  { "sts/html-200", OP_STS, 200, HTML, BODY_TEXT, PROXY_PAGE, EXPECT_ERROR },
  { "sts/empty-200", OP_STS, 200, XML, BODY_TEXT, "", EXPECT_ERROR },
  { "sts/json-200", OP_STS, 200, JSON, BODY_TEXT, "{\"Account\":\"210987654321\"}", EXPECT_ERROR },
  { "sts/missing-account", OP_STS, 200, XML, BODY_TEXT,
    "<GetCallerIdentityResponse xmlns=\"" STS_NS "\"><GetCallerIdentityResult>"
    "<Arn>arn:aws:iam::210987654321:user/ops</Arn></GetCallerIdentityResult>"
    "</GetCallerIdentityResponse>", EXPECT_ERROR },
  { "sts/invalid-utf8", OP_STS, 200, XML, BODY_TEXT,
    "<GetCallerIdentityResponse xmlns=\"" STS_NS "\"><GetCallerIdentityResult>"
    "<Arn>arn:aws:iam::210987654321:user/\xff\xfe</Arn><UserId>AIDA</UserId>"
    "<Account>210987654321</Account></GetCallerIdentityResult></GetCallerIdentityResponse>",
    EXPECT_ERROR },
  { "sts/deep-xml", OP_STS, 200, XML, BODY_DEEP_XML, "GetCallerIdentityResponse", EXPECT_ERROR },
  { "sts/huge", OP_STS, 200, XML, BODY_HUGE, NULL, EXPECT_ERROR },
  { "sts/huge-chunked", OP_STS, 200, XML, BODY_HUGE_CHUNKED, NULL, EXPECT_ERROR },
  { "sts/proxy-502-html", OP_STS, 502, HTML, BODY_TEXT, PROXY_PAGE, EXPECT_ERROR },
  { "sts/403-not-xml", OP_STS, 403, "text/plain", BODY_TEXT, "Forbidden", EXPECT_ERROR },
  { "sts/truncated-xml", OP_STS, 200, XML, BODY_TEXT,
    "<GetCallerIdentityResponse xmlns=\"" STS_NS "\"><GetCallerIdentityResult><Arn>arn:aws",
    EXPECT_ERROR },
  { "sts/account-not-digits", OP_STS, 200, XML, BODY_TEXT,
    "<GetCallerIdentityResponse xmlns=\"" STS_NS "\"><GetCallerIdentityResult>"
    "<Arn>arn:aws:iam::210987654321:user/ops</Arn><UserId>AIDA</UserId>"
    "<Account>&lt;script&gt;</Account></GetCallerIdentityResult></GetCallerIdentityResponse>",
    EXPECT_ANY },

  /* ---- Organizations DescribeOrganization ---- */
  { "organizations/wrong-type", OP_ORGANIZATIONS, 200, AMZ_JSON, BODY_TEXT,
    "{\"Organization\":\"o-emulator01\"}", EXPECT_ANY },
  { "organizations/array", OP_ORGANIZATIONS, 200, AMZ_JSON, BODY_TEXT, "[1,2,3]", EXPECT_ANY },
  { "organizations/deep-json", OP_ORGANIZATIONS, 200, AMZ_JSON, BODY_DEEP_JSON, NULL, EXPECT_ANY },
  { "organizations/invalid-utf8", OP_ORGANIZATIONS, 200, AMZ_JSON, BODY_TEXT,
    "{\"Organization\":{\"Id\":\"o-\xc3\x28\",\"MasterAccountId\":\"210987654321\"}}", EXPECT_ANY },
  { "organizations/400-html", OP_ORGANIZATIONS, 400, HTML, BODY_TEXT, PROXY_PAGE, EXPECT_ANY },
  { "organizations/error-type-number", OP_ORGANIZATIONS, 400, AMZ_JSON, BODY_TEXT,
    "{\"__type\":42,\"message\":[\"x\"]}", EXPECT_ANY },

  /* ---- S3 ---- */
  { "s3/head-200-no-region", OP_S3_HEAD, 200, NULL, BODY_TEXT, "", EXPECT_ANY },
  { "s3/head-region-garbage", OP_S3_HEAD, 301, NULL, BODY_TEXT, "", EXPECT_ANY,
    "x-amz-bucket-region", "../../etc\x7f" },
  { "s3/policy-huge", OP_S3_POLICY, 200, JSON, BODY_HUGE, NULL, EXPECT_ERROR },
  { "s3/policy-invalid-utf8", OP_S3_POLICY, 200, JSON, BODY_TEXT,
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"\xff\"}]}", EXPECT_ANY },
  { "s3/policy-403-html", OP_S3_POLICY, 403, HTML, BODY_TEXT, PROXY_PAGE, EXPECT_ERROR },
  { "s3/list-deep-xml", OP_S3_LIST, 200, "application/xml", BODY_DEEP_XML, "ListBucketResult",
    EXPECT_ANY },
  { "s3/list-html", OP_S3_LIST, 200, HTML, BODY_TEXT, PROXY_PAGE, EXPECT_ERROR },
  { "s3/list-keycount-garbage", OP_S3_LIST, 200, "application/xml", BODY_TEXT,
    "<ListBucketResult><KeyCount>-1e999</KeyCount><IsTruncated>maybe</IsTruncated>"
    "<Contents><Size>x</Size></Contents></ListBucketResult>", EXPECT_ANY },

  /* ---- CUR DescribeReportDefinitions ---- */
  { "cur/wrong-type", OP_CUR, 200, AMZ_JSON, BODY_TEXT, "{\"ReportDefinitions\":\"none\"}",
    EXPECT_ERROR },
  { "cur/element-types", OP_CUR, 200, AMZ_JSON, BODY_TEXT,
    "{\"ReportDefinitions\":[null,1,\"x\",{\"ReportName\":5,\"TimeUnit\":[],"
    "\"AdditionalSchemaElements\":\"RESOURCES\",\"S3Bucket\":{}}]}", EXPECT_ANY },
  /* The same token again: a server that would page forever (stompy-aws-json-list.c). */
  { "cur/endless-paging", OP_CUR, 200, AMZ_JSON, BODY_TEXT,
    "{\"ReportDefinitions\":[],\"NextToken\":\"again\"}", EXPECT_ERROR },
  /* AWS SDKs read an empty JSON 1.1 body as {}: no reports, as they would. */
  { "cur/empty-200", OP_CUR, 200, AMZ_JSON, BODY_TEXT, "", EXPECT_ANY },
  { "cur/text-200", OP_CUR, 200, "text/plain", BODY_TEXT, "OK", EXPECT_ERROR },
  { "cur/deep-object", OP_CUR, 200, AMZ_JSON, BODY_DEEP_JSON_OBJECT, NULL, EXPECT_ANY },

  /* ---- Data Exports ListExports ---- */
  { "exports/elements", OP_EXPORTS, 200, AMZ_JSON, BODY_TEXT,
    "{\"Exports\":[null,1,{\"ExportArn\":{},\"ExportName\":true}]}", EXPECT_ANY },
  { "exports/huge", OP_EXPORTS, 200, AMZ_JSON, BODY_HUGE_CHUNKED, NULL, EXPECT_ERROR },
  { "exports/wrong-type", OP_EXPORTS, 200, AMZ_JSON, BODY_TEXT, "{\"Exports\":{}}", EXPECT_ERROR },
  { "exports/endless-paging", OP_EXPORTS, 200, AMZ_JSON, BODY_TEXT,
    "{\"Exports\":[],\"NextToken\":\"again\"}", EXPECT_ERROR },

  /* ---- CloudFormation DescribeStacks ---- */
  { "cloudformation/missing-status", OP_CFN, 200, XML, BODY_TEXT,
    "<DescribeStacksResponse xmlns=\"" CFN_NS "\"><DescribeStacksResult><Stacks><member>"
    "<StackName>StompyAnalySaver</StackName></member></Stacks></DescribeStacksResult>"
    "</DescribeStacksResponse>", EXPECT_ANY },
  { "cloudformation/no-stacks", OP_CFN, 200, XML, BODY_TEXT,
    "<DescribeStacksResponse xmlns=\"" CFN_NS "\"><DescribeStacksResult><Stacks/>"
    "</DescribeStacksResult></DescribeStacksResponse>", EXPECT_ANY },
  { "cloudformation/deep-xml", OP_CFN, 200, XML, BODY_DEEP_XML, "DescribeStacksResponse", EXPECT_ANY },
  { "cloudformation/unknown-status", OP_CFN, 200, XML, BODY_TEXT,
    "<DescribeStacksResponse xmlns=\"" CFN_NS "\"><DescribeStacksResult><Stacks><member>"
    "<StackName>StompyAnalySaver</StackName><StackId>x</StackId>"
    "<StackStatus>EXPLODED_\xe2\x98\x83</StackStatus></member></Stacks></DescribeStacksResult>"
    "</DescribeStacksResponse>", EXPECT_ANY },

  /* ---- the template download ---- */
  { "template/huge", OP_TEMPLATE, 200, JSON, BODY_HUGE, NULL, EXPECT_ERROR },
  { "template/deep-json", OP_TEMPLATE, 200, JSON, BODY_DEEP_JSON_OBJECT, NULL, EXPECT_ERROR },
  { "template/html", OP_TEMPLATE, 200, HTML, BODY_TEXT, PROXY_PAGE, EXPECT_ERROR },
  { "template/resources-array", OP_TEMPLATE, 200, JSON, BODY_TEXT,
    "{\"Resources\":[1,2],\"Outputs\":\"x\"}", EXPECT_ANY },

  /* ---- Stompy API ---- */
  { "api/sign-in-html", OP_SIGN_IN, 200, HTML, BODY_TEXT, PROXY_PAGE, EXPECT_ERROR },
  { "api/sign-in-no-token", OP_SIGN_IN, 201, JSON, BODY_TEXT,
    "{\"expires_at\":\"2026-12-26T03:00:00Z\",\"user\":{\"email\":\"ops@example.com\"}}", EXPECT_ERROR },
  { "api/sign-in-token-number", OP_SIGN_IN, 201, JSON, BODY_TEXT,
    "{\"token\":12345,\"user\":[],\"organization\":\"org\"}", EXPECT_ERROR },
  { "api/sign-in-empty-201", OP_SIGN_IN, 201, JSON, BODY_TEXT, "", EXPECT_ERROR },
  { "api/sign-in-huge", OP_SIGN_IN, 201, JSON, BODY_HUGE, NULL, EXPECT_ERROR },
  { "api/sign-in-huge-chunked", OP_SIGN_IN, 201, JSON, BODY_HUGE_CHUNKED, NULL, EXPECT_ERROR },
  { "api/sign-in-invalid-utf8", OP_SIGN_IN, 201, JSON, BODY_TEXT,
    "{\"token\":\"stp_\xff\xfe\",\"user\":{\"email\":\"ops@example.com\"}}", EXPECT_ERROR },
  { "api/401-not-json", OP_SIGN_IN, 401, "text/plain", BODY_TEXT, "Unauthorized", EXPECT_ERROR },
  { "api/error-wrong-types", OP_SIGN_IN, 401, JSON, BODY_TEXT,
    "{\"error\":{\"code\":7,\"message\":{},\"request_id\":[],\"details\":\"x\"}}", EXPECT_ERROR },
  { "api/429-retry-after-garbage", OP_SIGN_IN, 429, JSON, BODY_TEXT,
    "{\"error\":{\"code\":\"rate_limited\",\"message\":\"slow\"}}", EXPECT_ERROR,
    "Retry-After", "99999999999999999999999" },
  { "api/onboarding-deep", OP_ONBOARDING, 200, JSON, BODY_DEEP_JSON, NULL, EXPECT_ERROR },
  { "api/onboarding-missing", OP_ONBOARDING, 200, JSON, BODY_TEXT, "{}", EXPECT_ERROR },
  { "api/onboarding-types", OP_ONBOARDING, 200, JSON, BODY_TEXT,
    "{\"external_id\":[],\"principal_account_id\":1,\"templates\":\"x\"}", EXPECT_ERROR },
  { "api/accounts-wrong-type", OP_ACCOUNTS, 200, JSON, BODY_TEXT, "{\"accounts\":{\"a\":1}}", EXPECT_ANY },
  { "api/accounts-elements", OP_ACCOUNTS, 200, JSON, BODY_TEXT,
    "{\"accounts\":[null,3,{\"account_id\":[],\"status\":{},\"checks\":\"x\"}]}", EXPECT_ANY },
  { "api/accounts-deep-object", OP_ACCOUNTS, 200, JSON, BODY_DEEP_JSON_OBJECT, NULL, EXPECT_ANY },
  { "api/accounts-503-html", OP_ACCOUNTS, 503, HTML, BODY_TEXT, PROXY_PAGE, EXPECT_ERROR },
  { "api/accounts-json-null", OP_ACCOUNTS, 200, JSON, BODY_TEXT, "null", EXPECT_ANY },
};

/* ------------------------------------------------------------------ the server */

#define HUGE_BYTES (50 * 1024 * 1024)
#define DEPTH 10000

static SoupServer *server;
static char       *base_url;
static const Case *current;
static guint       hostile_served;
static GBytes     *huge_body;

static const char *
op_of_request (SoupServerMessage *msg,
               const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *target = soup_message_headers_get_one (headers, "X-Amz-Target");
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);

  if (g_str_has_prefix (path, "/v1/"))
    return path;
  if (g_str_has_prefix (path, "/templates/"))
    return "template";
  if (target != NULL)
    return target;
  if (body->length > 0 && body->data != NULL && strstr (body->data, "Action=GetCallerIdentity") != NULL)
    return "sts";
  if (body->length > 0 && body->data != NULL && strstr (body->data, "Action=DescribeStacks") != NULL)
    return "cfn";
  if (g_str_equal (method, "HEAD"))
    return "s3-head";
  if (query != NULL && strstr (query, "policy") != NULL)
    return "s3-policy";
  if (query != NULL && strstr (query, "list-type") != NULL)
    return "s3-list";
  return "unknown";
}

static gboolean
op_matches (Op          op,
            const char *name)
{
  switch (op)
    {
    case OP_STS: return g_str_equal (name, "sts");
    case OP_ORGANIZATIONS: return g_str_has_suffix (name, ".DescribeOrganization");
    case OP_S3_HEAD: return g_str_equal (name, "s3-head");
    case OP_S3_POLICY: return g_str_equal (name, "s3-policy");
    case OP_S3_LIST: return g_str_equal (name, "s3-list");
    case OP_CUR: return g_str_has_suffix (name, ".DescribeReportDefinitions");
    case OP_EXPORTS: return g_str_has_suffix (name, ".ListExports");
    case OP_CFN: return g_str_equal (name, "cfn");
    case OP_TEMPLATE: return g_str_equal (name, "template");
    case OP_SIGN_IN: return g_str_equal (name, "/v1/sessions");
    case OP_ONBOARDING: return g_str_equal (name, "/v1/aws/onboarding");
    case OP_ACCOUNTS: return g_str_equal (name, "/v1/aws/accounts");
    default: return FALSE;
    }
}

/* The valid answers for the requests a case does not target. */
static void
answer_normally (SoupServerMessage *msg,
                 const char        *name)
{
  if (g_str_equal (name, "sts"))
    {
      const char *xml =
        "<GetCallerIdentityResponse xmlns=\"" STS_NS "\"><GetCallerIdentityResult>"
        "<Arn>arn:aws:iam::210987654321:user/ops-admin</Arn><UserId>AIDAEXAMPLE</UserId>"
        "<Account>210987654321</Account></GetCallerIdentityResult>"
        "<ResponseMetadata><RequestId>req-sts</RequestId></ResponseMetadata>"
        "</GetCallerIdentityResponse>";
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, XML, SOUP_MEMORY_STATIC, xml, strlen (xml));
      return;
    }
  if (g_str_has_suffix (name, ".DescribeOrganization"))
    {
      const char *json = "{\"Organization\":{\"Id\":\"o-emulator01\",\"MasterAccountId\":\"210987654321\","
                         "\"Arn\":\"arn:aws:organizations::210987654321:organization/o-emulator01\"}}";
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, AMZ_JSON, SOUP_MEMORY_STATIC, json, strlen (json));
      return;
    }
  soup_server_message_set_status (msg, 404, NULL);
}

static GBytes *
make_deep (BodyKind    kind,
           const char *root)
{
  GString *text = g_string_new (NULL);

  if (kind == BODY_DEEP_XML)
    {
      g_string_append_printf (text, "<%s>", root);
      for (guint i = 0; i < DEPTH; i++)
        g_string_append (text, "<member>");
      for (guint i = 0; i < DEPTH; i++)
        g_string_append (text, "</member>");
      g_string_append_printf (text, "</%s>", root);
    }
  else if (kind == BODY_DEEP_JSON)
    {
      for (guint i = 0; i < DEPTH; i++)
        g_string_append_c (text, '[');
      for (guint i = 0; i < DEPTH; i++)
        g_string_append_c (text, ']');
    }
  else
    {
      for (guint i = 0; i < DEPTH; i++)
        g_string_append (text, "{\"a\":");
      g_string_append (text, "1");
      for (guint i = 0; i < DEPTH; i++)
        g_string_append_c (text, '}');
    }

  return g_string_free_to_bytes (text);
}

static void
server_cb (SoupServer        *srv,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const char *name = op_of_request (msg, path);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = NULL;

  if (current == NULL || !op_matches (current->op, name))
    {
      answer_normally (msg, name);
      return;
    }

  hostile_served++;
  soup_server_message_set_status (msg, current->status, NULL);
  if (current->header_name != NULL)
    soup_message_headers_replace (headers, current->header_name, current->header_value);

  switch (current->body_kind)
    {
    case BODY_HUGE:
    case BODY_HUGE_CHUNKED:
      body = g_bytes_ref (huge_body);
      break;
    case BODY_DEEP_JSON:
    case BODY_DEEP_JSON_OBJECT:
    case BODY_DEEP_XML:
      body = make_deep (current->body_kind, current->body);
      break;
    case BODY_TEXT:
    default:
      body = g_bytes_new_static (current->body, strlen (current->body));
      break;
    }

  if (current->content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", current->content_type);
  if (current->body_kind == BODY_HUGE_CHUNKED)
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  if (g_bytes_get_size (body) > 0)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
  if (current->body_kind == BODY_HUGE_CHUNKED)
    soup_message_body_complete (soup_server_message_get_response_body (msg));
}

/* ------------------------------------------------------------------ running a case */

static double
random_zero (gpointer user_data)
{
  return 0.0;
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(SoupSession) session = stompy_http_session_new ();
  g_autoptr(StompyAwsCredentials) credentials =
    stompy_aws_credentials_new ("AKIAEMULATORMGMT0001", "hostile-test-secret-0000000000000000000000",
                                NULL, "test");
  g_autofree char *endpoint_env = g_strdup_printf ("AWS_ENDPOINT_URL=%s", base_url);
  const char *envp[] = { endpoint_env, NULL };
  g_autoptr(StompyRetryPolicy) policy = stompy_retry_policy_new (STOMPY_RETRY_DEFAULT_MAX_ATTEMPTS);
  g_autoptr(StompyAwsClient) aws = NULL;
  g_autoptr(StompyApiClient) api = NULL;
  g_autofree char *api_url = g_strdup_printf ("%s/v1", base_url);
  g_autofree char *template_url = g_strdup_printf ("%s/templates/analysaver.json", base_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean got_result = FALSE;
  gint64 start = g_get_monotonic_time ();

  stompy_retry_policy_set_random_func (policy, random_zero, NULL);
  aws = stompy_aws_client_new (session, credentials, "us-east-1", NULL, NULL, envp);
  stompy_aws_client_set_retry_policy (aws, policy);
  api = stompy_api_client_new (session, api_url, &error);
  g_assert_no_error (error);
  stompy_api_client_set_retry_policy (api, policy);
  stompy_api_client_set_max_retry_after_ms (api, 10);
  stompy_api_client_set_token (api, "stp_hostile_token");

  current = c;
  hostile_served = 0;

  switch (c->op)
    {
    case OP_STS:
    case OP_ORGANIZATIONS:
      stompy_aws_identity_lookup_async (aws, NULL, stompy_test_store_result_cb, &result);
      {
        g_autoptr(StompyAwsIdentity) identity =
          stompy_aws_identity_lookup_finish (stompy_test_wait_result (&result), &error);
        got_result = identity != NULL;
      }
      break;
    case OP_S3_HEAD:
      stompy_s3_head_bucket_async (aws, "stompy-cur", "us-east-1", NULL, stompy_test_store_result_cb, &result);
      {
        StompyS3BucketInfo *info = stompy_s3_head_bucket_finish (stompy_test_wait_result (&result), &error);
        got_result = info != NULL;
        if (info != NULL && info->region != NULL)
          g_assert_true (g_utf8_validate (info->region, -1, NULL));
        g_clear_pointer (&info, stompy_s3_bucket_info_free);
      }
      break;
    case OP_S3_POLICY:
      stompy_s3_get_bucket_policy_async (aws, "stompy-cur", "us-east-1", NULL, stompy_test_store_result_cb, &result);
      {
        g_autofree char *policy_text = stompy_s3_get_bucket_policy_finish (stompy_test_wait_result (&result), &error);
        got_result = policy_text != NULL;
        if (policy_text != NULL)
          g_assert_true (g_utf8_validate (policy_text, -1, NULL));
      }
      break;
    case OP_S3_LIST:
      stompy_s3_list_objects_async (aws, "stompy-cur", "us-east-1", "cur/", NULL, 100, NULL,
                                    stompy_test_store_result_cb, &result);
      {
        g_autofree char *next = NULL;
        g_autoptr(GPtrArray) objects = stompy_s3_list_objects_finish (stompy_test_wait_result (&result),
                                                                      &next, &error);
        got_result = objects != NULL;
      }
      break;
    case OP_CUR:
      stompy_cur_list_reports_async (aws, NULL, stompy_test_store_result_cb, &result);
      {
        g_autoptr(GPtrArray) reports = stompy_cur_list_reports_finish (stompy_test_wait_result (&result), &error);
        got_result = reports != NULL;
      }
      break;
    case OP_EXPORTS:
      stompy_data_exports_list_async (aws, NULL, stompy_test_store_result_cb, &result);
      {
        g_autoptr(GPtrArray) exports = stompy_data_exports_list_finish (stompy_test_wait_result (&result), &error);
        got_result = exports != NULL;
      }
      break;
    case OP_CFN:
      stompy_cloudformation_describe_stack_async (aws, "StompyAnalySaver", NULL, stompy_test_store_result_cb, &result);
      {
        g_autoptr(StompyStack) stack = stompy_cloudformation_describe_stack_finish (stompy_test_wait_result (&result), &error);
        got_result = stack != NULL;
      }
      break;
    case OP_TEMPLATE:
      stompy_template_fetch_async (session, template_url, NULL, stompy_test_store_result_cb, &result);
      {
        g_autoptr(StompyTemplate) template = stompy_template_fetch_finish (stompy_test_wait_result (&result), &error);
        got_result = template != NULL;
      }
      break;
    case OP_SIGN_IN:
      stompy_api_client_sign_in_async (api, "ops@example.com", "hostile password", NULL,
                                       stompy_test_store_result_cb, &result);
      {
        StompySession *signed_in = stompy_api_client_sign_in_finish (api, stompy_test_wait_result (&result), &error);
        got_result = signed_in != NULL;
        if (signed_in != NULL)
          g_assert_true (signed_in->token != NULL && g_utf8_validate (signed_in->token, -1, NULL));
        g_clear_pointer (&signed_in, stompy_session_free);
      }
      break;
    case OP_ONBOARDING:
      stompy_api_client_get_onboarding_async (api, NULL, stompy_test_store_result_cb, &result);
      {
        StompyOnboardingInfo *info = stompy_api_client_get_onboarding_finish (api, stompy_test_wait_result (&result), &error);
        got_result = info != NULL;
        g_clear_pointer (&info, stompy_onboarding_info_free);
      }
      break;
    case OP_ACCOUNTS:
      stompy_api_client_list_accounts_async (api, NULL, stompy_test_store_result_cb, &result);
      {
        g_autoptr(GPtrArray) accounts = stompy_api_client_list_accounts_finish (api, stompy_test_wait_result (&result), &error);
        got_result = accounts != NULL;
      }
      break;
    default:
      g_assert_not_reached ();
    }

  current = NULL;
  g_test_message ("%s: %s after %" G_GINT64_FORMAT " ms, %u hostile answer(s)", c->name,
                  error != NULL ? error->message : "a result",
                  (g_get_monotonic_time () - start) / 1000, hostile_served);

  /* The hostile answer was really served (the case tests what it says). */
  g_assert_cmpuint (hostile_served, >=, 1);
  g_assert_true (got_result != (error != NULL));

  if (error != NULL)
    {
      g_autofree char *sentence = stompy_error_message_for (error);

      g_assert_true (error->domain == STOMPY_ERROR || error->domain == STOMPY_AWS_ERROR ||
                     error->domain == STOMPY_API_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (sentence);
      g_assert_cmpstr (sentence, !=, "Something went wrong. Try again.");
      /* Nothing of a huge body comes back in a message. */
      g_assert_cmpuint (strlen (error->message), <, 4096);
    }
  else
    {
      g_assert_cmpint (c->expect, ==, EXPECT_ANY);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *huge = NULL;

  g_test_init (&argc, &argv, NULL);

  g_assert_cmpuint (G_N_ELEMENTS (cases), >=, 30);

  /* One 50 MB body, shared by the cases that send it: '<' and '{' so that a
   * parser given it would work hard rather than fail at the first byte. */
  huge = g_malloc (HUGE_BYTES);
  memset (huge, ' ', HUGE_BYTES);
  huge[0] = '{';
  huge_body = g_bytes_new_take (g_steal_pointer (&huge), HUGE_BYTES);

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  base_url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  if (g_str_has_suffix (base_url, "/"))
    base_url[strlen (base_url) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hostile/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], run_case);
    }

  return g_test_run ();
}
