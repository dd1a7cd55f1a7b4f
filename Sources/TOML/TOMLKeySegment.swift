/// One key segment as written in the document: its unescaped name and where it starts.
struct TOMLKeySegment {
    var name: String
    var position: TOMLPosition
}

/// A key being assigned in a table, kept unformatted until a message needs its display path.
struct TOMLKeyContext {
    var table: TOMLTableNode
    var keys: [TOMLKeySegment]

    /// The full dotted path of the key, as written in messages (`jobs.backup.cron`).
    var path: String {
        keys.reduce(table.path) { path, segment in
            let shown = TOMLKeyFormatting.display(segment.name)
            return path.isEmpty ? shown : path + "." + shown
        }
    }
}
