import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-http-hsts-enabled", {
  valid: [
    {
      name: "one year",
      properties: {
        url: "https://a.example.test:443/",
        scheme: "https",
        statusCode: 200,
        hstsMaxAgeSeconds: 31536000,
      },
    },
    {
      name: "two years",
      properties: {
        url: "https://a.example.test:443/",
        scheme: "https",
        statusCode: 200,
        hstsMaxAgeSeconds: 63072000,
        hstsIncludeSubDomains: true,
      },
    },
  ],
  invalid: [
    {
      name: "no HSTS header",
      properties: {
        url: "https://a.example.test:443/",
        scheme: "https",
        statusCode: 200,
        hstsMaxAgeSeconds: null,
      },
      failingProperties: ["hstsMaxAgeSeconds"],
    },
    {
      name: "five minutes",
      properties: {
        url: "https://a.example.test:443/",
        scheme: "https",
        statusCode: 200,
        hstsMaxAgeSeconds: 300,
      },
      failingProperties: ["hstsMaxAgeSeconds"],
    },
  ],
  notApplicable: [
    {
      properties: {
        url: "http://a.example.test:80/",
        scheme: "http",
        plaintextOutcome: "redirects-to-https",
      },
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { url: "https://a.example.test:443/", scheme: "https" },
      failingProperties: ["hstsMaxAgeSeconds"],
    },
    {
      properties: { url: "https://a.example.test:443/", scheme: "https" },
      missing: { hstsMaxAgeSeconds: "no answer within 5000 ms (reply) to an HTTPS request" },
    },
  ],
});
