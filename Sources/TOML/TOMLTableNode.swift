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

    /// One key of the table with what it holds.
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

    /// The slot for `key`, or nil when the table does not have it yet.
    func slot(_ key: String) -> Slot? {
        if slots.count <= Self.linearScanLimit {
            for slot in slots where slot.key == key { return slot }
            return nil
        }
        guard let position = index[key] else { return nil }
        return slots[position]
    }

    /// Appends a new key; the caller has checked with `slot(_:)` that it is not present.
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
