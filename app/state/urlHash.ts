/** `#scenario=same-node&step=7`: what a user saw, restorable from the URL. */
export interface HashState {
  readonly scenario?: string;
  /** Raw value as written; validated against the simulation by the caller. */
  readonly step?: string;
  /** `challenge=1`: challenge mode (predict the next hop) is on. */
  readonly challenge?: boolean;
  /** `compare=cni:flannel/host-gw` (or a short form, `host-gw`): compare mode's other side; raw. */
  readonly compare?: string;
  /** `cstep=N`: the other side's step; raw, validated against its trace by the caller. */
  readonly cstep?: string;
}

/** Compare mode's part of the hash: the canonical target and the other side's step. */
export interface CompareHash {
  readonly target: string;
  readonly cstep: number;
}

export function parseHash(hash: string): HashState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return {
    scenario: params.get('scenario') ?? undefined,
    step: params.get('step') ?? undefined,
    challenge: params.has('challenge') ? params.get('challenge') === '1' : undefined,
    compare: params.get('compare') ?? undefined,
    cstep: params.get('cstep') ?? undefined,
  };
}

export function formatHash(
  scenario: string,
  step: number,
  challenge = false,
  compare?: CompareHash,
): string {
  // ':' and '/' are kept as written: URLSearchParams reads them back, and the link stays readable.
  const other = compare
    ? `&compare=${encodeURIComponent(compare.target).replace(/%3A/g, ':').replace(/%2F/g, '/')}&cstep=${compare.cstep}`
    : '';
  return `#scenario=${encodeURIComponent(scenario)}&step=${step}${challenge ? '&challenge=1' : ''}${other}`;
}

/** A step index from the hash, or an explanation of why it cannot be used. */
export function parseStep(raw: string | undefined, count: number): number | string {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) return `step "${raw}" in the link is not a number`;
  const step = Number(raw);
  if (step >= count) return `step ${step} in the link is past the last step (${count - 1})`;
  return step;
}
