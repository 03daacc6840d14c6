/**
 * Off the main thread: the rules-per-packet points of the Scaling chart. Each request gives
 * the current cluster's Services and EndpointSlices; the worker answers with that cluster's
 * points first, then the growing clusters' (SIZES, both modes, smallest first), each as soon
 * as it is computed. The growing clusters' points do not depend on the request: computed once.
 */
import { growingCluster, rulesPerPacket, SIZES, type ScalingPoint } from './scalingModel.ts';
import type { ScalingRequest, ScalingReply } from './scalingProtocol.ts';

const grown: ScalingPoint[] = [];
let growing = false;

const post = (m: ScalingReply) => (self as unknown as Worker).postMessage(m);

function grow(): void {
  if (growing) return;
  growing = true;
  const next = (i: number) => {
    if (i >= SIZES.length) return post({ kind: 'done' });
    const c = growingCluster(SIZES[i]);
    for (const mode of ['ipvs', 'iptables'] as const) {
      const p = rulesPerPacket(c.services, c.endpointSlices, mode);
      grown.push(p);
      post({ kind: 'growing', point: p });
    }
    setTimeout(() => next(i + 1), 0); // let a new request for the current cluster in
  };
  next(0);
}

self.onmessage = (e: MessageEvent<ScalingRequest>) => {
  const { id, services, endpointSlices } = e.data;
  const points = (['iptables', 'ipvs'] as const).map((mode) =>
    rulesPerPacket(services, endpointSlices, mode),
  );
  post({ kind: 'current', id, points });
  for (const p of grown) post({ kind: 'growing', point: p });
  grow();
};
