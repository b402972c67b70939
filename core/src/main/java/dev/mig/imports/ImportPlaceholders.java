package dev.mig.imports;

import dev.mig.model.Placeholders;
import dev.mig.sql.PlaceholderText;
import dev.mig.text.GroovyText;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ${name}} placeholders of an imported folder's SQL, as the plan declares them. Flyway
 * replaces placeholders: each name that is not one of mig's built-ins ({@code ${flyway:user}},
 * {@code ${flyway:database}} and {@code ${flyway:defaultSchema}} are) is declared with a null
 * value and the file:line that first uses it, so that mig refuses to run until it is filled in.
 * The other tools replace nothing: a plan of their files holding {@code ${...}} turns replacement
 * off, so that the files run as they always did.
 */
final class ImportPlaceholders {

    private ImportPlaceholders() {
    }

    /** Each placeholder name mig does not know, with the first file:line using it, in file order. */
    static Map<String, String> unknown(MigrationFolder.Result result) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Migration m : result.migrations()) {
            if (m.code()) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            files.add(m.up());
            if (m.extra() != null) {
                files.addAll(m.extra().after());
            }
            if (m.down() != null) {
                files.add(m.down());
            }
            for (Path file : files) {
                if (!java.nio.file.Files.isRegularFile(file)) {
                    continue;   // written by the import after the plan (Sqitch, Liquibase, goose): not a Flyway file
                }
                for (PlaceholderText.Use use : PlaceholderText.find(MigrationFolder.read(file))) {
                    if (!Placeholders.SESSION_BUILT_INS.containsKey(use.name()) && !use.name().equals("mig:plan")) {
                        out.putIfAbsent(use.name(), file.getFileName() + ":" + use.line());
                    }
                }
            }
        }
        return out;
    }

    /** The plan lines (indented for the plan block) that declare the folder's placeholders; empty when there are none. */
    static String render(MigrationFolder.Result result) {
        Map<String, String> names = unknown(result);
        if (names.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if (result.format() != ImportFormat.FLYWAY) {
            return out.append("    placeholderReplacement false    // ").append(GroovyText.comment("the files hold ${...} ("
                    + names.values().iterator().next() + ") that " + result.format().cliName() + " does not replace: they run as written"))
                    .append("\n").toString();
        }
        out.append("    // Flyway placeholders: fill in each value, or give it with --set NAME=VALUE or an environment of mig.groovy;\n")
                .append("    // mig refuses to run a step using one that has none\n");
        // in parentheses: a command with named arguments (placeholders name: null) sends Groovy's parser
        // back over the whole file in its slow mode, 2.7 s more for a plan of 1,000 steps (docs/DSL.md)
        names.forEach((name, where) -> out.append("    placeholders(").append(key(name)).append(": null)    // ")
                .append(GroovyText.comment("fill in: used in " + where)).append('\n'));
        return out.toString();
    }

    private static String key(String name) {
        return name.matches("[A-Za-z_]\\w*") ? name : PlanWriter.quote(name);
    }
}
