import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-smtp-starttls-enabled", {
  valid: [
    {
      properties: {
        host: "mx.example.test",
        port: 25,
        starttlsAdvertised: true,
        starttlsWorks: true,
        capabilities: ["STARTTLS", "PIPELINING"],
      },
    },
  ],
  invalid: [
    {
      name: "not advertised",
      properties: { host: "mx.example.test", port: 25, starttlsAdvertised: false, starttlsWorks: false },
      failingProperties: ["starttlsAdvertised"],
    },
    {
      name: "advertised but the handshake fails",
      properties: { host: "mx.example.test", port: 25, starttlsAdvertised: true, starttlsWorks: false },
      failingProperties: ["starttlsWorks"],
    },
  ],
  errors: [
    {
      name: "properties absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "mx.example.test", port: 25 },
      failingProperties: ["starttlsAdvertised"],
    },
    {
      properties: { host: "mx.example.test", port: 25 },
      missing: { starttlsAdvertised: "connection refused", starttlsWorks: "connection refused" },
    },
  ],
});
