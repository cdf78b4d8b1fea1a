import { configurationOf, daysSince, partitionOf, REASON, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";
import { show } from "./node.js";

const NOT_RECORDED = {
  rotationPeriodDays: "the rotation period is not recorded by AWS Config snapshots (use --aws)",
  nextRotationDate: "the next rotation date is not recorded by AWS Config snapshots (use --aws)",
  daysSinceLastRotation:
    "rotation history (ListKeyRotations) is not recorded by AWS Config snapshots (use --aws)",
  keyPolicyAllowsWildcardPrincipal: "key policies are not recorded by AWS Config snapshots (use --aws)",
  aliases:
    "aliases are recorded only as AWS::KMS::Alias items, and none were loaded for this account and region (use --aws)",
  rotationEnabled:
    "the rotation status (supplementaryConfiguration.KeyRotationStatus) is not in this configuration item (use --aws)",
};

/** AWS::KMS::Key → aws.kms.key; also indexes every key so other resources' keys can be classified as AWS or customer managed. */
export const kmsKey: ConfigTypeHandler = {
  configType: "AWS::KMS::Key",
  index(item, ctx) {
    const c = configurationOf(item);
    const manager = c.str("keyManager");
    if (manager !== "AWS" && manager !== "CUSTOMER") return;
    const keyId = c.str("keyId") ?? item.resourceId;
    ctx.keys.addKey({
      arn: item.arn ?? c.str("arn") ?? undefined,
      keyId,
      account: item.accountId,
      region: item.awsRegion,
      keyManager: manager,
    });
  },
  map(item, ctx) {
    const c = configurationOf(item);
    const keyId = c.str("keyId") ?? item.resourceId;
    const arn =
      item.arn ??
      c.str("arn") ??
      `arn:${partitionOf(item)}:kms:${item.awsRegion ?? ""}:${item.accountId ?? ""}:key/${keyId}`;
    const aliases = ctx.keys.aliasesOf(item.accountId, item.awsRegion, keyId);
    // Named by key id, as the live collector names keys, so findings read the same whichever source made them.
    const b = startDocument("aws.kms.key", item, ctx, { name: keyId, arn: () => arn });
    b.set("keyId", keyId);
    b.set("arn", arn);
    b.field("description", c.str("description"), { value: "" });
    b.field("enabled", c.bool("enabled"));
    const state = c.str("keyState");
    b.field("keyState", state);
    b.field("keyManager", c.str("keyManager"));
    b.field("origin", c.str("origin"));
    b.field("keySpec", c.str("keySpec") ?? c.str("customerMasterKeySpec"));
    b.field("keyUsage", c.str("keyUsage"));
    b.field("multiRegion", c.bool("multiRegion"));
    const created = c.date("creationDate");
    b.field("creationDate", created);
    if (created) b.set("ageDays", Math.max(0, daysSince(created, ctx.now)));
    else
      b.miss(
        "ageDays",
        `the creation date is unknown: ${item.partial && created === undefined ? REASON.notSelected : REASON.notInItem}`,
      );
    // pendingDeletion and deletionDate are derived only from a key state the schema recognizes: a state the mapper
    // does not know ("PENDINGDELETION", a typo, a newer state) leaves them missing, never false.
    const deletion = c.date("deletionDate");
    if (b.isSet("keyState")) {
      const pending = state === "PendingDeletion" || state === "PendingReplicaDeletion";
      b.set("pendingDeletion", pending);
      if (!pending) b.set("deletionDate", null);
      else b.field("deletionDate", deletion);
    } else {
      const reason =
        typeof state === "string"
          ? `the key state ${show(state)} is not one Cipherproof recognizes, so whether the key is pending deletion is unknown`
          : `the key state is unknown: ${item.partial && state === undefined ? REASON.notSelected : REASON.notInItem}`;
      b.miss("pendingDeletion", reason);
      if (deletion) b.set("deletionDate", deletion);
      else b.miss("deletionDate", reason);
    }
    // Config records GetKeyRotationStatus as supplementaryConfiguration.KeyRotationStatus (boolean, or "true" in CLI output).
    const rotation = item.supplementary.decoded("KeyRotationStatus");
    if (rotation && typeof rotation.value === "boolean") {
      b.set("rotationEnabled", rotation.value);
      if (rotation.value === false) b.set("rotationPeriodDays", null).set("nextRotationDate", null);
      else
        b.miss("rotationPeriodDays", NOT_RECORDED.rotationPeriodDays).miss(
          "nextRotationDate",
          NOT_RECORDED.nextRotationDate,
        );
    } else {
      b.miss(
        "rotationEnabled",
        item.partial && rotation === undefined ? REASON.notSelected : NOT_RECORDED.rotationEnabled,
      );
      b.miss("rotationPeriodDays", NOT_RECORDED.rotationPeriodDays);
      b.miss("nextRotationDate", NOT_RECORDED.nextRotationDate);
    }
    b.miss("daysSinceLastRotation", NOT_RECORDED.daysSinceLastRotation);
    b.miss("keyPolicyAllowsWildcardPrincipal", NOT_RECORDED.keyPolicyAllowsWildcardPrincipal);
    if (aliases) b.set("aliases", aliases);
    else b.miss("aliases", NOT_RECORDED.aliases);
    return b.build();
  },
};
