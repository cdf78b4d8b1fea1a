import { Agent, request } from "node:https";
import type { TlsMaterial } from "../tls.js";

/** A response read in full. */
export interface HttpResponse {
  status: number;
  body: string;
}

/** A keep-alive HTTPS agent that verifies the server against the system roots or the given CA. */
export function httpsAgent(tls: TlsMaterial): Agent {
  return new Agent({
    keepAlive: true,
    maxSockets: 4,
    rejectUnauthorized: true,
    minVersion: "TLSv1.2",
    ...tls,
  });
}

/** POST a body over HTTPS and read the whole response; network failures reject with the system error. */
export function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
  agent: Agent,
  timeoutMs: number,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () =>
      req.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A one-line description of a network error (code and message, never request headers). */
export function networkError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
}
