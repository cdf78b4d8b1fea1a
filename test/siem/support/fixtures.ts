import { createHash, randomUUID } from "node:crypto";
import { summarize } from "../../../src/core/summary.js";
import type { Finding, Severity, Status } from "../../../src/core/types.js";
import type { ScanResult } from "../../../src/scan.js";

const SEVERITIES: Severity[] = ["info", "low", "medium", "high", "critical"];

/** A finding with sensible defaults; ids are unique per (policy, resource). */
export function finding(over: Partial<Finding> & { n?: number } = {}): Finding {
  const n = over.n ?? 0;
  const policyId = over.policyId ?? "rds-instance-storage-encrypted";
  const resourceId = over.resourceId ?? `arn:aws:rds:us-east-1:111122223333:db:patients-${n}`;
  const { n: _n, ...rest } = over;
  return {
    id: createHash("sha256").update(`${policyId}\u0000${resourceId}`).digest("hex").slice(0, 32),
    policyId,
    resourceId,
    resourceType: "aws.rds.db_instance",
    status: "fail",
    severity: SEVERITIES[n % SEVERITIES.length],
    category: "at-rest",
    title: "RDS DB instances encrypt storage at rest",
    message: `DB instance patients-${n} stores data unencrypted`,
    details: [{ property: "storageEncrypted", expected: "true", found: "false" }],
    controls: { hipaa: ["164.312(a)(2)(iv)"], "pci-dss-4": ["3.5.1"] },
    resource: {
      name: `patients-${n}`,
      account: "111122223333",
      region: "us-east-1",
      source: "aws-config-snapshot",
    },
    evaluatedAt: "2026-11-22T10:00:00.000Z",
    ...rest,
  };
}

/** `count` failing findings (unique ids), plus `passing` passes. */
export function manyFindings(count: number, passing = 0): Finding[] {
  const out: Finding[] = [];
  for (let n = 0; n < count; n++) out.push(finding({ n }));
  for (let n = 0; n < passing; n++) out.push(finding({ n: count + n, status: "pass", details: [] }));
  return out;
}

/** A ScanResult around the given findings, as the scan command would hand it to the SIEM code. */
export function scanResultOf(findings: Finding[], over: Partial<ScanResult> = {}): ScanResult {
  return {
    scanId: randomUUID(),
    tool: { name: "cipherproof", version: "0.1.0" },
    startedAt: "2026-11-22T09:59:58.000Z",
    finishedAt: "2026-11-22T10:00:01.250Z",
    sources: [{ kind: "resource-documents", resources: findings.length }],
    accounts: ["111122223333"],
    regions: ["us-east-1"],
    policies: [],
    frameworks: [
      { id: "hipaa", title: "HIPAA Security Rule", version: "2013", controls: [] },
      { id: "pci-dss-4", title: "PCI DSS 4.0", version: "4.0", controls: [] },
    ] as unknown as ScanResult["frameworks"],
    controls: [],
    findings,
    stats: {} as ScanResult["stats"],
    summary: summarize(findings),
    waivers: [],
    config: {},
    resources: [],
    ...over,
  };
}

/** Statuses in a fixed order, for tables. */
export const ALL_STATUSES: Status[] = ["pass", "fail", "error", "not_applicable", "waived"];
