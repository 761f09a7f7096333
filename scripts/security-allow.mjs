// The allow-list filter of `npm run security` (security-check.mjs), pure so it is unit-tested: which
// electronegativity findings fail the check, which an allow-list entry explains, and which entries are
// stale (explain nothing any more) or carry no reason.

/** electronegativity's severities, lowest first (its finder/attributes.js). */
export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];

/**
 * Sorts findings against the allow-list. A finding above INFORMATIONAL fails unless an entry names its
 * check id and its file (path relative to the repository root, '/' separators).
 *
 * @param {{ check: string, file: string, line: number, severity: string }[]} findings
 * @param {{ check: string, file: string, reason: string }[]} entries
 * @returns {{ failures: typeof findings, allowed: typeof findings, informational: typeof findings,
 *   stale: typeof entries, unexplained: typeof entries }}
 */
export function applyAllowList(findings, entries) {
  const failures = [];
  const allowed = [];
  const informational = [];
  const used = new Set();
  for (const finding of findings) {
    if (finding.severity === 'INFORMATIONAL') {
      informational.push(finding);
      continue;
    }
    const entry = entries.find(
      (candidate) => candidate.check === finding.check && candidate.file === finding.file,
    );
    if (entry === undefined) failures.push(finding);
    else {
      allowed.push(finding);
      used.add(entry);
    }
  }
  return {
    failures,
    allowed,
    informational,
    stale: entries.filter((entry) => !used.has(entry)),
    unexplained: entries.filter((entry) => typeof entry.reason !== 'string' || entry.reason.trim() === ''),
  };
}

/**
 * The report: one line per finding kind (check id, severity, count, how many are allowed), then the
 * total, then every failing finding and every stale or unexplained entry with what to do.
 *
 * @param {ReturnType<typeof applyAllowList>} result
 * @returns {{ lines: string[], ok: boolean }}
 */
export function summarise(result) {
  const kinds = new Map();
  for (const [finding, isAllowed] of [
    ...result.failures.map((finding) => [finding, false]),
    ...result.allowed.map((finding) => [finding, true]),
    ...result.informational.map((finding) => [finding, true]),
  ]) {
    const kind = kinds.get(finding.check) ?? { severity: finding.severity, count: 0, allowed: 0 };
    kind.count += 1;
    if (isAllowed) kind.allowed += 1;
    kinds.set(finding.check, kind);
  }
  const lines = [...kinds.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([check, kind]) => {
      const state =
        kind.severity === 'INFORMATIONAL'
          ? 'informational'
          : kind.allowed === kind.count
            ? 'all allowed'
            : `${kind.count - kind.allowed} NOT ALLOWED`;
      return `${check} (${kind.severity}): ${kind.count} (${state})`;
    });
  const total = result.failures.length + result.allowed.length + result.informational.length;
  lines.push(
    `total: ${total} findings, ${result.allowed.length} allowed, ${result.informational.length} informational, ` +
      `${result.failures.length} failing`,
  );
  for (const finding of result.failures)
    lines.push(
      `FAIL ${finding.check} (${finding.severity}) at ${finding.file}:${finding.line}: fix it, or add ` +
        `{ "check": "${finding.check}", "file": "${finding.file}", "reason": "..." } to the allow-list`,
    );
  for (const entry of result.stale)
    lines.push(`STALE allow-list entry ${entry.check} for ${entry.file} matches no finding: remove it`);
  for (const entry of result.unexplained)
    lines.push(`allow-list entry ${entry.check} for ${entry.file} has no reason: say why it is safe`);
  const ok = result.failures.length === 0 && result.stale.length === 0 && result.unexplained.length === 0;
  return { lines, ok };
}
