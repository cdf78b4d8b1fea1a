import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("iam-user-access-keys-rotated", {
  valid: [
    {
      name: "exactly the default 90 days",
      properties: { userName: "deploy", activeAccessKeyCount: 1, oldestActiveAccessKeyAgeDays: 90 },
    },
    {
      name: "no active access keys",
      properties: { userName: "alice", activeAccessKeyCount: 0, oldestActiveAccessKeyAgeDays: null },
    },
    {
      name: "maxAgeDays 30: exactly at the limit",
      properties: { userName: "deploy", activeAccessKeyCount: 2, oldestActiveAccessKeyAgeDays: 30 },
      params: { maxAgeDays: 30 },
    },
    {
      name: "maxAgeDays 365 accepts 200 days",
      properties: { userName: "deploy", activeAccessKeyCount: 1, oldestActiveAccessKeyAgeDays: 200 },
      params: { maxAgeDays: 365 },
    },
  ],
  invalid: [
    {
      name: "one day over the default limit",
      properties: { userName: "deploy", activeAccessKeyCount: 1, oldestActiveAccessKeyAgeDays: 91 },
      failingProperties: ["oldestActiveAccessKeyAgeDays"],
    },
    {
      name: "maxAgeDays 30: one day over",
      properties: { userName: "deploy", activeAccessKeyCount: 1, oldestActiveAccessKeyAgeDays: 31 },
      params: { maxAgeDays: 30 },
      failingProperties: ["oldestActiveAccessKeyAgeDays"],
    },
    {
      name: "maxAgeDays 30: 90 days is too old",
      properties: { userName: "deploy", activeAccessKeyCount: 1, oldestActiveAccessKeyAgeDays: 90 },
      params: { maxAgeDays: 30 },
      failingProperties: ["oldestActiveAccessKeyAgeDays"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { userName: "deploy", activeAccessKeyCount: 1 },
      failingProperties: ["oldestActiveAccessKeyAgeDays"],
    },
    {
      name: "Config snapshot carries no key ages",
      properties: { userName: "deploy" },
      missing: { oldestActiveAccessKeyAgeDays: "not in the Config snapshot" },
    },
  ],
});
