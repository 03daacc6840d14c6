/** `#scenario=same-node&step=7`: what a user saw, restorable from the URL. */
export interface HashState {
  readonly scenario?: string;
  /** Raw value as written; validated against the simulation by the caller. */
  readonly step?: string;
  /** `challenge=1`: challenge mode (predict the next hop) is on. */
  readonly challenge?: boolean;
}

export function parseHash(hash: string): HashState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return {
    scenario: params.get('scenario') ?? undefined,
    step: params.get('step') ?? undefined,
    challenge: params.has('challenge') ? params.get('challenge') === '1' : undefined,
  };
}

export function formatHash(scenario: string, step: number, challenge = false): string {
  return `#scenario=${encodeURIComponent(scenario)}&step=${step}${challenge ? '&challenge=1' : ''}`;
}

/** A step index from the hash, or an explanation of why it cannot be used. */
export function parseStep(raw: string | undefined, count: number): number | string {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) return `step "${raw}" in the link is not a number`;
  const step = Number(raw);
  if (step >= count) return `step ${step} in the link is past the last step (${count - 1})`;
  return step;
}
