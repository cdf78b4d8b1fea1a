import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-tls-certificate-trusted", {
  valid: [
    {
      properties: {
        host: "api.example.test",
        port: 443,
        certificateTrusted: true,
        hostnameMatches: true,
        certDaysUntilExpiry: 80,
      },
    },
    {
      name: "a name mismatch is judged by endpoint-tls-certificate-hostname-match, not here",
      properties: { host: "api.example.test", port: 443, certificateTrusted: true, hostnameMatches: false },
    },
  ],
  invalid: [
    {
      name: "self-signed certificate",
      properties: {
        host: "api.example.test",
        port: 443,
        certificateTrusted: false,
        certificateTrustError: "DEPTH_ZERO_SELF_SIGNED_CERT",
        hostnameMatches: true,
      },
      failingProperties: ["certificateTrusted"],
    },
    {
      name: "expired certificate",
      properties: {
        host: "api.example.test",
        port: 443,
        certificateTrusted: false,
        certificateTrustError: "CERT_HAS_EXPIRED",
      },
      failingProperties: ["certificateTrusted"],
    },
  ],
  errors: [
    {
      name: "trust verdict absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "api.example.test", port: 443, hostnameMatches: true },
      failingProperties: ["certificateTrusted"],
    },
    {
      properties: { host: "api.example.test", port: 443, hostnameMatches: true },
      missing: { certificateTrusted: "handshake failed before the chain was received" },
    },
  ],
});
