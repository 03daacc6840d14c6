/** Kubewire's mark: a heptagon (Kubernetes) crossed by a wire carrying a packet. */
export function Logo({ size = 30 }: { readonly size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" className="logo">
      <path d="M16 2.5l10.6 5.1 2.6 11.5-7.3 9.2H10.1l-7.3-9.2 2.6-11.5z" fill="#326ce5" />
      <path d="M5 17.5h22" stroke="#fff" strokeWidth="2.4" strokeLinecap="round" />
      <rect
        x="11.5"
        y="13.5"
        width="9"
        height="8"
        rx="2"
        fill="#f59e0b"
        stroke="#fff"
        strokeWidth="1.4"
      />
    </svg>
  );
}
