package dev.mig.cli;

import dev.mig.Mig;
import dev.mig.model.Plan;
import dev.mig.model.Recipe;
import dev.mig.model.RecipeUse;
import dev.mig.model.Step;
import dev.mig.plan.Source;
import dev.mig.report.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code mig recipes PLAN}: every recipe the plan can see, where it comes from, and which steps apply it. No database. */
@Command(name = "recipes", mixinStandardHelpOptions = true,
        description = "List the recipes a plan can see: parameters, description, version, source, and the steps that apply each."
                + " Connects to no database; loading the plan runs its top-level code and recipe bodies, as mig check does.")
final class RecipesCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--stacktrace", description = "Print the stack trace of an error.")
    boolean stacktrace;

    RecipesCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Plan plan = Mig.plan(planFile).model();
        PrintStream out = context.out();
        int n = plan.recipes().size();
        out.println("plan '" + Printable.name(plan.name()) + "' (" + plan.location().displayFile() + "): "
                + (n == 0 ? "no recipes" : n + " recipe" + (n == 1 ? "" : "s")));
        if (n == 0) {
            out.println("  load some with use 'recipes/x.groovy' (relative to the plan) or use 'classpath:mig/recipes/catalog.groovy'");
        }
        for (Recipe recipe : plan.recipes()) {
            out.println("  " + Printable.name(recipe.name()) + " " + Printable.name(recipe.signature()));
            if (recipe.description() != null) {
                out.println("      " + recipe.description());
            }
            String from = "      from " + recipe.location();
            if (recipe.version() != null) {
                from += ", version " + recipe.version();
            }
            if (recipe.source().startsWith(Source.CLASSPATH)) {
                from += " (" + recipe.where() + ")";
            }
            out.println(from);
            Set<String> appliedIn = new LinkedHashSet<>();
            for (Step step : plan.steps()) {
                for (RecipeUse use : step.recipes()) {
                    if (use.recipe().equals(recipe.name())) {
                        appliedIn.add("step '" + Printable.name(step.name()) + "'" + (use.inUndo() ? " (undo)" : "") + " at " + use.location());
                    }
                }
            }
            out.println(appliedIn.isEmpty() ? "      applied by no step" : "      applied by " + String.join(", ", appliedIn));
        }
        return 0;
    }
}
