import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { REASON } from "../../../src/collectors/aws-config-snapshot/document.js";
import { collectSnapshots, mapSnapshotDocument } from "../../../src/collectors/aws-config-snapshot/index.js";
import {
  ACCOUNT,
  asBaseItem,
  asSelectResult,
  ci,
  expectValidDocuments,
  FILE,
  mapFiles,
  NOW,
  only,
  roundTrip,
  snapshot,
} from "./fixtures.js";

const CMK_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const CMK = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${CMK_ID}`;
const ITEMS = [
  ci(
    "AWS::KMS::Key",
    CMK_ID,
    {
      keyId: CMK_ID,
      arn: CMK,
      creationDate: "2025-01-01T00:00:00.000Z",
      enabled: true,
      keyState: "Enabled",
      keyManager: "CUSTOMER",
      origin: "AWS_KMS",
      keySpec: "SYMMETRIC_DEFAULT",
      keyUsage: "ENCRYPT_DECRYPT",
      multiRegion: false,
      description: "",
    },
    { ARN: CMK, supplementaryConfiguration: { KeyRotationStatus: true } },
  ),
  ci(
    "AWS::RDS::DBInstance",
    "db-ABC",
    {
      dBInstanceIdentifier: "patients",
      engine: "postgres",
      engineVersion: "16.4",
      dBInstanceClass: "db.t4g.micro",
      dBInstanceStatus: "available",
      storageEncrypted: true,
      kmsKeyId: CMK,
      publiclyAccessible: false,
      backupRetentionPeriod: 7,
      dBParameterGroups: [],
      iAMDatabaseAuthenticationEnabled: false,
      cACertificateIdentifier: "rds-ca-rsa2048-g1",
    },
    { resourceName: "patients", ARN: `arn:aws:rds:us-east-1:${ACCOUNT}:db:patients` },
  ),
  ci(
    "AWS::S3::Bucket",
    "docs",
    { name: "docs", creationDate: "2024-01-01T00:00:00.000Z" },
    {
      ARN: "arn:aws:s3:::docs",
      supplementaryConfiguration: {
        ServerSideEncryptionConfiguration: {
          rules: [
            {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyID: CMK },
              bucketKeyEnabled: true,
            },
          ],
        },
        BucketPolicy: {
          policyText: JSON.stringify({
            Statement: [
              {
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: "arn:aws:s3:::docs/*",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          }),
        },
        BucketVersioningConfiguration: { status: "Enabled" },
        BucketLoggingConfiguration: { destinationBucketName: "logs" },
        PublicAccessBlockConfiguration: {
          blockPublicAcls: true,
          ignorePublicAcls: true,
          blockPublicPolicy: true,
          restrictPublicBuckets: false,
        },
      },
    },
  ),
];

const strip = (docs: Array<{ evidence?: unknown }>) => docs.map(({ evidence: _e, ...rest }) => rest);

describe("input formats", () => {
  const fromSnapshot = mapSnapshotDocument(roundTrip(snapshot(...ITEMS)), FILE, { now: NOW });

  it("a delivered snapshot maps every item", () => {
    expect(fromSnapshot.resources.map((d) => d.type)).toEqual([
      "aws.kms.key",
      "aws.rds.db_instance",
      "aws.s3.bucket",
      "aws.account.region",
    ]);
    expect(only(fromSnapshot, "aws.rds.db_instance").properties.kmsKeyManager).toBe("CUSTOMER");
    expect(only(fromSnapshot, "aws.s3.bucket").properties).toMatchObject({
      policyDeniesInsecureTransport: true,
      publicAccessBlocked: false,
    });
    expect(fromSnapshot.files).toEqual([{ file: FILE.file, sha256: FILE.sha256, items: 3 }]);
    expectValidDocuments(fromSnapshot.resources);
  });

  it("batch-get-resource-config output (JSON-encoded configuration strings) gives the same documents", () => {
    const doc = { baseConfigurationItems: ITEMS.map(asBaseItem), unprocessedResourceKeys: [] };
    expect(typeof doc.baseConfigurationItems[0].configuration).toBe("string");
    const r = mapSnapshotDocument(roundTrip(doc), FILE, { now: NOW });
    expect(strip(r.resources)).toEqual(strip(fromSnapshot.resources));
    expect(r.resources[0].evidence).toEqual([
      { call: "configservice batch-get-resource-config", file: "snapshot.json", sha256: FILE.sha256 },
    ]);
    expectValidDocuments(r.resources);
  });

  it("select-resource-config output (result strings) gives the same documents when everything is selected", () => {
    const fields = [
      "accountId",
      "arn",
      "awsRegion",
      "configurationItemCaptureTime",
      "configurationItemStatus",
      "resourceId",
      "resourceName",
      "resourceType",
      "configuration",
      "supplementaryConfiguration",
    ];
    const doc = {
      Results: ITEMS.map((i) => asSelectResult(i)),
      QueryInfo: { SelectFields: fields.map((Name) => ({ Name })) },
    };
    const r = mapSnapshotDocument(roundTrip(doc), FILE, { now: NOW });
    expect(strip(r.resources)).toEqual(strip(fromSnapshot.resources));
    expect(r.resources[0].evidence?.[0].call).toBe("configservice select-resource-config");
  });

  it("fields a select query did not return are missing with a reason, never defaulted", () => {
    const partial = JSON.stringify({
      resourceId: "db-ABC",
      resourceType: "AWS::RDS::DBInstance",
      accountId: ACCOUNT,
      awsRegion: "us-east-1",
      configuration: { dBInstanceIdentifier: "patients", storageEncrypted: false },
    });
    const bucket = JSON.stringify({
      resourceId: "docs",
      resourceType: "AWS::S3::Bucket",
      awsRegion: "us-east-1",
      configuration: { name: "docs" },
    });
    const r = mapSnapshotDocument(
      {
        Results: [partial, bucket],
        QueryInfo: { SelectFields: [{ Name: "resourceId" }, { Name: "configuration" }] },
      },
      FILE,
      { now: NOW },
    );
    const db = only(r, "aws.rds.db_instance");
    expect(db.id).toBe(`arn:aws:rds:us-east-1:${ACCOUNT}:db:patients`);
    expect(db.collectedAt).toBe(NOW.toISOString());
    expect(db.properties).toEqual({ storageEncrypted: false, kmsKeyId: null, kmsKeyManager: null });
    expect(db.missing?.engine).toBe(REASON.notSelected);
    const s3 = only(r, "aws.s3.bucket");
    expect(s3.properties).toEqual({});
    expect(s3.missing?.encryptionAlgorithm).toBe(REASON.notSelected);
    expect(s3.missing?.publicAccessBlocked).toBe(REASON.notSelected);
    expectValidDocuments(r.resources);
  });
});

describe("items, counts and resolution across files", () => {
  it("counts unsupported types and skips deleted / not recorded items", () => {
    const r = mapSnapshotDocument(
      roundTrip(
        snapshot(
          ci("AWS::EC2::SecurityGroup", "sg-1", { groupId: "sg-1" }),
          ci("AWS::EC2::SecurityGroup", "sg-2", { groupId: "sg-2" }),
          ci("AWS::Lambda::Function", "fn", { functionName: "fn" }),
          ci("AWS::EC2::Volume", "vol-gone", null, { configurationItemStatus: "ResourceDeleted" }),
          ci("AWS::RDS::DBInstance", "db-x", null, { configurationItemStatus: "ResourceNotRecorded" }),
          ci("AWS::S3::Bucket", "b", null, { configurationItemStatus: "ResourceDeletedNotRecorded" }),
        ),
      ),
      FILE,
      { now: NOW },
    );
    expect(r.unsupportedTypes).toEqual({ "AWS::EC2::SecurityGroup": 2, "AWS::Lambda::Function": 1 });
    expect(r.skipped).toBe(3);
    expect(r.files[0].items).toBe(6);
    expect(r.resources.map((d) => d.type)).toEqual(["aws.account.region"]);
  });

  it("resolves a KMS key found in another file (and an alias ARN through an alias item)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-snap-"));
    try {
      const keys = join(dir, "keys.json");
      const data = join(dir, "data.json");
      writeFileSync(
        keys,
        JSON.stringify(
          snapshot(
            ITEMS[0],
            ci("AWS::KMS::Alias", "alias/phi", { AliasName: "alias/phi", TargetKeyId: CMK_ID }),
          ),
        ),
      );
      const volume = ci("AWS::EC2::Volume", "vol-1", {
        volumeId: "vol-1",
        encrypted: true,
        kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/phi`,
        state: "available",
        attachments: [],
        size: 8,
        volumeType: "gp3",
        availabilityZone: "us-east-1a",
      });
      writeFileSync(data, JSON.stringify(snapshot(ITEMS[1], volume)));
      const alone = await collectSnapshots([data], { now: NOW });
      expect(only(alone, "aws.rds.db_instance").missing?.kmsKeyManager).toMatch(
        /not among the loaded snapshots/,
      );
      expect(only(alone, "aws.ec2.volume").missing?.kmsKeyManager).toMatch(/alias\/phi cannot be resolved/);
      const both = await collectSnapshots([data, keys], { now: NOW });
      expect(only(both, "aws.rds.db_instance").properties.kmsKeyManager).toBe("CUSTOMER");
      expect(only(both, "aws.ec2.volume").properties.kmsKeyManager).toBe("CUSTOMER");
      expectValidDocuments(both.resources);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a resource whose latest item says ResourceDeleted is not reported, even if an older file has it", () => {
    const config = {
      volumeId: "vol-1",
      encrypted: false,
      state: "available",
      attachments: [],
      size: 8,
      volumeType: "gp2",
      availabilityZone: "us-east-1a",
    };
    const alive = ci("AWS::EC2::Volume", "vol-1", config, {
      configurationItemCaptureTime: "2026-11-01T00:00:00.000Z",
    });
    const deleted = ci("AWS::EC2::Volume", "vol-1", null, {
      configurationItemCaptureTime: "2026-11-20T00:00:00.000Z",
      configurationItemStatus: "ResourceDeleted",
    });
    const r = mapFiles(
      { doc: snapshot(alive), file: "old.json" },
      { doc: snapshot(deleted), file: "new.json" },
    );
    expect(r.resources.filter((d) => d.type === "aws.ec2.volume")).toEqual([]);
    expect(r.skipped).toBe(1);
    // And the other way round: recreated after the deletion.
    const recreated = ci("AWS::EC2::Volume", "vol-1", config, {
      configurationItemCaptureTime: "2026-11-21T00:00:00.000Z",
    });
    expect(
      mapFiles({ doc: snapshot(deleted, recreated), file: "x.json" }).resources.filter(
        (d) => d.type === "aws.ec2.volume",
      ),
    ).toHaveLength(1);
  });

  it("the same resource in two files is reported once, from the latest capture", () => {
    const older = ci(
      "AWS::EC2::Volume",
      "vol-1",
      {
        volumeId: "vol-1",
        encrypted: false,
        state: "available",
        attachments: [],
        size: 8,
        volumeType: "gp2",
        availabilityZone: "us-east-1a",
      },
      { configurationItemCaptureTime: "2026-11-01T00:00:00.000Z" },
    );
    const newer = ci(
      "AWS::EC2::Volume",
      "vol-1",
      {
        volumeId: "vol-1",
        encrypted: false,
        state: "available",
        attachments: [],
        size: 8,
        volumeType: "gp3",
        availabilityZone: "us-east-1a",
      },
      { configurationItemCaptureTime: "2026-11-20T00:00:00.000Z" },
    );
    const r = mapSnapshotDocument(roundTrip(snapshot(newer, older)), FILE, { now: NOW });
    const doc = only(r, "aws.ec2.volume");
    expect(doc.properties.volumeType).toBe("gp3");
    expect(doc.collectedAt).toBe("2026-11-20T00:00:00.000Z");
  });
});

describe("reading files", () => {
  const dir = mkdtempSync(join(tmpdir(), "cp-snap-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = JSON.stringify(snapshot(ITEMS[1]));

  it("reads plain JSON, gzip by extension, gzip by magic bytes, and a .gz name on plain JSON", async () => {
    const files = {
      plain: join(dir, "a.json"),
      gz: join(dir, "b.json.gz"),
      disguised: join(dir, "c.json"),
      misnamed: join(dir, "d.json.gz"),
    };
    writeFileSync(files.plain, text);
    writeFileSync(files.gz, gzipSync(text));
    writeFileSync(files.disguised, gzipSync(text));
    writeFileSync(files.misnamed, text);
    const r = await collectSnapshots(Object.values(files), { now: NOW });
    expect(r.files.map((f) => f.file)).toEqual(Object.values(files));
    expect(r.files.map((f) => f.items)).toEqual([1, 1, 1, 1]);
    // Four copies of one resource: reported once.
    expect(r.resources.filter((d) => d.type === "aws.rds.db_instance")).toHaveLength(1);
  });

  it("records the SHA-256 of the file bytes as stored (compressed) in files and evidence", async () => {
    const gz = gzipSync(text);
    const file = join(dir, "e.json.gz");
    writeFileSync(file, gz);
    const r = await collectSnapshots([file], { now: NOW });
    const sha = createHash("sha256").update(gz).digest("hex");
    expect(r.files).toEqual([{ file, sha256: sha, items: 1 }]);
    expect(only(r, "aws.rds.db_instance").evidence).toEqual([
      { call: "config:snapshot", file: "e.json.gz", sha256: sha },
    ]);
  });
});
