package com.expressmonitor.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Just enough PromQL reading for the monitoring tests: the vector selectors of an expression (metric name with its
 * label matchers, without range or offset). Function names,
 * aggregation and set operators, grouping modifiers and their label lists, strings, numbers and durations are
 * skipped.
 */
final class PromQl {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "atan2");
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile");
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");

    private PromQl() {}

    /** The vector selectors of {@code expr} in order of appearance, each once, e.g. {@code up{job="x"}}. */
    static List<String> selectors(String expr) {
        Set<String> out = new LinkedHashSet<>();
        scan(expr, out);
        return new ArrayList<>(out);
    }

    private static void scan(String e, Set<String> selectors) {
        int i = 0;
        int n = e.length();
        while (i < n) {
            char c = e.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(e, i);
            } else if (c == '[') {
                i = e.indexOf(']', i) + 1; // range or subquery: durations only
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(e.charAt(i + 1)))) {
                while (i < n && (Character.isLetterOrDigit(e.charAt(i)) || e.charAt(i) == '.')) {
                    i++; // a number, or a duration after offset
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(e.charAt(i)) || e.charAt(i) == '_' || e.charAt(i) == ':')) {
                    i++;
                }
                String word = e.substring(start, i);
                int j = skipSpace(e, i);
                if (LABEL_LISTS.contains(word) && j < n && e.charAt(j) == '(') {
                    i = e.indexOf(')', j) + 1; // label names
                } else if (KEYWORDS.contains(word) || AGGREGATIONS.contains(word) || (j < n && e.charAt(j) == '(')) {
                    // an operator, an aggregation (its "by" may come first), or a function applied to what follows
                } else {
                    String selector = word;
                    if (j < n && e.charAt(j) == '{') {
                        int close = matcherEnd(e, j);
                        selector = word + e.substring(j, close);
                        i = close;
                    }
                    selectors.add(selector);
                }
            } else if (c == '{') {
                int close = matcherEnd(e, i); // a selector by labels only
                selectors.add(e.substring(i, close));
                i = close;
            } else {
                i++;
            }
        }
    }

    private static int skipSpace(String e, int i) {
        while (i < e.length() && Character.isWhitespace(e.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipString(String e, int i) {
        char quote = e.charAt(i);
        i++;
        while (i < e.length() && e.charAt(i) != quote) {
            i += e.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** The index after the {@code }} that closes the label matchers opening at {@code open}. */
    private static int matcherEnd(String e, int open) {
        int i = open + 1;
        while (e.charAt(i) != '}') {
            i = e.charAt(i) == '"' || e.charAt(i) == '\'' || e.charAt(i) == '`' ? skipString(e, i) : i + 1;
        }
        return i + 1;
    }
}
