/**
 * The reading server's schema, as an ordered list of migrations. Each runs once, in its own
 * transaction, and is recorded in schema_migrations. Plain PostgreSQL so the same SQL runs on
 * PGlite in development and on a PostgreSQL server in production.
 * Never edit a released migration: append a new one.
 */

export interface Migration {
  version: number
  name: string
  sql: string
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      create table users (
        id text primary key,
        username text not null unique,
        display_name text not null,
        role text not null check (role in ('reader', 'checker', 'admin')),
        password_hash text not null,
        created_at timestamptz not null default now()
      );

      create table facilities (
        id text primary key,
        name text not null,
        patient_display_policy text not null check (patient_display_policy in ('named', 'anonymised')),
        anonymised_prefix text not null default ''
      );

      create table studies (
        study_instance_uid text primary key,
        facility_id text not null references facilities (id),
        patient_id text not null default '',
        patient_name text not null default '',
        patient_sex text not null default '',
        patient_age text not null default '',
        patient_birth_date text not null default '',
        study_date text not null default '',
        study_time text not null default '',
        study_description text not null default '',
        accession_number text not null default '',
        modalities text[] not null default '{}',
        body_part text not null default '',
        specific_character_set text not null default ''
      );
      create index studies_facility_idx on studies (facility_id);
      create index studies_patient_idx on studies (patient_id);

      create table series (
        series_instance_uid text primary key,
        study_instance_uid text not null references studies (study_instance_uid) on delete cascade,
        modality text not null default '',
        series_number integer,
        series_description text not null default '',
        body_part text not null default ''
      );
      create index series_study_idx on series (study_instance_uid);

      create table instances (
        sop_instance_uid text primary key,
        series_instance_uid text not null references series (series_instance_uid) on delete cascade,
        sop_class_uid text not null,
        instance_number integer,
        transfer_syntax_uid text not null,
        rows integer,
        columns integer,
        number_of_frames integer not null default 1,
        -- relative to the data directory, so the directory can move
        file_path text not null,
        file_size bigint not null,
        sha256 text not null,
        imported_at timestamptz not null default now()
      );
      create index instances_series_idx on instances (series_instance_uid);

      create table assignments (
        id text primary key,
        study_instance_uid text not null references studies (study_instance_uid) on delete cascade,
        reader_user_id text not null references users (id) on delete cascade,
        reading_type text not null check (reading_type in ('first', 'second', 'check')),
        priority text not null check (priority in ('stat', 'urgent', 'routine')),
        status text not null default 'assigned' check (status in ('assigned', 'in-progress', 'submitted')),
        due_at timestamptz not null,
        assigned_at timestamptz not null default now(),
        unique (study_instance_uid, reader_user_id, reading_type)
      );
      create index assignments_reader_idx on assignments (reader_user_id);

      create table access_tokens (
        -- SHA-256 of the bearer token: a leaked database does not leak usable tokens
        token_hash text primary key,
        user_id text not null references users (id) on delete cascade,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked boolean not null default false
      );
      create index access_tokens_user_idx on access_tokens (user_id);
    `,
  },
  {
    version: 2,
    name: 'finding masters and reports',
    sql: `
      -- One row per version of a facility's finding master; content is the master without
      -- facility, version and frozen (those are columns). Versions are never edited: an import
      -- adds the next one, and the trigger below refuses any change but freezing.
      create table finding_masters (
        facility_id text not null references facilities (id) on delete cascade,
        version integer not null check (version > 0),
        content jsonb not null,
        frozen boolean not null default false,
        created_at timestamptz not null default now(),
        primary key (facility_id, version)
      );

      create function finding_masters_immutable() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          if old.frozen then raise exception 'finding master % v% is frozen', old.facility_id, old.version using errcode = 'check_violation'; end if;
          return old;
        end if;
        if new.facility_id <> old.facility_id or new.version <> old.version or new.content <> old.content
           or new.created_at <> old.created_at or (old.frozen and not new.frozen) then
          raise exception 'finding master % v% cannot change; import a new version', old.facility_id, old.version using errcode = 'check_violation';
        end if;
        return new;
      end
      $$;
      create trigger finding_masters_immutable before update or delete on finding_masters
        for each row execute function finding_masters_immutable();

      -- At most one report per assignment; the idempotency key makes a retried submission
      -- find the report its first attempt stored. A submitted report outlives nothing it
      -- depends on: its assignment, study, reader and master version cannot be deleted.
      create table reports (
        id text primary key,
        assignment_id text not null unique references assignments (id) on delete restrict,
        reader_id text not null references users (id) on delete restrict,
        study_instance_uid text not null references studies (study_instance_uid) on delete restrict,
        facility_id text not null,
        master_version integer not null,
        content jsonb not null,
        overall_judgement text not null,
        requires_further_examination boolean not null,
        idempotency_key text not null unique,
        submitted_at timestamptz not null default now(),
        foreign key (facility_id, master_version) references finding_masters (facility_id, version) on delete restrict
      );
      create index reports_study_idx on reports (study_instance_uid);
    `,
  },
]
