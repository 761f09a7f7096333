/**
 * Importing history files (CSV from Yahoo, Stooq, CBOE, or plain OHLCV with a time column): the report
 * the CLI prints with --json and the UI shows, and the progress pushed while it runs.
 */
import { z } from 'zod';

export const ImportRejectionSchema = z.object({
  file: z.string().max(1024),
  /** 1-based line number in the file; 0 when the whole file is refused. */
  line: z.number().int().nonnegative(),
  reason: z.string().max(500),
});
export type ImportRejection = z.infer<typeof ImportRejectionSchema>;

export const ImportReportSchema = z.object({
  /** Files imported (refused files are not counted; they appear in `rejected` with line 0). */
  files: z.number().int().nonnegative(),
  /** Source rows stored (bars as read from the files, before aggregation into higher timeframes). */
  rows: z.number().int().nonnegative(),
  rejected: z.array(ImportRejectionSchema),
  seconds: z.number().nonnegative(),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const ImportProgressSchema = z.object({
  importId: z.string().max(64),
  /** The file being read now. */
  file: z.string().max(1024),
  bytesDone: z.number().int().nonnegative(),
  bytesTotal: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  /** The final report once done, else null. */
  report: ImportReportSchema.nullable(),
});
export type ImportProgress = z.infer<typeof ImportProgressSchema>;
