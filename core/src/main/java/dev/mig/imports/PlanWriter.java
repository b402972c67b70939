package dev.mig.imports;

import dev.mig.text.GroovyText;

import java.nio.file.Path;

/** Writes the plan of an imported folder: one step per migration, file paths relative to the plan's folder. */
public final class PlanWriter {

    private PlanWriter() {
    }

    public static String render(String planName, Path sourceDir, MigrationFolder.Result result, Path planDir) {
        StringBuilder out = new StringBuilder();
        out.append("// Written by mig import from ").append(GroovyText.comment(relative(planDir, sourceDir))).append(" (")
                .append(result.format().cliName()).append(", ").append(result.migrations().size()).append(" migrations).\n");
        out.append("// Format ").append(GroovyText.comment(result.chosen())).append('\n');
        out.append("// Step names are the migrations' file names; paths are relative to this file.\n");
        if (!result.warnings().isEmpty()) {
            out.append("//\n// mig import warnings:\n");
            for (String w : result.warnings()) {
                out.append("//   ").append(GroovyText.comment(w)).append('\n');
            }
        }
        out.append("plan(").append(quote(planName)).append(") {\n");
        out.append(ImportPlaceholders.render(result));
        for (Migration m : result.migrations()) {
            out.append("\n    step(").append(quote(m.name())).append(") {\n");
            if (m.code()) {
                String message = CodeMigrations.message(m, result.format().cliName());
                out.append("        // ").append(GroovyText.comment(message + ": " + relative(planDir, m.up()))).append('\n');
                out.append("        sql ").append(quote(CodeMigrations.failingSql(message, CodeMigrations.hint()))).append('\n');
                out.append("    }\n");
                continue;
            }
            Migration.Extra extra = m.extra();
            if (extra != null && !extra.requires().isEmpty()) {
                out.append("        requires ").append(String.join(", ", extra.requires().stream().map(PlanWriter::quote).toList())).append('\n');
            }
            if (!m.transactional()) {
                String why = !m.refused().isEmpty() ? String.join(", ", m.refused())
                        : extra != null && extra.noTransactionWhy() != null ? extra.noTransactionWhy() : marker(result.format());
                out.append("        transaction false    // ").append(GroovyText.comment(why)).append('\n');
            }
            if (m.repeatable()) {
                out.append("        runAlways true       // ").append(GroovyText.comment(extra != null && extra.runAlwaysWhy() != null
                        ? extra.runAlwaysWhy() : "Flyway repeatable: runs on every mig run, after the versioned ones")).append('\n');
            }
            if (extra != null && extra.guard() != null) {
                out.append("        ").append(extra.guard()).append('\n');
            }
            out.append("        sqlFile ").append(quote(relative(planDir, m.up()))).append('\n');
            if (extra != null) {
                for (Path after : extra.after()) {
                    out.append("        sqlFile ").append(quote(relative(planDir, after))).append('\n');
                }
            }
            if (m.down() != null) {
                out.append("        undo { sqlFile ").append(quote(relative(planDir, m.down()))).append(" }\n");
            }
            out.append("    }\n");
        }
        out.append("}\n");
        return out.toString();
    }

    /** How the source asked for no transaction, as the step's comment says it. */
    private static String marker(ImportFormat format) {
        return switch (format) {
            case GOOSE -> "-- +goose NO TRANSACTION in the file";
            case POPX -> "popx .autocommit. file";
            case SQLX -> "-- no-transaction first in the file";
            default -> "transaction:false in the file";
        };
    }

    /** {@code to} from {@code from}, with forward slashes, as sqlFile takes it on every system. */
    static String relative(Path from, Path to) {
        String r = from.toAbsolutePath().normalize().relativize(to.toAbsolutePath().normalize()).toString().replace('\\', '/');
        return r.isEmpty() ? "." : r;
    }

    /** A single-quoted Groovy string whose value is exactly {@code s} (see GroovyText). */
    static String quote(String s) {
        return GroovyText.literal(s);
    }
}
