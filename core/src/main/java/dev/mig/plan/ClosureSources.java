package dev.mig.plan;

import dev.mig.model.Recipe;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The source text of the closures passed to DSL calls, read from the plan's own syntax tree.
 * Checksums cover closure source (a changed guard or verify block is a change), and a closure
 * object at run time does not know its own text.
 */
public final class ClosureSources {

    private final Map<String, List<Written>> byCall = new HashMap<>();

    /**
     * One closure as written: its text, cut from the file only when asked for (nested closures on
     * one long line would otherwise copy that line once per closure), and its declared parameters,
     * read now: later compile phases move parameter defaults out of the closure.
     */
    private record Written(String[] lines, ClosureExpression closure, List<Recipe.Parameter> parameters) {
        String text() {
            return ClosureSources.text(lines, closure);
        }
    }

    private ClosureSources() {
    }

    public static final ClosureSources EMPTY = new ClosureSources();

    /** Indexes an already parsed module (the plan loader hands over its own compilation's AST). */
    public static ClosureSources of(ModuleNode module, String source) {
        ClosureSources index = new ClosureSources();
        String[] lines = source.split("\n", -1);
        module.getStatementBlock().visit(new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                ClosureExpression closure = lastClosureArgument(call.getArguments());
                if (closure != null) {
                    index.byCall.computeIfAbsent(call.getMethodAsString() + "@" + call.getLineNumber(),
                            k -> new ArrayList<>()).add(new Written(lines, closure, parameters(lines, closure)));
                }
                super.visitMethodCallExpression(call);
            }
        });
        return index;
    }

    /**
     * The source of the closure given to {@code method} on {@code line}; when a call spans
     * several lines the frame may name a later line, so the nearest earlier call is used.
     */
    public String of(String method, int line, int occurrence) {
        Written closure = find(method, line, occurrence);
        return closure == null ? "" : closure.text();
    }

    /** The declared parameters of that closure; empty when it declares none (or is not found). */
    public List<Recipe.Parameter> parameters(String method, int line, int occurrence) {
        Written closure = find(method, line, occurrence);
        return closure == null ? List.of() : closure.parameters();
    }

    private Written find(String method, int line, int occurrence) {
        for (int l = line; l > 0 && l > line - 50; l--) {
            List<Written> closures = byCall.get(method + "@" + l);
            if (closures != null) {
                return closures.get(Math.min(occurrence, closures.size() - 1));
            }
        }
        return null;
    }

    private static List<Recipe.Parameter> parameters(String[] lines, ClosureExpression closure) {
        List<Recipe.Parameter> out = new ArrayList<>();
        if (closure.getParameters() == null) {
            return out;
        }
        for (Parameter p : closure.getParameters()) {
            boolean typed = !p.isDynamicTyped();
            boolean variadic = p.getType().isArray() && p == closure.getParameters()[closure.getParameters().length - 1];
            String type = typed ? (variadic ? p.getType().getComponentType() : p.getType()).getNameWithoutPackage() : null;
            String defaultText = p.hasInitialExpression() ? text(lines, p.getInitialExpression()).strip() : null;
            out.add(new Recipe.Parameter(p.getName(), type, defaultText, variadic));
        }
        return out;
    }

    private static ClosureExpression lastClosureArgument(Expression arguments) {
        if (arguments instanceof ArgumentListExpression || arguments instanceof TupleExpression) {
            List<Expression> list = ((TupleExpression) arguments).getExpressions();
            if (!list.isEmpty() && list.get(list.size() - 1) instanceof ClosureExpression c) {
                return c;
            }
        }
        return null;
    }

    private static String text(String[] lines, ASTNode node) {
        int first = node.getLineNumber();
        int last = node.getLastLineNumber();
        if (first < 1 || last < first || last > lines.length) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int l = first; l <= last; l++) {
            String line = lines[l - 1];
            int from = l == first ? Math.max(0, node.getColumnNumber() - 1) : 0;
            int to = l == last ? Math.min(line.length(), Math.max(from, node.getLastColumnNumber() - 1)) : line.length();
            out.append(line, Math.min(from, line.length()), to).append('\n');
        }
        return out.toString();
    }
}
