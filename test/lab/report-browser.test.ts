/**
 * A real lab run, recorded, made into a report and opened in headless Chromium (Debian's
 * `chromium`, driven with playwright-core, which downloads no browser of its own): the counts,
 * the failed host first, a diff on screen, and the filters and the sort doing what they say. The
 * screenshot stays in the system's temporary directory (its path is printed) for a person to look at.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lvsdr } from '../support/cli.ts';
import { LAB_TEST_TIMEOUT, labUnavailable, startLab, type Lab } from '../support/lab.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.join(tmpdir(), 'lvsdr-report-browser.png');
const skip = labUnavailable();

describe.skipIf(skip)('a report of a real run, in a real browser', () => {
  let lab: Lab;
  let browser: Browser;
  let page: Page;
  let report: string;

  beforeAll(async () => {
    lab = await startLab({ name: 'report', realservers: 3, kind: 'light' });
    // rs2 has the file already: it is the host with nothing to change.
    await lab.exec('rs2', "printf 'served by lvsdr\\nbalanced by LVS-DR\\n' > /etc/lvsdr-report.txt && chmod 0644 /etc/lvsdr-report.txt");
    const records = mkdtempSync(path.join(tmpdir(), 'lvsdr-report-records-'));
    const run = await lvsdr('run', 'test/fixtures/report/site.yml', '-i', lab.inventoryPath, '--record-dir', records);
    expect(run.code, run.text).toBe(2);
    report = path.join(records, 'report.html');
    const made = await lvsdr('report', '--last', '--record-dir', records, '-o', report);
    expect(made.code, made.text).toBe(0);
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (src/lab/debian-packages.txt)`).toBe(true);
    // As root Chromium needs --no-sandbox; the page is our own file, with no network.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`file://${report}`);
  }, LAB_TEST_TIMEOUT * 2);

  afterAll(async () => {
    await browser?.close();
    await lab?.down();
  });

  const visibleTasks = (): Promise<string[]> => page.locator('#grid tr.task:visible th').allInnerTexts();

  it('shows the outcome, and each host with its counts, the failed host first', { timeout: LAB_TEST_TIMEOUT }, async () => {
    await expect.poll(() => page.locator('#outcome').innerText()).toBe('exit 2: a host failed');
    expect(await page.locator('#host-table tr.host th').allInnerTexts()).toEqual(['rs3', 'rs1', 'rs2']);
    const count = (host: string, what: string) => page.locator(`#host-table tr[data-host="${host}"] td[data-count="${what}"]`).innerText();
    expect([await count('rs3', 'failed'), await count('rs1', 'changed'), await count('rs2', 'changed'), await count('rs2', 'ok')]).toEqual(['1', '1', '0', '2']);
    expect(await page.locator('#grid td.cell.failed[data-host="rs3"]').count()).toBe(1);
    expect(await page.locator('#failures li').allInnerTexts()).toEqual([expect.stringMatching(/^rs3 · Check the disk test\/fixtures\/report\/site\.yml:12\s+false: exit 1/)]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`report: ${report}, its screenshot: ${SCREENSHOT}`);
  });

  it("shows the change's diff, and its task's place in the playbook", { timeout: LAB_TEST_TIMEOUT }, async () => {
    const change = page.locator('article.change[data-host="rs1"]');
    await expect.poll(() => change.locator('pre.diff').isVisible()).toBe(true);
    expect(await change.locator('pre.diff .add').allInnerTexts()).toEqual(['+served by lvsdr', '+balanced by LVS-DR']);
    expect(await page.locator('#grid tr.task', { hasText: 'Write the banner' }).locator('td.pos').innerText()).toBe('test/fixtures/report/site.yml:7');
  });

  it('filters by status, host and task name, and sorts by duration', { timeout: LAB_TEST_TIMEOUT }, async () => {
    expect(await visibleTasks()).toEqual(['Write the banner', 'Check the disk', 'Read the banner back']);
    await page.check('#only-failed');
    expect(await visibleTasks()).toEqual(['Check the disk']);
    await page.uncheck('#only-failed');
    await page.check('#only-changed');
    expect(await visibleTasks()).toEqual(['Write the banner']);
    await page.selectOption('#host-filter', 'rs2');
    expect(await visibleTasks()).toEqual([]);
    expect(await page.locator('#grid td.cell:visible').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-host')))).not.toContain('rs1');
    await page.uncheck('#only-changed');
    await page.selectOption('#host-filter', '');
    await page.fill('#task-filter', 'banner');
    expect(await visibleTasks()).toEqual(['Write the banner', 'Read the banner back']);
    await page.fill('#task-filter', '');
    await page.selectOption('#sort', 'duration');
    const durations = await page.locator('#grid tr.task').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-duration'))));
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    expect(readFileSync(report, 'utf8')).not.toMatch(/\b(src|href)="(?!#)/);
  });
});
