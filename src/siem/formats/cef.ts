import type { Finding } from "../../core/types.js";
import { controlRefs, findingEventId, ms, SEVERITY_0_10, scanEventId, scanSeverity } from "../ids.js";
import type { ScanContext, SiemFormatter } from "../types.js";

/** Escape a CEF header field: backslash and pipe; line breaks become spaces (headers cannot hold them). */
export function cefHeader(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/\r\n|\r|\n/g, " ");
}

/** Escape a CEF extension value: backslash, equals sign, and line breaks as `\n` / `\r`. */
export function cefValue(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/=/g, "\\=").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

/** Build a CEF line from header fields and ordered extension pairs (empty values left out). */
export function cefLine(
  ctx: ScanContext,
  sigId: string,
  name: string,
  severity: number,
  ext: Array<[string, string | number | undefined]>,
): string {
  const header = [
    "CEF:0",
    cefHeader(ctx.product.vendor),
    cefHeader(ctx.product.name),
    cefHeader(ctx.product.version),
    cefHeader(sigId),
    cefHeader(name),
    String(severity),
  ].join("|");
  const extension = ext
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== "")
    .map(([k, v]) => `${k}=${cefValue(String(v))}`)
    .join(" ");
  return `${header}|${extension}`;
}

/** A CEF line for one finding: signature id = policy id, name = policy title. */
export function cefFinding(f: Finding, ctx: ScanContext): string {
  return cefLine(ctx, f.policyId, f.title, SEVERITY_0_10[f.severity], [
    ["rt", ms(f.evaluatedAt)],
    ["externalId", findingEventId(f, ctx)],
    ["msg", f.message],
    ["cat", f.category],
    ["outcome", f.status],
    ["dvchost", ctx.host],
    ["cs1Label", "resourceId"],
    ["cs1", f.resourceId],
    ["cs2Label", "resourceType"],
    ["cs2", f.resourceType],
    ["cs3Label", "account"],
    ["cs3", f.resource.account],
    ["cs4Label", "region"],
    ["cs4", f.resource.region],
    ["cs5Label", "controls"],
    ["cs5", controlRefs(f).join(",")],
    ["cs6Label", "scanId"],
    ["cs6", ctx.scanId],
    ["flexString1Label", "findingId"],
    ["flexString1", f.id],
    ["flexString2Label", "resourceName"],
    ["flexString2", f.resource.name],
  ]);
}

function scanLine(ctx: ScanContext, started: boolean): string {
  const ext: Array<[string, string | number | undefined]> = [
    ["rt", ms(started ? ctx.startedAt : ctx.finishedAt)],
    ["externalId", scanEventId(started ? "scan_started" : "scan_completed", ctx)],
    ["msg", started ? `scan ${ctx.scanId} started` : `scan ${ctx.scanId} completed`],
    ["dvchost", ctx.host],
    ["cs6Label", "scanId"],
    ["cs6", ctx.scanId],
  ];
  if (!started) {
    ext.push(
      ["cn1Label", "total"],
      ["cn1", ctx.counts.total],
      ["cn2Label", "failed"],
      ["cn2", ctx.counts.fail],
      ["cn3Label", "errors"],
      ["cn3", ctx.counts.error],
    );
    ext.push(["start", ms(ctx.startedAt)], ["end", ms(ctx.finishedAt)]);
  }
  return cefLine(
    ctx,
    started ? "scan-started" : "scan-completed",
    started ? "Scan started" : "Scan completed",
    SEVERITY_0_10[started ? "info" : scanSeverity(ctx)],
    ext,
  );
}

/** ArcSight CEF lines. */
export const cef: SiemFormatter = {
  finding: cefFinding,
  scanStarted: (ctx) => scanLine(ctx, true),
  scanCompleted: (ctx) => scanLine(ctx, false),
};
