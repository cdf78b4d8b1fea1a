import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResourceDocument } from "../../src/core/types.js";
import { type ScanResult, scan } from "../../src/scan.js";

/** The scan clock used by every reporter test. */
export const NOW = new Date("2026-11-22T10:00:00.000Z");

/** A name that tries HTML, Markdown, CSV-formula and XML injection at once. */
export const NASTY_NAME = `=HYPERLINK("http://evil")<script>alert(1)</script>|*x*,"q"&amp;\u0001`;

const at = NOW.toISOString();
const ev = (call: string, region = "us-east-1") => [{ call, region, at, sha256: "a".repeat(64) }];

function rds(
  name: string,
  account: string,
  region: string,
  props: Record<string, unknown>,
  missing?: Record<string, string>,
): ResourceDocument {
  return {
    type: "aws.rds.db_instance",
    id: `arn:aws:rds:${region}:${account}:db:${name}`,
    name,
    provider: "aws",
    account,
    region,
    source: "aws-api",
    collectedAt: at,
    properties: { engine: "postgres", ...props },
    ...(missing ? { missing } : {}),
    evidence: ev("rds:DescribeDBInstances", region),
  };
}

function kmsKey(id: string, account: string, region: string, rotationEnabled: boolean): ResourceDocument {
  return {
    type: "aws.kms.key",
    id: `arn:aws:kms:${region}:${account}:key/${id}`,
    name: id,
    provider: "aws",
    account,
    region,
    source: "aws-api",
    collectedAt: at,
    properties: {
      keyId: id,
      enabled: true,
      keyState: "Enabled",
      keyManager: "CUSTOMER",
      origin: "AWS_KMS",
      keySpec: "SYMMETRIC_DEFAULT",
      keyUsage: "ENCRYPT_DECRYPT",
      rotationEnabled,
      rotationPeriodDays: rotationEnabled ? 365 : null,
      pendingDeletion: false,
    },
    evidence: ev("kms:GetKeyRotationStatus", region),
  };
}

/** Resource documents covering pass, fail, error, waived (active and expired waivers), not applicable, and secrets. */
export function sampleResources(): ResourceDocument[] {
  return [
    rds("patients-db", "111122223333", "us-east-1", {
      storageEncrypted: false,
      forceSsl: false,
      masterUserPassword: "hunter2-super-secret",
      description: "postgres://admin:pa55word@db.internal:5432/app",
    }),
    rds(
      "billing-db",
      "111122223333",
      "us-east-1",
      {
        storageEncrypted: true,
        kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k1",
        kmsKeyManager: "CUSTOMER",
      },
      { forceSsl: "AccessDenied on rds:DescribeDBParameters" },
    ),
    rds(NASTY_NAME, "444455556666", "eu-west-1", { storageEncrypted: false, forceSsl: true }),
    rds("graph-db", "444455556666", "eu-west-1", { engine: "neptune", storageEncrypted: false }),
    kmsKey("waived-key", "111122223333", "us-east-1", false),
    kmsKey("expired-waiver-key", "111122223333", "us-east-1", false),
    kmsKey("good-key", "444455556666", "eu-west-1", true),
    {
      type: "endpoint.tls",
      id: "api.example.com:443",
      name: "api.example.com:443",
      provider: "endpoint",
      source: "endpoint",
      collectedAt: at,
      properties: {
        host: "api.example.com",
        port: 443,
        minProtocolVersion: 1.0,
        protocols: ["TLSv1", "TLSv1.2"],
        certificateTrusted: true,
        privateKey:
          "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----",
      },
      evidence: [{ call: "tls:handshake", at }],
    },
  ];
}

/** A config file with one active and one expired waiver. */
export function sampleConfig(dir = mkdtempSync(join(tmpdir(), "cipherproof-report-"))): string {
  const file = join(dir, "cipherproof.config.json");
  writeFileSync(
    file,
    JSON.stringify({
      waivers: [
        {
          policy: "kms-key-rotation-enabled",
          resource: "*waived-key",
          reason: "migrating to a new key",
          owner: "sec@medledger.example",
          ticket: "SEC-101",
          expires: "2027-01-31",
        },
        {
          policy: "kms-key-rotation-enabled",
          resource: "*expired-waiver-key",
          reason: "legacy <b>app</b>",
          owner: "ops@medledger.example",
          ticket: "SEC-7",
          expires: "2026-01-31",
        },
      ],
    }),
  );
  return file;
}

/** A real scan over the sample resources with the built-in pack and frameworks. */
export async function sampleScan(): Promise<ScanResult> {
  return scan({ resources: sampleResources(), now: NOW, configFile: sampleConfig() });
}

/** The sample scan blown up to `n` findings (ids stay unique; statuses cycle through the sample's), for size tests. */
export function scaled(result: ScanResult, n: number): ScanResult {
  const base = result.findings;
  const findings = Array.from({ length: n }, (_, i) => {
    const f = base[i % base.length];
    return {
      ...f,
      id: `${f.id.slice(0, 8)}${i.toString(16).padStart(8, "0")}`,
      resourceId: `${f.resourceId}-${i}`,
      resource: { ...f.resource, name: `${f.resource.name.slice(0, 24)}-${i}` },
    };
  });
  return { ...result, findings, summary: summarizeAll(findings) };
}

import { summarize as summarizeAll } from "../../src/core/summary.js";
