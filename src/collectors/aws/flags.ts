// The `scan` flags of the AWS sources. Kept free of SDK imports so `--help` and flag errors never load the SDK.
import { CipherproofError } from "../../core/errors.js";
import type { AggregatorOptions } from "../aws-config-aggregator/index.js";
import type { AwsCollectOptions } from "./options.js";
import { terminalProgress } from "./progress.js";

/** parseArgs entries for the AWS flags of `cipherproof scan`. */
export const AWS_SCAN_OPTIONS = {
  aws: { type: "boolean" },
  profile: { type: "string" },
  regions: { type: "string" },
  "role-arn": { type: "string", multiple: true },
  org: { type: "boolean" },
  "org-role": { type: "string" },
  "max-concurrency": { type: "string" },
  "endpoint-url": { type: "string" },
  "config-aggregator": { type: "string" },
} as const;

/** Help lines for the AWS sources of `cipherproof scan`. */
export const AWS_SCAN_HELP = `  --aws                  live AWS: every enabled region of the account the default credential chain names
                         (env, profile, SSO, web identity, instance role); see docs/aws.md for permissions
  --profile NAME         shared-config profile for the base credentials (AWS_PROFILE works too)
  --regions LIST|all     comma-separated regions (default all: the account's enabled regions)
  --role-arn ARN         assume this role and scan its account instead of the base account (repeatable)
  --org                  every active account of the organization (from the management account)
  --org-role NAME        role assumed in each member account with --org (default OrganizationAccountAccessRole)
  --max-concurrency N    API calls in flight per account, region and service (default 16)
  --endpoint-url URL     send every AWS call to URL (AWS_ENDPOINT_URL is honoured too)
  --config-aggregator NAME
                         organization-wide from an AWS Config aggregator (its resources and rule compliance)
`;

type AwsFlagValues = {
  aws?: boolean;
  profile?: string;
  regions?: string;
  "role-arn"?: string[];
  org?: boolean;
  "org-role"?: string;
  "max-concurrency"?: string;
  "endpoint-url"?: string;
  "config-aggregator"?: string;
};

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Turn the AWS flags into collector options; undefined when no AWS source was asked for. */
export function awsOptionsFromFlags(
  values: AwsFlagValues,
  io: { stderr: (s: string) => void; isTTY: boolean; env: Record<string, string | undefined> },
): { aws?: AwsCollectOptions; aggregator?: AggregatorOptions } {
  const wantsAws = values.aws || values.org || (values["role-arn"]?.length ?? 0) > 0;
  const aggregatorName = values["config-aggregator"];
  const awsOnly = ["profile", "regions", "org-role", "max-concurrency", "endpoint-url"] as const;
  if (!wantsAws && !aggregatorName) {
    const stray = awsOnly.find((f) => values[f] !== undefined);
    if (stray)
      throw new CipherproofError(
        "USAGE",
        `--${stray} needs --aws (or --config-aggregator)`,
        {},
        "add --aws to scan live AWS",
      );
    return {};
  }
  if (values["org-role"] && !values.org) throw new CipherproofError("USAGE", "--org-role needs --org");
  if (values.org && values["role-arn"]?.length)
    throw new CipherproofError(
      "USAGE",
      "--org and --role-arn cannot be combined",
      {},
      "--org enters every member account with --org-role",
    );
  let regions: string[] | "all" | undefined;
  if (values.regions !== undefined) {
    const list = values.regions
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean);
    if (list.length === 1 && list[0] === "all") regions = "all";
    else {
      const bad = list.find((r) => !REGION.test(r));
      if (bad || list.length === 0)
        throw new CipherproofError(
          "USAGE",
          `--regions: "${bad ?? values.regions}" is not a region name`,
          {},
          "e.g. --regions us-east-1,eu-west-1 or --regions all",
        );
      regions = [...new Set(list)];
    }
  }
  let maxConcurrency: number | undefined;
  if (values["max-concurrency"] !== undefined) {
    maxConcurrency = Number(values["max-concurrency"]);
    if (!/^\d+$/.test(values["max-concurrency"]) || maxConcurrency < 1 || maxConcurrency > 256) {
      throw new CipherproofError(
        "USAGE",
        `--max-concurrency must be a whole number from 1 to 256, not "${values["max-concurrency"]}"`,
      );
    }
  }
  const endpointUrl = values["endpoint-url"];
  if (endpointUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(endpointUrl)) {
    throw new CipherproofError("USAGE", `--endpoint-url must be an http(s) URL, not "${endpointUrl}"`);
  }
  for (const arn of values["role-arn"] ?? []) {
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(arn))
      throw new CipherproofError(
        "USAGE",
        `--role-arn "${arn}" is not an IAM role ARN`,
        {},
        "e.g. arn:aws:iam::123456789012:role/CipherproofAudit",
      );
  }
  const common = { profile: values.profile, endpointUrl, maxConcurrency, env: io.env };
  return {
    aws: wantsAws
      ? {
          ...common,
          regions,
          roleArns: values["role-arn"],
          org: values.org,
          orgRole: values["org-role"],
          progress: terminalProgress(io.stderr, io.isTTY),
        }
      : undefined,
    aggregator: aggregatorName
      ? { ...common, name: aggregatorName, region: Array.isArray(regions) ? regions[0] : undefined }
      : undefined,
  };
}
