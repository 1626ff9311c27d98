// The sandbox inbox in Debian's headless Chromium, driven by playwright-core (no browser is
// downloaded). Starts `ihuyi sandbox`, sends through the CLI, and checks what a person would see.
// Env: IHUYI_BIN (the binary), CHROMIUM (default /usr/bin/chromium), ARTIFACTS (default
// artifacts/), DOCS_SCREENSHOT (a path: also save the README's screenshot there).
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import http from 'node:http';
import { chromium } from 'playwright-core';

const root = resolve(new URL('../..', import.meta.url).pathname);
const BIN = process.env.IHUYI_BIN || join(root, 'target/debug/ihuyi');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = resolve(process.env.ARTIFACTS || join(root, 'artifacts'));
const MANY = Number(process.env.INBOX_MESSAGES || 10000);
const KEYS = {
  sms: ['C80000001', '8f14e45fceea167a5a36dedd4bea2543'],
  voice: ['V80000001', 'c9f0f895fb98ab9159f51fd0297e236d'],
  isms: ['I80000001', '45c48cce2e2d7fbdea1afc51c7c6ad26'],
};
const SCRIPT_CONTENT = '<script>window.__pwned = 1; document.title = "pwned"</script><img src=x onerror="window.__pwned = 2">您的验证码是:7310。【互亿无线】';

let passed = 0;
let failed = 0;
const figures = {};

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed += 1;
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function startSandbox() {
  const child = spawn(BIN, ['sandbox', '--permissive', '--port', '0', '--output', 'json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error('sandbox did not start in 15 s')), 15000);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolveStart({ child, banner: JSON.parse(line) });
    });
  });
}

function send(base, product, mobile, content, apikey) {
  const [account, key] = KEYS[product];
  return new Promise((res, rej) => {
    execFile(BIN, ['send', '--product', product, '--base-url', base, '--account', account,
      '--apikey', apikey || key, '--mobile', mobile, '--content', content, '--output', 'json'],
    { timeout: 20000 }, (err, stdout) => {
      // A refusal exits 1 with a JSON answer: that is a result, not a test failure.
      if (err && err.code !== 1) { rej(err); return; }
      res(JSON.parse(stdout));
    });
  });
}

// Receives the sandbox's receipt pushes: refuses the first push for 13800138000's SMS (so it is
// retried once) and every push for 13900139000 (retried until the sandbox gives up).
function startReceiver() {
  const seen = new Map();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const f = new URLSearchParams(body);
      const id = f.get('smsid') || f.get('voiceid') || f.get('ismsid');
      const n = (seen.get(id) || 0) + 1;
      seen.set(id, n);
      const refuse = f.get('mobilephone') === '13900139000'
        || (f.get('mobilephone') === '13800138000' && f.has('smsid') && n === 1);
      res.end(refuse ? 'busy' : 'success');
    });
  });
  return new Promise((res) => server.listen(0, '127.0.0.1', () => {
    res({ server, url: `http://127.0.0.1:${server.address().port}` });
  }));
}

function getJson(url) {
  return fetch(url, { cache: 'no-store' }).then((r) => r.json());
}

// Many Submits quickly, straight over HTTP with the key as a plain password (the platform and
// the sandbox accept it): spawning the CLI 10 000 times would measure process start-up.
async function flood(base, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const [account, key] = KEYS.sms;
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const mobile = `139${String(i % 5000).padStart(8, '0')}`;
      const content = i % 2 ? `Order ${i} has shipped.【互亿无线】` : `您的验证码是:${String(1000 + (i % 9000))}。请不要把验证码泄露给其他人。【互亿无线】`;
      const body = new URLSearchParams({ method: 'Submit', account, password: key, mobile, content, format: 'json' }).toString();
      await new Promise((res, rej) => {
        const req = http.request(`${base}/webservice/sms.php?method=Submit`, {
          method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        }, (r) => { r.resume(); r.on('end', res); });
        req.on('error', rej);
        req.end(body);
      });
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker));
  agent.destroy();
}

async function main() {
  mkdirSync(ARTIFACTS, { recursive: true });
  const receiver = await startReceiver();
  const { child, banner } = await startSandbox();
  const base = banner.base_url;
  const inbox = banner.inbox;
  const profile = mkdtempSync(join(tmpdir(), 'ihuyi-inbox-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('dialog', (d) => d.accept());
  const rows = () => page.locator('#inbox tbody tr').count();

  try {
    await check('the page opens empty, with a CSP and the live indicator on', async () => {
      const response = await page.goto(inbox);
      assert(response.status() === 200, `status ${response.status()}`);
      const csp = response.headers()['content-security-policy'] || '';
      assert(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), `CSP: ${csp}`);
      await page.waitForSelector('body[data-ready=true]');
      assert(await page.locator('#empty').isVisible(), 'empty state shown');
      await page.waitForSelector('#live:not(.off)', { timeout: 5000 });
      await page.evaluate(() => { window.__sameDocument = true; });
    });

    await check('receipts: a scenario with push URLs is put in force', async () => {
      const scenario = {
        limits: { enabled: false },
        time_scale: 600,
        receipt_delay_seconds: 0.2,
        accounts: [
          { product: 'sms', push_url: `${receiver.url}/receipts` },
          { product: 'voice', push_url: `${receiver.url}/receipts` },
        ],
        receipts: [{ mobile: '13900139000', code: 0, msg: 'UNDELIV' }],
      };
      const r = await fetch(`${base}/_sandbox/scenario`, { method: 'POST', body: JSON.stringify(scenario) });
      assert(r.ok, `scenario: HTTP ${r.status}`);
    });

    await check('sends through the CLI appear without a reload, newest first', async () => {
      await send(base, 'sms', '13800138000', '您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】');
      await page.waitForFunction(() => document.querySelectorAll('#inbox tbody tr').length === 1, null, { timeout: 5000 });
      await send(base, 'sms', '13900139000', SCRIPT_CONTENT);
      await send(base, 'voice', '13800138000', '4821');
      await send(base, 'isms', '63 9171234567', 'Your verification code is 5566. [Acme]');
      const refused = await send(base, 'sms', '13700137000', 'wrong key', '0'.repeat(32));
      assert(refused.ok === false, 'the wrong key was refused');
      await page.waitForFunction(() => document.querySelectorAll('#inbox tbody tr').length === 5, null, { timeout: 5000 });
      assert(await page.evaluate(() => window.__sameDocument === true), 'the page was reloaded');
      const first = await page.locator('#inbox tbody tr').first().innerText();
      assert(first.includes('13700137000') && first.includes('405'), `newest first: ${first}`);
      const voice = page.locator('#inbox tbody tr', { hasText: '4 8 2 1' });
      assert((await voice.innerText()).includes('call: 4 8 2 1'), 'voice row');
      assert((await page.locator('.tabs a[data-product=sms] .n').innerText()) === '3', 'sms count tab');
    });

    await check('receipt states: delivered, retried, failed and not acknowledged', async () => {
      const receiptOf = (mobile, text) => page.locator('#inbox tbody tr', { hasText: mobile }).filter({ hasText: text }).locator('.receipt');
      await page.waitForFunction(() => document.querySelectorAll('.receipt-state.pending').length === 0
        && [...document.querySelectorAll('.receipt-state')].some((e) => e.textContent.includes('not acknowledged') && !e.textContent.includes('yet')), null, { timeout: 10000 });
      const sms = await receiptOf('13800138000', '1234').innerText();
      assert(sms === 'delivered · retried 1 time', `sms receipt: ${sms}`);
      const voice = await receiptOf('13800138000', '4 8 2 1').innerText();
      assert(voice === 'delivered', `voice receipt: ${voice}`);
      const failedOne = await receiptOf('13900139000', 'pwned').innerText();
      assert(failedOne === 'failed (UNDELIV) · retried 2 times · not acknowledged', `failed receipt: ${failedOne}`);
      const isms = await receiptOf('63 9171234567', '5566').innerText();
      assert(isms === '', `no push URL, no receipt: ${isms}`);
    });

    await check('a <script> content is shown as text and does not run', async () => {
      const text = await page.locator('#inbox tbody tr', { hasText: '13900139000' }).locator('.text').innerText();
      assert(text.startsWith('<script>window.__pwned = 1;'), `shown as text: ${text}`);
      assert(text.includes('<img src=x onerror='), 'the img tag is shown as text');
      assert(await page.evaluate(() => window.__pwned === undefined), 'the script ran');
      assert((await page.title()) !== 'pwned', 'the title was changed');
      assert(await page.evaluate(() => document.querySelectorAll('#view script, #view img').length === 0), 'markup got in');
      const meta = await page.locator('#inbox tbody tr', { hasText: '13900139000' }).locator('.meta').innerText();
      assert(/\d+ chars · \d+ segments?/.test(meta), `segment count: ${meta}`);
    });

    await check('the filter matches numbers and text', async () => {
      await page.fill('#q', '1390013');
      await page.waitForFunction(() => document.querySelectorAll('#inbox tbody tr').length === 1, null, { timeout: 5000 });
      assert(new URL(page.url()).searchParams.get('q') === '1390013', 'the filter is in the URL');
      await page.fill('#q', 'VERIFICATION');
      await page.waitForFunction(() => {
        const r = document.querySelectorAll('#inbox tbody tr');
        return r.length === 1 && r[0].innerText.includes('63 9171234567');
      }, null, { timeout: 5000 });
      await page.fill('#q', 'no such text anywhere');
      await page.waitForSelector('#empty', { timeout: 5000 });
      await page.fill('#q', '');
      await page.waitForFunction(() => document.querySelectorAll('#inbox tbody tr').length === 5, null, { timeout: 5000 });
      await page.click('.tabs a[data-product=voice]');
      await page.waitForFunction(() => document.querySelectorAll('#inbox tbody tr').length === 1, null, { timeout: 5000 });
      await page.click('.tabs a[data-product=all]');
      await page.waitForFunction(() => document.querySelectorAll('#inbox tbody tr').length === 5, null, { timeout: 5000 });
    });

    await check('the accounts show balances after the sends', async () => {
      // Billed segments, as the rows show them: the <script> message is long enough for two.
      const metas = await page.locator('#inbox tbody tr.accepted', { has: page.locator('.product.sms') }).locator('.meta').allInnerTexts();
      const segments = metas.reduce((n, m) => n + Number(/(\d+) segment/.exec(m)[1]), 0);
      assert(segments === 3, `segments: ${metas.join(' / ')}`);
      const sms = await page.locator('#ledger tr[data-product=sms] .balance').innerText();
      assert(sms.startsWith(String(100000 - segments) + ' '), `sms balance: ${sms}`);
      const voice = await page.locator('#ledger tr[data-product=voice] .balance').innerText();
      assert(voice.startsWith('99999'), `voice balance: ${voice}`);
      await page.screenshot({ path: join(ARTIFACTS, 'inbox.png'), fullPage: false });
      if (process.env.DOCS_SCREENSHOT) await page.screenshot({ path: process.env.DOCS_SCREENSHOT });
    });

    await check('the phone view shows a voice code as "call: …"', async () => {
      await page.click('#inbox a.phone-link:text-is("13800138000")');
      await page.waitForSelector('.conversation .bubble.voice', { timeout: 5000 });
      const bubbles = await page.locator('.conversation .bubble').allInnerTexts();
      assert(bubbles.length === 2, `two messages: ${bubbles.length}`);
      assert(bubbles[0].includes('您的验证码是:1234'), 'oldest first');
      assert(bubbles[1].includes('call: 4 8 2 1'), `voice: ${bubbles[1]}`);
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-phone.png') });
      await send(base, 'sms', '13800138000', '您的验证码是:9999。【互亿无线】');
      await page.waitForFunction(() => document.querySelectorAll('.conversation .bubble').length === 3, null, { timeout: 5000 });
      await page.goBack();
      await page.waitForSelector('#inbox', { timeout: 5000 });
    });

    await check('reset empties the inbox and restores balances', async () => {
      await page.click('#reset button');
      await page.waitForSelector('#empty', { timeout: 5000 });
      const log = await getJson(`${base}/_sandbox/requests`);
      assert(Array.isArray(log) && log.length === 0, 'the request log is empty');
      const sms = await page.locator('#ledger tr[data-product=sms] .balance').innerText();
      assert(sms.startsWith('100000'), `sms balance: ${sms}`);
    });

    await check(`${MANY} messages: first render and filter stay fast`, async () => {
      // Back to plain permissive accounts: 10 000 receipt pushes would only add noise.
      const plain = await fetch(`${base}/_sandbox/scenario`, { method: 'POST', body: '{"limits":{"enabled":false}}' });
      assert(plain.ok, `scenario: HTTP ${plain.status}`);
      const t0 = Date.now();
      await flood(base, MANY);
      figures.flood_seconds = ((Date.now() - t0) / 1000).toFixed(1);
      // The open page picks the burst up by itself.
      await page.waitForFunction((n) => document.querySelector('.tabs a[data-product=all] .n')?.textContent.replace(/\D/g, '') === String(n), MANY, { timeout: 20000 });
      const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      // First render: from navigation to the first page of rows on screen (median of 3 loads).
      const loads = [];
      let nav;
      for (let i = 0; i < 3; i++) {
        const tNav = Date.now();
        await page.goto(inbox);
        await page.waitForSelector('#inbox tbody tr');
        loads.push(Date.now() - tNav);
        nav = await page.evaluate(() => {
          const n = performance.getEntriesByType('navigation')[0];
          return { ttfb: n.responseStart - n.startTime, dcl: n.domContentLoadedEventEnd - n.startTime };
        });
      }
      figures.first_render_ms = median(loads);
      figures.first_render_all_ms = loads;
      figures.page_ttfb_ms = Math.round(nav.ttfb);
      figures.dom_content_loaded_ms = Math.round(nav.dcl);
      assert((await rows()) === 50, 'one page of 50 rows');
      await page.waitForSelector('body[data-ready=true]');
      const range = await page.locator('#range').innerText();
      assert(range.replace(/\D/g, '').endsWith(String(MANY)), `range: ${range}`);

      // A filter: from the keystroke to the swapped view, including the 120 ms typing debounce
      // (median of 3 runs per kind), and the fetch + swap alone as the page measures it.
      async function timeFilter(text) {
        await page.fill('#q', '');
        await page.waitForFunction(() => !new URL(location.href).searchParams.has('q'));
        await page.waitForFunction(() => document.querySelectorAll('#inbox tbody tr').length === 50);
        const before = Number(await page.evaluate(() => document.body.dataset.renders || 0));
        const t = Date.now();
        await page.fill('#q', text);
        await page.waitForFunction(([b, q]) => Number(document.body.dataset.renders || 0) > b
          && document.body.dataset.query === q, [before, new URLSearchParams({ q: text }).toString()], { timeout: 10000 });
        return [Date.now() - t, Number(await page.evaluate(() => document.body.dataset.renderMs))];
      }
      const text = [];
      const swap = [];
      for (let i = 0; i < 3; i++) {
        const [ms, swapMs] = await timeFilter('shipped');
        text.push(ms);
        swap.push(swapMs);
      }
      figures.filter_text_ms = median(text);
      figures.filter_fetch_and_swap_ms = median(swap);
      const shipped = (await page.locator('#range').innerText()).replace(/\D/g, '');
      assert(shipped.endsWith(String(MANY / 2)), `half are orders: ${shipped}`);
      const number = [];
      for (let i = 0; i < 3; i++) number.push((await timeFilter('13900000042'))[0]);
      figures.filter_number_ms = median(number);
      assert((await rows()) === Math.ceil(MANY / 5000), 'the number filter');

      const tOlder = Date.now();
      await page.fill('#q', '');
      await page.waitForFunction(() => document.querySelectorAll('#inbox tbody tr').length === 50);
      await page.click('a[rel=next]');
      await page.waitForFunction(() => document.querySelector('#range')?.textContent.startsWith('51'));
      figures.clear_filter_and_next_page_ms = Date.now() - tOlder;

      const json0 = Date.now();
      await getJson(`${base}/_sandbox/inbox?q=shipped`);
      figures.json_inbox_filtered_ms = Date.now() - json0;
      const last = Date.now();
      await send(base, 'voice', '13800138000', '2468');
      await page.click('.tabs a[data-product=all]');
      await page.waitForFunction(() => document.querySelector('#inbox tbody tr')?.innerText.includes('call: 2 4 6 8'), null, { timeout: 5000 });
      figures.live_update_after_cli_send_ms = Date.now() - last;
      assert(figures.first_render_ms < 3000, `first render ${figures.first_render_ms} ms`);
      assert(figures.filter_text_ms < 2000, `filter ${figures.filter_text_ms} ms`);
      assert(figures.filter_number_ms < 2000, `filter ${figures.filter_number_ms} ms`);
    });

    await check('no script error and no CSP violation on the page', async () => {
      assert(problems.length === 0, problems.join(' | '));
    });
  } finally {
    await context.close().catch(() => {});
    receiver.server.close();
    child.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(`figures (${MANY} messages): ${JSON.stringify(figures)}`);
}

main().catch((e) => {
  failed += 1;
  console.log(`FAIL setup: ${e && e.stack ? e.stack : e}`);
}).finally(() => {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
});
