import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isCipherproofError } from "../../src/core/errors.js";
import type { CompiledPolicy } from "../../src/core/policy/compile.js";
import { CATEGORIES, type Category, type Severity } from "../../src/core/types.js";
import { BUILTIN_POLICY_DIR, loadPolicies } from "../../src/loaders/policies.js";

const TEST_DIR = dirname(fileURLToPath(import.meta.url));

// The pack's contents, pinned: removing, renaming or re-scoping a built-in policy must be a deliberate change here.
const PACK: Record<string, [Category, Severity, string]> = {
  "rds-instance-storage-encrypted": ["at-rest", "high", "aws.rds.db_instance"],
  "rds-instance-encrypted-with-cmk": ["at-rest", "medium", "aws.rds.db_instance"],
  "rds-cluster-storage-encrypted": ["at-rest", "high", "aws.rds.db_cluster"],
  "rds-snapshot-encrypted": ["at-rest", "high", "aws.rds.db_snapshot"],
  "s3-bucket-default-encryption-kms": ["at-rest", "high", "aws.s3.bucket"],
  "s3-bucket-encrypted-with-cmk": ["at-rest", "medium", "aws.s3.bucket"],
  "ec2-volume-encrypted": ["at-rest", "high", "aws.ec2.volume"],
  "ec2-ebs-default-encryption-enabled": ["at-rest", "medium", "aws.account.region"],
  "secretsmanager-secret-encrypted-with-cmk": ["at-rest", "low", "aws.secretsmanager.secret"],
  "s3-bucket-policy-denies-insecure-transport": ["in-transit", "high", "aws.s3.bucket"],
  "elbv2-listener-tls-policy-min-tls12": ["in-transit", "high", "aws.elbv2.listener"],
  "elbv2-listener-http-redirects-to-https": ["in-transit", "high", "aws.elbv2.listener"],
  "elbv2-listener-http-rules-redirect-to-https": ["in-transit", "high", "aws.elbv2.listener"],
  "rds-instance-force-ssl": ["in-transit", "high", "aws.rds.db_instance"],
  "rds-cluster-force-ssl": ["in-transit", "high", "aws.rds.db_cluster"],
  "endpoint-tls-protocol-min-tls12": ["in-transit", "high", "endpoint.tls"],
  "endpoint-tls-certificate-trusted": ["in-transit", "high", "endpoint.tls"],
  "endpoint-tls-certificate-hostname-match": ["in-transit", "high", "endpoint.tls"],
  "endpoint-tls-certificate-not-expiring": ["in-transit", "high", "endpoint.tls"],
  "endpoint-tls-certificate-lifetime-max": ["in-transit", "medium", "endpoint.tls"],
  "endpoint-tls-certificate-rsa-key-strong": ["in-transit", "high", "endpoint.tls"],
  "endpoint-tls-certificate-signature-sha256": ["in-transit", "high", "endpoint.tls"],
  "endpoint-tls-tls13-offered": ["in-transit", "medium", "endpoint.tls"],
  "endpoint-tls-no-weak-cipher-suites": ["in-transit", "high", "endpoint.tls"],
  "endpoint-tls-forward-secrecy": ["in-transit", "medium", "endpoint.tls"],
  "endpoint-tls-key-exchange-strong": ["in-transit", "high", "endpoint.tls"],
  "endpoint-http-hsts-enabled": ["in-transit", "medium", "endpoint.http"],
  "endpoint-http-redirects-to-https": ["in-transit", "high", "endpoint.http"],
  "endpoint-postgres-plaintext-refused": ["in-transit", "high", "endpoint.postgres"],
  "endpoint-smtp-starttls-enabled": ["in-transit", "medium", "endpoint.smtp"],
  "kms-key-rotation-enabled": ["key-management", "high", "aws.kms.key"],
  "kms-key-not-pending-deletion": ["key-management", "medium", "aws.kms.key"],
  "acm-certificate-not-expiring-soon": ["key-management", "high", "aws.acm.certificate"],
  "acm-certificate-strong-key": ["key-management", "medium", "aws.acm.certificate"],
  "secretsmanager-secret-rotation-enabled": ["key-management", "medium", "aws.secretsmanager.secret"],
  "iam-access-key-rotated": ["key-management", "medium", "aws.iam.access_key"],
  "iam-user-access-keys-rotated": ["key-management", "medium", "aws.iam.user"],
  "cloudtrail-trail-multi-region-enabled": ["logging", "high", "aws.cloudtrail.trail"],
  "cloudtrail-trail-logging-enabled": ["logging", "high", "aws.cloudtrail.trail"],
  "cloudtrail-trail-log-file-validation-enabled": ["logging", "medium", "aws.cloudtrail.trail"],
  "cloudtrail-trail-kms-encrypted": ["logging", "medium", "aws.cloudtrail.trail"],
  "config-recorder-recording-all-resources": ["logging", "medium", "aws.account.region"],
  "logs-log-group-kms-encrypted": ["logging", "medium", "aws.logs.log_group"],
  "logs-log-group-retention-minimum": ["logging", "medium", "aws.logs.log_group"],
  "s3-bucket-access-logging-enabled": ["logging", "low", "aws.s3.bucket"],
  "kms-key-rotated-recently": ["key-management", "medium", "aws.kms.key"],
  "kms-key-policy-no-wildcard-principal": ["key-management", "high", "aws.kms.key"],
  "s3-bucket-policy-min-tls12": ["in-transit", "medium", "aws.s3.bucket"],
  "rds-instance-ca-certificate-not-expiring": ["in-transit", "high", "aws.rds.db_instance"],
  "config-rule-compliant": ["logging", "medium", "aws.config.rule"],
};

function loadPack(): CompiledPolicy[] {
  try {
    return loadPolicies();
  } catch (err) {
    // Surface every problem with its file and pointer instead of a bare "several errors".
    if (isCipherproofError(err)) {
      const list = "errors" in err ? err.errors : [err];
      throw new Error(
        list.map((e) => `${e.location.file ?? "?"}${e.location.pointer ?? ""}: ${e.message}`).join("\n"),
      );
    }
    throw err;
  }
}

describe("built-in policy pack", () => {
  const policies = loadPack();
  const byId = new Map(policies.map((p) => [p.id, p]));

  it("loads every policy without errors", () => {
    expect(policies.length).toBeGreaterThanOrEqual(31);
  });

  it("contains exactly the pinned policies, with their category, severity and resource type", () => {
    expect([...byId.keys()].sort()).toEqual(Object.keys(PACK).sort());
    for (const [id, [category, severity, type]] of Object.entries(PACK)) {
      const def = byId.get(id)?.def;
      expect(def && [def.category, def.severity, def.resourceType], id).toEqual([category, severity, type]);
    }
  });

  it("covers all four categories", () => {
    expect(new Set(policies.map((p) => p.def.category))).toEqual(new Set(CATEGORIES));
  });

  it("keeps each policy in the folder named after its category", () => {
    for (const p of policies) {
      // p.file is shown relative to the working directory; resolve() undoes that.
      expect(relative(BUILTIN_POLICY_DIR, resolve(p.file)).split(sep), p.file).toEqual([
        p.def.category,
        `${p.id}.json`,
      ]);
    }
  });

  it("gives every policy a test file named after it, and every test file names a policy", () => {
    for (const p of policies) {
      expect(existsSync(join(TEST_DIR, `${p.id}.test.ts`)), `test/policies/${p.id}.test.ts`).toBe(true);
    }
    const testIds = readdirSync(TEST_DIR)
      .filter((f) => f.endsWith(".test.ts") && f !== basename(fileURLToPath(import.meta.url)))
      .map((f) => f.slice(0, -".test.ts".length));
    for (const id of testIds) expect(byId.has(id), `${id}.test.ts has no policy`).toBe(true);
  });

  it("documents every policy: version, https references, parameter descriptions", () => {
    for (const p of policies) {
      expect(p.def.version, p.id).toMatch(/^\d+\.\d+$/);
      expect(p.def.references?.length, `${p.id} references`).toBeGreaterThan(0);
      for (const ref of p.def.references ?? []) expect(ref, p.id).toMatch(/^https:\/\//);
      for (const [name, param] of Object.entries(p.def.parameters ?? {})) {
        expect(param.description, `${p.id} parameter ${name}`).toBeTruthy();
      }
    }
  });
});
