/// Cuts a byte stream into lines of at most `maxLineLength` bytes, with bounded memory.
///
/// A line longer than the limit is emitted once, cut at the limit and marked truncated; its remaining bytes
/// up to the next newline are dropped, so one job printing a gigabyte without newlines produces one log
/// line, not a million. A final line without a newline is emitted by `finish`.
struct LineSplitter {
    let stream: OutputStream
    let maxLineLength: Int
    /// The current incomplete line; never longer than `maxLineLength`.
    private var pending: [UInt8] = []
    /// True after a cut, until the newline that ends the over-long line.
    private var discardingRestOfLine = false

    init(stream: OutputStream, maxLineLength: Int) {
        precondition(maxLineLength > 0, "maxLineLength must be positive")
        self.stream = stream
        self.maxLineLength = maxLineLength
    }

    /// Feeds `bytes`, calling `emit` for every line they complete.
    mutating func append(_ bytes: UnsafeRawBufferPointer, emit: (OutputLine) -> Void) {
        var rest = bytes
        while !rest.isEmpty {
            let newline = ByteSearch.firstIndex(of: UInt8(ascii: "\n"), in: rest)
            let segment = UnsafeRawBufferPointer(rebasing: rest[..<(newline ?? rest.count)])
            if !discardingRestOfLine {
                let room = maxLineLength - pending.count
                if segment.count <= room {
                    pending.append(contentsOf: segment)
                } else {
                    pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: segment[..<room]))
                    emit(makeLine(isTruncated: true))
                    discardingRestOfLine = true
                }
            }
            guard let newline else { return }
            if !discardingRestOfLine { emit(makeLine(isTruncated: false)) }
            discardingRestOfLine = false
            rest = UnsafeRawBufferPointer(rebasing: rest[(newline + 1)...])
        }
    }

    /// Emits the final line when the stream ended without a newline.
    mutating func finish(emit: (OutputLine) -> Void) {
        if !pending.isEmpty && !discardingRestOfLine {
            emit(makeLine(isTruncated: false))
        }
        pending.removeAll()
        discardingRestOfLine = false
    }

    private mutating func makeLine(isTruncated: Bool) -> OutputLine {
        let text = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        return OutputLine(stream: stream, text: text, isTruncated: isTruncated)
    }
}
