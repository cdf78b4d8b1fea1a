import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("logs-log-group-kms-encrypted", {
  valid: [{ properties: { kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1", retentionDays: 365 } }],
  invalid: [
    {
      name: "service default encryption only",
      properties: { kmsKeyId: null, retentionDays: 365 },
      failingProperties: ["kmsKeyId"],
    },
    { name: "empty key id", properties: { kmsKeyId: "" }, failingProperties: ["kmsKeyId"] },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { retentionDays: 30 },
      failingProperties: ["kmsKeyId"],
    },
    { properties: { retentionDays: 30 }, missing: { kmsKeyId: "AccessDenied on logs:DescribeLogGroups" } },
  ],
});
