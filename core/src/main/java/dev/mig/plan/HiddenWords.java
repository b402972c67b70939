package dev.mig.plan;

import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.Variable;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A parameter or variable named like a DSL word hides the word in its scope: in
 * {@code recipe('make table') { String table -> verify { table table } }} Groovy calls the
 * parameter (a String) instead of the verify block's {@code table}, and the plan failed with
 * {@code No signature of method: java.lang.String.call()}. Such a call is a plan error when the
 * file compiles, at its line, naming the recipe, the parameter and the word, with what to do.
 * Groovy's own scoping decides what a name refers to: after its semantic analysis a call
 * {@code table(...)} of a variable reads {@code table.call(...)} at the name's position, which
 * tells it from a {@code table.call(...)} written so. A variable holding a closure (declared
 * {@code Closure}, or {@code def step = { ... }}) is meant to be called and is left alone.
 */
final class HiddenWords {

    private HiddenWords() {
    }

    static CompilationCustomizer check() {
        return new CompilationCustomizer(CompilePhase.CANONICALIZATION) {
            @Override
            public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
                new Finder(source, DslUsage.allWords()).visitClass(classNode);
            }
        };
    }

    private static final class Finder extends ClassCodeVisitorSupport {
        private final SourceUnit source;
        private final Set<String> words;
        /** The recipes being read, innermost first: their names and parameters. */
        private final Deque<Recipe> recipes = new ArrayDeque<>();
        /** Local variables given a closure or method pointer where they are declared. */
        private final Set<Variable> callable = Collections.newSetFromMap(new IdentityHashMap<>());

        private record Recipe(String name, List<Parameter> parameters) {
        }

        Finder(SourceUnit source, Set<String> words) {
            this.source = source;
            this.words = words;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public void visitDeclarationExpression(DeclarationExpression declaration) {
            Expression value = declaration.getRightExpression();
            if (!declaration.isMultipleAssignmentDeclaration()
                    && (value instanceof ClosureExpression || value instanceof MethodPointerExpression)) {
                callable.add(declaration.getVariableExpression());
            }
            super.visitDeclarationExpression(declaration);
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            ClosureExpression body = recipeBody(call);
            if (body != null) {
                String name = call.getArguments() instanceof TupleExpression args
                        ? args.getExpressions().stream().filter(e -> e instanceof ConstantExpression c && c.getValue() instanceof String)
                        .map(e -> (String) ((ConstantExpression) e).getValue()).findFirst().orElse("?") : "?";
                recipes.push(new Recipe(name, body.getParameters() == null ? List.of() : List.of(body.getParameters())));
                try {
                    super.visitMethodCallExpression(call);
                } finally {
                    recipes.pop();
                }
                return;
            }
            hidden(call);
            super.visitMethodCallExpression(call);
        }

        /** The block of {@code recipe('name') { ... }} or {@code recipe('name', description: ...) { ... }}; else null. */
        private static ClosureExpression recipeBody(MethodCallExpression call) {
            if (!call.isImplicitThis() || !"recipe".equals(call.getMethodAsString())
                    || !(call.getArguments() instanceof ArgumentListExpression args) || args.getExpressions().isEmpty()) {
                return null;
            }
            return args.getExpressions().get(args.getExpressions().size() - 1) instanceof ClosureExpression c ? c : null;
        }

        /** Reports {@code word(...)} that Groovy resolved to a variable of that name rather than to the DSL word. */
        private void hidden(MethodCallExpression call) {
            if (call.isImplicitThis() || !(call.getObjectExpression() instanceof VariableExpression v) || !"call".equals(call.getMethodAsString())
                    || v.getLineNumber() != call.getMethod().getLineNumber() || v.getColumnNumber() != call.getMethod().getColumnNumber()
                    || !words.contains(v.getName())) {
                return;
            }
            Variable variable = v.getAccessedVariable();
            if (!(variable instanceof Parameter || variable instanceof VariableExpression) || callable.contains(variable)
                    || (!variable.isDynamicTyped() && variable.getOriginType().isDerivedFrom(ClassHelper.CLOSURE_TYPE))) {
                return;
            }
            String word = v.getName();
            String type = variable.isDynamicTyped() ? "" : " (a " + variable.getOriginType().getNameWithoutPackage() + ")";
            Recipe recipe = recipes.stream().filter(r -> r.parameters().stream().anyMatch(p -> p == variable)).findFirst().orElse(null);
            String what = recipe != null ? "recipe '" + recipe.name() + "': its parameter '" + word + "'"
                    : (variable instanceof Parameter ? "the parameter '" : "the variable '") + word + "'";
            String calls = recipe != null || variable instanceof Parameter ? "the parameter" : "the variable";
            ScriptCompiler.report(source, call,
                    what + " hides the DSL word '" + word + "': " + word + "(...) here calls " + calls + type + ", not the word",
                    "rename the " + (calls.equals("the parameter") ? "parameter" : "variable") + " (" + word + "Name, say) and pass it to the word: "
                            + word + " " + word + "Name");
        }
    }
}
