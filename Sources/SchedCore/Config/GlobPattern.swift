/// A shell-style pattern for one path component: `*` (any run of characters), `?` (one character),
/// `[abc]`, `[a-z]`, `[!a-z]` / `[^a-z]` (one character in / not in the set). Every other character,
/// and a `[` without a closing `]`, matches itself.
///
/// As in the shell, a leading `.` in a name must be matched explicitly, so `*.toml` skips
/// `.hidden.toml` and editor swap files stay out of the schedule.
public struct GlobPattern: Hashable, Sendable, CustomStringConvertible {
    public let pattern: String
    private let elements: [Element]

    private enum Element: Hashable, Sendable {
        case literal(Character)
        case any
        case anyRun
        case set(ranges: [ClosedRange<Character>], negated: Bool)
    }

    public init(_ pattern: String) {
        self.pattern = pattern
        elements = GlobPattern.compile(Array(pattern))
    }

    /// True when `pattern` contains a wildcard, i.e. it can match more than one name.
    public static func hasWildcards(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    public var description: String { pattern }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool {
        let characters = Array(name)
        if characters.first == ".", elements.first != .literal(".") { return false }
        return GlobPattern.match(elements[...], characters[...])
    }

    // MARK: - Compilation

    // pattern := element*
    // element := '*' | '?' | '[' '!'? ']'? (char | char '-' char)* ']' | char
    private static func compile(_ characters: [Character]) -> [Element] {
        var elements: [Element] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "*":
                if elements.last != .anyRun { elements.append(.anyRun) }
                index += 1
            case "?":
                elements.append(.any)
                index += 1
            case "[":
                if let (set, next) = compileSet(characters, from: index + 1) {
                    elements.append(set)
                    index = next
                } else {
                    elements.append(.literal("["))
                    index += 1
                }
            default:
                elements.append(.literal(character))
                index += 1
            }
        }
        return elements
    }

    /// Reads a bracket expression after its `[`; nil when it has no closing `]`.
    private static func compileSet(_ characters: [Character], from start: Int) -> (Element, Int)? {
        var index = start
        var negated = false
        if index < characters.count, characters[index] == "!" || characters[index] == "^" {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<Character>] = []
        var first = true
        while index < characters.count {
            let character = characters[index]
            if character == "]" && !first {
                return (.set(ranges: ranges, negated: negated), index + 1)
            }
            first = false
            if index + 2 < characters.count, characters[index + 1] == "-", characters[index + 2] != "]" {
                let upper = characters[index + 2]
                if character <= upper { ranges.append(character...upper) }
                index += 3
            } else {
                ranges.append(character...character)
                index += 1
            }
        }
        return nil
    }

    // MARK: - Matching

    /// Backtracking match; `*` retries from the last star only, so the cost stays
    /// O(pattern × name) even for hostile patterns like `*a*a*a*b`.
    private static func match(_ pattern: ArraySlice<Element>, _ name: ArraySlice<Character>) -> Bool {
        var p = pattern.startIndex
        var n = name.startIndex
        var star: (pattern: Int, name: Int)?
        while n < name.endIndex {
            if p < pattern.endIndex {
                switch pattern[p] {
                case .anyRun:
                    star = (p, n)
                    p += 1
                    continue
                case .any:
                    p += 1
                    n += 1
                    continue
                case .literal(let character) where character == name[n]:
                    p += 1
                    n += 1
                    continue
                case .set(let ranges, let negated) where ranges.contains { $0.contains(name[n]) } != negated:
                    p += 1
                    n += 1
                    continue
                default:
                    break
                }
            }
            guard let resume = star else { return false }
            star = (resume.pattern, resume.name + 1)
            p = resume.pattern + 1
            n = resume.name + 1
        }
        while p < pattern.endIndex, pattern[p] == .anyRun { p += 1 }
        return p == pattern.endIndex
    }
}
