import { Worker } from "node:worker_threads";
import type { Digester } from "../core/engine/evaluate.js";

/**
 * Finding ids on a second thread: the engine's `Digester` backed by one worker thread that hashes resource ids
 * (SHA-256, the first 96 bits in hex: `resourceIdPart`) while the main thread evaluates. Hashing 100,000 ids costs
 * 50–80 ms on the main thread of a 2-core machine, a quarter of an evaluation; on the worker it overlaps with it, and
 * the main thread keeps no per-resource hash output (the halves are slices of one string).
 *
 * The ids go over as UTF-8 in a SharedArrayBuffer (as `crypto.hash` encodes a string: a lone surrogate becomes
 * U+FFFD) with their byte lengths; the worker writes 24 hex characters per id into a second one and wakes the main
 * thread with Atomics. Anything that goes wrong — no worker, a worker error, a worker that stops making progress —
 * makes `wait` return undefined, and the engine hashes the ids itself: a slower scan, never a different one.
 */

/** The worker's code: CommonJS, evaluated (no file to ship next to a bundle). */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const crypto = require("node:crypto");
const hex = crypto.hash
  ? (bytes) => crypto.hash("sha256", bytes, "hex")
  : (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");
parentPort.on("message", ({ input, lengths, output, state }) => {
  const st = new Int32Array(state);
  try {
    const src = Buffer.from(input);
    const dst = Buffer.from(output);
    let off = 0;
    for (let i = 0; i < lengths.length; i++) {
      const end = off + lengths[i];
      dst.write(hex(src.subarray(off, end)).slice(0, 24), i * 24, 24, "latin1");
      off = end;
      if ((i & 1023) === 1023) Atomics.store(st, 1, i + 1);
    }
    Atomics.store(st, 1, lengths.length);
    Atomics.store(st, 0, 1);
  } catch {
    Atomics.store(st, 0, 2);
  }
  Atomics.notify(st, 0);
});
`;

/** Options for `digestWorker`; the defaults are what `scan` uses. */
export interface DigestWorkerOptions {
  /** Fewest resources worth a worker (default 20,000: below it hashing costs the main thread under 15 ms). */
  minResources?: number;
  /** How long the worker may go without progress before the main thread stops waiting (default 10,000 ms). */
  stallMs?: number;
  /** The worker's code (tests use it to make a worker fail). */
  source?: string;
}

const DONE = 1;
const FAILED = 2;

/** A `Digester` on one worker thread, started at its first batch and not keeping the process alive. */
export function digestWorker(options: DigestWorkerOptions = {}): Digester {
  const stallMs = options.stallMs ?? 10_000;
  let worker: Worker | undefined;
  let broken = false;
  // Reused from batch to batch. Batches run one after another; a batch the main thread gave up on may still read
  // the input, but it writes only to its own output, which nobody reads any more.
  let input = new SharedArrayBuffer(1);
  let output = new SharedArrayBuffer(1);
  let lastDone = true;
  const ensure = (): Worker | undefined => {
    if (worker || broken) return worker;
    try {
      const w = new Worker(options.source ?? WORKER_SOURCE, { eval: true });
      w.unref();
      // A worker that dies (out of memory, a bug) is replaced at the next batch; this batch times out on progress.
      const forget = () => {
        if (worker === w) worker = undefined;
      };
      w.on("error", forget);
      w.on("exit", forget);
      worker = w;
    } catch {
      broken = true;
      worker = undefined;
    }
    return worker;
  };
  return {
    minResources: options.minResources ?? 20_000,
    start(ids) {
      const w = ensure();
      if (!w) return { wait: () => undefined };
      const n = ids.length;
      const lengths = new Uint32Array(n);
      let units = 0;
      for (let i = 0; i < n; i++) units += ids[i].length;
      // UTF-8 takes at most 3 bytes per UTF-16 code unit.
      if (input.byteLength < units * 3) input = new SharedArrayBuffer(units * 3);
      const bytes = Buffer.from(input);
      let off = 0;
      for (let i = 0; i < n; i++) {
        const written = bytes.write(ids[i], off, "utf8");
        lengths[i] = written;
        off += written;
      }
      if (!lastDone || output.byteLength < n * 24) output = new SharedArrayBuffer(Math.max(1, n * 24));
      const out = output;
      lastDone = false;
      const state = new SharedArrayBuffer(8);
      const st = new Int32Array(state);
      try {
        w.postMessage({ input, lengths, output: out, state });
      } catch {
        return { wait: () => undefined };
      }
      return {
        wait() {
          let progress = -1;
          let since = performance.now();
          for (;;) {
            const s = Atomics.load(st, 0);
            if (s === DONE) {
              lastDone = true;
              return Buffer.from(out).toString("latin1", 0, n * 24);
            }
            if (s === FAILED) return undefined;
            const now = Atomics.load(st, 1);
            if (now !== progress) {
              progress = now;
              since = performance.now();
            } else if (performance.now() - since > stallMs) {
              // Stuck or dead (its exit cannot be seen while this thread waits): start afresh at the next batch.
              if (worker === w) worker = undefined;
              void w.terminate();
              return undefined;
            }
            Atomics.wait(st, 0, 0, 50);
          }
        },
      };
    },
  };
}

/** The digester `scan` evaluates with: one worker per process. */
export const SCAN_DIGESTER: Digester = digestWorker();
