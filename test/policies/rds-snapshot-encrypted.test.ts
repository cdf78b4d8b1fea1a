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
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { engine: "mysql", snapshotType: "manual" },
      failingProperties: ["encrypted"],
    },
    { properties: { engine: "postgres" }, missing: { encrypted: "AccessDenied on rds:DescribeDBSnapshots" } },
  ],
});
