/**
 * The Kubewire page as a user sees it: open a scenario, step, read the
 * narration and the tables, inspect a packet, edit the YAML.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export type TabName =
  'Neighbours' | 'Bridge FDB' | 'Routes' | 'iptables' | 'conntrack' | 'Sockets' | 'IPAM' | 'Packet';

export class KubewirePage {
  readonly topology: Locator;
  /** The moving parts drawn over the topology: the hop's trail, the packet, hook and NAT tags. */
  readonly overlay: Locator;
  readonly explanation: Locator;
  readonly counter: Locator;
  readonly stepRows: Locator;
  readonly notice: Locator;
  readonly errorBanner: Locator;
  readonly editor: Locator;
  readonly hex: Locator;

  constructor(readonly page: Page) {
    this.topology = page.locator('svg.topology:not(.topology-overlay)');
    this.overlay = page.locator('svg.topology-overlay');
    this.explanation = page.getByTestId('explanation');
    this.counter = page.getByRole('status', { name: 'Current step' });
    // The step list is a listbox: its rows are options (a long trace's spacer rows are not).
    this.stepRows = page.getByRole('listbox', { name: 'Steps' }).getByRole('option');
    this.notice = page.locator('.notice');
    this.errorBanner = page.getByRole('alert', { name: 'Scenario errors' });
    this.editor = page.getByRole('textbox', { name: 'Scenario YAML' });
    this.hex = page.getByTestId('hex');
  }

  /** Open the app (optionally with a query and hash) and wait for the cluster to be drawn. */
  async open(hash = '', query = ''): Promise<this> {
    await this.page.goto(`/${query}${hash}`);
    // Opening simulates the scenario on the page: give a loaded machine time (this is not a timing assertion).
    await expect(this.topology).toBeVisible({ timeout: 20_000 });
    return this;
  }

  button(label: string | RegExp): Locator {
    return this.page.getByRole('button', { name: label });
  }

  async stepForward(times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.button(/^Step forward/).click();
  }

  async stepBack(times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.button(/^Step back/).click();
  }

  async currentStep(): Promise<number> {
    return Number(await this.counter.locator('strong').textContent());
  }

  /** Index of the first step whose Info column matches. */
  async findStep(info: RegExp, from = 0): Promise<number> {
    const texts = await this.stepRows.locator('td.summary').allTextContents();
    const i = texts.findIndex((t, n) => n >= from && info.test(t));
    expect(i, `a step matching ${info}`).toBeGreaterThanOrEqual(0);
    return i;
  }

  /** Select a step by clicking its row in the step list. */
  async goToStep(index: number): Promise<void> {
    await this.stepRows.nth(index).click();
    await expect(this.counter.locator('strong')).toHaveText(String(index));
  }

  /** Step with → from the step shown to `index` (presenter mode has no step list). */
  async goToStepByKeys(index: number): Promise<void> {
    for (let at = await this.currentStep(); at < index; at++)
      await this.page.keyboard.press('ArrowRight');
    await expect(this.counter.locator('strong')).toHaveText(String(index));
  }

  async showTab(name: TabName): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
    await expect(this.page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
  }

  /** One netns's table in a panel: testid is "<table>-<netns id>", e.g. "neigh-node-1/default/pod-a". */
  table(
    kind: 'neigh' | 'fdb' | 'route' | 'ipam' | 'iptables' | 'conntrack' | 'ss',
    netns: string,
  ): Locator {
    return this.page.getByTestId(`${kind}-${netns}`);
  }

  async openEditor(): Promise<void> {
    if (!(await this.editor.isVisible())) await this.button('Edit YAML').click();
    await expect(this.editor).toBeVisible();
  }

  async applyYaml(text: string): Promise<void> {
    await this.openEditor();
    await this.editor.fill(text);
    await this.button(/^Run/).click();
  }

  /**
   * The editor's whole text. CodeMirror draws only the lines in view, so the
   * DOM does not hold it: this asks the editor, as EditorView.findFromDOM does.
   */
  async editorText(): Promise<string> {
    await expect(this.editor).toBeVisible();
    return this.editor.evaluate((el) =>
      (
        el as unknown as { cmTile: { root: { view: { state: { doc: { toString(): string } } } } } }
      ).cmTile.root.view.state.doc.toString(),
    );
  }

  /** Waits until the editor's text is `text` (or matches it). */
  async expectEditorText(text: string | RegExp): Promise<void> {
    await expect
      .poll(() => this.editorText(), { timeout: 5000 })
      .toEqual(typeof text === 'string' ? text : expect.stringMatching(text));
  }

  /**
   * The inline diagnostics the editor draws (CodeMirror's lint marks): the
   * 1-based line each mark sits on, its severity and the text it underlines.
   */
  async lintMarks(): Promise<{ line: number; severity: string; text: string }[]> {
    return this.page.locator('.cm-lintRange-error, .cm-lintRange-warning').evaluateAll((els) =>
      els.map((el) => {
        const content = el.closest('.cm-content') as unknown as {
          cmTile: {
            root: {
              view: {
                posAtDOM(node: Node, offset?: number): number;
                state: { doc: { lineAt(pos: number): { number: number } } };
              };
            };
          };
        } | null;
        // Playwright resolves the marks, then evaluates: a mark CodeMirror redrew in between is
        // detached. Say "stale" (which no expectation matches) so the poll looks again.
        if (!content) return { line: -1, severity: 'stale', text: '' };
        const view = content.cmTile.root.view;
        return {
          line: view.state.doc.lineAt(view.posAtDOM(el, 0)).number,
          severity: el.classList.contains('cm-lintRange-error') ? 'error' : 'warning',
          text: el.textContent ?? '',
        };
      }),
    );
  }

  /** Pastes `text` into the editor as the browser does (a paste event carrying text/plain). */
  async pasteIntoEditor(text: string): Promise<void> {
    await this.editor.focus();
    await this.editor.evaluate((el, t) => {
      const data = new DataTransfer();
      data.setData('text/plain', t);
      el.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, text);
  }

  /** The editor's caret as 1-based line:column. */
  async editorCaret(): Promise<{ line: number; column: number }> {
    return this.editor.evaluate((el) => {
      const view = (
        el as unknown as {
          cmTile: {
            root: {
              view: {
                state: {
                  selection: { main: { head: number } };
                  doc: { lineAt(pos: number): { number: number; from: number } };
                };
              };
            };
          };
        }
      ).cmTile.root.view;
      const head = view.state.selection.main.head;
      const line = view.state.doc.lineAt(head);
      return { line: line.number, column: head - line.from + 1 };
    });
  }

  /** What the app has saved in IndexedDB under `key` (e.g. 'kubewire:custom'), read as a user's devtools would. */
  async saved(key: string): Promise<string | null> {
    return this.page.evaluate(
      (k) =>
        new Promise<string | null>((resolve, reject) => {
          const open = indexedDB.open('kubewire');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('texts')) return resolve(null);
            const get = db.transaction('texts').objectStore('texts').get(k);
            get.onsuccess = () => resolve((get.result as string | undefined) ?? null);
            get.onerror = () => reject(get.error);
          };
        }),
      key,
    );
  }

  /** Waits until IndexedDB holds `text` under `key` (writes are asynchronous). */
  async waitSaved(key: string, text: string | RegExp): Promise<void> {
    await expect
      .poll(() => this.saved(key), { timeout: 5000 })
      .toEqual(typeof text === 'string' ? text : expect.stringMatching(text));
  }
}
