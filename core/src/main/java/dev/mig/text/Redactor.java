package dev.mig.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes passwords from URL-ish text before it reaches a message, a log line or a report.
 * It errs on the side of hiding too much: a password may hold characters the user forgot to
 * percent-encode, so everything up to the last {@code @} of the word goes.
 */
public final class Redactor {

    static final String MASK = "***";

    // scheme://user:PASSWORD@host — greedy to the last '@' of the word, see above
    private static final Pattern USERINFO =
            Pattern.compile("(?i)([a-z][a-z0-9+.\\-]*://[^\\s/@:]*:)[^\\s]*@");

    // password=SECRET in JDBC query strings and key=value lists; also catches
    // sslpassword= and PGPASSWORD= because the match is on the suffix. A backslash escapes the
    // next character, quoted or not (libpq's rule), an unclosed quote hides the rest, and an
    // unquoted value ends at a space or '&' only, since a password may hold ',' or ';'.
    private static final Pattern KEY_VALUE =
            Pattern.compile("(?i)(password\\s*=\\s*)('(?:\\\\.|[^'\\\\])*'?|\"[^\"]*\"?|(?:\\\\.|[^&\\s\\\\])*)");

    private Redactor() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = USERINFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        return KEY_VALUE.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }
}
