import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("s3-bucket-policy-min-tls12", {
  valid: [
    { properties: { minimumTlsVersion: 1.2, policyDeniesInsecureTransport: true } },
    { name: "TLS 1.3 minimum", properties: { minimumTlsVersion: 1.3 } },
    {
      name: "parameter 1.3 met",
      properties: { minimumTlsVersion: 1.3, policyDeniesInsecureTransport: false },
      params: { minTlsVersion: 1.3 },
    },
  ],
  invalid: [
    {
      name: "no s3:TlsVersion deny",
      properties: { minimumTlsVersion: null },
      failingProperties: ["minimumTlsVersion"],
    },
    {
      name: "denies only below 1.1",
      properties: { minimumTlsVersion: 1.1 },
      failingProperties: ["minimumTlsVersion"],
    },
    {
      name: "parameter 1.3 not met by 1.2",
      properties: { minimumTlsVersion: 1.2 },
      params: { minTlsVersion: 1.3 },
      failingProperties: ["minimumTlsVersion"],
    },
  ],
  errors: [
    {
      name: "absent: missing evidence is an error, not a pass or a fail",
      properties: { encryptionAlgorithm: "AES256" },
      failingProperties: ["minimumTlsVersion"],
    },
    { properties: {}, missing: { minimumTlsVersion: "AccessDenied on s3:GetBucketPolicy" } },
  ],
});
