import { relative, resolve } from "node:path";
import { dedupeFindings, describeConflicts } from "../../core/diff.js";
import { CipherproofError } from "../../core/errors.js";
import {
  buildPeriod,
  type PeriodInterval,
  type PeriodProvenance,
  type PeriodReport,
  type PeriodScan,
} from "../../core/period.js";
import { showValue } from "../../core/validate-input.js";
import { writeFolderAtomically } from "../../evidence/bundle.js";
import { loadScanRecord, refuseDuplicateScans, type ScanRecord } from "../../evidence/load.js";
import { readPublicKey } from "../../evidence/signing.js";
import { mdEscape } from "../../reporters/markdown.js";
import { TOOL_VERSION } from "../../scan.js";
import { parse } from "../args.js";
import type { CliIO } from "../io.js";

/** Help text for `cipherproof period`. */
export const PERIOD_HELP = `Usage: cipherproof period BUNDLE… [--from DATE] [--to DATE] --out DIR [--public-key FILE]

Audit-period evidence (e.g. for a SOC 2 Type II window) from the signed evidence bundles of repeated scans. Every
bundle is verified first; one whose signature or files do not verify is refused (exit 2, naming it). Scans are
placed in time by when they evaluated the resources, and only scans inside the window count.

For each framework control: in how many scans it held (control status Pass), and every interval in which it did
not (Fail or Error): first seen, last seen, the last scan before it in which it still held, when it held again
(resolved) and the time to remediate. The same for every finding (policy × resource) that failed in the window.

Writes period.html, period.md and period.json to --out. period.json records for every scan its bundle path, scan
id, the fingerprint of the key that signed it, how it was checked (checkedWith: bundle-key, public-key or kms)
and whether it was rebuilt by \`cipherproof report\` from a findings file (rebuilt, rebuiltFrom).

Without --public-key each bundle is checked only with the public key inside it, which detects accidental change
but not a bundle rewritten and re-signed with a new key; a warning says so. Two bundles with the same scan id
(e.g. a bundle and its copy) are refused (exit 2, naming both): a scan counts once.

Options:
  --from DATE            window start (ISO date or time; a date means 00:00 UTC that day)
  --to DATE              window end, inclusive (a date means the whole day, to 23:59:59.999 UTC)
  --out DIR              output folder (required): new, empty, or holding an earlier period report
  --public-key FILE|kms:KEY_ID
                         verify every bundle with this public key (or KMS Verify) instead of each bundle's own
                         manifest.pub.pem

Exit codes: 0 written; 2 usage or input error, or a bundle that does not verify.
`;

const FILES = ["period.html", "period.md", "period.json"];

function windowFlag(value: string | undefined, flag: string, end: boolean): string | undefined {
  if (value === undefined) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const t = Date.parse(dateOnly ? `${value}T${end ? "23:59:59.999" : "00:00:00.000"}Z` : value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t))
    throw new CipherproofError("USAGE", `${flag} must be an ISO 8601 date or time, not "${value}"`);
  return new Date(t).toISOString();
}

/** How a loaded bundle was verified, for the period report. */
export function provenanceOf(r: ScanRecord): PeriodProvenance | undefined {
  if (!r.manifest || r.checkedWith === "unsigned") return undefined;
  const rebuiltFrom = r.data.rebuiltFrom ?? r.manifest.rebuiltFrom;
  return {
    signingKeySha256: r.manifest.signature.key.publicKeySha256,
    checkedWith: r.checkedWith,
    rebuilt: rebuiltFrom !== undefined,
    ...(rebuiltFrom ? { rebuiltFrom: { file: rebuiltFrom.file, sha256: rebuiltFrom.sha256 } } : {}),
  };
}

/**
 * The period view of a verified scan: evaluation time, control roll-up and findings (one per id: a finding id repeated
 * in the bundle keeps the later evaluation, on a tie the worse status; `warn` says so). A scan whose evaluation time is
 * not a date cannot be placed in the window and is refused (BUNDLE_INVALID naming it), never dropped.
 */
export function periodScan(r: ScanRecord, shown: string, warn?: (message: string) => void): PeriodScan {
  const d = r.data;
  const provenance = provenanceOf(r);
  const deduped = dedupeFindings(d.findings);
  const said = describeConflicts(deduped.conflicts, `within ${shown}`);
  if (said) warn?.(said);
  const at = d.findings[0]?.evaluatedAt ?? d.startedAt;
  const bad = [at, ...d.findings.map((f) => f.evaluatedAt)].find((t) => Number.isNaN(Date.parse(t)));
  if (bad !== undefined)
    throw new CipherproofError(
      "BUNDLE_INVALID",
      `the scan's evaluation time ${showValue(bad)} is not a date, so it cannot be placed in the audit period; refusing to use it`,
      { file: shown },
      "every finding's evaluatedAt must be an RFC 3339 date-time; rescan, or leave the bundle out",
    );
  return {
    source: shown,
    scanId: d.scanId,
    ...(provenance ? { provenance } : {}),
    // The evaluation clock (scan --as-of replays included) places a scan in time; a scan without findings uses its start.
    at,
    controls: d.controls.map((c) => ({
      framework: c.framework,
      id: c.control.id,
      title: c.control.title,
      status: c.status,
    })),
    findings: deduped.findings.map((f) => ({
      id: f.id,
      policyId: f.policyId,
      resourceId: f.resourceId,
      resourceName: f.resource.name,
      severity: f.severity,
      title: f.title,
      status: f.status,
    })),
  };
}

const CHECKED: Record<string, string> = {
  "bundle-key": "the bundle's own key only",
  "public-key": "--public-key",
  kms: "KMS Verify",
};

const pct = (x: number | null) => (x === null ? "—" : `${(Math.round(x * 1000) / 10).toFixed(1)}%`);
const dur = (i: PeriodInterval) => (i.remediationDays === null ? "open" : `${i.remediationDays} d`);

/** period.md: the period evidence as Markdown. */
export function renderPeriodMarkdown(p: PeriodReport): string {
  const out: string[] = [];
  out.push("## Cipherproof audit-period evidence", "");
  out.push(
    `Window ${mdEscape(p.window.from)} → ${mdEscape(p.window.to)} · ${p.scans.length} verified scans`,
    "",
  );
  out.push("| # | Evaluated at | Scan | Bundle | Signing key | Checked with |", "|---:|---|---|---|---|---|");
  p.scans.forEach((s, i) => {
    out.push(
      `| ${i + 1} | ${mdEscape(s.at)} | \`${s.scanId}\` | ${mdEscape(s.source)}${s.rebuilt ? " (rebuilt from a findings file)" : ""} | ${s.signingKeySha256 ? `sha256:${s.signingKeySha256.slice(0, 16)}…` : "—"} | ${CHECKED[s.checkedWith ?? ""] ?? "—"} |`,
    );
  });
  out.push("", "### Controls", "");
  out.push(
    "| Framework | Control | Held | Not held | No evidence | Share held | Intervals not held |",
    "|---|---|---:|---:|---:|---:|---|",
  );
  for (const c of p.controls) {
    const iv = c.intervals
      .map((i) => `${mdEscape(i.firstSeen)} → ${i.resolved ? mdEscape(i.resolved) : "open"} (${dur(i)})`)
      .join("; ");
    out.push(
      `| ${mdEscape(c.framework)} | ${mdEscape(c.control)} ${mdEscape(c.title)} | ${c.held} | ${c.notHeld} | ${c.noEvidence} | ${pct(c.heldShare)} | ${iv || "—"} |`,
    );
  }
  out.push("", "### Findings that failed in the window", "");
  if (!p.findings.length) out.push("None.");
  else {
    out.push(
      "| Severity | Policy | Resource | Held | Share held | Intervals not held |",
      "|---|---|---|---:|---:|---|",
    );
    for (const f of p.findings) {
      const iv = f.intervals
        .map(
          (i) =>
            `${mdEscape(i.firstSeen)} → ${i.resolved ? `${mdEscape(i.resolved)}${i.resolvedBy === "gone" ? " (gone)" : ""}` : "open"} (${dur(i)})`,
        )
        .join("; ");
      out.push(
        `| ${f.severity} | ${mdEscape(f.policyId)} | ${mdEscape(f.resourceName)} | ${f.held}/${f.present} | ${pct(f.heldShare)} | ${iv} |`,
      );
    }
  }
  out.push(
    "",
    "A control holds in a scan when its status is Pass; Fail and Error (evidence missing) do not hold. An interval opens at the first scan that does not hold and closes at the next scan that holds; the problem may have begun any time after the last scan in which it held.",
  );
  return `${out.join("\n")}\n`;
}

const esc = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

// Timeline cells stay narrow: a symbol, with the status in the cell's title and the legend.
const SHORT: Record<string, string> = {
  pass: "✓",
  fail: "✗",
  error: "?",
  waived: "W",
  not_applicable: "n/a",
  no_automated_evidence: "–",
  absent: "·",
};

/** period.html: one self-contained page (no script, no network). */
export function renderPeriodHtml(p: PeriodReport): string {
  const ivHtml = (list: PeriodInterval[]) =>
    list.length
      ? `<ul>${list
          .map(
            (i) =>
              `<li>first seen ${esc(i.firstSeen)}${i.lastHeldBefore ? ` (held at ${esc(i.lastHeldBefore)})` : ""}, ${i.resolved ? `resolved ${esc(i.resolved)}${i.resolvedBy === "gone" ? " (gone)" : ""} — ${esc(i.remediationDays)} days` : "<strong>still open</strong>"}; ${i.scans} scan${i.scans === 1 ? "" : "s"}: ${esc(
                Object.entries(i.statuses)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(", "),
              )}</li>`,
          )
          .join("")}</ul>`
      : "—";
  const cell = (s: string) => `<td class="t s-${esc(s)}" title="${esc(s)}">${esc(SHORT[s] ?? s)}</td>`;
  const head = p.scans
    .map(
      (s, i) =>
        `<th class="t" title="${esc(s.at)}">${i + 1}<br><small>${esc(s.at.slice(5, 10))}</small></th>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Cipherproof audit-period evidence ${esc(p.window.from)} – ${esc(p.window.to)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}thead{display:table-header-group}
tr{break-inside:avoid}.s-pass{background:#dcfce7}.s-fail{background:#fee2e2}.s-error,.s-waived{background:#fef3c7}
.s-absent,.s-no_automated_evidence,.s-not_applicable{color:#666}ul{margin:0;padding-left:1.2em}
.t{text-align:center;min-width:2.5em}td:last-child{min-width:28em}
</style></head><body>
<h1>Audit-period evidence</h1>
<p>Window <strong>${esc(p.window.from)}</strong> → <strong>${esc(p.window.to)}</strong>; ${p.scans.length} scans from signed evidence bundles that verified. Generated by cipherproof ${esc(TOOL_VERSION)}.</p>
<table><thead><tr><th>#</th><th>Evaluated at</th><th>Scan id</th><th>Bundle</th><th>Signing key</th><th>Checked with</th></tr></thead><tbody>
${p.scans.map((s, i) => `<tr><td>${i + 1}</td><td>${esc(s.at)}</td><td>${esc(s.scanId)}</td><td>${esc(s.source)}${s.rebuilt ? " <small>(rebuilt from a findings file)</small>" : ""}</td><td>${s.signingKeySha256 ? `sha256:${esc(s.signingKeySha256.slice(0, 16))}…` : "—"}</td><td>${esc(CHECKED[s.checkedWith ?? ""] ?? "—")}</td></tr>`).join("\n")}
</tbody></table>
<p>Timeline legend: ✓ pass · ✗ fail · ? error (evidence missing) · W waived · n/a not applicable · – no automated evidence · · absent.</p>
<h2>Controls</h2>
<table><thead><tr><th>Framework</th><th>Control</th><th>Share held</th><th>Held / not held / no evidence</th>${head}<th>Intervals not held</th></tr></thead><tbody>
${p.controls
  .map(
    (c) =>
      `<tr><td>${esc(c.framework)}</td><td>${esc(c.control)} ${esc(c.title)}</td><td>${pct(c.heldShare)}</td><td>${c.held} / ${c.notHeld} / ${c.noEvidence}</td>${c.timeline.map(cell).join("")}<td>${ivHtml(c.intervals)}</td></tr>`,
  )
  .join("\n")}
</tbody></table>
<h2>Findings that failed in the window</h2>
${
  p.findings.length
    ? `<table><thead><tr><th>Severity</th><th>Policy</th><th>Resource</th><th>Share held</th>${head}<th>Intervals not held</th></tr></thead><tbody>
${p.findings
  .map(
    (f) =>
      `<tr><td>${esc(f.severity)}</td><td>${esc(f.policyId)}</td><td>${esc(f.resourceName)}<br><small>${esc(f.resourceId)}</small></td><td>${pct(f.heldShare)} (${f.held}/${f.present})</td>${f.timeline.map(cell).join("")}<td>${ivHtml(f.intervals)}</td></tr>`,
  )
  .join("\n")}
</tbody></table>`
    : "<p>None.</p>"
}
<h2>Method</h2>
<p>A control holds in a scan when its roll-up status is Pass. Fail and Error (evidence missing) do not hold; a scan with no automated evidence for it counts as neither. A finding holds when its status is pass or not applicable; fail, waived and error do not. An interval opens at the first scan that does not hold and closes at the next scan that holds (for a finding, also when it disappears); its time to remediate is from first seen to resolved. The problem may have begun any time after the last scan in which it held.</p>
</body></html>
`;
}

/** `cipherproof period BUNDLE… --out DIR`. */
export async function periodCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      from: { type: "string" },
      to: { type: "string" },
      out: { type: "string" },
      "public-key": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    "period",
    true,
  );
  if (values.help) {
    io.stdout(PERIOD_HELP);
    return 0;
  }
  if (!positionals.length)
    throw new CipherproofError(
      "USAGE",
      "period: give the evidence bundles",
      {},
      "cipherproof period audits/* --out period",
    );
  if (!values.out || values.out === "-")
    throw new CipherproofError("USAGE", "period: --out DIR is required", {}, "--out period-2026");
  const from = windowFlag(values.from, "--from", false);
  const to = windowFlag(values.to, "--to", true);
  if (from && to && from > to) throw new CipherproofError("USAGE", "period: --from is after --to");
  const pk = values["public-key"];
  const publicKey = pk && !pk.startsWith("kms:") ? readPublicKey(resolve(io.cwd, pk)) : undefined;
  const kmsKeyId = pk?.startsWith("kms:") ? pk.slice(4) : undefined;
  const scans: PeriodScan[] = [];
  const warnings = new Set<string>();
  for (const p of positionals) {
    const r = await loadScanRecord(resolve(io.cwd, p), { requireBundle: true, publicKey, kmsKeyId });
    for (const w of r.warnings) warnings.add(w);
    scans.push(periodScan(r, p, (m) => warnings.add(m)));
  }
  refuseDuplicateScans(
    scans.map((s) => ({ path: s.source, scanId: s.scanId })),
    "period",
  );
  for (const w of warnings) io.stderr(`warning: ${w}\n`);
  const report = buildPeriod(scans, { from, to });
  if (!report.scans.length)
    throw new CipherproofError("USAGE", `period: none of the ${scans.length} scans falls inside the window`);
  const dir = resolve(io.cwd, values.out);
  const json = { tool: { name: "cipherproof", version: TOOL_VERSION }, periodVersion: "1.0", ...report };
  writeFolderAtomically(
    dir,
    new Map([
      ["period.html", Buffer.from(renderPeriodHtml(report))],
      ["period.md", Buffer.from(renderPeriodMarkdown(report))],
      ["period.json", Buffer.from(`${JSON.stringify(json, null, 2)}\n`)],
    ]),
    { replaceable: (_d, existing) => existing.filter((f) => !FILES.includes(f) && f !== ".gitkeep") },
  );
  const notHeld = report.controls.filter((c) => c.notHeld > 0).length;
  io.stdout(
    `period ${report.window.from} → ${report.window.to}: ${report.scans.length} verified scans, ${report.controls.length} controls (${notHeld} did not hold at some point), ${report.findings.length} findings failed at some point\n`,
  );
  io.stdout(`written: ${FILES.map((f) => `${relative(io.cwd, dir) || "."}/${f}`).join(", ")}\n`);
  return 0;
}
