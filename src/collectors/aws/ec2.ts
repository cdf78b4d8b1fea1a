import {
  DescribeVolumesCommand,
  EC2Client,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
  type Volume,
} from "@aws-sdk/client-ec2";
import type { RegionContext } from "./context.js";
import { mapLimit } from "./each.js";

/** Collect EBS default encryption (into the region's account settings) and every EBS volume. */
export async function collectEc2(ctx: RegionContext): Promise<void> {
  const ec2 = ctx.client(EC2Client);
  const acct = ctx.accountRegion;
  const [byDefault, defaultKey, volumes] = await Promise.all([
    ctx.call("ec2:GetEbsEncryptionByDefault", (abortSignal) =>
      ec2.send(new GetEbsEncryptionByDefaultCommand({}), { abortSignal }),
    ),
    ctx.call("ec2:GetEbsDefaultKmsKeyId", (abortSignal) =>
      ec2.send(new GetEbsDefaultKmsKeyIdCommand({}), { abortSignal }),
    ),
    ctx.paginate(
      "ec2:DescribeVolumes",
      (NextToken, abortSignal) =>
        ec2.send(new DescribeVolumesCommand({ NextToken, MaxResults: 500 }), { abortSignal }),
      (p) => p.Volumes,
      (p) => p.NextToken,
    ),
  ]);
  if (byDefault.ok && typeof byDefault.value.EbsEncryptionByDefault === "boolean")
    acct.set("ebsEncryptionByDefault", byDefault.value.EbsEncryptionByDefault).cite(byDefault.evidence);
  else
    acct.miss(
      "ebsEncryptionByDefault",
      byDefault.ok
        ? "malformed response on ec2:GetEbsEncryptionByDefault"
        : byDefault.absent
          ? `${byDefault.code} on ec2:GetEbsEncryptionByDefault`
          : byDefault.reason,
    );
  if (defaultKey.ok)
    acct.set("ebsDefaultKmsKeyId", defaultKey.value.KmsKeyId ?? null).cite(defaultKey.evidence);
  else
    acct.miss(
      "ebsDefaultKmsKeyId",
      defaultKey.absent ? `${defaultKey.code} on ec2:GetEbsDefaultKmsKeyId` : defaultKey.reason,
    );

  if (!volumes.ok) {
    ctx.listFailed(["aws.ec2.volume"], volumes.reason);
    return;
  }
  await mapLimit(volumes.items as Volume[], async (v) => {
    const id = v.VolumeId ?? "";
    const b = ctx.doc(
      "aws.ec2.volume",
      `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:volume/${id}`,
      id,
    );
    b.cite(volumes.evidence[0]);
    b.set("encrypted", v.Encrypted === true)
      .set("state", v.State ?? "")
      .set(
        "attached",
        (v.Attachments ?? []).some((a) => a.State === "attached" || a.State === "attaching"),
      )
      .set("volumeType", v.VolumeType ?? "")
      .set("sizeGiB", v.Size ?? 0)
      .set("availabilityZone", v.AvailabilityZone ?? "");
    if (v.Encrypted === undefined)
      b.miss("encrypted", "malformed response on ec2:DescribeVolumes (no encrypted)");
    await ctx.setKey(b, v.Encrypted ? v.KmsKeyId : undefined);
    ctx.emit(b);
  });
}
