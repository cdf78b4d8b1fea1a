import { common, defineType } from "../define.js";

/** Amazon RDS / Aurora DB cluster. */
export default defineType("aws.rds.db_cluster", "An Amazon Aurora or Multi-AZ RDS DB cluster.", {
  engine: { type: "string", description: "Database engine, e.g. aurora-postgresql, aurora-mysql, docdb." },
  engineVersion: { type: "string", description: "Engine version." },
  status: { type: "string", description: "Cluster status." },
  storageEncrypted: { type: "boolean", description: "Cluster storage is encrypted at rest." },
  kmsKeyId: common.kmsKeyId,
  kmsKeyManager: common.kmsKeyManager,
  forceSsl: {
    type: "boolean",
    description: "The cluster parameter group forces TLS (rds.force_ssl=1 / require_secure_transport=ON).",
  },
  parameterGroup: { type: ["string", "null"], description: "Cluster parameter group name." },
  backupRetentionDays: { type: "integer", minimum: 0, description: "Backup retention in days." },
  iamAuthEnabled: { type: "boolean", description: "IAM database authentication is enabled." },
  deletionProtection: { type: "boolean", description: "Deletion protection is on." },
  members: { type: "array", items: { type: "string" }, description: "Member DB instance identifiers." },
});
