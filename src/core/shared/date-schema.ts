// The one schema of a calendar date in a request: YYYY-MM-DD, a real day (2026-02-30 is refused) of a
// year the platform knows (2013-2100), so no invalid date ever reaches the database.
import { z } from 'zod';
import { parseCivilDate } from './civil-date.ts';

export const civilDateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((t) => parseCivilDate(t) !== null, 'a calendar date YYYY-MM-DD between 2013 and 2100');
