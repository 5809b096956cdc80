// The `exam` seed set: multiple-choice items in the style of medical licensing exams, written for
// Retort on well-established facts of general medicine and first aid, for the mcq-accuracy
// evaluator and self-knowledge checks. Each item's `instruction` is the question with its options;
// `answer` is the letter. Correct letters are spread over A–D. Ids are stable: add at the end.
import RetortPluginSDK

struct ExamItem {
    let id: String
    let specialty: String
    let question: String
    let options: [String]
    let answer: String
    let explanation: String

    var instruction: String {
        ([question] + zip("ABCD", options).map { "\($0.0)) \($0.1)" }).joined(separator: "\n")
    }

    var json: JSONValue {
        ["id": .string(id), "specialty": .string(specialty), "instruction": .string(instruction),
         "options": .array(options.map { .string($0) }), "answer": .string(answer), "explanation": .string(explanation)]
    }
}

enum ExamItems {
    static let all: [ExamItem] = [
        ExamItem(id: "exam-001", specialty: "Nutrition", question: "A deficiency of which vitamin causes scurvy?",
                 options: ["Vitamin A", "Vitamin C", "Vitamin D", "Vitamin K"], answer: "B",
                 explanation: "Vitamin C is needed to make collagen; without it gums bleed and wounds heal poorly."),
        ExamItem(id: "exam-002", specialty: "Neurology", question: "In the FAST check for stroke, what does the letter F stand for?",
                 options: ["Fever", "Fatigue", "Face drooping", "Fainting"], answer: "C",
                 explanation: "FAST: Face drooping, Arm weakness, Speech difficulty, Time to call emergency services."),
        ExamItem(id: "exam-003", specialty: "Cardiology", question: "What is the usual resting heart rate range of a healthy adult?",
                 options: ["60 to 100 beats per minute", "20 to 40 beats per minute", "120 to 160 beats per minute",
                           "180 to 220 beats per minute"], answer: "A",
                 explanation: "A resting rate between 60 and 100 beats per minute is considered normal for adults."),
        ExamItem(id: "exam-004", specialty: "Endocrinology", question: "Which organ makes insulin?",
                 options: ["The liver", "The kidneys", "The spleen", "The pancreas"], answer: "D",
                 explanation: "Beta cells in the islets of the pancreas make insulin."),
        ExamItem(id: "exam-005", specialty: "First aid", question: "Someone near you is having a seizure. What should you do?",
                 options: ["Put something in their mouth", "Move hard objects away and protect their head", "Hold their arms and legs down",
                           "Give them water to drink"], answer: "B",
                 explanation: "Keep the person safe and time the seizure; never put anything in their mouth or restrain them."),
        ExamItem(id: "exam-006", specialty: "Endocrinology",
                 question: "Which blood test shows the average blood sugar level over about the past three months?",
                 options: ["HbA1c", "TSH", "Troponin", "Creatinine"], answer: "A",
                 explanation: "HbA1c reflects glucose attached to haemoglobin over the red cells' lifespan of about three months."),
        ExamItem(id: "exam-007", specialty: "Endocrinology", question: "In hypothyroidism, which hormone is too low?",
                 options: ["Cortisol", "Adrenaline", "Thyroid hormone", "Insulin"], answer: "C",
                 explanation: "An underactive thyroid makes too little thyroid hormone (thyroxine)."),
        ExamItem(id: "exam-008", specialty: "Respiratory medicine", question: "Which step does the most to slow the progress of COPD in a smoker?",
                 options: ["Taking vitamin C", "Drinking more coffee", "Avoiding all exercise", "Stopping smoking"], answer: "D",
                 explanation: "Stopping smoking is the only measure shown to slow the decline in lung function."),
        ExamItem(id: "exam-009", specialty: "Infectious diseases", question: "Antibiotics are used to treat infections caused by which of these?",
                 options: ["Viruses", "Bacteria", "Both viruses and bacteria", "Neither"], answer: "B",
                 explanation: "Antibiotics act on bacteria; they do not work against viruses such as colds and flu."),
        ExamItem(id: "exam-010", specialty: "Cardiology",
                 question: "A man has crushing chest pain spreading to his left arm and is sweating. What is the right first step?",
                 options: ["Call emergency services", "Wait an hour to see if it passes", "Drive himself to a pharmacy", "Lie down and sleep"],
                 answer: "A", explanation: "These are warning signs of a heart attack: call emergency services at once."),
        ExamItem(id: "exam-011", specialty: "Haematology", question: "Red cells of which blood type can be given to people of any blood type?",
                 options: ["AB positive", "A positive", "O negative", "B negative"], answer: "C",
                 explanation: "O negative red cells carry no A, B or RhD antigens, so they are the universal donor type."),
        ExamItem(id: "exam-012", specialty: "Gastroenterology", question: "What is the main danger of severe diarrhea and vomiting?",
                 options: ["Weight gain", "Dehydration", "High blood sugar", "Hair loss"], answer: "B",
                 explanation: "Losing fluid and salts faster than they are replaced leads to dehydration."),
        ExamItem(id: "exam-013", specialty: "Gastroenterology", question: "What is the usual first treatment for mild dehydration from diarrhea?",
                 options: ["Strong coffee", "Fasting", "Alcohol", "Oral rehydration solution"], answer: "D",
                 explanation: "Oral rehydration solution replaces water, sugar and salts in the right balance."),
        ExamItem(id: "exam-014", specialty: "Dermatology", question: "In the ABCDE check of a mole, what does E stand for?",
                 options: ["Evolving", "Elevated", "Easy to see", "Eczema"], answer: "A",
                 explanation: "E is for evolving: a mole that changes in size, shape or colour should be checked by a doctor."),
        ExamItem(id: "exam-015", specialty: "Physiology", question: "Which gas does haemoglobin in red blood cells mainly carry?",
                 options: ["Nitrogen", "Helium", "Oxygen", "Argon"], answer: "C",
                 explanation: "Haemoglobin binds oxygen in the lungs and releases it in the tissues."),
        ExamItem(id: "exam-016", specialty: "Infectious diseases", question: "For how long should you wash your hands with soap and water?",
                 options: ["About 2 seconds", "At least 20 seconds", "Exactly 5 minutes", "Only until they are wet"], answer: "B",
                 explanation: "Scrubbing for at least 20 seconds removes far more germs than a quick rinse."),
        ExamItem(id: "exam-017", specialty: "Physiology", question: "What is the typical normal body temperature of an adult?",
                 options: ["About 32 °C", "About 35 °C", "About 40 °C", "About 37 °C"], answer: "D",
                 explanation: "Normal body temperature is about 37 °C (98.6 °F), varying a little through the day."),
        ExamItem(id: "exam-018", specialty: "Infectious diseases", question: "How often is the flu vaccine recommended for most adults?",
                 options: ["Every year", "Once in a lifetime", "Every ten years", "Only after the age of 80"], answer: "A",
                 explanation: "Flu viruses change and protection fades, so the vaccine is updated and given every year."),
        ExamItem(id: "exam-019", specialty: "Cardiology", question: "Which change helps lower high blood pressure?",
                 options: ["Eating more salt", "Sleeping less", "Eating less salt", "Starting to smoke"], answer: "C",
                 explanation: "Cutting down on salt lowers blood pressure, as do activity, less alcohol and a healthy weight."),
        ExamItem(id: "exam-020", specialty: "Respiratory medicine", question: "Which of these commonly triggers asthma symptoms?",
                 options: ["Drinking water", "Cigarette smoke", "Reading", "Sitting down"], answer: "B",
                 explanation: "Smoke, allergens, cold air and exercise are common asthma triggers."),
        ExamItem(id: "exam-021", specialty: "Endocrinology",
                 question: "A person with diabetes is shaky and sweaty from low blood sugar but awake and able to swallow. What should they take first?",
                 options: ["A fast-acting sugar such as juice or glucose tablets", "A large glass of water", "A high-fat meal", "Nothing"],
                 answer: "A", explanation: "Fast-acting sugar raises blood sugar quickly; a person who cannot swallow needs emergency help."),
        ExamItem(id: "exam-022", specialty: "Ophthalmology", question: "Which part of the body does conjunctivitis affect?",
                 options: ["The ear", "The skin of the hands", "The knee", "The eye"], answer: "D",
                 explanation: "Conjunctivitis is inflammation of the conjunctiva, the thin layer over the white of the eye."),
        ExamItem(id: "exam-023", specialty: "Dermatology", question: "What is the largest organ of the human body?",
                 options: ["The liver", "The skin", "The brain", "The lungs"], answer: "B",
                 explanation: "The skin is the largest organ by surface area and weight."),
        ExamItem(id: "exam-024", specialty: "First aid", question: "In adult CPR, about how fast should chest compressions be given?",
                 options: ["20 to 30 per minute", "40 to 60 per minute", "100 to 120 per minute", "200 to 220 per minute"], answer: "C",
                 explanation: "Guidelines recommend compressions at 100 to 120 per minute."),
        ExamItem(id: "exam-025", specialty: "Nutrition", question: "Which vitamin does the skin make when exposed to sunlight?",
                 options: ["Vitamin D", "Vitamin B12", "Vitamin C", "Vitamin E"], answer: "A",
                 explanation: "Ultraviolet B light lets the skin make vitamin D."),
        ExamItem(id: "exam-026", specialty: "Respiratory medicine",
                 question: "Which condition causes wheezing from airway narrowing that usually reverses with a reliever inhaler?",
                 options: ["Pneumonia", "Tuberculosis", "Lung cancer", "Asthma"], answer: "D",
                 explanation: "Reversible airway narrowing is the hallmark of asthma."),
        ExamItem(id: "exam-027", specialty: "Cardiology", question: "What does a sphygmomanometer measure?",
                 options: ["Blood sugar", "Blood pressure", "Body temperature", "Lung capacity"], answer: "B",
                 explanation: "A sphygmomanometer is the cuff device used to measure blood pressure."),
        ExamItem(id: "exam-028", specialty: "General medicine", question: "What does BMI stand for?",
                 options: ["Blood mineral index", "Basic metabolic intake", "Body mass index", "Bone marrow indicator"], answer: "C",
                 explanation: "Body mass index is weight in kilograms divided by the square of height in metres."),
        ExamItem(id: "exam-029", specialty: "Haematology", question: "A lack of iron most commonly leads to which condition?",
                 options: ["Anaemia", "Gout", "Asthma", "Migraine"], answer: "A",
                 explanation: "Without enough iron the body cannot make enough haemoglobin: iron-deficiency anaemia."),
        ExamItem(id: "exam-030", specialty: "Pharmacy",
                 question: "Who is best placed to check whether a new over-the-counter medicine is safe with the medicines you already take?",
                 options: ["A friend who took it once", "An online forum", "An advertisement", "A pharmacist"], answer: "D",
                 explanation: "Pharmacists are trained to check interactions between medicines."),
    ]
}
