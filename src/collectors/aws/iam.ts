import {
  type AccessKeyMetadata,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  type User,
} from "@aws-sdk/client-iam";
import type { RegionContext } from "./context.js";
import { daysSince, iso } from "./document.js";
import { mapLimit } from "./each.js";

/** Collect IAM users and their access keys (ListUsers, ListAccessKeys, GetAccessKeyLastUsed); IAM is global. */
export async function collectIam(ctx: RegionContext): Promise<void> {
  const iam = ctx.client(IAMClient);
  const users = await ctx.paginate(
    "iam:ListUsers",
    (Marker, abortSignal) => iam.send(new ListUsersCommand({ Marker, MaxItems: 1000 }), { abortSignal }),
    (p) => p.Users,
    (p) => (p.IsTruncated ? p.Marker : undefined),
  );
  if (!users.ok) {
    ctx.listFailed(["aws.iam.user", "aws.iam.access_key"], users.reason, "global");
    return;
  }
  await mapLimit(users.items as User[], async (u) => {
    const name = u.UserName ?? "";
    const userArn = u.Arn ?? `arn:${ctx.partition}:iam::${ctx.account}:user/${name}`;
    const ub = ctx.doc("aws.iam.user", userArn, name, "global").cite(users.evidence[0]);
    ub.set("userName", name).set("createDate", iso(u.CreateDate));
    const keys = await ctx.paginate(
      "iam:ListAccessKeys",
      (Marker, abortSignal) =>
        iam.send(new ListAccessKeysCommand({ UserName: name, Marker }), { abortSignal }),
      (p) => p.AccessKeyMetadata,
      (p) => (p.IsTruncated ? p.Marker : undefined),
    );
    if (!keys.ok) {
      ub.miss(["activeAccessKeyCount", "oldestActiveAccessKeyAgeDays"], keys.reason);
      ctx.listFailed(["aws.iam.access_key"], keys.reason, "global", `keys of ${name}`);
      ctx.emit(ub);
      return;
    }
    ub.cite(keys.evidence[0]);
    const active = (keys.items as AccessKeyMetadata[]).filter((k) => k.Status === "Active");
    const ages = active.map((k) => (k.CreateDate ? daysSince(k.CreateDate, ctx.now) : undefined));
    ub.set("activeAccessKeyCount", active.length);
    if (ages.some((a) => a === undefined))
      ub.miss("oldestActiveAccessKeyAgeDays", "malformed response on iam:ListAccessKeys (no CreateDate)");
    else ub.set("oldestActiveAccessKeyAgeDays", ages.length ? Math.max(...(ages as number[])) : null);
    ctx.emit(ub);

    await mapLimit(keys.items as AccessKeyMetadata[], async (k) => {
      const suffix = (k.AccessKeyId ?? "").slice(-4);
      // The full key id is never put in output: the document names the key by its last four characters.
      const kb = ctx
        .doc("aws.iam.access_key", `${userArn}/access-key/${suffix}`, `${name}/…${suffix}`, "global")
        .cite(keys.evidence[0]);
      kb.set("userName", name).set("keyIdSuffix", suffix).set("status", k.Status);
      if (k.CreateDate) kb.set("ageDays", daysSince(k.CreateDate, ctx.now));
      else kb.miss("ageDays", "malformed response on iam:ListAccessKeys (no CreateDate)");
      const used = await ctx.call("iam:GetAccessKeyLastUsed", (abortSignal) =>
        iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k.AccessKeyId }), { abortSignal }),
      );
      if (used.ok) {
        const last = used.value.AccessKeyLastUsed?.LastUsedDate;
        kb.set("daysSinceLastUsed", last ? daysSince(last, ctx.now) : null).cite(used.evidence);
      } else
        kb.miss("daysSinceLastUsed", used.absent ? `${used.code} on iam:GetAccessKeyLastUsed` : used.reason);
      ctx.emit(kb);
    });
  });
}
