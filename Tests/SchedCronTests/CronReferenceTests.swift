import SchedCron
import SchedTime
import Testing

/// Thousands of generated expression / zone / window combinations compared against the brute-force
/// reference in `ReferenceModel.swift`. Each argument is one chunk with its own seed; a failure
/// prints the seed, the expression, the zone, the policy and the window.
@Suite struct CronReferenceTests {
    static let zones = [
        "UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo",
        "America/Santiago", "Asia/Kolkata", "Pacific/Apia",
    ]

    static let policies: [DSTPolicy?] = [
        nil, DSTPolicy(gap: .shift, repeated: .first), DSTPolicy(gap: .shift, repeated: .both),
        DSTPolicy(gap: .skip, repeated: .first), DSTPolicy(gap: .skip, repeated: .both),
    ]

    @Test("5-field expressions match the minute-by-minute reference", arguments: zones, 0..<3)
    func minuteGranularity(_ zoneName: String, _ chunk: Int) throws {
        try compare(
            zoneName: zoneName,
            seed: UInt64(chunk) &* 7919 &+ UInt64(zoneName.utf8.count),
            cases: 80,
            withSeconds: false,
            window: 36 * 3600
        )
    }

    @Test("6-field expressions match the second-by-second reference", arguments: zones)
    func secondGranularity(_ zoneName: String) throws {
        try compare(
            zoneName: zoneName,
            seed: 424_242 &+ UInt64(zoneName.utf8.count),
            cases: 25,
            withSeconds: true,
            window: 2 * 3600
        )
    }

    @Test("the day Pacific/Apia skipped in 2011 matches the reference")
    func apiaSkippedDay() throws {
        let zone = try Zone.named("Pacific/Apia")
        var rng = SeededGenerator(state: 2011)
        var adjusted = 0
        let gapEnd = instant("2011-12-31T00:00:00+14:00").secondsSinceEpoch
        for index in 0..<80 {
            let expression = ReferenceExpression.random(using: &rng, withSeconds: false)
            let start = gapEnd - Int64.random(in: 0...(40 * 3600), using: &rng)
            let policy = Self.policies[index % Self.policies.count]
            adjusted += try check(
                expression,
                zone: zone,
                policy: policy,
                start: start,
                end: start + 48 * 3600,
                seed: 2011
            )
            .adjusted
        }
        #expect(adjusted > 0, "the skipped day shifted nothing")
    }

    // MARK: - Driver

    private func compare(zoneName: String, seed: UInt64, cases: Int, withSeconds: Bool, window: Int64) throws {
        let zone = try Zone.named(zoneName)
        var rng = SeededGenerator(state: seed)
        let low = instant("1995-01-01T00:00:00Z").secondsSinceEpoch
        // Zones that abolished DST (Sao Paulo in 2019) get windows from their DST years.
        let abolished = zone.nextTransition(after: instant("2020-01-01T00:00:00Z")) == nil
        let high = instant(abolished ? "2018-01-01T00:00:00Z" : "2045-01-01T00:00:00Z").secondsSinceEpoch
        var fires = 0
        var adjusted = 0
        for index in 0..<cases {
            var start = Int64.random(in: low...high, using: &rng)
            var focus = start + window / 2
            // Most windows straddle a transition, when the zone has one.
            if index % 4 != 0, let transition = zone.nextTransition(after: Instant(secondsSinceEpoch: start)) {
                focus = transition.instant.secondsSinceEpoch - 1
                start = transition.instant.secondsSinceEpoch - Int64.random(in: 0...window, using: &rng)
            }
            let focusHour = zone.localTime(at: Instant(secondsSinceEpoch: focus)).hour
            let expression = ReferenceExpression.random(
                using: &rng,
                withSeconds: withSeconds,
                focusHour: focusHour,
                denseDays: withSeconds
            )
            let policy = Self.policies[index % Self.policies.count]
            let counts = try check(
                expression,
                zone: zone,
                policy: policy,
                start: start,
                end: start + window,
                seed: seed
            )
            fires += counts.fires
            adjusted += counts.adjusted
        }
        // Guard against a vacuous comparison: the generated cases must actually fire, and in
        // zones with DST some firings must have been moved or de-duplicated.
        #expect(fires > cases, "only \(fires) firings compared")
        if zone.nextTransition(after: Instant(secondsSinceEpoch: low)) != nil {
            #expect(adjusted > 0, "no DST adjustment exercised")
        }
    }

    private func check(
        _ expression: ReferenceExpression,
        zone: Zone,
        policy: DSTPolicy?,
        start: Int64,
        end: Int64,
        seed: UInt64
    ) throws -> (fires: Int, adjusted: Int) {
        let parsed = try CronExpression(parsing: expression.text)
        #expect(parsed.isFixedTime == expression.fixedTime, "\(expression.text)")
        let effective = policy ?? parsed.defaultDSTPolicy
        let expected = referenceFires(expression, in: zone, policy: effective, after: start, through: end)
        var actual: [CronFire] = []
        var cursor = Instant(secondsSinceEpoch: start)
        while let fire = parsed.next(after: cursor, in: zone, policy: policy), fire.instant.secondsSinceEpoch <= end {
            actual.append(fire)
            cursor = fire.instant
            if actual.count > expected.count + 1 { break }
        }
        let render = { (fires: [CronFire]) -> [String] in
            fires.map { fire in
                RFC3339.format(fire.instant, offset: zone.offset(at: fire.instant))
                    + (fire.adjustment.map { " \($0)" } ?? "")
            }
        }
        #expect(
            render(actual) == render(expected),
            """
            seed \(seed): '\(expression.text)' in \(zone.identifier) policy \(effective.gap)/\(effective.repeated) \
            after \(RFC3339.format(Instant(secondsSinceEpoch: start))) \
            through \(RFC3339.format(Instant(secondsSinceEpoch: end)))
            """
        )
        return (expected.count, expected.filter { $0.adjustment != nil }.count)
    }
}

/// Day-level semantics over many years: random day-of-month / month / day-of-week fields at a fixed
/// time of day, compared with a day-by-day walk of the naive predicates. This covers what short
/// windows cannot: `L`, `W`, `#`, leap days and the OR-vs-AND rule across month and year ends.
@Suite struct CronDayReferenceTests {
    @Test("day fields match a day-by-day walk over six years", arguments: ["UTC", "America/New_York"])
    func dayByDay(_ zoneName: String) throws {
        let zone = try Zone.named(zoneName)
        var rng = SeededGenerator(state: 1_000_003 &+ UInt64(zoneName.utf8.count))
        let firstDay = CivilDateTime.days(fromYear: 2026, month: 1, day: 1)
        let dayCount: Int64 = 6 * 366
        var total = 0
        for _ in 0..<300 {
            let generated = ReferenceExpression.random(using: &rng, withSeconds: false)
            // Keep the generated day and month fields, fire at noon (never in a DST transition).
            let fields = generated.text.split(separator: " ").map(String.init)
            let text = "0 12 \(fields[2]) \(fields[3]) \(fields[4])"
            let expression = try CronExpression(parsing: text)

            var expected: [String] = []
            for offset in 0..<dayCount {
                let (year, month, day) = CivilDateTime.civil(fromDays: firstDay + offset)
                if generated.matchesDay(year: year, month: month, day: day) {
                    expected.append(CivilDateTime(year: year, month: month, day: day, hour: 12).description)
                }
            }
            var actual: [String] = []
            var cursor = zone.resolveEarliest(CivilDateTime(year: 2025, month: 12, day: 31, hour: 23))
            let end = CivilDateTime.civil(fromDays: firstDay + dayCount)
            let endReading = CivilDateTime(year: end.year, month: end.month, day: end.day)
            while let fire = expression.next(after: cursor, in: zone) {
                let local = zone.localTime(at: fire.instant)
                guard local < endReading else { break }
                actual.append(local.description)
                cursor = fire.instant
            }
            #expect(actual == expected, "'\(text)' in \(zoneName)")
            total += expected.count
        }
        #expect(total > 5000)
    }
}

extension Zone {
    /// The earliest instant showing `local` (or the end of the gap holding it), for test set-up.
    fileprivate func resolveEarliest(_ local: CivilDateTime) -> Instant {
        switch resolve(local) {
        case .unique(let instant): instant
        case .repeated(let first, _): first
        case .skipped(let transition): transition.instant
        }
    }
}
