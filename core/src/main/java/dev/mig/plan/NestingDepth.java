package dev.mig.plan;

import dev.mig.api.SourceLocation;

import java.nio.file.Path;
import java.util.List;

/**
 * Refuses a file whose brackets nest deeper than any plan needs, before Groovy's parser sees it.
 * The parser's prediction slows down sharply with nesting (3,000 nested closures ran for minutes)
 * and its tree builder overflows the stack at a few hundred levels; a plan nests a handful.
 * Strings and comments are skipped roughly (no slashy strings): a miscount only shifts the depth
 * of a file that is far from the limit.
 */
final class NestingDepth {

    /** Far beyond what a plan writes (plan, step, block, a few closures), far below what stalls the parser. */
    static final int LIMIT = 100;

    private NestingDepth() {
    }

    static void check(String text, Path file) {
        int depth = 0;
        int line = 1;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i + 1 < n && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 1;
                line += count(text, i, end);
                i = end;
            } else if (c == '\'' || c == '"') {
                String quote = text.startsWith(String.valueOf(c).repeat(3), i) ? String.valueOf(c).repeat(3) : String.valueOf(c);
                int end = closing(text, i + quote.length(), quote);
                line += count(text, i, end);
                i = end;
            } else if (c == '{' || c == '(' || c == '[') {
                depth++;
                if (depth > LIMIT) {
                    throw new PlanException(List.of(new PlanProblem(new SourceLocation(file, line),
                            "blocks and brackets nest more than " + LIMIT + " levels deep here; mig does not compile"
                                    + " a file nested this deep (Groovy's parser would take minutes or overflow)",
                            "flatten the nesting: move inner blocks into methods (def helper() { ... }) or recipes")));
                }
            } else if (c == '}' || c == ')' || c == ']') {
                depth = Math.max(0, depth - 1);
            }
        }
    }

    /** The index of the last char of the closing quote (or the end of the text). */
    private static int closing(String text, int from, String quote) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (text.startsWith(quote, i)) {
                return i + quote.length() - 1;
            } else if (c == '\n' && quote.length() == 1) {
                return i - 1;
            }
        }
        return text.length() - 1;
    }

    private static int count(String text, int from, int to) {
        int lines = 0;
        for (int i = from; i <= to && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
