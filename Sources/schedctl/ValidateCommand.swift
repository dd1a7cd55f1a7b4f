// Placeholder: `schedctl validate` arrives with the config model.
enum ValidateCommand {
    static func run(_ arguments: [String]) -> Int32 {
        printError("schedctl validate: not implemented yet")
        return 1
    }
}
