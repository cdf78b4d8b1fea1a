import { describe, expect, it } from "vitest";
import { FORCE_SSL_REASON } from "../../../src/collectors/aws-config-snapshot/map-rds-db-instance.js";
import { ACCOUNT, ci, expectValidDocuments, mapItems, only } from "./fixtures.js";

const CMK = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const AWS_RDS_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/aaaa1111-2222-3333-4444-555566667777`;

const key = (id: string, manager: "AWS" | "CUSTOMER") =>
  ci(
    "AWS::KMS::Key",
    id,
    {
      keyId: id,
      arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`,
      keyManager: manager,
      keyState: "Enabled",
    },
    { ARN: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}` },
  );

const instance = (over: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  ci(
    "AWS::RDS::DBInstance",
    "db-ABCDEFGHIJKLMNOPQRSTUVWXY1",
    {
      dBInstanceIdentifier: "patients",
      dBInstanceClass: "db.r6g.large",
      engine: "postgres",
      engineVersion: "16.4",
      dBInstanceStatus: "available",
      dBParameterGroups: [{ dBParameterGroupName: "pg16-tls", parameterApplyStatus: "in-sync" }],
      backupRetentionPeriod: 7,
      publiclyAccessible: false,
      dBClusterIdentifier: null,
      storageEncrypted: true,
      kmsKeyId: CMK,
      cACertificateIdentifier: "rds-ca-rsa2048-g1",
      iAMDatabaseAuthenticationEnabled: true,
      ...over,
    },
    { resourceName: "patients", ARN: `arn:aws:rds:us-east-1:${ACCOUNT}:db:patients`, ...extra },
  );

describe("AWS::RDS::DBInstance → aws.rds.db_instance", () => {
  it("maps an encrypted instance and classifies its customer managed key", () => {
    const r = mapItems(key("1234abcd-12ab-34cd-56ef-1234567890ab", "CUSTOMER"), instance());
    const doc = only(r, "aws.rds.db_instance");
    expect(doc).toMatchObject({
      id: `arn:aws:rds:us-east-1:${ACCOUNT}:db:patients`,
      name: "patients",
      account: ACCOUNT,
      region: "us-east-1",
      collectedAt: "2026-11-22T05:00:00.000Z",
      evidence: [{ call: "config:snapshot", file: "snapshot.json", sha256: "a".repeat(64) }],
    });
    expect(doc.properties).toEqual({
      engine: "postgres",
      engineVersion: "16.4",
      instanceClass: "db.r6g.large",
      status: "available",
      clusterId: null,
      storageEncrypted: true,
      kmsKeyId: CMK,
      kmsKeyManager: "CUSTOMER",
      parameterGroups: ["pg16-tls"],
      publiclyAccessible: false,
      backupRetentionDays: 7,
      iamAuthEnabled: true,
      caCertificateIdentifier: "rds-ca-rsa2048-g1",
    });
    expect(doc.missing).toEqual({
      forceSsl: FORCE_SSL_REASON,
      caCertificateDaysUntilExpiry: expect.stringContaining("use --aws"),
    });
    expectValidDocuments(r.resources);
  });

  it("marks an unencrypted instance with null key facts", () => {
    const doc = only(mapItems(instance({ storageEncrypted: false, kmsKeyId: null })), "aws.rds.db_instance");
    expect(doc.properties).toMatchObject({ storageEncrypted: false, kmsKeyId: null, kmsKeyManager: null });
    expect(doc.missing).not.toHaveProperty("kmsKeyManager");
  });

  it("classifies the aws/rds key as AWS managed when its key item is loaded", () => {
    const doc = only(
      mapItems(key("aaaa1111-2222-3333-4444-555566667777", "AWS"), instance({ kmsKeyId: AWS_RDS_KEY })),
      "aws.rds.db_instance",
    );
    expect(doc.properties.kmsKeyManager).toBe("AWS");
  });

  it("leaves kmsKeyManager missing when the key's item is not loaded, never guessing", () => {
    const doc = only(mapItems(instance()), "aws.rds.db_instance");
    expect(doc.properties).toHaveProperty("kmsKeyId", CMK);
    expect(doc.properties).not.toHaveProperty("kmsKeyManager");
    expect(doc.missing?.kmsKeyManager).toMatch(/not among the loaded snapshots/);
  });

  it("records the cluster of an Aurora member; the server certificate's expiry is not taken for the CA's", () => {
    const doc = only(
      mapItems(
        instance({
          engine: "aurora-postgresql",
          dBClusterIdentifier: "analytics",
          certificateDetails: { cAIdentifier: "rds-ca-rsa2048-g1", validTill: "2027-11-22T10:00:00Z" },
        }),
      ),
      "aws.rds.db_instance",
    );
    expect(doc.properties).toMatchObject({
      clusterId: "analytics",
      caCertificateIdentifier: "rds-ca-rsa2048-g1",
    });
    expect(doc.properties).not.toHaveProperty("caCertificateDaysUntilExpiry");
    expect(doc.missing?.caCertificateDaysUntilExpiry).toMatch(/validTill is the server certificate's/);
  });

  it("builds an ARN when the item has none", () => {
    const doc = only(mapItems(instance({}, { ARN: undefined })), "aws.rds.db_instance");
    expect(doc.id).toBe(`arn:aws:rds:us-east-1:${ACCOUNT}:db:patients`);
  });

  it("lists fields absent from the item as missing", () => {
    const doc = only(
      mapItems(instance({ storageEncrypted: undefined, kmsKeyId: undefined, publiclyAccessible: undefined })),
      "aws.rds.db_instance",
    );
    expect(Object.keys(doc.missing ?? {})).toEqual(
      expect.arrayContaining(["storageEncrypted", "kmsKeyId", "kmsKeyManager", "publiclyAccessible"]),
    );
    expectValidDocuments([doc]);
  });
});

describe("AWS::RDS::DBCluster → aws.rds.db_cluster", () => {
  const cluster = (over: Record<string, unknown> = {}) =>
    ci(
      "AWS::RDS::DBCluster",
      "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
      {
        dbclusterIdentifier: "analytics",
        engine: "aurora-postgresql",
        engineVersion: "15.8",
        status: "available",
        storageEncrypted: true,
        kmsKeyId: CMK,
        dbclusterParameterGroup: "aurora-pg15-tls",
        backupRetentionPeriod: 14,
        iamdatabaseAuthenticationEnabled: false,
        deletionProtection: true,
        dbclusterMembers: [
          { dbinstanceIdentifier: "analytics-1", isClusterWriter: true },
          { dbinstanceIdentifier: "analytics-2", isClusterWriter: false },
        ],
        ...over,
      },
      { resourceName: "analytics", ARN: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:analytics` },
    );

  it("maps the cluster with Config's lower-cased field names", () => {
    const r = mapItems(key("1234abcd-12ab-34cd-56ef-1234567890ab", "CUSTOMER"), cluster());
    const doc = only(r, "aws.rds.db_cluster");
    expect(doc.properties).toEqual({
      engine: "aurora-postgresql",
      engineVersion: "15.8",
      status: "available",
      storageEncrypted: true,
      kmsKeyId: CMK,
      kmsKeyManager: "CUSTOMER",
      parameterGroup: "aurora-pg15-tls",
      backupRetentionDays: 14,
      iamAuthEnabled: false,
      deletionProtection: true,
      members: ["analytics-1", "analytics-2"],
    });
    expect(Object.keys(doc.missing ?? {})).toEqual(["forceSsl"]);
    expectValidDocuments(r.resources);
  });

  it("reads the dBCluster… spelling as well", () => {
    const doc = only(
      mapItems(
        cluster({
          dbclusterIdentifier: undefined,
          dBClusterIdentifier: "analytics",
          dbclusterParameterGroup: undefined,
          dBClusterParameterGroup: "pg",
          dbclusterMembers: undefined,
          dBClusterMembers: [{ dBInstanceIdentifier: "a-1" }],
          iamdatabaseAuthenticationEnabled: undefined,
          iAMDatabaseAuthenticationEnabled: true,
        }),
      ),
      "aws.rds.db_cluster",
    );
    expect(doc.properties).toMatchObject({ parameterGroup: "pg", members: ["a-1"], iamAuthEnabled: true });
  });
});

describe("AWS::RDS::DBSnapshot and DBClusterSnapshot → aws.rds.db_snapshot", () => {
  it("maps an unencrypted public manual snapshot", () => {
    const r = mapItems(
      ci(
        "AWS::RDS::DBSnapshot",
        "legacy-final",
        {
          dBSnapshotIdentifier: "legacy-final",
          dBInstanceIdentifier: "legacy",
          engine: "postgres",
          snapshotType: "manual",
          encrypted: false,
          kmsKeyId: null,
          snapshotCreateTime: "2026-08-03T22:15:09.644Z",
        },
        {
          supplementaryConfiguration: {
            DBSnapshotAttributes: [{ attributeName: "restore", attributeValues: ["all"] }],
          },
        },
      ),
    );
    const doc = only(r, "aws.rds.db_snapshot");
    expect(doc.id).toBe(`arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:legacy-final`);
    expect(doc.properties).toEqual({
      engine: "postgres",
      snapshotType: "manual",
      sourceId: "legacy",
      encrypted: false,
      kmsKeyId: null,
      kmsKeyManager: null,
      publiclyShared: true,
      createdAt: "2026-08-03T22:15:09.644Z",
    });
    expect(doc.missing).toEqual({});
    expectValidDocuments(r.resources);
  });

  it("maps a cluster snapshot; without restore attributes publiclyShared is missing", () => {
    const r = mapItems(
      key("1234abcd-12ab-34cd-56ef-1234567890ab", "CUSTOMER"),
      ci("AWS::RDS::DBClusterSnapshot", "rds:analytics-2026-11-21", {
        dbclusterSnapshotIdentifier: "rds:analytics-2026-11-21",
        dbclusterIdentifier: "analytics",
        engine: "aurora-postgresql",
        snapshotType: "automated",
        storageEncrypted: true,
        kmsKeyId: CMK,
        snapshotCreateTime: "2026-11-21T06:31:12.007Z",
      }),
    );
    const doc = only(r, "aws.rds.db_snapshot");
    expect(doc.id).toBe(`arn:aws:rds:us-east-1:${ACCOUNT}:cluster-snapshot:rds:analytics-2026-11-21`);
    expect(doc.properties).toMatchObject({
      sourceId: "analytics",
      encrypted: true,
      kmsKeyManager: "CUSTOMER",
    });
    expect(doc.missing).toHaveProperty("publiclyShared");
    expectValidDocuments(r.resources);
  });
});
