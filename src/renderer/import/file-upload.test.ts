import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_CHUNK_CHARS, requests } from '../../shared/api';
import type { EngineClient } from '../../shared/rpc-client';
import {
  UploadError,
  checkFiles,
  newImportId,
  notText,
  splitText,
  uploadFiles,
  utf8Length,
} from './file-upload';

interface Sent {
  method: string;
  params: Record<string, unknown>;
}

/** A client that checks every call against the contract's schema, records it, and answers a report. */
function recordingClient(fail?: { method: string; message: string }) {
  const sent: Sent[] = [];
  const client = {
    call: (method: keyof typeof requests, params: unknown) => {
      const parsed = requests[method].params.safeParse(params);
      if (!parsed.success) return Promise.reject(new Error(`${method}: ${parsed.error.message}`));
      sent.push({ method, params: params as Record<string, unknown> });
      if (fail?.method === method) return Promise.reject(new Error(fail.message));
      if (method === 'import.finish')
        return Promise.resolve({ files: 1, rows: 2, rejected: [], seconds: 0.1 });
      return Promise.resolve(null);
    },
  } as unknown as Pick<EngineClient, 'call'>;
  return { client, sent };
}

const csv = (rows: number): string =>
  'Date,Open,High,Low,Close,Volume\n' +
  Array.from(
    { length: rows },
    (_, i) => `2021-01-${String((i % 28) + 1).padStart(2, '0')},1,2,0.5,1.5,${i}\n`,
  ).join('');

describe('splitting text into chunks', () => {
  it('keeps every piece within the limit and never splits a surrogate pair', () => {
    const text = 'ab😀cd😀😀e';
    for (let max = 2; max <= 6; max++) {
      const pieces = splitText(text, max);
      expect(pieces.join(''), `max ${max}`).toBe(text);
      for (const piece of pieces) {
        expect(piece.length).toBeLessThanOrEqual(max);
        expect(utf8Length(piece), 'each piece is well-formed UTF-16').toBe(
          new TextEncoder().encode(piece).length,
        );
      }
    }
    expect(splitText('', 10)).toEqual([]);
  });

  it('counts UTF-8 bytes as an encoder writes them', () => {
    for (const text of ['plain', 'é€😀', '\uFEFFDate', 'lone \uD800 half']) {
      expect(utf8Length(text), text).toBe(new TextEncoder().encode(text).length);
    }
  });

  it('makes import ids the contract accepts, a new one each time', () => {
    const id = newImportId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(newImportId()).not.toBe(id);
  });
});

describe('uploading files as one import', () => {
  it('begins each file, sends its text in order in chunks of at most 256 Ki characters, then finishes', async () => {
    const big = csv(30_000); // about 1 MiB: several chunks
    const small = '\uFEFFdatetime,open,high,low,close,volume\n2025-03-14 09:30,1,1,1,1,5\n';
    const files = [new File([big], 'spy.csv'), new File([small], 'QQQ_1min.csv')];
    const { client, sent } = recordingClient();
    const progress: number[] = [];
    const report = await uploadFiles(client, 'ui-test-0001', files, (p) => progress.push(p.sentBytes));

    expect(report.rows).toBe(2);
    expect(sent.map((s) => s.method).filter((m, i, all) => m !== all[i - 1])).toEqual([
      'import.begin',
      'import.chunk',
      'import.begin',
      'import.chunk',
      'import.finish',
    ]);
    expect(new Set(sent.map((s) => s.params.importId)), 'one import id for the batch').toEqual(
      new Set(['ui-test-0001']),
    );
    const chunksOf = (name: string) =>
      sent.filter((s) => s.method === 'import.chunk' && s.params.name === name);
    const spy = chunksOf('spy.csv');
    expect(spy.length).toBe(Math.ceil(big.length / MAX_IMPORT_CHUNK_CHARS));
    expect(spy.map((s) => s.params.seq)).toEqual(spy.map((_, i) => i));
    expect(spy.map((s) => s.params.text).join(''), 'the text arrives whole').toBe(big);
    expect(
      chunksOf('QQQ_1min.csv')
        .map((s) => s.params.text)
        .join(''),
      'the byte-order mark is kept',
    ).toBe(small);
    expect(sent.find((s) => s.method === 'import.begin')?.params.bytes).toBe(files[0]?.size);
    expect(progress.at(-1), 'all bytes counted as sent').toBe(files[0]!.size + files[1]!.size);
  });

  it('refuses a file that is not UTF-8 text alone, sends the others, and reports it as a refused file', async () => {
    const binary = new File([new Uint8Array(4096).map((_, i) => 0x80 + (i % 64))], 'photo.csv');
    const withNul = new File([new Uint8Array([0x44, 0x61, 0x74, 0x65, 0x00, 0x01])], 'dump.csv');
    const good = new File([csv(2)], 'spy.csv');
    const { client, sent } = recordingClient();
    const report = await uploadFiles(client, 'ui-test-0002', [binary, good, withNul]);
    expect(sent.filter((s) => s.method === 'import.begin').map((s) => s.params.name)).toEqual(['spy.csv']);
    expect(report.rows).toBe(2);
    expect(report.rejected.slice(0, 2)).toEqual([
      { file: 'photo.csv', line: 0, reason: expect.stringMatching(/not UTF-8 text/) as unknown },
      { file: 'dump.csv', line: 0, reason: expect.stringMatching(/NUL bytes/) as unknown },
    ]);
    // Only binary files: nothing to send, and the report says why.
    const { client: idle, sent: none } = recordingClient();
    const alone = await uploadFiles(idle, 'ui-test-0004', [binary]);
    expect(none).toEqual([]);
    expect(alone).toMatchObject({ files: 0, rows: 0, rejected: [{ file: 'photo.csv', line: 0 }] });
  });

  it('accepts UTF-8 text whose multi-byte characters straddle the sniffed prefix', async () => {
    const text = `a${'é'.repeat(40_000)}\n`; // 80,002 bytes: the 64 KiB cut falls inside an é
    expect(await notText(new File([text], 'accents.csv'))).toBeNull();
  });

  it('passes the engine refusal on as it was sent', async () => {
    const { client } = recordingClient({
      method: 'import.begin',
      message: 'Importing from the window is not available in this mode; use "npx trm import <files>".',
    });
    await expect(uploadFiles(client, 'ui-test-0003', [new File([csv(2)], 'spy.csv')])).rejects.toThrow(
      'Importing from the window is not available in this mode; use "npx trm import <files>".',
    );
  });

  it('refuses an empty choice, a file chosen twice, or one over the size limit, with what to do', () => {
    expect(() => checkFiles([])).toThrow(UploadError);
    const spy = new File(['x'], 'spy.csv');
    expect(() => checkFiles([spy, new File(['y'], 'spy.csv')])).toThrow(/chosen twice/);
    const huge = { name: 'all.csv', size: 600 * 1024 * 1024, stream: () => new Blob([]).stream() };
    expect(() => checkFiles([huge])).toThrow(/npx trm import all\.csv/);
  });
});
