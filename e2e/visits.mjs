// Browser test of the company visit pages (internal/visit), run by
// visits_test.go against a real mieruka with the demo data: axe on every
// page type (WCAG 2.1 A/AA), recording a visit from a company's timeline,
// field errors, the bank's and a member's views, English, 375 px.
import { launch, signIn } from './browser.mjs';
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

async function accessible(page, what) {
  await page.addScriptTag({ path: axePath });
  const res = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  for (const v of res.violations) {
    console.log(`     ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
  }
  check(res.violations.length === 0, `axe (WCAG 2.1 A/AA): ${what}`);
}

async function shoot(page, name, full = true) {
  if (!shots) return;
  await page.screenshot({ path: path.join(shots, 'visits-' + name + '.png'), fullPage: full });
}

const browser = await launch();
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true });
  const page = await signIn(ctx, base, process.env.COORD_EMAIL, process.env.COORD_PASSWORD);

  // Planning: the coordinator's start page.
  await page.goto(base + '/staff/planning');
  check(await page.isVisible('h2:has-text("今後2週間の訪問予定")'), 'the planning page shows the coming visits');
  check(await page.isVisible('h2:has-text("しばらく訪問していない企業")'), 'and the companies not visited for a while');
  const ranked = await page.$$eval('section[aria-labelledby=nv-h] tbody tr', rows => rows.length);
  check(ranked > 5, `the not-visited list has ${ranked} companies on its first page`);
  await accessible(page, 'planning');
  await shoot(page, 'planning', false);

  await page.goto(base + '/staff/visits');
  await accessible(page, 'visit list');
  await shoot(page, 'list', false);

  // A company's timeline, then record a visit from it.
  await page.goto(base + '/staff/planning');
  await page.click('section[aria-labelledby=nv-h] tbody tr:first-child td:nth-child(2) a');
  await page.waitForSelector('ol.timeline');
  const company = (await page.textContent('h1')).replace(/企業訪問・相談のタイムライン$/, '').trim();
  await accessible(page, 'company timeline');
  await shoot(page, 'timeline', false);
  await Promise.all([page.waitForNavigation(), page.click('a.button:has-text("訪問を記録")')]);
  check(await page.isVisible(`.company-name:has-text("${company}")`), `the form is for ${company}`);
  await accessible(page, 'visit form');
  await shoot(page, 'form');

  // An empty purpose and a date in 1999: field errors, linked from the summary.
  await page.fill('#f-starts_at', '1999-12-31');
  await page.fill('#f-purpose', '');
  await Promise.all([page.waitForNavigation(), page.click('form[method=post] .actions button[type=submit]')]);
  check(await page.isVisible('.field-error:has-text("訪問の目的を入力してください")'), 'an empty purpose is a field error in Japanese');
  check(await page.isVisible('#errors a[href="#f-starts_at"]'), 'the error summary links to the date');
  await accessible(page, 'visit form with errors');
  await shoot(page, 'form-errors', false);

  // Now a proper visit, with an issue found.
  await page.fill('#f-starts_at', '2025-06-03');
  await page.fill('#f-starts_at_time', '14:00');
  await page.selectOption('#f-minutes', '90');
  await page.check('input[name=status][value=done]');
  await page.fill('#f-purpose', '事業承継の意向確認（ブラウザ試験）');
  await page.check('input[name=capabilities][value=management]');
  await page.check('input[name=pillars][value="4"]');
  await page.selectOption('#f-life_stage', 'succession');
  await page.fill('#f-company_attendees', '代表取締役 日野 一郎');
  await page.fill('#f-notes', '社長は72歳。ご長男への承継を3年後に予定している。取引先への引き合わせを進めたいとのこと。');
  await page.fill('[id="f-new_issues[0].title"]', '事業承継計画が未策定（ブラウザ試験）');
  await page.fill('[id="f-new_issues[0].due_on"]', '2027-03-31');
  await Promise.all([page.waitForNavigation(), page.click('form[method=post] .actions button[type=submit]')]);
  check(await page.isVisible('text=訪問を記録しました'), 'recording shows 訪問を記録しました');
  check(await page.isVisible('text=2025年6月3日（令和7年6月3日）'), 'the date is shown in 西暦 and 和暦');
  check(await page.isVisible('text=事業承継計画が未策定（ブラウザ試験）'), 'the issue found is listed');
  await accessible(page, 'visit page');
  await shoot(page, 'visit');

  // Refer the issue to an agency.
  await Promise.all([page.waitForNavigation(), page.click('a:has-text("紹介する")')]);
  await accessible(page, 'referral form');
  const option = await page.$$eval('#f-agency_id option', os => os.find(o => o.textContent.includes('事業承継')).value);
  await page.selectOption('#f-agency_id', option);
  await Promise.all([page.waitForNavigation(), page.click('form[method=post] .actions button[type=submit]')]);
  check(await page.isVisible('text=紹介を記録しました'), 'the referral is recorded');
  await accessible(page, 'referral page');
  await shoot(page, 'referral', false);
  await page.click('a[href^="/staff/company-issues/"]');
  await page.waitForSelector('h1');
  check(await page.isVisible('.badge:has-text("対応中")'), 'the referred issue is in progress');
  await accessible(page, 'issue page');
  await shoot(page, 'issue', false);

  for (const [p, what] of [['/staff/company-issues', 'issue list'], ['/staff/consultations', 'consultation list'], ['/staff/referrals', 'referral list'],
    ['/staff/agencies?category=succession', 'agency directory'], ['/account/calendar', 'calendar feed page']]) {
    await page.goto(base + p);
    await accessible(page, what);
  }
  await page.goto(base + '/staff/agencies?category=succession');
  await shoot(page, 'agencies', false);
  await page.goto(base + '/staff/consultations');
  await page.click('tbody tr:first-child td:nth-child(3) a');
  await page.waitForSelector('h1');
  await accessible(page, 'consultation page');
  await shoot(page, 'consultation', false);

  // A calendar feed: its address is shown once.
  await page.goto(base + '/account/calendar');
  await page.fill('#f-name', '仕事用スマートフォン');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/account/calendar"] button[type=submit]')]);
  const feed = await page.inputValue('#f-feed-url');
  check(/\/calendar\/cal_[a-z0-9]+\.ics$/.test(feed), 'a feed address is shown');
  const ics = await page.request.get(feed.replace(/^https?:\/\/[^/]+/, base));
  const text = await ics.text();
  check(ics.status() === 200 && text.startsWith('BEGIN:VCALENDAR') && text.includes('TZID:Asia/Tokyo'), 'the feed answers with iCalendar');
  await accessible(page, 'calendar feed with its address');
  await shoot(page, 'calendar', false);
  await page.goto(base + '/lang?to=en&next=/staff/planning');
  check(await page.isVisible('h1:has-text("Visit planning")'), 'the planning page in English');
  await accessible(page, 'planning in English');
  await shoot(page, 'planning-en', false);
  await page.goto(base + '/lang?to=ja&next=/staff/planning');
  await ctx.close();

  // Staff: the council's counts and exports.
  const sctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true });
  const staff = await signIn(sctx, base, process.env.STAFF_EMAIL, process.env.STAFF_PASSWORD);
  await staff.goto(base + '/staff/visit-reports');
  check(await staff.isVisible('h2:has-text("計画の柱ごと")'), 'the counts by pillar are shown');
  await accessible(staff, 'counts and exports');
  await shoot(staff, 'reports', false);
  const dl = await staff.request.get(base + '/staff/visit-reports/export?format=xlsx');
  check(dl.status() === 200 && (dl.headers()['content-type'] || '').includes('spreadsheetml'), 'the Excel export downloads');
  await sctx.close();

  // The bank: the visits they attended, never the notes.
  const bctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true });
  const bank = await signIn(bctx, base, process.env.BANK_EMAIL, process.env.BANK_PASSWORD);
  await bank.goto(base + '/staff/visits');
  check(await bank.isVisible('nav.nav a[aria-current=page]:has-text("同行した企業訪問")'), 'bank staff have their menu entry');
  await bank.waitForSelector('h1:has-text("同行した企業訪問")');
  await accessible(bank, 'bank: visits attended');
  await shoot(bank, 'bank', false);
  await bank.click('tbody tr:first-child td:first-child a');
  await bank.waitForSelector('h1');
  check(await bank.isVisible('text=訪問メモと課題は市の職員・コーディネーターのみ閲覧できます'), 'the bank is told notes are not for them');
  check(!(await bank.isVisible('dt:has-text("訪問メモ")')), 'the bank does not see notes');
  await accessible(bank, 'bank: a visit');
  const denied = await bank.goto(base + '/staff/consultations');
  check(denied.status() === 403, 'the bank cannot open consultations');
  await bctx.close();

  // A member asks the city through the account.
  const mctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true });
  const member = await signIn(mctx, base, process.env.MEMBER_EMAIL, process.env.MEMBER_PASSWORD);
  await member.click('nav.nav a:has-text("市への相談")');
  await member.waitForSelector('h1:has-text("市への相談")');
  await accessible(member, 'member: consultations');
  await member.selectOption('#f-category', 'dx');
  await member.fill('#f-subject', '生産管理のデジタル化について');
  await member.fill('#f-request', '紙の指示書をやめたいと考えています。何から始めればよいでしょうか。');
  await Promise.all([member.waitForNavigation(), member.click('form[action="/my/consultations"] button[type=submit]')]);
  check(await member.isVisible('text=相談を受け付けました'), 'the member is told the request was received');
  check(await member.isVisible('td:has-text("生産管理のデジタル化について")'), 'and sees it with its status');
  await shoot(member, 'member', false);
  await mctx.close();

  // 375 px.
  const nctx = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP', bypassCSP: true });
  const narrow = await signIn(nctx, base, process.env.COORD_EMAIL, process.env.COORD_PASSWORD);
  await narrow.goto(base + '/staff/planning');
  const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 1, `the planning page fits 375 px (overflow ${overflow}px)`);
  await shoot(narrow, 'planning-375', false);
  await narrow.goto(base + '/staff/visits');
  await narrow.click('tbody tr:first-child td:first-child a');
  await narrow.waitForSelector('h1');
  await shoot(narrow, 'visit-375', false);
  await nctx.close();
} finally {
  await browser.close();
}
if (failures) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
