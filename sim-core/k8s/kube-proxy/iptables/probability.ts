/**
 * kube-proxy's computeProbability(n): fmt.Sprintf("%0.10f", 1.0/float64(n)),
 * the --probability of the rule that picks one of n remaining endpoints.
 * Go rounds the double's exact decimal value half to even; JavaScript's
 * toFixed rounds a tie up, so an exact tie (1/2048 = 0.00048828125) is
 * settled here the Go way.
 */
export function computeProbability(n: number): string {
  return goFixed(1 / n, 10);
}

/** Go's %.<digits>f for a non-negative double. */
export function goFixed(x: number, digits: number): string {
  const plain = x.toFixed(digits);
  const long = x.toFixed(Math.min(100, digits + 40));
  const tail = long.slice(long.length - 40);
  if (!/^50*$/.test(tail)) return plain;
  // An exact tie: keep the truncated value if its last digit is even.
  const truncated = long.slice(0, long.length - 40);
  const last = Number(truncated[truncated.length - 1]);
  return last % 2 === 0 ? truncated : plain;
}

/**
 * The probability kube-proxy writes for endpoint i (0-based) of n in a
 * KUBE-SVC-/KUBE-SVL- chain: 1/(n-i); the last endpoint gets no statistic
 * match (undefined).
 */
export function endpointProbability(i: number, n: number): string | undefined {
  return i < n - 1 ? computeProbability(n - i) : undefined;
}
