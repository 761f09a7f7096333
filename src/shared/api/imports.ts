/**
 * Importing history from the UI. A file crosses in chunks (a message is at most 1 MiB): `import.begin`
 * names it, `import.chunk` carries its text in order, `import.finish` imports every file begun under
 * that id and answers the report. `import.progress` streams progress while it runs.
 */
import { z } from 'zod';
import { ImportProgressSchema, ImportReportSchema } from '../domain';

/** Text per chunk at most (characters); keeps each message well below the transport's limit. */
export const MAX_IMPORT_CHUNK_CHARS = 256 * 1024;
/** Largest file the UI may send, in bytes. */
export const MAX_IMPORT_FILE_BYTES = 512 * 1024 * 1024;

const ImportIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'an import id is 8-64 letters, digits, - or _');

export const importRequests = {
  'import.begin': {
    params: z
      .object({
        importId: ImportIdSchema,
        /** The file's name (its symbol and timeframe come from it), without folders. */
        name: z
          .string()
          .min(1)
          .max(255)
          .regex(/^[^/\\\0]+$/, 'a file name without folders'),
        bytes: z.number().int().nonnegative().max(MAX_IMPORT_FILE_BYTES),
      })
      .strict(),
    result: z.null(),
  },
  'import.chunk': {
    params: z
      .object({
        importId: ImportIdSchema,
        name: z.string().min(1).max(255),
        /** 0, 1, 2, ... per file; a chunk out of order is refused. */
        seq: z.number().int().nonnegative(),
        text: z.string().max(MAX_IMPORT_CHUNK_CHARS),
      })
      .strict(),
    result: z.null(),
  },
  'import.finish': {
    params: z.object({ importId: ImportIdSchema }).strict(),
    result: ImportReportSchema,
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const importEvents = {
  'import.progress': {
    arg: z.object({ importId: ImportIdSchema }).strict(),
    payload: ImportProgressSchema,
  },
} as const satisfies Record<string, { arg: z.ZodType; payload: z.ZodType }>;
