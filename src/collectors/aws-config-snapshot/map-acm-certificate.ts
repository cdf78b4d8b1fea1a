import { configurationOf, daysUntil, REASON, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";
import { show } from "./node.js";

const EC_BITS: Record<string, number> = { EC_prime256v1: 256, EC_secp384r1: 384, EC_secp521r1: 521 };
/** Statuses of certificates that were never issued, and so have no validity period. */
const NEVER_ISSUED = new Set(["PENDING_VALIDATION", "VALIDATION_TIMED_OUT", "FAILED"]);

/** ACM prints `RSA-2048` / `EC-prime256v1` in DescribeCertificate while its API enum says `RSA_2048`; use the enum. */
export function normalizeKeyAlgorithm(v: string): string {
  return v.replace(/^(RSA|EC)-/, "$1_");
}

/** Key size in bits for an ACM key algorithm, or undefined. */
export function keyBitsOf(algorithm: string): number | undefined {
  const rsa = /^RSA_(\d+)$/.exec(algorithm);
  if (rsa) return Number(rsa[1]);
  return Object.hasOwn(EC_BITS, algorithm) ? EC_BITS[algorithm] : undefined;
}

/** AWS::ACM::Certificate → aws.acm.certificate (days until expiry computed against the scan's clock). */
export const acmCertificate: ConfigTypeHandler = {
  configType: "AWS::ACM::Certificate",
  map(item, ctx) {
    const c = configurationOf(item);
    const arn = c.str("certificateArn") ?? item.resourceId;
    const domain = c.str("domainName");
    const b = startDocument("aws.acm.certificate", item, ctx, {
      name: item.resourceName ?? domain ?? arn,
      arn: () => arn,
    });
    b.field("domainName", domain);
    b.field("subjectAlternativeNames", c.strs("subjectAlternativeNames"));
    const status = c.str("status");
    b.field("status", status);
    b.field("certificateType", c.str("type"));
    const notAfter = c.date("notAfter");
    if (notAfter) b.set("notAfter", notAfter).set("daysUntilExpiry", daysUntil(notAfter, ctx.now));
    else if (
      typeof status === "string" &&
      NEVER_ISSUED.has(status) &&
      !(notAfter === undefined && item.partial)
    ) {
      // Certificates that were never issued have no validity period.
      b.set("notAfter", null).set("daysUntilExpiry", null);
    } else {
      const reason = notAfter === undefined && item.partial ? REASON.notSelected : REASON.notInItem;
      b.miss("notAfter", reason).miss("daysUntilExpiry", `the expiry date is unknown: ${reason}`);
    }
    const algorithm = c.str("keyAlgorithm");
    if (typeof algorithm === "string") {
      const normalized = normalizeKeyAlgorithm(algorithm);
      b.set("keyAlgorithm", normalized);
      const bits = keyBitsOf(normalized);
      if (bits !== undefined) b.set("keyBits", bits);
      else b.miss("keyBits", `unrecognized key algorithm ${show(algorithm)}`);
    } else {
      b.field("keyAlgorithm", algorithm);
      b.miss(
        "keyBits",
        `the key algorithm is unknown: ${algorithm === undefined && item.partial ? REASON.notSelected : REASON.notInItem}`,
      );
    }
    b.field("signatureAlgorithm", c.str("signatureAlgorithm"));
    const inUseBy = c.strs("inUseBy");
    b.field("inUse", inUseBy ? inUseBy.length > 0 : inUseBy);
    const renewal = c.str("renewalEligibility");
    if (renewal === "ELIGIBLE" || renewal === "INELIGIBLE") b.set("renewalEligible", renewal === "ELIGIBLE");
    else if (typeof renewal === "string")
      b.miss(
        "renewalEligible",
        `unrecognized renewal eligibility ${show(renewal)} (expected ELIGIBLE or INELIGIBLE)`,
      );
    else b.field("renewalEligible", renewal);
    return b.build();
  },
};
