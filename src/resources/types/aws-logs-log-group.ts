import { common, defineType } from "../define.js";

/** Amazon CloudWatch Logs log group. */
export default defineType("aws.logs.log_group", "An Amazon CloudWatch Logs log group.", {
  kmsKeyId: common.kmsKeyId,
  retentionDays: {
    type: ["integer", "null"],
    description: "Retention in days; null when events never expire.",
  },
  storedBytes: { type: ["integer", "null"], description: "Stored bytes." },
  creationTime: { type: ["string", "null"], description: "Creation time (ISO 8601)." },
  logGroupClass: { type: ["string", "null"], description: "STANDARD, INFREQUENT_ACCESS or DELIVERY." },
});
