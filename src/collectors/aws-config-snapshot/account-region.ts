import type { EvidenceRef, ResourceDocument } from "../../core/types.js";
import { RESOURCE_TYPES } from "../../resources/index.js";
import { partitionOfRegion } from "../aws-partition.js";
import { chooseRecorder } from "../config-recorder-choice.js";
import { type MapContext, regionKey } from "./context.js";
import { REASON } from "./document.js";
import type { ConfigItem } from "./parse.js";

const NO_RECORDER_ITEM =
  "no AWS::Config::ConfigurationRecorder item for this account and region is in the loaded snapshots (use --aws)";

/**
 * One aws.account.region document per (account, region) that any loaded item belongs to. EBS default encryption
 * and the delivery channel are never in a snapshot; the recorder facts come from an AWS::Config::ConfigurationRecorder
 * item when one was loaded. Global resources (awsRegion "global") belong to no region.
 */
export function accountRegionDocuments(items: readonly ConfigItem[], ctx: MapContext): ResourceDocument[] {
  const groups = new Map<string, { account: string; region: string; items: ConfigItem[] }>();
  for (const item of items) {
    if (!item.accountId || !item.awsRegion || item.awsRegion === "global") continue;
    const key = regionKey(item.accountId, item.awsRegion);
    const g = groups.get(key) ?? { account: item.accountId, region: item.awsRegion, items: [] };
    g.items.push(item);
    groups.set(key, g);
  }
  const schema = RESOURCE_TYPES["aws.account.region"];
  const out: ResourceDocument[] = [];
  for (const [key, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const properties: Record<string, unknown> = {};
    const missing: Record<string, string> = {};
    const recorder = chooseRecorder(ctx.recorders.get(key) ?? []);
    const fromRecorder: Record<string, boolean | null | undefined> = {
      configRecorderExists: recorder ? true : undefined,
      configRecorderRecording: recorder?.recording,
      configRecordsAllSupported: recorder?.allSupported,
      configIncludesGlobalResources: recorder?.includeGlobal,
    };
    for (const name of Object.keys(schema.properties)) {
      const v = fromRecorder[name];
      if (typeof v === "boolean") properties[name] = v;
      else if (name in fromRecorder)
        missing[name] = recorder
          ? (recorder.conflict ?? `not in the recorder's configuration item: ${REASON.notInItem}`)
          : NO_RECORDER_ITEM;
      else missing[name] = REASON.notInSnapshot;
    }
    const evidence: EvidenceRef[] = [];
    const seen = new Set<string>();
    for (const item of g.items) {
      const k = `${item.source.call}|${item.source.name}|${item.source.sha256}`;
      if (seen.has(k)) continue;
      seen.add(k);
      evidence.push({ call: item.source.call, file: item.source.name, sha256: item.source.sha256 });
    }
    const times = g.items
      .map((i) => i.captureTime)
      .filter((t): t is string => typeof t === "string")
      .sort();
    out.push({
      type: "aws.account.region",
      // The same id the live collector gives the document, so runs from either source can be compared.
      id: `arn:${partitionOfRegion(g.region)}::${g.region}:${g.account}:account-region`,
      name: `${g.account}/${g.region}`,
      provider: "aws",
      account: g.account,
      region: g.region,
      source: "aws-config-snapshot",
      collectedAt: times.at(-1) ?? ctx.now.toISOString(),
      properties,
      missing,
      evidence,
    });
  }
  return out;
}
