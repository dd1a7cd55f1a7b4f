/// A command line that cannot be understood; `schedctl` prints `message` and exits with 2.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Splits a subcommand's arguments into options and positionals.
///
/// Accepts `--name value`, `--name=value`, flags (`--help`, `-h`), and `--` to end options (so an
/// argument starting with `-` can still be a positional). Options may come before or after
/// positionals; a repeated option keeps its last value. Unknown options and missing values are
/// `UsageError`s that name the command.
struct ArgumentScanner {
    /// The positional arguments in order.
    private(set) var positionals: [String] = []
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    /// - Parameters:
    ///   - command: used in messages (`schedctl next`).
    ///   - valueOptions: options that take a value, spelled with their dashes (`--tz`).
    ///   - flagOptions: options without a value (`--help`, `-h`).
    init(
        _ arguments: [String],
        command: String,
        valueOptions: Set<String>,
        flagOptions: Set<String>
    ) throws(UsageError) {
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard !optionsEnded, argument.hasPrefix("-"), argument != "-" else {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            if flagOptions.contains(name) {
                guard inlineValue == nil else {
                    throw UsageError(message: "\(command): option '\(name)' takes no value")
                }
                flags.insert(name)
            } else if valueOptions.contains(name) {
                if let inlineValue {
                    values[name] = inlineValue
                } else {
                    guard index < arguments.count else {
                        throw UsageError(message: "\(command): option '\(name)' needs a value")
                    }
                    values[name] = arguments[index]
                    index += 1
                }
            } else {
                throw UsageError(message: "\(command): unknown option '\(name)'")
            }
        }
    }

    /// The value given for `option`, if any.
    func value(_ option: String) -> String? { values[option] }

    /// Whether any of `names` was given as a flag.
    func has(_ names: String...) -> Bool { names.contains { flags.contains($0) } }
}
