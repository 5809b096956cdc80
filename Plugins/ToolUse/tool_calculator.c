/*
 * tool_calculator.c — the `calculator` tool: a recursive-descent parser over doubles, never eval.
 *
 *   expression := term (('+' | '-') term)*
 *   term       := unary (('*' | '/' | '%') unary)*
 *   unary      := ('+' | '-') unary | power
 *   power      := primary (('^' | '**') unary)?        right-associative; -2^2 = -4
 *   primary    := number | constant | function '(' expression (',' expression)* ')' | '(' expression ')'
 *
 * Nesting is limited (a "((((…" bomb is an error, not a stack overflow), every intermediate result
 * must be finite (overflow and 0/0 are errors), and the input is at most 1000 bytes. ×, ÷ and the
 * minus sign − are read as *, / and -.
 */
#include "tools.h"

#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALCULATOR_MAX_DEPTH 64
#define CALCULATOR_MAX_LENGTH 1000
#define CALCULATOR_PI 3.14159265358979323846
#define CALCULATOR_E 2.71828182845904523536

typedef struct calculator {
    const char *text;
    size_t position;
    int depth;
    char error[200];
} calculator;

static bool failed(const calculator *c) { return c->error[0] != '\0'; }

static double fail(calculator *c, const char *message) {
    if (!failed(c)) snprintf(c->error, sizeof c->error, "%s (at character %zu)", message, c->position + 1);
    return 0;
}

/* A finite result, or an error naming what overflowed. */
static double checked(calculator *c, double value, const char *what) {
    if (failed(c)) return 0;
    if (isnan(value)) return fail(c, "the result is undefined");
    if (!isfinite(value)) {
        char message[96];
        snprintf(message, sizeof message, "overflow: %s is too large", what);
        return fail(c, message);
    }
    return value;
}

static void skip_space(calculator *c) {
    while (c->text[c->position] == ' ' || c->text[c->position] == '\t' || c->text[c->position] == '\n') c->position++;
}

/* Reads an operator at the current position: ASCII, or the UTF-8 signs × ÷ −. */
static char peek_operator(calculator *c, size_t *width) {
    skip_space(c);
    const unsigned char *p = (const unsigned char *)c->text + c->position;
    *width = 1;
    if (p[0] == 0xC3 && p[1] == 0x97) { *width = 2; return '*'; }              /* × */
    if (p[0] == 0xC3 && p[1] == 0xB7) { *width = 2; return '/'; }              /* ÷ */
    if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) { *width = 3; return '-'; } /* − */
    if (p[0] == '*' && p[1] == '*') { *width = 2; return '^'; }
    return (char)p[0];
}

static double expression(calculator *c);

static double number(calculator *c) {
    size_t start = c->position;
    while (isdigit((unsigned char)c->text[c->position]) || c->text[c->position] == '.') c->position++;
    if (c->text[c->position] == 'e' || c->text[c->position] == 'E') {
        size_t mark = c->position++;
        if (c->text[c->position] == '+' || c->text[c->position] == '-') c->position++;
        if (!isdigit((unsigned char)c->text[c->position])) c->position = mark; /* "2e" is 2 times e */
        while (isdigit((unsigned char)c->text[c->position])) c->position++;
    }
    size_t n = c->position - start;
    char digits[64];
    if (n >= sizeof digits) return fail(c, "a number with more than 63 characters");
    memcpy(digits, c->text + start, n);
    digits[n] = '\0';
    if (strchr(digits, '.') != strrchr(digits, '.')) return fail(c, "a number with two decimal points");
    if (strcmp(digits, ".") == 0) return fail(c, "a lone decimal point");
    const char *point = localeconv()->decimal_point;
    if (point != NULL && point[0] != '.' && point[0] != '\0' && point[1] == '\0')
        for (char *p = digits; *p; p++)
            if (*p == '.') *p = point[0];
    if (c->text[c->position] == ',' && isdigit((unsigned char)c->text[c->position + 1]) && c->depth == 0)
        return fail(c, "a comma inside a number; write 1000, not 1,000");
    return checked(c, strtod(digits, NULL), "a number");
}

/* Calls a named function on its arguments (already read). */
static double apply_function(calculator *c, const char *name, const double *args, int count) {
    struct {
        const char *name;
        int minimum, maximum;
    } const arities[] = {{"sqrt", 1, 1}, {"abs", 1, 1}, {"round", 1, 2}, {"floor", 1, 1}, {"ceil", 1, 1}, {"min", 1, 16},
                         {"max", 1, 16}, {"pow", 2, 2}, {"ln", 1, 1}, {"log", 1, 1}, {"log10", 1, 1}, {"exp", 1, 1}};
    bool known = false;
    for (size_t i = 0; i < sizeof arities / sizeof arities[0]; i++) {
        if (strcmp(arities[i].name, name) != 0) continue;
        known = true;
        if (count < arities[i].minimum || count > arities[i].maximum) {
            char message[96];
            snprintf(message, sizeof message, "%s takes %d to %d arguments, got %d", name, arities[i].minimum, arities[i].maximum, count);
            return fail(c, message);
        }
    }
    if (!known) return fail(c, "unknown function; use sqrt, abs, round, floor, ceil, min, max, pow, ln, log10 or exp");
    if (strcmp(name, "sqrt") == 0) return args[0] < 0 ? fail(c, "the square root of a negative number") : sqrt(args[0]);
    if (strcmp(name, "abs") == 0) return fabs(args[0]);
    if (strcmp(name, "floor") == 0) return floor(args[0]);
    if (strcmp(name, "ceil") == 0) return ceil(args[0]);
    if (strcmp(name, "round") == 0) {
        if (count == 1) return round(args[0]);
        if (args[1] != floor(args[1]) || fabs(args[1]) > 15) return fail(c, "round's second argument must be a whole number of digits up to 15");
        double scale = pow(10, args[1]);
        return checked(c, round(args[0] * scale) / scale, "the rounded value");
    }
    if (strcmp(name, "min") == 0 || strcmp(name, "max") == 0) {
        double best = args[0];
        for (int i = 1; i < count; i++) best = name[1] == 'i' ? fmin(best, args[i]) : fmax(best, args[i]);
        return best;
    }
    if (strcmp(name, "pow") == 0) {
        if (args[0] < 0 && args[1] != floor(args[1])) return fail(c, "a negative number to a fractional power");
        if (args[0] == 0 && args[1] < 0) return fail(c, "division by zero (0 to a negative power)");
        return checked(c, pow(args[0], args[1]), "the power");
    }
    if (args[0] <= 0 && strcmp(name, "exp") != 0) return fail(c, "the logarithm of a number that is not positive");
    if (strcmp(name, "exp") == 0) return checked(c, exp(args[0]), "the exponential");
    return strcmp(name, "log10") == 0 ? log10(args[0]) : log(args[0]);
}

static double primary(calculator *c) {
    size_t width;
    char op = peek_operator(c, &width);
    if (isdigit((unsigned char)op) || op == '.') return number(c);
    if (op == '(') {
        c->position++;
        if (++c->depth > CALCULATOR_MAX_DEPTH) return fail(c, "parentheses nested more than 64 deep");
        double value = expression(c);
        c->depth--;
        if (failed(c)) return 0;
        if (peek_operator(c, &width) != ')') return fail(c, "expected ')'");
        c->position++;
        return value;
    }
    if (isalpha((unsigned char)op)) {
        char name[16];
        size_t n = 0;
        while (isalnum((unsigned char)c->text[c->position]) || c->text[c->position] == '_') {
            if (n + 1 < sizeof name) name[n++] = (char)tolower((unsigned char)c->text[c->position]);
            else return fail(c, "a name longer than 15 letters");
            c->position++;
        }
        name[n] = '\0';
        if (peek_operator(c, &width) != '(') {
            if (strcmp(name, "pi") == 0) return CALCULATOR_PI;
            if (strcmp(name, "e") == 0) return CALCULATOR_E;
            return fail(c, "unknown name; the calculator knows numbers, + - * / % ^, parentheses, pi, e and functions such as sqrt(x)");
        }
        static const char *const functions[] = {"sqrt", "abs", "round", "floor", "ceil", "min", "max", "pow", "ln", "log", "log10", "exp"};
        bool known = false;
        for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) known = known || strcmp(functions[i], name) == 0;
        if (!known) return fail(c, "unknown function; use sqrt, abs, round, floor, ceil, min, max, pow, ln, log10 or exp");
        c->position++;
        if (++c->depth > CALCULATOR_MAX_DEPTH) return fail(c, "calls nested more than 64 deep");
        double args[16];
        int count = 0;
        if (peek_operator(c, &width) != ')') {
            while (true) {
                if (count == 16) return fail(c, "more than 16 arguments");
                args[count++] = expression(c);
                if (failed(c)) return 0;
                if (peek_operator(c, &width) != ',') break;
                c->position++;
            }
        }
        c->depth--;
        if (peek_operator(c, &width) != ')') return fail(c, "expected ')' or ',' in a function call");
        c->position++;
        return checked(c, apply_function(c, name, args, count), name);
    }
    if (op == '\0') return fail(c, "the expression ends too early");
    return fail(c, "unexpected character");
}

static double unary(calculator *c);

static double power(calculator *c) {
    double base = primary(c);
    size_t width;
    if (failed(c) || peek_operator(c, &width) != '^') return base;
    c->position += width;
    if (++c->depth > CALCULATOR_MAX_DEPTH) return fail(c, "powers nested more than 64 deep");
    double exponent = unary(c);
    c->depth--;
    if (failed(c)) return 0;
    if (base < 0 && exponent != floor(exponent)) return fail(c, "a negative number to a fractional power");
    if (base == 0 && exponent < 0) return fail(c, "division by zero (0 to a negative power)");
    return checked(c, pow(base, exponent), "the power");
}

static double unary(calculator *c) {
    size_t width;
    char op = peek_operator(c, &width);
    if (op == '-' || op == '+') {
        c->position += width;
        if (++c->depth > CALCULATOR_MAX_DEPTH) return fail(c, "signs nested more than 64 deep");
        double value = unary(c);
        c->depth--;
        return op == '-' ? -value : value;
    }
    return power(c);
}

static double term(calculator *c) {
    double value = unary(c);
    size_t width;
    while (!failed(c)) {
        char op = peek_operator(c, &width);
        if (op != '*' && op != '/' && op != '%') break;
        c->position += width;
        double right = unary(c);
        if (failed(c)) return 0;
        if ((op == '/' || op == '%') && right == 0) return fail(c, "division by zero");
        value = checked(c, op == '*' ? value * right : op == '/' ? value / right : fmod(value, right), "the product");
    }
    return value;
}

static double expression(calculator *c) {
    double value = term(c);
    size_t width;
    while (!failed(c)) {
        char op = peek_operator(c, &width);
        if (op != '+' && op != '-') break;
        c->position += width;
        double right = term(c);
        value = checked(c, op == '+' ? value + right : value - right, "the sum");
    }
    return value;
}

char *tool_use_calculator(const char *text) {
    if (text == NULL) return tool_error("no expression was given");
    size_t length = strlen(text);
    if (length > CALCULATOR_MAX_LENGTH) return tool_error("the expression has %zu characters, more than %d", length, CALCULATOR_MAX_LENGTH);
    calculator c = {text, 0, 0, {0}};
    skip_space(&c);
    if (text[c.position] == '\0') return tool_error("the expression is empty");
    double value = expression(&c);
    size_t width;
    if (!failed(&c) && peek_operator(&c, &width) != '\0') {
        fail(&c, peek_operator(&c, &width) == ')' ? "a ')' without its '('" : "unexpected character");
    }
    if (failed(&c)) return tool_error("%s", c.error);
    return tool_result_number(value == 0 ? 0 : value); /* no "-0" */
}
