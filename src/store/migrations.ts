/**
 * Schema history. Append only: a released migration never changes, a new one is added.
 * `PRAGMA user_version` records how many have run.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE interviews (
    id          TEXT PRIMARY KEY,          -- '<source>:<record id>'
    source      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    data        TEXT NOT NULL,             -- the Interview as JSON
    hash        TEXT NOT NULL,             -- of data, to tell updated from unchanged
    updated_at  TEXT,                      -- the source's last edit, for bookmarks
    synced_at   TEXT NOT NULL,
    deleted_at  TEXT                       -- soft delete: set when a full listing no longer has it
  );
  CREATE INDEX interviews_source ON interviews (source, deleted_at);

  CREATE TABLE findings (
    source     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    data       TEXT NOT NULL               -- the Finding as JSON
  );
  CREATE INDEX findings_source ON findings (source, record_id);

  CREATE TABLE sync_state (
    source        TEXT PRIMARY KEY,
    bookmark      TEXT,                    -- highest updatedAt stored, never past the signpost
    last_full_at  TEXT                     -- signpost of the last complete listing
  );

  CREATE TABLE sync_runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    source       TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    report       TEXT,                     -- SyncReport JSON when ok
    error        TEXT                      -- the message when failed
  );

  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT INTO meta (key, value) VALUES ('data_version', '0');
  `,
  `
  -- What a source remembers between runs: resolved ids, property ids by name, title caches.
  ALTER TABLE sync_state ADD COLUMN memo TEXT;
  `,
  `
  -- One row per digest and period: a claim while sending, then sent or skipped. Several processes
  -- on one store (a restart, a second instance, a manual run) cannot send the same period twice.
  CREATE TABLE digest_log (
    digest      TEXT NOT NULL,             -- 'exec' or 'team:<name>'
    period      TEXT NOT NULL,             -- the scheduled instant it is for (UTC ISO)
    status      TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'skipped', 'failed')),
    claimed_at  TEXT NOT NULL,
    finished_at TEXT,
    detail      TEXT,                      -- recipients or the last error
    attempts    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (digest, period)
  );
  `,
  `
  -- The mapping (and source identity) each source was last read with: when it changes, the next
  -- sync lists everything, so no row stays mapped the old way.
  ALTER TABLE sync_state ADD COLUMN fingerprint TEXT;
  `,
  `
  -- What a file source's row was read from: a hash of its raw cells under the setup it was read
  -- with, and the people in it not on the roster. An unchanged row is not assembled again.
  ALTER TABLE interviews ADD COLUMN raw_hash TEXT;
  ALTER TABLE interviews ADD COLUMN off_roster TEXT;
  `,
  `
  -- The data version whose run last wrote each row (an upsert or a deletion; 0 before this
  -- column): a reader holding the rows of version N reads only what was written after it.
  ALTER TABLE interviews ADD COLUMN written INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX interviews_written ON interviews (written);
  `,
  `
  -- data holds each interview in its stored form, a JSON array (src/model/stored.ts), and hash
  -- is of that. Store.migrate converts the rows of older stores, object JSON, in this transaction.
  SELECT 1;
  `,
  `
  -- A run finds a row it deletes or gives a new raw hash by its id ('<source>:<record id>', the
  -- primary key). This index of source and deletion narrowed such a lookup to the source only, so
  -- each one read all of the source's rows: 1 000 deletions took 22 s in a 100 000-row store. No
  -- query needs it now, and every insert wrote it.
  DROP INDEX IF EXISTS interviews_source;
  `,
];

/** The migration that converts the rows to their stored form (`Store.convertRows`). */
export const STORED_FORM = 6;
