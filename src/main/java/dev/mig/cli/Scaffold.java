package dev.mig.cli;

import dev.mig.Mig;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.model.Plan;
import dev.mig.text.GroovyText;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code mig new}: writes a new plan file, or adds a step skeleton to an existing one. Never
 * overwrites a file; an edited plan is loaded again before it is kept, so a step is never left
 * where it breaks the plan.
 */
public final class Scaffold {

    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]*";

    private Scaffold() {
    }

    /** Writes {@code DIR/NAME.groovy}; refuses if it exists. Returns the file. */
    public static Path newPlan(String name, Path dir) {
        if (!name.matches(NAME)) {
            throw new MigException(ExitCode.PLAN_ERROR, "'" + name + "' cannot be a plan file name",
                    "use letters, digits, '.', '_' and '-', starting with a letter or digit: mig new plan add-orders");
        }
        Path file = dir.resolve(name + ".groovy");
        try {
            Files.createDirectories(dir);
            // CREATE_NEW: the refusal and the write are one step, so nothing can slip in between
            Files.writeString(file, planText(name), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new MigException(ExitCode.PLAN_ERROR, file + " exists already; mig new never overwrites a file",
                    "choose another name, or add a step to it: mig new step NAME --plan " + file);
        } catch (IOException e) {
            throw new MigException(ExitCode.PLAN_ERROR, "cannot write " + file + ": " + e.getMessage(),
                    "check that the folder is writable");
        }
        return file;
    }

    static String planText(String name) {
        return """
                // %1$s: a mig plan. Each step says when it runs (guard), what it does (sql), and what
                // must be true afterwards (verify). The contract is docs/DSL.md.
                //
                //   mig check %1$s.groovy                 compile and validate, no database
                //   mig run %1$s.groovy                   on an embedded PostgreSQL, thrown away at exit
                //   mig run --url postgres://me@localhost/app %1$s.groovy
                //   mig new step 'add an index' --plan %1$s.groovy
                plan('%1$s') {
                    description 'What this plan is for'
                    // lockTimeout '5s'                    // one wait of 5 s for a lock; unset: 500 ms a try, retried for up to 60 s
                    // owns 'app'                          // schemas only this plan fills: lets mig reset drop them

                    step('create example table') {
                        description 'An example step: replace it with your own'
                        guard { !table('example').exists() }   // false -> skipped, and asked again on the next run
                        sql '''
                            CREATE TABLE example (
                                id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                                name text NOT NULL
                            )
                        '''
                        // or: sqlFile 'sql/example.sql'     (relative to this file)
                        verify {                             // checked before commit: a failure rolls the step back
                            table('example') {
                                columns 2
                                column('name') { type 'text'; notNull true }
                            }
                        }
                    }
                }
                """.formatted(name);
    }

    static String stepText(String name) {
        String quoted = GroovyText.escape(name);
        return """
                    step('%s') {
                        description 'What this step does'
                        // guard { !table('t').exists() }      // false -> skipped
                        sql 'SELECT 1'                         // replace with the step's SQL, or: sqlFile 'sql/x.sql'
                        // verify { table 't' }
                    }
                """.formatted(quoted);
    }

    /**
     * Adds a step skeleton before the closing brace of the file's {@code plan(...) { }} block,
     * which must be the file's last non-blank character.
     */
    public static void newStep(String name, Path planFile) {
        if (name == null || name.isBlank()) {
            throw new MigException(ExitCode.PLAN_ERROR, "a step needs a name", "mig new step 'add an index' --plan plan.groovy");
        }
        if (!Files.isRegularFile(planFile)) {
            throw new MigException(ExitCode.PLAN_ERROR, "no plan file " + planFile, "create one first: mig new plan NAME");
        }
        Plan plan = Mig.plan(planFile).model();
        if (plan.step(name).isPresent()) {
            throw new MigException(ExitCode.PLAN_ERROR, "plan '" + plan.name() + "' has a step '" + name + "' already",
                    "step names identify steps in the journal; choose another name");
        }
        String original;
        try {
            original = Files.readString(planFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MigException(ExitCode.PLAN_ERROR, "cannot read " + planFile + ": " + e.getMessage(), null);
        }
        String body = original.stripTrailing();
        if (!body.endsWith("}") || !original.contains("plan(")) {
            throw new MigException(ExitCode.PLAN_ERROR, planFile + " does not end with the closing brace of a plan('...') { } block,"
                    + " so mig new cannot tell where a step goes; nothing was changed",
                    "add the step by hand, inside the plan block");
        }
        int brace = body.length() - 1;
        String before = body.substring(0, brace).stripTrailing();
        String edited = before + "\n\n" + stepText(name) + "}\n";
        Path temp = planFile.resolveSibling("." + planFile.getFileName() + ".mig-new");
        try {
            Files.writeString(temp, edited, StandardCharsets.UTF_8);
            try {
                Plan check = Mig.plan(temp).model();
                if (check.step(name).isEmpty()) {
                    throw new MigException(ExitCode.PLAN_ERROR, "the new step did not land inside plan '" + plan.name() + "'", null);
                }
            } catch (MigException e) {
                throw new MigException(ExitCode.PLAN_ERROR, "adding the step would break " + planFile + " (" + e.getMessage()
                        + "); nothing was changed", "add the step by hand, inside the plan block");
            }
            Files.move(temp, planFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MigException(ExitCode.PLAN_ERROR, "cannot write " + planFile + ": " + e.getMessage(), null);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover hidden temp file is harmless
            }
        }
    }
}
