import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-tls-key-exchange-strong", {
  valid: [
    {
      name: "ECDHE X25519 and DH 2048",
      properties: { host: "a.example.test", port: 443, dhMinBits: 2048, ecdhMinBits: 256 },
    },
    {
      name: "no DH suites at all",
      properties: { host: "a.example.test", port: 443, dhMinBits: null, ecdhMinBits: 384 },
    },
    {
      name: "a lower limit from config",
      properties: { host: "a.example.test", port: 443, dhMinBits: 1024, ecdhMinBits: 256 },
      params: { minDhBits: 1024 },
    },
  ],
  invalid: [
    {
      name: "1024-bit DH (Logjam range)",
      properties: { host: "a.example.test", port: 443, dhMinBits: 1024, ecdhMinBits: 256 },
      failingProperties: ["dhMinBits"],
    },
    {
      name: "224-bit curve",
      properties: { host: "a.example.test", port: 443, dhMinBits: null, ecdhMinBits: 224 },
      failingProperties: ["ecdhMinBits"],
    },
  ],
  errors: [
    {
      name: "properties absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "a.example.test", port: 443 },
      failingProperties: ["dhMinBits", "ecdhMinBits"],
    },
    {
      properties: { host: "a.example.test", port: 443, ecdhMinBits: 256 },
      missing: {
        dhMinBits:
          "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 in TLSv1.2: no ServerKeyExchange: connection reset by peer",
      },
    },
  ],
});
