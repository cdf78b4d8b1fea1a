import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  type LogGroup,
} from "@aws-sdk/client-cloudwatch-logs";
import type { RegionContext } from "./context.js";
import { iso } from "./document.js";

/** Collect CloudWatch Logs log groups (DescribeLogGroups: KMS key, retention). */
export async function collectLogs(ctx: RegionContext): Promise<void> {
  const logs = ctx.client(CloudWatchLogsClient);
  const listed = await ctx.paginate(
    "logs:DescribeLogGroups",
    (nextToken, abortSignal) =>
      logs.send(new DescribeLogGroupsCommand({ nextToken, limit: 50 }), { abortSignal }),
    (p) => p.logGroups,
    (p) => p.nextToken,
  );
  if (!listed.ok) {
    ctx.listFailed(["aws.logs.log_group"], listed.reason);
    return;
  }
  for (const g of listed.items as LogGroup[]) {
    const arn = (
      g.arn ?? `arn:${ctx.partition}:logs:${ctx.region}:${ctx.account}:log-group:${g.logGroupName}`
    ).replace(/:\*$/, "");
    const b = ctx.doc("aws.logs.log_group", arn, g.logGroupName ?? arn).cite(listed.evidence[0]);
    b.set("kmsKeyId", g.kmsKeyId ?? null)
      .set("retentionDays", g.retentionInDays ?? null)
      .set("storedBytes", g.storedBytes ?? null)
      .set("creationTime", iso(g.creationTime))
      .set("logGroupClass", g.logGroupClass ?? null);
    ctx.emit(b);
  }
}
