import { defineType } from "../define.js";

/** IAM user (the access-key facts a Config snapshot cannot carry are marked missing). */
export default defineType("aws.iam.user", "An IAM user.", {
  userName: { type: "string", description: "User name." },
  createDate: { type: ["string", "null"], description: "When the user was created (ISO 8601)." },
  activeAccessKeyCount: { type: "integer", minimum: 0, description: "Number of active access keys." },
  oldestActiveAccessKeyAgeDays: {
    type: ["integer", "null"],
    description: "Age in days of the oldest active access key; null when the user has none.",
  },
});
