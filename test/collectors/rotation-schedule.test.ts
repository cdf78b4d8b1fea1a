import { describe, expect, it } from "vitest";
import { scheduleIntervalDays } from "../../src/collectors/rotation-schedule.js";

describe("rotation schedule intervals (Secrets Manager ScheduleExpression)", () => {
  it.each([
    ["rate(10 days)", 10],
    ["rate(1 day)", 1],
    ["rate(4 hours)", 1],
    ["rate(36 hours)", 2],
    // Every day at 04:00, several times a day, every Monday, weekdays.
    ["cron(0 4 * * ? *)", 1],
    ["cron(0 */4 * * ? *)", 1],
    ["cron(0 8 ? * MON *)", 7],
    ["cron(0 8 ? * 2 *)", 7],
    ["cron(0 8 ? * MON-FRI *)", 3],
    // The 1st of every month (longest gap: a 31-day month), every other month, once a year (a leap year: 366).
    ["cron(0 0 1 * ? *)", 31],
    ["cron(0 0 1 */2 ? *)", 62],
    ["cron(0 0 1 JAN ? *)", 366],
    // The last day of the month; the first Sunday; the last Friday.
    ["cron(0 0 L * ? *)", 31],
    ["cron(0 0 ? * SUN#1 *)", 35],
    ["cron(0 0 ? * 6L *)", 35],
    // Weekday rules repeat over 28 years, not four: a January with a fifth Wednesday can be five years from the next
    // (1,827 days). Feb 29 comes once every four years (the gap wraps into the next cycle).
    ["cron(0 0 ? 1 WED#5 *)", 1827],
    ["cron(0 0 29 2 ? *)", 1461],
  ])("%s → %i days", (expr, days) => {
    expect(scheduleIntervalDays(expr)).toBe(days);
  });

  it.each([
    "cron(0 0 15W * ? *)", // nearest weekday: not read
    "cron(0 0 1 * ? 2027)", // a fixed year is not a recurring interval
    "cron(0 0 1 * MON *)", // AWS requires one day field to be "?"
    "cron(0 0 31 2 ? *)", // never fires
    "cron(0 0 32 * ? *)",
    "cron(0 4 * *)",
    "rate(0 days)",
    "every day",
    "cron()",
    "cron(   )",
  ])("%s cannot be read as an interval", (expr) => {
    expect(scheduleIntervalDays(expr)).toBeUndefined();
  });

  it("reads blanks around the fields, and gives up on expressions longer than AWS allows without backtracking", () => {
    expect(scheduleIntervalDays("  cron(  0 0 1 * ? *  )  ")).toBe(31);
    // The old pattern took minutes on 10,000 blanks without a closing parenthesis.
    expect(scheduleIntervalDays(`cron(${" ".repeat(250)}`)).toBeUndefined();
    expect(scheduleIntervalDays(`cron(${" ".repeat(100_000)}`)).toBeUndefined();
    expect(scheduleIntervalDays(`cron(0 0 1 * ? *${" ".repeat(300)})`)).toBeUndefined();
  });
});
