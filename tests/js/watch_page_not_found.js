// Records whether Streamlit's "Page not found" dialog ever appears, even for a moment.
// Injected before the app loads; the test reads window.__kotakuPageNotFound.
(() => {
  window.__kotakuPageNotFound = [];
  const check = () => {
    const body = document.body;
    if (!body) return;
    for (const el of body.querySelectorAll('[role="dialog"], [data-testid="stDialog"]')) {
      const text = el.innerText || "";
      if (/page not found|halaman tidak ditemukan/i.test(text)) {
        window.__kotakuPageNotFound.push(location.pathname + location.search + " :: " + text.slice(0, 120));
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
})();
