// Seed problems on arithmetic, recursion, dates and statistics, written for this project: each states the function to write,
// three to five asserts, and a reference solution that passes them (checked by the tests).
extension CodeProblem {
    static let numbers: [CodeProblem] = [
        CodeProblem(
            id: "is-even", topic: "arithmetic", entryPoint: "is_even",
            instruction: "Write a Python function `is_even(n)` that returns True when the integer n is even and False otherwise.",
            tests: #"""
                assert is_even(4) == True
                assert is_even(7) == False
                assert is_even(0) == True
                assert is_even(-2) == True
                """#,
            solution: #"""
                def is_even(n):
                    return n % 2 == 0
                """#),
        CodeProblem(
            id: "max-of-three", topic: "arithmetic", entryPoint: "max_of_three",
            instruction: "Write a Python function `max_of_three(a, b, c)` that returns the largest of three numbers without using the built-in max.",
            tests: #"""
                assert max_of_three(1, 2, 3) == 3
                assert max_of_three(9, 4, 7) == 9
                assert max_of_three(-5, -2, -9) == -2
                assert max_of_three(4, 4, 1) == 4
                """#,
            solution: #"""
                def max_of_three(a, b, c):
                    largest = a
                    if b > largest:
                        largest = b
                    if c > largest:
                        largest = c
                    return largest
                """#),
        CodeProblem(
            id: "add", topic: "arithmetic", entryPoint: "add",
            instruction: "Write a Python function `add(a, b)` that returns the sum of the two numbers a and b.",
            tests: #"""
                assert add(2, 3) == 5
                assert add(-1, 1) == 0
                assert add(0.5, 0.25) == 0.75
                """#,
            solution: #"""
                def add(a, b):
                    return a + b
                """#),
        CodeProblem(
            id: "factorial", topic: "recursion", entryPoint: "factorial",
            instruction: "Write a Python function `factorial(n)` that returns n! for a non-negative integer n (factorial(0) is 1).",
            tests: #"""
                assert factorial(0) == 1
                assert factorial(1) == 1
                assert factorial(5) == 120
                assert factorial(10) == 3628800
                """#,
            solution: #"""
                def factorial(n):
                    result = 1
                    for k in range(2, n + 1):
                        result *= k
                    return result
                """#),
        CodeProblem(
            id: "fibonacci", topic: "recursion", entryPoint: "fibonacci",
            instruction: "Write a Python function `fibonacci(n)` that returns the n-th Fibonacci number, where fibonacci(0) is 0 and fibonacci(1) is 1. It must be fast for n up to 90.",
            tests: #"""
                assert fibonacci(0) == 0
                assert fibonacci(1) == 1
                assert fibonacci(10) == 55
                assert fibonacci(90) == 2880067194370816120
                """#,
            solution: #"""
                def fibonacci(n):
                    a, b = 0, 1
                    for _ in range(n):
                        a, b = b, a + b
                    return a
                """#),
        CodeProblem(
            id: "sum-of-digits", topic: "arithmetic", entryPoint: "sum_of_digits",
            instruction: "Write a Python function `sum_of_digits(n)` that returns the sum of the decimal digits of a non-negative integer n.",
            tests: #"""
                assert sum_of_digits(0) == 0
                assert sum_of_digits(7) == 7
                assert sum_of_digits(1234) == 10
                assert sum_of_digits(9999) == 36
                """#,
            solution: #"""
                def sum_of_digits(n):
                    return sum(int(d) for d in str(n))
                """#),
        CodeProblem(
            id: "celsius-to-fahrenheit", topic: "arithmetic", entryPoint: "celsius_to_fahrenheit",
            instruction: "Write a Python function `celsius_to_fahrenheit(c)` that converts a temperature from degrees Celsius to degrees Fahrenheit.",
            tests: #"""
                assert celsius_to_fahrenheit(0) == 32
                assert celsius_to_fahrenheit(100) == 212
                assert celsius_to_fahrenheit(-40) == -40
                assert abs(celsius_to_fahrenheit(37) - 98.6) < 1e-9
                """#,
            solution: #"""
                def celsius_to_fahrenheit(c):
                    return c * 9 / 5 + 32
                """#),
        CodeProblem(
            id: "is-prime", topic: "arithmetic", entryPoint: "is_prime",
            instruction: "Write a Python function `is_prime(n)` that returns True when the integer n is a prime number and False otherwise (numbers below 2 are not prime).",
            tests: #"""
                assert is_prime(2) == True
                assert is_prime(17) == True
                assert is_prime(1) == False
                assert is_prime(21) == False
                assert is_prime(7919) == True
                """#,
            solution: #"""
                def is_prime(n):
                    if n < 2:
                        return False
                    k = 2
                    while k * k <= n:
                        if n % k == 0:
                            return False
                        k += 1
                    return True
                """#),
        CodeProblem(
            id: "gcd", topic: "arithmetic", entryPoint: "gcd",
            instruction: "Write a Python function `gcd(a, b)` that returns the greatest common divisor of two positive integers using Euclid's algorithm.",
            tests: #"""
                assert gcd(12, 18) == 6
                assert gcd(17, 5) == 1
                assert gcd(100, 10) == 10
                assert gcd(7, 7) == 7
                """#,
            solution: #"""
                def gcd(a, b):
                    while b:
                        a, b = b, a % b
                    return a
                """#),
        CodeProblem(
            id: "to-binary", topic: "arithmetic", entryPoint: "to_binary",
            instruction: "Write a Python function `to_binary(n)` that returns the binary representation of a non-negative integer n as a string without the \"0b\" prefix.",
            tests: #"""
                assert to_binary(0) == "0"
                assert to_binary(5) == "101"
                assert to_binary(8) == "1000"
                assert to_binary(255) == "11111111"
                """#,
            solution: #"""
                def to_binary(n):
                    if n == 0:
                        return "0"
                    digits = ""
                    while n > 0:
                        digits = str(n % 2) + digits
                        n //= 2
                    return digits
                """#),
        CodeProblem(
            id: "median", topic: "statistics", entryPoint: "median",
            instruction: "Write a Python function `median(numbers)` that returns the median of a non-empty list of numbers (the mean of the two middle values when the length is even).",
            tests: #"""
                assert median([3, 1, 2]) == 2
                assert median([4, 1, 3, 2]) == 2.5
                assert median([7]) == 7
                """#,
            solution: #"""
                def median(numbers):
                    ordered = sorted(numbers)
                    middle = len(ordered) // 2
                    if len(ordered) % 2:
                        return ordered[middle]
                    return (ordered[middle - 1] + ordered[middle]) / 2
                """#),
        CodeProblem(
            id: "leap-year", topic: "dates", entryPoint: "is_leap_year",
            instruction: "Write a Python function `is_leap_year(year)` that returns True for leap years of the Gregorian calendar: divisible by 4, except centuries, which must be divisible by 400.",
            tests: #"""
                assert is_leap_year(2024) == True
                assert is_leap_year(1900) == False
                assert is_leap_year(2000) == True
                assert is_leap_year(2023) == False
                """#,
            solution: #"""
                def is_leap_year(year):
                    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
                """#),
        CodeProblem(
            id: "digital-root", topic: "arithmetic", entryPoint: "digital_root",
            instruction: "Write a Python function `digital_root(n)` that repeatedly sums the digits of the non-negative integer n until a single digit remains, and returns it.",
            tests: #"""
                assert digital_root(0) == 0
                assert digital_root(16) == 7
                assert digital_root(942) == 6
                assert digital_root(999999999999) == 9
                """#,
            solution: #"""
                def digital_root(n):
                    while n >= 10:
                        n = sum(int(d) for d in str(n))
                    return n
                """#),
    ]
}
