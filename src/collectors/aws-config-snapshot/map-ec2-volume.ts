import { configurationOf, partitionOf, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";
import { invalid, isObject, show } from "./node.js";

/** AWS::EC2::Volume → aws.ec2.volume. */
export const ec2Volume: ConfigTypeHandler = {
  configType: "AWS::EC2::Volume",
  map(item, ctx) {
    const c = configurationOf(item);
    const volumeId = c.str("volumeId") ?? item.resourceId;
    const b = startDocument("aws.ec2.volume", item, ctx, {
      name: item.resourceName ?? volumeId,
      arn: () =>
        `arn:${partitionOf(item)}:ec2:${item.awsRegion ?? ""}:${item.accountId ?? ""}:volume/${volumeId}`,
    });
    const encrypted = c.bool("encrypted");
    b.field("encrypted", encrypted);
    b.kmsKey(c.str("kmsKeyId"), encrypted);
    // The state is a plain string in some items and `{ "value": "in-use" }` in others.
    let state: string | null | undefined;
    const rawState = c.raw("state");
    if (isObject(rawState)) state = c.obj("state")?.str("value");
    else if (rawState !== undefined && rawState !== null && typeof rawState !== "string") {
      throw invalid(c.at("state"), `is ${show(rawState)}; must be a string or an object with a value`);
    } else state = rawState as string | null | undefined;
    b.field("state", state);
    const attachments = c.nodes("attachments");
    if (attachments) {
      b.set(
        "attached",
        attachments.some((a) => {
          const s = a.str("state");
          return s === undefined || s === null || s === "attached" || s === "attaching";
        }),
      );
    } else if (typeof state === "string") b.set("attached", state === "in-use");
    else b.field("attached", attachments);
    b.field("volumeType", c.str("volumeType"));
    const size = c.int("size");
    if (typeof size === "number" && size < 0) throw invalid(c.at("size"), `is ${size}; must be 0 or more`);
    b.field("sizeGiB", size);
    b.field("availabilityZone", c.str("availabilityZone") ?? item.availabilityZone);
    return b.build();
  },
};
