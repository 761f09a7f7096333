/**
 * Page model and launcher for the end-to-end tests: starts `trm web` as a user would (a real process,
 * a fresh database), and reads the screen through the test hooks and the chart canvases' pixels.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page, type WebSocket } from '@playwright/test';
import type { KeysStatus } from '../src/shared/domain';

export const UP = [0x26, 0xa6, 0x9a] as const;
export const DOWN = [0xef, 0x53, 0x50] as const;

export interface RunningWorkstation {
  url: string;
  dbPath: string;
  output: () => string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The database for --db (default: a fresh demo.sqlite in a temporary folder). */
  db?: string;
  /** More environment for the process, e.g. TRM_DATA_DIR. */
  env?: Record<string, string>;
}

/** Starts `node bin/trm.mjs web` on a free port with a fresh database and waits for its address. */
export async function startWorkstation(
  args: readonly string[] = [],
  options: StartOptions = {},
): Promise<RunningWorkstation> {
  const dir = mkdtempSync(join(tmpdir(), 'trm-e2e-'));
  const dbPath = options.db ?? join(dir, 'demo.sqlite');
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/trm.mjs', 'web', '--port', '0', '--db', dbPath, ...args],
    // Its own data folder (the web token, saved keys, fetched models) unless the test names one: a test
    // never writes into the user's real data folder.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRM_DATA_DIR: dir, ...options.env } },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`trm web printed no address in 60 s:\n${output}`)),
      60_000,
    );
    const check = (): void => {
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`trm web exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dbPath,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The demo market the workstation tests run: Friday 14 March 2025, 10:00 New York (inside a trading
 * session), 60 market seconds a wall second (a new 1m bar a second), seed 7.
 */
export const DEMO_ARGS: readonly string[] = [
  '--speed',
  '60',
  '--seed',
  '7',
  '--start',
  '2025-03-14T14:00:00Z',
];

/** The workstation a spec file (or describe block) uses, from `useWorkstation`. */
export interface WorkstationFixture {
  /** The running workstation. @throws when none is running (start() was not called, or it was stopped). */
  readonly app: RunningWorkstation;
  /** A folder kept from the first test to the last, e.g. for a database a restart opens again. */
  readonly dir: string;
  /** Stops the running workstation, if any, and starts another (DEMO_ARGS unless given). */
  start(args?: readonly string[], options?: StartOptions): Promise<RunningWorkstation>;
  /** Stops the running workstation, if any. */
  stop(): Promise<void>;
}

/**
 * Registers, in the spec file or describe block where it is called, the hooks around its workstation:
 * `startBeforeAll` starts one (DEMO_ARGS) before the first test, otherwise the tests start it; it is
 * stopped after every test with `stopAfterEach` (a fresh one each), else after the last test, when `dir`
 * is removed too.
 */
export function useWorkstation({
  startBeforeAll = false,
  stopAfterEach = false,
}: { startBeforeAll?: boolean; stopAfterEach?: boolean } = {}): WorkstationFixture {
  let app: RunningWorkstation | undefined;
  let dir: string | undefined;
  const fixture: WorkstationFixture = {
    get app() {
      if (!app) throw new Error('no workstation is running: start() one first');
      return app;
    },
    get dir() {
      dir ??= mkdtempSync(join(tmpdir(), 'trm-e2e-'));
      return dir;
    },
    async start(args = DEMO_ARGS, options = {}) {
      await fixture.stop();
      app = await startWorkstation(args, options);
      return app;
    },
    async stop() {
      const running = app;
      app = undefined;
      await running?.stop();
    },
  };
  if (startBeforeAll) test.beforeAll(async () => void (await fixture.start()));
  if (stopAfterEach) test.afterEach(() => fixture.stop());
  test.afterAll(async () => {
    await fixture.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return fixture;
}

/**
 * Opens the workstation at `url` and waits until it is connected (up to 60 s: a first start may build the
 * renderer), the kept workspace is loaded, and the four panes are on screen.
 */
export async function openWorkstation(page: Page, url: string): Promise<WorkstationPage> {
  await page.goto(url);
  await expect(page.locator('[data-connection-state="open"]')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-workspace', 'idle');
  const ui = new WorkstationPage(page);
  await expect(ui.panes()).toHaveCount(4);
  return ui;
}

/** A `trm web` process a test may kill: its child process and all it printed so far. */
export interface TrmProcess {
  child: ChildProcess;
  output: () => string;
}

/**
 * Starts the demo `trm web` on `dbPath` as a process the test kills itself (port 0, speed 120, the
 * market from Friday 2025-03-14 10:00 New York), and waits until every pattern of `ready` appears in its
 * output (stdout and stderr together).
 * @throws when the process exits first or is not ready within 60 s, naming `label` and its output.
 */
export async function startTrmProcess(
  dbPath: string,
  ready: readonly RegExp[],
  label = 'trm web',
): Promise<TrmProcess> {
  const child = spawn(
    process.execPath,
    [
      'bin/trm.mjs',
      'web',
      '--port',
      '0',
      '--db',
      dbPath,
      '--speed',
      '120',
      '--start',
      '2025-03-14T14:00:00Z',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`${label}: trm web was not ready (${ready.join(', ')}) within 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (ready.every((pattern) => pattern.test(output))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label}: trm web exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output };
}

/** Sends `signal` to `child` and resolves once it has exited (at once when it already had). */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** The colours whose every channel (0-255) lies within `min` and `max` (both included). */
export interface ColourBox {
  min: readonly number[];
  max: readonly number[];
}

/** The colours within `tolerance` per channel (0-255) of `rgb`. */
export const near = (rgb: readonly number[], tolerance = 6): ColourBox => ({
  min: rgb.map((c) => c - tolerance),
  max: rgb.map((c) => c + tolerance),
});

export class WorkstationPage {
  /** Uncaught errors thrown in the page since this model was made (a crash a user would meet). */
  readonly pageErrors: string[] = [];
  /** What the page logged as errors (a pane caught crashing logs "chart pane crashed"). */
  readonly consoleErrors: string[] = [];

  constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.pageErrors.push(error.stack ?? String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(message.text());
    });
  }

  panes(): Locator {
    return this.page.getByTestId('chart-pane');
  }

  pane(timeframe: string): Locator {
    return this.page.locator(`[data-testid=chart-pane][data-timeframe="${timeframe}"]`);
  }

  legend(pane: Locator): Locator {
    return pane.getByTestId('chart-legend');
  }

  async lastStart(pane: Locator): Promise<number> {
    return Number(await this.legend(pane).getAttribute('data-last-start'));
  }

  async barCount(pane: Locator): Promise<number> {
    return Number(await this.legend(pane).getAttribute('data-bar-count'));
  }

  /** Start (epoch ms) of the oldest bar the pane's series holds. */
  async oldestStart(pane: Locator): Promise<number> {
    return Number(await this.legend(pane).getAttribute('data-oldest-start'));
  }

  /** Start (epoch ms) of the first bar in view (the chart writes it on every scroll). */
  async visibleFrom(pane: Locator): Promise<number> {
    return Number(await pane.getByTestId('chart-host').getAttribute('data-visible-from'));
  }

  /**
   * The state of the pane's scroll-back notice ('loading', 'start', 'limit', 'error'), or null while none
   * shows. Read in one step: the notice comes and goes as pages land, and a locator that saw it a moment ago
   * would wait for it to come back (a test once hung there for its whole timeout).
   */
  async historyNotice(pane: Locator): Promise<string | null> {
    return pane.evaluate(
      (element) => element.querySelector('[data-testid=history-edge]')?.getAttribute('data-state') ?? null,
    );
  }

  /**
   * What a pane shows, for a failing test's message: its legend's and chart host's data attributes and
   * the scroll-back notice (or that the pane is gone: a crashed pane is replaced), with the page's errors.
   */
  async describePane(pane: Locator): Promise<string> {
    const { pageErrors, consoleErrors } = this;
    const facts = await pane
      .evaluate(
        (element) => {
          const data = (selector: string) => {
            const found = element.querySelector<HTMLElement>(selector);
            return found ? { ...found.dataset } : null;
          };
          return {
            legend: data('[data-testid=chart-legend]'),
            host: data('[data-testid=chart-host]'),
            notice: element.querySelector('[data-testid=history-edge]')?.textContent ?? null,
          };
        },
        undefined,
        { timeout: 5000 },
      )
      .catch((error: unknown) => `the pane is gone (${String(error).split('\n')[0]})`);
    return JSON.stringify({ pane: facts, pageErrors, consoleErrors });
  }

  /**
   * Drags the chart's price area by `dx` pixels with the mouse (positive: towards older bars). The press
   * lands on the chart's own canvas: a point under the legend, a notice or a banner is skipped.
   */
  async dragChart(pane: Locator, dx: number): Promise<void> {
    const host = pane.getByTestId('chart-host');
    const box = await host.boundingBox();
    if (!box) throw new Error('the chart is not on screen');
    const x = dx > 0 ? box.x + 60 : box.x + box.width - 120;
    const heights = [0.35, 0.5, 0.2, 0.65];
    const onCanvas = await host.evaluate(
      (element, points) =>
        points.map(([px, py]) => {
          const top = document.elementFromPoint(px!, py!);
          return top instanceof HTMLCanvasElement && element.contains(top);
        }),
      heights.map((share) => [x, box.y + box.height * share]),
    );
    const share = heights[onCanvas.indexOf(true)];
    if (share === undefined) throw new Error(`no free point of the chart to drag at x ${x}`);
    const y = box.y + box.height * share;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx, y, { steps: 12 });
    await this.page.mouse.up();
  }

  /**
   * A point of the pane's candle area (the chart's widest canvas: the price pane, above the volume), as
   * fractions of its width and height, in page pixels.
   */
  async plotPoint(pane: Locator, fx: number, fy: number): Promise<{ x: number; y: number }> {
    const box = await pane.getByTestId('chart-host').evaluate((host) => {
      const plot = Array.from(host.querySelectorAll('canvas')).find(
        (canvas) => canvas.clientWidth > host.clientWidth * 0.5,
      );
      const rect = plot?.getBoundingClientRect();
      return rect ? { x: rect.x, y: rect.y, width: rect.width, height: rect.height } : null;
    });
    if (!box) throw new Error('the chart is not on screen');
    return { x: box.x + box.width * fx, y: box.y + box.height * fy };
  }

  /**
   * Waits until the daily pane's "Pick" pane has come with the model's predictions. It takes height from
   * the candles and adds a pane to the chart, so what is drawn, clicked or counted on a daily chart before
   * it came moves or changes afterwards.
   */
  async pickPaneShown(pane: Locator): Promise<void> {
    await expect(pane.getByTestId('chart-host')).toHaveAttribute('data-model-confidence', 'on', {
      timeout: 30_000,
    });
  }

  /** Zooms the chart out with the mouse wheel over it (more bars in view). */
  async zoomOut(pane: Locator, notches = 5): Promise<void> {
    const box = await pane.getByTestId('chart-host').boundingBox();
    if (!box) throw new Error('the chart is not on screen');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.35);
    for (let i = 0; i < notches; i++) await this.page.mouse.wheel(0, 300);
  }

  /** Counts pixels in the pane's canvases that have the up or the down candle colour (within 6 per channel). */
  async candlePixels(pane: Locator): Promise<{ up: number; down: number }> {
    const { inBox } = await this.countPixels(pane, [near(UP), near(DOWN)]);
    return { up: inBox[0]!, down: inBox[1]! };
  }

  /**
   * Waits until the pane of `timeframe` shows `symbol` with more than 5 bars, and draws them: both candle
   * colours appear on its canvases (over 50 pixels each), not just in the DOM. `oneColourSuffices`: over 50
   * pixels of either colour will do, for a market whose visible stretch may only rise or only fall (the
   * loopback Alpaca server's prices follow the wall clock: a two-hour rise fills a 1m pane at some hours).
   */
  async expectCandlesDrawn(timeframe: string, symbol = 'SPY', oneColourSuffices = false): Promise<void> {
    const pane = this.pane(timeframe);
    await expect(this.legend(pane)).toHaveAttribute('data-symbol', symbol);
    await expect
      .poll(() => this.barCount(pane), { message: `${timeframe} pane has bars` })
      .toBeGreaterThan(5);
    await expect
      .poll(
        async () => {
          const { up, down } = await this.candlePixels(pane);
          return oneColourSuffices ? Math.max(up, down) : Math.min(up, down);
        },
        { message: `${timeframe} pane draws ${oneColourSuffices ? 'its' : 'up and down'} candles` },
      )
      .toBeGreaterThan(50);
  }

  /**
   * Counts opaque pixels within `tolerance` (per channel, 0-255) of the colour `rgb` in the pane's chart
   * canvases: how a test tells that a line, band or shading of a known colour is drawn, not only in the DOM.
   */
  async pixelsOfColour(
    pane: Locator,
    rgb: readonly [number, number, number],
    tolerance = 6,
  ): Promise<number> {
    const { inBox } = await this.countPixels(pane, [near(rgb, tolerance)]);
    return inBox[0]!;
  }

  /**
   * Counts the pane's chart-canvas pixels in one pass over them: `opaque`, those with alpha at least 200
   * (what is drawn, not the antialiased fringe), and `inBox[k]`, the opaque ones whose colour is in
   * `boxes[k]` and in no box before it. `plotOnly`: only the plot areas' canvases (over half the chart's
   * width), not the axes', whose labels move with every live tick. Every pixel check of these tests is
   * built on it.
   */
  async countPixels(
    pane: Locator,
    boxes: readonly ColourBox[],
    { plotOnly = false }: { plotOnly?: boolean } = {},
  ): Promise<{ opaque: number; inBox: number[] }> {
    return pane.getByTestId('chart-host').evaluate(
      (host, { boxes, plotOnly }) => {
        const inBox = boxes.map(() => 0);
        let opaque = 0;
        const minWidth = plotOnly ? host.clientWidth * 0.5 : 0;
        for (const canvas of Array.from(host.querySelectorAll('canvas'))) {
          const context = canvas.getContext('2d');
          if (!context || canvas.width === 0 || canvas.height === 0 || canvas.clientWidth < minWidth)
            continue;
          const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
          for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3]! < 200) continue;
            opaque++;
            const r = data[i]!;
            const g = data[i + 1]!;
            const b = data[i + 2]!;
            for (let k = 0; k < boxes.length; k++) {
              const { min, max } = boxes[k]!;
              if (r < min[0]! || r > max[0]! || g < min[1]! || g > max[1]! || b < min[2]! || b > max[2]!)
                continue;
              inBox[k]!++;
              break;
            }
          }
        }
        return { opaque, inBox };
      },
      { boxes, plotOnly },
    );
  }

  /** A fingerprint of what the pane's canvases show, to tell that the drawing changed. */
  async canvasDigest(pane: Locator): Promise<string> {
    return pane.getByTestId('chart-host').evaluate((host) =>
      Array.from(host.querySelectorAll('canvas'))
        .map((canvas) => canvas.toDataURL())
        .join('|'),
    );
  }
}

/** A contract call the page sent, as read from its WebSocket frames. */
export interface SentCall {
  method: string;
  params: Record<string, unknown>;
}

/**
 * Records the contract calls a page sends over its WebSocket (what the user's actions asked the
 * engine). Start it before `page.goto`.
 */
export function recordCalls(page: Page): SentCall[] {
  const calls: SentCall[] = [];
  page.on('websocket', (socket: WebSocket) => {
    socket.on('framesent', ({ payload }) => {
      try {
        const message = JSON.parse(String(payload)) as { t?: string; method?: string; params?: unknown };
        if (message.t === 'call' && typeof message.method === 'string') {
          calls.push({ method: message.method, params: (message.params ?? {}) as Record<string, unknown> });
        }
      } catch {
        // not an envelope: not ours to judge here
      }
    });
  });
  return calls;
}

/**
 * The engine's own KeysStatus, asked over a WebSocket the page opens itself (the contract, not the keys
 * panel), as the settings panel does; its frames are the page's like any other.
 */
export function keysStatus(page: Page): Promise<KeysStatus> {
  return page.evaluate(async () => {
    const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
    const ws = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
    await new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }));
    const reply = new Promise<string>((resolve) =>
      ws.addEventListener('message', (event) => resolve(String(event.data)), { once: true }),
    );
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'settings.keysStatus', params: {} }));
    const text = await reply;
    ws.close();
    return (JSON.parse(text) as { value: KeysStatus }).value;
  });
}

/** Imports `files` into the market database `db` with `trm import`, as a user would; fails the test if it fails. */
export function importWithCli(db: string, files: readonly string[]): void {
  const imported = spawnSync(process.execPath, ['bin/trm.mjs', 'import', '--db', db, ...files], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(imported.status, `trm import failed:\n${imported.stderr}`).toBe(0);
}

/** The replay clock the replay bar shows (epoch ms). */
export async function replayClock(page: Page): Promise<number> {
  return Number(await page.getByTestId('replay-clock').getAttribute('data-time'));
}

/** The replay bar's state element (`data-state`: paused, playing, finished). */
export const replayState = (page: Page): Locator => page.getByTestId('replay-state');

/** What a `trm` command printed and its exit code. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/trm.mjs ...args` as a user would (e.g. `trm order place` against a running workstation). */
export function runCli(args: readonly string[]): CliRun {
  const run = spawnSync(process.execPath, ['bin/trm.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

type BlotterTab = 'working' | 'history' | 'fills';

/** The trading panel as a trader reads and uses it: the order ticket, the blotter and the positions. */
export class TradingPage {
  readonly panel: Locator;
  readonly ticket: Locator;
  /** The client order id of the last order the ticket reported placed. */
  private lastPlaced = '';

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('trading-panel');
    this.ticket = page.getByTestId('order-ticket');
  }

  /** Shows a blotter tab. */
  async tab(name: BlotterTab): Promise<void> {
    const tab = this.page.getByTestId(`blotter-tab-${name}`);
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
  }

  /** The blotter row (of the open tab) of the order with this client order id. */
  order(clientOrderId: string): Locator {
    return this.page.locator(`[data-testid=blotter-order][data-client-order-id="${clientOrderId}"]`);
  }

  /** The Fills tab's rows, newest first. */
  fills(): Locator {
    return this.page.getByTestId('fill-row');
  }

  position(symbol: string): Locator {
    return this.page.locator(`[data-testid=position-row][data-symbol="${symbol}"]`);
  }

  /** Types an order into the ticket (side, quantity, type, prices); does not place it. */
  async fillTicket(order: { side: 'buy' | 'sell'; qty: string; type: string; limitPrice?: string }) {
    await this.ticket.getByTestId(`ticket-side-${order.side}`).click();
    await this.ticket.getByTestId('ticket-type').selectOption(order.type);
    await this.ticket.getByTestId('ticket-qty').fill(order.qty);
    if (order.limitPrice !== undefined) {
      await this.ticket.getByTestId('ticket-limit-price').fill(order.limitPrice);
    }
  }

  /**
   * Waits for the ticket to report a new order placed (not refused, no error) and returns its client
   * order id.
   */
  async placed(): Promise<string> {
    const result = this.ticket.getByTestId('ticket-result');
    await expect(result).toHaveAttribute('data-outcome', 'placed');
    await expect(result).not.toHaveAttribute('data-client-order-id', this.lastPlaced || /^$/);
    this.lastPlaced = (await result.getAttribute('data-client-order-id')) ?? '';
    return this.lastPlaced;
  }

  /** A number as the panel formats it ("1,234.56", "−12.30"). */
  number(text: string): number {
    return Number(text.replace(/[,$\s]/g, '').replace('−', '-'));
  }
}
