import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("cloudtrail-trail-multi-region-enabled", {
  valid: [{ properties: { homeRegion: "us-east-1", isMultiRegionTrail: true, isOrganizationTrail: false } }],
  invalid: [
    {
      properties: { homeRegion: "us-east-1", isMultiRegionTrail: false },
      failingProperties: ["isMultiRegionTrail"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { homeRegion: "us-east-1" },
      failingProperties: ["isMultiRegionTrail"],
    },
    {
      properties: { homeRegion: "us-east-1" },
      missing: { isMultiRegionTrail: "AccessDenied on cloudtrail:DescribeTrails" },
    },
  ],
});
