// What every methodology route shares: its documented answers, the id and version parameters, the
// size parameters of an estimate, the XLSX media type, and the lookup by id and version.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import type { MethodologyCatalogue } from '../services/methodology-catalogue.ts';
import { problem } from './problem.ts';

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const answers = {
  200: { description: 'OK' },
  404: { description: 'No such methodology (problem+json)' },
  422: { description: 'Located errors (problem+json with `issues`)' },
};

export const idParams = z.object({ id: z.string().max(20).openapi({ example: 'IN_AM001' }) });
export const versionQuery = z.object({ version: z.string().max(10).optional() });
export const sizeInputs = z.record(z.string().max(40), z.string().max(64));

/** A methodology of the catalogue, or the methodology_not_found answer to send instead. */
export type MethodologyLookup = (
  c: Context,
  id: string,
  version?: string,
) => CompiledMethodology | Response;

export function methodologyLookup(catalogue: MethodologyCatalogue): MethodologyLookup {
  return (c, id, version) => {
    const found = catalogue.get(id, version);
    if (found !== undefined) return found;
    return problem(c, {
      code: 'methodology_not_found',
      message: `no methodology ${id}${version === undefined ? '' : ` version ${version}`} in the catalogue`,
    });
  };
}
