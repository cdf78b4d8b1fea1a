import { CATEGORIES, SEVERITIES } from "../types.js";

/** JSON Schema every policy file must satisfy before its `when` and `assert` are compiled. */
export const POLICY_META_SCHEMA = {
  $id: "urn:cipherproof:meta:policy",
  type: "object",
  required: [
    "id",
    "title",
    "category",
    "severity",
    "resourceType",
    "description",
    "rationale",
    "remediation",
    "assert",
    "message",
  ],
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    id: {
      type: "string",
      pattern: "^[a-z0-9]+(-[a-z0-9]+)*$",
      description: "kebab-case <service>-<resource>-<compliant-state>; equals the file name.",
    },
    version: { type: "string", pattern: "^\\d+\\.\\d+(\\.\\d+)?$" },
    title: { type: "string", minLength: 5 },
    category: { enum: [...CATEGORIES] },
    severity: { enum: [...SEVERITIES] },
    resourceType: { type: "string", pattern: "^[a-z0-9_]+(\\.[a-z0-9_]+)+$" },
    description: { type: "string", minLength: 1 },
    rationale: { type: "string", minLength: 1 },
    remediation: { type: "string", minLength: 1 },
    references: { type: "array", items: { type: "string", format: "uri" } },
    parameters: {
      type: "object",
      propertyNames: { pattern: "^[a-zA-Z][a-zA-Z0-9]*$" },
      additionalProperties: {
        type: "object",
        required: ["type", "default"],
        additionalProperties: false,
        properties: {
          type: { enum: ["integer", "number", "string", "boolean", "array"] },
          description: { type: "string" },
          default: {},
          minimum: { type: "number" },
          maximum: { type: "number" },
          enum: { type: "array", minItems: 1 },
          items: { type: "object" },
        },
      },
    },
    when: { type: "object" },
    assert: { type: "object" },
    message: { type: "string", minLength: 1 },
  },
} as const;
