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
  {
    version: 3,
    name: 'reading cases, report versions and reading times',
    sql: `
      -- One case per study: how it is read (single, double, check) and where it stands. Every
      -- assignment of the study belongs to it; the final judgement and how it was reached live here.
      create table reading_cases (
        id text primary key,
        study_instance_uid text not null unique references studies (study_instance_uid) on delete restrict,
        workflow text not null check (workflow in ('single', 'double', 'check')),
        status text not null check (status in ('first-read', 'second-read', 'comparison', 'committee', 'final', 'check', 'returned', 'approved', 'amended')),
        final_judgement text,
        final_requires_further_examination boolean,
        final_method text check (final_method in ('single', 'agreement', 'consensus', 'committee', 'approved', 'amended')),
        final_reason text,
        decided_by text references users (id) on delete restrict,
        decided_at timestamptz,
        committee_reason text,
        return_comment text,
        created_at timestamptz not null default now()
      );

      alter table assignments drop constraint assignments_reading_type_check;
      alter table assignments add constraint assignments_reading_type_check check (reading_type in ('first', 'second', 'comparison', 'check'));
      alter table assignments add column case_id text references reading_cases (id) on delete restrict;
      -- When the reader first opened it: the start of its reading time.
      alter table assignments add column started_at timestamptz;
      create index assignments_case_idx on assignments (case_id);

      -- A submitted report never changes: corrections and amendments are versions beside it.
      create function reports_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'report % is submitted and cannot change; add a version', old.id using errcode = 'check_violation';
      end
      $$;
      create trigger reports_immutable before update or delete on reports
        for each row execute function reports_immutable();

      -- Versions 2.. of a report (version 1 is the reports row): a reader's correction or a
      -- checker's amendment, with who made it, why, and the key that stored it exactly once.
      create table report_versions (
        report_id text not null references reports (id) on delete restrict,
        version integer not null check (version > 1),
        kind text not null check (kind in ('correction', 'amendment')),
        author_id text not null references users (id) on delete restrict,
        reason text not null check (length(reason) > 0),
        content jsonb not null,
        overall_judgement text not null,
        requires_further_examination boolean not null,
        idempotency_key text not null unique,
        created_at timestamptz not null default now(),
        primary key (report_id, version)
      );
      create function report_versions_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'version % of report % cannot change; add a version', old.version, old.report_id using errcode = 'check_violation';
      end
      $$;
      create trigger report_versions_immutable before update or delete on report_versions
        for each row execute function report_versions_immutable();

      -- Every transition of a case, append-only: the case's history as the record shows it.
      create table case_events (
        id bigserial primary key,
        case_id text not null references reading_cases (id) on delete restrict,
        at timestamptz not null,
        actor_id text references users (id) on delete restrict,
        event text not null,
        from_status text,
        to_status text not null,
        detail text not null default ''
      );
      create index case_events_case_idx on case_events (case_id, id);
      create function case_events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'case events are append-only' using errcode = 'check_violation';
      end
      $$;
      create trigger case_events_append_only before update or delete on case_events
        for each row execute function case_events_append_only();

      -- Studies read before cases existed: one case each, its workflow from its assignments,
      -- its status from its reports (a disagreement cannot be known here: it starts at comparison).
      insert into reading_cases (id, study_instance_uid, workflow, status)
      select 'case-' || md5(s.study_instance_uid), s.study_instance_uid,
             case when bool_or(a.reading_type = 'second') then 'double' when bool_or(a.reading_type = 'check') then 'check' else 'single' end,
             'first-read'
        from studies s join assignments a on a.study_instance_uid = s.study_instance_uid
       group by s.study_instance_uid;
      update assignments a set case_id = c.id from reading_cases c where c.study_instance_uid = a.study_instance_uid;
      update reading_cases c set status = case
          when c.workflow = 'single' and r1.id is not null then 'final'
          when c.workflow = 'check' and r1.id is not null then 'check'
          when c.workflow = 'double' and r1.id is not null and r2.id is not null then 'comparison'
          when c.workflow = 'double' and r1.id is not null then 'second-read'
          else 'first-read' end,
        final_judgement = case when c.workflow = 'single' then r1.overall_judgement end,
        final_requires_further_examination = case when c.workflow = 'single' then r1.requires_further_examination end,
        final_method = case when c.workflow = 'single' and r1.id is not null then 'single' end,
        final_reason = case when c.workflow = 'single' and r1.id is not null then '' end,
        decided_at = case when c.workflow = 'single' then r1.submitted_at end
        from (select c2.id as case_id,
                     (select r.id from reports r join assignments a on a.id = r.assignment_id where a.case_id = c2.id and a.reading_type = 'first') as first_id,
                     (select r.id from reports r join assignments a on a.id = r.assignment_id where a.case_id = c2.id and a.reading_type = 'second') as second_id
                from reading_cases c2) k
        left join reports r1 on r1.id = k.first_id
        left join reports r2 on r2.id = k.second_id
       where k.case_id = c.id;
    `,
  },
  {
    version: 4,
    name: 'two-factor login, refresh tokens, login throttling',
    sql: `
      -- TOTP (RFC 6238): the shared secret must be readable to check codes, so it is stored as is;
      -- a pending secret waits for its first code before it counts as enrolled.
      alter table users add column totp_secret text;
      alter table users add column totp_pending_secret text;
      -- the last time step accepted, so the same code (or an earlier one) is never accepted twice
      alter table users add column totp_last_step bigint;

      create table recovery_codes (
        user_id text not null references users (id) on delete cascade,
        -- SHA-256 of the code: codes are random, so a slow hash adds nothing
        code_hash text not null,
        used_at timestamptz,
        primary key (user_id, code_hash)
      );

      -- one login's tokens share a family: logout, or a reused refresh token, revokes all of them
      alter table access_tokens add column family_id text;
      create index access_tokens_family_idx on access_tokens (family_id);
      create table refresh_tokens (
        token_hash text primary key,
        family_id text not null,
        user_id text not null references users (id) on delete cascade,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        -- set when exchanged for a new pair: presenting it again means it was stolen
        rotated_at timestamptz,
        revoked boolean not null default false
      );
      create index refresh_tokens_family_idx on refresh_tokens (family_id);

      -- failed log-ins per user name (known or not) and per client address
      create table login_throttle (
        key text primary key,
        failures integer not null,
        window_started_at timestamptz not null,
        locked_until timestamptz
      );
    `,
  },
  {
    version: 5,
    name: 'operation log (audit trail) with a hash chain',
    sql: `
      -- Append-only: the trigger refuses UPDATE, DELETE and TRUNCATE; the hash chain (server/audit-chain.ts)
      -- exposes whoever disables the trigger. user_id has no foreign key: the log outlives its users.
      create table audit_events (
        seq bigint primary key,
        kind text not null,
        event_id text not null,
        event_type text,
        action text not null check (action in ('C', 'R', 'U', 'D', 'E')),
        outcome smallint not null check (outcome in (0, 4, 8, 12)),
        source text not null check (source in ('server', 'workstation')),
        user_id text,
        username text,
        study_instance_uid text,
        assignment_id text,
        server_time timestamptz not null,
        -- as the workstation sent it, offset and all: it is hashed as text
        client_time text,
        client_event_id text,
        detail jsonb not null default '{}',
        prev_hash text not null,
        hash text not null
      );
      create unique index audit_events_client_idx on audit_events (coalesce(user_id, ''), client_event_id) where client_event_id is not null;
      create index audit_events_time_idx on audit_events (server_time);
      create index audit_events_user_idx on audit_events (user_id, server_time);
      create index audit_events_study_idx on audit_events (study_instance_uid, server_time);

      -- The last entry written: appends lock this row, so they run one at a time and the chain never
      -- forks; verification compares it with the last entry, so entries cut from the end show.
      create table audit_chain_head (
        id smallint primary key check (id = 1),
        seq bigint not null,
        hash text not null
      );

      create function audit_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'the operation log is append-only' using errcode = 'check_violation';
      end
      $$;
      create trigger audit_events_append_only before update or delete on audit_events
        for each row execute function audit_append_only();
      create trigger audit_events_no_truncate before truncate on audit_events
        for each statement execute function audit_append_only();
      create trigger audit_chain_head_no_delete before delete on audit_chain_head
        for each row execute function audit_append_only();
      create trigger audit_chain_head_no_truncate before truncate on audit_chain_head
        for each statement execute function audit_append_only();
    `,
  },
]

