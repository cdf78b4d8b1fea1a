import type { ControlResult } from "../core/frameworks/index.js";
import { CATEGORIES, type Finding, SEVERITIES, type Status } from "../core/types.js";
import {
  CONTROL_STATUS_LABEL,
  controlRefsText,
  countBy,
  evidenceByResource,
  findingsWith,
  policyById,
  type ReportData,
  type ResourceEvidence,
  STATUS_LABEL,
  scopeOf,
} from "./model.js";
import { joinGroups, joinInPieces } from "./pieces.js";

/** Options for the HTML reporter. */
export interface HtmlOptions {
  /** Report title (default "Encryption compliance report"). */
  title?: string;
  /** Rows shown in the account/region chart before the rest are summed as "other" (default 20). */
  maxChartRows?: number;
}

/** Escape text for HTML element content and quoted attribute values. */
export function htmlEscape(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;",
  );
}
const e = htmlEscape;

const STATUS_ORDER: Status[] = ["fail", "error", "waived", "pass", "not_applicable"];
const STATUS_COLOR: Record<Status, string> = {
  fail: "#c62828",
  error: "#ef6c00",
  waived: "#6a1b9a",
  pass: "#2e7d32",
  not_applicable: "#9e9e9e",
};

const CSS = `
:root{--fail:#c62828;--error:#ef6c00;--waived:#6a1b9a;--pass:#2e7d32;--na:#9e9e9e;--none:#546e7a;--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.meta{color:var(--muted);font-size:12px}
nav{margin:12px 0;font-size:13px}nav a{margin-right:12px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:120px;background:var(--bg)}
.card b{display:block;font-size:24px}
.verdict{padding:12px 16px;border-radius:6px;font-weight:600;margin:12px 0}
.verdict.bad{background:#ffebee;border-left:6px solid var(--fail)}.verdict.warn{background:#fff3e0;border-left:6px solid var(--error)}.verdict.ok{background:#e8f5e9;border-left:6px solid var(--pass)}
table{border-collapse:collapse;width:100%;margin:6px 0 14px;font-size:13px}
th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--bg)}
td.num,th.num{text-align:right;white-space:nowrap}
td.ctl,td.refs,td.scope{white-space:nowrap;overflow-wrap:normal}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;color:#fff;font-size:12px;font-weight:600;white-space:nowrap}
.st-fail{background:var(--fail)}.st-error{background:var(--error)}.st-waived{background:var(--waived)}.st-pass{background:var(--pass)}.st-not_applicable{background:var(--na)}.st-no_automated_evidence{background:var(--none)}
.sev{font-weight:600;text-transform:uppercase;font-size:11px}
.sev-critical{color:#7b1fa2}.sev-high{color:var(--fail)}.sev-medium{color:#b26a00}.sev-low{color:#1565c0}.sev-info{color:var(--muted)}
.charts{display:flex;flex-wrap:wrap;gap:18px}
.chart{border:1px solid var(--line);border-radius:6px;padding:8px;background:#fff}
.policy{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:12px 0;break-inside:auto}
.policy h3{margin-top:4px}
.remediation{background:#f1f8e9;border-left:4px solid var(--pass);padding:6px 10px;margin:6px 0}
.manual{background:#eceff1;border-left:4px solid var(--none);padding:6px 10px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
ul.ev{margin:0;padding-left:16px}
.expired{color:var(--fail);font-weight:700}
footer{margin-top:40px;color:var(--muted);font-size:12px}
@media print{
  @page{size:A4;margin:14mm 12mm}
  body{font-size:10.5pt}
  main{max-width:none;padding:0}
  nav{display:none}
  h2{break-before:page;break-after:avoid}
  h2.first{break-before:auto}
  h3{break-after:avoid}
  tr,.card,.chart,svg{break-inside:avoid}
  thead{display:table-header-group}
  .policy{break-inside:auto}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  a{color:inherit;text-decoration:none}
}
`;

interface BarRow {
  label: string;
  counts: Record<Status, number>;
}

/** A horizontal stacked bar chart (inline SVG) of status counts per row. */
function barChart(id: string, title: string, rows: BarRow[]): string {
  const width = 520;
  const labelW = 160;
  const countW = 60;
  const rowH = 22;
  const top = 34;
  const height = top + Math.max(rows.length, 1) * rowH + 10;
  const max = Math.max(1, ...rows.map((r) => STATUS_ORDER.reduce((a, s) => a + r.counts[s], 0)));
  const scale = (width - labelW - countW) / max;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${e(id)}" role="img" aria-labelledby="${e(id)}-title" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
  );
  out.push(`<title id="${e(id)}-title">${e(title)}</title>`);
  out.push(`<text x="0" y="14" font-size="13" font-weight="600">${e(title)}</text>`);
  let lx = labelW;
  for (const s of STATUS_ORDER) {
    out.push(
      `<rect x="${lx}" y="20" width="10" height="10" fill="${STATUS_COLOR[s]}"/><text x="${lx + 13}" y="29" font-size="10">${e(STATUS_LABEL[s])}</text>`,
    );
    lx += 13 + STATUS_LABEL[s].length * 6 + 10;
  }
  if (!rows.length) out.push(`<text x="0" y="${top + 14}" font-size="12">no findings</text>`);
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const label = r.label.length > 26 ? `${r.label.slice(0, 25)}…` : r.label;
    const total = STATUS_ORDER.reduce((a, s) => a + r.counts[s], 0);
    out.push(`<g class="bar" data-label="${e(r.label)}" data-total="${total}">`);
    out.push(`<text x="0" y="${y + 15}" font-size="12"><title>${e(r.label)}</title>${e(label)}</text>`);
    let x = labelW;
    for (const s of STATUS_ORDER) {
      const n = r.counts[s];
      if (!n) continue;
      const w = Math.max(1, n * scale);
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${STATUS_COLOR[s]}" data-status="${s}" data-count="${n}"><title>${e(r.label)}: ${n} ${e(STATUS_LABEL[s].toLowerCase())}</title></rect>`,
      );
      x += w;
    }
    out.push(`<text x="${(x + 4).toFixed(1)}" y="${y + 15}" font-size="11">${total}</text></g>`);
  });
  out.push("</svg>");
  return out.join("");
}

function badge(status: string, label: string): string {
  return `<span class="badge st-${e(status)}">${e(label)}</span>`;
}

function evidenceList(ev: ResourceEvidence | undefined): string {
  if (!ev || (!ev.evidence.length && !Object.keys(ev.missing).length))
    return `<span class="meta">collected ${e(ev?.collectedAt ?? "")}</span>`;
  const items = ev.evidence.map(
    (r) =>
      `<li><code>${e(r.call)}</code>${r.region ? ` ${e(r.region)}` : ""}${r.at ? ` <span class="meta">${e(r.at)}</span>` : ""}${r.file ? ` <span class="mono">${e(r.file)}</span>` : ""}${r.sha256 ? ` <span class="mono">sha256:${e(r.sha256.slice(0, 16))}…</span>` : ""}</li>`,
  );
  for (const [k, v] of Object.entries(ev.missing))
    items.push(`<li>missing <code>${e(k)}</code>: ${e(v)}</li>`);
  return `<ul class="ev">${items.join("")}</ul>`;
}

function controlMatrix(data: ReportData, fwId: string): string {
  const rows = data.controls.filter((c) => c.framework === fwId);
  const out: string[] = [];
  out.push(
    `<table class="matrix" data-framework="${e(fwId)}"><thead><tr><th>Control</th><th>Title and summary</th><th>Status</th><th class="num">Fail</th><th class="num">Error</th><th class="num">Pass</th><th class="num">Waived</th><th>Automated evidence (policies)</th><th>Manual evidence an auditor will ask for</th></tr></thead><tbody>`,
  );
  for (const c of rows) {
    out.push(
      `<tr data-control="${e(c.control.id)}" data-status="${c.status}"><td class="mono ctl">${e(c.control.id)}</td><td><b>${e(c.control.title)}</b><br><span class="meta">${e(c.control.summary)}</span></td>` +
        `<td>${badge(c.status, CONTROL_STATUS_LABEL[c.status])}</td><td class="num">${c.counts.fail}</td><td class="num">${c.counts.error}</td><td class="num">${c.counts.pass}</td><td class="num">${c.counts.waived}</td>` +
        `<td>${c.control.policies.length ? c.control.policies.map((p) => `<code>${e(p)}</code>`).join(", ") : '<span class="meta">none</span>'}</td>` +
        `<td>${c.control.manualEvidence ? e(c.control.manualEvidence) : ""}</td></tr>`,
    );
  }
  out.push("</tbody></table>");
  return out.join("");
}

function controlTally(rows: ControlResult[]): string {
  const n = (s: string) => rows.filter((c) => c.status === s).length;
  return `${n("fail")} failing · ${n("error")} evidence missing · ${n("pass")} passing · ${n("no_automated_evidence")} no automated evidence · ${rows.filter((c) => c.manual).length} need manual evidence`;
}

/** A table of findings, in pieces of about a megabyte: one policy can fail on hundreds of thousands of resources. */
function findingRows(
  list: Finding[],
  evidence: Map<string, ResourceEvidence>,
  withMissing: boolean,
): string[] {
  const out: string[] = [];
  out.push(
    `<table class="findings"><thead><tr><th>Resource</th><th>Account / region</th><th>Message</th><th>${withMissing ? "Missing evidence" : "Details (property: expected → found)"}</th><th>Evidence</th><th>Controls</th></tr></thead><tbody>`,
  );
  for (const f of list) {
    const details = f.details.length
      ? f.details
          .map((d) => `<div><code>${e(d.property)}</code>: ${e(d.expected)} → <b>${e(d.found)}</b></div>`)
          .join("")
      : "";
    const waiver = f.waiver?.expired
      ? `<div class="expired">waiver ${e(f.waiver.ticket)} (${e(f.waiver.owner)}) expired ${e(f.waiver.expires)}</div>`
      : "";
    out.push(
      `<tr data-finding="${e(f.id)}" data-status="${f.status}"><td><b>${e(f.resource.name)}</b><br><span class="mono">${e(f.resourceId)}</span><br><span class="meta">${e(f.resourceType)} · ${e(f.resource.source)} · id ${e(f.id)}</span></td>` +
        `<td class="scope">${e(scopeOf(f)).replace("/", "/<br>")}</td><td>${e(f.message)}${waiver}</td><td>${details}</td><td>${evidenceList(evidence.get(f.resourceId))}</td><td class="refs">${controlRefsText(f).map(e).join("<br>")}</td></tr>`,
    );
  }
  out.push("</tbody></table>");
  return joinInPieces(out, "");
}

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no network) — executive summary, charts,
 * per-framework control matrices, manual controls, every failing finding with details, evidence and remediation,
 * findings that could not be evaluated, waivers, and scope and methodology; print CSS for a clean PDF.
 */
export function renderHtml(data: ReportData, options: HtmlOptions = {}): string {
  return renderHtmlChunks(data, options).join("");
}

/** report.html in pieces of about a megabyte (see pieces.ts). */
export function renderHtmlChunks(data: ReportData, options: HtmlOptions = {}): string[] {
  const title = options.title ?? "Encryption compliance report";
  const s = data.summary.byStatus;
  const policies = policyById(data);
  const evidence = evidenceByResource(data);
  // Sections are strings; finding tables are lists of pieces.
  const out: Array<string | string[]> = [];
  out.push(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
      `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="${e(data.tool.name)} ${e(data.tool.version)}">` +
      `<title>${e(title)} — ${e(data.accounts.join(", ") || data.scanId)}</title><style>${CSS}</style></head><body><main>`,
  );
  out.push(
    `<header><h1>${e(title)}</h1><div class="meta">Scan <span class="mono">${e(data.scanId)}</span> · ${e(data.startedAt)} → ${e(data.finishedAt)} · ${e(data.tool.name)} ${e(data.tool.version)}</div></header>`,
  );
  out.push(
    `<nav><a href="#summary">Summary</a><a href="#charts">Charts</a><a href="#frameworks">Frameworks</a><a href="#manual">Manual controls</a><a href="#failures">Failures</a><a href="#errors">Not evaluated</a><a href="#waivers">Waivers</a><a href="#scope">Scope and methodology</a></nav>`,
  );

  // Executive summary
  const failing = findingsWith(data, ["fail"]);
  const worst = failing.length ? failing[0].severity : undefined;
  const failingControls = data.controls.filter((c) => c.status === "fail");
  const verdictClass = s.fail ? "bad" : s.error ? "warn" : "ok";
  const verdict = s.fail
    ? `${s.fail} check${s.fail === 1 ? "" : "s"} failed (highest severity: ${worst}); ${failingControls.length} framework control${failingControls.length === 1 ? "" : "s"} failing.`
    : s.error
      ? `No check failed, but ${s.error} could not be evaluated because evidence is missing — these are not passes.`
      : `Every evaluated check passed.`;
  out.push(
    `<section id="summary"><h2 class="first">Executive summary</h2><div class="verdict ${verdictClass}" data-verdict="${verdictClass}">${e(verdict)}</div>`,
  );
  out.push(
    `<p>${data.stats.resources} resources in ${data.accounts.length} account(s) and ${data.regions.length} region(s) were evaluated against ${data.policies.length} policies ` +
      `(${data.stats.evaluations} evaluations) covering encryption at rest, in transit, key management and logging.</p>`,
  );
  const card = (label: string, n: number, cls: string) =>
    `<div class="card" data-kpi="${e(cls)}"><b>${n}</b>${e(label)}</div>`;
  out.push(
    `<div class="cards">${card("failed", s.fail, "fail")}${card("could not be evaluated", s.error, "error")}${card("passed", s.pass, "pass")}${card("waived", s.waived, "waived")}${card("not applicable", s.not_applicable, "not_applicable")}${card("failing controls", failingControls.length, "controls")}</div>`,
  );
  if (data.frameworks.length) {
    out.push(`<table><thead><tr><th>Framework</th><th>Controls</th></tr></thead><tbody>`);
    for (const fw of data.frameworks)
      out.push(
        `<tr><td>${e(fw.title)} (${e(fw.version)})</td><td>${e(controlTally(data.controls.filter((c) => c.framework === fw.id)))}</td></tr>`,
      );
    out.push(`</tbody></table>`);
  }
  out.push(`</section>`);

  // Charts
  const byCat = countBy(data.findings, (f) => f.category);
  const bySev = countBy(data.findings, (f) => f.severity);
  const byScope = countBy(data.findings, scopeOf);
  const zero = (): Record<Status, number> => ({ pass: 0, fail: 0, error: 0, not_applicable: 0, waived: 0 });
  const catRows = CATEGORIES.map((c) => ({ label: c, counts: byCat.get(c) ?? zero() }));
  const sevRows = [...SEVERITIES].reverse().map((c) => ({ label: c, counts: bySev.get(c) ?? zero() }));
  let scopeRows = [...byScope.entries()]
    .map(([label, counts]) => ({ label, counts }))
    .sort((a, b) => b.counts.fail - a.counts.fail || a.label.localeCompare(b.label));
  const maxRows = options.maxChartRows ?? 20;
  if (scopeRows.length > maxRows) {
    const rest = scopeRows.slice(maxRows - 1);
    const other = zero();
    for (const r of rest) for (const st of STATUS_ORDER) other[st] += r.counts[st];
    scopeRows = [
      ...scopeRows.slice(0, maxRows - 1),
      { label: `${rest.length} more account/regions`, counts: other },
    ];
  }
  out.push(
    `<section id="charts"><h2>Findings by category, severity and account/region</h2><div class="charts">`,
  );
  out.push(barChart("by-category", "Status by category", catRows));
  out.push(barChart("by-severity", "Status by severity", sevRows));
  out.push(barChart("by-scope", "Status by account / region", scopeRows));
  out.push(`</div></section>`);

  // Frameworks
  out.push(`<section id="frameworks"><h2>Framework control matrix</h2>`);
  out.push(
    `<p class="meta">A control fails when any finding of a mapped policy fails; shows an error when evidence for a mapped policy could not be collected; passes when mapped policies were evaluated and none failed; and shows "no automated evidence" when nothing mapped to it was evaluated — that is never a pass.</p>`,
  );
  if (!data.frameworks.length) out.push(`<p>No framework was selected for this scan.</p>`);
  for (const fw of data.frameworks) {
    out.push(
      `<h3 id="fw-${e(fw.id)}">${e(fw.title)} <span class="meta">version ${e(fw.version)}${fw.url ? ` · ${e(fw.url)}` : ""}</span></h3>`,
    );
    out.push(`<p class="meta">${e(controlTally(data.controls.filter((c) => c.framework === fw.id)))}</p>`);
    out.push(controlMatrix(data, fw.id));
  }
  out.push(`</section>`);

  // Manual controls
  const manual = data.controls.filter((c) => c.manual);
  out.push(`<section id="manual"><h2>Controls that need manual evidence (${manual.length})</h2>`);
  if (!manual.length) out.push(`<p>No selected control is marked as needing manual evidence.</p>`);
  else {
    out.push(
      `<table class="manual-controls"><thead><tr><th>Framework</th><th>Control</th><th>What an auditor will ask for</th><th>Automated status</th></tr></thead><tbody>`,
    );
    for (const c of manual) {
      out.push(
        `<tr data-control="${e(c.control.id)}"><td>${e(c.framework)}</td><td><b>${e(c.control.id)}</b> ${e(c.control.title)}</td><td class="manual">${e(c.control.manualEvidence)}</td><td>${badge(c.status, CONTROL_STATUS_LABEL[c.status])}</td></tr>`,
      );
    }
    out.push(`</tbody></table>`);
  }
  out.push(`</section>`);

  // Failures, grouped by policy
  out.push(`<section id="failures"><h2>Failing findings (${failing.length})</h2>`);
  if (!failing.length) out.push(`<p>No finding failed.</p>`);
  const groups = new Map<string, Finding[]>();
  for (const f of failing) {
    const list = groups.get(f.policyId);
    if (list) list.push(f);
    else groups.set(f.policyId, [f]);
  }
  for (const [policyId, list] of groups) {
    const p = policies.get(policyId);
    const f0 = list[0];
    out.push(
      `<div class="policy" data-policy="${e(policyId)}"><h3><span class="sev sev-${e(f0.severity)}">${e(f0.severity)}</span> ${e(p?.def.title ?? f0.title)} <span class="meta">· <code>${e(policyId)}</code> · ${list.length} resource${list.length === 1 ? "" : "s"}</span></h3>`,
    );
    if (p) {
      out.push(`<p>${e(p.def.description)} <span class="meta">${e(p.def.rationale)}</span></p>`);
      out.push(`<div class="remediation"><b>Remediation:</b> ${e(p.def.remediation)}</div>`);
      if (p.def.references?.length)
        out.push(
          `<div class="meta">References: ${p.def.references.map((r) => `<span class="mono">${e(r)}</span>`).join(" · ")}</div>`,
        );
    }
    out.push(findingRows(list, evidence, false));
    out.push(`</div>`);
  }
  out.push(`</section>`);

  // Errors
  const errors = findingsWith(data, ["error"]);
  out.push(`<section id="errors"><h2>Could not be evaluated (${errors.length})</h2>`);
  out.push(
    `<p class="meta">Evidence a policy needs could not be collected, or the policy could not run. These are not passes: the control they map to shows an error.</p>`,
  );
  if (errors.length) out.push(findingRows(errors, evidence, true));
  out.push(`</section>`);

  // Waivers
  out.push(`<section id="waivers"><h2>Waivers (${data.waivers.length})</h2>`);
  if (!data.waivers.length) out.push(`<p>No waivers were configured.</p>`);
  else {
    out.push(
      `<table class="waivers"><thead><tr><th>Policy</th><th>Resource pattern</th><th>Reason</th><th>Owner</th><th>Ticket</th><th>Expires</th><th>State</th><th class="num">Findings covered</th></tr></thead><tbody>`,
    );
    for (const w of data.waivers) {
      out.push(
        `<tr data-waiver-state="${e(w.state)}"><td><code>${e(w.policy)}</code></td><td class="mono">${e(w.resource)}</td><td>${e(w.reason)}</td><td>${e(w.owner)}</td><td>${e(w.ticket)}</td><td>${e(w.expires)}</td>` +
          `<td>${w.state === "expired" ? `<span class="expired">expired — its findings fail again</span>` : "active"}</td><td class="num">${w.matched}</td></tr>`,
      );
    }
    out.push(`</tbody></table>`);
  }
  const waived = findingsWith(data, ["waived"]);
  if (waived.length) {
    out.push(
      `<h3>Waived findings (${waived.length})</h3><table><thead><tr><th>Policy</th><th>Resource</th><th>Account / region</th><th>Ticket</th><th>Expires</th></tr></thead><tbody>`,
    );
    for (const f of waived) {
      out.push(
        `<tr><td><code>${e(f.policyId)}</code></td><td>${e(f.resource.name)}</td><td>${e(scopeOf(f))}</td><td>${e(f.waiver?.ticket)}</td><td>${e(f.waiver?.expires)}</td></tr>`,
      );
    }
    out.push(`</tbody></table>`);
  }
  out.push(`</section>`);

  // Scope and methodology
  out.push(`<section id="scope"><h2>Scope and methodology</h2>`);
  out.push(
    `<table><tbody><tr><th>Scan id</th><td class="mono">${e(data.scanId)}</td></tr><tr><th>Started</th><td>${e(data.startedAt)}</td></tr><tr><th>Finished</th><td>${e(data.finishedAt)}</td></tr>` +
      `<tr><th>Tool</th><td>${e(data.tool.name)} ${e(data.tool.version)}</td></tr><tr><th>Accounts</th><td>${e(data.accounts.join(", ") || "-")}</td></tr><tr><th>Regions</th><td>${e(data.regions.join(", ") || "-")}</td></tr>` +
      `<tr><th>Config file</th><td class="mono">${e(data.configFile ?? "none")}</td></tr><tr><th>Resources</th><td>${data.stats.resources}</td></tr><tr><th>Evaluations</th><td>${data.stats.evaluations}</td></tr></tbody></table>`,
  );
  out.push(
    `<h3>Sources</h3><table class="sources"><thead><tr><th>Source</th><th class="num">Resources</th><th>Files (sha256)</th><th>Not assessed</th></tr></thead><tbody>`,
  );
  for (const src of data.sources) {
    const files = (src.files ?? [])
      .map(
        (f) =>
          `<div><span class="mono">${e(f.file)}</span> · ${f.items} items<br><span class="mono">sha256 ${e(f.sha256)}</span></div>`,
      )
      .join("");
    const unsupported = Object.entries(src.unsupportedTypes ?? {})
      .map(([k, v]) => `${e(k)} (${v})`)
      .join(", ");
    out.push(
      `<tr><td>${e(src.kind)}</td><td class="num">${src.resources}</td><td>${files || "-"}</td><td>${unsupported || "-"}${src.skipped ? `; ${src.skipped} skipped` : ""}</td></tr>`,
    );
  }
  out.push(`</tbody></table>`);
  const untyped = Object.entries(data.stats.typesWithoutPolicies ?? {});
  if (untyped.length)
    out.push(
      `<p class="meta">Resource types collected but judged by no loaded policy: ${untyped.map(([k, v]) => `${e(k)} (${v})`).join(", ")}.</p>`,
    );
  out.push(
    `<h3>Policies (${data.policies.length})</h3><table class="policies"><thead><tr><th>Policy</th><th>Version</th><th>Severity</th><th>Category</th><th>Resource type</th><th>Parameters</th></tr></thead><tbody>`,
  );
  for (const p of [...data.policies].sort((a, b) => a.id.localeCompare(b.id))) {
    out.push(
      `<tr><td><code>${e(p.id)}</code><br>${e(p.def.title)}</td><td>${e(p.def.version ?? "1.0")}</td><td><span class="sev sev-${e(p.severity)}">${e(p.severity)}</span></td><td>${e(p.def.category)}</td><td class="mono">${e(p.def.resourceType)}</td><td class="mono">${Object.keys(p.params ?? {}).length ? e(JSON.stringify(p.params)) : "-"}</td></tr>`,
    );
  }
  out.push(`</tbody></table>`);
  out.push(
    `<h3>Method</h3><p>Collectors read resource configuration (API calls and files listed above) into normalized resource documents; each policy is a JSON Schema assertion evaluated against every resource of its type. ` +
      `A property that could not be collected makes the finding an error, never a pass. Waivers apply only to failing findings and only until their expiry date. ` +
      `Every file of this evidence bundle is listed with its SHA-256 in manifest.json, which is signed; run <code>cipherproof verify</code> on the bundle folder to check it.</p>`,
  );
  out.push(
    `</section><footer>Generated by ${e(data.tool.name)} ${e(data.tool.version)} · scan ${e(data.scanId)}</footer></main></body></html>\n`,
  );
  return joinGroups(out, "\n");
}
