import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

const sameNode = readFileSync(
  new URL('../public/scenarios/same-node.yaml', import.meta.url),
  'utf8',
);

test('broken YAML lists its errors as line:column and keeps the last good topology', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=5');
  await app.applyYaml('apiVersion: v1\nkind: [unclosed\n');
  await expect(app.errorBanner).toBeVisible();
  await expect(app.errorBanner.locator('.error-item').first()).toHaveText(/^\d+:\d+ \S/);
  await expect(app.topology).toContainText('pod-a');
  await expect(app.counter.locator('strong')).toHaveText('5');
  // The user's text is still there to fix.
  await app.expectEditorText(/kind: \[unclosed/);
});

test('overlapping CIDRs are reported at the offending line, and a click puts the caret there', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open();
  const text = sameNode.replace(/serviceCIDR: .*/, 'serviceCIDR: 10.240.0.0/12');
  const lines = text.split('\n');
  const cidrLines = [/podCIDR:/, /serviceCIDR:/].map(
    (re) => lines.findIndex((l) => re.test(l)) + 1,
  );
  await app.applyYaml(text);
  const item = app.errorBanner.locator('.error-item', { hasText: /overlap/i }).first();
  await expect(item).toBeVisible();
  await expect(item.locator('.error-pos')).toHaveText(/^\d+:\d+$/);
  const [errLine] = ((await item.locator('.error-pos').textContent()) ?? '').split(':').map(Number);
  expect(cidrLines).toContain(errLine);
  await expect(app.topology).toContainText('10.244.0.3');

  await item.click();
  await expect(app.editor).toBeFocused();
  await expect.poll(async () => (await app.editorCaret()).line).toBe(errLine);
});

test('edited text survives a reload, and a good edit becomes the custom scenario', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open();
  const broken = sameNode.replace('name: pod-b', 'name: pod-b\n  bogus: [');
  await app.applyYaml(broken);
  await expect(app.errorBanner).toBeVisible();
  await page.reload();
  // The reload simulates again (in the worker): give a loaded machine time, as open() does.
  await expect(app.topology).toBeVisible({ timeout: 20_000 });
  await app.openEditor();
  await app.expectEditorText(broken);

  await app.applyYaml(sameNode.replace(/pod-b/g, 'pod-z'));
  await expect(app.errorBanner).toHaveCount(0);
  await expect(app.topology).toContainText('pod-z');
  await expect(page).toHaveURL(/#scenario=custom&step=\d+$/);
  await page.reload();
  await expect(app.topology).toContainText('pod-z');
});

test('Open… loads a scenario file from disk', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  await page.getByTestId('file-input').setInputFiles({
    name: 'renamed.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from(sameNode.replace(/pod-a/g, 'client')),
  });
  await expect(app.topology).toContainText('client');
  await expect(page).toHaveURL(/#scenario=custom/);
});

test('Open… of an invalid file keeps the unsaved edit, in the editor and after a reload', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open();
  // An edit the user has not applied yet.
  const edit = sameNode.replace('name: pod-b', 'name: pod-b  # my unapplied edit');
  await app.openEditor();
  await app.editor.fill(edit);
  await app.waitSaved('kubewire:draft:same-node', edit);

  await page.getByTestId('file-input').setInputFiles({
    name: 'broken.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from('apiVersion: v1\nkind: [unclosed\n'),
  });
  await expect(app.errorBanner).toContainText('broken.yaml was not opened');
  await expect(app.errorBanner.locator('.error-pos').first()).toHaveText(/^\d+:\d+$/);
  await app.expectEditorText(edit);
  await expect(app.topology).toContainText('pod-a');
  expect(await app.saved('kubewire:draft:same-node')).toBe(edit);

  await page.reload();
  // The reload simulates again (in the worker): give a loaded machine time, as open() does.
  await expect(app.topology).toBeVisible({ timeout: 20_000 });
  await app.openEditor();
  await app.expectEditorText(edit);
  // Revert goes back to the scenario's own text, never to the refused file.
  await app.button('Revert').click();
  await app.expectEditorText(sameNode);
});

test('a refused file can still be taken into the editor to fix it', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  const broken = sameNode.replace('name: pod-b', 'name: pod-b\n  bogus: [');
  await page.getByTestId('file-input').setInputFiles({
    name: 'mine.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from(broken),
  });
  await expect(app.errorBanner).toContainText('mine.yaml was not opened');
  await app.errorBanner.getByRole('button', { name: 'Edit it' }).click();
  await app.expectEditorText(broken);
  // Now the errors are the editor's: a click puts the caret at the place.
  await app.button(/^Run/).click();
  await app.errorBanner.locator('button.error-item').first().click();
  await expect(app.editor).toBeFocused();
});

test('a save the browser refuses (storage full) says so instead of failing silently', async ({
  page,
}) => {
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  const app = await new KubewirePage(page).open();
  await app.openEditor();
  await app.editor.fill(sameNode.replace('pod-b', 'pod-q'));
  await expect(app.notice).toContainText('could not be saved');
  await expect(app.notice).toContainText('storage for this site is full');
  // The edit is still in the editor.
  await app.expectEditorText(/pod-q/);
});

test('a saved custom scenario that no longer loads opens the default, with its text kept', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open();
  const corrupt = 'apiVersion: kubewire/v1\nkind: Cluster\nspec: {nodes: [oops\n';
  await page.evaluate(
    (text) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('kubewire');
        open.onsuccess = () => {
          const tx = open.result.transaction('texts', 'readwrite');
          tx.objectStore('texts').put(text, 'kubewire:custom');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    corrupt,
  );
  // A fresh load of the custom link (a hash change alone would not restart the app).
  await page.goto('about:blank');
  await page.goto('/#scenario=custom');
  await expect(app.topology).toBeVisible({ timeout: 20_000 });
  await expect(app.notice).toContainText('saved custom scenario could not be opened');
  await expect(app.errorBanner).toContainText('Your saved custom scenario was not opened');
  expect(await app.saved('kubewire:custom')).toBe(corrupt);
  await app.errorBanner.getByRole('button', { name: 'Edit it' }).click();
  await app.expectEditorText(corrupt);
});
