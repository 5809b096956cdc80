// Seed problems on string processing, written for this project: each states the function to write,
// three to five asserts, and a reference solution that passes them (checked by the tests).
extension CodeProblem {
    static let text: [CodeProblem] = [
        CodeProblem(
            id: "reverse-string", topic: "strings", entryPoint: "reverse_string",
            instruction: "Write a Python function `reverse_string(s)` that returns the string s reversed.",
            tests: #"""
                assert reverse_string("hello") == "olleh"
                assert reverse_string("") == ""
                assert reverse_string("ab c") == "c ba"
                """#,
            solution: #"""
                def reverse_string(s):
                    return s[::-1]
                """#),
        CodeProblem(
            id: "count-vowels", topic: "strings", entryPoint: "count_vowels",
            instruction: "Write a Python function `count_vowels(s)` that returns how many vowels (a, e, i, o, u, in upper or lower case) the string s contains.",
            tests: #"""
                assert count_vowels("hello") == 2
                assert count_vowels("AEIOU") == 5
                assert count_vowels("rhythm") == 0
                assert count_vowels("") == 0
                """#,
            solution: #"""
                def count_vowels(s):
                    return sum(1 for c in s.lower() if c in "aeiou")
                """#),
        CodeProblem(
            id: "is-palindrome", topic: "strings", entryPoint: "is_palindrome",
            instruction: "Write a Python function `is_palindrome(s)` that returns True when s reads the same forwards and backwards, ignoring case and every character that is not a letter or a digit.",
            tests: #"""
                assert is_palindrome("racecar") == True
                assert is_palindrome("A man, a plan, a canal: Panama") == True
                assert is_palindrome("hello") == False
                assert is_palindrome("") == True
                """#,
            solution: #"""
                def is_palindrome(s):
                    kept = [c.lower() for c in s if c.isalnum()]
                    return kept == kept[::-1]
                """#),
        CodeProblem(
            id: "capitalize-words", topic: "strings", entryPoint: "capitalize_words",
            instruction: "Write a Python function `capitalize_words(s)` that returns s with the first letter of every space-separated word in upper case and the rest of each word unchanged.",
            tests: #"""
                assert capitalize_words("hello world") == "Hello World"
                assert capitalize_words("a") == "A"
                assert capitalize_words("python is fUN") == "Python Is FUN"
                """#,
            solution: #"""
                def capitalize_words(s):
                    return " ".join(w[:1].upper() + w[1:] for w in s.split(" "))
                """#),
        CodeProblem(
            id: "run-length-encode", topic: "strings", entryPoint: "run_length_encode",
            instruction: "Write a Python function `run_length_encode(s)` that replaces each run of a repeated character by the character followed by the run's length, so \"aaabcc\" becomes \"a3b1c2\".",
            tests: #"""
                assert run_length_encode("aaabcc") == "a3b1c2"
                assert run_length_encode("") == ""
                assert run_length_encode("x") == "x1"
                assert run_length_encode("aab") == "a2b1"
                """#,
            solution: #"""
                def run_length_encode(s):
                    result = ""
                    i = 0
                    while i < len(s):
                        j = i
                        while j < len(s) and s[j] == s[i]:
                            j += 1
                        result += s[i] + str(j - i)
                        i = j
                    return result
                """#),
        CodeProblem(
            id: "roman-to-int", topic: "strings", entryPoint: "roman_to_int",
            instruction: "Write a Python function `roman_to_int(s)` that converts a Roman numeral such as \"XIV\" to an integer.",
            tests: #"""
                assert roman_to_int("III") == 3
                assert roman_to_int("XIV") == 14
                assert roman_to_int("MCMXCIV") == 1994
                assert roman_to_int("XL") == 40
                """#,
            solution: #"""
                def roman_to_int(s):
                    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
                    total = 0
                    for i, c in enumerate(s):
                        if i + 1 < len(s) and values[c] < values[s[i + 1]]:
                            total -= values[c]
                        else:
                            total += values[c]
                    return total
                """#),
        CodeProblem(
            id: "are-anagrams", topic: "strings", entryPoint: "are_anagrams",
            instruction: "Write a Python function `are_anagrams(a, b)` that returns True when the two strings are anagrams of each other, ignoring spaces and case.",
            tests: #"""
                assert are_anagrams("listen", "silent") == True
                assert are_anagrams("Dormitory", "dirty room") == True
                assert are_anagrams("abc", "abd") == False
                """#,
            solution: #"""
                def are_anagrams(a, b):
                    clean = lambda s: sorted(s.replace(" ", "").lower())
                    return clean(a) == clean(b)
                """#),
        CodeProblem(
            id: "caesar-cipher", topic: "strings", entryPoint: "caesar",
            instruction: "Write a Python function `caesar(text, shift)` that shifts every letter of text by shift places in the alphabet, wrapping around from z to a and keeping upper and lower case; other characters stay as they are.",
            tests: #"""
                assert caesar("abc", 1) == "bcd"
                assert caesar("xyz", 3) == "abc"
                assert caesar("Hello, World!", 13) == "Uryyb, Jbeyq!"
                assert caesar("bcd", -1) == "abc"
                """#,
            solution: #"""
                def caesar(text, shift):
                    result = []
                    for c in text:
                        if c.isalpha() and c.isascii():
                            base = ord("A") if c.isupper() else ord("a")
                            result.append(chr((ord(c) - base + shift) % 26 + base))
                        else:
                            result.append(c)
                    return "".join(result)
                """#),
        CodeProblem(
            id: "title-case-initials", topic: "strings", entryPoint: "initials",
            instruction: "Write a Python function `initials(name)` that returns the upper-case initials of the words of a full name, joined with dots and ending with a dot, so \"ada lovelace\" becomes \"A.L.\".",
            tests: #"""
                assert initials("ada lovelace") == "A.L."
                assert initials("Grace Brewster Hopper") == "G.B.H."
                assert initials("alan") == "A."
                """#,
            solution: #"""
                def initials(name):
                    return "".join(word[0].upper() + "." for word in name.split())
                """#),
    ]
}
