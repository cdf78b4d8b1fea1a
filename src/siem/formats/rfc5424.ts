import { printable } from "../../core/printable.js";
import type { Finding, Severity } from "../../core/types.js";
import { controlRefs, findingEventId, scanEventId, scanSeverity } from "../ids.js";
import type { ScanContext, SiemFormatter } from "../types.js";

/**
 * SD-ID enterprise number. 32473 is the number IANA reserves for documentation (RFC 5612); an organisation with its
 * own Private Enterprise Number can pass it as `enterpriseId`.
 */
export const DEFAULT_ENTERPRISE_ID = 32473;
/** Syslog facility used by default: 13, log audit. */
export const DEFAULT_FACILITY = 13;

// Syslog severities (RFC 5424 §6.2.1): 2 critical, 3 error, 4 warning, 5 notice, 6 informational.
const SYSLOG_SEVERITY: Record<Severity, number> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };

/** Options of the RFC 5424 header. */
export interface Rfc5424Options {
  facility?: number;
  enterpriseId?: number;
}

/**
 * Escape an SD-PARAM value: `"`, `\` and `]` get a backslash (RFC 5424 §6.3.3). Control characters are shown as
 * `\uXXXX` first: a line break in a resource's ARN or name would otherwise end the record in a line-oriented receiver
 * and let the rest pass for a second, forged one.
 */
export function sdValue(s: string): string {
  return printable(s).replace(/[\\"\]]/g, (c) => `\\${c}`);
}

/** A header field: printable US-ASCII without spaces, at most `max` characters, `-` when empty. */
export function headerField(s: string | undefined, max: number): string {
  const clean = (s ?? "").replace(/[^\x21-\x7e]/g, "").slice(0, max);
  return clean || "-";
}

/** RFC 3339 timestamp with at most 6 fractional digits, as RFC 5424 requires. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** One complete RFC 5424 message: PRI, version 1, timestamp, hostname, app-name, procid, msgid, structured data, message. */
export function rfc5424Message(
  ctx: Pick<ScanContext, "host" | "pid">,
  o: {
    time: number;
    severity: number;
    msgid: string;
    params: Array<[string, string | number | undefined]>;
    msg: string;
  },
  options: Rfc5424Options = {},
): string {
  const pri = (options.facility ?? DEFAULT_FACILITY) * 8 + o.severity;
  const sdId = `cipherproof@${options.enterpriseId ?? DEFAULT_ENTERPRISE_ID}`;
  const params = o.params
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== "")
    .map(([k, v]) => `${k}="${sdValue(String(v))}"`)
    .join(" ");
  const sd = `[${sdId}${params ? ` ${params}` : ""}]`;
  // A message is one syslog record: line breaks inside it would split the record in line-oriented receivers.
  const msg = printable(o.msg.replace(/\r\n|\r|\n/g, " "));
  return `<${pri}>1 ${timestamp(o.time)} ${headerField(ctx.host, 255)} cipherproof ${headerField(String(ctx.pid), 128)} ${headerField(o.msgid, 32)} ${sd} ${msg}`;
}

/** An RFC 5424 message for one finding, with the finding's facts as structured data. */
export function rfc5424Finding(f: Finding, ctx: ScanContext, options: Rfc5424Options = {}): string {
  return rfc5424Message(
    ctx,
    {
      time: Date.parse(f.evaluatedAt),
      severity: f.status === "pass" || f.status === "not_applicable" ? 6 : SYSLOG_SEVERITY[f.severity],
      msgid: "FINDING",
      params: [
        ["eventId", findingEventId(f, ctx)],
        ["findingId", f.id],
        ["scanId", ctx.scanId],
        ["policy", f.policyId],
        ["status", f.status],
        ["severity", f.severity],
        ["category", f.category],
        ["resource", f.resourceId],
        ["resourceType", f.resourceType],
        ["account", f.resource.account],
        ["region", f.resource.region],
        ["controls", controlRefs(f).join(",")],
      ],
      msg: `${f.title}: ${f.message}`,
    },
    options,
  );
}

function scanMessage(ctx: ScanContext, started: boolean, options: Rfc5424Options): string {
  const params: Array<[string, string | number | undefined]> = [
    ["eventId", scanEventId(started ? "scan_started" : "scan_completed", ctx)],
    ["scanId", ctx.scanId],
  ];
  if (!started) {
    params.push(
      ["total", ctx.counts.total],
      ["fail", ctx.counts.fail],
      ["error", ctx.counts.error],
      ["pass", ctx.counts.pass],
      ["waived", ctx.counts.waived],
      ["notApplicable", ctx.counts.not_applicable],
    );
  }
  return rfc5424Message(
    ctx,
    {
      time: Date.parse(started ? ctx.startedAt : ctx.finishedAt),
      severity: SYSLOG_SEVERITY[started ? "info" : scanSeverity(ctx)],
      msgid: started ? "SCAN_STARTED" : "SCAN_COMPLETED",
      params,
      msg: started
        ? `scan ${ctx.scanId} started`
        : `scan ${ctx.scanId} completed: ${ctx.counts.fail} failed, ${ctx.counts.error} errors of ${ctx.counts.total}`,
    },
    options,
  );
}

/** RFC 5424 syslog messages. */
export const rfc5424: SiemFormatter = {
  finding: (f, ctx) => rfc5424Finding(f, ctx, ctx.syslog),
  scanStarted: (ctx) => scanMessage(ctx, true, ctx.syslog ?? {}),
  scanCompleted: (ctx) => scanMessage(ctx, false, ctx.syslog ?? {}),
};
