import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("config-rule-compliant", {
  valid: [
    {
      properties: {
        ruleName: "encrypted-volumes",
        complianceType: "COMPLIANT",
        nonCompliantResourceCount: 0,
        nonCompliantCountCapped: false,
      },
    },
  ],
  invalid: [
    {
      properties: {
        ruleName: "s3-ssl",
        complianceType: "NON_COMPLIANT",
        nonCompliantResourceCount: 3,
        nonCompliantCountCapped: false,
      },
      failingProperties: ["complianceType"],
    },
  ],
  notApplicable: [
    { properties: { ruleName: "unused", complianceType: "NOT_APPLICABLE", nonCompliantResourceCount: 0 } },
  ],
  errors: [
    {
      name: "absent verdict: missing evidence is an error, not a pass or a fail",
      properties: { ruleName: "r", nonCompliantResourceCount: 0 },
      failingProperties: ["complianceType"],
    },
    {
      name: "INSUFFICIENT_DATA is recorded as missing",
      properties: { ruleName: "pending" },
      missing: { complianceType: "AWS Config has insufficient data for rule pending" },
    },
  ],
});
