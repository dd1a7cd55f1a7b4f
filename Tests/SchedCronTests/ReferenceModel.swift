import SchedCron
import SchedTime

/// SplitMix64: a tiny seeded generator, so a failing case can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A randomly generated cron expression together with a deliberately naive description of what it
/// means, written independently of the parser: sets of values and per-day predicates.
struct ReferenceExpression: CustomStringConvertible {
    var text: String
    var hasSeconds: Bool
    var seconds: Set<Int>
    var minutes: Set<Int>
    var hours: Set<Int>
    var months: Set<Int>
    var dayOfMonth: [(Int, Int, Int) -> Bool]
    var dayOfWeek: [(Int, Int, Int) -> Bool]
    var dayOfMonthRestricted: Bool
    var dayOfWeekRestricted: Bool
    var fixedTime: Bool

    var description: String { text }

    /// Whether the wall-clock reading matches, field by field.
    func matches(_ local: CivilDateTime) -> Bool {
        seconds.contains(local.second) && minutes.contains(local.minute) && hours.contains(local.hour)
            && matchesDay(year: local.year, month: local.month, day: local.day)
    }

    /// Whether the date matches the month and the two day fields (Vixie cron's OR-vs-AND rule).
    func matchesDay(year: Int, month: Int, day: Int) -> Bool {
        guard months.contains(month) else { return false }
        let dom = dayOfMonth.contains { $0(year, month, day) }
        let dow = dayOfWeek.contains { $0(year, month, day) }
        return dayOfMonthRestricted && dayOfWeekRestricted ? dom || dow : dom && dow
    }

    // MARK: - Generation

    /// A random expression; with `focusHour`, the hour field usually includes that hour so that
    /// windows around a transition see firings near it.
    static func random(
        using rng: inout SeededGenerator,
        withSeconds: Bool,
        focusHour: Int? = nil,
        denseDays: Bool = false
    ) -> ReferenceExpression {
        var texts: [String] = []
        var seconds: Set<Int> = [0]
        if withSeconds {
            let (text, values) = numericField(0...59, using: &rng)
            texts.append(text)
            seconds = values
        }
        let (minuteText, minutes) = numericField(0...59, using: &rng)
        var (hourText, hours) = numericField(0...23, using: &rng)
        if let focusHour, Bool.random(using: &rng) {
            let low = max(0, focusHour - Int.random(in: 0...1, using: &rng))
            let high = min(23, focusHour + Int.random(in: 0...1, using: &rng))
            hourText = low == high ? "\(low)" : "\(low)-\(high)"
            hours = Set(low...high)
        }
        // Dense days (for short windows) mostly leave both day fields unrestricted.
        let sparse = !denseDays || Int.random(in: 0..<4, using: &rng) == 0
        let (domText, dom) = sparse ? dayOfMonthField(using: &rng) : ("*", [{ _, _, _ in true }])
        // Months: mostly every month, so windows around transitions see firings.
        let (monthText, months): (String, Set<Int>) =
            Int.random(in: 0..<4, using: &rng) == 0 ? numericField(1...12, using: &rng) : ("*", Set(1...12))
        let (dowText, dow) = sparse ? dayOfWeekField(using: &rng) : ("?", [{ _, _, _ in true }])
        texts += [minuteText, hourText, domText, monthText, dowText]
        return ReferenceExpression(
            text: texts.joined(separator: " "),
            hasSeconds: withSeconds,
            seconds: seconds,
            minutes: minutes,
            hours: hours,
            months: months,
            dayOfMonth: dom,
            dayOfWeek: dow,
            dayOfMonthRestricted: !domText.hasPrefix("*") && !domText.hasPrefix("?"),
            dayOfWeekRestricted: !dowText.hasPrefix("*") && !dowText.hasPrefix("?"),
            fixedTime: !minuteText.hasPrefix("*") && !hourText.hasPrefix("*")
        )
    }

    /// A list of one to three items over `bounds`, each `*`, `*/n`, `a`, `a-b`, `a-b/n` or `a/n`.
    static func numericField(_ bounds: ClosedRange<Int>, using rng: inout SeededGenerator) -> (String, Set<Int>) {
        let count = Int.random(in: 0..<6, using: &rng) == 0 ? 2 : 1
        var texts: [String] = []
        var values: Set<Int> = []
        for index in 0..<count {
            let kind = Int.random(in: 0..<7, using: &rng)
            let a = Int.random(in: bounds, using: &rng)
            let b = Int.random(in: a...bounds.upperBound, using: &rng)
            let step = Int.random(in: 1...max(1, (bounds.count) / 3), using: &rng)
            switch kind {
            case 0 where index == 0:
                texts.append("*")
                values.formUnion(bounds)
            case 1 where index == 0:
                texts.append("*/\(step)")
                values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
            case 2:
                texts.append("\(a)-\(b)")
                values.formUnion(a...b)
            case 3:
                texts.append("\(a)-\(b)/\(step)")
                values.formUnion(stride(from: a, through: b, by: step))
            case 4:
                texts.append("\(a)/\(step)")
                values.formUnion(stride(from: a, through: bounds.upperBound, by: step))
            default:
                texts.append("\(a)")
                values.insert(a)
            }
        }
        return (texts.joined(separator: ","), values)
    }

    static func dayOfMonthField(using rng: inout SeededGenerator) -> (String, [(Int, Int, Int) -> Bool]) {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1, 2: return ("*", [{ _, _, _ in true }])
        case 3: return ("?", [{ _, _, _ in true }])
        case 4:
            let n = Int.random(in: 0...3, using: &rng)
            return (n == 0 ? "L" : "L-\(n)", [{ y, m, d in d == CivilDateTime.daysInMonth(year: y, month: m) - n }])
        case 5:
            let n = Int.random(in: 1...31, using: &rng)
            return ("\(n)W", [{ y, m, d in nearestWeekday(to: n, year: y, month: m) == d }])
        case 6:
            return ("LW", [{ y, m, d in lastWeekday(year: y, month: m) == d }])
        default:
            let (text, values) = numericField(1...31, using: &rng)
            return (text, [{ _, _, d in values.contains(d) }])
        }
    }

    static func dayOfWeekField(using rng: inout SeededGenerator) -> (String, [(Int, Int, Int) -> Bool]) {
        let names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1, 2: return ("*", [{ _, _, _ in true }])
        case 3: return ("?", [{ _, _, _ in true }])
        case 4:
            let w = Int.random(in: 0...6, using: &rng)
            return (
                "\(w)L", [{ y, m, d in weekday(y, m, d) == w && d + 7 > CivilDateTime.daysInMonth(year: y, month: m) }]
            )
        case 5:
            let w = Int.random(in: 0...7, using: &rng)
            let k = Int.random(in: 1...5, using: &rng)
            return ("\(w)#\(k)", [{ y, m, d in weekday(y, m, d) == w % 7 && (d - 1) / 7 + 1 == k }])
        case 6:
            let a = Int.random(in: 0...6, using: &rng)
            let b = Int.random(in: a...6, using: &rng)
            return ("\(names[a])-\(names[b].lowercased())", [{ y, m, d in (a...b).contains(weekday(y, m, d)) }])
        default:
            let (text, values) = numericField(0...7, using: &rng)
            let weekdays = Set(values.map { $0 % 7 })
            return (text, [{ y, m, d in weekdays.contains(weekday(y, m, d)) }])
        }
    }

    static func weekday(_ year: Int, _ month: Int, _ day: Int) -> Int {
        CivilDateTime(year: year, month: month, day: day).weekday
    }

    static func isWorkday(_ year: Int, _ month: Int, _ day: Int) -> Bool {
        (1...5).contains(weekday(year, month, day))
    }

    /// The Monday–Friday day of the month closest to day `n` (none when the month is shorter).
    static func nearestWeekday(to n: Int, year: Int, month: Int) -> Int? {
        let length = CivilDateTime.daysInMonth(year: year, month: month)
        guard n <= length else { return nil }
        return (1...length).filter { isWorkday(year, month, $0) }.min { abs($0 - n) < abs($1 - n) }
    }

    static func lastWeekday(year: Int, month: Int) -> Int? {
        (1...CivilDateTime.daysInMonth(year: year, month: month)).last { isWorkday(year, month, $0) }
    }
}

/// Fire times by brute force: every real instant in the window (stepping by `step` seconds) whose
/// local reading matches, then the DST policy applied naively through `Zone.resolve`.
func referenceFires(
    _ expression: ReferenceExpression,
    in zone: Zone,
    policy: DSTPolicy,
    after start: Int64,
    through end: Int64
) -> [CronFire] {
    let step: Int64 = expression.hasSeconds ? 1 : 60
    var fires: [Int64: DSTAdjustment?] = [:]
    var t = (start / step + 1) * step
    while t <= end {
        let local = zone.localTime(at: Instant(secondsSinceEpoch: t))
        if expression.matches(local) {
            if case .repeated(let first, let second) = zone.resolve(local), policy.repeated == .first {
                if second.secondsSinceEpoch != t {
                    fires[t] = .some(.firstOfRepeated(local: local))
                } else {
                    _ = first
                }
            } else {
                fires[t] = .some(nil)
            }
        }
        t += step
    }
    // A gap shifts its first matching reading to the transition instant.
    var cursor = Instant(secondsSinceEpoch: start)
    while policy.gap == .shift, let transition = zone.nextTransition(after: cursor),
        transition.instant.secondsSinceEpoch <= end
    {
        cursor = transition.instant
        guard transition.isGap else { continue }
        let boundary = transition.instant.secondsSinceEpoch
        var reading = boundary + Int64(transition.offsetBefore.seconds)
        while reading < boundary + Int64(transition.offsetAfter.seconds) {
            let local = CivilDateTime(localSecondsSinceEpoch: reading)
            if expression.matches(local) {
                fires[boundary] = .some(.shiftedOutOfGap(local: local))
                break
            }
            reading += step
        }
    }
    return fires.keys.sorted().map { CronFire(instant: Instant(secondsSinceEpoch: $0), adjustment: fires[$0] ?? nil) }
}
