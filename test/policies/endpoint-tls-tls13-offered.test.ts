import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-tls-tls13-offered", {
  valid: [
    {
      properties: {
        host: "a.example.test",
        port: 443,
        protocols: ["TLSv1.2", "TLSv1.3"],
        tls13Offered: true,
      },
    },
  ],
  invalid: [
    {
      name: "TLS 1.2 only",
      properties: { host: "a.example.test", port: 443, protocols: ["TLSv1.2"], tls13Offered: false },
      failingProperties: ["tls13Offered"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "a.example.test", port: 443 },
      failingProperties: ["tls13Offered"],
    },
    {
      properties: { host: "a.example.test", port: 443 },
      missing: { tls13Offered: "no answer within 5000 ms (reply) to a ClientHello" },
    },
  ],
});
