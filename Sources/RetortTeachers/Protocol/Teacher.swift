// The teacher p_T of Eq. 1: one protocol for a model run in-process, any OpenAI-compatible server,
// and the Anthropic Messages API. Swapping teachers is swapping the value behind this protocol.

/// Who answers: the part of a teacher that, with the request, keys the run store's call cache.
public struct TeacherIdentity: Sendable, Hashable {
    /// "local", "openai" or "anthropic".
    public var backend: String
    public var model: String
    /// The server's base URL for HTTP backends; nil in-process.
    public var endpoint: String?

    public init(backend: String, model: String, endpoint: String? = nil) {
        self.backend = backend
        self.model = model
        self.endpoint = endpoint
    }

    public var description: String { endpoint.map { "\(backend):\(model)@\($0)" } ?? "\(backend):\(model)" }
}

/// What a backend can give beyond text.
public struct TeacherCapabilities: Sendable, Hashable {
    /// Full next-token distributions on given sequences (white-box).
    public var fullDistributions: Bool
    /// Hidden states of chosen layers on given sequences (white-box).
    public var hiddenStates: Bool
    /// The largest `topLogprobs` the backend returns (0: none).
    public var maxTopLogprobs: Int
    public var vision: Bool
    /// Prompt plus completion tokens the model accepts.
    public var maxContext: Int

    public init(fullDistributions: Bool, hiddenStates: Bool, maxTopLogprobs: Int, vision: Bool, maxContext: Int) {
        self.fullDistributions = fullDistributions
        self.hiddenStates = hiddenStates
        self.maxTopLogprobs = maxTopLogprobs
        self.vision = vision
        self.maxContext = maxContext
    }
}

public protocol Teacher: Sendable {
    var identity: TeacherIdentity { get }
    var capabilities: TeacherCapabilities { get }
    /// One chat completion (with `request.n` choices). Throws TeacherError.
    func complete(_ request: TeacherRequest) async throws -> TeacherResponse
}
