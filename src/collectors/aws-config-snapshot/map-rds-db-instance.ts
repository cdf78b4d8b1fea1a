import { configurationOf, partitionOf, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";
import { invalid } from "./node.js";

/** Why forceSsl cannot come from a snapshot. */
export const FORCE_SSL_REASON =
  "rds.force_ssl / require_secure_transport are parameter group values, which AWS Config configuration items do not carry (use --aws)";

/** AWS::RDS::DBInstance → aws.rds.db_instance. */
export const rdsDbInstance: ConfigTypeHandler = {
  configType: "AWS::RDS::DBInstance",
  map(item, ctx) {
    const c = configurationOf(item);
    const identifier = c.str("dBInstanceIdentifier") ?? item.resourceName ?? null;
    const b = startDocument("aws.rds.db_instance", item, ctx, {
      name: identifier,
      arn: () =>
        `arn:${partitionOf(item)}:rds:${item.awsRegion ?? ""}:${item.accountId ?? ""}:db:${identifier ?? item.resourceId}`,
    });
    b.field("engine", c.str("engine"));
    b.field("engineVersion", c.str("engineVersion"));
    b.field("instanceClass", c.str("dBInstanceClass"));
    b.field("status", c.str("dBInstanceStatus"));
    b.field("clusterId", c.str("dBClusterIdentifier"), { value: null });
    const encrypted = c.bool("storageEncrypted");
    b.field("storageEncrypted", encrypted);
    b.kmsKey(c.str("kmsKeyId"), encrypted);
    b.miss("forceSsl", FORCE_SSL_REASON);
    const groups = c.nodes("dBParameterGroups");
    b.field(
      "parameterGroups",
      groups?.map((g) => g.str("dBParameterGroupName")).filter((n): n is string => typeof n === "string"),
    );
    b.field("publiclyAccessible", c.bool("publiclyAccessible"));
    const retention = c.int("backupRetentionPeriod");
    if (typeof retention === "number" && retention < 0)
      throw invalid(c.at("backupRetentionPeriod"), `is ${retention}; must be 0 or more`);
    b.field("backupRetentionDays", retention);
    b.field("iamAuthEnabled", c.bool("iAMDatabaseAuthenticationEnabled"));
    b.field("caCertificateIdentifier", c.str("cACertificateIdentifier"));
    // certificateDetails.validTill is the expiry of the instance's own server certificate, which RDS renews; the CA's
    // expiry (what the policy judges) is only in rds:DescribeCertificates.
    b.miss(
      "caCertificateDaysUntilExpiry",
      "the CA certificate's expiry is not in AWS::RDS::DBInstance configuration items (certificateDetails.validTill is the server certificate's; use --aws)",
    );
    return b.build();
  },
};
