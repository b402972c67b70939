package dev.mig.plan;

import groovy.lang.Closure;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.IfStatement;
import org.codehaus.groovy.ast.stmt.ReturnStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.Token;
import org.codehaus.groovy.syntax.Types;

import java.util.ArrayList;
import java.util.List;

/**
 * Long statement blocks in a plan or recipe file: the JVM limits one method to 64 KB of code, and
 * a plan's {@code plan { }} block (one closure, one method) of some thousands of steps went over
 * it. This compile-time transform cuts a long block of the script body (at the top of the file,
 * or in any closure in it) into chunks, each a closure of its own that is called in place, so no
 * generated method grows with the number of steps.
 * <ul>
 * <li>Local variable declarations stay in the enclosing block, between the chunks: a variable
 * declared early is visible to every later statement, as it was.</li>
 * <li>A chunk closure runs with the enclosing closure's delegate and resolve strategy
 * ({@link #run}), so every word in it resolves as it did.</li>
 * <li>A {@code return} in a chunk returns from the enclosing block, as it did.</li>
 * <li>Statements keep their nodes and so their lines: stack frames, and every message located by
 * them, name the same lines. Closure sources (checksums) are read from the tree before this runs.</li>
 * <li>A block whose statements contain {@code break}, {@code continue} or {@code yield} of an
 * enclosing loop or switch is left as it is.</li>
 * </ul>
 * Registered in {@link ScriptCompiler} after the customizers that read the tree at CONVERSION.
 */
public final class LargeBlocks {

    /** A block is cut when its estimated size is above this (a few bytes of bytecode per unit). */
    static final int LIMIT = 5000;
    /** The estimated size of one chunk. */
    static final int CHUNK = 1500;

    /** The limits in force in this thread ({block, chunk}); tests lower them to cut small plans. */
    private static final ThreadLocal<int[]> LIMITS = ThreadLocal.withInitial(() -> new int[] {LIMIT, CHUNK});

    /** For tests: compiles in this thread with other limits while {@code body} runs. */
    static <T> T withLimits(int blockLimit, int chunk, java.util.function.Supplier<T> body) {
        LIMITS.set(new int[] {blockLimit, chunk});
        try {
            return body.get();
        } finally {
            LIMITS.remove();
        }
    }

    private static final String RESULT = "$migChunkResult";

    /** What a chunk that can return returns when it ran to its end without returning. */
    public static final Object NEXT = new Object() {
        @Override
        public String toString() {
            return "mig: next chunk";
        }
    };

    private LargeBlocks() {
    }

    /** Runs one chunk in place: with the delegate and resolve strategy of the block it was cut from. */
    public static Object run(Closure<?> chunk) {
        if (chunk.getOwner() instanceof Closure<?> enclosing) {
            chunk.setResolveStrategy(enclosing.getResolveStrategy());
            chunk.setDelegate(enclosing.getDelegate());
        }
        return chunk.call();
    }

    /** What a chunk that can return returns at its end. */
    public static Object end() {
        return NEXT;
    }

    /** True when a chunk ran to its end; otherwise its value is what the enclosing block returns. */
    public static boolean next(Object result) {
        return result == NEXT;
    }

    static CompilationCustomizer customizer() {
        return new CompilationCustomizer(CompilePhase.CONVERSION) {
            @Override
            public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
                if (!classNode.isScript()) {
                    return;
                }
                MethodNode run = classNode.getMethod("run", Parameter.EMPTY_ARRAY);
                if (run != null && run.getCode() != null) {
                    run.getCode().visit(new Splitter());
                }
            }
        };
    }

    /** Visits blocks innermost first, so a block's size counts its already cut blocks as small. */
    private static final class Splitter extends CodeVisitorSupport {
        private int results;
        private final int limit = LIMITS.get()[0];
        private final int chunkSize = LIMITS.get()[1];

        @Override
        public void visitBlockStatement(BlockStatement block) {
            super.visitBlockStatement(block);
            List<Statement> statements = block.getStatements();
            int[] sizes = new int[statements.size()];
            long total = 0;
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = Size.of(statements.get(i));
                total += sizes[i];
            }
            if (total <= limit || LoopExits.any(statements)) {
                return;
            }
            List<Statement> out = new ArrayList<>();
            List<Statement> chunk = new ArrayList<>();
            int filled = 0;
            for (int i = 0; i < sizes.length; i++) {
                Statement statement = statements.get(i);
                boolean declaration = statement instanceof ExpressionStatement e && e.getExpression() instanceof DeclarationExpression;
                if (declaration || filled + sizes[i] > chunkSize) {
                    flush(chunk, filled, out, false);
                    chunk = new ArrayList<>();
                    filled = 0;
                }
                if (declaration) {
                    out.add(statement);
                } else {
                    chunk.add(statement);
                    filled += sizes[i];
                }
            }
            flush(chunk, filled, out, true);
            statements.clear();
            statements.addAll(out);
        }

        /**
         * Adds the chunk to {@code out}: as a chunk closure called in place when it is worth one. The
         * block's last chunk gives the block's value (its last statement's, or what it returns).
         */
        private void flush(List<Statement> chunk, int size, List<Statement> out, boolean last) {
            if (chunk.size() < 2 || size < chunkSize / 10) {
                out.addAll(chunk);
                return;
            }
            boolean returns = !last && Returns.any(chunk);
            BlockStatement body = new BlockStatement(new ArrayList<>(chunk), null);
            Statement first = chunk.get(0);
            Statement end = chunk.get(chunk.size() - 1);
            if (returns) {
                body.addStatement(new ReturnStatement(new MethodCallExpression(
                        new ClassExpression(ClassHelper.make(LargeBlocks.class)), "end", ArgumentListExpression.EMPTY_ARGUMENTS)));
            }
            body.setSourcePosition(first);
            body.setLastLineNumber(end.getLastLineNumber());
            body.setLastColumnNumber(end.getLastColumnNumber());
            // null parameters is { -> }: an empty array would be { } and declare an `it` of its own, hiding the block's
            ClosureExpression closure = new ClosureExpression(null, body);
            closure.setSourcePosition(body);
            MethodCallExpression call = new MethodCallExpression(new ClassExpression(ClassHelper.make(LargeBlocks.class)),
                    "run", new ArgumentListExpression(closure));
            call.setSourcePosition(first);
            if (!returns) {
                Statement statement = new ExpressionStatement(call);
                statement.setSourcePosition(first);
                out.add(statement);
                return;
            }
            // def $migChunkResultN = LargeBlocks.run { ... }; if (!LargeBlocks.next($migChunkResultN)) return $migChunkResultN
            String name = RESULT + (++results);
            DeclarationExpression declare = new DeclarationExpression(new VariableExpression(name),
                    Token.newSymbol(Types.ASSIGN, first.getLineNumber(), first.getColumnNumber()), call);
            declare.setSourcePosition(first);
            ExpressionStatement declared = new ExpressionStatement(declare);
            declared.setSourcePosition(first);
            MethodCallExpression ranOn = new MethodCallExpression(new ClassExpression(ClassHelper.make(LargeBlocks.class)),
                    "next", new ArgumentListExpression(new VariableExpression(name)));
            IfStatement ifReturned = new IfStatement(new org.codehaus.groovy.ast.expr.BooleanExpression(ranOn),
                    org.codehaus.groovy.ast.stmt.EmptyStatement.INSTANCE, new ReturnStatement(new VariableExpression(name)));
            ifReturned.setSourcePosition(end);
            out.add(declared);
            out.add(ifReturned);
        }
    }

    /** A rough size of the code a statement compiles to in its own method (closures in it are classes of their own). */
    static final class Size extends CodeVisitorSupport {
        private int units;

        static int of(Statement statement) {
            Size size = new Size();
            statement.visit(size);
            return size.units + 1;
        }

        @Override
        public void visitClosureExpression(ClosureExpression expression) {
            units += 3;
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            units += 4;
            super.visitMethodCallExpression(call);
        }

        @Override
        public void visitConstantExpression(org.codehaus.groovy.ast.expr.ConstantExpression expression) {
            units += 1;
        }

        @Override
        public void visitVariableExpression(VariableExpression expression) {
            units += 1;
        }

        @Override
        public void visitPropertyExpression(org.codehaus.groovy.ast.expr.PropertyExpression expression) {
            units += 3;
            super.visitPropertyExpression(expression);
        }

        @Override
        public void visitBinaryExpression(org.codehaus.groovy.ast.expr.BinaryExpression expression) {
            units += 3;
            super.visitBinaryExpression(expression);
        }

        @Override
        public void visitGStringExpression(org.codehaus.groovy.ast.expr.GStringExpression expression) {
            units += 4;
            super.visitGStringExpression(expression);
        }

        @Override
        public void visitMapEntryExpression(org.codehaus.groovy.ast.expr.MapEntryExpression expression) {
            units += 2;
            super.visitMapEntryExpression(expression);
        }

        @Override
        public void visitListExpression(org.codehaus.groovy.ast.expr.ListExpression expression) {
            units += 2;
            super.visitListExpression(expression);
        }

        @Override
        public void visitStaticMethodCallExpression(org.codehaus.groovy.ast.expr.StaticMethodCallExpression call) {
            units += 4;
            super.visitStaticMethodCallExpression(call);
        }

        @Override
        public void visitConstructorCallExpression(org.codehaus.groovy.ast.expr.ConstructorCallExpression call) {
            units += 4;
            super.visitConstructorCallExpression(call);
        }
    }

    /** Whether statements return (not counting closures in them, whose return is their own). */
    static final class Returns extends CodeVisitorSupport {
        private boolean found;

        static boolean any(List<Statement> statements) {
            Returns returns = new Returns();
            statements.forEach(s -> s.visit(returns));
            return returns.found;
        }

        @Override
        public void visitReturnStatement(ReturnStatement statement) {
            found = true;
        }

        @Override
        public void visitClosureExpression(ClosureExpression expression) {
        }
    }

    /** Whether statements leave an enclosing loop or switch ({@code break}, {@code continue}, {@code yield}) that is not in them. */
    static final class LoopExits extends CodeVisitorSupport {
        private int depth;
        private boolean found;

        static boolean any(List<Statement> statements) {
            LoopExits exits = new LoopExits();
            statements.forEach(s -> s.visit(exits));
            return exits.found;
        }

        @Override
        public void visitBreakStatement(org.codehaus.groovy.ast.stmt.BreakStatement statement) {
            found |= depth == 0 || statement.getLabel() != null;
        }

        @Override
        public void visitContinueStatement(org.codehaus.groovy.ast.stmt.ContinueStatement statement) {
            found |= depth == 0 || statement.getLabel() != null;
        }

        @Override
        public void visitForLoop(org.codehaus.groovy.ast.stmt.ForStatement loop) {
            depth++;
            super.visitForLoop(loop);
            depth--;
        }

        @Override
        public void visitWhileLoop(org.codehaus.groovy.ast.stmt.WhileStatement loop) {
            depth++;
            super.visitWhileLoop(loop);
            depth--;
        }

        @Override
        public void visitDoWhileLoop(org.codehaus.groovy.ast.stmt.DoWhileStatement loop) {
            depth++;
            super.visitDoWhileLoop(loop);
            depth--;
        }

        @Override
        public void visitSwitch(org.codehaus.groovy.ast.stmt.SwitchStatement statement) {
            depth++;
            super.visitSwitch(statement);
            depth--;
        }

        @Override
        public void visitClosureExpression(ClosureExpression expression) {
        }
    }
}
