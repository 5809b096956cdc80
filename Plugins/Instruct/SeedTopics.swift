// The `topics` seed set: a small topic tree (eight branches, three leaves each) for the curation
// strategy, as UltraChat builds its "questions about the world" from meta-topics. Each leaf carries
// a few key points the `topic-questions` template can ground its questions in. Written for Retort.
import RetortPluginSDK

struct SeedTopic {
    let id: String
    let branch: String
    let topic: String
    let knowledge: String

    var json: JSONValue {
        ["id": .string(id), "branch": .string(branch), "topic": .string(topic), "knowledge": .string(knowledge)]
    }
}

enum SeedTopics {
    static let all: [SeedTopic] = [
        // Science
        SeedTopic(id: "science/solar-system", branch: "Science", topic: "the solar system",
                  knowledge: "The Sun is a star at the center. Eight planets orbit it: Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus and Neptune. Jupiter is the largest. Earth takes one year to go around the Sun."),
        SeedTopic(id: "science/states-of-matter", branch: "Science", topic: "solids, liquids and gases",
                  knowledge: "Matter is solid, liquid or gas. Heating melts solids and boils liquids; cooling does the reverse. Water freezes at 0 °C and boils at 100 °C at sea level."),
        SeedTopic(id: "science/electricity", branch: "Science", topic: "electricity at home",
                  knowledge: "Current flows in a closed circuit. Switches open and close circuits. Fuses and breakers cut power when too much current flows. Water and electricity are a dangerous mix."),
        // Health
        SeedTopic(id: "health/sleep", branch: "Health", topic: "sleep",
                  knowledge: "Adults need about seven to nine hours of sleep. A regular schedule helps. Caffeine and bright screens late in the day make falling asleep harder."),
        SeedTopic(id: "health/nutrition", branch: "Health", topic: "healthy eating",
                  knowledge: "A balanced diet has vegetables, fruit, whole grains and protein. Water is the best drink. Too much sugar and salt raises health risks."),
        SeedTopic(id: "health/first-aid", branch: "Health", topic: "first aid for small injuries",
                  knowledge: "Clean a small cut with water and cover it. Cool a minor burn under running water for twenty minutes. Call emergency services for serious bleeding."),
        // Technology
        SeedTopic(id: "technology/internet", branch: "Technology", topic: "how the internet works",
                  knowledge: "Computers send data in small packets. Routers pass packets between networks. Websites live on servers, and a domain name points to a server's address."),
        SeedTopic(id: "technology/online-safety", branch: "Technology", topic: "passwords and online safety",
                  knowledge: "Use a long, different password for each account. A password manager stores them. Two-factor login adds a second check. Be wary of messages that ask for passwords."),
        SeedTopic(id: "technology/programming", branch: "Technology", topic: "learning to program",
                  knowledge: "Python is a common first language. Programs use variables, conditions, loops and functions. Small projects and reading error messages help beginners learn."),
        // History and society
        SeedTopic(id: "history/ancient-egypt", branch: "History and society", topic: "ancient Egypt",
                  knowledge: "Ancient Egypt grew along the Nile river. Pharaohs ruled it. The pyramids of Giza are royal tombs. Egyptians wrote in hieroglyphs on papyrus and stone."),
        SeedTopic(id: "history/printing-press", branch: "History and society", topic: "the printing press",
                  knowledge: "Johannes Gutenberg built a printing press with movable metal type around 1450. Books became cheaper, and reading and new ideas spread quickly across Europe."),
        SeedTopic(id: "history/elections", branch: "History and society", topic: "how elections work",
                  knowledge: "In an election, citizens vote to choose representatives. Votes are usually secret. Different countries count votes in different ways, such as first past the post or proportional systems."),
        // Everyday life
        SeedTopic(id: "everyday/cooking", branch: "Everyday life", topic: "cooking basics",
                  knowledge: "Wash hands and vegetables before cooking. Keep raw meat apart from other food. Boiling, baking and frying are common methods. Salt and acid such as lemon bring out flavor."),
        SeedTopic(id: "everyday/budgeting", branch: "Everyday life", topic: "personal budgeting",
                  knowledge: "A budget lists income and spending. Fixed costs include rent; variable costs include food. Saving a part of each payment builds an emergency fund."),
        SeedTopic(id: "everyday/travel", branch: "Everyday life", topic: "planning a trip",
                  knowledge: "Check passport and visa rules early. Book transport and lodging ahead in busy seasons. Travel insurance covers illness and cancellations. Pack light."),
        // Nature
        SeedTopic(id: "nature/bees", branch: "Nature", topic: "bees and pollination",
                  knowledge: "Bees carry pollen from flower to flower, which lets plants make fruit and seeds. Many crops depend on them. Pesticides and habitat loss threaten bees."),
        SeedTopic(id: "nature/weather", branch: "Nature", topic: "weather and clouds",
                  knowledge: "Clouds form when moist air rises and cools. Rain falls when droplets grow heavy. Thunderstorms bring lightning. Weather forecasts use measurements and computer models."),
        SeedTopic(id: "nature/recycling", branch: "Nature", topic: "recycling and waste",
                  knowledge: "Paper, glass, metal and many plastics can be recycled. Food waste can be composted. Reducing and reusing saves more than recycling."),
        // Arts and culture
        SeedTopic(id: "arts/poetry", branch: "Arts and culture", topic: "writing poetry",
                  knowledge: "Poems use rhythm, sound and images. A haiku has three lines of five, seven and five syllables. Free verse has no fixed rhyme or meter."),
        SeedTopic(id: "arts/music", branch: "Arts and culture", topic: "learning a musical instrument",
                  knowledge: "Short daily practice beats long rare sessions. Beginners learn scales and simple songs first. A metronome helps keep time. Guitar, piano and ukulele are popular first instruments."),
        SeedTopic(id: "arts/board-games", branch: "Arts and culture", topic: "board games and chess",
                  knowledge: "Chess is played on an 8 by 8 board; the goal is checkmate. Board games train planning and patience. Some games are cooperative, where players win or lose together."),
        // Work and money
        SeedTopic(id: "work/job-interviews", branch: "Work and money", topic: "job interviews",
                  knowledge: "Research the company beforehand. Prepare short stories that show your skills. Arrive on time. Ask questions at the end and send a thank-you message."),
        SeedTopic(id: "work/saving", branch: "Work and money", topic: "saving money and interest",
                  knowledge: "Savings accounts pay interest. Compound interest earns interest on past interest. Starting early lets savings grow more. Inflation lowers what money can buy."),
        SeedTopic(id: "work/small-business", branch: "Work and money", topic: "starting a small business",
                  knowledge: "Start with a clear idea of who the customers are. Write a simple plan with costs and prices. Keep business and personal money apart. Register the business as the law requires."),
    ]
}
