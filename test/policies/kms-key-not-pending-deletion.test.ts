import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("kms-key-not-pending-deletion", {
  valid: [
    {
      properties: { keyManager: "CUSTOMER", keyState: "Enabled", pendingDeletion: false, deletionDate: null },
    },
  ],
  invalid: [
    {
      properties: {
        keyManager: "CUSTOMER",
        keyState: "PendingDeletion",
        pendingDeletion: true,
        deletionDate: "2026-12-01T00:00:00.000Z",
      },
      failingProperties: ["pendingDeletion"],
    },
  ],
  notApplicable: [
    {
      name: "AWS managed key",
      properties: { keyManager: "AWS", keyState: "Enabled", pendingDeletion: false },
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { keyManager: "CUSTOMER", keyState: "Enabled" },
      failingProperties: ["pendingDeletion"],
    },
    {
      properties: { keyManager: "CUSTOMER" },
      missing: { pendingDeletion: "AccessDenied on kms:DescribeKey" },
    },
    {
      name: "scope unknown",
      properties: { pendingDeletion: false },
      missing: { keyManager: "AccessDenied on kms:DescribeKey" },
    },
  ],
});
