import { common, defineType } from "../define.js";

/** Amazon RDS DB snapshot (instance or cluster snapshot). */
export default defineType("aws.rds.db_snapshot", "An Amazon RDS DB instance or cluster snapshot.", {
  engine: { type: "string", description: "Database engine of the source." },
  snapshotType: { type: "string", description: "manual, automated, shared, public or awsbackup." },
  sourceId: { type: "string", description: "Identifier of the source DB instance or cluster." },
  encrypted: { type: "boolean", description: "The snapshot is encrypted." },
  kmsKeyId: common.kmsKeyId,
  kmsKeyManager: common.kmsKeyManager,
  publiclyShared: {
    type: "boolean",
    description: 'The snapshot\'s restore attribute includes "all" (public).',
  },
  createdAt: { type: ["string", "null"], description: "Snapshot creation time (ISO 8601)." },
});
