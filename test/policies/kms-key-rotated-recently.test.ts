import { runPolicyTests } from "../support/policy-tester.js";

const key = {
  keyManager: "CUSTOMER",
  keySpec: "SYMMETRIC_DEFAULT",
  origin: "AWS_KMS",
  keyState: "Enabled",
  rotationEnabled: true,
};

runPolicyTests("kms-key-rotated-recently", {
  valid: [
    { name: "rotated 30 days ago", properties: { ...key, daysSinceLastRotation: 30 } },
    { name: "exactly at the limit", properties: { ...key, daysSinceLastRotation: 365 } },
    {
      name: "stricter parameter, still within",
      properties: { ...key, daysSinceLastRotation: 80 },
      params: { maxDaysSinceRotation: 90 },
    },
  ],
  invalid: [
    {
      name: "rotation switched on but material 800 days old",
      properties: { ...key, daysSinceLastRotation: 800 },
      failingProperties: ["daysSinceLastRotation"],
    },
    {
      name: "one day past the limit",
      properties: { ...key, daysSinceLastRotation: 366 },
      failingProperties: ["daysSinceLastRotation"],
    },
    {
      name: "stricter parameter",
      properties: { ...key, daysSinceLastRotation: 100 },
      params: { maxDaysSinceRotation: 90 },
      failingProperties: ["daysSinceLastRotation"],
    },
  ],
  notApplicable: [
    { name: "AWS managed key", properties: { ...key, keyManager: "AWS", daysSinceLastRotation: 900 } },
    { name: "asymmetric key", properties: { ...key, keySpec: "RSA_2048", daysSinceLastRotation: 900 } },
    {
      name: "pending deletion",
      properties: { ...key, keyState: "PendingDeletion", daysSinceLastRotation: 900 },
    },
  ],
  errors: [
    {
      name: "absent: missing evidence is an error, not a pass or a fail",
      properties: { ...key },
      failingProperties: ["daysSinceLastRotation"],
    },
    { properties: { ...key }, missing: { daysSinceLastRotation: "AccessDenied on kms:ListKeyRotations" } },
  ],
});
