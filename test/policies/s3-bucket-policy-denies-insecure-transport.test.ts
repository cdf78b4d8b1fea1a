import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("s3-bucket-policy-denies-insecure-transport", {
  valid: [{ properties: { policyDeniesInsecureTransport: true, minimumTlsVersion: 1.2 } }],
  invalid: [
    {
      properties: { policyDeniesInsecureTransport: false, minimumTlsVersion: null },
      failingProperties: ["policyDeniesInsecureTransport"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { encryptionAlgorithm: "aws:kms" },
      failingProperties: ["policyDeniesInsecureTransport"],
    },
    {
      properties: { encryptionAlgorithm: "aws:kms" },
      missing: { policyDeniesInsecureTransport: "AccessDenied on s3:GetBucketPolicy" },
    },
  ],
});
