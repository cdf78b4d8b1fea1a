/*
 * Secrets Manager rotation schedules (`RotationRules.ScheduleExpression`) as the longest time between two rotations,
 * in whole days: what a "rotated at least every N days" policy needs. Both the live collector and the AWS Config
 * snapshot mapper read schedules this way.
 *
 * `rate(N days)` / `rate(N hours)` is a fixed interval. `cron(minutes hours day-of-month month day-of-week year)` is
 * judged by the calendar: the days it fires on over one whole cycle of the calendar it depends on — four years (a
 * leap-year cycle) for days of the month, 28 years (the cycle of weekdays over dates, exact from 1901 to 2099) for
 * days of the week — and the longest gap between them, counting the gap that wraps into the next cycle. Supported: `*`, `?`, numbers, names (JAN–DEC, SUN–SAT), lists, ranges, steps, `L` (last day of the month),
 * `nL` (last weekday n of the month) and `n#k` (k-th weekday n). Anything else (`W`, a year other than `*`) gives
 * undefined: the collector then reports the interval missing instead of guessing.
 */

const DAY_MS = 86_400_000;
/** First day of the window cron schedules are laid out on (starts a leap-year cycle). */
const WINDOW_START = Date.UTC(2024, 0, 1);
/** Four years: the cycle of days of the month. */
const LEAP_CYCLE_DAYS = 4 * 365 + 1;
/** 28 years: the cycle of weekdays over dates (7 leap-year cycles). */
const WEEKDAY_CYCLE_DAYS = 7 * LEAP_CYCLE_DAYS;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Days between rotations for a schedule expression, or undefined when it cannot be derived. */
export function scheduleIntervalDays(expression: string): number | undefined {
  // AWS caps schedule expressions at 256 characters; anything longer is not one (and is not parsed at all).
  if (expression.length > 256) return undefined;
  const text = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$/i.exec(text);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1) return undefined;
    // A rotation every few hours happens at least daily; rounding up keeps the interval an upper bound.
    return rate[2].toLowerCase().startsWith("day") ? n : Math.max(1, Math.ceil(n / 24));
  }
  // Sliced rather than matched with /cron\((.+?)\)/: that pattern backtracks for a long run of blanks.
  if (!/^cron\(/i.test(text) || !text.endsWith(")")) return undefined;
  const fields = text.slice(5, -1).trim();
  return fields ? cronIntervalDays(fields.split(/\s+/)) : undefined;
}

/** A set of allowed values for one field, from `*`, lists, ranges and steps; undefined when unsupported. */
function valueSet(field: string, min: number, max: number, names: string[] = []): Set<number> | undefined {
  const out = new Set<number>();
  const num = (s: string): number | undefined => {
    const i = names.indexOf(s.toUpperCase());
    if (i >= 0) return i + min;
    return /^\d+$/.test(s) ? Number(s) : undefined;
  };
  for (const part of field.split(",")) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    let lo = min;
    let hi = max;
    if (m[1] !== "*") {
      const [a, b] = m[1].split("-");
      const x = num(a);
      const y = b === undefined ? (m[2] ? max : x) : num(b);
      if (x === undefined || y === undefined) return undefined;
      lo = x;
      hi = y;
    }
    const step = m[2] ? Number(m[2]) : 1;
    if (lo < min || hi > max || lo > hi || step < 1) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** A day-of-month or day-of-week test for one date, or undefined when the field uses unsupported syntax. */
type DayTest = (date: Date) => boolean;

function dayOfMonthTest(field: string): DayTest | undefined {
  if (field === "?") return () => true;
  if (field === "L") return (d) => new Date(d.getTime() + DAY_MS).getUTCDate() === 1;
  const set = valueSet(field, 1, 31);
  return set && ((d) => set.has(d.getUTCDate()));
}

function dayOfWeekTest(field: string): DayTest | undefined {
  if (field === "?") return () => true;
  const weekday = (s: string) => {
    const i = WEEKDAYS.indexOf(s.toUpperCase());
    return i >= 0 ? i : /^[1-7]$/.test(s) ? Number(s) - 1 : undefined;
  };
  const nth = /^([A-Za-z]+|\d)#([1-5])$/.exec(field);
  if (nth) {
    const wd = weekday(nth[1]);
    const k = Number(nth[2]);
    return wd === undefined ? undefined : (d) => d.getUTCDay() === wd && Math.ceil(d.getUTCDate() / 7) === k;
  }
  const last = /^([A-Za-z]+|\d)L$/.exec(field);
  if (last) {
    const wd = weekday(last[1]);
    return wd === undefined
      ? undefined
      : (d) => d.getUTCDay() === wd && new Date(d.getTime() + 7 * DAY_MS).getUTCMonth() !== d.getUTCMonth();
  }
  // AWS numbers weekdays 1 (SUN) to 7 (SAT).
  const set = valueSet(field, 1, 7, WEEKDAYS);
  return set && ((d) => set.has(d.getUTCDay() + 1));
}

function cronIntervalDays(fields: string[]): number | undefined {
  if (fields.length !== 6) return undefined;
  const [minutes, hours, dom, month, dow, year] = fields;
  if (!valueSet(minutes, 0, 59) || !valueSet(hours, 0, 23) || year !== "*") return undefined;
  // AWS requires one of the two day fields to be "?".
  if ((dom === "?") === (dow === "?")) return undefined;
  const months = valueSet(month, 1, 12, MONTHS);
  const domTest = dayOfMonthTest(dom);
  const dowTest = dayOfWeekTest(dow);
  if (!months || !domTest || !dowTest) return undefined;
  const window = dow === "?" ? LEAP_CYCLE_DAYS : WEEKDAY_CYCLE_DAYS;
  let first: number | undefined;
  let previous: number | undefined;
  let longest = 0;
  for (let i = 0; i < window; i++) {
    const d = new Date(WINDOW_START + i * DAY_MS);
    if (!months.has(d.getUTCMonth() + 1) || !domTest(d) || !dowTest(d)) continue;
    if (previous !== undefined) longest = Math.max(longest, i - previous);
    first ??= i;
    previous = i;
  }
  // The calendar repeats after the window, so the last run is followed by the next cycle's first.
  if (first === undefined || previous === undefined) return undefined;
  return Math.max(longest, first + window - previous);
}
