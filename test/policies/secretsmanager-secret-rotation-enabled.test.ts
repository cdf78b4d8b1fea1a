import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("secretsmanager-secret-rotation-enabled", {
  valid: [
    {
      name: "exactly the default 90 days",
      properties: { rotationEnabled: true, rotationIntervalDays: 90, daysSinceLastRotation: 12 },
    },
    { properties: { rotationEnabled: true, rotationIntervalDays: 30 } },
    {
      name: "maxRotationDays 30: exactly at the limit",
      properties: { rotationEnabled: true, rotationIntervalDays: 30 },
      params: { maxRotationDays: 30 },
    },
    {
      name: "maxRotationDays 180 accepts 120 days",
      properties: { rotationEnabled: true, rotationIntervalDays: 120 },
      params: { maxRotationDays: 180 },
    },
  ],
  invalid: [
    {
      name: "rotation off",
      properties: { rotationEnabled: false, rotationIntervalDays: null },
      failingProperties: ["rotationEnabled", "rotationIntervalDays"],
    },
    {
      name: "one day over the default limit",
      properties: { rotationEnabled: true, rotationIntervalDays: 91 },
      failingProperties: ["rotationIntervalDays"],
    },
    {
      name: "maxRotationDays 30: one day over",
      properties: { rotationEnabled: true, rotationIntervalDays: 31 },
      params: { maxRotationDays: 30 },
      failingProperties: ["rotationIntervalDays"],
    },
    {
      name: "maxRotationDays 30: 90 days is too slow",
      properties: { rotationEnabled: true, rotationIntervalDays: 90 },
      params: { maxRotationDays: 30 },
      failingProperties: ["rotationIntervalDays"],
    },
    {
      name: "rotation on but interval unknown",
      properties: { rotationEnabled: true, rotationIntervalDays: null },
      failingProperties: ["rotationIntervalDays"],
    },
  ],
  errors: [
    {
      name: "properties absent: missing evidence is an error, not a pass or a fail",
      properties: { kmsKeyManager: "CUSTOMER" },
      failingProperties: ["rotationEnabled", "rotationIntervalDays"],
    },
    {
      properties: { rotationEnabled: true },
      missing: { rotationIntervalDays: "schedule expression could not be interpreted" },
    },
    {
      properties: { kmsKeyManager: "CUSTOMER" },
      missing: { rotationEnabled: "AccessDenied on secretsmanager:DescribeSecret" },
    },
  ],
});
