import type { ResourceTypeSchema } from "./define.js";
import awsAccountRegion from "./types/aws-account-region.js";
import awsAcmCertificate from "./types/aws-acm-certificate.js";
import awsCloudtrailTrail from "./types/aws-cloudtrail-trail.js";
import awsConfigRule from "./types/aws-config-rule.js";
import awsEc2Volume from "./types/aws-ec2-volume.js";
import awsElbv2Listener from "./types/aws-elbv2-listener.js";
import awsIamAccessKey from "./types/aws-iam-access-key.js";
import awsIamUser from "./types/aws-iam-user.js";
import awsKmsKey from "./types/aws-kms-key.js";
import awsLogsLogGroup from "./types/aws-logs-log-group.js";
import awsRdsDbCluster from "./types/aws-rds-db-cluster.js";
import awsRdsDbInstance from "./types/aws-rds-db-instance.js";
import awsRdsDbSnapshot from "./types/aws-rds-db-snapshot.js";
import awsS3Bucket from "./types/aws-s3-bucket.js";
import awsSecretsmanagerSecret from "./types/aws-secretsmanager-secret.js";
import endpointHttp from "./types/endpoint-http.js";
import endpointPostgres from "./types/endpoint-postgres.js";
import endpointSmtp from "./types/endpoint-smtp.js";
import endpointTls from "./types/endpoint-tls.js";

export type { PropertySchema, ResourceTypeSchema } from "./define.js";

/** Every resource type Cipherproof knows, keyed by type name. */
export const RESOURCE_TYPES: Readonly<Record<string, ResourceTypeSchema>> = Object.fromEntries(
  [
    awsAccountRegion,
    awsAcmCertificate,
    awsCloudtrailTrail,
    awsConfigRule,
    awsEc2Volume,
    awsElbv2Listener,
    awsIamAccessKey,
    awsIamUser,
    awsKmsKey,
    awsLogsLogGroup,
    awsRdsDbCluster,
    awsRdsDbInstance,
    awsRdsDbSnapshot,
    awsS3Bucket,
    awsSecretsmanagerSecret,
    endpointHttp,
    endpointPostgres,
    endpointSmtp,
    endpointTls,
  ].map((s) => [s.title, s]),
);

/** The schema of one resource type, or undefined. */
export function resourceType(type: string): ResourceTypeSchema | undefined {
  return RESOURCE_TYPES[type];
}
