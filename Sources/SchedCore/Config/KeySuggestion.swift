/// "Did you mean …?" for misspelt keys and enum values.
enum KeySuggestion {
    /// The candidate closest to `word` by edit distance, when it is close enough to be a likely typo:
    /// at most 2 edits, and fewer than half the word's length.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = Array(word.lowercased().unicodeScalars)
        guard lowered.count <= 64 else { return nil }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, Array(candidate.unicodeScalars))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= 2, best.distance * 2 < max(lowered.count, 2) else { return nil }
        return best.candidate
    }

    /// Levenshtein distance (insert, delete, substitute), with one row of memory.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension KeySuggestion {
    /// Up to `limit` candidates within typo distance of `word` (as `closest`), nearest first; ties
    /// keep the candidates' order. Also counts a candidate that starts with `word` (a truncated id).
    static func closestCandidates(to word: String, among candidates: [String], limit: Int) -> [String] {
        let lowered = Array(word.lowercased().unicodeScalars)
        guard !lowered.isEmpty, lowered.count <= 64 else { return [] }
        var scored: [(candidate: String, distance: Int)] = []
        for candidate in candidates {
            let scalars = Array(candidate.lowercased().unicodeScalars)
            let distance = editDistance(lowered, scalars)
            let isTypo = distance <= 2 && distance * 2 < max(lowered.count, 2)
            let isPrefix = lowered.count >= 3 && scalars.starts(with: lowered)
            if isTypo || isPrefix { scored.append((candidate, isTypo ? distance : 3)) }
        }
        return scored.enumerated()
            .sorted { ($0.element.distance, $0.offset) < ($1.element.distance, $1.offset) }
            .prefix(limit)
            .map(\.element.candidate)
    }
}
