import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { appendAll } from "../../core/arrays.js";
import type { ResourceDocument } from "../../core/types.js";
import { partitionOfRegion } from "../aws-partition.js";
import { type CallOutcome, type CallStats, callApi } from "./call.js";
import { collectionErrorDocument, DocBuilder } from "./document.js";
import { AdaptiveLimiter } from "./limiter.js";
import type { AwsCollectOptions, AwsCredentialsProvider, RetryOptions } from "./options.js";

/** One account to scan: its id, credentials, home region and regions. */
export interface AccountScope {
  account: string;
  credentials: AwsCredentialsProvider;
  homeRegion: string;
  regions: string[];
}

/** Who manages a KMS key, as DescribeKey of that key says, or why it could not be told. */
export type KeyManagerAnswer =
  | { ok: true; manager: "AWS" | "CUSTOMER"; arn: string }
  | { ok: false; reason: string };

/** State shared by the whole collection run. */
export class Runtime {
  readonly stats: CallStats = { calls: 0, failures: 0, byOperation: new Map() };
  readonly resources: ResourceDocument[] = [];
  readonly retry: Required<RetryOptions>;
  readonly maxConcurrency: number;
  readonly maxPages: number;
  readonly collectedAt: string;
  readonly now: Date;
  readonly endpoint: string | undefined;
  readonly forcePathStyle: boolean;
  private readonly limiters = new Map<string, AdaptiveLimiter>();
  /** The cap on calls in flight across everything. */
  readonly global: AdaptiveLimiter;
  private readonly clients = new Map<string, unknown>();
  readonly keyManagers = new Map<string, Promise<KeyManagerAnswer>>();

  /** Set up from the options and the environment (only AWS_ENDPOINT_URL* is read, to pick S3 path-style addressing). */
  constructor(
    readonly options: AwsCollectOptions,
    readonly env: Record<string, string | undefined>,
  ) {
    this.retry = {
      maxAttempts: options.retry?.maxAttempts ?? 8,
      baseDelayMs: options.retry?.baseDelayMs ?? 100,
      maxDelayMs: options.retry?.maxDelayMs ?? 20_000,
      timeoutMs: options.retry?.timeoutMs ?? 30_000,
    };
    this.maxConcurrency = options.maxConcurrency ?? 16;
    this.maxPages = options.maxPages ?? 10_000;
    this.global = new AdaptiveLimiter(options.maxTotalConcurrency ?? 128);
    this.now = options.now ?? new Date();
    this.collectedAt = this.now.toISOString();
    this.endpoint = options.endpointUrl;
    // A custom endpoint (a stand-in, LocalStack, a VPC endpoint by IP) cannot serve virtual-hosted bucket names.
    this.forcePathStyle = Boolean(options.endpointUrl || env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
  }

  /** The limiter of one account, region and service. */
  limiter(account: string, region: string, service: string): AdaptiveLimiter {
    const key = `${account}|${region}|${service}`;
    let l = this.limiters.get(key);
    if (!l) this.limiters.set(key, (l = new AdaptiveLimiter(this.maxConcurrency)));
    return l;
  }

  /** A cached SDK client for an account, region and client class; the SDK's own retries are off (we retry). */
  client<C>(
    Ctor: new (config: Record<string, unknown>) => C,
    account: string,
    region: string,
    credentials: AwsCredentialsProvider,
    extra: Record<string, unknown> = {},
  ): C {
    const key = `${account}|${region}|${Ctor.name}`;
    let c = this.clients.get(key) as C | undefined;
    if (!c) {
      c = new Ctor({
        region,
        credentials,
        maxAttempts: 1,
        ...(this.endpoint ? { endpoint: this.endpoint } : {}),
        ...extra,
      });
      this.clients.set(key, c);
    }
    return c;
  }

  /** Close every client's connections. */
  destroy(): void {
    for (const c of this.clients.values()) (c as { destroy?: () => void }).destroy?.();
  }
}

/** What a service collector works with: one account and region, its clients, calls, and document builders. */
export class RegionContext {
  /** Per-region account settings (EBS default encryption, Config recorder) that several collectors fill. */
  constructor(
    readonly rt: Runtime,
    readonly scope: AccountScope,
    readonly region: string,
    readonly accountRegion: DocBuilder,
  ) {}

  /** Account id. */
  get account(): string {
    return this.scope.account;
  }

  /** The AWS partition of this region (`aws`, `aws-us-gov`, `aws-cn`, …), for the ARNs built here. */
  get partition(): string {
    return partitionOfRegion(this.region);
  }

  /** The collection clock. */
  get now(): Date {
    return this.rt.now;
  }

  /** A client of this account, in this region or another one. */
  client<C>(
    Ctor: new (config: Record<string, unknown>) => C,
    region = this.region,
    extra: Record<string, unknown> = {},
  ): C {
    return this.rt.client(Ctor, this.account, region, this.scope.credentials, extra);
  }

  /** Make a call under the service's limiter and retry policy; `op` is "service:Operation" as IAM spells it. */
  call<T>(
    op: string,
    send: (abortSignal: AbortSignal) => Promise<T>,
    absent: readonly string[] = [],
    region = this.region,
  ): Promise<CallOutcome<T>> {
    const service = op.split(":")[0];
    return callApi(
      {
        limiter: this.rt.limiter(this.account, region, service),
        global: this.rt.global,
        retry: this.rt.retry,
        stats: this.rt.stats,
        region,
        isHomeRegion: region === this.scope.homeRegion,
      },
      op,
      send,
      absent,
    );
  }

  /**
   * Call every page of a paginated operation; stops at the first failed page, at a repeated token, and after
   * `maxPages` pages (a listing that never ends is a broken response, not a long account).
   */
  async paginate<T, I>(
    op: string,
    send: (token: string | undefined, abortSignal: AbortSignal) => Promise<T>,
    items: (page: T) => I[] | undefined,
    next: (page: T) => string | undefined,
    region = this.region,
  ): Promise<
    | { ok: true; items: I[]; evidence: import("../../core/types.js").EvidenceRef[] }
    | { ok: false; reason: string; code: string; items: I[] }
  > {
    const all: I[] = [];
    const evidence = [];
    let token: string | undefined;
    const seen = new Set<string>();
    do {
      const t = token;
      const out = await this.call(op, (signal) => send(t, signal), [], region);
      if (!out.ok)
        return {
          ok: false,
          reason: out.absent ? `${out.code} on ${op}` : out.reason,
          code: out.code,
          items: all,
        };
      appendAll(all, items(out.value) ?? []);
      evidence.push(out.evidence);
      token = next(out.value);
      if (token !== undefined && evidence.length >= this.rt.maxPages)
        return {
          ok: false,
          reason: `malformed response on ${op} (pagination did not end after ${this.rt.maxPages} pages)`,
          code: "Malformed",
          items: all,
        };
      // A token seen before would loop forever; treat it as a broken response.
      if (token !== undefined) {
        if (seen.has(token))
          return {
            ok: false,
            reason: `malformed response on ${op} (pagination token repeated)`,
            code: "Malformed",
            items: all,
          };
        seen.add(token);
      }
    } while (token);
    return { ok: true, items: all, evidence };
  }

  /** Start a document of a registered type in this account (and this region unless given). */
  doc(type: string, id: string, name: string, region = this.region): DocBuilder {
    return new DocBuilder(type, id, name, this.account, region, this.rt.collectedAt);
  }

  /** Hand a finished document to the scan. */
  emit(doc: DocBuilder): void {
    this.rt.resources.push(doc.build());
  }

  /** A listing failed: put one all-missing document per type in its place, so the affected policies end as error. */
  listFailed(types: string[], reason: string, region = this.region, part?: string): void {
    for (const t of types)
      this.rt.resources.push(
        collectionErrorDocument(t, this.account, region, reason, this.rt.collectedAt, part),
      );
  }

  /** Pre-seed the key-manager cache with a key the KMS collector already described. */
  rememberKey(arn: string, manager: "AWS" | "CUSTOMER"): void {
    this.rt.keyManagers.set(`${this.account}|${arn}`, Promise.resolve({ ok: true, manager, arn }));
  }

  /** Who manages the KMS key a resource references (DescribeKey of that key, cached per key). */
  keyManager(keyRef: string, inRegion = this.region): Promise<KeyManagerAnswer> {
    // A key id or alias name is looked up in the resource's region (a bucket's key lives in the bucket's region).
    const region = keyRef.startsWith("arn:") ? (keyRef.split(":")[3] ?? inRegion) : inRegion;
    const cacheKey = keyRef.startsWith("arn:")
      ? `${this.account}|${keyRef}`
      : `${this.account}|${region}|${keyRef}`;
    let p = this.rt.keyManagers.get(cacheKey);
    if (!p) {
      const kms = this.client(KMSClient, region);
      p = this.call(
        "kms:DescribeKey",
        (abortSignal) => kms.send(new DescribeKeyCommand({ KeyId: keyRef }), { abortSignal }),
        [],
        region,
      ).then((out): KeyManagerAnswer => {
        if (!out.ok) return { ok: false, reason: out.absent ? `${out.code} on kms:DescribeKey` : out.reason };
        const m = out.value.KeyMetadata;
        if (m?.KeyManager !== "AWS" && m?.KeyManager !== "CUSTOMER")
          return { ok: false, reason: "malformed response on kms:DescribeKey (no KeyManager)" };
        return { ok: true, manager: m.KeyManager, arn: m.Arn ?? keyRef };
      });
      this.rt.keyManagers.set(cacheKey, p);
    }
    return p;
  }

  /** Fill kmsKeyId / kmsKeyManager on a document from a key reference (null/null when the resource uses no KMS key). */
  async setKey(
    b: DocBuilder,
    keyRef: string | undefined | null,
    opts: { awsManagedDefault?: boolean; region?: string } = {},
  ): Promise<void> {
    if (!keyRef) {
      b.set("kmsKeyId", null).set("kmsKeyManager", opts.awsManagedDefault ? "AWS" : null);
      return;
    }
    b.set("kmsKeyId", keyRef);
    const m = await this.keyManager(keyRef, opts.region);
    if (m.ok) b.set("kmsKeyManager", m.manager);
    else b.miss("kmsKeyManager", m.reason);
  }
}
