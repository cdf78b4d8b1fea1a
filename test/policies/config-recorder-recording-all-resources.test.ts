import { runPolicyTests } from "../support/policy-tester.js";

const ok = { configRecorderExists: true, configRecorderRecording: true, configRecordsAllSupported: true };

runPolicyTests("config-recorder-recording-all-resources", {
  valid: [
    {
      properties: {
        ...ok,
        configIncludesGlobalResources: true,
        configDeliveryChannelExists: true,
        configLastStatus: "SUCCESS",
      },
    },
  ],
  invalid: [
    {
      name: "no recorder at all",
      properties: {
        configRecorderExists: false,
        configRecorderRecording: false,
        configRecordsAllSupported: false,
      },
      failingProperties: ["configRecorderExists", "configRecorderRecording", "configRecordsAllSupported"],
    },
    {
      name: "recorder stopped",
      properties: { ...ok, configRecorderRecording: false },
      failingProperties: ["configRecorderRecording"],
    },
    {
      name: "recorder limited to some resource types",
      properties: { ...ok, configRecordsAllSupported: false },
      failingProperties: ["configRecordsAllSupported"],
    },
    {
      name: "recording state absent is a failure, not a pass",
      properties: { configRecorderExists: true, configRecordsAllSupported: true },
      failingProperties: ["configRecorderRecording"],
    },
  ],
  errors: [
    {
      properties: { configRecorderExists: true },
      missing: {
        configRecorderRecording: "AccessDenied on config:DescribeConfigurationRecorderStatus",
        configRecordsAllSupported: "AccessDenied on config:DescribeConfigurationRecorders",
      },
    },
  ],
});
