import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-tls-certificate-lifetime-max", {
  valid: [
    {
      name: "90-day ACME certificate",
      properties: { host: "a.example.test", port: 443, certLifetimeDays: 90 },
    },
    { name: "exactly 398 days", properties: { host: "a.example.test", port: 443, certLifetimeDays: 398 } },
    {
      name: "200 days against the limit for certificates issued from 15 March 2026",
      properties: { host: "a.example.test", port: 443, certLifetimeDays: 200 },
      params: { maxLifetimeDays: 200 },
    },
  ],
  invalid: [
    {
      name: "399 days",
      properties: { host: "a.example.test", port: 443, certLifetimeDays: 399 },
      failingProperties: ["certLifetimeDays"],
    },
    {
      name: "825 days",
      properties: { host: "a.example.test", port: 443, certLifetimeDays: 825 },
      failingProperties: ["certLifetimeDays"],
    },
    {
      name: "201 days against the limit for certificates issued from 15 March 2026",
      properties: { host: "a.example.test", port: 443, certLifetimeDays: 201 },
      params: { maxLifetimeDays: 200 },
      failingProperties: ["certLifetimeDays"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "a.example.test", port: 443 },
      failingProperties: ["certLifetimeDays"],
    },
    {
      properties: { host: "a.example.test", port: 443 },
      missing: { certLifetimeDays: "connection refused" },
    },
  ],
});
