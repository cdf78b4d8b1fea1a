import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("cloudtrail-trail-log-file-validation-enabled", {
  valid: [{ properties: { homeRegion: "us-east-1", logFileValidationEnabled: true } }],
  invalid: [
    {
      properties: { homeRegion: "us-east-1", logFileValidationEnabled: false },
      failingProperties: ["logFileValidationEnabled"],
    },
    {
      name: "property absent is a failure, not a pass",
      properties: { homeRegion: "us-east-1" },
      failingProperties: ["logFileValidationEnabled"],
    },
  ],
  errors: [
    {
      properties: { homeRegion: "us-east-1" },
      missing: { logFileValidationEnabled: "AccessDenied on cloudtrail:DescribeTrails" },
    },
  ],
});
