/*
 * tool_dates.c — the date tools (`date_add`, `date_diff`, `weekday`) on the proleptic Gregorian
 * calendar, years 1 to 9999. A date is a day number counted from 0001-01-01 (day 0, a Monday);
 * dates are read strictly as YYYY-MM-DD and checked (2023-02-29 is not a date).
 */
#include "tools.h"

#include <stdio.h>
#include <string.h>

static const char *const weekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
static const int days_before_month[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

static bool is_leap(long year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

static int days_in_month(long year, int month) {
    static const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : lengths[month - 1];
}

/* Days in the years 1 … year-1. */
static long days_before_year(long year) {
    long y = year - 1;
    return y * 365 + y / 4 - y / 100 + y / 400;
}

static long day_number(long year, int month, int day) {
    return days_before_year(year) + days_before_month[month - 1] + (month > 2 && is_leap(year) ? 1 : 0) + day - 1;
}

static void from_day_number(long number, long *year, int *month, int *day) {
    long y = number / 366 + 1; /* never past the answer; step forward */
    while (days_before_year(y + 1) <= number) y++;
    long rest = number - days_before_year(y);
    int m = 1;
    while (rest >= days_in_month(y, m)) {
        rest -= days_in_month(y, m);
        m++;
    }
    *year = y;
    *month = m;
    *day = (int)rest + 1;
}

/* Reads "YYYY-MM-DD" into a day number; on failure writes why into `error`. */
static bool read_date(const char *text, const char *name, long *number, char *error, size_t size) {
    if (text == NULL) {
        snprintf(error, size, "no %s was given", name);
        return false;
    }
    int year, month, day, consumed = 0;
    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' || sscanf(text, "%4d-%2d-%2d%n", &year, &month, &day, &consumed) != 3 ||
        consumed != 10) {
        snprintf(error, size, "%s \"%.20s\" is not a date written as YYYY-MM-DD", name, text);
        return false;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) {
            snprintf(error, size, "%s \"%.20s\" is not a date written as YYYY-MM-DD", name, text);
            return false;
        }
    }
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
        snprintf(error, size, "%s %s does not exist on the calendar", name, text);
        return false;
    }
    *number = day_number(year, month, day);
    return true;
}

static const long last_day = 3652058; /* 9999-12-31 */

char *tool_use_date_add(const char *date, int32_t days) {
    char error[160];
    long start;
    if (!read_date(date, "date", &start, error, sizeof error)) return tool_error("%s", error);
    long target = start + days;
    if (target < 0 || target > last_day) return tool_error("%s plus %d days falls outside the years 1 to 9999", date, days);
    long year;
    int month, day;
    from_day_number(target, &year, &month, &day);
    char text[48]; /* years stay within 1…9999; the size satisfies the compiler's worst case */
    snprintf(text, sizeof text, "%04ld-%02d-%02d", year, month, day);
    text_buffer b = {0};
    text_buffer_append(&b, "{\"result\": ");
    text_buffer_append_json_string(&b, text, strlen(text));
    text_buffer_appendf(&b, ", \"weekday\": \"%s\"}", weekdays[target % 7]);
    return text_buffer_take(&b);
}

char *tool_use_date_diff(const char *start_date, const char *end_date) {
    char error[160];
    long start, end;
    if (!read_date(start_date, "start_date", &start, error, sizeof error)) return tool_error("%s", error);
    if (!read_date(end_date, "end_date", &end, error, sizeof error)) return tool_error("%s", error);
    return tool_result_number((double)(end - start));
}

char *tool_use_weekday(const char *date) {
    char error[160];
    long number;
    if (!read_date(date, "date", &number, error, sizeof error)) return tool_error("%s", error);
    return tool_result_string(weekdays[number % 7]);
}
