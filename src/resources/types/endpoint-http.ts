import { defineType } from "../define.js";

/** An HTTP(S) endpoint: HSTS on HTTPS, redirect-or-refuse on plain HTTP. */
export default defineType("endpoint.http", "An HTTP or HTTPS endpoint observed by a real request.", {
  url: { type: "string", description: "URL that was requested." },
  scheme: {
    type: "string",
    enum: ["https", "http"],
    description: "https for TLS endpoints, http for plain-HTTP endpoints.",
  },
  host: { type: "string", description: "Host name or address." },
  port: { type: "integer", minimum: 1, maximum: 65535, description: "TCP port." },
  statusCode: {
    type: ["integer", "null"],
    description: "HTTP status of the response; null when the connection was refused.",
  },
  hstsMaxAgeSeconds: {
    type: ["integer", "null"],
    description:
      "max-age of the Strict-Transport-Security header, in seconds; null when the header is absent or has no valid max-age (https only).",
  },
  hstsIncludeSubDomains: { type: "boolean", description: "The HSTS header has includeSubDomains." },
  hstsPreload: { type: "boolean", description: "The HSTS header has preload." },
  plaintextOutcome: {
    type: ["string", "null"],
    enum: ["redirects-to-https", "redirects-elsewhere", "served", "refused", null],
    description:
      "What plain HTTP does (http only): redirects to an https:// URL, redirects elsewhere, serves content, or refuses the connection.",
  },
  redirectLocation: {
    type: ["string", "null"],
    description: "Location header of a redirect; null when none.",
  },
});
