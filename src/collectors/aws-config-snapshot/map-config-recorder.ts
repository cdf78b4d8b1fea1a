import { regionKey } from "./context.js";
import { configurationOf } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";

/** AWS::Config::ConfigurationRecorder: not a document of its own; fills the recorder facts of its account and region. */
export const configRecorder: ConfigTypeHandler = {
  configType: "AWS::Config::ConfigurationRecorder",
  index(item, ctx) {
    const c = configurationOf(item);
    const group = c.obj("RecordingGroup");
    const allSupported = group?.bool("AllSupported");
    const strategy = group?.obj("RecordingStrategy")?.str("UseOnly");
    ctx.recorders.set(regionKey(item.accountId, item.awsRegion), {
      recording: c.bool("Recording") ?? null,
      allSupported:
        allSupported === true || strategy === "ALL_SUPPORTED_RESOURCE_TYPES"
          ? true
          : allSupported === false || typeof strategy === "string"
            ? false
            : null,
      includeGlobal: group?.bool("IncludeGlobalResourceTypes") ?? null,
    });
  },
};
