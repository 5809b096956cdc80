// The content-addressed cache of teacher calls that the run store provides: key = SHA-256 of the
// teacher's identity and the request's canonical JSON. A call found here is never sent again.
public struct TeacherCallRecord: Sendable {
    public var key: String
    public var identity: TeacherIdentity
    public var request: TeacherRequest
    public var response: TeacherResponse
    /// Wall-clock seconds the call took, retries included.
    public var latency: Double
    /// In the recipe's currency (prices per million tokens); 0 when no prices are given.
    public var cost: Double

    public init(key: String, identity: TeacherIdentity, request: TeacherRequest, response: TeacherResponse,
                latency: Double, cost: Double) {
        self.key = key
        self.identity = identity
        self.request = request
        self.response = response
        self.latency = latency
        self.cost = cost
    }
}

public protocol TeacherCallCache: Sendable {
    func cachedResponse(key: String) throws -> TeacherResponse?
    func store(_ call: TeacherCallRecord) throws
}
