/**
 * Sending files from the window to the engine's importer, as the contract says (src/shared/api/imports.ts):
 * `import.begin` names each file, `import.chunk` carries its text in order (seq 0, 1, 2... per file, at
 * most MAX_IMPORT_CHUNK_CHARS characters each), and `import.finish` imports every file begun under the
 * one import id of the batch and answers the report.
 *
 * Files are read as a stream (a file of hundreds of MiB is never held whole) and decoded as UTF-8 with
 * any byte-order mark kept, so the text sent re-encodes to the very bytes announced. A chunk never ends
 * inside a surrogate pair, which would not survive the trip.
 */
import { MAX_IMPORT_CHUNK_CHARS, MAX_IMPORT_FILE_BYTES } from '../../shared/api';
import type { ImportRejection, ImportReport } from '../../shared/domain';
import type { EngineClient } from '../../shared/rpc-client';

/** What is read of a file: a browser File satisfies it. */
export interface UploadFile {
  readonly name: string;
  /** Bytes. */
  readonly size: number;
  stream(): ReadableStream<BufferSource>;
}

/** How far the sending is: the file being sent (0-based of `fileCount`) and bytes sent of all files. */
export interface SendProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  sentBytes: number;
  totalBytes: number;
}

/** An upload the window refuses before sending anything, in words for the trader. */
export class UploadError extends Error {
  override readonly name = 'UploadError';
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Splits `text` into pieces of at most `max` UTF-16 code units (max >= 2), never between the two halves
 * of a surrogate pair. Joining the pieces gives `text` back.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + max);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    pieces.push(text.slice(at, end));
    at = end;
  }
  return pieces;
}

/** Bytes of `text` in UTF-8 (a lone surrogate counts as the 3 bytes of U+FFFD, as encoders write it). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isHighSurrogate(code) && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** A fresh import id (8-64 letters, digits, - or _), e.g. "ui-1f3a…". */
export function newImportId(): string {
  const random = new Uint8Array(12);
  crypto.getRandomValues(random);
  return `ui-${Array.from(random, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

const MIB = 1024 * 1024;

/** Refuses what the engine would refuse anyway, before a byte is sent. Throws UploadError. */
export function checkFiles(files: readonly UploadFile[]): void {
  if (files.length === 0) throw new UploadError('Choose at least one file to import.');
  const names = new Set<string>();
  for (const file of files) {
    if (file.size > MAX_IMPORT_FILE_BYTES) {
      throw new UploadError(
        `${file.name} is ${Math.round(file.size / MIB)} MiB; the window imports files up to ` +
          `${MAX_IMPORT_FILE_BYTES / MIB} MiB. Import it with "npx trm import ${file.name}" instead.`,
      );
    }
    if (file.name.length === 0 || file.name.length > 255) {
      throw new UploadError('A file name must have 1 to 255 characters; rename the file and try again.');
    }
    if (names.has(file.name)) {
      throw new UploadError(`${file.name} was chosen twice; each file can be imported once per batch.`);
    }
    names.add(file.name);
  }
}

type Caller = Pick<EngineClient, 'call'>;

/** Sends one file's text in order; returns the bytes sent. */
async function sendFile(
  client: Caller,
  importId: string,
  file: UploadFile,
  onChunk: (bytes: number) => void,
): Promise<void> {
  await client.call('import.begin', { importId, name: file.name, bytes: file.size });
  const reader = file
    .stream()
    .pipeThrough(new TextDecoderStream('utf-8', { ignoreBOM: true }))
    .getReader();
  let seq = 0;
  let sent = 0;
  let carry = '';
  const send = async (text: string): Promise<void> => {
    const bytes = utf8Length(text);
    sent += bytes;
    // Only bytes that are not UTF-8 grow when decoded (each becomes U+FFFD, 3 bytes).
    if (sent > file.size) {
      throw new UploadError(
        `${file.name} is not UTF-8 text (a binary or differently encoded file?); import CSV text files.`,
      );
    }
    await client.call('import.chunk', { importId, name: file.name, seq, text });
    seq += 1;
    onChunk(bytes);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      carry += value;
      if (carry.length < MAX_IMPORT_CHUNK_CHARS) continue;
      const pieces = splitText(carry, MAX_IMPORT_CHUNK_CHARS);
      // The last piece may be short: keep it to fill with what comes next.
      carry = pieces.pop() ?? '';
      for (const piece of pieces) await send(piece);
    }
    for (const piece of splitText(carry, MAX_IMPORT_CHUNK_CHARS)) await send(piece);
  } finally {
    reader.releaseLock();
  }
}

/** Bytes looked at before sending, to tell text from a binary file. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Why a file is not UTF-8 text, judged on its first SNIFF_BYTES (a NUL byte, or bytes that are not
 * UTF-8), or null when it looks like text. A binary file refused here is refused alone, as `trm import`
 * refuses it, instead of failing the batch half-way through sending.
 */
export async function notText(file: UploadFile): Promise<string | null> {
  const reader = file.stream().getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let seen = 0;
  try {
    while (seen < SNIFF_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      const bytes =
        value instanceof Uint8Array
          ? value
          : ArrayBuffer.isView(value)
            ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
            : new Uint8Array(value);
      const part = bytes.subarray(0, SNIFF_BYTES - seen);
      seen += part.length;
      if (part.includes(0)) return 'it is not text (it holds NUL bytes): a binary file?';
      // stream: a multi-byte character cut at the end of the part is not an error.
      decoder.decode(part, { stream: true });
    }
  } catch {
    return 'it is not UTF-8 text (a binary or differently encoded file?): save it as UTF-8 CSV';
  } finally {
    await reader.cancel().catch(() => {});
  }
  return null;
}

/**
 * Sends `files` as one import batch and answers the engine's report. Calls `onSent` as chunks go out.
 * A file that is not UTF-8 text is not sent: it appears in the report as a refused file (line 0), as
 * `trm import` reports it, and the rest are imported. Throws UploadError for a choice the window refuses
 * (no files, a name twice, too large), and the engine's EngineError (its message as sent) for anything
 * the engine refuses (not available in this mode, database in use, a bad chunk).
 */
export async function uploadFiles(
  client: Caller,
  importId: string,
  files: readonly UploadFile[],
  onSent: (progress: SendProgress) => void = () => {},
): Promise<ImportReport> {
  checkFiles(files);
  const refused: ImportRejection[] = [];
  const texts: UploadFile[] = [];
  for (const file of files) {
    const why = await notText(file);
    if (why === null) texts.push(file);
    else refused.push({ file: file.name, line: 0, reason: why });
  }
  if (texts.length === 0) return { files: 0, rows: 0, rejected: refused, seconds: 0 };
  const totalBytes = texts.reduce((sum, file) => sum + file.size, 0);
  let sentBytes = 0;
  for (const [fileIndex, file] of texts.entries()) {
    const report = (): void =>
      onSent({ file: file.name, fileIndex, fileCount: texts.length, sentBytes, totalBytes });
    report();
    await sendFile(client, importId, file, (bytes) => {
      sentBytes += bytes;
      report();
    });
  }
  const report = await client.call('import.finish', { importId });
  return { ...report, rejected: [...refused, ...report.rejected] };
}
