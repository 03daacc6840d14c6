/**
 * The embed API across origins, as a documentation site uses it: the host page
 * (one origin) drives Kubewire iframes (another origin) with postMessage, and
 * an iframe told to obey another origin ignores it.
 */
import { expect, test, type Page } from '@playwright/test';

/** The host page on 127.0.0.1, Kubewire on localhost: two origins on one server. */
function origins(baseURL: string) {
  const app = new URL(baseURL);
  const host = new URL(baseURL);
  host.hostname = '127.0.0.1';
  return { app: app.origin, host: host.origin };
}

/** Every event the host page receives, kept on window for the test to read. */
async function recordEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { events: unknown[] };
    w.events = [];
    window.addEventListener('message', (e) => w.events.push({ origin: e.origin, data: e.data }));
  });
}

const events = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { events: { origin: string; data: Record<string, unknown> }[] }).events,
  );

test('the example page drives two embedded scenarios from another origin', async ({
  page,
  baseURL,
}) => {
  const { app, host } = origins(baseURL!);
  await recordEvents(page);
  await page.goto(`${host}/embed-example.html?app=${encodeURIComponent(app + '/')}`);
  const [first, second] = await page.locator('[data-embed]').all();
  await expect(first.locator('.caption')).toHaveText(/^Step 20 of \d+: \S/, { timeout: 30_000 });
  await expect(second.locator('.caption')).toHaveText(/^Step \d+ of \d+: \S/, { timeout: 30_000 });

  await first.getByRole('button', { name: 'Step ▶' }).click();
  await expect(first.locator('.caption')).toHaveText(/^Step 21 of /);
  await first.getByRole('button', { name: '◀ Step back' }).click();
  await expect(first.locator('.caption')).toHaveText(/^Step 20 of /);
  // The frame itself shows it.
  const frame = page.frameLocator('iframe[data-scenario=same-node]');
  await expect(frame.getByRole('status', { name: 'Current step' }).locator('strong')).toHaveText(
    '20',
  );

  await second.getByLabel('Panel').selectOption('endpointslices');
  const other = page.frameLocator('iframe[data-scenario=service-clusterip]');
  await expect(other.getByRole('tab', { name: 'EndpointSlices' })).toHaveAttribute(
    'aria-selected',
    'true',
  );

  const seen = await events(page);
  expect(seen.every((e) => e.origin === app)).toBe(true);
  const kinds = new Set(seen.map((e) => e.data.kubewire));
  expect(kinds).toContain('ready');
  expect(kinds).toContain('stepchange');
  const ready = seen.find((e) => e.data.kubewire === 'ready')!.data;
  expect(ready).toMatchObject({ api: 1 });
});

test('commands are checked: a bad one gets an error event, a YAML load reports located errors', async ({
  page,
  baseURL,
}) => {
  const { app, host } = origins(baseURL!);
  await recordEvents(page);
  await page.goto(`${host}/embed-example.html?app=${encodeURIComponent(app + '/')}`);
  const first = page.locator('[data-embed]').first();
  await expect(first.locator('.caption')).toHaveText(/^Step 20 of /, { timeout: 30_000 });
  const send = (message: unknown) =>
    page.evaluate(
      ([m, target]) =>
        (
          document.querySelector('iframe[data-scenario=same-node]') as HTMLIFrameElement
        ).contentWindow!.postMessage(m, target as string),
      [message, app] as const,
    );
  await send({ kubewire: 'goto', step: -3 });
  await send({ kubewire: 'fly' });
  await send({ kubewire: 'setPanel', panel: 'nonsense' });
  await send({ kubewire: 'load', yaml: 'apiVersion: kubewire/v1\nkind: [\n' });
  await expect
    .poll(async () => (await events(page)).filter((e) => e.data.kubewire === 'error').length)
    .toBe(4);
  const errors = (await events(page)).filter((e) => e.data.kubewire === 'error').map((e) => e.data);
  expect(errors[0].message).toBe('goto: step must be a whole number ≥ 0');
  expect(errors[1].message).toMatch(
    /^fly: unknown command \(commands: load, goto, step, play, pause, setPanel\)$/,
  );
  expect(errors[2].message).toMatch(/^setPanel: panel must be one of neighbors, /);
  expect(errors[3].errors).toEqual([
    expect.objectContaining({ line: expect.any(Number), column: expect.any(Number) }),
  ]);
  // None of them changed the view.
  await expect(first.locator('.caption')).toHaveText(/^Step 20 of /);

  await send({ kubewire: 'goto', step: 7 });
  await expect(first.locator('.caption')).toHaveText(/^Step 7 of /);
});

test('an iframe allowing another origin ignores this page and sends it nothing', async ({
  page,
  baseURL,
}) => {
  const { app, host } = origins(baseURL!);
  await recordEvents(page);
  await page.goto(`${host}/embed-example.html?app=${encodeURIComponent(app + '/')}`);
  // Replace the first iframe with one that obeys only docs.example.invalid.
  await page.evaluate((appOrigin) => {
    const frame = document.querySelector('iframe[data-scenario=same-node]') as HTMLIFrameElement;
    frame.src = `${appOrigin}/?embed=1&origin=${encodeURIComponent('https://docs.example.invalid')}#scenario=same-node&step=20`;
  }, app);
  const frame = page.frameLocator('iframe[data-scenario=same-node]');
  const counter = frame.getByRole('status', { name: 'Current step' }).locator('strong');
  await expect(counter).toHaveText('20', { timeout: 30_000 });
  await page.evaluate(() => ((window as unknown as { events: unknown[] }).events.length = 0));
  await page.evaluate(
    (target) =>
      (
        document.querySelector('iframe[data-scenario=same-node]') as HTMLIFrameElement
      ).contentWindow!.postMessage({ kubewire: 'goto', step: 3 }, target),
    app,
  );
  await page.waitForTimeout(1000);
  await expect(counter).toHaveText('20');
  const fromIt = (await events(page)).filter(
    (e) => e.origin === app && (e.data as { scenario?: string }).scenario === 'same-node',
  );
  expect(fromIt).toEqual([]);
});

for (const [width, height] of [
  [800, 500],
  [600, 400],
]) {
  test(`?embed=1 fits a ${width}×${height} iframe: picture, caption and controls, no scrollbar`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/?embed=1#scenario=service-clusterip&step=120');
    const topology = page.locator('svg.topology:not(.topology-overlay)');
    await expect(topology).toBeVisible({ timeout: 30_000 });
    const sizes = await page.evaluate(() => ({
      scrollW: document.documentElement.scrollWidth,
      scrollH: document.documentElement.scrollHeight,
      w: innerWidth,
      h: innerHeight,
    }));
    expect(sizes.scrollW).toBeLessThanOrEqual(sizes.w);
    expect(sizes.scrollH).toBeLessThanOrEqual(sizes.h);
    // The picture, the step's headline and the controls are all in view at once.
    const inView = async (selector: string) => {
      const box = await page.locator(selector).first().boundingBox();
      expect(box, selector).not.toBeNull();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(height + 0.5);
      return box!;
    };
    const picture = await inView('.topology-frame');
    expect(picture.height).toBeGreaterThan(height * 0.55);
    await inView('[data-testid=headline]');
    await inView('button[aria-label^="Step forward"]');
    await expect(page.getByTestId('headline')).not.toBeEmpty();
    await expect(page.getByRole('status', { name: 'Current step' }).locator('strong')).toHaveText(
      '120',
    );

    // Tables are a drawer, and the full app is one click away at the same step.
    await page.getByRole('button', { name: 'Tables' }).click();
    await expect(page.getByRole('complementary', { name: 'Tables' })).toBeVisible();
    await expect(page.getByRole('tab').first()).toBeVisible();
    await page.getByRole('button', { name: 'Close tables' }).click();
    await expect(page.getByRole('complementary', { name: 'Tables' })).toHaveCount(0);
    const open = page.getByRole('link', { name: /Open in Kubewire/ });
    await expect(open).toHaveAttribute('href', /\/#scenario=service-clusterip&step=120$/);
    await expect(open).not.toHaveAttribute('href', /embed=1/);
  });
}
