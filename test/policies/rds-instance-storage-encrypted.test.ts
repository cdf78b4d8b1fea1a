import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("rds-instance-storage-encrypted", {
  valid: [{ properties: { engine: "postgres", storageEncrypted: true } }],
  invalid: [
    { properties: { engine: "postgres", storageEncrypted: false }, failingProperties: ["storageEncrypted"] },
    {
      name: "property absent is a failure, not a pass",
      properties: { engine: "mysql" },
      failingProperties: ["storageEncrypted"],
    },
  ],
  notApplicable: [{ properties: { engine: "docdb", storageEncrypted: false } }],
  errors: [
    {
      properties: { engine: "postgres" },
      missing: { storageEncrypted: "AccessDenied on rds:DescribeDBInstances" },
    },
  ],
});
