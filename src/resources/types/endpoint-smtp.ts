import { defineType } from "../define.js";

/** An SMTP server probed for STARTTLS. */
export default defineType("endpoint.smtp", "An SMTP server: STARTTLS advertised and working.", {
  host: { type: "string", description: "Host name or address." },
  port: { type: "integer", minimum: 1, maximum: 65535, description: "TCP port." },
  starttlsAdvertised: { type: "boolean", description: "EHLO lists STARTTLS." },
  starttlsWorks: {
    type: "boolean",
    description: "STARTTLS was accepted and a TLS handshake completed after it.",
  },
  capabilities: { type: "array", items: { type: "string" }, description: "EHLO capability lines." },
});
