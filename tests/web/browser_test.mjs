// Drives the dashboard in headless Debian Chromium through playwright-core (no downloaded
// browser). Arguments: URL USER PASSWORD SCREENSHOT_DIR PROFILE_DIR PLAYWRIGHT_MODULE.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const [url, user, password, screenshots, profile, playwrightModule] = process.argv.slice(2);
const { chromium } = await import(playwrightModule);

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
  viewport: { width: 1280, height: 800 },
  acceptDownloads: true,
});
const page = context.pages()[0] || (await context.newPage());
// Generous: ctest runs other suites on the same two cores at the same time.
page.setDefaultTimeout(30000);
const problems = [];
page.on('dialog', (dialog) => {
  problems.push(`dialog opened: ${dialog.message()}`);
  dialog.dismiss();
});
page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
page.on('console', (message) => {
  // Refused API calls (401 before login and after logout) are expected; anything else, such as a
  // Content-Security-Policy violation, is a problem.
  if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
    problems.push(`console error: ${message.text()}`);
  }
});
const shot = (name) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
const step = (name) => console.log(`- ${name}`);

async function noScriptRan() {
  assert.equal(await page.evaluate(() => window.vigiePwned), undefined, 'a hostile string ran');
  assert.equal(await page.locator('main img').count(), 0, 'a hostile string became an element');
}

try {
  step('login');
  await page.goto(url + '/');
  await page.getByLabel('Identifiant').fill(user);
  await page.getByLabel('Mot de passe').fill('mauvais mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('alert').filter({ hasText: 'incorrect' }).waitFor();
  await page.getByLabel('Identifiant').fill(user);
  await page.getByLabel('Mot de passe').fill(password);
  await page.keyboard.press('Enter');

  step('overview');
  await page.getByRole('heading', { name: 'Vue interministérielle' }).waitFor();
  const rows = page.locator('table tbody tr');
  assert.equal(await rows.count(), 2);
  await shot('1-vue-interministerielle');

  step('ministry, reached with the keyboard only');
  let focused = '';
  for (let i = 0; i < 40 && !/Économie/.test(focused); ++i) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
  }
  assert.match(focused, /Économie/, 'the ministry link is reachable with Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: /Économie/ }).waitFor();
  await page.getByRole('heading', { name: 'Verdicts' }).waitFor();
  await shot('2-ministere');

  step('host list, hostile names inert');
  await page.getByRole('link', { name: 'Voir les postes' }).click();
  await page.getByRole('heading', { name: 'Postes' }).waitFor();
  await page.getByText('<script>window.vigiePwned=1</script>').waitFor();
  await page.getByText('"><img src=x onerror="window.vigiePwned=2">').waitFor();
  await noScriptRan();
  await shot('3-postes');

  step('paging by cursors');
  await page.evaluate(() => { location.hash = '#/postes?ministry=MEFSIN&perPage=2'; });
  await page.getByRole('link', { name: 'Page suivante' }).waitFor();
  assert.equal(await rows.count(), 2);
  assert.equal(await page.getByRole('link', { name: 'Page précédente' }).count(), 0);
  await page.getByRole('link', { name: 'Page suivante' }).click();
  await page.getByRole('link', { name: 'Page précédente' }).waitFor();
  assert.equal(await rows.count(), 1);
  assert.equal(await page.getByRole('link', { name: 'Page suivante' }).count(), 0);
  await page.getByRole('link', { name: 'Page précédente' }).click();
  await page.getByRole('link', { name: 'Page suivante' }).waitFor();
  assert.equal(await rows.count(), 2);

  step('filter');
  await page.getByLabel('Nom du poste (ou une partie)').fill('<SCRIPT>');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.getByText('1 postes.').waitFor();
  assert.equal(await rows.count(), 1);

  step('CSV export');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
  const csv = await readFile(await download.path(), 'utf8');
  assert.match(csv, /poste;ministère;unité/);
  assert.match(csv, /<script>window\.vigiePwned=1<\/script>/);
  assert.equal(csv.trim().split('\n').length, 2);

  step('host detail');
  await page.getByRole('link', { name: '<script>window.vigiePwned=1</script>' }).click();
  await page.getByRole('heading', { level: 1, name: 'Poste <script>window.vigiePwned=1</script>' }).waitFor();
  await page.getByRole('heading', { name: 'Pourquoi ce verdict' }).waitFor();
  assert.ok((await page.locator('main ul li').count()) > 0, 'the verdict has reasons');
  await noScriptRan();
  await shot('4-poste');

  step('logout');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('button', { name: 'Se connecter' }).waitFor();
  const status = await page.evaluate(async () => (await fetch('api/v1/session')).status);
  assert.equal(status, 401);
  await shot('5-deconnexion');

  assert.deepEqual(problems, []);
  console.log('browser test passed');
} catch (error) {
  await shot('echec').catch(() => {});
  console.error(error);
  console.error(problems.join('\n'));
  process.exitCode = 1;
} finally {
  await context.close();
}
