import { common, defineType } from "../define.js";

/** Amazon RDS DB instance. */
export default defineType("aws.rds.db_instance", "An Amazon RDS DB instance.", {
  engine: { type: "string", description: "Database engine, e.g. postgres, mysql, aurora-postgresql." },
  engineVersion: { type: "string", description: "Engine version." },
  instanceClass: { type: "string", description: "DB instance class." },
  status: { type: "string", description: "DB instance status." },
  clusterId: {
    type: ["string", "null"],
    description: "DB cluster identifier when the instance belongs to an Aurora cluster.",
  },
  storageEncrypted: { type: "boolean", description: "Storage is encrypted at rest." },
  kmsKeyId: common.kmsKeyId,
  kmsKeyManager: common.kmsKeyManager,
  forceSsl: {
    type: "boolean",
    description:
      "The DB parameter group forces TLS for client connections (rds.force_ssl=1 / require_secure_transport=ON).",
  },
  parameterGroups: {
    type: "array",
    items: { type: "string" },
    description: "Names of attached DB parameter groups.",
  },
  publiclyAccessible: { type: "boolean", description: "The instance has a publicly resolvable endpoint." },
  backupRetentionDays: {
    type: "integer",
    minimum: 0,
    description: "Automated backup retention in days (0 = disabled).",
  },
  iamAuthEnabled: { type: "boolean", description: "IAM database authentication is enabled." },
  caCertificateIdentifier: {
    type: ["string", "null"],
    description: "Server CA certificate identifier, e.g. rds-ca-rsa2048-g1.",
  },
  caCertificateDaysUntilExpiry: {
    type: ["integer", "null"],
    description: "Days until the server CA certificate expires.",
  },
});
