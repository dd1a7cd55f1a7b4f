import Foundation
import Testing

/// The tzdata release of the system's zone files next to the one Foundation carries.
///
/// `Zone` reads the system's TZif files, which follow `apt-get install tzdata`; Foundation on Linux
/// answers from the zone data compiled into its own ICU. When the two releases differ (say 2026f
/// against 2025b) every zone whose rules changed in between disagrees, and that says nothing about
/// our reader. Foundation is only a fair oracle while both releases are the same.
enum TZdataVersions {
    /// The release named on the first line of `tzdata.zi` (`# version 2026f`), read from `$TZDIR`
    /// when set and holding one, else from `/usr/share/zoneinfo`; nil when neither has the file.
    static let system: String? = {
        var folders: [String] = []
        if let tzdir = ProcessInfo.processInfo.environment["TZDIR"], !tzdir.isEmpty { folders.append(tzdir) }
        folders.append("/usr/share/zoneinfo")
        for folder in folders {
            guard let text = try? String(contentsOfFile: folder + "/tzdata.zi", encoding: .utf8) else { continue }
            return version(fromTZdataZi: text)
        }
        return nil
    }()

    /// The release of Foundation's own zone data (ICU's `zoneinfo64`), such as `2025b`.
    static let foundation: String = TimeZone.timeZoneDataVersion

    /// Whether Foundation and the system read the same tzdata release.
    static var agree: Bool { system == foundation }

    /// Shown when the Foundation cross-checks are skipped, naming both releases.
    static var mismatchComment: Comment {
        Comment(
            rawValue: "Foundation's zone data is tzdata \(foundation) but the system's is \(system ?? "unknown"); "
                + "Foundation cross-checks run only when both agree (ZoneZdumpTests checks the system data)"
        )
    }

    /// The release from the text of `tzdata.zi`, whose first line is `# version XXXX`.
    static func version(fromTZdataZi text: String) -> String? {
        guard let firstLine = text.split(separator: "\n", maxSplits: 1).first else { return nil }
        let words = firstLine.split(separator: " ")
        guard words.count == 3, words[0] == "#", words[1] == "version" else { return nil }
        return String(words[2])
    }
}
