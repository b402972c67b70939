package dev.mig.catalog;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Relations and what hangs on them: tables with their columns, indexes, constraints, triggers and
 * policies, and any other pg_class entry by kind, each found in the earliest schema that holds it.
 */
final class RelationLookup {

    static final Set<Character> TABLE_KINDS = Set.of('r', 'p');
    static final Set<Character> INDEX_KINDS = Set.of('i', 'I');
    /** What rowCount, triggers and policies can hang on. */
    static final Set<Character> ROW_SOURCE_KINDS = Set.of('r', 'p', 'v', 'm', 'f');

    private final Supplier<CatalogSnapshot> snapshot;
    private final SchemaOrder order;

    RelationLookup(Supplier<CatalogSnapshot> snapshot, SchemaOrder order) {
        this.snapshot = snapshot;
        this.order = order;
    }

    TableInfo table(QualifiedName name) {
        CatalogSnapshot.Rel rel = relationRow(name, TABLE_KINDS);
        if (rel == null) {
            return null;
        }
        CatalogSnapshot s = snapshot.get();
        List<String> policies = s.policiesOf(rel).stream().map(CatalogSnapshot.Pol::name).toList();
        return new TableInfo(rel.schema(), rel.name(), s.columns(rel), s.indexesOf(rel), s.constraintsOf(rel),
                s.triggersOf(rel), policies, rel.rowSecurity(), rel.forceRowSecurity(), rel.comment());
    }

    ColumnInfo column(String table, String column) {
        CatalogSnapshot.Rel rel = relationRow(QualifiedName.parse(table), ROW_SOURCE_KINDS);
        if (rel == null) {
            return null;
        }
        String wanted = QualifiedName.parseIdentifier(column);
        return snapshot.get().columns(rel).stream().filter(c -> c.name().equals(wanted)).findFirst().orElse(null);
    }

    IndexInfo index(QualifiedName name) {
        CatalogSnapshot.Rel rel = relationRow(name, INDEX_KINDS);
        return rel == null ? null : snapshot.get().index(rel);
    }

    RelationInfo relation(QualifiedName name, Set<Character> relkinds) {
        CatalogSnapshot.Rel rel = relationRow(name, relkinds);
        return rel == null ? null : new RelationInfo(rel.schema(), rel.name(), rel.kind());
    }

    CatalogSnapshot.Rel relationRow(QualifiedName name, Set<Character> relkinds) {
        String[] schemas = order.schemasFor(name, false);
        List<CatalogSnapshot.Rel> candidates = snapshot.get().relations(name.name(), schemas).stream()
                .filter(r -> relkinds == null || relkinds.isEmpty() || relkinds.contains(r.kind()))
                .toList();
        return SchemaOrder.earliest(candidates, schemas, CatalogSnapshot.Rel::schema);
    }

    ConstraintInfo constraint(String name) {
        QualifiedName qn = QualifiedName.parse(name);
        String[] schemas = order.schemasFor(qn, false);
        return SchemaOrder.earliest(snapshot.get().constraintsNamed(qn.name(), schemas), schemas, ConstraintInfo::schema);
    }

    ConstraintInfo constraint(String table, String name) {
        CatalogSnapshot.Rel rel = relationRow(QualifiedName.parse(table), ROW_SOURCE_KINDS);
        if (rel == null) {
            return null;
        }
        String wanted = QualifiedName.parseIdentifier(name);
        return snapshot.get().constraintsOf(rel).stream().filter(c -> c.name().equals(wanted)).findFirst().orElse(null);
    }

    boolean trigger(String table, String name) {
        CatalogSnapshot.Rel rel = relationRow(QualifiedName.parse(table), ROW_SOURCE_KINDS);
        String wanted = QualifiedName.parseIdentifier(name);
        return rel != null && snapshot.get().triggersOf(rel).contains(wanted);
    }

    boolean policy(String table, String name) {
        CatalogSnapshot.Rel rel = relationRow(QualifiedName.parse(table), ROW_SOURCE_KINDS);
        String wanted = QualifiedName.parseIdentifier(name);
        return rel != null && snapshot.get().policiesOf(rel).stream().anyMatch(p -> p.name().equals(wanted));
    }
}
