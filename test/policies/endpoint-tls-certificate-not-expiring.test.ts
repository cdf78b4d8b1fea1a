import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-tls-certificate-not-expiring", {
  valid: [
    { name: "exactly the limit", properties: { host: "a.example.test", port: 443, certDaysUntilExpiry: 30 } },
    { properties: { host: "a.example.test", port: 443, certDaysUntilExpiry: 200 } },
  ],
  invalid: [
    {
      name: "expires in 29 days",
      properties: { host: "a.example.test", port: 443, certDaysUntilExpiry: 29 },
      failingProperties: ["certDaysUntilExpiry"],
    },
    {
      name: "already expired",
      properties: { host: "a.example.test", port: 443, certDaysUntilExpiry: -400 },
      failingProperties: ["certDaysUntilExpiry"],
    },
    {
      name: "stricter limit from config",
      properties: { host: "a.example.test", port: 443, certDaysUntilExpiry: 45 },
      params: { minDaysUntilExpiry: 60 },
      failingProperties: ["certDaysUntilExpiry"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "a.example.test", port: 443 },
      failingProperties: ["certDaysUntilExpiry"],
    },
    {
      properties: { host: "a.example.test", port: 443 },
      missing: { certDaysUntilExpiry: "connect timeout after 5000 ms" },
    },
  ],
});
