import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-tls-certificate-hostname-match", {
  valid: [
    {
      properties: {
        host: "a.example.test",
        port: 443,
        expectedHostname: "a.example.test",
        hostnameMatches: true,
      },
    },
  ],
  invalid: [
    {
      name: "certificate for another name",
      properties: { host: "a.example.test", port: 443, hostnameMatches: false },
      failingProperties: ["hostnameMatches"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "a.example.test", port: 443 },
      failingProperties: ["hostnameMatches"],
    },
    {
      properties: { host: "a.example.test", port: 443 },
      missing: { hostnameMatches: "TLS handshake failed: ECONNRESET" },
    },
  ],
});
