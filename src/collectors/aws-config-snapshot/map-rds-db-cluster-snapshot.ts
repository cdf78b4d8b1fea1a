import { configurationOf, partitionOf, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";
import { setPubliclyShared } from "./map-rds-db-snapshot.js";

/** AWS::RDS::DBClusterSnapshot → aws.rds.db_snapshot (the cluster is the source). */
export const rdsDbClusterSnapshot: ConfigTypeHandler = {
  configType: "AWS::RDS::DBClusterSnapshot",
  map(item, ctx) {
    const c = configurationOf(item);
    const identifier = c.str("dbclusterSnapshotIdentifier") ?? item.resourceName ?? null;
    const b = startDocument("aws.rds.db_snapshot", item, ctx, {
      name: identifier,
      arn: () =>
        `arn:${partitionOf(item)}:rds:${item.awsRegion ?? ""}:${item.accountId ?? ""}:cluster-snapshot:${identifier ?? item.resourceId}`,
    });
    b.field("engine", c.str("engine"));
    b.field("snapshotType", c.str("snapshotType"));
    b.field("sourceId", c.str("dbclusterIdentifier"));
    const encrypted = c.bool("storageEncrypted");
    b.field("encrypted", encrypted);
    b.kmsKey(c.str("kmsKeyId"), encrypted);
    setPubliclyShared(b, item, "DBClusterSnapshotAttributes");
    b.field("createdAt", c.date("snapshotCreateTime"));
    return b.build();
  },
};
