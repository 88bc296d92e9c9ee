import Catena
import Foundation
import Hummingbird
import NIOCore

/// A JSON response body, from Catena's `JSONValue`, from an `Encodable` value or as JSON text already written.
struct JSONResponse: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    let bytes: [UInt8]

    init(_ value: JSONValue, status: HTTPResponse.Status = .ok) {
        self.status = status
        bytes = value.serializedBytes
    }

    /// JSON text as it is (an upstream's answer passed back).
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    init(encoding value: some Encodable) throws {
        bytes = try JSONValue(encoding: value).serializedBytes
    }

    var response: Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func response(from request: Request, context: some RequestContext) -> Response { response }
}

extension GatewayError: HTTPResponseError {
    func response(from request: Request, context: some RequestContext) -> Response { response(body) }

    /// `body` (one of its shapes) with its status, and `Retry-After` when it says when to try again.
    func response(_ body: JSONValue) -> Response {
        var response = JSONResponse(body, status: status).response
        if let retryAfter { response.headers[.retryAfter] = String(max(1, retryAfter)) }
        return response
    }
}
