// Fuzz target: the control-protocol decoders (`ControlProtocol.decodeRequest` / `decodeResponse`).
//
// Input: one line as a client (or, for responses, a server) would send it, without the newline.
//
// Properties (a violation traps, which libFuzzer records as a crash):
// 1. Decoding a request or a response never traps, whatever the bytes: it returns a message or a
//    `ControlProtocolError`.
// 2. A decoded message prints to one line of JSON without a raw newline (the framing relies on
//    it), and that line decodes to the same message.

import SchedCore

private func fail(_ message: String) -> Never {
    // `fatalError`, not `preconditionFailure`: only it keeps its message in optimised builds.
    fatalError("control fuzz: \(message)")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let request = try? ControlProtocol.decodeRequest(bytes) {
        let line = request.json.serialized()
        guard !line.utf8.contains(UInt8(ascii: "\n")) else { fail("request printed with a newline: \(line)") }
        guard let again = try? ControlProtocol.decodeRequest(Array(line.utf8)), again == request else {
            fail("request \(request) printed as \(line) does not decode back")
        }
    }
    if let response = try? ControlProtocol.decodeResponse(bytes) {
        let line = response.json.serialized()
        guard !line.utf8.contains(UInt8(ascii: "\n")) else { fail("response printed with a newline: \(line)") }
        guard let again = try? ControlProtocol.decodeResponse(Array(line.utf8)), again == response else {
            fail("response printed as \(line) does not decode back")
        }
    }
    return 0
}
