// Block ids, `JCM-{partner alpha-2}-{project number}-{vintage}-{first}-{last}` (SPEC section 6):
// formatted and parsed here and nowhere else.
import { parseSerial, parseVintage } from '../shared/numbers.ts';
import { projectCountry, projectNumber, type ProjectRef } from '../shared/ids.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import type { SerialRange } from './serial-range.ts';

export interface BlockRef {
  readonly project: ProjectRef;
  readonly vintage: number;
  readonly serials: SerialRange;
}

const blockIdPattern = /^JCM-([A-Z]{2})-(\d{3,6})-(\d{4})-(\d{1,19})-(\d{1,19})$/;

export function formatBlockId(block: BlockRef): string {
  return `JCM-${projectCountry(block.project)}-${projectNumber(block.project)}-${block.vintage}-${block.serials.first}-${block.serials.last}`;
}

export function parseBlockId(raw: string): Result<BlockRef> {
  const match = blockIdPattern.exec(raw);
  if (match === null)
    return reject(
      'block_id_malformed',
      `"${raw.slice(0, 80)}" is not a block id like JCM-IN-001-2027-1-12000`,
    );
  const [, country, number, vintageText, firstText, lastText] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const vintage = parseVintage(vintageText);
  if (!vintage.ok) return vintage;
  const first = parseSerial(firstText);
  if (!first.ok) return first;
  const last = parseSerial(lastText);
  if (!last.ok) return last;
  if (first.value > last.value)
    return reject('serial_range_reversed', `block ${raw} has first > last`);
  return ok({
    project: `${country}${number}` as ProjectRef,
    vintage: vintage.value,
    serials: { first: first.value, last: last.value },
  });
}
