import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TestPki } from "./certs.js";

/** How the stand-in Splunk HEC behaves. */
export interface HecBehaviour {
  token: string;
  /** Answer 503 {"text":"Server is busy","code":9} to the first N event requests. */
  busyFirst?: number;
  /** Answer 503 to every request (an outage for the whole run). */
  down?: boolean;
  /** Indexer acknowledgement on the token: requests need a channel; acks turn true after `ackAfterPolls` polls. */
  ack?: boolean;
  ackAfterPolls?: number;
  /** Indexes the token may write to (others: 400 code 7 "Incorrect index"). */
  allowedIndexes?: string[];
}

/** A received event envelope with the request it came in. */
export interface HecReceived {
  envelope: Record<string, unknown>;
  request: number;
}

/** A local HTTPS server that speaks the HEC protocol: /services/collector/event and /services/collector/ack. */
export interface HecServer {
  url: string;
  received: HecReceived[];
  requests: number;
  authHeaders: string[];
  behaviour: HecBehaviour;
  close(): Promise<void>;
}

function reply(res: import("node:http").ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=UTF-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** Parse a HEC body: JSON objects one after another, optionally separated by whitespace. Returns null when malformed. */
export function parseStacked(body: string): Array<Record<string, unknown>> | null {
  const out: Array<Record<string, unknown>> = [];
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /\s/.test(body[i])) i++;
    if (i >= body.length) break;
    if (body[i] !== "{") return null;
    let depth = 0;
    let inStr = false;
    let j = i;
    for (; j < body.length; j++) {
      const c = body[j];
      if (inStr) {
        if (c === "\\") j++;
        else if (c === '"') inStr = false;
      } else if (c === '"') inStr = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) break;
    }
    try {
      out.push(JSON.parse(body.slice(i, j + 1)) as Record<string, unknown>);
    } catch {
      return null;
    }
    i = j + 1;
  }
  return out;
}

/** Start the stand-in HEC on a loopback port with the test PKI's server certificate. */
export async function startHec(pki: TestPki, behaviour: HecBehaviour): Promise<HecServer> {
  const state: HecServer = {
    url: "",
    received: [],
    requests: 0,
    authHeaders: [],
    behaviour,
    close: async () => {},
  };
  const acks = new Map<number, { polls: number }>();
  let nextAck = 0;
  const server: Server = createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "https://x");
      if (req.method !== "POST") return reply(res, 405, { text: "Method not allowed", code: 6 });
      const auth = req.headers.authorization;
      state.authHeaders.push(auth ?? "");
      if (!auth) return reply(res, 401, { text: "Token is required", code: 2 });
      const m = /^Splunk (.+)$/.exec(auth);
      if (!m) return reply(res, 401, { text: "Invalid authorization", code: 3 });
      if (m[1] !== behaviour.token) return reply(res, 403, { text: "Invalid token", code: 4 });
      const channel =
        (req.headers["x-splunk-request-channel"] as string | undefined) ??
        url.searchParams.get("channel") ??
        undefined;
      if (url.pathname === "/services/collector/ack") {
        if (!behaviour.ack) return reply(res, 400, { text: "ACK is disabled", code: 14 });
        if (!channel) return reply(res, 400, { text: "Data channel is missing", code: 10 });
        const ids = (JSON.parse(body) as { acks: number[] }).acks;
        const out: Record<string, boolean> = {};
        for (const id of ids) {
          const a = acks.get(id);
          if (a) a.polls++;
          out[String(id)] = !!a && a.polls > (behaviour.ackAfterPolls ?? 0);
        }
        return reply(res, 200, { acks: out });
      }
      if (url.pathname !== "/services/collector/event" && url.pathname !== "/services/collector/event/1.0")
        return reply(res, 404, { text: "The requested URL was not found on this server.", code: 404 });
      const n = ++state.requests;
      if (behaviour.down || n <= (behaviour.busyFirst ?? 0))
        return reply(res, 503, { text: "Server is busy", code: 9 });
      if (behaviour.ack && !channel) return reply(res, 400, { text: "Data channel is missing", code: 10 });
      if (!body.trim()) return reply(res, 400, { text: "No data", code: 5 });
      const events = parseStacked(body);
      if (!events)
        return reply(res, 400, { text: "Invalid data format", code: 6, "invalid-event-number": 0 });
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        if (!("event" in e))
          return reply(res, 400, { text: "Event field is required", code: 12, "invalid-event-number": i });
        if (e.event === "" || e.event === null)
          return reply(res, 400, {
            text: "Event field cannot be blank",
            code: 13,
            "invalid-event-number": i,
          });
        if (
          e.index !== undefined &&
          behaviour.allowedIndexes &&
          !behaviour.allowedIndexes.includes(String(e.index))
        ) {
          return reply(res, 400, { text: "Incorrect index", code: 7, "invalid-event-number": i });
        }
      }
      for (const e of events) state.received.push({ envelope: e, request: n });
      if (behaviour.ack) {
        const id = nextAck++;
        acks.set(id, { polls: 0 });
        return reply(res, 200, { text: "Success", code: 0, ackId: id });
      }
      return reply(res, 200, { text: "Success", code: 0 });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
