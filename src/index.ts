/** Library API: everything the CLI and the GitHub Action are thin shells over. */

export { createContext, evaluate, evaluateOne } from "./core/engine/evaluate.js";
export { CipherproofError, CipherproofErrors, formatErrors } from "./core/errors.js";
export type { CompiledPolicy } from "./core/policy/compile.js";
export { compilePolicy } from "./core/policy/compile.js";
export { exitCodeFor, summarize } from "./core/summary.js";
export type * from "./core/types.js";
export { renderConsole } from "./reporters/console.js";
export { findingsDocument, renderJson, renderJsonChunks } from "./reporters/json.js";
export { RESOURCE_TYPES } from "./resources/index.js";
export type { ScanOptions, ScanResult, ScanSource } from "./scan.js";
export { gate, loadPolicySet, scan, TOOL_VERSION } from "./scan.js";
export type { SiemIO, SiemOptions, TargetReport } from "./siem/deliver.js";
export { deliverSiem, flushSpools } from "./siem/deliver.js";
export { buildEvents, scanContext } from "./siem/events.js";
export { FORMATTERS as SIEM_FORMATTERS } from "./siem/formats/index.js";
