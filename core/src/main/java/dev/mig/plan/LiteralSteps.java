package dev.mig.plan;

import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.FieldNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;

/**
 * Steps written only with literal words, such as every step {@code mig import} writes
 * ({@code step('V1__init.sql') { sqlFile 'V1__init.sql' }}), compiled as data instead of a closure
 * class each. A closure class costs a class definition and a Groovy metaclass when the plan loads,
 * about half a millisecond a step even from the compiled-plan cache, which was most of a no-op
 * deploy of a long plan; the same step as a list of its words costs a few microseconds.
 *
 * <p>{@code step(NAME) { WORD ARGS; ... }} directly in the file's {@code plan(...) { }} block becomes
 * {@code mig$step(NAME, [[LINE, WORD, ARGS...], ...])} when NAME is a string constant and every
 * statement of the body is one of {@link #WORDS}, called on the block (no receiver, no label) with
 * constant arguments of the types the word declares, or {@code undo { }} holding such words. The
 * plan block's delegate replays the words on a step delegate in order, each located at its own
 * line ({@code PlanDelegate.mig$step}), so the step, its checksum, its locations and every problem
 * it reports are the ones the closure would have given (LiteralStepsSpec compares both on the same
 * plans). Anything else (a guard, a verify, a variable, a GString, a recipe, a step in an
 * {@code if} or loop, a file that defines its own {@code plan}) stays a closure, as written.
 *
 * <p>Only for plan files; registered in {@link ScriptCompiler} after the customizers that read the
 * tree as written and before {@link LargeBlocks}, which then cuts the long plan block.
 */
public final class LiteralSteps {

    /** The name the plan block's delegate answers; a {@code $} keeps it out of the DSL's words. */
    public static final String WORD = "mig$step";

    private enum Kind { TEXT, TEXTS, BOOLEAN, COUNT, UNDO }

    /** The step words that can be data, with the constant arguments their methods take. */
    private static final Map<String, Kind> WORDS = Map.of(
            "description", Kind.TEXT,
            "sql", Kind.TEXT,
            "sqlFile", Kind.TEXT,
            "lockTimeout", Kind.TEXT,
            "statementTimeout", Kind.TEXT,
            "requires", Kind.TEXTS,
            "tags", Kind.TEXTS,
            "transaction", Kind.BOOLEAN,
            "runAlways", Kind.BOOLEAN,
            "retries", Kind.COUNT);

    /** The plan block's own words that are literal: the plan settings a plan written by {@code mig import} may hold. */
    private static final Map<String, Kind> PLAN_WORDS = Map.of(
            "description", Kind.TEXT,
            "lockTimeout", Kind.TEXT,
            "statementTimeout", Kind.TEXT,
            "retries", Kind.COUNT,
            "owns", Kind.TEXTS,
            "searchPath", Kind.TEXTS,
            "placeholderReplacement", Kind.BOOLEAN);

    /** A static field the compiler adds to a literal plan's script class ({@link #literalPlan}). */
    static final String LITERAL_PLAN = "mig$literalPlan";
    private static final int SYNTHETIC = 0x1000;

    /** Off in this thread while a test compiles the closure form to compare. */
    private static final ThreadLocal<Boolean> OFF = ThreadLocal.withInitial(() -> false);

    private LiteralSteps() {
    }

    /** For tests: compiles in this thread without this transform while {@code body} runs. */
    static <T> T without(java.util.function.Supplier<T> body) {
        OFF.set(true);
        try {
            return body.get();
        } finally {
            OFF.remove();
        }
    }

    static boolean on() {
        return !OFF.get();
    }

    static CompilationCustomizer customizer() {
        return new CompilationCustomizer(CompilePhase.CONVERSION) {
            @Override
            public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
                if (!classNode.isScript() || !classNode.getMethods("plan").isEmpty() || !classNode.getMethods(WORD).isEmpty()) {
                    return;
                }
                MethodNode run = classNode.getMethod("run", Parameter.EMPTY_ARRAY);
                if (run == null || !(run.getCode() instanceof BlockStatement body)) {
                    return;
                }
                boolean literal = body.getStatements().size() == 1 && source.getAST().getClasses().size() == 1
                        && classNode.getMethods().stream().allMatch(m -> m == run || m.getName().equals("main"))
                        && classNode.getFields().isEmpty() && classNode.getObjectInitializerStatements().isEmpty();
                for (Statement statement : body.getStatements()) {
                    MethodCallExpression call = wordCall(statement, "plan");
                    ClosureExpression plan = blockOf(call);
                    if (plan == null || !(plan.getCode() instanceof BlockStatement steps)) {
                        literal = false;
                        continue;
                    }
                    literal &= constantText(arguments(call), 2);
                    for (Statement step : steps.getStatements()) {
                        literal &= rewrite(step) || planWord(step);
                    }
                }
                if (literal) {
                    classNode.addField(new FieldNode(LITERAL_PLAN, Modifier.PUBLIC | Modifier.STATIC | Modifier.FINAL
                            | SYNTHETIC, ClassHelper.boolean_TYPE, classNode, ConstantExpression.PRIM_TRUE));
                }
            }
        };
    }

    /**
     * Whether a compiled plan is literal through and through: its file holds only {@code plan(NAME) { }}
     * with literal plan words ({@link #PLAN_WORDS}) and steps compiled as data, so that the plan it
     * builds depends on nothing but its text and the SQL files it names ({@link LiteralPlans}).
     */
    static boolean literalPlan(Class<?> script) {
        try {
            script.getDeclaredField(LITERAL_PLAN);
            return true;
        } catch (NoSuchFieldException | SecurityException e) {
            return false;
        }
    }

    /** Two arguments, the first a string constant: {@code plan('name') { }}, {@code step('name') { }}. */
    private static boolean constantText(List<Expression> args, int count) {
        return args.size() == count && args.get(0) instanceof ConstantExpression name && name.getClass() == ConstantExpression.class
                && name.getValue() instanceof String;
    }

    /** A literal word of the plan block itself: {@code lockTimeout '2s'}, or literal {@link #placeholders}. */
    private static boolean planWord(Statement statement) {
        MethodCallExpression call = wordCall(statement, null);
        Kind kind = call == null ? null : PLAN_WORDS.get(call.getMethodAsString());
        return kind != null ? fits(kind, arguments(call)) : placeholders(statement);
    }

    /**
     * {@code placeholders name: 'value', other: null} (or in parentheses, or a map literal) with
     * constant names and constant values: text, a number, a boolean or null. What the word does
     * with them (checking each name, keeping the value as text) does not depend on anything else.
     */
    private static boolean placeholders(Statement statement) {
        MethodCallExpression call = plainCall(statement, "placeholders");
        if (call == null || !(call.getArguments() instanceof TupleExpression args) || args.getExpressions().size() != 1
                || !(args.getExpression(0) instanceof MapExpression map) || map.getMapEntryExpressions().isEmpty()) {
            return false;
        }
        for (MapEntryExpression entry : map.getMapEntryExpressions()) {
            Object value = constant(entry.getValueExpression());
            if (!(constant(entry.getKeyExpression()) instanceof String) || !plainConstant(entry.getValueExpression())
                    || !(value == null || value instanceof String || value instanceof Number || value instanceof Boolean)) {
                return false;
            }
        }
        return true;
    }

    /** A constant as written ({@code 'x'}, {@code 3}, {@code null}), not one the compiler made of something else. */
    private static boolean plainConstant(Expression expression) {
        return expression instanceof ConstantExpression c && c.getClass() == ConstantExpression.class;
    }

    /** The value of a {@link #plainConstant}; null for anything else. */
    private static Object constant(Expression expression) {
        return plainConstant(expression) ? ((ConstantExpression) expression).getValue() : null;
    }

    /** {@code step('name') { literal words }} in place becomes {@code mig$step('name', [...])}; false when it is not such a step. */
    private static boolean rewrite(Statement statement) {
        MethodCallExpression call = wordCall(statement, "step");
        ClosureExpression body = blockOf(call);
        if (body == null || !constantText(arguments(call), 2)) {
            return false;
        }
        ConstantExpression name = (ConstantExpression) arguments(call).get(0);
        ListExpression words = words(body, true);
        if (words == null) {
            return false;
        }
        // the call's frame must name the step's line, as the closure's did: a node that emits a
        // line number of its own (a list does) would move it to the last word's line
        at(words, call);
        ArgumentListExpression data = new ArgumentListExpression(name, words);
        data.setSourcePosition(call.getArguments());
        MethodCallExpression replaced = new MethodCallExpression(VariableExpression.THIS_EXPRESSION, WORD, data);
        replaced.setImplicitThis(true);
        replaced.setSourcePosition(call);
        ((ExpressionStatement) statement).setExpression(replaced);
        return true;
    }

    /**
     * A statement that is only a plain call of a word on the block ({@code word args}: no receiver,
     * no label, no {@code ?.}, positional arguments), of {@code word} when it is not null; else null.
     */
    private static MethodCallExpression wordCall(Statement statement, String word) {
        MethodCallExpression call = plainCall(statement, word);
        return call != null && call.getArguments() instanceof ArgumentListExpression ? call : null;
    }

    /** {@link #wordCall} with arguments of any shape (named ones too). */
    private static MethodCallExpression plainCall(Statement statement, String word) {
        if (!(statement instanceof ExpressionStatement es) || hasLabels(statement)
                || !(es.getExpression() instanceof MethodCallExpression call)
                || !call.isImplicitThis() || call.isSafe() || call.isSpreadSafe() || call.getGenericsTypes() != null
                || call.getMethodAsString() == null || (word != null && !word.equals(call.getMethodAsString()))) {
            return null;
        }
        return call;
    }

    private static List<Expression> arguments(MethodCallExpression call) {
        return ((ArgumentListExpression) call.getArguments()).getExpressions();
    }

    /** The closure a word call ends with ({@code word(...) { }}); null for anything else. */
    private static ClosureExpression blockOf(MethodCallExpression call) {
        List<Expression> args = call == null ? List.of() : arguments(call);
        return !args.isEmpty() && args.get(args.size() - 1) instanceof ClosureExpression closure ? closure : null;
    }

    private static boolean hasLabels(Statement statement) {
        return statement.getStatementLabels() != null && !statement.getStatementLabels().isEmpty();
    }

    /** The words of a literal body as {@code [[line, word, args...], ...]}; null when it is not literal. */
    private static ListExpression words(ClosureExpression body, boolean step) {
        if (!(body.getCode() instanceof BlockStatement block)) {
            return null;
        }
        ListExpression words = new ListExpression();
        for (Statement statement : block.getStatements()) {
            MethodCallExpression call = wordCall(statement, null);
            String word = call == null ? null : call.getMethodAsString();
            Kind kind = word == null ? null : step && word.equals("undo") ? Kind.UNDO : WORDS.get(word);
            if (kind == null) {
                return null;
            }
            ListExpression entry = new ListExpression();
            entry.addExpression(new ConstantExpression(call.getLineNumber()));
            entry.addExpression(new ConstantExpression(word));
            List<Expression> values = arguments(call);
            if (kind == Kind.UNDO) {
                ListExpression undo = values.size() == 1 && values.get(0) instanceof ClosureExpression c ? words(c, false) : null;
                if (undo == null) {
                    return null;
                }
                entry.addExpression(undo);
            } else {
                if (!fits(kind, values)) {
                    return null;
                }
                values.forEach(entry::addExpression);
            }
            words.addExpression(entry);
        }
        return words;
    }

    /** Places every list of {@code words} (nested ones too) at {@code call}'s position. */
    private static void at(ListExpression words, MethodCallExpression call) {
        words.setSourcePosition(call);
        for (Expression e : words.getExpressions()) {
            if (e instanceof ListExpression nested) {
                at(nested, call);
            }
        }
    }

    /** Whether constant arguments are what the word's method takes, so that calling it directly is what Groovy would call. */
    private static boolean fits(Kind kind, List<Expression> values) {
        if (values.isEmpty() || (kind != Kind.TEXTS && values.size() != 1)) {
            return false;
        }
        for (Expression value : values) {
            Object constant = constant(value);
            boolean fits = switch (kind) {
                case TEXT, TEXTS -> constant instanceof String;
                case BOOLEAN -> constant instanceof Boolean;
                case COUNT -> constant instanceof Integer || constant instanceof String;
                case UNDO -> false;
            };
            if (!fits) {
                return false;
            }
        }
        return true;
    }
}
