import { printable } from "../core/printable.js";
import { CATEGORIES, SEVERITIES } from "../core/types.js";
import {
  CONTROL_STATUS_LABEL,
  controlRefsText,
  detailText,
  findingsWith,
  type ReportData,
  scopeOf,
} from "./model.js";

/** Options for the Markdown reporter. */
export interface MarkdownOptions {
  /** Size budget in bytes (UTF-8); GitHub job summaries take at most 1 MiB per step. Default 1,000,000. */
  maxBytes?: number;
  /** Where the full bundle will be, named in the truncation note. */
  bundlePath?: string;
}

/** GitHub's job summary limit: 1 MiB per step. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;

/**
 * Escape text for a Markdown table cell or inline text: no HTML, no table breaks, no emphasis or links, and no control
 * characters. GitHub also links bare `https://…`, `www.…` and `name@host` (GFM's autolink extension): a backslash
 * before the `:` of `://`, before `@` and before the dot of `www.` keeps them plain text, as they look in the resource's own name.
 */
export function mdEscape(value: unknown): string {
  return printable(String(value ?? "").replace(/\r?\n|\r/g, " "))
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_{}[\]()#+!|~@])/g, "\\$1")
    .replace(/:(?=\/\/)/g, "\\:")
    .replace(/(^|[^A-Za-z0-9])(www)\./gi, "$1$2\\.");
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

const STATUS_ICON = { pass: "✅", fail: "❌", error: "⚠️", no_automated_evidence: "➖" } as const;

/**
 * report.md: a GitHub job summary — verdict, counts, framework control matrix, failures and errors, waivers, scope.
 * Kept under `maxBytes`; when the finding tables would not fit, they stop early with a note saying how many were left out.
 */
export function renderMarkdown(data: ReportData, options: MarkdownOptions = {}): string {
  const budget = Math.min(options.maxBytes ?? 1_000_000, JOB_SUMMARY_LIMIT);
  const s = data.summary.byStatus;
  const head: string[] = [];
  head.push(`## Cipherproof encryption compliance report`);
  head.push("");
  head.push(
    `**${s.fail} failed**, ${s.error} could not be evaluated, ${s.pass} passed, ${s.waived} waived, ${s.not_applicable} not applicable — ` +
      `${data.stats.resources} resources, ${data.policies.length} policies, accounts ${mdEscape(data.accounts.join(", ") || "-")}, regions ${mdEscape(data.regions.join(", ") || "-")}.`,
  );
  head.push("");
  head.push(
    `Scan \`${data.scanId}\` · ${mdEscape(data.startedAt)} → ${mdEscape(data.finishedAt)} · ${mdEscape(data.tool.name)} ${mdEscape(data.tool.version)}`,
  );
  head.push("");
  head.push("| Severity | Fail | Error | Pass | Waived |");
  head.push("|---|---:|---:|---:|---:|");
  for (const sev of [...SEVERITIES].reverse()) {
    const r = data.summary.bySeverity[sev];
    head.push(`| ${sev} | ${r.fail} | ${r.error} | ${r.pass} | ${r.waived} |`);
  }
  head.push("");
  head.push("| Category | Fail | Error | Pass | Waived |");
  head.push("|---|---:|---:|---:|---:|");
  for (const cat of CATEGORIES) {
    const r = data.summary.byCategory[cat];
    head.push(`| ${cat} | ${r.fail} | ${r.error} | ${r.pass} | ${r.waived} |`);
  }
  for (const fw of data.frameworks) {
    const controls = data.controls.filter((c) => c.framework === fw.id);
    const n = (st: string) => controls.filter((c) => c.status === st).length;
    head.push("");
    head.push(`### ${mdEscape(fw.title)} (${mdEscape(fw.version)})`);
    head.push("");
    head.push(
      `${n("fail")} failing, ${n("error")} with missing evidence, ${n("pass")} passing, ${n("no_automated_evidence")} with no automated evidence.`,
    );
    head.push("");
    head.push("| Control | Title | Status | Fail | Error | Pass | Manual evidence an auditor will ask for |");
    head.push("|---|---|---|---:|---:|---:|---|");
    for (const c of controls) {
      head.push(
        `| ${mdEscape(c.control.id)} | ${mdEscape(c.control.title)} | ${STATUS_ICON[c.status]} ${CONTROL_STATUS_LABEL[c.status]} | ${c.counts.fail} | ${c.counts.error} | ${c.counts.pass} | ${mdEscape(c.control.manualEvidence ?? "")} |`,
      );
    }
  }
  const waivers: string[] = [];
  if (data.waivers.length) {
    waivers.push(
      "",
      "### Waivers",
      "",
      "| Policy | Resource | Owner | Ticket | Expires | State | Matched | Reason |",
      "|---|---|---|---|---|---|---:|---|",
    );
    for (const w of data.waivers) {
      waivers.push(
        `| ${mdEscape(w.policy)} | ${mdEscape(w.resource)} | ${mdEscape(w.owner)} | ${mdEscape(w.ticket)} | ${mdEscape(w.expires)} | ${w.state === "expired" ? "**expired**" : "active"} | ${w.matched} | ${mdEscape(w.reason)} |`,
      );
    }
  }
  const scope: string[] = ["", "### Scope", ""];
  for (const src of data.sources) {
    scope.push(
      `- ${mdEscape(src.kind)}: ${src.resources} resources${src.files?.length ? ` from ${src.files.length} file(s)` : ""}`,
    );
  }
  scope.push(
    `- Policies: ${data.policies.length}; frameworks: ${mdEscape(data.frameworks.map((f) => f.id).join(", ") || "none")}`,
  );

  const fixed = `${head.join("\n")}\n${waivers.join("\n")}\n${scope.join("\n")}\n`;
  // Room for the finding tables, leaving space for the truncation note.
  let room = budget - bytes(fixed) - 600;
  const tables: string[] = [];
  let omitted = 0;
  const sections: Array<{ title: string; statuses: Array<"fail" | "error"> }> = [
    { title: "Failures", statuses: ["fail"] },
    { title: "Could not be evaluated (evidence missing — never counted as a pass)", statuses: ["error"] },
  ];
  for (const section of sections) {
    const list = findingsWith(data, section.statuses);
    if (!list.length) continue;
    const top = [
      "",
      `### ${section.title} (${list.length})`,
      "",
      "| Severity | Policy | Resource | Account/region | Message | Details | Controls |",
      "|---|---|---|---|---|---|---|",
    ].join("\n");
    if (room - bytes(top) < 0) {
      omitted += list.length;
      continue;
    }
    room -= bytes(top) + 1;
    const rows: string[] = [top];
    let i = 0;
    for (; i < list.length; i++) {
      const f = list[i];
      const row = `| ${f.severity} | ${mdEscape(f.policyId)} | ${mdEscape(f.resource.name)} | ${mdEscape(scopeOf(f))} | ${mdEscape(f.message)} | ${mdEscape(detailText(f))} | ${mdEscape(controlRefsText(f).join(", "))} |`;
      const size = bytes(row) + 1;
      if (size > room) break;
      room -= size;
      rows.push(row);
    }
    omitted += list.length - i;
    tables.push(rows.join("\n"));
  }
  let note = "";
  if (omitted > 0) {
    note = `\n> **Truncated:** ${omitted} more finding${omitted === 1 ? "" : "s"} did not fit in a GitHub job summary (1 MiB). See report.html, findings.csv or findings.json${options.bundlePath ? ` in ${mdEscape(options.bundlePath)}` : " in the evidence bundle"} for all of them.\n`;
  }
  return `${head.join("\n")}\n${tables.join("\n")}\n${note}${waivers.join("\n")}\n${scope.join("\n")}\n`;
}
