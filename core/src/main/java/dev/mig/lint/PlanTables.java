package dev.mig.lint;

import dev.mig.catalog.QualifiedName;
import dev.mig.lint.TargetFacts.TableSize;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tables as lint walks the plan in order: which ones the plan has created (new, so empty),
 * dropped or renamed so far, the columns and CHECK constraints its statements gave them, and the
 * indexes it created. Everything else is asked of the target ({@link TargetFacts}); without a
 * target, a table the plan has not created is taken to exist and hold rows.
 */
final class PlanTables {

    enum State {
        /** Created earlier in this plan: empty when the statement runs. */
        NEW,
        /** On the target (with its size), or, without a target, not created by this plan. */
        EXISTING,
        /** Dropped earlier in this plan, or neither on the target nor created by the plan. */
        ABSENT
    }

    /** A table a statement acts on, as lint sees it at that point of the plan. */
    record TableRef(QualifiedName name, State state, TableSize size) {

        boolean existing() {
            return state == State.EXISTING;
        }

        /**
         * For messages: {@code existing table public.orders (~2.1M rows, 180 MB)}, or without a target
         * {@code table public.orders (not created by this plan)}.
         */
        String described() {
            if (state != State.EXISTING) {
                return "table " + name;
            }
            return size == null ? "table " + name + " (not created by this plan)"
                    : "existing " + (size.kind() == 'm' ? "materialized view " : "table ") + name + " (" + size.describe() + ")";
        }
    }

    /** A CHECK constraint the plan added: the columns it proves not null, and whether it is validated yet. */
    private static final class PlanCheck {
        final List<String> notNull;
        boolean validated;

        PlanCheck(List<String> notNull, boolean validated) {
            this.notNull = notNull;
            this.validated = validated;
        }
    }

    /** What stands behind a SET NOT NULL: a validated check, a check not validated yet (by name), or nothing. */
    record NotNullProof(boolean proven, String notValidCheck) {
    }

    private static final String UNNAMED = "\0unnamed ";

    private final TargetFacts target;
    /** true: created by the plan; false: dropped (or renamed away) by the plan. */
    private final Map<QualifiedName, Boolean> created = new HashMap<>();
    /** A table the plan renamed, under its new name: the name the target knows it by. */
    private final Map<QualifiedName, QualifiedName> renamedFrom = new HashMap<>();
    private final Map<QualifiedName, Set<String>> planColumns = new HashMap<>();
    private final Map<QualifiedName, Set<String>> droppedColumns = new HashMap<>();
    private final Map<QualifiedName, QualifiedName> planIndexes = new LinkedHashMap<>();
    private final Map<QualifiedName, Map<String, PlanCheck>> planChecks = new HashMap<>();
    /** Constraints of the target that a VALIDATE CONSTRAINT in the plan has validated. */
    private final Map<QualifiedName, Set<String>> validatedInPlan = new HashMap<>();

    PlanTables(TargetFacts target) {
        this.target = target;
    }

    /**
     * {@code {schema or null, name}} as a qualified name: an unqualified name is the table of that
     * name the plan created in the schema a CREATE would use, else where the target's search path
     * finds it (see {@link TargetFacts#schemaFor}).
     */
    QualifiedName qualify(String[] name) {
        if (name[0] != null) {
            return new QualifiedName(name[0], name[1]);
        }
        QualifiedName inCurrent = new QualifiedName(target.currentSchema(), name[1]);
        if (Boolean.TRUE.equals(created.get(inCurrent))) {
            return inCurrent;
        }
        return new QualifiedName(target.schemaFor(name[1]), name[1]);
    }

    /** The name a CREATE gives: unqualified names go to {@code current_schema()} (public without a target). */
    QualifiedName qualifyNew(String[] name) {
        return new QualifiedName(name[0] != null ? name[0] : target.currentSchema(), name[1]);
    }

    TableRef table(QualifiedName name) {
        Boolean mark = created.get(name);
        if (Boolean.TRUE.equals(mark)) {
            return new TableRef(name, State.NEW, null);
        }
        if (Boolean.FALSE.equals(mark)) {
            return new TableRef(name, State.ABSENT, null);
        }
        if (!target.connected()) {
            return new TableRef(name, State.EXISTING, null);
        }
        Optional<TableSize> size = target.table(origin(name));
        return size.map(s -> new TableRef(name, State.EXISTING, s)).orElseGet(() -> new TableRef(name, State.ABSENT, null));
    }

    private QualifiedName origin(QualifiedName name) {
        return renamedFrom.getOrDefault(name, name);
    }

    /** The name the target knows a table by: its name before the plan renamed it. */
    QualifiedName targetName(TableRef table) {
        return origin(table.name());
    }

    /** CREATE TABLE (or a materialized view): new from here on, unless IF NOT EXISTS met a table already there. */
    void create(QualifiedName name, boolean ifNotExists, List<String> columns) {
        if (ifNotExists && table(name).existing() && target.connected()) {
            return;
        }
        created.put(name, true);
        renamedFrom.remove(name);
        planColumns.put(name, new LinkedHashSet<>(columns));
        droppedColumns.remove(name);
        planChecks.remove(name);
    }

    void drop(QualifiedName name) {
        created.put(name, false);
        renamedFrom.remove(name);
    }

    /** ALTER TABLE a RENAME TO b: b is what a was (new, or the target's a). */
    void rename(QualifiedName from, String to) {
        QualifiedName renamed = new QualifiedName(from.schema(), to);
        if (Boolean.TRUE.equals(created.get(from))) {
            created.put(renamed, true);
        } else {
            created.remove(renamed);
            renamedFrom.put(renamed, origin(from));
        }
        move(planColumns, from, renamed);
        move(droppedColumns, from, renamed);
        move(planChecks, from, renamed);
        move(validatedInPlan, from, renamed);
        created.put(from, false);
        renamedFrom.remove(from);
    }

    private static <V> void move(Map<QualifiedName, V> map, QualifiedName from, QualifiedName to) {
        V value = map.remove(from);
        if (value != null) {
            map.put(to, value);
        }
    }

    void addColumn(QualifiedName table, String column) {
        planColumns.computeIfAbsent(table, k -> new LinkedHashSet<>()).add(column);
        Set<String> dropped = droppedColumns.get(table);
        if (dropped != null) {
            dropped.remove(column);
        }
    }

    void dropColumn(QualifiedName table, String column) {
        Set<String> columns = planColumns.get(table);
        if (columns != null) {
            columns.remove(column);
        }
        droppedColumns.computeIfAbsent(table, k -> new LinkedHashSet<>()).add(column);
    }

    /** The table's columns at this point: the target's (for a table the plan did not create) and the plan's. */
    Set<String> columns(TableRef table) {
        Set<String> out = new LinkedHashSet<>();
        if (table.existing()) {
            out.addAll(target.columns(origin(table.name())));
        }
        out.addAll(planColumns.getOrDefault(table.name(), Set.of()));
        out.removeAll(droppedColumns.getOrDefault(table.name(), Set.of()));
        return out;
    }

    void indexCreated(QualifiedName index, QualifiedName table) {
        planIndexes.put(index, table);
    }

    /**
     * The table of an index a DROP INDEX or REINDEX names: one the plan created (by that name, in
     * any schema when the name is unqualified), else the target's; null when unknown.
     */
    QualifiedName tableOfIndex(String[] name) {
        for (Map.Entry<QualifiedName, QualifiedName> e : planIndexes.entrySet()) {
            if (e.getKey().name().equals(name[1]) && (name[0] == null || name[0].equals(e.getKey().schema()))) {
                return e.getValue();
            }
        }
        return target.tableOfIndex(qualify(name));
    }

    void indexDropped(String[] name) {
        planIndexes.keySet().removeIf(k -> k.name().equals(name[1]) && (name[0] == null || name[0].equals(k.schema())));
    }

    /** ADD [CONSTRAINT name] CHECK (...) [NOT VALID]. An unnamed check cannot be validated later by name. */
    void checkAdded(QualifiedName table, String name, List<String> notNull, boolean validated) {
        Map<String, PlanCheck> checks = planChecks.computeIfAbsent(table, k -> new LinkedHashMap<>());
        // an unnamed check gets a key no name can have: the server names it, and lint does not guess how
        checks.put(name == null ? UNNAMED + checks.size() : name, new PlanCheck(notNull, validated));
    }

    void constraintValidated(QualifiedName table, String name) {
        PlanCheck check = planChecks.getOrDefault(table, Map.of()).get(name);
        if (check != null) {
            check.validated = true;
        } else {
            validatedInPlan.computeIfAbsent(table, k -> new LinkedHashSet<>()).add(name);
        }
    }

    /** Whether a validated CHECK (col IS NOT NULL), from the plan or the target, lets SET NOT NULL skip its scan. */
    NotNullProof notNullProof(TableRef table, String column) {
        String notValid = null;
        for (Map.Entry<String, PlanCheck> e : planChecks.getOrDefault(table.name(), Map.of()).entrySet()) {
            if (e.getValue().notNull.contains(column)) {
                if (e.getValue().validated) {
                    return new NotNullProof(true, null);
                }
                notValid = e.getKey();
            }
        }
        if (table.existing()) {
            Set<String> validatedHere = validatedInPlan.getOrDefault(table.name(), Set.of());
            for (TargetFacts.Check check : target.checks(origin(table.name()))) {
                List<String> proves = Tokens.notNullColumns(dev.mig.sql.SqlTokens.of(check.definition()));
                if (proves.contains(column)) {
                    if (check.validated() || validatedHere.contains(check.name())) {
                        return new NotNullProof(true, null);
                    }
                    notValid = check.name();
                }
            }
        }
        return new NotNullProof(false, notValid != null && notValid.startsWith(UNNAMED) ? "" : notValid);
    }
}
