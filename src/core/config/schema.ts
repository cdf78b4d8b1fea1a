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
        paths: {
          type: "array",
          items: { type: "string", minLength: 1 },
          description: "Extra policy folders, relative to the config file.",
        },
        builtin: { type: "boolean", description: "Load the built-in pack (default true)." },
        enable: {
          type: "array",
          items: { type: "string", minLength: 1 },
          description: "Only these policy ids (globs allowed).",
        },
        disable: {
          type: "array",
          items: { type: "string", minLength: 1 },
          description: "Policy ids (globs allowed) to leave out.",
        },
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
    frameworks: {
      type: "array",
      items: { type: "string", minLength: 1 },
      description: "Framework ids to report on (default: all).",
    },
    waivers: {
      type: "array",
      items: {
        type: "object",
        required: ["policy", "resource", "reason", "owner", "ticket", "expires"],
        additionalProperties: false,
        properties: {
          policy: { type: "string", minLength: 1, description: "Policy id (glob allowed)." },
          resource: {
            type: "string",
            minLength: 1,
            description: "Resource id or name pattern (glob: * and ?).",
          },
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
    failOn: {
      enum: [...SEVERITIES],
      description: "Lowest severity of a failure that makes the scan exit 1.",
    },
    allowErrors: { type: "boolean", description: "Error findings do not change the exit code." },
    output: {
      type: "object",
      additionalProperties: false,
      properties: {
        dir: { type: "string", minLength: 1 },
        formats: {
          type: "array",
          items: { enum: ["console", "json", "html", "md", "csv", "sarif", "junit", "evidence"] },
        },
      },
    },
    siem: {
      type: "object",
      additionalProperties: false,
      description:
        "SIEM delivery (docs/siem.md): targets FORMAT@SINK, which findings, spool folder, TLS files.",
      properties: {
        targets: {
          type: "array",
          items: {
            // One schema for both shapes: `pattern` applies to strings only, the object keywords to objects only,
            // so an error names the bad field instead of quoting the whole target (which could hold a pasted secret).
            type: ["string", "object"],
            pattern: "^[a-z0-9]+@.+$",
            required: ["target"],
            additionalProperties: false,
            properties: {
              target: {
                type: "string",
                pattern: "^[a-z0-9]+@.+$",
                description: "FORMAT@SINK, e.g. ocsf@hec:https://splunk:8088",
              },
              tokenEnv: {
                type: "string",
                pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
                description: "Env var holding the HEC token.",
              },
              apiKeyEnv: {
                type: "string",
                pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
                description: "Env var holding the Elastic API key.",
              },
              index: { type: "string", minLength: 1 },
              source: { type: "string", minLength: 1 },
              sourcetype: { type: "string", minLength: 1 },
              ack: { type: "boolean", description: "Wait for HEC indexer acknowledgement." },
              ackTimeoutMs: { type: "integer", minimum: 1 },
              ackPollMs: { type: "integer", minimum: 1 },
              batchEvents: { type: "integer", minimum: 1 },
              batchBytes: { type: "integer", minimum: 1024 },
              timeoutMs: { type: "integer", minimum: 1 },
              retry: {
                type: "object",
                additionalProperties: false,
                properties: {
                  attempts: { type: "integer", minimum: 1, maximum: 100 },
                  baseDelayMs: { type: "integer", minimum: 0 },
                  maxDelayMs: { type: "integer", minimum: 0 },
                },
              },
              caFile: { type: "string", minLength: 1 },
              clientCert: { type: "string", minLength: 1 },
              clientKey: { type: "string", minLength: 1 },
              facility: { type: "integer", minimum: 0, maximum: 23 },
              enterpriseId: { type: "integer", minimum: 1 },
            },
          },
        },
        events: {
          enum: ["failures", "all"],
          description: "failures (fail and error findings, default) or all findings.",
        },
        spoolDir: {
          type: "string",
          minLength: 1,
          description: "Spool folder (default OUT/.spool), relative to the config file.",
        },
        caFile: {
          type: "string",
          minLength: 1,
          description: "CA bundle for private SIEM CAs, relative to the config file.",
        },
        clientCert: { type: "string", minLength: 1 },
        clientKey: { type: "string", minLength: 1 },
      },
    },
  },
} as const;
