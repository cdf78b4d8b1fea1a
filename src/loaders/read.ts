import { constants } from "node:buffer";
import { readFileSync, statSync } from "node:fs";
import { CipherproofError } from "../core/errors.js";

/**
 * Read a UTF-8 file; a missing or unreadable file is a clear input error. `tooLargeHint` says how to make a file too
 * large to read smaller.
 */
export function readText(
  file: string,
  what: string,
  tooLargeHint = "split it into several smaller files",
): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new CipherproofError("FILE_NOT_FOUND", `${what} not found`, { file }, "check the path");
    if (code === "EISDIR")
      throw new CipherproofError("FILE_UNREADABLE", `${what} is a directory, expected a file`, { file });
    if (code === "ERR_STRING_TOO_LONG" || code === "ERR_FS_FILE_TOO_LARGE")
      throw tooLarge(file, what, tooLargeHint);
    throw new CipherproofError("FILE_UNREADABLE", `cannot read ${what}: ${code ?? (err as Error).message}`, {
      file,
    });
  }
}

/** True when the path is an existing directory. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The error for a file holding more text than one JavaScript string can (2^29 − 24 characters in V8, about 512 MiB):
 * it cannot be parsed as one JSON document. `hint` says how to make it smaller.
 */
export function tooLarge(file: string, what: string, hint: string): CipherproofError {
  const chars = constants.MAX_STRING_LENGTH.toLocaleString("en-US");
  return new CipherproofError(
    "FILE_UNREADABLE",
    `${what} is too large to read: it holds more than ${chars} characters (about 512 MiB), the most one JSON document can have here`,
    { file },
    hint,
  );
}
