import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("secretsmanager-secret-encrypted-with-cmk", {
  valid: [
    {
      properties: {
        kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1",
        kmsKeyManager: "CUSTOMER",
        rotationEnabled: true,
      },
    },
  ],
  invalid: [
    {
      name: "AWS managed key aws/secretsmanager",
      properties: { kmsKeyId: null, kmsKeyManager: "AWS" },
      failingProperties: ["kmsKeyManager"],
    },
  ],
  errors: [
    {
      name: "key manager absent: missing evidence is an error, not a pass or a fail",
      properties: { rotationEnabled: true },
      failingProperties: ["kmsKeyManager"],
    },
    { properties: { rotationEnabled: true }, missing: { kmsKeyManager: "AccessDenied on kms:DescribeKey" } },
  ],
});
