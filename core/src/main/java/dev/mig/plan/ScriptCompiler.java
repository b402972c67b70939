package dev.mig.plan;

import dev.mig.api.SourceLocation;
import groovy.lang.GroovyCodeSource;
import groovy.transform.TypeChecked;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles a plan or recipe file under its real file name with a DSL script base class, so that
 * stack frames (and so every message) name the file and line. The closures' source, which
 * checksums cover, is read from the same compilation's syntax tree.
 */
public final class ScriptCompiler {

    private ScriptCompiler() {
    }

    /**
     * The name the DSL's {@code use 'file'} is compiled to. Inside a closure, Groovy's own
     * {@code use(Category) { }} (a method of every object, the closure included) would be found
     * before the block's delegate, so a call {@code use ...} without a trailing closure is renamed
     * to this word, which the plan block and the top of a file define.
     */
    public static final String USE_WORD = "useRecipes";

    /** A compiled file: its script class and the source of its closures. */
    public record Compiled(Class<?> scriptClass, ClosureSources closureSources) {
    }

    /**
     * Compiles {@code text}; syntax errors become problems located in {@code displayPath}. Public
     * for the config package, whose mig.groovy compiles with the same messages as a plan.
     */
    public static Compiled compile(String text, String fileName, Path displayPath, String baseClass) {
        return compile(text, fileName, displayPath, baseClass, false);
    }

    /**
     * With {@code strict}, the file is compiled with {@code @TypeChecked} (and mig's extension,
     * {@link StrictTypeChecking}): every word in every block is checked against the block's
     * {@code @DelegatesTo} type, so a misspelt element is an error at compile time, with its line.
     */
    static Compiled compile(String text, String fileName, Path displayPath, String baseClass, boolean strict) {
        NestingDepth.check(text, displayPath);
        PlanCache cache = PlanCache.active();
        String key = cache == null ? null : cache.key(text, fileName, baseClass, strict);
        Compiled cached = key == null ? null : cache.load(key, text);
        if (cached != null) {
            ProcessExit.install();
            return cached;
        }
        ClosureSources[] sources = {ClosureSources.EMPTY};
        CompilerConfiguration config = new CompilerConfiguration();
        config.addCompilationCustomizers(new CompilationCustomizer(CompilePhase.CONVERSION) {
            private boolean indexed;

            @Override
            public void call(SourceUnit source, GeneratorContext generatorContext, ClassNode classNode) {
                if (!indexed) {
                    indexed = true;
                    sources[0] = ClosureSources.of(source.getAST(), text);
                }
            }
        });
        config.addCompilationCustomizers(new CompilationCustomizer(CompilePhase.CONVERSION) {
            @Override
            public void call(SourceUnit source, GeneratorContext generatorContext, ClassNode classNode) {
                new ClassCodeVisitorSupport() {
                    @Override
                    protected SourceUnit getSourceUnit() {
                        return source;
                    }

                    @Override
                    public void visitMethodCallExpression(MethodCallExpression call) {
                        if (call.isImplicitThis() && "use".equals(call.getMethodAsString()) && !endsWithClosure(call.getArguments())) {
                            call.setMethod(new ConstantExpression(USE_WORD));
                        }
                        super.visitMethodCallExpression(call);
                    }
                }.visitClass(classNode);
            }
        });
        config.addCompilationCustomizers(ProcessExit.check(), CatalogBlockCheck.check(baseClass), HiddenWords.check(),
                ScriptClassName.customizer());
        // --strict type-checks every word of every step as written: steps stay closures
        if (!strict && LiteralSteps.on() && PlanLoader.SCRIPT_BASE_CLASS.equals(baseClass)) {
            config.addCompilationCustomizers(LiteralSteps.customizer());
        }
        config.addCompilationCustomizers(LargeBlocks.customizer());
        ProcessExit.install();
        if (strict) {
            config.addCompilationCustomizers(new ASTTransformationCustomizer(
                    Map.of("extensions", List.of(StrictTypeChecking.class.getName())), TypeChecked.class));
        }
        config.setScriptBaseClass(baseClass);
        config.setSourceEncoding("UTF-8");
        // the classes outlive the loader's close(): closing only releases what it read from disk
        try (CapturingClassLoader classLoader = new CapturingClassLoader(ScriptCompiler.class.getClassLoader(), config)) {
            Class<?> scriptClass = classLoader.parseClass(new GroovyCodeSource(text, fileName, "/groovy/mig"), false);
            if (key != null && classLoader.singleSource()) {
                cache.store(key, scriptClass.getName(), classLoader.classes(), sources[0]);
            }
            return new Compiled(scriptClass, sources[0]);
        } catch (MultipleCompilationErrorsException e) {
            throw new PlanException(syntaxProblems(displayPath, e));
        } catch (CompilationFailedException e) {
            throw new PlanException(List.of(new PlanProblem(new SourceLocation(displayPath, 0),
                    "the file does not compile: " + CompilerMessages.text(e), CompilerMessages.hint(e))));
        } catch (IOException closing) {
            throw new IllegalStateException("closing a class loader that read nothing from disk failed", closing);
        }
    }

    /** Marks problems that mig's own compile-time checks found, among Groovy's syntax errors. */
    private static final String REPORTED = "mig: ";
    private static final String HINT_MARK = "\u0000hint: ";

    /**
     * Reports a plan problem found while compiling, at the node's line: compilation goes on, so one
     * check reports every problem, and the file is refused with the others.
     */
    static void report(SourceUnit source, ASTNode at, String message, String hint) {
        source.getErrorCollector().addErrorAndContinue(new SyntaxErrorMessage(new SyntaxException(
                REPORTED + message + (hint == null ? "" : HINT_MARK + hint), at.getLineNumber(), at.getColumnNumber()), source));
    }

    private static boolean endsWithClosure(Expression arguments) {
        if (arguments instanceof TupleExpression tuple) {
            List<Expression> list = tuple.getExpressions();
            return !list.isEmpty() && list.get(list.size() - 1) instanceof ClosureExpression;
        }
        return false;
    }

    /** Groovy may quote the whole rest of the file as "unexpected input": keep its first line. */
    private static String brief(String message) {
        String first = message.lines().findFirst().orElse(message);
        int escapedNewline = first.indexOf("\\n");
        if (escapedNewline >= 0) {
            first = first.substring(0, escapedNewline) + " ...'";
        }
        return first.length() > 100 ? first.substring(0, 100) + " ..." : first;
    }

    private static final String TYPE_CHECKING = "[Static type checking] - ";

    private static final String STRICT_HINT = "--strict type-checks the plan against the DSL (docs/IDE.md);"
            + " mig check without --strict reads it dynamically";

    private static List<PlanProblem> syntaxProblems(Path file, MultipleCompilationErrorsException e) {
        List<PlanProblem> problems = new ArrayList<>();
        for (Message message : e.getErrorCollector().getErrors()) {
            if (message instanceof SyntaxErrorMessage syntax && syntax.getCause().getOriginalMessage().startsWith(TYPE_CHECKING)) {
                SyntaxException cause = syntax.getCause();
                String text = cause.getOriginalMessage().substring(TYPE_CHECKING.length()).strip();
                problems.add(new PlanProblem(new SourceLocation(file, cause.getLine()),
                        (text.startsWith(StrictTypeChecking.PREFIX) ? text : StrictTypeChecking.PREFIX + text)
                                + " (column " + cause.getStartColumn() + ")",
                        STRICT_HINT));
            } else if (message instanceof SyntaxErrorMessage syntax && syntax.getCause().getOriginalMessage().startsWith(REPORTED)) {
                SyntaxException cause = syntax.getCause();
                String[] text = cause.getOriginalMessage().substring(REPORTED.length()).split(HINT_MARK, 2);
                problems.add(new PlanProblem(new SourceLocation(file, cause.getLine()), text[0], text.length > 1 ? text[1] : null));
            } else if (message instanceof SyntaxErrorMessage syntax) {
                SyntaxException cause = syntax.getCause();
                problems.add(new PlanProblem(new SourceLocation(file, cause.getLine()),
                        "syntax error: " + brief(cause.getOriginalMessage()) + " (column " + cause.getStartColumn() + ")",
                        "an unclosed quote, bracket or brace earlier in the file can make the error show up later"));
            } else {
                problems.add(new PlanProblem(new SourceLocation(file, 0), "compilation error: " + CompilerMessages.text(message),
                        CompilerMessages.hint(message)));
            }
        }
        if (problems.isEmpty()) {
            problems.add(new PlanProblem(new SourceLocation(file, 0), "the file does not compile: " + CompilerMessages.text(e), null));
        }
        return problems;
    }
}
