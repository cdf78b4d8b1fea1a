import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("rds-instance-ca-certificate-not-expiring", {
  valid: [
    { properties: { caCertificateIdentifier: "rds-ca-rsa2048-g1", caCertificateDaysUntilExpiry: 12000 } },
    {
      name: "exactly the minimum",
      properties: { caCertificateIdentifier: "rds-ca-rsa2048-g1", caCertificateDaysUntilExpiry: 60 },
    },
  ],
  invalid: [
    {
      name: "expired CA",
      properties: { caCertificateIdentifier: "rds-ca-2019", caCertificateDaysUntilExpiry: -800 },
      failingProperties: ["caCertificateDaysUntilExpiry"],
    },
    {
      name: "expires in 10 days",
      properties: { caCertificateIdentifier: "rds-ca-2019", caCertificateDaysUntilExpiry: 10 },
      failingProperties: ["caCertificateDaysUntilExpiry"],
    },
    {
      name: "stricter parameter",
      properties: { caCertificateIdentifier: "rds-ca-x", caCertificateDaysUntilExpiry: 100 },
      params: { minDaysUntilExpiry: 180 },
      failingProperties: ["caCertificateDaysUntilExpiry"],
    },
    {
      name: "expiry unknown (null) is a failure",
      properties: { caCertificateIdentifier: "rds-ca-x", caCertificateDaysUntilExpiry: null },
      failingProperties: ["caCertificateDaysUntilExpiry"],
    },
  ],
  notApplicable: [
    {
      name: "no server CA",
      properties: { caCertificateIdentifier: null, caCertificateDaysUntilExpiry: null },
    },
  ],
  errors: [
    {
      properties: { caCertificateIdentifier: "rds-ca-x" },
      missing: { caCertificateDaysUntilExpiry: "AccessDenied on rds:DescribeCertificates" },
    },
  ],
});
