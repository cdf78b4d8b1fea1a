import { createHash } from "node:crypto";
import { ConfigServiceClient, SelectAggregateResourceConfigCommand } from "@aws-sdk/client-config-service";
import type { ResourceDocument } from "../../core/types.js";
import { callApi } from "../aws/call.js";
import { Runtime } from "../aws/context.js";
import { collectionErrorDocument } from "../aws/document.js";
import type { AwsCollectOptions } from "../aws/options.js";
import { resolveAccounts, resolveHomeRegion } from "../aws/scope.js";
import { CONFIG_TYPE_HANDLERS, mapSnapshotDocuments } from "../aws-config-snapshot/index.js";

/** Options of the aggregator collector: the aggregator's name plus the credentials and region to reach it. */
export interface AggregatorOptions
  extends Pick<
    AwsCollectOptions,
    "profile" | "endpointUrl" | "credentials" | "homeRegion" | "retry" | "now" | "maxConcurrency" | "env"
  > {
  /** Name of the AWS Config configuration aggregator. */
  name: string;
  /** Region the aggregator lives in (default: the home region). */
  region?: string;
}

/** What an aggregator collection produced. */
export interface AggregatorCollection {
  resources: ResourceDocument[];
  accounts: string[];
  regions: string[];
  unsupportedTypes: Record<string, number>;
  apiCalls: number;
  failedCalls: number;
  collectionErrors: number;
}

/** AWS Config resource types the snapshot mappers understand: exactly what the aggregator query asks for. */
export const AGGREGATOR_CONFIG_TYPES = CONFIG_TYPE_HANDLERS.map((h) => h.configType).sort();

/** The advanced query run against the aggregator: whole configuration items of every mapped type. */
export function aggregatorQuery(): string {
  const fields = [
    "resourceId",
    "resourceName",
    "resourceType",
    "arn",
    "accountId",
    "awsRegion",
    "availabilityZone",
    "configuration",
    "supplementaryConfiguration",
    "configurationItemCaptureTime",
    "configurationItemStatus",
    "tags",
  ];
  return `SELECT ${fields.join(", ")} WHERE resourceType IN (${AGGREGATOR_CONFIG_TYPES.map((t) => `'${t}'`).join(", ")})`;
}

// Every type the snapshot mappers produce; when the query fails, each gets an error document.
const MAPPED_TYPES = [
  "aws.account.region",
  "aws.acm.certificate",
  "aws.cloudtrail.trail",
  "aws.ec2.volume",
  "aws.elbv2.listener",
  "aws.iam.user",
  "aws.kms.key",
  "aws.logs.log_group",
  "aws.rds.db_cluster",
  "aws.rds.db_instance",
  "aws.rds.db_snapshot",
  "aws.s3.bucket",
  "aws.secretsmanager.secret",
];

/**
 * Collect an organization's resources from an AWS Config aggregator (SelectAggregateResourceConfig, paginated),
 * mapped by the snapshot mappers to the same types; what Config does not record is marked missing by them.
 */
export async function collectAggregator(options: AggregatorOptions): Promise<AggregatorCollection> {
  const rt = new Runtime({ ...options, org: false, roleArns: [] }, options.env ?? process.env);
  try {
    const home = await resolveHomeRegion(rt);
    const region = options.region ?? home;
    const { scopes } = await resolveAccounts(rt, home);
    const scope = scopes[0];
    const client = rt.client(ConfigServiceClient, scope.account, region, scope.credentials);
    const env = {
      limiter: rt.limiter(scope.account, region, "config"),
      retry: rt.retry,
      stats: rt.stats,
      region,
      isHomeRegion: true,
    };
    const Expression = aggregatorQuery();
    const results: string[] = [];
    let queryInfo: unknown;
    let NextToken: string | undefined;
    let failure: string | undefined;
    do {
      const token = NextToken;
      const out = await callApi(env, "config:SelectAggregateResourceConfig", (abortSignal) =>
        client.send(
          new SelectAggregateResourceConfigCommand({
            ConfigurationAggregatorName: options.name,
            Expression,
            Limit: 100,
            NextToken: token,
          }),
          { abortSignal },
        ),
      );
      if (!out.ok) {
        failure = out.absent ? `${out.code} on config:SelectAggregateResourceConfig` : out.reason;
        break;
      }
      results.push(...(out.value.Results ?? []));
      queryInfo ??= out.value.QueryInfo;
      NextToken = out.value.NextToken;
    } while (NextToken);
    const file = `aggregator:${options.name}`;
    const sha256 = createHash("sha256").update(JSON.stringify(results)).digest("hex");
    let resources: ResourceDocument[] = [];
    let unsupportedTypes: Record<string, number> = {};
    if (failure) {
      // Nothing (or only part) of the aggregator could be read: every type says so instead of silently judging less.
      resources = MAPPED_TYPES.map((t) =>
        collectionErrorDocument(
          t,
          `aggregator-${options.name}`,
          "all-regions",
          failure as string,
          rt.collectedAt,
        ),
      );
    } else {
      const mapped = mapSnapshotDocuments(
        [{ doc: { Results: results, QueryInfo: queryInfo }, file: { file, sha256 } }],
        { now: rt.now },
      );
      unsupportedTypes = mapped.unsupportedTypes;
      resources = mapped.resources.map((r) => ({
        ...r,
        source: "aws-config-aggregator",
        evidence: [{ call: "config:SelectAggregateResourceConfig", region, at: rt.collectedAt, sha256 }],
      }));
    }
    return {
      resources,
      accounts: [
        ...new Set(
          resources.map((r) => r.account).filter((a): a is string => !!a && !a.startsWith("aggregator-")),
        ),
      ].sort(),
      regions: [
        ...new Set(resources.map((r) => r.region).filter((a): a is string => !!a && a !== "all-regions")),
      ].sort(),
      unsupportedTypes,
      apiCalls: rt.stats.calls,
      failedCalls: rt.stats.failures,
      collectionErrors: failure ? resources.length : 0,
    };
  } finally {
    rt.destroy();
  }
}
