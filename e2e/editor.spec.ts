/**
 * The scenario editor (CodeMirror): `kubewire validate`'s diagnostics inline
 * as you type, at the line they are about; the last good trace stays while
 * the text is broken; Run rebuilds; undo; a pasted manifest located; the
 * loader's warnings; the draft across a reload; axe with the editor open.
 */
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

const sameNode = readFileSync(
  new URL('../public/scenarios/same-node.yaml', import.meta.url),
  'utf8',
);
const POD_B_LINE = sameNode.split('\n').findIndex((l) => l === '  name: pod-b') + 1;

/** Diagnostics come from a worker a moment after the last key: a few seconds on a loaded machine. */
const LINT_WAIT = { timeout: 10_000 };

/** Puts the caret at the end of 1-based `line` with the keyboard, as a user would. */
async function caretToLineEnd(app: KubewirePage, line: number): Promise<void> {
  await app.editor.click();
  await app.page.keyboard.press('Control+Home');
  for (let i = 1; i < line; i++) await app.page.keyboard.press('ArrowDown');
  await app.page.keyboard.press('End');
  await expect.poll(async () => (await app.editorCaret()).line).toBe(line);
}

test('a syntax error typed shows inline at its line, the trace stays; undo restores; a fix and Run rebuild', async ({
  page,
}) => {
  expect(POD_B_LINE).toBeGreaterThan(1);
  const app = await new KubewirePage(page).open('#scenario=same-node&step=5');
  await app.openEditor();
  await app.expectEditorText(sameNode);
  await caretToLineEnd(app, POD_B_LINE);
  // "name: pod-b: x" is a mapping nested in a compact mapping: YAML refuses it on that line.
  await page.keyboard.type(': x');
  await expect
    .poll(() => app.lintMarks(), LINT_WAIT)
    .toContainEqual(expect.objectContaining({ line: POD_B_LINE, severity: 'error' }));
  // The gutter marks the line too, and the message says where, as the CLI does.
  await page.locator('.cm-lintRange-error').first().hover();
  await expect(page.locator('.cm-tooltip-lint')).toContainText(
    new RegExp(`^${POD_B_LINE}:\\d+ YAML syntax error`),
  );
  // Nothing was run: the last good trace is on screen where it was.
  await expect(app.topology).toContainText('pod-b');
  await expect(app.counter.locator('strong')).toHaveText('5');
  await expect(app.errorBanner).toHaveCount(0);

  // Undo takes the typing back (in CodeMirror's groups of typing: at most one per key), and the diagnostic goes with it.
  for (let i = 0; i < 6 && (await app.editorText()) !== sameNode; i++)
    await page.keyboard.press('Control+z');
  await app.expectEditorText(sameNode);
  await expect.poll(() => app.lintMarks(), LINT_WAIT).toEqual([]);
  for (let i = 0; i < 6 && !(await app.editorText()).includes('pod-b: x'); i++)
    await page.keyboard.press('Control+Shift+z');
  await app.expectEditorText(/name: pod-b: x/);

  // Fix it by hand (a new name) and Run: a new trace, with the new name.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('z');
  await app.expectEditorText(/name: pod-z\n/);
  await app.button(/^Run/).click();
  // The action still names pod-b: validate says so at the action's line, and nothing is shown.
  await expect(app.errorBanner).toContainText('there is no pod default/pod-b');
  await expect(app.topology).toContainText('pod-b');
  await page.keyboard.press('Control+z');
  await app.editor.fill(sameNode.replace(/pod-b/g, 'pod-z'));
  await app.expectEditorText(sameNode.replace(/pod-b/g, 'pod-z'));
  await page.keyboard.press('Control+Enter');
  // The worker simulates the new text first: seconds on a loaded 2-core CI box.
  await expect(app.topology).toContainText('pod-z', { timeout: 30_000 });
  await expect(app.errorBanner).toHaveCount(0);
  await expect(page).toHaveURL(/#scenario=custom/);
  await expect(page.locator('.editor-status')).toHaveText('running on screen');
});

test('a pasted manifest with an error is located at its line, inline and when run', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open();
  await app.openEditor();
  await app.editor.click();
  await page.keyboard.press('Control+a');
  const manifest = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  replicas: two',
    '  selector:',
    '    matchLabels:',
    '      app: web',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    '    spec:',
    '      containers:',
    '        - name: nginx',
    '          image: nginx:1.27',
    '',
  ].join('\n');
  await app.pasteIntoEditor(manifest);
  await app.expectEditorText(manifest);
  // replicas is a count (apps/v1 DeploymentSpec.replicas is an int32): "two" is refused at its value.
  await expect
    .poll(() => app.lintMarks(), LINT_WAIT)
    .toContainEqual({
      line: 6,
      severity: 'error',
      text: 'two',
    });
  await app.button(/^Run/).click();
  const item = app.errorBanner.locator('.error-item', { hasText: /replicas/ });
  await expect(item.locator('.error-pos')).toHaveText('6:13');
  await expect(app.topology).toContainText('pod-a');
  // A click on the error puts the caret on it.
  await item.click();
  await expect.poll(() => app.editorCaret()).toEqual({ line: 6, column: 13 });
});

test('the loader’s warnings show inline and as a notice, and the file still runs', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open();
  await app.openEditor();
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: lonely',
    'spec:',
    '  containers:',
    '    - name: app',
    '      image: nginx:1.27',
    '---',
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    '  name: backup',
    'spec:',
    '  template:',
    '    spec:',
    '      restartPolicy: Never',
    '      containers:',
    '        - name: b',
    '          image: busybox',
    '',
  ].join('\n');
  await app.editor.fill(text);
  // No Cluster document (defaults used, at 1:1) and a Job (not simulated, at its kind): warnings, not errors.
  await expect
    .poll(async () => (await app.lintMarks()).map((m) => `${m.line} ${m.severity}`), LINT_WAIT)
    .toEqual(['1 warning', '11 warning']);
  await app.button(/^Run/).click();
  await expect(app.topology).toContainText('lonely');
  const notice = page.getByRole('region', { name: 'Scenario warnings' });
  await expect(notice).toContainText('loaded with 2 warnings');
  await expect(notice).toContainText('no Cluster document');
  await expect(
    notice.locator('.warning-item', { hasText: 'Job' }).locator('.error-pos'),
  ).toHaveText(/^11:\d+$/);
  await notice.locator('.warning-item', { hasText: 'Job' }).click();
  await expect.poll(async () => (await app.editorCaret()).line).toBe(11);
});

test('a typed edit is autosaved: a reload keeps the draft', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node');
  await app.openEditor();
  await caretToLineEnd(app, POD_B_LINE);
  await page.keyboard.type('  # kept');
  const edited = sameNode.replace('  name: pod-b\n', '  name: pod-b  # kept\n');
  await app.waitSaved('kubewire:draft:same-node', edited);
  await expect(page.locator('.editor-status')).toHaveText('modified · not run');
  await page.reload();
  await expect(app.topology).toBeVisible({ timeout: 20_000 });
  await app.openEditor();
  await app.expectEditorText(edited);
});

test('axe finds nothing with the editor open and a diagnostic shown', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node');
  await app.openEditor();
  await caretToLineEnd(app, POD_B_LINE);
  await page.keyboard.type(': x');
  await expect.poll(() => app.lintMarks(), LINT_WAIT).not.toEqual([]);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`),
  ).toEqual([]);
});
