/// One of the six time fields of a cron expression, in 6-field order.
///
/// The raw value is the field's position in a 6-field expression; it also salts the `H` hash so
/// each field of one job gets its own stable value.
enum CronField: Int, CaseIterable, Sendable {
    case second, minute, hour, dayOfMonth, month, dayOfWeek

    /// The name used in error messages.
    var name: String {
        switch self {
        case .second: "second"
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The values a user may write (day-of-week accepts 7 as a second Sunday).
    var bounds: ClosedRange<Int> {
        switch self {
        case .second, .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The values `*` and `H` range over: like `bounds`, but Sunday only once, and `H` in the
    /// day-of-month stays within 1–28 so it fires every month (as Jenkins does).
    var starBounds: ClosedRange<Int> {
        self == .dayOfWeek ? 0...6 : bounds
    }

    var hashBounds: ClosedRange<Int> {
        switch self {
        case .dayOfMonth: 1...28
        case .dayOfWeek: 0...6
        default: bounds
        }
    }

    /// Names accepted in place of numbers (upper case), with their values.
    var names: [String: Int] {
        switch self {
        case .month:
            [
                "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
            ]
        case .dayOfWeek: ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
        default: [:]
        }
    }

    /// What a name in this field is called in "unknown …" messages.
    var nameKind: String? {
        switch self {
        case .month: "month"
        case .dayOfWeek: "weekday"
        default: nil
        }
    }
}
