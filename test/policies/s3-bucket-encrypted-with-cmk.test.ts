import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("s3-bucket-encrypted-with-cmk", {
  valid: [
    {
      properties: {
        encryptionAlgorithm: "aws:kms",
        kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1",
        kmsKeyManager: "CUSTOMER",
      },
    },
    {
      name: "DSSE-KMS with a customer key",
      properties: { encryptionAlgorithm: "aws:kms:dsse", kmsKeyManager: "CUSTOMER" },
    },
  ],
  invalid: [
    {
      name: "AWS managed key aws/s3",
      properties: { encryptionAlgorithm: "aws:kms", kmsKeyManager: "AWS" },
      failingProperties: ["kmsKeyManager"],
    },
    {
      name: "DSSE-KMS with aws/s3",
      properties: { encryptionAlgorithm: "aws:kms:dsse", kmsKeyManager: "AWS" },
      failingProperties: ["kmsKeyManager"],
    },
  ],
  notApplicable: [
    {
      name: "SSE-S3 (s3-bucket-default-encryption-kms reports it)",
      properties: { encryptionAlgorithm: "AES256", kmsKeyManager: null },
    },
    { name: "no default encryption", properties: { encryptionAlgorithm: "none", kmsKeyManager: null } },
  ],
  errors: [
    {
      name: "key manager absent: missing evidence is an error, not a pass or a fail",
      properties: { encryptionAlgorithm: "aws:kms" },
      failingProperties: ["kmsKeyManager"],
    },
    {
      properties: { encryptionAlgorithm: "aws:kms" },
      missing: { kmsKeyManager: "AccessDenied on kms:DescribeKey" },
    },
    {
      name: "scope unknown",
      properties: { kmsKeyManager: "CUSTOMER" },
      missing: { encryptionAlgorithm: "AccessDenied on s3:GetEncryptionConfiguration" },
    },
  ],
});
