// Fuzz target: the cron expression parser plus `next`.
//
// Input: the bytes of one expression (decoded as UTF-8, invalid sequences replaced). A hash of the
// input picks the zone (one of several with awkward DST rules, or the expression's own `CRON_TZ=`),
// the DST policy and the starting instant, so the fuzzer explores all three without a binary format
// and every corpus file stays a readable expression.
//
// Properties (a violation traps, which libFuzzer records as a crash):
// 1. Parsing never traps, whatever the bytes.
// 2. The canonical description parses again, to the same canonical description and the same
//    first fire time.
// 3. Up to 40 successive `next` calls each return an instant strictly later than their argument,
//    on a whole second, whose wall-clock reading matches the expression (`CronExpression.matches`),
//    or, when shifted out of a DST gap, is the end of that gap and the skipped reading matches.
// 4. Nothing loops: libFuzzer's `-timeout` turns a slow input into a finding.

import SchedCron
import SchedTime

/// Zones whose transitions stress the search: none, ordinary DST, negative DST (Dublin), 30-minute
/// DST (Lord Howe), DST at midnight (Santiago, Sao Paulo before 2019), a skipped day (Apia), an
/// irregular Ramadan rule (Casablanca), and fixed offsets.
private let zones: [Zone] = {
    var zones: [Zone] = [.utc, .fixed(UTCOffset(hours: 5, minutes: 45)), .fixed(UTCOffset(hours: -9, minutes: -30))]
    for name in [
        "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo", "America/Santiago",
        "Pacific/Apia", "Europe/Dublin", "Africa/Casablanca", "Asia/Kolkata", "Antarctica/Troll",
    ] {
        if let zone = try? Zone.named(name) { zones.append(zone) }
    }
    return zones
}()

/// FNV-1a over the input, then SplitMix64 to draw the run's parameters.
private struct InputRandom {
    var state: UInt64

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        state = hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func fail(_ message: String, _ expression: CronExpression) -> Never {
    // `fatalError`, not `preconditionFailure`: only it keeps its message in optimised builds.
    fatalError("cron fuzz: \(message) — expression '\(expression.source)'")
}

/// A starting instant: usually near now (2020–2035, where zones change most), sometimes anywhere
/// `Instant` can represent, including its extremes.
private func startInstant(_ random: inout InputRandom) -> Instant {
    switch random.next() % 8 {
    case 0: return Instant(nanosecondsSinceEpoch: Int64(bitPattern: random.next()))
    case 1:
        return Instant(
            nanosecondsSinceEpoch: [Int64.max, Int64.min, Int64.max - 1_000_000_000][Int(random.next() % 3)]
        )
    default:
        let seconds = 1_577_836_800 + Int64(random.next() % (15 * 366 * 86_400))
        let nanoseconds = random.next() % 4 == 0 ? Int64(random.next() % 1_000_000_000) : 0
        return Instant(nanosecondsSinceEpoch: seconds * 1_000_000_000 + nanoseconds)
    }
}

private let policies: [DSTPolicy?] = [
    nil, .fixedTime, .wallClock, DSTPolicy(gap: .shift, repeated: .both), DSTPolicy(gap: .skip, repeated: .first),
]

/// Checks one fire time against the expression and the instant it was computed from.
private func check(_ fire: CronFire, after cursor: Instant, _ expression: CronExpression, in zone: Zone) {
    guard fire.instant > cursor else { fail("\(fire.instant) is not after \(cursor) in \(zone)", expression) }
    guard fire.instant.nanosecondOfSecond == 0 else { fail("\(fire.instant) is not a whole second", expression) }
    switch fire.adjustment {
    case .shiftedOutOfGap(let local):
        guard expression.matches(local) else { fail("shifted reading \(local) does not match", expression) }
        guard let gap = zone.previousTransition(atOrBefore: fire.instant), gap.instant == fire.instant, gap.isGap
        else { fail("\(fire.instant) shifted but is not the end of a gap in \(zone)", expression) }
        guard case .skipped = zone.resolve(local) else {
            fail("shifted reading \(local) exists in \(zone)", expression)
        }
    case .firstOfRepeated, nil:
        let local = zone.localTime(at: fire.instant)
        guard expression.matches(local) else { fail("\(local) in \(zone) does not match", expression) }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    // Real expressions are short; long inputs only slow the fuzzer down.
    guard size <= 256 else { return -1 }
    let text = String(decoding: bytes, as: UTF8.self)
    guard let expression = try? CronExpression(parsing: text, hashSeed: "fuzz") else { return 0 }

    // 2. The canonical spelling is a fixed point.
    guard let reparsed = try? CronExpression(parsing: expression.canonicalDescription, hashSeed: "fuzz") else {
        fail("canonical '\(expression.canonicalDescription)' does not parse", expression)
    }
    guard reparsed.canonicalDescription == expression.canonicalDescription, reparsed.isReboot == expression.isReboot,
        reparsed.neverFires == expression.neverFires
    else { fail("canonical '\(expression.canonicalDescription)' is not a fixed point", expression) }

    var random = InputRandom(bytes)
    var zone = zones[Int(random.next() % UInt64(zones.count))]
    if let name = expression.zoneName {
        guard let named = try? Zone.named(name) else { return 0 }
        zone = named
    }
    let policy = policies[Int(random.next() % UInt64(policies.count))]
    let start = startInstant(&random)

    let first = expression.next(after: start, in: zone, policy: policy)
    let reparsedFirst = reparsed.next(after: start, in: zone, policy: policy)
    guard first == reparsedFirst else {
        fail(
            "canonical form fires at \(String(describing: reparsedFirst)), not \(String(describing: first))",
            expression
        )
    }
    if expression.isReboot || expression.neverFires {
        guard first == nil else { fail("@reboot or never-firing expression returned a time", expression) }
        return 0
    }

    // 3. Successive fire times.
    var cursor = start
    var fire = first
    for _ in 0..<40 {
        guard let current = fire else { break }
        check(current, after: cursor, expression, in: zone)
        cursor = current.instant
        fire = expression.next(after: cursor, in: zone, policy: policy)
    }
    return 0
}
