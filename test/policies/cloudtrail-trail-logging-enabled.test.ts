import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("cloudtrail-trail-logging-enabled", {
  valid: [{ properties: { homeRegion: "us-east-1", isMultiRegionTrail: true, isLogging: true } }],
  invalid: [
    {
      name: "logging stopped",
      properties: { homeRegion: "us-east-1", isMultiRegionTrail: true, isLogging: false },
      failingProperties: ["isLogging"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { homeRegion: "us-east-1", isMultiRegionTrail: true },
      failingProperties: ["isLogging"],
    },
    {
      name: "Config snapshot carries no trail status",
      properties: { homeRegion: "us-east-1" },
      missing: { isLogging: "not in the Config snapshot" },
    },
  ],
});
