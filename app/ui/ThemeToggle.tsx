/** The header's light/dark switch: shows what a press gives, remembers the choice. */
import { Icon } from './Icon.tsx';
import { setTheme, useTheme } from './theme.ts';

export function ThemeToggle() {
  const theme = useTheme();
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-pressed={theme === 'dark'}
      onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
      title="Dark theme (follows your system until you choose)"
    >
      <Icon name={theme === 'dark' ? 'sun' : 'moon'} />{' '}
      <span className="visually-hidden">Dark theme</span>
    </button>
  );
}
