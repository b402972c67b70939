package dev.mig.imports;

import java.nio.file.Path;
import java.util.List;

/**
 * One migration of an imported folder, as it becomes one step.
 *
 * @param name          the step's name: the whole file name, so two files of one version never collide
 * @param up            the file the step runs
 * @param down          the file its undo block runs; null when there is none
 * @param refused       statements of {@code up} that cannot run in a transaction (the step gets {@code transaction false})
 * @param noTransaction the source asked for no transaction (dbmate's {@code transaction:false})
 * @param repeatable    a Flyway repeatable ({@code R__}): the step gets {@code runAlways true}
 * @param code          a code migration (goose {@code .go}): {@code up} is the source file, which mig cannot run;
 *                      the step fails with a message naming it (see {@link CodeMigrations})
 * @param extra         what Sqitch and Liquibase add (requires, a guard, files run after {@code up}); null for the other formats
 */
public record Migration(String name, Path up, Path down, List<String> refused, boolean noTransaction, boolean repeatable,
                        boolean code, Extra extra) {

    public Migration(String name, Path up, Path down, List<String> refused, boolean noTransaction, boolean repeatable) {
        this(name, up, down, refused, noTransaction, repeatable, false, null);
    }

    /** A code migration ({@code code} true) or a SQL one. */
    public Migration(String name, Path up, Path down, List<String> refused, boolean noTransaction, boolean repeatable, boolean code) {
        this(name, up, down, refused, noTransaction, repeatable, code, null);
    }

    /** A SQL migration with what Sqitch or Liquibase add. */
    public Migration(String name, Path up, Path down, List<String> refused, boolean noTransaction, boolean repeatable, Extra extra) {
        this(name, up, down, refused, noTransaction, repeatable, false, extra);
    }

    /**
     * @param requires      names of earlier steps this one depends on (Sqitch's {@code [dep]})
     * @param guard         a whole Groovy {@code guard} line, or null (Liquibase's precondition)
     * @param after         files run after {@code up} in the same step (Sqitch's verify script)
     * @param runAlwaysWhy  the comment of {@code runAlways true} when {@code repeatable} comes from another tool; null for Flyway's
     * @param noTransactionWhy the comment of {@code transaction false} when the source asked for it; null for dbmate's
     */
    public record Extra(List<String> requires, String guard, List<Path> after, String runAlwaysWhy, String noTransactionWhy) {
    }

    public boolean transactional() {
        return refused.isEmpty() && !noTransaction;
    }
}
