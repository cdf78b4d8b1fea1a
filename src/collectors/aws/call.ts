import { createHash } from "node:crypto";
import type { EvidenceRef } from "../../core/types.js";
import type { AdaptiveLimiter } from "./limiter.js";
import type { RetryOptions } from "./options.js";

/** The result of one API call after retries: the value, an expected "absent" answer, or why it failed. */
export type CallOutcome<T> =
  | { ok: true; value: T; evidence: EvidenceRef }
  | { ok: false; absent: true; code: string }
  | { ok: false; absent: false; reason: string; code: string };

/** Counters of every call the collector made. */
export interface CallStats {
  calls: number;
  failures: number;
  byOperation: Map<string, number>;
}

/** What a call needs besides the request: its limiter, retry policy, stats, region. */
export interface CallEnv {
  limiter: AdaptiveLimiter;
  /** Cap across every service and region; taken after the service's own slot. */
  global?: AdaptiveLimiter;
  retry: Required<RetryOptions>;
  stats: CallStats;
  region: string;
  /** The scan's region list started from this account's home region; other regions may be disabled opt-in ones. */
  isHomeRegion: boolean;
}

const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "LimitExceededException",
  "RequestThrottled",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
]);
const DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "AuthorizationError",
  "Forbidden",
  "UnauthorizedException",
]);
const REGION_DISABLED = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "AuthFailure",
  "OptInRequired",
  "InvalidAccessKeyId",
]);
const NETWORK = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNABORTED",
  "EHOSTUNREACH",
]);

interface Classified {
  kind: "throttle" | "denied" | "region" | "server" | "timeout" | "network" | "malformed" | "other";
  code: string;
  status?: number;
}

type SdkError = Error & {
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
  $response?: unknown;
};

/** Sort an SDK error into what the collector does about it. */
export function classify(err: unknown, timedOut: boolean): Classified {
  const e = (err ?? {}) as SdkError;
  const code = e.name && e.name !== "Error" ? e.name : (e.Code ?? e.code ?? "Error");
  const status = e.$metadata?.httpStatusCode;
  if (timedOut || code === "AbortError" || code === "TimeoutError" || code === "RequestTimeout")
    return { kind: "timeout", code, status };
  if (THROTTLING.has(code) || status === 429) return { kind: "throttle", code, status };
  if (DENIED.has(code)) return { kind: "denied", code, status };
  if (REGION_DISABLED.has(code)) return { kind: "region", code, status };
  if (e.code && NETWORK.has(e.code)) return { kind: "network", code: e.code, status };
  if (
    code === "SyntaxError" ||
    (/Deserialization error|Unexpected token|Unexpected end of JSON|not valid JSON|Invalid XML|xml|parse/i.test(
      `${code} ${e.message ?? ""}`,
    ) &&
      !(status && status >= 400))
  ) {
    return { kind: "malformed", code, status };
  }
  if (status !== undefined && status >= 500) return { kind: "server", code, status };
  if (e.$fault === "server") return { kind: "server", code, status: status ?? 500 };
  return { kind: "other", code, status };
}

const RETRYABLE = new Set<Classified["kind"]>(["throttle", "server", "timeout", "network"]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A short digest of a response, for the evidence trail. */
export function digest(value: unknown): string {
  const { $metadata: _m, ...rest } = (value ?? {}) as Record<string, unknown>;
  return createHash("sha256")
    .update(JSON.stringify(rest) ?? "")
    .digest("hex");
}

/**
 * Make one API call under the limiter, retrying throttling, 5xx, timeouts and network errors with full-jitter
 * exponential backoff; `absent` lists error codes that are answers ("no policy"), not failures.
 */
export async function callApi<T>(
  env: CallEnv,
  op: string,
  send: (abortSignal: AbortSignal) => Promise<T>,
  absent: readonly string[] = [],
): Promise<CallOutcome<T>> {
  const { retry, limiter, stats } = env;
  let last: Classified = { kind: "other", code: "Error" };
  let attempts = 0;
  for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
    attempts = attempt;
    let timedOut = false;
    const controller = new AbortController();
    const result = await limiter.run(() => (env.global ? env.global.run(attemptOnce) : attemptOnce()));
    async function attemptOnce(): Promise<{ value: unknown } | { err: unknown }> {
      stats.calls++;
      stats.byOperation.set(op, (stats.byOperation.get(op) ?? 0) + 1);
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, retry.timeoutMs);
      try {
        return { value: await send(controller.signal) };
      } catch (err) {
        return { err };
      } finally {
        clearTimeout(timer);
      }
    }
    if ("value" in result) {
      limiter.succeeded();
      return {
        ok: true,
        value: result.value as T,
        evidence: {
          call: op,
          region: env.region,
          at: new Date().toISOString(),
          sha256: digest(result.value),
        },
      };
    }
    last = classify(result.err, timedOut);
    if (absent.includes(last.code)) return { ok: false, absent: true, code: last.code };
    if (last.kind === "throttle") limiter.throttled();
    if (!RETRYABLE.has(last.kind) || attempt === retry.maxAttempts) break;
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    await sleep(Math.random() * ceiling);
  }
  stats.failures++;
  return {
    ok: false,
    absent: false,
    code: last.code,
    reason: reasonFor(last, op, attempts, env, retry.timeoutMs),
  };
}

function reasonFor(c: Classified, op: string, attempts: number, env: CallEnv, timeoutMs: number): string {
  const tries = `after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
  switch (c.kind) {
    case "denied":
      return c.code === "AccessDenied" ? `AccessDenied on ${op}` : `AccessDenied on ${op} (${c.code})`;
    case "throttle":
      return `throttled on ${op} ${tries} (${c.code})`;
    case "server":
      return `HTTP ${c.status ?? 500} on ${op} ${tries} (${c.code})`;
    case "timeout":
      return `timeout on ${op} ${tries} (${timeoutMs} ms each)`;
    case "network":
      return `network error ${c.code} on ${op} ${tries}`;
    case "malformed":
      return `malformed response on ${op}`;
    case "region":
      return env.isHomeRegion
        ? `credentials rejected (${c.code}) on ${op}`
        : `region ${env.region} not enabled for this account, or credentials rejected there (${c.code}) on ${op}`;
    default:
      return `${c.code}${c.status ? ` (HTTP ${c.status})` : ""} on ${op}`;
  }
}
