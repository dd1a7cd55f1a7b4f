// TOML 1.0 decoder — design note
//
// The decoder is a single-pass, byte-level recursive-descent parser over the document's UTF-8 bytes
// (`TOMLParser`), feeding a mutable tree of reference-typed nodes (`TOMLDocumentBuilder`) that
// enforces TOML's definition rules; the finished tree is converted once into the public, immutable
// `TOMLTable` values.
//
// Invariants and costs:
// - The input is validated as UTF-8 (and for NUL bytes) up front, so the parser can treat every
//   byte it has not consumed as well-formed text and use `0` as an end-of-input sentinel.
// - Positions are 1-based line:column, columns counted in Unicode scalars. The parser tracks the
//   current line and its start offset and counts columns incrementally from a cache, so recording
//   the position of every value stays linear even on a single 10 MB line.
// - Key lookups go through a dictionary index inside each builder node, so a table with n keys is
//   built in O(n), not O(n²); the public `TOMLTable` keeps document order in a plain array.
// - Nesting (arrays, inline tables, and tables from dotted keys or headers) is limited to
//   `TOMLParser.maximumDepth` levels. Parsing recursion, tree conversion and value destruction are
//   therefore bounded, and hostile input fails with an error instead of exhausting the stack.
// - Everything a document can get wrong is a thrown `TOMLError` pointing at the offending
//   character; nothing in the decoder traps on input.

/// Decodes TOML 1.0 documents into `TOMLTable` trees that keep source positions.
public enum TOMLDecoder {
    /// Decodes a UTF-8 document. Malformed UTF-8, NUL bytes and every TOML rule violation throw
    /// a `TOMLError` that points at the offending place.
    public static func decode(_ bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        try bytes.withUnsafeBufferPointer { (buffer) throws(TOMLError) -> TOMLTable in
            if let invalid = UTF8Validation.firstProblem(in: buffer) {
                throw TOMLError(invalid.message, at: TOMLParser.position(of: invalid.offset, in: buffer))
            }
            var parser = TOMLParser(bytes: buffer)
            return try parser.parseDocument()
        }
    }

    /// Decodes a document given as a string.
    public static func decode(_ text: String) throws(TOMLError) -> TOMLTable {
        try decode(Array(text.utf8))
    }
}
