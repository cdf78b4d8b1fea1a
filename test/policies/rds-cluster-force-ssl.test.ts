import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("rds-cluster-force-ssl", {
  valid: [{ properties: { engine: "aurora-postgresql", forceSsl: true, parameterGroup: "tls-only" } }],
  invalid: [
    {
      properties: { engine: "aurora-mysql", forceSsl: false, parameterGroup: "default.aurora-mysql8.0" },
      failingProperties: ["forceSsl"],
    },
  ],
  notApplicable: [
    { name: "DocumentDB cluster", properties: { engine: "docdb", forceSsl: false } },
    { name: "Neptune cluster", properties: { engine: "neptune", forceSsl: false } },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { engine: "aurora-postgresql" },
      failingProperties: ["forceSsl"],
    },
    {
      properties: { engine: "aurora-postgresql" },
      missing: { forceSsl: "AccessDenied on rds:DescribeDBClusterParameters" },
    },
  ],
});
