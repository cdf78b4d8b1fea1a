import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("elbv2-listener-http-redirects-to-https", {
  valid: [{ properties: { protocol: "HTTP", port: 80, redirectsToHttps: true } }],
  invalid: [
    {
      name: "HTTP listener forwarding to targets",
      properties: { protocol: "HTTP", port: 80, redirectsToHttps: false },
      failingProperties: ["redirectsToHttps"],
    },
  ],
  notApplicable: [
    { name: "HTTPS listener", properties: { protocol: "HTTPS", port: 443, redirectsToHttps: false } },
    { name: "TLS listener", properties: { protocol: "TLS", port: 443, redirectsToHttps: false } },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { protocol: "HTTP", port: 8080 },
      failingProperties: ["redirectsToHttps"],
    },
    {
      properties: { protocol: "HTTP", port: 80 },
      missing: { redirectsToHttps: "AccessDenied on elasticloadbalancing:DescribeListeners" },
    },
    {
      name: "scope unknown",
      properties: { port: 80, redirectsToHttps: true },
      missing: { protocol: "AccessDenied on elasticloadbalancing:DescribeListeners" },
    },
  ],
});
