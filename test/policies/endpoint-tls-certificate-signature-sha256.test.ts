import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-tls-certificate-signature-sha256", {
  valid: [
    {
      properties: {
        host: "a.example.test",
        port: 443,
        certSignatureAlgorithm: "sha256WithRSAEncryption",
        certSignatureHash: "sha256",
      },
    },
    {
      properties: {
        host: "a.example.test",
        port: 443,
        certSignatureAlgorithm: "ecdsa-with-SHA384",
        certSignatureHash: "sha384",
      },
    },
  ],
  invalid: [
    {
      name: "SHA-1",
      properties: {
        host: "a.example.test",
        port: 443,
        certSignatureAlgorithm: "sha1WithRSAEncryption",
        certSignatureHash: "sha1",
      },
      failingProperties: ["certSignatureHash"],
    },
    {
      name: "MD5",
      properties: {
        host: "a.example.test",
        port: 443,
        certSignatureAlgorithm: "md5WithRSAEncryption",
        certSignatureHash: "md5",
      },
      failingProperties: ["certSignatureHash"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "a.example.test", port: 443 },
      failingProperties: ["certSignatureHash"],
    },
    {
      properties: { host: "a.example.test", port: 443 },
      missing: { certSignatureHash: "the server presented no certificate (anonymous cipher suite)" },
    },
  ],
});
