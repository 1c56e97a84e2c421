package com.expressmonitor.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a command line of {@code --key value} (or {@code --key=value}) pairs and value-less flags, in order, for the
 * job and the tools, and finds the valid options nearest to a mistyped one.
 */
public final class ArgumentPairs {
    private ArgumentPairs() {}

    /**
     * A command line that cannot be read as options: a stray word, an option without its value, an unknown option.
     * The message is the whole sentence a user sees, naming the option and what to do.
     */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    /** The pairs by key (a repeated key keeps its last value), without flags. */
    public static Map<String, String> parse(String[] args) {
        return parse(args, Set.of());
    }

    /**
     * The pairs by key (a repeated key keeps its last value). A flag named in {@code flags} takes no value and maps
     * to {@code "true"} (or to the value given as {@code --flag=value}); {@code -h} is the flag {@code help}.
     */
    public static Map<String, String> parse(String[] args, Set<String> flags) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") && flags.contains("help")) {
                pairs.put("help", "true");
                continue;
            }
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "'; options are written --name value"
                        + " (--help lists them)");
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq > 0) {
                pairs.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (flags.contains(key)) {
                pairs.put(key, "true");
            } else if (i + 1 < args.length && !isOption(args[i + 1])) {
                pairs.put(key, args[++i]);
            } else {
                throw new UsageException("option --" + key + " needs a value, as in --" + key + " VALUE"
                        + " (--help lists the options)");
            }
        }
        return pairs;
    }

    /** A word that starts the next option rather than being a value (negative numbers are values). */
    private static boolean isOption(String word) {
        return word.startsWith("--") && word.length() > 2 && !Character.isDigit(word.charAt(2));
    }

    /**
     * The valid names nearest to a mistyped one, best first, at most three: those it is a prefix of, or that are
     * within a few edits of it (more edits allowed for longer names).
     */
    public static List<String> nearest(String typed, Collection<String> valid) {
        String t = typed.toLowerCase();
        int allowed = Math.max(2, t.length() / 3);
        record Scored(String name, int score) {}
        List<Scored> scored = new ArrayList<>();
        for (String v : valid) {
            String lv = v.toLowerCase();
            int d = distance(t, lv);
            if (t.length() >= 3 && (lv.startsWith(t) || t.startsWith(lv))) {
                d = Math.min(d, 1);
            }
            if (d <= allowed) {
                scored.add(new Scored(v, d));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::name));
        return scored.stream().limit(3).map(Scored::name).toList();
    }

    /** Levenshtein distance (insert, delete, replace one character). */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(replace, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }

    /** "did you mean --a, --b or --c?" for the suggestions, or an empty string when there are none. */
    public static String didYouMean(List<String> suggestions) {
        if (suggestions.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("did you mean ");
        for (int i = 0; i < suggestions.size(); i++) {
            if (i > 0) {
                b.append(i == suggestions.size() - 1 ? " or " : ", ");
            }
            b.append("--").append(suggestions.get(i));
        }
        return b.append('?').toString();
    }
}
