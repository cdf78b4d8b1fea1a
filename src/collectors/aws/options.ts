/** Static AWS credentials (the SDK's AwsCredentialIdentity shape). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A function that yields credentials, refreshed by the caller as needed (the SDK's provider shape). */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** Service collectors, by the name used in progress output and `services` filters. */
export const AWS_SERVICES = [
  "kms",
  "rds",
  "s3",
  "ec2",
  "cloudtrail",
  "config",
  "elbv2",
  "logs",
  "acm",
  "secretsmanager",
  "iam",
] as const;
/** One service collector name. */
export type AwsService = (typeof AWS_SERVICES)[number];

/** Retry policy for throttling, 5xx, timeouts and network errors (full-jitter exponential backoff). */
export interface RetryOptions {
  /** Attempts per call, first one included (default 8). */
  maxAttempts?: number;
  /** First backoff step in ms (default 100). */
  baseDelayMs?: number;
  /** Longest single backoff in ms (default 20,000). */
  maxDelayMs?: number;
  /** Per-attempt timeout in ms (default 30,000). */
  timeoutMs?: number;
}

/** A progress sink: told the total units of work (account × region × service) and each finished unit. */
export interface ProgressSink {
  start(total: number): void;
  tick(label: string, calls: number): void;
  done(): void;
}

/** What `cipherproof scan --aws` collects and how. */
export interface AwsCollectOptions {
  /** Shared-config profile for the base credentials. */
  profile?: string;
  /** Regions to scan; "all" or undefined = every region enabled for the account (EC2 DescribeRegions). */
  regions?: string[] | "all";
  /** Roles to assume; each role's account is scanned instead of the base account. */
  roleArns?: string[];
  /** Scan every active account of the organization (Organizations ListAccounts from the management account). */
  org?: boolean;
  /** Role assumed in each member account in org mode (default OrganizationAccountAccessRole). */
  orgRole?: string;
  /** Calls in flight per account, region and service (default 16). */
  maxConcurrency?: number;
  /** Calls in flight across all accounts, regions and services together (default 128; 1 = strictly sequential). */
  maxTotalConcurrency?: number;
  /** Endpoint for every service (else AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> as the SDK resolves them). */
  endpointUrl?: string;
  /** Credentials instead of the default chain (library use, tests). */
  credentials?: AwsCredentials | AwsCredentialsProvider;
  /** Region for global calls (STS, IAM, Organizations, S3 ListBuckets); default: the SDK's region, else us-east-1. */
  homeRegion?: string;
  /** Only these services (default all). */
  services?: AwsService[];
  retry?: RetryOptions;
  /**
   * Most pages read from one paginated listing (default 10,000): a service that keeps handing out new tokens would
   * otherwise keep the scan running for ever. Reaching it makes the listing a collection error.
   */
  maxPages?: number;
  progress?: ProgressSink;
  /** Environment consulted for AWS_ENDPOINT_URL* (default process.env; the SDK itself reads process.env). */
  env?: Record<string, string | undefined>;
  /** The collection clock (default now). */
  now?: Date;
}
