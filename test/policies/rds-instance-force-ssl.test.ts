import { runPolicyTests } from "../support/policy-tester.js";

runPolicyTests("rds-instance-force-ssl", {
  valid: [
    {
      name: "standalone instance, clusterId null",
      properties: { engine: "postgres", clusterId: null, forceSsl: true },
    },
    { name: "standalone instance, clusterId absent", properties: { engine: "mysql", forceSsl: true } },
  ],
  invalid: [
    { properties: { engine: "postgres", clusterId: null, forceSsl: false }, failingProperties: ["forceSsl"] },
    {
      name: "clusterId absent counts as standalone",
      properties: { engine: "sqlserver-se", forceSsl: false },
      failingProperties: ["forceSsl"],
    },
  ],
  notApplicable: [
    {
      name: "Aurora cluster member (rds-cluster-force-ssl judges the cluster)",
      properties: { engine: "aurora-postgresql", clusterId: "patients", forceSsl: false },
    },
  ],
  errors: [
    {
      name: "property absent: missing evidence is an error, not a pass or a fail",
      properties: { engine: "mariadb", clusterId: null },
      failingProperties: ["forceSsl"],
    },
    {
      properties: { engine: "postgres", clusterId: null },
      missing: { forceSsl: "AccessDenied on rds:DescribeDBParameters" },
    },
    {
      name: "scope unknown",
      properties: { engine: "postgres", forceSsl: true },
      missing: { clusterId: "not in the Config snapshot" },
    },
  ],
});
