//! Versioned schema migrations. Each entry runs once, in order, inside a transaction, and
//! `PRAGMA user_version` records how far a database has come. Never edit a released entry:
//! add a new one.

pub(super) const MIGRATIONS: &[&str] = &[
    // 1: repositories, fabrics, resources (desired + draft columns), files the tool keeps but
    // does not manage, raw files waiting, sync operations and ingestion reports.
    r#"
CREATE TABLE repositories (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    url         TEXT NOT NULL,
    branch      TEXT NOT NULL,
    clone_dir   TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE fabrics (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    repository_id  INTEGER NOT NULL REFERENCES repositories(id),
    branch         TEXT NOT NULL,
    directory      TEXT NOT NULL,
    synced_commit  TEXT,
    synced_at      TEXT,
    created_at     TEXT NOT NULL,
    UNIQUE (repository_id, branch, directory)
);
CREATE TABLE resources (
    id                INTEGER PRIMARY KEY,
    fabric_id         INTEGER NOT NULL REFERENCES fabrics(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,
    name              TEXT NOT NULL,
    path              TEXT,
    desired_text      TEXT,
    desired_value     TEXT,
    desired_blob      TEXT,
    desired_commit    TEXT,
    legacy            INTEGER NOT NULL DEFAULT 0,
    document_issues   TEXT NOT NULL DEFAULT '[]',
    issues            TEXT NOT NULL DEFAULT '[]',
    draft_text        TEXT,
    draft_value       TEXT,
    draft_deleted     INTEGER NOT NULL DEFAULT 0,
    draft_base_blob   TEXT,
    draft_updated_at  TEXT,
    UNIQUE (fabric_id, kind, name)
);
CREATE INDEX resources_by_path ON resources (fabric_id, path);
CREATE TABLE unmanaged_files (
    fabric_id  INTEGER NOT NULL REFERENCES fabrics(id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    blob       TEXT NOT NULL,
    PRIMARY KEY (fabric_id, path)
);
CREATE TABLE raw_files (
    fabric_id  INTEGER NOT NULL REFERENCES fabrics(id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    blob       TEXT NOT NULL,
    PRIMARY KEY (fabric_id, path)
);
CREATE TABLE sync_operations (
    id             INTEGER PRIMARY KEY,
    fabric_id      INTEGER NOT NULL REFERENCES fabrics(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    trigger        TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    status         TEXT NOT NULL,
    commit_before  TEXT,
    commit_after   TEXT,
    counts         TEXT NOT NULL DEFAULT '{}',
    error          TEXT,
    pr_url         TEXT
);
CREATE INDEX sync_operations_by_fabric ON sync_operations (fabric_id, id);
CREATE TABLE ingestion_reports (
    operation_id  INTEGER NOT NULL REFERENCES sync_operations(id) ON DELETE CASCADE,
    file          TEXT NOT NULL,
    doc_index     INTEGER,
    line          INTEGER,
    kind          TEXT,
    name          TEXT,
    outcome       TEXT NOT NULL,
    path          TEXT,
    reason        TEXT
);
CREATE INDEX ingestion_reports_by_operation ON ingestion_reports (operation_id);
"#,
    // 2: drafts carry their own issues and origin; conflicts with their history; proposals
    // (drafts pushed to a branch); pushes in flight, so a crash after pushing is recognised.
    r#"
ALTER TABLE resources ADD COLUMN draft_issues TEXT NOT NULL DEFAULT '[]';
ALTER TABLE resources ADD COLUMN draft_origin TEXT;
ALTER TABLE resources ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0;
ALTER TABLE resources ADD COLUMN proposal_id INTEGER;
CREATE TABLE proposals (
    id            INTEGER PRIMARY KEY,
    fabric_id     INTEGER NOT NULL REFERENCES fabrics(id) ON DELETE CASCADE,
    branch        TEXT NOT NULL,
    commit_id     TEXT NOT NULL,
    base_commit   TEXT,
    created_at    TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'open',
    pr_url        TEXT,
    pr_number     INTEGER,
    resources     TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE conflicts (
    id             INTEGER PRIMARY KEY,
    fabric_id      INTEGER NOT NULL REFERENCES fabrics(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    name           TEXT NOT NULL,
    type           TEXT NOT NULL,
    base_text      TEXT,
    ours_text      TEXT,
    theirs_text    TEXT,
    fields         TEXT NOT NULL DEFAULT '[]',
    theirs_commit  TEXT,
    detected_at    TEXT NOT NULL,
    resolved_at    TEXT,
    resolution     TEXT,
    resolved_by    TEXT
);
CREATE INDEX conflicts_by_resource ON conflicts (fabric_id, kind, name);
CREATE TABLE pending_pushes (
    id          INTEGER PRIMARY KEY,
    fabric_id   INTEGER NOT NULL REFERENCES fabrics(id) ON DELETE CASCADE,
    commit_id   TEXT NOT NULL,
    branch      TEXT NOT NULL,
    started_at  TEXT NOT NULL
);
"#,
    // 3: user settings (commit author, poll interval, ...), key/value.
    r#"
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
"#,
    // 4: the error code of a failed operation (remote-unreachable, auth-failed, ...), so the
    // fabric's status can say "offline" without matching on message text.
    r#"
ALTER TABLE sync_operations ADD COLUMN error_code TEXT;
"#,
    // 5: how a repository authenticates (the token itself is in the OS keychain under the
    // random credential_id, never here), its GitHub API base URL, and a proposal's pull request
    // as GitHub last reported it.
    r#"
ALTER TABLE repositories ADD COLUMN auth TEXT NOT NULL DEFAULT 'none';
ALTER TABLE repositories ADD COLUMN credential_id TEXT;
ALTER TABLE repositories ADD COLUMN api_url TEXT;
ALTER TABLE repositories ADD COLUMN ssh_key TEXT;
ALTER TABLE proposals ADD COLUMN pr_state TEXT;
ALTER TABLE proposals ADD COLUMN pr_checked_at TEXT;
"#,
    // 6: each fabric's link to its cluster (a kubeconfig, context and namespace), and the last
    // snapshot read from it, so the app opens with it offline.
    r#"
CREATE TABLE cluster_links (
    fabric_id   INTEGER PRIMARY KEY REFERENCES fabrics(id) ON DELETE CASCADE,
    kubeconfig  TEXT NOT NULL,
    context     TEXT,
    namespace   TEXT
);
CREATE TABLE cluster_snapshots (
    fabric_id   INTEGER PRIMARY KEY REFERENCES fabrics(id) ON DELETE CASCADE,
    taken_at    TEXT NOT NULL,
    body        TEXT NOT NULL
);
"#,
    // 7: the keychain entry of a bearer token given to hhsync for a fabric's cluster (the token
    // itself is in the OS keychain under this random id, never here).
    r#"
ALTER TABLE cluster_links ADD COLUMN credential_id TEXT;
"#,
    // 8: incremental validation (sync/revalidate.rs). The keys each resource's fabric-wide
    // findings depend on (hedgehog/dependencies.rs), and the resources changed since the last
    // validation, which triggers note on every write path: a new resource, a changed value,
    // draft, deletion mark or issues, a removed resource. (Validation's own writes of `issues`
    // are noted too, and cleared when it ends.) The triggers test for a row already there rather
    // than saying OR IGNORE: the statement that fires a trigger imposes its own conflict handling
    // on it (an upsert's would fail). Every resource starts
    // out pending, so the first validation after the upgrade is a full one.
    r#"
CREATE TABLE validation_keys (
    fabric_id    INTEGER NOT NULL,
    resource_id  INTEGER NOT NULL,
    role         INTEGER NOT NULL,
    key          TEXT NOT NULL,
    lo           INTEGER NOT NULL DEFAULT 0,
    hi           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX validation_keys_by_key ON validation_keys (fabric_id, role, key, lo);
CREATE INDEX validation_keys_by_resource ON validation_keys (resource_id);
CREATE TABLE validation_pending (
    fabric_id    INTEGER NOT NULL,
    resource_id  INTEGER NOT NULL,
    PRIMARY KEY (fabric_id, resource_id)
) WITHOUT ROWID;
CREATE TRIGGER validation_pending_insert AFTER INSERT ON resources BEGIN
    INSERT INTO validation_pending (fabric_id, resource_id) SELECT NEW.fabric_id, NEW.id
        WHERE NOT EXISTS (SELECT 1 FROM validation_pending WHERE fabric_id = NEW.fabric_id AND resource_id = NEW.id);
END;
CREATE TRIGGER validation_pending_delete AFTER DELETE ON resources BEGIN
    INSERT INTO validation_pending (fabric_id, resource_id) SELECT OLD.fabric_id, OLD.id
        WHERE NOT EXISTS (SELECT 1 FROM validation_pending WHERE fabric_id = OLD.fabric_id AND resource_id = OLD.id);
END;
CREATE TRIGGER validation_pending_update AFTER UPDATE ON resources
WHEN NEW.kind IS NOT OLD.kind OR NEW.name IS NOT OLD.name OR NEW.fabric_id IS NOT OLD.fabric_id
  OR NEW.desired_value IS NOT OLD.desired_value OR NEW.draft_value IS NOT OLD.draft_value
  OR NEW.draft_deleted IS NOT OLD.draft_deleted OR (NEW.draft_text IS NULL) IS NOT (OLD.draft_text IS NULL)
  OR NEW.document_issues IS NOT OLD.document_issues OR NEW.draft_issues IS NOT OLD.draft_issues
  OR NEW.issues IS NOT OLD.issues
BEGIN
    INSERT INTO validation_pending (fabric_id, resource_id) SELECT OLD.fabric_id, OLD.id
        WHERE NOT EXISTS (SELECT 1 FROM validation_pending WHERE fabric_id = OLD.fabric_id AND resource_id = OLD.id);
    INSERT INTO validation_pending (fabric_id, resource_id) SELECT NEW.fabric_id, NEW.id
        WHERE NOT EXISTS (SELECT 1 FROM validation_pending WHERE fabric_id = NEW.fabric_id AND resource_id = NEW.id);
END;
INSERT OR IGNORE INTO validation_pending (fabric_id, resource_id) SELECT fabric_id, id FROM resources;
"#,
    // 9: the drafts of a fabric without reading every resource (every pull and push asks):
    // a partial index holding only the rows with a draft or a deletion mark.
    r#"
CREATE INDEX resources_with_drafts ON resources (fabric_id, kind, name) WHERE draft_text IS NOT NULL OR draft_deleted = 1;
"#,
];
