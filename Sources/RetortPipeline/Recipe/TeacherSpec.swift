// The recipe's `teacher` block: which backend answers, where, with which key variable, limits
// and prices. Swapping the teacher is editing this block and nothing else.
import RetortTeachers

public struct TeacherSpec: Sendable, Hashable {
    public enum Backend: String, Sendable, CaseIterable { case local, openai, anthropic }

    public var backend: Backend
    /// A model alias or .gguf path (local), or the server's model name.
    public var model: String
    public var baseURL: String?
    /// The environment variable holding the API key (never the key itself).
    public var apiKeyEnv: String?
    public var concurrency: Int = 8
    public var requestsPerMinute: Double?
    public var tokensPerMinute: Double?
    public var maxAttempts: Int = 6
    public var timeoutSeconds: Double = 120
    public var inputPricePerMillion: Double = 0
    public var outputPricePerMillion: Double = 0
    /// Overrides what the backend is assumed to give (HTTP backends cannot be asked).
    public var maxTopLogprobs: Int?
    public var vision: Bool?

    public init(backend: Backend, model: String) {
        self.backend = backend
        self.model = model
    }

    static let fields: Set<String> = [
        "backend", "model", "base_url", "api_key_env", "concurrency", "requests_per_minute", "tokens_per_minute",
        "max_attempts", "timeout_seconds", "prices", "max_top_logprobs", "vision",
    ]

    static func decode(_ node: RecipeNode) throws(RecipeError) -> TeacherSpec {
        let fields = try node.mapping(allowed: Self.fields)
        let backend = Backend(rawValue: try fields.choice("backend", Backend.allCases.map(\.rawValue), default: "local"))!
        var spec = TeacherSpec(backend: backend, model: try fields.string("model"))
        spec.baseURL = try fields.optionalString("base_url")
        spec.apiKeyEnv = try fields.optionalString("api_key_env")
        if let name = spec.apiKeyEnv, name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw fields["api_key_env"]!.error("must name an environment variable (letters, digits, _), not hold a key")
        }
        spec.concurrency = try fields.int("concurrency", default: backend == .local ? 1 : 8, in: 1...1024)
        spec.requestsPerMinute = try fields.optionalDouble("requests_per_minute")
        spec.tokensPerMinute = try fields.optionalDouble("tokens_per_minute")
        spec.maxAttempts = try fields.int("max_attempts", default: 6, in: 1...50)
        spec.timeoutSeconds = try fields.double("timeout_seconds", default: 120, in: 0.01...86_400)
        if let prices = fields["prices"] {
            let p = try prices.mapping(allowed: ["input_per_million", "output_per_million"])
            spec.inputPricePerMillion = try p.double("input_per_million", default: 0, in: 0...1e6)
            spec.outputPricePerMillion = try p.double("output_per_million", default: 0, in: 0...1e6)
        }
        spec.maxTopLogprobs = try fields["max_top_logprobs"].map { node throws(RecipeError) in
            let v = try node.int()
            guard (0...20).contains(v) else { throw node.error("must be in 0…20, got \(v)") }
            return v
        }
        spec.vision = try fields.optionalBool("vision")
        switch backend {
        case .local:
            if spec.baseURL != nil { throw fields["base_url"]!.error("a local teacher runs in-process; remove base_url or use backend: openai") }
        case .openai:
            guard spec.baseURL != nil else { throw fields.owner.error("backend openai needs `base_url` (e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1)") }
        case .anthropic:
            if spec.apiKeyEnv == nil { throw fields.owner.error("backend anthropic needs `api_key_env` (e.g. ANTHROPIC_API_KEY)") }
        }
        return spec
    }
}
