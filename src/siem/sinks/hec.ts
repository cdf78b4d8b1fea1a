import { randomUUID } from "node:crypto";
import { appendAll } from "../../core/arrays.js";
import { defaultSourcetype, hecEnvelope } from "../formats/hec.js";
import { backoffDelay, DEFAULT_RETRY, redact, sleep } from "../retry.js";
import type { RetryPolicy, TargetOptions } from "../spec.js";
import type { TlsMaterial } from "../tls.js";
import type { SiemEvent } from "../types.js";
import { batches } from "./batch.js";
import { httpsAgent, networkError, post } from "./http.js";
import type { Sink, SinkEnv, SinkResult } from "./sink.js";

/** Environment variable that holds the HEC token unless the target names another. */
export const DEFAULT_HEC_TOKEN_ENV = "CIPHERPROOF_HEC_TOKEN";

/** Splunk HEC status codes (docs.splunk.com, "Format events for HTTP Event Collector" / troubleshooting). */
export const HEC_CODES: Record<number, string> = {
  0: "Success",
  1: "Token disabled",
  2: "Token is required",
  3: "Invalid authorization",
  4: "Invalid token",
  5: "No data",
  6: "Invalid data format",
  7: "Incorrect index",
  8: "Internal server error",
  9: "Server is busy",
  10: "Data channel is missing",
  11: "Invalid data channel",
  12: "Event field is required",
  13: "Event field cannot be blank",
  14: "ACK is disabled",
  15: "Error in handling indexed fields",
  16: "Query string authorization is not enabled",
  17: "HEC is healthy",
  18: "HEC is unhealthy, queues are full",
  19: "HEC is unhealthy, ack service unavailable",
  20: "HEC is unhealthy, queues are full, ack service unavailable",
};

const HEC_ADVICE: Record<number, string> = {
  1: "enable the token in Splunk (Settings > Data inputs > HTTP Event Collector)",
  2: "set the token environment variable",
  3: "the token in the environment variable is not accepted",
  4: "the token in the environment variable is not accepted",
  6: "the receiver does not accept this event format",
  7: "the index does not exist or the token may not write to it; set `index` in the siem target or fix the token's allowed indexes",
  10: "indexer acknowledgement is on for this token: set `ack: true` on the target",
  11: "the channel GUID was refused",
  14: "indexer acknowledgement is off for this token: remove `ack: true`",
};

/** A human explanation of a HEC error response body `{text, code}`. */
export function explainHec(status: number, body: string): string {
  let code: number | undefined;
  let text: string | undefined;
  try {
    const j = JSON.parse(body) as { code?: unknown; text?: unknown };
    if (typeof j.code === "number") code = j.code;
    if (typeof j.text === "string") text = j.text;
  } catch {
    // not JSON: the status alone must do
  }
  if (code === undefined) return `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}`;
  const advice = HEC_ADVICE[code];
  return `HTTP ${status}, HEC code ${code} (${text ?? HEC_CODES[code] ?? "unknown"})${advice ? ` — ${advice}` : ""}`;
}

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Posts events to Splunk HEC `/services/collector/event` in batches, with retries and optional indexer acknowledgement. */
export function hecSink(url: string, o: TargetOptions, tls: TlsMaterial, env: SinkEnv): Sink {
  const endpoint = /\/services\/collector(\/event)?$/.test(url)
    ? url.replace(/\/services\/collector$/, "/services/collector/event")
    : `${url}/services/collector/event`;
  const ackEndpoint = endpoint.replace(/\/event$/, "/ack");
  const tokenEnv = o.tokenEnv ?? DEFAULT_HEC_TOKEN_ENV;
  const token = env.env[tokenEnv];
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...o.retry };
  const timeoutMs = o.timeoutMs ?? 30_000;
  const channel = o.ack ? randomUUID() : undefined;
  const agent = httpsAgent(tls);
  const clean = (s: string) => redact(s, [token]);

  return {
    async deliver(events: SiemEvent[]): Promise<SinkResult> {
      if (!token)
        return {
          delivered: 0,
          undelivered: events,
          errors: [`environment variable ${tokenEnv} (the HEC token) is not set`],
        };
      const headers: Record<string, string> = {
        Authorization: `Splunk ${token}`,
        "Content-Type": "application/json",
      };
      if (channel) headers["X-Splunk-Request-Channel"] = channel;
      const lines = events.map((e) => ({
        event: e,
        text: JSON.stringify(
          e.format === "hec" && typeof e.body !== "string"
            ? e.body
            : hecEnvelope(e, env.host, {
                index: o.index,
                source: o.source,
                sourcetype: o.sourcetype ?? defaultSourcetype(e.format),
              }),
        ),
      }));
      const groups = batches(
        lines,
        (l) => Buffer.byteLength(l.text) + 1,
        o.batchEvents ?? 500,
        o.batchBytes ?? 1_000_000,
      );
      const undelivered: SiemEvent[] = [];
      const errors: string[] = [];
      const awaitingAck = new Map<number, SiemEvent[]>();
      let delivered = 0;
      let stopped = false;
      for (const group of groups) {
        const batch = group.map((l) => l.event);
        if (stopped) {
          appendAll(undelivered, batch);
          continue;
        }
        const body = group.map((l) => l.text).join("\n");
        let outcome: { ok: true; ackId?: number } | { ok: false; error: string; permanent: boolean } = {
          ok: false,
          error: "not sent",
          permanent: false,
        };
        for (let attempt = 0; attempt < retry.attempts; attempt++) {
          if (attempt > 0) await sleep(backoffDelay(attempt - 1, retry));
          try {
            const res = await post(endpoint, body, headers, agent, timeoutMs);
            if (res.status >= 200 && res.status < 300) {
              let ackId: number | undefined;
              try {
                const j = JSON.parse(res.body) as { ackId?: unknown };
                if (typeof j.ackId === "number") ackId = j.ackId;
              } catch {
                // a 2xx without a JSON body still means accepted
              }
              outcome = { ok: true, ackId };
              break;
            }
            outcome = {
              ok: false,
              error: explainHec(res.status, res.body),
              permanent: !retryable(res.status),
            };
            if (outcome.permanent) break;
          } catch (err) {
            outcome = { ok: false, error: networkError(err), permanent: false };
          }
        }
        if (outcome.ok) {
          if (channel && outcome.ackId !== undefined) awaitingAck.set(outcome.ackId, batch);
          else delivered += batch.length;
        } else {
          errors.push(
            clean(
              `HEC ${endpoint}: ${outcome.error}${outcome.permanent ? "" : ` (after ${retry.attempts} attempts)`}`,
            ),
          );
          appendAll(undelivered, batch);
          stopped = true;
        }
      }
      if (awaitingAck.size) {
        const unacked = await pollAcks(ackEndpoint, headers, awaitingAck, o, agent, timeoutMs);
        for (const [id, batch] of awaitingAck) {
          if (unacked.has(id)) appendAll(undelivered, batch);
          else delivered += batch.length;
        }
        if (unacked.size)
          errors.push(
            `HEC ${ackEndpoint}: ${unacked.size} batch(es) not acknowledged by the indexers within ${o.ackTimeoutMs ?? 60_000} ms`,
          );
      }
      return { delivered, undelivered, errors };
    },
    close() {
      agent.destroy();
    },
  };
}

/** Poll `/services/collector/ack` until every ack id is true or the timeout passes; returns the ids still pending. */
async function pollAcks(
  url: string,
  headers: Record<string, string>,
  pending: Map<number, unknown>,
  o: TargetOptions,
  agent: ReturnType<typeof httpsAgent>,
  timeoutMs: number,
): Promise<Set<number>> {
  const waiting = new Set(pending.keys());
  const deadline = Date.now() + (o.ackTimeoutMs ?? 60_000);
  while (waiting.size && Date.now() < deadline) {
    try {
      const res = await post(url, JSON.stringify({ acks: [...waiting] }), headers, agent, timeoutMs);
      if (res.status === 200) {
        const j = JSON.parse(res.body) as { acks?: Record<string, boolean> };
        for (const [id, ok] of Object.entries(j.acks ?? {})) if (ok === true) waiting.delete(Number(id));
      }
    } catch {
      // the ack endpoint may be briefly unreachable; keep polling until the deadline
    }
    if (waiting.size) await sleep(o.ackPollMs ?? 1_000);
  }
  return waiting;
}
