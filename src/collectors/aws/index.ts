import type { ResourceDocument } from "../../core/types.js";
import { partitionOfRegion } from "../aws-partition.js";
import { collectAcm } from "./acm.js";
import { collectCloudTrail } from "./cloudtrail.js";
import { collectConfig } from "./config.js";
import { type AccountScope, RegionContext, Runtime } from "./context.js";
import { collectionErrorDocument, DocBuilder, NOT_COLLECTED } from "./document.js";
import { collectEc2 } from "./ec2.js";
import { collectElbv2 } from "./elbv2.js";
import { collectIam } from "./iam.js";
import { collectKms } from "./kms.js";
import { collectLogs } from "./logs.js";
import { AWS_SERVICES, type AwsCollectOptions, type AwsService } from "./options.js";
import { collectRds } from "./rds.js";
import { collectS3 } from "./s3.js";
import { resolveAccounts, resolveHomeRegion, resolveRegions } from "./scope.js";
import { collectSecretsManager } from "./secretsmanager.js";

export type { AwsCollectOptions, AwsService, ProgressSink, RetryOptions } from "./options.js";
export { AWS_SERVICES } from "./options.js";
export { terminalProgress } from "./progress.js";

/** Resource types each service collector produces (placeholders for unreachable accounts use these). */
export const SERVICE_TYPES: Record<AwsService, string[]> = {
  kms: ["aws.kms.key"],
  rds: ["aws.rds.db_instance", "aws.rds.db_cluster", "aws.rds.db_snapshot"],
  s3: ["aws.s3.bucket"],
  ec2: ["aws.ec2.volume"],
  cloudtrail: ["aws.cloudtrail.trail"],
  config: ["aws.config.rule"],
  elbv2: ["aws.elbv2.listener"],
  logs: ["aws.logs.log_group"],
  acm: ["aws.acm.certificate"],
  secretsmanager: ["aws.secretsmanager.secret"],
  iam: ["aws.iam.user", "aws.iam.access_key"],
};

const REGIONAL: Record<Exclude<AwsService, "s3" | "iam">, (ctx: RegionContext) => Promise<void>> = {
  kms: collectKms,
  rds: collectRds,
  ec2: collectEc2,
  cloudtrail: collectCloudTrail,
  config: collectConfig,
  elbv2: collectElbv2,
  logs: collectLogs,
  acm: collectAcm,
  secretsmanager: collectSecretsManager,
};

/** What a live AWS collection produced. */
export interface AwsCollection {
  resources: ResourceDocument[];
  accounts: string[];
  regions: string[];
  /** Accounts that were asked for but could not be entered (their types are present as error documents). */
  unreachable: Array<{ account: string; reason: string }>;
  apiCalls: number;
  failedCalls: number;
  callsByOperation: Record<string, number>;
  /** Documents standing in for listings that failed. */
  collectionErrors: number;
}

/** Collect live AWS state from every requested account and region, marking everything not collectable as missing. */
export async function collectAws(options: AwsCollectOptions): Promise<AwsCollection> {
  const rt = new Runtime(options, options.env ?? process.env);
  const services = (options.services ?? [...AWS_SERVICES]).filter((s) =>
    (AWS_SERVICES as readonly string[]).includes(s),
  );
  try {
    const homeRegion = await resolveHomeRegion(rt);
    const { scopes, unreachable } = await resolveAccounts(rt, homeRegion);
    const withRegions: AccountScope[] = [];
    const allRegions = new Set<string>();
    for (const s of scopes) {
      const r = await resolveRegions(rt, s);
      withRegions.push({ ...s, regions: r.regions });
      for (const x of r.regions) allRegions.add(x);
      if (r.failure) {
        // The other regions of this account are unknown: one error document per type (and for the per-region
        // account settings) says so.
        for (const t of [...services.flatMap((svc) => SERVICE_TYPES[svc]), "aws.account.region"])
          rt.resources.push(
            collectionErrorDocument(
              t,
              s.account,
              "other-regions",
              `regions other than ${s.homeRegion} not scanned: ${r.failure}`,
              rt.collectedAt,
            ),
          );
      }
    }
    const scannedRegions = [...allRegions].sort();
    for (const u of unreachable) {
      for (const svc of services)
        for (const t of SERVICE_TYPES[svc])
          rt.resources.push(
            collectionErrorDocument(
              t,
              u.account,
              "all-regions",
              `account not scanned: ${u.reason}`,
              rt.collectedAt,
            ),
          );
      rt.resources.push(
        collectionErrorDocument(
          "aws.account.region",
          u.account,
          "all-regions",
          `account not scanned: ${u.reason}`,
          rt.collectedAt,
        ),
      );
    }

    const regional = services.filter((s): s is keyof typeof REGIONAL => s in REGIONAL);
    const globals = services.filter((s) => s === "s3" || s === "iam");
    const total = withRegions.reduce((n, s) => n + s.regions.length * regional.length + globals.length, 0);
    options.progress?.start(total);
    const tick = (label: string) => options.progress?.tick(label, rt.stats.calls);

    const jobs: Array<Promise<void>> = [];
    for (const scope of withRegions) {
      const regionDocs = new Map<string, DocBuilder>();
      for (const region of scope.regions) {
        const acct = new DocBuilder(
          "aws.account.region",
          `arn:${partitionOfRegion(region)}::${region}:${scope.account}:account-region`,
          `${scope.account}/${region}`,
          scope.account,
          region,
          rt.collectedAt,
        );
        regionDocs.set(region, acct);
        const ctx = new RegionContext(rt, scope, region, acct);
        const inRegion = regional.map((svc) =>
          REGIONAL[svc](ctx)
            .catch((err) =>
              ctx.listFailed(SERVICE_TYPES[svc], `collector error in ${svc}: ${(err as Error).message}`),
            )
            .finally(() => tick(`${scope.account} ${region} ${svc}`)),
        );
        jobs.push(
          Promise.all(inRegion).then(() => {
            // Settings whose collector was not run are not known: missing, never a default.
            for (const svc of ["ec2", "config"] as const) {
              if (!regional.includes(svc)) {
                const props =
                  svc === "ec2"
                    ? ["ebsEncryptionByDefault", "ebsDefaultKmsKeyId"]
                    : [
                        "configRecorderExists",
                        "configRecorderRecording",
                        "configRecordsAllSupported",
                        "configIncludesGlobalResources",
                        "configDeliveryChannelExists",
                        "configLastStatus",
                      ];
                acct.miss(props, `${NOT_COLLECTED} (service ${svc} not selected)`);
              }
            }
            rt.resources.push(acct.build());
          }),
        );
      }
      const home = new RegionContext(
        rt,
        scope,
        scope.homeRegion,
        new DocBuilder(
          "aws.account.region",
          "unused",
          "unused",
          scope.account,
          scope.homeRegion,
          rt.collectedAt,
        ),
      );
      if (globals.includes("s3"))
        jobs.push(
          collectS3(home, scope.regions)
            .catch((err) =>
              home.listFailed(["aws.s3.bucket"], `collector error in s3: ${(err as Error).message}`),
            )
            .finally(() => tick(`${scope.account} s3`)),
        );
      if (globals.includes("iam"))
        jobs.push(
          collectIam(home)
            .catch((err) =>
              home.listFailed(
                SERVICE_TYPES.iam,
                `collector error in iam: ${(err as Error).message}`,
                "global",
              ),
            )
            .finally(() => tick(`${scope.account} iam`)),
        );
    }
    await Promise.all(jobs);
    options.progress?.done();
    const resources = rt.resources.sort((a, b) =>
      a.type === b.type ? a.id.localeCompare(b.id) : a.type.localeCompare(b.type),
    );
    return {
      resources,
      accounts: withRegions.map((s) => s.account),
      regions: scannedRegions,
      unreachable,
      apiCalls: rt.stats.calls,
      failedCalls: rt.stats.failures,
      callsByOperation: Object.fromEntries([...rt.stats.byOperation].sort()),
      collectionErrors: resources.filter((r) => r.id.startsWith("urn:cipherproof:collection-error:")).length,
    };
  } finally {
    rt.destroy();
  }
}
