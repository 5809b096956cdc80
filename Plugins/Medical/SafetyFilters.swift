// The medical safety filters. Each reads the record's "response" (else "answer" + "guidance")
// and, where it matters, the "instruction", and rejects with a reason that names what was found:
//
//   dosing-context         a medicine dose ("400 mg", "2 tablets") without saying whom it is for
//                          and without pointing to a doctor, pharmacist or the label
//   emergency-signposting  a red-flag situation (chest pain, stroke signs, suicidal thoughts, …)
//                          in the question or answer, without telling the reader to call
//                          emergency services or seek urgent care
//   professional-guidance  no "consult a professional" guidance at all
//   no-false-reassurance   an answer that rules out care or claims a certain diagnosis
//
// The word lists are deliberately plain and conservative: a filter that over-rejects costs one
// record, one that under-rejects teaches a student unsafe advice.
import RetortPluginSDK

enum ProfessionalGuidance {
    static let professionals = [
        "doctor*", "physician*", "nurse*", "pharmacist*", "clinician*", "gp", "general practitioner", "healthcare provider*",
        "health care provider*", "healthcare professional*", "health care professional*", "health professional*",
        "medical professional*", "specialist*", "dermatologist*", "cardiologist*", "psychiatrist*", "psychologist*",
        "therapist*", "midwife", "dentist*", "emergency services", "emergency department", "emergency room", "urgent care",
        "911", "112", "999", "poison control", "crisis line", "hotline", "medical help", "medical advice", "medical attention",
        "medical care",
    ]

    static func mentionsProfessional(_ text: String) -> Bool {
        MedicalText.firstPhrase(professionals, in: MedicalText.searchable(text)) != nil
    }
}

/// What the filters read from a record.
struct MedicalRecord {
    let question: String
    let answer: String

    init?(_ record: JSONValue) {
        let response = record["response"]?.stringValue
            ?? [record["answer"]?.stringValue, record["rationale"]?.stringValue, record["guidance"]?.stringValue]
            .compactMap { $0 }.joined(separator: "\n")
        guard !MedicalText.trimmed(response).isEmpty else { return nil }
        question = record["instruction"]?.stringValue ?? ""
        answer = response
    }

    static let missing = Verdict.reject("the record has no \"response\" (nor \"answer\") text to check", score: 0)
}

enum DosingFilter {
    /// A number (or range) followed by a medicine dose unit.
    static var dose: Regex<Substring> { /(?i)\b\d+(?:[.,]\d+)?(?:\s*(?:-|–|to)\s*\d+(?:[.,]\d+)?)?\s*(?:mg|mcg|µg|μg|micrograms?|milligrams?|iu|international units|units?|tablets?|tabs|pills?|capsules?|caps|puffs?|drops|sachets?)\b/ }
    /// Whom the dose is for.
    static let population = [
        "adult*", "child*", "kids", "infant*", "baby", "babies", "teen*", "adolescent*", "age", "aged", "ages", "years old",
        "year old", "weigh*", "body weight", "per kg", "kg", "kilogram*", "kidney*", "renal", "liver", "hepatic", "pregnan*", "breastfeed*",
        "elderly", "older people", "older adults", "over 65", "under 12",
    ]
    /// Who or what confirms it.
    static let confirmation = [
        "doctor*", "physician*", "pharmacist*", "prescriber*", "clinician*", "healthcare provider*", "health care provider*",
        "healthcare professional*", "label", "leaflet", "package insert", "packaging", "as prescribed", "as directed",
        "prescribed by", "prescription",
    ]

    static func judge(_ record: JSONValue) -> Verdict {
        guard let text = MedicalRecord(record) else { return MedicalRecord.missing }
        guard let match = text.answer.firstMatch(of: dose) else { return .keep(score: 1) }
        let searchable = MedicalText.searchable(text.answer)
        var missing: [String] = []
        if MedicalText.firstPhrase(population, in: searchable) == nil {
            missing.append("whom it is for (age, weight, kidney or liver function, pregnancy)")
        }
        if MedicalText.firstPhrase(confirmation, in: searchable) == nil {
            missing.append("to confirm it with a doctor, a pharmacist or the label")
        }
        guard missing.isEmpty else {
            return .reject("states a dose (\"\(MedicalText.collapsedWhitespace(String(match.output)))\") without saying "
                + missing.joined(separator: " or "), score: 0)
        }
        return .keep(score: 1)
    }
}

enum EmergencyFilter {
    /// Red flags: (what the reason calls it, phrases).
    static let redFlags: [(String, [String])] = [
        ("chest pain", ["chest pain*", "chest pressure", "chest tightness", "tight chest", "crushing pain", "heart attack"]),
        ("breathing difficulty", ["can t breathe", "cannot breathe", "difficulty breathing", "trouble breathing", "struggling to breathe",
                                  "short of breath", "shortness of breath", "blue lips", "choking"]),
        ("stroke signs", ["stroke*", "droop*", "slurred", "slurring", "one side of the body", "one sided weakness"]),
        ("severe bleeding", ["severe bleeding", "heavy bleeding", "bleeding that won t stop", "bleeding won t stop", "coughing up blood",
                             "vomiting blood", "blood in vomit"]),
        ("suicidal thoughts", ["suicid*", "kill myself", "end my life", "ending my life", "take my own life", "self harm",
                               "hurt myself", "want to die"]),
        ("a severe allergic reaction", ["anaphyla*", "throat swelling", "throat is swelling", "swollen throat", "swelling of the throat",
                                        "throat is closing", "tongue swelling", "swollen tongue", "severe allergic reaction"]),
        ("loss of consciousness", ["unconscious", "unresponsive", "passed out", "won t wake up", "not waking up"]),
        ("a seizure", ["seizure*", "convulsion*", "fitting"]),
        ("poisoning or an overdose", ["overdos*", "poison*", "swallowed", "bleach", "took too many"]),
        ("a sudden severe headache", ["worst headache", "sudden severe headache", "thunderclap headache"]),
    ]

    static let signposts = [
        "911", "112", "999", "000", "emergency services", "emergency number", "an ambulance", "ambulance", "emergency department",
        "emergency room", "er", "a e", "accident and emergency", "urgent care", "immediate medical", "immediate help",
        "urgent medical", "emergency medical", "emergency care", "emergency help", "seek help immediately", "get help immediately",
        "call for help", "go to the hospital", "go to hospital", "nearest hospital", "crisis line", "crisis hotline", "988",
        "samaritans", "suicide prevention", "lifeline", "poison control", "poison centre", "poison center", "call emergency",
    ]

    static func judge(_ record: JSONValue) -> Verdict {
        guard let text = MedicalRecord(record) else { return MedicalRecord.missing }
        let situation = MedicalText.searchable(text.question + "\n" + text.answer)
        guard let flag = redFlags.first(where: { MedicalText.firstPhrase($0.1, in: situation) != nil }) else { return .keep(score: 1) }
        if MedicalText.firstPhrase(signposts, in: MedicalText.searchable(text.answer)) != nil { return .keep(score: 1) }
        return .reject("the exchange mentions \(flag.0) but the answer does not tell the reader to call emergency services or seek "
            + "urgent care", score: 0)
    }
}

enum ProfessionalGuidanceFilter {
    static func judge(_ record: JSONValue) -> Verdict {
        guard let text = MedicalRecord(record) else { return MedicalRecord.missing }
        return ProfessionalGuidance.mentionsProfessional(text.answer)
            ? .keep(score: 1)
            : .reject("no \"consult a professional\" guidance: the answer never mentions a doctor, nurse, pharmacist or emergency "
                + "services", score: 0)
    }
}

enum FalseReassuranceFilter {
    static let phrases = [
        "no need to see a doctor", "no need to see your doctor", "don t need to see a doctor", "do not need to see a doctor",
        "don t need a doctor", "do not need a doctor", "never need to see a doctor", "you definitely have", "you certainly have",
        "you clearly have", "this is definitely", "it is definitely not serious", "it s definitely not serious",
        "nothing serious for sure", "you don t need treatment", "ignore your doctor", "instead of seeing a doctor",
        "stop taking your medication", "stop your medication",
    ]

    static func judge(_ record: JSONValue) -> Verdict {
        guard let text = MedicalRecord(record) else { return MedicalRecord.missing }
        guard let phrase = MedicalText.firstPhrase(phrases, in: MedicalText.searchable(text.answer)) else { return .keep(score: 1) }
        return .reject("the answer says \"\(phrase)\": it rules out professional care or claims a certain diagnosis", score: 0)
    }
}
