import type { EvaluationStats } from "../core/engine/evaluate.js";
import type { ControlResult, ControlStatus, Framework } from "../core/frameworks/index.js";
import type { FindingSummary } from "../core/summary.js";
import {
  compareSeverity,
  type EvidenceRef,
  type Finding,
  type PolicyDefinition,
  type ResourceDocument,
  type Severity,
  type Status,
} from "../core/types.js";
import type { ScanSource, WaiverReport } from "../scan.js";

/** The policy facts reporters print (a CompiledPolicy has all of them). */
export interface ReportPolicy {
  id: string;
  severity: Severity;
  params: Record<string, unknown>;
  def: Pick<
    PolicyDefinition,
    | "title"
    | "category"
    | "resourceType"
    | "description"
    | "rationale"
    | "remediation"
    | "references"
    | "version"
  >;
}

/**
 * What every reporter reads: a ScanResult is one, and `cipherproof report` rebuilds one from a findings document.
 * Resources are only read for their evidence references and missing-evidence reasons.
 */
export interface ReportData {
  scanId: string;
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  sources: ScanSource[];
  accounts: string[];
  regions: string[];
  policies: ReportPolicy[];
  frameworks: Framework[];
  controls: ControlResult[];
  findings: Finding[];
  stats: EvaluationStats;
  summary: FindingSummary;
  waivers: WaiverReport[];
  configFile?: string;
  resources: ResourceDocument[];
  /** Which shard of a sharded scan (`scan --shard I/N`) this is; absent for a whole scan. */
  shard?: ShardInfo;
  /** Set when `cipherproof report` rebuilt this from a findings file: its name and SHA-256. */
  rebuiltFrom?: RebuiltFrom;
  /** Set when `cipherproof merge --allow-partial` merged an incomplete or mixed set of shards. */
  partial?: boolean;
}

/** Shard `index` (1-based) of `count`. */
export interface ShardInfo {
  index: number;
  count: number;
}

/** The findings file a bundle was rebuilt from (not a direct scan result). */
export interface RebuiltFrom {
  file: string;
  sha256: string;
}

/** Evidence of one resource as reporters cite it. */
export interface ResourceEvidence {
  evidence: EvidenceRef[];
  missing: Record<string, string>;
  collectedAt?: string;
}

/** Resource id → its evidence references and missing-evidence reasons. */
export function evidenceByResource(data: ReportData): Map<string, ResourceEvidence> {
  const map = new Map<string, ResourceEvidence>();
  for (const r of data.resources)
    map.set(r.id, { evidence: r.evidence ?? [], missing: r.missing ?? {}, collectedAt: r.collectedAt });
  return map;
}

/** Policy id → policy. */
export function policyById(data: ReportData): Map<string, ReportPolicy> {
  return new Map(data.policies.map((p) => [p.id, p]));
}

/** Failures first by severity (highest first), then policy id, then resource id: the order every report lists findings in. */
export function byImportance(a: Finding, b: Finding): number {
  return (
    compareSeverity(b.severity, a.severity) ||
    a.policyId.localeCompare(b.policyId) ||
    a.resourceId.localeCompare(b.resourceId)
  );
}

/** Findings with one of these statuses, most important first. */
export function findingsWith(data: ReportData, statuses: Status[]): Finding[] {
  const set = new Set(statuses);
  return data.findings.filter((f) => set.has(f.status)).sort(byImportance);
}

/** Words people read for a control status. */
export const CONTROL_STATUS_LABEL: Record<ControlStatus, string> = {
  pass: "Pass",
  fail: "Fail",
  error: "Error — evidence missing",
  no_automated_evidence: "No automated evidence",
};

/** Words people read for a finding status. */
export const STATUS_LABEL: Record<Status, string> = {
  pass: "Pass",
  fail: "Fail",
  error: "Error",
  not_applicable: "Not applicable",
  waived: "Waived",
};

/** "account/region" (or "-") for a finding's resource. */
export function scopeOf(f: Finding): string {
  return [f.resource.account, f.resource.region].filter(Boolean).join("/") || "-";
}

/** Status counts grouped by a key (category, severity, account/region), keys in first-seen order unless sorted. */
export function countBy(
  findings: Finding[],
  key: (f: Finding) => string,
): Map<string, Record<Status, number>> {
  const map = new Map<string, Record<Status, number>>();
  for (const f of findings) {
    const k = key(f);
    let row = map.get(k);
    if (!row) {
      row = { pass: 0, fail: 0, error: 0, not_applicable: 0, waived: 0 };
      map.set(k, row);
    }
    row[f.status]++;
  }
  return map;
}

/** One line per detail: "property: expected X, found Y". */
export function detailText(f: Finding): string {
  return f.details.map((d) => `${d.property}: expected ${d.expected}, found ${d.found}`).join("; ");
}

/** Framework controls a finding supports, as "framework control" strings. */
export function controlRefsText(f: Finding): string[] {
  return Object.entries(f.controls ?? {}).flatMap(([fw, ids]) => ids.map((id) => `${fw} ${id}`));
}
