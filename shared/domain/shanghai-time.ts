/** Local time in Asia/Shanghai, the bureau's zone (no zod: hearing-state.ts and other zod-free modules use it). */

/**
 * Asia/Shanghai has been UTC+8 without daylight saving since 1992, so from then on an instant's local
 * date and time are those of the instant shifted by 8 hours, read in UTC. This replaces an
 * `Intl.DateTimeFormat` built at import, whose time-zone data cost ~20 ms of every cold start (issue 13);
 * earlier instants still go through Intl, built on first use.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const FIXED_OFFSET_SINCE_MS = Date.UTC(1991, 11, 31, 16);
let shanghaiParts: Intl.DateTimeFormat | undefined;

/** `YYYY-MM-DDTHH:mm` in Asia/Shanghai. */
export function shanghaiDateTime(now: Date): string {
  const t = now.getTime();
  if (t >= FIXED_OFFSET_SINCE_MS) return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
  shanghaiParts ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(shanghaiParts.formatToParts(now).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
