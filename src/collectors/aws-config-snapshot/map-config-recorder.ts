import { type RecorderInfo, regionKey } from "./context.js";
import { configurationOf } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";

/**
 * AWS::Config::ConfigurationRecorder: not a document of its own; adds a recorder to its account and region, whose
 * document takes its facts from the recorder `chooseRecorder` picks.
 */
export const configRecorder: ConfigTypeHandler = {
  configType: "AWS::Config::ConfigurationRecorder",
  index(item, ctx) {
    const c = configurationOf(item);
    const group = c.obj("RecordingGroup");
    const allSupported = group?.bool("AllSupported");
    const strategy = group?.obj("RecordingStrategy")?.str("UseOnly");
    const info: RecorderInfo = {
      id: item.resourceId,
      recording: c.bool("Recording") ?? null,
      allSupported:
        allSupported === true || strategy === "ALL_SUPPORTED_RESOURCE_TYPES"
          ? true
          : allSupported === false || typeof strategy === "string"
            ? false
            : null,
      includeGlobal: group?.bool("IncludeGlobalResourceTypes") ?? null,
    };
    const key = regionKey(item.accountId, item.awsRegion);
    const list = ctx.recorders.get(key) ?? [];
    ctx.recorders.set(key, list);
    // Only the latest items of each recorder reach here, so a second item of the same recorder is a tie in capture
    // time: if the two disagree, which one is current is unknown.
    const i = list.findIndex((r) => r.id === info.id);
    if (i === -1) list.push(info);
    else if (!sameFacts(list[i], info))
      list[i] = {
        id: info.id,
        recording: null,
        allSupported: null,
        includeGlobal: null,
        conflict: `AWS::Config::ConfigurationRecorder items of recorder ${info.id} captured at the same time disagree; which is current is unknown`,
      };
  },
};

function sameFacts(a: RecorderInfo, b: RecorderInfo): boolean {
  return (
    a.conflict === undefined &&
    a.recording === b.recording &&
    a.allSupported === b.allSupported &&
    a.includeGlobal === b.includeGlobal
  );
}
