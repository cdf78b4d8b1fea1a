import type { DocumentBuilder } from "./document.js";
import { configurationOf, partitionOf, REASON, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";
import { nodesOf } from "./node.js";
import type { ConfigItem } from "./parse.js";

/** Set publiclyShared from the snapshot's restore attribute (supplementaryConfiguration `DBSnapshotAttributes` or `DBClusterSnapshotAttributes`). */
export function setPubliclyShared(b: DocumentBuilder, item: ConfigItem, key: string): void {
  const attrs = item.supplementary.decoded(key);
  if (attrs === undefined || attrs.value === null) {
    b.miss("publiclyShared", item.partial ? REASON.notSelected : REASON.notInItem);
    return;
  }
  const shared = nodesOf(attrs.value, attrs.loc).some(
    (a) => a.str("attributeName") === "restore" && (a.strs("attributeValues") ?? []).includes("all"),
  );
  b.set("publiclyShared", shared);
}

/** AWS::RDS::DBSnapshot → aws.rds.db_snapshot. */
export const rdsDbSnapshot: ConfigTypeHandler = {
  configType: "AWS::RDS::DBSnapshot",
  map(item, ctx) {
    const c = configurationOf(item);
    const identifier = c.str("dBSnapshotIdentifier") ?? item.resourceName ?? null;
    const b = startDocument("aws.rds.db_snapshot", item, ctx, {
      name: identifier,
      arn: () =>
        `arn:${partitionOf(item)}:rds:${item.awsRegion ?? ""}:${item.accountId ?? ""}:snapshot:${identifier ?? item.resourceId}`,
    });
    b.field("engine", c.str("engine"));
    b.field("snapshotType", c.str("snapshotType"));
    b.field("sourceId", c.str("dBInstanceIdentifier"));
    const encrypted = c.bool("encrypted");
    b.field("encrypted", encrypted);
    b.kmsKey(c.str("kmsKeyId"), encrypted);
    setPubliclyShared(b, item, "DBSnapshotAttributes");
    b.field("createdAt", c.date("snapshotCreateTime"));
    return b.build();
  },
};
