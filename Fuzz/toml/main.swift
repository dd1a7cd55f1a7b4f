// Fuzz target: the TOML decoder and encoder.
//
// Input: a document's bytes, as read from a file (the decoder validates UTF-8 itself).
//
// Properties (a violation traps, which libFuzzer records as a crash):
// 1. Decoding never traps, whatever the bytes: it returns a table or throws a positioned error.
// 2. A document that decodes re-encodes to text that decodes again, to the same values (positions
//    aside; the encoder puts plain values before sub-tables, so keys are compared as sets), and
//    encoding that again gives the same text: decode → encode → decode is a fixed point.

import TOML

private func fail(_ message: String, _ text: String) -> Never {
    // `fatalError`, not `preconditionFailure`: only it keeps its message in optimised builds.
    fatalError("toml fuzz: \(message)\n--- encoded ---\n\(text)\n---")
}

/// Whether two values are the same TOML value: positions ignored, table entries compared by key,
/// floats by bit pattern (so -0.0 differs from 0.0) except that every NaN equals every NaN.
private func sameValue(_ lhs: TOMLValue, _ rhs: TOMLValue) -> Bool {
    switch (lhs.kind, rhs.kind) {
    case (.float(let a), .float(let b)):
        return a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern
    case (.array(let a), .array(let b)):
        return a.count == b.count && zip(a, b).allSatisfy(sameValue)
    case (.table(let a), .table(let b)):
        return sameTable(a, b)
    case (.float, _), (.array, _), (.table, _):
        return false
    default:
        return lhs.kind == rhs.kind
    }
}

private func sameTable(_ lhs: TOMLTable, _ rhs: TOMLTable) -> Bool {
    guard lhs.entries.count == rhs.entries.count else { return false }
    var right: [String: TOMLValue] = [:]
    for entry in rhs.entries { right[entry.key] = entry.value }
    guard right.count == rhs.entries.count else { return false }
    return lhs.entries.allSatisfy { entry in right[entry.key].map { sameValue(entry.value, $0) } ?? false }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let table = try? TOMLDecoder.decode(bytes) else { return 0 }

    let encoded = TOMLEncoder.encode(table)
    let again: TOMLTable
    do {
        again = try TOMLDecoder.decode(encoded)
    } catch {
        fail("the encoder's output does not decode: \(error)", encoded)
    }
    guard sameTable(table, again) else { fail("the encoder's output decodes to different values", encoded) }
    let reencoded = TOMLEncoder.encode(again)
    guard reencoded == encoded else { fail("encoding is not a fixed point:\n\(reencoded)", encoded) }
    return 0
}
