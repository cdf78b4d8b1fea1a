import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("cloudtrail-trail-log-file-validation-enabled", {
  valid: [{ properties: { homeRegion: "us-east-1", logFileValidationEnabled: true } }],
  invalid: [
    {
      properties: { homeRegion: "us-east-1", logFileValidationEnabled: false },
      failingProperties: ["logFileValidationEnabled"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { homeRegion: "us-east-1" },
      failingProperties: ["logFileValidationEnabled"],
    },
    {
      properties: { homeRegion: "us-east-1" },
      missing: { logFileValidationEnabled: "AccessDenied on cloudtrail:DescribeTrails" },
    },
  ],
});
