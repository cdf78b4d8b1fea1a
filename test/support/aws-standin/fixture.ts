import { readFileSync } from "node:fs";

// Fixture data is API-shaped JSON (the stand-in serves it nearly verbatim), so it is typed loosely on purpose.
// biome-ignore lint/suspicious/noExplicitAny: fixture JSON mirrors AWS API shapes
export type Api = any;

/** The state of one region of one account, per service, in the services' own API shapes. */
export interface RegionFixture {
  kms?: {
    keys: Array<{
      KeyMetadata: Api;
      RotationEnabled?: boolean;
      RotationPeriodInDays?: number;
      /** Answer GetKeyRotationStatus without RotationPeriodInDays (as responses from before 2024 did). */
      OmitRotationPeriod?: boolean;
      Rotations?: Api[];
      Policy?: Api;
    }>;
    aliases?: Api[];
  };
  rds?: {
    DBInstances?: Api[];
    DBClusters?: Api[];
    DBSnapshots?: Api[];
    DBClusterSnapshots?: Api[];
    /** Parameter groups by name: family and the parameters the group lists (engine defaults included, with Source). */
    DBParameterGroups?: Record<string, { Family: string; Parameters: Api[] }>;
    DBClusterParameterGroups?: Record<string, { Family: string; Parameters: Api[] }>;
    EngineDefaults?: Record<string, Api[]>;
    ClusterEngineDefaults?: Record<string, Api[]>;
    Certificates?: Api[];
    /** restore attribute values by snapshot identifier (instance or cluster snapshots). */
    SnapshotRestore?: Record<string, string[]>;
  };
  ec2?: { ebsEncryptionByDefault?: boolean; ebsDefaultKmsKeyId?: string; volumes?: Api[] };
  cloudtrail?: {
    trails: Array<{
      Trail: Api;
      IsLogging?: boolean;
      EventSelectors?: Api[];
      AdvancedEventSelectors?: Api[];
    }>;
  };
  config?: {
    ConfigurationRecorders?: Api[];
    ConfigurationRecordersStatus?: Api[];
    DeliveryChannels?: Api[];
    ComplianceByConfigRules?: Api[];
    aggregators?: Record<string, Api[]>;
  };
  /** Rules carry their ListenerArn; DescribeRules adds each listener's default rule. */
  elbv2?: { LoadBalancers?: Api[]; Listeners?: Api[]; Rules?: Api[]; SslPolicies?: Api[] };
  logs?: { logGroups: Api[] };
  acm?: { certificates: Api[] };
  secretsmanager?: { secrets: Api[] };
}

/** One S3 bucket: its ListBuckets entry plus the per-bucket configuration the Get* calls return. */
export interface BucketFixture {
  /**
   * A bucket made before ListBuckets reported regions: ListBuckets leaves out its BucketRegion and GetBucketLocation
   * answers with this constraint (the legacy "EU" for eu-west-1).
   */
  legacyLocation?: string;
  Name: string;
  CreationDate: string;
  region: string;
  encryption?: { SSEAlgorithm: string; KMSMasterKeyID?: string; BucketKeyEnabled?: boolean } | null;
  policy?: Api | null;
  publicAccessBlock?: {
    BlockPublicAcls: boolean;
    IgnorePublicAcls: boolean;
    BlockPublicPolicy: boolean;
    RestrictPublicBuckets: boolean;
  } | null;
  versioning?: "Enabled" | "Suspended" | null;
  logging?: { TargetBucket: string; TargetPrefix: string } | null;
  objectLock?: boolean;
}

/** One account: enabled regions, global services (IAM, S3) and per-region state. */
export interface AccountFixture {
  name?: string;
  /** Regions enabled for the account (DescribeRegions); requests to any other region fail like a disabled opt-in region. */
  regions: string[];
  iam?: { users: Array<Api & { accessKeys?: Api[] }> };
  s3?: { buckets: BucketFixture[] };
  regionData: Record<string, RegionFixture>;
}

/** The whole simulated estate. */
export interface Fixture {
  /** Static access key id → account id (the secret is not checked; signatures are parsed, not verified). */
  credentials: Record<string, string>;
  organization?: { managementAccount: string; accounts: Api[]; roleName?: string };
  accounts: Record<string, AccountFixture>;
}

/** Replace relative dates ("@now-30d", "@now+200d") with ISO timestamps, so fixtures stay true as time passes. */
export function resolveDates<T>(value: T, now: Date): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const m = /^@now([+-]\d+)d$/.exec(v);
      return m ? new Date(now.getTime() + Number(m[1]) * 86_400_000).toISOString() : v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Load a fixture JSON file. */
export function loadFixture(file: string): Fixture {
  return JSON.parse(readFileSync(file, "utf8")) as Fixture;
}
