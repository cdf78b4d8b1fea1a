import { appendAll } from "../../core/arrays.js";
import { backoffDelay, DEFAULT_RETRY, redact, sleep } from "../retry.js";
import type { RetryPolicy, TargetOptions } from "../spec.js";
import type { TlsMaterial } from "../tls.js";
import type { SiemEvent } from "../types.js";
import { batches } from "./batch.js";
import { type HttpResponse, httpsAgent, networkError, post } from "./http.js";
import { eventDocument, type Sink, type SinkEnv, type SinkResult } from "./sink.js";

/** Environment variable that holds the Elastic API key unless the target names another. */
export const DEFAULT_ELASTIC_KEY_ENV = "CIPHERPROOF_ELASTIC_API_KEY";

interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string };
}

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

function describe(err: BulkItemResult["error"]): string {
  return err ? `${err.type ?? "error"}${err.reason ? `: ${err.reason}` : ""}` : "";
}

/** A human explanation of a whole-request `_bulk` error (Elasticsearch error body `{error: {type, reason}, status}`). */
export function explainElastic(status: number, body: string): string {
  try {
    const j = JSON.parse(body) as { error?: { type?: string; reason?: string } | string };
    if (typeof j.error === "string") return `HTTP ${status}: ${j.error}`;
    if (j.error) return `HTTP ${status}: ${describe(j.error)}`;
  } catch {
    // not JSON
  }
  return `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}`;
}

/**
 * Indexes events with Elasticsearch `_bulk` using `create` and the event id as `_id`, so a retried or replayed event is
 * never stored twice (a 409 on create means it is already there); retries only the items that failed with 429 or 5xx.
 */
export function elasticSink(
  url: string,
  index: string,
  o: TargetOptions,
  tls: TlsMaterial,
  env: SinkEnv,
): Sink {
  const endpoint = `${url}/_bulk`;
  const keyEnv = o.apiKeyEnv ?? DEFAULT_ELASTIC_KEY_ENV;
  const apiKey = env.env[keyEnv];
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...o.retry };
  const timeoutMs = o.timeoutMs ?? 60_000;
  const agent = httpsAgent(tls);
  const clean = (s: string) => redact(s, [apiKey]);

  return {
    async deliver(events: SiemEvent[]): Promise<SinkResult> {
      if (o.apiKeyEnv && !apiKey)
        return {
          delivered: 0,
          undelivered: events,
          errors: [`environment variable ${keyEnv} (the Elastic API key) is not set`],
        };
      const headers: Record<string, string> = {
        "Content-Type": "application/x-ndjson",
        Accept: "application/json",
      };
      if (apiKey) headers.Authorization = `ApiKey ${apiKey}`;
      const items = events.map((e) => ({
        event: e,
        text: `${JSON.stringify({ create: { _index: index, _id: e.id } })}\n${JSON.stringify(eventDocument(e))}\n`,
      }));
      const groups = batches(
        items,
        (i) => Buffer.byteLength(i.text),
        o.batchEvents ?? 1000,
        o.batchBytes ?? 5_000_000,
      );
      const undelivered: SiemEvent[] = [];
      const errors: string[] = [];
      let delivered = 0;
      let stopped = false;
      for (const group of groups) {
        if (stopped) {
          appendAll(
            undelivered,
            group.map((i) => i.event),
          );
          continue;
        }
        let pending = group;
        let lastError = "";
        let permanent = false;
        for (let attempt = 0; attempt < retry.attempts && pending.length; attempt++) {
          if (attempt > 0) await sleep(backoffDelay(attempt - 1, retry));
          let res: HttpResponse;
          try {
            res = await post(endpoint, pending.map((i) => i.text).join(""), headers, agent, timeoutMs);
          } catch (err) {
            lastError = networkError(err);
            continue;
          }
          if (res.status < 200 || res.status >= 300) {
            lastError = explainElastic(res.status, res.body);
            if (retryable(res.status)) continue;
            permanent = true;
            break;
          }
          let items: Array<Record<string, BulkItemResult>>;
          try {
            items = (JSON.parse(res.body) as { items: Array<Record<string, BulkItemResult>> }).items;
            if (!Array.isArray(items) || items.length !== pending.length)
              throw new Error("item count mismatch");
          } catch (err) {
            lastError = `unexpected _bulk response (${(err as Error).message})`;
            continue;
          }
          const retryItems: typeof pending = [];
          items.forEach((item, i) => {
            const r = item.create ?? Object.values(item)[0];
            // 409 on create: a document with this id exists, i.e. an earlier attempt already stored it.
            if ((r.status >= 200 && r.status < 300) || r.status === 409) delivered++;
            else if (retryable(r.status)) {
              retryItems.push(pending[i]);
              lastError = `item ${pending[i].event.id}: ${r.status} ${describe(r.error)}`;
            } else {
              undelivered.push(pending[i].event);
              errors.push(
                clean(
                  `Elastic ${endpoint}: event ${pending[i].event.id} rejected: ${r.status} ${describe(r.error)}`,
                ),
              );
            }
          });
          pending = retryItems;
        }
        if (pending.length) {
          appendAll(
            undelivered,
            pending.map((i) => i.event),
          );
          errors.push(
            clean(
              `Elastic ${endpoint}: ${lastError}${permanent ? "" : ` (after ${retry.attempts} attempts)`}`,
            ),
          );
          stopped = true;
        }
      }
      return {
        delivered,
        undelivered,
        errors:
          errors.length > 20 ? [...errors.slice(0, 20), `… and ${errors.length - 20} more errors`] : errors,
      };
    },
    close() {
      agent.destroy();
    },
  };
}
