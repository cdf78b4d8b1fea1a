import {
  type AdvancedEventSelector,
  CloudTrailClient,
  DescribeTrailsCommand,
  type EventSelector,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import type { RegionContext } from "./context.js";
import { mapLimit } from "./each.js";

/** True when the selectors record both read and write management events, from every event source. */
export function recordsManagementEvents(
  basic: EventSelector[] | undefined,
  advanced: AdvancedEventSelector[] | undefined,
): boolean {
  if (
    basic?.some(
      (s) =>
        s.IncludeManagementEvents !== false &&
        (s.ReadWriteType ?? "All") === "All" &&
        // Excluded sources (kms.amazonaws.com, rdsdata.amazonaws.com) drop those services' management events.
        !s.ExcludeManagementEventSources?.length,
    )
  )
    return true;
  return (advanced ?? []).some((s) => {
    const fields = s.FieldSelectors ?? [];
    const management = fields.some(
      (f) => f.Field === "eventCategory" && (f.Equals ?? []).includes("Management"),
    );
    // Any other field (readOnly, an eventSource exclusion) narrows the management events recorded.
    const narrowed = fields.some((f) => f.Field !== "eventCategory");
    return management && !narrowed;
  });
}

/** Collect CloudTrail trails whose home region is this region: DescribeTrails, GetTrailStatus, GetEventSelectors. */
export async function collectCloudTrail(ctx: RegionContext): Promise<void> {
  const ct = ctx.client(CloudTrailClient);
  const listed = await ctx.call("cloudtrail:DescribeTrails", (abortSignal) =>
    ct.send(new DescribeTrailsCommand({ includeShadowTrails: false }), { abortSignal }),
  );
  if (!listed.ok || !listed.value.trailList) {
    ctx.listFailed(
      ["aws.cloudtrail.trail"],
      listed.ok
        ? "malformed response on cloudtrail:DescribeTrails"
        : listed.absent
          ? `${listed.code} on cloudtrail:DescribeTrails`
          : listed.reason,
    );
    return;
  }
  const trails = listed.value.trailList.filter((t: Trail) => !t.HomeRegion || t.HomeRegion === ctx.region);
  await mapLimit(trails, async (t) => {
    const arn = t.TrailARN ?? `arn:${ctx.partition}:cloudtrail:${ctx.region}:${ctx.account}:trail/${t.Name}`;
    const b = ctx.doc("aws.cloudtrail.trail", arn, t.Name ?? arn).cite(listed.evidence);
    b.set("homeRegion", t.HomeRegion ?? ctx.region)
      .set("isMultiRegionTrail", t.IsMultiRegionTrail === true)
      .set("isOrganizationTrail", t.IsOrganizationTrail === true)
      .set("logFileValidationEnabled", t.LogFileValidationEnabled === true)
      .set("kmsKeyId", t.KmsKeyId ?? null)
      .set("includeGlobalServiceEvents", t.IncludeGlobalServiceEvents === true)
      .set("s3BucketName", t.S3BucketName ?? null)
      .set("cloudWatchLogsLogGroupArn", t.CloudWatchLogsLogGroupArn ?? null);
    const [status, selectors] = await Promise.all([
      ctx.call("cloudtrail:GetTrailStatus", (abortSignal) =>
        ct.send(new GetTrailStatusCommand({ Name: arn }), { abortSignal }),
      ),
      ctx.call("cloudtrail:GetEventSelectors", (abortSignal) =>
        ct.send(new GetEventSelectorsCommand({ TrailName: arn }), { abortSignal }),
      ),
    ]);
    if (status.ok && typeof status.value.IsLogging === "boolean")
      b.set("isLogging", status.value.IsLogging).cite(status.evidence);
    else
      b.miss(
        "isLogging",
        status.ok
          ? "malformed response on cloudtrail:GetTrailStatus"
          : status.absent
            ? `${status.code} on cloudtrail:GetTrailStatus`
            : status.reason,
      );
    if (selectors.ok)
      b.set(
        "recordsManagementEvents",
        recordsManagementEvents(selectors.value.EventSelectors, selectors.value.AdvancedEventSelectors),
      ).cite(selectors.evidence);
    else
      b.miss(
        "recordsManagementEvents",
        selectors.absent ? `${selectors.code} on cloudtrail:GetEventSelectors` : selectors.reason,
      );
    ctx.emit(b);
  });
}
