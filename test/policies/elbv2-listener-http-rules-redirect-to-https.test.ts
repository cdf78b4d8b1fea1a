import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("elbv2-listener-http-rules-redirect-to-https", {
  valid: [
    {
      name: "no rule answers in cleartext",
      properties: { protocol: "HTTP", port: 80, rulesServePlaintext: false },
    },
    {
      name: "judged apart from the default action",
      properties: { protocol: "HTTP", port: 80, redirectsToHttps: false, rulesServePlaintext: false },
    },
  ],
  invalid: [
    {
      name: "a rule forwards /api/* although the default action redirects",
      properties: { protocol: "HTTP", port: 80, redirectsToHttps: true, rulesServePlaintext: true },
      failingProperties: ["rulesServePlaintext"],
    },
  ],
  notApplicable: [
    { name: "HTTPS listener", properties: { protocol: "HTTPS", port: 443, rulesServePlaintext: null } },
    { name: "TLS listener", properties: { protocol: "TLS", port: 443, rulesServePlaintext: null } },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { protocol: "HTTP", port: 8080 },
      failingProperties: ["rulesServePlaintext"],
    },
    {
      name: "rules not in a Config snapshot",
      properties: { protocol: "HTTP", port: 80, redirectsToHttps: true },
      missing: {
        rulesServePlaintext:
          "listener rules are not in AWS::ElasticLoadBalancingV2::Listener configuration items (use --aws)",
      },
    },
    {
      name: "scope unknown",
      properties: { port: 80, rulesServePlaintext: false },
      missing: { protocol: "AccessDenied on elasticloadbalancing:DescribeListeners" },
    },
  ],
});
