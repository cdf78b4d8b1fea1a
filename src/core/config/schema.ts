import { SEVERITIES } from "../types.js";

/** JSON Schema of `cipherproof.config.json` / `.yaml`. */
export const CONFIG_SCHEMA = {
  $id: "urn:cipherproof:meta:config",
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    policies: {
      type: "object",
      additionalProperties: false,
      properties: {
        paths: { type: "array", items: { type: "string", minLength: 1 }, description: "Extra policy folders, relative to the config file." },
        builtin: { type: "boolean", description: "Load the built-in pack (default true)." },
        enable: { type: "array", items: { type: "string", minLength: 1 }, description: "Only these policy ids (globs allowed)." },
        disable: { type: "array", items: { type: "string", minLength: 1 }, description: "Policy ids (globs allowed) to leave out." },
        severity: {
          type: "object",
          additionalProperties: { enum: [...SEVERITIES] },
          description: "Severity overrides by policy id.",
        },
        parameters: {
          type: "object",
          additionalProperties: { type: "object" },
          description: "Parameter overrides: { policyId: { parameter: value } }.",
        },
      },
    },
    frameworks: { type: "array", items: { type: "string", minLength: 1 }, description: "Framework ids to report on (default: all)." },
    waivers: {
      type: "array",
      items: {
        type: "object",
        required: ["policy", "resource", "reason", "owner", "ticket", "expires"],
        additionalProperties: false,
        properties: {
          policy: { type: "string", minLength: 1, description: "Policy id (glob allowed)." },
          resource: { type: "string", minLength: 1, description: "Resource id or name pattern (glob: * and ?)." },
          reason: { type: "string", minLength: 1 },
          owner: { type: "string", minLength: 1 },
          ticket: { type: "string", minLength: 1 },
          expires: {
            type: "string",
            pattern: "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$",
            description: "Last day the waiver applies (YYYY-MM-DD, UTC) or an ISO 8601 timestamp.",
          },
        },
      },
    },
    failOn: { enum: [...SEVERITIES], description: "Lowest severity of a failure that makes the scan exit 1." },
    allowErrors: { type: "boolean", description: "Error findings do not change the exit code." },
    output: {
      type: "object",
      additionalProperties: false,
      properties: {
        dir: { type: "string", minLength: 1 },
        formats: { type: "array", items: { enum: ["console", "json"] } },
      },
    },
  },
} as const;
