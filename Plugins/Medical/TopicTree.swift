// The `topics` seed set: a topic tree written for Retort — eight specialties, three conditions
// each, three question types per condition — whose 72 leaves seed the curation strategy (the
// `patient-questions` template grounds its questions in each condition's key points). The key
// points are general, well-established patient information, written conservatively (no doses).
import RetortPluginSDK

struct Condition {
    let specialty: String
    let name: String
    let keyPoints: String
    let questionTypes: [QuestionType]
}

enum QuestionType: String, CaseIterable {
    case symptoms, causes, diagnosis, treatment, selfCare = "self-care", prevention, urgentCare = "urgent-care"

    /// What questions of this type ask, as the template's knowledge says it.
    var focus: String {
        switch self {
        case .symptoms: "signs and symptoms and how they feel"
        case .causes: "causes and risk factors"
        case .diagnosis: "how it is diagnosed and which tests are used"
        case .treatment: "treatment options in general terms, without medicine doses"
        case .selfCare: "self-care and daily life at home"
        case .prevention: "prevention and lowering the risk"
        case .urgentCare: "warning signs and when to seek urgent or emergency care"
        }
    }
}

struct TopicLeaf {
    let condition: Condition
    let type: QuestionType

    var id: String {
        "medical/\(slug(condition.specialty))/\(slug(condition.name))/\(type.rawValue)"
    }

    var json: JSONValue {
        ["id": .string(id), "specialty": .string(condition.specialty), "condition": .string(condition.name),
         "question_type": .string(type.rawValue),
         "topic": .string("\(condition.name) (\(condition.specialty.lowercased())): questions about \(type.focus)"),
         "knowledge": .string(condition.keyPoints)]
    }

    func slug(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }
}

enum TopicTree {
    static let leaves: [TopicLeaf] = conditions.flatMap { condition in condition.questionTypes.map { TopicLeaf(condition: condition, type: $0) } }
    static var specialties: [String] { conditions.map(\.specialty).reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }

    static let conditions: [Condition] = [
        Condition(specialty: "Cardiology", name: "high blood pressure",
                  keyPoints: "High blood pressure usually causes no symptoms, so regular checks matter. Less salt, regular activity, "
                      + "limiting alcohol, not smoking and a healthy weight lower it. Medicines are chosen and adjusted by a clinician.",
                  questionTypes: [.symptoms, .selfCare, .treatment]),
        Condition(specialty: "Cardiology", name: "heart attack",
                  keyPoints: "Warning signs include chest pain or pressure, pain spreading to the arm, jaw or back, shortness of "
                      + "breath, cold sweat and nausea; women and older people may have less typical signs. Call emergency services "
                      + "at once and do not drive yourself.",
                  questionTypes: [.symptoms, .urgentCare, .prevention]),
        Condition(specialty: "Cardiology", name: "atrial fibrillation",
                  keyPoints: "An irregular, often fast heartbeat that can cause palpitations, breathlessness and tiredness. It raises "
                      + "the risk of stroke; a doctor decides on rate or rhythm control and whether blood thinners are needed.",
                  questionTypes: [.symptoms, .diagnosis, .treatment]),
        Condition(specialty: "Endocrinology", name: "type 2 diabetes",
                  keyPoints: "The body does not use insulin well, so blood sugar rises. Thirst, passing urine often, tiredness and "
                      + "blurred vision are common signs. Diet, activity and medicines manage it; HbA1c blood tests and regular eye and "
                      + "foot checks are part of care.",
                  questionTypes: [.symptoms, .causes, .selfCare]),
        Condition(specialty: "Endocrinology", name: "an underactive thyroid",
                  keyPoints: "Hypothyroidism can cause tiredness, weight gain, feeling cold, constipation and dry skin. A blood test "
                      + "(TSH) finds it, and thyroid hormone replacement prescribed and monitored by a doctor treats it.",
                  questionTypes: [.symptoms, .diagnosis, .treatment]),
        Condition(specialty: "Endocrinology", name: "low blood sugar",
                  keyPoints: "Hypoglycemia mostly affects people who use insulin or some diabetes medicines: shakiness, sweating, "
                      + "hunger and confusion. Someone awake and able to swallow takes fast-acting sugar; a person who is unconscious "
                      + "needs emergency help.",
                  questionTypes: [.symptoms, .urgentCare, .prevention]),
        Condition(specialty: "Respiratory medicine", name: "asthma",
                  keyPoints: "Airways become inflamed and narrow: wheeze, cough, chest tightness and breathlessness. Triggers include "
                      + "allergens, smoke, cold air and exercise. Reliever and preventer inhalers and a written asthma action plan help; "
                      + "a severe attack (cannot speak in full sentences, blue lips) is an emergency.",
                  questionTypes: [.causes, .selfCare, .urgentCare]),
        Condition(specialty: "Respiratory medicine", name: "COPD",
                  keyPoints: "A long-term lung disease, mostly from smoking, with breathlessness and a lasting cough with phlegm. "
                      + "Stopping smoking matters most; inhalers, pulmonary rehabilitation and vaccinations help.",
                  questionTypes: [.causes, .treatment, .prevention]),
        Condition(specialty: "Respiratory medicine", name: "pneumonia",
                  keyPoints: "A lung infection with fever, cough, chest pain when breathing and breathlessness, caused by bacteria or "
                      + "viruses. It can be serious in babies and older adults; breathing difficulty or confusion needs urgent care.",
                  questionTypes: [.symptoms, .diagnosis, .urgentCare]),
        Condition(specialty: "Infectious diseases", name: "flu",
                  keyPoints: "Influenza starts suddenly with fever, aches, cough and tiredness and spreads through droplets. A yearly "
                      + "vaccine prevents many cases; rest and fluids help, and a doctor may offer antivirals to people at high risk.",
                  questionTypes: [.symptoms, .prevention, .selfCare]),
        Condition(specialty: "Infectious diseases", name: "urinary tract infection",
                  keyPoints: "Burning when passing urine, needing to go often and urgently, and cloudy urine are typical. A clinician "
                      + "usually treats it with antibiotics; fever, back pain or vomiting can mean a kidney infection that needs prompt care.",
                  questionTypes: [.symptoms, .treatment, .urgentCare]),
        Condition(specialty: "Infectious diseases", name: "food poisoning",
                  keyPoints: "Diarrhea, vomiting and cramps are common; the main danger is dehydration. Small, frequent sips of fluid "
                      + "or oral rehydration solution help, and hand washing prevents spread. Blood in the stool, signs of dehydration "
                      + "or illness in a baby or an older person need medical care.",
                  questionTypes: [.causes, .selfCare, .urgentCare]),
        Condition(specialty: "Mental health", name: "depression",
                  keyPoints: "Low mood or loss of interest for two weeks or more, with changes in sleep, appetite and energy. Talking "
                      + "therapies and medicines help. Anyone with thoughts of suicide should contact a crisis line or emergency "
                      + "services straight away.",
                  questionTypes: [.symptoms, .treatment, .urgentCare]),
        Condition(specialty: "Mental health", name: "anxiety",
                  keyPoints: "Worry that is hard to control, restlessness, tense muscles and poor sleep. Cognitive behavioural therapy, "
                      + "relaxation and exercise help; a professional can advise when it affects daily life.",
                  questionTypes: [.symptoms, .selfCare, .treatment]),
        Condition(specialty: "Mental health", name: "insomnia",
                  keyPoints: "Trouble falling or staying asleep. A regular schedule, less caffeine, no screens before bed and a dark, "
                      + "cool bedroom help; cognitive behavioural therapy for insomnia is the first treatment. See a doctor if it lasts.",
                  questionTypes: [.causes, .selfCare, .treatment]),
        Condition(specialty: "Gastroenterology", name: "acid reflux",
                  keyPoints: "Stomach acid flows back up, causing heartburn and regurgitation. Smaller, earlier meals, raising the "
                      + "head of the bed and avoiding trigger foods help. Trouble swallowing, weight loss or vomiting blood need a doctor.",
                  questionTypes: [.symptoms, .selfCare, .urgentCare]),
        Condition(specialty: "Gastroenterology", name: "irritable bowel syndrome",
                  keyPoints: "Belly pain with diarrhea, constipation or both, often linked to certain foods and stress. Diet changes "
                      + "with professional guidance help. Blood in the stool, weight loss or new symptoms after 50 need a doctor.",
                  questionTypes: [.symptoms, .causes, .diagnosis]),
        Condition(specialty: "Gastroenterology", name: "gallstones",
                  keyPoints: "Often silent; when they block a duct they cause pain in the upper right belly, sometimes after fatty "
                      + "meals. Yellow skin or eyes, fever or severe lasting pain need urgent care; surgery removes the gallbladder if needed.",
                  questionTypes: [.symptoms, .treatment, .urgentCare]),
        Condition(specialty: "Neurology", name: "migraine",
                  keyPoints: "A throbbing headache, often on one side, with nausea and sensitivity to light and sound; some people see "
                      + "an aura first. Sleep loss, stress and skipped meals can trigger it. A sudden, worst-ever headache is an emergency.",
                  questionTypes: [.symptoms, .causes, .urgentCare]),
        Condition(specialty: "Neurology", name: "stroke",
                  keyPoints: "Think FAST: face drooping, arm weakness, speech difficulty — time to call emergency services. Sudden "
                      + "vision loss, confusion or a severe headache are also warning signs; every minute counts.",
                  questionTypes: [.symptoms, .urgentCare, .prevention]),
        Condition(specialty: "Neurology", name: "epilepsy",
                  keyPoints: "Seizures come from sudden bursts of electrical activity in the brain. During one, keep the person safe, "
                      + "put nothing in their mouth, time it and turn them on their side afterwards; call emergency services if it "
                      + "lasts more than five minutes or is a first seizure.",
                  questionTypes: [.diagnosis, .selfCare, .urgentCare]),
        Condition(specialty: "Dermatology", name: "eczema",
                  keyPoints: "Dry, itchy, inflamed skin. Regular moisturizing and avoiding harsh soaps and triggers help; a clinician "
                      + "can prescribe creams. Oozing, crusting or fever can mean an infection that needs a doctor.",
                  questionTypes: [.causes, .selfCare, .treatment]),
        Condition(specialty: "Dermatology", name: "acne",
                  keyPoints: "Blocked pores and inflammation cause spots. Gentle washing and not picking help; pharmacy products can "
                      + "help mild acne, and a doctor or dermatologist treats severe or scarring acne.",
                  questionTypes: [.causes, .selfCare, .treatment]),
        Condition(specialty: "Dermatology", name: "skin cancer warning signs",
                  keyPoints: "Check moles with ABCDE: asymmetry, irregular border, uneven colour, diameter over 6 mm, evolving. Sun "
                      + "protection lowers the risk; a new or changing mole should be seen by a doctor promptly.",
                  questionTypes: [.symptoms, .prevention, .diagnosis]),
    ]
}
