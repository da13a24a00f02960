// Browser test of the public company introduction site: every page type in
// Japanese and English, at 1280 px and 375 px, checked with axe-core (WCAG 2.1
// A/AA — JIS X 8341-3 AA), by keyboard, and photographed for the README.
import { launch } from './browser.mjs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const base = process.env.BASE;
const shots = process.env.SHOTS || '';
const company = process.env.COMPANY, lab = process.env.LAB;
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}
async function accessible(page, what) {
  await page.addScriptTag({ path: axePath });
  const res = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  for (const v of res.violations) console.log(`     ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
  check(res.violations.length === 0, `axe: ${what}`);
}

const pages = [
  ['home', '/'],
  ['search', '/search?q=' + encodeURIComponent('ステンレスの精密切削 φ3の穴あけ ISO9001必須')],
  ['browse-kana', '/browse/kana?row=' + encodeURIComponent('か')],
  ['browse-process', '/browse/process'],
  ['browse-industry', '/browse/industry?code=24'],
  ['browse-labs', '/browse/labs'],
  ['company', '/companies/' + company],
  ['lab', '/labs/' + lab],
];

const browser = await launch();
try {
  for (const [width, suffix] of [[1280, ''], [375, '-375']]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, locale: 'ja-JP', bypassCSP: true });
    const page = await ctx.newPage();
    for (const [name, p] of pages) {
      for (const lang of ['ja', 'en']) {
        const url = base + p + (lang === 'en' ? (p.includes('?') ? '&' : '?') + 'lang=en' : '');
        const resp = await page.goto(url);
        check(resp.status() === 200, `${name} ${lang} ${width}px: 200`);
        check((await page.getAttribute('html', 'lang')) === lang, `${name} ${lang}: html lang=${lang}`);
        // Nothing wider than the screen at 375 px.
        if (width === 375) {
          const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          check(over <= 1, `${name} ${lang} fits 375 px (overflow ${over}px)`);
        }
        await accessible(page, `${name} ${lang} ${width}px`);
        if (shots && (lang === 'ja' || name === 'company')) {
          const height = Math.min(3000, await page.evaluate(() => document.documentElement.scrollHeight));
          await page.screenshot({ path: path.join(shots, `public-${name}${lang === 'en' ? '-en' : ''}${suffix}.png`), fullPage: true, clip: { x: 0, y: 0, width, height } });
        }
      }
    }
    await ctx.close();
  }

  // Search: what was read, highlights, a facet that narrows and can be removed, 五十音 order.
  {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true });
    const page = await ctx.newPage();
    await page.goto(base + '/search?q=' + encodeURIComponent('陽極酸化'));
    check(await page.isVisible('.notice li'), 'search says how it read the request');
    const total = async () => Number((await page.textContent('.count strong')).replace(/,/g, ''));
    const all = await total();
    check(all > 0 && await page.locator('ol.hits .hl, ol.hits mark').count() > 0, `陽極酸化 finds ${all} with highlights (アルマイト)`);
    const facet = page.locator('aside.facets section.facet:has(h3:has-text("材料")) a').first();
    await Promise.all([page.waitForNavigation(), facet.click()]);
    const narrowed = await total();
    check(page.url().includes('material=') && narrowed > 0 && narrowed <= all, `a facet narrows ${all} → ${narrowed}, in the URL`);
    check(await page.locator('aside.facets a[aria-current=true]').count() === 1, 'the chosen facet is marked');
    await page.selectOption('#f-sort', 'kana');
    await Promise.all([page.waitForNavigation(), page.click('.sort-form button')]);
    check(page.url().includes('sort=kana') && page.url().includes('material=') && (await total()) === narrowed, '五十音 order keeps the facet');
    await Promise.all([page.waitForNavigation(), page.click('text=絞り込みをすべて解除')]);
    check((await total()) === all, 'clearing the facets gives every hit back');

    // Instant results while typing: in place (no page load), the chosen kind
    // and order kept, the URL following, the new count announced.
    await page.goto(base + '/search?q=' + encodeURIComponent('陽極酸化') + '&kind=company&sort=kana');
    await page.evaluate(() => { window.notReloaded = true; });
    await page.fill('#site-q', 'めっき');
    await page.waitForFunction(() => document.querySelector('main h1').textContent.includes('めっき'), null, { timeout: 5000 }).catch(() => {});
    const u = new URL(page.url());
    check(await page.evaluate(() => window.notReloaded === true), 'instant results: no page load');
    check(u.searchParams.get('q') === 'めっき' && u.searchParams.get('kind') === 'company' && u.searchParams.get('sort') === 'kana', `instant results: the URL follows and keeps kind and order (${u.search})`);
    check((await page.locator('main h1').textContent()).includes('めっき') && (await total()) > 0, 'instant results: the new hits are shown');
    check(/\d+\s*件/.test(await page.textContent('#site-q-status')), 'instant results: the count is announced');
    check(await page.evaluate(() => document.activeElement.id === 'site-q'), 'instant results: focus stays in the box');
    check(decodeURIComponent(await page.getAttribute('header a[hreflang=en]', 'href')).includes('めっき'), 'instant results: the English link follows');
    await accessible(page, 'instant results');
    await page.reload();
    check((await page.locator('main h1').textContent()).includes('めっき'), 'instant results: reloading shows the same search');
    await ctx.close();
  }

  // Keyboard: the first Tab reaches the skip link, which moves focus to the content.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(base + '/companies/' + company);
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.classList.contains('skip')), 'the first Tab lands on the skip link');
  await page.keyboard.press('Enter');
  check(await page.evaluate(() => location.hash === '#main'), 'the skip link jumps to the content');
  // The inquiry form works with the keyboard alone, and says what is wrong.
  await page.focus('#f-name');
  await page.keyboard.type('試験 花子');
  await page.keyboard.press('Tab'); await page.keyboard.type('テスト工業');
  await page.keyboard.press('Tab'); await page.keyboard.type('not-an-address');
  await page.keyboard.press('Tab'); await page.keyboard.press('Tab'); await page.keyboard.type('見積もりのお願い');
  await page.keyboard.press('Tab'); await page.keyboard.type('アルミの板金を試作でお願いしたいです。');
  await page.keyboard.press('Tab');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  check(await page.isVisible('.field-error:has-text("メールアドレスの形式が正しくありません")'), 'a wrong address gets a field message');
  await page.fill('#f-email', 'hanako@example.jp');
  await Promise.all([page.waitForNavigation(), page.click('#inquiry button[type=submit]')]);
  check(await page.isVisible('text=お問い合わせを受け付けました'), 'the inquiry is sent');
  await accessible(page, 'inquiry sent');
  if (shots) await page.screenshot({ path: path.join(shots, 'public-inquiry-sent.png') });
  await ctx.close();
} finally {
  await browser.close();
}
if (failures) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
