"""Every query the Logs Insights tests run, in one place, so parse → print → parse covers them all."""

CONSOLE_SIGNIN_FAILURES = (
    'filter eventSource="signin.amazonaws.com" and eventName="ConsoleLogin" and '
    'responseElements.ConsoleLogin="Failure" | stats count(*) as Total_Count by '
    "sourceIPAddress as Source_IP, errorMessage as Reason, awsRegion as AWS_Region, "
    "userIdentity.arn as IAM_Arn, additionalEventData.MFAUsed as MFA_Used"
)
KMS_KEYS_NON_AWS_MATERIAL = (
    "fields eventName, requestParameters.origin as keyMaterial, "
    "responseElements.keyMetadata.keyUsage as keyUsage, awsRegion as region, "
    "userIdentity.arn as arn, responseElements.keyMetadata.keyId as keyID | filter "
    'eventName="CreateKey" and keyMaterial!="AWS_*"'
)
RDS_INSTANCES_CREATED = (
    'filter eventSource="rds.amazonaws.com" and eventName="CreateDBInstance" | fields '
    "awsRegion as AWS_Region, requestParameters.dBInstanceIdentifier as Database_Name, "
    "userIdentity.arn as IAM_Arn"
)
RDS_INSTANCES_MODIFIED = (
    "fields eventSource, eventName, awsRegion as AWS_Region, "
    "requestParameters.dBInstanceIdentifier as Database_Name, userIdentity.arn as IAM_Arn "
    '| filter eventSource="rds.amazonaws.com" and eventName="ModifyDBInstance" | parse '
    '@message "requestParameters\\":{*}" as dbChanges | display AWS_Region, Database_Name, '
    "IAM_Arn, dbChanges"
)
USE_CASES = (
    CONSOLE_SIGNIN_FAILURES,
    KMS_KEYS_NON_AWS_MATERIAL,
    RDS_INSTANCES_CREATED,
    RDS_INSTANCES_MODIFIED,
)

# Documented examples from the CloudWatch Logs user guide (spec §4, §7) and command coverage.
EXAMPLES = (
    "fields @timestamp, @message | sort @timestamp desc | limit 25",
    "fields concat(Operation, '-', StatusCode) as opStatus",
    "fields abs(f3-f4)",
    "FIELDS @timestamp | FILTER level = 'ERROR' | SORT @timestamp DESC | LIMIT 5",
    "filter statusCode in [300,400,500] | fields @timestamp, statusCode",
    "filter @message like /(?i)Exception/ | stats count(*) by bin(5m)",
    "filter latency > 2000 and not ispresent(errorCode)",
    'filter f1 =~ /2\\d\\d/ or f1 not like "x"',
    'parse @message "[*] * The error was: *" as level, config, exception',
    "parse @message /(?<user>\\w+)@(?<host>[\\w.]+)/ | display user, host",
    "stats sum(message_length)/1024/1024 as logs_mb by bin(1h)",
    "stats avg(f1) as myAvgF1 | sort myAvgF1 desc",
    "stats count(*) as c, c * 2 as doubled by eventSource",
    "stats max(@timestamp) as @t, count(*) as n by @logStream | stats avg(n) by dateceil(@t, 5m)",
    "stats count_distinct(sourceIPAddress) as ips by userIdentity.arn | filter ips > 1 "
    "| stats count(*) as users",
    "fields jsonParse(@message) as js | unnest js.Records into record",
    "dedup eventName, awsRegion | limit 10",
    "sort eventName asc | dedup eventName",
    "limit any 3",
    'where eventName = "x" | filterIndex awsRegion in ["us-east-1"] | unmask',
    "fields `foo-bar`, json_message.`user.id` as uid # trailing comment\n| display uid",
    "fields -2 ^ 2 as a, 10 % 3 as b, (1 + 2) * 3 as c, 7 / 2 as d",
    'fields if(ispresent(x), x, "unknown") as x',
)
