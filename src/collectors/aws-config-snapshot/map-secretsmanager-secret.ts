import { scheduleIntervalDays } from "../rotation-schedule.js";
import { configurationOf, daysSince, partitionOf, REASON, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";
import { invalid, looksLikeCredential, show } from "./node.js";

/** The longest ScheduleExpression AWS accepts. */
const MAX_SCHEDULE_CHARS = 256;

/** A schedule expression quoted only when it looks like one (`rate(30 days)`, `cron(0 16 1,15 * ? *)`). */
function showSchedule(expression: string): string {
  return /^(?:rate|cron)\([A-Za-z0-9 ,*?/#-]{1,100}\)$/.test(expression) && !looksLikeCredential(expression)
    ? JSON.stringify(expression)
    : show(expression);
}

const NOT_RECORDED = {
  lastRotated: "the last rotation date is not in AWS::SecretsManager::Secret configuration items (use --aws)",
  lastAccessed: "the last access date is not in AWS::SecretsManager::Secret configuration items (use --aws)",
};

/**
 * AWS::SecretsManager::Secret → aws.secretsmanager.secret (metadata only; Config never records secret values).
 * Config records this type with CloudFormation-style names: `RotationEnabled`, `RotationRules`, `KMSKeyId`.
 */
export const secretsmanagerSecret: ConfigTypeHandler = {
  configType: "AWS::SecretsManager::Secret",
  map(item, ctx) {
    const c = configurationOf(item);
    const name = c.str("Name") ?? item.resourceName ?? item.resourceId;
    const b = startDocument("aws.secretsmanager.secret", item, ctx, {
      name,
      arn: () =>
        c.str("ARN") ??
        `arn:${partitionOf(item)}:secretsmanager:${item.awsRegion ?? ""}:${item.accountId ?? ""}:secret:${name}`,
    });
    const enabled = c.bool("RotationEnabled");
    b.field("rotationEnabled", enabled);
    if (enabled === false) b.set("rotationIntervalDays", null);
    else if (enabled === true) {
      const rules = c.obj("RotationRules");
      const days = rules?.int("AutomaticallyAfterDays");
      const expression = rules?.str("ScheduleExpression");
      // The schedule expression wins: AutomaticallyAfterDays beside it is derived from it after each successful
      // rotation, so it can be stale (see rotationIntervalDays in the live collector).
      if (typeof days === "number" && typeof expression !== "string") {
        if (days < 1) throw invalid(rules!.at("AutomaticallyAfterDays"), `is ${days}; must be 1 or more`);
        b.set("rotationIntervalDays", days);
      } else if (typeof expression === "string") {
        // AWS limits a schedule expression to 256 characters; longer text is not parsed (the parser is not linear).
        const d = expression.length <= MAX_SCHEDULE_CHARS ? scheduleIntervalDays(expression) : undefined;
        if (d !== undefined) b.set("rotationIntervalDays", d);
        else
          b.miss(
            "rotationIntervalDays",
            expression.length <= MAX_SCHEDULE_CHARS
              ? `the rotation schedule ${showSchedule(expression)} uses cron syntax Cipherproof does not read (W, or a fixed year); its interval is not derived`
              : `the rotation schedule is ${show(expression)}, longer than the ${MAX_SCHEDULE_CHARS} AWS allows; its interval is not derived`,
          );
      } else
        b.miss(
          "rotationIntervalDays",
          `the rotation rules are not in this configuration item: ${item.partial ? REASON.notSelected : REASON.notInItem}`,
        );
    } else
      b.miss(
        "rotationIntervalDays",
        `whether rotation is enabled is unknown: ${item.partial && enabled === undefined ? REASON.notSelected : REASON.notInItem}`,
      );

    const rotated = c.date("LastRotatedDate");
    if (rotated) b.set("daysSinceLastRotation", Math.max(0, daysSince(rotated, ctx.now)));
    else b.miss("daysSinceLastRotation", NOT_RECORDED.lastRotated);
    const accessed = c.date("LastAccessedDate");
    if (accessed) b.set("daysSinceLastAccessed", Math.max(0, daysSince(accessed, ctx.now)));
    else b.miss("daysSinceLastAccessed", NOT_RECORDED.lastAccessed);

    // A secret without KMSKeyId is encrypted with the AWS managed key aws/secretsmanager (kmsKeyId null, as the
    // live collector reports it).
    const keyId = c.str("KMSKeyId");
    if (keyId === undefined && item.partial)
      b.miss("kmsKeyId", REASON.notSelected).miss("kmsKeyManager", REASON.notSelected);
    else if (keyId) b.kmsKey(keyId, true);
    else b.set("kmsKeyId", null).set("kmsKeyManager", "AWS");
    return b.build();
  },
};
