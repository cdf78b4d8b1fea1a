import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("s3-bucket-access-logging-enabled", {
  valid: [{ properties: { accessLoggingEnabled: true, encryptionAlgorithm: "aws:kms" } }],
  invalid: [
    {
      properties: { accessLoggingEnabled: false, encryptionAlgorithm: "aws:kms" },
      failingProperties: ["accessLoggingEnabled"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { encryptionAlgorithm: "aws:kms" },
      failingProperties: ["accessLoggingEnabled"],
    },
    {
      properties: { encryptionAlgorithm: "aws:kms" },
      missing: { accessLoggingEnabled: "AccessDenied on s3:GetBucketLogging" },
    },
  ],
});
