import PostgresNIO

/// Tables that keep one JSON document per row (`body`), keyed by `id`, one per job (`job_id`), with
/// copies of the fields queries filter on in columns of their own: approvals and proposals.
extension PostgresStore {
    /// A value for one column, of any type postgres-nio binds; nil stores NULL.
    typealias ColumnValue = (any PostgresThrowingDynamicTypeEncodable)?
    /// Column copies by name.
    typealias Columns = [String: ColumnValue]

    /// The JSON documents a query returns in its first column, decoded.
    func documents<T: Decodable>(_ type: T.Type, _ query: PostgresQuery) async throws -> [T] {
        try await rows(query).map { try coding.decode(T.self, try $0.decode(String.self)) }
    }

    /// Stores a document unless the job already stored one, and returns what is stored: the unique
    /// `job_id` decides between replicas racing to store one.
    func insertOnce<T: StoredDocument>(_ value: T) async throws -> T {
        let (table, jobID) = (T.table, value.jobID)
        var columns = value.columnCopies.mapValues(Self.columnValue)
        columns["job_id"] = jobID
        columns["body"] = try coding.encode(value)
        let names = columns.keys.sorted()
        let placeholders = names.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let insert = PostgresQuery(
            unsafeSQL: """
                INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(placeholders))
                ON CONFLICT (job_id) DO NOTHING RETURNING body
                """,
            binds: try Self.bindings(names.map { columns[$0] ?? nil }))
        if let stored = try await documents(T.self, insert).first { return stored }
        guard let stored = try await documents(T.self, "SELECT body FROM \(unescaped: table) WHERE job_id = \(jobID)").first else {
            throw StoreError.rowVanished(table: table, key: jobID)
        }
        return stored
    }

    static func columnValue(_ copy: ColumnCopy) -> ColumnValue {
        switch copy {
        case .text(let text): return text
        case .time(let seconds): return seconds
        }
    }

    /// The document with this id (ids are stored in lower case).
    func document<T: StoredDocument>(_ type: T.Type, id: String) async throws -> T? {
        try await documents(T.self, "SELECT body FROM \(unescaped: T.table) WHERE id = \(id.lowercased())").first
    }

    /// Reads, changes and writes one document in one transaction, refreshing its column copies; the row
    /// stays locked until the end, so changes from racing replicas apply one after the other. `then` runs
    /// inside the same transaction with the changed document.
    func updateDocument<T: StoredDocument, R: Sendable>(
        _ type: T.Type, id: String, _ change: @Sendable @escaping (inout T) -> R,
        then: @escaping @Sendable (PostgresSession, T, R) async throws -> Void = { _, _, _ in }
    ) async throws -> (T, R)? {
        let (table, key) = (T.table, id.lowercased())
        return try await transaction { [coding] session -> (T, R)? in
            let locked = try await session.rows("SELECT body FROM \(unescaped: table) WHERE id = \(key) FOR UPDATE")
            guard let row = locked.first else { return nil }
            var value = try coding.decode(T.self, try row.decode(String.self))
            let result = change(&value)
            var copies = value.columnCopies.mapValues(Self.columnValue)
            copies["body"] = try coding.encode(value)
            let names = copies.keys.sorted()
            let assignments = names.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: ", ")
            var values: [ColumnValue] = names.map { copies[$0] ?? nil }
            values.append(key)
            try await session.run(
                PostgresQuery(unsafeSQL: "UPDATE \(table) SET \(assignments) WHERE id = $\(values.count)", binds: try Self.bindings(values)))
            try await then(session, value, result)
            return (value, result)
        }
    }

    /// Bindings for values of any encodable type, in order.
    static func bindings(_ values: [ColumnValue]) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            if let value { try bind(value, into: &binds) } else { binds.appendNull() }
        }
        return binds
    }

    /// Binds one value as its own type (a generic, so the existential is opened).
    private static func bind<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value, into binds: inout PostgresBindings) throws {
        try binds.append(value)
    }
}
