// Loads the reference data in data/ (copied from the seed documents, see data/README.md) into the
// reference tables, replacing what was there, in one transaction, when the files changed: the load
// writes the hash of the files it loaded as the comment of ref_partner_countries (a comment is kept
// with the table and written in the load's transaction, and needs no table of its own), and a start
// whose files have the same hash leaves the tables as they are.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql, type Insertable } from 'kysely';
import type { Db } from './connect.ts';
import type { Schema } from './schema.ts';
import { referenceSources as sources } from '../core/shared/sources.ts';

type Row = Record<string, string>;

function readCsv(dir: string, file: string): Row[] {
  return parse(readFileSync(join(dir, file), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as Row[];
}

const referenceFiles = [
  'partner_countries.csv',
  'sectoral_scopes.csv',
  'greenhouse_gases.csv',
  'india_article6_2_activities.csv',
  'methodologies_2019.csv',
  'projects_2019.csv',
];
/** Raise it when the load itself changes (a column, a source), so that every database reloads. */
const loaderVersion = 2;

/** The hash of the reference files (and of the loader's version). */
export function referenceDataHash(dataDir: string): string {
  // The citations stored with the rows are part of what is loaded: a changed citation reloads.
  const hash = createHash('sha256')
    .update(`loader ${loaderVersion}\0`)
    .update(`${JSON.stringify(sources)}\0`);
  for (const file of referenceFiles)
    hash.update(`${file}\0`).update(readFileSync(join(dataDir, file)));
  return hash.digest('hex');
}

async function loadedHash(db: Db): Promise<string | null> {
  const { rows } = await db.read((k) =>
    sql<{
      hash: string | null;
    }>`SELECT obj_description('ref_partner_countries'::regclass, 'pg_class') AS hash`.execute(k),
  );
  return rows[0]?.hash ?? null;
}

/** Loads the reference data when the files differ from those last loaded; says whether it loaded. */
export async function loadReferenceDataIfChanged(db: Db, dataDir: string): Promise<boolean> {
  const hash = referenceDataHash(dataDir);
  if ((await loadedHash(db)) === hash) return false;
  await loadReferenceData(db, dataDir, hash);
  return true;
}

export async function loadReferenceData(
  db: Db,
  dataDir: string,
  hash: string = referenceDataHash(dataDir),
): Promise<Record<string, number>> {
  const countries = readCsv(dataDir, 'partner_countries.csv');
  const scopes = readCsv(dataDir, 'sectoral_scopes.csv');
  const gases = readCsv(dataDir, 'greenhouse_gases.csv');
  const activities = readCsv(dataDir, 'india_article6_2_activities.csv');
  const methodologies = readCsv(dataDir, 'methodologies_2019.csv');
  const projects = readCsv(dataDir, 'projects_2019.csv');
  // Every file is read before the transaction starts, so a missing or malformed file leaves the
  // tables as they were; a row missing a required value throws inside it and rolls the load back.
  await db.transaction(async (trx) => {
    // referenceTables names every reference table, in the order the load fills them.
    for (const table of Object.values(referenceTables)) await trx.deleteFrom(table).execute();
    await trx.insertInto('ref_partner_countries').values(countries.map(countryRow)).execute();
    await trx.insertInto('ref_sectoral_scopes').values(scopes.map(scopeRow)).execute();
    await trx.insertInto('ref_greenhouse_gases').values(gases.map(gasRow)).execute();
    await trx
      .insertInto('ref_india_article6_activities')
      .values(activities.map(activityRow))
      .execute();
    await trx
      .insertInto('ref_methodologies_2019')
      .values(methodologies.map(methodologyRow))
      .execute();
    await trx.insertInto('ref_financed_projects_2019').values(projects.map(projectRow)).execute();
    await sql`COMMENT ON TABLE ref_partner_countries IS ${sql.lit(hash)}`.execute(trx);
  });
  return {
    partner_countries: countries.length,
    sectoral_scopes: scopes.length,
    greenhouse_gases: gases.length,
    india_article6_activities: activities.length,
    methodologies_2019: methodologies.length,
    financed_projects_2019: projects.length,
  };
}

function countryRow(r: Row): Insertable<Schema['ref_partner_countries']> {
  return {
    alpha2: need(r, 'iso_alpha2'),
    alpha3: need(r, 'iso_alpha3'),
    name: need(r, 'country'),
    signed_on: need(r, 'signed_on'),
    signed_in: r['signed_in'] || null,
    source: sources.partnerCountries,
  };
}

function scopeRow(r: Row): Insertable<Schema['ref_sectoral_scopes']> {
  return {
    number: Number(need(r, 'number')),
    scope: need(r, 'scope'),
    // A row added after the 2019 report (the CCS/CCUS scope) carries its own source.
    source: r['source'] || sources.sectoralScopes,
  };
}

function gasRow(r: Row): Insertable<Schema['ref_greenhouse_gases']> {
  return { formula: need(r, 'formula'), name: need(r, 'name'), source: sources.greenhouseGases };
}

function activityRow(r: Row): Insertable<Schema['ref_india_article6_activities']> {
  return {
    number: Number(need(r, 'number')),
    category: need(r, 'category'),
    activity: need(r, 'activity'),
    source: sources.indiaActivities,
  };
}

// The file has no id column: a methodology's id is its position among the file's rows, from 1.
function methodologyRow(r: Row, index: number): Insertable<Schema['ref_methodologies_2019']> {
  return {
    id: index + 1,
    partner_country: need(r, 'partner_country'),
    title: need(r, 'title'),
    methodology_type: need(r, 'methodology_type'),
    approved_projects: Number(need(r, 'approved_projects')),
    source: sources.methodologies2019,
  };
}

function projectRow(r: Row): Insertable<Schema['ref_financed_projects_2019']> {
  return {
    no: Number(need(r, 'no')),
    year: need(r, 'year'),
    partner_country: need(r, 'partner_country'),
    type: need(r, 'type'),
    participants: r['participants'] ?? '',
    title: need(r, 'title'),
    sector: r['sector'] ?? '',
    // Reference data only, never credits; an empty value stays empty (the row's flag says why).
    expected_reduction_tco2_per_year: r['expected_reduction_tco2_per_year']
      ? BigInt(r['expected_reduction_tco2_per_year'])
      : null,
    flag: r['flag'] || null,
    source: sources.financedProjects2019,
  };
}

function need(row: Row, column: string): string {
  const value = row[column];
  if (value === undefined || value === '')
    throw new Error(
      `reference data: column ${column} is empty in ${JSON.stringify(row).slice(0, 120)}`,
    );
  return value;
}

export const referenceTables = {
  'partner-countries': 'ref_partner_countries',
  'sectoral-scopes': 'ref_sectoral_scopes',
  'greenhouse-gases': 'ref_greenhouse_gases',
  'india-article6-activities': 'ref_india_article6_activities',
  'methodologies-2019': 'ref_methodologies_2019',
  'financed-projects-2019': 'ref_financed_projects_2019',
} as const;
export type ReferenceTable = keyof typeof referenceTables;

export async function readReferenceTable(
  db: Db,
  table: ReferenceTable,
): Promise<Record<string, unknown>[]> {
  const name = referenceTables[table];
  return db.read(
    (k) => k.selectFrom(name).selectAll().execute() as Promise<Record<string, unknown>[]>,
  );
}
