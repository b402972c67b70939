package dev.mig.model;

import dev.mig.api.SourceLocation;
import groovy.lang.Closure;

import java.util.List;

/**
 * A named, parameterised group of cleanup actions or step elements, defined with
 * {@code recipe('name') { String p -> ... }} in a recipe file (or at the top of a plan). Applying
 * it runs {@code body} with the block's delegate, so what it adds lands in the step like
 * anything written there.
 *
 * @param source  where it was defined, as users read it: a file, or {@code classpath:mig/recipes/x.groovy}
 * @param where   where that file was found: the absolute path, or the class path URL
 * @param version the {@code version} its file declares, or null
 */
public record Recipe(String name,
                     String description,
                     List<Parameter> parameters,
                     Closure<?> body,
                     SourceLocation location,
                     String source,
                     String where,
                     String version) {

    public Recipe {
        parameters = List.copyOf(parameters);
    }

    /** How many arguments an {@code apply} must give. */
    public int requiredArguments() {
        return (int) parameters.stream().filter(p -> p.defaultText() == null && !p.variadic()).count();
    }

    /** How many it may give at most; -1 when the last parameter is variadic. */
    public int maximumArguments() {
        return !parameters.isEmpty() && parameters.get(parameters.size() - 1).variadic() ? -1 : parameters.size();
    }

    /** {@code (String name, String schema = 'public')}. */
    public String signature() {
        return "(" + String.join(", ", parameters.stream().map(Parameter::toString).toList()) + ")";
    }

    /**
     * A declared parameter as the source writes it: {@code String schema = 'public'}.
     * {@code type} is null when none is written; {@code defaultText} is null without a default.
     */
    public record Parameter(String name, String type, String defaultText, boolean variadic) {
        @Override
        public String toString() {
            String text = (type == null ? "" : type + (variadic ? "... " : " ")) + name;
            return defaultText == null ? text : text + " = " + defaultText;
        }
    }
}
