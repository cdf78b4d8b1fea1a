import { configurationOf, partitionOf, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";

const ACCESS_KEYS = "access keys are not part of AWS::IAM::User configuration items (use --aws)";

/** AWS::IAM::User → aws.iam.user (a global resource: Config records it with awsRegion "global"). */
export const iamUser: ConfigTypeHandler = {
  configType: "AWS::IAM::User",
  map(item, ctx) {
    const c = configurationOf(item);
    const userName = c.str("userName") ?? item.resourceName ?? item.resourceId;
    const path = c.str("path") ?? "/";
    const b = startDocument("aws.iam.user", item, ctx, {
      name: userName,
      arn: () =>
        c.str("arn") ?? `arn:${partitionOf(item)}:iam::${item.accountId ?? ""}:user${path}${userName}`,
    });
    b.set("userName", userName);
    b.field("createDate", c.date("createDate"));
    b.miss("activeAccessKeyCount", ACCESS_KEYS).miss("oldestActiveAccessKeyAgeDays", ACCESS_KEYS);
    return b.build();
  },
};
