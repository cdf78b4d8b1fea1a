import {
  type Certificate,
  type DBCluster,
  type DBClusterSnapshot,
  type DBInstance,
  type DBSnapshot,
  DescribeCertificatesCommand,
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClusterParametersCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBParameterGroupsCommand,
  DescribeDBParametersCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  DescribeEngineDefaultClusterParametersCommand,
  DescribeEngineDefaultParametersCommand,
  type Parameter,
  RDSClient,
} from "@aws-sdk/client-rds";
import type { RegionContext } from "./context.js";
import { daysUntil, iso } from "./document.js";
import { mapLimit } from "./each.js";

type Answer<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The parameter that forces TLS for an engine, and how its value reads. */
export function sslParameter(engine: string): { name: string; on: (v: string) => boolean } | undefined {
  const e = engine.toLowerCase();
  const flag = (v: string) => ["1", "on", "true"].includes(v.trim().toLowerCase());
  if (e.includes("postgres") || e.startsWith("sqlserver")) return { name: "rds.force_ssl", on: flag };
  if (e.includes("mysql") || e.includes("mariadb")) return { name: "require_secure_transport", on: flag };
  if (e === "docdb") return { name: "tls", on: (v) => v.trim().toLowerCase() !== "disabled" };
  return undefined;
}

/** Collect RDS DB instances, clusters and snapshots, resolving parameter groups (engine defaults included) to forceSsl. */
export async function collectRds(ctx: RegionContext): Promise<void> {
  const rds = ctx.client(RDSClient);
  const [instances, clusters, snapshots, clusterSnapshots, certificates] = await Promise.all([
    ctx.paginate(
      "rds:DescribeDBInstances",
      (Marker, abortSignal) =>
        rds.send(new DescribeDBInstancesCommand({ Marker, MaxRecords: 100 }), { abortSignal }),
      (p) => p.DBInstances,
      (p) => p.Marker,
    ),
    ctx.paginate(
      "rds:DescribeDBClusters",
      (Marker, abortSignal) =>
        rds.send(new DescribeDBClustersCommand({ Marker, MaxRecords: 100 }), { abortSignal }),
      (p) => p.DBClusters,
      (p) => p.Marker,
    ),
    ctx.paginate(
      "rds:DescribeDBSnapshots",
      (Marker, abortSignal) =>
        rds.send(new DescribeDBSnapshotsCommand({ Marker, MaxRecords: 100 }), { abortSignal }),
      (p) => p.DBSnapshots,
      (p) => p.Marker,
    ),
    ctx.paginate(
      "rds:DescribeDBClusterSnapshots",
      (Marker, abortSignal) =>
        rds.send(new DescribeDBClusterSnapshotsCommand({ Marker, MaxRecords: 100 }), { abortSignal }),
      (p) => p.DBClusterSnapshots,
      (p) => p.Marker,
    ),
    ctx.paginate(
      "rds:DescribeCertificates",
      (Marker, abortSignal) =>
        rds.send(new DescribeCertificatesCommand({ Marker, MaxRecords: 100 }), { abortSignal }),
      (p) => p.Certificates,
      (p) => p.Marker,
    ),
  ]);

  const groupCache = new Map<string, Promise<Answer<boolean>>>();
  const findParam = (params: Parameter[], name: string) => params.find((p) => p.ParameterName === name);

  // One parameter group resolved to "forces TLS?": the group's own value, else the engine default of its family.
  function resolveGroup(cluster: boolean, group: string, engine: string): Promise<Answer<boolean>> {
    const key = `${cluster}|${group}|${engine}`;
    let p = groupCache.get(key);
    if (p) return p;
    p = (async (): Promise<Answer<boolean>> => {
      const param = sslParameter(engine);
      if (!param)
        return {
          ok: false,
          reason: `no parameter forces TLS for engine ${engine} (checked through option groups or the engine itself)`,
        };
      const listOp = cluster ? "rds:DescribeDBClusterParameters" : "rds:DescribeDBParameters";
      const listed = await ctx.paginate(
        listOp,
        (Marker, abortSignal) =>
          cluster
            ? rds.send(
                new DescribeDBClusterParametersCommand({
                  DBClusterParameterGroupName: group,
                  Marker,
                  MaxRecords: 100,
                }),
                { abortSignal },
              )
            : rds.send(
                new DescribeDBParametersCommand({ DBParameterGroupName: group, Marker, MaxRecords: 100 }),
                { abortSignal },
              ),
        (pg) => pg.Parameters,
        (pg) => pg.Marker,
      );
      if (!listed.ok) return { ok: false, reason: listed.reason };
      const own = findParam(listed.items, param.name);
      if (own?.ParameterValue !== undefined) return { ok: true, value: param.on(own.ParameterValue) };
      // Not set in the group (or listed without a value): the engine default for the group's family applies.
      const groupOp = cluster ? "rds:DescribeDBClusterParameterGroups" : "rds:DescribeDBParameterGroups";
      const described = await ctx.call(groupOp, (abortSignal) =>
        cluster
          ? rds.send(new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: group }), {
              abortSignal,
            })
          : rds.send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: group }), { abortSignal }),
      );
      if (!described.ok)
        return { ok: false, reason: described.absent ? `${described.code} on ${groupOp}` : described.reason };
      const v = described.value as {
        DBParameterGroups?: Array<{ DBParameterGroupFamily?: string }>;
        DBClusterParameterGroups?: Array<{ DBParameterGroupFamily?: string }>;
      };
      const family = (cluster ? v.DBClusterParameterGroups : v.DBParameterGroups)?.[0]
        ?.DBParameterGroupFamily;
      if (!family) return { ok: false, reason: `malformed response on ${groupOp} (no family for ${group})` };
      const defaultsOp = cluster
        ? "rds:DescribeEngineDefaultClusterParameters"
        : "rds:DescribeEngineDefaultParameters";
      const defaults = await ctx.paginate(
        defaultsOp,
        (Marker, abortSignal) =>
          cluster
            ? rds.send(
                new DescribeEngineDefaultClusterParametersCommand({
                  DBParameterGroupFamily: family,
                  Marker,
                  MaxRecords: 100,
                }),
                { abortSignal },
              )
            : rds.send(
                new DescribeEngineDefaultParametersCommand({
                  DBParameterGroupFamily: family,
                  Marker,
                  MaxRecords: 100,
                }),
                { abortSignal },
              ),
        (pg) => pg.EngineDefaults?.Parameters,
        (pg) => pg.EngineDefaults?.Marker,
      );
      if (!defaults.ok) return { ok: false, reason: defaults.reason };
      const def = findParam(defaults.items, param.name);
      if (def?.ParameterValue === undefined)
        return {
          ok: false,
          reason: `${param.name} has no value in group ${group} nor in the ${family} engine defaults`,
        };
      return { ok: true, value: param.on(def.ParameterValue) };
    })();
    groupCache.set(key, p);
    return p;
  }

  const clusterById = new Map<string, DBCluster>();
  if (clusters.ok)
    for (const c of clusters.items) if (c.DBClusterIdentifier) clusterById.set(c.DBClusterIdentifier, c);
  // A parameter group's stored values are in effect only once applied: a newly associated group, or a changed static
  // parameter, waits for a reboot, and until then the database may still accept plaintext.
  const notApplied = (what: string, status: string | undefined): Answer<boolean> | undefined =>
    status && status !== "in-sync"
      ? {
          ok: false,
          reason: `${what} is ${status}: whether its TLS setting is in effect is unknown until it is applied`,
        }
      : undefined;
  const clusterForceSsl = (c: DBCluster, member?: string): Promise<Answer<boolean>> => {
    if (!c.DBClusterParameterGroup)
      return Promise.resolve({
        ok: false,
        reason: `cluster ${c.DBClusterIdentifier} reports no cluster parameter group (rds:DescribeDBClusters)`,
      });
    for (const m of c.DBClusterMembers ?? []) {
      if (member !== undefined && m.DBInstanceIdentifier !== member) continue;
      const pending = notApplied(
        `cluster parameter group ${c.DBClusterParameterGroup} on member ${m.DBInstanceIdentifier}`,
        m.DBClusterParameterGroupStatus,
      );
      if (pending) return Promise.resolve(pending);
    }
    return resolveGroup(true, c.DBClusterParameterGroup, c.Engine ?? "");
  };

  const caExpiry = new Map<string, Date | undefined>();
  if (certificates.ok)
    for (const c of certificates.items as Certificate[])
      if (c.CertificateIdentifier) caExpiry.set(c.CertificateIdentifier, c.ValidTill);

  if (!instances.ok) ctx.listFailed(["aws.rds.db_instance"], instances.reason);
  else {
    await mapLimit(instances.items as DBInstance[], async (i) => {
      const b = ctx.doc(
        "aws.rds.db_instance",
        i.DBInstanceArn ??
          `arn:${ctx.partition}:rds:${ctx.region}:${ctx.account}:db:${i.DBInstanceIdentifier}`,
        i.DBInstanceIdentifier ?? "",
      );
      b.cite(instances.evidence[0]);
      const engine = i.Engine ?? "";
      b.set("engine", engine)
        .set("engineVersion", i.EngineVersion ?? "")
        .set("instanceClass", i.DBInstanceClass ?? "")
        .set("status", i.DBInstanceStatus ?? "")
        .set("clusterId", i.DBClusterIdentifier ?? null)
        .set("storageEncrypted", i.StorageEncrypted === true)
        .set(
          "parameterGroups",
          (i.DBParameterGroups ?? []).map((g) => g.DBParameterGroupName ?? "").filter(Boolean),
        )
        .set("publiclyAccessible", i.PubliclyAccessible === true)
        .set("backupRetentionDays", i.BackupRetentionPeriod ?? 0)
        .set("iamAuthEnabled", i.IAMDatabaseAuthenticationEnabled === true)
        .set("caCertificateIdentifier", i.CACertificateIdentifier ?? null);
      if (i.StorageEncrypted === undefined)
        b.miss("storageEncrypted", "malformed response on rds:DescribeDBInstances (no StorageEncrypted)");
      await ctx.setKey(b, i.StorageEncrypted ? i.KmsKeyId : undefined);

      let ssl: Answer<boolean>;
      if (i.DBClusterIdentifier) {
        // Cluster members take TLS enforcement from the cluster parameter group.
        const c = clusterById.get(i.DBClusterIdentifier);
        ssl = c
          ? await clusterForceSsl(c, i.DBInstanceIdentifier ?? "")
          : {
              ok: false,
              reason: clusters.ok
                ? `cluster ${i.DBClusterIdentifier} not returned by rds:DescribeDBClusters`
                : clusters.reason,
            };
      } else {
        const group = i.DBParameterGroups?.[0]?.DBParameterGroupName;
        ssl = group
          ? (notApplied(`DB parameter group ${group}`, i.DBParameterGroups?.[0]?.ParameterApplyStatus) ??
            (await resolveGroup(false, group, engine)))
          : { ok: false, reason: "rds:DescribeDBInstances reports no DB parameter group" };
      }
      if (ssl.ok) b.set("forceSsl", ssl.value);
      else b.miss("forceSsl", ssl.reason);

      if (!i.CACertificateIdentifier) b.set("caCertificateDaysUntilExpiry", null);
      else if (!certificates.ok) b.miss("caCertificateDaysUntilExpiry", certificates.reason);
      else {
        const till = caExpiry.get(i.CACertificateIdentifier);
        if (till)
          b.set("caCertificateDaysUntilExpiry", daysUntil(till, ctx.now)).cite(certificates.evidence[0]);
        else
          b.miss(
            "caCertificateDaysUntilExpiry",
            `CA ${i.CACertificateIdentifier} not returned by rds:DescribeCertificates`,
          );
      }
      ctx.emit(b);
    });
  }

  if (!clusters.ok) ctx.listFailed(["aws.rds.db_cluster"], clusters.reason);
  else {
    await mapLimit(clusters.items as DBCluster[], async (c) => {
      const b = ctx.doc(
        "aws.rds.db_cluster",
        c.DBClusterArn ??
          `arn:${ctx.partition}:rds:${ctx.region}:${ctx.account}:cluster:${c.DBClusterIdentifier}`,
        c.DBClusterIdentifier ?? "",
      );
      b.cite(clusters.evidence[0]);
      b.set("engine", c.Engine ?? "")
        .set("engineVersion", c.EngineVersion ?? "")
        .set("status", c.Status ?? "")
        .set("storageEncrypted", c.StorageEncrypted === true)
        .set("parameterGroup", c.DBClusterParameterGroup ?? null)
        .set("backupRetentionDays", c.BackupRetentionPeriod ?? 0)
        .set("iamAuthEnabled", c.IAMDatabaseAuthenticationEnabled === true)
        .set("deletionProtection", c.DeletionProtection === true)
        .set("members", (c.DBClusterMembers ?? []).map((m) => m.DBInstanceIdentifier ?? "").filter(Boolean));
      if (c.StorageEncrypted === undefined)
        b.miss("storageEncrypted", "malformed response on rds:DescribeDBClusters (no StorageEncrypted)");
      await ctx.setKey(b, c.StorageEncrypted ? c.KmsKeyId : undefined);
      const ssl = await clusterForceSsl(c);
      if (ssl.ok) b.set("forceSsl", ssl.value);
      else b.miss("forceSsl", ssl.reason);
      ctx.emit(b);
    });
  }

  // Instance and cluster snapshots share one type; either listing failing leaves an error document for the type.
  const snapshotLists: Array<[typeof snapshots | typeof clusterSnapshots, boolean]> = [
    [snapshots, false],
    [clusterSnapshots, true],
  ];
  for (const [list, cluster] of snapshotLists) {
    if (!list.ok) {
      ctx.listFailed(
        ["aws.rds.db_snapshot"],
        list.reason,
        ctx.region,
        cluster ? "cluster snapshots" : "instance snapshots",
      );
      continue;
    }
    await mapLimit(list.items as Array<DBSnapshot & DBClusterSnapshot>, async (s) => {
      const id = cluster ? s.DBClusterSnapshotIdentifier : s.DBSnapshotIdentifier;
      const arn =
        (cluster ? s.DBClusterSnapshotArn : s.DBSnapshotArn) ??
        `arn:${ctx.partition}:rds:${ctx.region}:${ctx.account}:${cluster ? "cluster-snapshot" : "snapshot"}:${id}`;
      const b = ctx.doc("aws.rds.db_snapshot", arn, id ?? "");
      b.cite(list.evidence[0]);
      const encrypted = cluster ? s.StorageEncrypted : s.Encrypted;
      b.set("engine", s.Engine ?? "")
        .set("snapshotType", s.SnapshotType ?? "")
        .set("sourceId", (cluster ? s.DBClusterIdentifier : s.DBInstanceIdentifier) ?? "")
        .set("encrypted", encrypted === true)
        .set("createdAt", iso(s.SnapshotCreateTime));
      if (encrypted === undefined)
        b.miss(
          "encrypted",
          `malformed response on rds:Describe${cluster ? "DBClusterSnapshots" : "DBSnapshots"}`,
        );
      await ctx.setKey(b, encrypted ? s.KmsKeyId : undefined);
      if (s.SnapshotType !== "manual")
        b.set("publiclyShared", false); // only manual snapshots can be shared
      else {
        const op = cluster ? "rds:DescribeDBClusterSnapshotAttributes" : "rds:DescribeDBSnapshotAttributes";
        const attrs = await ctx.call(op, (abortSignal) =>
          cluster
            ? rds.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: id }), {
                abortSignal,
              })
            : rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id }), {
                abortSignal,
              }),
        );
        if (!attrs.ok) b.miss("publiclyShared", attrs.absent ? `${attrs.code} on ${op}` : attrs.reason);
        else {
          const v = attrs.value as {
            DBSnapshotAttributesResult?: {
              DBSnapshotAttributes?: Array<{ AttributeName?: string; AttributeValues?: string[] }>;
            };
            DBClusterSnapshotAttributesResult?: {
              DBClusterSnapshotAttributes?: Array<{ AttributeName?: string; AttributeValues?: string[] }>;
            };
          };
          const list2 = cluster
            ? v.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes
            : v.DBSnapshotAttributesResult?.DBSnapshotAttributes;
          if (!list2) b.miss("publiclyShared", `malformed response on ${op}`);
          else
            b.set(
              "publiclyShared",
              list2.some((a) => a.AttributeName === "restore" && (a.AttributeValues ?? []).includes("all")),
            ).cite(attrs.evidence);
        }
      }
      ctx.emit(b);
    });
  }
}
