package dev.mig.imports;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.sql.SqlStatement;
import dev.mig.sql.SqlTokens;
import dev.mig.sql.StatementSplitter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Sqitch project: {@code sqitch.plan} gives the changes in deploy order with their
 * dependencies; {@code deploy/<change>.sql}, {@code revert/<change>.sql} and
 * {@code verify/<change>.sql} become the step's SQL, its undo block and SQL run after the deploy
 * script in the same transaction. Top-level {@code BEGIN}, {@code COMMIT} and {@code ROLLBACK}
 * lines (Sqitch's PostgreSQL templates hold them, since Sqitch runs each script with psql) become
 * comments in a copy beside the plan, because mig runs each step in its own transaction.
 */
final class SqitchFolder {

    static final String PLAN = "sqitch.plan";
    /** {@code name [deps] 2013-12-30T23:19:51Z Planner <email> # note}; the name may not hold spaces, brackets or {@code @}. */
    private static final Pattern CHANGE = Pattern.compile("([^\\s\\[\\]@#:%]+)\\s*(?:\\[([^\\]]*)\\])?\\s*(\\d{4}-\\d\\d-\\d\\dT\\S+)?.*");
    private static final Pattern TAG = Pattern.compile("@([^\\s#]+).*");

    private final Path dir;
    private final Path generatedDir;
    private final MigrationFolder folder;
    private final List<String> warnings;
    private final Map<Path, String> generated;

    SqitchFolder(Path dir, Path generatedDir, MigrationFolder folder, List<String> warnings, Map<Path, String> generated) {
        this.dir = dir;
        this.generatedDir = generatedDir;
        this.folder = folder;
        this.warnings = warnings;
        this.generated = generated;
    }

    private record Change(String name, List<String> deps, int line) {
    }

    List<Migration> read() {
        Path planFile = dir.resolve(PLAN);
        List<String> lines = MigrationFolder.read(planFile).lines().toList();
        String project = null;
        // the plan in order: changes and tags (a tag is a Change with a null deps list)
        List<Change> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int lineNo = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("%")) {
                Matcher p = Pattern.compile("%\\s*project\\s*=\\s*(\\S+)").matcher(line);
                if (p.matches()) {
                    project = p.group(1);
                }
                continue;
            }
            Matcher tag = TAG.matcher(line);
            if (tag.matches()) {
                entries.add(new Change(tag.group(1), null, lineNo));
                continue;
            }
            Matcher c = CHANGE.matcher(line);
            if (!c.matches()) {
                throw new MigException(ExitCode.PLAN_ERROR, PLAN + ":" + lineNo + ": not a change or tag line: " + line,
                        "a change is 'name [dependencies] timestamp planner <email> # note'; fix the line or pass another --format");
            }
            List<String> deps = c.group(2) == null ? List.of() : List.of(c.group(2).trim().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();
            entries.add(new Change(c.group(1), deps, lineNo));
        }
        // a change that is reworked appears again later; its earlier versions' scripts are <name>@<first tag after it>.sql
        Map<String, Integer> lastIndex = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).deps() != null) {
                lastIndex.put(entries.get(i).name(), i);
            }
        }
        List<Migration> out = new ArrayList<>();
        Map<String, String> stepOf = new HashMap<>();          // change name -> its latest step name so far
        Map<String, String> stepAtTag = new HashMap<>();       // change@tag -> the step name of the change as of that tag
        for (int i = 0; i < entries.size(); i++) {
            Change change = entries.get(i);
            if (change.deps() == null) {
                stepOf.forEach((name, step) -> stepAtTag.put(name + "@" + change.name(), step));
                continue;
            }
            String stem = change.name();
            if (lastIndex.get(change.name()) != i) {
                String tag = null;
                for (int j = i + 1; j < entries.size() && tag == null; j++) {
                    if (entries.get(j).deps() == null) {
                        tag = entries.get(j).name();
                    }
                }
                if (tag == null) {
                    throw new MigException(ExitCode.PLAN_ERROR, PLAN + ":" + change.line() + ": change '" + change.name()
                            + "' appears again later without a tag between", "Sqitch refuses this too: a reworked change needs a tag after its earlier version");
                }
                stem = change.name() + "@" + tag;
            }
            List<String> requires = new ArrayList<>();
            for (String dep : change.deps()) {
                String where = PLAN + ":" + change.line();
                if (dep.startsWith("!")) {
                    warnings.add(where + ": conflict " + dep + " of " + change.name() + " not carried: mig has no conflicts; the plan never undoes a step to deploy another");
                    continue;
                }
                int colon = dep.indexOf(':');
                if (colon >= 0) {
                    if (project != null && dep.substring(0, colon).equals(project)) {
                        dep = dep.substring(colon + 1);
                    } else {
                        warnings.add(where + ": " + change.name() + " requires " + dep + " of another project, not carried; deploy that project first");
                        continue;
                    }
                }
                String step = dep.contains("@") ? stepAtTag.get(dep) : stepOf.get(dep);
                if (step == null) {
                    throw new MigException(ExitCode.PLAN_ERROR, where + ": " + change.name() + " requires '" + dep
                            + "', which is not an earlier change of " + PLAN, "Sqitch refuses to deploy this too; fix the dependency or the order");
                }
                requires.add(step);
            }
            Path deploy = script("deploy", stem, change, true);
            Path revert = script("revert", stem, change, false);
            Path verify = script("verify", stem, change, false);
            List<String> refused = folder.refused("deploy/" + stem + ".sql", generated.containsKey(deploy) ? generated.get(deploy) : MigrationFolder.read(deploy));
            out.add(new Migration(stem, deploy, revert, refused, false, false,
                    new Migration.Extra(requires, null, verify == null ? List.of() : List.of(verify), null, null)));
            stepOf.put(change.name(), stem);
        }
        if (out.isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "no changes in " + planFile, "add changes with sqitch add, or name another folder");
        }
        return out;
    }

    /** The script to run for {@code kind}: the original, or a copy with top-level transaction control made comments. */
    private Path script(String kind, String stem, Change change, boolean required) {
        Path original = dir.resolve(kind).resolve(stem + ".sql");
        if (!Files.isRegularFile(original)) {
            if (required) {
                throw new MigException(ExitCode.PLAN_ERROR, PLAN + ":" + change.line() + ": change '" + change.name() + "' has no " + kind + "/" + stem + ".sql",
                        "Sqitch could not deploy it either; add the script or remove the change from " + PLAN);
            }
            if (!kind.equals("verify")) {
                warnings.add(kind + "/" + stem + ".sql: missing, so step " + stem + " has no undo block");
            }
            return null;
        }
        String text = MigrationFolder.read(original);
        String stripped = withoutTransactionControl(text);
        if (stripped.equals(text)) {
            return original;
        }
        Path copy = generatedDir.resolve("sqitch").resolve(kind).resolve(stem + ".sql");
        generated.put(copy, stripped + (stripped.endsWith("\n") ? "" : "\n")
                + "-- " + kind + "/" + stem + ".sql, written by mig import: its BEGIN/COMMIT/ROLLBACK are comments above (mig runs the step in"
                + " its own transaction); line numbers are the original's. Edit the original and import again.\n");
        return copy;
    }

    /** {@code text} with each top-level BEGIN, START TRANSACTION, COMMIT, END or ROLLBACK statement turned into a comment of one line. */
    static String withoutTransactionControl(String text) {
        StringBuilder out = new StringBuilder(text);
        List<SqlStatement> statements = StatementSplitter.split(text);
        for (int i = statements.size() - 1; i >= 0; i--) {
            SqlStatement s = statements.get(i);
            List<SqlTokens.Token> t = SqlTokens.of(s.text());
            if (t.isEmpty() || s.text().contains("\n")) {
                continue;
            }
            boolean control = (t.get(0).is("BEGIN") || t.get(0).is("COMMIT") || t.get(0).is("ROLLBACK") || t.get(0).is("END")
                    || (t.get(0).is("START") && t.size() > 1 && t.get(1).is("TRANSACTION")));
            if (control) {
                out.replace(s.startOffset(), s.startOffset() + s.text().length(), "/* " + s.text().replace("*/", "* /") + " */");
            }
        }
        return out.toString();
    }

    static boolean isProject(Path dir) {
        return Files.isRegularFile(dir.resolve(PLAN));
    }
}
