import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("cloudtrail-trail-kms-encrypted", {
  valid: [{ properties: { homeRegion: "us-east-1", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1" } }],
  invalid: [
    {
      name: "no KMS key (SSE-S3 only)",
      properties: { homeRegion: "us-east-1", kmsKeyId: null },
      failingProperties: ["kmsKeyId"],
    },
    {
      name: "empty key id",
      properties: { homeRegion: "us-east-1", kmsKeyId: "" },
      failingProperties: ["kmsKeyId"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { homeRegion: "us-east-1" },
      failingProperties: ["kmsKeyId"],
    },
    {
      properties: { homeRegion: "us-east-1" },
      missing: { kmsKeyId: "AccessDenied on cloudtrail:DescribeTrails" },
    },
  ],
});
