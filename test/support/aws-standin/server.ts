// A wire-level AWS stand-in: real SDK clients talk HTTP to it on loopback. It reads the SigV4 credential scope for
// the region and service, maps the access key to an account, speaks each service's protocol, and injects faults.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleJson, JSON_SERVICES, jsonBody, jsonError, jsonOperation } from "./aws-json.js";
import { handleQuery, QUERY_SERVICES, queryBody, queryError } from "./aws-query.js";
import { ServiceError, type StandInRequest, type StandInState } from "./common.js";
import { ec2Body, ec2Error, handleEc2 } from "./ec2-query.js";
import { type Fixture, resolveDates } from "./fixture.js";
import { handleS3, s3Error, s3Operation } from "./rest-xml.js";

/** Kinds of injected fault. */
export type FaultKind = "AccessDenied" | "throttle" | "http500" | "slow" | "malformed" | "endlessPages";

/** One injected fault: which requests it hits, what happens, and how many times (default: every time). */
export interface Fault {
  /** SigV4 signing name: kms, rds, s3, ec2, cloudtrail, config, elasticloadbalancing, logs, acm, secretsmanager, iam, sts, organizations. */
  service?: string;
  operation?: string;
  account?: string;
  region?: string;
  kind: FaultKind;
  times?: number;
  /** For "slow": how long to stall before answering (default 10 s). */
  delayMs?: number;
}

/** Options of the stand-in. */
export interface StandInOptions {
  fixture: Fixture;
  /** Added to every response (the bench uses 20 ms). */
  latencyMs?: number;
  /** Largest page any list operation returns (small pages exercise pagination). */
  pageSize?: number;
  faults?: Fault[];
  /** Clock for relative fixture dates ("@now-30d"); default now. */
  now?: Date;
}

/** A running stand-in. */
export interface StandIn {
  url: string;
  /** Requests served per "service:Operation". */
  calls: Map<string, number>;
  totalCalls(): number;
  setFaults(faults: Fault[]): void;
  close(): Promise<void>;
}

const GLOBAL_SERVICES = new Set(["iam", "sts", "organizations"]);
const THROTTLE: Record<string, [string, number]> = {
  json: ["ThrottlingException", 400],
  query: ["Throttling", 400],
  ec2: ["RequestLimitExceeded", 503],
  s3: ["SlowDown", 503],
};
const DENIED: Record<string, [string, number]> = {
  json: ["AccessDeniedException", 400],
  query: ["AccessDenied", 403],
  ec2: ["UnauthorizedOperation", 403],
  s3: ["AccessDenied", 403],
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function protocolOf(service: string): "json" | "query" | "ec2" | "s3" {
  if (JSON_SERVICES.has(service)) return "json";
  if (QUERY_SERVICES.has(service)) return "query";
  if (service === "ec2") return "ec2";
  if (service === "s3") return "s3";
  throw new ServiceError("UnknownService", `stand-in does not speak ${service}`);
}

/** Start the stand-in on 127.0.0.1 (an ephemeral port). */
export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const state: StandInState = {
    fixture: resolveDates(options.fixture, options.now ?? new Date()),
    sessions: new Map(Object.entries(options.fixture.credentials)),
    pageSize: options.pageSize ?? 2,
  };
  let faults = (options.faults ?? []).map((f) => ({ ...f }));
  let endlessPage = 0;
  const calls = new Map<string, number>();

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://standin");
    const auth = String(req.headers.authorization ?? "");
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    let protocol: "json" | "query" | "ec2" | "s3" = "json";
    const send = (status: number, headers: Record<string, string>, body: string) => {
      if (res.destroyed) return;
      res.writeHead(status, { "x-amzn-requestid": "standin", ...headers });
      res.end(body);
    };
    const fail = (err: ServiceError, service: string) => {
      if (protocol === "json") {
        const e = jsonError(err);
        send(e.status, e.headers, e.body);
      } else if (protocol === "query")
        send(err.status, { "content-type": "text/xml" }, queryError(service, err));
      else if (protocol === "ec2") send(err.status, { "content-type": "text/xml" }, ec2Error(err));
      else send(err.status, { "content-type": "application/xml" }, s3Error(err));
    };
    if (!scope) {
      send(
        403,
        { "content-type": "application/json" },
        JSON.stringify({
          __type: "MissingAuthenticationTokenException",
          message: "Missing Authentication Token",
        }),
      );
      return;
    }
    const [, accessKeyId, region, service] = scope;
    try {
      protocol = protocolOf(service);
    } catch (err) {
      fail(err as ServiceError, service);
      return;
    }
    let operation: string;
    let params: Record<string, string | unknown> = {};
    let bucket: string | undefined;
    if (protocol === "json") {
      operation = jsonOperation(req.headers["x-amz-target"] as string | undefined);
      params = raw ? JSON.parse(raw) : {};
    } else if (protocol === "s3") {
      ({ operation, bucket } = s3Operation(req.method ?? "GET", url));
      params = Object.fromEntries(url.searchParams);
    } else {
      params = Object.fromEntries(new URLSearchParams(raw));
      operation = String(params.Action ?? "");
    }
    calls.set(`${service}:${operation}`, (calls.get(`${service}:${operation}`) ?? 0) + 1);
    if (options.latencyMs) await sleep(options.latencyMs);

    const account = state.sessions.get(accessKeyId);
    if (!account) {
      const code =
        protocol === "json"
          ? "UnrecognizedClientException"
          : protocol === "ec2"
            ? "AuthFailure"
            : protocol === "s3"
              ? "InvalidAccessKeyId"
              : "InvalidClientTokenId";
      fail(new ServiceError(code, "The security token included in the request is invalid.", 403), service);
      return;
    }
    const request: StandInRequest = { service, operation, account, region, accessKeyId, params };
    const fault = faults.find(
      (f) =>
        (f.times === undefined || f.times > 0) &&
        (!f.service || f.service === service) &&
        (!f.operation || f.operation === operation) &&
        (!f.account || f.account === account) &&
        (!f.region || f.region === region),
    );
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      switch (fault.kind) {
        case "AccessDenied": {
          const [code, status] = DENIED[protocol];
          fail(
            new ServiceError(code, `User is not authorized to perform: ${service}:${operation}`, status),
            service,
          );
          return;
        }
        case "throttle": {
          const [code, status] = THROTTLE[protocol];
          fail(new ServiceError(code, "Rate exceeded", status), service);
          return;
        }
        case "http500":
          fail(
            new ServiceError(
              protocol === "ec2" ? "InternalError" : "InternalFailure",
              "We encountered an internal error. Please try again.",
              500,
            ),
            service,
          );
          return;
        case "malformed":
          send(
            200,
            { "content-type": protocol === "json" ? "application/x-amz-json-1.1" : "text/xml" },
            protocol === "json" ? '{"Keys": [{"KeyId": ' : "<Response><Unclosed attr=>&&<",
          );
          return;
        case "slow":
          await sleep(fault.delayMs ?? 10_000);
          break;
        case "endlessPages": {
          // An empty page with a token never handed out before (awsJson list operations only).
          const n = ++endlessPage;
          send(
            200,
            { "content-type": "application/x-amz-json-1.1" },
            JSON.stringify({ Truncated: true, NextMarker: `m${n}`, NextToken: `t${n}` }),
          );
          return;
        }
      }
    }
    try {
      const account = state.fixture.accounts[request.account];
      if (!GLOBAL_SERVICES.has(service) && !account?.regions.includes(region)) {
        // What a region that is not enabled (opt-in not done) answers: the credentials are not valid there.
        const code =
          protocol === "json"
            ? "UnrecognizedClientException"
            : protocol === "ec2"
              ? "AuthFailure"
              : "InvalidClientTokenId";
        throw new ServiceError(
          code,
          "The security token included in the request is invalid.",
          protocol === "ec2" ? 401 : 403,
        );
      }
      if (protocol === "json")
        send(200, { "content-type": "application/x-amz-json-1.1" }, jsonBody(handleJson(state, request)));
      else if (protocol === "query")
        send(200, { "content-type": "text/xml" }, queryBody(request, handleQuery(state, request)));
      else if (protocol === "ec2")
        send(200, { "content-type": "text/xml;charset=UTF-8" }, ec2Body(request, handleEc2(state, request)));
      else {
        const out = handleS3(state, request, bucket);
        send(200, { "content-type": out.contentType, ...(out.headers ?? {}) }, out.body);
      }
    } catch (err) {
      if (err instanceof ServiceError) fail(err, service);
      else fail(new ServiceError("InternalFailure", `stand-in bug: ${(err as Error).message}`, 500), service);
    }
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    totalCalls: () => [...calls.values()].reduce((a, b) => a + b, 0),
    setFaults(f) {
      faults = f.map((x) => ({ ...x }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
