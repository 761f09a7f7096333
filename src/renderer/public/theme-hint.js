// The last theme the page applied (theme/theme-hint.ts keeps it in localStorage under the same key), put on
// <html> before the body is parsed, so a light workstation does not paint dark until the kept workspace
// arrives from the engine. A classic script from the page's own origin: the CSP allows no inline script.
/* global document -- the page's */
(function applyThemeHint() {
  try {
    var theme = localStorage.getItem('trm.theme-hint');
    if (theme !== 'dark' && theme !== 'light') return;
    document.documentElement.dataset.theme = theme;
    var scheme = document.querySelector('meta[name="color-scheme"]');
    if (scheme) scheme.setAttribute('content', theme);
  } catch {
    // No storage (turned off): the page paints in the default theme until the workspace arrives.
  }
})();
