import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../../src/core/types.js";
import { type FaultKind, type StandIn, startStandIn } from "../../support/aws-standin/server.js";
import { collectVia, evaluateAll, orgFixture } from "./helpers.js";

// Every operation a scan of one account calls (checked below), each under every fault.
const TARGETS: Array<[collector: string, service: string, operation: string]> = [
  ["ec2", "ec2", "DescribeRegions"],
  ["kms", "kms", "ListKeys"],
  ["kms", "kms", "DescribeKey"],
  ["kms", "kms", "ListAliases"],
  ["kms", "kms", "GetKeyRotationStatus"],
  ["kms", "kms", "ListKeyRotations"],
  ["kms", "kms", "GetKeyPolicy"],
  ["rds", "rds", "DescribeDBInstances"],
  ["rds", "rds", "DescribeDBParameterGroups"],
  ["rds", "rds", "DescribeDBParameters"],
  ["rds", "rds", "DescribeEngineDefaultParameters"],
  ["rds", "rds", "DescribeDBClusters"],
  ["rds", "rds", "DescribeDBClusterParameterGroups"],
  ["rds", "rds", "DescribeDBClusterParameters"],
  ["rds", "rds", "DescribeEngineDefaultClusterParameters"],
  ["rds", "rds", "DescribeDBSnapshots"],
  ["rds", "rds", "DescribeDBSnapshotAttributes"],
  ["rds", "rds", "DescribeDBClusterSnapshots"],
  ["rds", "rds", "DescribeDBClusterSnapshotAttributes"],
  ["rds", "rds", "DescribeCertificates"],
  ["s3", "s3", "ListBuckets"],
  ["s3", "s3", "GetBucketPolicy"],
  ["s3", "s3", "GetBucketEncryption"],
  ["s3", "s3", "GetBucketLogging"],
  ["s3", "s3", "GetBucketVersioning"],
  ["s3", "s3", "GetObjectLockConfiguration"],
  ["s3", "s3", "GetPublicAccessBlock"],
  ["ec2", "ec2", "DescribeVolumes"],
  ["ec2", "ec2", "GetEbsEncryptionByDefault"],
  ["ec2", "ec2", "GetEbsDefaultKmsKeyId"],
  ["cloudtrail", "cloudtrail", "DescribeTrails"],
  ["cloudtrail", "cloudtrail", "GetTrailStatus"],
  ["cloudtrail", "cloudtrail", "GetEventSelectors"],
  ["config", "config", "DescribeConfigurationRecorders"],
  ["config", "config", "DescribeConfigurationRecorderStatus"],
  ["config", "config", "DescribeDeliveryChannels"],
  ["config", "config", "DescribeComplianceByConfigRule"],
  ["elbv2", "elasticloadbalancing", "DescribeLoadBalancers"],
  ["elbv2", "elasticloadbalancing", "DescribeListeners"],
  ["elbv2", "elasticloadbalancing", "DescribeRules"],
  ["elbv2", "elasticloadbalancing", "DescribeSSLPolicies"],
  ["logs", "logs", "DescribeLogGroups"],
  ["acm", "acm", "ListCertificates"],
  ["acm", "acm", "DescribeCertificate"],
  ["secretsmanager", "secretsmanager", "ListSecrets"],
  ["secretsmanager", "secretsmanager", "DescribeSecret"],
  ["iam", "iam", "ListUsers"],
  ["iam", "iam", "ListAccessKeys"],
  ["iam", "iam", "GetAccessKeyLastUsed"],
];

// Calls a fault in which stops the whole scan instead of degrading it; tested where that refusal is tested. (--org and
// --role-arn add organizations:ListAccounts, which stops the scan, and sts:AssumeRole, whose failure makes the account
// unreachable: collector.test.ts.)
const OUTSIDE_MATRIX: Record<string, string> = {
  "sts:GetCallerIdentity": "the scan refuses to start (collector.test.ts, new-user.test.ts)",
};

// Calls whose answers feed only properties no built-in policy asserts (or resources the fixture lacks policies for).
const UNREAD = new Set([
  "kms:ListAliases",
  "rds:DescribeDBSnapshotAttributes",
  "rds:DescribeDBClusterSnapshotAttributes",
  "s3:GetBucketVersioning",
  "s3:GetObjectLockConfiguration",
  "s3:GetPublicAccessBlock",
  "ec2:GetEbsDefaultKmsKeyId",
  "cloudtrail:GetEventSelectors",
  "config:DescribeDeliveryChannels",
  "iam:GetAccessKeyLastUsed",
]);

// endlessPages applies to list operations only; collector.test.ts covers it.
const REASON: Record<Exclude<FaultKind, "endlessPages">, (op: string) => RegExp> = {
  AccessDenied: (op) => new RegExp(`AccessDenied on ${op}`),
  throttle: (op) => new RegExp(`throttled on ${op} after 3 attempts`),
  http500: (op) => new RegExp(`HTTP 500 on ${op} after 3 attempts`),
  slow: (op) => new RegExp(`timeout on ${op} after 3 attempts`),
  malformed: (op) => new RegExp(`malformed response on ${op}`),
};
const KINDS = Object.keys(REASON) as Array<keyof typeof REASON>;

const key = (f: Finding) => `${f.policyId} ${f.resourceId}`;

describe("fault matrix: every collector × every fault", () => {
  let standin: StandIn;
  let baseline: Map<string, Finding>;

  let called: string[];

  beforeAll(async () => {
    standin = await startStandIn({ fixture: orgFixture() });
    const clean = await collectVia(standin.url);
    expect(clean.failedCalls).toBe(0);
    called = Object.keys(clean.callsByOperation);
    baseline = new Map(evaluateAll(clean.resources).map((f) => [key(f), f]));
    // The baseline must have passes and failures for the matrix to mean anything.
    const statuses = new Set([...baseline.values()].map((f) => f.status));
    expect(statuses).toContain("pass");
    expect(statuses).toContain("fail");
  });
  afterAll(() => standin.close());

  it("covers every operation the scan calls", () => {
    const inMatrix = new Set(TARGETS.map(([, service, operation]) => `${service}:${operation}`));
    const missing = called.filter((op) => !inMatrix.has(op) && !(op in OUTSIDE_MATRIX));
    expect(missing, "operations the scan calls but the fault matrix never faults").toEqual([]);
  });

  for (const [collector, service, operation] of TARGETS) {
    for (const kind of KINDS) {
      it(`${collector}: ${kind} on ${service}:${operation}`, async () => {
        const op = `${service}:${operation}`;
        standin.setFaults([{ service, operation, kind, delayMs: 1_500 }]);
        const run = await collectVia(standin.url); // the scan finishes
        standin.setFaults([]);
        const findings = evaluateAll(run.resources);
        const reason = REASON[kind](op);
        const named = (f: Finding) => f.status === "error" && reason.test(f.message);

        // The fault was recorded: some document marks what the call would have told as missing, naming call and reason.
        const recorded = run.resources.some((r) =>
          Object.values(r.missing ?? {}).some((m) => reason.test(m)),
        );
        expect(recorded, `no document's missing names ${reason}`).toBe(true);
        // …and felt: at least one finding is an error naming the call and the reason (unless no built-in policy
        // reads what the call returns; then every verdict must stay as it was, checked below).
        if (!UNREAD.has(op)) expect(findings.some(named), `no error finding names ${reason}`).toBe(true);

        const got = new Map(findings.map((f) => [key(f), f]));
        for (const f of findings) {
          const before = baseline.get(key(f));
          if (!before) {
            // New documents only stand in for listings that failed: every finding on them is an error naming the call.
            expect(f.resourceId, "only collection-error documents may appear").toMatch(
              /^urn:cipherproof:collection-error:/,
            );
            expect(named(f), `${key(f)}: ${f.message}`).toBe(true);
          } else if (f.status !== before.status) {
            // Nothing affected may pass (or change verdict): it can only become an error that names the call.
            expect(named(f), `${key(f)} went ${before.status} → ${f.status}: ${f.message}`).toBe(true);
          }
        }
        // Nothing silently dropped: every baseline finding whose resource vanished is covered by an error of the same
        // policy in the same account, naming the call.
        for (const [k, before] of baseline) {
          if (got.has(k)) continue;
          const cover = findings.find(
            (f) =>
              f.policyId === before.policyId && f.resource.account === before.resource.account && named(f),
          );
          expect(cover, `${k} vanished without an error finding for ${before.policyId}`).toBeDefined();
        }
        // Unaffected resources are still evaluated exactly as before.
        const otherTypes = findings.filter(
          (f) =>
            !f.resourceType.startsWith(`aws.${collector === "elbv2" ? "elbv2" : collector}.`) &&
            f.resourceType !== "aws.account.region" &&
            f.resourceType !== "aws.config.rule",
        );
        expect(otherTypes.length).toBeGreaterThan(0);
        for (const f of otherTypes) {
          if (named(f)) continue; // e.g. a KMS fault also hides the key manager of resources that reference the key
          expect(f.status, key(f)).toBe(baseline.get(key(f))?.status);
        }
      });
    }
  }
});
