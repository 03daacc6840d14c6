/**
 * TCP's timers with Linux's values (include/net/tcp.h, net/ipv4/tcp_timer.c).
 *
 * SYN retransmission: the first RTO is TCP_TIMEOUT_INIT, 1 s. Since Linux 6.5
 * (tcp_syn_linear_timeouts, default 4) it stays 1 s until more than that many
 * retransmissions have gone, then doubles up to TCP_RTO_MAX; connect() gives
 * up once tcp_syn_retries + tcp_syn_linear_timeouts retransmissions went
 * unanswered (tcp_write_timeout). With the defaults (6 and 4): SYNs at 0, 1,
 * 2, 3, 4, 5, 7, 11, 19, 35 and 67 s, ETIMEDOUT at 131 s. Reference 4b shows
 * the first two at +1.01 s and +2.04 s: the timer wheel fires a 1 s timer up
 * to one 64 ms slot late, which we do not model.
 */
import type { Netns } from '../model.ts';
import { sysctl } from './sysctl.ts';

export const TCP_TIMEOUT_INIT_US = 1_000_000;
export const TCP_RTO_MAX_US = 120_000_000;
/** The delayed-ACK timer's shortest wait (TCP_DELACK_MIN, HZ/25). */
export const TCP_DELACK_MIN_US = 40_000;
/** TIME-WAIT lasts TCP_TIMEWAIT_LEN, a constant (tcp_fin_timeout is for orphaned FIN-WAIT-2). */
export const TCP_TIMEWAIT_LEN_US = 60_000_000;

/** net.ipv4.tcp_syn_retries' default; not one of the sysctls a scenario sets. */
const TCP_SYN_RETRIES_DEFAULT = 6;
const LINEAR_TIMEOUTS_DEFAULT = 4;

function sysctlInt(ns: Netns, key: string, fallback: number): number {
  const v = Number(sysctl(ns, key));
  return Number.isInteger(v) ? v : fallback;
}

export function synLinearTimeouts(ns: Netns): number {
  return sysctlInt(ns, 'net.ipv4.tcp_syn_linear_timeouts', LINEAR_TIMEOUTS_DEFAULT);
}

/** How many SYN retransmissions connect() waits through before ETIMEDOUT. */
export function synRetransmitLimit(ns: Netns): number {
  return sysctlInt(ns, 'net.ipv4.tcp_syn_retries', TCP_SYN_RETRIES_DEFAULT) + synLinearTimeouts(ns);
}

/** The wait after SYN retransmission `n` (1-based; 0 = the first SYN). */
export function synRto(n: number, linear: number): number {
  const doublings = Math.max(0, n - linear);
  return Math.min(TCP_TIMEOUT_INIT_US * 2 ** doublings, TCP_RTO_MAX_US);
}

/**
 * How often a pending timer tells the trace it is still waiting. The event
 * queue cannot take an event back (Linux's sk_stop_timer), so a timer is
 * two events: its expiry, as a background timer, and a foreground "still
 * needed" check every HOLD_US that stops once `needed()` says no. A stopped
 * timer then costs the trace at most HOLD_US of idle time, not its whole
 * delay (a 1 s SYN timer after the SYN-ACK came, an nc -w 3 after connect).
 */
const HOLD_US = 10_000;

export interface TimerHost {
  /** A foreground event: the trace waits for it. */
  at(delayUs: number, fn: () => void): void;
  /** A background event: it fires in time, but nothing waits for it. */
  timer(delayUs: number, fn: () => void): void;
}

/** Arms a timer that fires `fire` after `delayUs` if `needed()` still holds then. */
export function armTimer(
  host: TimerHost,
  delayUs: number,
  needed: () => boolean,
  fire: () => void,
): void {
  let left = delayUs;
  host.timer(delayUs, () => {
    if (needed()) fire();
  });
  const hold = () => {
    if (left <= 0 || !needed()) return;
    const step = Math.min(HOLD_US, left);
    left -= step;
    host.at(step, hold);
  };
  hold();
}
