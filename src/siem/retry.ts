import type { RetryPolicy } from "./spec.js";

/** Default retry policy: 5 attempts, 0.5 s doubling up to 15 s, with jitter. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 15_000 };

/** Delay before retry number `n` (0 = first retry): exponential, capped, with "equal jitter" (half fixed, half random). */
export function backoffDelay(n: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n);
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** Wait `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Replace every secret in a message with `[redacted]`, so tokens never reach output or errors. */
export function redact(message: string, secrets: Array<string | undefined>): string {
  let out = message;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  return out;
}
