import { isViolation } from "./summary.js";
import { compareSeverity, type Finding, type Severity, type Status } from "./types.js";

/** How one finding id moved between two scans. */
export type DriftKind = "new" | "resolved" | "changed" | "unchanged";

/** One finding id compared across two scans: its status before and after (absent when the scan had no such finding). */
export interface DriftEntry {
  id: string;
  kind: DriftKind;
  before?: Status;
  after?: Status;
  policyId: string;
  resourceId: string;
  resourceName: string;
  severity: Severity;
  title: string;
  message: string;
}

/** The drift between two scans, by stable finding id. */
export interface Drift {
  counts: Record<DriftKind, number>;
  /** Failures in the new scan whose id was not failing in the old one (absent, pass, error, waived or not applicable). */
  new: DriftEntry[];
  /** Failures in the old scan that now pass, are waived or not applicable, or are gone (fail → error is a change, not a fix). */
  resolved: DriftEntry[];
  /** Any other status change, including findings that appeared or disappeared without being failures. */
  changed: DriftEntry[];
  /** Same status in both scans. */
  unchanged: DriftEntry[];
}

/**
 * How bad a finding's status is when two findings with the same id disagree and neither is more recent: higher is
 * worse. A failure outranks missing evidence, which outranks a waived failure; a pass ranks lowest, so a pass never
 * wins over anything else (never a false pass).
 */
export const STATUS_RANK: Readonly<Record<Status, number>> = {
  fail: 4,
  error: 3,
  waived: 2,
  not_applicable: 1,
  pass: 0,
};

/** Positive when finding a is worse than b: status rank, then severity, then a fixed order of their content. */
export function compareWorse(a: Finding, b: Finding): number {
  const d = STATUS_RANK[a.status] - STATUS_RANK[b.status] || compareSeverity(a.severity, b.severity);
  if (d) return d;
  // Same status and severity: any fixed order keeps the choice independent of input order.
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? 1 : ja > jb ? -1 : 0;
}

/**
 * Which of two findings with the same id to keep: the later evaluation; when they were evaluated at the same time
 * (or a time does not parse) the worse one (see STATUS_RANK), whichever came first. `tie` says the times were equal.
 */
export function preferFinding(prior: Finding, next: Finding): { keep: Finding; tie: boolean } {
  const tp = Date.parse(prior.evaluatedAt);
  const tn = Date.parse(next.evaluatedAt);
  if (!Number.isNaN(tp) && !Number.isNaN(tn) && tp !== tn)
    return { keep: tn > tp ? next : prior, tie: false };
  return { keep: compareWorse(next, prior) > 0 ? next : prior, tie: true };
}

/** Findings with one per id (see preferFinding), and what was folded together. */
export interface DedupedFindings {
  /** One finding per id, in the order ids first appear. */
  findings: Finding[];
  /** How many findings were dropped as repeats of an id. */
  duplicates: number;
  /** Ids whose repeats had different statuses, with how each was settled. */
  conflicts: Array<{ id: string; statuses: Status[]; kept: Status; by: "later" | "worse" }>;
}

/** Fold findings that share an id into one each (the later evaluation; on a tie the worse status). */
export function dedupeFindings(findings: Finding[]): DedupedFindings {
  const byId = new Map<string, Finding>();
  const seen = new Map<string, { statuses: Set<Status>; tie: boolean }>();
  let duplicates = 0;
  for (const f of findings) {
    const prior = byId.get(f.id);
    if (!prior) {
      byId.set(f.id, f);
      continue;
    }
    duplicates++;
    const { keep, tie } = preferFinding(prior, f);
    byId.set(f.id, keep);
    const s = seen.get(f.id) ?? { statuses: new Set([prior.status]), tie: false };
    s.statuses.add(f.status);
    // A status settled by a tie at any step is reported as settled by the worse-status rule.
    if (tie && prior.status !== f.status) s.tie = true;
    seen.set(f.id, s);
  }
  const conflicts: DedupedFindings["conflicts"] = [];
  for (const [id, s] of seen)
    if (s.statuses.size > 1)
      conflicts.push({
        id,
        statuses: [...s.statuses],
        kept: byId.get(id)!.status,
        by: s.tie ? "worse" : "later",
      });
  return { findings: duplicates ? [...byId.values()] : findings, duplicates, conflicts };
}

/** A sentence saying how repeated finding ids were settled, or undefined when none disagreed. */
export function describeConflicts(
  conflicts: DedupedFindings["conflicts"],
  where: string,
): string | undefined {
  if (!conflicts.length) return undefined;
  const later = conflicts.filter((c) => c.by === "later");
  const worse = conflicts.filter((c) => c.by === "worse");
  const ids = (list: typeof conflicts) =>
    `${list
      .slice(0, 3)
      .map((c) => `${c.id} ${c.statuses.join("/")} → ${c.kept}`)
      .join(", ")}${list.length > 3 ? ", …" : ""}`;
  const parts: string[] = [];
  if (later.length) parts.push(`${later.length} kept the most recent evaluation (${ids(later)})`);
  if (worse.length)
    parts.push(
      `${worse.length} had evaluations at the same time, so the worse status was kept — fail, then error, then waived, then not_applicable, then pass (${ids(worse)})`,
    );
  return `${conflicts.length} finding id${conflicts.length === 1 ? "" : "s"} had different statuses ${where}: ${parts.join("; ")}`;
}

const ORDER = (a: DriftEntry, b: DriftEntry) =>
  compareSeverity(b.severity, a.severity) ||
  a.policyId.localeCompare(b.policyId) ||
  a.resourceId.localeCompare(b.resourceId) ||
  a.id.localeCompare(b.id);

/**
 * Compare two scans' findings by stable finding id: new failures, resolved failures, other status changes and
 * unchanged findings. Every id of either scan lands in exactly one group.
 */
export function diffFindings(before: Finding[], after: Finding[]): Drift {
  // A findings document with an id twice keeps one of them by the merge rule (on a tie the worse), never the last.
  const old = new Map(dedupeFindings(before).findings.map((f) => [f.id, f]));
  const now = new Map(dedupeFindings(after).findings.map((f) => [f.id, f]));
  const drift: Drift = {
    counts: { new: 0, resolved: 0, changed: 0, unchanged: 0 },
    new: [],
    resolved: [],
    changed: [],
    unchanged: [],
  };
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(id);
    const b = now.get(id);
    // The newer finding describes the resource (its name, severity and message today); a gone one keeps its last words.
    const f = (b ?? a)!;
    const kind: DriftKind =
      b?.status === "fail" && a?.status !== "fail"
        ? "new"
        : a?.status === "fail" &&
            (!b || b.status === "pass" || b.status === "waived" || b.status === "not_applicable")
          ? "resolved"
          : a?.status === b?.status
            ? "unchanged"
            : "changed";
    const entry: DriftEntry = {
      id,
      kind,
      ...(a ? { before: a.status } : {}),
      ...(b ? { after: b.status } : {}),
      policyId: f.policyId,
      resourceId: f.resourceId,
      resourceName: f.resource.name,
      severity: f.severity,
      title: f.title,
      message: f.message,
    };
    drift[kind].push(entry);
    drift.counts[kind]++;
  }
  for (const k of ["new", "resolved", "changed", "unchanged"] as const) drift[k].sort(ORDER);
  return drift;
}

// The exit-code rule lives in summary.ts; re-exported for callers that gate against a baseline.
export { isViolation };

/** The outcome of gating a scan against a baseline. */
export interface BaselineGate {
  exitCode: 0 | 1;
  /** Violations whose finding id was not already failing (or, for errors, failing or erroring) in the baseline. */
  newViolations: Finding[];
  /** Violations the baseline already had: still reported, but they do not change the exit code. */
  knownViolations: Finding[];
}

/**
 * The exit-code rule with a baseline: only new violations count. A failure is known when the baseline has the same
 * finding id failing; an error finding is known when the baseline has it failing or erroring. Without a baseline every
 * violation is new (the plain rule).
 */
export function gateAgainstBaseline(
  findings: Finding[],
  baseline: Finding[] | undefined,
  failOn: Severity,
  allowErrors: boolean,
): BaselineGate {
  // A baseline with an id twice keeps one status by the same rule as everywhere else (the later evaluation; on a tie
  // the worse status), whatever the order of its findings.
  const before = new Map(dedupeFindings(baseline ?? []).findings.map((f) => [f.id, f.status]));
  const newViolations: Finding[] = [];
  const knownViolations: Finding[] = [];
  for (const f of findings) {
    if (!isViolation(f, failOn, allowErrors)) continue;
    const was = before.get(f.id);
    const known = baseline !== undefined && (was === "fail" || (f.status === "error" && was === "error"));
    (known ? knownViolations : newViolations).push(f);
  }
  return { exitCode: newViolations.length ? 1 : 0, newViolations, knownViolations };
}
