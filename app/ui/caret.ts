/** Put a textarea's caret at a 1-based line and column, and scroll that line into view. */
export function placeCaret(area: HTMLTextAreaElement, line: number, column: number): void {
  const lines = area.value.split('\n');
  const row = Math.min(Math.max(1, line), lines.length) - 1;
  const start = lines.slice(0, row).reduce((n, l) => n + l.length + 1, 0);
  const at = start + Math.min(Math.max(0, column - 1), lines[row].length);
  area.focus();
  area.setSelectionRange(at, at);
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20;
  area.scrollTop = Math.max(0, row * lineHeight - area.clientHeight / 3);
}
