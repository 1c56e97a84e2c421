package com.expressmonitor.io;

/**
 * How many terminal columns a text takes: East Asian wide and fullwidth characters (Chinese district names, for
 * one) take two, combining marks none, everything else one. Padding by this keeps console columns aligned.
 */
public final class DisplayWidth {
    private DisplayWidth() {}

    /** The columns {@code s} takes on a terminal. */
    public static int of(String s) {
        int cols = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            cols += columns(cp);
        }
        return cols;
    }

    /** {@code s} followed by spaces up to {@code width} columns (unchanged when it is as wide or wider). */
    public static String padRight(String s, int width) {
        int w = of(s);
        return w >= width ? s : s + " ".repeat(width - w);
    }

    /** Spaces up to {@code width} columns, then {@code s} (for numbers). */
    public static String padLeft(String s, int width) {
        int w = of(s);
        return w >= width ? s : " ".repeat(width - w) + s;
    }

    static int columns(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || cp == 0x200B) {
            return 0;
        }
        return wide(cp) ? 2 : 1;
    }

    /** The East Asian Wide (W) and Fullwidth (F) ranges of Unicode's EastAsianWidth.txt, in short. */
    private static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F)      // Hangul Jamo initials
                || (cp >= 0x2E80 && cp <= 0x303E)  // CJK radicals, Kangxi, CJK symbols and punctuation
                || (cp >= 0x3041 && cp <= 0x33FF)  // Hiragana, Katakana, Bopomofo, CJK compatibility
                || (cp >= 0x3400 && cp <= 0x4DBF)  // CJK extension A
                || (cp >= 0x4E00 && cp <= 0x9FFF)  // CJK unified ideographs
                || (cp >= 0xA000 && cp <= 0xA4CF)  // Yi
                || (cp >= 0xAC00 && cp <= 0xD7A3)  // Hangul syllables
                || (cp >= 0xF900 && cp <= 0xFAFF)  // CJK compatibility ideographs
                || (cp >= 0xFE30 && cp <= 0xFE4F)  // CJK compatibility forms
                || (cp >= 0xFF00 && cp <= 0xFF60)  // fullwidth forms
                || (cp >= 0xFFE0 && cp <= 0xFFE6)  // fullwidth signs
                || (cp >= 0x1F300 && cp <= 0x1F64F) // pictographs and emoticons
                || (cp >= 0x20000 && cp <= 0x3FFFD); // CJK extensions B and later
    }
}
