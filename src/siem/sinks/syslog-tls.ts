import { isIP } from "node:net";
import { connect, type TLSSocket } from "node:tls";
import { appendAll } from "../../core/arrays.js";
import { backoffDelay, DEFAULT_RETRY, sleep } from "../retry.js";
import type { RetryPolicy, TargetOptions } from "../spec.js";
import type { TlsMaterial } from "../tls.js";
import type { SiemEvent } from "../types.js";
import { batches } from "./batch.js";
import { eventSyslog, type Sink, type SinkEnv, type SinkResult } from "./sink.js";

/** RFC 5425 octet-counting frame: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. */
export function frame(message: string): Buffer {
  const msg = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${msg.length} `, "ascii"), msg]);
}

/**
 * Send one batch over a fresh TLS connection and close it cleanly. TCP has no application acknowledgement, so the
 * batch counts as delivered only when (1) the receiver did not close the connection on its own while we were
 * sending — a syslog receiver never does that unless it refuses us, e.g. a TLS 1.3 server rejecting our client
 * certificate after the handshake, which it may signal with a plain close — and (2) after our close it closes its
 * side too, having read everything. Otherwise the whole batch is resent or spooled.
 */
function sendBatch(
  host: string,
  port: number,
  data: Buffer,
  tls: TlsMaterial,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    let weEnded = false;
    let settle: NodeJS.Timeout | undefined;
    const started = Date.now();
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(settle);
      if (err) {
        sock.destroy();
        reject(err);
      } else resolve();
    };
    const timer = setTimeout(
      () => finish(Object.assign(new Error(`no clean close within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
      timeoutMs,
    );
    const sock: TLSSocket = connect({
      host,
      port,
      ...(isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
      ...tls,
    });
    sock.once("secureConnect", () => {
      // A refusal after the handshake reaches us within about one round trip; the handshake took two.
      const wait = Math.min(2_000, Math.max(50, 2 * (Date.now() - started)));
      sock.write(data, (err) => {
        if (err) return finish(err);
        settle = setTimeout(() => {
          weEnded = true;
          sock.end();
        }, wait);
      });
    });
    sock.on("data", () => {
      // syslog receivers do not answer; anything sent back is ignored
    });
    const closed = () =>
      finish(
        weEnded
          ? undefined
          : new Error("the receiver closed the connection while we were sending (refused?)"),
      );
    sock.once("end", closed);
    sock.once("close", (hadError) =>
      hadError ? finish(new Error("connection closed with an error")) : closed(),
    );
    sock.once("error", (err) => finish(err));
  });
}

/** Delivers events as RFC 5424 messages over TLS (RFC 5425 octet counting), one connection per batch. */
export function syslogTlsSink(
  host: string,
  port: number,
  o: TargetOptions,
  tls: TlsMaterial,
  env: SinkEnv,
): Sink {
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...o.retry };
  const timeoutMs = o.timeoutMs ?? 30_000;
  return {
    async deliver(events: SiemEvent[]): Promise<SinkResult> {
      const frames = events.map((e) => ({
        event: e,
        data: frame(eventSyslog(e, env, { facility: o.facility, enterpriseId: o.enterpriseId })),
      }));
      const groups = batches(frames, (f) => f.data.length, o.batchEvents ?? 1000, o.batchBytes ?? 4_000_000);
      const undelivered: SiemEvent[] = [];
      const errors: string[] = [];
      let delivered = 0;
      let stopped = false;
      for (const group of groups) {
        if (stopped) {
          appendAll(
            undelivered,
            group.map((f) => f.event),
          );
          continue;
        }
        const data = Buffer.concat(group.map((f) => f.data));
        let lastError = "";
        let ok = false;
        for (let attempt = 0; attempt < retry.attempts && !ok; attempt++) {
          if (attempt > 0) await sleep(backoffDelay(attempt - 1, retry));
          try {
            await sendBatch(host, port, data, tls, timeoutMs);
            ok = true;
          } catch (err) {
            const e = err as NodeJS.ErrnoException;
            lastError = e.code ? `${e.code}: ${e.message}` : e.message;
            // A certificate the client cannot verify will not verify on the next attempt either.
            if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ALTNAME/.test(e.code ?? "")) break;
          }
        }
        if (ok) delivered += group.length;
        else {
          appendAll(
            undelivered,
            group.map((f) => f.event),
          );
          errors.push(`syslog+tls://${host}:${port}: ${lastError}`);
          stopped = true;
        }
      }
      return { delivered, undelivered, errors };
    },
    close() {},
  };
}
