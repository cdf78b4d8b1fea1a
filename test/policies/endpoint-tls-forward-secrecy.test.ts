import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-tls-forward-secrecy", {
  valid: [
    {
      properties: {
        host: "a.example.test",
        port: 443,
        allSuitesForwardSecret: true,
        nonForwardSecretCipherSuites: [],
      },
    },
  ],
  invalid: [
    {
      name: "static RSA key exchange accepted",
      properties: {
        host: "a.example.test",
        port: 443,
        allSuitesForwardSecret: false,
        nonForwardSecretCipherSuites: ["TLS_RSA_WITH_AES_128_GCM_SHA256"],
      },
      failingProperties: ["allSuitesForwardSecret"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "a.example.test", port: 443 },
      failingProperties: ["allSuitesForwardSecret"],
    },
    {
      properties: { host: "a.example.test", port: 443 },
      missing: { allSuitesForwardSecret: "connection refused" },
    },
  ],
});
