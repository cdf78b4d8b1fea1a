import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("elbv2-listener-tls-policy-min-tls12", {
  valid: [
    {
      name: "HTTPS listener, TLS 1.2 minimum (the limit itself)",
      properties: {
        protocol: "HTTPS",
        port: 443,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        sslPolicyMinTlsVersion: 1.2,
      },
    },
    {
      name: "TLS listener, TLS 1.3 only",
      properties: {
        protocol: "TLS",
        port: 443,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
        sslPolicyMinTlsVersion: 1.3,
      },
    },
  ],
  invalid: [
    {
      name: "HTTPS listener allowing TLS 1.1 (just below the limit)",
      properties: {
        protocol: "HTTPS",
        port: 443,
        sslPolicy: "ELBSecurityPolicy-TLS-1-1-2017-01",
        sslPolicyMinTlsVersion: 1.1,
      },
      failingProperties: ["sslPolicyMinTlsVersion"],
    },
    {
      name: "TLS listener allowing TLS 1.0",
      properties: {
        protocol: "TLS",
        port: 8443,
        sslPolicy: "ELBSecurityPolicy-2016-08",
        sslPolicyMinTlsVersion: 1.0,
      },
      failingProperties: ["sslPolicyMinTlsVersion"],
    },
    {
      name: "HTTPS listener with no known minimum",
      properties: { protocol: "HTTPS", port: 443, sslPolicyMinTlsVersion: null },
      failingProperties: ["sslPolicyMinTlsVersion"],
    },
  ],
  notApplicable: [
    { name: "plain HTTP listener", properties: { protocol: "HTTP", port: 80, sslPolicyMinTlsVersion: null } },
    { name: "plain TCP listener", properties: { protocol: "TCP", port: 5432, sslPolicyMinTlsVersion: null } },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { protocol: "HTTPS", port: 443 },
      failingProperties: ["sslPolicyMinTlsVersion"],
    },
    {
      properties: { protocol: "HTTPS", port: 443 },
      missing: { sslPolicyMinTlsVersion: "AccessDenied on elasticloadbalancing:DescribeSSLPolicies" },
    },
    {
      name: "scope unknown",
      properties: { port: 443, sslPolicyMinTlsVersion: 1.2 },
      missing: { protocol: "AccessDenied on elasticloadbalancing:DescribeListeners" },
    },
  ],
});
