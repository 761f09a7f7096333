/** Where the Electron binary is, or why there is none (see electron-binary.mjs). */
export function findElectron(): { path: string } | { missing: string };
