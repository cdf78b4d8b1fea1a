import { createHash } from "node:crypto";

/** Stable finding id: the same policy and resource give the same id in every run (first 128 bits of SHA-256). */
export function findingId(policyId: string, resourceId: string): string {
  return createHash("sha256").update(`${policyId}\n${resourceId}`).digest("hex").slice(0, 32);
}
