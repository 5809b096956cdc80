// Seed problems on lists, dictionaries, searching, sorting and stacks, written for this project: each states the function to write,
// three to five asserts, and a reference solution that passes them (checked by the tests).
extension CodeProblem {
    static let collections: [CodeProblem] = [
        CodeProblem(
            id: "average", topic: "lists", entryPoint: "average",
            instruction: "Write a Python function `average(numbers)` that returns the arithmetic mean of a list of numbers, or 0.0 when the list is empty.",
            tests: #"""
                assert average([1, 2, 3, 4]) == 2.5
                assert average([5]) == 5
                assert average([]) == 0.0
                assert average([-2, 2]) == 0
                """#,
            solution: #"""
                def average(numbers):
                    if not numbers:
                        return 0.0
                    return sum(numbers) / len(numbers)
                """#),
        CodeProblem(
            id: "remove-duplicates", topic: "lists", entryPoint: "remove_duplicates",
            instruction: "Write a Python function `remove_duplicates(items)` that returns a new list with the repeated elements of items removed, keeping the first occurrence of each in its original order.",
            tests: #"""
                assert remove_duplicates([1, 2, 1, 3, 2]) == [1, 2, 3]
                assert remove_duplicates([]) == []
                assert remove_duplicates(["b", "a", "b"]) == ["b", "a"]
                """#,
            solution: #"""
                def remove_duplicates(items):
                    seen = set()
                    result = []
                    for item in items:
                        if item not in seen:
                            seen.add(item)
                            result.append(item)
                    return result
                """#),
        CodeProblem(
            id: "word-count", topic: "dictionaries", entryPoint: "word_count",
            instruction: "Write a Python function `word_count(text)` that returns a dictionary mapping each lowercase word of text (words are separated by whitespace) to the number of times it occurs.",
            tests: #"""
                assert word_count("the cat the dog") == {"the": 2, "cat": 1, "dog": 1}
                assert word_count("") == {}
                assert word_count("Go go GO") == {"go": 3}
                """#,
            solution: #"""
                def word_count(text):
                    counts = {}
                    for word in text.lower().split():
                        counts[word] = counts.get(word, 0) + 1
                    return counts
                """#),
        CodeProblem(
            id: "flatten", topic: "lists", entryPoint: "flatten",
            instruction: "Write a Python function `flatten(lists)` that takes a list of lists and returns one list with all their elements in order.",
            tests: #"""
                assert flatten([[1, 2], [3], []]) == [1, 2, 3]
                assert flatten([]) == []
                assert flatten([["a"], ["b", "c"]]) == ["a", "b", "c"]
                """#,
            solution: #"""
                def flatten(lists):
                    return [item for inner in lists for item in inner]
                """#),
        CodeProblem(
            id: "chunk", topic: "lists", entryPoint: "chunk",
            instruction: "Write a Python function `chunk(items, size)` that splits the list items into consecutive lists of length size; the last list may be shorter.",
            tests: #"""
                assert chunk([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
                assert chunk([], 3) == []
                assert chunk([1, 2, 3], 3) == [[1, 2, 3]]
                """#,
            solution: #"""
                def chunk(items, size):
                    return [items[i:i + size] for i in range(0, len(items), size)]
                """#),
        CodeProblem(
            id: "second-largest", topic: "lists", entryPoint: "second_largest",
            instruction: "Write a Python function `second_largest(numbers)` that returns the second largest distinct value in the list, or None when there are fewer than two distinct values.",
            tests: #"""
                assert second_largest([3, 1, 4, 1, 5]) == 4
                assert second_largest([2, 2, 2]) is None
                assert second_largest([7]) is None
                assert second_largest([-1, -3, -2]) == -2
                """#,
            solution: #"""
                def second_largest(numbers):
                    distinct = sorted(set(numbers), reverse=True)
                    return distinct[1] if len(distinct) >= 2 else None
                """#),
        CodeProblem(
            id: "binary-search", topic: "searching", entryPoint: "binary_search",
            instruction: "Write a Python function `binary_search(items, target)` that returns the index of target in the sorted list items using binary search, or -1 when it is absent.",
            tests: #"""
                assert binary_search([1, 3, 5, 7, 9], 7) == 3
                assert binary_search([1, 3, 5, 7, 9], 1) == 0
                assert binary_search([1, 3, 5, 7, 9], 4) == -1
                assert binary_search([], 4) == -1
                """#,
            solution: #"""
                def binary_search(items, target):
                    low, high = 0, len(items) - 1
                    while low <= high:
                        middle = (low + high) // 2
                        if items[middle] == target:
                            return middle
                        if items[middle] < target:
                            low = middle + 1
                        else:
                            high = middle - 1
                    return -1
                """#),
        CodeProblem(
            id: "merge-sorted", topic: "sorting", entryPoint: "merge_sorted",
            instruction: "Write a Python function `merge_sorted(a, b)` that merges two sorted lists into one sorted list without calling sort or sorted.",
            tests: #"""
                assert merge_sorted([1, 4, 6], [2, 3, 7]) == [1, 2, 3, 4, 6, 7]
                assert merge_sorted([], [1, 2]) == [1, 2]
                assert merge_sorted([5], []) == [5]
                """#,
            solution: #"""
                def merge_sorted(a, b):
                    result, i, j = [], 0, 0
                    while i < len(a) and j < len(b):
                        if a[i] <= b[j]:
                            result.append(a[i])
                            i += 1
                        else:
                            result.append(b[j])
                            j += 1
                    return result + a[i:] + b[j:]
                """#),
        CodeProblem(
            id: "transpose", topic: "lists", entryPoint: "transpose",
            instruction: "Write a Python function `transpose(matrix)` that returns the transpose of a matrix given as a list of equally long rows.",
            tests: #"""
                assert transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]
                assert transpose([[1]]) == [[1]]
                assert transpose([]) == []
                """#,
            solution: #"""
                def transpose(matrix):
                    return [list(column) for column in zip(*matrix)]
                """#),
        CodeProblem(
            id: "most-common-char", topic: "dictionaries", entryPoint: "most_common_char",
            instruction: "Write a Python function `most_common_char(s)` that returns the character that occurs most often in the non-empty string s; when several tie, return the one that appears first.",
            tests: #"""
                assert most_common_char("hello") == "l"
                assert most_common_char("abcabc") == "a"
                assert most_common_char("z") == "z"
                """#,
            solution: #"""
                def most_common_char(s):
                    counts = {}
                    for c in s:
                        counts[c] = counts.get(c, 0) + 1
                    best = s[0]
                    for c in s:
                        if counts[c] > counts[best]:
                            best = c
                    return best
                """#),
        CodeProblem(
            id: "balanced-brackets", topic: "stacks", entryPoint: "balanced",
            instruction: "Write a Python function `balanced(s)` that returns True when every bracket (), [] and {} in s is closed in the right order, and False otherwise; other characters are ignored.",
            tests: #"""
                assert balanced("([]{})") == True
                assert balanced("([)]") == False
                assert balanced("((") == False
                assert balanced("a(b)c") == True
                assert balanced("") == True
                """#,
            solution: #"""
                def balanced(s):
                    pairs = {")": "(", "]": "[", "}": "{"}
                    stack = []
                    for c in s:
                        if c in "([{":
                            stack.append(c)
                        elif c in pairs:
                            if not stack or stack.pop() != pairs[c]:
                                return False
                    return not stack
                """#),
        CodeProblem(
            id: "fizzbuzz", topic: "loops", entryPoint: "fizzbuzz",
            instruction: "Write a Python function `fizzbuzz(n)` that returns a list of strings for the numbers 1 to n: \"Fizz\" for multiples of 3, \"Buzz\" for multiples of 5, \"FizzBuzz\" for multiples of both, and the number itself otherwise.",
            tests: #"""
                assert fizzbuzz(5) == ["1", "2", "Fizz", "4", "Buzz"]
                assert fizzbuzz(15)[-1] == "FizzBuzz"
                assert fizzbuzz(0) == []
                """#,
            solution: #"""
                def fizzbuzz(n):
                    result = []
                    for k in range(1, n + 1):
                        if k % 15 == 0:
                            result.append("FizzBuzz")
                        elif k % 3 == 0:
                            result.append("Fizz")
                        elif k % 5 == 0:
                            result.append("Buzz")
                        else:
                            result.append(str(k))
                    return result
                """#),
        CodeProblem(
            id: "rotate-list", topic: "lists", entryPoint: "rotate_right",
            instruction: "Write a Python function `rotate_right(items, k)` that returns a new list with the elements of items rotated k places to the right; k may be larger than the list.",
            tests: #"""
                assert rotate_right([1, 2, 3, 4, 5], 2) == [4, 5, 1, 2, 3]
                assert rotate_right([1, 2, 3], 3) == [1, 2, 3]
                assert rotate_right([1, 2, 3], 4) == [3, 1, 2]
                assert rotate_right([], 5) == []
                """#,
            solution: #"""
                def rotate_right(items, k):
                    if not items:
                        return []
                    k %= len(items)
                    return items[-k:] + items[:-k] if k else list(items)
                """#),
        CodeProblem(
            id: "pascal-row", topic: "lists", entryPoint: "pascal_row",
            instruction: "Write a Python function `pascal_row(n)` that returns row n of Pascal's triangle as a list, where row 0 is [1].",
            tests: #"""
                assert pascal_row(0) == [1]
                assert pascal_row(1) == [1, 1]
                assert pascal_row(4) == [1, 4, 6, 4, 1]
                """#,
            solution: #"""
                def pascal_row(n):
                    row = [1]
                    for _ in range(n):
                        row = [1] + [row[i] + row[i + 1] for i in range(len(row) - 1)] + [1]
                    return row
                """#),
    ]
}
