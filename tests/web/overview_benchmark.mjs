// Times the overview page in headless Debian Chromium (docs/benchmarks.md): from navigation to
// the ministries' table filled in, logged in, `runs` times. Arguments: URL USER PASSWORD RUNS
// PROFILE_DIR PLAYWRIGHT_MODULE. Prints p50, p95 and max in milliseconds.
const [url, user, password, runs, profile, playwrightModule] = process.argv.slice(2);
const { chromium } = await import(playwrightModule);

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
  viewport: { width: 1280, height: 800 },
});
try {
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(60000);
  await page.goto(url + '/');
  await page.getByLabel('Identifiant').fill(user);
  await page.getByLabel('Mot de passe').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Vue interministérielle' }).waitFor();
  const times = [];
  for (let i = 0; i < Number(runs); ++i) {
    await page.goto('about:blank');
    const start = Date.now();
    await page.goto(url + '/#/');
    await page.getByRole('heading', { name: 'Vue interministérielle' }).waitFor();
    await page.locator('main table tbody tr').first().waitFor();
    times.push(Date.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(times.length * q))];
  console.log(`overview page, ${times.length} loads: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${times[times.length - 1]} ms`);
} finally {
  await context.close();
}
