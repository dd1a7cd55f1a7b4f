/// What a successful reload changed.
public struct ReloadSummary: Hashable, Sendable {
    /// Jobs configured after the reload.
    public var jobs: Int
    public var added: [String]
    public var removed: [String]
    /// Jobs whose definition changed.
    public var changed: [String]

    public init(jobs: Int, added: [String] = [], removed: [String] = [], changed: [String] = []) {
        self.jobs = jobs
        self.added = added
        self.removed = removed
        self.changed = changed
    }

    public var json: JSONValue {
        .object([
            ("jobs", .integer(Int64(jobs))),
            ("added", .array(added.map(JSONValue.string))),
            ("removed", .array(removed.map(JSONValue.string))),
            ("changed", .array(changed.map(JSONValue.string))),
        ])
    }

    public init(json: JSONValue, path: String = "reload") throws(ControlProtocolError) {
        let reader = try JSONObjectReader(json, path: path)
        self.init(
            jobs: try reader.integer("jobs", as: Int.self),
            added: try reader.strings("added"),
            removed: try reader.strings("removed"),
            changed: try reader.strings("changed")
        )
    }
}
