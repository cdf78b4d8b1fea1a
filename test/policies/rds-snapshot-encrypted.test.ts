import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("rds-snapshot-encrypted", {
  valid: [
    {
      properties: { engine: "postgres", snapshotType: "manual", encrypted: true, kmsKeyManager: "CUSTOMER" },
    },
  ],
  invalid: [
    {
      properties: { engine: "postgres", snapshotType: "automated", encrypted: false },
      failingProperties: ["encrypted"],
    },
    {
      name: "shared cluster snapshot",
      properties: { engine: "aurora-mysql", snapshotType: "shared", encrypted: false },
      failingProperties: ["encrypted"],
    },
    {
      name: "property absent is a failure, not a pass",
      properties: { engine: "mysql", snapshotType: "manual" },
      failingProperties: ["encrypted"],
    },
  ],
  errors: [
    { properties: { engine: "postgres" }, missing: { encrypted: "AccessDenied on rds:DescribeDBSnapshots" } },
  ],
});
