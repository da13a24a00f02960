// Browser test of the staff UI and the members' pages, run by e2e_test.go
// against a real mieruka with the demo data. Exits non-zero on the first
// failed check; prints what it checked.
import { launch, signIn } from './browser.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const base = process.env.BASE;
const shots = process.env.SHOTS || '';
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

// axe checks the page against WCAG 2.x A and AA (JIS X 8341-3 level AA).
async function accessible(page, what) {
  await page.addScriptTag({ path: axePath });
  const res = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  for (const v of res.violations) {
    console.log(`     ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
  }
  check(res.violations.length === 0, `axe (WCAG 2.1 A/AA): ${what}`);
}

async function shoot(page, name) {
  if (!shots) return;
  await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
}

const browser = await launch();
try {
  for (const [width, suffix] of [[1280, ''], [375, '-375']]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, locale: 'ja-JP', bypassCSP: true });
    const anon = await ctx.newPage();
    await anon.goto(base + '/login');
    check((await anon.getAttribute('html', 'lang')) === 'ja', `sign-in page is lang=ja (${width}px)`);
    if (width === 1280) await accessible(anon, 'sign-in page');
    await shoot(anon, 'staff-login' + suffix);
    await anon.close();

    const page = await signIn(ctx, base, process.env.STAFF_EMAIL, process.env.STAFF_PASSWORD);
    check(page.url().endsWith('/staff'), `staff land on the dashboard (${width}px)`);
    check(await page.isVisible('text=登録組織（利用中）'), 'the dashboard shows the registry counts');
    if (width === 1280) await accessible(page, 'dashboard');
    await shoot(page, 'staff-dashboard' + suffix);

    // Width- and kana-insensitive search: half-width katakana finds 程久保.
    await page.goto(base + '/staff/organizations');
    await page.fill('#f-q', 'ﾎﾄﾞｸﾎﾞ');
    await Promise.all([page.waitForNavigation(), page.click('form[role=search] button[type=submit]')]);
    const names = await page.$$eval('tbody td:first-child a', as => as.map(a => a.textContent));
    check(names.length > 0 && names.every(n => n.includes('程久保')), `ﾎﾄﾞｸﾎﾞ finds ${names.length} 程久保 companies`);
    if (width === 1280) await accessible(page, 'organization list');
    await page.goto(base + '/staff/organizations');
    await shoot(page, 'staff-organizations' + suffix);

    // The detail page, the edit form, a save.
    await page.click('tbody tr:first-child td:first-child a');
    await page.waitForSelector('h1');
    if (width === 1280) await accessible(page, 'organization page');
    await shoot(page, 'staff-organization' + suffix);
    await page.click('a.button:has-text("編集")');
    await page.waitForSelector('#f-pr_text');
    if (width === 1280) await accessible(page, 'organization form');
    await shoot(page, 'staff-organization-edit' + suffix);
    if (width === 1280) {
      await page.fill('#f-pr_text', 'ブラウザからの編集です。精密切削と組立を一貫して行います。');
      await page.fill('#f-postal_code', '１９１－００６５');
      await Promise.all([page.waitForNavigation(), page.click('form[method=post] .actions button[type=submit]')]);
      check(await page.isVisible('text=保存しました'), 'saving shows 保存しました');
      check(await page.isVisible('text=ブラウザからの編集です'), 'the saved text is on the page');
      check(await page.isVisible('text=191-0065'), 'a full-width postal code was normalised');
      // A bad value comes back as a field error, in Japanese, focusable from the summary.
      await page.click('a.button:has-text("編集")');
      await page.fill('#f-corporate_number', '1234567890123');
      await Promise.all([page.waitForNavigation(), page.click('form[method=post] .actions button[type=submit]')]);
      check(await page.isVisible('.field-error:has-text("法人番号のチェックデジットが正しくありません")'), 'a bad 法人番号 shows a field error');
      check(await page.isVisible('#errors a[href="#f-corporate_number"]'), 'the error summary links to the field');
      await accessible(page, 'form with errors');
      await shoot(page, 'staff-form-errors');
      // History.
      await page.goto(page.url().replace(/\/edit$|$/, ''));
    }
    await page.goto(base + '/staff/corporations');
    if (width === 1280) await accessible(page, 'corporate number search');
    await page.goto(base + '/staff/imports');
    if (width === 1280) await accessible(page, 'import and export');
    await shoot(page, 'staff-imports' + suffix);
    await page.goto(base + '/staff/taxonomy');
    if (width === 1280) await accessible(page, 'taxonomy');

    // Matching: a buyer's request pasted as written, then a joint order.
    await page.goto(base + '/staff/match');
    await page.fill('#f-text', 'φ3mmの微細穴あけができるステンレス精密切削の協力工場を探しています。ロット100個、ISO9001必須');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/staff/match"] button[type=submit]')]);
    const hits = await page.$$eval('table.match tbody tr', trs => trs.length);
    check(hits > 0, `an RFQ lists ${hits} candidates (${width}px)`);
    check(await page.isVisible('table.match li:has-text("ISO9001")'), 'each candidate says it meets ISO9001');
    check(await page.isVisible('#understood ~ ul li, section:has(#understood) li'), 'the page says what it read in the request');
    if (width === 1280) await accessible(page, 'matching results');
    await shoot(page, 'staff-match' + suffix);
    await page.check('#k-partner');
    await page.fill('#f-text', 'アルミの切削部品に、めっきと組立までまとめてお願いできるところを探しています');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/staff/match"] button[type=submit]')]);
    check(await page.isVisible('#groups') && await page.isVisible('text=幹事企業の候補'), `a joint order shows groups with a leader (${width}px)`);
    if (width === 1280) await accessible(page, 'joint-order groups');
    await shoot(page, 'staff-match-groups' + suffix);
    await page.fill('#f-text', '');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/staff/match"] button[type=submit]')]);
    check(await page.isVisible('.field-error:has-text("依頼・ニーズの文面を入力してください")'), 'an empty request gets a field error');

    // Synonyms: a local word, applied at once.
    if (width === 1280) {
      await page.goto(base + '/staff/synonyms?try=' + encodeURIComponent('ぴかぴか仕上げ'));
      check(await page.isVisible('text=文字の一致だけで探されます'), 'an unknown word is said to match as text only');
      await page.fill('#f-canonical', '電解研磨');
      await page.fill('#f-variants', 'ぴかぴか仕上げ、鏡面電解');
      await Promise.all([page.waitForNavigation(), page.click('form[method=post][action="/staff/synonyms"] button[type=submit]')]);
      check(await page.isVisible('text=すぐに検索に使われます'), 'saving a synonym confirms it applies now');
      await page.fill('#f-try', 'ぴかぴか仕上げ');
      await Promise.all([page.waitForNavigation(), page.click('form[role=search] button[type=submit]')]);
      check(await page.isVisible('.chips li:has-text("電解研磨")'), 'the new word is read as 電解研磨');
      await accessible(page, 'synonyms');
      await shoot(page, 'staff-synonyms');
      await page.click('form[action="/staff/synonyms/delete"] button');
      await page.waitForSelector('text=削除しました');
    }

    // English.
    await page.goto(base + '/lang?to=en&next=/staff');
    check((await page.getAttribute('html', 'lang')) === 'en' && await page.isVisible('text=Organizations in use'), `the English toggle gives English pages (${width}px)`);
    if (width === 1280) await accessible(page, 'dashboard in English');
    await shoot(page, 'staff-dashboard-en' + suffix);
    await page.goto(base + '/lang?to=ja&next=/staff');
    await ctx.close();
  }

  // A member edits the draft and sends it for approval; staff approve it.
  const mctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true });
  const member = await signIn(mctx, base, process.env.MEMBER_EMAIL, process.env.MEMBER_PASSWORD);
  check(member.url().endsWith('/my'), 'a member lands on their own page');
  await accessible(member, 'member page');
  await member.click('a.button');
  await member.fill('#f-catch_phrase', '微細穴あけならお任せください');
  await Promise.all([member.waitForNavigation(), member.click('button[name=submit]')]);
  check(await member.isVisible('text=承認待ち'), 'the draft is waiting for approval');
  await shoot(member, 'member-draft');
  const sctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true });
  const staff = await signIn(sctx, base, process.env.STAFF_EMAIL, process.env.STAFF_PASSWORD);
  await staff.goto(base + '/staff/approvals');
  await staff.click('tbody td a');
  check(await staff.isVisible('text=微細穴あけならお任せください'), 'staff see what the draft changes');
  await shoot(staff, 'staff-approval');
  await Promise.all([staff.waitForNavigation(), staff.click('button:has-text("承認して公開版にする")')]);
  check(await staff.isVisible('text=下書きを承認し'), 'approving shows a confirmation');
  await member.reload();
  check(!(await member.isVisible('text=承認待ち')), 'the member no longer has a pending draft');
} finally {
  await browser.close();
}
if (failures) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
