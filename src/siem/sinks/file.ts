import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { SiemEvent } from "../types.js";
import { eventLine, type Sink, type SinkResult } from "./sink.js";

/** Appends one event per line to a file and fsyncs it (NDJSON for the JSON formats). */
export function fileSink(path: string): Sink {
  return {
    async deliver(events: SiemEvent[]): Promise<SinkResult> {
      let fd: number | undefined;
      try {
        mkdirSync(dirname(path), { recursive: true });
        fd = openSync(path, "a");
        const text = events.map((e) => `${eventLine(e)}\n`).join("");
        const buf = Buffer.from(text, "utf8");
        let off = 0;
        while (off < buf.length) off += writeSync(fd, buf, off);
        fsyncSync(fd);
        return { delivered: events.length, undelivered: [], errors: [] };
      } catch (err) {
        return {
          delivered: 0,
          undelivered: events,
          errors: [`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`],
        };
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    },
    close() {},
  };
}

/** Writes one event per line to standard output. */
export function stdoutSink(write: (s: string) => void): Sink {
  return {
    async deliver(events: SiemEvent[]): Promise<SinkResult> {
      for (const e of events) write(`${eventLine(e)}\n`);
      return { delivered: events.length, undelivered: [], errors: [] };
    },
    close() {},
  };
}
