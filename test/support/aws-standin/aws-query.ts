// awsQuery: form-encoded POST with Action=…, XML out wrapped in <OpResponse><OpResult>…, errors in <ErrorResponse>.
// Serves RDS, ELBv2, IAM and STS.
import { randomBytes } from "node:crypto";
import { partitionOfRegion } from "../../../src/collectors/aws-partition.js";
import {
  accountOf,
  arnParts,
  page,
  regionOf,
  requestId,
  ServiceError,
  type StandInRequest,
  type StandInState,
} from "./common.js";
import type { Api } from "./fixture.js";
import { fieldsToXml, type ListStyle, xmlEscape } from "./xml.js";

/** Services this module speaks for (SigV4 signing names). */
export const QUERY_SERVICES = new Set(["rds", "elasticloadbalancing", "iam", "sts"]);

const NAMESPACE: Record<string, string> = {
  rds: "http://rds.amazonaws.com/doc/2014-10-31/",
  elasticloadbalancing: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
};

// RDS names list items after the element type; the other query services use <member>.
const RDS_ITEMS: Record<string, string> = {
  DBInstances: "DBInstance",
  DBClusters: "DBCluster",
  DBSnapshots: "DBSnapshot",
  DBClusterSnapshots: "DBClusterSnapshot",
  Parameters: "Parameter",
  DBParameterGroups: "DBParameterGroup",
  DBClusterParameterGroups: "DBClusterParameterGroup",
  Certificates: "Certificate",
  DBSnapshotAttributes: "DBSnapshotAttribute",
  DBClusterSnapshotAttributes: "DBClusterSnapshotAttribute",
  AttributeValues: "AttributeValue",
  DBClusterMembers: "DBClusterMember",
  VpcSecurityGroups: "VpcSecurityGroupMembership",
};

function listStyle(service: string): (field: string) => ListStyle {
  return service === "rds" ? (f) => RDS_ITEMS[f] ?? "member" : () => "member";
}

/** Serialize a successful query response. */
export function queryBody(req: StandInRequest, out: Record<string, Api>): string {
  const ns = NAMESPACE[req.service];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${req.operation}Response xmlns="${ns}"><${req.operation}Result>${fieldsToXml(out, listStyle(req.service))}</${req.operation}Result><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${req.operation}Response>`;
}

/** Serialize a query error. */
export function queryError(service: string, err: ServiceError): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${NAMESPACE[service] ?? ""}"><Error><Type>${err.status >= 500 ? "Receiver" : "Sender"}</Type><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`;
}

function marker(
  items: Api[],
  p: Api,
  state: StandInState,
  listName: string,
  limit = "MaxRecords",
  out = "Marker",
): Api {
  const { items: slice, next } = page(items, p.Marker, p[limit], state.pageSize);
  return { [listName]: slice, ...(next ? { [out]: next } : {}) };
}

/** Values of a query-protocol list parameter (Names.member.1, Names.member.2, …). */
function listParam(p: Api, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; p[`${name}.member.${i}`] !== undefined; i++) out.push(p[`${name}.member.${i}`]);
  return out;
}

function group(
  groups: Record<string, { Family: string; Parameters: Api[] }> | undefined,
  name: string,
  cluster: boolean,
) {
  const g = groups?.[name];
  if (!g)
    throw new ServiceError(
      cluster ? "DBParameterGroupNotFound" : "DBParameterGroupNotFound",
      `Parameter group ${name} not found`,
      404,
    );
  return g;
}

/** Handle one awsQuery operation, returning the Result fields. */
export function handleQuery(state: StandInState, req: StandInRequest): Record<string, Api> {
  const p = req.params;
  const r = regionOf(state, req);
  switch (`${req.service}:${req.operation}`) {
    case "rds:DescribeDBInstances":
      return marker(r.rds?.DBInstances ?? [], p, state, "DBInstances");
    case "rds:DescribeDBClusters":
      return marker(r.rds?.DBClusters ?? [], p, state, "DBClusters");
    case "rds:DescribeDBSnapshots":
      return marker(r.rds?.DBSnapshots ?? [], p, state, "DBSnapshots");
    case "rds:DescribeDBClusterSnapshots":
      return marker(r.rds?.DBClusterSnapshots ?? [], p, state, "DBClusterSnapshots");
    case "rds:DescribeDBParameterGroups": {
      const g = group(r.rds?.DBParameterGroups, p.DBParameterGroupName, false);
      return {
        DBParameterGroups: [
          { DBParameterGroupName: p.DBParameterGroupName, DBParameterGroupFamily: g.Family },
        ],
      };
    }
    case "rds:DescribeDBClusterParameterGroups": {
      const g = group(r.rds?.DBClusterParameterGroups, p.DBClusterParameterGroupName, true);
      return {
        DBClusterParameterGroups: [
          { DBClusterParameterGroupName: p.DBClusterParameterGroupName, DBParameterGroupFamily: g.Family },
        ],
      };
    }
    case "rds:DescribeDBParameters": {
      const g = group(r.rds?.DBParameterGroups, p.DBParameterGroupName, false);
      return marker(
        g.Parameters.filter((x) => !p.Source || x.Source === p.Source),
        p,
        state,
        "Parameters",
      );
    }
    case "rds:DescribeDBClusterParameters": {
      const g = group(r.rds?.DBClusterParameterGroups, p.DBClusterParameterGroupName, true);
      return marker(
        g.Parameters.filter((x) => !p.Source || x.Source === p.Source),
        p,
        state,
        "Parameters",
      );
    }
    case "rds:DescribeEngineDefaultParameters":
    case "rds:DescribeEngineDefaultClusterParameters": {
      const defaults =
        req.operation === "DescribeEngineDefaultParameters"
          ? r.rds?.EngineDefaults
          : r.rds?.ClusterEngineDefaults;
      const params = defaults?.[p.DBParameterGroupFamily] ?? [];
      const { items, next } = page(params, p.Marker, p.MaxRecords, state.pageSize);
      return {
        EngineDefaults: {
          DBParameterGroupFamily: p.DBParameterGroupFamily,
          Parameters: items,
          ...(next ? { Marker: next } : {}),
        },
      };
    }
    case "rds:DescribeCertificates":
      return marker(r.rds?.Certificates ?? [], p, state, "Certificates");
    case "rds:DescribeDBSnapshotAttributes":
      return {
        DBSnapshotAttributesResult: {
          DBSnapshotIdentifier: p.DBSnapshotIdentifier,
          DBSnapshotAttributes: [
            {
              AttributeName: "restore",
              AttributeValues: r.rds?.SnapshotRestore?.[p.DBSnapshotIdentifier] ?? [],
            },
          ],
        },
      };
    case "rds:DescribeDBClusterSnapshotAttributes":
      return {
        DBClusterSnapshotAttributesResult: {
          DBClusterSnapshotIdentifier: p.DBClusterSnapshotIdentifier,
          DBClusterSnapshotAttributes: [
            {
              AttributeName: "restore",
              AttributeValues: r.rds?.SnapshotRestore?.[p.DBClusterSnapshotIdentifier] ?? [],
            },
          ],
        },
      };
    case "elasticloadbalancing:DescribeLoadBalancers":
      return marker(r.elbv2?.LoadBalancers ?? [], p, state, "LoadBalancers", "PageSize", "NextMarker");
    case "elasticloadbalancing:DescribeListeners":
      return marker(
        (r.elbv2?.Listeners ?? []).filter((l) => l.LoadBalancerArn === p.LoadBalancerArn),
        p,
        state,
        "Listeners",
        "PageSize",
        "NextMarker",
      );
    case "elasticloadbalancing:DescribeRules": {
      const listener = (r.elbv2?.Listeners ?? []).find((l) => l.ListenerArn === p.ListenerArn);
      if (!listener) throw new ServiceError("ListenerNotFound", `One or more listeners not found`, 400);
      // The listener's own rules, then its default rule (AWS lists the default action as a rule too).
      const rules = [
        ...(r.elbv2?.Rules ?? [])
          .filter((x) => x.ListenerArn === p.ListenerArn)
          .map(({ ListenerArn: _listener, ...rule }) => rule),
        {
          RuleArn: `${String(p.ListenerArn).replace(":listener/", ":listener-rule/")}/default`,
          Priority: "default",
          Conditions: [],
          Actions: listener.DefaultActions ?? [],
          IsDefault: true,
        },
      ];
      return marker(rules, p, state, "Rules", "PageSize", "NextMarker");
    }
    case "elasticloadbalancing:DescribeSSLPolicies": {
      const names = listParam(p, "Names");
      const all = r.elbv2?.SslPolicies ?? [];
      const unknown = names.filter((n) => !all.some((x) => x.Name === n));
      if (unknown.length) throw new ServiceError("SSLPolicyNotFound", `SSL policy '${unknown[0]}' not found`);
      return marker(
        names.length ? all.filter((x) => names.includes(x.Name)) : all,
        p,
        state,
        "SslPolicies",
        "PageSize",
        "NextMarker",
      );
    }
    case "iam:ListUsers": {
      const users = (accountOf(state, req).iam?.users ?? []).map(({ accessKeys: _k, ...u }) => u);
      const { items, next } = page(users, p.Marker, p.MaxItems, state.pageSize);
      return { Users: items, IsTruncated: next !== undefined, ...(next ? { Marker: next } : {}) };
    }
    case "iam:ListAccessKeys": {
      const user = (accountOf(state, req).iam?.users ?? []).find((u) => u.UserName === p.UserName);
      if (!user)
        throw new ServiceError("NoSuchEntity", `The user with name ${p.UserName} cannot be found.`, 404);
      const keys = (user.accessKeys ?? []).map((k: Api) => ({
        UserName: user.UserName,
        AccessKeyId: k.AccessKeyId,
        Status: k.Status,
        CreateDate: k.CreateDate,
      }));
      const { items, next } = page(keys, p.Marker, p.MaxItems, state.pageSize);
      return { AccessKeyMetadata: items, IsTruncated: next !== undefined, ...(next ? { Marker: next } : {}) };
    }
    case "iam:GetAccessKeyLastUsed": {
      for (const u of accountOf(state, req).iam?.users ?? []) {
        const k = (u.accessKeys ?? []).find((x: Api) => x.AccessKeyId === p.AccessKeyId);
        if (k) {
          return {
            UserName: u.UserName,
            AccessKeyLastUsed: k.LastUsedDate
              ? { LastUsedDate: k.LastUsedDate, ServiceName: "s3", Region: "us-east-1" }
              : { ServiceName: "N/A", Region: "N/A" },
          };
        }
      }
      throw new ServiceError("AccessDenied", "access key not found", 403);
    }
    case "sts:GetCallerIdentity":
      return {
        Account: req.account,
        Arn: `arn:${partitionOfRegion(req.region)}:iam::${req.account}:user/standin`,
        UserId: req.accessKeyId,
      };
    case "sts:AssumeRole": {
      const parts = arnParts(String(p.RoleArn));
      // As AWS does: a role ARN of another partition is not a role here.
      if (parts && parts.partition !== partitionOfRegion(req.region))
        throw new ServiceError(
          "ValidationError",
          `${p.RoleArn} is not in partition ${partitionOfRegion(req.region)}`,
          400,
        );
      const target = parts?.account ?? "";
      const roleName = parts?.resource.replace(/^role\//, "");
      const org = state.fixture.organization;
      const allowed =
        state.fixture.accounts[target] &&
        (target === req.account ||
          (org &&
            org.managementAccount === req.account &&
            roleName === (org.roleName ?? "OrganizationAccountAccessRole")));
      if (!allowed)
        throw new ServiceError(
          "AccessDenied",
          `User is not authorized to perform: sts:AssumeRole on resource: ${p.RoleArn}`,
          403,
        );
      const key = `ASIA${randomBytes(8).toString("hex").toUpperCase()}`;
      state.sessions.set(key, target);
      return {
        Credentials: {
          AccessKeyId: key,
          SecretAccessKey: randomBytes(20).toString("base64"),
          SessionToken: randomBytes(32).toString("base64"),
          Expiration: new Date(Date.now() + 3600_000),
        },
        AssumedRoleUser: {
          AssumedRoleId: `AROA:${p.RoleSessionName}`,
          Arn: `arn:${partitionOfRegion(req.region)}:sts::${target}:assumed-role/${roleName}/${p.RoleSessionName}`,
        },
      };
    }
    default:
      throw new ServiceError("InvalidAction", `stand-in does not implement ${req.service}:${req.operation}`);
  }
}
