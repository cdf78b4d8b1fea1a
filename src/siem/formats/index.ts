import type { SiemFormat, SiemFormatter } from "../types.js";
import { cef } from "./cef.js";
import { ecs } from "./ecs.js";
import { hec } from "./hec.js";
import { ocsf } from "./ocsf.js";
import { rfc5424 } from "./rfc5424.js";

/** Every format by name. */
export const FORMATTERS: Record<SiemFormat, SiemFormatter> = { ocsf, ecs, cef, rfc5424, hec };
