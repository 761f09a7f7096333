/** How the tests and tools start a browser (see chromium.mjs). */
export const chromiumLaunchOptions: { executablePath: string; args: string[] };
