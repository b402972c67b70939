package dev.mig.catalog;

/**
 * @param identityArguments {@code pg_get_function_identity_arguments}, e.g. {@code integer, text}
 * @param returnType        {@code pg_get_function_result}; null for a procedure
 */
public record FunctionInfo(String schema, String name, String identityArguments, String returnType) {

    /** {@code name(args)}, the way messages show an overload. */
    public String signature() {
        return name + "(" + identityArguments + ")";
    }
}
