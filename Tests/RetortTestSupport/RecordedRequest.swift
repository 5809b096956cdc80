// A request as a loopback server received it, for tests that check what a client sent.
import RetortJSON

public struct RecordedRequest: Sendable {
    public var method: String
    public var path: String
    /// Header names lowercased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var body: String
    /// Seconds since the server started.
    public var arrival: Double

    /// The body as JSON, nil when it is not JSON.
    public var json: JSONValue? { try? JSONValue(parsing: body) }
}
