// The compliance reports in headless Debian Chromium through playwright-core: the « Rapports »
// page and a download for a ministry account, then the HTML report printed to A4 with every
// network request blocked. Arguments: URL USER PASSWORD HTML_REPORT OUT_DIR PROFILE_DIR
// PLAYWRIGHT_MODULE.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const [url, user, password, htmlReport, out, profile, playwrightModule] = process.argv.slice(2);
const { chromium } = await import(playwrightModule);

// A4 is 210 mm wide; the report's @page margins are 12 mm on each side: 186 mm at 96 px per inch.
const PRINTABLE_WIDTH = Math.floor((186 * 96) / 25.4);

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
  viewport: { width: 1280, height: 800 },
  acceptDownloads: true,
});
const problems = [];
const step = (name) => console.log(`- ${name}`);

try {
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(30000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

  step('login as a ministry account');
  await page.goto(url + '/');
  await page.getByLabel('Identifiant').fill(user);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('link', { name: 'Rapports' }).click();
  await page.getByRole('heading', { level: 1, name: 'Rapports' }).waitFor();
  const rows = page.locator('table tbody tr');
  assert.equal(await rows.count(), 3, 'the ministry sees its three reports only');
  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /Interministériel/);
  assert.doesNotMatch(text, /conomie/);
  await page.screenshot({ path: path.join(out, 'rapports.png'), fullPage: true });

  step('download the workbook');
  const row = rows.filter({ hasText: 'Classeur XLSX' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: /Télécharger/ }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^vigie-MI-daily-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const workbook = await readFile(await download.path());
  assert.equal(workbook.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip file');

  step('print the HTML report to A4, offline');
  const print = await context.newPage();
  const requests = [];
  await print.route('**/*', (route) => {
    requests.push(route.request().url());
    route.abort();
  });
  print.on('request', (request) => requests.push(request.url()));
  await print.setViewportSize({ width: PRINTABLE_WIDTH, height: 1100 });
  await print.emulateMedia({ media: 'print' });
  await print.setContent(await readFile(htmlReport, 'utf8'), { waitUntil: 'load' });
  const layout = await print.evaluate((width) => {
    const overflowing = [];
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && (box.left < -0.5 || box.right > width + 0.5)) {
        overflowing.push(`${element.tagName.toLowerCase()}.${element.className} ${Math.round(box.right)}px`);
      }
    }
    return {
      overflowing,
      scrollWidth: document.documentElement.scrollWidth,
      bars: [...document.querySelectorAll('.bar span')].filter((bar) => bar.getBoundingClientRect().height > 0).length,
      sections: document.querySelectorAll('section h2').length,
    };
  }, PRINTABLE_WIDTH);
  assert.deepEqual(layout.overflowing, [], 'no element goes past the printable width');
  assert.ok(layout.scrollWidth <= PRINTABLE_WIDTH, `page ${layout.scrollWidth}px wide`);
  assert.ok(layout.bars > 0, 'the share bars (charts) are drawn');
  assert.ok(layout.sections >= 10, 'every section is printed');
  const pdf = await print.pdf({ path: path.join(out, 'rapport.pdf'), format: 'A4', printBackground: true });
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1, 'the PDF has pages');
  assert.deepEqual(requests, [], 'the report makes no request');
  console.log(`reports browser test passed (${pages} A4 page(s))`);
  assert.deepEqual(problems, []);
} catch (error) {
  console.error(error);
  console.error(problems.join('\n'));
  process.exitCode = 1;
} finally {
  await context.close();
}
