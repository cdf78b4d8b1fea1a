import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { appendAll } from "../../core/arrays.js";
import { CipherproofError } from "../../core/errors.js";
import type { ResourceDocument } from "../../core/types.js";
import { type CertificateResult, fetchCertificate, MERGED_FACTS, trustStore } from "./certificate.js";
import { codeHex, PROTOCOL_NUMBER, PROTOCOLS, type Protocol } from "./cipher-suites.js";
import { checkPlainHttp, httpsHead, parseHsts } from "./http.js";
import {
  ConnectError,
  describeError,
  HostLimiter,
  mapLimit,
  type NetOptions,
  openTcp,
  RESET,
  WireTimeout,
} from "./net.js";
import { checkPostgresPlaintext, openPostgresTls, PreambleError } from "./postgres.js";
import { openSmtpTls, smtpCapabilities } from "./smtp.js";
import { DEFAULT_POSTGRES_USER, type EndpointTarget } from "./targets.js";
import { failedScan, type Opener, scanTls, type TlsScan } from "./tls-probe.js";

export { type EndpointTarget, loadTargetsFile, parseTarget, resolveTargets } from "./targets.js";

/** How to scan endpoints. */
export interface EndpointScanOptions {
  /** Extra CA certificates (PEM) trusted besides the system store. */
  caFile?: string;
  /** TCP connect timeout, ms (default 5000). */
  connectTimeoutMs?: number;
  /** Longest wait for any one answer, ms (default 5000). */
  readTimeoutMs?: number;
  /** Simultaneous connections per host (default 4). */
  maxConnectionsPerHost?: number;
  /** Pause between connection starts to the same host, ms (default 0). */
  delayMs?: number;
  /** Targets scanned at once (default 8). */
  concurrency?: number;
  /** Protocol versions to probe (default all). */
  protocols?: Protocol[];
  now?: Date;
}

/** Per-target timing and handshake counts. */
export interface EndpointStat {
  target: string;
  durationMs: number;
  handshakes: number;
  connections: number;
  error?: string;
}

/** What an endpoint scan produced. */
export interface EndpointScanResult {
  resources: ResourceDocument[];
  stats: EndpointStat[];
}

const CERT_PROPS = [
  "certificateTrusted",
  "certificateTrustError",
  "hostnameMatches",
  "certSubject",
  "certIssuer",
  "certNotAfter",
  "certDaysUntilExpiry",
  "certLifetimeDays",
  "certKeyType",
  "certKeyBits",
  "certKeyCurve",
  "certSignatureAlgorithm",
  "certSignatureHash",
  "certFingerprintSha256",
  "certificates",
  "ocspStapled",
];

function groupName(g: { kind: string; name: string; bits: number }): string {
  return g.name.startsWith("DH ") ? `dh${g.bits}` : g.name;
}

function sha256(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/** Properties that depend on the complete list of accepted suites. */
const SUITE_PROPS = [
  "acceptedCipherSuites",
  "cipherSuites",
  "weakCipherSuites",
  "nonForwardSecretCipherSuites",
  "allSuitesForwardSecret",
  "keyExchangeGroups",
  "dhMinBits",
  "ecdhMinBits",
  "serverCipherPreference",
];
const TLS_PROPS = ["protocols", "minProtocolVersion", "tls13Offered", ...SUITE_PROPS];

/** Suite facts SSLv2 cannot change: it has no ephemeral key exchange and the client picks the cipher. */
const NOT_IN_SSLV2 = new Set(["keyExchangeGroups", "dhMinBits", "ecdhMinBits", "serverCipherPreference"]);

/**
 * Move what a lost probe (a reset on every attempt) leaves unknown from `properties` to `missing`: a protocol whose
 * acceptance is unknown leaves the protocol list, the suites and — when it is below the lowest accepted version, or
 * is TLS 1.3 — the minimum version or tls13Offered unknown; an accepted protocol whose suite enumeration was cut short
 * leaves the suite lists unknown. A partial list is never reported as the whole.
 */
function markLost(scan: TlsScan, properties: Record<string, unknown>, missing: Record<string, string>): void {
  const attempts = scan.attempts ?? 1;
  const why = (p: Protocol, reason: string, what: string) =>
    `${what} ${p}: ${reason} on ${attempts === 1 ? "the only attempt" : `each of ${attempts} attempts`} — a reset is not a refusal, so this is unknown`;
  const set = (key: string, reason: string) => {
    delete properties[key];
    missing[key] ??= reason;
  };
  const lowest = PROTOCOLS.find((p) => scan.protocols.includes(p));
  for (const p of PROTOCOLS) {
    const reason = scan.lost[p];
    if (reason === undefined) continue;
    if (scan.protocols.includes(p)) {
      for (const key of SUITE_PROPS) set(key, why(p, reason, "cipher-suite enumeration in"));
      continue;
    }
    const r = scan.unanswered?.includes(p)
      ? `the ClientHello for ${p}: ${reason} — silence is not a refusal, so this is unknown`
      : why(p, reason, "the ClientHello for");
    set("protocols", r);
    if (lowest === undefined || PROTOCOLS.indexOf(p) < PROTOCOLS.indexOf(lowest))
      set("minProtocolVersion", r);
    if (p === "TLSv1.3") set("tls13Offered", r);
    // SSLv2 has no (EC)DH key exchange and no server preference: its loss leaves those facts standing.
    for (const key of SUITE_PROPS) if (p !== "SSLv2" || !NOT_IN_SSLV2.has(key)) set(key, r);
  }
  // A version left out of the scan is unknown, not refused: the minimum version and TLS 1.3 may hang on it.
  for (const p of scan.unprobed ?? []) {
    const r = `${p} was not probed (the scan was limited to ${PROTOCOLS.filter((q) => !scan.unprobed?.includes(q)).join(", ")})`;
    set("protocols", r);
    if (lowest === undefined || PROTOCOLS.indexOf(p) < PROTOCOLS.indexOf(lowest))
      set("minProtocolVersion", r);
    if (p === "TLSv1.3") set("tls13Offered", r);
    for (const key of SUITE_PROPS) if (p !== "SSLv2" || !NOT_IN_SSLV2.has(key)) set(key, r);
  }
  for (const p of PROTOCOLS) {
    const reason = scan.preferenceLost[p];
    if (reason !== undefined) set("serverCipherPreference", `the cipher preference check in ${p}: ${reason}`);
  }
}

/** The endpoint.tls property of each certificate fact that has one. */
const CERT_PROPERTY: Partial<Record<(typeof MERGED_FACTS)[number], string>> = {
  trusted: "certificateTrusted",
  trustError: "certificateTrustError",
  hostnameMatches: "hostnameMatches",
  notAfter: "certNotAfter",
  daysUntilExpiry: "certDaysUntilExpiry",
  lifetimeDays: "certLifetimeDays",
  keyType: "certKeyType",
  keyBits: "certKeyBits",
  keyCurve: "certKeyCurve",
  signatureAlgorithm: "certSignatureAlgorithm",
  signatureHash: "certSignatureHash",
};

/** Turn a raw-handshake scan and a certificate result into endpoint.tls properties plus `missing`. */
export function tlsProperties(
  scan: TlsScan,
  cert: CertificateResult | { ok: false; reason: string },
): {
  properties: Record<string, unknown>;
  missing: Record<string, string>;
} {
  const properties: Record<string, unknown> = {};
  const missing: Record<string, string> = {};
  if (scan.error) {
    for (const p of TLS_PROPS) missing[p] = scan.error;
  } else {
    const protocols = PROTOCOLS.filter((p) => scan.protocols.includes(p));
    properties.protocols = protocols;
    properties.minProtocolVersion = PROTOCOL_NUMBER[protocols[0]];
    properties.tls13Offered = protocols.includes("TLSv1.3");
    properties.acceptedCipherSuites = [...new Set(scan.suites.map((s) => s.iana))];
    properties.cipherSuites = scan.suites.map((s) => ({
      protocol: s.protocol,
      iana: s.iana,
      openssl: s.openssl,
      code: codeHex(s.code, s.protocol === "SSLv2"),
      kx: s.kx,
      auth: s.auth,
      enc: s.enc,
      encBits: s.encBits,
      mac: s.mac,
      forwardSecret: s.forwardSecret,
      strength: s.strength,
      weaknesses: s.weaknesses,
      group: s.group ? groupName(s.group) : null,
      groupBits: s.group ? s.group.bits : null,
    }));
    properties.weakCipherSuites = [
      ...new Set(scan.suites.filter((s) => s.weaknesses.length).map((s) => s.iana)),
    ];
    properties.nonForwardSecretCipherSuites = [
      ...new Set(scan.suites.filter((s) => !s.forwardSecret).map((s) => s.iana)),
    ];
    properties.allSuitesForwardSecret = scan.suites.every((s) => s.forwardSecret);
    properties.keyExchangeGroups = [
      ...new Set([
        ...scan.suites.filter((s) => s.group).map((s) => groupName(s.group!)),
        ...(scan.weakGroups ?? []).map((w) => groupName(w.group)),
      ]),
    ];
    const unread = scan.suites.filter((s) => s.groupMissing);
    const bitsOf = (kind: "dh" | "ecdh", pred: (kx: string) => boolean): void => {
      const key = kind === "dh" ? "dhMinBits" : "ecdhMinBits";
      const lost = unread.find((s) => pred(s.kx));
      if (lost) {
        missing[key] = `${lost.iana} in ${lost.protocol}: ${lost.groupMissing}`;
        return;
      }
      const sizes = [
        ...scan.suites.filter((s) => s.group?.kind === kind).map((s) => s.group!.bits),
        ...(scan.weakGroups ?? []).filter((w) => w.group.kind === kind).map((w) => w.group.bits),
      ];
      properties[key] = sizes.length ? Math.min(...sizes) : null;
    };
    bitsOf("dh", (kx) => kx.startsWith("DHE"));
    bitsOf("ecdh", (kx) => kx.startsWith("ECDHE"));
    const prefs = Object.values(scan.serverPreference);
    properties.serverCipherPreference = prefs.length ? prefs.every(Boolean) : null;
    markLost(scan, properties, missing);
    if (scan.weakGroupsLost !== undefined) {
      const r = `the search for weaker ECDH groups in ${scan.weakGroupsLost}`;
      for (const key of ["ecdhMinBits", "keyExchangeGroups"]) {
        delete properties[key];
        missing[key] ??= r;
      }
    }
  }
  if (cert.ok) {
    const c = cert.facts;
    Object.assign(properties, {
      certificateTrusted: c.trusted,
      certificateTrustError: c.trustError,
      hostnameMatches: c.hostnameMatches,
      certSubject: c.subject,
      certIssuer: c.issuer,
      certNotAfter: c.notAfter,
      certDaysUntilExpiry: c.daysUntilExpiry,
      certLifetimeDays: c.lifetimeDays,
      certKeyType: c.keyType,
      certKeyBits: c.keyBits,
      certKeyCurve: c.keyType === "EC" ? c.keyCurve : null,
      certSignatureAlgorithm: c.signatureAlgorithm,
      certSignatureHash: c.signatureHash,
      certFingerprintSha256: c.fingerprintSha256,
      ocspStapled: c.ocspStapled,
      certificates: (cert.seen ?? [c]).map((f) => ({
        subject: f.subject,
        issuer: f.issuer,
        subjectAltNames: f.subjectAltNames,
        notBefore: f.notBefore,
        notAfter: f.notAfter,
        lifetimeDays: f.lifetimeDays,
        keyType: f.keyType,
        keyBits: f.keyBits,
        signatureHash: f.signatureHash,
        trusted: f.trusted,
        hostnameMatches: f.hostnameMatches,
        fingerprintSha256: f.fingerprintSha256,
      })),
    });
    if (cert.otherKeyTypeUnknown) {
      // The list would show one certificate where there may be two.
      delete properties.certificates;
      missing.certificates = cert.otherKeyTypeUnknown;
      for (const fact of MERGED_FACTS) {
        const key = CERT_PROPERTY[fact];
        if (!key) continue;
        delete properties[key];
        missing[key] = cert.otherKeyTypeUnknown;
      }
    }
  } else {
    for (const p of CERT_PROPS) missing[p] = cert.reason;
  }
  return { properties, missing };
}

/** True when a text holds at least one PEM certificate block that parses as an X.509 certificate. */
function hasPemCertificate(text: string): boolean {
  for (const block of text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []) {
    try {
      new X509Certificate(block);
      return true;
    } catch {
      // Not a certificate after all: look at the next block.
    }
  }
  return false;
}

/** Scan every target: raw handshakes, certificate, and the service checks (HSTS, redirect, PostgreSQL, SMTP). */
export async function collectEndpoints(
  targets: EndpointTarget[],
  options: EndpointScanOptions = {},
): Promise<EndpointScanResult> {
  if (options.caFile && !existsSync(options.caFile)) {
    throw new CipherproofError(
      "FILE_NOT_FOUND",
      "CA file not found",
      { file: options.caFile },
      "--ca-file takes a PEM file with one or more CA certificates",
    );
  }
  if (options.caFile && !hasPemCertificate(readFileSync(options.caFile, "latin1"))) {
    throw new CipherproofError(
      "USAGE",
      "--ca-file contains no PEM certificate",
      { file: options.caFile },
      "give a PEM file with one or more -----BEGIN CERTIFICATE----- blocks (convert DER with `openssl x509 -inform der`)",
    );
  }
  const net: NetOptions = {
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    readTimeoutMs: options.readTimeoutMs ?? 5000,
  };
  const limiter = new HostLimiter(options.maxConnectionsPerHost ?? 4, options.delayMs ?? 0);
  const ca = trustStore(options.caFile);
  const now = options.now ?? new Date();
  const resources: ResourceDocument[] = [];
  const stats = await mapLimit(targets, options.concurrency ?? 8, async (t) => {
    const started = Date.now();
    const before = limiter.opened.get(t.host) ?? 0;
    const slot = <T>(fn: () => Promise<T>) => limiter.run(t.host, fn);
    let docs: Awaited<ReturnType<typeof scanTarget>>;
    try {
      docs = await scanTarget(t, { net, ca, now, slot, protocols: options.protocols });
    } catch (err) {
      // One target's surprise must not end the scan of the others: its evidence is missing, with the message.
      docs = failedTarget(t, `internal error while scanning this target: ${describeError(err)}`, now);
    }
    appendAll(resources, docs.resources);
    return {
      target: t.id,
      durationMs: Date.now() - started,
      handshakes: docs.handshakes,
      connections: (limiter.opened.get(t.host) ?? 0) - before,
      ...(docs.error ? { error: docs.error } : {}),
    } satisfies EndpointStat;
  });
  resources.sort((a, b) => (a.id === b.id ? a.type.localeCompare(b.type) : a.id.localeCompare(b.id)));
  return { resources, stats };
}

interface TargetContext {
  net: NetOptions;
  ca: string[];
  now: Date;
  slot: <T>(fn: () => Promise<T>) => Promise<T>;
  protocols?: Protocol[];
}

function doc(
  t: EndpointTarget,
  type: string,
  properties: Record<string, unknown>,
  missing: Record<string, string>,
  evidence: Array<{ call: string; data: unknown }>,
  now: Date,
): ResourceDocument {
  return {
    type,
    id: t.id,
    name: t.name,
    provider: "endpoint",
    source: "endpoint",
    collectedAt: now.toISOString(),
    properties,
    ...(Object.keys(missing).length ? { missing } : {}),
    evidence: evidence.map((e) => ({ call: e.call, at: now.toISOString(), sha256: sha256(e.data) })),
  };
}

/** Run a step again (up to 3 attempts, short pauses) while its result is a reset — a reset is not evidence. */
async function retryOnReset<T>(fn: () => Promise<T>, isReset: (r: T) => boolean): Promise<T> {
  let r = await fn();
  for (let i = 1; i < 3 && isReset(r); i++) {
    await new Promise((done) => setTimeout(done, 150 * i));
    r = await fn();
  }
  return r;
}

const HTTPS_PROPS = ["statusCode", "hstsMaxAgeSeconds", "hstsIncludeSubDomains", "hstsPreload"];

/** The documents of a target whose scan failed outright: every property the scan would measure is missing. */
function failedTarget(
  t: EndpointTarget,
  reason: string,
  now: Date,
): { resources: ResourceDocument[]; handshakes: number; error: string } {
  const host = t.host.includes(":") ? `[${t.host}]` : t.host;
  const base = { host: t.host, port: t.port };
  const all = (props: string[]) => Object.fromEntries(props.map((p) => [p, reason]));
  const out: ResourceDocument[] = [];
  const evidence = [{ call: "endpoint:scan", data: reason }];
  if (t.kind === "http") {
    const props = { url: `http://${host}:${t.port}${t.path}`, scheme: "http", ...base };
    out.push(
      doc(
        t,
        "endpoint.http",
        props,
        all(["plaintextOutcome", "statusCode", "redirectLocation"]),
        evidence,
        now,
      ),
    );
    return { resources: out, handshakes: 0, error: reason };
  }
  if (t.kind === "postgres") {
    const user = t.user ?? DEFAULT_POSTGRES_USER;
    const props = { ...base, database: t.database ?? user, user };
    out.push(
      doc(
        t,
        "endpoint.postgres",
        props,
        all(["sslSupported", "plaintextRefused", "plaintextResponse"]),
        evidence,
        now,
      ),
    );
  }
  if (t.kind === "smtp")
    out.push(
      doc(
        t,
        "endpoint.smtp",
        base,
        all(["starttlsAdvertised", "starttlsWorks", "capabilities"]),
        evidence,
        now,
      ),
    );
  const tlsProps = { ...base, service: t.kind, sni: t.sni, expectedHostname: t.hostname, handshakes: 0 };
  out.push(doc(t, "endpoint.tls", tlsProps, all([...TLS_PROPS, ...CERT_PROPS]), evidence, now));
  if (t.kind === "https") {
    const props = { url: `https://${host}:${t.port}${t.path}`, scheme: "https", ...base };
    out.push(doc(t, "endpoint.http", props, all(HTTPS_PROPS), evidence, now));
  }
  return { resources: out, handshakes: 0, error: reason };
}

async function scanTarget(
  t: EndpointTarget,
  ctx: TargetContext,
): Promise<{ resources: ResourceDocument[]; handshakes: number; error?: string }> {
  const { net, slot, now } = ctx;
  const out: ResourceDocument[] = [];
  if (t.kind === "http") {
    const r = await slot(() => checkPlainHttp(t.host, t.port, t.path, net, t.hostname));
    const props: Record<string, unknown> = {
      url: `http://${t.host.includes(":") ? `[${t.host}]` : t.host}:${t.port}${t.path}`,
      scheme: "http",
      host: t.host,
      port: t.port,
    };
    const missing: Record<string, string> = {};
    if (r.kind === "unknown") {
      for (const p of ["plaintextOutcome", "statusCode", "redirectLocation"]) missing[p] = r.detail;
    } else if (r.kind === "refused") {
      Object.assign(props, { plaintextOutcome: "refused", statusCode: null, redirectLocation: null });
    } else {
      Object.assign(props, { plaintextOutcome: r.kind, statusCode: r.status, redirectLocation: r.location });
    }
    out.push(doc(t, "endpoint.http", props, missing, [{ call: "http:GET", data: r }], now));
    return { resources: out, handshakes: 0, error: r.kind === "unknown" ? r.detail : undefined };
  }

  let open: Opener;
  let preamble: string | undefined;
  const base = { host: t.host, port: t.port };
  if (t.kind === "postgres") {
    open = () => openPostgresTls(t.host, t.port, net);
    const user = t.user ?? DEFAULT_POSTGRES_USER;
    const database = t.database ?? user;
    const [plain, sslCheck] = await Promise.all([
      slot(() => checkPostgresPlaintext(t.host, t.port, net, user, database)),
      slot(async () => {
        try {
          (await open()).close();
          return { supported: true as const };
        } catch (err) {
          return {
            supported: false as const,
            reason: (err as Error).message,
            preamble: err instanceof PreambleError,
          };
        }
      }),
    ]);
    const props: Record<string, unknown> = { ...base, database, user };
    const missing: Record<string, string> = {};
    if (sslCheck.supported) props.sslSupported = true;
    else if (sslCheck.preamble && /answered N/.test(sslCheck.reason)) props.sslSupported = false;
    else missing.sslSupported = sslCheck.reason;
    if (!sslCheck.supported) preamble = sslCheck.reason;
    if (plain.kind === "unknown") {
      missing.plaintextRefused = plain.detail;
      missing.plaintextResponse = plain.detail;
    } else {
      props.plaintextRefused = plain.kind === "refused";
      props.plaintextResponse = plain.detail;
    }
    out.push(
      doc(
        t,
        "endpoint.postgres",
        props,
        missing,
        [
          { call: "postgres:StartupMessage", data: plain },
          { call: "postgres:SSLRequest", data: sslCheck },
        ],
        now,
      ),
    );
  } else if (t.kind === "smtp") {
    open = () => openSmtpTls(t.host, t.port, net);
    const props: Record<string, unknown> = { ...base };
    const missing: Record<string, string> = {};
    try {
      const caps = await slot(() => smtpCapabilities(t.host, t.port, net));
      props.starttlsAdvertised = caps.starttls;
      props.capabilities = caps.capabilities;
      if (!caps.starttls) {
        preamble = "the SMTP server does not advertise STARTTLS";
        props.starttlsWorks = false;
      }
    } catch (err) {
      preamble =
        err instanceof PreambleError || err instanceof WireTimeout || err instanceof ConnectError
          ? err.message
          : `internal error while talking SMTP: ${describeError(err)}`;
      for (const p of ["starttlsAdvertised", "starttlsWorks", "capabilities"]) missing[p] = preamble;
    }
    out.push(doc(t, "endpoint.smtp", props, missing, [{ call: "smtp:EHLO", data: props }], now));
  } else {
    open = () => openTcp(t.host, t.port, net);
  }

  const scan: TlsScan = preamble
    ? failedScan(preamble)
    : await scanTls(open, slot, t.sni, { protocols: ctx.protocols }).catch((err: unknown) =>
        failedScan(`internal error while probing TLS: ${describeError(err)}`),
      );
  const cert: CertificateResult = scan.error
    ? { ok: false, reason: scan.error }
    : await retryOnReset(
        () =>
          slot(() =>
            fetchCertificate(open, {
              sni: t.sni,
              hostname: t.hostname,
              ca: ctx.ca,
              timeoutMs: net.connectTimeoutMs + net.readTimeoutMs,
              now,
            }),
          ).catch(
            (err: unknown): CertificateResult => ({
              ok: false,
              reason: `internal error while fetching the certificate: ${describeError(err)}`,
            }),
          ),
        (r) => !r.ok && RESET.test(r.reason),
      );
  const { properties, missing } = tlsProperties(scan, cert);
  const tlsDoc = doc(
    t,
    "endpoint.tls",
    {
      ...base,
      service: t.kind,
      sni: t.sni,
      expectedHostname: t.hostname,
      handshakes: scan.handshakes,
      ...properties,
    },
    missing,
    [
      { call: "tls:client-hello-probes", data: scan },
      { call: "tls:certificate", data: cert },
    ],
    now,
  );
  out.push(tlsDoc);

  if (t.kind === "smtp") {
    const smtp = out.find((d) => d.type === "endpoint.smtp")!;
    // STARTTLS works when a whole TLS handshake completes after it (the certificate fetch), not when a ServerHello
    // merely answers the probes: a server can send one and then abort every handshake.
    if (smtp.properties.starttlsAdvertised === true) {
      if (!scan.error && !cert.ok && /did not complete within/.test(cert.reason)) {
        delete smtp.properties.starttlsWorks;
        smtp.missing = { ...smtp.missing, starttlsWorks: `after STARTTLS, ${cert.reason}` };
      } else smtp.properties.starttlsWorks = !scan.error && cert.ok;
    }
  }

  if (t.kind === "https") {
    const props: Record<string, unknown> = {
      url: `https://${t.host.includes(":") ? `[${t.host}]` : t.host}:${t.port}${t.path}`,
      scheme: "https",
      host: t.host,
      port: t.port,
    };
    const missing: Record<string, string> = {};
    let evidence: unknown;
    if (scan.error) {
      for (const p of HTTPS_PROPS) missing[p] = scan.error;
      evidence = scan.error;
    } else {
      try {
        const head = await retryOnReset(
          () =>
            slot(() =>
              httpsHead(open, {
                // The Host header names the site: the SNI name when one is sent, else the address.
                host: t.sni ?? t.host,
                port: t.port,
                path: t.path,
                sni: t.sni,
                ca: ctx.ca,
                timeoutMs: net.connectTimeoutMs + net.readTimeoutMs,
                readTimeoutMs: net.readTimeoutMs,
              }),
            ).then(
              (ok) => ({ ok }),
              (err: unknown) => ({ err }),
            ),
          (r) => "err" in r && r.err instanceof Error && RESET.test(r.err.message),
        ).then((r) => {
          if ("err" in r) throw r.err;
          return r.ok;
        });
        const hsts = parseHsts(head.headers["strict-transport-security"]);
        Object.assign(props, {
          statusCode: head.status,
          hstsMaxAgeSeconds: hsts ? hsts.maxAge : null,
          hstsIncludeSubDomains: hsts?.includeSubDomains ?? false,
          hstsPreload: hsts?.preload ?? false,
          redirectLocation: head.headers.location ?? null,
        });
        evidence = { status: head.status, hsts: head.headers["strict-transport-security"] ?? null };
      } catch (err) {
        const reason = err instanceof Error && err.constructor === Error ? err.message : describeError(err);
        for (const p of HTTPS_PROPS) missing[p] = reason;
        evidence = reason;
      }
    }
    out.push(doc(t, "endpoint.http", props, missing, [{ call: "https:GET", data: evidence }], now));
  }
  return { resources: out, handshakes: scan.handshakes, error: scan.error };
}
