import { printable } from "./printable.js";

/** Machine-readable error codes; one per kind of bad input or operational failure. */
export type ErrorCode =
  | "JSON_SYNTAX"
  | "YAML_SYNTAX"
  | "FILE_NOT_FOUND"
  | "FILE_UNREADABLE"
  | "POLICY_INVALID"
  | "POLICY_UNKNOWN_PROPERTY"
  | "POLICY_VACUOUS"
  | "POLICY_DUPLICATE_ID"
  | "POLICY_UNKNOWN_TYPE"
  | "POLICY_PARAMETER"
  | "POLICY_SCHEMA"
  | "POLICY_NOT_FOUND"
  | "CONFIG_INVALID"
  | "WAIVER_INVALID"
  | "FRAMEWORK_INVALID"
  | "SNAPSHOT_INVALID"
  | "FINDINGS_INVALID"
  | "BUNDLE_INVALID"
  | "KEY_INVALID"
  | "ENDPOINTS_INVALID"
  | "AWS_ACCESS"
  | "NOTHING_EVALUATED"
  | "USAGE";

/** Where in an input the problem is. */
export interface ErrorLocation {
  file?: string;
  /** JSON pointer into the document, e.g. `/assert/properties/storageEncryted`. */
  pointer?: string;
  line?: number;
  column?: number;
}

/** An expected failure caused by bad input or usage; rendered for people without a stack trace. */
export class CipherproofError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}, hint?: string) {
    super(message);
    this.name = "CipherproofError";
    this.code = code;
    this.location = location;
    this.hint = hint;
  }
}

/** Several input errors found in one pass (e.g. every bad policy file), reported together. */
export class CipherproofErrors extends Error {
  readonly errors: CipherproofError[];

  constructor(errors: CipherproofError[]) {
    super(errors.map((e) => e.message).join("; "));
    this.name = "CipherproofErrors";
    this.errors = errors;
  }
}

/** True when the value is one of our expected, user-facing errors. */
export function isCipherproofError(err: unknown): err is CipherproofError | CipherproofErrors {
  return err instanceof CipherproofError || err instanceof CipherproofErrors;
}

/** Render an error for people: `file:line:col (pointer): message` plus a hint line. */
export function formatError(err: CipherproofError): string {
  const loc = err.location;
  let where = "";
  if (loc.file) {
    where = loc.file;
    if (loc.line !== undefined) where += `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ""}`;
  }
  if (loc.pointer !== undefined) where += `${where ? " " : ""}at ${loc.pointer === "" ? "/" : loc.pointer}`;
  // Messages quote input (names, keys, values): shown escaped, so they cannot forge lines or act on a terminal.
  const head = `error[${err.code}]${where ? ` ${printable(where)}` : ""}: ${printable(err.message)}`;
  return err.hint ? `${head}\n  hint: ${printable(err.hint)}` : head;
}

/** Render one or many errors, one block per error. */
export function formatErrors(err: CipherproofError | CipherproofErrors): string {
  const list = err instanceof CipherproofErrors ? err.errors : [err];
  return list.map(formatError).join("\n");
}

/** Escape one JSON pointer segment (RFC 6901). */
export function pointerSegment(s: string | number): string {
  return String(s).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Build a JSON pointer from segments. */
export function toPointer(segments: Array<string | number>): string {
  return segments.map((s) => `/${pointerSegment(s)}`).join("");
}
