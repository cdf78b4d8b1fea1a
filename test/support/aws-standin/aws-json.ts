// awsJson1_1: POST / with X-Amz-Target "<Prefix>.<Operation>", JSON in and out, errors as {"__type": code}.
// Serves KMS, Config, CloudTrail, CloudWatch Logs, ACM, Secrets Manager and Organizations.
import {
  accountOf,
  arnParts,
  page,
  regionOf,
  ServiceError,
  type StandInRequest,
  type StandInState,
} from "./common.js";
import type { Api } from "./fixture.js";

/** Services this module speaks for (SigV4 signing names). */
export const JSON_SERVICES = new Set([
  "kms",
  "config",
  "cloudtrail",
  "logs",
  "acm",
  "secretsmanager",
  "organizations",
]);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Serialize output the awsJson way: timestamps (ISO strings in fixtures) become epoch seconds. */
export function jsonBody(out: unknown): string {
  return JSON.stringify(out, (_k, v) => (typeof v === "string" && ISO.test(v) ? Date.parse(v) / 1000 : v));
}

/** The JSON error body and headers for a service error. */
export function jsonError(err: ServiceError): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  return {
    status: err.status,
    headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": err.code },
    body: JSON.stringify({ __type: err.code, message: err.message }),
  };
}

/** The operation named by an X-Amz-Target header. */
export function jsonOperation(target: string | undefined): string {
  return (target ?? "").split(".").pop() ?? "";
}

/** When KMS would next rotate a key: whole periods after its last rotation (or creation), the first in the future. */
function nextRotation(k: {
  KeyMetadata: Api;
  RotationPeriodInDays?: number;
  Rotations?: Api[];
}): string | undefined {
  const period = (k.RotationPeriodInDays ?? 365) * 86_400_000;
  const last = Math.max(
    Date.parse(k.KeyMetadata.CreationDate),
    ...(k.Rotations ?? []).map((r: Api) => Date.parse(r.RotationDate)),
  );
  if (!Number.isFinite(last)) return undefined;
  let next = last + period;
  while (next <= Date.now()) next += period;
  return new Date(next).toISOString();
}

function findKey(state: StandInState, req: StandInRequest, keyId: string) {
  // A key ARN in another account or region is looked up there; cross-account reads are denied like real KMS without a grant.
  const parts = keyId.startsWith("arn:") ? arnParts(keyId) : undefined;
  if (parts && parts.account !== req.account)
    throw new ServiceError("AccessDeniedException", `not authorized to use ${keyId}`);
  const region = parts?.region ?? req.region;
  const kms = accountOf(state, req).regionData[region]?.kms;
  let id = parts ? parts.resource.replace(/^key\//, "") : keyId;
  if (id.startsWith("alias/")) {
    const alias = kms?.aliases?.find((a: Api) => a.AliasName === id);
    if (!alias?.TargetKeyId) throw new ServiceError("NotFoundException", `Alias ${id} is not found.`);
    id = alias.TargetKeyId;
  }
  const key = kms?.keys.find((k) => k.KeyMetadata.KeyId === id || k.KeyMetadata.Arn === keyId);
  if (!key) throw new ServiceError("NotFoundException", `Key '${keyId}' does not exist`);
  return key;
}

function pagedMarker(items: Api[], p: Api, state: StandInState, listName: string): Api {
  const { items: slice, next } = page(items, p.Marker, p.Limit, state.pageSize);
  return { [listName]: slice, Truncated: next !== undefined, ...(next ? { NextMarker: next } : {}) };
}

function pagedToken(
  items: Api[],
  p: Api,
  state: StandInState,
  listName: string,
  tokenIn = "NextToken",
  limitIn = "MaxResults",
  tokenOut = "NextToken",
): Api {
  const { items: slice, next } = page(items, p[tokenIn], p[limitIn], state.pageSize);
  return { [listName]: slice, ...(next ? { [tokenOut]: next } : {}) };
}

/** Handle one awsJson1_1 operation, returning the output object. */
export function handleJson(state: StandInState, req: StandInRequest): unknown {
  const p = req.params;
  const r = regionOf(state, req);
  switch (`${req.service}:${req.operation}`) {
    case "kms:ListKeys":
      return pagedMarker(
        (r.kms?.keys ?? []).map((k) => ({ KeyId: k.KeyMetadata.KeyId, KeyArn: k.KeyMetadata.Arn })),
        p,
        state,
        "Keys",
      );
    case "kms:DescribeKey":
      return { KeyMetadata: findKey(state, req, p.KeyId).KeyMetadata };
    case "kms:GetKeyRotationStatus": {
      const k = findKey(state, req, p.KeyId);
      if (k.KeyMetadata.KeySpec !== "SYMMETRIC_DEFAULT" || k.KeyMetadata.Origin !== "AWS_KMS") {
        throw new ServiceError(
          "UnsupportedOperationException",
          "You cannot perform this operation on this KMS key.",
        );
      }
      return {
        KeyId: k.KeyMetadata.Arn,
        KeyRotationEnabled: Boolean(k.RotationEnabled),
        ...(k.RotationEnabled && !k.OmitRotationPeriod
          ? { RotationPeriodInDays: k.RotationPeriodInDays ?? 365 }
          : {}),
        ...(k.RotationEnabled ? { NextRotationDate: nextRotation(k) } : {}),
      };
    }
    case "kms:ListKeyRotations": {
      const k = findKey(state, req, p.KeyId);
      if (k.KeyMetadata.KeySpec !== "SYMMETRIC_DEFAULT" || k.KeyMetadata.Origin !== "AWS_KMS") {
        throw new ServiceError(
          "UnsupportedOperationException",
          "You cannot perform this operation on this KMS key.",
        );
      }
      return pagedMarker(k.Rotations ?? [], p, state, "Rotations");
    }
    case "kms:ListAliases":
      return pagedMarker(r.kms?.aliases ?? [], p, state, "Aliases");
    case "kms:GetKeyPolicy": {
      const k = findKey(state, req, p.KeyId);
      return {
        PolicyName: "default",
        Policy: JSON.stringify(k.Policy ?? { Version: "2012-10-17", Statement: [] }),
      };
    }
    case "config:DescribeConfigurationRecorders":
      return { ConfigurationRecorders: r.config?.ConfigurationRecorders ?? [] };
    case "config:DescribeConfigurationRecorderStatus":
      return { ConfigurationRecordersStatus: r.config?.ConfigurationRecordersStatus ?? [] };
    case "config:DescribeDeliveryChannels":
      return { DeliveryChannels: r.config?.DeliveryChannels ?? [] };
    case "config:DescribeComplianceByConfigRule":
      return pagedToken(
        r.config?.ComplianceByConfigRules ?? [],
        p,
        state,
        "ComplianceByConfigRules",
        "NextToken",
        "__none",
      );
    case "config:SelectAggregateResourceConfig": {
      const items = r.config?.aggregators?.[p.ConfigurationAggregatorName];
      if (!items)
        throw new ServiceError(
          "NoSuchConfigurationAggregatorException",
          `aggregator ${p.ConfigurationAggregatorName} not found`,
        );
      const types = [...String(p.Expression ?? "").matchAll(/'(AWS::[A-Za-z0-9:]+)'/g)].map((m) => m[1]);
      const selected = types.length ? items.filter((i: Api) => types.includes(i.resourceType)) : items;
      const out = pagedToken(
        selected.map((i: Api) => JSON.stringify(i)),
        p,
        state,
        "Results",
        "NextToken",
        "Limit",
      );
      return { ...out, QueryInfo: { SelectFields: [{ Name: "*" }] } };
    }
    case "config:DescribeAggregateComplianceByConfigRules": {
      if (!r.config?.aggregators?.[p.ConfigurationAggregatorName])
        throw new ServiceError(
          "NoSuchConfigurationAggregatorException",
          `aggregator ${p.ConfigurationAggregatorName} not found`,
        );
      // What every account and region of the estate reports for its own rules, tagged with where it came from.
      const all: Api[] = [];
      for (const [account, a] of Object.entries(state.fixture.accounts))
        for (const [region, rd] of Object.entries(a.regionData))
          for (const c of rd.config?.ComplianceByConfigRules ?? [])
            all.push({ ...c, AccountId: account, AwsRegion: region });
      return pagedToken(all, p, state, "AggregateComplianceByConfigRules", "NextToken", "Limit");
    }
    case "cloudtrail:DescribeTrails":
      return { trailList: (r.cloudtrail?.trails ?? []).map((t) => t.Trail) };
    case "cloudtrail:GetTrailStatus":
    case "cloudtrail:GetEventSelectors": {
      const name = p.Name ?? p.TrailName;
      const t = r.cloudtrail?.trails.find((x) => x.Trail.TrailARN === name || x.Trail.Name === name);
      if (!t) throw new ServiceError("TrailNotFoundException", `Unknown trail: ${name}`);
      if (req.operation === "GetTrailStatus") return { IsLogging: Boolean(t.IsLogging) };
      return {
        TrailARN: t.Trail.TrailARN,
        ...(t.EventSelectors ? { EventSelectors: t.EventSelectors } : {}),
        ...(t.AdvancedEventSelectors ? { AdvancedEventSelectors: t.AdvancedEventSelectors } : {}),
      };
    }
    case "logs:DescribeLogGroups":
      return pagedToken(r.logs?.logGroups ?? [], p, state, "logGroups", "nextToken", "limit", "nextToken");
    case "acm:ListCertificates":
      return pagedToken(
        (r.acm?.certificates ?? []).map((c) => ({
          CertificateArn: c.CertificateArn,
          DomainName: c.DomainName,
        })),
        p,
        state,
        "CertificateSummaryList",
        "NextToken",
        "MaxItems",
      );
    case "acm:DescribeCertificate": {
      const c = r.acm?.certificates.find((x) => x.CertificateArn === p.CertificateArn);
      if (!c)
        throw new ServiceError(
          "ResourceNotFoundException",
          `Could not find certificate ${p.CertificateArn}.`,
        );
      // DescribeCertificate spells key algorithms with a hyphen (RSA-2048, EC-prime256v1), unlike the API enum.
      const KeyAlgorithm =
        typeof c.KeyAlgorithm === "string" ? c.KeyAlgorithm.replace(/^(RSA|EC)_/, "$1-") : c.KeyAlgorithm;
      return { Certificate: { ...c, KeyAlgorithm } };
    }
    case "secretsmanager:ListSecrets":
      return pagedToken(r.secretsmanager?.secrets ?? [], p, state, "SecretList");
    case "secretsmanager:DescribeSecret": {
      const s = r.secretsmanager?.secrets.find((x) => x.ARN === p.SecretId || x.Name === p.SecretId);
      if (!s)
        throw new ServiceError(
          "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret.",
        );
      return s;
    }
    case "organizations:ListAccounts": {
      const org = state.fixture.organization;
      if (!org)
        throw new ServiceError(
          "AWSOrganizationsNotInUseException",
          "Your account is not a member of an organization.",
        );
      if (org.managementAccount !== req.account) {
        throw new ServiceError(
          "AccessDeniedException",
          "You don't have permissions to access this resource.",
        );
      }
      return pagedToken(org.accounts, p, state, "Accounts");
    }
    default:
      throw new ServiceError(
        "UnknownOperationException",
        `stand-in does not implement ${req.service}:${req.operation}`,
      );
  }
}
