// Real accounts: users in organisations with argon2id password hashes and TOTP secrets, their roles,
// browser sessions (stored as hashes, with a CSRF token) and API tokens for machine clients (stored
// as hashes, scoped, revocable).
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE users (
     id text PRIMARY KEY,
     email text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$'),
     name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
     organisation_id text REFERENCES organisations(id),
     password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
     totp_secret text,
     failed_logins int4 NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
     locked_until timestamptz,
     disabled boolean NOT NULL DEFAULT false,
     created_at timestamptz NOT NULL,
     password_set_at timestamptz NOT NULL)`,
  `CREATE TABLE user_roles (
     user_id text NOT NULL REFERENCES users(id),
     role text NOT NULL CHECK (length(role) BETWEEN 3 AND 80),
     PRIMARY KEY (user_id, role))`,
  `CREATE TABLE sessions (
     token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
     user_id text NOT NULL REFERENCES users(id),
     csrf_token text NOT NULL,
     created_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL CHECK (expires_at > created_at))`,
  `CREATE TABLE api_tokens (
     id text PRIMARY KEY,
     user_id text NOT NULL REFERENCES users(id),
     token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
     name text NOT NULL,
     scopes text NOT NULL,
     created_at timestamptz NOT NULL,
     revoked_at timestamptz)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
