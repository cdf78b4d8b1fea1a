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
  ],
  errors: [
    {
      name: "recording state absent: missing evidence is an error, not a pass or a fail",
      properties: { configRecorderExists: true, configRecordsAllSupported: true },
      failingProperties: ["configRecorderRecording"],
    },
    {
      properties: { configRecorderExists: true },
      missing: {
        configRecorderRecording: "AccessDenied on config:DescribeConfigurationRecorderStatus",
        configRecordsAllSupported: "AccessDenied on config:DescribeConfigurationRecorders",
      },
    },
  ],
});
