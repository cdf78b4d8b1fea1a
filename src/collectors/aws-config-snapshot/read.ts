import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { CipherproofError } from "../../core/errors.js";
import { parseJson } from "../../core/json.js";
import { tooLarge } from "../../loaders/read.js";
import type { SnapshotFileInfo } from "./parse.js";

/** A decoded input file: its JSON document and identity. */
export interface SnapshotInput {
  doc: unknown;
  file: SnapshotFileInfo;
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Turn a file's bytes into its JSON document: gunzip when the bytes are gzip (by magic number, whatever the
 * extension), then parse. The SHA-256 is of the bytes as stored. Pure apart from CPU work.
 */
export function decodeSnapshotBytes(bytes: Uint8Array, file: string): SnapshotInput {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  let data: Uint8Array = bytes;
  if (isGzip(bytes)) {
    try {
      data = gunzipSync(bytes);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw snapshotTooLarge(file);
      throw new CipherproofError(
        "SNAPSHOT_INVALID",
        `not valid gzip data (${(err as Error).message})`,
        { file },
        "the file starts like gzip but does not decompress; download it again",
      );
    }
  }
  // A .gz name on plain JSON happens when a download was transparently decompressed, so the name decides nothing.
  let text: string;
  try {
    text = new TextDecoder("utf-8").decode(data);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ERR_STRING_TOO_LONG") throw err;
    throw snapshotTooLarge(file);
  }
  return { doc: parseJson(text, file), file: { file, sha256 } };
}

function snapshotTooLarge(file: string): CipherproofError {
  return tooLarge(
    file,
    "snapshot file",
    "split its configurationItems over several snapshot files and pass each with --snapshot",
  );
}

/** Read one snapshot file from disk; a missing or unreadable file is a clear input error. */
export async function readSnapshotFile(file: string): Promise<SnapshotInput> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new CipherproofError(
        "FILE_NOT_FOUND",
        "snapshot file not found",
        { file },
        "check the path given to --snapshot",
      );
    if (code === "EISDIR")
      throw new CipherproofError("FILE_UNREADABLE", "snapshot path is a directory, expected a file", {
        file,
      });
    if (code === "ERR_FS_FILE_TOO_LARGE") throw snapshotTooLarge(file);
    throw new CipherproofError(
      "FILE_UNREADABLE",
      `cannot read snapshot file: ${code ?? (err as Error).message}`,
      { file },
    );
  }
  return decodeSnapshotBytes(bytes, file);
}
