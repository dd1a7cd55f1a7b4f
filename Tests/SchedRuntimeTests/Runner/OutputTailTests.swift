import Testing

@testable import SchedRuntime

@Suite("OutputTail")
struct OutputTailTests {
    private func append(_ tail: inout OutputTail, _ text: String) {
        Array(text.utf8).withUnsafeBytes { tail.append($0) }
    }

    @Test("keeps everything below capacity")
    func belowCapacity() {
        var tail = OutputTail(capacity: 10)
        append(&tail, "abc")
        append(&tail, "def")
        #expect(tail.text == "abcdef")
        #expect(!tail.isTruncated)
    }

    @Test(
        "keeps exactly the newest bytes across wrap-arounds",
        arguments: [
            ["abcdefgh", "ijkl"], ["abc", "defghijklmnop"], ["abcdefghij", "k"],
            ["a", "b", "c", "defghijklmnopqrstuvwxyz"],
        ]
    )
    func wraps(chunks: [String]) {
        var tail = OutputTail(capacity: 10)
        for chunk in chunks {
            append(&tail, chunk)
        }
        let all = chunks.joined()
        #expect(tail.text == String(all.suffix(10)))
        #expect(tail.totalBytes == all.utf8.count)
        #expect(tail.isTruncated == (all.utf8.count > 10))
    }

    @Test("storage never exceeds the capacity however much is appended")
    func boundedStorage() {
        var tail = OutputTail(capacity: 1024)
        let chunk = [UInt8](repeating: 0x79, count: 3000)
        for _ in 0..<1000 {
            chunk.withUnsafeBytes { tail.append($0) }
            #expect(tail.storageBytes <= 1024)
        }
        #expect(tail.totalBytes == 3_000_000)
        #expect(tail.bytes.count == 1024)
    }
}
