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
    {
      name: "properties absent is a failure, not a pass",
      properties: { host: "mx.example.test", port: 25 },
      failingProperties: ["starttlsAdvertised"],
    },
  ],
  errors: [
    {
      properties: { host: "mx.example.test", port: 25 },
      missing: { starttlsAdvertised: "connection refused", starttlsWorks: "connection refused" },
    },
  ],
});
