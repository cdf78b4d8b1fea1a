import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("rds-cluster-storage-encrypted", {
  valid: [{ properties: { engine: "aurora-postgresql", storageEncrypted: true } }],
  invalid: [
    {
      properties: { engine: "aurora-mysql", storageEncrypted: false },
      failingProperties: ["storageEncrypted"],
    },
  ],
  notApplicable: [
    { name: "DocumentDB cluster", properties: { engine: "docdb", storageEncrypted: false } },
    { name: "Neptune cluster", properties: { engine: "neptune", storageEncrypted: false } },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { engine: "aurora-postgresql" },
      failingProperties: ["storageEncrypted"],
    },
    {
      properties: { engine: "aurora-postgresql" },
      missing: { storageEncrypted: "AccessDenied on rds:DescribeDBClusters" },
    },
  ],
});
