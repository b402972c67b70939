package dev.mig.plan;

import dev.mig.catalog.CatalogView;
import dev.mig.model.ObjectKind;
import dev.mig.text.DidYouMean;
import groovy.lang.Closure;
import groovy.lang.Script;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.DynamicVariable;
import org.codehaus.groovy.ast.FieldNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.PropertyNode;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.runtime.DefaultGroovyMethods;
import org.codehaus.groovy.runtime.DefaultGroovyStaticMethods;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads guard, expect and groovy blocks when the plan compiles, as the loader cannot: they run
 * only against a database, so a misspelt word in them ({@code enumTyp('tier').exists()}) used to
 * pass mig check and fail at run time, after the step's SQL ran, as a NullPointerException. In
 * these blocks the catalog view is the delegate: a call without a receiver must be one of its
 * words, a method of the plan file, a binding closure, or a method Groovy gives every object;
 * a bare name must be a declared variable, a parameter, a property of the catalog view or the
 * script, or a binding variable the file assigns. A literal name given to a catalog word gets the
 * name check the catalog would apply. Closures nested in a block are read too when they are
 * iteration closures (each, every, any, ...), which keep the block's delegate; other nested
 * closures may have any delegate and are left alone.
 */
final class CatalogBlockCheck {

    /** The DSL words whose closure has the catalog view as delegate. */
    private static final Map<String, String> BLOCKS = Map.of(
            "guard", "a guard block", "expect", "an expect block", "groovy", "a groovy block");

    /** DGM methods that call their closure without changing its delegate. */
    private static final Set<String> ITERATING = Set.of("each", "eachWithIndex", "every", "any", "find", "findAll",
            "findResult", "findResults", "collect", "collectMany", "collectEntries", "count", "sum", "inject", "groupBy",
            "sort", "toSorted", "min", "max", "unique", "takeWhile", "dropWhile", "times", "upto", "downto", "step",
            "eachRow", "rows", "withCloseable", "findIndexOf", "split", "retainAll", "removeAll", "countBy", "withDefault");

    private static final Set<String> CATALOG_METHODS = publicMethods(CatalogView.class);
    private static final Set<String> CATALOG_PROPERTIES = properties(CatalogView.class);
    private static final Set<String> GROOVY_METHODS = new HashSet<>();
    private static final Set<String> GROOVY_PROPERTIES = new HashSet<>();

    static {
        GROOVY_METHODS.addAll(publicMethods(DefaultGroovyMethods.class));
        GROOVY_METHODS.addAll(publicMethods(DefaultGroovyStaticMethods.class));
        GROOVY_METHODS.addAll(publicMethods(Closure.class));
        GROOVY_METHODS.addAll(publicMethods(Script.class));
        GROOVY_PROPERTIES.addAll(properties(Closure.class));
        GROOVY_PROPERTIES.addAll(properties(Script.class));
        GROOVY_PROPERTIES.addAll(Set.of("this", "super", "it", "owner", "delegate", "thisObject", "out"));
    }

    private CatalogBlockCheck() {
    }

    static CompilationCustomizer check(String baseClass) {
        return new CompilationCustomizer(CompilePhase.CANONICALIZATION) {
            @Override
            public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
                if (!classNode.isScript()) {
                    return;
                }
                Set<String> methods = new HashSet<>(GROOVY_METHODS);
                Set<String> names = new HashSet<>(GROOVY_PROPERTIES);
                scriptWords(baseClass, methods, names);
                for (MethodNode m : classNode.getMethods()) {
                    methods.add(m.getName());
                }
                for (FieldNode f : classNode.getFields()) {
                    names.add(f.getName());
                }
                for (PropertyNode p : classNode.getProperties()) {
                    names.add(p.getName());
                }
                Set<String> assigned = bindingAssignments(classNode, source);
                names.addAll(assigned);
                methods.addAll(assigned);  // a binding variable holding a closure is called like a method
                new ClassCodeVisitorSupport() {
                    @Override
                    protected SourceUnit getSourceUnit() {
                        return source;
                    }

                    @Override
                    public void visitMethodCallExpression(MethodCallExpression call) {
                        String block = call.isImplicitThis() && call.getMethodAsString() != null ? BLOCKS.get(call.getMethodAsString()) : null;
                        ClosureExpression body = lastClosure(call.getArguments());
                        if (block != null && body != null) {
                            body.getCode().visit(new InBlock(source, block, methods, names));
                        } else {
                            super.visitMethodCallExpression(call);
                        }
                    }
                }.visitClass(classNode);
            }
        };
    }

    /** Reads one block: every receiver-less call and bare name in it. */
    private static final class InBlock extends CodeVisitorSupport {
        private final SourceUnit source;
        private final String block;
        private final Set<String> methods;
        private final Set<String> names;

        InBlock(SourceUnit source, String block, Set<String> methods, Set<String> names) {
            this.source = source;
            this.block = block;
            this.methods = methods;
            this.names = names;
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            String name = call.getMethodAsString();
            if (call.isImplicitThis() && name != null) {
                if (CATALOG_METHODS.contains(name)) {
                    checkNames(name, call);
                } else if (!methods.contains(name)) {
                    ScriptCompiler.report(source, call, "unknown element '" + name + "' in " + block,
                            DidYouMean.suggest(name, CATALOG_METHODS).map(s -> "did you mean '" + s + "'?")
                                    .orElse("the catalog answers " + String.join(", ", new TreeSet<>(CATALOG_METHODS))
                                            + " (docs/DSL.md section 4)"));
                }
            }
            call.getObjectExpression().visit(this);
            call.getMethod().visit(this);
            if (call.getArguments() instanceof TupleExpression tuple) {
                for (Expression argument : tuple.getExpressions()) {
                    if (argument instanceof ClosureExpression closure) {
                        if (!call.isImplicitThis() && name != null && ITERATING.contains(name)) {
                            closure.getCode().visit(this);
                        }
                    } else {
                        argument.visit(this);
                    }
                }
            } else {
                call.getArguments().visit(this);
            }
        }

        @Override
        public void visitClosureExpression(ClosureExpression expression) {
            // a closure not handed to an iteration method: its delegate is unknown here
        }

        @Override
        public void visitVariableExpression(VariableExpression expression) {
            String name = expression.getName();
            if (expression.getAccessedVariable() instanceof DynamicVariable && !names.contains(name)
                    && !CATALOG_PROPERTIES.contains(name)) {
                String hint = "db".equals(name) && block.equals("a groovy block")
                        ? "name the block's parameter: groovy { db -> db.execute '...' }"
                        : DidYouMean.suggest(name, CATALOG_PROPERTIES).map(s -> "did you mean '" + s + "'?")
                        .orElse("declare it (def " + name + " = ...), take it as a parameter, or quote it if it is text");
                ScriptCompiler.report(source, expression, "unknown name '" + name + "' in " + block, hint);
            }
        }

        /** A literal name given to a catalog word gets the catalog's own name check now, not after the SQL ran. */
        private void checkNames(String word, MethodCallExpression call) {
            if (!(call.getArguments() instanceof TupleExpression tuple)) {
                return;
            }
            List<Expression> args = tuple.getExpressions();
            ObjectKind kind = kindOf(word);
            if (kind != null && args.size() == 1 && literal(args.get(0)) != null) {
                CatalogNames.problem(kind, literal(args.get(0)))
                        .ifPresent(m -> ScriptCompiler.report(source, call, word + ": " + m, NAME_HINT));
            } else if (Set.of("column", "trigger", "policy", "constraint").contains(word) && args.size() == 2) {
                String table = literal(args.get(0));
                String member = literal(args.get(1));
                if (table != null) {
                    CatalogNames.problem(ObjectKind.TABLE, table).ifPresent(m -> ScriptCompiler.report(source, call, word + ": " + m, NAME_HINT));
                }
                if (member != null) {
                    CatalogNames.problem(ObjectKind.SCHEMA, member).ifPresent(m -> ScriptCompiler.report(source, call, word + ": " + m, NAME_HINT));
                }
            }
        }
    }

    static final String NAME_HINT = "names are written as SQL writes them: name, schema.name, \"Quoted Name\"";

    private static ObjectKind kindOf(String word) {
        return switch (word) {
            case "table" -> ObjectKind.TABLE;
            case "view" -> ObjectKind.VIEW;
            case "materializedView" -> ObjectKind.MATERIALIZED_VIEW;
            case "sequence" -> ObjectKind.SEQUENCE;
            case "relation" -> ObjectKind.RELATION;
            case "index" -> ObjectKind.INDEX;
            case "constraint" -> ObjectKind.CONSTRAINT;
            case "type" -> ObjectKind.TYPE;
            case "enumType" -> ObjectKind.ENUM_TYPE;
            case "extension" -> ObjectKind.EXTENSION;
            case "function" -> ObjectKind.FUNCTION;
            case "schema" -> ObjectKind.SCHEMA;
            case "role" -> ObjectKind.ROLE;
            default -> null;
        };
    }

    private static String literal(Expression e) {
        return e instanceof ConstantExpression c && c.getValue() instanceof String s ? s : null;
    }

    private static ClosureExpression lastClosure(Expression arguments) {
        if (arguments instanceof TupleExpression tuple) {
            List<Expression> list = tuple.getExpressions();
            if (!list.isEmpty() && list.get(list.size() - 1) instanceof ClosureExpression c) {
                return c;
            }
        }
        return null;
    }

    /** Names the file assigns without declaring them: binding variables, known to every block at run time. */
    private static Set<String> bindingAssignments(ClassNode classNode, SourceUnit source) {
        Set<String> out = new HashSet<>();
        new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public void visitBinaryExpression(BinaryExpression expression) {
                if (expression.getOperation().getText().equals("=") && expression.getLeftExpression() instanceof VariableExpression v
                        && v.getAccessedVariable() instanceof DynamicVariable) {
                    out.add(v.getName());
                }
                super.visitBinaryExpression(expression);
            }
        }.visitClass(classNode);
        return out;
    }

    /** The methods and properties of the script base class (plan, recipe or config file). */
    private static void scriptWords(String baseClass, Set<String> methods, Set<String> names) {
        try {
            Class<?> base = Class.forName(baseClass, false, CatalogBlockCheck.class.getClassLoader());
            methods.addAll(publicMethods(base));
            names.addAll(properties(base));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the script base class " + baseClass + " is missing", e);
        }
    }

    private static Set<String> publicMethods(Class<?> type) {
        Set<String> out = new HashSet<>();
        for (Method m : type.getMethods()) {
            if (Modifier.isPublic(m.getModifiers())) {
                out.add(m.getName());
            }
        }
        return out;
    }

    private static Set<String> properties(Class<?> type) {
        Set<String> out = new HashSet<>();
        for (Method m : type.getMethods()) {
            String n = m.getName();
            if (m.getParameterCount() == 0 && n.length() > 3 && n.startsWith("get")) {
                out.add(Introspector.decapitalize(n.substring(3)));
            } else if (m.getParameterCount() == 0 && n.length() > 2 && n.startsWith("is")) {
                out.add(Introspector.decapitalize(n.substring(2)));
            }
        }
        return out;
    }
}
