import { defineType } from "../define.js";

/** AWS Config rule and its latest compliance verdict (supporting evidence from DescribeComplianceByConfigRule). */
export default defineType(
  "aws.config.rule",
  "An AWS Config rule with its compliance as AWS Config last evaluated it.",
  {
    ruleName: { type: "string", description: "Config rule name." },
    complianceType: {
      type: "string",
      enum: ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"],
      description: "The rule's compliance; INSUFFICIENT_DATA is recorded as missing, never as a verdict.",
    },
    nonCompliantResourceCount: {
      type: ["integer", "null"],
      minimum: 0,
      description: "Resources the rule found non-compliant (capped by AWS Config at 100); 0 when compliant.",
    },
    nonCompliantCountCapped: {
      type: "boolean",
      description: "The non-compliant count reached AWS Config's cap.",
    },
  },
);
