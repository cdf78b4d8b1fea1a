import { configurationOf, partitionOf, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";

/**
 * AWS::Logs::LogGroup → aws.logs.log_group. Items carry either DescribeLogGroups fields (`logGroupName`,
 * `retentionInDays`, `kmsKeyId`) or their CloudFormation spelling (`LogGroupName`, `RetentionInDays`, `KmsKeyId`);
 * keys are matched without regard to case, so both are read.
 */
export const logsLogGroup: ConfigTypeHandler = {
  configType: "AWS::Logs::LogGroup",
  map(item, ctx) {
    const c = configurationOf(item);
    const name = c.str("logGroupName") ?? item.resourceName ?? item.resourceId;
    const b = startDocument("aws.logs.log_group", item, ctx, {
      name,
      arn: () =>
        c.str("arn") ??
        `arn:${partitionOf(item)}:logs:${item.awsRegion ?? ""}:${item.accountId ?? ""}:log-group:${name}`,
    });
    // Absent in a full item means what it means in DescribeLogGroups: no KMS key, events never expire — but only
    // when the configuration evidently is a log group's record (it names the log group). An empty or unrelated
    // configuration shows nothing about retention or encryption.
    const isRecord = c.has(["logGroupName", "arn"]);
    const absent = isRecord
      ? { value: null }
      : {
          reason:
            "the configuration item does not describe the log group (no logGroupName or arn), so an absent field does not mean it is unset (use --aws)",
        };
    b.field("kmsKeyId", c.str("kmsKeyId"), absent);
    b.field("retentionDays", c.int("retentionInDays"), absent);
    b.field("storedBytes", c.int("storedBytes"));
    b.field("creationTime", c.date("creationTime"));
    b.field("logGroupClass", c.str("logGroupClass"));
    return b.build();
  },
};
