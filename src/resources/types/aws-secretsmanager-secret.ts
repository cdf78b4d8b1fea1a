import { common, defineType } from "../define.js";

/** AWS Secrets Manager secret (metadata only; secret values are never read). */
export default defineType("aws.secretsmanager.secret", "An AWS Secrets Manager secret (metadata only).", {
  rotationEnabled: { type: "boolean", description: "Automatic rotation is enabled." },
  rotationIntervalDays: {
    type: ["integer", "null"],
    description:
      "Days between automatic rotations (AutomaticallyAfterDays or derived from a schedule); null when off.",
  },
  daysSinceLastRotation: {
    type: ["integer", "null"],
    description: "Days since the last rotation; null when never rotated.",
  },
  daysSinceLastAccessed: {
    type: ["integer", "null"],
    description: "Days since the secret was last retrieved.",
  },
  kmsKeyId: common.kmsKeyId,
  kmsKeyManager: common.kmsKeyManager,
});
