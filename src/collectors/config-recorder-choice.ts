/** What one AWS Config configuration recorder says about its account and region; null where it is not known. */
export interface RecorderFacts {
  recording: boolean | null;
  allSupported: boolean | null;
}

/**
 * The recorder whose facts stand for a region that has several (a customer managed recorder beside service-linked
 * ones, which record only what their service needs). The region records all resource types when any one recorder
 * records all supported types and is recording, so that recorder is chosen. Failing that, one whose unknown facts
 * could still make it so (the policy then reports an error, not a fail); failing that, the first. Facts are never
 * mixed across recorders: a stopped recorder of all types and a running one of a few types do not add up to a pass.
 */
export function chooseRecorder<T extends RecorderFacts>(recorders: readonly T[]): T | undefined {
  return (
    recorders.find((r) => r.recording === true && r.allSupported === true) ??
    recorders.find((r) => r.recording !== false && r.allSupported !== false) ??
    recorders[0]
  );
}
