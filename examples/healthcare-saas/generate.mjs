#!/usr/bin/env node
// Regenerates the MedLedger example: two AWS Config configuration snapshots (one per region) in the format AWS
// Config delivers to S3, gzipped. All dates are relative to the scenario's "today", 2026-11-22.
// Usage: node examples/healthcare-saas/generate.mjs
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ACCOUNT = "111122223333";
const HERE = dirname(fileURLToPath(import.meta.url));
const CAPTURE = { "us-east-1": "2026-11-22T05:14:07.312Z", "us-west-2": "2026-11-22T05:16:41.905Z" };

let stateId = 1763788400000;
function ci(region, resourceType, resourceId, resourceName, arn, configuration, extra = {}) {
  stateId += 137;
  return {
    relatedEvents: [],
    relationships: extra.relationships ?? [],
    configuration,
    supplementaryConfiguration: extra.supplementary ?? {},
    tags: extra.tags ?? { Application: "medledger", Environment: region === "us-east-1" ? "production" : "disaster-recovery" },
    configurationItemVersion: "1.3",
    configurationItemCaptureTime: extra.captureTime ?? CAPTURE[region === "global" ? "us-east-1" : region],
    configurationStateId: stateId,
    awsAccountId: ACCOUNT,
    configurationItemStatus: extra.status ?? "OK",
    resourceType,
    resourceId,
    resourceName,
    ARN: arn,
    awsRegion: region,
    availabilityZone: extra.availabilityZone ?? (region === "global" ? "Not Applicable" : "Regional"),
    configurationStateMd5Hash: "",
    resourceCreationTime: extra.created ?? null,
  };
}

// ---------------------------------------------------------------- KMS
const keyArn = (region, id) => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;
function kmsKey(region, id, { description, manager, rotation, created, multiRegion = false }) {
  return ci(
    region,
    "AWS::KMS::Key",
    id,
    id,
    keyArn(region, id),
    {
      keyId: id,
      arn: keyArn(region, id),
      creationDate: created,
      enabled: true,
      description,
      keyUsage: "ENCRYPT_DECRYPT",
      keyState: "Enabled",
      origin: "AWS_KMS",
      keyManager: manager,
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      keySpec: "SYMMETRIC_DEFAULT",
      encryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
      signingAlgorithms: null,
      multiRegion,
      awsaccountId: ACCOUNT,
    },
    { supplementary: { KeyRotationStatus: rotation }, created, tags: manager === "AWS" ? {} : undefined },
  );
}
function kmsAlias(region, name, targetKeyId) {
  const arn = `arn:aws:kms:${region}:${ACCOUNT}:${name}`;
  return ci(region, "AWS::KMS::Alias", name, name, arn, { AliasName: name, TargetKeyId: targetKeyId }, { tags: {} });
}

const K = {
  phi: "6f1c2a4e-8d3b-4f0a-9b7e-1a2c3d4e5f60",
  logs: "0b9e7c55-2f14-4c1d-a8e3-5d6f7a8b9c01",
  awsRds: "3c5d7e9f-1a2b-4c3d-8e4f-5a6b7c8d9e02",
  awsEbs: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c03",
  phiDr: "mrk-4d2f0c8a9b7e46f1a3c5e7d9b1f3a5c7",
  awsRdsDr: "7e6d5c4b-3a29-4f18-8e07-d6c5b4a39204",
};

// ---------------------------------------------------------------- RDS
function rdsInstance(region, id, c) {
  const arn = `arn:aws:rds:${region}:${ACCOUNT}:db:${id}`;
  return ci(
    region,
    "AWS::RDS::DBInstance",
    c.dbiResourceId,
    id,
    arn,
    {
      dBInstanceIdentifier: id,
      dBInstanceClass: c.instanceClass,
      engine: c.engine,
      dBInstanceStatus: "available",
      masterUsername: "medledger_admin",
      dBName: c.dbName ?? null,
      endpoint: { address: `${id}.c8x2kq4m9zvd.${region}.rds.amazonaws.com`, port: c.port, hostedZoneId: "Z2R2ITUGPM61AM" },
      allocatedStorage: c.storage ?? 100,
      instanceCreateTime: c.created,
      preferredBackupWindow: "07:12-07:42",
      backupRetentionPeriod: c.backupDays,
      dBSecurityGroups: [],
      vpcSecurityGroups: [{ vpcSecurityGroupId: "sg-0d3f5a7c9e1b2d4f6", status: "active" }],
      dBParameterGroups: [{ dBParameterGroupName: c.parameterGroup, parameterApplyStatus: "in-sync" }],
      availabilityZone: `${region}a`,
      dBSubnetGroup: { dBSubnetGroupName: "medledger-data", dBSubnetGroupDescription: "MedLedger data subnets", vpcId: "vpc-0a1b2c3d4e5f60718", subnetGroupStatus: "Complete", subnets: [] },
      preferredMaintenanceWindow: "sun:08:10-sun:08:40",
      pendingModifiedValues: {},
      latestRestorableTime: "2026-11-22T05:05:00.000Z",
      multiAZ: c.multiAZ ?? false,
      engineVersion: c.engineVersion,
      autoMinorVersionUpgrade: true,
      readReplicaSourceDBInstanceIdentifier: c.replicaSource ?? null,
      readReplicaDBInstanceIdentifiers: [],
      licenseModel: c.engine.startsWith("mysql") ? "general-public-license" : "postgresql-license",
      optionGroupMemberships: [{ optionGroupName: `default:${c.engine}-${c.engineVersion.split(".")[0]}`, status: "in-sync" }],
      publiclyAccessible: c.public ?? false,
      storageType: "gp3",
      dbInstancePort: 0,
      dBClusterIdentifier: c.cluster ?? null,
      storageEncrypted: c.kmsKeyId !== null,
      kmsKeyId: c.kmsKeyId,
      dbiResourceId: c.dbiResourceId,
      cACertificateIdentifier: c.ca ?? "rds-ca-rsa2048-g1",
      copyTagsToSnapshot: true,
      monitoringInterval: 60,
      iAMDatabaseAuthenticationEnabled: c.iamAuth ?? false,
      performanceInsightsEnabled: true,
      deletionProtection: c.deletionProtection ?? true,
      enabledCloudwatchLogsExports: c.engine.includes("postgres") ? ["postgresql"] : ["error"],
    },
    { availabilityZone: `${region}a`, created: c.created },
  );
}

const east = [];
const west = [];

east.push(
  kmsKey("us-east-1", K.phi, { description: "MedLedger PHI data key", manager: "CUSTOMER", rotation: true, created: "2023-03-14T16:02:11.000Z" }),
  kmsKey("us-east-1", K.logs, { description: "MedLedger audit and application logs", manager: "CUSTOMER", rotation: false, created: "2022-09-01T12:30:45.000Z" }),
  kmsKey("us-east-1", K.awsRds, { description: "Default key that protects my RDS database volumes when no other key is defined", manager: "AWS", rotation: true, created: "2021-06-02T09:11:10.000Z" }),
  kmsKey("us-east-1", K.awsEbs, { description: "Default key that protects my EBS volumes when no other key is defined", manager: "AWS", rotation: true, created: "2021-06-02T09:15:52.000Z" }),
  kmsAlias("us-east-1", "alias/medledger-phi", K.phi),
  kmsAlias("us-east-1", "alias/medledger-logs", K.logs),
  kmsAlias("us-east-1", "alias/aws/rds", K.awsRds),
  kmsAlias("us-east-1", "alias/aws/ebs", K.awsEbs),
);

east.push(
  rdsInstance("us-east-1", "medledger-patients-db", {
    dbiResourceId: "db-7KQ2ZP4XW3M5N6B8C9D0EF1GHA",
    instanceClass: "db.r6g.xlarge",
    engine: "postgres",
    engineVersion: "16.4",
    dbName: "patients",
    port: 5432,
    created: "2023-03-20T18:44:02.517Z",
    backupDays: 14,
    parameterGroup: "medledger-postgres16-tls",
    kmsKeyId: keyArn("us-east-1", K.phi),
    multiAZ: true,
    iamAuth: true,
  }),
  rdsInstance("us-east-1", "medledger-billing-db", {
    dbiResourceId: "db-3HJ5KL7MN9PQ1RS3TU5VW7XY9Z",
    instanceClass: "db.m6g.large",
    engine: "mysql",
    engineVersion: "8.0.39",
    dbName: "billing",
    port: 3306,
    created: "2024-02-08T14:21:37.090Z",
    backupDays: 7,
    parameterGroup: "default.mysql8.0",
    kmsKeyId: keyArn("us-east-1", K.awsRds), // encrypted, but with the AWS managed aws/rds key
  }),
  rdsInstance("us-east-1", "medledger-legacy-reports", {
    dbiResourceId: "db-ABCD2EFGH3IJKL4MNOP5QRST6U",
    instanceClass: "db.t3.medium",
    engine: "postgres",
    engineVersion: "11.22",
    dbName: "reports",
    port: 5432,
    created: "2019-05-17T10:03:29.411Z",
    backupDays: 1,
    parameterGroup: "default.postgres11",
    kmsKeyId: null, // created before the encryption mandate: storage unencrypted
    ca: "rds-ca-2019",
    deletionProtection: false,
  }),
  rdsInstance("us-east-1", "medledger-analytics-1", {
    dbiResourceId: "db-W2X4Y6Z8A0B2C4D6E8F0G2H4IJ",
    instanceClass: "db.r6g.large",
    engine: "aurora-postgresql",
    engineVersion: "15.8",
    port: 5432,
    created: "2024-09-10T15:30:00.000Z",
    backupDays: 7,
    parameterGroup: "default.aurora-postgresql15",
    kmsKeyId: keyArn("us-east-1", K.phi),
    cluster: "medledger-analytics",
  }),
  ci(
    "us-east-1",
    "AWS::RDS::DBCluster",
    "cluster-PQ7RS9TU1VW3XY5ZA7BC9DE1FG",
    "medledger-analytics",
    `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:medledger-analytics`,
    {
      allocatedStorage: 1,
      availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      backupRetentionPeriod: 7,
      databaseName: "analytics",
      dbclusterIdentifier: "medledger-analytics",
      dbclusterParameterGroup: "medledger-aurora-pg15-tls",
      dbsubnetGroup: "medledger-data",
      status: "available",
      clusterCreateTime: "2024-09-10T15:12:44.201Z",
      endpoint: `medledger-analytics.cluster-c8x2kq4m9zvd.us-east-1.rds.amazonaws.com`,
      readerEndpoint: `medledger-analytics.cluster-ro-c8x2kq4m9zvd.us-east-1.rds.amazonaws.com`,
      multiAZ: false,
      engine: "aurora-postgresql",
      engineVersion: "15.8",
      port: 5432,
      masterUsername: "analytics_admin",
      preferredBackupWindow: "06:30-07:00",
      preferredMaintenanceWindow: "sat:09:00-sat:09:30",
      dbclusterMembers: [{ dbinstanceIdentifier: "medledger-analytics-1", isClusterWriter: true, dbclusterParameterGroupStatus: "in-sync", promotionTier: 1 }],
      vpcSecurityGroups: [{ vpcSecurityGroupId: "sg-0d3f5a7c9e1b2d4f6", status: "active" }],
      hostedZoneId: "Z2R2ITUGPM61AM",
      storageEncrypted: true,
      kmsKeyId: keyArn("us-east-1", K.phi),
      dbClusterResourceId: "cluster-PQ7RS9TU1VW3XY5ZA7BC9DE1FG",
      dbclusterArn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:medledger-analytics`,
      iamdatabaseAuthenticationEnabled: true,
      engineMode: "provisioned",
      deletionProtection: true,
      httpEndpointEnabled: false,
      copyTagsToSnapshot: true,
    },
    { created: "2024-09-10T15:12:44.201Z" },
  ),
  ci(
    "us-east-1",
    "AWS::RDS::DBSnapshot",
    "medledger-legacy-reports-pre-migration",
    "medledger-legacy-reports-pre-migration",
    `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:medledger-legacy-reports-pre-migration`,
    {
      dBSnapshotIdentifier: "medledger-legacy-reports-pre-migration",
      dBInstanceIdentifier: "medledger-legacy-reports",
      snapshotCreateTime: "2026-08-03T22:15:09.644Z",
      engine: "postgres",
      allocatedStorage: 100,
      status: "available",
      port: 5432,
      availabilityZone: "us-east-1a",
      vpcId: "vpc-0a1b2c3d4e5f60718",
      instanceCreateTime: "2019-05-17T10:03:29.411Z",
      masterUsername: "medledger_admin",
      engineVersion: "11.22",
      licenseModel: "postgresql-license",
      snapshotType: "manual",
      optionGroupName: "default:postgres-11",
      percentProgress: 100,
      storageType: "gp3",
      encrypted: false,
      kmsKeyId: null,
      dBSnapshotArn: `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:medledger-legacy-reports-pre-migration`,
      iAMDatabaseAuthenticationEnabled: false,
      dbiResourceId: "db-ABCD2EFGH3IJKL4MNOP5QRST6U",
    },
    { supplementary: { DBSnapshotAttributes: [{ attributeName: "restore", attributeValues: [] }] }, availabilityZone: "us-east-1a" },
  ),
  ci(
    "us-east-1",
    "AWS::RDS::DBClusterSnapshot",
    "rds:medledger-analytics-2026-11-21-06-31",
    "rds:medledger-analytics-2026-11-21-06-31",
    `arn:aws:rds:us-east-1:${ACCOUNT}:cluster-snapshot:rds:medledger-analytics-2026-11-21-06-31`,
    {
      availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      dbclusterSnapshotIdentifier: "rds:medledger-analytics-2026-11-21-06-31",
      dbclusterIdentifier: "medledger-analytics",
      snapshotCreateTime: "2026-11-21T06:31:12.007Z",
      engine: "aurora-postgresql",
      engineMode: "provisioned",
      allocatedStorage: 12,
      status: "available",
      port: 0,
      vpcId: "vpc-0a1b2c3d4e5f60718",
      clusterCreateTime: "2024-09-10T15:12:44.201Z",
      masterUsername: "analytics_admin",
      engineVersion: "15.8",
      licenseModel: "postgresql-license",
      snapshotType: "automated",
      percentProgress: 100,
      storageEncrypted: true,
      kmsKeyId: keyArn("us-east-1", K.phi),
      dbclusterSnapshotArn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster-snapshot:rds:medledger-analytics-2026-11-21-06-31`,
      iamdatabaseAuthenticationEnabled: true,
    },
    { supplementary: { DBClusterSnapshotAttributes: [{ attributeName: "restore", attributeValues: [] }] } },
  ),
);

// ---------------------------------------------------------------- S3
const denyInsecure = (bucket) => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});
const denyOldTls = (bucket) => ({
  Sid: "DenyTlsBelow12",
  Effect: "Deny",
  Principal: { AWS: "*" },
  Action: "s3:*",
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
});
function bucket(region, name, { created, sse, kmsKey, bucketKey = false, statements = [], pab = true, versioning = "Enabled", logTo = null }) {
  const policy = statements.length ? JSON.stringify({ Version: "2012-10-17", Statement: statements }) : null;
  return ci(
    region,
    "AWS::S3::Bucket",
    name,
    name,
    `arn:aws:s3:::${name}`,
    { name, owner: { displayName: null, id: "7f3c1e9a2b5d4c8e6f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e" }, creationDate: created },
    {
      created,
      supplementary: {
        AccessControlList: '{"grantSet":null,"grantList":[{"grantee":{"id":"7f3c1e9a2b5d4c8e6f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e","displayName":null},"permission":"FullControl"}],"owner":{"displayName":null,"id":"7f3c1e9a2b5d4c8e6f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e"},"isRequesterCharged":false}',
        BucketAccelerateConfiguration: { status: null },
        BucketLoggingConfiguration: { destinationBucketName: logTo, logFilePrefix: logTo ? `${name}/` : null },
        BucketNotificationConfiguration: { configurations: {} },
        BucketPolicy: { policyText: policy },
        BucketVersioningConfiguration: { status: versioning, isMfaDeleteEnabled: null },
        IsRequesterPaysEnabled: false,
        ServerSideEncryptionConfiguration: {
          rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: sse, kmsMasterKeyID: kmsKey ?? null }, bucketKeyEnabled: bucketKey }],
        },
        ...(pab ? { PublicAccessBlockConfiguration: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true } } : {}),
      },
    },
  );
}
const LOGS_BUCKET = `medledger-access-logs-${ACCOUNT}`;
east.push(
  bucket("us-east-1", `medledger-phi-documents-${ACCOUNT}`, {
    created: "2023-03-15T11:20:41.000Z",
    sse: "aws:kms",
    kmsKey: keyArn("us-east-1", K.phi),
    bucketKey: true,
    statements: [denyInsecure(`medledger-phi-documents-${ACCOUNT}`), denyOldTls(`medledger-phi-documents-${ACCOUNT}`)],
    logTo: LOGS_BUCKET,
  }),
  bucket("us-east-1", `medledger-exports-${ACCOUNT}`, {
    created: "2024-01-22T08:05:13.000Z",
    sse: "AES256", // SSE-S3 only: no key under MedLedger's control
    statements: [denyInsecure(`medledger-exports-${ACCOUNT}`)],
    logTo: LOGS_BUCKET,
  }),
  bucket("us-east-1", `medledger-web-assets-${ACCOUNT}`, {
    created: "2022-06-30T19:42:00.000Z",
    sse: "AES256",
    statements: [], // no bucket policy at all: plain HTTP requests are accepted
    pab: false,
    versioning: "Suspended",
  }),
  bucket("us-east-1", LOGS_BUCKET, {
    created: "2022-06-30T19:40:12.000Z",
    sse: "AES256", // server access log delivery requires SSE-S3
    statements: [denyInsecure(LOGS_BUCKET)],
  }),
  bucket("us-east-1", `medledger-cloudtrail-${ACCOUNT}`, {
    created: "2022-06-30T19:38:55.000Z",
    sse: "aws:kms",
    kmsKey: keyArn("us-east-1", K.logs),
    bucketKey: true,
    statements: [
      {
        Sid: "AWSCloudTrailWrite",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::medledger-cloudtrail-${ACCOUNT}/AWSLogs/${ACCOUNT}/*`,
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
      },
      denyInsecure(`medledger-cloudtrail-${ACCOUNT}`),
    ],
    logTo: LOGS_BUCKET,
  }),
);

// ---------------------------------------------------------------- CloudTrail
function trail(name, c) {
  const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;
  return ci("us-east-1", "AWS::CloudTrail::Trail", name, name, arn, {
    name,
    s3BucketName: `medledger-cloudtrail-${ACCOUNT}`,
    s3KeyPrefix: c.prefix ?? null,
    includeGlobalServiceEvents: c.global,
    isMultiRegionTrail: c.multiRegion,
    homeRegion: "us-east-1",
    trailARN: arn,
    logFileValidationEnabled: c.validation,
    cloudWatchLogsLogGroupArn: c.logGroup ?? null,
    cloudWatchLogsRoleArn: c.logGroup ? `arn:aws:iam::${ACCOUNT}:role/medledger-cloudtrail-to-cwl` : null,
    kmsKeyId: c.kmsKeyId ?? null,
    hasCustomEventSelectors: c.custom,
    hasInsightSelectors: false,
    isOrganizationTrail: false,
  });
}
east.push(
  trail("medledger-management-events", {
    global: true,
    multiRegion: true,
    validation: true,
    kmsKeyId: keyArn("us-east-1", K.logs),
    logGroup: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/medledger/cloudtrail:*`,
    custom: false,
  }),
  trail("medledger-phi-data-events", { prefix: "data-events", global: false, multiRegion: false, validation: false, custom: true }),
);

// ---------------------------------------------------------------- EBS
function volume(region, id, c) {
  return ci(
    region,
    "AWS::EC2::Volume",
    id,
    null,
    `arn:aws:ec2:${region}:${ACCOUNT}:volume/${id}`,
    {
      attachments: c.instance
        ? [{ attachTime: c.created, device: c.device ?? "/dev/xvda", instanceId: c.instance, state: "attached", volumeId: id, deleteOnTermination: c.device === undefined }]
        : [],
      availabilityZone: `${region}${c.az ?? "a"}`,
      createTime: c.created,
      encrypted: c.kmsKeyId !== null,
      kmsKeyId: c.kmsKeyId,
      outpostArn: null,
      size: c.size,
      snapshotId: c.snapshot ?? "",
      state: c.instance ? "in-use" : "available",
      volumeId: id,
      iops: 3000,
      tags: [],
      volumeType: "gp3",
      fastRestored: null,
      multiAttachEnabled: false,
      throughput: 125,
    },
    { availabilityZone: `${region}${c.az ?? "a"}`, created: c.created, status: c.status },
  );
}
east.push(
  volume("us-east-1", "vol-0a1b2c3d4e5f60718", { created: "2025-02-11T13:04:51.000Z", kmsKeyId: keyArn("us-east-1", K.awsEbs), size: 30, instance: "i-0f1e2d3c4b5a69788", snapshot: "snap-0c9d8e7f6a5b4c3d2" }),
  volume("us-east-1", "vol-0b2c3d4e5f6071829", { created: "2025-02-11T13:05:02.000Z", kmsKeyId: keyArn("us-east-1", K.phi), size: 500, instance: "i-0f1e2d3c4b5a69788", device: "/dev/sdf" }),
  volume("us-east-1", "vol-0c3d4e5f607182930", { created: "2020-10-06T09:31:17.000Z", kmsKeyId: null, size: 200, az: "b" }), // detached, unencrypted
  // Deleted last week: still in the snapshot with ResourceDeleted, so it is skipped.
  volume("us-east-1", "vol-0d4e5f60718293a41", { created: "2024-04-01T10:00:00.000Z", kmsKeyId: keyArn("us-east-1", K.awsEbs), size: 50, status: "ResourceDeleted" }),
);

// ---------------------------------------------------------------- ELBv2
const lbArn = (name, id) => `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/${name}/${id}`;
const PORTAL_LB = lbArn("medledger-portal", "50dc6c495c0c9188");
const LEGACY_LB = lbArn("medledger-legacy-api", "8e3a0c1f6b2d4e79");
const CERT_PORTAL = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/2b7c4e1a-9f3d-4a6b-8c0e-1d2f3a4b5c6d`;
const CERT_API = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/8d1e3f5a-7b9c-4d2e-a6f8-0b1c2d3e4f5a`;
function loadBalancer(name, arn, scheme) {
  return ci("us-east-1", "AWS::ElasticLoadBalancingV2::LoadBalancer", arn, name, arn, {
    loadBalancerArn: arn,
    dNSName: `${name}-1234567890.us-east-1.elb.amazonaws.com`,
    canonicalHostedZoneId: "Z35SXDOTRQ7X7K",
    createdTime: "2023-04-02T17:55:21.340Z",
    loadBalancerName: name,
    scheme,
    vpcId: "vpc-0a1b2c3d4e5f60718",
    state: { code: "active", reason: null },
    type: "application",
    availabilityZones: [
      { zoneName: "us-east-1a", subnetId: "subnet-0a1a2a3a4a5a6a7a8", loadBalancerAddresses: [] },
      { zoneName: "us-east-1b", subnetId: "subnet-0b1b2b3b4b5b6b7b8", loadBalancerAddresses: [] },
    ],
    securityGroups: ["sg-0e4a6c8b0d2f4a6c8"],
    ipAddressType: "ipv4",
  });
}
function listener(lb, id, port, protocol, extra) {
  const arn = lb.replace(":loadbalancer/", ":listener/") + `/${id}`;
  return ci("us-east-1", "AWS::ElasticLoadBalancingV2::Listener", arn, null, arn, {
    ListenerArn: arn,
    LoadBalancerArn: lb,
    Port: port,
    Protocol: protocol,
    ...(extra.policy ? { SslPolicy: extra.policy, Certificates: [{ CertificateArn: extra.cert }] } : {}),
    DefaultActions: extra.actions,
    ...(protocol === "HTTPS" ? { AlpnPolicy: [] } : {}),
  });
}
const forward = (tg) => [{ Type: "forward", Order: 1, TargetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/${tg}`, ForwardConfig: { TargetGroups: [{ TargetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/${tg}`, Weight: 1 }] } }];
east.push(
  loadBalancer("medledger-portal", PORTAL_LB, "internet-facing"),
  loadBalancer("medledger-legacy-api", LEGACY_LB, "internet-facing"),
  listener(PORTAL_LB, "f2a4c6e8b0d2f4a6", 443, "HTTPS", { policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", cert: CERT_PORTAL, actions: forward("medledger-portal-web/1c3e5a7b9d0f2a4c") }),
  listener(PORTAL_LB, "a1b3c5d7e9f1a3b5", 80, "HTTP", {
    actions: [{ Type: "redirect", Order: 1, RedirectConfig: { Protocol: "HTTPS", Port: "443", Host: "#{host}", Path: "/#{path}", Query: "#{query}", StatusCode: "HTTP_301" } }],
  }),
  listener(LEGACY_LB, "0c2e4a6c8e0a2c4e", 443, "HTTPS", { policy: "ELBSecurityPolicy-2016-08", cert: CERT_API, actions: forward("medledger-legacy-api/5e7a9c1e3a5c7e9a") }),
  listener(LEGACY_LB, "9d7b5f3d1b9f7d5b", 80, "HTTP", { actions: forward("medledger-legacy-api/5e7a9c1e3a5c7e9a") }),
);

// ---------------------------------------------------------------- CloudWatch Logs
function logGroup(region, name, c) {
  const arn = `arn:aws:logs:${region}:${ACCOUNT}:log-group:${name}:*`;
  return ci(region, "AWS::Logs::LogGroup", name, name, arn, {
    logGroupName: name,
    creationTime: Date.parse(c.created),
    ...(c.retention ? { retentionInDays: c.retention } : {}),
    metricFilterCount: 0,
    arn,
    storedBytes: c.bytes,
    ...(c.kmsKeyId ? { kmsKeyId: c.kmsKeyId } : {}),
    logGroupClass: "STANDARD",
  });
}
east.push(
  logGroup("us-east-1", "/medledger/cloudtrail", { created: "2022-07-01T08:00:00.000Z", retention: 2557, bytes: 48211773910, kmsKeyId: keyArn("us-east-1", K.logs) }),
  logGroup("us-east-1", "/medledger/app", { created: "2023-03-20T19:02:44.000Z", retention: 365, bytes: 9144028711, kmsKeyId: keyArn("us-east-1", K.logs) }),
  logGroup("us-east-1", "/aws/lambda/medledger-intake", { created: "2024-05-13T16:40:09.000Z", retention: 30, bytes: 221903117 }), // no KMS, 30 days
);

// ---------------------------------------------------------------- ACM
function certificate(arn, c) {
  return ci("us-east-1", "AWS::ACM::Certificate", arn, c.domain, arn, {
    certificateArn: arn,
    domainName: c.domain,
    subjectAlternativeNames: c.sans,
    domainValidationOptions: c.type === "AMAZON_ISSUED" ? c.sans.map((d) => ({ domainName: d, validationDomain: d, validationStatus: "SUCCESS", validationMethod: "DNS" })) : [],
    serial: c.serial,
    subject: `CN=${c.domain}`,
    issuer: c.issuer,
    createdAt: c.issued,
    issuedAt: c.type === "AMAZON_ISSUED" ? c.issued : null,
    importedAt: c.type === "IMPORTED" ? c.issued : null,
    status: "ISSUED",
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    keyAlgorithm: "RSA-2048",
    signatureAlgorithm: "SHA256WITHRSA",
    inUseBy: c.inUseBy,
    type: c.type,
    keyUsages: [{ name: "DIGITAL_SIGNATURE" }, { name: "KEY_ENCIPHERMENT" }],
    extendedKeyUsages: [{ name: "TLS_WEB_SERVER_AUTHENTICATION", oID: "1.3.6.1.5.5.7.3.1" }],
    renewalEligibility: c.type === "AMAZON_ISSUED" ? "ELIGIBLE" : "INELIGIBLE",
    options: { certificateTransparencyLoggingPreference: "ENABLED" },
  });
}
east.push(
  certificate(CERT_PORTAL, {
    domain: "portal.medledger.example",
    sans: ["portal.medledger.example", "www.medledger.example"],
    serial: "0a:4f:91:2c:7e:33:b8:15:d6:02:9c:e1:47:8a:bb:30",
    issuer: "Amazon",
    issued: "2026-05-15T00:00:00.000Z",
    notBefore: "2026-05-15T00:00:00.000Z",
    notAfter: "2027-06-14T23:59:59.000Z",
    inUseBy: [PORTAL_LB],
    type: "AMAZON_ISSUED",
  }),
  certificate(CERT_API, {
    domain: "api.medledger.example",
    sans: ["api.medledger.example"],
    serial: "5d:19:e2:08:c4:71:3a:9f:60:b5:2e:d8:14:c3:7f:aa",
    issuer: "Sectigo RSA Domain Validation Secure Server CA",
    issued: "2025-11-29T00:00:00.000Z",
    notBefore: "2025-12-02T00:00:00.000Z",
    notAfter: "2026-12-02T23:59:59.000Z", // imported, not renewed by ACM: expires ten days after 2026-11-22
    inUseBy: [LEGACY_LB],
    type: "IMPORTED",
  }),
);

// ---------------------------------------------------------------- Secrets Manager
function secret(name, suffix, c) {
  const arn = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-${suffix}`;
  return ci("us-east-1", "AWS::SecretsManager::Secret", arn, name, arn, {
    ARN: arn,
    Name: name,
    Description: c.description,
    ...(c.kmsKeyId ? { KMSKeyId: c.kmsKeyId } : {}),
    RotationEnabled: c.rotationDays !== undefined,
    ...(c.rotationDays !== undefined
      ? { RotationLambdaARN: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:medledger-rotate-postgres`, RotationRules: { AutomaticallyAfterDays: c.rotationDays } }
      : {}),
    Tags: [{ Key: "Application", Value: "medledger" }],
  });
}
east.push(
  secret("medledger/prod/patients-db", "Xq3Zp1", { description: "Master credentials of medledger-patients-db", kmsKeyId: keyArn("us-east-1", K.phi), rotationDays: 30 }),
  secret("medledger/prod/stripe-api-key", "T9vK2m", { description: "Billing provider API key" }), // aws/secretsmanager key, never rotated
);

// ---------------------------------------------------------------- IAM (global resources, recorded in us-east-1)
function iamUser(name, id, c) {
  const arn = `arn:aws:iam::${ACCOUNT}:user${c.path}${name}`;
  return ci(
    "global",
    "AWS::IAM::User",
    id,
    name,
    arn,
    {
      path: c.path,
      userName: name,
      userId: id,
      arn,
      createDate: c.created,
      userPolicyList: [],
      groupList: c.groups,
      attachedManagedPolicies: c.policies.map((p) => ({ policyName: p.split("/").pop(), policyArn: p })),
      permissionsBoundary: null,
      tags: [],
    },
    { tags: {} },
  );
}
east.push(
  iamUser("ci-deploy", "AIDA4Q2W6E8R0T2Y4U6I8", { path: "/automation/", created: "2022-08-14T10:19:33.000Z", groups: ["deployers"], policies: [] }),
  iamUser("reports-export", "AIDA7Z5X3C1V9B7N5M3K1", { path: "/automation/", created: "2019-06-02T15:47:08.000Z", groups: [], policies: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] }),
  iamUser("dana.ops", "AIDA2S4D6F8G0H2J4K6L8", { path: "/", created: "2024-01-09T09:12:55.000Z", groups: ["operators"], policies: [] }),
);

// ---------------------------------------------------------------- Config recorder and unsupported types
function recorder(region, allSupported) {
  return ci(region, "AWS::Config::ConfigurationRecorder", "default", "default", `arn:aws:config:${region}:${ACCOUNT}:config-recorder/default`, {
    Name: "default",
    RoleARN: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    RecordingGroup: {
      AllSupported: allSupported,
      IncludeGlobalResourceTypes: region === "us-east-1",
      ResourceTypes: allSupported ? [] : ["AWS::S3::Bucket", "AWS::RDS::DBInstance", "AWS::KMS::Key", "AWS::EC2::Volume", "AWS::Logs::LogGroup"],
      RecordingStrategy: { UseOnly: allSupported ? "ALL_SUPPORTED_RESOURCE_TYPES" : "INCLUSION_BY_RESOURCE_TYPES" },
    },
    Recording: true,
  });
}
function securityGroup(region, id, name, description) {
  return ci(region, "AWS::EC2::SecurityGroup", id, name, `arn:aws:ec2:${region}:${ACCOUNT}:security-group/${id}`, {
    description,
    groupName: name,
    ipPermissions: [{ ipProtocol: "tcp", fromPort: 443, toPort: 443, ipRanges: ["0.0.0.0/0"], ipv4Ranges: [{ cidrIp: "0.0.0.0/0" }] }],
    ownerId: ACCOUNT,
    groupId: id,
    ipPermissionsEgress: [{ ipProtocol: "-1", ipRanges: ["0.0.0.0/0"], ipv4Ranges: [{ cidrIp: "0.0.0.0/0" }] }],
    vpcId: "vpc-0a1b2c3d4e5f60718",
  });
}
function lambda(region, name) {
  const arn = `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;
  return ci(region, "AWS::Lambda::Function", name, name, arn, {
    functionName: name,
    functionArn: arn,
    runtime: "python3.12",
    role: `arn:aws:iam::${ACCOUNT}:role/${name}-role`,
    handler: "app.handler",
    codeSize: 48213,
    timeout: 30,
    memorySize: 512,
    lastModified: "2026-10-30T14:02:17.000+0000",
    version: "$LATEST",
    tracingConfig: { mode: "PassThrough" },
    packageType: "Zip",
    architectures: ["arm64"],
  });
}
east.push(
  recorder("us-east-1", true),
  securityGroup("us-east-1", "sg-0e4a6c8b0d2f4a6c8", "medledger-portal-alb", "Public HTTPS to the patient portal"),
  securityGroup("us-east-1", "sg-0d3f5a7c9e1b2d4f6", "medledger-data", "Application access to the databases"),
  lambda("us-east-1", "medledger-intake"),
);

// ---------------------------------------------------------------- us-west-2 (disaster recovery)
west.push(
  kmsKey("us-west-2", K.phiDr, { description: "MedLedger PHI data key (DR replica)", manager: "CUSTOMER", rotation: true, created: "2024-03-04T20:11:32.000Z", multiRegion: true }),
  kmsKey("us-west-2", K.awsRdsDr, { description: "Default key that protects my RDS database volumes when no other key is defined", manager: "AWS", rotation: true, created: "2024-03-04T20:40:03.000Z" }),
  kmsAlias("us-west-2", "alias/medledger-phi-dr", K.phiDr),
  kmsAlias("us-west-2", "alias/aws/rds", K.awsRdsDr),
  rdsInstance("us-west-2", "medledger-patients-dr", {
    dbiResourceId: "db-5T7V9X1Z3B5D7F9H1J3L5N7P9R",
    instanceClass: "db.r6g.large",
    engine: "postgres",
    engineVersion: "16.4",
    port: 5432,
    created: "2024-03-05T02:33:18.220Z",
    backupDays: 7,
    parameterGroup: "medledger-postgres16-tls",
    kmsKeyId: keyArn("us-west-2", K.phiDr),
    replicaSource: `arn:aws:rds:us-east-1:${ACCOUNT}:db:medledger-patients-db`,
  }),
  bucket("us-west-2", `medledger-phi-documents-replica-${ACCOUNT}`, {
    created: "2024-03-04T21:02:10.000Z",
    sse: "aws:kms",
    kmsKey: keyArn("us-west-2", K.phiDr),
    bucketKey: true,
    statements: [denyInsecure(`medledger-phi-documents-replica-${ACCOUNT}`), denyOldTls(`medledger-phi-documents-replica-${ACCOUNT}`)],
  }),
  bucket("us-west-2", `medledger-dr-backups-${ACCOUNT}`, {
    created: "2024-03-04T21:05:48.000Z",
    sse: "aws:kms", // SSE-KMS with the AWS managed aws/s3 key (no key id)
    statements: [denyInsecure(`medledger-dr-backups-${ACCOUNT}`)],
  }),
  volume("us-west-2", "vol-0e5f60718293a4b52", { created: "2024-03-05T03:10:00.000Z", kmsKeyId: keyArn("us-west-2", K.phiDr), size: 500, instance: "i-0a9b8c7d6e5f4a3b2", device: "/dev/sdf" }),
  logGroup("us-west-2", "/medledger/dr", { created: "2024-03-05T03:30:00.000Z", retention: 365, bytes: 120044718, kmsKeyId: keyArn("us-west-2", K.phiDr) }),
  recorder("us-west-2", false), // records selected types only
  securityGroup("us-west-2", "sg-0f6b8d0a2c4e6a8b0", "medledger-dr-data", "Replication into the DR database"),
  lambda("us-west-2", "medledger-dr-failover"),
);

function write(region, items, snapshotId) {
  const doc = { fileVersion: "1.0", configSnapshotId: snapshotId, configurationItems: items };
  const file = join(HERE, `config-snapshot-${region}.json.gz`);
  // mtime 0 in the gzip header keeps regenerated files byte-identical.
  writeFileSync(file, gzipSync(Buffer.from(`${JSON.stringify(doc, null, 2)}\n`), { level: 9 }));
  return file;
}
console.log(write("us-east-1", east, "8f2c6a1e-3b7d-4e9a-a5c1-7d0f2e4b6a88"));
console.log(write("us-west-2", west, "1d4b7e0a-6c2f-4b8d-9e3a-5f1c8a2d4e67"));
