// API skeleton: the decoder is being implemented.

/// Decodes TOML 1.0 documents into `TOMLTable` trees that keep source positions.
public enum TOMLDecoder {
    /// Decodes a UTF-8 document. Malformed UTF-8, NUL bytes and every TOML rule violation throw
    /// a `TOMLError` that points at the offending place.
    public static func decode(_ bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        throw TOMLError("TOML decoder not implemented yet", at: TOMLPosition(line: 1, column: 1))
    }

    /// Decodes a document given as a string.
    public static func decode(_ text: String) throws(TOMLError) -> TOMLTable {
        try decode(Array(text.utf8))
    }
}
