import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { type Account, ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { CipherproofError } from "../../core/errors.js";
import { partitionOfRegion } from "../aws-partition.js";
import { callApi } from "./call.js";
import type { AccountScope, Runtime } from "./context.js";
import type { AwsCredentials, AwsCredentialsProvider } from "./options.js";

/** An account that was asked for but could not be entered, and why. */
export interface UnreachableAccount {
  account: string;
  reason: string;
}

/** Resolve the region for global calls: the option, the SDK's configured region (env, profile), else us-east-1. */
export async function resolveHomeRegion(rt: Runtime): Promise<string> {
  if (rt.options.homeRegion) return rt.options.homeRegion;
  try {
    const probe = new STSClient({ profile: rt.options.profile });
    const region = await probe.config.region();
    probe.destroy();
    if (region) return region;
  } catch {
    // No region configured anywhere: global calls go to us-east-1, as the AWS CLI's global endpoints do.
  }
  return "us-east-1";
}

function env(rt: Runtime, account: string, region: string, service: string) {
  return {
    limiter: rt.limiter(account, region, service),
    global: rt.global,
    retry: rt.retry,
    stats: rt.stats,
    region,
    isHomeRegion: true,
  };
}

/** Scheme, host and port of an endpoint URL (never its user info, path or query). */
function endpointOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(not a URL)";
  }
}

/** Confirm who a set of credentials belongs to (STS GetCallerIdentity). */
async function whoAmI(
  rt: Runtime,
  credentials: AwsCredentialsProvider,
  region: string,
  label: string,
): Promise<{ ok: true; account: string } | { ok: false; reason: string }> {
  const sts = rt.client(STSClient, label, region, credentials);
  const out = await callApi(env(rt, label, region, "sts"), "sts:GetCallerIdentity", (abortSignal) =>
    sts.send(new GetCallerIdentityCommand({}), { abortSignal }),
  );
  if (!out.ok) return { ok: false, reason: out.absent ? `${out.code} on sts:GetCallerIdentity` : out.reason };
  if (!out.value.Account)
    return { ok: false, reason: "malformed response on sts:GetCallerIdentity (no Account)" };
  return { ok: true, account: out.value.Account };
}

/** Credentials from AssumeRole, refreshed five minutes before they expire. */
function assumedRole(
  rt: Runtime,
  base: AwsCredentialsProvider,
  roleArn: string,
  region: string,
): AwsCredentialsProvider {
  let current: Promise<AwsCredentials> | undefined;
  let expires = 0;
  const sts = rt.client(STSClient, `base-for-${roleArn}`, region, base);
  return () => {
    if (!current || Date.now() > expires - 300_000) {
      current = callApi(env(rt, "base", region, "sts"), "sts:AssumeRole", (abortSignal) =>
        sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: "cipherproof-scan",
            DurationSeconds: 3600,
          }),
          { abortSignal },
        ),
      ).then((out) => {
        if (!out.ok) {
          current = undefined;
          throw new CipherproofError("AWS_ACCESS", out.absent ? `${out.code} on sts:AssumeRole` : out.reason);
        }
        const c = out.value.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey)
          throw new CipherproofError("AWS_ACCESS", "malformed response on sts:AssumeRole");
        expires = c.Expiration?.getTime() ?? Date.now() + 900_000;
        return {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: c.Expiration,
        };
      });
    }
    return current;
  };
}

/** Enter a role and confirm, with STS, that the credentials belong to the expected account. */
async function enterRole(
  rt: Runtime,
  base: AwsCredentialsProvider,
  roleArn: string,
  region: string,
): Promise<
  | { ok: true; account: string; credentials: AwsCredentialsProvider }
  | { ok: false; account: string; reason: string }
> {
  const expected = roleArn.split(":")[4] ?? "";
  const credentials = assumedRole(rt, base, roleArn, region);
  try {
    await credentials();
  } catch (err) {
    return { ok: false, account: expected, reason: (err as Error).message };
  }
  const who = await whoAmI(rt, credentials, region, `role-${expected}`);
  if (!who.ok) return { ok: false, account: expected, reason: who.reason };
  if (expected && who.account !== expected) {
    return {
      ok: false,
      account: expected,
      reason: `sts:GetCallerIdentity after assuming ${roleArn} names account ${who.account}, not ${expected}`,
    };
  }
  return { ok: true, account: who.account, credentials };
}

/** Decide which accounts to scan and with which credentials: the base account, --role-arn roles, or the whole organization. */
export async function resolveAccounts(
  rt: Runtime,
  homeRegion: string,
): Promise<{ scopes: Array<Omit<AccountScope, "regions">>; unreachable: UnreachableAccount[] }> {
  const o = rt.options;
  const given = o.credentials;
  const base: AwsCredentialsProvider =
    typeof given === "function"
      ? given
      : given
        ? async () => given
        : fromNodeProviderChain(o.profile ? { profile: o.profile } : {});
  const me = await whoAmI(rt, base, homeRegion, "base");
  if (!me.ok) {
    // An endpoint that cannot be reached says nothing about the credentials: point at the network instead.
    const unreachable = /^(network error|timeout on|HTTP 5\d\d on)/.test(me.reason);
    const custom = rt.endpoint ?? rt.env.AWS_ENDPOINT_URL_STS ?? rt.env.AWS_ENDPOINT_URL;
    throw new CipherproofError(
      "AWS_ACCESS",
      unreachable ? `cannot reach AWS STS: ${me.reason}` : `cannot confirm AWS credentials: ${me.reason}`,
      {},
      unreachable
        ? custom
          ? `check the endpoint (--endpoint-url / AWS_ENDPOINT_URL: ${endpointOrigin(custom)}) is right and reachable from here`
          : "check network access to AWS (DNS, proxy via HTTPS_PROXY, firewall) or set --endpoint-url for a private endpoint"
        : "set credentials the AWS CLI would use (AWS_PROFILE / --profile, AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, SSO, web identity or an instance role)",
    );
  }
  const unreachable: UnreachableAccount[] = [];
  const scopes: Array<Omit<AccountScope, "regions">> = [];
  if (o.org) {
    const org = rt.client(OrganizationsClient, me.account, homeRegion, base);
    const accounts: Account[] = [];
    let NextToken: string | undefined;
    do {
      const token = NextToken;
      const out = await callApi(
        env(rt, me.account, homeRegion, "organizations"),
        "organizations:ListAccounts",
        (abortSignal) => org.send(new ListAccountsCommand({ NextToken: token }), { abortSignal }),
      );
      if (!out.ok) {
        throw new CipherproofError(
          "AWS_ACCESS",
          `--org: cannot list the organization's accounts: ${out.absent ? out.code : out.reason}`,
          {},
          "run from the management account (or a delegated administrator) with organizations:ListAccounts, or list roles with --role-arn",
        );
      }
      accounts.push(...(out.value.Accounts ?? []));
      NextToken = out.value.NextToken;
    } while (NextToken);
    const roleName = o.orgRole ?? "OrganizationAccountAccessRole";
    for (const a of accounts
      .filter((x) => (x.State ?? x.Status) === "ACTIVE" && x.Id)
      .sort((x, y) => (x.Id ?? "").localeCompare(y.Id ?? ""))) {
      if (a.Id === me.account) {
        scopes.push({ account: me.account, credentials: base, homeRegion });
        continue;
      }
      const entered = await enterRole(
        rt,
        base,
        `arn:${partitionOfRegion(homeRegion)}:iam::${a.Id}:role/${roleName}`,
        homeRegion,
      );
      if (entered.ok) scopes.push({ account: entered.account, credentials: entered.credentials, homeRegion });
      else unreachable.push({ account: entered.account, reason: entered.reason });
    }
  } else if (o.roleArns?.length) {
    for (const arn of o.roleArns) {
      const entered = await enterRole(rt, base, arn, homeRegion);
      if (entered.ok) scopes.push({ account: entered.account, credentials: entered.credentials, homeRegion });
      else unreachable.push({ account: entered.account, reason: entered.reason });
    }
  } else scopes.push({ account: me.account, credentials: base, homeRegion });
  return { scopes, unreachable };
}

/** The regions to scan in one account: those given, else the account's enabled regions (EC2 DescribeRegions). */
export async function resolveRegions(
  rt: Runtime,
  scope: Omit<AccountScope, "regions">,
): Promise<{ regions: string[]; failure?: string }> {
  const asked = rt.options.regions;
  if (Array.isArray(asked) && asked.length) return { regions: [...asked] };
  const ec2 = rt.client(EC2Client, scope.account, scope.homeRegion, scope.credentials);
  const out = await callApi(
    env(rt, scope.account, scope.homeRegion, "ec2"),
    "ec2:DescribeRegions",
    (abortSignal) => ec2.send(new DescribeRegionsCommand({ AllRegions: false }), { abortSignal }),
  );
  const names = out.ok
    ? (out.value.Regions ?? [])
        .filter((r) => r.OptInStatus !== "not-opted-in")
        .map((r) => r.RegionName ?? "")
        .filter(Boolean)
    : [];
  if (!out.ok || names.length === 0) {
    return {
      regions: [scope.homeRegion],
      failure: out.ok
        ? "malformed response on ec2:DescribeRegions (no regions)"
        : out.absent
          ? `${out.code} on ec2:DescribeRegions`
          : out.reason,
    };
  }
  return { regions: names.sort() };
}
