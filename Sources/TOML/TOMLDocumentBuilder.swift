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

/// A table under construction. Reference semantics let the parser keep a pointer to the table the
/// current `[header]` selected while the tree above it keeps growing.
final class TOMLTableNode {
    /// How a table came into being; this decides what may still be added to it and how.
    enum Origin {
        /// Created as an intermediate segment of a header (`a` in `[a.b]`); may later be defined
        /// explicitly by its own header exactly once.
        case implicit
        /// Defined by a `[header]` or as an element of `[[array]]`; closed to dotted keys.
        case header
        /// Created by a dotted key (`a` in `a.b = 1`); only dotted keys of the same section and
        /// sub-table headers may add to it.
        case dotted
        /// The root of an inline table being parsed; it becomes an immutable value when closed.
        case inline
    }

    /// What a key of a table under construction holds.
    enum Content {
        /// A finished value: a scalar, a static array or a closed inline table.
        case value(TOMLValue)
        case table(TOMLTableNode)
        case tableArray(TOMLTableArrayNode)
    }

    struct Slot {
        var key: String
        var keyPosition: TOMLPosition
        var content: Content
    }

    var origin: Origin
    var position: TOMLPosition
    /// Number of tables above this one (the root is 0); bounded by `TOMLParser.maximumDepth`.
    let depth: Int
    /// Dotted display path used in messages (`jobs.backup`); empty for the root.
    let path: String
    private(set) var slots: [Slot] = []
    /// Key → index into `slots`, built once the table outgrows a linear scan, so lookups in large
    /// tables stay O(1) while small tables (the common case) skip hashing altogether.
    private var index: [String: Int] = [:]
    private static let linearScanLimit = 8

    init(origin: Origin, position: TOMLPosition, depth: Int, path: String) {
        self.origin = origin
        self.position = position
        self.depth = depth
        self.path = path
    }

    func slot(_ key: String) -> Slot? {
        if slots.count <= Self.linearScanLimit {
            for slot in slots where slot.key == key { return slot }
            return nil
        }
        guard let position = index[key] else { return nil }
        return slots[position]
    }

    func insert(_ key: String, at keyPosition: TOMLPosition, _ content: Content) {
        slots.append(Slot(key: key, keyPosition: keyPosition, content: content))
        if slots.count > Self.linearScanLimit {
            if index.isEmpty {
                index.reserveCapacity(slots.count * 2)
                for (position, slot) in slots.enumerated() { index[slot.key] = position }
            } else {
                index[key] = slots.count - 1
            }
        }
    }

    /// The display path of the child `key`.
    func childPath(_ key: String) -> String {
        let shown = TOMLKeyFormatting.display(key)
        return path.isEmpty ? shown : path + "." + shown
    }

    /// Converts the subtree into the public value types. Recursion depth is bounded by the nesting
    /// limit the builder enforces.
    func finish() -> TOMLTable {
        var entries: [TOMLEntry] = []
        entries.reserveCapacity(slots.count)
        for slot in slots {
            let value: TOMLValue
            switch slot.content {
            case .value(let finished): value = finished
            case .table(let node): value = TOMLValue(.table(node.finish()), at: node.position)
            case .tableArray(let array):
                let elements = array.tables.map { TOMLValue(.table($0.finish()), at: $0.position) }
                value = TOMLValue(.array(elements), at: array.position)
            }
            entries.append(TOMLEntry(key: slot.key, keyPosition: slot.keyPosition, value: value))
        }
        return TOMLTable(entries: entries)
    }
}

/// An array of tables under construction (`[[jobs]]`); never empty once created.
final class TOMLTableArrayNode {
    let position: TOMLPosition
    var tables: [TOMLTableNode]

    init(position: TOMLPosition, first: TOMLTableNode) {
        self.position = position
        self.tables = [first]
    }
}

/// Applies TOML's definition rules while a document is parsed.
///
/// The rules, in short: a key is defined once; a table is defined once, by a header or by dotted
/// keys but not both; headers may pass through any table but dotted keys only through tables that
/// dotted keys created; inline tables and static arrays are closed once written; `[[a]]` appends
/// only to arrays created by `[[a]]`.
struct TOMLDocumentBuilder {
    let root = TOMLTableNode(origin: .header, position: TOMLPosition(line: 1, column: 1), depth: 0, path: "")

    // MARK: - Key/value pairs

    /// Assigns `value` to the dotted key `keys` relative to `table`, creating intermediate tables.
    func assign(_ value: TOMLValue, to keys: [TOMLKeySegment], in table: TOMLTableNode) throws(TOMLError) {
        var node = table
        for segment in keys.dropLast() {
            guard let slot = node.slot(segment.name) else {
                let child = try makeChild(of: node, segment, origin: .dotted, position: segment.position)
                node.insert(segment.name, at: segment.position, .table(child))
                node = child
                continue
            }
            let path = node.childPath(segment.name)
            switch slot.content {
            case .table(let child) where child.origin == .dotted:
                node = child
            case .table(let child):
                throw TOMLError(
                    "cannot add to table '\(path)' with dotted keys: it was defined by a table header at \(child.position)",
                    at: segment.position
                )
            case .tableArray(let array):
                throw TOMLError(
                    "cannot add to array of tables '\(path)' (defined at \(array.position)) with dotted keys",
                    at: segment.position
                )
            case .value(let existing):
                throw conflict(path, existing: existing, keyPosition: slot.keyPosition, at: segment.position)
            }
        }
        guard let last = keys.last else { return }
        if let slot = node.slot(last.name) {
            throw TOMLError(
                "duplicate key '\(node.childPath(last.name))' (first defined at \(slot.keyPosition))",
                at: last.position
            )
        }
        node.insert(last.name, at: last.position, .value(value))
    }

    // MARK: - Headers

    /// Handles `[a.b.c]`: returns the table that following key/value pairs go into.
    func defineTable(_ keys: [TOMLKeySegment], headerPosition: TOMLPosition) throws(TOMLError) -> TOMLTableNode {
        let parent = try walkHeaderPrefix(keys.dropLast())
        guard let last = keys.last else { return parent }
        let path = parent.childPath(last.name)
        guard let slot = parent.slot(last.name) else {
            let table = try makeChild(of: parent, last, origin: .header, position: headerPosition)
            parent.insert(last.name, at: last.position, .table(table))
            return table
        }
        switch slot.content {
        case .table(let table):
            switch table.origin {
            case .implicit:
                table.origin = .header
                table.position = headerPosition
                return table
            case .dotted:
                throw TOMLError(
                    "table '\(path)' is already defined by dotted keys at \(slot.keyPosition)",
                    at: last.position
                )
            case .header, .inline:
                throw TOMLError("table '\(path)' is already defined at \(table.position)", at: last.position)
            }
        case .tableArray(let array):
            throw TOMLError(
                "'\(path)' is already an array of tables (defined at \(array.position)); it cannot also be a table",
                at: last.position
            )
        case .value(let existing):
            throw conflict(path, existing: existing, keyPosition: slot.keyPosition, at: last.position)
        }
    }

    /// Handles `[[a.b.c]]`: appends a new table to the array and returns it.
    func appendArrayTable(_ keys: [TOMLKeySegment], headerPosition: TOMLPosition) throws(TOMLError) -> TOMLTableNode {
        let parent = try walkHeaderPrefix(keys.dropLast())
        guard let last = keys.last else { return parent }
        let path = parent.childPath(last.name)
        guard let slot = parent.slot(last.name) else {
            let table = try makeChild(of: parent, last, origin: .header, position: headerPosition)
            parent.insert(
                last.name,
                at: last.position,
                .tableArray(TOMLTableArrayNode(position: headerPosition, first: table))
            )
            return table
        }
        switch slot.content {
        case .tableArray(let array):
            let table = try makeChild(of: parent, last, origin: .header, position: headerPosition)
            array.tables.append(table)
            return table
        case .table(let table):
            throw TOMLError(
                "cannot define array of tables '\(path)': it is already a table defined at \(table.position)",
                at: last.position
            )
        case .value(let existing):
            if case .array = existing.kind {
                throw TOMLError(
                    "cannot append to static array '\(path)' (defined at \(slot.keyPosition)) with an array-of-tables header",
                    at: last.position
                )
            }
            throw conflict(path, existing: existing, keyPosition: slot.keyPosition, at: last.position)
        }
    }

    /// Follows the leading segments of a header, creating implicit tables and entering the last
    /// element of arrays of tables.
    private func walkHeaderPrefix(_ keys: ArraySlice<TOMLKeySegment>) throws(TOMLError) -> TOMLTableNode {
        var node = root
        for segment in keys {
            guard let slot = node.slot(segment.name) else {
                let child = try makeChild(of: node, segment, origin: .implicit, position: segment.position)
                node.insert(segment.name, at: segment.position, .table(child))
                node = child
                continue
            }
            switch slot.content {
            case .table(let child): node = child
            case .tableArray(let array):
                // Invariant: arrays of tables are created with one element and only grow.
                guard let lastTable = array.tables.last else { return node }
                node = lastTable
            case .value(let existing):
                throw conflict(
                    node.childPath(segment.name),
                    existing: existing,
                    keyPosition: slot.keyPosition,
                    at: segment.position
                )
            }
        }
        return node
    }

    // MARK: - Helpers

    private func makeChild(
        of parent: TOMLTableNode,
        _ segment: TOMLKeySegment,
        origin: TOMLTableNode.Origin,
        position: TOMLPosition
    ) throws(TOMLError) -> TOMLTableNode {
        let depth = parent.depth + 1
        guard depth <= TOMLParser.maximumDepth else {
            throw TOMLError("tables nest deeper than \(TOMLParser.maximumDepth) levels", at: segment.position)
        }
        return TOMLTableNode(origin: origin, position: position, depth: depth, path: parent.childPath(segment.name))
    }

    /// The error for using a key that already holds a finished value as a table.
    private func conflict(
        _ path: String,
        existing: TOMLValue,
        keyPosition: TOMLPosition,
        at position: TOMLPosition
    ) -> TOMLError {
        switch existing.kind {
        case .table:
            return TOMLError("cannot extend inline table '\(path)' (defined at \(keyPosition))", at: position)
        case .array:
            return TOMLError("cannot extend static array '\(path)' (defined at \(keyPosition))", at: position)
        default:
            return TOMLError(
                "key '\(path)' is already defined as a \(existing.typeName) at \(keyPosition), not a table",
                at: position
            )
        }
    }
}
