import { defineType } from "../define.js";

/** AWS Certificate Manager certificate. */
export default defineType("aws.acm.certificate", "An AWS Certificate Manager certificate.", {
  domainName: { type: "string", description: "Primary domain name." },
  subjectAlternativeNames: {
    type: "array",
    items: { type: "string" },
    description: "All names the certificate covers.",
  },
  status: {
    type: "string",
    description: "ISSUED, PENDING_VALIDATION, EXPIRED, REVOKED, INACTIVE, FAILED or VALIDATION_TIMED_OUT.",
  },
  certificateType: {
    type: "string",
    enum: ["AMAZON_ISSUED", "IMPORTED", "PRIVATE"],
    description: "Who issued it.",
  },
  notAfter: { type: ["string", "null"], description: "Expiry (ISO 8601)." },
  daysUntilExpiry: {
    type: ["integer", "null"],
    description: "Whole days from collection until notAfter (negative when expired).",
  },
  keyAlgorithm: {
    type: "string",
    description: "RSA_1024, RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1 or EC_secp521r1.",
  },
  keyBits: { type: "integer", description: "Key size in bits (RSA modulus or EC field size)." },
  signatureAlgorithm: { type: ["string", "null"], description: "Signature algorithm, e.g. SHA256WITHRSA." },
  inUse: { type: "boolean", description: "The certificate is associated with at least one AWS resource." },
  renewalEligible: { type: "boolean", description: "ACM can renew it automatically." },
});
