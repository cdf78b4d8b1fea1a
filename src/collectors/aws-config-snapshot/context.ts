/** Who manages a KMS key. */
export type KeyManager = "AWS" | "CUSTOMER";

/** Name and scheme of an ELBv2 load balancer, from its AWS::ElasticLoadBalancingV2::LoadBalancer item. */
export interface LoadBalancerInfo {
  name: string | null;
  scheme: string | null;
  /** Set (name and scheme null) when items of the load balancer captured at the same time disagree. */
  conflict?: string;
}

/** What an AWS::Config::ConfigurationRecorder item says about one recorder of its account and region. */
export interface RecorderInfo {
  /** The recorder's Config resourceId (its name). */
  id: string;
  recording: boolean | null;
  allSupported: boolean | null;
  includeGlobal: boolean | null;
  /** Set (and every fact null) when items of this recorder captured at the same time disagree. */
  conflict?: string;
}

const KEY_ARN = /^arn:([^:]+):kms:([^:]*):([^:]*):(key|alias)\/(.+)$/;

/** Record a key's manager; a second, different answer for the same key makes it a conflict, never a silent overwrite. */
function record(map: Map<string, KeyManager | "conflict">, key: string, manager: KeyManager): void {
  const prev = map.get(key);
  map.set(key, prev === undefined || prev === manager ? manager : "conflict");
}

function scope(account: string | undefined, region: string | undefined): string {
  return `${account ?? ""}|${region ?? ""}`;
}

/**
 * KMS keys and aliases seen in every loaded file, so a resource's key can be classified as AWS or customer
 * managed even when the key's item came from another file.
 */
export class KmsKeyIndex {
  // "conflict" when items of the same key (captured at the same time) disagree on its manager.
  private readonly byArn = new Map<string, KeyManager | "conflict">();
  private readonly byId = new Map<string, KeyManager | "conflict">();
  private readonly aliasTargets = new Map<string, string>();
  private readonly aliasNames = new Map<string, string[]>();
  private readonly aliasScopes = new Set<string>();

  /** Record a key whose manager is known. */
  addKey(key: {
    arn?: string;
    keyId: string;
    account?: string;
    region?: string;
    keyManager: KeyManager;
  }): void {
    if (key.arn) record(this.byArn, key.arn.toLowerCase(), key.keyManager);
    record(this.byId, `${scope(key.account, key.region)}|${key.keyId.toLowerCase()}`, key.keyManager);
  }

  /** Record an alias (from an AWS::KMS::Alias item). */
  addAlias(alias: {
    account?: string;
    region?: string;
    aliasName: string;
    targetKeyId: string | null;
  }): void {
    const s = scope(alias.account, alias.region);
    this.aliasScopes.add(s);
    if (!alias.targetKeyId) return;
    const target = this.keyIdOf(alias.targetKeyId);
    this.aliasTargets.set(`${s}|${alias.aliasName.toLowerCase()}`, target);
    const k = `${s}|${target.toLowerCase()}`;
    this.aliasNames.set(k, [...(this.aliasNames.get(k) ?? []), alias.aliasName].sort());
  }

  /** Alias names of a key; undefined when no AWS::KMS::Alias item was loaded for that account and region. */
  aliasesOf(account: string | undefined, region: string | undefined, keyId: string): string[] | undefined {
    const s = scope(account, region);
    if (!this.aliasScopes.has(s)) return undefined;
    return this.aliasNames.get(`${s}|${keyId.toLowerCase()}`) ?? [];
  }

  private keyIdOf(ref: string): string {
    const m = KEY_ARN.exec(ref);
    return m && m[4] === "key" ? m[5] : ref;
  }

  /** Classify the key a resource names (key id, key ARN, alias name or alias ARN). */
  resolve(
    ref: string,
    where: { account?: string; region?: string },
  ): { manager: KeyManager } | { reason: string } {
    const m = KEY_ARN.exec(ref);
    let account = where.account;
    let region = where.region;
    let kind: "key" | "alias";
    let name: string;
    if (m) {
      account = m[3] || account;
      region = m[2] || region;
      kind = m[4] as "key" | "alias";
      name = m[5];
    } else if (ref.startsWith("alias/")) {
      kind = "alias";
      name = ref.slice("alias/".length);
    } else {
      kind = "key";
      name = ref;
    }
    if (kind === "alias") {
      // AWS managed keys are exactly the ones behind the reserved alias/aws/ prefix.
      if (name.startsWith("aws/")) return { manager: "AWS" };
      const target = this.aliasTargets.get(`${scope(account, region)}|alias/${name.toLowerCase()}`);
      if (target === undefined) {
        return {
          reason: `alias/${name} cannot be resolved: no AWS::KMS::Alias item for it in the loaded snapshots (use --aws)`,
        };
      }
      name = target;
    }
    const manager =
      (m && kind === "key" ? this.byArn.get(ref.toLowerCase()) : undefined) ??
      this.byId.get(`${scope(account, region)}|${name.toLowerCase()}`);
    if (manager === "conflict")
      return {
        reason: `the loaded snapshots' AWS::KMS::Key items for key ${name} disagree on who manages it (use --aws)`,
      };
    if (manager) return { manager };
    return {
      reason: `KMS key ${name} is not among the loaded snapshots' AWS::KMS::Key items (load the snapshot of its region, or use --aws)`,
    };
  }
}

/** Cross-file facts mappers may consult; built from every loaded file before any document is made. */
export interface MapContext {
  /** The scan's clock: day counts (ages, days until expiry) are computed against it. */
  now: Date;
  keys: KmsKeyIndex;
  /** Load balancers by lower-cased ARN. */
  loadBalancers: Map<string, LoadBalancerInfo>;
  /** Configuration recorders by `account|region`; a region may have several (service-linked ones). */
  recorders: Map<string, RecorderInfo[]>;
}

/** The key under which per-account, per-region facts are stored. */
export function regionKey(account: string | undefined, region: string | undefined): string {
  return scope(account, region);
}

/** A new, empty mapping context. */
export function createContext(now: Date): MapContext {
  return { now, keys: new KmsKeyIndex(), loadBalancers: new Map(), recorders: new Map() };
}
