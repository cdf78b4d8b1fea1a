import { defineType } from "../define.js";

/** A PostgreSQL server probed with SSLRequest and a plaintext StartupMessage. */
export default defineType(
  "endpoint.postgres",
  "A PostgreSQL server: TLS support and whether it refuses plaintext connections.",
  {
    host: { type: "string", description: "Host name or address." },
    port: { type: "integer", minimum: 1, maximum: 65535, description: "TCP port." },
    database: { type: "string", description: "Database named in the plaintext StartupMessage." },
    user: {
      type: "string",
      description: "User named in the plaintext StartupMessage (decides which pg_hba.conf rules apply).",
    },
    sslSupported: { type: "boolean", description: "The server answered S to an SSLRequest." },
    plaintextRefused: {
      type: "boolean",
      description:
        "A StartupMessage without TLS was refused (ErrorResponse 28000, e.g. no pg_hba.conf entry ... no encryption); false when the server asked for authentication.",
    },
    plaintextResponse: {
      type: "string",
      description: "What the server answered to the plaintext StartupMessage.",
    },
  },
);
