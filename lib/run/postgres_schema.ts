/**
 * The tables of the PostgreSQL run store (postgres_store.ts), created when missing. A run's
 * rows hold exactly the bytes of its folder's files, so a run exports to a folder and imports
 * from one unchanged (run_transfer.ts): run.json and each event line as `json`, which keeps the
 * text as written (`jsonb` would reorder keys), every other file as bytea by its path.
 */
export const SCHEMA_SQL = `
create schema if not exists tflab;
create table if not exists tflab.runs (
  id text primary key,
  info json not null
);
create table if not exists tflab.events (
  run_id text not null references tflab.runs (id) on delete cascade,
  seq bigint not null,
  line json not null,
  primary key (run_id, seq)
);
create table if not exists tflab.artifacts (
  run_id text not null references tflab.runs (id) on delete cascade,
  path text not null,
  bytes bytea not null,
  primary key (run_id, path)
);
-- PNGs and float weights do not compress: storing them as they are saves the attempt.
alter table tflab.artifacts alter column bytes set storage external;
`;
