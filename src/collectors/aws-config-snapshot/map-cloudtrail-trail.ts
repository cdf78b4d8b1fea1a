import { configurationOf, partitionOf, REASON, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";

/** AWS::CloudTrail::Trail → aws.cloudtrail.trail (the logging status comes from GetTrailStatus, which Config does not record). */
export const cloudtrailTrail: ConfigTypeHandler = {
  configType: "AWS::CloudTrail::Trail",
  map(item, ctx) {
    const c = configurationOf(item);
    const name = c.str("name") ?? item.resourceName ?? item.resourceId;
    const b = startDocument("aws.cloudtrail.trail", item, ctx, {
      name,
      arn: () =>
        c.str("trailARN") ??
        `arn:${partitionOf(item)}:cloudtrail:${item.awsRegion ?? ""}:${item.accountId ?? ""}:trail/${name}`,
    });
    b.field("homeRegion", c.str("homeRegion"));
    b.field("isMultiRegionTrail", c.bool("isMultiRegionTrail"));
    b.field("isOrganizationTrail", c.bool("isOrganizationTrail"));
    const logging = c.bool("isLogging");
    if (typeof logging === "boolean") b.set("isLogging", logging);
    else
      b.miss(
        "isLogging",
        "the trail's logging status (GetTrailStatus) is not recorded by AWS Config snapshots (use --aws)",
      );
    b.field("logFileValidationEnabled", c.bool("logFileValidationEnabled"));
    // A trail without SSE-KMS has no kmsKeyId in DescribeTrails, and so none in its configuration item.
    b.field("kmsKeyId", c.str("kmsKeyId"), { value: null });
    b.field("includeGlobalServiceEvents", c.bool("includeGlobalServiceEvents"));
    // Without custom event selectors a trail uses the default selector: all read and write management events.
    const custom = c.bool("hasCustomEventSelectors");
    if (custom === false) b.set("recordsManagementEvents", true);
    else {
      b.miss(
        "recordsManagementEvents",
        custom === true
          ? "the trail has custom event selectors, which AWS Config snapshots do not record (use --aws)"
          : item.partial && custom === undefined
            ? REASON.notSelected
            : REASON.notInItem,
      );
    }
    b.field("s3BucketName", c.str("s3BucketName"));
    b.field("cloudWatchLogsLogGroupArn", c.str("cloudWatchLogsLogGroupArn"), { value: null });
    return b.build();
  },
};
