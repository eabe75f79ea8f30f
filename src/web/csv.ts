// The portal's CSV writer is the platform's one writer, kept in the core so that the AEF export
// (src/formats) writes its files with it too.
export { csvField, toCsv, type CsvValue } from '../core/shared/csv.ts';
