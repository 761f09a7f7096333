/**
 * Importing history files from the window: choose files, watch them go out and get imported, read the
 * report with every rejected line. The import goes on if the panel is closed (use-import.ts).
 */
import { useRef, useState } from 'react';
import { MAX_IMPORT_FILE_BYTES } from '../../shared/api';
import type { EngineMode, ImportRejection, ImportReport } from '../../shared/domain';
import { Panel } from '../panels/Panel';
import { formatBytes } from '../status/format';
import { describeImport } from './import-summary';
import type { ImportControl, ImportRun } from './use-import';

interface ImportPanelProps {
  control: ImportControl;
  /**
   * The engine's mode: in demo mode imports go to the market history, which the demo does not show; in
   * replay mode into the database being replayed, whose replay read its history when it started.
   */
  mode: EngineMode | null;
  onClose: () => void;
}

export function ImportPanel({ control, mode, onClose }: ImportPanelProps) {
  const { run, running, start } = control;
  const inputRef = useRef<HTMLInputElement>(null);
  // Rows stored: only then is there anything new to look for.
  const stored = run.phase === 'done' && (run.report?.rows ?? 0) > 0;
  return (
    <Panel title="Import history" testId="import-panel" onClose={onClose}>
      <p className="panel-text">
        CSV files from Yahoo, Stooq or CBOE, or bars with a time column and open, high, low, close, volume
        (minute, 5-minute or daily). The symbol comes from the file name: spy.csv and SPY_1min.csv are SPY. Up
        to {formatBytes(MAX_IMPORT_FILE_BYTES)} a file.
      </p>
      <div className="panel-actions">
        <button
          type="button"
          className="primary"
          data-testid="import-choose"
          disabled={running}
          onClick={() => inputRef.current?.click()}
        >
          Choose files…
        </button>
        <input
          ref={inputRef}
          className="visually-hidden"
          type="file"
          multiple
          accept=".csv,.txt,text/csv,text/plain"
          data-testid="import-file-input"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            const files = Array.from(event.target.files ?? []);
            // Cleared so choosing the same files again starts a new import.
            event.target.value = '';
            if (files.length > 0) start(files);
          }}
        />
        {run.phase !== 'idle' ? <span className="panel-muted">{describeFiles(run)}</span> : null}
      </div>
      <ImportStatus run={run} />
      {stored && mode === 'demo' ? (
        <p className="panel-text" data-testid="import-demo-note">
          The bars went into your market history, not the generated demo market shown here. To see them, start
          the workstation in replay mode: <code>npm start -- --mode replay</code>.
        </p>
      ) : null}
      {stored && mode === 'replay' ? (
        <p className="panel-text" data-testid="import-replay-note">
          The bars are stored in the market database this replay reads, but this replay does not show them: it
          plays what was stored when it started. They show the next time replay starts (quit and run{' '}
          <code>npm start -- --mode replay</code> again).
        </p>
      ) : null}
    </Panel>
  );
}

function describeFiles(run: ImportRun): string {
  const bytes = run.files.reduce((sum, file) => sum + file.bytes, 0);
  return `${run.files.length} file${run.files.length === 1 ? '' : 's'}, ${formatBytes(bytes)}`;
}

function ImportStatus({ run }: { run: ImportRun }) {
  switch (run.phase) {
    case 'idle':
      return null;
    case 'sending': {
      const sent = run.sent;
      return (
        <div className="import-progress" data-testid="import-progress" data-phase="sending">
          <div className="import-progress-line">
            {sent
              ? `Sending ${sent.file} (${sent.fileIndex + 1} of ${sent.fileCount}): ${formatBytes(sent.sentBytes)} of ${formatBytes(sent.totalBytes)}`
              : 'Sending…'}
          </div>
          <progress max={Math.max(1, sent?.totalBytes ?? 1)} value={sent?.sentBytes ?? 0} />
        </div>
      );
    }
    case 'importing': {
      const progress = run.progress;
      return (
        <div className="import-progress" data-testid="import-progress" data-phase="importing">
          <div className="import-progress-line">
            {progress
              ? `Importing ${progress.file}: ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)} · ${progress.rows.toLocaleString('en-US')} rows`
              : 'Importing…'}
          </div>
          {progress ? (
            <progress max={Math.max(1, progress.bytesTotal)} value={progress.bytesDone} />
          ) : (
            <progress />
          )}
        </div>
      );
    }
    case 'done':
      return run.report ? <ImportReportView report={run.report} /> : null;
    case 'failed':
      return (
        <div className="panel-error" role="alert" data-testid="import-error">
          {run.error}
        </div>
      );
  }
}

function ImportReportView({ report }: { report: ImportReport }) {
  const { rejected } = report;
  return (
    <div className="import-report" data-testid="import-report">
      <div className="import-summary" role="status" data-testid="import-summary">
        {describeImport(report)}
      </div>
      {rejected.length > 0 ? <RejectionList rejected={rejected} /> : null}
    </div>
  );
}

/** Up to this many rejections, every row is drawn and long reasons wrap. */
const PLAIN_LIST_MAX = 1000;
/** Beyond it, rows have one height (px; styles.css .rejection-row) and only those in view are drawn. */
const ROW_PX = 20;
const VIEW_ROWS = 10;

/** Line 0: the whole file was refused. */
const lineLabel = (line: number): string => (line === 0 ? 'file' : String(line));

/**
 * Every refused row and file, with file, line ("file" for a whole file) and reason, in a scrollable list. A broken file may have
 * hundreds of thousands: then only the rows in view are drawn, one line each (the full reason is in
 * the row's tooltip).
 */
function RejectionList({ rejected }: { rejected: readonly ImportRejection[] }) {
  const [scrollTop, setScrollTop] = useState(0);
  const virtual = rejected.length > PLAIN_LIST_MAX;
  const first = virtual ? Math.max(0, Math.floor(scrollTop / ROW_PX) - VIEW_ROWS) : 0;
  const last = virtual ? Math.min(rejected.length, first + 3 * VIEW_ROWS) : rejected.length;
  const row = (rejection: ImportRejection, index: number) => (
    <div
      key={index}
      className={`rejection-row${virtual ? ' rejection-row-fixed' : ''}`}
      role="listitem"
      data-testid="import-rejection"
      data-file={rejection.file}
      data-line={rejection.line}
      style={virtual ? { position: 'absolute', top: index * ROW_PX, left: 0, right: 0 } : undefined}
      title={
        virtual ? `${rejection.file}, line ${lineLabel(rejection.line)}: ${rejection.reason}` : undefined
      }
    >
      <span className="rejection-file">{rejection.file}</span>
      <span className="numeric">{lineLabel(rejection.line)}</span>
      <span className="rejection-reason">{rejection.reason}</span>
    </div>
  );
  return (
    <div className="rejections" data-testid="import-rejections" data-count={rejected.length}>
      <div className="rejection-row rejection-head" aria-hidden="true">
        <span>File</span>
        <span className="numeric">Line</span>
        <span>Reason</span>
      </div>
      <div
        className="rejection-scroll"
        role="list"
        aria-label={`${rejected.length} refused rows and files`}
        tabIndex={0}
        onScroll={virtual ? (event) => setScrollTop(event.currentTarget.scrollTop) : undefined}
      >
        {virtual ? (
          <div style={{ height: rejected.length * ROW_PX, position: 'relative' }}>
            {rejected.slice(first, last).map((rejection, i) => row(rejection, first + i))}
          </div>
        ) : (
          rejected.map(row)
        )}
      </div>
    </div>
  );
}
