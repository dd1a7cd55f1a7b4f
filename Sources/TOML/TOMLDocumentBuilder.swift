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
            let article = existing.typeName.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            return TOMLError(
                "key '\(path)' is already defined as \(article) \(existing.typeName) at \(keyPosition), not a table",
                at: position
            )
        }
    }
}
