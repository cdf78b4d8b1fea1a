import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-tls-protocol-min-tls12", {
  valid: [
    {
      name: "TLS 1.2 minimum (the limit itself)",
      properties: {
        host: "api.example.test",
        port: 443,
        protocols: ["TLSv1.2", "TLSv1.3"],
        minProtocolVersion: 1.2,
      },
    },
    {
      name: "TLS 1.3 only",
      properties: { host: "api.example.test", port: 8443, protocols: ["TLSv1.3"], minProtocolVersion: 1.3 },
    },
  ],
  invalid: [
    {
      name: "accepts TLS 1.1 (just below the limit)",
      properties: {
        host: "legacy.example.test",
        port: 443,
        protocols: ["TLSv1.1", "TLSv1.2"],
        minProtocolVersion: 1.1,
      },
      failingProperties: ["minProtocolVersion"],
    },
    {
      name: "accepts SSLv3",
      properties: {
        host: "old.example.test",
        port: 443,
        protocols: ["SSLv3", "TLSv1.0"],
        minProtocolVersion: 0.3,
      },
      failingProperties: ["minProtocolVersion"],
    },
    {
      name: "answers SSLv2 beside TLS 1.2 and 1.3 (DROWN)",
      properties: {
        host: "drown.example.test",
        port: 443,
        protocols: ["SSLv2", "TLSv1.2", "TLSv1.3"],
        minProtocolVersion: 0.2,
      },
      failingProperties: ["minProtocolVersion"],
    },
    {
      name: "no accepted version observed",
      properties: { host: "x.example.test", port: 443, protocols: [], minProtocolVersion: null },
      failingProperties: ["minProtocolVersion"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "api.example.test", port: 443 },
      failingProperties: ["minProtocolVersion"],
    },
    {
      properties: { host: "api.example.test", port: 443 },
      missing: { minProtocolVersion: "connection refused" },
    },
  ],
});
