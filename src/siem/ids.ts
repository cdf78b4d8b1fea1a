import type { Finding, Severity } from "../core/types.js";
import type { ScanContext, SiemEventKind } from "./types.js";

/** Event id of a finding event: the stable finding id plus the scan id, so a re-delivered event is recognisable. */
export function findingEventId(finding: Finding, ctx: ScanContext): string {
  return `${finding.id}:${ctx.scanId}`;
}

/** Event id of a scan lifecycle event. */
export function scanEventId(kind: Exclude<SiemEventKind, "finding">, ctx: ScanContext): string {
  return `${kind === "scan_started" ? "scan-started" : "scan-completed"}:${ctx.scanId}`;
}

/** Severity on the 0–10 scale CEF and ECS use. */
export const SEVERITY_0_10: Record<Severity, number> = { info: 1, low: 3, medium: 5, high: 8, critical: 10 };

/** Severity of the scan-completed event: medium when the scan found failures or errors, else info. */
export function scanSeverity(ctx: ScanContext): Severity {
  return ctx.counts.fail > 0 || ctx.counts.error > 0 ? "medium" : "info";
}

/** Milliseconds since the epoch of an ISO timestamp. */
export function ms(iso: string): number {
  return Date.parse(iso);
}

/** The provider of a finding's resource: known from the scan, else guessed from the resource type prefix. */
export function providerOf(finding: Finding, ctx: ScanContext): string {
  return ctx.providers[finding.resourceId] ?? finding.resourceType.split(".")[0] ?? "unknown";
}

/** AWS partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), when the id is one. */
export function arnPartition(id: string): string | undefined {
  const m = /^arn:([a-z-]+):/.exec(id);
  return m?.[1];
}

/** Framework control references of a finding as `framework:control` strings. */
export function controlRefs(finding: Finding): string[] {
  return Object.entries(finding.controls).flatMap(([fw, ids]) => ids.map((id) => `${fw}:${id}`));
}
