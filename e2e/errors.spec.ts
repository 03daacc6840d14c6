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
  await expect(app.editor).toHaveValue(/kind: \[unclosed/);
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
  const caretLine = await app.editor.evaluate(
    (el: HTMLTextAreaElement) => el.value.slice(0, el.selectionStart).split('\n').length,
  );
  expect(caretLine).toBe(errLine);
});

test('edited text survives a reload, and a good edit becomes the custom scenario', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open();
  const broken = sameNode.replace('name: pod-b', 'name: pod-b\n  bogus: [');
  await app.applyYaml(broken);
  await expect(app.errorBanner).toBeVisible();
  await page.reload();
  await expect(app.topology).toBeVisible();
  await app.openEditor();
  await expect(app.editor).toHaveValue(broken);

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
