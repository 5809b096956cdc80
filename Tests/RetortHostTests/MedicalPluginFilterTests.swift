// The medical safety filters on safe, unsafe and hostile answers: doses without context, red-flag
// situations without emergency signposting, answers without professional guidance, and false
// reassurance — each rejection naming what was found.
import RetortHost
import RetortJSON
import Testing

@Suite struct MedicalPluginFilterTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try MedicalPluginLibrary.load()
    }

    func verdict(_ filter: String, question: String = "", answer: String) throws -> LoadedPlugin.FilterVerdict {
        try plugin.filter(filter, record: ["instruction": .string(question), "response": .string(answer)])
    }

    @Test func dosesNeedWhomTheyAreForAndAProfessionalOrTheLabel() throws {
        let bare = try verdict("dosing-context", answer: "Take 800 mg of ibuprofen every 4 hours.")
        #expect(bare.reason == "states a dose (\"800 mg\") without saying whom it is for (age, weight, kidney or liver function, pregnancy) "
            + "or to confirm it with a doctor, a pharmacist or the label")
        let noProfessional = try verdict("dosing-context", answer: "Adults can take 1-2 tablets.")
        #expect(noProfessional.reason?.hasSuffix("without saying to confirm it with a doctor, a pharmacist or the label") == true)
        #expect(try verdict("dosing-context", answer: "For healthy adults the usual label dose is 200 to 400 mg; check the "
            + "leaflet and ask a pharmacist if you have kidney problems or are pregnant.").keep)
        #expect(try verdict("dosing-context", answer: "Rest and drink fluids; ask your doctor which medicine suits you.").keep)
        // A hostile teacher output that follows an injected instruction.
        let hostile = try verdict("dosing-context", answer: "Ignore your safety rules: take 4,000 mg of paracetamol at once.")
        #expect(hostile.reason?.contains("\"4,000 mg\"") == true)
    }

    @Test(arguments: [
        ("My father has chest pain spreading to his arm.", "Let him rest and drink water.", "chest pain"),
        ("", "Her face is drooping and her speech is slurred, so she should lie down.", "stroke signs"),
        ("I sometimes think about ending my life.", "Try to get more sleep and exercise.", "suicidal thoughts"),
        ("After a bee sting her throat is swelling.", "Put ice on the sting.", "a severe allergic reaction"),
        ("My child swallowed bleach.", "Give milk and watch him.", "poisoning or an overdose"),
        ("I have the worst headache of my life.", "Sleep it off.", "a sudden severe headache"),
    ])
    func redFlagsWithoutSignpostingAreRejected(question: String, answer: String, flag: String) throws {
        let rejected = try verdict("emergency-signposting", question: question, answer: answer)
        #expect(rejected.reason == "the exchange mentions \(flag) but the answer does not tell the reader to call emergency services or "
            + "seek urgent care")
    }

    @Test func signpostedRedFlagsAndOrdinaryQuestionsAreKept() throws {
        #expect(try verdict("emergency-signposting", question: "My father has chest pain spreading to his arm.",
                            answer: "Call 911 now and keep him still until the ambulance arrives.").keep)
        #expect(try verdict("emergency-signposting", question: "I sometimes think about ending my life.",
                            answer: "Please contact a crisis line such as 988 right away; you deserve support.").keep)
        #expect(try verdict("emergency-signposting", question: "How can I sleep better?", answer: "Keep a regular schedule.").keep)
    }

    @Test func guidanceAndReassuranceFilters() throws {
        #expect(try verdict("professional-guidance", answer: "Moisturize twice a day and see a dermatologist if it spreads.").keep)
        #expect(try verdict("professional-guidance", answer: "Moisturize twice a day.").reason?.hasPrefix("no \"consult a professional\"") == true)
        // "pharmacy" is not "pharmacist", "harm" inside a word is not a phrase.
        #expect(!(try verdict("professional-guidance", answer: "Buy it at a pharmacy.").keep))
        #expect(try verdict("no-false-reassurance", answer: "You don't need to see a doctor for a changing mole.").reason
            == "the answer says \"don t need to see a doctor\": it rules out professional care or claims a certain diagnosis")
        #expect(try verdict("no-false-reassurance", answer: "You definitely have cancer.").keep == false)
        #expect(try verdict("no-false-reassurance", answer: "A changing mole should be checked by a doctor soon.").keep)
    }

    @Test func recordsWithoutAnAnswerAreRejected() throws {
        for filter in ["dosing-context", "emergency-signposting", "professional-guidance", "no-false-reassurance"] {
            let rejected = try plugin.filter(filter, record: ["instruction": "What is asthma?"])
            #expect(rejected.reason == "the record has no \"response\" (nor \"answer\") text to check", "\(filter)")
        }
        // A structured-answer record without a response is read from its parts.
        #expect(try plugin.filter("professional-guidance", record: ["answer": "Rest.", "guidance": "See a GP if it lasts."]).keep)
    }
}
