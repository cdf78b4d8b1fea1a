import { rfc5424Message } from "../formats/rfc5424.js";
import type { SiemEvent } from "../types.js";

/** What one delivery achieved: how many events arrived, which did not, and why. */
export interface SinkResult {
  delivered: number;
  undelivered: SiemEvent[];
  errors: string[];
}

/** A destination for events; it only delivers (formatting happened before). */
export interface Sink {
  deliver(events: SiemEvent[]): Promise<SinkResult>;
  close(): void;
}

/** What sinks may use from the running process. */
export interface SinkEnv {
  env: Record<string, string | undefined>;
  stdout: (s: string) => void;
  host: string;
  pid: number;
}

/** An event as one line of text: JSON bodies serialized, line formats as they are. */
export function eventLine(e: SiemEvent): string {
  return typeof e.body === "string" ? e.body : JSON.stringify(e.body);
}

/** An event as a JSON document (line formats are wrapped with their time and id). */
export function eventDocument(e: SiemEvent): Record<string, unknown> {
  if (typeof e.body !== "string") return e.body;
  return {
    "@timestamp": new Date(e.time).toISOString(),
    message: e.body,
    event: { id: e.id, original: e.body },
    cipherproof: { format: e.format },
  };
}

/** An event as an RFC 5424 message: rfc5424 events as they are, others as the MSG of a cipherproof message. */
export function eventSyslog(
  e: SiemEvent,
  proc: { host: string; pid: number },
  o: { facility?: number; enterpriseId?: number },
): string {
  if (e.format === "rfc5424" && typeof e.body === "string") return e.body;
  const severity = { critical: 2, high: 3, medium: 4, low: 5, info: 6 }[e.severity];
  return rfc5424Message(
    proc,
    {
      time: e.time,
      severity,
      msgid: e.format.toUpperCase(),
      params: [
        ["eventId", e.id],
        ["kind", e.kind],
      ],
      msg: eventLine(e),
    },
    o,
  );
}
