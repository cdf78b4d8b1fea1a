import type { Finding, Status } from "../core/types.js";
import type { ScanResult } from "../scan.js";
import { FORMATTERS } from "./formats/index.js";
import { findingEventId, scanEventId, scanSeverity } from "./ids.js";
import type { PolicyFacts, ScanContext, SiemEvent, SiemFormat } from "./types.js";

/** Which findings become events: failures (status fail or error) or all of them. */
export type EventSelection = "failures" | "all";

/** True when a finding is delivered under the selection; `error` counts as a failure, it is never silently dropped. */
export function selected(f: Finding, events: EventSelection): boolean {
  return events === "all" || f.status === "fail" || f.status === "error";
}

/** The scan context formats read, built from a scan result. */
export function scanContext(
  result: ScanResult,
  o: { host: string; pid: number; events: EventSelection },
): ScanContext {
  const policies: Record<string, PolicyFacts> = {};
  for (const p of result.policies) {
    policies[p.id] = {
      title: p.def.title,
      description: p.def.description,
      remediation: p.def.remediation,
      references: p.def.references ?? [],
      ...(p.def.version ? { version: p.def.version } : {}),
    };
  }
  const providers: Record<string, string> = {};
  for (const r of result.resources) providers[r.id] = r.provider;
  const counts = { ...(result.summary.byStatus as Record<Status, number>), total: result.summary.total };
  return {
    scanId: result.scanId,
    product: { name: "Cipherproof", vendor: "Cipherproof", version: result.tool.version },
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    host: o.host,
    pid: o.pid,
    accounts: result.accounts,
    regions: result.regions,
    frameworks: Object.fromEntries(result.frameworks.map((f) => [f.id, f.title])),
    policies,
    providers,
    counts,
    selected: result.findings.filter((f) => selected(f, o.events)).length,
    events: o.events,
  };
}

/** Every event of a scan in one format: scan started, one per selected finding, scan completed. */
export function buildEvents(findings: Finding[], ctx: ScanContext, format: SiemFormat): SiemEvent[] {
  const fmt = FORMATTERS[format];
  const out: SiemEvent[] = [
    {
      id: scanEventId("scan_started", ctx),
      kind: "scan_started",
      format,
      time: Date.parse(ctx.startedAt),
      severity: "info",
      body: fmt.scanStarted(ctx),
    },
  ];
  for (const f of findings) {
    if (!selected(f, ctx.events)) continue;
    out.push({
      id: findingEventId(f, ctx),
      kind: "finding",
      format,
      time: Date.parse(f.evaluatedAt),
      severity: f.severity,
      body: fmt.finding(f, ctx),
    });
  }
  out.push({
    id: scanEventId("scan_completed", ctx),
    kind: "scan_completed",
    format,
    time: Date.parse(ctx.finishedAt),
    severity: scanSeverity(ctx),
    body: fmt.scanCompleted(ctx),
  });
  return out;
}
