/**
 * Captures of a trace, as tcpdump would take them: every device a frame was
 * seen on is a capture point ("node-1/cni0", "node-1/default/pod-a/eth0"),
 * each sighting carries its direction. The whole trace exports as pcapng
 * with one interface per capture point; one device's capture exports as a
 * classic pcap, like `tcpdump -i DEV -w FILE`.
 */
import type { CapturePoint, Step } from './model.ts';
import { EPOCH_SECONDS } from './dataplane/transport.ts';
import { writePcap } from './wire/pcap.ts';
import { writePcapng } from './wire/pcapng.ts';

export const capturePointName = (p: { netns: string; iface: string }) => `${p.netns}/${p.iface}`;

const epochUs = (s: Step) => EPOCH_SECONDS * 1e6 + s.timeUs;

/** Every capture point in the order the trace first reaches it. */
export function capturePoints(steps: readonly Step[]): string[] {
  const seen = new Set<string>();
  for (const s of steps) for (const p of s.seenAt ?? []) seen.add(capturePointName(p));
  return [...seen];
}

export function exportPcapng(steps: readonly Step[]): Uint8Array {
  const names = capturePoints(steps);
  const index = new Map(names.map((n, i) => [n, i]));
  const packets = steps.flatMap((s) =>
    (s.seenAt ?? []).map((p: CapturePoint) => ({
      iface: index.get(capturePointName(p))!,
      timeUs: epochUs(s),
      data: s.frame!,
      direction: p.direction,
    })),
  );
  return writePcapng(
    names.map((name) => ({ name })),
    packets,
  );
}

/** The frames one capture point saw, in order (tcpdump -i). */
export function captureSteps(steps: readonly Step[], point: string): Step[] {
  return steps.filter((s) => s.frame && s.seenAt?.some((p) => capturePointName(p) === point));
}

export function exportCapture(steps: readonly Step[], point: string): Uint8Array {
  return writePcap(captureSteps(steps, point).map((s) => ({ timeUs: epochUs(s), data: s.frame! })));
}
