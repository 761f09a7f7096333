/**
 * Reads a text file in blocks of whole lines, keeping each line's number and the byte offset after it:
 * what rejections cite, and where a resumed import seeks to. Lines are split on '\n' at the byte level
 * (that byte never occurs inside a UTF-8 sequence), so offsets are exact whatever the text holds.
 *
 * A line longer than `maxLineBytes` is not decoded or kept: it comes back as an empty line flagged in
 * `tooLong` (a damaged or hostile file cannot make us hold a gigabyte line in memory).
 */
import { readSync } from 'node:fs';

export interface LineBlock {
  /** The block's lines, decoded as UTF-8, each ending in '\n' except a last line the file ends without. */
  text: string;
  /** 1-based number of the block's first line. */
  firstLine: number;
  /** How many lines the block holds. */
  lines: number;
  /** Byte offset in the file just after each line (after its '\n'). */
  ends: number[];
  /** Lines (index in the block) too long to read, with their length in bytes; null when none. */
  tooLong: Map<number, number> | null;
}

export interface LineReaderOptions {
  /** Byte offset to start at: the start of a line. */
  offset: number;
  /** The number of the line starting there (1-based). */
  line: number;
  /** Bytes read at once. Default 256 KiB: small blocks keep the rows parsed from one short-lived (less GC). */
  blockBytes?: number;
  /** Longest line read; longer ones are flagged in `tooLong`. Default 64 KiB. */
  maxLineBytes?: number;
}

const NEWLINE = 10;

export class LineReader {
  private readonly buffer: Buffer;
  private readonly maxLineBytes: number;
  /** File offset of buffer[0]. */
  private base: number;
  /** Unconsumed bytes in buffer[0, held). */
  private held = 0;
  private nextLine: number;
  private eof = false;

  constructor(
    private readonly fd: number,
    options: LineReaderOptions,
  ) {
    this.maxLineBytes = options.maxLineBytes ?? 64 * 1024;
    this.buffer = Buffer.allocUnsafe((options.blockBytes ?? 256 * 1024) + this.maxLineBytes);
    this.base = options.offset;
    this.nextLine = options.line;
  }

  /** The next block of lines, or null at the end of the file. */
  next(): LineBlock | null {
    this.fill();
    if (this.held === 0) return null;
    const buffer = this.buffer;
    const lastNewline = buffer.lastIndexOf(NEWLINE, this.held - 1);
    if (lastNewline < 0) {
      // No line end in a full buffer: a line longer than any we read. At the end of the file: its last line.
      if (!this.eof) return this.skipLongLine();
      return this.takeLines(this.held, false);
    }
    return this.takeLines(lastNewline + 1, true);
  }

  /** Reads until the buffer is full or the file ends. */
  private fill(): void {
    while (!this.eof && this.held < this.buffer.length) {
      const read = readSync(
        this.fd,
        this.buffer,
        this.held,
        this.buffer.length - this.held,
        this.base + this.held,
      );
      if (read === 0) this.eof = true;
      this.held += read;
    }
  }

  /** Hands out buffer[0, end) as lines (the last one without '\n' when `endsWithNewline` is false). */
  private takeLines(end: number, endsWithNewline: boolean): LineBlock {
    const buffer = this.buffer;
    const ends: number[] = [];
    let tooLong: Map<number, number> | null = null;
    let pieces: string[] | null = null;
    let from = 0;
    let lineStart = 0;
    while (lineStart < end) {
      let lineEnd = buffer.indexOf(NEWLINE, lineStart);
      if (lineEnd < 0 || lineEnd >= end) lineEnd = end - 1; // the file's last line, without '\n'
      const length = lineEnd + 1 - lineStart;
      if (length > this.maxLineBytes) {
        tooLong ??= new Map();
        tooLong.set(ends.length, length);
        pieces ??= [];
        pieces.push(buffer.toString('utf8', from, lineStart), '\n');
        from = lineEnd + 1;
      }
      ends.push(this.base + lineEnd + 1);
      lineStart = lineEnd + 1;
    }
    let text: string;
    if (pieces === null) text = buffer.toString('utf8', 0, end);
    else {
      pieces.push(buffer.toString('utf8', from, end));
      text = pieces.join('');
    }
    if (!endsWithNewline && tooLong?.has(ends.length - 1)) text = text.slice(0, -1);
    const block: LineBlock = { text, firstLine: this.nextLine, lines: ends.length, ends, tooLong };
    this.consume(end);
    this.nextLine += ends.length;
    return block;
  }

  /** Skips a line longer than the buffer, reading on to its end; returns it as one flagged empty line. */
  private skipLongLine(): LineBlock {
    let length = 0;
    for (;;) {
      const newline = this.buffer.indexOf(NEWLINE, 0);
      if (newline >= 0 && newline < this.held) {
        length += newline + 1;
        this.consume(newline + 1);
        break;
      }
      length += this.held;
      this.consume(this.held);
      this.fill();
      if (this.held === 0) break;
    }
    const block: LineBlock = {
      text: this.eof && this.held === 0 ? '' : '\n',
      firstLine: this.nextLine,
      lines: 1,
      ends: [this.base],
      tooLong: new Map([[0, length]]),
    };
    this.nextLine += 1;
    return block;
  }

  private consume(bytes: number): void {
    this.buffer.copyWithin(0, bytes, this.held);
    this.held -= bytes;
    this.base += bytes;
  }
}
