import type { Compliance } from "@aws-sdk/client-config-service";
import type { DocBuilder } from "./document.js";

/**
 * Fill an `aws.config.rule` document from AWS Config's verdict for one rule. Shared by the per-account collector
 * (DescribeComplianceByConfigRule) and the aggregator (DescribeAggregateComplianceByConfigRules); `call` names the
 * API call in the reasons of what is missing.
 */
export function setRuleCompliance(
  b: DocBuilder,
  name: string,
  compliance: Compliance | undefined,
  call: string,
): DocBuilder {
  const type = compliance?.ComplianceType;
  b.set("ruleName", name);
  // INSUFFICIENT_DATA means Config has not judged yet: the verdict is missing, not compliant.
  if (!type)
    b.miss(
      ["complianceType", "nonCompliantResourceCount"],
      `malformed response on ${call} (no ComplianceType)`,
    );
  else if (type === "INSUFFICIENT_DATA")
    b.miss(
      ["complianceType", "nonCompliantResourceCount"],
      `AWS Config has insufficient data for rule ${name} (${call})`,
    );
  else {
    b.set("complianceType", type);
    const capped = compliance?.ComplianceContributorCount;
    b.set("nonCompliantResourceCount", type === "NON_COMPLIANT" ? (capped?.CappedCount ?? null) : 0);
    b.set("nonCompliantCountCapped", capped?.CapExceeded === true);
  }
  if (b.isMissing("complianceType")) b.miss("nonCompliantCountCapped", "needs the rule's compliance");
  return b;
}
