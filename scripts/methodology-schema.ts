// Writes the JSON Schema of the methodology file format (docs/methodology.schema.json):
//   npx tsx scripts/methodology-schema.ts > docs/methodology.schema.json
import { methodologyJsonSchema } from '../src/core/methodology/format.ts';

process.stdout.write(`${JSON.stringify(methodologyJsonSchema(), null, 2)}\n`);
