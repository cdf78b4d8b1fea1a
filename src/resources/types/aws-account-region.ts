import { defineType } from "../define.js";

/** Per-account, per-region settings (EBS default encryption, AWS Config recorder). */
export default defineType(
  "aws.account.region",
  "Account-wide settings in one region: EBS encryption by default and the AWS Config recorder.",
  {
    ebsEncryptionByDefault: { type: "boolean", description: "New EBS volumes are encrypted by default." },
    ebsDefaultKmsKeyId: { type: ["string", "null"], description: "Default KMS key for EBS encryption." },
    configRecorderExists: { type: "boolean", description: "An AWS Config configuration recorder exists." },
    configRecorderRecording: { type: "boolean", description: "The configuration recorder is recording." },
    configRecordsAllSupported: {
      type: "boolean",
      description:
        "The recorder records all supported resource types (allSupported=true, or ALL_SUPPORTED_RESOURCE_TYPES strategy).",
    },
    configIncludesGlobalResources: {
      type: "boolean",
      description: "The recorder includes global resources such as IAM.",
    },
    configDeliveryChannelExists: { type: "boolean", description: "A Config delivery channel exists." },
    configLastStatus: {
      type: ["string", "null"],
      description: "Last recorder status: SUCCESS, FAILURE or PENDING.",
    },
  },
);
