import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("kms-key-policy-no-wildcard-principal", {
  valid: [{ properties: { keyManager: "CUSTOMER", keyPolicyAllowsWildcardPrincipal: false } }],
  invalid: [
    {
      properties: { keyManager: "CUSTOMER", keyPolicyAllowsWildcardPrincipal: true },
      failingProperties: ["keyPolicyAllowsWildcardPrincipal"],
    },
  ],
  notApplicable: [
    {
      name: "AWS managed keys have AWS-owned policies",
      properties: { keyManager: "AWS", keyPolicyAllowsWildcardPrincipal: true },
    },
  ],
  errors: [
    {
      name: "absent: missing evidence is an error, not a pass or a fail",
      properties: { keyManager: "CUSTOMER" },
      failingProperties: ["keyPolicyAllowsWildcardPrincipal"],
    },
    {
      properties: { keyManager: "CUSTOMER" },
      missing: { keyPolicyAllowsWildcardPrincipal: "AccessDenied on kms:GetKeyPolicy" },
    },
  ],
});
