import { defineType } from "../define.js";

/** A network endpoint speaking TLS, as observed from handshakes. */
export default defineType("endpoint.tls", "A TLS endpoint observed by handshakes.", {
  host: { type: "string", description: "Host name or address that was connected to." },
  port: { type: "integer", minimum: 1, maximum: 65535, description: "TCP port." },
  sni: { type: ["string", "null"], description: "Server name sent in SNI." },
  protocols: {
    type: "array",
    items: { type: "string", enum: ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"] },
    description: "Protocol versions the server accepted.",
  },
  minProtocolVersion: { type: ["number", "null"], description: "Lowest accepted TLS version as a number (SSLv3 = 0.3)." },
  tls13Offered: { type: "boolean", description: "TLS 1.3 is accepted." },
  acceptedCipherSuites: { type: "array", items: { type: "string" }, description: "IANA names of accepted cipher suites." },
  weakCipherSuites: {
    type: "array",
    items: { type: "string" },
    description: "Accepted suites that are NULL, anonymous, export, RC4, DES or 3DES.",
  },
  allSuitesForwardSecret: { type: "boolean", description: "Every accepted suite uses an ephemeral key exchange." },
  dhMinBits: { type: ["integer", "null"], description: "Smallest finite-field DH group size seen, in bits; null when none." },
  ecdhMinBits: { type: ["integer", "null"], description: "Smallest ECDH curve size seen, in bits; null when none." },
  certificateTrusted: { type: "boolean", description: "The chain validates against the trust store (system or --ca-file)." },
  hostnameMatches: { type: "boolean", description: "The leaf certificate covers the expected host name." },
  certDaysUntilExpiry: { type: "integer", description: "Days until the leaf certificate expires (negative when expired)." },
  certLifetimeDays: { type: "integer", description: "Leaf validity period in days." },
  certKeyType: { type: "string", description: "Leaf key type: RSA, EC, Ed25519, DSA." },
  certKeyBits: { type: "integer", description: "Leaf key size in bits." },
  certSignatureAlgorithm: { type: "string", description: "Leaf signature algorithm, e.g. sha256WithRSAEncryption." },
  ocspStapled: { type: "boolean", description: "The server stapled an OCSP response." },
});
