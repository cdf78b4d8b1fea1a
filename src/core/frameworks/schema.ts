/** JSON Schema for `policies/frameworks/<id>.json`. */
export const FRAMEWORK_SCHEMA = {
  $id: "urn:cipherproof:meta:framework",
  type: "object",
  required: ["id", "title", "version", "controls"],
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    id: { type: "string", pattern: "^[a-z0-9]+(-[a-z0-9]+)*$" },
    title: { type: "string", minLength: 1 },
    version: { type: "string", minLength: 1 },
    url: { type: "string", format: "uri" },
    description: { type: "string" },
    controls: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["id", "title", "summary", "policies"],
        additionalProperties: false,
        properties: {
          id: { type: "string", minLength: 1 },
          title: { type: "string", minLength: 1 },
          summary: { type: "string", minLength: 1 },
          policies: { type: "array", items: { type: "string" }, uniqueItems: true },
          manualEvidence: {
            type: "string",
            minLength: 1,
            description:
              "What an auditor will ask for that no scan can show; present when automated evidence is not enough.",
          },
        },
      },
    },
  },
} as const;

/** One control of a framework. */
export interface FrameworkControl {
  id: string;
  title: string;
  summary: string;
  policies: string[];
  manualEvidence?: string;
}

/** A compliance framework as data. */
export interface Framework {
  id: string;
  title: string;
  version: string;
  url?: string;
  description?: string;
  controls: FrameworkControl[];
}
