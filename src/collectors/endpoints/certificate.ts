import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import {
  type ConnectionOptions,
  type PeerCertificate,
  rootCertificates,
  type TLSSocket,
  connect as tlsConnect,
} from "node:tls";
import { RESET, type Wire, WireTimeout } from "./net.js";
import type { Opener } from "./tls-probe.js";

/** What a full handshake shows about the server's certificate. */
export interface CertificateFacts {
  trusted: boolean;
  /** OpenSSL's verification error when not trusted (e.g. DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED). */
  trustError: string | null;
  hostnameMatches: boolean;
  hostnameError: string | null;
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  notBefore: string;
  notAfter: string;
  daysUntilExpiry: number;
  lifetimeDays: number;
  keyType: string;
  keyBits: number;
  keyCurve: string | null;
  signatureAlgorithm: string;
  signatureHash: string;
  ocspStapled: boolean;
  fingerprintSha256: string;
  /** Protocol of the handshake that fetched the certificate. */
  protocol: string;
  chainLength: number;
}

/**
 * The result of fetching a certificate: facts, or why there are none. `otherKeyTypeUnknown` says why the handshake
 * for a certificate of the other key type gave no answer (resets, a timeout): the facts are then those of the first
 * certificate only, and a second one the server may hold could be worse.
 */
export type CertificateResult =
  | {
      ok: true;
      facts: CertificateFacts;
      /** Each certificate seen, the server's choice first (two when it holds one of each key type). */
      seen?: CertificateFacts[];
      otherKeyTypeUnknown?: string;
    }
  | {
      ok: false;
      reason: string;
      /**
       * How the handshake ended, where it tells a refusal from no answer: a TLS alert or a clean close (FIN) is the
       * server's answer; a reset, a failed connection or the timeout is not.
       */
      cause?: "alert" | "fin" | "reset" | "connect" | "timeout";
    };

/** Certificate facts a second certificate can make worse (`worseOf`): unknown while that certificate is. */
export const MERGED_FACTS = [
  "trusted",
  "trustError",
  "hostnameMatches",
  "hostnameError",
  "notAfter",
  "daysUntilExpiry",
  "lifetimeDays",
  "keyType",
  "keyBits",
  "keyCurve",
  "signatureAlgorithm",
  "signatureHash",
] as const satisfies ReadonlyArray<keyof CertificateFacts>;

const SIG_OIDS: Record<string, [string, string]> = {
  "1.2.840.113549.1.1.2": ["md2WithRSAEncryption", "md2"],
  "1.2.840.113549.1.1.4": ["md5WithRSAEncryption", "md5"],
  "1.2.840.113549.1.1.5": ["sha1WithRSAEncryption", "sha1"],
  "1.2.840.113549.1.1.11": ["sha256WithRSAEncryption", "sha256"],
  "1.2.840.113549.1.1.12": ["sha384WithRSAEncryption", "sha384"],
  "1.2.840.113549.1.1.13": ["sha512WithRSAEncryption", "sha512"],
  "1.2.840.113549.1.1.14": ["sha224WithRSAEncryption", "sha224"],
  "1.2.840.10045.4.1": ["ecdsa-with-SHA1", "sha1"],
  "1.2.840.10045.4.3.1": ["ecdsa-with-SHA224", "sha224"],
  "1.2.840.10045.4.3.2": ["ecdsa-with-SHA256", "sha256"],
  "1.2.840.10045.4.3.3": ["ecdsa-with-SHA384", "sha384"],
  "1.2.840.10045.4.3.4": ["ecdsa-with-SHA512", "sha512"],
  "1.2.840.10040.4.3": ["dsa-with-SHA1", "sha1"],
  "2.16.840.1.101.3.4.3.2": ["dsa-with-SHA256", "sha256"],
  "1.3.101.112": ["ED25519", "sha512"],
  "1.3.101.113": ["ED448", "shake256"],
};
const HASH_OIDS: Record<string, string> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
  "2.16.840.1.101.3.4.2.4": "sha224",
};

interface Tlv {
  tag: number;
  start: number;
  end: number;
}
function tlv(b: Buffer, at: number): Tlv {
  const tag = b[at];
  let len = b[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i];
    start += n;
  }
  if (start + len > b.length) throw new Error("DER truncated");
  return { tag, start, end: start + len };
}
function oid(b: Buffer): string {
  const parts = [Math.floor(b[0] / 40), b[0] % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

/**
 * A certificate's validity period in days as the CA/Browser Forum Baseline Requirements count it: the period runs from
 * notBefore through notAfter inclusive (RFC 5280 §4.1.2.5, so one second longer than their difference), and any part
 * of a day counts as a day (BR 6.3.2). A certificate whose notAfter is exactly 398 days after its notBefore is valid
 * for 398 days and one second, which is over a 398-day limit; that is why 90-day CAs end a certificate one second
 * before the 90th day.
 */
export function lifetimeDays(notBefore: Date, notAfter: Date): number {
  return Math.ceil((notAfter.getTime() - notBefore.getTime() + 1000) / DAY);
}

/**
 * Why a certificate does not cover a host name, or undefined when it does. Only subjectAltName entries count, never
 * the Common Name (RFC 9525 §6.3, Chrome 58+, Go 1.15+), even when the subjectAltName holds no DNS name; a wildcard
 * must be the whole left-most label and covers exactly one label (RFC 9525 §6.3: no "w*.example.com"). An IP
 * address matches only an IP Address entry. Exported for tests.
 */
export function hostnameMismatch(x509: X509Certificate, hostname: string): Error | undefined {
  if (isIP(hostname)) {
    return x509.checkIP(hostname)
      ? undefined
      : new Error(`${hostname} is not an IP Address entry of the certificate's subjectAltName`);
  }
  const matched = x509.checkHost(hostname, {
    subject: "never",
    wildcards: true,
    partialWildcards: false,
    multiLabelWildcards: false,
    singleLabelSubdomains: false,
  });
  if (matched) return undefined;
  return new Error(
    x509.subjectAltName
      ? `${hostname} is not covered by the certificate's subjectAltName (${x509.subjectAltName}); the Common Name is not used (RFC 9525 §6.3)`
      : `the certificate has no subjectAltName; its Common Name is not used to match ${hostname} (RFC 9525 §6.3)`,
  );
}

/** Name and hash of a DER certificate's signature algorithm (exported for tests). */
export function signatureAlgorithm(der: Buffer): { name: string; hash: string } {
  const cert = tlv(der, 0);
  const tbs = tlv(der, cert.start);
  const alg = tlv(der, tbs.end);
  const id = tlv(der, alg.start);
  const o = oid(der.subarray(id.start, id.end));
  if (o === "1.2.840.113549.1.1.10") {
    // RSASSA-PSS: the hash is in the parameters ([0] hashAlgorithm), SHA-1 when absent.
    let hash = "sha1";
    if (id.end < alg.end) {
      const params = tlv(der, id.end);
      if (params.start < params.end && der[params.start] === 0xa0) {
        const h0 = tlv(der, params.start);
        const hAlg = tlv(der, h0.start);
        const hOid = tlv(der, hAlg.start);
        hash = HASH_OIDS[oid(der.subarray(hOid.start, hOid.end))] ?? "unknown";
      }
    }
    return { name: "rsassaPss", hash };
  }
  const known = SIG_OIDS[o];
  return known ? { name: known[0], hash: known[1] } : { name: o, hash: "unknown" };
}

/** The CA certificates a scan trusts: Node's bundled roots, the system bundle, and an optional extra CA file. */
export function trustStore(caFile?: string): string[] {
  const ca = [...rootCertificates];
  for (const f of ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]) {
    if (existsSync(f)) {
      ca.push(readFileSync(f, "utf8"));
      break;
    }
  }
  if (caFile) ca.push(readFileSync(caFile, "utf8"));
  return ca;
}

const DAY = 86_400_000;
/** Signature hashes no CA certificate of a trusted chain may use. */
const WEAK_CHAIN_HASHES = new Set(["md2", "md4", "md5", "sha1"]);

type FetchOptions = { sni: string | null; hostname: string; ca: string[]; timeoutMs: number; now: Date };

/** Client settings under which a server can only present a certificate of one key type. */
const ONLY_RSA = {
  sigalgs:
    "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512:RSA+SHA256:RSA+SHA384:RSA+SHA512:RSA+SHA224:RSA+SHA1",
  ciphers: "aRSA:@SECLEVEL=0",
};
const ONLY_EC = {
  sigalgs: "ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ed25519:ed448:ECDSA+SHA224:ECDSA+SHA1",
  ciphers: "aECDSA:@SECLEVEL=0",
};
const RSA_LIKE = new Set(["RSA", "RSA-PSS", "DSA"]);

/**
 * The certificate a server presents, and any other it holds for another key type: a server can carry an ECDSA and
 * an RSA certificate and choose by what the client supports, and a client that prefers ECDSA never sees a weak RSA
 * one. A second handshake that allows only the other key type fetches it; when it yields a different certificate,
 * each fact is the worse of the two (see `worseOf`).
 */
export async function fetchCertificate(
  open: Opener,
  opts: FetchOptions,
  retryDelayMs = 150,
): Promise<CertificateResult> {
  const first = await handshakeCertificate(open, opts);
  if (!first.ok) return first;
  const rsaFirst = RSA_LIKE.has(first.facts.keyType);
  const only = rsaFirst ? ONLY_EC : ONLY_RSA;
  // Only the server's answer means "no certificate of that type": an alert, or a clean close confirmed by a second
  // one (as the prober takes a bare close). A reset or a failed connection is no answer and is retried, up to 3
  // attempts; the timeout has already waited the whole limit, and anything else (no certificate, one that does not
  // parse) is no evidence either. Without an answer the facts a second certificate could worsen are unknown.
  let other: CertificateResult | undefined;
  let fins = 0;
  const failures: string[] = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, retryDelayMs * i));
    other = await handshakeCertificate(open, opts, only);
    if (other.ok || other.cause === "alert") break;
    failures.push(other.cause === "fin" ? "closed without an alert" : other.reason);
    if (other.cause === "fin" && ++fins === 2) break;
    if (other.cause !== "fin" && other.cause !== "reset" && other.cause !== "connect") break;
  }
  if (!other?.ok) {
    if (other?.cause === "alert" || fins === 2) return first;
    const tried = failures.length === 1 ? "" : ` (${failures.length} attempts)`;
    return {
      ...first,
      otherKeyTypeUnknown: `the handshake offering only ${rsaFirst ? "ECDSA" : "RSA"} certificates got no answer: ${[...new Set(failures)].join("; ")}${tried}, so a second certificate the server may hold was not seen — no answer is not a refusal`,
    };
  }
  if (other.facts.fingerprintSha256 === first.facts.fingerprintSha256) return first;
  return { ok: true, facts: worseOf(first.facts, other.facts), seen: [first.facts, other.facts] };
}

/**
 * What a failed handshake's error says about how it ended. Node reports a clean close before the handshake finished
 * as ECONNRESET without a syscall ("socket disconnected before secure TLS connection was established"), and a real
 * reset as ECONNRESET from `read`; a TLS alert from the server has an ..._ALERT_... code.
 */
function endCause(err: NodeJS.ErrnoException): "alert" | "fin" | "reset" | undefined {
  if (/ALERT/.test(err.code ?? "")) return "alert";
  if (err.code === "ECONNRESET") return err.syscall ? "reset" : "fin";
  if (err.code === "EPIPE" || RESET.test(err.message)) return "reset";
  return undefined;
}

const HASH_RANK = ["md2", "md4", "md5", "sha1", "sha224", "sha256", "sha384", "sha512"];
/** Rough symmetric-equivalent strength of a key (NIST SP 800-57): what makes one certificate's key the weaker. */
function keyStrength(f: CertificateFacts): number {
  if (RSA_LIKE.has(f.keyType))
    return f.keyBits >= 15360
      ? 256
      : f.keyBits >= 7680
        ? 192
        : f.keyBits >= 3072
          ? 128
          : f.keyBits >= 2048
            ? 112
            : 80;
  return Math.floor(f.keyBits / 2);
}

/**
 * One set of facts for two certificates of one server, each the worse: trusted and host-name match only when both
 * are; the nearer expiry (with its notAfter) and the longer lifetime; the weaker signature hash; the weaker key (the
 * RSA one on a tie, so RSA key policies judge it). Identity fields (subject, SANs, fingerprint) stay the first's.
 */
export function worseOf(a: CertificateFacts, b: CertificateFacts): CertificateFacts {
  const out: CertificateFacts = { ...a };
  if (a.trusted && !b.trusted)
    Object.assign(out, { trusted: false, trustError: `${b.keyType} certificate: ${b.trustError}` });
  if (a.hostnameMatches && !b.hostnameMatches)
    Object.assign(out, {
      hostnameMatches: false,
      hostnameError: `${b.keyType} certificate: ${b.hostnameError}`,
    });
  if (b.daysUntilExpiry < a.daysUntilExpiry)
    Object.assign(out, { daysUntilExpiry: b.daysUntilExpiry, notAfter: b.notAfter });
  if (b.lifetimeDays > a.lifetimeDays) out.lifetimeDays = b.lifetimeDays;
  // A hash not in the ranking counts as the weakest, so the signature policy judges it rather than hides it.
  const rank = (h: string) => HASH_RANK.indexOf(h);
  if (rank(b.signatureHash) < rank(a.signatureHash))
    Object.assign(out, { signatureHash: b.signatureHash, signatureAlgorithm: b.signatureAlgorithm });
  const weakerKey =
    keyStrength(b) < keyStrength(a) || (keyStrength(b) === keyStrength(a) && RSA_LIKE.has(b.keyType));
  if (weakerKey) Object.assign(out, { keyType: b.keyType, keyBits: b.keyBits, keyCurve: b.keyCurve });
  return out;
}

/** Connect with node:tls over an opened connection and inspect the certificate the server presents. */
async function handshakeCertificate(
  open: Opener,
  opts: FetchOptions,
  only?: { sigalgs: string; ciphers: string },
): Promise<CertificateResult> {
  let wire: Wire;
  try {
    wire = await open();
  } catch (err) {
    return {
      ok: false,
      reason: (err as Error).message,
      cause: err instanceof WireTimeout ? "timeout" : "connect",
    };
  }
  const socket = wire.detach();
  return new Promise<CertificateResult>((resolve) => {
    let stapled = false;
    let done = false;
    let tls: TLSSocket | undefined;
    const finish = (r: CertificateResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      tls?.destroy();
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          reason: `TLS handshake did not complete within ${opts.timeoutMs} ms`,
          cause: "timeout",
        }),
      opts.timeoutMs,
    );
    try {
      tls = tlsConnect({
        socket,
        servername: opts.sni ?? undefined,
        ca: opts.ca,
        rejectUnauthorized: false,
        requestOCSP: true,
        minVersion: "TLSv1",
        // Level 0 so legacy servers (TLS 1.0, RSA-1024, SHA-1) still show their certificate; policies judge it.
        ciphers: only?.ciphers ?? "ALL:@SECLEVEL=0",
        ...(only ? { sigalgs: only.sigalgs } : {}),
        checkServerIdentity: () => undefined,
      } as ConnectionOptions);
    } catch (err) {
      finish({ ok: false, reason: `TLS client setup failed: ${(err as Error).message}` });
      return;
    }
    tls.on("OCSPResponse", (resp: Buffer) => {
      if (resp && resp.length > 0) stapled = true;
    });
    tls.once("error", (err: NodeJS.ErrnoException) =>
      finish({ ok: false, reason: `TLS handshake failed: ${err.code ?? err.message}`, cause: endCause(err) }),
    );
    tls.once("secureConnect", () => {
      const t = tls as TLSSocket;
      try {
        // getPeerCertificate must come first: after getPeerX509Certificate, Node 20 returns an empty object.
        const peer = t.getPeerCertificate(true) as PeerCertificate & { issuerCertificate?: PeerCertificate };
        if (!peer?.raw) {
          finish({ ok: false, reason: "the server presented no certificate (anonymous cipher suite)" });
          return;
        }
        const x509 = new X509Certificate(peer.raw);
        finish({ ok: true, facts: describe(x509, peer, t, stapled, opts.hostname, opts.now) });
      } catch (err) {
        finish({ ok: false, reason: `certificate could not be parsed: ${(err as Error).message}` });
      }
    });
  });
}

function describe(
  x509: X509Certificate,
  peer: PeerCertificate,
  t: TLSSocket,
  stapled: boolean,
  hostname: string,
  now: Date,
): CertificateFacts {
  const key = x509.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const type = key.asymmetricKeyType ?? "unknown";
  const names: Record<string, string> = {
    rsa: "RSA",
    "rsa-pss": "RSA-PSS",
    ec: "EC",
    ed25519: "Ed25519",
    ed448: "Ed448",
    dsa: "DSA",
  };
  const keyType = names[type] ?? type;
  const curveBits: Record<string, number> = {
    prime256v1: 256,
    secp384r1: 384,
    secp521r1: 521,
    secp256k1: 256,
    secp224r1: 224,
    prime192v1: 192,
  };
  const keyBits =
    details.modulusLength ??
    (details.namedCurve
      ? (curveBits[details.namedCurve] ?? 0)
      : type === "ed25519"
        ? 256
        : type === "ed448"
          ? 456
          : 0);
  const hostErr = hostnameMismatch(x509, hostname);
  const sig = signatureAlgorithm(x509.raw);
  const notBefore = new Date(x509.validFrom);
  const notAfter = new Date(x509.validTo);
  let chainLength = 1;
  // The handshake runs at OpenSSL security level 0 (so legacy servers still show their certificate), which also
  // accepts MD5 and SHA-1 signatures in the chain; browsers and a default client refuse them. The leaf's own
  // signature is judged by its own policy; a self-signed trust anchor's signature is never checked.
  let weakLink: string | undefined;
  for (
    let c = peer as PeerCertificate & { issuerCertificate?: PeerCertificate };
    c.issuerCertificate && c.issuerCertificate !== c && chainLength < 10;
  ) {
    c = c.issuerCertificate as typeof c;
    chainLength++;
    if (weakLink || !c.raw) continue;
    const ca = new X509Certificate(c.raw);
    const hash = signatureAlgorithm(c.raw).hash;
    if (ca.subject !== ca.issuer && WEAK_CHAIN_HASHES.has(hash))
      weakLink = `CA certificate ${ca.subject.replace(/\n/g, ", ")} is signed with ${hash.toUpperCase()}, which browsers and OpenSSL's default security level refuse`;
  }
  const authErr = t.authorizationError as unknown as Error | string | null | undefined;
  const trusted = t.authorized && !weakLink;
  return {
    trusted,
    trustError: trusted
      ? null
      : weakLink && t.authorized
        ? weakLink
        : authErr
          ? String(
              authErr instanceof Error
                ? ((authErr as NodeJS.ErrnoException).code ?? authErr.message)
                : authErr,
            )
          : "not verified",
    hostnameMatches: !hostErr,
    hostnameError: hostErr ? hostErr.message : null,
    subject: x509.subject.replace(/\n/g, ", "),
    issuer: x509.issuer.replace(/\n/g, ", "),
    subjectAltNames: (x509.subjectAltName ?? "").split(/,\s*/).filter(Boolean),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysUntilExpiry: Math.floor((notAfter.getTime() - now.getTime()) / DAY),
    lifetimeDays: lifetimeDays(notBefore, notAfter),
    keyType,
    keyBits,
    keyCurve: details.namedCurve ?? null,
    signatureAlgorithm: sig.name,
    signatureHash: sig.hash,
    ocspStapled: stapled,
    fingerprintSha256: x509.fingerprint256,
    protocol: t.getProtocol() ?? "unknown",
    chainLength,
  };
}
