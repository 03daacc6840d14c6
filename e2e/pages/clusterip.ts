/**
 * Opening the ClusterIP scenario: the built-in public/scenarios/clusterip.yaml when
 * index.json lists it (and it loads), else the same topology as a custom scenario
 * (sim-core/test/clusterip.ts: the reference's kube-proxy rules, client podc).
 */
import { expect, type Page } from '@playwright/test';
import { clusterIpScenario } from '../../sim-core/test/clusterip.ts';
import { KubewirePage } from './KubewirePage.ts';

const CUSTOM = clusterIpScenario({ actions: ['connect: {from: podc, to: 10.96.0.50, port: 80}'] });

async function builtIn(page: Page): Promise<boolean> {
  const index = await page.request.get('/scenarios/index.json');
  if (!index.ok()) return false;
  const entries = (await index.json()) as { file: string }[];
  return entries.some((e) => e.file === 'clusterip.yaml');
}

/** Call before the page is first opened: the custom text goes to localStorage on load. */
export async function openClusterIp(page: Page): Promise<KubewirePage> {
  const app = new KubewirePage(page);
  if (await builtIn(page)) {
    await app.open('#scenario=clusterip');
    if (!(await app.notice.isVisible()) && !(await app.errorBanner.isVisible())) return app;
  }
  await page.addInitScript((t) => window.localStorage.setItem('kubewire:custom', t), CUSTOM);
  await app.open('#scenario=custom');
  await expect(app.topology).toContainText('podc');
  return app;
}
