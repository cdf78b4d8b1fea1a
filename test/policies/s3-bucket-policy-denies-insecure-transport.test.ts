import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("s3-bucket-policy-denies-insecure-transport", {
  valid: [{ properties: { policyDeniesInsecureTransport: true, minimumTlsVersion: 1.2 } }],
  invalid: [
    {
      properties: { policyDeniesInsecureTransport: false, minimumTlsVersion: null },
      failingProperties: ["policyDeniesInsecureTransport"],
    },
    {
      name: "property absent is a failure, not a pass",
      properties: { encryptionAlgorithm: "aws:kms" },
      failingProperties: ["policyDeniesInsecureTransport"],
    },
  ],
  errors: [
    {
      properties: { encryptionAlgorithm: "aws:kms" },
      missing: { policyDeniesInsecureTransport: "AccessDenied on s3:GetBucketPolicy" },
    },
  ],
});
