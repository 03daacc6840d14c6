/**
 * The AGE column: apimachinery's duration.HumanDuration (~2–3 significant
 * figures) of the time since the object's creationTimestamp, as kubectl's
 * printers compute it in translateTimestampSince.
 */

const SECOND = 1_000_000; // µs
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's int(d.Seconds()) and d / unit: truncation toward zero. */
const per = (us: number, unit: number) => Math.trunc(us / unit);

/** duration.HumanDuration of a duration in microseconds. */
export function humanDuration(us: number): string {
  const seconds = per(us, SECOND);
  // Up to 2 s in the future still reads as now (clock skew between machines).
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = per(us, MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = per(us, HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: `<unknown>` for an object with no creation time. */
export function translateTimestampSince(createdUs: number | undefined, nowUs: number): string {
  if (createdUs === undefined) return '<unknown>';
  return humanDuration(nowUs - createdUs);
}
