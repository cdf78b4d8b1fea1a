import type { AppliedWaiver } from "../types.js";

/** A waiver from the config file: accepted risk for matching failures until `expires`. */
export interface Waiver {
  policy: string;
  resource: string;
  reason: string;
  owner: string;
  ticket: string;
  /** Last day (UTC, inclusive) the waiver applies: `YYYY-MM-DD` or an ISO timestamp. */
  expires: string;
}

/** A waiver compiled for matching. */
export interface CompiledWaiver extends Waiver {
  policyRe: RegExp;
  resourceRe: RegExp;
  expiresAt: number;
}

/** Glob (`*`, `?`) to an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const re = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`);
}

/** When a waiver stops applying, in epoch ms: a bare date means through the end of that UTC day. */
export function waiverEnd(expires: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}

/** Compile waivers for matching. */
export function compileWaivers(waivers: Waiver[]): CompiledWaiver[] {
  return waivers.map((w) => ({
    ...w,
    policyRe: globToRegExp(w.policy),
    resourceRe: globToRegExp(w.resource),
    expiresAt: waiverEnd(w.expires),
  }));
}

/** The waiver covering a failure, if any: an unexpired match wins over an expired one. */
export function matchWaiver(
  waivers: CompiledWaiver[],
  policyId: string,
  resourceId: string,
  resourceName: string,
  now: number,
): AppliedWaiver | undefined {
  let expired: AppliedWaiver | undefined;
  for (const w of waivers) {
    if (!w.policyRe.test(policyId)) continue;
    if (!w.resourceRe.test(resourceId) && !w.resourceRe.test(resourceName)) continue;
    const applied: AppliedWaiver = {
      policy: w.policy,
      resource: w.resource,
      reason: w.reason,
      owner: w.owner,
      ticket: w.ticket,
      expires: w.expires,
      expired: now > w.expiresAt,
    };
    if (!applied.expired) return applied;
    expired ??= applied;
  }
  return expired;
}
