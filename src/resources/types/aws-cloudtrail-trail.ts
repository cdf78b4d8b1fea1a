import { common, defineType } from "../define.js";

/** AWS CloudTrail trail. */
export default defineType("aws.cloudtrail.trail", "An AWS CloudTrail trail.", {
  homeRegion: { type: "string", description: "Region where the trail was created." },
  isMultiRegionTrail: { type: "boolean", description: "The trail logs events in every region." },
  isOrganizationTrail: { type: "boolean", description: "The trail logs every account of the organization." },
  isLogging: { type: "boolean", description: "The trail is currently logging (GetTrailStatus)." },
  logFileValidationEnabled: {
    type: "boolean",
    description: "Log file integrity validation (digest files) is on.",
  },
  kmsKeyId: common.kmsKeyId,
  includeGlobalServiceEvents: {
    type: "boolean",
    description: "Global service events (IAM, STS) are included.",
  },
  recordsManagementEvents: {
    type: "boolean",
    description: "Event selectors record read and write management events, with no event source excluded.",
  },
  s3BucketName: { type: ["string", "null"], description: "Bucket that receives log files." },
  cloudWatchLogsLogGroupArn: {
    type: ["string", "null"],
    description: "Log group that receives events, if any.",
  },
});
