// `strftime_now(format)`: the current local time formatted with Python strftime directives
// (%Y %y %m %d %-d %B %b %A %a %H %I %M %S %p %j %%); unknown directives are kept verbatim.
import Foundation

enum JinjaStrftime {
    static func format(_ date: Date, _ format: String) -> String {
        let calendar = Calendar(identifier: .gregorian)
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                      "November", "December"]
        let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let year = c.year ?? 1970
        let month = c.month ?? 1
        let day = c.day ?? 1
        let hour = c.hour ?? 0
        let weekday = (c.weekday ?? 1) - 1
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var out = ""
        let chars = Array(format)
        var k = 0
        while k < chars.count {
            guard chars[k] == "%", k + 1 < chars.count else {
                out.append(chars[k])
                k += 1
                continue
            }
            var directive = chars[k + 1]
            var padded = true
            if directive == "-", k + 2 < chars.count {
                padded = false
                directive = chars[k + 2]
                k += 1
            }
            k += 2
            func num(_ v: Int) -> String { padded ? two(v) : "\(v)" }
            switch directive {
            case "Y": out += "\(year)"
            case "y": out += two(year % 100)
            case "m": out += num(month)
            case "d": out += num(day)
            case "B": out += months[month - 1]
            case "b": out += String(months[month - 1].prefix(3))
            case "A": out += days[weekday]
            case "a": out += String(days[weekday].prefix(3))
            case "H": out += num(hour)
            case "I": out += num(hour % 12 == 0 ? 12 : hour % 12)
            case "M": out += num(c.minute ?? 0)
            case "S": out += num(c.second ?? 0)
            case "p": out += hour < 12 ? "AM" : "PM"
            case "j":
                let ordinal = calendar.ordinality(of: .day, in: .year, for: date) ?? 1
                out += padded ? String(repeating: "0", count: max(0, 3 - "\(ordinal)".count)) + "\(ordinal)" : "\(ordinal)"
            case "%": out += "%"
            default: out += "%" + String(directive)
            }
        }
        return out
    }
}
