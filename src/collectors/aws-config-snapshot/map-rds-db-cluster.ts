import { configurationOf, partitionOf, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";
import { FORCE_SSL_REASON } from "./map-rds-db-instance.js";
import { invalid } from "./node.js";

/** AWS::RDS::DBCluster → aws.rds.db_cluster (Config spells this type's fields `dbcluster…` or `dBCluster…`; both are read). */
export const rdsDbCluster: ConfigTypeHandler = {
  configType: "AWS::RDS::DBCluster",
  map(item, ctx) {
    const c = configurationOf(item);
    const identifier = c.str("dbclusterIdentifier") ?? item.resourceName ?? null;
    const b = startDocument("aws.rds.db_cluster", item, ctx, {
      name: identifier,
      arn: () =>
        `arn:${partitionOf(item)}:rds:${item.awsRegion ?? ""}:${item.accountId ?? ""}:cluster:${identifier ?? item.resourceId}`,
    });
    b.field("engine", c.str("engine"));
    b.field("engineVersion", c.str("engineVersion"));
    b.field("status", c.str("status"));
    const encrypted = c.bool("storageEncrypted");
    b.field("storageEncrypted", encrypted);
    b.kmsKey(c.str("kmsKeyId"), encrypted);
    b.miss("forceSsl", FORCE_SSL_REASON);
    b.field("parameterGroup", c.str("dbclusterParameterGroup"));
    const retention = c.int("backupRetentionPeriod");
    if (typeof retention === "number" && retention < 0)
      throw invalid(c.at("backupRetentionPeriod"), `is ${retention}; must be 0 or more`);
    b.field("backupRetentionDays", retention);
    b.field("iamAuthEnabled", c.bool("iamdatabaseAuthenticationEnabled"));
    b.field("deletionProtection", c.bool("deletionProtection"));
    const members = c.nodes("dbclusterMembers");
    b.field(
      "members",
      members?.map((m) => m.str("dbinstanceIdentifier")).filter((n): n is string => typeof n === "string"),
    );
    return b.build();
  },
};
