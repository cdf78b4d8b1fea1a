import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TestPki } from "./certs.js";

/** How the stand-in Elasticsearch behaves. */
export interface ElasticBehaviour {
  apiKey: string;
  /** Answer the first N `_bulk` requests with 503 (whole request). */
  unavailableFirst?: number;
  /** Answer every request with 503. */
  down?: boolean;
  /** Reject the first attempt at the first N items with a per-item 429 es_rejected_execution_exception. */
  rejectItemsFirst?: number;
  /** Per-item 400 mapper_parsing_exception for documents whose id matches. */
  badDocument?: (id: string) => boolean;
}

/** A local HTTPS server that follows Elasticsearch `_bulk`: NDJSON in, per-item results out, `create` semantics. */
export interface ElasticServer {
  url: string;
  /** Stored documents by `index/_id`. */
  docs: Map<string, Record<string, unknown>>;
  /** Every create attempt that reached the store (stored or conflicting), by `index/_id`. */
  attempts: Map<string, number>;
  requests: number;
  conflicts: number;
  behaviour: ElasticBehaviour;
  close(): Promise<void>;
}

function reply(res: import("node:http").ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function errorBody(status: number, type: string, reason: string) {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

/** Start the stand-in Elasticsearch on a loopback port with the test PKI's server certificate. */
export async function startElastic(pki: TestPki, behaviour: ElasticBehaviour): Promise<ElasticServer> {
  const state: ElasticServer = {
    url: "",
    docs: new Map(),
    attempts: new Map(),
    requests: 0,
    conflicts: 0,
    behaviour,
    close: async () => {},
  };
  const rejected = new Set<string>();
  const server: Server = createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "https://x");
      const auth = req.headers.authorization;
      if (auth !== `ApiKey ${behaviour.apiKey}`) {
        return reply(
          res,
          401,
          errorBody(
            401,
            "security_exception",
            "unable to authenticate with provided credentials and anonymous access is not allowed for this request",
          ),
        );
      }
      const parts = url.pathname.split("/").filter(Boolean);
      if (req.method !== "POST" || parts[parts.length - 1] !== "_bulk")
        return reply(
          res,
          405,
          errorBody(405, "illegal_argument_exception", `Incorrect HTTP method for uri [${url.pathname}]`),
        );
      if (!/^application\/(x-ndjson|json)/.test(req.headers["content-type"] ?? "")) {
        return reply(res, 406, {
          error: "Content-Type header [" + (req.headers["content-type"] ?? "") + "] is not supported",
          status: 406,
        });
      }
      const n = ++state.requests;
      if (behaviour.down || n <= (behaviour.unavailableFirst ?? 0))
        return reply(
          res,
          503,
          errorBody(503, "cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/2/no master];"),
        );
      if (!body.endsWith("\n"))
        return reply(
          res,
          400,
          errorBody(
            400,
            "illegal_argument_exception",
            "The bulk request must be terminated by a newline [\\n]",
          ),
        );
      const lines = body.split("\n");
      lines.pop();
      const items: unknown[] = [];
      let errors = false;
      const defaultIndex = parts.length > 1 ? parts[0] : undefined;
      for (let i = 0; i < lines.length; i += 2) {
        let action: Record<string, { _index?: string; _id?: string }>;
        let doc: Record<string, unknown>;
        try {
          action = JSON.parse(lines[i]);
          doc = JSON.parse(lines[i + 1] ?? "");
        } catch {
          return reply(
            res,
            400,
            errorBody(400, "x_content_parse_exception", `[1:1] Unexpected character at line ${i + 1}`),
          );
        }
        const op = Object.keys(action)[0];
        if (op !== "create")
          return reply(
            res,
            400,
            errorBody(400, "illegal_argument_exception", `test server expects create actions, got ${op}`),
          );
        const index = action.create._index ?? defaultIndex;
        const id = action.create._id;
        if (!index || !id)
          return reply(
            res,
            400,
            errorBody(400, "action_request_validation_exception", "Validation Failed: 1: index is missing;"),
          );
        const key = `${index}/${id}`;
        if (
          rejected.size < (behaviour.rejectItemsFirst ?? 0) &&
          !state.attempts.has(key) &&
          !rejected.has(key)
        ) {
          rejected.add(key);
          errors = true;
          items.push({
            create: {
              _index: index,
              _id: id,
              status: 429,
              error: {
                type: "es_rejected_execution_exception",
                reason: "rejected execution of coordinating operation",
              },
            },
          });
          continue;
        }
        if (behaviour.badDocument?.(id)) {
          errors = true;
          items.push({
            create: {
              _index: index,
              _id: id,
              status: 400,
              error: {
                type: "mapper_parsing_exception",
                reason: "failed to parse field [time] of type [date]",
              },
            },
          });
          continue;
        }
        state.attempts.set(key, (state.attempts.get(key) ?? 0) + 1);
        if (state.docs.has(key)) {
          state.conflicts++;
          errors = true;
          items.push({
            create: {
              _index: index,
              _id: id,
              status: 409,
              error: {
                type: "version_conflict_engine_exception",
                reason: `[${id}]: version conflict, document already exists (current version [1])`,
              },
            },
          });
          continue;
        }
        state.docs.set(key, doc);
        items.push({
          create: {
            _index: index,
            _id: id,
            _version: 1,
            result: "created",
            _shards: { total: 1, successful: 1, failed: 0 },
            _seq_no: state.docs.size - 1,
            _primary_term: 1,
            status: 201,
          },
        });
      }
      reply(res, 200, { took: 3, errors, items });
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
