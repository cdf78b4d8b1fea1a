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
  const old = new Map(before.map((f) => [f.id, f]));
  const now = new Map(after.map((f) => [f.id, f]));
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
  const before = new Map((baseline ?? []).map((f) => [f.id, f.status]));
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
