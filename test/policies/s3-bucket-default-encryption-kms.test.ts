import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("s3-bucket-default-encryption-kms", {
  valid: [
    {
      name: "SSE-KMS",
      properties: { encryptionAlgorithm: "aws:kms", kmsKeyManager: "CUSTOMER", bucketKeyEnabled: true },
    },
    { name: "DSSE-KMS", properties: { encryptionAlgorithm: "aws:kms:dsse", kmsKeyManager: "AWS" } },
  ],
  invalid: [
    {
      name: "SSE-S3 proves no key control",
      properties: { encryptionAlgorithm: "AES256", kmsKeyManager: null },
      failingProperties: ["encryptionAlgorithm"],
    },
    {
      name: "no default encryption",
      properties: { encryptionAlgorithm: "none" },
      failingProperties: ["encryptionAlgorithm"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { versioningEnabled: true },
      failingProperties: ["encryptionAlgorithm"],
    },
    { properties: {}, missing: { encryptionAlgorithm: "AccessDenied on s3:GetEncryptionConfiguration" } },
  ],
});
