package dev.mig.plan;

import dev.mig.api.SourceLocation;
import dev.mig.model.Plan;
import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.syntax.SyntaxException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Loads a plan file: compiles it under its real file name with the DSL's script base class,
 * runs it to build the model (nothing touches a database), then validates the model.
 * Every problem found is reported at once in a {@link PlanException}.
 */
public final class PlanLoader {

    static final String SCRIPT_BASE_CLASS = "dev.mig.dsl.PlanScript";

    public Plan load(Path file) {
        Path planFile = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(planFile)) {
            throw new PlanException(List.of(new PlanProblem(new SourceLocation(file, 0),
                    "plan file not found", "give the path of a .groovy plan, e.g. mig run dsl-examples/quickstart.groovy")));
        }
        String text;
        try {
            text = Files.readString(planFile, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PlanException(List.of(new PlanProblem(new SourceLocation(file, 0),
                    "plan file cannot be read: " + e.getMessage(), "check that it is UTF-8 text and readable")));
        }
        String fileName = planFile.getFileName().toString();
        LoadContext context = new LoadContext(planFile);

        CompilerConfiguration config = new CompilerConfiguration();
        // the closures' source (for checksums) is read from this compilation's own syntax tree
        config.addCompilationCustomizers(new CompilationCustomizer(CompilePhase.CONVERSION) {
            private boolean indexed;

            @Override
            public void call(SourceUnit source, GeneratorContext generatorContext, ClassNode classNode) {
                if (!indexed) {
                    indexed = true;
                    context.closureSources(ClosureSources.of(source.getAST(), text));
                }
            }
        });
        config.setScriptBaseClass(SCRIPT_BASE_CLASS);
        config.setSourceEncoding("UTF-8");
        try (GroovyClassLoader classLoader = new GroovyClassLoader(PlanLoader.class.getClassLoader(), config)) {
            Class<?> scriptClass;
            try {
                scriptClass = classLoader.parseClass(new GroovyCodeSource(text, fileName, "/groovy/mig"), false);
            } catch (MultipleCompilationErrorsException e) {
                throw new PlanException(syntaxProblems(planFile, e));
            }
            context.scriptClassName(scriptClass.getName());
            Binding binding = new Binding();
            binding.setVariable(LoadContext.BINDING_NAME, context);
            Script script = InvokerHelper.createScript(scriptClass, binding);
            try {
                script.run();
            } catch (MissingMethodException e) {
                SourceLocation at = context.locate(e);
                String suggestion = DidYouMean.suggest(e.getMethod(), List.of("plan")).map(s -> "did you mean '" + s + "'?").orElse("a plan file holds one plan('name') { ... }");
                context.problem(at, "unknown element '" + e.getMethod() + "' at the top of the plan", suggestion);
            } catch (MissingPropertyException e) {
                context.problem(context.locate(e), "unknown name '" + e.getProperty() + "'", "define it with def before use, or quote it if it is text");
            } catch (RuntimeException | LinkageError | StackOverflowError e) {
                context.problem(context.locate(e), "the plan failed while loading: " + describe(e), null);
            }
        } catch (IOException closing) {
            // closing a class loader that read nothing from disk does not fail in practice
        }

        Plan plan = context.plan();
        if (plan == null && context.problems().isEmpty()) {
            context.problem(new SourceLocation(planFile, 1), "the file defines no plan",
                    "start it with plan('name') { step('first') { sql '...' } }");
        }
        if (plan != null) {
            new PlanValidator(context).validate(plan);
        }
        if (!context.problems().isEmpty()) {
            List<PlanProblem> sorted = new ArrayList<>(context.problems());
            sorted.sort(Comparator.comparingInt(p -> p.location().line()));
            throw new PlanException(sorted);
        }
        return plan;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
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

    private static List<PlanProblem> syntaxProblems(Path planFile, MultipleCompilationErrorsException e) {
        List<PlanProblem> problems = new ArrayList<>();
        for (Message message : e.getErrorCollector().getErrors()) {
            if (message instanceof SyntaxErrorMessage syntax) {
                SyntaxException cause = syntax.getCause();
                problems.add(new PlanProblem(new SourceLocation(planFile, cause.getLine()),
                        "syntax error: " + brief(cause.getOriginalMessage()) + " (column " + cause.getStartColumn() + ")",
                        "an unclosed quote, bracket or brace earlier in the file can make the error show up later"));
            } else {
                problems.add(new PlanProblem(new SourceLocation(planFile, 0), "compilation error: " + message, null));
            }
        }
        if (problems.isEmpty()) {
            problems.add(new PlanProblem(new SourceLocation(planFile, 0), "the plan does not compile: " + e.getMessage(), null));
        }
        return problems;
    }
}
