/** The messages between the Scaling panel and its worker (scaling.worker.ts). */
import type { EndpointSlice, Service } from '@kubewire/sim-core';
import type { ScalingPoint } from './scalingModel.ts';

export interface ScalingRequest {
  readonly id: number;
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
}

export type ScalingReply =
  | { readonly kind: 'current'; readonly id: number; readonly points: readonly ScalingPoint[] }
  | { readonly kind: 'growing'; readonly point: ScalingPoint }
  | { readonly kind: 'done' };
