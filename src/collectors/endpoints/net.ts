import { type Socket, connect as tcpConnect } from "node:net";

/** Time limits and connection limits for endpoint scanning. */
export interface NetOptions {
  /** TCP connect timeout in milliseconds. */
  connectTimeoutMs: number;
  /** Longest wait for a reply to one request (a ClientHello, an SSLRequest, an HTTP request), in milliseconds. */
  readTimeoutMs: number;
}

/** A probe ran out of time: the peer accepted the connection but did not answer. */
export class WireTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`no answer within ${ms} ms (${what})`);
  }
}

/** An unexpected exception as text for a `missing` reason: its class and message, so a bug stays visible. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** A connection could not be opened at all. */
export class ConnectError extends Error {
  constructor(
    message: string,
    /** The peer actively refused (RST on SYN). */
    readonly refused: boolean,
  ) {
    super(message);
  }
}

/** A connection-level failure that says nothing about the server's configuration: worth another attempt. */
export const RESET = /ECONNRESET|EPIPE|reset by peer|socket hang up/;

/** How a stream ended: the peer closed it cleanly (FIN), reset it (RST), or the socket failed otherwise. */
export type EndCause = "fin" | "reset" | "error";

/** Result of a read: the bytes, or the end of the stream with what arrived before it. */
export interface ReadResult {
  eof: boolean;
  data: Buffer;
  reason?: string;
  /** With eof: how the stream ended. Only "fin" is the peer's own decision; a reset or a socket error is not. */
  cause?: EndCause;
}

/** A socket with exact-length reads bounded by one deadline. */
export class Wire {
  private buf: Buffer = Buffer.alloc(0);
  private ended: string | undefined;
  private endCause: EndCause | undefined;
  private waiter: (() => void) | undefined;
  private deadline = 0;
  private what = "reply";

  constructor(
    readonly socket: Socket,
    private readonly readTimeoutMs: number,
  ) {
    socket.on("data", (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.waiter?.();
    });
    socket.on("end", () => this.finish("connection closed without an alert", "fin"));
    // A close without an "end" before it is not the peer's FIN (a local destroy, a failed socket).
    socket.on("close", () => this.finish("connection closed", "error"));
    socket.on("error", (err: NodeJS.ErrnoException) =>
      err.code === "ECONNRESET"
        ? this.finish("connection reset by peer", "reset")
        : this.finish(`socket error: ${err.code ?? err.message}`, "error"),
    );
    this.arm("reply");
  }

  private finish(reason: string, cause: EndCause): void {
    if (this.ended === undefined) {
      this.ended = reason;
      this.endCause = cause;
    }
    this.waiter?.();
  }

  /** Start a new deadline for the next exchange (e.g. after writing a request). */
  arm(what: string): void {
    this.deadline = Date.now() + this.readTimeoutMs;
    this.what = what;
  }

  /** Bytes buffered so far. */
  get buffered(): Buffer {
    return this.buf;
  }

  private wait(): Promise<void> {
    const left = this.deadline - Date.now();
    if (left <= 0) return Promise.reject(new WireTimeout(this.what, this.readTimeoutMs));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new WireTimeout(this.what, this.readTimeoutMs));
      }, left);
      this.waiter = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
    });
  }

  /** Read exactly n bytes; throws WireTimeout when the deadline passes first. */
  async read(n: number): Promise<ReadResult> {
    while (this.buf.length < n) {
      if (this.ended !== undefined) {
        const data = this.buf;
        this.buf = Buffer.alloc(0);
        return { eof: true, data, reason: this.ended, cause: this.endCause };
      }
      await this.wait();
    }
    const data = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return { eof: false, data };
  }

  /** Read up to and including a delimiter; throws WireTimeout, returns eof when the peer closes first. */
  async readUntil(delim: string, max = 65536): Promise<ReadResult> {
    for (;;) {
      const i = this.buf.indexOf(delim);
      if (i >= 0) {
        const data = this.buf.subarray(0, i + delim.length);
        this.buf = this.buf.subarray(i + delim.length);
        return { eof: false, data };
      }
      if (this.buf.length > max)
        return { eof: true, data: this.buf, reason: `no ${JSON.stringify(delim)} within ${max} bytes` };
      if (this.ended !== undefined)
        return { eof: true, data: this.buf, reason: this.ended, cause: this.endCause };
      await this.wait();
    }
  }

  /** Whatever else arrives shortly (for error previews); never waits past 200 ms or the deadline. */
  async peekRest(max: number): Promise<Buffer> {
    const until = Math.min(this.deadline, Date.now() + 200);
    while (this.buf.length < max && this.ended === undefined && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.buf.subarray(0, max);
  }

  /** Write bytes and arm the deadline; returns a reason when the peer is already gone. */
  async write(data: Buffer | string): Promise<string | undefined> {
    if (this.ended !== undefined || this.socket.destroyed) return this.ended ?? "connection closed";
    this.arm("reply");
    await new Promise<void>((resolve) => this.socket.write(data, () => resolve()));
    return undefined;
  }

  /** Hand the socket to another layer (node:tls) with any bytes already read; this Wire stops reading. */
  detach(): Socket {
    this.socket.removeAllListeners("data");
    this.socket.removeAllListeners("end");
    this.socket.removeAllListeners("close");
    this.socket.removeAllListeners("error");
    this.socket.on("error", () => {});
    return this.socket;
  }

  /** Close the connection. */
  close(): void {
    this.socket.destroy();
  }
}

/** Open a TCP connection within the connect timeout. */
export function openTcp(host: string, port: number, opts: NetOptions): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectError(`connect timeout after ${opts.connectTimeoutMs} ms`, false));
    }, opts.connectTimeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      resolve(new Wire(socket, opts.readTimeoutMs));
    });
    socket.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const msg =
        err.code === "ECONNREFUSED"
          ? "connection refused"
          : err.code === "ENOTFOUND" || err.code === "EAI_AGAIN"
            ? `host not found (${err.code})`
            : `connect failed: ${err.code ?? err.message}`;
      reject(new ConnectError(msg, err.code === "ECONNREFUSED"));
    });
  });
}

/** Caps simultaneous connections per host and spaces their starts by an optional delay. */
export class HostLimiter {
  private readonly active = new Map<string, number>();
  private readonly queues = new Map<string, Array<() => void>>();
  private readonly lastStart = new Map<string, number>();
  /** Connections opened per host, for statistics. */
  readonly opened = new Map<string, number>();

  constructor(
    private readonly maxPerHost: number,
    private readonly delayMs: number,
  ) {}

  private async acquire(host: string): Promise<void> {
    if ((this.active.get(host) ?? 0) >= this.maxPerHost) {
      await new Promise<void>((resolve) => {
        const q = this.queues.get(host) ?? [];
        q.push(resolve);
        this.queues.set(host, q);
      });
    } else this.active.set(host, (this.active.get(host) ?? 0) + 1);
    if (this.delayMs > 0) {
      const next = (this.lastStart.get(host) ?? 0) + this.delayMs;
      this.lastStart.set(host, Math.max(Date.now(), next));
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    this.opened.set(host, (this.opened.get(host) ?? 0) + 1);
  }

  private release(host: string): void {
    const q = this.queues.get(host);
    const next = q?.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.active.set(host, (this.active.get(host) ?? 1) - 1);
  }

  /** Run fn while holding one connection slot for host. */
  async run<T>(host: string, fn: () => Promise<T>): Promise<T> {
    await this.acquire(host);
    try {
      return await fn();
    } finally {
      this.release(host);
    }
  }
}

/** Map over items with at most `limit` running at once, keeping order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
