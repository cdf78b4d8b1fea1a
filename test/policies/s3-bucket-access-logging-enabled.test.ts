import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("s3-bucket-access-logging-enabled", {
  valid: [{ properties: { accessLoggingEnabled: true, encryptionAlgorithm: "aws:kms" } }],
  invalid: [
    {
      properties: { accessLoggingEnabled: false, encryptionAlgorithm: "aws:kms" },
      failingProperties: ["accessLoggingEnabled"],
    },
    {
      name: "property absent is a failure, not a pass",
      properties: { encryptionAlgorithm: "aws:kms" },
      failingProperties: ["accessLoggingEnabled"],
    },
  ],
  errors: [
    {
      properties: { encryptionAlgorithm: "aws:kms" },
      missing: { accessLoggingEnabled: "AccessDenied on s3:GetBucketLogging" },
    },
  ],
});
