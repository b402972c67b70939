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
 */
public record Migration(String name, Path up, Path down, List<String> refused, boolean noTransaction, boolean repeatable, boolean code) {

    public Migration(String name, Path up, Path down, List<String> refused, boolean noTransaction, boolean repeatable) {
        this(name, up, down, refused, noTransaction, repeatable, false);
    }

    public boolean transactional() {
        return refused.isEmpty() && !noTransaction;
    }
}
