import { printable as p } from "../core/printable.js";
import { isViolation } from "../core/summary.js";
import { CATEGORIES, compareSeverity, type Finding, SEVERITIES, type Severity } from "../core/types.js";
import type { ScanResult } from "../scan.js";

/** Options for the console reporter. */
export interface ConsoleOptions {
  color: boolean;
  failOn: Severity;
  allowErrors: boolean;
  /** Print at most this many failures (the rest are counted). */
  limit?: number;
  /** Also list error findings (default true). */
  showErrors?: boolean;
  /**
   * Gating against a baseline: the ids of violations already failing there. They are reported but not counted, so
   * the verdict matches the exit code of the baseline gate.
   */
  knownViolations?: ReadonlySet<string>;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "30 failures and 25 findings that could not be evaluated" (parts that are zero left out). */
function violationText(failures: number, errors: number, adjective = ""): string {
  const parts: string[] = [];
  if (failures) parts.push(plural(failures, `${adjective}failure`, `${adjective}failures`));
  if (errors)
    parts.push(
      plural(
        errors,
        `${adjective}finding that could not be evaluated`,
        `${adjective}findings that could not be evaluated`,
      ),
    );
  return parts.join(" and ");
}

const CODES = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  gray: 90,
  bold: 1,
  dim: 2,
} as const;
type Style = keyof typeof CODES;

function painter(color: boolean) {
  return (style: Style, s: string) => (color ? `\u001b[${CODES[style]}m${s}\u001b[0m` : s);
}

const SEV_STYLE: Record<Severity, Style> = {
  critical: "magenta",
  high: "red",
  medium: "yellow",
  low: "blue",
  info: "gray",
};

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function where(f: Finding): string {
  return p([f.resource.account, f.resource.region].filter(Boolean).join("/"));
}

/** Human summary: totals by severity and category, then every failure with resource and reason. */
export function renderConsole(result: ScanResult, options: ConsoleOptions): string {
  const c = painter(options.color);
  const s = result.summary;
  const lines: string[] = [];
  const srcs = result.sources.map((x) => `${p(x.kind)} (${x.resources} resources)`).join(", ");
  lines.push(
    c(
      "bold",
      `Cipherproof ${result.tool.version} — ${result.stats.resources} resources, ${result.policies.length} policies, ${result.stats.evaluations} evaluations`,
    ),
  );
  lines.push(
    c(
      "dim",
      `sources: ${srcs || "none"}; accounts: ${p(result.accounts.join(", ")) || "-"}; regions: ${p(result.regions.join(", ")) || "-"}`,
    ),
  );
  for (const src of result.sources) {
    const unsupported = Object.entries(src.unsupportedTypes ?? {});
    if (unsupported.length) {
      const n = unsupported.reduce((a, [, v]) => a + v, 0);
      lines.push(
        c(
          "dim",
          `not assessed: ${n} resources of ${unsupported.length} unsupported types (${unsupported.map(([k, v]) => `${p(k)} ${v}`).join(", ")})`,
        ),
      );
    }
  }
  lines.push("");
  lines.push(
    `${c("green", `${s.byStatus.pass} passed`)}, ${c("red", `${s.byStatus.fail} failed`)}, ${c("yellow", `${s.byStatus.error} errors`)}, ` +
      `${s.byStatus.waived} waived, ${s.byStatus.not_applicable} not applicable`,
  );
  lines.push("");
  lines.push(c("bold", `${pad("severity", 10)}${pad("fail", 7)}${pad("error", 7)}${pad("pass", 7)}waived`));
  for (const sev of [...SEVERITIES].reverse()) {
    const r = s.bySeverity[sev];
    if (r.fail + r.error + r.pass + r.waived === 0) continue;
    lines.push(
      `${c(SEV_STYLE[sev], pad(sev, 10))}${pad(String(r.fail), 7)}${pad(String(r.error), 7)}${pad(String(r.pass), 7)}${r.waived}`,
    );
  }
  lines.push("");
  lines.push(c("bold", `${pad("category", 16)}${pad("fail", 7)}${pad("error", 7)}${pad("pass", 7)}waived`));
  for (const cat of CATEGORIES) {
    const r = s.byCategory[cat];
    if (r.fail + r.error + r.pass + r.waived === 0) continue;
    lines.push(
      `${pad(cat, 16)}${pad(String(r.fail), 7)}${pad(String(r.error), 7)}${pad(String(r.pass), 7)}${r.waived}`,
    );
  }

  const failures = result.findings
    .filter((f) => f.status === "fail")
    .sort(
      (a, b) =>
        compareSeverity(b.severity, a.severity) ||
        a.policyId.localeCompare(b.policyId) ||
        a.resourceId.localeCompare(b.resourceId),
    );
  if (failures.length) {
    lines.push("");
    lines.push(c("bold", `Failures (${failures.length})`));
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    for (const f of failures.slice(0, limit)) {
      lines.push(
        `  ${c(SEV_STYLE[f.severity], pad(f.severity.toUpperCase(), 9))}${p(f.policyId)}  ${c("bold", p(f.resource.name))}${where(f) ? ` ${c("dim", `(${where(f)})`)}` : ""}`,
      );
      lines.push(`           ${p(f.message)}`);
      for (const d of f.details.slice(0, 3))
        lines.push(c("dim", p(`           ${d.property}: expected ${d.expected}, found ${d.found}`)));
      if (f.waiver?.expired)
        lines.push(
          c(
            "yellow",
            p(`           waiver ${f.waiver.ticket} (${f.waiver.owner}) expired ${f.waiver.expires}`),
          ),
        );
    }
    if (failures.length > limit)
      lines.push(c("dim", `  … and ${failures.length - limit} more (see findings.json)`));
  }

  const errors = result.findings.filter((f) => f.status === "error");
  if (errors.length && options.showErrors !== false) {
    lines.push("");
    lines.push(
      c("bold", `Could not evaluate (${errors.length}) — evidence missing, never counted as a pass`),
    );
    const grouped = new Map<string, Finding[]>();
    for (const f of errors) {
      const key = `${f.policyId}\u0000${f.message}`;
      grouped.set(key, [...(grouped.get(key) ?? []), f]);
    }
    for (const list of grouped.values()) {
      const f = list[0];
      const names =
        list
          .slice(0, 3)
          .map((x) => p(x.resource.name))
          .join(", ") + (list.length > 3 ? `, +${list.length - 3} more` : "");
      lines.push(`  ${c("yellow", "ERROR    ")}${p(f.policyId)}  ${names}`);
      lines.push(c("dim", `           ${p(f.message)}`));
    }
  }

  const expired = result.waivers.filter((w) => w.state === "expired");
  if (expired.length) {
    lines.push("");
    for (const w of expired) {
      lines.push(
        c(
          "yellow",
          p(
            `Waiver expired: ${w.policy} on ${w.resource} (${w.ticket}, owner ${w.owner}) expired ${w.expires}; its findings fail again`,
          ),
        ),
      );
    }
  }

  lines.push("");
  // The verdict follows the exit-code rule (isViolation), and with a baseline, the baseline gate.
  const violations = result.findings.filter((f) => isViolation(f, options.failOn, options.allowErrors));
  const known = options.knownViolations;
  const counted = known ? violations.filter((f) => !known.has(f.id)) : violations;
  const countedFailures = counted.filter((f) => f.status === "fail").length;
  const countedErrors = counted.length - countedFailures;
  const knownCount = violations.length - counted.length;
  const allowedErrors = options.allowErrors
    ? errors.filter((f) => compareSeverity(f.severity, options.failOn) >= 0).length
    : 0;
  const baselineNote = known ? `; ${knownCount} already in the baseline (reported, not counted)` : "";
  const verdict =
    counted.length > 0
      ? c(
          "red",
          `FAIL: ${violationText(countedFailures, countedErrors, known ? "new " : "")} at or above ${options.failOn}${baselineNote}${countedErrors ? " (use --allow-errors to accept findings that could not be evaluated)" : ""}`,
        )
      : c(
          "green",
          `PASS: no ${known ? "new " : ""}violations at or above ${options.failOn}${baselineNote}${allowedErrors ? ` (${plural(allowedErrors, "error", "errors")} allowed)` : ""}`,
        );
  lines.push(verdict);
  return `${lines.join("\n")}\n`;
}
