#!/usr/bin/env bash
# aws-cli-flow.sh — the baseline of bench/connect-flow.sh: the whole automated connect flow
# (sign in to Stompy, both products, a new report and its bucket, both role stacks, Connect and
# Stompy's checks) done with Debian's `aws` CLI (package awscli, v2.9) and curl, the way a
# careful shell user would, against the emulator.
#
#   bash bench/aws-cli-flow.sh EMULATOR_URL
#
# Needs AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE with the profile "emulator-management"
# (bench/connect-flow.sh writes them and times this script; run on its own, it writes its own
# into a temporary directory). Installs awscli with apt-get (through sudo when not root) when
# /usr/bin/aws is missing. It makes the same AWS and Stompy calls as stompy-connect-cli, one
# call each plus the polls, and polls a stack or Stompy's checks every 0.2 s (the aws CLI's
# own `wait stack-create-complete` sleeps 30 s between looks, which would not be fair).
# Prints nothing but errors; exits non-zero when a step fails.
set -euo pipefail

url=${1:?usage: aws-cli-flow.sh EMULATOR_URL}
cd "$(dirname "${BASH_SOURCE[0]}")/.."

aws=/usr/bin/aws
if [ ! -x "$aws" ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q awscli >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stompy-awscli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [ -z "${AWS_CONFIG_FILE:-}" ]; then
  # shellcheck source=bench/emulator.sh
  . bench/emulator.sh
  bench_write_aws_files "$tmp"
  export AWS_CONFIG_FILE=$tmp/aws-config AWS_SHARED_CREDENTIALS_FILE=$tmp/aws-credentials
fi
# aws CLI 2.9 predates AWS_ENDPOINT_URL (2.13): every call gets --endpoint-url.
aws="$aws --endpoint-url $url"
export AWS_PROFILE=emulator-management AWS_PAGER= AWS_MAX_ATTEMPTS=3
# Home of the aws CLI's caches, so no user file is read or written.
export HOME=$tmp
region=ap-southeast-1
report=stompy-cur
api=$url/v1

json () { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# 1. Stompy: sign in, and the onboarding facts (external id, principal, templates).
token=$(curl -sS --fail -H 'Content-Type: application/json' \
          --data '{"email": "ops@example.com", "password": "correct horse battery staple"}' \
          "$api/sessions" | json 'd["token"]')
auth=(-H "Authorization: Bearer $token")
curl -sS --fail "${auth[@]}" "$api/aws/onboarding" > "$tmp/onboarding.json"
external_id=$(json 'd["external_id"]' < "$tmp/onboarding.json")
principal=$(json 'd["principal_account_id"]' < "$tmp/onboarding.json")
analysaver_url=$(json 'd["templates"]["analysaver"]["url"]' < "$tmp/onboarding.json")
spotainer_url=$(json 'd["templates"]["spotainer"]["url"]' < "$tmp/onboarding.json")

# 2. The AWS account, and whether it is an organization's management account.
account=$($aws sts get-caller-identity --query Account --output text)
$aws organizations describe-organization --region us-east-1 --query Organization.MasterAccountId --output text \
  > /dev/null
bucket=stompy-cur-$account

# 3. The bucket, its public access block and the delivery policy (merged into any existing).
# Is the name free, or ours already (and where)? 404 here: free.
$aws s3api head-bucket --bucket "$bucket" --region "$region" > /dev/null 2>&1 || true
$aws s3api create-bucket --bucket "$bucket" --region "$region" \
  --create-bucket-configuration "LocationConstraint=$region" > /dev/null
$aws s3api put-public-access-block --bucket "$bucket" --region "$region" \
  --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
# A bucket made just now has no policy to merge into.
existing='{"Version": "2012-10-17", "Statement": []}'
python3 - "$bucket" "$account" "$report" "$existing" > "$tmp/policy.json" <<'PY'
import json, sys
bucket, account, report, existing = sys.argv[1:]
policy = json.loads(existing)
cond = {"StringEquals": {"aws:SourceArn": f"arn:aws:cur:us-east-1:{account}:definition/{report}",
                         "aws:SourceAccount": account}}
principal = {"Service": "billingreports.amazonaws.com"}
policy["Statement"] += [
    {"Sid": "StompyCurGetBucketPolicy", "Effect": "Allow", "Principal": principal,
     "Action": ["s3:GetBucketAcl", "s3:GetBucketPolicy"], "Resource": f"arn:aws:s3:::{bucket}",
     "Condition": cond},
    {"Sid": "StompyCurPutObject", "Effect": "Allow", "Principal": principal,
     "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/*", "Condition": cond}]
print(json.dumps(policy))
PY
$aws s3api put-bucket-policy --bucket "$bucket" --region "$region" --policy "file://$tmp/policy.json"

# 4. The report definition (us-east-1 only).
$aws cur put-report-definition --region us-east-1 --report-definition "{
  \"ReportName\": \"$report\", \"TimeUnit\": \"HOURLY\", \"Format\": \"Parquet\",
  \"Compression\": \"Parquet\", \"AdditionalSchemaElements\": [\"RESOURCES\"],
  \"S3Bucket\": \"$bucket\", \"S3Prefix\": \"cur\", \"S3Region\": \"$region\",
  \"AdditionalArtifacts\": [\"ATHENA\"], \"RefreshClosedReports\": true,
  \"ReportVersioning\": \"OVERWRITE_REPORT\"}"

# 5. Both role stacks, started together, then followed until complete; RoleArn from Outputs.
# Each template read (as stompy-connect-cli does, for its progress figure), and each stack
# looked for first, so that an existing one would be reused rather than created twice.
curl -sS --fail -o /dev/null "$analysaver_url"
curl -sS --fail -o /dev/null "$spotainer_url"
for stack in StompyAnalySaver StompySpoTainer; do
  if $aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
       > /dev/null 2>&1; then
    echo "aws-cli-flow: the stack $stack exists already; start from a fresh emulator" >&2
    exit 1
  fi
done
$aws cloudformation create-stack --region "$region" --stack-name StompyAnalySaver \
  --template-url "$analysaver_url" --capabilities CAPABILITY_NAMED_IAM \
  --client-request-token "bench-analysaver-$$" \
  --parameters "ParameterKey=ExternalId,ParameterValue=$external_id" \
               "ParameterKey=StompyPrincipalAccountId,ParameterValue=$principal" \
               "ParameterKey=CurBucketName,ParameterValue=$bucket" > /dev/null
$aws cloudformation create-stack --region "$region" --stack-name StompySpoTainer \
  --template-url "$spotainer_url" --capabilities CAPABILITY_NAMED_IAM \
  --client-request-token "bench-spotainer-$$" \
  --parameters "ParameterKey=ExternalId,ParameterValue=$external_id" \
               "ParameterKey=StompyPrincipalAccountId,ParameterValue=$principal" > /dev/null
role_arn () {
  local status
  while :; do
    status=$($aws cloudformation describe-stacks --region "$region" --stack-name "$1" \
               --query 'Stacks[0].[StackStatus, Outputs[?OutputKey==`RoleArn`].OutputValue | [0]]' \
               --output text)
    case $status in
      CREATE_COMPLETE*) echo "${status#CREATE_COMPLETE	}"; return 0 ;;
      *IN_PROGRESS*) sleep 0.2 ;;
      *) echo "aws-cli-flow: stack $1: $status" >&2; return 1 ;;
    esac
  done
}
analysaver_role=$(role_arn StompyAnalySaver)
spotainer_role=$(role_arn StompySpoTainer)

# 6. Connect, then Stompy's checks until none is pending.
curl -sS --fail "${auth[@]}" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" --data "{
  \"account_id\": \"$account\", \"products\": [\"analysaver\", \"spotainer\"],
  \"analysaver\": {\"role_arn\": \"$analysaver_role\", \"cur\": {\"kind\": \"legacy\",
    \"report_name\": \"$report\", \"bucket\": \"$bucket\", \"prefix\": \"cur\",
    \"region\": \"$region\"}},
  \"spotainer\": {\"role_arn\": \"$spotainer_role\"}}" "$api/aws/accounts" > "$tmp/account.json"
pending () {
  python3 -c 'import json, sys; sys.exit(0 if any(c["status"] == "pending" for c in json.load(sys.stdin)["checks"]) else 1)' < "$tmp/account.json"
}
while pending; do
  sleep 0.2
  curl -sS --fail "${auth[@]}" "$api/aws/accounts/$account" > "$tmp/account.json"
done
status=$(json 'd["status"]' < "$tmp/account.json")
case $status in
  connected|waiting_for_data) ;;
  *) echo "aws-cli-flow: Stompy says $status" >&2; exit 1 ;;
esac
