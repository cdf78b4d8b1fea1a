import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("iam-access-key-rotated", {
  valid: [
    {
      name: "exactly the default 90 days",
      properties: { userName: "ci", keyIdSuffix: "ABCD", status: "Active", ageDays: 90 },
    },
    {
      properties: { userName: "ci", keyIdSuffix: "ABCD", status: "Active", ageDays: 3, daysSinceLastUsed: 0 },
    },
    {
      name: "maxAgeDays 45: exactly at the limit",
      properties: { userName: "ci", keyIdSuffix: "ABCD", status: "Active", ageDays: 45 },
      params: { maxAgeDays: 45 },
    },
    {
      name: "maxAgeDays 180 accepts 120 days",
      properties: { userName: "ci", keyIdSuffix: "ABCD", status: "Active", ageDays: 120 },
      params: { maxAgeDays: 180 },
    },
  ],
  invalid: [
    {
      name: "one day over the default limit",
      properties: { userName: "ci", keyIdSuffix: "ABCD", status: "Active", ageDays: 91 },
      failingProperties: ["ageDays"],
    },
    {
      name: "maxAgeDays 45: one day over",
      properties: { userName: "ci", keyIdSuffix: "ABCD", status: "Active", ageDays: 46 },
      params: { maxAgeDays: 45 },
      failingProperties: ["ageDays"],
    },
    {
      name: "maxAgeDays 45: 90 days is too old",
      properties: { userName: "ci", keyIdSuffix: "ABCD", status: "Active", ageDays: 90 },
      params: { maxAgeDays: 45 },
      failingProperties: ["ageDays"],
    },
  ],
  notApplicable: [
    {
      name: "inactive key",
      properties: { userName: "ci", keyIdSuffix: "WXYZ", status: "Inactive", ageDays: 900 },
    },
    {
      name: "expired key",
      properties: { userName: "ci", keyIdSuffix: "WXYZ", status: "Expired", ageDays: 900 },
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { userName: "ci", keyIdSuffix: "ABCD", status: "Active" },
      failingProperties: ["ageDays"],
    },
    {
      properties: { userName: "ci", keyIdSuffix: "ABCD", status: "Active" },
      missing: { ageDays: "AccessDenied on iam:ListAccessKeys" },
    },
    {
      name: "scope unknown",
      properties: { userName: "ci", keyIdSuffix: "ABCD", ageDays: 10 },
      missing: { status: "AccessDenied on iam:ListAccessKeys" },
    },
  ],
});
