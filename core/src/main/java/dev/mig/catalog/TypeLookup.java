package dev.mig.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Types and functions, looked for in the search path and then {@code pg_catalog}: function
 * overloads told apart by their argument types as the server resolves them ({@code to_regtype}),
 * remembered until the catalog is read again.
 */
final class TypeLookup {

    private final Supplier<CatalogSnapshot> snapshot;
    private final SchemaOrder order;
    private final CatalogQueries queries;
    private final Map<String, Long> regtypes = new HashMap<>();

    TypeLookup(Supplier<CatalogSnapshot> snapshot, SchemaOrder order, CatalogQueries queries) {
        this.snapshot = snapshot;
        this.order = order;
        this.queries = queries;
    }

    void refresh() {
        regtypes.clear();
    }

    TypeInfo type(String name) {
        CatalogSnapshot.Typ typ = typeRow(name);
        return typ == null ? null : typ.info();
    }

    List<String> enumLabels(String name) {
        CatalogSnapshot.Typ typ = typeRow(name);
        if (typ == null || typ.info().kind() != 'e') {
            return null;
        }
        return snapshot.get().enumLabels(typ.oid());
    }

    private CatalogSnapshot.Typ typeRow(String name) {
        QualifiedName qn = QualifiedName.parse(name);
        String[] schemas = order.schemasFor(qn, true);
        return SchemaOrder.earliest(snapshot.get().types(qn.name(), schemas), schemas, t -> t.info().schema());
    }

    FunctionInfo function(String nameOrSignature) {
        FunctionSignature sig = FunctionSignature.parse(nameOrSignature);
        List<CatalogSnapshot.Fn> candidates = functionCandidates(sig.name());
        if (sig.argumentTypes() != null) {
            List<Long> wanted = regtypes(sig.argumentTypes());
            candidates = candidates.stream().filter(f -> f.argTypes().equals(wanted)).toList();
        }
        CatalogSnapshot.Fn fn = SchemaOrder.earliest(candidates, order.schemasFor(sig.name(), true), f -> f.info().schema());
        return fn == null ? null : fn.info();
    }

    List<FunctionInfo> functions(String name) {
        FunctionSignature sig = FunctionSignature.parse(name);
        String[] schemas = order.schemasFor(sig.name(), true);
        return functionCandidates(sig.name()).stream()
                .filter(f -> SchemaOrder.rank(schemas, f.info().schema()) < Integer.MAX_VALUE)
                .sorted(Comparator.<CatalogSnapshot.Fn>comparingInt(f -> SchemaOrder.rank(schemas, f.info().schema()))
                        .thenComparing(f -> f.info().identityArguments()))
                .map(CatalogSnapshot.Fn::info)
                .toList();
    }

    /**
     * The functions of this name the lookup can reach. The built-in schemas ({@code pg_catalog},
     * {@code information_schema}) are read only when no schema before them in the lookup's order
     * holds one: there are thousands of built-ins, and most lookups are for the user's own.
     */
    private List<CatalogSnapshot.Fn> functionCandidates(QualifiedName name) {
        String[] schemas = order.schemasFor(name, true);
        CatalogSnapshot s = snapshot.get();
        int firstBuiltin = schemas.length;
        for (int i = 0; i < schemas.length; i++) {
            if (CatalogSnapshot.isBuiltinSchema(schemas[i])) {
                firstBuiltin = i;
                break;
            }
        }
        List<CatalogSnapshot.Fn> before = s.functions(name.name(), Arrays.copyOf(schemas, firstBuiltin));
        if (!before.isEmpty() || firstBuiltin == schemas.length) {
            return before;
        }
        return s.functions(name.name(), schemas);
    }

    /**
     * The server's type oids for these type names ({@code int}, {@code varchar(20)}, ...), in one
     * query per distinct list, remembered until {@link #refresh()}; an unknown name gives -1.
     */
    private List<Long> regtypes(List<String> typeNames) {
        List<Long> out = new ArrayList<>();
        List<String> unknown = typeNames.stream().filter(t -> !regtypes.containsKey(t)).distinct().toList();
        if (!unknown.isEmpty()) {
            for (Map<String, Object> row : queries.query("""
                    SELECT t.a, coalesce(to_regtype(t.a)::oid, 0) AS oid
                      FROM unnest(?::text[]) AS t(a)""", (Object) unknown.toArray(String[]::new))) {
                long oid = ((Number) row.get("oid")).longValue();
                regtypes.put((String) row.get("a"), oid == 0 ? -1L : oid);
            }
        }
        for (String t : typeNames) {
            out.add(regtypes.get(t));
        }
        return out;
    }
}
