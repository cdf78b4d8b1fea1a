import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-tls-no-weak-cipher-suites", {
  valid: [
    {
      properties: {
        host: "a.example.test",
        port: 443,
        acceptedCipherSuites: ["TLS_AES_128_GCM_SHA256"],
        weakCipherSuites: [],
      },
    },
  ],
  invalid: [
    {
      name: "anonymous DH accepted",
      properties: {
        host: "a.example.test",
        port: 443,
        weakCipherSuites: ["TLS_DH_anon_WITH_AES_128_CBC_SHA"],
      },
      failingProperties: ["weakCipherSuites"],
    },
    {
      name: "3DES and RC4 accepted",
      properties: {
        host: "a.example.test",
        port: 443,
        weakCipherSuites: ["TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_RC4_128_SHA"],
      },
      failingProperties: ["weakCipherSuites"],
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { host: "a.example.test", port: 443 },
      failingProperties: ["weakCipherSuites"],
    },
    {
      properties: { host: "a.example.test", port: 443 },
      missing: { weakCipherSuites: 'not a TLS reply: "SSH-2.0-OpenSSH"' },
    },
  ],
});
