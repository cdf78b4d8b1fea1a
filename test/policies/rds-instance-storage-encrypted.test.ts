import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("rds-instance-storage-encrypted", {
  valid: [{ properties: { engine: "postgres", storageEncrypted: true } }],
  invalid: [
    { properties: { engine: "postgres", storageEncrypted: false }, failingProperties: ["storageEncrypted"] },
  ],
  notApplicable: [{ properties: { engine: "docdb", storageEncrypted: false } }],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { engine: "mysql" },
      failingProperties: ["storageEncrypted"],
    },
    {
      properties: { engine: "postgres" },
      missing: { storageEncrypted: "AccessDenied on rds:DescribeDBInstances" },
    },
  ],
});
