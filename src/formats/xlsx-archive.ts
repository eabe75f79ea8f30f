// The archive under a workbook, inspected before any XLSX parser sees it (issue 12): an XLSX is a
// ZIP, and a small ZIP can unpack to gigabytes or hold a million rows. `declaredRefusal` reads only
// the central directory (entry count, the sizes it declares) and is cheap enough for the event
// loop; `inflatedRefusal` inflates every entry as a stream, without keeping it, and enforces the
// real sizes (declared sizes can lie) and the rows of each worksheet. What is not a ZIP at all is
// left to the reader, which reports it unreadable; a ZIP this inspector cannot follow exactly (bytes
// before or after the archive, a central directory not where its end record says, ZIP64, an entry
// count that disagrees) is refused, because another reader (JSZip, under ExcelJS) would correct
// for it and unpack what was never inspected.
import { createInflateRaw } from 'node:zlib';

/**
 * The limits, with room above the largest workbook the platform generates (a template of
 * `templateRowsMax` = 200,000 monitoring rows: 23 entries, about 100 MB unpacked, its largest sheet
 * about 56 MB; a worked example is 23 entries and 0.1 MB).
 */
export interface ArchiveLimits {
  readonly entriesMax: number;
  readonly entryBytesMax: number;
  readonly totalBytesMax: number;
  readonly sheetRowsMax: number;
}

export const archiveLimits: ArchiveLimits = {
  entriesMax: 500,
  entryBytesMax: 96 * 1024 * 1024,
  totalBytesMax: 160 * 1024 * 1024,
  /** Rows of one worksheet (the reader's `sheetRowsMax`). */
  sheetRowsMax: 250_000,
};

export interface ArchiveRefusal {
  readonly code:
    | 'workbook_too_many_entries'
    | 'workbook_too_large_unpacked'
    | 'workbook_too_many_rows'
    | 'workbook_archive_malformed';
  readonly message: string;
}

const malformed = (why: string): ArchiveRefusal => ({
  code: 'workbook_archive_malformed',
  message: `the workbook's ZIP archive is not laid out as an XLSX file is (${why})`,
});

interface Entry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly declaredSize: number;
  readonly localOffset: number;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** The signature of the end of central directory record, its smallest size, its largest comment. */
const endSignature = 0x06054b50;
const endSize = 22;

/**
 * The central directory's entries; null if this is no ZIP at all (no end record); a refusal if it is
 * a ZIP laid out in any way but the plain one (every offset as declared, the directory right before
 * the end record, the end record with no comment after it, no ZIP64).
 */
function centralDirectory(
  bytes: Uint8Array,
  limits: ArchiveLimits,
): Entry[] | ArchiveRefusal | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  const lowest = Math.max(0, bytes.byteLength - endSize - 65_535);
  for (let i = bytes.byteLength - endSize; i >= lowest; i -= 1) {
    if (view.getUint32(i, true) === endSignature) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  if (end + endSize + view.getUint16(end + 20, true) !== bytes.byteLength)
    return malformed('bytes after the archive');
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const offset = view.getUint32(end + 16, true);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return malformed('ZIP64');
  if (offset + size !== end) return malformed('bytes before the archive or between its parts');
  if (count > limits.entriesMax) return tooMany(limits);
  const entries: Entry[] = [];
  let at = offset;
  while (at < end) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50)
      return malformed('a broken central directory');
    if (entries.length >= limits.entriesMax) return tooMany(limits);
    const nameLength = view.getUint16(at + 28, true);
    const entry = {
      name: Buffer.from(bytes.subarray(at + 46, at + 46 + nameLength)).toString('utf8'),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      declaredSize: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    };
    if (entry.localOffset >= offset) return malformed('an entry outside the archive');
    entries.push(entry);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  if (at !== end || entries.length !== count) return malformed('an entry count that disagrees');
  return entries;
}

const tooMany = (limits: ArchiveLimits): ArchiveRefusal => ({
  code: 'workbook_too_many_entries',
  message: `the workbook's archive has more than ${limits.entriesMax} entries`,
});

function tooLarge(what: string, limit: number): ArchiveRefusal {
  return {
    code: 'workbook_too_large_unpacked',
    message: `${what} unpacks to more than ${mb(limit)}`,
  };
}

/** A refusal from the sizes the archive declares; cheap (no inflation). */
export function declaredRefusal(
  bytes: Uint8Array,
  limits: ArchiveLimits = archiveLimits,
): ArchiveRefusal | null {
  const entries = centralDirectory(bytes, limits);
  if (entries === null || !Array.isArray(entries)) return entries;
  let total = 0;
  for (const e of entries) {
    if (e.declaredSize > limits.entryBytesMax)
      return tooLarge(`the entry ${e.name}`, limits.entryBytesMax);
    total += e.declaredSize;
    if (total > limits.totalBytesMax) return tooLarge('the workbook', limits.totalBytesMax);
  }
  return null;
}

/** Worksheet rows: `<row ` or `<row>`, with or without a namespace prefix. */
const rowTag = /<(?:[A-Za-z_][\w.-]*:)?row[\s>/]/g;

/** A refusal from the entries as they really inflate; streams, keeps no entry in memory. */
export async function inflatedRefusal(
  bytes: Uint8Array,
  limits: ArchiveLimits = archiveLimits,
): Promise<ArchiveRefusal | null> {
  const entries = centralDirectory(bytes, limits);
  if (entries === null || !Array.isArray(entries)) return entries;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (const e of entries) {
    if (e.localOffset + 30 > bytes.byteLength || view.getUint32(e.localOffset, true) !== 0x04034b50)
      return malformed('an entry without its local header');
    const start =
      e.localOffset +
      30 +
      view.getUint16(e.localOffset + 26, true) +
      view.getUint16(e.localOffset + 28, true);
    const data = bytes.subarray(start, start + e.compressedSize);
    const cap = Math.min(limits.entryBytesMax, limits.totalBytesMax - total);
    const sheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(e.name);
    const read = await inflate(data, e.method, cap, sheet ? limits.sheetRowsMax : Infinity);
    if (read === 'too large')
      return cap === limits.entryBytesMax
        ? tooLarge(`the entry ${e.name}`, limits.entryBytesMax)
        : tooLarge('the workbook', limits.totalBytesMax);
    if (read === 'too many rows')
      return {
        code: 'workbook_too_many_rows',
        message: `the sheet ${e.name} has more than ${limits.sheetRowsMax} rows`,
      };
    total += read;
  }
  return null;
}

/** The inflated size of one entry, stopped as soon as it passes `cap` bytes or `rowsMax` rows. */
function inflate(
  data: Uint8Array,
  method: number,
  cap: number,
  rowsMax: number,
): Promise<number | 'too large' | 'too many rows'> {
  if (method !== 8) return Promise.resolve(data.byteLength > cap ? 'too large' : data.byteLength);
  return new Promise((resolve) => {
    const stream = createInflateRaw({ chunkSize: 256 * 1024 });
    let size = 0;
    let rows = 0;
    let carry = '';
    const stop = (why: 'too large' | 'too many rows') => {
      stream.destroy();
      resolve(why);
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) return stop('too large');
      if (rowsMax === Infinity) return undefined;
      const text = carry + chunk.toString('latin1');
      rows += text.match(rowTag)?.length ?? 0;
      // A tag cut at the chunk's end is counted with the next chunk; one counted whole is not kept.
      const cut = text.lastIndexOf('<');
      carry =
        cut >= 0 && text.length - cut < 64 && !/[\s>/]/.test(text.slice(cut + 1))
          ? text.slice(cut)
          : '';
      if (rows > rowsMax) return stop('too many rows');
      return undefined;
    });
    stream.on('end', () => resolve(size));
    // A corrupt entry is the reader's to report.
    stream.on('error', () => resolve(size));
    stream.end(data);
  });
}
