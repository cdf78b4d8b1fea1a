import {
  type CipherSuite,
  GROUPS,
  PROTOCOL_WIRE,
  PROTOCOLS,
  type Protocol,
  suiteByCode,
  suitesFor,
} from "./cipher-suites.js";
import { ConnectError, type Wire, WireTimeout } from "./net.js";
import { type HelloOutcome, type HelloSpec, type KxGroup, probeHello, probeSsl2Hello } from "./tls-wire.js";

/** Opens a connection that is ready for a ClientHello (after any STARTTLS / SSLRequest preamble). */
export type Opener = () => Promise<Wire>;

/** Runs one connection attempt under the host's connection cap. */
export type Slot = <T>(fn: () => Promise<T>) => Promise<T>;

/** One accepted cipher suite, as negotiated in one protocol version: the registry's facts about it, plus what the
 * handshake showed. */
export interface AcceptedSuite
  extends Pick<
    CipherSuite,
    | "code"
    | "iana"
    | "openssl"
    | "kx"
    | "auth"
    | "enc"
    | "encBits"
    | "mac"
    | "forwardSecret"
    | "strength"
    | "weaknesses"
  > {
  protocol: Protocol;
  /** Key-exchange group the server used with this suite, when the handshake shows one. */
  group?: KxGroup;
  /** Why the group could not be read, for ephemeral suites. */
  groupMissing?: string;
}

/** Everything the raw-handshake scan found for one endpoint. */
export interface TlsScan {
  protocols: Protocol[];
  suites: AcceptedSuite[];
  /** Per protocol with two or more suites: true when the server's order wins, false when the client's does. */
  serverPreference: Partial<Record<Protocol, boolean>>;
  /** Why each protocol was not accepted. */
  rejected: Partial<Record<Protocol, string>>;
  /**
   * Protocols whose probing could not be finished (connection resets or socket errors on every attempt): the reason.
   * A protocol here that is also in `protocols` was accepted, but its suite list is incomplete; one that is not is
   * neither accepted nor refused — unknown.
   */
  lost: Partial<Record<Protocol, string>>;
  /** Of those, the ones lost to silence (the read timeout, not retried) rather than to resets. */
  unanswered?: Protocol[];
  /** Protocols whose preference check was lost the same way (so whose order wins there is unknown). */
  preferenceLost: Partial<Record<Protocol, string>>;
  /** Protocols left out of the scan on purpose (`ProbeOptions.protocols`): neither accepted nor refused. */
  unprobed?: Protocol[];
  /**
   * ECDH groups found by offering the weaker groups alone, after suite enumeration: a server that picks its own
   * preferred curve never shows a weaker one it also accepts.
   */
  weakGroups?: Array<{ protocol: Protocol; group: KxGroup }>;
  /** Why that search could not be finished (so the weakest ECDH group is unknown). */
  weakGroupsLost?: string;
  handshakes: number;
  /** ClientHello attempts per probe before a reset counts as lost evidence. */
  attempts?: number;
  /** Set when the endpoint could not be scanned (not TLS, tarpit, refused): the reason. */
  error?: string;
}

/** Which protocol versions to try (default all), and how to retry a probe whose connection was reset. */
export interface ProbeOptions {
  protocols?: readonly Protocol[];
  /** Attempts per ClientHello when the connection is reset or fails before an answer (default 3). */
  attempts?: number;
  /** Pause before the n-th retry: n × this, in ms (default 150). */
  retryDelayMs?: number;
}

/** An empty scan that ended with an error (the reason). */
export function failedScan(error: string, handshakes = 0): TlsScan {
  return {
    protocols: [],
    suites: [],
    serverPreference: {},
    rejected: {},
    lost: {},
    preferenceLost: {},
    handshakes,
    error,
  };
}

class Abort extends Error {}

/** Enumerate protocol versions and accepted suites with hand-built ClientHellos (accepted + 1 handshakes per version, + 1 for preference). */
export async function scanTls(
  open: Opener,
  slot: Slot,
  sni: string | null,
  options: ProbeOptions = {},
): Promise<TlsScan> {
  let handshakes = 0;
  let fatal: string | undefined;

  const attempts = Math.max(1, options.attempts ?? 3);
  const retryDelayMs = options.retryDelayMs ?? 150;

  const attempt = (spec: HelloSpec): Promise<HelloOutcome> =>
    slot(async () => {
      if (fatal !== undefined) throw new Abort(fatal);
      handshakes++;
      let wire: Wire;
      try {
        wire = await open();
      } catch (err) {
        const reason =
          err instanceof ConnectError || err instanceof WireTimeout
            ? err.message
            : `connection failed: ${(err as Error).message}`;
        return { kind: "broken", reason } satisfies HelloOutcome;
      }
      try {
        return spec.protocol === "SSLv2"
          ? await probeSsl2Hello(wire, spec.suites)
          : await probeHello(wire, spec);
      } catch (err) {
        if (err instanceof WireTimeout)
          return { kind: "broken", reason: `${err.message} to a ClientHello` } satisfies HelloOutcome;
        throw err;
      } finally {
        wire.close();
      }
    });

  /**
   * One ClientHello, retried when the answer is no evidence: a reset or socket error (`lost`) is retried up to
   * `attempts` times in all; a refusal by a bare close (no alert) is confirmed once more, since a server that drops
   * one connection is not the same as one that refuses the version. Alerts and ServerHellos are taken at once.
   */
  const probe = async (spec: HelloSpec): Promise<HelloOutcome> => {
    let out: HelloOutcome | undefined;
    let closes = 0;
    const resets: string[] = [];
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, retryDelayMs * i));
      out = await attempt(spec);
      if (out.kind === "lost") {
        if (out.final) return out;
        resets.push(out.reason);
        continue;
      }
      if (out.kind === "rejected" && out.by === "close" && ++closes < 2 && i + 1 < attempts) continue;
      return out;
    }
    if (out?.kind === "rejected") return out; // closed cleanly every time it answered at all
    return { kind: "lost", reason: [...new Set(resets)].join("; ") };
  };

  const acceptedSuite = (protocol: Protocol, code: number, out?: { group?: KxGroup; kxMissing?: string }) => {
    const s = suiteByCode(code, protocol === "SSLv2");
    return {
      protocol,
      code: s.code,
      iana: s.iana,
      openssl: s.openssl,
      kx: s.kx,
      auth: s.auth,
      enc: s.enc,
      encBits: s.encBits,
      mac: s.mac,
      forwardSecret: s.forwardSecret,
      strength: s.strength,
      weaknesses: s.weaknesses,
      ...(out?.group ? { group: out.group } : {}),
      ...(out?.kxMissing ? { groupMissing: out.kxMissing } : {}),
    } satisfies AcceptedSuite;
  };

  const perVersion = async (protocol: Protocol) => {
    const accepted: AcceptedSuite[] = [];
    let remaining = suitesFor(protocol).map((s) => s.code);
    let rejected: string | undefined;
    let lost: string | undefined;
    // SSLv2: one CLIENT-HELLO; the SERVER-HELLO lists every cipher kind the server has, and the client chooses (so
    // there is no server preference and no key-exchange group to look at).
    if (protocol === "SSLv2") {
      const out = await probe({ protocol, suites: remaining, sni });
      if (out.kind === "broken") {
        fatal ??= out.reason;
        throw new Abort(out.reason);
      }
      if (out.kind === "lost") lost = out.reason;
      else if (out.kind === "rejected") rejected = out.reason;
      else accepted.push(...(out.ssl2Suites ?? []).map((code) => acceptedSuite(protocol, code, undefined)));
      const unanswered = out.kind === "lost" && out.final === true;
      return {
        protocol,
        accepted,
        rejected,
        lost,
        preference: undefined,
        preferenceLost: undefined,
        weakGroups: [] as KxGroup[],
        weakGroupsLost: undefined,
        ssl2: out.kind === "accepted",
        unanswered,
      };
    }
    while (remaining.length) {
      const out = await probe({ protocol, suites: remaining, sni });
      if (out.kind === "broken") {
        fatal ??= out.reason;
        throw new Abort(out.reason);
      }
      if (out.kind === "lost") {
        lost = out.reason;
        break;
      }
      if (out.kind === "rejected") {
        if (accepted.length === 0) rejected = out.reason;
        break;
      }
      if (out.version !== PROTOCOL_WIRE[protocol]) {
        if (accepted.length === 0) rejected = `server answered with version 0x${out.version.toString(16)}`;
        break;
      }
      accepted.push(acceptedSuite(protocol, out.suite, out));
      remaining = remaining.filter((c) => c !== out.suite);
    }
    let preference: boolean | undefined;
    let preferenceLost: string | undefined;
    if (accepted.length >= 2) {
      // The server already chose accepted[0] over accepted[1]; offering them reversed shows whose order wins.
      const out = await probe({ protocol, suites: [accepted[1].code, accepted[0].code], sni });
      if (out.kind === "accepted" && out.version === PROTOCOL_WIRE[protocol])
        preference = out.suite === accepted[0].code;
      else if (out.kind === "lost" || out.kind === "broken") preferenceLost = out.reason;
    }
    // Curves: the server may have chosen its own favourite above; offer only the groups weaker than every one seen
    // with this version, one search per version, until it refuses them all.
    const weakGroups: KxGroup[] = [];
    let weakGroupsLost: string | undefined;
    const ecdhe = accepted.filter((a) => a.kx.startsWith("ECDHE"));
    const seen = ecdhe.flatMap((a) => (a.group?.kind === "ecdh" ? [a.group.bits] : []));
    if (protocol !== "TLSv1.3" && ecdhe.length && seen.length === ecdhe.length) {
      let weaker = [...GROUPS]
        .filter(([, g]) => g.kind === "ecdh" && g.bits < Math.min(...seen))
        .map(([code]) => code);
      while (weaker.length) {
        const out = await probe({ protocol, suites: ecdhe.map((a) => a.code), sni, groups: weaker });
        if (out.kind === "lost" || out.kind === "broken") {
          weakGroupsLost = out.reason;
          break;
        }
        if (out.kind !== "accepted" || out.version !== PROTOCOL_WIRE[protocol] || out.group?.kind !== "ecdh")
          break;
        const code = [...GROUPS].find(([c, g]) => weaker.includes(c) && g.name === out.group?.name)?.[0];
        weakGroups.push(out.group);
        if (code === undefined) break; // a group it was not offered: recorded, and the search ends
        weaker = weaker.filter((c) => c !== code);
      }
    }
    return {
      protocol,
      accepted,
      rejected,
      lost,
      preference,
      preferenceLost,
      weakGroups,
      weakGroupsLost,
      ssl2: false,
      unanswered: false,
    };
  };

  const protocols = options.protocols ?? PROTOCOLS;
  // SSLv2 starts last, so under the host's connection cap its probe never holds up the TLS versions'.
  const order = [...protocols.filter((p) => p !== "SSLv2"), ...protocols.filter((p) => p === "SSLv2")];
  const started = await Promise.allSettled(order.map(perVersion));
  const settled = protocols.map((p) => started[order.indexOf(p)]);
  const result: TlsScan = failedScan("", handshakes);
  delete result.error;
  const unprobed = PROTOCOLS.filter((p) => !protocols.includes(p));
  if (unprobed.length) result.unprobed = unprobed;
  for (const s of settled) {
    if (s.status === "rejected") {
      if (!(s.reason instanceof Abort)) throw s.reason;
      continue;
    }
    const v = s.value;
    if (v.lost !== undefined) result.lost[v.protocol] = v.lost;
    if (v.unanswered) (result.unanswered ??= []).push(v.protocol);
    if (v.preferenceLost !== undefined) result.preferenceLost[v.protocol] = v.preferenceLost;
    for (const group of v.weakGroups) (result.weakGroups ??= []).push({ protocol: v.protocol, group });
    if (v.weakGroupsLost !== undefined) result.weakGroupsLost ??= `${v.protocol}: ${v.weakGroupsLost}`;
    if (v.accepted.length || v.ssl2) {
      result.protocols.push(v.protocol);
      result.suites.push(...v.accepted);
      if (v.preference !== undefined) result.serverPreference[v.protocol] = v.preference;
    } else if (v.lost === undefined) result.rejected[v.protocol] = v.rejected ?? "no suite accepted";
  }
  result.handshakes = handshakes;
  result.attempts = attempts;
  if (fatal !== undefined) return failedScan(fatal, handshakes);
  if (result.protocols.length === 0) {
    // Nothing accepted: with no handshake completed there is no certificate to fetch either, so the whole target is
    // an error — whether the versions were refused or their probes were reset.
    const reasons = [...new Set([...Object.values(result.rejected), ...Object.values(result.lost)])];
    const lost = Object.keys(result.lost);
    result.error =
      `no protocol version was accepted (${reasons.join("; ")})` +
      (lost.length
        ? `; ${lost.join(", ")} could not be probed: ${attempts} attempts each ended without an answer, which is not a refusal`
        : "");
  }
  return result;
}
