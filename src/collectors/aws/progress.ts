import type { ProgressSink } from "./options.js";

/** A one-line progress bar (units = account × region × service) for a terminal; silent when not a TTY. */
export function terminalProgress(write: (s: string) => void, isTTY: boolean, width = 30): ProgressSink {
  let total = 0;
  let done = 0;
  let last = 0;
  const draw = (label: string, calls: number) => {
    const filled = total ? Math.round((done / total) * width) : 0;
    write(
      `\r\x1b[2K[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total} ${calls} API calls  ${label.slice(0, 60)}`,
    );
  };
  return {
    start(n) {
      total = n;
      if (isTTY) draw("starting", 0);
    },
    tick(label, calls) {
      done++;
      const now = Date.now();
      // Redraw at most ten times a second; the last tick always draws.
      if (isTTY && (now - last > 100 || done === total)) {
        last = now;
        draw(label, calls);
      }
    },
    done() {
      if (isTTY) write("\r\x1b[2K");
    },
  };
}
