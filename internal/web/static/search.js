// Instant results on the public search page. Typing in the search box loads
// the results in place, keeping the facets and the order chosen; the address
// bar follows, so the page can still be shared, bookmarked and reloaded.
// Without JavaScript the form works as before (press 探す). Japanese input:
// nothing is fetched while the IME is composing, only once the text is fixed.
(() => {
  'use strict';
  const input = document.getElementById('site-q');
  const main = document.getElementById('main');
  const status = document.getElementById('site-q-status');
  if (!input || !main || !window.fetch || !window.DOMParser || !window.AbortController) return;
  let timer = 0;
  let pending = null;
  let composing = false;
  let shown = input.value.trim();

  const load = () => {
    const q = input.value.trim();
    if (q === shown) return;
    shown = q;
    const url = new URL(window.location.href);
    url.searchParams.delete('page');
    if (q) url.searchParams.set('q', q); else url.searchParams.delete('q');
    if (pending) pending.abort();
    pending = new AbortController();
    main.setAttribute('aria-busy', 'true');
    fetch(url, { signal: pending.signal, credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((html) => {
        const doc = new DOMParser().parseFromString(html, 'text/html');
        const next = doc.getElementById('main');
        if (!next) return;
        main.replaceChildren(...next.childNodes);
        document.title = doc.title;
        // The language switch and the other links of the header follow the query.
        for (const a of document.querySelectorAll('header a[hreflang]')) {
          const b = doc.querySelector('header a[hreflang="' + a.getAttribute('hreflang') + '"]');
          if (b) a.setAttribute('href', b.getAttribute('href'));
        }
        window.history.replaceState(null, '', url);
        const count = main.querySelector('.count');
        if (status) status.textContent = count ? count.textContent.replace(/\s+/g, ' ').trim() : '';
      })
      .catch(() => { shown = null; }) // a failed or superseded load: the next keystroke or 探す tries again
      .finally(() => main.removeAttribute('aria-busy'));
  };
  const schedule = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(load, 300);
  };
  input.addEventListener('compositionstart', () => { composing = true; });
  input.addEventListener('compositionend', () => { composing = false; schedule(); });
  input.addEventListener('input', (e) => { if (!composing && !e.isComposing) schedule(); });
})();
