import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("logs-log-group-retention-minimum", {
  valid: [
    { name: "exactly the default 365 days", properties: { retentionDays: 365 } },
    { name: "events never expire", properties: { retentionDays: null, kmsKeyId: null } },
    { properties: { retentionDays: 3653 } },
    {
      name: "minRetentionDays 731: exactly at the limit",
      properties: { retentionDays: 731 },
      params: { minRetentionDays: 731 },
    },
    {
      name: "minRetentionDays 90 accepts 180 days",
      properties: { retentionDays: 180 },
      params: { minRetentionDays: 90 },
    },
  ],
  invalid: [
    {
      name: "one day under the default limit",
      properties: { retentionDays: 364 },
      failingProperties: ["retentionDays"],
    },
    { name: "30 days", properties: { retentionDays: 30 }, failingProperties: ["retentionDays"] },
    {
      name: "minRetentionDays 731: one day under",
      properties: { retentionDays: 730 },
      params: { minRetentionDays: 731 },
      failingProperties: ["retentionDays"],
    },
    {
      name: "minRetentionDays 731: one year is too short",
      properties: { retentionDays: 365 },
      params: { minRetentionDays: 731 },
      failingProperties: ["retentionDays"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { kmsKeyId: null },
      failingProperties: ["retentionDays"],
    },
    { properties: { kmsKeyId: null }, missing: { retentionDays: "AccessDenied on logs:DescribeLogGroups" } },
  ],
});
