import {
  CATEGORIES,
  type Category,
  compareSeverity,
  type Finding,
  SEVERITIES,
  type Severity,
  STATUSES,
  type Status,
} from "./types.js";

/** Counts by status, overall and per severity and category. */
export interface FindingSummary {
  total: number;
  byStatus: Record<Status, number>;
  bySeverity: Record<Severity, Record<Status, number>>;
  byCategory: Record<Category, Record<Status, number>>;
}

function zero(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}

/** Count findings by status, severity and category. */
export function summarize(findings: Finding[]): FindingSummary {
  const byStatus = zero();
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, zero()])) as Record<
    Severity,
    Record<Status, number>
  >;
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, zero()])) as Record<
    Category,
    Record<Status, number>
  >;
  for (const f of findings) {
    byStatus[f.status]++;
    bySeverity[f.severity][f.status]++;
    byCategory[f.category][f.status]++;
  }
  return { total: findings.length, byStatus, bySeverity, byCategory };
}

/**
 * Whether a finding counts against the gate: a failure at or above failOn, or — unless errors are allowed — a
 * finding at or above failOn that could not be evaluated (missing evidence is not a pass, but a low-severity
 * policy that could not be evaluated does not fail a gate that low-severity failures would not fail either).
 */
export function isViolation(f: Finding, failOn: Severity, allowErrors: boolean): boolean {
  if (f.status === "fail") return compareSeverity(f.severity, failOn) >= 0;
  if (f.status === "error") return !allowErrors && compareSeverity(f.severity, failOn) >= 0;
  return false;
}

/** The exit-code rule: 1 when any finding is a violation (see isViolation), else 0. */
export function exitCodeFor(findings: Finding[], failOn: Severity, allowErrors: boolean): 0 | 1 {
  for (const f of findings) if (isViolation(f, failOn, allowErrors)) return 1;
  return 0;
}
