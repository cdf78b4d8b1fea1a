import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("rds-cluster-force-ssl", {
  valid: [{ properties: { engine: "aurora-postgresql", forceSsl: true, parameterGroup: "tls-only" } }],
  invalid: [
    {
      properties: { engine: "aurora-mysql", forceSsl: false, parameterGroup: "default.aurora-mysql8.0" },
      failingProperties: ["forceSsl"],
    },
    {
      name: "property absent is a failure, not a pass",
      properties: { engine: "aurora-postgresql" },
      failingProperties: ["forceSsl"],
    },
  ],
  notApplicable: [
    { name: "DocumentDB cluster", properties: { engine: "docdb", forceSsl: false } },
    { name: "Neptune cluster", properties: { engine: "neptune", forceSsl: false } },
  ],
  errors: [
    {
      properties: { engine: "aurora-postgresql" },
      missing: { forceSsl: "AccessDenied on rds:DescribeDBClusterParameters" },
    },
  ],
});
