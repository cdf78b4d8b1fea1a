import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { CipherproofError } from "../core/errors.js";

/** Snapshot file names: .json or .json.gz, in any case (`X.JSON.GZ` is the same kind of file). */
const SNAPSHOT_FILE = /\.json(\.gz)?$/i;

/**
 * The snapshot files a list of --snapshot arguments stands for: a folder stands for the .json / .json.gz files
 * directly inside it, in name order; a file (or a path that does not exist, which the collector then reports) for
 * itself. A folder without any is a usage error.
 */
export function expandSnapshots(paths: string[]): string[] {
  return paths.flatMap((p) => {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      return [p];
    }
    if (!isDir) return [p];
    const files = readdirSync(p, { withFileTypes: true })
      .filter((d) => SNAPSHOT_FILE.test(d.name) && !d.isDirectory())
      .map((d) => d.name)
      .sort()
      .map((n) => join(p, n));
    if (files.length === 0)
      throw new CipherproofError(
        "USAGE",
        "no .json or .json.gz snapshot files in folder",
        { file: p },
        "give the snapshot files themselves, or a folder that holds them directly (subfolders are not read)",
      );
    return files;
  });
}
