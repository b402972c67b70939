package dev.mig.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code f}, {@code kb.f} or {@code f(int, numeric(10,2))} split into a name and argument type
 * texts. The types are not interpreted here: the server resolves them.
 *
 * @param argumentTypes null when no parenthesis was written (any overload), empty for {@code f()}
 */
public record FunctionSignature(QualifiedName name, List<String> argumentTypes) {

    public static FunctionSignature parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("function name is null");
        }
        String trimmed = text.strip();
        int open = openParen(trimmed);
        if (open < 0) {
            return new FunctionSignature(QualifiedName.parse(trimmed), null);
        }
        if (!trimmed.endsWith(")")) {
            throw new IllegalArgumentException("invalid function signature '" + text + "': missing closing ')'");
        }
        QualifiedName name = QualifiedName.parse(trimmed.substring(0, open));
        String inner = trimmed.substring(open + 1, trimmed.length() - 1);
        return new FunctionSignature(name, splitArguments(text, inner));
    }

    /** The first '(' outside double quotes, or -1. */
    private static int openParen(String text) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted; // a doubled quote toggles twice, which is right
            } else if (c == '(' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** Splits on commas at parenthesis depth 0, so {@code numeric(10,2)} stays one type. */
    private static List<String> splitArguments(String text, String inner) {
        List<String> args = new ArrayList<>();
        if (inner.isBlank()) {
            return args;
        }
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = new StringBuilder();
        for (char c : inner.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                args.add(argument(text, current));
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        if (depth != 0 || quoted) {
            throw new IllegalArgumentException("invalid function signature '" + text + "': unbalanced parentheses or quotes");
        }
        args.add(argument(text, current));
        return args;
    }

    private static String argument(String text, StringBuilder arg) {
        String type = arg.toString().strip();
        if (type.isEmpty()) {
            throw new IllegalArgumentException("invalid function signature '" + text + "': empty argument type");
        }
        return type;
    }
}
