// Placeholder: `schedctl next` arrives with the cron engine.
enum NextCommand {
    static func run(_ arguments: [String]) -> Int32 {
        printError("schedctl next: not implemented yet")
        return 1
    }
}
