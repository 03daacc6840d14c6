/**
 * The masquerade mark: NewProxier formats 1<<masqueradeBit with Go's
 * fmt.Sprintf("%#08x", v). Go pads the digits themselves to the width (the
 * "0x" prefix is not counted), so bit 14 gives "0x00004000" — what kube-proxy
 * writes in its restore input and logs; iptables-save prints it back as
 * 0x4000.
 */
export function masqueradeMark(bit: number): string {
  const v = 2 ** bit;
  return `0x${v.toString(16).padStart(8, '0')}`;
}
