// Reference tables filled from data/ at every start (src/db/reference-data.ts). Each row keeps its source.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE ref_partner_countries (
     alpha2 text PRIMARY KEY CHECK (alpha2 ~ '^[A-Z]{2}$'),
     alpha3 text NOT NULL UNIQUE CHECK (alpha3 ~ '^[A-Z]{3}$'),
     name text NOT NULL,
     signed_on text NOT NULL,
     signed_in text,
     source text NOT NULL)`,
  `CREATE TABLE ref_sectoral_scopes (number int4 PRIMARY KEY, scope text NOT NULL, source text NOT NULL)`,
  `CREATE TABLE ref_greenhouse_gases (formula text PRIMARY KEY, name text NOT NULL, source text NOT NULL)`,
  `CREATE TABLE ref_india_article6_activities (number int4 PRIMARY KEY, category text NOT NULL, activity text NOT NULL, source text NOT NULL)`,
  `CREATE TABLE ref_methodologies_2019 (
     id int4 PRIMARY KEY,
     partner_country text NOT NULL,
     title text NOT NULL,
     methodology_type text NOT NULL,
     approved_projects int4 NOT NULL,
     source text NOT NULL)`,
  `CREATE TABLE ref_financed_projects_2019 (
     no int4 PRIMARY KEY,
     year text NOT NULL,
     partner_country text NOT NULL,
     type text NOT NULL,
     participants text NOT NULL,
     title text NOT NULL,
     sector text NOT NULL,
     expected_reduction_tco2_per_year int8,
     flag text,
     source text NOT NULL)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
