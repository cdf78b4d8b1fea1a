import type { ScanContext, SiemEvent, SiemFormatter } from "../types.js";
import { ocsf } from "./ocsf.js";

/** Fields of the Splunk HEC envelope besides the event. */
export interface HecEnvelopeOptions {
  source?: string;
  sourcetype?: string;
  index?: string;
  host?: string;
}

/** Default sourcetype per inner format. */
export function defaultSourcetype(format: string): string {
  return format === "hec" || format === "ocsf" ? "ocsf:cipherproof" : `cipherproof:${format}`;
}

/** Wrap an event in the Splunk HEC envelope: {time (seconds, fractional), host, source, sourcetype, index?, event}. */
export function hecEnvelope(
  event: Pick<SiemEvent, "time" | "body" | "format">,
  host: string,
  o: HecEnvelopeOptions = {},
): Record<string, unknown> {
  const env: Record<string, unknown> = {
    time: event.time / 1000,
    host: o.host ?? host,
    source: o.source ?? "cipherproof",
    sourcetype: o.sourcetype ?? defaultSourcetype(event.format),
  };
  if (o.index) env.index = o.index;
  env.event = event.body;
  return env;
}

function wrap(body: Record<string, unknown>, ctx: ScanContext): Record<string, unknown> {
  return hecEnvelope({ time: body.time as number, body, format: "hec" }, ctx.host);
}

/** The Splunk HEC envelope around OCSF events (what the HEC sink posts, usable with any sink). */
export const hec: SiemFormatter = {
  finding: (f, ctx) => wrap(ocsf.finding(f, ctx) as Record<string, unknown>, ctx),
  scanStarted: (ctx) => wrap(ocsf.scanStarted(ctx) as Record<string, unknown>, ctx),
  scanCompleted: (ctx) => wrap(ocsf.scanCompleted(ctx) as Record<string, unknown>, ctx),
};
