package dev.mig.plan;

import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

import java.util.Set;

/**
 * Groovy names a script's class after its file: a plan called {@code long.groovy} or
 * {@code int.groovy} would become a class named like a primitive type, which the JVM's verifier
 * refuses at load time (a VerifyError, not a plan problem). Such a class is renamed; the source
 * file name, which stack frames and so every message carry, stays the file's own.
 */
final class ScriptClassName {

    private static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "char", "short", "int", "long", "float", "double", "void");

    private ScriptClassName() {
    }

    static CompilationCustomizer customizer() {
        return new CompilationCustomizer(CompilePhase.CONVERSION) {
            @Override
            public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
                if (classNode.isScript() && PRIMITIVES.contains(classNode.getName())) {
                    classNode.setName(classNode.getName() + "_plan");
                }
            }
        };
    }
}
