import { runPolicyTests } from "../support/policy-tester.js";

const cert = {
  domainName: "api.example.test",
  status: "ISSUED",
  certificateType: "AMAZON_ISSUED",
  inUse: true,
};

runPolicyTests("acm-certificate-not-expiring-soon", {
  valid: [
    { name: "exactly the default 30 days left", properties: { ...cert, daysUntilExpiry: 30 } },
    { properties: { ...cert, daysUntilExpiry: 200 } },
    {
      name: "minDaysUntilExpiry 45: exactly at the limit",
      properties: { ...cert, daysUntilExpiry: 45 },
      params: { minDaysUntilExpiry: 45 },
    },
    {
      name: "minDaysUntilExpiry 7 accepts 10 days",
      properties: { ...cert, daysUntilExpiry: 10 },
      params: { minDaysUntilExpiry: 7 },
    },
  ],
  invalid: [
    {
      name: "one day under the default limit",
      properties: { ...cert, daysUntilExpiry: 29 },
      failingProperties: ["daysUntilExpiry"],
    },
    {
      name: "minDaysUntilExpiry 45: one day under",
      properties: { ...cert, daysUntilExpiry: 44 },
      params: { minDaysUntilExpiry: 45 },
      failingProperties: ["daysUntilExpiry"],
    },
    {
      name: "minDaysUntilExpiry 45: 30 days is too close",
      properties: { ...cert, daysUntilExpiry: 30 },
      params: { minDaysUntilExpiry: 45 },
      failingProperties: ["daysUntilExpiry"],
    },
    {
      name: "already past notAfter",
      properties: { ...cert, certificateType: "IMPORTED", daysUntilExpiry: -3 },
      failingProperties: ["daysUntilExpiry"],
    },
    {
      name: "issued but expiry unknown",
      properties: { ...cert, notAfter: null, daysUntilExpiry: null },
      failingProperties: ["daysUntilExpiry"],
    },
    {
      name: "expired (status EXPIRED) and still in use",
      properties: { ...cert, status: "EXPIRED", certificateType: "IMPORTED", daysUntilExpiry: -10 },
      failingProperties: ["daysUntilExpiry"],
    },
  ],
  notApplicable: [
    {
      name: "pending validation",
      properties: { ...cert, status: "PENDING_VALIDATION", daysUntilExpiry: null },
    },
    {
      name: "expired (status EXPIRED) and used by nothing",
      properties: { ...cert, status: "EXPIRED", inUse: false, daysUntilExpiry: -10 },
    },
    {
      name: "pending validation, whether in use not reported",
      properties: { domainName: "api.example.test", status: "PENDING_VALIDATION", daysUntilExpiry: null },
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { ...cert },
      failingProperties: ["daysUntilExpiry"],
    },
    { properties: { ...cert }, missing: { daysUntilExpiry: "AccessDenied on acm:DescribeCertificate" } },
    {
      name: "scope unknown",
      properties: { domainName: "api.example.test", daysUntilExpiry: 5 },
      missing: { status: "AccessDenied on acm:DescribeCertificate" },
    },
    {
      name: "expired, whether still in use not reported",
      properties: { domainName: "api.example.test", status: "EXPIRED", daysUntilExpiry: -10 },
      failingProperties: ["inUse"],
    },
    {
      name: "expired, whether still in use unknown",
      properties: { domainName: "api.example.test", status: "EXPIRED", daysUntilExpiry: -10 },
      missing: { inUse: "AccessDenied on acm:DescribeCertificate" },
    },
  ],
});
