import type { AccountFixture, Api, Fixture, RegionFixture } from "./fixture.js";

/** An AWS service error the stand-in answers with, in the protocol's own error shape. */
export class ServiceError extends Error {
  /** Error code (ThrottlingException, AccessDenied, …) and HTTP status. */
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** One decoded request, whatever the protocol. */
export interface StandInRequest {
  service: string;
  operation: string;
  account: string;
  region: string;
  accessKeyId: string;
  params: Record<string, Api>;
}

/** What every protocol handler can reach: the fixture, the sessions AssumeRole created, page size. */
export interface StandInState {
  fixture: Fixture;
  /** Access key id → account id, for static keys and assumed-role sessions. */
  sessions: Map<string, string>;
  pageSize: number;
}

/** The account's fixture (always present: the request was authenticated against it). */
export function accountOf(state: StandInState, req: StandInRequest): AccountFixture {
  const a = state.fixture.accounts[req.account];
  if (!a)
    throw new ServiceError(
      "InvalidClientTokenId",
      "The security token included in the request is invalid.",
      403,
    );
  return a;
}

/** The region's fixture, or an empty one. */
export function regionOf(state: StandInState, req: StandInRequest): RegionFixture {
  return accountOf(state, req).regionData[req.region] ?? {};
}

/** Slice a list for one page: tokens are opaque offsets; the page is the smaller of the requested and the server size. */
export function page<T>(
  items: T[],
  token: unknown,
  requested: unknown,
  pageSize: number,
): { items: T[]; next?: string } {
  const start = token ? Number(String(token).replace(/^tok-/, "")) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw new ServiceError("InvalidNextTokenException", "invalid pagination token");
  const want = requested !== undefined && requested !== "" ? Number(requested) : pageSize;
  const size = Math.max(1, Math.min(want, pageSize));
  const slice = items.slice(start, start + size);
  return { items: slice, next: start + size < items.length ? `tok-${start + size}` : undefined };
}

/** A fresh request id. */
export function requestId(): string {
  return `req-${Math.random().toString(16).slice(2, 10)}-${Date.now().toString(16)}`;
}

/** Parse an ARN into its parts. */
export function arnParts(
  arn: string,
): { partition: string; service: string; region: string; account: string; resource: string } | undefined {
  const m = /^arn:(aws[a-z-]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(arn);
  return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : undefined;
}
