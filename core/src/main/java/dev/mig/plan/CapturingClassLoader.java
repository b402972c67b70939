package dev.mig.plan;

import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.SourceUnit;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The compiler's class loader, keeping the bytes of every class it defines, for the {@link PlanCache}. */
final class CapturingClassLoader extends PairSafeClassLoader {

    private final Map<String, byte[]> classes = new LinkedHashMap<>();
    private CompilationUnit unit;

    CapturingClassLoader(ClassLoader parent, CompilerConfiguration config) {
        super(parent, config);
    }

    @Override
    protected ClassCollector createCollector(CompilationUnit unit, SourceUnit su) {
        this.unit = unit;
        return new ClassCollector(new InnerLoader(this), unit, su) {
            @Override
            protected Class createClass(byte[] code, ClassNode classNode) {
                classes.put(classNode.getName(), code);
                return super.createClass(code, classNode);
            }
        };
    }

    /**
     * Lets go of the bytes and the compilation (its syntax tree): the plan's classes keep this
     * loader alive, as the parent of the loader that defined them.
     */
    @Override
    public void close() throws java.io.IOException {
        classes.clear();
        unit = null;
        super.close();
    }

    /** Every class the last compilation produced, by binary name. */
    Map<String, byte[]> classes() {
        return classes;
    }

    /**
     * True when the compilation read only its own file: a plan that names a class Groovy found as
     * a .groovy source on the class path compiled that file too, which the cache key does not cover.
     */
    boolean singleSource() {
        if (unit == null) {
            return false;
        }
        int count = 0;
        for (Iterator<SourceUnit> sources = unit.iterator(); sources.hasNext(); sources.next()) {
            count++;
        }
        return count == 1;
    }
}
