package dev.mig.report;

import dev.mig.result.VerifyFailure;

/**
 * Plan-supplied text (step, plan, recipe and tag names, messages quoting them) as mig prints it
 * to a terminal or into a report: characters that would act instead of show are written as
 * visible escapes, so a name can neither move the cursor, rewrite the line ({@code \r}, ESC
 * sequences) nor reorder what follows it (bidirectional overrides such as U+202E, the "Trojan
 * Source" characters). The journal and the JSON report keep the exact name; this is display only.
 *
 * <p>Escaped: C0 and C1 control characters and DEL ({@code \r}, {@code \n}, {@code \t} by those
 * names, the others as a backslash, {@code u} and four hex digits, as a Java string writes
 * them), Unicode format characters (category Cf: the bidi marks, embeddings, overrides and
 * isolates, zero-width space, BOM) except the zero-width joiner and non-joiner that scripts and
 * emoji need, line and paragraph separators, lone surrogates, and U+FFFE/U+FFFF.
 */
public final class Printable {

    private Printable() {
    }

    /** A name, on one line: every character above is escaped, line breaks too. */
    public static String name(String s) {
        return escape(s, false);
    }

    /** A message of one or more lines: as {@link #name}, but {@code \n} stays a line break and tab a tab. */
    public static String text(String s) {
        return escape(s, true);
    }

    /** An expectation that did not hold, as every report and command prints it: {@code MESSAGE (FILE:LINE)}. */
    public static String text(VerifyFailure failure) {
        return text(failure.text());
    }

    private static String escape(String s, boolean lines) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        boolean changed = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (!acts(cp) || (lines && (cp == '\n' || cp == '\t'))) {
                out.appendCodePoint(cp);
                continue;
            }
            changed = true;
            out.append(switch (cp) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> cp > 0xFFFF ? String.format("\\u{%X}", cp) : String.format("\\u%04X", cp);
            });
        }
        return changed ? out.toString() : s;
    }

    /** Whether a code point acts on the display instead of showing (a lone surrogate comes as its own value). */
    private static boolean acts(int cp) {
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF
                || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
            return true;
        }
        if (cp == 0x200C || cp == 0x200D) {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
