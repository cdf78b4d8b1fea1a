import * as crypto from "node:crypto";

type OneShot = (algorithm: string, data: string, encoding: "hex") => string;
// crypto.hash (Node ≥ 20.12) avoids allocating a Hash object per call.
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

/** SHA-256 of a string as 64 lowercase hex characters. */
export function sha256Hex(s: string): string {
  return oneShot ? oneShot("sha256", s, "hex") : crypto.createHash("sha256").update(s).digest("hex");
}

/** The resource half of finding ids: the first 96 bits (24 hex characters) of SHA-256(resource id). */
export function resourceIdPart(resourceId: string): string {
  return sha256Hex(resourceId).slice(0, 24);
}

/** The policy half of finding ids: the first 32 bits (8 hex characters) of SHA-256(policy id). */
export function policyIdPart(policyId: string): string {
  return sha256Hex(policyId).slice(0, 8);
}

/**
 * Stable finding id (32 hex characters): 96 bits of SHA-256(resource id) followed by 32 bits of SHA-256(policy id).
 * The same policy and resource give the same id in every run; all findings of one resource share a prefix; each
 * half is computed once per resource or policy, not once per evaluation. Resource ids are the part an outsider can
 * choose, so they get the larger share of the bits; the loader rejects two policies whose halves collide.
 */
export function findingId(policyId: string, resourceId: string): string {
  return resourceIdPart(resourceId) + policyIdPart(policyId);
}
