/** Stroke icons (24×24), drawn inline so they take the text colour. */
const PATHS = {
  play: 'M7 4.5v15l12-7.5z',
  pause: 'M7 5h3.5v14H7zM13.5 5H17v14h-3.5z',
  back: 'M17 5v14l-10-7z M6 5v14',
  forward: 'M7 5v14l10-7z M18 5v14',
  first: 'M18 5v14l-9-7z M6 5v14',
  last: 'M6 5v14l9-7z M18 5v14',
  open: 'M4 6.5h6l2 2h8v10H4z',
  edit: 'M4 20h4L19 9l-4-4L4 16z M13.5 6.5l4 4',
  download: 'M12 4v11 M7 10.5l5 5 5-5 M5 20h14',
  close: 'M6 6l12 12 M18 6L6 18',
  present: 'M4 5h16v11H4z M9 20h6 M12 16v4',
  alert: 'M12 4l9 16H3z M12 10v4.5 M12 17.2v.3',
  chevron: 'M9 6l6 6-6 6',
  info: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18 M12 11v6 M12 7.5v.5',
  table: 'M4 5h16v14H4z M4 10h16 M4 14.5h16 M10 10v9',
  key: 'M15 5a4 4 0 1 1 0 8a4 4 0 1 1 0-8 M12.2 11.8L4 20 M6.5 17.5l2 2 M9 15l2 2',
  moon: 'M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z',
  sun: 'M12 8a4 4 0 1 1 0 8a4 4 0 1 1 0-8 M12 2.5v2 M12 19.5v2 M2.5 12h2 M19.5 12h2 M5.3 5.3l1.4 1.4 M17.3 17.3l1.4 1.4 M5.3 18.7l1.4-1.4 M17.3 6.7l1.4-1.4',
  image: 'M4 5h16v14H4z M4 16l5-5 4 4 2-2 5 5 M15.5 8.5v.5',
  quiz: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18 M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .8-1 1.5v.7 M12 17v.5',
  compare: 'M3.5 5h7v14h-7z M13.5 5h7v14h-7z M6 9h2 M16 9h2',
  follow: 'M12 3v4 M12 17v4 M3 12h4 M17 12h4 M12 9a3 3 0 1 1 0 6a3 3 0 1 1 0-6',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1 M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
} as const;

export type IconName = keyof typeof PATHS;

const FILLED: ReadonlySet<IconName> = new Set([
  'play',
  'pause',
  'back',
  'forward',
  'first',
  'last',
]);

export function Icon({ name, size = 20 }: { readonly name: IconName; readonly size?: number }) {
  const filled = FILLED.has(name);
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      fill={filled ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={filled ? 1.2 : 2}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
