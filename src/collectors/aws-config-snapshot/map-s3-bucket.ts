import { configurationOf, partitionOf, REASON, startDocument } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";
import { decodeJsonString, insideString, invalid, nodeOf, show } from "./node.js";
import { analyzeBucketPolicy } from "./s3-policy.js";

const ENCRYPTION_PROPS = ["encryptionAlgorithm", "kmsKeyId", "kmsKeyManager", "bucketKeyEnabled"] as const;
/** Default-encryption algorithms S3 has: the key and bucket-key facts are derived only from one of these. */
const SSE_ALGORITHMS = new Set(["aws:kms", "aws:kms:dsse", "AES256"]);
/** Policy texts longer than this (AWS allows 20 KB) are not analyzed. */
const MAX_POLICY_CHARS = 256 * 1024;

/**
 * AWS::S3::Bucket → aws.s3.bucket, from supplementaryConfiguration: ServerSideEncryptionConfiguration,
 * BucketPolicy (policyText is itself a JSON string), PublicAccessBlockConfiguration, BucketLoggingConfiguration,
 * BucketVersioningConfiguration and ObjectLockConfiguration. Values may be objects or JSON-encoded strings.
 */
export const s3Bucket: ConfigTypeHandler = {
  configType: "AWS::S3::Bucket",
  map(item, ctx) {
    const c = configurationOf(item);
    const s = item.supplementary;
    const bucket = c.str("name") ?? item.resourceName ?? item.resourceId;
    const partition = partitionOf(item);
    const b = startDocument("aws.s3.bucket", item, ctx, {
      name: bucket,
      arn: () => `arn:${partition}:s3:::${bucket}`,
    });
    const absentReason = item.partial ? REASON.notSelected : REASON.notInItem;

    // Default encryption. Config leaves the key out when the bucket has none (GetBucketEncryption fails with
    // ServerSideEncryptionConfigurationNotFoundError), which only happens for buckets predating 2023's SSE-S3 default.
    const sse = s.decoded("ServerSideEncryptionConfiguration");
    if (sse === undefined || sse.value === null) {
      if (item.partial) for (const p of ENCRYPTION_PROPS) b.miss(p, REASON.notSelected);
      else
        b.set("encryptionAlgorithm", "none")
          .set("kmsKeyId", null)
          .set("kmsKeyManager", null)
          .set("bucketKeyEnabled", false);
    } else {
      const rules = nodeOf(sse.value, sse.loc).nodes("rules") ?? [];
      const rule = rules.find((r) => r.has("applyServerSideEncryptionByDefault"));
      const def = rule?.obj("applyServerSideEncryptionByDefault");
      const algorithm = def?.str("sseAlgorithm");
      if (!rule || !def || !algorithm) {
        b.set("encryptionAlgorithm", "none")
          .set("kmsKeyId", null)
          .set("kmsKeyManager", null)
          .set("bucketKeyEnabled", false);
      } else if (!SSE_ALGORITHMS.has(algorithm)) {
        // Never derive the key facts from an algorithm the mapper does not know.
        b.set("encryptionAlgorithm", algorithm);
        const reason = `the default encryption algorithm ${show(algorithm)} is not one Cipherproof recognizes`;
        b.miss("kmsKeyId", reason).miss("kmsKeyManager", reason).miss("bucketKeyEnabled", reason);
      } else {
        b.set("encryptionAlgorithm", algorithm);
        if (algorithm.startsWith("aws:kms")) {
          // SSE-KMS without a key id uses the AWS managed key aws/s3 (kmsKeyId null, as the live collector reports it).
          const keyId = def.str("kmsMasterKeyID");
          if (keyId) b.kmsKey(keyId, true);
          else b.set("kmsKeyId", null).set("kmsKeyManager", "AWS");
        } else {
          b.set("kmsKeyId", null).set("kmsKeyManager", null);
        }
        b.field("bucketKeyEnabled", rule.bool("bucketKeyEnabled"), { value: false });
      }
    }

    // Bucket policy: { policyText: "<JSON>" | null }.
    const policy = s.decoded("BucketPolicy");
    if (policy === undefined) {
      b.miss("policyDeniesInsecureTransport", absentReason).miss("minimumTlsVersion", absentReason);
    } else {
      const node = policy.value === null ? null : nodeOf(policy.value, policy.loc);
      const text = node?.str("policyText");
      if (text === undefined && node !== null && item.partial) {
        b.miss("policyDeniesInsecureTransport", REASON.notSelected).miss(
          "minimumTlsVersion",
          REASON.notSelected,
        );
      } else if (text === undefined || text === null || text === "") {
        b.set("policyDeniesInsecureTransport", false).set("minimumTlsVersion", null);
      } else if (text.length > MAX_POLICY_CHARS) {
        // AWS limits a bucket policy to 20 KB; a longer text is not one AWS Config recorded, and is not analyzed.
        const reason = `the bucket policy text has ${text.length} characters, far more than the 20 KB AWS allows; it is not analyzed`;
        b.miss("policyDeniesInsecureTransport", reason).miss("minimumTlsVersion", reason);
      } else {
        const textLoc = node!.at("policyText");
        const doc = decodeJsonString(text, textLoc, "policyText");
        if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
          throw invalid(insideString(textLoc), `is ${show(doc)}; a bucket policy must be a JSON object`);
        }
        const t = analyzeBucketPolicy(doc, bucket, partition);
        b.set("policyDeniesInsecureTransport", t.deniesInsecureTransport).set(
          "minimumTlsVersion",
          t.minimumTlsVersion,
        );
      }
    }

    // Block Public Access: Config omits the key when the bucket has no bucket-level configuration.
    const pab = s.decoded("PublicAccessBlockConfiguration");
    if (pab === undefined && item.partial) b.miss("publicAccessBlocked", REASON.notSelected);
    else if (pab === undefined || pab.value === null) b.set("publicAccessBlocked", false);
    else {
      const n = nodeOf(pab.value, pab.loc);
      const flags = ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"].map(
        (k) => n.bool(k),
      );
      b.set(
        "publicAccessBlocked",
        flags.every((f) => f === true),
      );
    }

    const versioning = s.decoded("BucketVersioningConfiguration");
    if (versioning === undefined || versioning.value === null) b.miss("versioningEnabled", absentReason);
    else
      b.field(
        "versioningEnabled",
        nodeOf(versioning.value, versioning.loc).str("status")?.toLowerCase() === "enabled",
      );

    const logging = s.decoded("BucketLoggingConfiguration");
    if (logging === undefined || logging.value === null) b.miss("accessLoggingEnabled", absentReason);
    else {
      const target = nodeOf(logging.value, logging.loc).str("destinationBucketName");
      b.set("accessLoggingEnabled", typeof target === "string" && target !== "");
    }

    // Object Lock: absent unless the bucket was created with it.
    const lock = s.decoded("ObjectLockConfiguration");
    if (lock === undefined && item.partial) b.miss("objectLockEnabled", REASON.notSelected);
    else if (lock === undefined || lock.value === null) b.set("objectLockEnabled", false);
    else {
      const n = nodeOf(lock.value, lock.loc);
      const v = n.raw("objectLockEnabled");
      b.set("objectLockEnabled", v === true || (typeof v === "string" && v.toLowerCase() === "enabled"));
    }

    b.field("creationDate", c.date("creationDate"));
    return b.build();
  },
};
