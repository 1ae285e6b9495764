extension PostgresStore {
    /// The schema, step by step as SQLite's: the same tables and columns in PostgreSQL's types. Dates are
    /// seconds since 1970 in DOUBLE PRECISION, as SQLite keeps them, so both stores compare and order
    /// them alike; jobs add `seq` to break ties in claim order where SQLite uses the rowid. Never edit a
    /// shipped migration: add one.
    static let migrations: [Migration] = [
        (
            version: 1, name: "v1",
            sql: """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                seq BIGSERIAL NOT NULL,
                dedupe_key TEXT NOT NULL UNIQUE,
                payload TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                lease_owner TEXT,
                lease_expires_at DOUBLE PRECISION,
                available_at DOUBLE PRECISION NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                finished_at DOUBLE PRECISION,
                note TEXT
            );
            CREATE INDEX jobs_runnable ON jobs(state, available_at);
            CREATE TABLE approvals (
                id TEXT PRIMARY KEY,
                job_id TEXT NOT NULL UNIQUE,
                state TEXT NOT NULL,
                platform TEXT NOT NULL,
                channel TEXT NOT NULL,
                thread TEXT,
                expires_at DOUBLE PRECISION NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                body TEXT NOT NULL
            );
            CREATE INDEX approvals_thread ON approvals(platform, channel, thread, state);
            CREATE TABLE locks (
                target TEXT PRIMARY KEY,
                owner_id TEXT NOT NULL,
                body TEXT NOT NULL
            );
            CREATE TABLE audit (
                sequence BIGINT PRIMARY KEY,
                timestamp_ms BIGINT NOT NULL,
                kind TEXT NOT NULL,
                actor TEXT,
                subject TEXT,
                details TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE TABLE schedule_state (
                entry TEXT PRIMARY KEY,
                last_firing DOUBLE PRECISION,
                last_post_digest TEXT
            );
            CREATE TABLE transcript (
                id BIGSERIAL PRIMARY KEY,
                channel TEXT NOT NULL,
                thread TEXT,
                author TEXT NOT NULL,
                reply TEXT NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE,
                created_at DOUBLE PRECISION NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL
            );
            CREATE INDEX transcript_channel ON transcript(channel, id);
            CREATE TABLE state (
                namespace TEXT PRIMARY KEY,
                value BYTEA
            );
            CREATE TABLE executions (
                execution_id TEXT NOT NULL,
                namespace TEXT NOT NULL,
                result BYTEA NOT NULL,
                PRIMARY KEY (namespace, execution_id)
            );
            """
        ),
        (
            version: 2, name: "v2-deliveries",
            sql: """
            CREATE TABLE deliveries (
                idempotency_key TEXT PRIMARY KEY,
                message_id TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL
            );
            """
        ),
        (
            version: 3, name: "v3-proposals",
            sql: """
            CREATE TABLE proposals (
                id TEXT PRIMARY KEY,
                job_id TEXT NOT NULL UNIQUE,
                state TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                body TEXT NOT NULL
            );
            """
        ),
        (
            version: 4, name: "v4-outcomes",
            sql: """
            CREATE TABLE outcomes (
                execution_id TEXT PRIMARY KEY,
                body TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL
            );
            """
        ),
        (
            version: 5, name: "v5-eval-runs",
            sql: """
            CREATE TABLE eval_runs (
                id TEXT PRIMARY KEY,
                model TEXT NOT NULL,
                version TEXT NOT NULL,
                dataset TEXT NOT NULL,
                cancelled BOOLEAN NOT NULL,
                verdict TEXT,
                finished_at DOUBLE PRECISION NOT NULL,
                body TEXT NOT NULL
            );
            CREATE INDEX eval_runs_latest ON eval_runs(model, dataset, version, finished_at);
            """
        ),
        (version: 6, name: "v6-eval-cancellations", sql: "CREATE TABLE eval_cancellations (run_id TEXT PRIMARY KEY, body TEXT NOT NULL);"),
    ]
}
