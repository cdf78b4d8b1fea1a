import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("rds-instance-encrypted-with-cmk", {
  valid: [
    {
      properties: {
        engine: "postgres",
        storageEncrypted: true,
        kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1",
        kmsKeyManager: "CUSTOMER",
      },
    },
  ],
  invalid: [
    {
      name: "AWS managed key aws/rds",
      properties: {
        engine: "mysql",
        storageEncrypted: true,
        kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/aws-rds",
        kmsKeyManager: "AWS",
      },
      failingProperties: ["kmsKeyManager"],
    },
    {
      name: "key manager null on an encrypted instance",
      properties: { engine: "postgres", storageEncrypted: true, kmsKeyManager: null },
      failingProperties: ["kmsKeyManager"],
    },
  ],
  notApplicable: [
    {
      name: "unencrypted instance (rds-instance-storage-encrypted reports it)",
      properties: { engine: "postgres", storageEncrypted: false, kmsKeyManager: null },
    },
    {
      name: "DocumentDB instance",
      properties: { engine: "docdb", storageEncrypted: true, kmsKeyManager: "AWS" },
    },
    {
      name: "Neptune instance",
      properties: { engine: "neptune", storageEncrypted: true, kmsKeyManager: "AWS" },
    },
  ],
  errors: [
    {
      name: "key manager absent: missing evidence is an error, not a pass or a fail",
      properties: { engine: "postgres", storageEncrypted: true },
      failingProperties: ["kmsKeyManager"],
    },
    {
      properties: { engine: "postgres", storageEncrypted: true },
      missing: { kmsKeyManager: "AccessDenied on kms:DescribeKey" },
    },
    {
      name: "scope unknown",
      properties: { engine: "postgres", kmsKeyManager: "AWS" },
      missing: { storageEncrypted: "not in the Config snapshot" },
    },
  ],
});
