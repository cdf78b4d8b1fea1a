import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  collectSnapshots,
  type SnapshotCollection,
} from "../../../src/collectors/aws-config-snapshot/index.js";
import type { ResourceDocument } from "../../../src/core/types.js";
import { expectValidDocuments, NOW } from "./fixtures.js";

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../examples/healthcare-saas");
const FILES = [
  join(DIR, "config-snapshot-us-east-1.json.gz"),
  join(DIR, "config-snapshot-us-west-2.json.gz"),
];

describe("examples/healthcare-saas", () => {
  let r: SnapshotCollection;
  const byName = (type: string, name: string): ResourceDocument => {
    const d = r.resources.find((x) => x.type === type && x.name === name);
    expect(d, `${type} ${name}`).toBeDefined();
    return d!;
  };
  beforeAll(async () => {
    r = await collectSnapshots(FILES, { now: NOW });
  });

  it("loads about 40 resources over two regions of one account", () => {
    expect(r.resources.length).toBeGreaterThanOrEqual(38);
    expect(r.resources.length).toBeLessThanOrEqual(48);
    expect(new Set(r.resources.map((d) => d.account))).toEqual(new Set(["111122223333"]));
    const regions = new Set(r.resources.map((d) => d.region).filter((x) => x !== "global"));
    expect(regions).toEqual(new Set(["us-east-1", "us-west-2"]));
    expect(r.resources.filter((d) => d.type === "aws.account.region").map((d) => d.region)).toEqual([
      "us-east-1",
      "us-west-2",
    ]);
    expect(r.unsupportedTypes).toEqual({ "AWS::EC2::SecurityGroup": 3, "AWS::Lambda::Function": 2 });
    expect(r.skipped).toBe(1);
  });

  it("records each file with the SHA-256 of its gzip bytes", () => {
    expect(r.files.map((f) => f.file)).toEqual(FILES);
    for (const f of r.files)
      expect(f.sha256).toBe(createHash("sha256").update(readFileSync(f.file)).digest("hex"));
    expect(r.files.every((f) => f.items > 0)).toBe(true);
  });

  it("every document validates against its type schema", () => {
    expectValidDocuments(r.resources);
    const types = new Set(r.resources.map((d) => d.type));
    for (const t of [
      "aws.rds.db_instance",
      "aws.rds.db_cluster",
      "aws.rds.db_snapshot",
      "aws.s3.bucket",
      "aws.kms.key",
      "aws.cloudtrail.trail",
      "aws.ec2.volume",
      "aws.elbv2.listener",
      "aws.logs.log_group",
      "aws.acm.certificate",
      "aws.secretsmanager.secret",
      "aws.iam.user",
      "aws.account.region",
    ]) {
      expect(types.has(t), t).toBe(true);
    }
  });

  it("carries the deliberate non-compliance the README describes", () => {
    expect(byName("aws.rds.db_instance", "medledger-legacy-reports").properties.storageEncrypted).toBe(false);
    expect(byName("aws.rds.db_instance", "medledger-billing-db").properties).toMatchObject({
      storageEncrypted: true,
      kmsKeyManager: "AWS",
    });
    expect(byName("aws.rds.db_instance", "medledger-patients-db").properties).toMatchObject({
      storageEncrypted: true,
      kmsKeyManager: "CUSTOMER",
    });
    expect(byName("aws.rds.db_snapshot", "medledger-legacy-reports-pre-migration").properties.encrypted).toBe(
      false,
    );
    expect(byName("aws.s3.bucket", "medledger-exports-111122223333").properties.encryptionAlgorithm).toBe(
      "AES256",
    );
    expect(
      byName("aws.s3.bucket", "medledger-web-assets-111122223333").properties.policyDeniesInsecureTransport,
    ).toBe(false);
    expect(byName("aws.s3.bucket", "medledger-phi-documents-111122223333").properties).toMatchObject({
      encryptionAlgorithm: "aws:kms",
      kmsKeyManager: "CUSTOMER",
      policyDeniesInsecureTransport: true,
      minimumTlsVersion: 1.2,
    });
    expect(byName("aws.s3.bucket", "medledger-dr-backups-111122223333").properties).toMatchObject({
      kmsKeyId: null,
      kmsKeyManager: "AWS",
    });
    expect(byName("aws.ec2.volume", "vol-0c3d4e5f607182930").properties).toMatchObject({
      encrypted: false,
      attached: false,
    });
    expect(byName("aws.elbv2.listener", "medledger-legacy-api:HTTP:80").properties).toMatchObject({
      protocol: "HTTP",
      redirectsToHttps: false,
    });
    expect(byName("aws.elbv2.listener", "medledger-portal:HTTP:80").properties).toMatchObject({
      protocol: "HTTP",
      redirectsToHttps: true,
    });
    expect(byName("aws.elbv2.listener", "medledger-legacy-api:HTTPS:443").properties).toMatchObject({
      sslPolicy: "ELBSecurityPolicy-2016-08",
      sslPolicyMinTlsVersion: 1.0,
    });
    expect(byName("aws.elbv2.listener", "medledger-portal:HTTPS:443").properties).toMatchObject({
      sslPolicyMinTlsVersion: 1.2,
      loadBalancerScheme: "internet-facing",
    });
    expect(byName("aws.cloudtrail.trail", "medledger-phi-data-events").properties).toMatchObject({
      logFileValidationEnabled: false,
      isMultiRegionTrail: false,
      kmsKeyId: null,
    });
    expect(byName("aws.logs.log_group", "/aws/lambda/medledger-intake").properties).toMatchObject({
      kmsKeyId: null,
      retentionDays: 30,
    });
    expect(byName("aws.acm.certificate", "api.medledger.example").properties).toMatchObject({
      daysUntilExpiry: 10,
      certificateType: "IMPORTED",
    });
    expect(byName("aws.kms.key", "0b9e7c55-2f14-4c1d-a8e3-5d6f7a8b9c01").properties).toMatchObject({
      rotationEnabled: false,
      keyManager: "CUSTOMER",
    });
    expect(byName("aws.kms.key", "0b9e7c55-2f14-4c1d-a8e3-5d6f7a8b9c01").properties.aliases).toEqual([
      "alias/medledger-logs",
    ]);
    expect(byName("aws.kms.key", "3c5d7e9f-1a2b-4c3d-8e4f-5a6b7c8d9e02").properties).toMatchObject({
      keyManager: "AWS",
      aliases: ["alias/aws/rds"],
    });
    expect(byName("aws.secretsmanager.secret", "medledger/prod/stripe-api-key").properties).toMatchObject({
      rotationEnabled: false,
      kmsKeyManager: "AWS",
    });
    expect(byName("aws.account.region", "111122223333/us-west-2").properties.configRecordsAllSupported).toBe(
      false,
    );
    expect(r.resources.filter((d) => d.type === "aws.iam.user")).toHaveLength(3);
  });

  it("what a snapshot cannot carry is missing, never a compliant default", () => {
    for (const d of r.resources.filter((x) => x.type === "aws.rds.db_instance"))
      expect(d.missing).toHaveProperty("forceSsl");
    for (const d of r.resources.filter((x) => x.type === "aws.cloudtrail.trail"))
      expect(d.missing).toHaveProperty("isLogging");
    for (const d of r.resources.filter((x) => x.type === "aws.iam.user"))
      expect(d.missing).toHaveProperty("oldestActiveAccessKeyAgeDays");
    for (const d of r.resources.filter((x) => x.type === "aws.account.region"))
      expect(d.missing).toHaveProperty("ebsEncryptionByDefault");
  });
});
