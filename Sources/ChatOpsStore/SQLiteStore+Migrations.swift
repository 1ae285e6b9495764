import GRDB

extension SQLiteStore {
    /// The schema, one migration per step; never edit a shipped migration, add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        id TEXT PRIMARY KEY,
                        dedupe_key TEXT NOT NULL UNIQUE,
                        payload TEXT NOT NULL,
                        state TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        lease_owner TEXT,
                        lease_expires_at REAL,
                        available_at REAL NOT NULL,
                        created_at REAL NOT NULL,
                        finished_at REAL,
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
                        expires_at REAL NOT NULL,
                        created_at REAL NOT NULL,
                        body TEXT NOT NULL
                    );
                    CREATE INDEX approvals_thread ON approvals(platform, channel, thread, state);
                    CREATE TABLE locks (
                        target TEXT PRIMARY KEY,
                        owner_id TEXT NOT NULL,
                        body TEXT NOT NULL
                    );
                    CREATE TABLE audit (
                        sequence INTEGER PRIMARY KEY,
                        timestamp_ms INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        actor TEXT,
                        subject TEXT,
                        details TEXT NOT NULL,
                        previous_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE TABLE schedule_state (
                        entry TEXT PRIMARY KEY,
                        last_firing REAL,
                        last_post_digest TEXT
                    );
                    CREATE TABLE transcript (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        channel TEXT NOT NULL,
                        thread TEXT,
                        author TEXT NOT NULL,
                        reply TEXT NOT NULL,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX transcript_channel ON transcript(channel, id);
                    CREATE TABLE state (
                        namespace TEXT PRIMARY KEY,
                        value BLOB
                    );
                    CREATE TABLE executions (
                        execution_id TEXT NOT NULL,
                        namespace TEXT NOT NULL,
                        result BLOB NOT NULL,
                        PRIMARY KEY (namespace, execution_id)
                    );
                    """)
        }
        migrator.registerMigration("v2-deliveries") { db in
            try db.execute(
                sql: """
                    CREATE TABLE deliveries (
                        idempotency_key TEXT PRIMARY KEY,
                        message_id TEXT NOT NULL,
                        created_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3-proposals") { db in
            try db.execute(
                sql: """
                    CREATE TABLE proposals (
                        id TEXT PRIMARY KEY,
                        job_id TEXT NOT NULL UNIQUE,
                        state TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        body TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v4-outcomes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outcomes (
                        execution_id TEXT PRIMARY KEY,
                        body TEXT NOT NULL,
                        created_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v5-eval-runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE eval_runs (
                        id TEXT PRIMARY KEY,
                        model TEXT NOT NULL,
                        version TEXT NOT NULL,
                        dataset TEXT NOT NULL,
                        cancelled INTEGER NOT NULL,
                        verdict TEXT,
                        finished_at REAL NOT NULL,
                        body TEXT NOT NULL
                    );
                    CREATE INDEX eval_runs_latest ON eval_runs(model, dataset, version, finished_at);
                    """)
        }
        migrator.registerMigration("v6-eval-cancellations") { db in
            try db.execute(sql: "CREATE TABLE eval_cancellations (run_id TEXT PRIMARY KEY, body TEXT NOT NULL);")
        }
        return migrator
    }
}
