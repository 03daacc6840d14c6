/**
 * Props that make a drawn object (a pod, a node, the node network) a button:
 * focusable, named, opened by a click, Enter or Space. A drag that pans the
 * picture is no click (d3-zoom swallows it).
 */
import type { KeyboardEvent, MouseEvent } from 'react';

export function pressable(label: string, open: () => void) {
  return {
    role: 'button',
    tabIndex: 0,
    'aria-label': label,
    onClick: (e: MouseEvent) => {
      e.stopPropagation();
      open();
    },
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      e.stopPropagation();
      open();
    },
  } as const;
}
