import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { redactReport, renderReport } from '../../src/report/render.js';
import { seededMachine, withMeasurements } from './generated-env.js';
import { countColor, decodePng } from './png.js';

const CHROMIUM = '/usr/bin/chromium';
// Quiet the browser's own update, sign-in and field-trial traffic so the net log shows what the page asked for.
const QUIET = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--hide-scrollbars',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
];
// Whatever still leaks from the browser itself, never from a report page.
const BROWSER_OWN = /^https?:\/\/([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)\//;

const dir = mkdtempSync(path.join(os.tmpdir(), 'nnunet-doctor-html-'));
const file = (name: string) => path.join(dir, name);

async function chromium(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(CHROMIUM, [...QUIET, ...args], { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}

/** Every URL the page requested, from Chromium's own network log. */
async function requestedUrls(html: string): Promise<string[]> {
  const log = `${html}.netlog.json`;
  await chromium([`--log-net-log=${log}`, '--dump-dom', pathToFileURL(html).href]);
  const events = (JSON.parse(readFileSync(log, 'utf8')) as { events: { params?: Record<string, unknown> }[] }).events;
  const urls = events.flatMap((e) => [e.params?.url, e.params?.original_url]).filter((u): u is string => typeof u === 'string');
  return [...new Set(urls)].filter((u) => !u.startsWith('file:') && !u.startsWith('data:') && !BROWSER_OWN.test(u));
}

function writeReports() {
  const full = seededMachine(5);
  writeFileSync(file('full.html'), renderReport(redactReport(withMeasurements(full.doc), full.identity, { redact: true, redactCases: true }), 'html'));
  const bare = seededMachine(6);
  const bareFacts = bare.doc.facts as Record<string, unknown>;
  delete bareFacts.trainingLog;
  delete bareFacts.ticketSources;
  writeFileSync(file('bare.html'), renderReport(redactReport(bare.doc, bare.identity, { redact: true, redactCases: false }), 'html'));
}

describe('self-contained HTML report in headless Chromium', { timeout: 120_000 }, () => {
  beforeAll(writeReports);

  it('references nothing outside the file and forbids fetches with a CSP', () => {
    for (const name of ['full.html', 'bare.html']) {
      const html = readFileSync(file(name), 'utf8');
      expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
      expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|@import|url\(/i);
      expect(html).not.toMatch(/\b(src|href|action|srcset)\s*=/i);
      // URLs may appear as text (a quoted log line), never inside a tag.
      expect(html).not.toMatch(/<[^>]*(https?:)?\/\/[^>]*>/);
    }
  });

  it('renders every section, three charts when measured and "not run" placeholders otherwise', async () => {
    const [full, bare] = await Promise.all([chromium(['--dump-dom', pathToFileURL(file('full.html')).href]), chromium(['--dump-dom', pathToFileURL(file('bare.html')).href])]);
    for (const id of ['attention', 'fill-in', 'environment', 'nnunet-env', 'packages', 'gpus', 'dataset', 'charts', 'attachments', 'checks', 'facts']) {
      expect(full).toContain(`<section id="${id}">`);
    }
    expect(full.match(/<figure class="chart"><svg/g)).toHaveLength(3);
    expect(full).not.toContain('class="not-run"');
    expect(full).toContain('Seconds per epoch (lower is faster)');
    expect(bare.match(/<figure class="not-run">/g)).toHaveLength(3);
    expect(bare).toContain('Benchmark not run');
    expect(bare).toContain('Sanity training not run');
    expect(bare).toContain('No training log with epoch times');
  });

  it('draws the charts and the findings in the screenshot', async () => {
    const shots = ['full', 'bare'].map((n) => file(`${n}.png`));
    await Promise.all(['full', 'bare'].map((n, i) => chromium([`--screenshot=${shots[i]}`, '--window-size=1100,2600', pathToFileURL(file(`${n}.html`)).href])));
    const [full, bare] = shots.map((s) => decodePng(readFileSync(s)));
    expect([full!.width, full!.height]).toEqual([1100, 2600]);
    const blue = [0x1f, 0x6f, 0xeb] as const; // bars and lines
    const amber = [0xd2, 0x99, 0x22] as const; // this machine's bar, warning border
    const red = [0xcf, 0x22, 0x2e] as const; // failure border
    expect(countColor(full!, blue)).toBeGreaterThan(5000);
    expect(countColor(full!, amber)).toBeGreaterThan(2000);
    expect(countColor(full!, red)).toBeGreaterThan(50);
    // No chart data in the bare report: no chart blue, only the warning border's amber.
    expect(countColor(bare!, blue)).toBeLessThan(50);
    expect(countColor(bare!, amber)).toBeLessThan(500);
  });

  it('makes no network request, while the same check catches one in a control page', async () => {
    const html = readFileSync(file('bare.html'), 'utf8');
    const probe = 'http://127.0.0.1:9/nnunet-doctor-probe.png';
    writeFileSync(file('control.html'), html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('<main>', `<main><img src="${probe}">`));
    writeFileSync(file('control-csp.html'), html.replace('<main>', `<main><img src="${probe}">`));
    const [full, bare, control, controlCsp] = await Promise.all(['full.html', 'bare.html', 'control.html', 'control-csp.html'].map((n) => requestedUrls(file(n))));
    expect(full).toEqual([]);
    expect(bare).toEqual([]);
    expect(control).toContain(probe);
    expect(controlCsp).toEqual([]);
  });
});
