import { expect, test } from '@playwright/test';
import { KubewirePage } from './pages/KubewirePage.ts';

test('hovering a field highlights its bytes, hovering a byte highlights its field', async ({
  page,
}) => {
  const app = await new KubewirePage(page).open();
  await app.goToStep(await app.findStep(/Echo \(ping\) request/));
  await app.showTab('Packet');

  const tree = page.getByRole('tree', { name: 'Packet details' });
  await expect(tree).toContainText('Internet Control Message Protocol');
  await expect(tree).toContainText('Ethernet II');

  // TTL is one byte, 64 = 0x40, at offset 22 of an Ethernet + IPv4 frame.
  await tree.getByRole('treeitem', { name: /Time to Live: 64/ }).hover();
  const lit = app.hex.locator('.hex-bytes span.hi');
  await expect(lit).toHaveCount(1);
  await expect(lit).toHaveText('40');
  await expect(app.hex.locator('.hex-ascii span.hi')).toHaveCount(1);

  // The IPv4 layer's title lights all 20 header bytes.
  await tree
    .getByRole('treeitem', { name: /^Internet Protocol Version 4/ })
    .first()
    .hover();
  await expect(lit).toHaveCount(20);

  // Back the other way: the first byte belongs to the Ethernet destination.
  await app.hex.locator('.hex-bytes span[data-o="0"]').hover();
  await expect(tree.locator('.tree-row.hi')).toContainText('Destination');
  await expect(lit).toHaveCount(6);

  await page.mouse.move(5, 5);
  await expect(lit).toHaveCount(0);
});

test('a hex dump row has an offset column, 16 bytes and their ASCII', async ({ page }) => {
  const app = await new KubewirePage(page).open();
  await app.goToStep(await app.findStep(/Who has 10\.244\.0\.3/));
  await app.showTab('Packet');
  const first = app.hex.locator('.hex-row').first();
  await expect(first.locator('.hex-offset')).toHaveText('0000');
  await expect(first.locator('.hex-bytes span')).toHaveCount(16);
  await expect(first.locator('.hex-bytes')).toContainText('ff ff ff ff ff ff');
  await expect(first.locator('.hex-ascii span')).toHaveCount(16);
  // An ARP request is 42 bytes: three rows, the last with 10 bytes.
  await expect(app.hex.locator('.hex-row')).toHaveCount(3);
  await expect(app.hex.locator('.hex-row').last().locator('.hex-bytes span')).toHaveCount(10);
});

test('a step without a frame says so in the inspector', async ({ page }) => {
  const app = await new KubewirePage(page).open('#scenario=same-node&step=0');
  await app.showTab('Packet');
  await expect(page.locator('.inspector')).toContainText('No frame at this step');
});
