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
    {
      name: "key size absent is a failure, not a pass",
      properties: { host: "a.example.test", port: 443, certKeyType: "DSA" },
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
      properties: { host: "a.example.test", port: 443 },
      missing: {
        certKeyType: "TLS handshake failed: ECONNRESET",
        certKeyBits: "TLS handshake failed: ECONNRESET",
      },
    },
  ],
});
