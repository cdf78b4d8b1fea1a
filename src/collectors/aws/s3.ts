import {
  type Bucket,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { analyzeBucketPolicy } from "../aws-config-snapshot/s3-policy.js";
import type { RegionContext } from "./context.js";
import { iso } from "./document.js";
import { mapLimit } from "./each.js";

const TYPE = "aws.s3.bucket";

/** The region of a GetBucketLocation answer: none is us-east-1, and the legacy "EU" is eu-west-1. */
export function locationRegion(constraint: string | null | undefined): string {
  if (!constraint) return "us-east-1";
  return constraint === "EU" ? "eu-west-1" : constraint;
}

/**
 * Collect S3 buckets (a global listing, run once per account from its home region); each bucket's configuration is
 * read from the bucket's own region. Buckets outside the scanned regions are left out.
 */
export async function collectS3(ctx: RegionContext, regions: readonly string[]): Promise<void> {
  const extra = { forcePathStyle: ctx.rt.forcePathStyle, followRegionRedirects: false };
  const home = ctx.client(S3Client, ctx.region, extra);
  const listed = await ctx.paginate(
    "s3:ListBuckets",
    (ContinuationToken, abortSignal) =>
      home.send(new ListBucketsCommand({ ContinuationToken, MaxBuckets: 1000 }), { abortSignal }),
    (p) => p.Buckets,
    (p) => p.ContinuationToken,
  );
  if (!listed.ok) {
    for (const r of regions) ctx.listFailed([TYPE], listed.reason, r);
    return;
  }
  await mapLimit(listed.items as Bucket[], async (bucket) => {
    const Bucket = bucket.Name ?? "";
    let region = bucket.BucketRegion;
    let locationReason: string | undefined;
    if (!region) {
      const loc = await ctx.call("s3:GetBucketLocation", (abortSignal) =>
        home.send(new GetBucketLocationCommand({ Bucket }), { abortSignal }),
      );
      // No constraint means us-east-1, and buckets made long ago in eu-west-1 answer with the legacy "EU".
      if (loc.ok) region = locationRegion(loc.value.LocationConstraint);
      else locationReason = loc.absent ? `${loc.code} on s3:GetBucketLocation` : loc.reason;
    }
    if (region && !regions.includes(region)) return;
    const b = ctx.doc(TYPE, `arn:${ctx.partition}:s3:::${Bucket}`, Bucket, region ?? ctx.region);
    b.cite(listed.evidence[0]).set("creationDate", iso(bucket.CreationDate));
    if (!region) {
      b.miss(
        [
          "encryptionAlgorithm",
          "kmsKeyId",
          "kmsKeyManager",
          "bucketKeyEnabled",
          "policyDeniesInsecureTransport",
          "minimumTlsVersion",
          "publicAccessBlocked",
          "versioningEnabled",
          "accessLoggingEnabled",
          "objectLockEnabled",
        ],
        `bucket region unknown: ${locationReason}`,
      );
      ctx.emit(b);
      return;
    }
    const s3 = ctx.client(S3Client, region, extra);
    const call = <T>(op: string, send: (signal: AbortSignal) => Promise<T>, absent: string[]) =>
      ctx.call(`s3:${op}`, send, absent, region);
    const [enc, pol, pab, ver, log, lock] = await Promise.all([
      call(
        "GetBucketEncryption",
        (abortSignal) => s3.send(new GetBucketEncryptionCommand({ Bucket }), { abortSignal }),
        ["ServerSideEncryptionConfigurationNotFoundError"],
      ),
      call(
        "GetBucketPolicy",
        (abortSignal) => s3.send(new GetBucketPolicyCommand({ Bucket }), { abortSignal }),
        ["NoSuchBucketPolicy"],
      ),
      call(
        "GetPublicAccessBlock",
        (abortSignal) => s3.send(new GetPublicAccessBlockCommand({ Bucket }), { abortSignal }),
        ["NoSuchPublicAccessBlockConfiguration"],
      ),
      call(
        "GetBucketVersioning",
        (abortSignal) => s3.send(new GetBucketVersioningCommand({ Bucket }), { abortSignal }),
        [],
      ),
      call(
        "GetBucketLogging",
        (abortSignal) => s3.send(new GetBucketLoggingCommand({ Bucket }), { abortSignal }),
        [],
      ),
      call(
        "GetObjectLockConfiguration",
        (abortSignal) => s3.send(new GetObjectLockConfigurationCommand({ Bucket }), { abortSignal }),
        ["ObjectLockConfigurationNotFoundError"],
      ),
    ]);
    const why = (o: { ok: false; absent: boolean; code: string } & { reason?: string }, op: string) =>
      o.absent ? `${o.code} on s3:${op}` : (o.reason ?? op);

    const encProps = ["encryptionAlgorithm", "kmsKeyId", "kmsKeyManager", "bucketKeyEnabled"];
    if (enc.ok) {
      b.cite(enc.evidence);
      const rule = enc.value.ServerSideEncryptionConfiguration?.Rules?.[0];
      const algo = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
      if (!algo) b.miss(encProps, "malformed response on s3:GetBucketEncryption (no SSEAlgorithm)");
      else {
        b.set("encryptionAlgorithm", algo).set("bucketKeyEnabled", rule?.BucketKeyEnabled === true);
        if (algo.startsWith("aws:kms")) {
          // SSE-KMS without a key id uses the AWS managed key aws/s3.
          await ctx.setKey(b, rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID, {
            awsManagedDefault: true,
            region,
          });
        } else b.set("kmsKeyId", null).set("kmsKeyManager", null);
      }
    } else if (enc.absent)
      b.set("encryptionAlgorithm", "none")
        .set("kmsKeyId", null)
        .set("kmsKeyManager", null)
        .set("bucketKeyEnabled", false);
    else b.miss(encProps, enc.reason);

    if (pol.ok) {
      let doc: unknown;
      try {
        doc = JSON.parse(pol.value.Policy ?? "");
      } catch {
        doc = undefined;
      }
      if (doc === undefined)
        b.miss(
          ["policyDeniesInsecureTransport", "minimumTlsVersion"],
          "malformed response on s3:GetBucketPolicy (policy is not JSON)",
        );
      else {
        const t = analyzeBucketPolicy(doc, Bucket, ctx.partition);
        b.set("policyDeniesInsecureTransport", t.deniesInsecureTransport)
          .set("minimumTlsVersion", t.minimumTlsVersion)
          .cite(pol.evidence);
      }
    } else if (pol.absent) b.set("policyDeniesInsecureTransport", false).set("minimumTlsVersion", null);
    else b.miss(["policyDeniesInsecureTransport", "minimumTlsVersion"], why(pol, "GetBucketPolicy"));

    if (pab.ok) {
      const c = pab.value.PublicAccessBlockConfiguration;
      b.set(
        "publicAccessBlocked",
        Boolean(c?.BlockPublicAcls && c.IgnorePublicAcls && c.BlockPublicPolicy && c.RestrictPublicBuckets),
      ).cite(pab.evidence);
    } else if (pab.absent) b.set("publicAccessBlocked", false);
    else b.miss("publicAccessBlocked", pab.reason);

    if (ver.ok) b.set("versioningEnabled", ver.value.Status === "Enabled").cite(ver.evidence);
    else b.miss("versioningEnabled", why(ver, "GetBucketVersioning"));
    if (log.ok)
      b.set("accessLoggingEnabled", Boolean(log.value.LoggingEnabled?.TargetBucket)).cite(log.evidence);
    else b.miss("accessLoggingEnabled", why(log, "GetBucketLogging"));
    if (lock.ok)
      b.set("objectLockEnabled", lock.value.ObjectLockConfiguration?.ObjectLockEnabled === "Enabled").cite(
        lock.evidence,
      );
    else if (lock.absent) b.set("objectLockEnabled", false);
    else b.miss("objectLockEnabled", lock.reason);
    ctx.emit(b);
  });
}
