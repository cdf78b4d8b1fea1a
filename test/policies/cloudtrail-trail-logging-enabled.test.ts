import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("cloudtrail-trail-logging-enabled", {
  valid: [{ properties: { homeRegion: "us-east-1", isMultiRegionTrail: true, isLogging: true } }],
  invalid: [
    {
      name: "logging stopped",
      properties: { homeRegion: "us-east-1", isMultiRegionTrail: true, isLogging: false },
      failingProperties: ["isLogging"],
    },
    {
      name: "property absent is a failure, not a pass",
      properties: { homeRegion: "us-east-1", isMultiRegionTrail: true },
      failingProperties: ["isLogging"],
    },
  ],
  errors: [
    {
      name: "Config snapshot carries no trail status",
      properties: { homeRegion: "us-east-1" },
      missing: { isLogging: "not in the Config snapshot" },
    },
  ],
});
