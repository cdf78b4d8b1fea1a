import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../support/ports.js";
import type { TestPki } from "./certs.js";

/** Path of rsyslogd when installed (Debian: /usr/sbin/rsyslogd). */
export function findRsyslogd(): string | undefined {
  for (const p of ["/usr/sbin/rsyslogd", "/sbin/rsyslogd", "/usr/local/sbin/rsyslogd"])
    if (existsSync(p)) return p;
  const r = spawnSync("sh", ["-c", "command -v rsyslogd"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** True when the gtls network stream driver (Debian package rsyslog-gnutls) is installed. */
export function hasGtls(): boolean {
  return (
    [
      "/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so",
      "/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_gtls.so",
      "/usr/lib/rsyslog/lmnsd_gtls.so",
    ].some(existsSync) ||
    spawnSync(
      "sh",
      ["-c", "ls /usr/lib/*/rsyslog/lmnsd_gtls.so /usr/lib/rsyslog/lmnsd_gtls.so 2>/dev/null"],
      { encoding: "utf8" },
    ).stdout.trim() !== ""
  );
}

export { freePort };

/** A running rsyslogd that receives RFC 5425 syslog over TLS and writes each raw message as one line. */
export interface Rsyslog {
  port: number;
  dir: string;
  out: string;
  /** Raw messages received so far, one per line. */
  lines(): string[];
  /** Wait until at least `n` messages arrived (or fail after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<string[]>;
  stop(): Promise<void>;
}

/** Start rsyslogd in the foreground with its own config, pid file and work folder; `mtls` requires a client certificate. */
export async function startRsyslog(
  bin: string,
  pki: TestPki,
  o: { mtls: boolean; port?: number },
): Promise<Rsyslog> {
  const dir = mkdtempSync(join(tmpdir(), "cipherproof-rsyslog-"));
  const work = join(dir, "work");
  mkdirSync(work);
  const out = join(dir, "received.log");
  const port = o.port ?? (await freePort());
  const conf = `
global(
  workDirectory="${work}"
  maxMessageSize="64k"
  defaultNetstreamDriver="gtls"
  defaultNetstreamDriverCAFile="${pki.caFile}"
  defaultNetstreamDriverCertFile="${pki.serverCert}"
  defaultNetstreamDriverKeyFile="${pki.serverKey}"
)
module(load="imtcp"
  streamDriver.name="gtls"
  streamDriver.mode="1"
  streamDriver.authMode="${o.mtls ? "x509/certvalid" : "anon"}"
)
input(type="imtcp" port="${port}" address="127.0.0.1" supportOctetCountedFraming="on")
template(name="raw" type="string" string="%rawmsg%\\n")
action(type="omfile" file="${out}" template="raw" flushOnTXEnd="on" asyncWriting="off")
`;
  const confFile = join(dir, "rsyslog.conf");
  writeFileSync(confFile, conf);
  const check = spawnSync(bin, ["-N1", "-f", confFile], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`rsyslogd rejected its config: ${check.stderr || check.stdout}`);
  const child: ChildProcess = spawn(bin, ["-n", "-f", confFile, "-i", join(dir, "rsyslogd.pid")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  // Ready when the TLS listener accepts connections.
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rsyslogd exited (${child.exitCode}): ${log}`);
    const up = await new Promise<boolean>((r) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        r(true);
      });
      s.once("error", () => r(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`rsyslogd did not listen on ${port}: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const lines = () => (existsSync(out) ? readFileSync(out, "utf8").split("\n").filter(Boolean) : []);
  return {
    port,
    dir,
    out,
    lines,
    async waitFor(n, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const l = lines();
        if (l.length >= n || Date.now() > end) return l;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
