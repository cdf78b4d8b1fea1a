import { configurationOf } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";

/** AWS::KMS::Alias: not a document of its own; tells which key an alias names (for aliases and key classification). */
export const kmsAlias: ConfigTypeHandler = {
  configType: "AWS::KMS::Alias",
  index(item, ctx) {
    const c = configurationOf(item);
    const aliasName = c.str("AliasName") ?? item.resourceName ?? item.resourceId;
    ctx.keys.addAlias({
      account: item.accountId,
      region: item.awsRegion,
      aliasName,
      targetKeyId: c.str("TargetKeyId") ?? null,
    });
  },
};
