// How the tests and tools start a browser: Debian's Chromium (never a downloaded one), with the flags
// that keep it quiet on a machine without a network or a GPU.
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
};
