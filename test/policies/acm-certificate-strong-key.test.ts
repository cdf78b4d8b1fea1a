import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("acm-certificate-strong-key", {
  valid: [
    {
      name: "RSA 2048 (the smallest allowed)",
      properties: { domainName: "a.example.test", keyAlgorithm: "RSA_2048", keyBits: 2048 },
    },
    { properties: { domainName: "a.example.test", keyAlgorithm: "RSA_4096", keyBits: 4096 } },
    {
      name: "ECDSA P-256",
      properties: { domainName: "a.example.test", keyAlgorithm: "EC_prime256v1", keyBits: 256 },
    },
    {
      name: "ECDSA P-384",
      properties: { domainName: "a.example.test", keyAlgorithm: "EC_secp384r1", keyBits: 384 },
    },
  ],
  invalid: [
    {
      name: "RSA 1024",
      properties: { domainName: "a.example.test", keyAlgorithm: "RSA_1024", keyBits: 1024 },
      failingProperties: ["keyAlgorithm"],
    },
    {
      name: "unrecognised algorithm is not assumed strong",
      properties: { domainName: "a.example.test", keyAlgorithm: "DSA_1024" },
      failingProperties: ["keyAlgorithm"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { domainName: "a.example.test", keyBits: 2048 },
      failingProperties: ["keyAlgorithm"],
    },
    {
      properties: { domainName: "a.example.test" },
      missing: { keyAlgorithm: "AccessDenied on acm:DescribeCertificate" },
    },
  ],
});
