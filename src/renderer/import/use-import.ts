/**
 * One import from the window at a time, for the whole page (closing the panel does not stop it): the
 * files go out in chunks (file-upload.ts), the engine's `import.progress` is followed under the batch's
 * import id, and its report or refusal is kept to show. After an import that stored anything, the
 * caller is told, so the symbol list and the panes reload.
 */
import { useCallback, useRef, useState } from 'react';
import type { ImportProgress, ImportReport } from '../../shared/domain';
import { useEngineClient } from '../engine/engine-context';
import { newImportId, uploadFiles, type SendProgress, type UploadFile } from './file-upload';

export type ImportPhase = 'idle' | 'sending' | 'importing' | 'done' | 'failed';

export interface ImportRun {
  phase: ImportPhase;
  /** The files of the batch, as chosen. */
  files: { name: string; bytes: number }[];
  /** How far the sending is. */
  sent: SendProgress | null;
  /** The engine's latest progress. */
  progress: ImportProgress | null;
  report: ImportReport | null;
  /** Why it failed, as the window or the engine said it. */
  error: string | null;
}

export interface ImportControl {
  run: ImportRun;
  running: boolean;
  readonly start: (files: readonly UploadFile[]) => void;
}

const IDLE: ImportRun = { phase: 'idle', files: [], sent: null, progress: null, report: null, error: null };

export function useImport(onImported: () => void): ImportControl {
  const client = useEngineClient();
  const [run, setRun] = useState<ImportRun>(IDLE);
  const active = useRef(false);

  const start = useCallback(
    (files: readonly UploadFile[]) => {
      if (active.current) return;
      active.current = true;
      const importId = newImportId();
      setRun({
        ...IDLE,
        phase: 'sending',
        files: files.map((file) => ({ name: file.name, bytes: file.size })),
      });
      const unlisten = client.listen(
        'import.progress',
        { importId },
        (progress) => setRun((previous) => ({ ...previous, progress })),
        // A refused listen says the same as the refused import.begin that follows; that one is shown.
        () => {},
      );
      uploadFiles(client, importId, files, (sent) =>
        setRun((previous) => ({
          ...previous,
          sent,
          phase: sent.sentBytes >= sent.totalBytes ? 'importing' : previous.phase,
        })),
      )
        .then(
          (report) => {
            setRun((previous) => ({ ...previous, phase: 'done', report }));
            if (report.files > 0 || report.rows > 0) onImported();
          },
          (error: unknown) =>
            setRun((previous) => ({
              ...previous,
              phase: 'failed',
              error: error instanceof Error ? error.message : String(error),
            })),
        )
        .finally(() => {
          unlisten();
          active.current = false;
        });
    },
    [client, onImported],
  );

  return { run, running: run.phase === 'sending' || run.phase === 'importing', start };
}
