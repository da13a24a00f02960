// node shoot.mjs BASE OUTDIR name=path … — screenshots at 1280 px and 375 px.
// EMAIL and PASSWORD in the environment sign in first.
import { launch, signIn } from './browser.mjs';
import path from 'node:path';

const [base, out, ...shots] = process.argv.slice(2);
const browser = await launch();
try {
  for (const [w, h, suffix] of [[1280, 900, ''], [375, 740, '-375']]) {
    const context = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: 1, locale: 'ja-JP' });
    let page = process.env.EMAIL ? await signIn(context, base, process.env.EMAIL, process.env.PASSWORD) : await context.newPage();
    for (const s of shots) {
      const i = s.indexOf('='); const name = s.slice(0, i), p = s.slice(i + 1);
      await page.goto(base + p);
      await page.screenshot({ path: path.join(out, name + suffix + '.png'), fullPage: true });
    }
    await context.close();
  }
} finally {
  await browser.close();
}
