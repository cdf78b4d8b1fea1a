import { createHash } from "node:crypto";
import {
  type AggregateComplianceByConfigRule,
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  SelectAggregateResourceConfigCommand,
} from "@aws-sdk/client-config-service";
import { appendAll } from "../../core/arrays.js";
import type { ResourceDocument } from "../../core/types.js";
import { callApi } from "../aws/call.js";
import { setRuleCompliance } from "../aws/config-rule.js";
import { Runtime } from "../aws/context.js";
import { collectionErrorDocument, DocBuilder, isCollectionError } from "../aws/document.js";
import type { AwsCollectOptions } from "../aws/options.js";
import { resolveAccounts, resolveHomeRegion } from "../aws/scope.js";
import { CONFIG_TYPE_HANDLERS, mapSnapshotDocuments } from "../aws-config-snapshot/index.js";
import { partitionOfRegion } from "../aws-partition.js";

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

const RULES_CALL = "config:DescribeAggregateComplianceByConfigRules";

type CallEnv = Parameters<typeof callApi>[0];

/**
 * Every Config rule's compliance in every account and region of the aggregator, one `aws.config.rule` document each
 * (the same properties the per-account collector records). A failed call gives one error document for the type.
 */
async function collectRuleCompliance(
  client: ConfigServiceClient,
  env: CallEnv,
  aggregator: string,
  collectedAt: string,
): Promise<ResourceDocument[]> {
  const items: AggregateComplianceByConfigRule[] = [];
  const seen = new Set<string>();
  let NextToken: string | undefined;
  let failure: string | undefined;
  do {
    const token = NextToken;
    const out = await callApi(env, RULES_CALL, (abortSignal) =>
      client.send(
        new DescribeAggregateComplianceByConfigRulesCommand({
          ConfigurationAggregatorName: aggregator,
          NextToken: token,
        }),
        { abortSignal },
      ),
    );
    if (!out.ok) {
      failure = out.absent ? `${out.code} on ${RULES_CALL}` : out.reason;
      break;
    }
    items.push(...(out.value.AggregateComplianceByConfigRules ?? []));
    NextToken = out.value.NextToken;
    if (NextToken !== undefined && seen.has(NextToken)) {
      failure = `malformed response on ${RULES_CALL} (pagination token repeated)`;
      break;
    }
    if (NextToken !== undefined) seen.add(NextToken);
  } while (NextToken);
  // Rules already read are still judged only when the whole listing came back; a partial list would hide rules.
  if (failure)
    return [
      collectionErrorDocument(
        "aws.config.rule",
        `aggregator-${aggregator}`,
        "all-regions",
        failure,
        collectedAt,
      ),
    ];
  const sha256 = createHash("sha256").update(JSON.stringify(items)).digest("hex");
  const evidence = { call: RULES_CALL, region: env.region, at: collectedAt, sha256 };
  return items.map((item, i) => {
    const name = item.ConfigRuleName;
    const account = item.AccountId;
    const region = item.AwsRegion;
    if (!name || !account || !region)
      return collectionErrorDocument(
        "aws.config.rule",
        account ?? `aggregator-${aggregator}`,
        region ?? "all-regions",
        `malformed response on ${RULES_CALL} (an entry without ConfigRuleName, AccountId or AwsRegion)`,
        collectedAt,
        `entry-${i + 1}`,
      );
    const b = new DocBuilder(
      "aws.config.rule",
      `arn:${partitionOfRegion(region)}:config:${region}:${account}:config-rule/${name}`,
      name,
      account,
      region,
      collectedAt,
    ).cite(evidence);
    return {
      ...setRuleCompliance(b, name, item.Compliance, RULES_CALL).build(),
      source: "aws-config-aggregator",
    };
  });
}

/**
 * Collect an organization's resources from an AWS Config aggregator (SelectAggregateResourceConfig, paginated),
 * mapped by the snapshot mappers to the same types; what Config does not record is marked missing by them. Config
 * rule compliance comes from DescribeAggregateComplianceByConfigRules.
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
      appendAll(results, out.value.Results ?? []);
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
    appendAll(resources, await collectRuleCompliance(client, env, options.name, rt.collectedAt));
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
      collectionErrors: resources.filter(isCollectionError).length,
    };
  } finally {
    rt.destroy();
  }
}
