import SchedCron
import SchedTime
import Testing

/// The instant of an RFC 3339 text; records an issue (and returns the epoch) when it is not one,
/// so a typo in a table fails the test instead of trapping.
func instant(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Instant {
    guard let value = RFC3339.parse(text) else {
        Issue.record("bad RFC 3339 literal in test: \(text)", sourceLocation: sourceLocation)
        return Instant(secondsSinceEpoch: 0)
    }
    return value
}

/// The next `count` fire times from `start`, each formatted with the zone's offset at that instant.
func fireTimes(
    _ expression: CronExpression,
    from start: Instant,
    in zone: Zone,
    count: Int,
    policy: DSTPolicy? = nil
) -> [String] {
    var result: [String] = []
    var cursor = start
    for _ in 0..<count {
        guard let fire = expression.next(after: cursor, in: zone, policy: policy) else { break }
        result.append(RFC3339.format(fire.instant, offset: zone.offset(at: fire.instant)))
        cursor = fire.instant
    }
    return result
}
