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

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    /** The file's lines, shared by every closure; no syntax tree is kept (it is large for long plans). */
    private final String[] lines;

    /**
     * One closure as written: where it is (its text is cut from the file only when asked for:
     * nested closures on one long line would otherwise copy that line once per closure), and its
     * declared parameters, read at once: later compile phases move parameter defaults out of the closure.
     */
    private record Written(Span span, List<Recipe.Parameter> parameters) {
    }

    /** A node's first and last line and column, as the parser gave them (1-based). */
    private record Span(int line, int column, int lastLine, int lastColumn) {
        static Span of(ASTNode node) {
            return new Span(node.getLineNumber(), node.getColumnNumber(), node.getLastLineNumber(), node.getLastColumnNumber());
        }
    }

    private ClosureSources(String[] lines) {
        this.lines = lines;
    }

    public static final ClosureSources EMPTY = new ClosureSources(new String[0]);

    /** Indexes an already parsed module (the plan loader hands over its own compilation's AST). */
    public static ClosureSources of(ModuleNode module, String source) {
        String[] lines = source.split("\n", -1);
        ClosureSources index = new ClosureSources(lines);
        module.getStatementBlock().visit(new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                ClosureExpression closure = lastClosureArgument(call.getArguments());
                if (closure != null) {
                    index.byCall.computeIfAbsent(call.getMethodAsString() + "@" + call.getLineNumber(),
                            k -> new ArrayList<>()).add(new Written(Span.of(closure), parameters(lines, closure)));
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
        return closure == null ? "" : text(lines, closure.span());
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
            String defaultText = p.hasInitialExpression() ? text(lines, Span.of(p.getInitialExpression())).strip() : null;
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

    private static String text(String[] lines, Span node) {
        int first = node.line();
        int last = node.lastLine();
        if (first < 1 || last < first || last > lines.length) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int l = first; l <= last; l++) {
            String line = lines[l - 1];
            int from = l == first ? Math.max(0, node.column() - 1) : 0;
            int to = l == last ? Math.min(line.length(), Math.max(from, node.lastColumn() - 1)) : line.length();
            out.append(line, Math.min(from, line.length()), to).append('\n');
        }
        return out.toString();
    }

    /** Writes the index for the plan cache: positions and parameters, never the text (the key covers it). */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(byCall.size());
        for (Map.Entry<String, List<Written>> call : byCall.entrySet()) {
            out.writeUTF(call.getKey());
            out.writeInt(call.getValue().size());
            for (Written w : call.getValue()) {
                out.writeInt(w.span().line());
                out.writeInt(w.span().column());
                out.writeInt(w.span().lastLine());
                out.writeInt(w.span().lastColumn());
                out.writeInt(w.parameters().size());
                for (Recipe.Parameter p : w.parameters()) {
                    out.writeUTF(p.name());
                    writeNullable(out, p.type());
                    writeNullable(out, p.defaultText());
                    out.writeBoolean(p.variadic());
                }
            }
        }
    }

    /** Reads what {@link #write} wrote, for the file whose text is {@code source}. */
    static ClosureSources read(DataInputStream in, String source) throws IOException {
        ClosureSources index = new ClosureSources(source.split("\n", -1));
        int calls = in.readInt();
        for (int c = 0; c < calls; c++) {
            String key = in.readUTF();
            int count = in.readInt();
            List<Written> closures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Span span = new Span(in.readInt(), in.readInt(), in.readInt(), in.readInt());
                int parameterCount = in.readInt();
                List<Recipe.Parameter> parameters = new ArrayList<>(parameterCount);
                for (int p = 0; p < parameterCount; p++) {
                    parameters.add(new Recipe.Parameter(in.readUTF(), readNullable(in), readNullable(in), in.readBoolean()));
                }
                closures.add(new Written(span, parameters));
            }
            index.byCall.put(key, closures);
        }
        return index;
    }

    /** Long texts (a parameter default) do not fit writeUTF's 64 KiB: written as counted UTF-8 bytes. */
    private static void writeNullable(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }
}
