import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * Loopback ports for servers that must be told their port before they start (openssl s_server, nginx, PostgreSQL,
 * rsyslog), and for ports that must stay closed.
 *
 * A port the kernel hands out for `listen(0)` is free only at that moment: the next `listen(0)` in the same test
 * file can be handed the same port before the server that was meant to get it binds it. A CI run once found the
 * "good" TLS server on the port a test expected to be closed. So these ports come from a slice below the kernel's
 * ephemeral range, which `listen(0)` and outgoing connections never use, one slice per vitest worker, and a port is
 * handed out at most once per test file.
 */
const SLICE = 200;
const ephemeralStart = (() => {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(low) ? low : 32768;
  } catch {
    return 32768;
  }
})();
// VITEST_POOL_ID runs from 1 to the worker count; each worker gets its own slice, never a shared one (a machine with
// more workers than slices below the range falls back to the kernel's choice below).
const pool = Number.parseInt(process.env.VITEST_POOL_ID ?? "1", 10);
const worker = Number.isInteger(pool) && pool > 0 ? pool - 1 : 0;
const base = ephemeralStart - SLICE * (worker + 1);
// Files that follow one another in a worker start at different places, so a server the previous file is still
// stopping does not cost a probe.
let cursor = Math.floor(Math.random() * SLICE);
let handed = 0;

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A loopback TCP port that nothing listens on and that no other `freePort()` or `listen(0)` in this run hands out. */
export async function freePort(): Promise<number> {
  // An ephemeral range that starts low (or more workers than fit below it) leaves no room: the kernel chooses.
  if (base < 1024) return kernelPort();
  while (handed < SLICE) {
    const port = base + (cursor++ % SLICE);
    handed++;
    if (await bindable(port)) return port;
  }
  throw new Error(`test/support/ports.ts: all ${SLICE} ports from ${base} were handed out or busy`);
}
