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
    {
      name: "property absent is a failure, not a pass",
      properties: { versioningEnabled: true },
      failingProperties: ["encryptionAlgorithm"],
    },
  ],
  errors: [
    { properties: {}, missing: { encryptionAlgorithm: "AccessDenied on s3:GetEncryptionConfiguration" } },
  ],
});
