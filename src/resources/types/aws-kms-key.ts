import { defineType } from "../define.js";

/** AWS KMS key (ListKeys + DescribeKey + GetKeyRotationStatus + ListKeyRotations + GetKeyPolicy). */
export default defineType("aws.kms.key", "An AWS KMS key.", {
  keyId: { type: "string", description: "Key id (UUID or mrk-…)." },
  description: { type: "string", description: "The key's description." },
  enabled: { type: "boolean", description: "True when the key is enabled." },
  keyState: {
    type: "string",
    enum: [
      "Creating",
      "Enabled",
      "Disabled",
      "PendingDeletion",
      "PendingImport",
      "PendingReplicaDeletion",
      "Unavailable",
      "Updating",
    ],
    description: "KMS key state.",
  },
  keyManager: { type: "string", enum: ["AWS", "CUSTOMER"], description: "AWS managed or customer managed." },
  origin: {
    type: "string",
    enum: ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"],
    description: "Where the key material comes from; only AWS_KMS keys support automatic rotation.",
  },
  keySpec: {
    type: "string",
    description: "Key spec, e.g. SYMMETRIC_DEFAULT, RSA_2048, ECC_NIST_P256, HMAC_256.",
  },
  keyUsage: {
    type: "string",
    enum: ["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"],
    description: "What the key is for.",
  },
  multiRegion: { type: "boolean", description: "True for a multi-Region key." },
  creationDate: { type: "string", format: "date-time", description: "When the key was created (ISO 8601)." },
  ageDays: {
    type: "integer",
    minimum: 0,
    description: "Whole days since the key was created, computed at collection.",
  },
  pendingDeletion: { type: "boolean", description: "True when the key is scheduled for deletion." },
  deletionDate: {
    type: ["string", "null"],
    description: "When a key pending deletion will be deleted (ISO 8601), else null.",
  },
  rotationEnabled: {
    type: "boolean",
    description: "Automatic key rotation is enabled (GetKeyRotationStatus).",
  },
  rotationPeriodDays: {
    type: ["integer", "null"],
    description: "Automatic rotation period in days; null when rotation is off.",
  },
  nextRotationDate: {
    type: ["string", "null"],
    description:
      "When KMS next rotates the key material automatically (GetKeyRotationStatus NextRotationDate, ISO 8601); null when rotation is off.",
  },
  daysSinceLastRotation: {
    type: ["integer", "null"],
    description:
      "Days since the key material last rotated (ListKeyRotations), or since creation when it never rotated.",
  },
  keyPolicyAllowsWildcardPrincipal: {
    type: "boolean",
    description:
      'True when an Allow statement in the key policy names principal "*" without a limiting condition.',
  },
  aliases: { type: "array", items: { type: "string" }, description: "Alias names (alias/…)." },
  arn: { type: "string", description: "Key ARN." },
});
