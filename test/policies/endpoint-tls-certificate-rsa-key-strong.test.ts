import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-tls-certificate-rsa-key-strong", {
  valid: [
    { properties: { host: "a.example.test", port: 443, certKeyType: "RSA", certKeyBits: 2048 } },
    { properties: { host: "a.example.test", port: 443, certKeyType: "RSA", certKeyBits: 4096 } },
  ],
  invalid: [
    {
      name: "RSA-1024",
      properties: { host: "a.example.test", port: 443, certKeyType: "RSA", certKeyBits: 1024 },
      failingProperties: ["certKeyBits"],
    },
  ],
  notApplicable: [
    {
      name: "EC keys are judged by curve elsewhere",
      properties: { host: "a.example.test", port: 443, certKeyType: "EC", certKeyBits: 256 },
    },
  ],
  errors: [
    {
      name: "key size absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "a.example.test", port: 443, certKeyType: "DSA" },
      failingProperties: ["certKeyBits"],
    },
    {
      properties: { host: "a.example.test", port: 443 },
      missing: {
        certKeyType: "TLS handshake failed: ECONNRESET",
        certKeyBits: "TLS handshake failed: ECONNRESET",
      },
    },
  ],
});
