import Testing

@testable import SchedRuntime

@Suite("LineSplitter")
struct LineSplitterTests {
    private func split(_ chunks: [String], limit: Int = 8) -> [OutputLine] {
        var splitter = LineSplitter(stream: .standardOutput, maxLineLength: limit)
        var lines: [OutputLine] = []
        for chunk in chunks {
            Array(chunk.utf8).withUnsafeBytes { splitter.append($0) { lines.append($0) } }
        }
        splitter.finish { lines.append($0) }
        return lines
    }

    private func line(_ text: String, cut: Bool = false) -> OutputLine {
        OutputLine(stream: .standardOutput, text: text, isTruncated: cut)
    }

    @Test("joins lines split across chunks")
    func acrossChunks() {
        #expect(split(["ab", "c\nde", "f\n"]) == [line("abc"), line("def")])
    }

    @Test("keeps empty lines and emits a final unterminated line")
    func emptyAndFinal() {
        #expect(split(["\n\nx"]) == [line(""), line(""), line("x")])
    }

    @Test("cuts an over-long line once and drops the rest up to its newline")
    func cut() {
        #expect(split(["0123456789abc", "def\nok\n"]) == [line("01234567", cut: true), line("ok")])
    }

    @Test("a line of exactly the limit is not cut")
    func exactLimit() {
        #expect(split(["01234567\n"]) == [line("01234567")])
    }

    @Test("an over-long final line without newline is reported once, cut")
    func cutAtEnd() {
        #expect(split(["0123456789"]) == [line("01234567", cut: true)])
    }

    @Test("invalid UTF-8 is repaired, not dropped")
    func invalidUTF8() {
        var splitter = LineSplitter(stream: .standardError, maxLineLength: 100)
        var lines: [OutputLine] = []
        ([0x61, 0xFF, 0x62, 0x0A] as [UInt8]).withUnsafeBytes { splitter.append($0) { lines.append($0) } }
        #expect(lines.map(\.text) == ["a\u{FFFD}b"])
        #expect(lines.first?.stream == .standardError)
    }
}
