// The common shape of the quality filters: a text goes in, and it is kept or rejected with the
// check's name and a reason a person can read (stored as RejectedRecord.check / .reason).
import RetortJSON

/// What a quality check decided about one text.
public enum QualityVerdict: Sendable, Hashable {
    case keep
    /// `check` is the name stored in RejectedRecord.check ("length", "novelty", …); `reason` says why.
    case reject(check: String, reason: String)

    public var isKept: Bool { self == .keep }
}

/// A stateless check: the same text always gets the same verdict.
public protocol QualityCheck: Sendable {
    /// The name recorded with a rejection, e.g. "length".
    var name: String { get }
    func check(_ text: String) -> QualityVerdict
}

extension QualityCheck {
    /// Checks one part of a record payload; a payload without that part is rejected, naming what
    /// was missing, because a filter that cannot see its text must not wave the record through.
    public func check(payload: JSONValue, part: PayloadPart) -> QualityVerdict {
        guard let text = part.text(in: payload) else {
            return .reject(check: name, reason: "the payload has no \(part.description) to check")
        }
        return check(text)
    }
}

/// Runs checks in order and stops at the first rejection, so the cheap ones can go first.
public struct QualityChecks: QualityCheck {
    public let checks: [any QualityCheck]

    public init(_ checks: [any QualityCheck]) { self.checks = checks }

    public var name: String { checks.map(\.name).joined(separator: "+") }

    public func check(_ text: String) -> QualityVerdict {
        for check in checks {
            let verdict = check.check(text)
            if !verdict.isKept { return verdict }
        }
        return .keep
    }
}
