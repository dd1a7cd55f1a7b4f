// Fuzz target: the state files' record decoders (`StateStore.decodeJournalFrame`, `decodeSnapshot`)
// and the frame scanner (`StateFileFormat.scanFrames`), reached through `@testable import`.
//
// The file-level loader (`StateStore.open`) reads, quarantines and fsyncs real files, which would
// make each input cost milliseconds; everything it does with the bytes goes through these three
// pure functions, so they are what is fuzzed. A CRC-32C guards every frame, so random bytes would
// almost never reach the decoders: the input is used twice, as a raw file (scanner, checksums) and
// as the payload of a correctly checksummed frame (decoders).
//
// Property: nothing traps, whatever the bytes; decoders return a value or throw `Malformed`.

@testable import SchedRuntime

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)

    // 1. The raw bytes as a whole journal file: header check, then frames.
    _ = StateFileFormat.checkHeader(input, magic: StateFileFormat.journalMagic)
    _ = StateFileFormat.scanFrames(input, from: min(size, StateFileFormat.headerSize)) { payload in
        (try? StateStore.decodeJournalFrame(payload)) != nil
    }

    // 2. The bytes as the payload of a valid frame, as the loader would hand it to the decoders.
    var writer = ByteWriter(capacity: size + StateFileFormat.headerSize + StateFileFormat.frameHeaderSize)
    writer.bytes += StateFileFormat.header(magic: StateFileFormat.journalMagic)
    StateFileFormat.appendFrame(to: &writer) { $0.bytes += input }
    writer.bytes.withUnsafeBytes { file in
        let (_, end) = StateFileFormat.scanFrames(file, from: StateFileFormat.headerSize) { payload in
            _ = try? StateStore.decodeSnapshot(payload)
            return (try? StateStore.decodeJournalFrame(payload)) != nil
        }
        _ = end
    }
    return 0
}
