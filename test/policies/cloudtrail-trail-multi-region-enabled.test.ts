import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("cloudtrail-trail-multi-region-enabled", {
  valid: [{ properties: { homeRegion: "us-east-1", isMultiRegionTrail: true, isOrganizationTrail: false } }],
  invalid: [
    {
      properties: { homeRegion: "us-east-1", isMultiRegionTrail: false },
      failingProperties: ["isMultiRegionTrail"],
    },
    {
      name: "property absent is a failure, not a pass",
      properties: { homeRegion: "us-east-1" },
      failingProperties: ["isMultiRegionTrail"],
    },
  ],
  errors: [
    {
      properties: { homeRegion: "us-east-1" },
      missing: { isMultiRegionTrail: "AccessDenied on cloudtrail:DescribeTrails" },
    },
  ],
});
