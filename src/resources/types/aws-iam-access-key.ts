import { defineType } from "../define.js";

/** IAM user access key (the secret is never read; the key id is shown by its last four characters only). */
export default defineType("aws.iam.access_key", "An IAM user's access key.", {
  userName: { type: "string", description: "The IAM user owning the key." },
  keyIdSuffix: { type: "string", description: "Last four characters of the access key id." },
  status: { type: "string", enum: ["Active", "Inactive", "Expired"], description: "Key status." },
  ageDays: { type: "integer", minimum: 0, description: "Whole days since the key was created." },
  daysSinceLastUsed: { type: ["integer", "null"], description: "Days since last use; null when never used." },
});
