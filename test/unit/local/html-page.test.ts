/**
 * The HTML page of traces, as a person sees it in a browser: rendered by headless Chromium and
 * clicked with the mouse. Debian's `chromium` must be installed (.ci/run installs it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderHtmlPage } from '../../../local/html-page';
import { Chromium, chromiumPath, type Page } from '../../helpers/chromium';
import { sampleSpans, SAMPLE } from '../../helpers/sample-spans';

const html = renderHtmlPage(sampleSpans(), { title: 'Traces of the sample', subtitle: 'a test' });

describe('the HTML page', () => {
  it('is one file that loads nothing: no script, no stylesheet or image from anywhere', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(?!#)/);
  });

  it('escapes what spans carry', () => {
    const [first, ...rest] = sampleSpans();
    const page = renderHtmlPage([{ ...first, name: '<b>x</b>', attributes: { 'a"b': '</td><script>' } }, ...rest], { title: 't', subtitle: 's' });
    expect(page).not.toContain('<b>x</b>');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#60;b&#62;x&#60;/b&#62;');
  });
});

const executable = chromiumPath();
if (executable === undefined) {
  console.warn(
    'SKIPPED the HTML page in Chromium: no Chromium at /usr/bin/chromium (apt-get install chromium; CHROMIUM=<path> names another). ' +
      '.ci/run installs it, so CI runs this test.',
  );
}
const inChromium = executable === undefined ? describe.skip : describe;

inChromium('the HTML page in headless Chromium', () => {
  let dir: string;
  let browser: Chromium;
  let page: Page;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'html-page-'));
    const file = join(dir, 'traces.html');
    writeFileSync(file, html);
    browser = Chromium.launch(executable as string);
    page = await browser.open(pathToFileURL(file).href);
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows one waterfall per trace, with every span by name and kind', async () => {
    const text = await page.visibleText();
    expect(text).toContain('3 traces, 8 spans');
    expect(await page.evaluate<number>('document.querySelectorAll("section.trace").length')).toBe(3);
    for (const heading of ['Trace 1', 'orders-api: GET /orders/{id}', 'Trace 2', 'Trace 3', 'order-worker: process shipments']) expect(text).toContain(heading);
    const rows = await page.evaluate<string[]>('[...document.querySelectorAll("summary")].map((s) => s.innerText.replace(/\\s+/g, " ").trim())');
    expect(rows.map((row) => row.split(' ').slice(0, -2).join(' '))).toEqual([
      'GET /orders/{id} SERVER cold start',
      'DynamoDB.GetItem CLIENT',
      'shipments send PRODUCER ⇄ 1 link',
      'GET /orders/{id} SERVER ✗ error',
      'DynamoDB.GetItem CLIENT ✗ error',
      'init INTERNAL',
      'process shipments CONSUMER cold start ⇄ 1 link',
      'DynamoDB.PutItem CLIENT',
    ]);
  });

  it('draws the bars to scale: a span of half the trace is half as wide', async () => {
    const widths = await page.evaluate<number[]>(`[...document.querySelectorAll('#trace-${SAMPLE.api.traceId} .bar')].map((bar) => bar.getBoundingClientRect().width)`);
    const [whole, get] = widths;
    expect(get / whole).toBeCloseTo(55 / 72, 2);
  });

  it('marks the failing request in red, with the count in its trace\'s heading', async () => {
    const text = await page.visibleText();
    expect(text).toContain('2 errors');
    const colours = await page.evaluate<{ failing: string; fine: string }>(`({
      failing: getComputedStyle(document.querySelector('#span-${SAMPLE.failing.get} .name')).color,
      fine: getComputedStyle(document.querySelector('#span-${SAMPLE.api.get} .name')).color,
    })`);
    const [r, g, b] = (colours.failing.match(/\d+/g) ?? []).map(Number);
    expect(r).toBeGreaterThan(150);
    expect(r).toBeGreaterThan(2 * g);
    expect(r).toBeGreaterThan(2 * b);
    expect(colours.fine).not.toBe(colours.failing);
  });

  it('shows a span\'s attributes, error and links only once it is clicked', async () => {
    expect(await page.visibleText()).not.toContain(SAMPLE.requestId);
    await page.click(`#span-${SAMPLE.api.get} > summary`);
    const opened = await page.visibleText();
    expect(opened).toMatch(new RegExp(`aws\\.request_id\\s+${SAMPLE.requestId}`));
    expect(opened).toMatch(/rpc\.method\s+GetItem/);

    await page.click(`#span-${SAMPLE.failing.get} > summary`);
    expect(await page.visibleText()).toContain(`Error: ValidationException: ${SAMPLE.errorMessage}`);

    await page.click(`#span-${SAMPLE.worker.consumer} > summary`);
    expect(await page.visibleText()).toContain('↗ Links to shipments send in trace 1');
  });
});
