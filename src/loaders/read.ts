import { readFileSync, statSync } from "node:fs";
import { CipherproofError } from "../core/errors.js";

/** Read a UTF-8 file; a missing or unreadable file is a clear input error. */
export function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new CipherproofError("FILE_NOT_FOUND", `${what} not found`, { file }, "check the path");
    if (code === "EISDIR")
      throw new CipherproofError("FILE_UNREADABLE", `${what} is a directory, expected a file`, { file });
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
