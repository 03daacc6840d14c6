/**
 * The errors the API server's ClusterIP and NodePort allocators return, with
 * their exact texts (pkg/registry/core/service/ipallocator/interfaces.go and
 * portallocator/allocator.go, v1.33). The Service storage wraps them into
 * field errors (service-errors.ts); these are the innermost words a user sees.
 */

export type AllocatorErrorCode = 'full' | 'allocated' | 'not-in-range' | 'mismatched-network';

export class AllocatorError extends Error {
  constructor(
    readonly code: AllocatorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AllocatorError';
  }
}

/** ipallocator.ErrFull and portallocator.ErrFull. */
export const RANGE_FULL = 'range is full';
/** ipallocator.ErrAllocated. */
export const IP_ALREADY_ALLOCATED = 'provided IP is already allocated';
/**
 * ipallocator.ErrMismatchedNetwork. With the ServiceCIDR allocator (the default
 * in 1.33) an address outside every ServiceCIDR finds no allocator at all and
 * this is the error, not "not in the valid range".
 */
export const IP_MISMATCHED_NETWORK = 'the provided network does not match the current range';
/** portallocator.ErrAllocated. */
export const PORT_ALREADY_ALLOCATED = 'provided port is already allocated';

/** ipallocator.ErrNotInRange: an address of the CIDR that is not allocatable (network or broadcast). */
export function ipNotInRange(ip: string, validRange: string): string {
  return `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${validRange}`;
}

/** portallocator.ErrNotInRange; validPorts as PortRange.String() prints it ("30000-32767"). */
export function portNotInRange(validPorts: string): string {
  return `provided port is not in the valid range. The range of valid ports is ${validPorts}`;
}
