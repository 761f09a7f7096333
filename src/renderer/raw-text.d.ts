// A file's text, as Vite (and vitest) import it with the `?raw` suffix: tests read the boot script
// (public/theme-hint.js) this way, as the page loads it.
declare module '*?raw' {
  const text: string;
  export default text;
}
