package dev.mig.plan;

import dev.mig.model.Action;
import dev.mig.model.Guard;
import dev.mig.model.RecipeUse;
import dev.mig.model.VerifyBlock;
import dev.mig.sql.SqlNormalizer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Step checksums: SHA-256 over everything a step would run, normalised so that whitespace,
 * comments and line endings do not count. The result is prefixed with the algorithm version
 * ({@code v1:}), so a later mig can keep reading old journals while it computes newer ones.
 * Covered: SQL text and file contents, guard, groovy and verify closure source, cleanup actions,
 * whether the step is transactional, and the arguments of the recipes applied in it. A recipe
 * is covered by what it expands to (its SQL, actions and closure source are in the lists
 * above); its arguments are added because closures it adds see them without showing them in
 * their text. Steps that apply no recipe have exactly the checksum they had before recipes.
 * Not covered: description, tags, requires, timeouts, runAlways and undo, which do not change
 * what the step did to the database.
 */
public final class Checksums {

    public static final String VERSION = "v1";

    private Checksums() {
    }

    public static String step(List<Guard> guards, List<Action> cleanup, List<Action> actions,
                              VerifyBlock verify, boolean transactional, List<RecipeUse> recipes) {
        StringBuilder canonical = new StringBuilder();
        for (Guard guard : guards) {
            canonical.append("guard ").append(guard.onFalse()).append('\n')
                    .append(SqlNormalizer.normalizeGroovy(guard.source())).append('\n');
        }
        for (Action action : cleanup) {
            appendAction(canonical, action);
        }
        for (Action action : actions) {
            appendAction(canonical, action);
        }
        canonical.append("verify\n").append(SqlNormalizer.normalizeGroovy(verify.source())).append('\n');
        canonical.append("transaction ").append(transactional).append('\n');
        for (RecipeUse use : recipes) {
            if (!use.inUndo()) {
                canonical.append("recipe arguments ").append(argument(use.arguments())).append('\n');
            }
        }
        return VERSION + ":" + sha256(canonical.toString());
    }

    private static void appendAction(StringBuilder canonical, Action action) {
        if (action instanceof Action.Sql sql) {
            canonical.append("sql\n").append(SqlNormalizer.normalize(sql.text())).append('\n');
        } else if (action instanceof Action.Code code) {
            canonical.append("groovy\n").append(SqlNormalizer.normalizeGroovy(code.source())).append('\n');
        } else if (action instanceof Action.Ensure e) {
            canonical.append("ensure ").append(e.describe()).append('\n');
        } else if (action instanceof Action.Backfill b) {
            // the batch size, pause and throttles shape how it runs, not what it does
            canonical.append("backfill ").append(b.table()).append('\n')
                    .append(SqlNormalizer.normalize(b.statement() != null ? b.statement() : b.set())).append('\n')
                    .append(b.where() == null ? "" : SqlNormalizer.normalize(b.where())).append('\n');
        } else if (action instanceof Action.Cleanup c) {
            // an action without a name (dropOrphanedSequences) writes none; named ones read as they always have
            canonical.append("cleanup ").append(c.kind()).append(' ').append(c.name() == null ? "" : c.name())
                    .append(' ').append(new TreeMap<>(c.options())).append('\n');
        }
    }

    /** A stable text for an argument: the same plan text gives the same text on every run. */
    static String argument(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence text) {
            return "'" + text + "'";
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Character || value instanceof Enum<?>) {
            return value.toString();
        }
        if (value instanceof Object[] array) {
            return argument(java.util.Arrays.asList(array));
        }
        if (value instanceof Collection<?> list) {
            return "[" + String.join(", ", list.stream().map(Checksums::argument).toList()) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            return "[" + String.join(", ", map.entrySet().stream()
                    .map(e -> argument(e.getKey()) + ": " + argument(e.getValue())).toList()) + "]";
        }
        // a closure's (or other object's) identity changes from run to run: only its kind counts
        return value instanceof groovy.lang.Closure<?> ? "<closure>" : "<" + value.getClass().getName() + ">";
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** One digest a thread, reset by each digest(): looking the algorithm up again for each step was a tenth of a long plan's load. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    });
}
