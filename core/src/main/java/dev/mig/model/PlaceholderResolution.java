package dev.mig.model;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.SourceLocation;
import dev.mig.sql.PlaceholderText;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Puts placeholder values into a plan's SQL ({@code sql}, {@code sqlFile} and what recipes expand
 * to; in steps, cleanups and undo blocks). Two passes: {@link #resolve} before connecting replaces
 * every name with a value and {@code ${mig:plan}}, and fails with the file and line of the first
 * placeholder without one; {@link #session} after connecting replaces the built-ins only the
 * database knows ({@code ${mig:user}}, {@code ${mig:database}}, {@code ${mig:schema}} and their
 * Flyway names) and unescapes {@code \${name}}. Checksums were taken at load, over the text as
 * written: a value that differs between environments is not drift.
 */
public final class PlaceholderResolution {

    private PlaceholderResolution() {
    }

    /** The plan with every value but the session built-ins in its SQL, or a plan error naming the first missing one. */
    public static Plan resolve(Plan plan) {
        Placeholders p = plan.placeholders();
        if (!p.replace()) {
            return plan;
        }
        List<String> missing = new ArrayList<>();
        SourceLocation first = null;
        for (List<Action> actions : actionLists(plan)) {
            for (Action.Sql sql : sqlOf(actions)) {
                for (PlaceholderText.Use use : PlaceholderText.find(sql.text())) {
                    if (value(plan, use.name()) == null && !Placeholders.SESSION_BUILT_INS.containsKey(use.name())) {
                        SourceLocation at = sql.fromFile() ? new SourceLocation(sql.file(), use.line())
                                : sql.location().withLine(sql.location().line() + use.line() - 1);
                        first = first == null ? at : first;
                        missing.add("${" + use.name() + "} at " + at);
                    }
                }
            }
        }
        if (first != null) {
            String name = missing.get(0).substring(2, missing.get(0).indexOf('}'));
            boolean declared = p.values().containsKey(name);
            String message = "placeholder ${" + name + "} has no value"
                    + (declared ? " (the plan declares it without one" + (p.declaredAt() == null ? "" : " at " + p.declaredAt()) + ")" : "")
                    + (missing.size() > 1 ? "; also without a value: " + String.join(", ", missing.subList(1, missing.size())) : "");
            throw new MigException(ExitCode.PLAN_ERROR, message, first,
                    "give it one: placeholders " + name + ": '...' in the plan, placeholders " + name + ": '...' in an environment"
                            + " of mig.groovy (--env), or --set " + name + "=...; write \\${" + name + "} for the text itself,"
                            + " or placeholderReplacement false to run the plan's SQL as written", null);
        }
        return replaceAll(plan, name -> value(plan, name), false);
    }

    /** After connecting: the built-ins of the session, and escaped placeholders unescaped. */
    public static Plan session(Plan plan, String user, String database, String schema) {
        if (!plan.placeholders().replace()) {
            return plan;
        }
        Map<String, String> builtIns = Map.of("mig:user", user, "mig:database", database, "mig:schema", schema == null ? "" : schema);
        return replaceAll(plan, name -> {
            String builtIn = Placeholders.SESSION_BUILT_INS.get(name);
            return builtIn == null ? null : builtIns.get(builtIn);
        }, true);
    }

    /** Whether any SQL of the plan holds {@code ${}: only then does {@link #session} need the database. */
    public static boolean mentionsAny(Plan plan) {
        return plan.placeholders().replace()
                && actionLists(plan).stream().flatMap(a -> sqlOf(a).stream()).anyMatch(s -> s.text() != null && s.text().contains("${"));
    }

    private static String value(Plan plan, String name) {
        return "mig:plan".equals(name) ? plan.name() : plan.placeholders().values().get(name);
    }

    /** Every list of actions whose SQL takes placeholders: each step's cleanup, body and undo, and each hook's body. */
    private static List<List<Action>> actionLists(Plan plan) {
        List<List<Action>> out = new ArrayList<>();
        for (Step step : plan.steps()) {
            out.addAll(List.of(step.cleanup(), step.actions(), step.undo()));
        }
        plan.hooks().forEach(h -> out.add(h.actions()));
        return out;
    }

    private static List<Action.Sql> sqlOf(List<Action> actions) {
        return actions.stream().filter(a -> a instanceof Action.Sql).map(a -> (Action.Sql) a).toList();
    }

    private static Plan replaceAll(Plan plan, Function<String, String> value, boolean unescape) {
        List<Step> steps = new ArrayList<>();
        for (Step s : plan.steps()) {
            steps.add(new Step(s.name(), s.index(), s.location(), s.description(), s.requires(), s.guards(),
                    replace(s.cleanup(), value, unescape), replace(s.actions(), value, unescape), s.verify(),
                    replace(s.undo(), value, unescape), s.transactional(), s.lockTimeout(), s.statementTimeout(),
                    s.retries(), s.runAlways(), s.tags(), s.recipes(), s.checksum(), s.lintAllowed(), s.insteadOf(), s.lockRetryFor()));
        }
        List<Hook> hooks = plan.hooks().stream()
                .map(h -> new Hook(h.when(), replace(h.actions(), value, unescape), h.transactional(), h.location())).toList();
        return new Plan(plan.name(), plan.description(), plan.file(), plan.location(), plan.settings(), steps, plan.verify(),
                plan.recipes(), plan.defaults(), hooks, plan.placeholders());
    }

    private static List<Action> replace(List<Action> actions, Function<String, String> value, boolean unescape) {
        List<Action> out = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof Action.Sql sql && sql.text() != null && sql.text().contains("${")) {
                List<String> secrets = new ArrayList<>(sql.secrets());
                for (PlaceholderText.Use use : PlaceholderText.find(sql.text())) {
                    String v = value.apply(use.name());
                    if (v != null && !v.isEmpty() && "***".equals(Placeholders.shown(use.name(), v)) && !secrets.contains(v)) {
                        secrets.add(v);
                    }
                }
                out.add(new Action.Sql(PlaceholderText.replace(sql.text(), value, unescape), sql.file(), sql.location(), secrets));
            } else {
                out.add(a);
            }
        }
        return out;
    }
}
