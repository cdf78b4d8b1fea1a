import {
  type AliasListEntry,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  type KeyListEntry,
  KMSClient,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
} from "@aws-sdk/client-kms";
import { RESOURCE_TYPES } from "../../resources/index.js";
import type { RegionContext } from "./context.js";
import { daysSince, iso } from "./document.js";
import { mapLimit } from "./each.js";
import { policyAllowsWildcardPrincipal } from "./policy-document.js";

const KEY_STATES = new Set(RESOURCE_TYPES["aws.kms.key"].properties.keyState.enum as string[]);

const TYPE = "aws.kms.key";
const DESCRIBE_PROPS = [
  "keyId",
  "description",
  "enabled",
  "keyState",
  "keyManager",
  "origin",
  "keySpec",
  "keyUsage",
  "multiRegion",
  "creationDate",
  "ageDays",
  "pendingDeletion",
  "deletionDate",
  "arn",
];

/** Collect KMS keys: ListKeys, DescribeKey, GetKeyRotationStatus, ListKeyRotations, ListAliases, GetKeyPolicy. */
export async function collectKms(ctx: RegionContext): Promise<void> {
  const kms = ctx.client(KMSClient);
  const keys = await ctx.paginate(
    "kms:ListKeys",
    (Marker, abortSignal) => kms.send(new ListKeysCommand({ Marker, Limit: 1000 }), { abortSignal }),
    (p) => p.Keys,
    (p) => (p.Truncated ? p.NextMarker : undefined),
  );
  if (!keys.ok) {
    ctx.listFailed([TYPE], keys.reason);
    return;
  }
  const aliases = await ctx.paginate(
    "kms:ListAliases",
    (Marker, abortSignal) => kms.send(new ListAliasesCommand({ Marker, Limit: 100 }), { abortSignal }),
    (p) => p.Aliases,
    (p) => (p.Truncated ? p.NextMarker : undefined),
  );
  const aliasesByKey = new Map<string, string[]>();
  if (aliases.ok) {
    for (const a of aliases.items as AliasListEntry[]) {
      if (a.TargetKeyId && a.AliasName)
        aliasesByKey.set(a.TargetKeyId, [...(aliasesByKey.get(a.TargetKeyId) ?? []), a.AliasName]);
    }
  }
  await mapLimit(keys.items as KeyListEntry[], async (entry) => {
    const keyId = entry.KeyId ?? "";
    const arn = entry.KeyArn ?? `arn:${ctx.partition}:kms:${ctx.region}:${ctx.account}:key/${keyId}`;
    const b = ctx.doc(TYPE, arn, keyId);
    b.set("keyId", keyId).set("arn", arn);
    if (aliases.ok) b.set("aliases", (aliasesByKey.get(keyId) ?? []).sort()).cite(aliases.evidence[0]);
    else b.miss("aliases", aliases.reason);

    const [described, rotation, policy] = await Promise.all([
      ctx.call("kms:DescribeKey", (abortSignal) =>
        kms.send(new DescribeKeyCommand({ KeyId: arn }), { abortSignal }),
      ),
      ctx.call(
        "kms:GetKeyRotationStatus",
        (abortSignal) => kms.send(new GetKeyRotationStatusCommand({ KeyId: arn }), { abortSignal }),
        ["UnsupportedOperationException"],
      ),
      ctx.call("kms:GetKeyPolicy", (abortSignal) =>
        kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }), { abortSignal }),
      ),
    ]);

    let creation: Date | undefined;
    let rotatable = false;
    let awsManaged = false;
    if (described.ok && described.value.KeyMetadata) {
      const m = described.value.KeyMetadata;
      b.cite(described.evidence);
      creation = m.CreationDate;
      rotatable = m.KeySpec === "SYMMETRIC_DEFAULT" && m.Origin === "AWS_KMS";
      awsManaged = m.KeyManager === "AWS";
      b.set("description", m.Description ?? "")
        .set("enabled", m.Enabled === true)
        .set("keyState", m.KeyState)
        .set("keyManager", m.KeyManager)
        .set("origin", m.Origin)
        .set("keySpec", m.KeySpec)
        .set("keyUsage", m.KeyUsage)
        .set("multiRegion", m.MultiRegion === true);
      // pendingDeletion and deletionDate are derived only from a key state the schema knows: an absent or newer
      // state leaves them missing, never false (as the snapshot mapper does).
      if (m.KeyState && KEY_STATES.has(m.KeyState))
        b.set(
          "pendingDeletion",
          m.KeyState === "PendingDeletion" || m.KeyState === "PendingReplicaDeletion",
        ).set("deletionDate", iso(m.DeletionDate));
      else
        b.miss(
          ["pendingDeletion", "deletionDate"],
          m.KeyState
            ? "kms:DescribeKey reported a key state Cipherproof does not know"
            : "malformed response on kms:DescribeKey (no KeyState)",
        );
      if (creation)
        b.set("creationDate", creation.toISOString()).set("ageDays", daysSince(creation, ctx.now));
      else b.miss(["creationDate", "ageDays"], "malformed response on kms:DescribeKey (no CreationDate)");
      for (const p of ["keyState", "keyManager", "origin", "keySpec", "keyUsage"]) {
        if ((m as unknown as Record<string, unknown>)[p.charAt(0).toUpperCase() + p.slice(1)] === undefined)
          b.miss(p, "malformed response on kms:DescribeKey");
      }
      if (m.KeyManager === "AWS" || m.KeyManager === "CUSTOMER") ctx.rememberKey(arn, m.KeyManager);
    } else {
      b.miss(
        DESCRIBE_PROPS.filter((p) => p !== "keyId" && p !== "arn"),
        described.ok
          ? "malformed response on kms:DescribeKey"
          : described.absent
            ? `${described.code} on kms:DescribeKey`
            : described.reason,
      );
    }

    if (rotation.ok) {
      b.cite(rotation.evidence);
      const enabled = rotation.value.KeyRotationEnabled === true;
      b.set("rotationEnabled", enabled);
      // The period is what the response says. Without it, only an AWS managed key has a known period: KMS rotates
      // those every year, and it cannot be changed (GetKeyRotationStatus reference). For a customer managed key, a
      // response without it is no evidence of a yearly rotation.
      if (!enabled) b.set("rotationPeriodDays", null);
      else if (typeof rotation.value.RotationPeriodInDays === "number")
        b.set("rotationPeriodDays", rotation.value.RotationPeriodInDays);
      else if (awsManaged) b.set("rotationPeriodDays", 365);
      else b.miss("rotationPeriodDays", "no RotationPeriodInDays in the kms:GetKeyRotationStatus response");
      if (!enabled) b.set("nextRotationDate", null);
      else if (rotation.value.NextRotationDate)
        b.set("nextRotationDate", rotation.value.NextRotationDate.toISOString());
      else b.miss("nextRotationDate", "no NextRotationDate in the kms:GetKeyRotationStatus response");
    } else if (rotation.absent) {
      // Asymmetric, HMAC, imported and custom key store keys cannot rotate automatically: a fact, not a gap.
      b.set("rotationEnabled", false).set("rotationPeriodDays", null).set("nextRotationDate", null);
    } else b.miss(["rotationEnabled", "rotationPeriodDays", "nextRotationDate"], rotation.reason);

    if (policy.ok) {
      b.cite(policy.evidence);
      const verdict = policyAllowsWildcardPrincipal(policy.value.Policy);
      if (verdict === undefined)
        b.miss(
          "keyPolicyAllowsWildcardPrincipal",
          "malformed response on kms:GetKeyPolicy (policy is not JSON)",
        );
      else b.set("keyPolicyAllowsWildcardPrincipal", verdict);
    } else
      b.miss(
        "keyPolicyAllowsWildcardPrincipal",
        policy.absent ? `${policy.code} on kms:GetKeyPolicy` : policy.reason,
      );

    // When the key material last changed: the newest ListKeyRotations entry, else creation (it never rotated).
    if (!described.ok)
      b.miss(
        "daysSinceLastRotation",
        b.isMissing("ageDays") ? "needs kms:DescribeKey, which failed" : "needs kms:DescribeKey",
      );
    else if (!rotatable) {
      if (creation) b.set("daysSinceLastRotation", daysSince(creation, ctx.now));
      else b.miss("daysSinceLastRotation", "malformed response on kms:DescribeKey (no CreationDate)");
    } else {
      const rotations = await ctx.paginate(
        "kms:ListKeyRotations",
        (Marker, abortSignal) =>
          kms.send(new ListKeyRotationsCommand({ KeyId: arn, Marker, Limit: 1000 }), { abortSignal }),
        (p) => p.Rotations,
        (p) => (p.Truncated ? p.NextMarker : undefined),
      );
      if (!rotations.ok) b.miss("daysSinceLastRotation", rotations.reason);
      else {
        b.cite(rotations.evidence[0]);
        const latest = rotations.items
          .map((r) => r.RotationDate?.getTime() ?? 0)
          .reduce((a, c) => Math.max(a, c), 0);
        const from = latest > 0 ? latest : creation?.getTime();
        if (from === undefined)
          b.miss("daysSinceLastRotation", "malformed response on kms:DescribeKey (no CreationDate)");
        else b.set("daysSinceLastRotation", daysSince(from, ctx.now));
      }
    }
    ctx.emit(b);
  });
}
