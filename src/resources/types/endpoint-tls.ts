import { defineType } from "../define.js";

/** A network endpoint speaking TLS, as observed from handshakes. */
export default defineType("endpoint.tls", "A TLS endpoint observed by handshakes.", {
  host: { type: "string", description: "Host name or address that was connected to." },
  port: { type: "integer", minimum: 1, maximum: 65535, description: "TCP port." },
  service: {
    type: "string",
    enum: ["https", "tls", "postgres", "smtp"],
    description:
      "How TLS was reached: directly (https, tls), after a PostgreSQL SSLRequest, or after SMTP STARTTLS.",
  },
  sni: {
    type: ["string", "null"],
    description: "Server name sent in SNI; null when none was sent (IP address targets).",
  },
  expectedHostname: { type: "string", description: "Host name the certificate must cover." },
  protocols: {
    type: "array",
    items: { type: "string", enum: ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"] },
    description:
      "Protocol versions the server accepted, from hand-built ClientHello messages (SSLv2: a SERVER-HELLO to an SSLv2 CLIENT-HELLO).",
  },
  minProtocolVersion: {
    type: ["number", "null"],
    description: "Lowest accepted TLS version as a number (SSLv2 = 0.2, SSLv3 = 0.3).",
  },
  tls13Offered: { type: "boolean", description: "TLS 1.3 is accepted." },
  acceptedCipherSuites: {
    type: "array",
    items: { type: "string" },
    description: "IANA names of accepted cipher suites (all protocol versions, no repeats).",
  },
  cipherSuites: {
    type: "array",
    description: "Every accepted suite per protocol version, in the order the server chose them.",
    items: {
      type: "object",
      properties: {
        protocol: { type: "string", description: "Protocol version the suite was accepted in." },
        iana: { type: "string", description: "IANA name." },
        openssl: { type: "string", description: "OpenSSL name." },
        code: { type: "string", description: "Code point, e.g. 0xC02F." },
        kx: {
          type: "string",
          description: "Key exchange (RSA, DHE, ECDHE, DH, ECDH, PSK..., any for TLS 1.3).",
        },
        auth: {
          type: "string",
          description: "Authentication (RSA, ECDSA, DSS, PSK, anon, any for TLS 1.3).",
        },
        enc: { type: "string", description: "Bulk cipher, e.g. AES_128_GCM." },
        encBits: { type: "integer", description: "Effective symmetric key bits." },
        mac: { type: "string", description: "MAC (AEAD, SHA1, SHA256, SHA384, MD5, NULL)." },
        forwardSecret: { type: "boolean", description: "The key exchange is ephemeral." },
        strength: {
          type: "string",
          enum: ["insecure", "weak", "strong"],
          description:
            "insecure: broken or unauthenticated; weak: no forward secrecy or not AEAD; strong: ephemeral and AEAD.",
        },
        weaknesses: {
          type: "array",
          items: { type: "string" },
          description: "NULL, anonymous, export, RC4, DES, 3DES, RC2, IDEA, MD5.",
        },
        group: {
          type: ["string", "null"],
          description: "Key-exchange group used with this suite (x25519, secp256r1, ffdhe2048, dh1024...).",
        },
        groupBits: {
          type: ["integer", "null"],
          description: "Size of that group in bits (X25519 counts as 256).",
        },
      },
    },
  },
  weakCipherSuites: {
    type: "array",
    items: { type: "string" },
    description: "Accepted suites that are NULL, anonymous, export, RC4, DES, 3DES (or RC2, IDEA, MD5-MAC).",
  },
  nonForwardSecretCipherSuites: {
    type: "array",
    items: { type: "string" },
    description: "Accepted suites without an ephemeral key exchange.",
  },
  allSuitesForwardSecret: {
    type: "boolean",
    description: "Every accepted suite uses an ephemeral key exchange.",
  },
  keyExchangeGroups: {
    type: "array",
    items: { type: "string" },
    description:
      "Key-exchange groups seen in handshakes: named groups (x25519, secp256r1, ffdhe2048...) and custom DH groups as dh<bits>.",
  },
  dhMinBits: {
    type: ["integer", "null"],
    description: "Smallest finite-field DH group size seen, in bits; null when no suite uses DH.",
  },
  ecdhMinBits: {
    type: ["integer", "null"],
    description: "Smallest ECDH curve size seen, in bits (X25519 = 256); null when no suite uses ECDH.",
  },
  serverCipherPreference: {
    type: ["boolean", "null"],
    description:
      "The server's suite order wins over the client's (in every version with two or more suites); null when no version has two suites.",
  },
  handshakes: { type: "integer", description: "Raw handshakes (ClientHello probes) the scan used." },
  certificateTrusted: {
    type: "boolean",
    description:
      "The chain validates against the trust store (system or --ca-file), including validity dates.",
  },
  certificateTrustError: {
    type: ["string", "null"],
    description: "Why the chain did not validate (OpenSSL error code); null when trusted.",
  },
  hostnameMatches: { type: "boolean", description: "The leaf certificate covers the expected host name." },
  certSubject: { type: "string", description: "Leaf certificate subject." },
  certIssuer: { type: "string", description: "Leaf certificate issuer." },
  certNotAfter: { type: "string", description: "Leaf expiry, ISO 8601." },
  certDaysUntilExpiry: {
    type: "integer",
    description: "Days until the leaf certificate expires (negative when expired).",
  },
  certLifetimeDays: {
    type: "integer",
    description:
      "Leaf validity period in days, notBefore through notAfter inclusive (RFC 5280), a part of a day counted as a day (CA/Browser Forum BR 6.3.2).",
  },
  certKeyType: { type: "string", description: "Leaf key type: RSA, RSA-PSS, EC, Ed25519, Ed448, DSA." },
  certKeyBits: { type: "integer", description: "Leaf key size in bits (EC: curve size)." },
  certKeyCurve: {
    type: ["string", "null"],
    description:
      "Named curve of an EC leaf key, OpenSSL name (prime256v1, secp384r1, secp256k1...); null for other keys.",
  },
  certSignatureAlgorithm: {
    type: "string",
    description: "Leaf signature algorithm, e.g. sha256WithRSAEncryption.",
  },
  certSignatureHash: {
    type: "string",
    description:
      "Hash used by the leaf signature: md5, sha1, sha224, sha256, sha384, sha512 (sha512 for Ed25519, shake256 for Ed448).",
  },
  certFingerprintSha256: { type: "string", description: "SHA-256 fingerprint of the leaf certificate." },
  certificates: {
    type: "array",
    description:
      "Every leaf certificate the server presented: the one it prefers, then one of the other key type when it holds both (an ECDSA and an RSA certificate). With two, the cert* facts policies judge are the worse of the two, and certSubject, certIssuer and certFingerprintSha256 are the first's; this list says which certificate each fact came from.",
    items: {
      type: "object",
      properties: {
        subject: { type: "string", description: "Subject." },
        issuer: { type: "string", description: "Issuer." },
        subjectAltNames: { type: "array", items: { type: "string" }, description: "subjectAltName entries." },
        notBefore: { type: "string", description: "Start of validity, ISO 8601." },
        notAfter: { type: "string", description: "Expiry, ISO 8601." },
        lifetimeDays: {
          type: "integer",
          description:
            "Validity period in days, counted as certLifetimeDays is (notBefore through notAfter inclusive).",
        },
        keyType: { type: "string", description: "RSA, RSA-PSS, EC, Ed25519, Ed448, DSA." },
        keyBits: { type: "integer", description: "Key size in bits (EC: curve size)." },
        signatureHash: { type: "string", description: "Hash of the certificate's signature." },
        trusted: { type: "boolean", description: "The chain validates." },
        hostnameMatches: { type: "boolean", description: "It covers the expected host name." },
        fingerprintSha256: { type: "string", description: "SHA-256 fingerprint." },
      },
    },
  },
  ocspStapled: { type: "boolean", description: "The server stapled an OCSP response." },
});
