import {
  DescribeSecretCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { scheduleIntervalDays } from "../rotation-schedule.js";
import type { RegionContext } from "./context.js";
import { daysSince } from "./document.js";
import { mapLimit } from "./each.js";

const TYPE = "aws.secretsmanager.secret";

/**
 * Days between rotations from a rotation rule, or undefined when it cannot be derived. A schedule expression is what
 * Secrets Manager runs; AutomaticallyAfterDays beside it is only recomputed from the schedule after each successful
 * rotation (API reference, RotationRulesType), so it can be stale and never overrides the schedule.
 */
export function rotationIntervalDays(
  rules: { AutomaticallyAfterDays?: number; ScheduleExpression?: string } | undefined,
): number | undefined {
  if (!rules) return undefined;
  if (rules.ScheduleExpression) return scheduleIntervalDays(rules.ScheduleExpression);
  return rules.AutomaticallyAfterDays || undefined;
}

/** Collect Secrets Manager secret metadata (ListSecrets, DescribeSecret); secret values are never read. */
export async function collectSecretsManager(ctx: RegionContext): Promise<void> {
  const sm = ctx.client(SecretsManagerClient);
  const listed = await ctx.paginate(
    "secretsmanager:ListSecrets",
    (NextToken, abortSignal) =>
      sm.send(new ListSecretsCommand({ NextToken, MaxResults: 100 }), { abortSignal }),
    (p) => p.SecretList,
    (p) => p.NextToken,
  );
  if (!listed.ok) {
    ctx.listFailed([TYPE], listed.reason);
    return;
  }
  await mapLimit(listed.items, async (s) => {
    const arn = s.ARN ?? "";
    const b = ctx.doc(TYPE, arn, s.Name ?? arn).cite(listed.evidence[0]);
    const d = await ctx.call("secretsmanager:DescribeSecret", (abortSignal) =>
      sm.send(new DescribeSecretCommand({ SecretId: arn }), { abortSignal }),
    );
    if (!d.ok) {
      b.miss(
        [
          "rotationEnabled",
          "rotationIntervalDays",
          "daysSinceLastRotation",
          "daysSinceLastAccessed",
          "kmsKeyId",
          "kmsKeyManager",
        ],
        d.absent ? `${d.code} on secretsmanager:DescribeSecret` : d.reason,
      );
      ctx.emit(b);
      return;
    }
    const v = d.value;
    b.cite(d.evidence);
    const enabled = v.RotationEnabled === true;
    b.set("rotationEnabled", enabled)
      .set("daysSinceLastRotation", v.LastRotatedDate ? daysSince(v.LastRotatedDate, ctx.now) : null)
      .set("daysSinceLastAccessed", v.LastAccessedDate ? daysSince(v.LastAccessedDate, ctx.now) : null);
    if (!enabled) b.set("rotationIntervalDays", null);
    else {
      const days = rotationIntervalDays(v.RotationRules);
      if (days === undefined)
        b.miss(
          "rotationIntervalDays",
          `rotation schedule "${v.RotationRules?.ScheduleExpression ?? "?"}" uses cron syntax Cipherproof does not read (W, or a fixed year) (secretsmanager:DescribeSecret)`,
        );
      else b.set("rotationIntervalDays", days);
    }
    // No KmsKeyId means the AWS managed key aws/secretsmanager.
    await ctx.setKey(b, v.KmsKeyId, { awsManagedDefault: true });
    ctx.emit(b);
  });
}
