// schedctl: argv → command → exit code. Each command lives in its own file.

#if canImport(Glibc)
    import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
let status = Schedctl.main(arguments)
exit(status)
