"""The sample queries offered by the picker: design.md's four Logs Insights use cases, verbatim."""

from __future__ import annotations

from trailtui.ui.query_store import StoredQuery

SAMPLE_QUERIES = (
    StoredQuery(
        'filter eventSource="signin.amazonaws.com" and eventName="ConsoleLogin"'
        ' and responseElements.ConsoleLogin="Failure"\n'
        "| stats count(*) as Total_Count by sourceIPAddress as Source_IP, errorMessage as Reason,"
        " awsRegion as AWS_Region, userIdentity.arn as IAM_Arn, additionalEventData.MFAUsed as MFA_Used",
        name="Console sign-in failures",
    ),
    StoredQuery(
        "fields eventName, requestParameters.origin as keyMaterial,"
        " responseElements.keyMetadata.keyUsage as keyUsage, awsRegion as region,"
        " userIdentity.arn as arn, responseElements.keyMetadata.keyId as keyID\n"
        '| filter eventName="CreateKey" and keyMaterial!="AWS_*"',
        name="New KMS keys with non-AWS key material",
    ),
    StoredQuery(
        'filter eventSource="rds.amazonaws.com" and eventName="CreateDBInstance"\n'
        "| fields awsRegion as AWS_Region, requestParameters.dBInstanceIdentifier as Database_Name,"
        " userIdentity.arn as IAM_Arn",
        name="RDS instances created",
    ),
    StoredQuery(
        "fields eventSource, eventName, awsRegion as AWS_Region,"
        " requestParameters.dBInstanceIdentifier as Database_Name, userIdentity.arn as IAM_Arn\n"
        '| filter eventSource="rds.amazonaws.com" and eventName="ModifyDBInstance"\n'
        '| parse @message "requestParameters\\":{*}" as dbChanges\n'
        "| display AWS_Region, Database_Name, IAM_Arn, dbChanges",
        name="RDS instances modified (with parse)",
    ),
)
