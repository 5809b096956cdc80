// Multiple-choice exam items written for this project, one correct letter each, on general
// principles of the common law and well-known United States and English authorities.
struct ExamItem: Sendable {
    var id: String
    var area: String
    var question: String
    var options: [String]
    /// "A"–"D"
    var answer: String

    /// The question with its lettered options, as the `choose` template shows it.
    var prompt: String {
        ([question] + options.enumerated().map { "\(["A", "B", "C", "D"][$0.offset]). \($0.element)" }).joined(separator: "\n")
    }
}

extension ExamItem {
    static let shipped: [ExamItem] = [
        ExamItem(id: "mc-contract-writing", area: "contract", question: "Which of these is NOT required to form a valid contract at common law?",
                 options: ["An offer", "An acceptance", "Consideration", "A signed written document"], answer: "D"),
        ExamItem(id: "mc-advert", area: "contract", question: "A price advertisement in a newspaper is usually treated as:",
                 options: ["an offer", "an invitation to treat", "a binding contract", "a counter-offer"], answer: "B"),
        ExamItem(id: "mc-postal", area: "contract", question: "Under the postal (mailbox) rule, an acceptance sent by post is generally effective when it is:",
                 options: ["received", "read", "posted", "answered"], answer: "C"),
        ExamItem(id: "mc-counter-offer", area: "contract", question: "A reply to an offer that changes its terms is generally:",
                 options: ["an acceptance", "a counter-offer that rejects the original offer", "consideration", "a unilateral contract"], answer: "B"),
        ExamItem(id: "mc-remoteness", area: "contract", question: "Hadley v Baxendale limits damages for breach of contract to losses that:",
                 options: ["the claimant actually suffered, whatever they were", "arise naturally or were in the contemplation of both parties", "exceed a fixed minimum amount", "were caused deliberately"], answer: "B"),
        ExamItem(id: "mc-consideration", area: "contract", question: "At common law, consideration must be:",
                 options: ["adequate", "sufficient, but need not be adequate", "paid in money", "given after the promise"], answer: "B"),
        ExamItem(id: "mc-estoppel", area: "contract", question: "Promissory estoppel in English law is associated with:",
                 options: ["Central London Property Trust v High Trees House", "R v Brown", "Entores v Miles Far East", "Bolam v Friern Hospital Management Committee"], answer: "A"),
        ExamItem(id: "mc-neighbour", area: "tort", question: "The neighbour principle of the modern law of negligence comes from:",
                 options: ["Donoghue v Stevenson", "Rylands v Fletcher", "Carlill v Carbolic Smoke Ball Co", "Marbury v Madison"], answer: "A"),
        ExamItem(id: "mc-negligence-elements", area: "tort", question: "Besides a duty of care, breach and causation, a negligence claim generally requires:",
                 options: ["intent to harm", "damage", "a written contract", "a criminal conviction"], answer: "B"),
        ExamItem(id: "mc-rylands", area: "tort", question: "Strict liability for the escape of dangerous things brought onto land is associated with:",
                 options: ["Caparo v Dickman", "Rylands v Fletcher", "Miranda v Arizona", "Hedley Byrne v Heller"], answer: "B"),
        ExamItem(id: "mc-bolam", area: "tort", question: "The Bolam test concerns the standard of care expected of:",
                 options: ["landlords", "professionals such as doctors", "children", "manufacturers"], answer: "B"),
        ExamItem(id: "mc-mens-rea", area: "criminal", question: "Most serious crimes require a guilty act together with:",
                 options: ["a guilty mind (mens rea)", "a complaint by the victim", "a confession", "an eyewitness"], answer: "A"),
        ExamItem(id: "mc-miranda", area: "criminal-procedure", question: "Miranda v. Arizona requires police, before questioning a suspect in custody, to warn of:",
                 options: ["the maximum sentence", "the right to remain silent and to a lawyer", "the names of the witnesses", "the right to a speedy trial"], answer: "B"),
        ExamItem(id: "mc-marbury", area: "constitutional", question: "Marbury v. Madison is best known for establishing:",
                 options: ["judicial review of legislation", "the right to counsel", "the exclusionary rule", "the separate but equal doctrine"], answer: "A"),
        ExamItem(id: "mc-brown", area: "constitutional", question: "Brown v. Board of Education held that racial segregation in public schools:",
                 options: ["was lawful if the facilities were equal", "violated the Equal Protection Clause", "was for the states alone to decide", "violated the First Amendment"], answer: "B"),
        ExamItem(id: "mc-diversity", area: "civil-procedure", question: "Federal diversity jurisdiction under 28 U.S.C. § 1332 requires complete diversity and an amount in controversy exceeding:",
                 options: ["$10,000", "$50,000", "$75,000", "$1,000,000"], answer: "C"),
        ExamItem(id: "mc-hearsay", area: "evidence", question: "Hearsay is:",
                 options: ["any testimony given by a witness in court", "an out-of-court statement offered to prove the truth of what it asserts", "a written contract", "the opinion of an expert"], answer: "B"),
        ExamItem(id: "mc-survivorship", area: "property", question: "The right of a joint tenant to take a deceased co-owner's share is called:",
                 options: ["an easement", "survivorship", "adverse possession", "escheat"], answer: "B"),
        ExamItem(id: "mc-adverse-possession", area: "property", question: "Acquiring title to land by open, continuous and hostile possession for the statutory period is called:",
                 options: ["adverse possession", "eminent domain", "a licence", "estoppel"], answer: "A"),
        ExamItem(id: "mc-copyright", area: "ip", question: "Copyright protects:",
                 options: ["ideas", "original expression fixed in a tangible medium", "inventions", "brand names"], answer: "B"),
        ExamItem(id: "mc-fair-use", area: "ip", question: "Which is NOT one of the four fair use factors of 17 U.S.C. § 107?",
                 options: ["the purpose and character of the use", "the nature of the copyrighted work", "the fame of the author", "the effect on the market for the work"], answer: "C"),
        ExamItem(id: "mc-title-vii", area: "employment", question: "Title VII of the Civil Rights Act of 1964 forbids employment discrimination because of race, colour, religion, sex and:",
                 options: ["national origin", "age", "disability", "political opinion"], answer: "A"),
    ]
}
