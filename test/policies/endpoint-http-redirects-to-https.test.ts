import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("endpoint-http-redirects-to-https", {
  valid: [
    {
      name: "301 to https",
      properties: {
        url: "http://a.example.test:80/",
        scheme: "http",
        statusCode: 301,
        plaintextOutcome: "redirects-to-https",
        redirectLocation: "https://a.example.test/",
      },
    },
    {
      name: "port closed",
      properties: {
        url: "http://a.example.test:80/",
        scheme: "http",
        statusCode: null,
        plaintextOutcome: "refused",
      },
    },
  ],
  invalid: [
    {
      name: "serves content",
      properties: {
        url: "http://a.example.test:80/",
        scheme: "http",
        statusCode: 200,
        plaintextOutcome: "served",
      },
      failingProperties: ["plaintextOutcome"],
    },
    {
      name: "redirects to another http URL",
      properties: {
        url: "http://a.example.test:80/",
        scheme: "http",
        statusCode: 302,
        plaintextOutcome: "redirects-elsewhere",
        redirectLocation: "http://b.example.test/",
      },
      failingProperties: ["plaintextOutcome"],
    },
  ],
  notApplicable: [
    { properties: { url: "https://a.example.test:443/", scheme: "https", hstsMaxAgeSeconds: 31536000 } },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { url: "http://a.example.test:80/", scheme: "http" },
      failingProperties: ["plaintextOutcome"],
    },
    {
      properties: { url: "http://a.example.test:80/", scheme: "http" },
      missing: { plaintextOutcome: "no answer within 5000 ms (reply) to an HTTP request" },
    },
  ],
});
