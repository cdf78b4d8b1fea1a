import type { ResourceDocument } from "../../core/types.js";
import type { MapContext } from "./context.js";
import type { ConfigItem } from "./parse.js";

/** How the collector treats one AWS Config resource type. */
export interface ConfigTypeHandler {
  /** The AWS Config resource type, e.g. `AWS::RDS::DBInstance`. */
  configType: string;
  /** First pass over every loaded file: record facts other items refer to (KMS keys, load balancers, aliases). */
  index?(item: ConfigItem, ctx: MapContext): void;
  /** Second pass: the resource document; types used only as context have no `map`. */
  map?(item: ConfigItem, ctx: MapContext): ResourceDocument;
}
